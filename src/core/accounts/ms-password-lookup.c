/* ms-password-lookup.c: read an existing account's password from where its program keeps it
 *
 * The Secret Service lookup goes through ms-secret-service-op.c (unlock
 * prompt, deadline, cancellation) with a schema made from the program's
 * own schema name and attribute names; goa-daemon is asked over D-Bus
 * with the call's own timeout. Nothing is ever run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "ms-keyring.h"
#include "ms-password-lookup.h"
#include "ms-secret-service-op.h"

#define GOA_BUS_NAME "org.gnome.OnlineAccounts"
#define GOA_ACCOUNTS_PATH "/org/gnome/OnlineAccounts/Accounts/"
#define GOA_PASSWORD_BASED "org.gnome.OnlineAccounts.PasswordBased"

/* Any schema name with DONT_MATCH_NAME: the item is found by its
 * attributes alone, as the program stored it. */
#define GENERIC_SCHEMA_NAME "org.freedesktop.Secret.Generic"

/**
 * ms_password_lookup_schema:
 *
 * Returns: (transfer full): the schema that finds @location's keyring
 *   item: its own name, or any name matched on the attributes alone
 */
SecretSchema *
ms_password_lookup_schema (const MsPasswordLocation *location)
{
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, location->secret_attributes);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_hash_table_insert (types, name, GINT_TO_POINTER (SECRET_SCHEMA_ATTRIBUTE_STRING));

  return secret_schema_newv (location->secret_schema != NULL ? location->secret_schema : GENERIC_SCHEMA_NAME,
                             location->secret_schema != NULL ? SECRET_SCHEMA_NONE
                                                             : SECRET_SCHEMA_DONT_MATCH_NAME,
                             types);
}

static void
keyring_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MsSecret *secret;

  secret = g_task_propagate_pointer (G_TASK (result), &error);
  if (secret == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) ms_secret_unref);
}

static void
lookup_keyring (GTask                    *task,
                const MsPasswordLocation *location,
                guint                     timeout_ms)
{
  SecretSchema *schema = ms_password_lookup_schema (location);
  GTask *op;

  op = ms_secret_service_op_new (lookup_keyring, timeout_ms, g_task_get_cancellable (task),
                                 keyring_done_cb, g_object_ref (task));
  /* The operation borrows the schema: it lives as long as the task. */
  g_object_set_data_full (G_OBJECT (op), "ms-password-lookup-schema", schema,
                          (GDestroyNotify) secret_schema_unref);
  ms_secret_service_op_add_lookup (op, schema, location->secret_attributes,
                                   _("this account"));
  ms_secret_service_op_start (op);
}

static void
goa_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *password = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_variant_get (reply, "(&s)", &password);
  if (*password == '\0')
    {
      g_task_return_new_error (task, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND,
                               _("GNOME Online Accounts has no password for this account"));
      return;
    }

  g_task_return_pointer (task, ms_secret_new (password), (GDestroyNotify) ms_secret_unref);
}

static void
bus_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const MsPasswordLocation *location = g_task_get_task_data (task);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *account = g_hash_table_lookup (location->secret_attributes, "goa-account");
  const char *key = g_hash_table_lookup (location->secret_attributes, "goa-key");

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The reader validated the id; the object path allows [A-Za-z0-9_]. */
  path = g_strconcat (GOA_ACCOUNTS_PATH, account, NULL);
  if (!g_variant_is_object_path (path))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“%s” is not a GNOME Online Accounts account id"), account);
      return;
    }

  g_dbus_connection_call (bus, GOA_BUS_NAME, path, GOA_PASSWORD_BASED, "GetPassword",
                          g_variant_new ("(s)", key), G_VARIANT_TYPE ("(s)"),
                          G_DBUS_CALL_FLAGS_NONE, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "timeout")),
                          g_task_get_cancellable (task), goa_done_cb, g_object_ref (task));
}

/**
 * ms_password_lookup_async:
 * @timeout_ms: the deadline, 0 for MS_PASSWORD_LOOKUP_DEFAULT_TIMEOUT_MS
 *
 * Looks the password up where @location says; see ms-password-lookup.h.
 */
void
ms_password_lookup_async (MsPasswordLocation  *location,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (location != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_password_lookup_async);
  g_task_set_task_data (task, ms_password_location_ref (location),
                        (GDestroyNotify) ms_password_location_unref);
  if (timeout_ms == 0)
    timeout_ms = MS_PASSWORD_LOOKUP_DEFAULT_TIMEOUT_MS;

  if (location->source == MS_PASSWORD_SOURCE_KEYRING && location->secret_attributes != NULL &&
      g_hash_table_size (location->secret_attributes) > 0)
    {
      lookup_keyring (task, location, timeout_ms);
      return;
    }

  if (location->source == MS_PASSWORD_SOURCE_GOA && location->secret_attributes != NULL &&
      g_hash_table_contains (location->secret_attributes, "goa-account") &&
      g_hash_table_contains (location->secret_attributes, "goa-key"))
    {
      g_object_set_data (G_OBJECT (task), "timeout", GUINT_TO_POINTER (MIN (timeout_ms, G_MAXINT)));
      g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_ready_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The program keeps this password where Mail Setup does not read it; type it instead"));
}

/**
 * ms_password_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the password
 */
MsSecret *
ms_password_lookup_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_password_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
