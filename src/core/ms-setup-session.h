/* ms-setup-session.h: the one setup pipeline, from an address to a tested, saved account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-settings.h"
#include "ms-account-test.h"
#include "ms-discovery.h"
#include "ms-exporter.h"
#include "ms-oauth-sign-in.h"
#include "ms-provider-database.h"
#include "ms-trust-store.h"

G_BEGIN_DECLS

/* Names an environment variable that replaces the public provider
 * database's URL, for tests that serve their own; read only in
 * development builds (-Ddevelopment=true). */
#define MS_SETUP_SESSION_PUBLIC_DATABASE_URL_ENV "MAIL_SETUP_PUBLIC_DATABASE_URL"

/**
 * MsSetupSessionState:
 * @MS_SETUP_SESSION_STATE_NEW: nothing looked up yet
 * @MS_SETUP_SESSION_STATE_LOOKING: discovery runs
 * @MS_SETUP_SESSION_STATE_FOUND: a provider is known (from a provider file
 *   or discovery); a discovered one may still need the confirmation
 * @MS_SETUP_SESSION_STATE_NOT_FOUND: nothing was found (or the lookup was
 *   cancelled)
 * @MS_SETUP_SESSION_STATE_TESTING: the account test runs
 * @MS_SETUP_SESSION_STATE_TESTED: the test ended; the report is set
 * @MS_SETUP_SESSION_STATE_SAVED: the password is in the keyring
 *
 * Where a session is; the "state" property.
 */
typedef enum
{
  MS_SETUP_SESSION_STATE_NEW,
  MS_SETUP_SESSION_STATE_LOOKING,
  MS_SETUP_SESSION_STATE_FOUND,
  MS_SETUP_SESSION_STATE_NOT_FOUND,
  MS_SETUP_SESSION_STATE_TESTING,
  MS_SETUP_SESSION_STATE_TESTED,
  MS_SETUP_SESSION_STATE_SAVED,
} MsSetupSessionState;

/* Called with every discovery before it starts (tests inject ports). */
typedef void (*MsSetupSessionDiscoveryFunc) (MsDiscovery *discovery,
                                             gpointer     user_data);

#define MS_TYPE_SETUP_SESSION (ms_setup_session_get_type ())

G_DECLARE_FINAL_TYPE (MsSetupSession, ms_setup_session, MS, SETUP_SESSION, GObject)

MsSetupSession      *ms_setup_session_new                   (MsAddress           *address,
                                                             MsProviderDatabase  *database);
MsAddress           *ms_setup_session_get_address           (MsSetupSession      *self);
MsSetupSessionState  ms_setup_session_get_state             (MsSetupSession      *self);
void                 ms_setup_session_set_tls_database      (MsSetupSession      *self,
                                                             GTlsDatabase        *tls_database);
void                 ms_setup_session_set_trust_store       (MsSetupSession      *self,
                                                             MsTrustStore        *trust_store);
void                 ms_setup_session_set_timeout           (MsSetupSession      *self,
                                                             guint                timeout_ms);
void                 ms_setup_session_set_use_public_database (MsSetupSession    *self,
                                                             gboolean             use);
void                 ms_setup_session_set_public_database_url (MsSetupSession    *self,
                                                             const char          *url);
void                 ms_setup_session_apply_system_settings (MsSetupSession      *self);
void                 ms_setup_session_set_discovery_func    (MsSetupSession      *self,
                                                             MsSetupSessionDiscoveryFunc func,
                                                             gpointer             user_data);

