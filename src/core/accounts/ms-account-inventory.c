/* ms-account-inventory.c: what the mail programs on this computer have set up
 *
 * The accounts every reader found, and the files it could not read: a
 * broken file is reported and skipped, so one odd program never hides the
 * accounts of the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-account-inventory.h"
#include "ms-json.h"

struct _MsAccountInventory
{
  GObject    parent_instance;

  GPtrArray *accounts;  /* MsExistingAccount */
  GPtrArray *problems;  /* MsAccountProblem */
};

G_DEFINE_FINAL_TYPE (MsAccountInventory, ms_account_inventory, G_TYPE_OBJECT)

static void
account_problem_free (MsAccountProblem *problem)
{
  g_free (problem->path);
  g_free (problem->message);
  g_free (problem);
}

static void
ms_account_inventory_finalize (GObject *object)
{
  MsAccountInventory *self = MS_ACCOUNT_INVENTORY (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_account_inventory_parent_class)->finalize (object);
}

static void
ms_account_inventory_class_init (MsAccountInventoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_account_inventory_finalize;
}

static void
ms_account_inventory_init (MsAccountInventory *self)
{
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_existing_account_unref);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) account_problem_free);
}

MsAccountInventory *
ms_account_inventory_new (void)
{
  return g_object_new (MS_TYPE_ACCOUNT_INVENTORY, NULL);
}

void
ms_account_inventory_add_account (MsAccountInventory *self,
                                  MsExistingAccount  *account)
{
  g_return_if_fail (MS_IS_ACCOUNT_INVENTORY (self));
  g_return_if_fail (account != NULL);

  g_ptr_array_add (self->accounts, ms_existing_account_ref (account));
}

void
ms_account_inventory_add_problem (MsAccountInventory *self,
                                  MsMailProgram       program,
                                  const char         *path,
                                  guint               line,
                                  const char         *format,
                                  ...)
{
  MsAccountProblem *problem;
  va_list args;

  g_return_if_fail (MS_IS_ACCOUNT_INVENTORY (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (format != NULL);

  problem = g_new0 (MsAccountProblem, 1);
  problem->program = program;
  problem->path = g_strdup (path);
  problem->line = line;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (self->problems, problem);
}

/* Moves @other's accounts and problems to the end of @self's. */
void
ms_account_inventory_merge (MsAccountInventory *self,
                            MsAccountInventory *other)
{
  g_return_if_fail (MS_IS_ACCOUNT_INVENTORY (self));
  g_return_if_fail (MS_IS_ACCOUNT_INVENTORY (other));

  g_ptr_array_extend_and_steal (self->accounts, g_steal_pointer (&other->accounts));
  g_ptr_array_extend_and_steal (self->problems, g_steal_pointer (&other->problems));
  other->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_existing_account_unref);
  other->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) account_problem_free);
}

/**
 * ms_account_inventory_get_accounts:
 *
 * Returns: (transfer none) (element-type MsExistingAccount): in the order found
 */
GPtrArray *
ms_account_inventory_get_accounts (MsAccountInventory *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_INVENTORY (self), NULL);

  return self->accounts;
}

/**
 * ms_account_inventory_get_problems:
 *
 * Returns: (transfer none) (element-type MsAccountProblem)
 */
GPtrArray *
ms_account_inventory_get_problems (MsAccountInventory *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_INVENTORY (self), NULL);

  return self->problems;
}

/**
 * ms_account_inventory_find:
 * @address: (nullable): only this address (compared without case)
 * @has_program: whether @program filters
 *
 * Returns: (transfer container) (element-type MsExistingAccount)
 */
GPtrArray *
ms_account_inventory_find (MsAccountInventory *self,
                           const char         *address,
                           gboolean            has_program,
                           MsMailProgram       program)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_existing_account_unref);

  g_return_val_if_fail (MS_IS_ACCOUNT_INVENTORY (self), found);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      MsExistingAccount *account = g_ptr_array_index (self->accounts, i);

      if (has_program && account->program != program)
        continue;
      if (address != NULL
          && (account->address == NULL || g_ascii_strcasecmp (account->address, address) != 0))
        continue;
      g_ptr_array_add (found, ms_existing_account_ref (account));
    }

  return found;
}

/**
 * ms_account_inventory_lookup_id:
 *
 * Returns: (transfer none) (nullable): the account whose
 *   ms_existing_account_get_id() is @id
 */
MsExistingAccount *
ms_account_inventory_lookup_id (MsAccountInventory *self,
                                const char         *id)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_INVENTORY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      MsExistingAccount *account = g_ptr_array_index (self->accounts, i);
      g_autofree char *account_id = ms_existing_account_get_id (account);

      if (g_str_equal (account_id, id))
        return account;
    }

  return NULL;
}

/**
 * ms_account_inventory_to_json:
 *
 * Returns: (transfer full): `{accounts: [...], problems: [{program, path,
 *   line, message}]}`, what `mail-setup accounts --json` prints
 */
JsonNode *
ms_account_inventory_to_json (MsAccountInventory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MS_IS_ACCOUNT_INVENTORY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->accounts->len; i++)
    json_builder_add_value (builder, ms_existing_account_to_json (g_ptr_array_index (self->accounts, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->problems->len; i++)
    {
      MsAccountProblem *problem = g_ptr_array_index (self->problems, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "program");
      json_builder_add_string_value (builder, ms_mail_program_to_string (problem->program));
      ms_json_add_text (builder, "path", problem->path);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, problem->line);
      ms_json_add_text (builder, "message", problem->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
