/* ms-program-files.c: what the terminal mail programs' backends share: reading a file, a password command, a server, a mail URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>

#include "ms-config-lexer.h"
#include "ms-export-syntax.h"
#include "ms-exporter.h"
#include "ms-program-files.h"
#include "ms-safe-file.h"
#include "ms-validate.h"

/**
 * ms_program_files_read:
 *
 * Reads @path as the hostile file it may be (regular, capped; a symbolic
 * link is followed, as dotfile managers make them). A file that is not
 * there is no problem: most people have no msmtp. Anything else is a
 * problem in @inventory.
 *
 * Returns: %TRUE with the contents, NUL-terminated
 */
gboolean
ms_program_files_read (MsMailProgram        program,
                       const char          *path,
                       MsAccountInventory  *inventory,
                       char               **contents,
                       gsize               *length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  struct stat st;

  if (!ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                          contents, length, &st, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
          !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        ms_account_inventory_add_problem (inventory, program, path, 0,
                                          _("The file could not be read: %s"), error->message);
      return FALSE;
    }

  if (!ms_config_lexer_check (*contents, *length, &why))
    {
      ms_account_inventory_add_problem (inventory, program, path, 0, "%s", why);
      g_clear_pointer (contents, g_free);
      return FALSE;
    }

  return TRUE;
}

/**
 * ms_program_files_add_account:
 * @inventory: where the account goes
 * @program: the program it is from
 * @path: the file it is in
 * @line: its line in @path, or 0
 * @account: (nullable): the account read, if any
 * @error: (nullable): why there is none, if it was skipped
 *
 * What a backend does with one account it tried to read: add it, or say
 * why it was skipped. Neither: nothing to repair there (a maildir-only
 * account), so nothing to say.
 */
void
ms_program_files_add_account (MsAccountInventory *inventory,
                              MsMailProgram       program,
                              const char         *path,
                              guint               line,
                              MsExistingAccount  *account,
                              const GError       *error)
{
  if (account != NULL)
    ms_account_inventory_add_account (inventory, account);
  else if (error != NULL)
    ms_account_inventory_add_problem (inventory, program, path, line,
                                      _("The account was skipped: %s"), error->message);
}

/**
 * ms_program_files_check_imap_smtp:
 * @target: the servers a repair would write
 * @refusal: the sentence when they are not IMAP and SMTP (translated)
 * @format: the file's name, for the hostname errors
 * @error: return location for a #GError
 *
 * For the programs that keep an IMAP and an SMTP server in one account
 * (Geary, GNOME Online Accounts): the target has both, with host names
 * their files can hold.
 *
 * Returns: %TRUE when the target can be written
 */
gboolean
ms_program_files_check_imap_smtp (MsAccountSettings  *target,
                                  const char         *refusal,
                                  const char         *format,
                                  GError            **error)
{
  if (target->incoming->protocol != MS_PROTOCOL_IMAP || target->outgoing == NULL)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE, refusal);
      return FALSE;
    }

  return ms_export_syntax_check_hostname (target->incoming->hostname, _("the server name"), format, error) &&
         ms_export_syntax_check_hostname (target->outgoing->hostname, _("the server name"), format, error);
}

/**
 * ms_program_files_paths:
 * @location: the account's main file
 * @outgoing_location: (nullable): a second file the account is in
 *
 * What a backend's files () returns for an account kept in one file, or
 * in two (Evolution's mail and transport sources).
 *
 * Returns: (transfer full): @location, then @outgoing_location if any
 */
GStrv
ms_program_files_paths (const char *location,
                        const char *outgoing_location)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, location);
  if (outgoing_location != NULL)
    g_strv_builder_add (builder, outgoing_location);

  return g_strv_builder_end (builder);
}

/**
 * ms_program_files_password_from_command:
 *
 * A "secret-tool lookup" of plain words becomes the keyring item it
 * finds; any other command is only named, never run.
 *
 * Returns: (transfer full): where the password is
 */
