/* ms-account-settings.c: a tested account's settings, what every exporter writes out
 *
 * Built from a report whose test passed, so exporters write the security
 * each port was found to speak, not what a provider file claims. Saved per
 * address under $XDG_CONFIG_HOME/mail-setup/accounts/ so a later export
 * needs no new test and no password typed again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-account-settings.h"
#include "ms-atomic-file.h"
#include "ms-safe-file.h"
#include "ms-validate.h"

G_DEFINE_QUARK (ms-account-settings-error-quark, ms_account_settings_error)

G_DEFINE_BOXED_TYPE (MsAccountSettings, ms_account_settings,
                     ms_account_settings_ref, ms_account_settings_unref)

MsAccountSettings *
ms_account_settings_new (const char *address,
                         MsServer   *incoming,
                         MsServer   *outgoing)
{
  MsAccountSettings *self;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (incoming != NULL, NULL);
  g_return_val_if_fail (outgoing != NULL, NULL);

  self = g_new0 (MsAccountSettings, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->address = g_strdup (address);
  self->incoming = ms_server_ref (incoming);
  self->outgoing = ms_server_ref (outgoing);

  return self;
}

MsAccountSettings *
ms_account_settings_ref (MsAccountSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_account_settings_unref (MsAccountSettings *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->incoming, ms_server_unref);
  g_clear_pointer (&self->outgoing, ms_server_unref);
  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->provider_name, g_free);
  g_clear_pointer (&self->support_phone, g_free);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_free (self);
}

void
ms_account_settings_set_display_name (MsAccountSettings *self,
                                      const char        *display_name)
{
  g_return_if_fail (self != NULL);

  g_free (self->display_name);
  self->display_name = (display_name != NULL && *display_name != '\0') ? g_strdup (display_name) : NULL;
}

void
ms_account_settings_set_ca_file (MsAccountSettings *self,
                                 const char        *ca_file)
{
  g_return_if_fail (self != NULL);

  g_free (self->ca_file);
  self->ca_file = ca_file != NULL ? g_canonicalize_filename (ca_file, NULL) : NULL;
}

/**
 * ms_account_settings_get_name:
 *
 * Returns: the person's name, or the address when none was given
 */
const char *
ms_account_settings_get_name (MsAccountSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->display_name != NULL ? self->display_name : self->address;
}

static gboolean
server_uses_password (const MsServer *server)
{
  return server->auth != MS_AUTH_OAUTH2 && server->auth != MS_AUTH_NONE &&
         server->auth != MS_AUTH_CLIENT_IP_ADDRESS;
}

/**
 * ms_account_settings_uses_password:
 *
 * Returns: whether a server of @self logs in with the password; %FALSE
 *   when both sign in with the provider (OAuth) or need no login, so the
 *   keyring holds no password for the account
 */
gboolean
ms_account_settings_uses_password (MsAccountSettings *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return server_uses_password (self->incoming) || server_uses_password (self->outgoing);
}

/* The server as it was proven to work: the detected security, the
 * username that logged in. */
static MsServer *
server_from_result (MsProbeResult *result,
                    const char    *address)
{
  MsServer *server = ms_server_copy (result->server);

  if (result->security_detected)
    server->security = result->detected_security;
  /* A server that worked only once TLS 1.3 was left out keeps needing it. */
  if (result->tls_limit != MS_TLS_LIMIT_NONE)
    server->max_tls12 = TRUE;

  /* A bearer login proved the sign-in: programs are to sign in too (and
   * no password is kept for this server). */
  if (result->login == MS_LOGIN_SUCCEEDED &&
      (g_strcmp0 (result->login_mechanism, "XOAUTH2") == 0 ||
       g_strcmp0 (result->login_mechanism, "OAUTHBEARER") == 0))
    server->auth = MS_AUTH_OAUTH2;

  if (result->username != NULL)
    ms_server_set_username (server, result->username);
  else
    ms_server_take_username (server, ms_server_expand_username (result->server, address));

  return server;
}

