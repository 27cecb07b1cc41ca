/* ms-program-evolution.c: Evolution's accounts: read, and repaired in place
 *
 * ~/.config/evolution/sources/ holds one key file per source, named by
 * its UID: the mail account ([Mail Account], the incoming server in
 * [Authentication] and [Security]) points at its identity ([Mail
 * Identity], the address), which points at its transport ([Mail
 * Transport], the SMTP server). Sources that belong to a collection (GNOME
 * Online Accounts, Exchange) are repaired where the collection lives, not
 * here, so they are not listed.
 *
 * evolution-source-registry keeps running without Evolution and needs no
 * reload: it watches the folder and reads a source again when its file is
 * replaced by an atomic rename, after a pause of three seconds (EDS 3.46
 * with GLib 2.74; test-accounts-gnome.py waits for it, and a rename was
 * seen to be picked up like a write in place). Its SourceManager.Reload
 * would restart it and make every client drop and re-add all sources.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter.h"
#include "ms-key-file-edit.h"
#include "ms-key-file-reader.h"
#include "ms-mail-program-private.h"
#include "ms-program-files.h"
#include "ms-running-program.h"

#define EVOLUTION_SCHEMA "org.gnome.Evolution.Data.Source"

/* A source is a few KiB and a person has dozens: far above both, and far
 * below what a folder of hostile files could make us hold. */
#define SOURCE_MAX_SIZE (1024 * 1024)
#define SOURCES_MAX     4096

/* All sources of the folder, by UID (the file name without ".source"). */
typedef struct
{
  MsAccountInventory *inventory;
  char               *dir;
  GHashTable         *sources;  /* UID → MsKeyFileReader */
} Folder;

static void
folder_clear (Folder *folder)
{
  g_free (folder->dir);
  g_clear_pointer (&folder->sources, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Folder, folder_clear)

static gboolean
folder_open (Folder                *folder,
             const MsAccountPlaces *places,
             MsAccountInventory    *inventory,
             GCancellable          *cancellable)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  folder->inventory = inventory;
  folder->dir = g_build_filename (places->config_dir, "evolution", "sources", NULL);
  folder->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) ms_key_file_reader_free);
  dir = g_dir_open (folder->dir, 0, NULL);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL && !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *path = NULL;
      MsKeyFileReader *reader;

      /* A hidden file is the registry's own leftover, and names the
       * registry does not read are not sources. */
      if (name[0] == '.' || !g_str_has_suffix (name, ".source"))
        continue;
      path = g_build_filename (folder->dir, name, NULL);
      if (g_hash_table_size (folder->sources) >= SOURCES_MAX)
        {
          ms_account_inventory_add_problem (inventory, MS_MAIL_PROGRAM_EVOLUTION, folder->dir, 0,
                                            _("The folder has more than %u sources; the rest were not read"),
                                            SOURCES_MAX);
          break;
        }
      reader = ms_key_file_reader_open (MS_MAIL_PROGRAM_EVOLUTION, path, SOURCE_MAX_SIZE, inventory);
      if (reader != NULL)
        g_hash_table_insert (folder->sources,
                             g_strndup (name, strlen (name) - strlen (".source")), reader);
    }

  return TRUE;
}

/* Camel's own defaults for a port of 0: the service's well-known port. */
static guint16
camel_default_port (MsProtocol protocol,
                    MsSecurity security)
{
  if (protocol == MS_PROTOCOL_SMTP)
    return security == MS_SECURITY_TLS ? 465 : 25;

  return ms_protocol_default_port (protocol, security);
}

static gboolean
read_security (MsKeyFileReader *reader,
               MsSecurity      *security)
{
  g_autofree char *method = NULL;

  /* NONE: Camel's default for a source without [Security]. */
  if (ms_key_file_reader_security (reader, "Security", "Method", MS_EXPORT_SECURITY_EVOLUTION,
                                   MS_SECURITY_NONE, security, &method))
    return TRUE;
  if (method != NULL)
    ms_key_file_reader_problem (reader, "Security", "Method",
                                _("The connection security “%s” is not one Evolution knows; the account was skipped"),
                                method);
  return FALSE;
}

static MsAuthMethod
auth_method (const char *method,
             const char *user)
{
  if (method == NULL || *method == '\0')
    return user != NULL ? MS_AUTH_PASSWORD_CLEARTEXT : MS_AUTH_NONE;
  if (g_ascii_strcasecmp (method, "CRAM-MD5") == 0 || g_ascii_strcasecmp (method, "DIGEST-MD5") == 0)
    return MS_AUTH_PASSWORD_ENCRYPTED;
  if (g_ascii_strcasecmp (method, "GSSAPI") == 0)
    return MS_AUTH_GSSAPI;
  if (g_ascii_strcasecmp (method, "NTLM") == 0)
    return MS_AUTH_NTLM;
  if (g_ascii_strcasecmp (method, "XOAUTH2") == 0 || g_ascii_strcasecmp (method, "OAUTH2") == 0 ||
      g_ascii_strcasecmp (method, "Google") == 0 || g_ascii_strcasecmp (method, "Outlook") == 0)
    return MS_AUTH_OAUTH2;

  return MS_AUTH_PASSWORD_CLEARTEXT;
}

