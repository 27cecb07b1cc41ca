/* ms-doctor-report-private.h: how the doctor fills in its report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-account-doctor.h"

G_BEGIN_DECLS

/* @findings: (element-type MsDiagnosis) (transfer none): worst first */
MsDoctorReport *ms_doctor_report_new (MsExistingAccount *account,
                                      MsAccountReport   *current,
                                      GPtrArray         *findings);
void            ms_doctor_report_set_recommended (MsDoctorReport    *self,
                                                  MsAccountReport   *report,
                                                  MsAccountSettings *settings,
                                                  gboolean           login_tested);

G_END_DECLS
