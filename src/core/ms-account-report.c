/* ms-account-report.c: the outcome of testing an account
 *
 * What `mail-setup test` prints (as text or JSON) and what the wizard shows:
 * every server tested, the alternates tried without a login, the working
 * configuration chosen, and the diagnoses with their fixes. The JSON shape
 * is stable API, documented in docs/cli-json.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-account-report.h"
#include "ms-certificate-info.h"
#include "ms-enum-nick.h"
#include "ms-enum-types.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

/* Names from provider files, DNS and servers are shown only cleaned
 * (ms-untrusted-text.h): the copies live as long as @pool. */
#define SHOWN(pool, text) ms_untrusted_text_pool_sanitize ((pool), (text), MS_UNTRUSTED_TEXT_MAX_BYTES)

#define JSON_FORMAT_VERSION 1

struct _MsAccountReport
{
  GObject          parent_instance;

  MsAddress       *address;
  MsProvider      *provider;
  MsProfile       *profile;
  char            *source;
  GPtrArray       *results;
  GPtrArray       *alternates;
  GPtrArray       *diagnoses;
  MsProbeResult   *incoming;
  MsProbeResult   *outgoing;

  gboolean         message_requested;
  gboolean         message_sent;
  gboolean         message_arrived;
  gboolean         message_checked;
  gint64           delivery_ms;
};

G_DEFINE_FINAL_TYPE (MsAccountReport, ms_account_report, G_TYPE_OBJECT)

static void
ms_account_report_dispose (GObject *object)
{
  MsAccountReport *self = MS_ACCOUNT_REPORT (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (ms_account_report_parent_class)->dispose (object);
}

static void
ms_account_report_finalize (GObject *object)
{
  MsAccountReport *self = MS_ACCOUNT_REPORT (object);

  g_clear_pointer (&self->address, ms_address_unref);
  g_clear_pointer (&self->incoming, ms_probe_result_unref);
  g_clear_pointer (&self->outgoing, ms_probe_result_unref);
  g_ptr_array_unref (self->results);
  g_ptr_array_unref (self->alternates);
  g_ptr_array_unref (self->diagnoses);
  g_free (self->source);

  G_OBJECT_CLASS (ms_account_report_parent_class)->finalize (object);
}

static void
ms_account_report_class_init (MsAccountReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_account_report_dispose;
  object_class->finalize = ms_account_report_finalize;
}

static void
ms_account_report_init (MsAccountReport *self)
{
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_probe_result_unref);
  self->alternates = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_probe_result_unref);
  self->diagnoses = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_diagnosis_unref);
  self->delivery_ms = -1;
}

/**
 * ms_account_report_new:
 * @provider: (nullable): where the settings came from
 * @profile: (nullable): the profile tested
 */
MsAccountReport *
ms_account_report_new (MsAddress  *address,
                       MsProvider *provider,
                       MsProfile  *profile)
{
  MsAccountReport *self;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (MS_TYPE_ACCOUNT_REPORT, NULL);
  self->address = ms_address_ref (address);
  g_set_object (&self->provider, provider);
  g_set_object (&self->profile, profile);

  return self;
}

MsAddress *
ms_account_report_get_address (MsAccountReport *self)
{
  return self->address;
}

MsProvider *
ms_account_report_get_provider (MsAccountReport *self)
{
  return self->provider;
}

MsProfile *
ms_account_report_get_profile (MsAccountReport *self)
{
  return self->profile;
}

/**
 * ms_account_report_set_source:
 * @source: where the settings came from, in a stable word
 *   ("provider-file", "command-line", and for discovery "autoconfig", ...)
 */
void
ms_account_report_set_source (MsAccountReport *self,
                              const char      *source)
{
  g_free (self->source);
  self->source = g_strdup (source);
}

const char *
ms_account_report_get_source (MsAccountReport *self)
{
  return self->source;
}

void
ms_account_report_add_result (MsAccountReport *self,
                              MsProbeResult   *result,
                              gboolean         alternate)
{
  g_ptr_array_add (alternate ? self->alternates : self->results, ms_probe_result_ref (result));
}

GPtrArray *
ms_account_report_get_results (MsAccountReport *self)
{
  return self->results;
}

GPtrArray *
ms_account_report_get_alternates (MsAccountReport *self)
{
  return self->alternates;
}

void
ms_account_report_add_diagnosis (MsAccountReport *self,
                                 MsDiagnosis     *diagnosis)
{
  g_ptr_array_add (self->diagnoses, ms_diagnosis_ref (diagnosis));
}

/**
 * ms_account_report_get_diagnoses:
 *
 * Returns: (transfer none) (element-type MsDiagnosis): the account's own
 *   diagnoses (not those of each server), worst first
 */
