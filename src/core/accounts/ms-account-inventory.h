/* ms-account-inventory.h: what the mail programs on this computer have set up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ms-existing-account.h"

G_BEGIN_DECLS

/**
 * MsAccountProblem:
 * @program: the program whose file it is
 * @path: the file (absolute)
 * @line: the line the problem is on, 0 when it is the whole file
 * @message: a translated sentence: what is wrong, in plain words
 *
 * A file that could not be read, or an account in it that was skipped.
 */
typedef struct
{
  MsMailProgram  program;
  char          *path;
  guint          line;
  char          *message;
} MsAccountProblem;

#define MS_TYPE_ACCOUNT_INVENTORY (ms_account_inventory_get_type ())

G_DECLARE_FINAL_TYPE (MsAccountInventory, ms_account_inventory, MS, ACCOUNT_INVENTORY, GObject)

MsAccountInventory *ms_account_inventory_new           (void);
void                ms_account_inventory_add_account   (MsAccountInventory *self,
                                                        MsExistingAccount  *account);
void                ms_account_inventory_add_problem   (MsAccountInventory *self,
                                                        MsMailProgram       program,
                                                        const char         *path,
                                                        guint               line,
                                                        const char         *format,
                                                        ...) G_GNUC_PRINTF (5, 6);
void                ms_account_inventory_merge         (MsAccountInventory *self,
                                                        MsAccountInventory *other);
GPtrArray          *ms_account_inventory_get_accounts  (MsAccountInventory *self);
GPtrArray          *ms_account_inventory_get_problems  (MsAccountInventory *self);
GPtrArray          *ms_account_inventory_find          (MsAccountInventory *self,
                                                        const char         *address,
                                                        gboolean            has_program,
                                                        MsMailProgram       program);
MsExistingAccount  *ms_account_inventory_lookup_id     (MsAccountInventory *self,
                                                        const char         *id);
JsonNode           *ms_account_inventory_to_json       (MsAccountInventory *self);

G_END_DECLS
