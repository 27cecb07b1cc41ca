/* ms-program-goa.c: GNOME Online Accounts' accounts: read, and repaired in place
 *
 * $XDG_CONFIG_HOME/goa-1.0/accounts.conf has one [Account account_…]
 * group per account. Only the imap_smtp provider keeps its servers there
 * (ImapHost, possibly "host:port", ImapUseSsl, ImapUseTls, SmtpHost…,
 * goaimapsmtpprovider.c); Google, Microsoft and the rest get theirs from
 * GOA itself, so they are listed but not repaired. The passwords are
 * goa-daemon's (PasswordBased.GetPassword).
 *
 * goa-daemon watches the file and reloads it, but keeps the Mail
 * interface of an account it already has (build_object only makes one
 * when there is none, GOA 3.46): the repaired servers would show only
 * after the next login. So reload starts a new goa-daemon that replaces
 * the running one (--replace), which reads the file afresh; Evolution's
 * registry takes the restart as such and keeps its accounts
 * (e-goa-client.c's orphans).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter.h"
#include "ms-key-file-edit.h"
#include "ms-key-file-reader.h"
#include "ms-mail-program-private.h"
#include "ms-program-files.h"
#include "ms-safe-file.h"
#include "ms-validate.h"

#define GOA_BUS_NAME   "org.gnome.OnlineAccounts"
#define GROUP_PREFIX   "Account "
#define IMAP_SMTP      "imap_smtp"

/* GOA's "host" or "host:port" (g_network_address_parse), with GOA's
 * default port. */
static gboolean
read_host (MsKeyFileReader  *reader,
           const char       *group,
           const char       *key,
           char            **host,
           guint16          *port)
{
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_strdup_printf ("[%s] %s", group, key);
  const char *colon;

  if (!ms_key_file_reader_string (reader, group, key, &value))
    return FALSE;
  if (value == NULL)
    return TRUE;

  colon = strrchr (value, ':');
  if (colon != NULL && strchr (value, ':') == colon)
    {
      guint64 number;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &number, NULL))
        {
          ms_key_file_reader_problem (reader, group, key, _("%s: the port after “:” is not a port"), source);
          return FALSE;
        }
      *port = number;
      value[colon - value] = '\0';
    }
  if (!ms_validate_hostname (value, MS_VALIDATE_FLAGS_NONE, source, &error))
    {
      ms_key_file_reader_problem (reader, group, key, "%s", error->message);
      return FALSE;
    }

  *host = g_steal_pointer (&value);
  return TRUE;
}

static MsSecurity
security_of (gboolean use_ssl,
             gboolean use_tls)
{
  /* GOA's own order (get_tls_type_from_object). */
  return use_ssl ? MS_SECURITY_TLS : use_tls ? MS_SECURITY_STARTTLS : MS_SECURITY_NONE;
}

static MsPasswordLocation *
goa_location (const char *id,
              const char *key)
{
  MsPasswordLocation *location = ms_password_location_new (MS_PASSWORD_SOURCE_GOA);

  ms_password_location_add_attribute (location, "goa-account", id);
  ms_password_location_add_attribute (location, "goa-key", key);

  return location;
}

/* "Imap" or "Smtp": one server of an imap_smtp account. */
static MsServer *
read_server (MsKeyFileReader *reader,
             const char      *group,
             const char      *prefix,
             MsProtocol       protocol)
{
  g_autofree char *host_key = g_strconcat (prefix, "Host", NULL);
  g_autofree char *user_key = g_strconcat (prefix, "UserName", NULL);
  g_autofree char *ssl_key = g_strconcat (prefix, "UseSsl", NULL);
  g_autofree char *tls_key = g_strconcat (prefix, "UseTls", NULL);
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  gboolean use_ssl = FALSE, use_tls = FALSE, use_auth = TRUE;
  guint16 port = 0;
  MsServer *server;

  if (!read_host (reader, group, host_key, &host, &port) ||
      !ms_key_file_reader_username (reader, group, user_key, &user) ||
      !ms_key_file_reader_boolean (reader, group, ssl_key, &use_ssl) ||
      !ms_key_file_reader_boolean (reader, group, tls_key, &use_tls) ||
      (protocol == MS_PROTOCOL_SMTP && !ms_key_file_reader_boolean (reader, group, "SmtpUseAuth", &use_auth)))
    return NULL;
  if (host == NULL)
    {
      ms_key_file_reader_problem (reader, group, NULL, _("[%s] has no %s; the account was skipped"), group, host_key);
      return NULL;
    }

  server = ms_server_new (protocol, host, 0, security_of (use_ssl, use_tls));
  /* The literal username, not a provider file's placeholder. */
  g_clear_pointer (&server->username, g_free);
  server->port = port != 0 ? port : ms_protocol_default_port (protocol, server->security);
  if (!use_auth)
    server->auth = MS_AUTH_NONE;
  else
    /* GOA logs in as the local user when the file names nobody. */
    server->username = user != NULL ? g_steal_pointer (&user) : g_strdup (g_get_user_name ());

  return server;
}

