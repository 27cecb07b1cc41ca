/* ms-account-repair-password.c: the program's keyring item follows a repair of host or username
 *
 * msmtp finds its password by (host, service=smtp, user), Geary by (proto,
 * host, login): a repair that changes the host or the username would leave
 * the program without its password. The item is copied to the new
 * attributes (the old one stays until the undo, which removes the copy).
 * A server that gets a login it had none (Evolution's transport moving
 * from smtp.charter.net:25 to mobile.charter.net:587) gets the password
 * the person gave, under the program's schema, or the person is told the
 * program will ask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-account-repair-password.h"
#include "ms-keyring.h"
#include "ms-password-lookup.h"

static gboolean
replace_value (GHashTable *attributes,
               const char *name,
               const char *old_value,
               const char *new_value,
               gboolean    ignore_case)
{
  const char *value = g_hash_table_lookup (attributes, name);

  if (value == NULL || old_value == NULL || new_value == NULL)
    return FALSE;
  if (ignore_case ? g_ascii_strcasecmp (value, old_value) != 0 : g_strcmp0 (value, old_value) != 0)
    return FALSE;
  /* A host name that differs only in case is the same server. */
  if (ignore_case ? g_ascii_strcasecmp (value, new_value) == 0 : g_strcmp0 (value, new_value) == 0)
    return FALSE;

  g_hash_table_insert (attributes, g_strdup (name), g_strdup (new_value));
  return TRUE;
}

static GHashTable *
copy_attributes (GHashTable *attributes)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_hash_table_insert (copy, g_strdup (name), g_strdup (value));

  return copy;
}

MsPasswordLocation *
ms_repair_password_moved (const MsPasswordLocation *location,
                          const MsServer           *current,
                          const MsServer           *target)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GList) names = NULL;
  MsPasswordLocation *moved;
  gboolean changed = FALSE;

  if (location == NULL || location->source != MS_PASSWORD_SOURCE_KEYRING ||
      location->secret_attributes == NULL || current == NULL || target == NULL)
    return NULL;

  attributes = copy_attributes (location->secret_attributes);
  names = g_hash_table_get_keys (location->secret_attributes);
  for (GList *l = names; l != NULL; l = l->next)
    {
      changed |= replace_value (attributes, l->data, current->hostname, target->hostname, TRUE);
      changed |= replace_value (attributes, l->data, current->username, target->username, FALSE);
    }
  if (!changed)
    return NULL;

  moved = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);
  moved->secret_schema = g_strdup (location->secret_schema);
  g_clear_pointer (&moved->secret_attributes, g_hash_table_unref);
  moved->secret_attributes = g_steal_pointer (&attributes);

  return moved;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The password where its program keeps it, waited for in a context of
 * our own (the repair runs in a worker thread). */
static MsSecret *
lookup_sync (MsPasswordLocation *location,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  ms_password_lookup_async (location, 0, cancellable, store_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return ms_password_lookup_finish (result, error);
}

static gboolean
store (MsPasswordLocation *location,
       MsSecret           *password,
       GCancellable       *cancellable,
       GError            **error)
{
  g_autoptr(MsSecretSchemaRef) schema = ms_password_lookup_schema (location);
  /* Translators: the keyring item's label; %s is a host name. */
  g_autofree char *label = g_strdup_printf (_("Mail password for %s"),
                                            (const char *) g_hash_table_lookup (location->secret_attributes, "host"));

  return ms_keyring_store_other_sync (schema, location->secret_attributes,
                                      g_hash_table_contains (location->secret_attributes, "host")
                                      ? label : _("Mail password"),
                                      password, cancellable, error);
}

static void
add_warning (GPtrArray         *warnings,
             MsExistingAccount *account,
             const MsServer    *server,
             const char        *why)
{
  g_ptr_array_add (warnings,
                   /* Translators: a program (msmtp), a host name, then why. */
                   g_strdup_printf (_("%s will ask for the password for %s: %s"),
                                    ms_mail_program_get_name (account->program), server->hostname, why));
}

/* One server: copy the item, or give a new login the password given. */
static void
follow_server (MsExistingAccount  *account,
               MsPasswordLocation *location,
               const MsServer     *current,
               const MsServer     *target,
               MsSecret           *given,
               GPtrArray          *added,
               GPtrArray          *warnings,
               GCancellable       *cancellable)
{
  g_autoptr(MsPasswordLocation) moved = ms_repair_password_moved (location, current, target);
  gboolean new_login = current->username == NULL && target->username != NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GError) error = NULL;

  if (moved == NULL && !(new_login && location != NULL && location->source == MS_PASSWORD_SOURCE_KEYRING))
    {
      if (new_login && given == NULL)
        add_warning (warnings, account, target, _("it had no login before"));
      return;
    }
  if (moved == NULL)
    moved = ms_password_location_ref (location);

  password = new_login ? NULL : lookup_sync (location, cancellable, &error);
  if (password == NULL && given != NULL)
    password = ms_secret_ref (given);
  if (password == NULL)
    {
      add_warning (warnings, account, target, error != NULL ? error->message : _("no password was given"));
      return;
    }

  g_clear_error (&error);
  if (!store (moved, password, cancellable, &error))
    {
      add_warning (warnings, account, target, error->message);
      return;
    }
  g_ptr_array_add (added, g_steal_pointer (&moved));
}

GPtrArray *
ms_repair_password_follow (MsExistingAccount *account,
                           MsAccountSettings *target,
                           MsSecret          *given,
                           GPtrArray         *warnings,
                           GCancellable      *cancellable)
{
  GPtrArray *added = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_password_location_unref);

  g_return_val_if_fail (account != NULL && target != NULL, added);

  if (account->incoming != NULL && target->incoming != NULL)
    follow_server (account, account->incoming_password, account->incoming, target->incoming,
                   given, added, warnings, cancellable);
  if (account->outgoing != NULL && target->outgoing != NULL &&
      account->outgoing_password != account->incoming_password)
    follow_server (account, account->outgoing_password, account->outgoing, target->outgoing,
                   given, added, warnings, cancellable);

  return added;
}

void
ms_repair_password_remove (GPtrArray *added)
{
  for (guint i = 0; added != NULL && i < added->len; i++)
    {
      MsPasswordLocation *location = g_ptr_array_index (added, i);
      g_autoptr(MsSecretSchemaRef) schema = ms_password_lookup_schema (location);
      g_autoptr(GError) error = NULL;

      if (!secret_password_clearv_sync (schema, location->secret_attributes, NULL, &error) && error != NULL)
        g_message ("Could not remove the keyring item a repair added: %s", error->message);
    }
}
