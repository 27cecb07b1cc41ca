/* ms-export-geary.c: a Geary account directory with geary.ini, and its keyring entry
 *
 * The format is Geary's version 1 account file (Geary 3.32 to 46):
 * $XDG_CONFIG_HOME/geary/account_NN/geary.ini, with the password under
 * Geary's own keyring schema so Geary never asks for it.
 *
 * Geary 43 signs in with OAuth only to accounts GNOME Online Accounts
 * keeps (its own geary.ini accounts take a password), so an account that
 * signs in with OAuth is refused with the GOA export as the way to go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "ms-export-oauth.h"
#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-keyring.h"
#include "ms-safe-file.h"

/* Geary 43's SecretMediator: this schema, matched by name, with "proto"
 * in capitals ("IMAP", "SMTP"), the service's host and its login. */
static const SecretSchema *
geary_schema (void)
{
  static const SecretSchema schema = {
    "org.gnome.Geary", SECRET_SCHEMA_NONE,
    {
      { "proto", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* The address of a sender mailbox as Geary writes it: "Name <a@b>",
 * "\"Name\" <a@b>" or a bare "a@b". */
char *
ms_export_geary_mailbox_address (const char *mailbox)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (mailbox));
  gsize length = strlen (trimmed);
  const char *open;

  if (length > 0 && trimmed[length - 1] == '>' && (open = strrchr (trimmed, '<')) != NULL)
    return g_strndup (open + 1, trimmed + length - 1 - (open + 1));

  return g_steal_pointer (&trimmed);
}

/**
 * ms_export_geary_find_account:
 *
 * Returns: the account directory whose first sender mailbox is @address
 *   (the whole address, ASCII case aside: "pat@" never matches
 *   "jpat@"), or a free one; @ordinal is its ordinal
 */
char *
ms_export_geary_find_account (const char *root,
                              const char *address,
                              int        *ordinal)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  int highest = 0;

  *ordinal = 1;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *ini = g_build_filename (root, name, "geary.ini", NULL);
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_auto(GStrv) senders = NULL;
      g_autofree char *sender = NULL;
      int number;

      if (!g_str_has_prefix (name, "account_"))
        continue;
      number = atoi (name + strlen ("account_"));
      highest = MAX (highest, number);

      g_autofree char *ini_data = NULL;

      if (!ms_safe_file_read (ini, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE, &ini_data, NULL, NULL, NULL) ||
          !g_key_file_load_from_data (key_file, ini_data, -1, G_KEY_FILE_NONE, NULL))
        continue;
      senders = g_key_file_get_string_list (key_file, "Account", "sender_mailboxes", NULL, NULL);
      if (senders == NULL || senders[0] == NULL)
        continue;
      sender = ms_export_geary_mailbox_address (senders[0]);
      if (g_ascii_strcasecmp (sender, address) == 0)
        {
          *ordinal = g_key_file_get_integer (key_file, "Account", "ordinal", NULL);
          return g_build_filename (root, name, NULL);
        }
    }

  *ordinal = highest + 1;
  {
    g_autofree char *name_new = g_strdup_printf ("account_%02d", highest + 1);

    return g_build_filename (root, name_new, NULL);
  }
}

static void
write_service (GKeyFile       *key_file,
               const char     *group,
               const MsServer *server,
               gboolean        outgoing)
{
  if (server->username != NULL)
    g_key_file_set_string (key_file, group, "login", server->username);
  g_key_file_set_boolean (key_file, group, "remember_password", TRUE);
  g_key_file_set_string (key_file, group, "host", server->hostname);
  g_key_file_set_integer (key_file, group, "port", server->port);
  g_key_file_set_string (key_file, group, "transport_security", ms_export_security_word (MS_EXPORT_SECURITY_GEARY, server->security));
  g_key_file_set_string (key_file, group, "credentials",
                         server->username == NULL ? "none" : outgoing ? "custom" : "custom");
}

static gboolean
store_password (MsExportContext  *context,
                const MsServer   *server,
                const char       *proto,
                GError          **error)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *label = NULL;

  if (server->username == NULL)
    return TRUE;

  g_hash_table_insert (attributes, (char *) "proto", (char *) proto);
  g_hash_table_insert (attributes, (char *) "host", (char *) server->hostname);
  g_hash_table_insert (attributes, (char *) "login", (char *) server->username);
  /* Geary's own label for the items it stores. */
  label = g_strdup_printf ("Geary %s password", proto);

  return ms_keyring_store_other_sync (geary_schema (), attributes, label, context->password,
                                      context->cancellable, error);
}

/**
 * ms_export_geary_render:
 *
 * Returns: (transfer full): geary.ini for @settings; GKeyFile escapes
 *   what it must and Geary reads it back with GKeyFile
 */
GKeyFile *
ms_export_geary_render (MsAccountSettings  *settings,
                        int                 ordinal,
                        GError            **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *sender = NULL;
  const char *senders[2] = { NULL, NULL };

  if (!ms_export_check_settings (settings, "geary.ini", error) ||
      !ms_export_oauth_check (settings, MS_EXPORT_OAUTH_GEARY, error) ||
      (sender = ms_export_syntax_mailbox (settings->display_name, settings->address,
                                          "geary.ini", error)) == NULL)
    return NULL;
  senders[0] = sender;

  g_key_file_set_integer (key_file, "Metadata", "version", 1);
  g_key_file_set_integer (key_file, "Account", "ordinal", ordinal);
  g_key_file_set_string (key_file, "Account", "label",
                         settings->provider_name != NULL ? settings->provider_name : "");
  g_key_file_set_string_list (key_file, "Account", "sender_mailboxes", senders, 1);
  g_key_file_set_string (key_file, "Account", "service_provider", "other");
  g_key_file_set_boolean (key_file, "Account", "save_sent", TRUE);
  write_service (key_file, "Incoming", settings->incoming, FALSE);
  write_service (key_file, "Outgoing", settings->outgoing, TRUE);

  return g_steal_pointer (&key_file);
}

static gboolean
export_geary (MsExportContext  *context,
              GError          **error)
{
  MsAccountSettings *settings = context->settings;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  int ordinal;
  gsize length;

  if (settings->incoming->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("Geary reads mail over IMAP only; this account was set up with POP3"));
      return FALSE;
    }

  if (!ms_export_oauth_check (settings, MS_EXPORT_OAUTH_GEARY, error))
    return FALSE;

  if (context->password == NULL)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_NEEDS_PASSWORD,
                           _("Geary needs the password in its keyring; give the password or store it in the keyring first"));
      return FALSE;
    }

  root = ms_export_target_path (context, MS_EXPORT_TARGET_CONFIG, "geary", NULL);
  dir = ms_export_geary_find_account (root, settings->address, &ordinal);
  path = g_build_filename (dir, "geary.ini", NULL);
  key_file = ms_export_geary_render (settings, ordinal, error);
  if (key_file == NULL)
    return FALSE;

  /* The keyring first: an account Geary cannot log in to is worse than none. */
  if (!store_password (context, settings->incoming, "IMAP", error) ||
      !store_password (context, settings->outgoing, "SMTP", error))
    return FALSE;

  data = g_key_file_to_data (key_file, &length, NULL);
  if (!ms_export_write_file (context, path, data, length, FALSE, error))
    return FALSE;

  context->result->account_id = g_path_get_basename (dir);

  return TRUE;
}

const MsExporter ms_export_geary = {
  "geary", N_("Geary"), TRUE, export_geary,
};
