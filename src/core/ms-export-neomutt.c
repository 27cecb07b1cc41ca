/* ms-export-neomutt.c: a neomutt configuration reading the password from the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-exporter-private.h"
#include "ms-keyring.h"

/* neomutt's double-quoted strings expand \, ", $ and backticks. */
static char *
quote (const char *value)
{
  GString *out = g_string_new ("\"");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p == '$' || *p == '`')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

static char *
server_url (const char     *plain_scheme,
            const char     *tls_scheme,
            const MsServer *server)
{
  g_autofree char *user = NULL;

  if (server->username != NULL)
    {
      g_autofree char *escaped = ms_export_uri_escape_user (server->username);

      user = g_strconcat (escaped, "@", NULL);
    }

  return g_strdup_printf ("%s://%s%s:%u/",
                          server->security == MS_SECURITY_TLS ? tls_scheme : plain_scheme,
                          user != NULL ? user : "", server->hostname, server->port);
}

char *
ms_export_neomutt_render (MsAccountSettings *settings)
{
  const MsServer *in = settings->incoming;
  const MsServer *smtp = settings->outgoing;
  g_autofree char *in_command = ms_keyring_lookup_command (settings->address, in->protocol);
  g_autofree char *smtp_command = ms_keyring_lookup_command (settings->address, MS_PROTOCOL_SMTP);
  g_autofree char *from = quote (settings->address);
  g_autofree char *real_name = quote (ms_account_settings_get_name (settings));
  g_autofree char *smtp_url = server_url ("smtp", "smtps", smtp);
  g_autofree char *smtp_url_quoted = quote (smtp_url);
  gboolean secure = in->security != MS_SECURITY_NONE && smtp->security != MS_SECURITY_NONE;
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "set from = %s\nset real_name = %s\n", from, real_name);
  if (in->protocol == MS_PROTOCOL_IMAP)
    {
      g_autofree char *url = server_url ("imap", "imaps", in);
      g_autofree char *url_quoted = quote (url);

      g_string_append_printf (out, "set folder = %s\nset spoolfile = \"+INBOX\"\n", url_quoted);
      if (in->username != NULL)
        {
          g_autofree char *user = quote (in->username);

          g_string_append_printf (out, "set imap_user = %s\n", user);
          /* Backticks run when the file is read: the password never sits in it. */
          g_string_append_printf (out, "set imap_pass = \"`%s`\"\n", in_command);
        }
    }
  else
    {
      g_autofree char *url = server_url ("pop", "pops", in);
      g_autofree char *url_quoted = quote (url);

      g_string_append_printf (out, "set pop_host = %s\nset spoolfile = %s\n", url_quoted, url_quoted);
      if (in->username != NULL)
        {
          g_autofree char *user = quote (in->username);

          g_string_append_printf (out, "set pop_user = %s\n", user);
          g_string_append_printf (out, "set pop_pass = \"`%s`\"\n", in_command);
        }
    }
  g_string_append_printf (out, "set smtp_url = %s\n", smtp_url_quoted);
  if (smtp->username != NULL)
    g_string_append_printf (out, "set smtp_pass = \"`%s`\"\n", smtp_command);
  if (secure)
    g_string_append (out, "set ssl_force_tls = yes\n");
  g_string_append (out, "set ssl_starttls = yes\n");
  if (settings->ca_file != NULL)
    {
      g_autofree char *ca = quote (settings->ca_file);

      g_string_append_printf (out, "set ssl_ca_certificates_file = %s\n", ca);
    }

  return g_string_free (out, FALSE);
}

static gboolean
export_neomutt (MsExportContext  *context,
                GError          **error)
{
  g_autofree char *block = ms_export_neomutt_render (context->settings);
  g_autofree char *path = NULL;

  if (context->output_path != NULL)
    path = g_strdup (context->output_path);
  else
    path = g_build_filename (g_get_user_config_dir (), "neomutt", "neomuttrc", NULL);

  return ms_export_write_block (context, path, "#", block, TRUE, error);
}

const MsExporter ms_export_neomutt = {
  "neomutt", N_("NeoMutt"), TRUE, export_neomutt,
};
