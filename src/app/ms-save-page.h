/* ms-save-page.h: the wizard page that keeps the password in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MS_TYPE_SAVE_PAGE (ms_save_page_get_type ())

G_DECLARE_FINAL_TYPE (MsSavePage, ms_save_page, MS, SAVE_PAGE, AdwBin)

gboolean   ms_save_page_get_store         (MsSavePage *self);
void       ms_save_page_set_busy          (MsSavePage *self,
                                           gboolean    busy);
void       ms_save_page_show_problem      (MsSavePage *self,
                                           const char *problem);
gboolean   ms_save_page_get_failed        (MsSavePage *self);
GtkWidget *ms_save_page_get_default_widget (MsSavePage *self);
void       ms_save_page_focus             (MsSavePage *self);

G_END_DECLS
