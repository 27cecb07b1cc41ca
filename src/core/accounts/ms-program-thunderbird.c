/* ms-program-thunderbird.c: Thunderbird's accounts: read, and repaired in place
 *
 * Every profile that profiles.ini names (~/.thunderbird, and the Flatpak's
 * ~/.var/app/org.mozilla.Thunderbird/.thunderbird) has its accounts in
 * prefs.js: mail.accountmanager.accounts lists them, each account names
 * its server and identities, each identity its SMTP server (or the
 * default one). user.js is applied over prefs.js at every start, so a pref
 * there wins: the reader looks there first, and a repair changes a pref
 * in user.js too where user.js sets it. Thunderbird keeps passwords in its
 * own encrypted store: the person types theirs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <string.h>

#include "ms-exporter.h"
#include "ms-export-security.h"
#include "ms-mail-program-private.h"
#include "ms-prefs-js.h"
#include "ms-safe-file.h"
#include "ms-thunderbird-profile.h"
#include "ms-validate.h"

#define SOURCE "Thunderbird prefs.js"

static const char *const profile_roots[] = {
  ".thunderbird",
  ".var/app/org.mozilla.Thunderbird/.thunderbird",
};

/* One profile's prefs as Thunderbird sees them: user.js over prefs.js. */
typedef struct
{
  MsAccountInventory *inventory;
  const char         *path;      /* prefs.js */
  const char         *user_path;
  const char         *profile;
  MsPrefsJs          *prefs;
  MsPrefsJs          *user;      /* nullable */
} Profile;

static const MsPref * G_GNUC_PRINTF (2, 3)
lookup (Profile    *profile,
        const char *format,
        ...)
{
  g_autofree char *name = NULL;
  const MsPref *pref = NULL;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);

  if (profile->user != NULL)
    pref = ms_prefs_js_lookup (profile->user, name);
  return pref != NULL ? pref : ms_prefs_js_lookup (profile->prefs, name);
}

static const char *
string_of (const MsPref *pref)
{
  return pref != NULL && pref->type == MS_PREF_STRING ? pref->string : NULL;
}

static void G_GNUC_PRINTF (3, 4)
problem (Profile      *profile,
         const MsPref *where,
         const char   *format,
         ...)
{
  g_autofree char *message = NULL;
  gboolean in_user;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* The line is in user.js when the pref came from there. */
  in_user = where != NULL && profile->user != NULL &&
            g_ptr_array_find (ms_prefs_js_get_prefs (profile->user), where, NULL);
  ms_account_inventory_add_problem (profile->inventory, MS_MAIL_PROGRAM_THUNDERBIRD,
                                    in_user ? profile->user_path : profile->path,
                                    where != NULL ? where->line : 0, "%s", message);
}

/* An int pref, @fallback when it is not set; FALSE (and a problem) when it
 * is set to something else than a number. */
static gboolean
int_pref (Profile      *profile,
          const MsPref *pref,
          gint64        fallback,
          gint64       *value)
{
  *value = fallback;
  if (pref == NULL)
    return TRUE;
  if (pref->type == MS_PREF_INT)
    {
      *value = pref->integer;
      return TRUE;
    }
  problem (profile, pref, _("The preference %s should be a number, so Mail Setup skipped its account."), pref->name);
  return FALSE;
}

/* @error is read after @valid was computed: a pointer to it, since C
 * evaluates arguments in no set order. */
static gboolean
check (Profile      *profile,
       const MsPref *where,
       gboolean      valid,
       GError      **error)
{
  if (!valid)
    problem (profile, where, "%s", *error != NULL ? (*error)->message : "");
  g_clear_error (error);
  return valid;
}

/* A server from the prefs under @branch ("mail.server.server2"); %NULL
 * with a problem when a value is missing or fails validation. */
