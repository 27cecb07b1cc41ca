/* ms-export-aerc.c: an aerc account (accounts.conf) with keyring credential commands
 *
 * aerc 0.14 (Debian 12): imaps:// and smtps:// are implicit TLS, imap://
 * and smtp:// STARTTLS, the +insecure variants plain. It refuses an
 * accounts.conf others can read, so the file is always 0600.
 *
 * An OAuth server's scheme gets "+oauthbearer" (before an IMAP scheme's
 * "+insecure", after an SMTP one's) and its cred-cmd runs `mail-setup
 * token`: with no
 * token_endpoint in the URL, aerc takes the command's output as the
 * access token (aerc-imap(5)). aerc runs the command when it starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-export-token-command.h"

#define FORMAT "accounts.conf"

static char *
url (const char      *scheme,
     const MsServer  *server,
     GError         **error)
{
  g_autofree char *user = NULL;
  const char *suffix = ms_export_security_word (MS_EXPORT_SECURITY_AERC, server->security);
  const char *mechanism = ms_export_server_uses_oauth (server) ? "+oauthbearer" : "";
  g_autofree char *full_scheme = NULL;

  if (!ms_export_syntax_check_hostname (server->hostname, _("the server name"), FORMAT, error))
    return NULL;
  if (server->username != NULL &&
      (user = ms_export_syntax_uri_userinfo (server->username, _("the user name"), FORMAT, error)) == NULL)
    return NULL;

  /* The IMAP worker strips "+insecure" from the end first, then
   * "+oauthbearer"; the SMTP sender reads the mechanism last
   * ("smtp+insecure+oauthbearer"). */
  if (g_str_equal (scheme, "imap") && g_str_equal (suffix, "+insecure"))
    full_scheme = g_strconcat (scheme, mechanism, suffix, NULL);
  else
    full_scheme = g_strconcat (scheme, suffix, mechanism, NULL);

  return g_strdup_printf ("%s://%s%s%s:%u", full_scheme,
                          user != NULL ? user : "", user != NULL ? "@" : "",
                          server->hostname, server->port);
}

/* key = `value`: go-ini takes everything between the backticks as it is. */
static gboolean
append_value (GString     *out,
              const char  *key,
              const char  *value,
              const char  *what,
              GError     **error)
{
  g_autofree char *quoted = ms_export_syntax_ini_value (value, what, FORMAT, error);

  if (quoted == NULL)
    return FALSE;
  g_string_append_printf (out, "%s = %s\n", key, quoted);

  return TRUE;
}

char *
ms_export_aerc_render (MsAccountSettings  *settings,
                       GError            **error)
{
  g_autofree char *source = NULL;
  g_autofree char *outgoing = NULL;
  g_autofree char *in_command = NULL;
  g_autofree char *out_command = NULL;
  g_autofree char *from = NULL;
  g_autoptr(GString) out = NULL;

  if (settings->incoming->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("aerc reads mail over IMAP only; this account was set up with POP3"));
      return NULL;
    }

  /* go-ini reads a section name up to its last "]". */
  if (!ms_export_syntax_check_text (settings->address, _("the email address"), FORMAT, error) ||
      (source = url ("imap", settings->incoming, error)) == NULL ||
      (outgoing = url ("smtp", settings->outgoing, error)) == NULL ||
      (in_command = ms_export_secret_command (settings->address, settings->incoming, FORMAT, error)) == NULL ||
      (out_command = ms_export_secret_command (settings->address, settings->outgoing, FORMAT, error)) == NULL ||
      (from = ms_export_syntax_mailbox (settings->display_name, settings->address, FORMAT, error)) == NULL)
    return NULL;

  out = g_string_new (NULL);
  g_string_append_printf (out, "[%s]\n", settings->address);
  if (!append_value (out, "source", source, _("the server’s address"), error) ||
      !append_value (out, "source-cred-cmd", in_command, _("the keyring command"), error) ||
      !append_value (out, "outgoing", outgoing, _("the server’s address"), error) ||
      (settings->outgoing->username != NULL &&
       !append_value (out, "outgoing-cred-cmd", out_command, _("the keyring command"), error)))
    return NULL;
  g_string_append (out, "default = INBOX\n");
  if (!append_value (out, "from", from, _("the name"), error))
    return NULL;
  g_string_append (out, "copy-to = Sent\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
export_aerc (MsExportContext  *context,
             GError          **error)
{
  static const char *const parts[] = { "aerc", "accounts.conf", NULL };

  return ms_export_write_config_block (context, MS_EXPORT_TARGET_CONFIG, parts,
                                       ms_export_aerc_render (context->settings, error), error);
}

const MsExporter ms_export_aerc = {
  "aerc", N_("aerc"), TRUE, export_aerc,
};
