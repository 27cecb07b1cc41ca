/* ms-export-autodiscover.c: a Microsoft Autodiscover (POX) response for admins to host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"

/* Keeps the first error and writes nothing after it. */
static void
add_element (GString     *out,
             const char  *name,
             const char  *value,
             GError     **error)
{
  g_autofree char *escaped = NULL;

  if (*error != NULL)
    return;
  escaped = ms_export_syntax_xml_text (value, name, "autodiscover.xml", error);
  if (escaped != NULL)
    g_string_append_printf (out, "        <%s>%s</%s>\n", name, escaped, name);
}

static void
add_protocol (GString         *out,
              const MsServer  *server,
              GError         **error)
{
  if (*error == NULL)
    ms_export_syntax_check_hostname (server->hostname, _("the server name"), "autodiscover.xml", error);
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  const char *type = server->protocol == MS_PROTOCOL_IMAP ? "IMAP" :
                     server->protocol == MS_PROTOCOL_POP3 ? "POP3" : "SMTP";

  g_string_append (out, "      <Protocol>\n");
  add_element (out, "Type", type, error);
  add_element (out, "Server", server->hostname, error);
  add_element (out, "Port", port, error);
  if (server->username != NULL)
    add_element (out, "LoginName", server->username, error);
  add_element (out, "DomainRequired", "off", error);
  /* Absent SPA means on, and SPA is NTLM: say off. */
  add_element (out, "SPA", "off", error);
  add_element (out, "SSL", ms_export_security_word (MS_EXPORT_SECURITY_AUTODISCOVER_SSL, server->security), error);
  add_element (out, "Encryption",
               ms_export_security_word (MS_EXPORT_SECURITY_AUTODISCOVER_ENCRYPTION, server->security), error);
  add_element (out, "AuthRequired", server->username != NULL ? "on" : "off", error);
  g_string_append (out, "      </Protocol>\n");
}

char *
ms_export_autodiscover_render (MsAccountSettings  *settings,
                               GError            **error)
{
  GError *local_error = NULL;
  GString *out = g_string_new (NULL);

  g_string_append (out,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n"
                   "  <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">\n"
                   "    <Account>\n"
                   "      <AccountType>email</AccountType>\n"
                   "      <Action>settings</Action>\n");
  add_protocol (out, settings->incoming, &local_error);
  add_protocol (out, settings->outgoing, &local_error);
  g_string_append (out, "    </Account>\n  </Response>\n</Autodiscover>\n");

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
export_autodiscover (MsExportContext  *context,
                     GError          **error)
{
  g_autofree char *contents = ms_export_autodiscover_render (context->settings, error);
  g_autofree char *path = NULL;

  if (contents == NULL)
    return FALSE;

  path = ms_export_target_path (context, MS_EXPORT_TARGET_DOCUMENT, "autodiscover.xml", NULL);

  return ms_export_write_file (context, path, contents, strlen (contents), FALSE, error);
}

const MsExporter ms_export_autodiscover = {
  "autodiscover", N_("Outlook (Autodiscover file)"), TRUE, export_autodiscover, "autodiscover.xml",
};