typedef gboolean (*TextValidator) (const char *value, const char *source, GError **error);

static char *
valid_or_null (const char    *value,
               TextValidator  validator)
{
  if (value == NULL || !validator (value, "report", NULL))
    return NULL;

  return g_strdup (value);
}

/**
 * ms_account_settings_new_from_report:
 *
 * Returns: (transfer full) (nullable): the settings the test proved, or
 *   %NULL with %MS_ACCOUNT_SETTINGS_ERROR_NOT_WORKING if it did not pass
 */
MsAccountSettings *
ms_account_settings_new_from_report (MsAccountReport  *report,
                                     GError          **error)
{
  g_autoptr(MsServer) incoming = NULL;
  g_autoptr(MsServer) outgoing = NULL;
  MsProbeResult *in_result;
  MsProbeResult *out_result;
  MsAccountSettings *self;
  MsProvider *provider;
  MsProfile *profile;
  const char *address;

  g_return_val_if_fail (MS_IS_ACCOUNT_REPORT (report), NULL);

  in_result = ms_account_report_get_incoming (report);
  out_result = ms_account_report_get_outgoing (report);
  if (!ms_account_report_works (report) || in_result == NULL || out_result == NULL)
    {
      g_set_error_literal (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_NOT_WORKING,
                           _("The account’s test did not pass, so there are no working settings to export"));
      return NULL;
    }

  address = ms_address_get_ascii (ms_account_report_get_address (report));
  incoming = server_from_result (in_result, address);
  outgoing = server_from_result (out_result, address);
  self = ms_account_settings_new (address, incoming, outgoing);

  /* Only what a later load accepts is kept: a provider built from a
   * lookup (not a provider file) may carry names that never passed the
   * validator, and they are not worth a settings file refused later. */
  provider = ms_account_report_get_provider (report);
  if (provider != NULL)
    {
      self->provider_id = valid_or_null (ms_provider_get_id (provider), ms_validate_id);
      self->provider_name = valid_or_null (ms_provider_get_display_name (provider), ms_validate_display_name);
      self->support_phone = valid_or_null (ms_provider_get_support_phone (provider), ms_validate_display_name);
    }
  profile = ms_account_report_get_profile (report);
  if (profile != NULL)
    self->profile_id = valid_or_null (ms_profile_get_id (profile), ms_validate_id);

  return self;
}

/**
 * ms_account_settings_get_path:
 *
 * Returns: (transfer full): where the settings for @address are saved
 */
char *
ms_account_settings_get_path (const char *address)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  /* A validated address has no '/', but never trust a file name built
   * from input. */
  name = g_strdelimit (g_ascii_strdown (address, -1), "/\\", '_');

  return g_build_filename (g_get_user_config_dir (), "mail-setup", "accounts",
                           name, NULL);
}

static void
set_optional (GKeyFile   *key_file,
              const char *group,
              const char *key,
              const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, group, key, value);
}

static void
server_to_key_file (GKeyFile       *key_file,
                    const char     *group,
                    const MsServer *server)
{
  g_key_file_set_string (key_file, group, "Protocol", ms_protocol_to_string (server->protocol));
  g_key_file_set_string (key_file, group, "Host", server->hostname);
  g_key_file_set_integer (key_file, group, "Port", server->port);
  g_key_file_set_string (key_file, group, "Security", ms_security_to_string (server->security));
  g_key_file_set_string (key_file, group, "Auth", ms_auth_method_to_string (server->auth));
  set_optional (key_file, group, "Username", server->username);
  if (server->max_tls12)
    g_key_file_set_string (key_file, group, "MaxTLS", "1.2");
}

