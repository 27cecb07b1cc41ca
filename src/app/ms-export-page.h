/* ms-export-page.h: the wizard page that puts the account into mail programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MS_TYPE_EXPORT_PAGE (ms_export_page_get_type ())

G_DECLARE_FINAL_TYPE (MsExportPage, ms_export_page, MS, EXPORT_PAGE, AdwBin)

void       ms_export_page_set_busy           (MsExportPage *self,
                                              const char   *exporter_id,
                                              gboolean      busy);
GtkWidget *ms_export_page_get_default_widget (MsExportPage *self);
void       ms_export_page_focus              (MsExportPage *self);

G_END_DECLS
