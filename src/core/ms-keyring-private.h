/* ms-keyring-private.h: test hooks of ms-keyring.c
 *
 * Not for the product's code: tests include it to reach inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-keyring.h"

G_BEGIN_DECLS

/* How long one keyring operation may take; tests shorten it. */
void ms_keyring_set_timeout (guint timeout_ms);

G_END_DECLS