static MsServer *
read_server (Profile    *profile,
             const char *branch,
             MsProtocol  protocol,
             const char *security_pref,
             const char *username_pref)
{
  const MsPref *host = lookup (profile, "%s.hostname", branch);
  const MsPref *user = lookup (profile, "%s.%s", branch, username_pref);
  GError *error = NULL;
  gint64 socket_type, port, auth;
  MsSecurity security;
  MsAuthMethod method;
  gboolean logs_in;
  g_autoptr(MsServer) server = NULL;

  if (string_of (host) == NULL)
    {
      problem (profile, host, _("The server %s has no host name, so Mail Setup skipped its account."), branch);
      return NULL;
    }
  if (!check (profile, host, ms_validate_hostname (host->string, MS_VALIDATE_FLAGS_NONE, SOURCE, &error), &error) ||
      !int_pref (profile, lookup (profile, "%s.%s", branch, security_pref), 0, &socket_type) ||
      !int_pref (profile, lookup (profile, "%s.authMethod", branch), 3, &auth))
    return NULL;
  if (!ms_thunderbird_security_parse (socket_type, &security))
    {
      problem (profile, lookup (profile, "%s.%s", branch, security_pref),
               _("The server %s has a security setting Thunderbird does not have, so Mail Setup skipped its account."), branch);
      return NULL;
    }
  if (!ms_thunderbird_auth_method_parse (auth, &method, &logs_in))
    {
      problem (profile, lookup (profile, "%s.authMethod", branch),
               _("The server %s logs in in a way Mail Setup does not know, so Mail Setup skipped its account."), branch);
      return NULL;
    }
  if (!int_pref (profile, lookup (profile, "%s.port", branch), 0, &port))
    return NULL;
  if (port == 0)
    port = ms_protocol_default_port (protocol, security);
  if (!check (profile, lookup (profile, "%s.port", branch), ms_validate_port (port, SOURCE, &error), &error))
    return NULL;

  server = ms_server_new (protocol, host->string, (guint16) port, security);
  server->auth = method;
  /* Literal: no "%EMAILADDRESS%" placeholder, and none without a login. */
  ms_server_set_username (server, NULL);
  if (logs_in && string_of (user) != NULL && *user->string != '\0')
    {
      if (!check (profile, user, ms_validate_username (user->string, MS_VALIDATE_FLAGS_NONE, SOURCE, &error), &error))
        return NULL;
      ms_server_set_username (server, user->string);
    }

  return g_steal_pointer (&server);
}

