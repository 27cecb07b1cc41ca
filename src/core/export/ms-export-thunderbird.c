/* ms-export-thunderbird.c: add the account to Thunderbird's default profile's prefs.js
 *
 * The account goes into prefs.js the way Thunderbird adds one: into the
 * account and SMTP server lists, with its account, server, identity and
 * SMTP server prefs; every other line stays as it was. Not user.js:
 * Thunderbird applies user.js at every start, so a block there would undo
 * every later change the person makes. Earlier versions wrote such a
 * block; an export moves what it set into prefs.js and removes it. An
 * account Thunderbird already has for the address is updated in place;
 * otherwise the pref keys are derived from the address, so a second export
 * rewrites the same keys instead of adding a second account. A running
 * Thunderbird would overwrite prefs.js on exit, so its profile lock makes
 * the export refuse.
 *
 * A server that signs in with OAuth gets authMethod 10: Thunderbird then
 * signs in by itself, in its own window, with its own client for the
 * providers it knows by the server's host name (ms-export-oauth.c). For
 * any other server it would have no way to sign in, so the export
 * refuses rather than write an account that cannot log in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <string.h>

#include "ms-export-oauth.h"
#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-host-paths.h"
#include "ms-prefs-js.h"
#include "ms-safe-file.h"
#include "ms-thunderbird-profile.h"
#include "ms-validate.h"

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
  quoted = ms_export_syntax_js_string (value, name, "prefs.js", error);
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

/* A list pref's value, "" when it is not set. */
static const char *
list_value (MsPrefsJs  *prefs,
            const char *name)
{
  const char *value = ms_prefs_js_get_string (prefs, name);

  return value != NULL ? value : "";
}

/* The account and the SMTP server join the lists already in @prefs, and
 * become the defaults only where there are none. */
static void
write_lists (GString              *out,
             MsPrefsJs            *prefs,
             const ThunderbirdIds *ids,
             GError              **error)
{
  g_autofree char *merged_accounts = merge_list (list_value (prefs, "mail.accountmanager.accounts"), ids->account);
  g_autofree char *merged_smtps = merge_list (list_value (prefs, "mail.smtpservers"), ids->smtp);
  g_autofree char *key = NULL;

  pref_string (out, "mail.accountmanager.accounts", merged_accounts, error);
  if (ms_prefs_js_get_string (prefs, "mail.accountmanager.defaultaccount") == NULL)
    pref_string (out, "mail.accountmanager.defaultaccount", ids->account, error);
  pref_string (out, "mail.smtpservers", merged_smtps, error);
  if (ms_prefs_js_get_string (prefs, "mail.smtp.defaultserver") == NULL)
    pref_string (out, "mail.smtp.defaultserver", ids->smtp, error);

  pref_string (out, KEY ("mail.account.%s.%s", ids->account, "server"), ids->server, error);
  pref_string (out, KEY ("mail.account.%s.%s", ids->account, "identities"), ids->identity, error);
}

/* A pref that names another entry (hostile: it becomes part of pref
 * names), or %NULL. */
static char * G_GNUC_PRINTF (2, 3)
entry_name (MsPrefsJs  *prefs,
            const char *format,
            ...)
{
  g_autofree char *name = NULL;
  g_auto(GStrv) items = NULL;
  const char *value;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);

  /* Only the first of a list ("id1,id2") counts. */
  value = ms_prefs_js_get_string (prefs, name);
  if (value == NULL)
    return NULL;
  items = g_strsplit (value, ",", 2);
  if (items[0] == NULL || !ms_validate_id (g_strstrip (items[0]), "prefs.js", NULL))
    return NULL;
  return g_strdup (items[0]);
}

/* The names Thunderbird already uses for an account of @settings'
 * address and kind (added in Thunderbird, or by an earlier export), so
 * the export updates it rather than adding a second one. */
