/* ms-export-thunderbird.c: add the account to Thunderbird's default profile via user.js
 *
 * Thunderbird applies user.js over prefs.js at every start and then keeps
 * the account in prefs.js. The account's pref keys are derived from the
 * address, so a second export rewrites the same keys (and the same user.js
 * block) instead of adding a second account. The account and SMTP server
 * lists are merged with what prefs.js already has, so the person's other
 * accounts stay. A running Thunderbird would overwrite prefs.js on exit,
 * so its profile lock makes the export refuse.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-host-paths.h"
#include "ms-safe-file.h"

/* Thunderbird's own folder; a Flatpak'd Thunderbird's when only it exists. */
static char *
find_profiles_root (void)
{
  char *root = g_build_filename (ms_host_paths_get_home (), ".thunderbird", NULL);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_free (root);
      root = g_build_filename (ms_host_paths_get_home (), ".var", "app", "org.mozilla.Thunderbird",
                               ".thunderbird", NULL);
    }

  return root;
}

static char *
find_default_profile (GError **error)
{
  g_autofree char *root = find_profiles_root ();
  g_autofree char *ini = g_build_filename (root, "profiles.ini", NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *ini_data = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *chosen = NULL;
  gboolean relative = TRUE;

  if (!ms_safe_file_read (ini, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE, &ini_data, NULL, NULL, NULL) ||
      !g_key_file_load_from_data (key_file, ini_data, -1, G_KEY_FILE_NONE, NULL))
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP,
                           _("Thunderbird has no profile yet. Start Thunderbird once, close it, and export again."));
      return NULL;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  /* Newer releases name the profile they start in an [Install…] group. */
  for (guint i = 0; groups[i] != NULL && chosen == NULL; i++)
    if (g_str_has_prefix (groups[i], "Install"))
      chosen = g_key_file_get_string (key_file, groups[i], "Default", NULL);
  for (guint i = 0; groups[i] != NULL && chosen == NULL; i++)
    if (g_str_has_prefix (groups[i], "Profile") &&
        g_key_file_get_boolean (key_file, groups[i], "Default", NULL))
      {
        chosen = g_key_file_get_string (key_file, groups[i], "Path", NULL);
        relative = g_key_file_get_boolean (key_file, groups[i], "IsRelative", NULL);
      }
  for (guint i = 0; groups[i] != NULL && chosen == NULL; i++)
    if (g_str_has_prefix (groups[i], "Profile"))
      {
        chosen = g_key_file_get_string (key_file, groups[i], "Path", NULL);
        relative = g_key_file_get_boolean (key_file, groups[i], "IsRelative", NULL);
      }

  if (chosen == NULL)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP,
                           _("Thunderbird’s profiles.ini names no profile. Start Thunderbird once, close it, and export again."));
      return NULL;
    }

  if (relative && !g_path_is_absolute (chosen))
    return g_build_filename (root, chosen, NULL);

  return g_steal_pointer (&chosen);
}

/* Thunderbird's `lock` symlink points to "IP:+PID"; a stale one (after a
 * crash) names a process that is gone. `.parentlock` holds an fcntl lock
 * while it runs. */
static gboolean
profile_is_locked (const char *profile)
{
  g_autofree char *lock = g_build_filename (profile, "lock", NULL);
  g_autofree char *parentlock = g_build_filename (profile, ".parentlock", NULL);
  g_autofree char *target = g_file_read_link (lock, NULL);
  int fd;

  if (target != NULL)
    {
      const char *plus = strrchr (target, '+');
      gint64 pid = plus != NULL ? g_ascii_strtoll (plus + 1, NULL, 10) : 0;

      if (pid > 0 && (kill ((pid_t) pid, 0) == 0 || errno == EPERM))
        return TRUE;
    }

  fd = open (parentlock, O_RDWR | O_CLOEXEC);
  if (fd >= 0)
    {
      struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
      gboolean locked = fcntl (fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;

      close (fd);
      if (locked)
        return TRUE;
    }

  return FALSE;
}

/* The value of a string pref in a prefs.js/user.js text, or NULL. */
static char *
read_pref (const char *text,
           const char *name)
{
  g_autofree char *escaped = g_regex_escape_string (name, -1);
  g_autofree char *pattern = g_strdup_printf ("^\\s*user_pref\\(\"%s\",\\s*\"([^\"]*)\"\\);", escaped);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  char *value = NULL;

  if (text == NULL)
    return NULL;

  /* The last one wins, as when Thunderbird reads the file. */
  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_free (value);
      value = g_match_info_fetch (match, 1);
      g_match_info_next (match, NULL);
    }

  return value;
}