/* The server of a mail account or transport source. */
static MsServer *
read_server (MsKeyFileReader *reader,
             MsProtocol       protocol)
{
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *method = NULL;
  g_autoptr(MsServer) server = NULL;
  MsSecurity security;
  guint16 port = 0;

  if (!ms_key_file_reader_hostname (reader, "Authentication", "Host", &host) ||
      !ms_key_file_reader_port (reader, "Authentication", "Port", &port) ||
      !ms_key_file_reader_username (reader, "Authentication", "User", &user) ||
      !ms_key_file_reader_string (reader, "Authentication", "Method", &method) ||
      !read_security (reader, &security))
    return NULL;
  if (host == NULL)
    {
      ms_key_file_reader_problem (reader, NULL, NULL, _("The source names no server; the account was skipped"));
      return NULL;
    }

  server = ms_server_new (protocol, host, port != 0 ? port : camel_default_port (protocol, security), security);
  /* The literal username, not a provider file's placeholder. */
  g_clear_pointer (&server->username, g_free);
  server->username = g_steal_pointer (&user);
  server->auth = auth_method (method, server->username);

  return g_steal_pointer (&server);
}

static MsPasswordLocation *
keyring_location (const char *uid)
{
  MsPasswordLocation *location = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);

  location->secret_schema = g_strdup (EVOLUTION_SCHEMA);
  ms_password_location_add_attribute (location, "e-source-uid", uid);

  return location;
}

/* A source another source names, by UID: NULL when the UID is empty,
 * hostile or has no file (a problem then). */
static MsKeyFileReader *
linked_source (Folder          *folder,
               MsKeyFileReader *from,
               const char      *group,
               const char      *key)
{
  g_autofree char *uid = NULL;
  MsKeyFileReader *linked;

  if (!ms_key_file_reader_string (from, group, key, &uid) || uid == NULL)
    return NULL;

  linked = g_hash_table_lookup (folder->sources, uid);
  if (linked == NULL)
    ms_key_file_reader_problem (from, group, key, _("The source “%s” it names is not in %s"),
                                uid, folder->dir);

  return linked;
}

static gboolean
read_transport (Folder            *folder,
                MsKeyFileReader   *identity,
                MsExistingAccount *account)
{
  MsKeyFileReader *transport = linked_source (folder, identity, "Mail Submission", "TransportUid");
  g_autofree char *backend = NULL;
  g_autofree char *path_uid = NULL;

  if (transport == NULL)
    return TRUE;
  if (!ms_key_file_reader_string (transport, "Mail Transport", "BackendName", &backend))
    return FALSE;
  /* sendmail, or none: no server to repair. */
  if (g_strcmp0 (backend, "smtp") != 0)
    return TRUE;

  account->outgoing = read_server (transport, MS_PROTOCOL_SMTP);
  if (account->outgoing == NULL)
    return FALSE;

  account->outgoing_location = g_strdup (ms_key_file_reader_get_path (transport));
  path_uid = g_path_get_basename (account->outgoing_location);
  path_uid[strlen (path_uid) - strlen (".source")] = '\0';
  account->outgoing_key = g_steal_pointer (&path_uid);
  account->outgoing_password = keyring_location (account->outgoing_key);

  return TRUE;
}

static gboolean
read_identity (Folder            *folder,
               MsKeyFileReader   *source,
               MsExistingAccount *account)
{
  MsKeyFileReader *identity = linked_source (folder, source, "Mail Account", "IdentityUid");

  if (identity == NULL)
    return TRUE;

  return ms_key_file_reader_address (identity, "Mail Identity", "Address", &account->address) &&
         ms_key_file_reader_display_name (identity, "Mail Identity", "Name", &account->display_name) &&
         read_transport (folder, identity, account);
}

/* Whether the source belongs to a collection (GOA, Exchange…), whose
 * servers are set where the collection is. */
static gboolean
in_collection (Folder          *folder,
               MsKeyFileReader *source)
{
  g_autofree char *parent_uid = NULL;
  MsKeyFileReader *parent;

  if (!ms_key_file_reader_string (source, "Data Source", "Parent", &parent_uid) || parent_uid == NULL)
    return FALSE;
  parent = g_hash_table_lookup (folder->sources, parent_uid);

  return parent != NULL && g_key_file_has_group (ms_key_file_reader_get_key_file (parent), "Collection");
}

