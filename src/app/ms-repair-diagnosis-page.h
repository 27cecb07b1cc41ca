/* ms-repair-diagnosis-page.h: the wizard page with what is wrong with one account, and its repair
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-doctor.h"
#include "ms-account-repair.h"

G_BEGIN_DECLS

#define MS_TYPE_REPAIR_DIAGNOSIS_PAGE (ms_repair_diagnosis_page_get_type ())

G_DECLARE_FINAL_TYPE (MsRepairDiagnosisPage, ms_repair_diagnosis_page, MS, REPAIR_DIAGNOSIS_PAGE, AdwBin)

void          ms_repair_diagnosis_page_set_report   (MsRepairDiagnosisPage *self,
                                                     MsDoctorReport        *report,
                                                     MsRepairPlan          *plan,
                                                     const char            *problem);
MsRepairPlan *ms_repair_diagnosis_page_get_plan     (MsRepairDiagnosisPage *self);
void          ms_repair_diagnosis_page_set_busy     (MsRepairDiagnosisPage *self,
                                                     gboolean               busy);
void          ms_repair_diagnosis_page_show_refusal (MsRepairDiagnosisPage *self,
                                                     const char            *message);
gboolean      ms_repair_diagnosis_page_get_valid    (MsRepairDiagnosisPage *self);

G_END_DECLS