/* @list with @key added once, keeping its order. */
static char *
merge_list (const char *list,
            const char *key)
{
  g_auto(GStrv) items = g_strsplit (list != NULL ? list : "", ",", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  g_auto(GStrv) merged = NULL;
  gboolean present = FALSE;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (*items[i] == '\0')
        continue;
      if (g_str_equal (items[i], key))
        present = TRUE;
      g_strv_builder_add (builder, items[i]);
    }
  if (!present)
    g_strv_builder_add (builder, key);
  merged = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return g_strjoinv (",", merged);
}

/* Keeps the first error and writes nothing after it, so a render is
 * one run of calls with one check at the end. */
static void
pref_string (GString     *out,
             const char  *name,
             const char  *value,
             GError     **error)
{
  g_autofree char *quoted = NULL;

  if (*error != NULL)
    return;
  quoted = ms_export_syntax_js_string (value, name, "user.js", error);
  if (quoted != NULL)
    g_string_append_printf (out, "user_pref(\"%s\", %s);\n", name, quoted);
}

static void
pref_int (GString    *out,
          const char *name,
          int         value)
{
  g_string_append_printf (out, "user_pref(\"%s\", %d);\n", name, value);
}

static int
auth_method (const MsServer *server)
{
  if (server->username == NULL)
    return 1;

  switch (server->auth)
    {
    case MS_AUTH_PASSWORD_ENCRYPTED:
      return 4;
    case MS_AUTH_GSSAPI:
      return 5;
    case MS_AUTH_NTLM:
      return 6;
    case MS_AUTH_OAUTH2:
      return 10;
    default:
      return 3;
    }
}

/* The names of the account's entries in prefs.js, from a hash of the
 * address so a second export finds the same ones. */
typedef struct
{
  char *account;
  char *server;
  char *identity;
  char *smtp;
} ThunderbirdIds;

static void
thunderbird_ids_clear (ThunderbirdIds *ids)
{
  g_clear_pointer (&ids->account, g_free);
  g_clear_pointer (&ids->server, g_free);
  g_clear_pointer (&ids->identity, g_free);
  g_clear_pointer (&ids->smtp, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ThunderbirdIds, thunderbird_ids_clear)

static void
thunderbird_ids_init (ThunderbirdIds *ids,
                      const char     *address)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, address, -1);
  g_autofree char *suffix = g_strndup (hash, 10);

  ids->account = g_strconcat ("account_ms", suffix, NULL);
  ids->server = g_strconcat ("server_ms", suffix, NULL);
  ids->identity = g_strconcat ("id_ms", suffix, NULL);
  ids->smtp = g_strconcat ("smtp_ms", suffix, NULL);
}

#define KEY(fmt, id, name) (g_free (key), key = g_strdup_printf (fmt, id, name))

/* The account and the SMTP server join the lists already in @prefs, and
 * become the defaults only where there are none. */
static void
write_lists (GString              *out,
             const char           *prefs,
             const ThunderbirdIds *ids,
             GError              **error)
{
  g_autofree char *accounts = read_pref (prefs, "mail.accountmanager.accounts");
  g_autofree char *smtps = read_pref (prefs, "mail.smtpservers");
  g_autofree char *default_account = read_pref (prefs, "mail.accountmanager.defaultaccount");
  g_autofree char *default_smtp = read_pref (prefs, "mail.smtp.defaultserver");
  g_autofree char *merged_accounts = merge_list (accounts, ids->account);
  g_autofree char *merged_smtps = merge_list (smtps, ids->smtp);
  g_autofree char *key = NULL;

  pref_string (out, "mail.accountmanager.accounts", merged_accounts, error);
  if (default_account == NULL)
    pref_string (out, "mail.accountmanager.defaultaccount", ids->account, error);
  pref_string (out, "mail.smtpservers", merged_smtps, error);
  if (default_smtp == NULL)
    pref_string (out, "mail.smtp.defaultserver", ids->smtp, error);

  pref_string (out, KEY ("mail.account.%s.%s", ids->account, "server"), ids->server, error);
  pref_string (out, KEY ("mail.account.%s.%s", ids->account, "identities"), ids->identity, error);
}

