/* ms-repair-summary-page.h: the wizard page that says what a repair changed, and how to undo it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-repair.h"

G_BEGIN_DECLS

#define MS_TYPE_REPAIR_SUMMARY_PAGE (ms_repair_summary_page_get_type ())

G_DECLARE_FINAL_TYPE (MsRepairSummaryPage, ms_repair_summary_page, MS, REPAIR_SUMMARY_PAGE, AdwBin)

void        ms_repair_summary_page_set_plan         (MsRepairSummaryPage *self,
                                                     MsRepairPlan        *plan);
const char *ms_repair_summary_page_get_undo_command (MsRepairSummaryPage *self);
char       *ms_repair_undo_command                  (MsExistingAccount   *account);

G_END_DECLS
