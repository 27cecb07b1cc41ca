/* ms-export-msmtp.c: an msmtp account that fetches its password from the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-exporter-private.h"
#include "ms-keyring.h"

/* msmtp reads double-quoted arguments with \" and \\ escapes. */
static char *
quote (const char *value)
{
  GString *out = g_string_new ("\"");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

char *
ms_export_msmtp_render (MsAccountSettings *settings)
{
  const MsServer *smtp = settings->outgoing;
  g_autofree char *command = ms_keyring_lookup_command (settings->address, MS_PROTOCOL_SMTP);
  g_autofree char *quoted_command = quote (command);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "account %s\n", settings->address);
  g_string_append_printf (out, "host %s\n", smtp->hostname);
  g_string_append_printf (out, "port %u\n", smtp->port);
  g_string_append_printf (out, "from %s\n", settings->address);
  switch (smtp->security)
    {
    case MS_SECURITY_TLS:
      g_string_append (out, "tls on\ntls_starttls off\n");
      break;
    case MS_SECURITY_STARTTLS:
      g_string_append (out, "tls on\ntls_starttls on\n");
      break;
    case MS_SECURITY_NONE:
    default:
      g_string_append (out, "tls off\n");
      break;
    }
  if (settings->ca_file != NULL)
    {
      g_autofree char *quoted = quote (settings->ca_file);

      g_string_append_printf (out, "tls_trust_file %s\n", quoted);
    }
  if (smtp->username != NULL)
    {
      g_autofree char *quoted = quote (smtp->username);

      g_string_append_printf (out, "auth on\nuser %s\n", quoted);
      g_string_append_printf (out, "passwordeval %s\n", quoted_command);
    }
  else
    g_string_append (out, "auth off\n");

  return g_string_free (out, FALSE);
}

static gboolean
export_msmtp (MsExportContext  *context,
              GError          **error)
{
  g_autofree char *block = ms_export_msmtp_render (context->settings);
  g_autofree char *path = NULL;

  if (context->output_path != NULL)
    path = g_strdup (context->output_path);
  else
    path = g_build_filename (g_get_user_config_dir (), "msmtp", "config", NULL);

  /* msmtp refuses a configuration file others can read. */
  return ms_export_write_block (context, path, "#", block, TRUE, error);
}

const MsExporter ms_export_msmtp = {
  "msmtp", N_("msmtp"), TRUE, export_msmtp,
};
