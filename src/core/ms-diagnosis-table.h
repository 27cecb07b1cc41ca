/* ms-diagnosis-table.h: what the core knows about each diagnosis code
 *
 * Inside the core only: the rest of the program reads a code's texts from
 * an MsDiagnosis (ms_diagnosis_new()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-diagnosis.h"

G_BEGIN_DECLS

/* Ends a default fix list (MS_FIX_USE_PROFILE is 0, so 0 cannot). */
#define MS_DIAGNOSIS_FIX_END MS_FIX_N_KINDS

/**
 * MsDiagnosisCodeInfo:
 * @severity: how bad
 * @title: @explanation: untranslated (N_()) texts; the explanation is the
 *   one used when no server can be named
 * @fixes: the default fixes, those without parameters, ended by
 *   %MS_DIAGNOSIS_FIX_END
 */
typedef struct
{
  MsSeverity  severity;
  const char *title;
  const char *explanation;
  MsFixKind   fixes[5];
} MsDiagnosisCodeInfo;

const MsDiagnosisCodeInfo *ms_diagnosis_table_lookup (MsDiagnosisCode code);

G_END_DECLS