static gboolean
thunderbird_ids_find (ThunderbirdIds    *ids,
                      MsPrefsJs         *prefs,
                      MsAccountSettings *settings)
{
  g_auto(GStrv) accounts = g_strsplit (list_value (prefs, "mail.accountmanager.accounts"), ",", -1);
  const char *type = settings->incoming->protocol == MS_PROTOCOL_POP3 ? "pop3" : "imap";

  for (guint i = 0; accounts[i] != NULL; i++)
    {
      const char *account = g_strstrip (accounts[i]);
      g_autofree char *server = entry_name (prefs, "mail.account.%s.server", account);
      g_autofree char *identity = entry_name (prefs, "mail.account.%s.identities", account);
      const char *email, *server_type;
      g_autofree char *type_name = NULL, *email_name = NULL;

      if (server == NULL || identity == NULL || !ms_validate_id (account, "prefs.js", NULL))
        continue;
      type_name = g_strdup_printf ("mail.server.%s.type", server);
      email_name = g_strdup_printf ("mail.identity.%s.useremail", identity);
      server_type = ms_prefs_js_get_string (prefs, type_name);
      email = ms_prefs_js_get_string (prefs, email_name);
      if (g_strcmp0 (server_type, type) != 0 || email == NULL ||
          g_ascii_strcasecmp (email, settings->address) != 0)
        continue;

      ids->account = g_strdup (account);
      ids->server = g_steal_pointer (&server);
      ids->identity = g_steal_pointer (&identity);
      ids->smtp = entry_name (prefs, "mail.identity.%s.smtpServer", ids->identity);
      return TRUE;
    }

  return FALSE;
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
  pref_int (out, KEY ("mail.server.%s.%s", server, "authMethod"), ms_thunderbird_auth_method_number (in));
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
  pref_int (out, KEY ("mail.smtpserver.%s.%s", smtp, "authMethod"), ms_thunderbird_auth_method_number (out_server));
  if (out_server->username != NULL)
    pref_string (out, KEY ("mail.smtpserver.%s.%s", smtp, "username"), out_server->username, error);
  pref_string (out, KEY ("mail.smtpserver.%s.%s", smtp, "description"),
               settings->provider_name != NULL ? settings->provider_name : settings->address, error);
}

#undef KEY

/* The prefs that add @settings' account to @prefs_text's (nullable), one
 * user_pref line each. */
char *
ms_export_thunderbird_render (MsAccountSettings  *settings,
                              const char         *prefs_text,
                              GError            **error)
{
  GError *local_error = NULL;
  g_auto(ThunderbirdIds) ids = { NULL };
  g_auto(ThunderbirdIds) hashed = { NULL };
  g_autoptr(MsPrefsJs) prefs = NULL;
  GString *out;

  if (!ms_export_oauth_check (settings, MS_EXPORT_OAUTH_THUNDERBIRD, error))
    return NULL;

  prefs = ms_prefs_js_parse (prefs_text, -1);
  out = g_string_new (NULL);
  thunderbird_ids_init (&hashed, settings->address);
  if (!thunderbird_ids_find (&ids, prefs, settings))
    thunderbird_ids_init (&ids, settings->address);
  if (ids.smtp == NULL)
    ids.smtp = g_strdup (hashed.smtp);

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
  if (!ms_export_check_settings (settings, "prefs.js", error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/* @item is in the comma-separated @list. */
static gboolean
list_has (const char *list,
          const char *item)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    if (g_str_equal (g_strstrip (items[i]), item))
      return TRUE;
  return FALSE;
}

/* Sets every pref of @text in @prefs; the account and SMTP server lists
 * gain @text's items rather than being replaced. */
static gboolean
apply_prefs (MsPrefsJs   *prefs,
             const char  *text,
             GError     **error)
{
  g_autoptr(MsPrefsJs) block = ms_prefs_js_parse (text, -1);
  GPtrArray *list = ms_prefs_js_get_prefs (block);

  for (guint i = 0; i < list->len; i++)
    {
      MsPref *pref = g_ptr_array_index (list, i);
      gboolean is_list = g_str_equal (pref->name, "mail.accountmanager.accounts") ||
                         g_str_equal (pref->name, "mail.smtpservers");

      if (is_list && pref->type == MS_PREF_STRING)
        {
          g_auto(GStrv) items = g_strsplit (pref->string, ",", -1);
          g_autofree char *merged = g_strdup (list_value (prefs, pref->name));

          for (guint j = 0; items[j] != NULL; j++)
            if (*g_strstrip (items[j]) != '\0' && !list_has (merged, items[j]))
              {
                g_autofree char *old = g_steal_pointer (&merged);

                merged = merge_list (old, items[j]);
              }
          if (!ms_prefs_js_set_string (prefs, pref->name, merged, error))
            return FALSE;
        }
      else if (!ms_prefs_js_set_pref (prefs, pref, error))
        return FALSE;
    }

  return TRUE;
}

/* @user_js without the "// BEGIN Mail Setup ADDRESS" ... "// END Mail
 * Setup ADDRESS" blocks earlier versions wrote; their contents are added
 * to @blocks. An unterminated block stays. */
static char *
strip_blocks (const char *user_js,
              GString    *blocks)
{
  static const char begin[] = "// BEGIN Mail Setup ";
  GString *out = g_string_new (NULL);
  const char *p = user_js;

  while (*p != '\0')
    {
      const char *eol = strchr (p, '\n');
      const char *next = eol != NULL ? eol + 1 : p + strlen (p);
      g_autofree char *end = NULL;
      const char *stop;

      if (!g_str_has_prefix (p, begin) || eol == NULL)
        {
          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }
      end = g_strdup_printf ("\n// END Mail Setup %.*s\n", (int) (eol - p - strlen (begin)), p + strlen (begin));
      stop = strstr (eol, end);
      if (stop == NULL)
        {
          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }
      g_string_append_len (blocks, next, stop + 1 - next);
      p = stop + strlen (end);
    }

  return g_string_free (out, FALSE);
}

static char *
read_optional (const char  *path,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (!ms_atomic_file_check (path, error))
    return NULL;
  if (ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                         &contents, NULL, NULL, &local_error))
    return contents;
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return g_strdup ("");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static char *
profile_folder (MsExportContext  *context,
                GError          **error)
{
  g_autofree char *root = NULL;
  g_autofree char *profile = NULL;

  /* Not ms_export_target_path (): the default profile is looked up in
   * profiles.ini, not built from fixed parts. */
  if (context->output_path != NULL)
    profile = g_strdup (context->output_path);
  else
    {
      g_autofree char *flatpak = g_build_filename (ms_host_paths_get_home (), ".var", "app", "org.mozilla.Thunderbird",
                                                   ".thunderbird", "profiles.ini", NULL);

      /* The Flatpak's profiles only when there is no other Thunderbird. */
      root = g_build_filename (ms_host_paths_get_home (), ".thunderbird", NULL);
      if (!g_file_test (root, G_FILE_TEST_IS_DIR) && g_file_test (flatpak, G_FILE_TEST_IS_REGULAR))
        {
          g_free (root);
          root = g_path_get_dirname (flatpak);
        }
      profile = ms_thunderbird_profile_find_default (root, error);
      if (profile == NULL)
        return NULL;
    }

  if (!g_file_test (profile, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP,
                   _("The Thunderbird profile folder %s does not exist"), profile);
      return NULL;
    }

  if (ms_thunderbird_profile_is_locked (profile))
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_RUNNING,
                           _("Thunderbird is running. Close it, then export again: Thunderbird would otherwise undo the change."));
      return NULL;
    }

  return g_steal_pointer (&profile);
}