/* The first item of a comma-separated list pref, or %NULL. */
static char *
first_item (const MsPref *pref)
{
  g_auto(GStrv) items = NULL;

  if (string_of (pref) == NULL)
    return NULL;
  items = g_strsplit (pref->string, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    if (*g_strstrip (items[i]) != '\0')
      return g_strdup (items[i]);
  return NULL;
}

static gboolean
valid_key (const char *key)
{
  return key != NULL && ms_validate_id (key, SOURCE, NULL);
}

/* The identity's address and name, and its SMTP server, onto @account. */
static gboolean
read_identity (Profile           *profile,
               const MsPref      *where,
               const char        *identity,
               MsExistingAccount *account)
{
  const MsPref *email = lookup (profile, "mail.identity.%s.useremail", identity);
  const MsPref *name = lookup (profile, "mail.identity.%s.fullName", identity);
  const char *smtp = string_of (lookup (profile, "mail.identity.%s.smtpServer", identity));
  g_autofree char *branch = NULL;
  GError *error = NULL;

  if (string_of (email) == NULL)
    {
      problem (profile, where, _("The account %s has no email address, so Mail Setup skipped it."), account->key);
      return FALSE;
    }
  if (!check (profile, email, ms_validate_address (email->string, SOURCE, &error), &error))
    return FALSE;
  account->address = g_strdup (email->string);
  if (string_of (name) != NULL && *name->string != '\0')
    {
      if (!check (profile, name, ms_validate_display_name (name->string, SOURCE, &error), &error))
        return FALSE;
      account->display_name = g_strdup (name->string);
    }

  if (smtp == NULL || *smtp == '\0')
    smtp = string_of (lookup (profile, "mail.smtp.defaultserver"));
  if (smtp == NULL || *smtp == '\0')
    return TRUE;
  if (!valid_key (smtp))
    {
      problem (profile, where, _("The account %s names an outgoing server that is not one Thunderbird writes, so Mail Setup skipped it."), account->key);
      return FALSE;
    }
  branch = g_strconcat ("mail.smtpserver.", smtp, NULL);
  account->outgoing = read_server (profile, branch, MS_PROTOCOL_SMTP, "try_ssl", "username");
  if (account->outgoing == NULL)
    return FALSE;
  account->outgoing_key = g_strdup (smtp);
  account->outgoing_password = ms_password_location_new (MS_PASSWORD_SOURCE_NONE);
  return TRUE;
}

/* Local Folders ("none"), feeds and news are no mail accounts to repair. */
static void
read_account (Profile      *profile,
              const MsPref *list,
              const char   *key)
{
  const MsPref *server_pref = lookup (profile, "mail.account.%s.server", key);
  const char *server = string_of (server_pref);
  const char *type = NULL;
  g_autofree char *identity = first_item (lookup (profile, "mail.account.%s.identities", key));
  g_autofree char *branch = NULL;
  g_autoptr(MsExistingAccount) account = NULL;
  MsProtocol protocol;

  if (!valid_key (key) || (server != NULL && !valid_key (server)))
    {
      problem (profile, server_pref != NULL ? server_pref : list,
               _("An account in mail.accountmanager.accounts has a name Thunderbird does not write, so Mail Setup skipped it."));
      return;
    }
  if (server == NULL)
    {
      problem (profile, list, _("The account %s has no server, so Mail Setup skipped it."), key);
      return;
    }
  type = string_of (lookup (profile, "mail.server.%s.type", server));
  if (type != NULL && (g_str_equal (type, "none") || g_str_equal (type, "rss") || g_str_equal (type, "nntp")))
    return;
  if (type == NULL || !(g_str_equal (type, "imap") || g_str_equal (type, "pop3")))
    {
      problem (profile, server_pref, _("The account %s is of a kind Mail Setup does not repair (it is neither IMAP nor POP3)."), key);
      return;
    }
  protocol = g_str_equal (type, "imap") ? MS_PROTOCOL_IMAP : MS_PROTOCOL_POP3;
  if (!valid_key (identity))
    {
      problem (profile, server_pref, _("The account %s has no identity, so Mail Setup skipped it."), key);
      return;
    }

  account = ms_existing_account_new (MS_MAIL_PROGRAM_THUNDERBIRD, key, profile->path);
  account->profile = g_strdup (profile->profile);
  branch = g_strconcat ("mail.server.", server, NULL);
  account->incoming = read_server (profile, branch, protocol, "socketType", "userName");
  if (account->incoming == NULL || !read_identity (profile, server_pref, identity, account))
    return;
  account->incoming_password = ms_password_location_new (MS_PASSWORD_SOURCE_NONE);
  /* The exporter names its entries after a hash of the address. */
  account->written_by_mail_setup = g_str_has_prefix (key, "account_ms");
  ms_account_inventory_add_account (profile->inventory, account);
}

/* A file's contents, %NULL when it is not there (no problem) or unreadable
 * (a problem). */
static char *
read_file (MsAccountInventory *inventory,
           const char         *path,
           gsize              *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE, &contents, length, NULL, &error))
    return contents;
  if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
    ms_account_inventory_add_problem (inventory, MS_MAIL_PROGRAM_THUNDERBIRD, path, 0,
                                      _("Mail Setup could not read this file: %s"), error->message);
  return NULL;
}

static MsPrefsJs *
parse_file (MsAccountInventory *inventory,
            const char         *path)
{
  gsize length = 0;
  g_autofree char *contents = read_file (inventory, path, &length);
  MsPrefsJs *prefs;
  GPtrArray *problems;

  if (contents == NULL)
    return NULL;
  prefs = ms_prefs_js_parse (contents, length);
  problems = ms_prefs_js_get_problems (prefs);
  for (guint i = 0; i < problems->len; i++)
    {
      MsPrefsJsProblem *p = g_ptr_array_index (problems, i);

      ms_account_inventory_add_problem (inventory, MS_MAIL_PROGRAM_THUNDERBIRD, path, p->line, "%s", p->message);
    }
  return prefs;
}

