/* ms-wizard-private.h: what ms-wizard-actions.c may use of the wizard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-account-settings.h"
#include "ms-trust-store.h"
#include "ms-wizard.h"

G_BEGIN_DECLS

GtkWidget         *ms_wizard_get_page                (MsWizard     *self,
                                                      MsWizardStep  step);
MsProvider        *ms_wizard_get_provider            (MsWizard     *self);
MsProfile         *ms_wizard_get_profile             (MsWizard     *self);
void               ms_wizard_set_profile             (MsWizard     *self,
                                                      MsProfile    *profile);
MsTrustStore      *ms_wizard_get_trust_store         (MsWizard     *self);
MsSecret          *ms_wizard_get_password            (MsWizard     *self);
GCancellable      *ms_wizard_get_lifetime            (MsWizard     *self);
/* Test hook: files the person keeps go into @folder instead of asking
 * with the Save dialog (GTK 4.8's own dialog, the native chooser outside
 * a sandbox, cannot be answered reliably from a test); %NULL asks again. */
void               ms_wizard_set_save_folder_for_testing (const char *folder);
MsAccountSettings *ms_wizard_ensure_account_settings (MsWizard     *self,
                                                      GError      **error);
void               ms_wizard_test_again              (MsWizard     *self);
/* Test hook: how long a sign-in waits for the browser (0: the sign-in's
 * own default, ten minutes). */
void               ms_wizard_set_sign_in_timeout_for_testing (guint seconds);
/* Test hook: the authorization URL the sign-in waits on, or %NULL. */
const char        *ms_wizard_get_sign_in_uri         (MsWizard     *self);

AdwToast          *ms_wizard_toast_new               (const char   *text);
void               ms_wizard_add_toast               (MsWizard     *self,
                                                      AdwToast     *toast);
void               ms_wizard_toast                   (MsWizard     *self,
                                                      const char   *title);

void               ms_wizard_export_started          (MsWizard     *self);
gboolean           ms_wizard_export_ended            (MsWizard     *self);

void               ms_wizard_actions_install         (GtkWidgetClass *widget_class);

/* The repair path (ms-wizard-repair.c). */
typedef struct _MsRepairState MsRepairState;

typedef enum
{
  MS_REPAIR_EVENT_DIAGNOSIS,   /* the diagnosis page holds an account's */
  MS_REPAIR_EVENT_APPLIED,     /* the summary page holds the repair written */
} MsRepairEvent;

MsRepairState     *ms_wizard_get_repair_state        (MsWizard     *self);
GCancellable      *ms_wizard_get_cancellable         (MsWizard     *self);
GTlsDatabase      *ms_wizard_get_tls_database        (MsWizard     *self);
void               ms_wizard_repair_changed          (MsWizard     *self);
void               ms_wizard_repair_event            (MsWizard     *self,
                                                      MsRepairEvent event);

MsRepairState     *ms_repair_state_new               (void);
void               ms_repair_state_free              (MsRepairState *state);
gboolean           ms_wizard_repair_get_busy         (MsWizard     *self);
gboolean           ms_wizard_repair_get_checking     (MsWizard     *self);
gboolean           ms_wizard_repair_get_applying     (MsWizard     *self);
void               ms_wizard_repair_find             (MsWizard     *self);
void               ms_wizard_repair_check            (MsWizard     *self,
                                                      int           index);
void               ms_wizard_repair_check_shown      (MsWizard     *self);
void               ms_wizard_repair_apply            (MsWizard     *self);
void               ms_wizard_repair_install          (GtkWidgetClass *widget_class);

G_END_DECLS
