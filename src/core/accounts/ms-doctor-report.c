/* ms-doctor-report.c: what the doctor found about one existing account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-doctor-report-private.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

#define JSON_FORMAT_VERSION 1

struct _MsDoctorReport
{
  GObject            parent_instance;

  MsExistingAccount *account;
  MsAccountReport   *current;
  GPtrArray         *findings;
  MsAccountReport   *recommended_report;
  MsAccountSettings *recommended;
  gboolean           login_tested;
};

G_DEFINE_FINAL_TYPE (MsDoctorReport, ms_doctor_report, G_TYPE_OBJECT)

static void
ms_doctor_report_dispose (GObject *object)
{
  MsDoctorReport *self = MS_DOCTOR_REPORT (object);

  g_clear_object (&self->current);
  g_clear_object (&self->recommended_report);

  G_OBJECT_CLASS (ms_doctor_report_parent_class)->dispose (object);
}

static void
ms_doctor_report_finalize (GObject *object)
{
  MsDoctorReport *self = MS_DOCTOR_REPORT (object);

  g_clear_pointer (&self->account, ms_existing_account_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->recommended, ms_account_settings_unref);

  G_OBJECT_CLASS (ms_doctor_report_parent_class)->finalize (object);
}

static void
ms_doctor_report_class_init (MsDoctorReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_doctor_report_dispose;
  object_class->finalize = ms_doctor_report_finalize;
}

static void
ms_doctor_report_init (MsDoctorReport *self)
{
}

MsDoctorReport *
ms_doctor_report_new (MsExistingAccount *account,
                      MsAccountReport   *current,
                      GPtrArray         *findings)
{
  MsDoctorReport *self;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (findings != NULL, NULL);

  self = g_object_new (MS_TYPE_DOCTOR_REPORT, NULL);
  self->account = ms_existing_account_ref (account);
  g_set_object (&self->current, current);
  self->findings = g_ptr_array_ref (findings);

  return self;
}

void
ms_doctor_report_set_recommended (MsDoctorReport    *self,
                                  MsAccountReport   *report,
                                  MsAccountSettings *settings,
                                  gboolean           login_tested)
{
  g_return_if_fail (MS_IS_DOCTOR_REPORT (self));

  g_set_object (&self->recommended_report, report);
  g_clear_pointer (&self->recommended, ms_account_settings_unref);
  if (settings != NULL)
    self->recommended = ms_account_settings_ref (settings);
  self->login_tested = settings != NULL && login_tested;
}

/**
 * ms_doctor_report_get_login_tested:
 *
 * Returns: whether the recommended settings were proven by a login on
 *   both servers; %FALSE when they passed everything short of it (no
 *   password, or a server of theirs already refused it once)
 */
gboolean
ms_doctor_report_get_login_tested (MsDoctorReport *self)
{
  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), FALSE);

  return self->login_tested;
}

MsExistingAccount *
ms_doctor_report_get_account (MsDoctorReport *self)
{
  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), NULL);

  return self->account;
}

/**
 * ms_doctor_report_get_current:
 *
 * Returns: (transfer none) (nullable): the test of the settings as they
 *   are; %NULL when there was no address to test them with
 */
MsAccountReport *
ms_doctor_report_get_current (MsDoctorReport *self)
{
  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), NULL);

  return self->current;
}

/**
 * ms_doctor_report_get_findings:
 *
 * Returns: (transfer none) (element-type MsDiagnosis): worst first
 */
GPtrArray *
ms_doctor_report_get_findings (MsDoctorReport *self)
{
  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), NULL);

  return self->findings;
}

/**
 * ms_doctor_report_get_recommended:
 *
 * Returns: (transfer none) (nullable): the provider's settings for how
 *   this computer is used, as their test proved them; %NULL when the
 *   account is healthy, no provider file knows it, or the test failed
 */
MsAccountSettings *
ms_doctor_report_get_recommended (MsDoctorReport *self)
{
  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), NULL);

  return self->recommended;
}

/**
 * ms_doctor_report_get_recommended_report:
 *
 * Returns: (transfer none) (nullable): the test of the right settings
 */
MsAccountReport *
ms_doctor_report_get_recommended_report (MsDoctorReport *self)
{
  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), NULL);

  return self->recommended_report;
}

/**
 * ms_doctor_report_is_healthy:
 *
 * Returns: %TRUE when nothing worse than information was found
 */
gboolean
ms_doctor_report_is_healthy (MsDoctorReport *self)
{
  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), FALSE);

  for (guint i = 0; i < self->findings->len; i++)
    {
      MsDiagnosis *finding = g_ptr_array_index (self->findings, i);

      if (finding->severity != MS_SEVERITY_INFO)
        return FALSE;
    }

  return TRUE;
}

static void
add_server_member (JsonBuilder    *builder,
                   const char     *member,
                   const MsServer *server)
{
  json_builder_set_member_name (builder, member);
  if (server != NULL)
    json_builder_add_value (builder, ms_server_to_json (server));
  else
    json_builder_add_null_value (builder);
}