static void
read_profile (MsAccountInventory *inventory,
              const char         *folder)
{
  g_autofree char *path = g_build_filename (folder, "prefs.js", NULL);
  g_autofree char *user_path = g_build_filename (folder, "user.js", NULL);
  g_autoptr(MsPrefsJs) prefs = parse_file (inventory, path);
  g_autoptr(MsPrefsJs) user = NULL;
  Profile profile = { inventory, path, user_path, folder, prefs, NULL };
  const MsPref *list;
  g_auto(GStrv) keys = NULL;

  if (prefs == NULL)
    return;
  user = parse_file (inventory, user_path);
  profile.user = user;

  list = lookup (&profile, "mail.accountmanager.accounts");
  if (string_of (list) == NULL)
    return;
  keys = g_strsplit (list->string, ",", -1);
  for (guint i = 0; keys[i] != NULL; i++)
    if (*g_strstrip (keys[i]) != '\0')
      read_account (&profile, list, keys[i]);
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  for (guint r = 0; r < G_N_ELEMENTS (profile_roots); r++)
    {
      g_autofree char *root = g_build_filename (places->home, profile_roots[r], NULL);
      g_autofree char *ini = g_build_filename (root, "profiles.ini", NULL);
      g_autofree char *data = read_file (inventory, ini, NULL);
      g_autoptr(GPtrArray) folders = NULL;

      if (data == NULL)
        continue;
      folders = ms_thunderbird_profile_list (root, data);
      if (folders == NULL)
        {
          ms_account_inventory_add_problem (inventory, MS_MAIL_PROGRAM_THUNDERBIRD, ini, 0,
                                            _("This is not a profiles.ini Thunderbird can read."));
          continue;
        }
      for (guint i = 0; i < folders->len && !g_cancellable_is_cancelled (cancellable); i++)
        read_profile (inventory, g_ptr_array_index (folders, i));
    }
}

static gboolean
is_running (MsExistingAccount  *account,
            char              **why)
{
  if (account->profile == NULL || !ms_thunderbird_profile_is_locked (account->profile))
    return FALSE;
  if (why != NULL)
    *why = g_strdup (_("Thunderbird is open: close it and try again"));
  return TRUE;
}

static MsPrefsJs *
parse_quietly (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE, &contents, &length, NULL, NULL))
    return NULL;
  return ms_prefs_js_parse (contents, length);
}

/* prefs.js, and user.js where it sets one of the prefs an update changes
 * (Thunderbird would apply the old value from there at the next start). */
static GStrv
files (MsExistingAccount *account)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *user_path = g_build_filename (account->profile, "user.js", NULL);
  g_autofree char *server_name = g_strdup_printf ("mail.account.%s.server", account->key);
  g_autoptr(MsPrefsJs) prefs = parse_quietly (account->location);
  g_autoptr(MsPrefsJs) user = parse_quietly (user_path);
  g_autofree char *server = NULL;
  g_autofree char *smtp = NULL;
  gboolean found = FALSE;

  g_strv_builder_add (builder, account->location);
  if (user == NULL)
    return g_strv_builder_end (builder);

  /* user.js wins, as in read_profile (). */
  if (ms_prefs_js_get_string (user, server_name) != NULL)
    server = g_strdup_printf ("mail.server.%s.", ms_prefs_js_get_string (user, server_name));
  else if (prefs != NULL && ms_prefs_js_get_string (prefs, server_name) != NULL)
    server = g_strdup_printf ("mail.server.%s.", ms_prefs_js_get_string (prefs, server_name));
  if (account->outgoing_key != NULL)
    smtp = g_strdup_printf ("mail.smtpserver.%s.", account->outgoing_key);

  for (guint i = 0; i < ms_prefs_js_get_prefs (user)->len && !found; i++)
    {
      const MsPref *pref = g_ptr_array_index (ms_prefs_js_get_prefs (user), i);

      found = (server != NULL && g_str_has_prefix (pref->name, server)) ||
              (smtp != NULL && g_str_has_prefix (pref->name, smtp));
    }
  if (found)
    g_strv_builder_add (builder, user_path);

  return g_strv_builder_end (builder);
}