static gboolean
read_imap_smtp (MsKeyFileReader   *reader,
                const char        *group,
                MsExistingAccount *account)
{
  account->incoming = read_server (reader, group, "Imap", MS_PROTOCOL_IMAP);
  if (account->incoming == NULL)
    return FALSE;
  account->outgoing = read_server (reader, group, "Smtp", MS_PROTOCOL_SMTP);
  if (account->outgoing == NULL)
    return FALSE;

  account->incoming_password = goa_location (account->key, "imap-password");
  if (account->outgoing->username != NULL)
    account->outgoing_password = goa_location (account->key, "smtp-password");

  return TRUE;
}

static void
read_account (MsKeyFileReader    *reader,
              const char         *group,
              MsAccountInventory *inventory)
{
  const char *id = group + strlen (GROUP_PREFIX);
  g_autoptr(MsExistingAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = NULL;

  if (!ms_validate_id (id, group, &error))
    {
      ms_key_file_reader_problem (reader, NULL, NULL, "%s", error->message);
      return;
    }
  if (!ms_key_file_reader_string (reader, group, "Provider", &provider))
    return;

  account = ms_existing_account_new (MS_MAIL_PROGRAM_GOA, id, ms_key_file_reader_get_path (reader));
  if (g_strcmp0 (provider, IMAP_SMTP) == 0)
    {
      if (!ms_key_file_reader_address (reader, group, "EmailAddress", &account->address) ||
          !ms_key_file_reader_display_name (reader, group, "Name", &account->display_name) ||
          !read_imap_smtp (reader, group, account))
        return;
    }
  else
    {
      g_autofree char *identity = NULL;

      /* Google's, Microsoft's: only who it is; the servers are GOA's. */
      if (!ms_key_file_reader_string (reader, group, "PresentationIdentity", &identity))
        return;
      if (identity != NULL && ms_validate_address (identity, group, NULL))
        account->address = g_steal_pointer (&identity);
    }

  ms_account_inventory_add_account (inventory, account);
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  g_autofree char *path = g_build_filename (places->config_dir, "goa-1.0", "accounts.conf", NULL);
  g_autoptr(MsKeyFileReader) reader = NULL;
  g_auto(GStrv) groups = NULL;

  reader = ms_key_file_reader_open_existing (MS_MAIL_PROGRAM_GOA, path, MS_SAFE_FILE_CONFIG_MAX_SIZE, inventory);
  if (reader == NULL)
    return;

  groups = g_key_file_get_groups (ms_key_file_reader_get_key_file (reader), NULL);
  for (guint i = 0; groups[i] != NULL && !g_cancellable_is_cancelled (cancellable); i++)
    if (g_str_has_prefix (groups[i], GROUP_PREFIX))
      read_account (reader, groups[i], inventory);
}

static GStrv
files (MsExistingAccount *account)
{
  return ms_program_files_paths (account->location, NULL);
}

static char *
host_port (const MsServer *server)
{
  if (server->port == ms_protocol_default_port (server->protocol, server->security))
    return g_strdup (server->hostname);

  return g_strdup_printf ("%s:%u", server->hostname, server->port);
}

static void
write_server (MsKeyFileEdit  *edit,
              const char     *group,
              const char     *prefix,
              const MsServer *server)
{
  g_autofree char *host_key = g_strconcat (prefix, "Host", NULL);
  g_autofree char *user_key = g_strconcat (prefix, "UserName", NULL);
  g_autofree char *ssl_key = g_strconcat (prefix, "UseSsl", NULL);
  g_autofree char *tls_key = g_strconcat (prefix, "UseTls", NULL);
  g_autofree char *host = host_port (server);

  ms_key_file_edit_set_string (edit, group, host_key, host);
  ms_key_file_edit_set_string (edit, group, user_key, server->username != NULL ? server->username : "");
  ms_key_file_edit_set_value (edit, group, ssl_key,
                              ms_export_security_word (MS_EXPORT_SECURITY_GOA_USE_SSL, server->security));
  ms_key_file_edit_set_value (edit, group, tls_key,
                              ms_export_security_word (MS_EXPORT_SECURITY_GOA_USE_TLS, server->security));
  if (server->protocol == MS_PROTOCOL_SMTP)
    ms_key_file_edit_set_value (edit, group, "SmtpUseAuth", server->username != NULL ? "true" : "false");
}

static gboolean
check_updatable (const char         *contents,
                 gsize               length,
                 const char         *group,
                 MsAccountSettings  *target,
                 GError            **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *provider = NULL;

  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, NULL) ||
      !g_key_file_has_group (key_file, group))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("accounts.conf no longer holds the account %s"), group + strlen (GROUP_PREFIX));
      return FALSE;
    }
  provider = g_key_file_get_string (key_file, group, "Provider", NULL);
  if (g_strcmp0 (provider, IMAP_SMTP) != 0)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("GNOME Online Accounts sets the servers of this account itself; only an “IMAP and SMTP” account can be changed"));
      return FALSE;
    }
  return ms_program_files_check_imap_smtp (target,
                                           _("GNOME Online Accounts reads mail over IMAP only and needs an outgoing server"),
                                           "accounts.conf", error);
}

