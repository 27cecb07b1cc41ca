/* ms-account-test.h: test every server of an account's profile at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-report.h"
#include "ms-address.h"
#include "ms-discovery-attempt.h"
#include "ms-probe.h"
#include "ms-profile.h"
#include "ms-provider.h"
#include "ms-secret.h"
#include "ms-trust-store.h"

G_BEGIN_DECLS

/* Connections one test keeps open at once, whatever the profile lists. */
#define MS_ACCOUNT_TEST_MAX_PROBES_IN_FLIGHT 8

#define MS_TYPE_ACCOUNT_TEST (ms_account_test_get_type ())

G_DECLARE_FINAL_TYPE (MsAccountTest, ms_account_test, MS, ACCOUNT_TEST, GObject)

MsAccountTest   *ms_account_test_new                   (MsAddress        *address,
                                                        MsProvider       *provider,
                                                        MsProfile        *profile);
void             ms_account_test_set_password          (MsAccountTest    *self,
                                                        MsSecret         *password);
void             ms_account_test_set_bearer_token      (MsAccountTest    *self,
                                                        MsSecret         *token,
                                                        const char       *granted_scope,
                                                        gint64            expires);
void             ms_account_test_set_tls_database      (MsAccountTest    *self,
                                                        GTlsDatabase     *database);
void             ms_account_test_set_trust_store       (MsAccountTest    *self,
                                                        MsTrustStore     *trust_store);
void             ms_account_test_set_timeout           (MsAccountTest    *self,
                                                        guint             timeout_ms);
void             ms_account_test_set_probe_alternates  (MsAccountTest    *self,
                                                        gboolean          probe_alternates);
void             ms_account_test_set_relay_check       (MsAccountTest    *self,
                                                        gboolean          relay_check);
void             ms_account_test_set_send_test_message (MsAccountTest    *self,
                                                        gboolean          send,
                                                        guint             wait_ms);
void             ms_account_test_set_source            (MsAccountTest    *self,
                                                        const char       *source);
void             ms_account_test_set_discovery         (MsAccountTest    *self,
                                                        MsDiscoveryAttempt *attempt,
                                                        gboolean          confirmed);
void             ms_account_test_run_async             (MsAccountTest    *self,
                                                        GCancellable     *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer          user_data);
char            *ms_account_test_format_date           (GDateTime        *date_time);

MsAccountReport *ms_account_test_run_finish            (MsAccountTest    *self,
                                                        GAsyncResult     *result,
                                                        GError          **error);

G_END_DECLS
