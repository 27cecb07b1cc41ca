/* ms-program-geary.c: Geary's accounts: read, and repaired in place
 *
 * $XDG_CONFIG_HOME/geary/account_NN/geary.ini, version 1 (Geary 3.32 to
 * 46): [Account] sender_mailboxes, service_provider; [Incoming] and
 * [Outgoing] host, port, login, transport_security, credentials. The
 * passwords are in the keyring under Geary's schema, by protocol, host
 * and login. Geary keeps its accounts in memory and writes geary.ini back,
 * so a repair waits until it is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-key-file-edit.h"
#include "ms-key-file-reader.h"
#include "ms-mail-program-private.h"
#include "ms-program-files.h"
#include "ms-running-program.h"
#include "ms-safe-file.h"
#include "ms-validate.h"

#define GEARY_SCHEMA "org.gnome.Geary"

static gboolean
read_sender (MsKeyFileReader   *reader,
             MsExistingAccount *account)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) senders = NULL;
  g_autofree char *address = NULL;

  senders = g_key_file_get_string_list (ms_key_file_reader_get_key_file (reader), "Account",
                                        "sender_mailboxes", NULL, NULL);
  if (senders == NULL || senders[0] == NULL)
    {
      ms_key_file_reader_problem (reader, "Account", "sender_mailboxes",
                                  _("The account has no sender address; it was skipped"));
      return FALSE;
    }

  address = ms_export_geary_mailbox_address (senders[0]);
  if (!ms_validate_address (address, "[Account] sender_mailboxes", &error))
    {
      ms_key_file_reader_problem (reader, "Account", "sender_mailboxes", "%s", error->message);
      return FALSE;
    }

  account->address = g_steal_pointer (&address);
  return TRUE;
}

static gboolean
read_security (MsKeyFileReader *reader,
               const char      *group,
               MsSecurity      *security)
{
  g_autofree char *word = NULL;

  /* TLS: Geary's default. */
  if (ms_key_file_reader_security (reader, group, "transport_security", MS_EXPORT_SECURITY_GEARY,
                                   MS_SECURITY_TLS, security, &word))
    return TRUE;
  if (word != NULL)
    ms_key_file_reader_problem (reader, group, "transport_security",
                                _("The connection security “%s” is not one Geary knows; the account was skipped"),
                                word);
  return FALSE;
}

/* Geary's defaults for a missing port. */
static guint16
geary_default_port (MsProtocol protocol,
                    MsSecurity security)
{
  if (protocol == MS_PROTOCOL_SMTP)
    return security == MS_SECURITY_TLS ? 465 : security == MS_SECURITY_STARTTLS ? 587 : 25;

  return ms_protocol_default_port (protocol, security);
}

static MsPasswordLocation *
keyring_location (const char     *proto,
                  const MsServer *server)
{
  MsPasswordLocation *location = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);

  location->secret_schema = g_strdup (GEARY_SCHEMA);
  ms_password_location_add_attribute (location, "proto", proto);
  ms_password_location_add_attribute (location, "host", server->hostname);
  ms_password_location_add_attribute (location, "login", server->username);

  return location;
}

/* [Incoming] or [Outgoing]; @incoming is the incoming server when reading
 * the outgoing one, whose credentials may be "use-incoming". */
static MsServer *
read_service (MsKeyFileReader   *reader,
              const char        *group,
              MsProtocol         protocol,
              MsExistingAccount *account)
{
  g_autofree char *host = NULL;
  g_autofree char *login = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(MsServer) server = NULL;
  MsSecurity security;
  guint16 port = 0;

  if (!ms_key_file_reader_hostname (reader, group, "host", &host) ||
      !ms_key_file_reader_port (reader, group, "port", &port) ||
      !ms_key_file_reader_username (reader, group, "login", &login) ||
      !ms_key_file_reader_string (reader, group, "credentials", &credentials) ||
      !read_security (reader, group, &security))
    return NULL;
  if (host == NULL)
    {
      ms_key_file_reader_problem (reader, NULL, NULL, _("[%s] names no server; the account was skipped"), group);
      return NULL;
    }

  server = ms_server_new (protocol, host, port != 0 ? port : geary_default_port (protocol, security), security);
  /* The literal username, not a provider file's placeholder. */
  g_clear_pointer (&server->username, g_free);
  if (g_strcmp0 (credentials, "none") == 0)
    server->auth = MS_AUTH_NONE;
  else if (g_strcmp0 (credentials, "use-incoming") == 0 && account->incoming != NULL)
    server->username = g_strdup (account->incoming->username);
  else
    /* Geary logs in with the sender address when no login is set. */
    server->username = login != NULL ? g_steal_pointer (&login) : g_strdup (account->address);

  return g_steal_pointer (&server);
}

/* Gmail, Outlook and the other providers Geary knows get their servers
 * from Geary itself: what geary.ini says of them is ignored. */
static gboolean
uses_own_servers (GKeyFile *key_file)
{
  g_autofree char *provider = g_key_file_get_string (key_file, "Account", "service_provider", NULL);

  return provider == NULL || g_strcmp0 (provider, "other") == 0;
}