static void
read_account (Folder          *folder,
              const char      *uid,
              MsKeyFileReader *source)
{
  g_autoptr(MsExistingAccount) account = NULL;
  g_autofree char *backend = NULL;
  MsProtocol protocol;

  if (!g_key_file_has_group (ms_key_file_reader_get_key_file (source), "Mail Account") ||
      !ms_key_file_reader_string (source, "Mail Account", "BackendName", &backend))
    return;
  if (g_strcmp0 (backend, "imapx") == 0 || g_strcmp0 (backend, "imap") == 0)
    protocol = MS_PROTOCOL_IMAP;
  else if (g_strcmp0 (backend, "pop") == 0)
    protocol = MS_PROTOCOL_POP3;
  else
    return;  /* local folders, mbox, Exchange: no IMAP or POP server */
  if (in_collection (folder, source))
    return;

  account = ms_existing_account_new (MS_MAIL_PROGRAM_EVOLUTION, uid, ms_key_file_reader_get_path (source));
  account->incoming = read_server (source, protocol);
  if (account->incoming == NULL || !read_identity (folder, source, account))
    return;
  account->incoming_password = keyring_location (uid);

  ms_account_inventory_add_account (folder->inventory, account);
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  g_auto(Folder) folder = { 0 };
  g_autoptr(GList) uids = NULL;

  if (!folder_open (&folder, places, inventory, cancellable))
    return;

  /* In UID order, so the list is the same every time. */
  uids = g_list_sort (g_hash_table_get_keys (folder.sources), (GCompareFunc) strcmp);
  for (GList *l = uids; l != NULL; l = l->next)
    read_account (&folder, l->data, g_hash_table_lookup (folder.sources, l->data));
}

static gboolean
is_running (MsExistingAccount  *account,
            char              **why)
{
  return ms_running_program_check ("evolution", account->location,
                                   _("Evolution is open: close it and try again, or it would keep its old settings"),
                                   why);
}

static GStrv
files (MsExistingAccount *account)
{
  return ms_program_files_paths (account->location, account->outgoing_location);
}

static gboolean
check_server (const MsServer  *server,
              GError         **error)
{
  return ms_export_syntax_check_hostname (server->hostname, _("the server name"), "Evolution", error) &&
         (server->username == NULL ||
          ms_export_syntax_check_text (server->username, _("the username"), "Evolution", error));
}

static void
write_server (MsKeyFileEdit  *edit,
              const MsServer *server,
              gboolean        outgoing)
{
  g_autofree char *port = g_strdup_printf ("%u", server->port);

  ms_key_file_edit_set_string (edit, "Authentication", "Host", server->hostname);
  ms_key_file_edit_set_value (edit, "Authentication", "Port", port);
  ms_key_file_edit_set_string (edit, "Authentication", "User", server->username != NULL ? server->username : "");
  /* Camel's SMTP logs in only when a method is set; IMAP and POP always do. */
  if (outgoing)
    ms_key_file_edit_set_value (edit, "Authentication", "Method", server->username != NULL ? "PLAIN" : "");
  ms_key_file_edit_set_value (edit, "Security", "Method",
                              ms_export_security_word (MS_EXPORT_SECURITY_EVOLUTION, server->security));
}

static char *
update (MsExistingAccount  *account,
        MsAccountSettings  *target,
        const char         *path,
        const char         *contents,
        gsize               length,
        GError            **error)
{
  gboolean outgoing = g_strcmp0 (path, account->outgoing_location) == 0;
  const char *group = outgoing ? "Mail Transport" : "Mail Account";
  const MsServer *server = outgoing ? target->outgoing : target->incoming;
  g_autoptr(MsKeyFileEdit) edit = ms_key_file_edit_new (contents, length);

  if (edit == NULL || !ms_key_file_edit_has_group (edit, group) ||
      (!outgoing && g_strcmp0 (path, account->location) != 0))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("%s no longer holds the Evolution account"), path);
      return NULL;
    }
  if (server == NULL || !check_server (server, error))
    return NULL;

  write_server (edit, server, outgoing);
  if (!outgoing)
    ms_key_file_edit_set_value (edit, "Mail Account", "BackendName",
                                server->protocol == MS_PROTOCOL_POP3 ? "pop" : "imapx");

  return ms_key_file_edit_to_data (edit, NULL);
}

const MsMailProgramBackend ms_program_evolution = {
  .program = MS_MAIL_PROGRAM_EVOLUTION,
  .read = read_accounts,
  .is_running = is_running,
  .files = files,
  .update = update,
};