static void
write_incoming (GString              *out,
                MsAccountSettings    *settings,
                const ThunderbirdIds *ids,
                GError              **error)
{
  const MsServer *in = settings->incoming;
  const char *server = ids->server;
  g_autofree char *key = NULL;

  pref_string (out, KEY ("mail.server.%s.%s", server, "type"),
               in->protocol == MS_PROTOCOL_POP3 ? "pop3" : "imap", error);
  pref_string (out, KEY ("mail.server.%s.%s", server, "hostname"), in->hostname, error);
  pref_int (out, KEY ("mail.server.%s.%s", server, "port"), in->port);
  pref_int (out, KEY ("mail.server.%s.%s", server, "socketType"), ms_export_security_number (MS_EXPORT_SECURITY_THUNDERBIRD, in->security));
  pref_int (out, KEY ("mail.server.%s.%s", server, "authMethod"), auth_method (in));
  if (in->username != NULL)
    pref_string (out, KEY ("mail.server.%s.%s", server, "userName"), in->username, error);
  pref_string (out, KEY ("mail.server.%s.%s", server, "name"), settings->address, error);
}

static void
write_identity (GString              *out,
                MsAccountSettings    *settings,
                const ThunderbirdIds *ids,
                GError              **error)
{
  const char *identity = ids->identity;
  g_autofree char *key = NULL;

  pref_string (out, KEY ("mail.identity.%s.%s", identity, "fullName"),
               settings->display_name != NULL ? settings->display_name : "", error);
  pref_string (out, KEY ("mail.identity.%s.%s", identity, "useremail"), settings->address, error);
  pref_string (out, KEY ("mail.identity.%s.%s", identity, "smtpServer"), ids->smtp, error);
  g_string_append_printf (out, "user_pref(\"mail.identity.%s.valid\", true);\n", identity);
}

static void
write_outgoing (GString              *out,
                MsAccountSettings    *settings,
                const ThunderbirdIds *ids,
                GError              **error)
{
  const MsServer *out_server = settings->outgoing;
  const char *smtp = ids->smtp;
  g_autofree char *key = NULL;

  pref_string (out, KEY ("mail.smtpserver.%s.%s", smtp, "type"), "smtp", error);
  pref_string (out, KEY ("mail.smtpserver.%s.%s", smtp, "hostname"), out_server->hostname, error);
  pref_int (out, KEY ("mail.smtpserver.%s.%s", smtp, "port"), out_server->port);
  pref_int (out, KEY ("mail.smtpserver.%s.%s", smtp, "try_ssl"), ms_export_security_number (MS_EXPORT_SECURITY_THUNDERBIRD, out_server->security));
  pref_int (out, KEY ("mail.smtpserver.%s.%s", smtp, "authMethod"), auth_method (out_server));
  if (out_server->username != NULL)
    pref_string (out, KEY ("mail.smtpserver.%s.%s", smtp, "username"), out_server->username, error);
  pref_string (out, KEY ("mail.smtpserver.%s.%s", smtp, "description"),
               settings->provider_name != NULL ? settings->provider_name : settings->address, error);
}

#undef KEY

char *
ms_export_thunderbird_render (MsAccountSettings  *settings,
                              const char         *prefs,
                              GError            **error)
{
  GError *local_error = NULL;
  g_auto(ThunderbirdIds) ids = { NULL };
  GString *out = g_string_new (NULL);

  thunderbird_ids_init (&ids, settings->address);

  write_lists (out, prefs, &ids, &local_error);
  write_incoming (out, settings, &ids, &local_error);
  write_identity (out, settings, &ids, &local_error);
  write_outgoing (out, settings, &ids, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_string_free (out, TRUE);
      return NULL;
    }
  if (!ms_export_check_settings (settings, "user.js", error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
export_thunderbird (MsExportContext  *context,
                    GError          **error)
{
  g_autofree char *profile = NULL;
  g_autofree char *prefs_path = NULL;
  g_autofree char *user_js = NULL;
  g_autofree char *prefs = NULL;
  g_autofree char *block = NULL;

  /* Not ms_export_target_path (): the default profile is looked up in
   * profiles.ini, not built from fixed parts. */
  if (context->output_path != NULL)
    profile = g_strdup (context->output_path);
  else
    {
      profile = find_default_profile (error);
      if (profile == NULL)
        return FALSE;
    }

  if (!g_file_test (profile, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP,
                   _("The Thunderbird profile folder %s does not exist"), profile);
      return FALSE;
    }

  if (profile_is_locked (profile))
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_RUNNING,
                           _("Thunderbird is running. Close it, then export again: Thunderbird would otherwise undo the change."));
      return FALSE;
    }

  prefs_path = g_build_filename (profile, "prefs.js", NULL);
  ms_safe_file_read (prefs_path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE, &prefs, NULL, NULL, NULL);

  user_js = g_build_filename (profile, "user.js", NULL);
  block = ms_export_thunderbird_render (context->settings, prefs, error);
  if (block == NULL)
    return FALSE;

  return ms_export_write_block (context, user_js, "//", block, FALSE, error);
}

const MsExporter ms_export_thunderbird = {
  "thunderbird", N_("Thunderbird"), TRUE, export_thunderbird,
};
