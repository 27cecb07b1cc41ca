/* ms-result-page.h: the wizard page that says whether the account works
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-report.h"

G_BEGIN_DECLS

#define MS_TYPE_RESULT_PAGE (ms_result_page_get_type ())

G_DECLARE_FINAL_TYPE (MsResultPage, ms_result_page, MS, RESULT_PAGE, AdwBin)

void       ms_result_page_set_report         (MsResultPage    *self,
                                              MsAccountReport *report);
MsFix     *ms_result_page_get_fix            (MsResultPage    *self,
                                              guint            index);
MsDiagnosis *ms_result_page_get_fix_diagnosis (MsResultPage  *self,
                                               guint          index);
GtkWidget *ms_result_page_get_default_widget (MsResultPage    *self);
void       ms_result_page_focus              (MsResultPage    *self);

G_END_DECLS
