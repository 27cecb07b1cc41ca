/* ms-wizard.h: the page flow from an email address to a working account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-report.h"
#include "ms-discovery.h"

G_BEGIN_DECLS

/**
 * MsWizardStep:
 * @MS_WIZARD_STEP_WELCOME: what the wizard does and what it sends where
 * @MS_WIZARD_STEP_ACCOUNT: name, address and password
 * @MS_WIZARD_STEP_SIGN_IN: waiting for the sign-in in the browser, for a
 *   provider that offers one (OAuth): the password is not asked then
 * @MS_WIZARD_STEP_LOOKUP: looking for the settings of a domain that is not
 *   in the provider files (discovery)
 * @MS_WIZARD_STEP_SETTINGS: how the computer is used (the profile), or a
 *   summary of the settings found
 * @MS_WIZARD_STEP_MANUAL: the settings typed in by hand
 * @MS_WIZARD_STEP_TESTING: the servers being tested, live
 * @MS_WIZARD_STEP_RESULT: it works, or what went wrong and how to fix it
 * @MS_WIZARD_STEP_SAVE: keep the password in the keyring
 * @MS_WIZARD_STEP_EXPORT: put the settings into mail programs
 * @MS_WIZARD_STEP_DONE: the end
 * @MS_WIZARD_STEP_REPAIR_LIST: the accounts the mail programs already
 *   have, each checked as it is (the other path from the welcome page)
 * @MS_WIZARD_STEP_REPAIR_DIAGNOSIS: what is wrong with one of them, and
 *   what its repair changes
 * @MS_WIZARD_STEP_REPAIR_SUMMARY: what the repair changed, and its undo
 */
typedef enum
{
  MS_WIZARD_STEP_WELCOME,
  MS_WIZARD_STEP_ACCOUNT,
  MS_WIZARD_STEP_SIGN_IN,
  MS_WIZARD_STEP_LOOKUP,
  MS_WIZARD_STEP_SETTINGS,
  MS_WIZARD_STEP_MANUAL,
  MS_WIZARD_STEP_TESTING,
  MS_WIZARD_STEP_RESULT,
  MS_WIZARD_STEP_SAVE,
  MS_WIZARD_STEP_EXPORT,
  MS_WIZARD_STEP_DONE,
  MS_WIZARD_STEP_REPAIR_LIST,
  MS_WIZARD_STEP_REPAIR_DIAGNOSIS,
  MS_WIZARD_STEP_REPAIR_SUMMARY,
  MS_WIZARD_N_STEPS
} MsWizardStep;

#define MS_TYPE_WIZARD_STEP (ms_wizard_step_get_type ())
GType ms_wizard_step_get_type (void);

/**
 * MsWizardDiscoveryFunc:
 * @discovery: a lookup about to start
 *
 * Adjusts a lookup before it starts (ports, timeouts, addresses of the
 * web sources): for tests, which run servers on private ports.
 */
typedef void (*MsWizardDiscoveryFunc) (MsDiscovery *discovery,
                                       gpointer     user_data);

#define MS_TYPE_WIZARD (ms_wizard_get_type ())

G_DECLARE_FINAL_TYPE (MsWizard, ms_wizard, MS, WIZARD, AdwBin)

MsWizard        *ms_wizard_new            (GSettings *settings);
void             ms_wizard_build_all_pages (MsWizard  *self);
MsWizardStep     ms_wizard_get_step       (MsWizard  *self);
gboolean         ms_wizard_get_busy       (MsWizard  *self);
MsAccountReport *ms_wizard_get_report     (MsWizard  *self);
void             ms_wizard_cancel         (MsWizard  *self);
const char      *ms_wizard_step_to_string (MsWizardStep step);
void             ms_wizard_set_discovery_func (MsWizard              *self,
                                               MsWizardDiscoveryFunc  func,
                                               gpointer               user_data);

G_END_DECLS
