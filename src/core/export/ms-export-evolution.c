/* ms-export-evolution.c: Evolution's account, identity and transport sources, and their keyring entries
 *
 * evolution-source-registry watches ~/.config/evolution/sources/ and
 * loads new .source key files by itself. The UIDs come from the address,
 * so a second export replaces the same three files.
 *
 * A server that signs in with OAuth gets Evolution's own OAuth 2.0
 * service as its [Authentication] Method ("Google", "Outlook", "Yahoo"):
 * Camel takes it as the SASL mechanism and Evolution signs in by itself,
 * keeping its own tokens, so no password goes into the keyring for it.
 * Other OAuth servers are refused (ms-export-oauth.c says why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-export-oauth.h"
#include "ms-export-security.h"
#include "ms-exporter-private.h"
#include "ms-keyring.h"

static const SecretSchema *
evolution_schema (void)
{
  static const SecretSchema schema = {
    "org.gnome.Evolution.Data.Source", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "e-source-uid", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "eds-origin", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
authentication (GKeyFile       *key_file,
                const MsServer *server,
                const char     *method)
{
  g_key_file_set_string (key_file, "Authentication", "Host", server->hostname);
  g_key_file_set_integer (key_file, "Authentication", "Port", server->port);
  g_key_file_set_string (key_file, "Authentication", "User", server->username != NULL ? server->username : "");
  g_key_file_set_string (key_file, "Authentication", "Method", method);
  g_key_file_set_boolean (key_file, "Authentication", "RememberPassword", TRUE);
  g_key_file_set_string (key_file, "Security", "Method", ms_export_security_word (MS_EXPORT_SECURITY_EVOLUTION, server->security));
}

static gboolean
write_source (MsExportContext  *context,
              const char       *dir,
              const char       *uid,
              GKeyFile         *key_file,
              GError          **error)
{
  g_autofree char *name = g_strconcat (uid, ".source", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  gsize length;

  data = g_key_file_to_data (key_file, &length, NULL);

  return ms_export_write_file (context, path, data, length, FALSE, error);
}

static gboolean
store_password (MsExportContext  *context,
                const char       *uid,
                GError          **error)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *label = NULL;

  g_hash_table_insert (attributes, (char *) "e-source-uid", (char *) uid);
  g_hash_table_insert (attributes, (char *) "eds-origin", (char *) "evolution-data-server");
  label = g_strdup_printf ("Evolution Data Source “%s”", context->settings->address);

  return ms_keyring_store_other_sync (evolution_schema (), attributes, label, context->password,
                                      context->cancellable, error);
}

/* The [Authentication] Method: Evolution's OAuth service, PLAIN for an
 * SMTP login, "" (Camel's own choice, a password login) for IMAP and POP3. */
static const char *
auth_method (const MsServer *server)
{
  if (server->auth == MS_AUTH_OAUTH2)
    return ms_export_oauth_evolution_service (server->hostname);
  if (server->protocol == MS_PROTOCOL_SMTP && server->username != NULL)
    return "PLAIN";
  return "";
}

/* The source signs in with a password Evolution finds in its keyring,
 * not with Evolution's own OAuth tokens. */
static gboolean
needs_password (const MsServer *server)
{
  return server->auth != MS_AUTH_OAUTH2;
}

/* The UIDs come from the address, so a second export replaces the same
 * three files. */
static char *
source_uid (MsAccountSettings *settings,
            const char        *role)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, settings->address, -1);

  return g_strdup_printf ("mail-setup-%.16s-%s", hash, role);
}

/**
 * ms_export_evolution_render:
 * @sources: (out) (array fixed-size=3): the account, identity and
 *   transport key files
 *
 * GKeyFile escapes what it must, and the registry reads them with
 * GKeyFile; the values are checked like every exporter's.
 */