GPtrArray *
ms_account_report_get_diagnoses (MsAccountReport *self)
{
  return self->diagnoses;
}

void
ms_account_report_set_chosen (MsAccountReport *self,
                              MsProbeResult   *incoming,
                              MsProbeResult   *outgoing)
{
  g_clear_pointer (&self->incoming, ms_probe_result_unref);
  g_clear_pointer (&self->outgoing, ms_probe_result_unref);
  if (incoming != NULL)
    self->incoming = ms_probe_result_ref (incoming);
  if (outgoing != NULL)
    self->outgoing = ms_probe_result_ref (outgoing);
}

MsProbeResult *
ms_account_report_get_incoming (MsAccountReport *self)
{
  return self->incoming;
}

MsProbeResult *
ms_account_report_get_outgoing (MsAccountReport *self)
{
  return self->outgoing;
}

void
ms_account_report_set_test_message (MsAccountReport *self,
                                    gboolean         requested,
                                    gboolean         sent,
                                    gboolean         arrived,
                                    gint64           delivery_ms)
{
  self->message_requested = requested;
  self->message_sent = sent;
  self->message_arrived = arrived;
  self->message_checked = TRUE;
  self->delivery_ms = delivery_ms;
}

/**
 * ms_account_report_set_test_message_checked:
 *
 * Says whether the message's arrival could be watched (it needs IMAP); a
 * POP3-only account proves sending only.
 */
void
ms_account_report_set_test_message_checked (MsAccountReport *self,
                                            gboolean         checked)
{
  self->message_checked = checked;
}

/**
 * ms_account_report_works:
 *
 * Returns: %TRUE if a working incoming and outgoing server were found, and
 *   the test message (if asked for) arrived
 */
gboolean
ms_account_report_works (MsAccountReport *self)
{
  for (guint i = 0; i < self->diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (self->diagnoses, i);

      if (diagnosis->severity == MS_SEVERITY_ERROR)
        return FALSE;
    }

  return self->incoming != NULL && self->outgoing != NULL &&
         (!self->message_requested ||
          (self->message_checked ? self->message_arrived : self->message_sent));
}

/* JSON */

static void
add_diagnoses_member (JsonBuilder *builder,
                      GPtrArray   *diagnoses)
{
  json_builder_set_member_name (builder, "diagnoses");
  json_builder_begin_array (builder);
  for (guint i = 0; i < diagnoses->len; i++)
    json_builder_add_value (builder, ms_diagnosis_to_json (g_ptr_array_index (diagnoses, i)));
  json_builder_end_array (builder);
}

