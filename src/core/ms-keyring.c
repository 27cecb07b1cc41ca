/* ms-keyring.c: account passwords in the system keyring (Secret Service)
 *
 * One item per server (incoming and outgoing), so a program that only
 * knows it wants "the SMTP password for this address" finds it with
 * `secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account
 * address ADDRESS protocol smtp`: that is the command the terminal
 * programs' exported configurations run. libsecret's errors are turned
 * into the few cases a person can act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-keyring.h"

G_DEFINE_QUARK (ms-keyring-error-quark, ms_keyring_error)

const SecretSchema *
ms_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    MS_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* Turns whatever libsecret or D-Bus said into an MsKeyringError. */
static gboolean
translate_error (GError       *error,
                 GCancellable *cancellable,
                 GError      **out)
{
  g_autofree char *detail = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_propagate_error (out, error);
      return FALSE;
    }

  detail = g_strdup (error->message);
  if (g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);

  if (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_IS_LOCKED)
    g_set_error (out, MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED,
                 _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* libsecret reports a dismissed unlock prompt as a cancellation. */
    g_set_error (out, MS_KEYRING_ERROR, MS_KEYRING_ERROR_DISMISSED,
                 _("The keyring prompt was closed, so the password was not saved or read."));
  else if (error->domain == G_DBUS_ERROR ||
           error->domain == G_IO_ERROR ||
           error->domain == G_SPAWN_ERROR)
    g_set_error (out, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NO_SERVICE,
                 _("No keyring service is running, so the password cannot be kept safely (%s)."),
                 detail);
  else
    g_set_error (out, MS_KEYRING_ERROR, MS_KEYRING_ERROR_FAILED,
                 _("The keyring failed: %s"), detail);

  g_error_free (error);
  return FALSE;
}

static GHashTable *
server_attributes (const char     *address,
                   const MsServer *server)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *) "address", g_ascii_strdown (address, -1));
  g_hash_table_insert (attributes, (char *) "protocol", g_strdup (ms_protocol_to_string (server->protocol)));
  g_hash_table_insert (attributes, (char *) "host", g_strdup (server->hostname));
  g_hash_table_insert (attributes, (char *) "port", g_strdup_printf ("%u", server->port));
  if (server->username != NULL)
    g_hash_table_insert (attributes, (char *) "username", g_strdup (server->username));

  return attributes;
}

gboolean
ms_keyring_store_other_sync (const SecretSchema  *schema,
                             GHashTable          *attributes,
                             const char          *label,
                             MsSecret            *password,
                             GCancellable        *cancellable,
                             GError             **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (attributes != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!secret_password_storev_sync (schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                                    ms_secret_get_text (password), cancellable, &local_error))
    return translate_error (local_error, cancellable, error);

  return TRUE;
}

/**
 * ms_keyring_store_sync:
 *
 * Stores @password for the incoming and the outgoing server of @settings
 * under this product's schema, replacing what was stored before.
 */
