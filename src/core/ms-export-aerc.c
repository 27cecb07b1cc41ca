/* ms-export-aerc.c: an aerc account (accounts.conf) with keyring credential commands
 *
 * aerc 0.14 (Debian 12): imaps:// and smtps:// are implicit TLS, imap://
 * and smtp:// STARTTLS, the +insecure variants plain. It refuses an
 * accounts.conf others can read, so the file is always 0600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-exporter-private.h"
#include "ms-keyring.h"

static char *
url (const char     *scheme,
     const MsServer *server)
{
  g_autofree char *user = server->username != NULL ? ms_export_uri_escape_user (server->username) : NULL;
  const char *suffix = server->security == MS_SECURITY_TLS ? "s" :
                       server->security == MS_SECURITY_STARTTLS ? "" : "+insecure";

  return g_strdup_printf ("%s%s://%s%s%s:%u", scheme, suffix,
                          user != NULL ? user : "", user != NULL ? "@" : "",
                          server->hostname, server->port);
}

char *
ms_export_aerc_render (MsAccountSettings  *settings,
                       GError            **error)
{
  g_autofree char *source = NULL;
  g_autofree char *outgoing = NULL;
  g_autofree char *in_command = NULL;
  g_autofree char *out_command = NULL;
  GString *out;

  if (settings->incoming->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("aerc reads mail over IMAP only; this account was set up with POP3"));
      return NULL;
    }

  source = url ("imap", settings->incoming);
  outgoing = url ("smtp", settings->outgoing);
  in_command = ms_keyring_lookup_command (settings->address, MS_PROTOCOL_IMAP);
  out_command = ms_keyring_lookup_command (settings->address, MS_PROTOCOL_SMTP);

  out = g_string_new (NULL);
  g_string_append_printf (out, "[%s]\n", settings->address);
  g_string_append_printf (out, "source = %s\n", source);
  g_string_append_printf (out, "source-cred-cmd = %s\n", in_command);
  g_string_append_printf (out, "outgoing = %s\n", outgoing);
  if (settings->outgoing->username != NULL)
    g_string_append_printf (out, "outgoing-cred-cmd = %s\n", out_command);
  g_string_append (out, "default = INBOX\n");
  if (settings->display_name != NULL)
    g_string_append_printf (out, "from = %s <%s>\n", settings->display_name, settings->address);
  else
    g_string_append_printf (out, "from = %s\n", settings->address);
  g_string_append (out, "copy-to = Sent\n");

  return g_string_free (out, FALSE);
}

static gboolean
export_aerc (MsExportContext  *context,
             GError          **error)
{
  g_autofree char *block = ms_export_aerc_render (context->settings, error);
  g_autofree char *path = NULL;

  if (block == NULL)
    return FALSE;

  if (context->output_path != NULL)
    path = g_strdup (context->output_path);
  else
    path = g_build_filename (g_get_user_config_dir (), "aerc", "accounts.conf", NULL);

  return ms_export_write_block (context, path, "#", block, TRUE, error);
}

const MsExporter ms_export_aerc = {
  "aerc", N_("aerc"), TRUE, export_aerc,
};