char *
ms_account_settings_to_data (MsAccountSettings *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  g_return_val_if_fail (self != NULL, NULL);

  g_key_file_set_comment (key_file, NULL, NULL,
                          " Settings Mail Setup tested for this account; no password", NULL);
  g_key_file_set_string (key_file, "Account", "Address", self->address);
  set_optional (key_file, "Account", "Name", self->display_name);
  set_optional (key_file, "Account", "ProviderId", self->provider_id);
  set_optional (key_file, "Account", "ProviderName", self->provider_name);
  set_optional (key_file, "Account", "SupportPhone", self->support_phone);
  set_optional (key_file, "Account", "Profile", self->profile_id);
  set_optional (key_file, "Account", "CaFile", self->ca_file);
  server_to_key_file (key_file, "Incoming", self->incoming);
  server_to_key_file (key_file, "Outgoing", self->outgoing);

  return g_key_file_to_data (key_file, NULL, NULL);
}

/* A validation error becomes the settings' own "invalid" error, its
 * message (which names the file) kept. */
static gboolean
invalid (GError  *validate_error,
         GError **error)
{
  g_set_error_literal (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID,
                       validate_error->message);
  g_error_free (validate_error);

  return FALSE;
}

static MsServer *
server_from_key_file (GKeyFile    *key_file,
                      const char  *group,
                      const char  *source,
                      GError     **error)
{
  g_autofree char *protocol_name = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_name = NULL;
  g_autofree char *auth_name = NULL;
  g_autofree char *where = NULL;
  g_autoptr(MsServer) server = NULL;
  GError *validate_error = NULL;
  MsProtocol protocol;
  MsSecurity security;
  MsAuthMethod auth = MS_AUTH_PASSWORD_CLEARTEXT;
  int port;

  protocol_name = g_key_file_get_string (key_file, group, "Protocol", error);
  if (protocol_name == NULL)
    return NULL;
  host = g_key_file_get_string (key_file, group, "Host", error);
  if (host == NULL)
    return NULL;
  port = g_key_file_get_integer (key_file, group, "Port", error);
  security_name = g_key_file_get_string (key_file, group, "Security", error);
  if (security_name == NULL)
    return NULL;
  auth_name = g_key_file_get_string (key_file, group, "Auth", NULL);

  if (!ms_protocol_from_string (protocol_name, &protocol) ||
      !ms_security_from_string (security_name, &security) ||
      (auth_name != NULL && !ms_auth_method_from_string (auth_name, &auth)) ||
      port <= 0 || port > G_MAXUINT16 || *host == '\0')
    {
      g_set_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID,
                   _("The saved settings have an invalid [%s] section"), group);
      return NULL;
    }

  server = ms_server_new (protocol, host, port, security);
  server->auth = auth;
  ms_server_take_username (server, g_key_file_get_string (key_file, group, "Username", NULL));
  {
    g_autofree char *max_tls = g_key_file_get_string (key_file, group, "MaxTLS", NULL);

    server->max_tls12 = g_strcmp0 (max_tls, "1.2") == 0;
  }

  /* A tested server: real names, no template left to expand. */
  where = g_strdup_printf ("%s [%s]", source, group);
  if (!ms_validate_server (server, MS_VALIDATE_FLAGS_NONE, where, &validate_error))
    {
      invalid (validate_error, error);
      return NULL;
    }

  return g_steal_pointer (&server);
}

/* Optional text of the [Account] group, validated as @kind's validator
 * would; %NULL when absent. */

static gboolean
optional_text (GKeyFile       *key_file,
               const char     *key,
               TextValidator   validator,
               const char     *source,
               char          **value,
               GError        **error)
{
  g_autofree char *text = g_key_file_get_string (key_file, "Account", key, NULL);
  g_autofree char *where = NULL;
  GError *validate_error = NULL;

  if (text == NULL)
    return TRUE;

  where = g_strdup_printf ("%s [Account] %s", source, key);
  if (!validator (text, where, &validate_error))
    return invalid (validate_error, error);

  *value = g_steal_pointer (&text);

  return TRUE;
}