static void
read_account (const char         *root,
              const char         *name,
              MsAccountInventory *inventory)
{
  g_autofree char *path = g_build_filename (root, name, "geary.ini", NULL);
  g_autoptr(MsKeyFileReader) reader = NULL;
  g_autoptr(MsExistingAccount) account = NULL;

  reader = ms_key_file_reader_open_existing (MS_MAIL_PROGRAM_GEARY, path, MS_SAFE_FILE_CONFIG_MAX_SIZE, inventory);
  if (reader == NULL)
    return;

  account = ms_existing_account_new (MS_MAIL_PROGRAM_GEARY, name, path);
  if (!read_sender (reader, account))
    return;
  if (!uses_own_servers (ms_key_file_reader_get_key_file (reader)))
    {
      ms_account_inventory_add_account (inventory, account);
      return;
    }
  account->incoming = read_service (reader, "Incoming", MS_PROTOCOL_IMAP, account);
  if (account->incoming == NULL)
    return;
  account->outgoing = read_service (reader, "Outgoing", MS_PROTOCOL_SMTP, account);
  if (account->outgoing == NULL)
    return;

  account->incoming_password = keyring_location ("IMAP", account->incoming);
  if (account->outgoing->username != NULL)
    account->outgoing_password = keyring_location ("SMTP", account->outgoing);

  ms_account_inventory_add_account (inventory, account);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  g_autofree char *root = g_build_filename (places->config_dir, "geary", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "account_"))
      g_ptr_array_add (names, g_strdup (name));

  /* In folder order, so the list is the same every time. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len && !g_cancellable_is_cancelled (cancellable); i++)
    read_account (root, g_ptr_array_index (names, i), inventory);
}

static gboolean
is_running (MsExistingAccount  *account,
            char              **why)
{
  return ms_running_program_check ("geary", account->location,
                                   _("Geary is open or runs in the background: quit it (its menu’s Quit) and try again"),
                                   why);
}

static GStrv
files (MsExistingAccount *account)
{
  return ms_program_files_paths (account->location, NULL);
}

/* @same_login: an outgoing server that logs in as the incoming one */
static void
write_service (MsKeyFileEdit  *edit,
               const char     *group,
               const MsServer *server,
               gboolean        same_login)
{
  g_autofree char *port = g_strdup_printf ("%u", server->port);

  ms_key_file_edit_set_string (edit, group, "host", server->hostname);
  ms_key_file_edit_set_value (edit, group, "port", port);
  ms_key_file_edit_set_value (edit, group, "transport_security",
                              ms_export_security_word (MS_EXPORT_SECURITY_GEARY, server->security));
  if (server->username == NULL)
    {
      ms_key_file_edit_set_value (edit, group, "credentials", "none");
      return;
    }
  /* Geary then takes the incoming server's password, which the keyring
   * has; "custom" would need an SMTP entry of its own. */
  if (same_login)
    {
      ms_key_file_edit_set_value (edit, group, "credentials", "use-incoming");
      return;
    }
  ms_key_file_edit_set_string (edit, group, "login", server->username);
  ms_key_file_edit_set_value (edit, group, "credentials", "custom");
}

static gboolean
check_updatable (const char        *contents,
                 gsize              length,
                 MsAccountSettings *target,
                 GError           **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, NULL) ||
      !g_key_file_has_group (key_file, "Account"))
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                           _("geary.ini no longer holds the account"));
      return FALSE;
    }
  if (!uses_own_servers (key_file))
    {
      g_autofree char *provider = g_key_file_get_string (key_file, "Account", "service_provider", NULL);

      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("Geary sets the servers of this account itself (provider “%s”); they cannot be changed in its file"),
                   provider);
      return FALSE;
    }
  return ms_program_files_check_imap_smtp (target,
                                           _("Geary reads mail over IMAP only and needs an outgoing server"),
                                           "geary.ini", error);
}

/* Whether the file's outgoing server logs in as the incoming one, and the
 * target keeps that so. */
static gboolean
uses_incoming_login (const char        *contents,
                     gsize              length,
                     MsAccountSettings *target)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *credentials = NULL;

  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, NULL))
    return FALSE;
  credentials = g_key_file_get_string (key_file, "Outgoing", "credentials", NULL);

  return g_strcmp0 (credentials, "use-incoming") == 0 &&
         g_strcmp0 (target->incoming->username, target->outgoing->username) == 0;
}

static char *
update (MsExistingAccount  *account,
        MsAccountSettings  *target,
        const char         *path,
        const char         *contents,
        gsize               length,
        GError            **error)
{
  g_autoptr(MsKeyFileEdit) edit = ms_key_file_edit_new (contents, length);

  if (edit == NULL || g_strcmp0 (path, account->location) != 0)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED, _("%s no longer holds the Geary account"), path);
      return NULL;
    }
  if (!check_updatable (contents, length, target, error))
    return NULL;

  write_service (edit, "Incoming", target->incoming, FALSE);
  write_service (edit, "Outgoing", target->outgoing, uses_incoming_login (contents, length, target));

  return ms_key_file_edit_to_data (edit, NULL);
}

const MsMailProgramBackend ms_program_geary = {
  .program = MS_MAIL_PROGRAM_GEARY,
  .read = read_accounts,
  .is_running = is_running,
  .files = files,
  .update = update,
};
