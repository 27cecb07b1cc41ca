/* ms-settings-page.h: the wizard page that picks the servers to use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-provider.h"

G_BEGIN_DECLS

#define MS_TYPE_SETTINGS_PAGE (ms_settings_page_get_type ())

G_DECLARE_FINAL_TYPE (MsSettingsPage, ms_settings_page, MS, SETTINGS_PAGE, AdwBin)

void       ms_settings_page_set_provider      (MsSettingsPage *self,
                                               MsProvider     *provider,
                                               const char     *profile_id);
void       ms_settings_page_set_found         (MsSettingsPage *self,
                                               MsProvider     *provider,
                                               const char     *domain,
                                               const char     *source,
                                               const char     *concerns);
MsProfile *ms_settings_page_get_profile       (MsSettingsPage *self);
GtkWidget *ms_settings_page_get_default_widget (MsSettingsPage *self);
void       ms_settings_page_focus             (MsSettingsPage *self);

char      *ms_server_describe                 (const MsServer *server);

G_END_DECLS
