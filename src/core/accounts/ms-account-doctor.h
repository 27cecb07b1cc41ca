/* ms-account-doctor.h: test an existing account as it is, and find the settings that work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ms-account-report.h"
#include "ms-account-settings.h"
#include "ms-existing-account.h"
#include "ms-provider-database.h"
#include "ms-secret.h"
#include "ms-trust-store.h"

G_BEGIN_DECLS

#define MS_TYPE_DOCTOR_REPORT (ms_doctor_report_get_type ())

G_DECLARE_FINAL_TYPE (MsDoctorReport, ms_doctor_report, MS, DOCTOR_REPORT, GObject)

/* What was found: the account, the test of its settings as they are, the
 * findings (MsDiagnosis, same codes and words as a new setup, plus those
 * only an existing account has: outdated, insecure, wrong for how this
 * computer is used), and the right settings, tested, when they differ. */
MsExistingAccount *ms_doctor_report_get_account            (MsDoctorReport *self);
MsAccountReport   *ms_doctor_report_get_current            (MsDoctorReport *self);
GPtrArray         *ms_doctor_report_get_findings           (MsDoctorReport *self);
MsAccountSettings *ms_doctor_report_get_recommended        (MsDoctorReport *self);
MsAccountReport   *ms_doctor_report_get_recommended_report (MsDoctorReport *self);
gboolean           ms_doctor_report_get_login_tested       (MsDoctorReport *self);
gboolean           ms_doctor_report_is_healthy             (MsDoctorReport *self);
JsonNode          *ms_doctor_report_to_json                (MsDoctorReport *self);
char              *ms_doctor_report_to_text                (MsDoctorReport *self);

#define MS_TYPE_ACCOUNT_DOCTOR (ms_account_doctor_get_type ())

G_DECLARE_FINAL_TYPE (MsAccountDoctor, ms_account_doctor, MS, ACCOUNT_DOCTOR, GObject)

/* Signals (as MsAccountTest's, so a status row fills in live):
 *   "server-started"  (MsServer *server)
 *   "server-finished" (MsProbeResult *result)
 */
MsAccountDoctor *ms_account_doctor_new              (MsExistingAccount *account);
void             ms_account_doctor_set_password     (MsAccountDoctor   *self,
                                                     MsSecret          *password);
void             ms_account_doctor_set_profile_id   (MsAccountDoctor   *self,
                                                     const char        *profile_id);
void             ms_account_doctor_set_tls_database (MsAccountDoctor   *self,
                                                     GTlsDatabase      *database);
void             ms_account_doctor_set_trust_store  (MsAccountDoctor   *self,
                                                     MsTrustStore      *trust_store);
void             ms_account_doctor_set_timeout      (MsAccountDoctor   *self,
                                                     guint              timeout_ms);
void             ms_account_doctor_set_ca_file      (MsAccountDoctor   *self,
                                                     const char        *ca_file);
void             ms_account_doctor_set_provider_database (MsAccountDoctor    *self,
                                                          MsProviderDatabase *database);
void             ms_account_doctor_run_async        (MsAccountDoctor   *self,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
MsDoctorReport  *ms_account_doctor_run_finish       (MsAccountDoctor   *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);

G_END_DECLS