JsonNode *
ms_probe_result_to_json (MsProbeResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const MsServer *server = result->server;

  json_builder_begin_object (builder);
  ms_server_add_json_endpoint (builder, server);
  json_builder_set_member_name (builder, "security_requested");
  json_builder_add_string_value (builder, ms_security_to_string (server->security));
  json_builder_set_member_name (builder, "security_detected");
  if (result->security_detected)
    json_builder_add_string_value (builder, ms_security_to_string (result->detected_security));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "connected");
  json_builder_add_boolean_value (builder, result->connected);

  json_builder_set_member_name (builder, "tls");
  if (result->certificate != NULL)
    {
      g_autoptr(MsCertificateInfo) info = NULL;

      info = ms_certificate_info_new (result->certificate, result->certificate_errors,
                                      server->hostname, server->port);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "established");
      json_builder_add_boolean_value (builder, result->tls_established);
      ms_json_add_string_or_null (builder, "version", result->tls_version);
      ms_json_add_string_or_null (builder, "cipher", result->tls_cipher);
      json_builder_set_member_name (builder, "trusted_by_user");
      json_builder_add_boolean_value (builder, result->certificate_pinned);
      json_builder_set_member_name (builder, "certificate");
      json_builder_add_value (builder, ms_certificate_info_to_json (info));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  ms_json_add_strv (builder, "capabilities", (const char * const *) result->capabilities);
  ms_json_add_strv (builder, "auth_mechanisms", (const char * const *) result->mechanisms);

  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, ms_login_result_to_string (result->login));
  ms_json_add_text (builder, "login_mechanism", result->login_mechanism);
  ms_json_add_string_or_null (builder, "username", result->username);

  json_builder_set_member_name (builder, "timings_ms");
  json_builder_begin_object (builder);
  for (guint i = 0; i < MS_PROBE_N_STAGES; i++)
    {
      if (result->stage_ms[i] < 0)
        continue;
      json_builder_set_member_name (builder, ms_probe_stage_to_string (i));
      json_builder_add_int_value (builder, result->stage_ms[i]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "round_trips");
  json_builder_add_int_value (builder, result->round_trips);
  ms_json_add_string_or_null (builder, "tls_limit",
                              result->tls_limit == MS_TLS_LIMIT_NONE ? NULL
                              : ms_enum_nick_get (MS_TYPE_TLS_LIMIT, result->tls_limit));
  ms_json_add_string_or_null (builder, "relay",
                              !result->relay_checked ? NULL : result->relay_accepted ? "accepted" : "refused");
  add_diagnoses_member (builder, result->diagnoses);
  json_builder_set_member_name (builder, "works");
  json_builder_add_boolean_value (builder, ms_probe_result_works (result));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The configuration to use: the servers as tested, with the security each
 * port really speaks. */
static JsonNode *
chosen_server_to_json (MsProbeResult *result,
                       MsAddress     *address)
{
  g_autoptr(MsServer) server = ms_server_copy (result->server);

  if (result->security_detected && result->detected_security != MS_SECURITY_NONE)
    server->security = result->detected_security;

  ms_server_take_username (server, ms_server_expand_username (result->server,
                                                              ms_address_get_ascii (address)));

  return ms_server_to_json (server);
}

static void
add_provider_member (JsonBuilder *builder,
                     MsProvider  *provider)
{
  json_builder_set_member_name (builder, "provider");
  if (provider == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ms_provider_get_id (provider));
  json_builder_set_member_name (builder, "name");
  ms_json_add_text_value (builder, ms_provider_get_display_name (provider),
                          ms_provider_get_id (provider));
  ms_json_add_text (builder, "file", ms_provider_get_source (provider));
  json_builder_end_object (builder);
}

static void
add_profile_member (JsonBuilder *builder,
                    MsProfile   *profile)
{
  json_builder_set_member_name (builder, "profile");
  if (profile == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ms_profile_get_id (profile));
  json_builder_set_member_name (builder, "name");
  ms_json_add_text_value (builder, ms_profile_get_name (profile), ms_profile_get_id (profile));
  json_builder_end_object (builder);
}

static void
add_chosen_server_member (JsonBuilder   *builder,
                          const char    *name,
                          MsProbeResult *result,
                          MsAddress     *address)
{
  json_builder_set_member_name (builder, name);
  if (result != NULL)
    json_builder_add_value (builder, chosen_server_to_json (result, address));
  else
    json_builder_add_null_value (builder);
}

static void
add_configuration_member (JsonBuilder     *builder,
                          MsAccountReport *self)
{
  json_builder_set_member_name (builder, "configuration");
  if (self->incoming == NULL && self->outgoing == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  add_chosen_server_member (builder, "incoming", self->incoming, self->address);
  add_chosen_server_member (builder, "outgoing", self->outgoing, self->address);
  json_builder_end_object (builder);
}

static void
add_results_member (JsonBuilder *builder,
                    const char  *name,
                    GPtrArray   *results)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    json_builder_add_value (builder, ms_probe_result_to_json (g_ptr_array_index (results, i)));
  json_builder_end_array (builder);
}

static void
add_test_message_member (JsonBuilder     *builder,
                         MsAccountReport *self)
{
  json_builder_set_member_name (builder, "test_message");
  if (!self->message_requested)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sent");
  json_builder_add_boolean_value (builder, self->message_sent);
  json_builder_set_member_name (builder, "arrived");
  if (self->message_checked)
    json_builder_add_boolean_value (builder, self->message_arrived);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "delivery_ms");
  if (self->delivery_ms >= 0)
    json_builder_add_int_value (builder, self->delivery_ms);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

JsonNode *
ms_account_report_to_json (MsAccountReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, JSON_FORMAT_VERSION);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, ms_address_get_ascii (self->address));

  add_provider_member (builder, self->provider);
  add_profile_member (builder, self->profile);
  ms_json_add_string_or_null (builder, "source", self->source);

  json_builder_set_member_name (builder, "works");
  json_builder_add_boolean_value (builder, ms_account_report_works (self));

  add_configuration_member (builder, self);
  add_results_member (builder, "servers", self->results);
  add_results_member (builder, "alternates", self->alternates);
  add_diagnoses_member (builder, self->diagnoses);
  add_test_message_member (builder, self);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Text */

static void
append_diagnoses (GString   *text,
                  GPtrArray *diagnoses,
                  const char *indent)
{
  for (guint i = 0; i < diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (diagnoses, i);

      g_string_append_printf (text, "%s[%s] %s\n", indent,
                              ms_diagnosis_code_to_string (diagnosis->code), diagnosis->title);
      g_string_append_printf (text, "%s    %s\n", indent, diagnosis->explanation);
      if (diagnosis->detail != NULL)
        g_string_append_printf (text, "%s    %s %s\n", indent, _("Details:"), diagnosis->detail);
      for (guint j = 0; j < diagnosis->fixes->len; j++)
        {
          MsFix *fix = g_ptr_array_index (diagnosis->fixes, j);

          g_string_append_printf (text, "%s    → %s\n", indent, fix->label);
        }
    }
}