static char *
update (MsExistingAccount  *account,
        MsAccountSettings  *target,
        const char         *path,
        const char         *contents,
        gsize               length,
        GError            **error)
{
  g_autofree char *group = g_strconcat (GROUP_PREFIX, account->key, NULL);
  g_autoptr(MsKeyFileEdit) edit = ms_key_file_edit_new (contents, length);

  if (edit == NULL || g_strcmp0 (path, account->location) != 0)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("%s no longer holds the account %s"), path, account->key);
      return NULL;
    }
  if (!check_updatable (contents, length, group, target, error))
    return NULL;

  write_server (edit, group, "Imap", target->incoming);
  write_server (edit, group, "Smtp", target->outgoing);

  return ms_key_file_edit_to_data (edit, NULL);
}

static char *
name_owner (GDBusConnection  *bus,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  char *owner = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", GOA_BUS_NAME), G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, cancellable, &local_error);
  if (reply != NULL)
    g_variant_get (reply, "(s)", &owner);
  else if (!g_dbus_error_is_remote_error (local_error))
    g_propagate_error (error, g_steal_pointer (&local_error));

  return owner;
}

static void
owner_changed_cb (GDBusConnection *bus,
                  const char      *sender,
                  const char      *path,
                  const char      *interface,
                  const char      *signal,
                  GVariant        *parameters,
                  gpointer         user_data)
{
  char **new_owner = user_data;
  const char *name, *old, *now;

  g_variant_get (parameters, "(&s&s&s)", &name, &old, &now);
  if (*now != '\0')
    {
      g_free (*new_owner);
      *new_owner = g_strdup (now);
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits, on a context of its own (reload may run in a worker thread), until
 * a goa-daemon other than @old owns the name. */
static gboolean
wait_for_new_owner (GDBusConnection  *bus,
                    const char       *old,
                    GSubprocess      *daemon,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (10);
  g_autofree char *new_owner = NULL;
  gboolean timed_out = FALSE;
  guint subscription;

  g_main_context_push_thread_default (context);
  subscription = g_dbus_connection_signal_subscribe (bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                                     "NameOwnerChanged", "/org/freedesktop/DBus", GOA_BUS_NAME,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed_cb, &new_owner, NULL);
  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  /* It may have taken the name before we listened. */
  new_owner = name_owner (bus, cancellable, NULL);
  while ((new_owner == NULL || g_strcmp0 (new_owner, old) == 0) && !timed_out &&
         !g_cancellable_is_cancelled (cancellable) && g_subprocess_get_identifier (daemon) != NULL)
    g_main_context_iteration (context, TRUE);
  g_dbus_connection_signal_unsubscribe (bus, subscription);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (new_owner != NULL && g_strcmp0 (new_owner, old) != 0)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("GNOME Online Accounts did not restart; the change shows after the next login"));
  return FALSE;
}

static gboolean
reload (MsExistingAccount  *account,
        GCancellable       *cancellable,
        GError            **error)
{
  static const char * const daemons[] = {
    "/usr/libexec/goa-daemon", "/usr/lib/gnome-online-accounts/goa-daemon",
  };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, error);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autofree char *old = NULL;
  g_autoptr(GError) local_error = NULL;

  if (bus == NULL)
    return FALSE;
  old = name_owner (bus, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Not running: it reads the file when it starts. */
  if (old == NULL)
    return TRUE;

  /* A daemon: not our terminal, not our folder. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
  g_subprocess_launcher_set_cwd (launcher, "/");
  for (guint i = 0; i < G_N_ELEMENTS (daemons) && daemon == NULL; i++)
    if (g_file_test (daemons[i], G_FILE_TEST_IS_EXECUTABLE))
      daemon = g_subprocess_launcher_spawn (launcher, error, daemons[i], "--replace", NULL);
  if (daemon == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("goa-daemon was not found; the change shows after the next login"));
      return FALSE;
    }

  return wait_for_new_owner (bus, old, daemon, cancellable, error);
}

const MsMailProgramBackend ms_program_goa = {
  .program = MS_MAIL_PROGRAM_GOA,
  .read = read_accounts,
  .files = files,
  .update = update,
  .reload = reload,
};
