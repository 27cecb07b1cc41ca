/* ms-account-settings.h: a tested account's settings, what every exporter writes out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-report.h"
#include "ms-server.h"

G_BEGIN_DECLS

#define MS_ACCOUNT_SETTINGS_ERROR (ms_account_settings_error_quark ())

/**
 * MsAccountSettingsError:
 * @MS_ACCOUNT_SETTINGS_ERROR_NOT_WORKING: the report's test did not pass,
 *   so there is nothing proven to export
 * @MS_ACCOUNT_SETTINGS_ERROR_NOT_SAVED: no settings are saved for the address
 * @MS_ACCOUNT_SETTINGS_ERROR_INVALID: the saved file is damaged
 */
typedef enum
{
  MS_ACCOUNT_SETTINGS_ERROR_NOT_WORKING,
  MS_ACCOUNT_SETTINGS_ERROR_NOT_SAVED,
  MS_ACCOUNT_SETTINGS_ERROR_INVALID,
} MsAccountSettingsError;

#define MS_TYPE_ACCOUNT_SETTINGS (ms_account_settings_get_type ())

typedef struct _MsAccountSettings MsAccountSettings;

/**
 * MsAccountSettings:
 * @address: the email address (ASCII form)
 * @display_name: (nullable): the person's name for the From: line
 * @incoming: the incoming server; its @security is what the test found the
 *   port really speaks (Charter's 587 is implicit TLS), its @username the
 *   expanded username that logged in
 * @outgoing: the outgoing (SMTP) server, the same way
 * @provider_id / @provider_name: (nullable): the provider
 * @support_phone: (nullable): the provider's support number
 * @profile_id: (nullable): the provider profile that was tested
 * @ca_file: (nullable): an extra CA file the test trusted (local test
 *   servers, company CAs), for the programs that need to be told
 *
 * Holds no password: the password lives in the keyring (ms-keyring.h).
 */
struct _MsAccountSettings
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  char            *address;
  char            *display_name;
  MsServer        *incoming;
  MsServer        *outgoing;
  char            *provider_id;
  char            *provider_name;
  char            *support_phone;
  char            *profile_id;
  char            *ca_file;
};

GQuark             ms_account_settings_error_quark    (void);
GType              ms_account_settings_get_type       (void) G_GNUC_CONST;
MsAccountSettings *ms_account_settings_new            (const char         *address,
                                                       MsServer           *incoming,
                                                       MsServer           *outgoing);
MsAccountSettings *ms_account_settings_new_from_report (MsAccountReport   *report,
                                                        GError           **error);
MsAccountSettings *ms_account_settings_ref            (MsAccountSettings  *self);
void               ms_account_settings_unref          (MsAccountSettings  *self);
void               ms_account_settings_set_display_name (MsAccountSettings *self,
                                                         const char        *display_name);
void               ms_account_settings_set_ca_file    (MsAccountSettings  *self,
                                                       const char         *ca_file);
const char        *ms_account_settings_get_name       (MsAccountSettings  *self);
gboolean           ms_account_settings_uses_password  (MsAccountSettings  *self);

char              *ms_account_settings_get_path       (const char         *address);
char              *ms_account_settings_to_data        (MsAccountSettings  *self);
MsAccountSettings *ms_account_settings_new_from_data  (const char         *data,
                                                       GError            **error);
gboolean           ms_account_settings_save           (MsAccountSettings  *self,
                                                       GError            **error);
MsAccountSettings *ms_account_settings_load           (const char         *address,
                                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsAccountSettings, ms_account_settings_unref)

G_END_DECLS
