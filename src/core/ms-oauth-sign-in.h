/* ms-oauth-sign-in.h: signing in with the provider in the person's own browser
 *
 * OAuth 2.0 authorization code with PKCE (RFC 7636) and a loopback
 * redirect (RFC 8252 §7.3). The client comes from, in this order: the one
 * set with ms_oauth_sign_in_set_client(), the build's (meson option
 * `oauth_clients`, by issuer), or one registered at sign-in (RFC 7591)
 * when the provider's authorization-server metadata (RFC 8414) offers a
 * registration endpoint. Without any: %MS_OAUTH_ERROR_NO_CLIENT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-oauth-config.h"
#include "ms-oauth-refresh.h"

G_BEGIN_DECLS

/**
 * MsOAuthClient:
 * @client_id: the client id at the provider
 * @client_secret: (nullable): the secret of an "installed application"
 *   client (Google's need one; it is not secret, RFC 8252 §8.5)
 * @registered: %TRUE when registered at sign-in (RFC 7591)
 */
typedef struct
{
  char     *client_id;
  char     *client_secret;
  gboolean  registered;
} MsOAuthClient;

void           ms_oauth_client_free (MsOAuthClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsOAuthClient, ms_oauth_client_free)

/* The build's client for @config's issuer (meson option oauth_clients),
 * or NULL. */
MsOAuthClient *ms_oauth_client_lookup_built_in (MsOAuthConfig *config);

#define MS_TYPE_OAUTH_SIGN_IN (ms_oauth_sign_in_get_type ())

G_DECLARE_FINAL_TYPE (MsOAuthSignIn, ms_oauth_sign_in, MS, OAUTH_SIGN_IN, GObject)

/*
 * Signals:
 *   "open-uri" (const char *uri) -> gboolean: the authorization URL is to
 *     be opened in the person's browser. The default handler launches it
 *     with g_app_info_launch_default_for_uri() (the OpenURI portal inside
 *     the Flatpak); the app connects one that uses gtk_show_uri() with its
 *     window. Return TRUE when opened. The URL is also the "uri" property,
 *     for a "Open again" button or a CLI that prints it.
 */

MsOAuthSignIn *ms_oauth_sign_in_new             (MsOAuthConfig       *config,
                                                 const char          *address);
void           ms_oauth_sign_in_set_client      (MsOAuthSignIn       *self,
                                                 const char          *client_id,
                                                 const char          *client_secret);
void           ms_oauth_sign_in_set_tls_database (MsOAuthSignIn      *self,
                                                 GTlsDatabase        *database);
/* How long to wait for the browser to come back (default 600 s). */
void           ms_oauth_sign_in_set_timeout     (MsOAuthSignIn       *self,
                                                 guint                seconds);
/* The authorization URL once the sign-in waits for the browser, else NULL. */
const char    *ms_oauth_sign_in_get_uri         (MsOAuthSignIn       *self);

void           ms_oauth_sign_in_run_async       (MsOAuthSignIn       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* The tokens, and in @client the client they were issued to (to keep
 * with the refresh token, ms_oauth_account_store_sync()). Errors:
 * MS_OAUTH_ERROR (NO_CLIENT, CONSENT_REFUSED, UNFINISHED, NO_BROWSER,
 * SCOPE_MISSING, ...), G_IO_ERROR_CANCELLED, or the network's. */
MsOAuthTokens *ms_oauth_sign_in_run_finish      (MsOAuthSignIn       *self,
                                                 GAsyncResult        *result,
                                                 MsOAuthClient      **client,
                                                 GError             **error);

G_END_DECLS
