/* ms-testing-page.h: the wizard page that shows the servers being tested
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-report.h"
#include "ms-profile.h"
#include "ms-provider.h"

G_BEGIN_DECLS

#define MS_TYPE_TESTING_PAGE (ms_testing_page_get_type ())

G_DECLARE_FINAL_TYPE (MsTestingPage, ms_testing_page, MS, TESTING_PAGE, AdwBin)

void       ms_testing_page_prepare             (MsTestingPage   *self,
                                                MsProfile       *profile,
                                                const char      *address);
void       ms_testing_page_set_running         (MsTestingPage   *self,
                                                gboolean         running);
gboolean   ms_testing_page_get_running         (MsTestingPage   *self);
gboolean   ms_testing_page_get_send_test_message (MsTestingPage *self);
void       ms_testing_page_server_finished     (MsTestingPage   *self,
                                                MsProbeResult   *result);
void       ms_testing_page_show_report         (MsTestingPage   *self,
                                                MsAccountReport *report);
void       ms_testing_page_set_provider        (MsTestingPage   *self,
                                                MsProvider      *provider);
void       ms_testing_page_set_signed_in       (MsTestingPage   *self);
GtkWidget *ms_testing_page_get_default_widget  (MsTestingPage   *self);
void       ms_testing_page_focus               (MsTestingPage   *self);

G_END_DECLS