static void
add_settings_member (JsonBuilder       *builder,
                     MsAccountSettings *settings,
                     gboolean           login_tested)
{
  json_builder_set_member_name (builder, "recommended");
  if (settings == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  ms_json_add_text (builder, "address", settings->address);
  ms_json_add_text (builder, "profile", settings->profile_id);
  ms_json_add_text (builder, "provider", settings->provider_id);
  add_server_member (builder, "incoming", settings->incoming);
  add_server_member (builder, "outgoing", settings->outgoing);
  json_builder_set_member_name (builder, "login_tested");
  json_builder_add_boolean_value (builder, login_tested);
  json_builder_end_object (builder);
}

static void
add_report_member (JsonBuilder     *builder,
                   const char      *member,
                   MsAccountReport *report)
{
  json_builder_set_member_name (builder, member);
  if (report != NULL)
    json_builder_add_value (builder, ms_account_report_to_json (report));
  else
    json_builder_add_null_value (builder);
}

/**
 * ms_doctor_report_to_json:
 *
 * The `mail-setup doctor --json` entry for one account (docs/cli-json.md).
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
ms_doctor_report_to_json (MsDoctorReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account");
  json_builder_add_value (builder, ms_existing_account_to_json (self->account));
  json_builder_set_member_name (builder, "healthy");
  json_builder_add_boolean_value (builder, ms_doctor_report_is_healthy (self));
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->findings->len; i++)
    json_builder_add_value (builder, ms_diagnosis_to_json (g_ptr_array_index (self->findings, i)));
  json_builder_end_array (builder);
  add_report_member (builder, "current", self->current);
  add_settings_member (builder, self->recommended, self->login_tested);
  add_report_member (builder, "recommended_test", self->recommended_report);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
append_server (GString        *text,
               GPtrArray      *pool,
               const char     *label,
               const MsServer *server)
{
  if (server == NULL)
    return;

  g_string_append_printf (text, "  %s %s %s:%u, %s", label, ms_protocol_to_string (server->protocol),
                          ms_untrusted_text_pool_sanitize (pool, server->hostname, MS_UNTRUSTED_TEXT_MAX_BYTES),
                          server->port, ms_security_to_string (server->security));
  if (server->username != NULL)
    g_string_append_printf (text, ", %s %s", _("username"),
                            ms_untrusted_text_pool_sanitize (pool, server->username, MS_UNTRUSTED_TEXT_MAX_BYTES));
  g_string_append_c (text, '\n');
}

static void
append_findings (GString   *text,
                 GPtrArray *findings)
{
  for (guint i = 0; i < findings->len; i++)
    {
      MsDiagnosis *finding = g_ptr_array_index (findings, i);
      g_autofree char *server = finding->server != NULL ? ms_server_to_display_string (finding->server) : NULL;

      g_string_append_printf (text, "  [%s] %s", ms_diagnosis_code_to_string (finding->code), finding->title);
      if (server != NULL)
        g_string_append_printf (text, " (%s)", server);
      g_string_append_printf (text, "\n      %s\n", finding->explanation);
      if (finding->detail != NULL)
        g_string_append_printf (text, "      %s %s\n", _("Details:"), finding->detail);
      for (guint j = 0; j < finding->fixes->len; j++)
        g_string_append_printf (text, "      → %s\n", ((MsFix *) g_ptr_array_index (finding->fixes, j))->label);
    }
}

/**
 * ms_doctor_report_to_text:
 *
 * Returns: (transfer full): the report in plain words, for a terminal
 */
char *
ms_doctor_report_to_text (MsDoctorReport *self)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;

  g_return_val_if_fail (MS_IS_DOCTOR_REPORT (self), NULL);

  id = ms_existing_account_get_id (self->account);
  g_string_append_printf (text, "%s %s (%s)\n", _("Account:"),
                          ms_untrusted_text_pool_sanitize (pool, self->account->address != NULL
                                                           ? self->account->address : id,
                                                           MS_UNTRUSTED_TEXT_MAX_BYTES),
                          ms_mail_program_get_name (self->account->program));
  append_server (text, pool, _("Receives with"), self->account->incoming);
  append_server (text, pool, _("Sends with"), self->account->outgoing);

  if (self->findings->len > 0)
    {
      g_string_append_printf (text, "%s\n", _("Findings:"));
      append_findings (text, self->findings);
    }

  if (self->recommended != NULL)
    {
      g_string_append_printf (text, "%s\n", self->login_tested
                              ? _("The right settings, tested:")
                              : _("The right settings, tested without signing in:"));
      append_server (text, pool, _("Receives with"), self->recommended->incoming);
      append_server (text, pool, _("Sends with"), self->recommended->outgoing);
    }

  g_string_append_printf (text, "%s\n\n", ms_doctor_report_is_healthy (self)
                          ? _("Result: nothing to repair.")
                          : _("Result: this account needs repair."));

  return g_string_free (text, FALSE);
}
