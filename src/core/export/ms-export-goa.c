/* ms-export-goa.c: the account in GNOME Online Accounts, through its D-Bus API
 *
 * goa-daemon's AddAccount stores the account and its passwords; Evolution,
 * Geary and the rest of GNOME then pick it up by themselves. GOA ignores
 * ports unless the host is written "host:port", so a port other than the
 * default goes there. An account GOA already has for the address is
 * refused rather than duplicated.
 *
 * An account that signs in with OAuth becomes an account of GOA's own
 * provider for it ("google", ms-export-oauth.c), with mail only and no
 * credentials: Mail Setup's tokens belong to its own client, so GOA
 * signs in by itself the first time (Settings shows the account as
 * needing attention until then), keeps its own tokens and gives them to
 * Evolution and Geary. For a provider GOA cannot sign in to, the export
 * refuses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-export-oauth.h"
#include "ms-export-security.h"
#include "ms-exporter-private.h"

#define GOA_BUS_NAME     "org.gnome.OnlineAccounts"
#define GOA_MANAGER_PATH "/org/gnome/OnlineAccounts/Manager"

static char *
host_port (const MsServer *server)
{
  if (server->port == ms_protocol_default_port (server->protocol, server->security))
    return g_strdup (server->hostname);

  return g_strdup_printf ("%s:%u", server->hostname, server->port);
}

static void
add_bool (GVariantBuilder *builder,
          const char      *key,
          gboolean         value)
{
  g_variant_builder_add (builder, "{ss}", key, value ? "true" : "false");
}

static gboolean
goa_has_account (GDBusConnection  *bus,
                 const char       *address,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) objects = NULL;
  const char *path;
  GVariant *interfaces;

  reply = g_dbus_connection_call_sync (bus, GOA_BUS_NAME, "/org/gnome/OnlineAccounts",
                                       "org.freedesktop.DBus.ObjectManager", "GetManagedObjects",
                                       NULL, G_VARIANT_TYPE ("(a{oa{sa{sv}}})"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, cancellable, error);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(a{oa{sa{sv}}})", &objects);
  while (g_variant_iter_next (objects, "{&o@a{sa{sv}}}", &path, &interfaces))
    {
      g_autoptr(GVariant) owned = interfaces;
      g_autoptr(GVariant) mail = g_variant_lookup_value (interfaces, "org.gnome.OnlineAccounts.Mail",
                                                         G_VARIANT_TYPE ("a{sv}"));
      const char *email = NULL;

      if (mail != NULL && g_variant_lookup (mail, "EmailAddress", "&s", &email) &&
          g_ascii_strcasecmp (email, address) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
check_exportable (MsExportContext  *context,
                  GError          **error)
{
  if (context->settings->incoming->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("GNOME Online Accounts reads mail over IMAP only; this account was set up with POP3"));
      return FALSE;
    }

  return TRUE;
}

/* The session bus, once GOA answers on it without an account for the
 * address yet. */
static GDBusConnection *
connect_goa (MsExportContext  *context,
             GError          **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *address = context->settings->address;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, context->cancellable, &local_error);
  if (bus == NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_NO_SERVICE,
                   _("GNOME Online Accounts cannot be reached: %s"), local_error->message);
      return NULL;
    }

  if (goa_has_account (bus, address, context->cancellable, &local_error))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("GNOME Online Accounts already has an account for %s; remove it in Settings first to replace it"),
                   address);
      return NULL;
    }
  if (local_error != NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_NO_SERVICE,
                   _("GNOME Online Accounts is not available: %s"), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&bus);
}

