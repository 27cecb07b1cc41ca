/* ms-export-msmtp.c: an msmtp account that fetches its password from the keyring
 *
 * With the password at hand it goes under msmtp's own keyring schema and
 * the account has no password line: msmtp (built with libsecret, as
 * Debian's is) then finds it by itself, with no secret-tool needed.
 * Without it, or if that store fails, "passwordeval" runs secret-tool
 * with this product's schema. A server the account signs in to with OAuth
 * gets "auth oauthbearer" (msmtp 1.8.23 also knows "xoauth2"; OAUTHBEARER
 * is the standard one, RFC 7628) and "passwordeval" runs `mail-setup
 * token`, which prints a fresh access token; nothing goes into msmtp's
 * keyring for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-export-token-command.h"
#include "ms-exporter-private.h"
#include "ms-keyring.h"

#define FORMAT "msmtprc"

/* msmtp 1.8's lookup (password.c): this schema, not matched by name, with
 * the account's host and user and the service "smtp". */
static const SecretSchema *
msmtp_schema (void)
{
  static const SecretSchema schema = {
    "de.marlam.msmtp.password", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* msmtp strips one pair of quotes and knows no escapes: every value is
 * quoted by ms_export_syntax_msmtp_arg(), the account name too. */
static char *
render (MsAccountSettings  *settings,
        gboolean            native_keyring,
        gboolean            make_default,
        GError            **error)
{
  const MsServer *smtp = settings->outgoing;
  gboolean oauth = ms_export_server_uses_oauth (smtp);
  g_autofree char *command = NULL;
  g_autofree char *quoted_command = NULL;
  g_autofree char *account = NULL;
  g_autofree char *from = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if ((command = ms_export_secret_command (settings->address, smtp, FORMAT, error)) == NULL ||
      (quoted_command = ms_export_syntax_msmtp_arg (command, _("the keyring command"), error)) == NULL ||
      (account = ms_export_syntax_msmtp_account (settings->address, _("the email address"), error)) == NULL ||
      (from = ms_export_syntax_msmtp_arg (settings->address, _("the email address"), error)) == NULL ||
      !ms_export_syntax_check_hostname (smtp->hostname, _("the server name"), FORMAT, error))
    return NULL;
  if (settings->ca_file != NULL &&
      (!ms_export_syntax_check_path (settings->ca_file, _("the certificate file"), FORMAT, error) ||
       (ca = ms_export_syntax_msmtp_arg (settings->ca_file, _("the certificate file"), error)) == NULL))
    return NULL;
  if (smtp->username != NULL &&
      (user = ms_export_syntax_msmtp_arg (smtp->username, _("the user name"), error)) == NULL)
    return NULL;

  g_string_append_printf (out, "account %s\n", account);
  /* A checked host name means itself unquoted. */
  g_string_append_printf (out, "host %s\n", smtp->hostname);
  g_string_append_printf (out, "port %u\n", smtp->port);
  g_string_append_printf (out, "from %s\n", from);
  g_string_append (out, ms_export_security_word (MS_EXPORT_SECURITY_MSMTP, smtp->security));
  if (ca != NULL)
    g_string_append_printf (out, "tls_trust_file %s\n", ca);
  /* msmtp on Debian is built with GnuTLS: this is its priority string. */
  if (smtp->max_tls12 && smtp->security != MS_SECURITY_NONE)
    g_string_append (out, "tls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.2\n");
  if (user != NULL && oauth)
    g_string_append_printf (out, "auth oauthbearer\nuser %s\npasswordeval %s\n", user, quoted_command);
  else if (user != NULL)
    {
      g_string_append_printf (out, "auth on\nuser %s\n", user);
      if (!native_keyring)
        g_string_append_printf (out, "passwordeval %s\n", quoted_command);
    }
  else
    g_string_append (out, "auth off\n");
  /* Without a default, a plain `msmtp recipient` (and every program that
   * runs it as sendmail) fails with "account default not found". */
  if (make_default)
    g_string_append_printf (out, "\naccount default : %s\n", account);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
ms_export_msmtp_render (MsAccountSettings  *settings,
                        GError            **error)
{
  return render (settings, FALSE, FALSE, error);
}

/* Whether @contents, our own block for @address left out, already names a
 * default account ("account default" or "account default : NAME"). */
static gboolean
has_default_account (const char *contents,
                     const char *address)
{
  g_autofree char *others = NULL;
  g_auto(GStrv) lines = NULL;

  if (contents == NULL)
    return FALSE;

  others = ms_export_replace_block (contents, "#", address, "");
  lines = g_strsplit (others, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", 3);

      if (g_strv_length (words) >= 2 && g_str_equal (words[0], "account")
          && (g_str_equal (words[1], "default") || g_str_has_prefix (words[1], "default:")))
        return TRUE;
    }

  return FALSE;
}

/* Whether msmtp will find the password by itself. A keyring that fails
 * (locked, no service) costs nothing but the passwordeval line. */
static gboolean
store_native (MsExportContext  *context,
              GError          **error)
{
  const MsServer *smtp = context->settings->outgoing;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;

  /* An OAuth server takes no password, and a token in msmtp's keyring
   * would expire there. */
  if (context->password == NULL || smtp->username == NULL || ms_export_server_uses_oauth (smtp))
    return FALSE;

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (char *) "host", smtp->hostname);
  g_hash_table_insert (attributes, (char *) "service", (char *) "smtp");
  g_hash_table_insert (attributes, (char *) "user", smtp->username);
  label = g_strdup_printf ("msmtp password for %s", context->settings->address);

  if (ms_keyring_store_other_sync (msmtp_schema (), attributes, label, context->password,
                                   context->cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    {
      g_autofree char *warning = g_strdup_printf (_("msmtp will fetch the password with secret-tool (package libsecret-tools): %s"),
                                                  local_error->message);

      ms_export_add_warning (context, warning);
    }

  return FALSE;
}

static gboolean
export_msmtp (MsExportContext  *context,
              GError          **error)
{
  static const char *const parts[] = { "msmtp", "config", NULL };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *block = NULL;
  g_autofree char *path = ms_export_target_pathv (context, MS_EXPORT_TARGET_CONFIG, parts);
  g_autofree char *original = NULL;
  gboolean native_keyring;
  gboolean make_default;

  /* Nothing goes into the keyring for settings the file cannot hold. */
  block = render (context->settings, FALSE, FALSE, error);
  if (block == NULL)
    return FALSE;
  g_clear_pointer (&block, g_free);

  native_keyring = store_native (context, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!ms_export_read_existing (path, &original, error))
    return FALSE;
  make_default = !has_default_account (original, context->settings->address);

  block = render (context->settings, native_keyring, make_default, error);
  if (block == NULL)
    return FALSE;
  /* msmtp refuses a configuration file others can read: it is private. */
  return ms_export_write_block (context, path, "#", block, TRUE, error);
}

const MsExporter ms_export_msmtp = {
  "msmtp", N_("msmtp"), TRUE, export_msmtp,
};
