/* ms-account-report.h: the outcome of testing an account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ms-address.h"
#include "ms-probe-result.h"
#include "ms-profile.h"
#include "ms-provider.h"

G_BEGIN_DECLS

#define MS_TYPE_ACCOUNT_REPORT (ms_account_report_get_type ())

G_DECLARE_FINAL_TYPE (MsAccountReport, ms_account_report, MS, ACCOUNT_REPORT, GObject)

MsAccountReport *ms_account_report_new                (MsAddress       *address,
                                                       MsProvider      *provider,
                                                       MsProfile       *profile);
MsAddress       *ms_account_report_get_address        (MsAccountReport *self);
MsProvider      *ms_account_report_get_provider       (MsAccountReport *self);
MsProfile       *ms_account_report_get_profile        (MsAccountReport *self);
void             ms_account_report_set_source         (MsAccountReport *self,
                                                       const char      *source);
const char      *ms_account_report_get_source         (MsAccountReport *self);
void             ms_account_report_add_result         (MsAccountReport *self,
                                                       MsProbeResult   *result,
                                                       gboolean         alternate);
GPtrArray       *ms_account_report_get_results        (MsAccountReport *self);
GPtrArray       *ms_account_report_get_alternates     (MsAccountReport *self);
void             ms_account_report_add_diagnosis      (MsAccountReport *self,
                                                       MsDiagnosis     *diagnosis);
GPtrArray       *ms_account_report_get_diagnoses      (MsAccountReport *self);
void             ms_account_report_set_chosen         (MsAccountReport *self,
                                                       MsProbeResult   *incoming,
                                                       MsProbeResult   *outgoing);
MsProbeResult   *ms_account_report_get_incoming       (MsAccountReport *self);
MsProbeResult   *ms_account_report_get_outgoing       (MsAccountReport *self);
void             ms_account_report_set_test_message   (MsAccountReport *self,
                                                       gboolean         requested,
                                                       gboolean         sent,
                                                       gboolean         arrived,
                                                       gint64           delivery_ms);
void             ms_account_report_set_test_message_checked (MsAccountReport *self,
                                                             gboolean         checked);
gboolean         ms_account_report_works              (MsAccountReport *self);
JsonNode        *ms_account_report_to_json            (MsAccountReport *self);
char            *ms_account_report_to_text            (MsAccountReport *self);

JsonNode        *ms_probe_result_to_json              (MsProbeResult   *result);

G_END_DECLS
