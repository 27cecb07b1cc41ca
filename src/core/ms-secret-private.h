/* ms-secret-private.h: test hooks of ms-secret.c
 *
 * Not for the product's code: tests include it to reach inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-secret.h"

G_BEGIN_DECLS

/* Called with every buffer wiped here, after the wipe and
 * just before it is freed, so a test can see that nothing is left. */
typedef void (*MsSecretReleaseHook) (gconstpointer buffer,
                                     gsize         size,
                                     gpointer      user_data);
void        ms_secret_set_release_hook_for_testing (MsSecretReleaseHook hook,
                                                    gpointer            user_data);

G_END_DECLS
