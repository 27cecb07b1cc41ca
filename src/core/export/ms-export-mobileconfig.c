/* ms-export-mobileconfig.c: an Apple configuration profile for iPhone, iPad and Mac
 *
 * The profile's mail payload has no OAuth sign-in, so an account that
 * signs in with OAuth is refused (ms-export-oauth.c) rather than written
 * as a password account that cannot log in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-oauth.h"
#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"

/* Keeps the first error and writes nothing after it. */
static void
add_string (GString     *out,
            const char  *key,
            const char  *value,
            GError     **error)
{
  g_autofree char *escaped = NULL;

  if (*error != NULL)
    return;
  escaped = ms_export_syntax_xml_text (value, key, "mobileconfig", error);
  if (escaped != NULL)
    g_string_append_printf (out, "      <key>%s</key>\n      <string>%s</string>\n", key, escaped);
}

static void
add_integer (GString    *out,
             const char *key,
             guint       value)
{
  g_string_append_printf (out, "      <key>%s</key>\n      <integer>%u</integer>\n", key, value);
}

static void
add_boolean (GString    *out,
             const char *key,
             gboolean    value)
{
  g_string_append_printf (out, "      <key>%s</key>\n      <%s/>\n", key, value ? "true" : "false");
}

/* The same account always gets the same UUIDs, so importing a new export
 * replaces the old profile instead of adding a second one. */
static char *
stable_uuid (const char *address,
             const char *what)
{
  g_autofree char *seed = g_strconcat ("io.github.mailsetup:", what, ":", address, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

  g_autofree char *uuid = g_strdup_printf ("%.8s-%.4s-4%.3s-8%.3s-%.12s",
                                           hash, hash + 8, hash + 12, hash + 15, hash + 18);

  return g_ascii_strup (uuid, -1);
}

static void
add_server (GString         *out,
            const char      *prefix,
            const MsServer  *server,
            GError         **error)
{
  g_autofree char *key = NULL;

  key = g_strconcat (prefix, "MailServerHostName", NULL);
  add_string (out, key, server->hostname, error);
  g_free (key);
  key = g_strconcat (prefix, "MailServerPortNumber", NULL);
  add_integer (out, key, server->port);
  g_free (key);
  key = g_strconcat (prefix, "MailServerUseSSL", NULL);
  add_boolean (out, key, ms_export_security_flag (MS_EXPORT_SECURITY_MOBILECONFIG, server->security));
  g_free (key);
  key = g_strconcat (prefix, "MailServerAuthentication", NULL);
  add_string (out, key, server->username != NULL ? "EmailAuthPassword" : "EmailAuthNone", error);
  g_free (key);
  key = g_strconcat (prefix, "MailServerUsername", NULL);
  add_string (out, key, server->username != NULL ? server->username : "", error);
}

char *
ms_export_mobileconfig_render (MsAccountSettings  *settings,
                               MsSecret           *password,
                               GError            **error)
{
  GError *local_error = NULL;
  g_autofree char *profile_uuid = stable_uuid (settings->address, "profile");
  g_autofree char *mail_uuid = stable_uuid (settings->address, "mail");
  g_autofree char *identifier = g_strconcat ("io.github.mailsetup.", settings->address, NULL);
  g_autofree char *mail_identifier = g_strconcat (identifier, ".mail", NULL);
  g_autofree char *description = NULL;
  const char *provider = settings->provider_name != NULL ? settings->provider_name : settings->address;
  GString *out;

  if (!ms_export_oauth_check (settings, MS_EXPORT_OAUTH_APPLE_MAIL, error))
    return NULL;
  /* Sized so it never grows: growing frees copies of the password unwiped. */
  out = g_string_sized_new (64 * 1024);

  /* TRANSLATORS: %s is the provider's name (Charter Spectrum) */
  description = g_strdup_printf (_("%s email"), provider);

  g_string_append (out,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                   "<plist version=\"1.0\">\n"
                   "<dict>\n"
                   "  <key>PayloadContent</key>\n"
                   "  <array>\n"
                   "    <dict>\n");
  add_string (out, "PayloadType", "com.apple.mail.managed", &local_error);
  add_integer (out, "PayloadVersion", 1);
  add_string (out, "PayloadIdentifier", mail_identifier, &local_error);
  add_string (out, "PayloadUUID", mail_uuid, &local_error);
  add_string (out, "PayloadDisplayName", settings->address, &local_error);
  add_string (out, "EmailAccountType",
              settings->incoming->protocol == MS_PROTOCOL_POP3 ? "EmailTypePOP" : "EmailTypeIMAP", &local_error);
  add_string (out, "EmailAddress", settings->address, &local_error);
  add_string (out, "EmailAccountName", ms_account_settings_get_name (settings), &local_error);
  add_string (out, "EmailAccountDescription", description, &local_error);
  add_server (out, "Incoming", settings->incoming, &local_error);
  add_server (out, "Outgoing", settings->outgoing, &local_error);
  add_boolean (out, "OutgoingPasswordSameAsIncomingPassword", TRUE);
  if (password != NULL)
    {
      add_string (out, "IncomingPassword", ms_secret_get_text (password), &local_error);
      add_string (out, "OutgoingPassword", ms_secret_get_text (password), &local_error);
    }
  g_string_append (out, "    </dict>\n  </array>\n");
  /* Top-level keys are indented like the payload's; plist readers do not care. */
  add_string (out, "PayloadType", "Configuration", &local_error);
  add_integer (out, "PayloadVersion", 1);
  add_string (out, "PayloadIdentifier", identifier, &local_error);
  add_string (out, "PayloadUUID", profile_uuid, &local_error);
  add_string (out, "PayloadDisplayName", description, &local_error);
  add_string (out, "PayloadDescription",
              _("Sets up your email account with the settings Mail Setup tested."), &local_error);
  add_string (out, "PayloadOrganization", provider, &local_error);
  add_boolean (out, "PayloadRemovalDisallowed", FALSE);
  g_string_append (out, "</dict>\n</plist>\n");

  if (local_error == NULL)
    ms_export_syntax_check_hostname (settings->incoming->hostname, _("the server name"),
                                     "mobileconfig", &local_error);
  if (local_error == NULL)
    ms_export_syntax_check_hostname (settings->outgoing->hostname, _("the server name"),
                                     "mobileconfig", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      explicit_bzero (out->str, out->len);
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
export_mobileconfig (MsExportContext  *context,
                     GError          **error)
{
  gboolean with_password = ms_export_include_password (context);
  g_autofree char *contents = ms_export_mobileconfig_render (context->settings,
                                                             with_password ? context->password : NULL,
                                                             error);
  g_autofree char *path = NULL;
  gboolean ok;

  if (contents == NULL)
    return FALSE;

  path = ms_export_target_path (context, MS_EXPORT_TARGET_DOCUMENT, "mobileconfig", NULL);

  ok = ms_export_write_file (context, path, contents, strlen (contents), with_password, error);
  explicit_bzero (contents, strlen (contents));

  return ok;
}

const MsExporter ms_export_mobileconfig = {
  "mobileconfig", N_("iPhone, iPad and Mac"), TRUE, export_mobileconfig, "mobileconfig",
};