MsPasswordLocation *
ms_program_files_password_from_command (const char *command)
{
  g_autofree char *schema = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  MsPasswordLocation *location;
  GHashTableIter iter;
  gpointer name, value;

  if (!ms_config_secret_tool_parse (command, &schema, &attributes))
    return ms_password_location_new (MS_PASSWORD_SOURCE_COMMAND);

  location = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);
  location->secret_schema = g_steal_pointer (&schema);
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &name, &value))
    ms_password_location_add_attribute (location, name, value);

  return location;
}

/**
 * ms_program_files_take_auth:
 * @server: (nullable): a server read from a program's file
 * @mechanisms: (nullable): the program's list of login mechanisms (msmtp's
 *   `auth`, mbsync's `AuthMechs`, neomutt's `*_authenticators`, aerc's
 *   scheme suffixes), separated by blanks, colons, commas or `+`
 *
 * A list that names an OAuth 2.0 mechanism (OAUTHBEARER, XOAUTH2) makes
 * @server's auth OAuth2: the program signs in with a token there, and the
 * doctor and the repair must not take it for a password login.
 */
void
ms_program_files_take_auth (MsServer   *server,
                            const char *mechanisms)
{
  g_auto(GStrv) names = NULL;

  if (server == NULL || mechanisms == NULL)
    return;

  names = g_strsplit_set (mechanisms, " \t:,+", -1);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], "oauthbearer") == 0 || g_ascii_strcasecmp (names[i], "xoauth2") == 0)
      server->auth = MS_AUTH_OAUTH2;
}

/**
 * ms_program_files_server:
 * @port: (nullable): the port as the file has it; %NULL: @default_port
 * @username: (nullable): the literal user name; %NULL: no login
 *
 * Returns: (transfer full) (nullable): the server, every value validated
 */
MsServer *
ms_program_files_server (MsProtocol   protocol,
                         const char  *hostname,
                         const char  *port,
                         guint16      default_port,
                         MsSecurity   security,
                         const char  *username,
                         GError     **error)
{
  g_autoptr(MsServer) server = NULL;
  guint64 number = default_port;

  if (hostname == NULL)
    {
      g_set_error_literal (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_EMPTY,
                           _("The account names no server."));
      return NULL;
    }
  if (!ms_validate_hostname (hostname, MS_VALIDATE_FLAGS_NONE, _("The server name"), error))
    return NULL;
  if (port != NULL &&
      (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &number, NULL) ||
       !ms_validate_port ((gint64) number, _("The port"), error)))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID,
                     _("The port is not a number from 1 to 65535."));
      return NULL;
    }
  if (username != NULL &&
      !ms_validate_username (username, MS_VALIDATE_FLAGS_NONE, _("The user name"), error))
    return NULL;

  server = ms_server_new (protocol, hostname, (guint16) number, security);
  ms_server_set_username (server, username);
  server->auth = username != NULL ? MS_AUTH_PASSWORD_CLEARTEXT : MS_AUTH_NONE;

  return g_steal_pointer (&server);
}

/**
 * ms_program_files_address:
 * @address: (out): the address, validated
 * @display_name: (out) (nullable): the name, validated, if @value has one
 *
 * Reads "Name <address>", "\"Name\" <address>" or a bare address.
 */
gboolean
ms_program_files_address (const char  *value,
                          const char  *source,
                          char       **address,
                          char       **display_name,
                          GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *addr = NULL;
  const char *open = strrchr (value, '<');

  if (open != NULL && g_str_has_suffix (value, ">"))
    {
      addr = g_strndup (open + 1, strlen (open + 1) - 1);
      name = g_strstrip (g_strndup (value, open - value));
      if (strlen (name) >= 2 && name[0] == '"' && name[strlen (name) - 1] == '"')
        {
          g_autofree char *quoted = g_strndup (name + 1, strlen (name) - 2);

          g_free (name);
          name = g_strcompress (quoted);
        }
      if (*name == '\0')
        g_clear_pointer (&name, g_free);
    }
  else
    addr = g_strstrip (g_strdup (value));

  if (!ms_validate_address (addr, source, error) ||
      (name != NULL && !ms_validate_display_name (name, source, error)))
    return FALSE;

  *address = g_steal_pointer (&addr);
  *display_name = g_steal_pointer (&name);
  return TRUE;
}

