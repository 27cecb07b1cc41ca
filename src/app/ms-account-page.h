/* ms-account-page.h: the wizard page for name, email address and password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-address.h"
#include "ms-secret.h"

G_BEGIN_DECLS

#define MS_TYPE_ACCOUNT_PAGE (ms_account_page_get_type ())

G_DECLARE_FINAL_TYPE (MsAccountPage, ms_account_page, MS, ACCOUNT_PAGE, AdwBin)

void        ms_account_page_set_default_domain (MsAccountPage *self,
                                                const char    *domain);
gboolean    ms_account_page_get_valid          (MsAccountPage *self);
const char *ms_account_page_get_name           (MsAccountPage *self);
MsAddress  *ms_account_page_get_address        (MsAccountPage *self);
MsSecret   *ms_account_page_dup_password       (MsAccountPage *self);
GtkWidget  *ms_account_page_get_default_widget (MsAccountPage *self);
void        ms_account_page_focus              (MsAccountPage *self);
void        ms_account_page_focus_password     (MsAccountPage *self);
void        ms_account_page_set_sign_in        (MsAccountPage *self,
                                                const char    *provider_name,
                                                const char    *app_password_url);
gboolean    ms_account_page_get_uses_sign_in   (MsAccountPage *self);
void        ms_account_page_use_app_password   (MsAccountPage *self);

G_END_DECLS