/* Sets @name to @pref in prefs.js; in user.js only where user.js has it. */
static gboolean
edit (MsPrefsJs    *doc,
      gboolean      add,
      MsPref       *pref,
      GError      **error)
{
  if (!add && ms_prefs_js_lookup (doc, pref->name) == NULL)
    return TRUE;
  return ms_prefs_js_set_pref (doc, pref, error);
}

static gboolean
edit_server (MsPrefsJs       *doc,
             gboolean         add,
             const char      *branch,
             const MsServer  *server,
             const char      *security_pref,
             const char      *username_pref,
             GError         **error)
{
  g_autofree char *host = g_strconcat (branch, ".hostname", NULL);
  g_autofree char *port = g_strconcat (branch, ".port", NULL);
  g_autofree char *security = g_strconcat (branch, ".", security_pref, NULL);
  g_autofree char *auth = g_strconcat (branch, ".authMethod", NULL);
  g_autofree char *user = g_strconcat (branch, ".", username_pref, NULL);
  MsPref prefs[] = {
    { host, MS_PREF_STRING, server->hostname, 0, FALSE, 0 },
    { port, MS_PREF_INT, NULL, server->port, FALSE, 0 },
    { security, MS_PREF_INT, NULL, ms_export_security_number (MS_EXPORT_SECURITY_THUNDERBIRD, server->security), FALSE, 0 },
    { auth, MS_PREF_INT, NULL, ms_thunderbird_auth_method_number (server), FALSE, 0 },
    { user, MS_PREF_STRING, server->username, 0, FALSE, 0 },
  };

  /* No login: authMethod 1 says so; the old userName may stay. */
  for (guint i = 0; i < G_N_ELEMENTS (prefs); i++)
    if ((prefs[i].type != MS_PREF_STRING || prefs[i].string != NULL) &&
        !edit (doc, add, &prefs[i], error))
      return FALSE;
  return TRUE;
}

static char *
update (MsExistingAccount  *account,
        MsAccountSettings  *target,
        const char         *path,
        const char         *contents,
        gsize               length,
        GError            **error)
{
  g_autoptr(MsPrefsJs) doc = ms_prefs_js_parse (contents, length);
  gboolean is_prefs = g_strcmp0 (path, account->location) == 0;
  g_autofree char *server_name = g_strdup_printf ("mail.account.%s.server", account->key);
  const char *server = ms_prefs_js_get_string (doc, server_name);
  g_autofree char *basename = g_path_get_basename (path);

  if (is_prefs && (server == NULL || !valid_key (server)))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("The Thunderbird account %s is no longer in %s."), account->key, basename);
      return NULL;
    }
  if (account->incoming != NULL && target->incoming != NULL &&
      account->incoming->protocol != target->incoming->protocol)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                           _("Thunderbird cannot turn an IMAP account into a POP3 one or back: add the new account instead."));
      return NULL;
    }

  if (server != NULL && valid_key (server) && target->incoming != NULL)
    {
      g_autofree char *branch = g_strconcat ("mail.server.", server, NULL);

      if (!edit_server (doc, is_prefs, branch, target->incoming, "socketType", "userName", error))
        return NULL;
    }
  if (account->outgoing_key != NULL && target->outgoing != NULL)
    {
      g_autofree char *branch = g_strconcat ("mail.smtpserver.", account->outgoing_key, NULL);

      if (!edit_server (doc, is_prefs, branch, target->outgoing, "try_ssl", "username", error))
        return NULL;
    }

  return ms_prefs_js_to_data (doc, NULL);
}

const MsMailProgramBackend ms_program_thunderbird = {
  .program = MS_MAIL_PROGRAM_THUNDERBIRD,
  .read = read_accounts,
  .is_running = is_running,
  .files = files,
  .update = update,
};
