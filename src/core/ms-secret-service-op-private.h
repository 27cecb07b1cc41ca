/* ms-secret-service-op-private.h: test hooks of ms-secret-service-op.c
 *
 * Not for the product's code: tests include it to reach inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-secret-service-op.h"

G_BEGIN_DECLS

typedef void (*MsSecretServicePromptHook) (gpointer user_data);

/* @hook runs (in the operation's main context) each time an operation has
 * had its unlock prompt accepted by the Secret Service and waits for the
 * person's answer: the moment a test can act on "the store waits at the
 * prompt". Process-wide; %NULL removes it. */
void ms_secret_service_op_set_prompt_hook (MsSecretServicePromptHook hook,
                                           gpointer                  user_data);

G_END_DECLS