static void
append_result (GString       *text,
               MsProbeResult *result)
{
  const MsServer *server = result->server;
  const char *state = ms_probe_result_works (result) ? _("works") : _("does not work");
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);

  g_string_append_printf (text, "  %s %s:%u (%s) — %s\n",
                          ms_protocol_to_string (server->protocol), SHOWN (pool, server->hostname),
                          server->port, ms_security_to_string (server->security), state);
  if (result->security_detected)
    g_string_append_printf (text, "    %s %s\n", _("Speaks:"),
                            ms_security_to_string (result->detected_security));
  if (result->tls_established)
    g_string_append_printf (text, "    %s %s, %s%s\n", _("Encryption:"),
                            result->tls_version != NULL ? result->tls_version : "TLS",
                            result->tls_cipher != NULL ? result->tls_cipher : "",
                            result->certificate_pinned ? _(" (certificate trusted by you)") : "");
  if (result->tls_limit == MS_TLS_LIMIT_RETRY)
    g_string_append_printf (text, "    %s\n",
                            _("The handshake offering TLS 1.3 failed, so it was retried once "
                              "offering TLS 1.2 at most; the certificate was checked the same way."));
  else if (result->tls_limit == MS_TLS_LIMIT_PROVIDER)
    g_string_append_printf (text, "    %s\n",
                            _("Only TLS 1.2 was offered: the provider file says this server "
                              "fails when TLS 1.3 is offered."));
  g_string_append_printf (text, "    %s %s", _("Login:"), ms_login_result_to_string (result->login));
  if (result->login_mechanism != NULL)
    g_string_append_printf (text, " (%s)", SHOWN (pool, result->login_mechanism));
  g_string_append_printf (text, ", %" G_GINT64_FORMAT " ms\n", result->stage_ms[MS_PROBE_STAGE_TOTAL]);
  append_diagnoses (text, result->diagnoses, "    ");
}

char *
ms_account_report_to_text (MsAccountReport *self)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);

  g_string_append_printf (text, "%s %s\n", _("Account:"), SHOWN (pool, ms_address_get_display (self->address)));
  if (self->provider != NULL)
    g_string_append_printf (text, "%s %s (%s)\n", _("Provider:"),
                            SHOWN (pool, ms_provider_get_display_name (self->provider)),
                            SHOWN (pool, ms_provider_get_source (self->provider)));
  if (self->profile != NULL)
    g_string_append_printf (text, "%s %s\n", _("Profile:"), SHOWN (pool, ms_profile_get_name (self->profile)));

  g_string_append_printf (text, "\n%s\n", _("Servers:"));
  for (guint i = 0; i < self->results->len; i++)
    append_result (text, g_ptr_array_index (self->results, i));

  if (self->alternates->len > 0)
    {
      g_string_append_printf (text, "\n%s\n", _("Alternatives checked without logging in:"));
      for (guint i = 0; i < self->alternates->len; i++)
        {
          MsProbeResult *result = g_ptr_array_index (self->alternates, i);

          g_string_append_printf (text, "  %s %s:%u — %s\n",
                                  ms_protocol_to_string (result->server->protocol),
                                  SHOWN (pool, result->server->hostname), result->server->port,
                                  ms_probe_result_is_secure (result) ? _("reachable, encrypted")
                                                                     : _("not usable"));
        }
    }

  if (self->diagnoses->len > 0)
    {
      g_string_append_printf (text, "\n%s\n", _("Problems:"));
      append_diagnoses (text, self->diagnoses, "  ");
    }

  if (self->message_requested)
    {
      if (self->message_arrived)
        g_string_append_printf (text, "\n%s %" G_GINT64_FORMAT " ms\n",
                                _("Test message arrived after"), self->delivery_ms);
      else if (self->message_sent && !self->message_checked)
        g_string_append_printf (text, "\n%s\n",
                                _("Test message sent; its arrival can only be checked over IMAP"));
      else if (self->message_sent)
        g_string_append_printf (text, "\n%s\n", _("Test message sent, but it did not arrive"));
      else
        g_string_append_printf (text, "\n%s\n", _("Test message could not be sent"));
    }

  g_string_append_printf (text, "\n%s\n", ms_account_report_works (self)
                          ? _("Result: the account works.")
                          : _("Result: the account does not work yet."));

  return g_string_free (text, FALSE);
}
