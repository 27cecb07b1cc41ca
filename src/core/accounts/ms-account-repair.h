/* ms-account-repair.h: change an existing account in place, and undo it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ms-account-settings.h"
#include "ms-existing-account.h"
#include "ms-secret.h"

G_BEGIN_DECLS

/**
 * MsRepairChange:
 * @field: the stable name of what changes: "incoming.hostname",
 *   "incoming.port", "incoming.security", "incoming.username", and the same
 *   for "outgoing." (docs/cli-json.md)
 * @old_value / @new_value: the values themselves (%NULL: none)
 * @label: for a wizard's row, translated: "Incoming server", "Outgoing
 *   server", "Port", "Security", "User name" (the row's group, incoming or
 *   outgoing, is @field's first part)
 * @old_shown / @new_shown: the values as the person reads them,
 *   translated and made safe to show: the security in words, "(none)"
 */
typedef struct
{
  char *field;
  char *old_value;
  char *new_value;
  char *label;
  char *old_shown;
  char *new_shown;
} MsRepairChange;

#define MS_TYPE_REPAIR_PLAN (ms_repair_plan_get_type ())

G_DECLARE_FINAL_TYPE (MsRepairPlan, ms_repair_plan, MS, REPAIR_PLAN, GObject)

/* What a repair of @account to @target would change, before anything is
 * written: the person sees exactly this first. */
MsRepairPlan *ms_repair_plan_new          (MsExistingAccount  *account,
                                           MsAccountSettings  *target,
                                           GError            **error);
MsExistingAccount *ms_repair_plan_get_account (MsRepairPlan   *self);
MsAccountSettings *ms_repair_plan_get_target  (MsRepairPlan   *self);
GPtrArray    *ms_repair_plan_get_changes  (MsRepairPlan       *self);
GStrv         ms_repair_plan_get_files    (MsRepairPlan       *self);
GPtrArray    *ms_repair_plan_get_sharing  (MsRepairPlan       *self);
void          ms_repair_plan_set_password (MsRepairPlan       *self,
                                           MsSecret           *password);
JsonNode     *ms_repair_plan_to_json      (MsRepairPlan       *self);
char         *ms_repair_plan_to_text      (MsRepairPlan       *self);

/* Backs up every file, refuses while the program runs
 * (MS_EXPORT_ERROR_PROGRAM_RUNNING), writes each atomically, and keeps an
 * undo record; nothing is written when any step fails. */
void          ms_repair_plan_apply_async  (MsRepairPlan       *self,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean      ms_repair_plan_apply_finish (MsRepairPlan       *self,
                                           GAsyncResult       *result,
                                           GError            **error);
gboolean      ms_repair_plan_apply_sync   (MsRepairPlan       *self,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* After a successful apply: the copies of the replaced files, sentences
 * to show (a program that could not be told to reload), and the undo
 * record's file. */
GPtrArray    *ms_repair_plan_get_backups  (MsRepairPlan       *self);
GPtrArray    *ms_repair_plan_get_warnings (MsRepairPlan       *self);
const char   *ms_repair_plan_get_record   (MsRepairPlan       *self);

/* Puts back the files the last repair of @address (in @program only, when
 * @has_program) replaced, each checked to be the one the repair wrote. */
GPtrArray    *ms_account_repair_undo      (const char         *address,
                                           gboolean            has_program,
                                           MsMailProgram       program,
                                           GCancellable       *cancellable,
                                           GError            **error);

G_END_DECLS
