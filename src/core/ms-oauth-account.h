/* ms-oauth-account.h: an account's OAuth 2.0 tokens, kept and renewed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-oauth-config.h"
#include "ms-oauth-refresh.h"

G_BEGIN_DECLS

gboolean  ms_oauth_account_store_sync       (const char     *address,
                                             const char     *client_id,
                                             MsOAuthTokens  *tokens,
                                             GCancellable   *cancellable,
                                             GError        **error);
MsOAuthTokens *ms_oauth_account_fresh_tokens_sync (const char    *address,
                                                   MsOAuthConfig *config,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
MsSecret *ms_oauth_account_fresh_token_sync (const char     *address,
                                             MsOAuthConfig  *config,
                                             GCancellable   *cancellable,
                                             GError        **error);

G_END_DECLS
