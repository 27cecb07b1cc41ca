/* ms-account-repair-private.h: the repair engine with its backend and places given, for tests
 *
 * ms-account-repair.h picks the backend from the account's program and
 * the person's own home; a unit test hands in a backend of its own (a
 * format it controls) instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-account-repair.h"
#include "ms-mail-program-private.h"

G_BEGIN_DECLS

/* Where the undo records are: $XDG_STATE_HOME/mail-setup/repairs. */
char         *ms_account_repair_get_records_dir  (void);

MsRepairPlan *ms_repair_plan_new_for_backend     (const MsMailProgramBackend *backend,
                                                  MsExistingAccount          *account,
                                                  MsAccountSettings          *target,
                                                  GError                    **error);

/* @backend: (nullable): the one to use whatever the record's program
 * (a test's), %NULL: the record's program's own. */
GPtrArray    *ms_account_repair_undo_for_backend (const MsMailProgramBackend *backend,
                                                  const char                 *address,
                                                  gboolean                    has_program,
                                                  MsMailProgram               program,
                                                  GCancellable               *cancellable,
                                                  GError                    **error);

G_END_DECLS
