/* ms-export-neomutt.c: a neomutt configuration reading the password from the keyring
 *
 * Every value is a neomutt double-quoted string (ms-export-syntax.c);
 * the keyring command inside the backticks holds only plain characters,
 * so no address ends the backticks early or runs anything.
 *
 * A server the account signs in to with OAuth gets no *_pass line but
 * "*_authenticators" set to OAUTHBEARER and "*_oauth_refresh_command"
 * running `mail-setup token`, which neomutt runs (sh -c) at each login
 * and takes the first line of as the access token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-export-token-command.h"

#define FORMAT "neomuttrc"

static char *
server_url (const char     *scheme,
            const MsServer *server,
            GError        **error)
{
  g_autofree char *user = NULL;
  g_autofree char *url = NULL;

  if (!ms_export_syntax_check_hostname (server->hostname, _("the server name"), FORMAT, error))
    return NULL;
  if (server->username != NULL)
    {
      g_autofree char *escaped = ms_export_syntax_uri_userinfo (server->username, _("the user name"),
                                                                 FORMAT, error);

      if (escaped == NULL)
        return NULL;
      user = g_strconcat (escaped, "@", NULL);
    }

  url = g_strdup_printf ("%s%s://%s%s:%u/",
                         scheme, ms_export_security_word (MS_EXPORT_SECURITY_NEOMUTT, server->security),
                         user != NULL ? user : "", server->hostname, server->port);

  return ms_export_syntax_mutt_string (url, _("the server’s address"), error);
}

/* set PREFIX_pass = "`COMMAND`": the backticks run when the file is read,
 * so the password never sits in it. For OAuth, set PREFIX_authenticators
 * and PREFIX_oauth_refresh_command, a command neomutt runs itself at each
 * login, so it is a plain string here. */
static gboolean
append_secret (GString         *out,
               const char      *prefix,
               const char      *address,
               const MsServer  *server,
               GError         **error)
{
  g_autofree char *command = ms_export_secret_command (address, server, FORMAT, error);
  g_autofree char *quoted = NULL;

  if (command == NULL)
    return FALSE;
  if (!ms_export_server_uses_oauth (server))
    {
      g_string_append_printf (out, "set %s_pass = \"`%s`\"\n", prefix, command);
      return TRUE;
    }

  quoted = ms_export_syntax_mutt_string (command, _("the sign-in token command"), error);
  if (quoted == NULL)
    return FALSE;
  g_string_append_printf (out, "set %s_authenticators = \"oauthbearer\"\n", prefix);
  g_string_append_printf (out, "set %s_oauth_refresh_command = %s\n", prefix, quoted);

  return TRUE;
}

char *
ms_export_neomutt_render (MsAccountSettings  *settings,
                          GError            **error)
{
  const MsServer *in = settings->incoming;
  const MsServer *smtp = settings->outgoing;
  g_autofree char *from = NULL;
  g_autofree char *real_name = NULL;
  g_autofree char *smtp_url = NULL;
  g_autofree char *in_url = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca = NULL;
  gboolean secure = in->security != MS_SECURITY_NONE && smtp->security != MS_SECURITY_NONE;
  gboolean imap = in->protocol == MS_PROTOCOL_IMAP;
  g_autoptr(GString) out = g_string_new (NULL);

  if ((from = ms_export_syntax_mutt_string (settings->address, _("the email address"), error)) == NULL ||
      (real_name = ms_export_syntax_mutt_string (ms_account_settings_get_name (settings),
                                                 _("the name"), error)) == NULL ||
      (smtp_url = server_url ("smtp", smtp, error)) == NULL ||
      (in_url = imap ? server_url ("imap", in, error)
                     : server_url ("pop", in, error)) == NULL)
    return NULL;
  if (in->username != NULL &&
      (user = ms_export_syntax_mutt_string (in->username, _("the user name"), error)) == NULL)
    return NULL;
  if (settings->ca_file != NULL &&
      (!ms_export_syntax_check_path (settings->ca_file, _("the certificate file"), FORMAT, error) ||
       (ca = ms_export_syntax_mutt_string (settings->ca_file, _("the certificate file"), error)) == NULL))
    return NULL;

  g_string_append_printf (out, "set from = %s\nset real_name = %s\n", from, real_name);
  if (imap)
    {
      g_string_append_printf (out, "set folder = %s\nset spoolfile = \"+INBOX\"\n", in_url);
      if (user != NULL)
        {
          g_string_append_printf (out, "set imap_user = %s\n", user);
          if (!append_secret (out, "imap", settings->address, in, error))
            return NULL;
        }
    }
  else
    {
      g_string_append_printf (out, "set pop_host = %s\nset spoolfile = %s\n", in_url, in_url);
      if (user != NULL)
        {
          g_string_append_printf (out, "set pop_user = %s\n", user);
          if (!append_secret (out, "pop", settings->address, in, error))
            return NULL;
        }
    }
  g_string_append_printf (out, "set smtp_url = %s\n", smtp_url);
  if (smtp->username != NULL &&
      !append_secret (out, "smtp", settings->address, smtp, error))
    return NULL;
  if (secure)
    g_string_append (out, "set ssl_force_tls = yes\n");
  g_string_append (out, "set ssl_starttls = yes\n");
  if (ca != NULL)
    g_string_append_printf (out, "set ssl_ca_certificates_file = %s\n", ca);
  /* One switch for both servers: off when either needs TLS 1.2 at most. */
  if (in->max_tls12 || smtp->max_tls12)
    g_string_append (out, "set ssl_use_tlsv1_3 = no\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
export_neomutt (MsExportContext  *context,
                GError          **error)
{
  static const char *const parts[] = { "neomutt", "neomuttrc", NULL };

  return ms_export_write_config_block (context, MS_EXPORT_TARGET_CONFIG, parts,
                                       ms_export_neomutt_render (context->settings, error), error);
}

const MsExporter ms_export_neomutt = {
  "neomutt", N_("NeoMutt"), TRUE, export_neomutt,
};