gboolean
ms_export_evolution_render (MsAccountSettings  *settings,
                            GKeyFile          **sources,
                            GError            **error)
{
  g_autofree char *account_uid = source_uid (settings, "account");
  g_autofree char *identity_uid = source_uid (settings, "identity");
  g_autofree char *transport_uid = source_uid (settings, "transport");
  g_autoptr(GKeyFile) account = g_key_file_new ();
  g_autoptr(GKeyFile) identity = g_key_file_new ();
  g_autoptr(GKeyFile) transport = g_key_file_new ();

  if (!ms_export_check_settings (settings, "Evolution", error) ||
      !ms_export_oauth_check (settings, MS_EXPORT_OAUTH_EVOLUTION, error))
    return FALSE;

  g_key_file_set_string (account, "Data Source", "DisplayName", settings->address);
  g_key_file_set_boolean (account, "Data Source", "Enabled", TRUE);
  g_key_file_set_string (account, "Data Source", "Parent", "");
  g_key_file_set_string (account, "Mail Account", "BackendName",
                         settings->incoming->protocol == MS_PROTOCOL_POP3 ? "pop" : "imapx");
  g_key_file_set_string (account, "Mail Account", "IdentityUid", identity_uid);
  authentication (account, settings->incoming, auth_method (settings->incoming));

  g_key_file_set_string (identity, "Data Source", "DisplayName", settings->address);
  g_key_file_set_boolean (identity, "Data Source", "Enabled", TRUE);
  g_key_file_set_string (identity, "Data Source", "Parent", account_uid);
  g_key_file_set_string (identity, "Mail Identity", "Address", settings->address);
  g_key_file_set_string (identity, "Mail Identity", "Name", ms_account_settings_get_name (settings));
  g_key_file_set_string (identity, "Mail Submission", "TransportUid", transport_uid);

  g_key_file_set_string (transport, "Data Source", "DisplayName", settings->address);
  g_key_file_set_boolean (transport, "Data Source", "Enabled", TRUE);
  g_key_file_set_string (transport, "Data Source", "Parent", account_uid);
  g_key_file_set_string (transport, "Mail Transport", "BackendName", "smtp");
  authentication (transport, settings->outgoing, auth_method (settings->outgoing));

  sources[0] = g_steal_pointer (&account);
  sources[1] = g_steal_pointer (&identity);
  sources[2] = g_steal_pointer (&transport);

  return TRUE;
}

static gboolean
export_evolution (MsExportContext  *context,
                  GError          **error)
{
  MsAccountSettings *settings = context->settings;
  g_autofree char *account_uid = source_uid (settings, "account");
  g_autofree char *identity_uid = source_uid (settings, "identity");
  g_autofree char *transport_uid = source_uid (settings, "transport");
  g_autofree char *dir = NULL;
  GKeyFile *sources[3] = { NULL, NULL, NULL };
  gboolean ok;

  if (!ms_export_evolution_render (settings, sources, error))
    return FALSE;

  if (context->password == NULL && (needs_password (settings->incoming) || needs_password (settings->outgoing)))
    {
      for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
        g_key_file_unref (sources[i]);
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_NEEDS_PASSWORD,
                           _("Evolution needs the password in its keyring; give the password or store it in the keyring first"));
      return FALSE;
    }

  dir = ms_export_target_path (context, MS_EXPORT_TARGET_CONFIG, "evolution", "sources", NULL);

  /* Children first: the registry ignores a child whose parent it has not
   * seen yet only until the parent arrives, but an account without its
   * identity shows up broken. */
  ok = (!needs_password (settings->incoming) || store_password (context, account_uid, error)) &&
       (!needs_password (settings->outgoing) || store_password (context, transport_uid, error)) &&
       write_source (context, dir, transport_uid, sources[2], error) &&
       write_source (context, dir, identity_uid, sources[1], error) &&
       write_source (context, dir, account_uid, sources[0], error);

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_key_file_unref (sources[i]);
  if (!ok)
    return FALSE;

  context->result->account_id = g_steal_pointer (&account_uid);
  if (ms_export_oauth_uses (settings))
    ms_export_add_warning (context, _("Evolution signs in to this account by itself: its own sign-in window opens the first time it gets mail."));

  return TRUE;
}

const MsExporter ms_export_evolution = {
  "evolution", N_("Evolution"), TRUE, export_evolution,
};