gboolean
ms_keyring_store_sync (MsAccountSettings  *settings,
                       MsSecret           *password,
                       GCancellable       *cancellable,
                       GError            **error)
{
  const MsServer *servers[] = { settings->incoming, settings->outgoing };

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(GHashTable) attributes = server_attributes (settings->address, servers[i]);
      g_autoptr(GHashTable) old = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *label = NULL;
      GError *local_error = NULL;

      /* One item per address and protocol, so lookups by those two (the
       * exported secret-tool commands) find exactly one, even after the
       * server moved. */
      g_hash_table_insert (old, (char *) "address", g_hash_table_lookup (attributes, "address"));
      g_hash_table_insert (old, (char *) "protocol", g_hash_table_lookup (attributes, "protocol"));
      secret_password_clearv_sync (ms_keyring_get_schema (), old, cancellable, &local_error);
      if (local_error != NULL)
        return translate_error (local_error, cancellable, error);

      /* TRANSLATORS: a keyring item's label; %s is an email address,
       * the second %s IMAP, POP3 or SMTP */
      label = g_strdup_printf (_("Mail password for %s (%s)"), settings->address,
                               ms_protocol_to_string (servers[i]->protocol));
      if (!ms_keyring_store_other_sync (ms_keyring_get_schema (), attributes, label,
                                        password, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * ms_keyring_lookup_sync:
 *
 * Returns: (transfer full) (nullable): the password stored for @address
 *   and @protocol, or %NULL with %MS_KEYRING_ERROR_NOT_FOUND
 */
MsSecret *
ms_keyring_lookup_sync (const char    *address,
                        MsProtocol     protocol,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  char *text;

  g_return_val_if_fail (address != NULL, NULL);

  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (attributes, (char *) "address", g_ascii_strdown (address, -1));
  g_hash_table_insert (attributes, (char *) "protocol", g_strdup (ms_protocol_to_string (protocol)));

  text = secret_password_lookupv_sync (ms_keyring_get_schema (), attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      translate_error (local_error, cancellable, error);
      return NULL;
    }
  if (text == NULL)
    {
      g_set_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND,
                   _("No password for %s is in the keyring"), address);
      return NULL;
    }

  /* secret_password_free() wipes; MsSecret wipes its own copy later. */
  {
    MsSecret *secret = ms_secret_new (text);

    secret_password_free (text);
    return secret;
  }
}

/**
 * ms_keyring_forget_sync:
 *
 * Removes every password this product stored for @address. Forgetting an
 * address that has none is not an error.
 */
gboolean
ms_keyring_forget_sync (const char    *address,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (address != NULL, FALSE);

  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (attributes, (char *) "address", g_ascii_strdown (address, -1));

  secret_password_clearv_sync (ms_keyring_get_schema (), attributes, cancellable, &local_error);
  if (local_error != NULL)
    return translate_error (local_error, cancellable, error);

  return TRUE;
}

typedef struct
{
  MsAccountSettings *settings;
  MsSecret          *password;
  char              *address;
  MsProtocol         protocol;
} KeyringData;

static void
keyring_data_free (KeyringData *data)
{
  g_clear_pointer (&data->settings, ms_account_settings_unref);
  g_clear_pointer (&data->password, ms_secret_unref);
  g_clear_pointer (&data->address, g_free);
  g_free (data);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  KeyringData *data = task_data;
  GError *error = NULL;

  if (ms_keyring_store_sync (data->settings, data->password, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* libsecret's own async calls would do, but one store is two items and
 * the sync form keeps the error translation in one place. */
void
ms_keyring_store_async (MsAccountSettings   *settings,
                        MsSecret            *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyringData *data;

  g_return_if_fail (settings != NULL);
  g_return_if_fail (password != NULL);

  data = g_new0 (KeyringData, 1);
  data->settings = ms_account_settings_ref (settings);
  data->password = ms_secret_ref (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_keyring_store_async);
  g_task_set_task_data (task, data, (GDestroyNotify) keyring_data_free);
  g_task_run_in_thread (task, store_thread);
}

gboolean
ms_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_keyring_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KeyringData *data = task_data;
  GError *error = NULL;
  MsSecret *secret;

  secret = ms_keyring_lookup_sync (data->address, data->protocol, cancellable, &error);
  if (secret != NULL)
    g_task_return_pointer (task, secret, (GDestroyNotify) ms_secret_unref);
  else
    g_task_return_error (task, error);
}

void
ms_keyring_lookup_async (const char          *address,
                         MsProtocol           protocol,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyringData *data;

  g_return_if_fail (address != NULL);

  data = g_new0 (KeyringData, 1);
  data->address = g_strdup (address);
  data->protocol = protocol;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_keyring_lookup_async);
  g_task_set_task_data (task, data, (GDestroyNotify) keyring_data_free);
  g_task_run_in_thread (task, lookup_thread);
}

MsSecret *
ms_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_keyring_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
forget_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KeyringData *data = task_data;
  GError *error = NULL;

  if (ms_keyring_forget_sync (data->address, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ms_keyring_forget_async (const char          *address,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyringData *data;

  g_return_if_fail (address != NULL);

  data = g_new0 (KeyringData, 1);
  data->address = g_strdup (address);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_keyring_forget_async);
  g_task_set_task_data (task, data, (GDestroyNotify) keyring_data_free);
  g_task_run_in_thread (task, forget_thread);
}

gboolean
ms_keyring_forget_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_keyring_forget_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ms_keyring_lookup_argv:
 *
 * Returns: (transfer full): the secret-tool command line that prints the
 *   password stored for @address and @protocol
 */
char **
ms_keyring_lookup_argv (const char *address,
                        MsProtocol  protocol)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  g_autofree char *lower = g_ascii_strdown (address, -1);
  char **argv;

  g_strv_builder_add_many (builder, "secret-tool", "lookup",
                           "xdg:schema", MS_KEYRING_SCHEMA_NAME, NULL);
  g_strv_builder_add_many (builder, "address", lower, NULL);
  g_strv_builder_add_many (builder, "protocol", ms_protocol_to_string (protocol), NULL);
  argv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return argv;
}

/**
 * ms_keyring_lookup_command:
 *
 * Returns: (transfer full): ms_keyring_lookup_argv() as one shell command,
 *   each word quoted only if it needs it (an address may hold ' or $)
 */
char *
ms_keyring_lookup_command (const char *address,
                           MsProtocol  protocol)
{
  g_auto(GStrv) argv = ms_keyring_lookup_argv (address, protocol);
  GString *command = g_string_new (NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      gboolean plain = TRUE;

      for (const char *p = argv[i]; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && strchr ("@.-_:+", *p) == NULL)
          plain = FALSE;

      if (i > 0)
        g_string_append_c (command, ' ');
      if (plain)
        g_string_append (command, argv[i]);
      else
        {
          g_autofree char *quoted = g_shell_quote (argv[i]);

          g_string_append (command, quoted);
        }
    }

  return g_string_free (command, FALSE);
}