/* The lookup: the provider files, then discovery. */
MsProvider          *ms_setup_session_find_provider         (MsSetupSession      *self);
void                 ms_setup_session_lookup_async          (MsSetupSession      *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
MsProvider          *ms_setup_session_lookup_finish         (MsSetupSession      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
MsDiscovery         *ms_setup_session_get_discovery         (MsSetupSession      *self);
MsDiscoveryAttempt  *ms_setup_session_get_attempt           (MsSetupSession      *self);
MsProvider          *ms_setup_session_get_provider          (MsSetupSession      *self);
const char          *ms_setup_session_get_source            (MsSetupSession      *self);

/* The trust confirmation (docs/security.md, "Trust rules"). */
char                *ms_setup_session_dup_concerns          (MsSetupSession      *self);
gboolean             ms_setup_session_needs_confirmation    (MsSetupSession      *self);
void                 ms_setup_session_confirm               (MsSetupSession      *self);
gboolean             ms_setup_session_get_confirmed         (MsSetupSession      *self);
gboolean             ms_setup_session_check_password        (MsSetupSession      *self,
                                                             GError             **error);

/* The test. */
void                 ms_setup_session_set_profile           (MsSetupSession      *self,
                                                             MsProfile           *profile,
                                                             gboolean             manual);
MsProfile           *ms_setup_session_get_profile           (MsSetupSession      *self);
MsAccountTest       *ms_setup_session_prepare_test          (MsSetupSession      *self,
                                                             MsSecret            *password);
MsAccountTest       *ms_setup_session_get_test              (MsSetupSession      *self);
void                 ms_setup_session_test_async            (MsSetupSession      *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
MsAccountReport     *ms_setup_session_test_finish           (MsSetupSession      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
MsAccountReport     *ms_setup_session_get_report            (MsSetupSession      *self);

/* Signing in with the provider instead of a password (OAuth 2.0, issue 14).
 * offers_sign_in: the provider has an OAuth block and the chosen profile's
 * servers take OAuth2. new_sign_in: a sign-in for the provider's block and
 * the session's TLS database, refused (like a password) while the provider
 * still needs the person's confirmation. sign_in_async runs it, keeps the
 * tokens in the keyring and the access token for the test; the kept one
 * takes a fresh access token from the keyring instead (the CLI's and
 * repair's way). Once signed in, prepare_test logs in with the token on the
 * servers that take OAuth2 (the password may then be NULL). */
gboolean             ms_setup_session_offers_sign_in        (MsSetupSession      *self);
MsOAuthSignIn       *ms_setup_session_new_sign_in           (MsSetupSession      *self,
                                                             GError             **error);
void                 ms_setup_session_sign_in_async         (MsSetupSession      *self,
                                                             MsOAuthSignIn       *sign_in,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             ms_setup_session_sign_in_finish        (MsSetupSession      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 ms_setup_session_use_kept_sign_in_async (MsSetupSession     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             ms_setup_session_use_kept_sign_in_finish (MsSetupSession    *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
gboolean             ms_setup_session_get_signed_in         (MsSetupSession      *self);

/* What the passing test proved: the settings, the keyring, the exports. */
MsAccountSettings   *ms_setup_session_build_settings        (MsSetupSession      *self,
                                                             const char          *display_name,
                                                             const char          *ca_file,
                                                             GError             **error);
MsAccountSettings   *ms_setup_session_get_settings          (MsSetupSession      *self);
gboolean             ms_setup_session_save_settings         (MsSetupSession      *self,
                                                             GError             **error);
gboolean             ms_setup_session_load_settings         (MsSetupSession      *self,
                                                             GError             **error);
void                 ms_setup_session_lookup_password_async (MsSetupSession      *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             ms_setup_session_lookup_password_finish (MsSetupSession     *self,
                                                              GAsyncResult       *result,
                                                              GError            **error);
void                 ms_setup_session_store_password_async  (MsSetupSession      *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             ms_setup_session_store_password_finish (MsSetupSession      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 ms_setup_session_export_async          (MsSetupSession      *self,
                                                             const MsExporter    *exporter,
                                                             MsExportFlags        flags,
                                                             const char          *output_path,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
MsExportResult      *ms_setup_session_export_finish         (MsSetupSession      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