static MsAccountSettings *
new_from_data_for_source (const char  *data,
                          const char  *source,
                          GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(MsServer) incoming = NULL;
  g_autoptr(MsServer) outgoing = NULL;
  g_autofree char *address = NULL;
  g_autofree char *where = NULL;
  g_autoptr(MsAccountSettings) self = NULL;
  GError *validate_error = NULL;

  if (!g_key_file_load_from_data (key_file, data, -1, G_KEY_FILE_NONE, error))
    return NULL;

  address = g_key_file_get_string (key_file, "Account", "Address", error);
  if (address == NULL)
    return NULL;
  where = g_strdup_printf ("%s [Account] Address", source);
  if (!ms_validate_address (address, where, &validate_error))
    {
      invalid (validate_error, error);
      return NULL;
    }
  incoming = server_from_key_file (key_file, "Incoming", source, error);
  if (incoming == NULL)
    return NULL;
  outgoing = server_from_key_file (key_file, "Outgoing", source, error);
  if (outgoing == NULL)
    return NULL;
  if (!ms_protocol_is_incoming (incoming->protocol) || outgoing->protocol != MS_PROTOCOL_SMTP)
    {
      g_set_error_literal (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID,
                           _("The saved settings mix up the incoming and outgoing servers"));
      return NULL;
    }

  self = ms_account_settings_new (address, incoming, outgoing);
  if (!optional_text (key_file, "Name", ms_validate_display_name, source, &self->display_name, error) ||
      !optional_text (key_file, "ProviderId", ms_validate_id, source, &self->provider_id, error) ||
      !optional_text (key_file, "ProviderName", ms_validate_display_name, source, &self->provider_name, error) ||
      !optional_text (key_file, "SupportPhone", ms_validate_display_name, source, &self->support_phone, error) ||
      !optional_text (key_file, "Profile", ms_validate_id, source, &self->profile_id, error) ||
      !optional_text (key_file, "CaFile", ms_validate_path, source, &self->ca_file, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * ms_account_settings_new_from_data:
 *
 * Every value is checked as it would be from any other outside source
 * (ms-validate.h): the file may have been edited by hand or by someone
 * else.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with
 *   %MS_ACCOUNT_SETTINGS_ERROR_INVALID (or a #GKeyFileError)
 */
MsAccountSettings *
ms_account_settings_new_from_data (const char  *data,
                                   GError     **error)
{
  g_return_val_if_fail (data != NULL, NULL);

  return new_from_data_for_source (data, _("saved settings"), error);
}

gboolean
ms_account_settings_save (MsAccountSettings  *self,
                          GError            **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  path = ms_account_settings_get_path (self->address);
  data = ms_account_settings_to_data (self);

  /* Private: which servers someone uses is nobody else's business. */
  return ms_atomic_file_replace (path, data, strlen (data), MS_ATOMIC_FILE_PRIVATE, NULL, error);
}

/**
 * ms_account_settings_load:
 *
 * Returns: (transfer full) (nullable): the settings saved for @address, or
 *   %NULL with %MS_ACCOUNT_SETTINGS_ERROR_NOT_SAVED when there are none
 */
MsAccountSettings *
ms_account_settings_load (const char  *address,
                          GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  MsAccountSettings *self;

  g_return_val_if_fail (address != NULL, NULL);

  path = ms_account_settings_get_path (address);
  if (!ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                          &data, NULL, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_NOT_SAVED,
                     _("No tested settings are saved for %s"), address);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self = new_from_data_for_source (data, path, &local_error);
  if (self == NULL)
    {
      g_set_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID,
                   /* Translators: the first %s is an address, the second a file
                    * name, the third why. */
                   _("The saved settings for %s in %s are damaged: %s"), address, path,
                   local_error->message);
      return NULL;
    }

  /* A file put in another address's place must not become its settings. */
  if (g_ascii_strcasecmp (self->address, address) != 0)
    {
      g_set_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID,
                   _("The saved settings for %s in %s are damaged: they are for another address"),
                   address, path);
      ms_account_settings_unref (self);
      return NULL;
    }

  return self;
}
