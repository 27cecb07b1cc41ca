/* ms-repair-list-page.h: the wizard page that lists the accounts found and checks them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-inventory.h"
#include "ms-repair-account-row.h"
#include "ms-secret.h"

G_BEGIN_DECLS

#define MS_TYPE_REPAIR_LIST_PAGE (ms_repair_list_page_get_type ())

G_DECLARE_FINAL_TYPE (MsRepairListPage, ms_repair_list_page, MS, REPAIR_LIST_PAGE, AdwBin)

void                ms_repair_list_page_set_searching (MsRepairListPage   *self);
void                ms_repair_list_page_set_inventory (MsRepairListPage   *self,
                                                       MsAccountInventory *inventory);
guint               ms_repair_list_page_get_n_rows    (MsRepairListPage   *self);
MsRepairAccountRow *ms_repair_list_page_get_row       (MsRepairListPage   *self,
                                                       guint               index);
MsSecret           *ms_repair_list_page_dup_password  (MsRepairListPage   *self,
                                                       guint               index);
void                ms_repair_list_page_set_running   (MsRepairListPage   *self,
                                                       gboolean            running);
gboolean            ms_repair_list_page_get_valid     (MsRepairListPage   *self);

G_END_DECLS
