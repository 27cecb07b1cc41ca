/* ms-repair-account-row.h: one account another mail program has, with the state of its check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-doctor.h"
#include "ms-existing-account.h"
#include "ms-probe-result.h"

G_BEGIN_DECLS

typedef enum
{
  MS_REPAIR_ACCOUNT_ROW_WAITING,
  MS_REPAIR_ACCOUNT_ROW_RUNNING,
  MS_REPAIR_ACCOUNT_ROW_HEALTHY,
  MS_REPAIR_ACCOUNT_ROW_PROBLEM,
  MS_REPAIR_ACCOUNT_ROW_FAILED,
} MsRepairAccountRowState;

#define MS_TYPE_REPAIR_ACCOUNT_ROW (ms_repair_account_row_get_type ())

G_DECLARE_FINAL_TYPE (MsRepairAccountRow, ms_repair_account_row, MS, REPAIR_ACCOUNT_ROW, AdwActionRow)

GtkWidget               *ms_repair_account_row_new             (MsExistingAccount  *account,
                                                                guint               index);
MsExistingAccount       *ms_repair_account_row_get_account     (MsRepairAccountRow *self);
MsRepairAccountRowState  ms_repair_account_row_get_state       (MsRepairAccountRow *self);
const char              *ms_repair_account_row_get_status      (MsRepairAccountRow *self);
void                     ms_repair_account_row_set_running     (MsRepairAccountRow *self,
                                                                gboolean            running);
void                     ms_repair_account_row_server_started  (MsRepairAccountRow *self,
                                                                const MsServer     *server);
void                     ms_repair_account_row_server_finished (MsRepairAccountRow *self,
                                                                MsProbeResult      *result);
void                     ms_repair_account_row_set_report      (MsRepairAccountRow *self,
                                                                MsDoctorReport     *report);
void                     ms_repair_account_row_set_failed      (MsRepairAccountRow *self,
                                                                const char         *message);
char                    *ms_repair_describe_account            (MsExistingAccount  *account);

G_END_DECLS
