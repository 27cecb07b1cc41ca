/* ms-manual-page.h: the wizard page for settings typed in by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-profile.h"

G_BEGIN_DECLS

#define MS_TYPE_MANUAL_PAGE (ms_manual_page_get_type ())

G_DECLARE_FINAL_TYPE (MsManualPage, ms_manual_page, MS, MANUAL_PAGE, AdwBin)

void       ms_manual_page_fill               (MsManualPage *self,
                                              MsProfile    *profile,
                                              const char   *username);
gboolean   ms_manual_page_get_valid          (MsManualPage *self);
MsProfile *ms_manual_page_build_profile      (MsManualPage *self);
GtkWidget *ms_manual_page_get_default_widget (MsManualPage *self);
void       ms_manual_page_focus              (MsManualPage *self);

G_END_DECLS
