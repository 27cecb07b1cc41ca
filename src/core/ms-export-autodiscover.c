/* ms-export-autodiscover.c: a Microsoft Autodiscover (POX) response for admins to host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-exporter-private.h"

static void
add_element (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *escaped = g_markup_escape_text (value, -1);

  g_string_append_printf (out, "        <%s>%s</%s>\n", name, escaped, name);
}

static void
add_protocol (GString        *out,
              const MsServer *server)
{
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  const char *type = server->protocol == MS_PROTOCOL_IMAP ? "IMAP" :
                     server->protocol == MS_PROTOCOL_POP3 ? "POP3" : "SMTP";

  g_string_append (out, "      <Protocol>\n");
  add_element (out, "Type", type);
  add_element (out, "Server", server->hostname);
  add_element (out, "Port", port);
  if (server->username != NULL)
    add_element (out, "LoginName", server->username);
  add_element (out, "DomainRequired", "off");
  /* Absent SPA means on, and SPA is NTLM: say off. */
  add_element (out, "SPA", "off");
  add_element (out, "SSL", server->security != MS_SECURITY_NONE ? "on" : "off");
  add_element (out, "Encryption",
               server->security == MS_SECURITY_TLS ? "SSL" :
               server->security == MS_SECURITY_STARTTLS ? "TLS" : "None");
  add_element (out, "AuthRequired", server->username != NULL ? "on" : "off");
  g_string_append (out, "      </Protocol>\n");
}

char *
ms_export_autodiscover_render (MsAccountSettings *settings)
{
  GString *out = g_string_new (NULL);

  g_string_append (out,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n"
                   "  <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">\n"
                   "    <Account>\n"
                   "      <AccountType>email</AccountType>\n"
                   "      <Action>settings</Action>\n");
  add_protocol (out, settings->incoming);
  add_protocol (out, settings->outgoing);
  g_string_append (out, "    </Account>\n  </Response>\n</Autodiscover>\n");

  return g_string_free (out, FALSE);
}

static gboolean
export_autodiscover (MsExportContext  *context,
                     GError          **error)
{
  g_autofree char *contents = ms_export_autodiscover_render (context->settings);
  g_autofree char *path = NULL;

  if (context->output_path != NULL)
    path = g_strdup (context->output_path);
  else
    path = ms_export_default_document_path (context->settings, "autodiscover.xml");

  return ms_export_write_file (context, path, contents, strlen (contents), FALSE, error);
}

const MsExporter ms_export_autodiscover = {
  "autodiscover", N_("Outlook (Autodiscover file)"), TRUE, export_autodiscover,
};
