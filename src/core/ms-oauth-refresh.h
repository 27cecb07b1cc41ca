/* ms-oauth-refresh.h: a fresh access token from a refresh token (RFC 6749 §6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ms-oauth-config.h"
#include "ms-secret.h"

G_BEGIN_DECLS

#define MS_OAUTH_ERROR (ms_oauth_error_quark ())

/**
 * MsOAuthError:
 * @MS_OAUTH_ERROR_INVALID_GRANT: the refresh token is no good any more
 *   (revoked, expired): the person must sign in again
 * @MS_OAUTH_ERROR_INVALID_CLIENT: the provider does not know this program's
 *   client id
 * @MS_OAUTH_ERROR_BAD_RESPONSE: the answer was not a token response
 * @MS_OAUTH_ERROR_FAILED: any other refusal (its "error" in the message)
 * @MS_OAUTH_ERROR_NO_CLIENT: no client id is built in for this provider and
 *   it offers no registration (RFC 7591): an app password is the way
 * @MS_OAUTH_ERROR_CONSENT_REFUSED: the person (or the provider) said no in
 *   the browser (RFC 6749 §4.1.2.1 access_denied)
 * @MS_OAUTH_ERROR_UNFINISHED: the browser never came back (closed, or left
 *   waiting past the sign-in's timeout)
 * @MS_OAUTH_ERROR_NO_BROWSER: no browser could be opened
 * @MS_OAUTH_ERROR_SCOPE_MISSING: the sign-in did not grant the mail scope
 */
typedef enum
{
  MS_OAUTH_ERROR_INVALID_GRANT,
  MS_OAUTH_ERROR_INVALID_CLIENT,
  MS_OAUTH_ERROR_BAD_RESPONSE,
  MS_OAUTH_ERROR_FAILED,
  MS_OAUTH_ERROR_NO_CLIENT,
  MS_OAUTH_ERROR_CONSENT_REFUSED,
  MS_OAUTH_ERROR_UNFINISHED,
  MS_OAUTH_ERROR_NO_BROWSER,
  MS_OAUTH_ERROR_SCOPE_MISSING,
} MsOAuthError;

/**
 * MsOAuthTokens:
 * @access_token: the new access token
 * @refresh_token: (nullable): a new refresh token, when the server
 *   rotates them (else keep the old one)
 * @expires: when @access_token runs out (unix time), 0 if not said
 * @scope: (nullable): the scopes granted, when the server says
 */
typedef struct
{
  MsSecret *access_token;
  MsSecret *refresh_token;
  gint64    expires;
  char     *scope;
} MsOAuthTokens;

GQuark         ms_oauth_error_quark    (void);
void           ms_oauth_tokens_free    (MsOAuthTokens       *tokens);

void           ms_oauth_refresh_async  (SoupSession         *session,
                                        MsOAuthConfig       *config,
                                        const char          *client_id,
                                        MsSecret            *refresh_token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
MsOAuthTokens *ms_oauth_refresh_finish (GAsyncResult        *result,
                                        GError             **error);

/* The one request to a token endpoint, for any grant (@form encoded). */
void           ms_oauth_token_request_async  (SoupSession         *session,
                                              const char          *token_endpoint,
                                              const char          *form,
                                              gboolean             exchange,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
MsOAuthTokens *ms_oauth_token_request_finish (GAsyncResult        *result,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsOAuthTokens, ms_oauth_tokens_free)

G_END_DECLS