/* prefs.js gains the account (and what old user.js blocks set, since
 * Thunderbird may not have started since); user.js loses those blocks. */
static gboolean
export_thunderbird (MsExportContext  *context,
                    GError          **error)
{
  g_autofree char *profile = profile_folder (context, error);
  g_autofree char *prefs_path = NULL, *user_path = NULL;
  g_autofree char *prefs_text = NULL, *user_text = NULL, *stripped = NULL;
  g_autofree char *merged = NULL, *block = NULL, *contents = NULL;
  g_autoptr(GString) old_blocks = g_string_new (NULL);
  g_autoptr(MsPrefsJs) prefs = NULL;
  gsize length = 0;

  if (profile == NULL)
    return FALSE;
  prefs_path = g_build_filename (profile, "prefs.js", NULL);
  user_path = g_build_filename (profile, "user.js", NULL);
  if ((prefs_text = read_optional (prefs_path, error)) == NULL ||
      (user_text = read_optional (user_path, error)) == NULL)
    return FALSE;

  stripped = strip_blocks (user_text, old_blocks);
  prefs = ms_prefs_js_parse (prefs_text, -1);
  if (!apply_prefs (prefs, old_blocks->str, error))
    return FALSE;
  merged = ms_prefs_js_to_data (prefs, NULL);
  block = ms_export_thunderbird_render (context->settings, merged, error);
  if (block == NULL || !apply_prefs (prefs, block, error))
    return FALSE;

  contents = ms_prefs_js_to_data (prefs, &length);
  if (!ms_export_write_file (context, prefs_path, contents, length, FALSE, error))
    return FALSE;
  if (ms_export_oauth_uses (context->settings))
    ms_export_add_warning (context, _("Thunderbird signs in to this account by itself: its own sign-in window opens the first time it gets mail."));
  if (old_blocks->len == 0 && g_str_equal (stripped, user_text))
    return TRUE;
  return ms_export_write_file (context, user_path, stripped, strlen (stripped), FALSE, error);
}

const MsExporter ms_export_thunderbird = {
  "thunderbird", N_("Thunderbird"), TRUE, export_thunderbird,
};