/**
 * ms_mail_url_parse:
 *
 * Splits "scheme://user:password@host:port/rest" by hand rather than with
 * GUri: the password part must come back byte for byte when a repair
 * rewrites the URL, and aerc's schemes carry "+" modifiers.
 *
 * Returns: %FALSE when @text is no such URL (a path, a command)
 */
gboolean
ms_mail_url_parse (const char *text,
                   MsMailUrl  *url)
{
  const char *sep;
  const char *authority, *slash, *at, *colon;
  g_autofree char *host_port = NULL;

  memset (url, 0, sizeof *url);
  if (text == NULL)
    return FALSE;
  sep = strstr (text, "://");
  if (sep == NULL || sep == text)
    return FALSE;
  for (const char *p = text; p < sep; p++)
    if (!g_ascii_isalnum (*p) && *p != '+')
      return FALSE;

  url->scheme = g_ascii_strdown (text, sep - text);
  authority = sep + 3;
  slash = strpbrk (authority, "/?");
  if (slash == NULL)
    slash = authority + strlen (authority);
  url->rest = g_strdup (slash);
  at = g_strrstr_len (authority, slash - authority, "@");
  if (at != NULL)
    {
      const char *pass = memchr (authority, ':', at - authority);
      g_autofree char *raw = g_strndup (authority, (pass != NULL ? pass : at) - authority);

      url->user = g_uri_unescape_string (raw, NULL);
      if (pass != NULL)
        url->password = g_strndup (pass, at - pass);
      authority = at + 1;
    }
  host_port = g_strndup (authority, slash - authority);
  colon = strrchr (host_port, ':');
  url->host = colon != NULL ? g_strndup (host_port, colon - host_port) : g_strdup (host_port);
  if (colon != NULL)
    url->port = g_strdup (colon + 1);

  /* A user name that does not decode (a stray "%") is no user name. */
  if (at != NULL && url->user == NULL)
    {
      ms_mail_url_clear (url);
      return FALSE;
    }

  return TRUE;
}

void
ms_mail_url_clear (MsMailUrl *url)
{
  g_clear_pointer (&url->scheme, g_free);
  g_clear_pointer (&url->user, g_free);
  g_clear_pointer (&url->password, g_free);
  g_clear_pointer (&url->host, g_free);
  g_clear_pointer (&url->port, g_free);
  g_clear_pointer (&url->rest, g_free);
}

/**
 * ms_mail_url_build:
 * @url: the URL as it was: its password part and rest are kept
 * @scheme: the new scheme
 * @server: the new host, port and user name
 *
 * Returns: (transfer full) (nullable): the URL with @server in it
 */
char *
ms_mail_url_build (const MsMailUrl *url,
                   const char      *scheme,
                   const MsServer  *server,
                   const char      *format,
                   GError         **error)
{
  g_autofree char *user = NULL;

  if (!ms_export_syntax_check_hostname (server->hostname, _("the server name"), format, error))
    return NULL;
  if (server->username != NULL &&
      (user = ms_export_syntax_uri_userinfo (server->username, _("the user name"), format, error)) == NULL)
    return NULL;

  return g_strdup_printf ("%s://%s%s%s%s:%u%s", scheme,
                          user != NULL ? user : "",
                          user != NULL && url->password != NULL ? url->password : "",
                          user != NULL ? "@" : "",
                          server->hostname, server->port, url->rest);
}