static void
init_credentials (GVariantBuilder *credentials,
                  MsSecret        *password)
{
  g_variant_builder_init (credentials, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (credentials, "{sv}", "imap-password",
                         g_variant_new_string (ms_secret_get_text (password)));
  g_variant_builder_add (credentials, "{sv}", "smtp-password",
                         g_variant_new_string (ms_secret_get_text (password)));
}

static void
init_details (GVariantBuilder   *details,
              MsAccountSettings *settings)
{
  const MsServer *imap = settings->incoming;
  const MsServer *smtp = settings->outgoing;
  g_autofree char *imap_host = host_port (imap);
  g_autofree char *smtp_host = host_port (smtp);

  g_variant_builder_init (details, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (details, "{ss}", "Enabled", "true");
  g_variant_builder_add (details, "{ss}", "EmailAddress", settings->address);
  g_variant_builder_add (details, "{ss}", "Name", ms_account_settings_get_name (settings));
  g_variant_builder_add (details, "{ss}", "ImapHost", imap_host);
  g_variant_builder_add (details, "{ss}", "ImapUserName", imap->username != NULL ? imap->username : "");
  add_bool (details, "ImapUseSsl", ms_export_security_flag (MS_EXPORT_SECURITY_GOA_USE_SSL, imap->security));
  add_bool (details, "ImapUseTls", ms_export_security_flag (MS_EXPORT_SECURITY_GOA_USE_TLS, imap->security));
  add_bool (details, "ImapAcceptSslErrors", FALSE);
  g_variant_builder_add (details, "{ss}", "SmtpHost", smtp_host);
  add_bool (details, "SmtpUseAuth", smtp->username != NULL);
  g_variant_builder_add (details, "{ss}", "SmtpUserName", smtp->username != NULL ? smtp->username : "");
  add_bool (details, "SmtpAuthLogin", FALSE);
  add_bool (details, "SmtpAuthPlain", smtp->username != NULL);
  add_bool (details, "SmtpUseSsl", ms_export_security_flag (MS_EXPORT_SECURITY_GOA_USE_SSL, smtp->security));
  add_bool (details, "SmtpUseTls", ms_export_security_flag (MS_EXPORT_SECURITY_GOA_USE_TLS, smtp->security));
  add_bool (details, "SmtpAcceptSslErrors", FALSE);
}

/* The details of an account of GOA's own OAuth provider: mail only,
 * which is what was set up. */
static void
init_provider_details (GVariantBuilder *details)
{
  g_variant_builder_init (details, G_VARIANT_TYPE ("a{ss}"));
  add_bool (details, "MailEnabled", TRUE);
  add_bool (details, "CalendarEnabled", FALSE);
  add_bool (details, "ContactsEnabled", FALSE);
  add_bool (details, "PhotosEnabled", FALSE);
  add_bool (details, "FilesEnabled", FALSE);
  add_bool (details, "PrintersEnabled", FALSE);
}

/**
 * ms_export_goa_render:
 * @password: (nullable): the password, for an account that signs in with one
 *
 * Returns: (transfer full): the arguments of GOA's AddAccount,
 *   "(sssa{sv}a{ss})": provider, identity, presentation identity,
 *   credentials and details
 */
GVariant *
ms_export_goa_render (MsAccountSettings  *settings,
                      MsSecret           *password,
                      GError            **error)
{
  GVariantBuilder credentials;
  GVariantBuilder details;
  const char *provider = "imap_smtp";

  if (!ms_export_check_settings (settings, "GNOME Online Accounts", error) ||
      !ms_export_oauth_check (settings, MS_EXPORT_OAUTH_GOA, error))
    return NULL;

  if (ms_export_oauth_uses (settings))
    {
      /* GOA's Google identity is the address its sign-in reports. */
      provider = ms_export_oauth_goa_provider (settings);
      g_variant_builder_init (&credentials, G_VARIANT_TYPE ("a{sv}"));
      init_provider_details (&details);
    }
  else
    {
      if (password == NULL)
        {
          g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_NEEDS_PASSWORD,
                               _("GNOME Online Accounts needs the password; give the password or store it in the keyring first"));
          return NULL;
        }
      init_credentials (&credentials, password);
      init_details (&details, settings);
    }

  return g_variant_ref_sink (g_variant_new ("(sssa{sv}a{ss})", provider,
                                            settings->address, settings->address,
                                            &credentials, &details));
}

static gboolean
export_goa (MsExportContext  *context,
            GError          **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) arguments = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!check_exportable (context, error))
    return FALSE;
  arguments = ms_export_goa_render (context->settings, context->password, error);
  if (arguments == NULL)
    return FALSE;

  bus = connect_goa (context, error);
  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, GOA_BUS_NAME, GOA_MANAGER_PATH,
                                       "org.gnome.OnlineAccounts.Manager", "AddAccount",
                                       arguments, G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       context->cancellable, &local_error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (local_error);
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("GNOME Online Accounts did not add the account: %s"), local_error->message);
      return FALSE;
    }

  g_variant_get (reply, "(o)", &context->result->account_id);
  if (ms_export_oauth_uses (context->settings))
    ms_export_add_warning (context, _("Sign in once in Settings → Online Accounts: GNOME Online Accounts signs in to Google by itself and shows the account as needing attention until then."));

  return TRUE;
}

const MsExporter ms_export_goa = {
  "goa", N_("GNOME Online Accounts"), FALSE, export_goa,
};
