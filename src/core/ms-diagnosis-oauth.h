/* ms-diagnosis-oauth.h: a failed browser sign-in, as a diagnosis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-diagnosis.h"
#include "ms-provider.h"

G_BEGIN_DECLS

MsDiagnosis *ms_diagnosis_new_for_oauth_error (const GError *error,
                                               MsProvider   *provider);

G_END_DECLS
