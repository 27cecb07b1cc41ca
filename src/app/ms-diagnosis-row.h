/* ms-diagnosis-row.h: one problem, explained, with the buttons that fix it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-diagnosis.h"

G_BEGIN_DECLS

#define MS_TYPE_DIAGNOSIS_ROW (ms_diagnosis_row_get_type ())

G_DECLARE_FINAL_TYPE (MsDiagnosisRow, ms_diagnosis_row, MS, DIAGNOSIS_ROW, GtkListBoxRow)

GtkWidget   *ms_diagnosis_row_new           (MsDiagnosis    *diagnosis);
MsDiagnosis *ms_diagnosis_row_get_diagnosis (MsDiagnosisRow *self);
void         ms_diagnosis_row_add_button    (MsDiagnosisRow *self,
                                             GtkWidget      *button);
void         ms_diagnosis_row_add_step      (MsDiagnosisRow *self,
                                             const char     *step);

G_END_DECLS
