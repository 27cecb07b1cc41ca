/* ms-account-finder.h: find the accounts the mail programs on this computer already have
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-inventory.h"

G_BEGIN_DECLS

void                ms_account_finder_find_async  (GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
MsAccountInventory *ms_account_finder_find_finish (GAsyncResult        *result,
                                                   GError             **error);
MsAccountInventory *ms_account_finder_find_sync   (GCancellable        *cancellable,
                                                   GError             **error);

G_END_DECLS
