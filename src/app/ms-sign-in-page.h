/* ms-sign-in-page.h: the wizard page that waits for the sign-in in the browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MS_TYPE_SIGN_IN_PAGE (ms_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (MsSignInPage, ms_sign_in_page, MS, SIGN_IN_PAGE, AdwBin)

void        ms_sign_in_page_set_provider       (MsSignInPage *self,
                                                const char   *provider_name,
                                                const char   *app_password_url);
void        ms_sign_in_page_set_waiting        (MsSignInPage *self);
void        ms_sign_in_page_announce           (MsSignInPage *self);
void        ms_sign_in_page_show_problem       (MsSignInPage *self,
                                                const GError *error);
gboolean    ms_sign_in_page_get_waiting        (MsSignInPage *self);
const char *ms_sign_in_page_get_problem_title  (MsSignInPage *self);
GtkWidget  *ms_sign_in_page_get_default_widget (MsSignInPage *self);

G_END_DECLS
