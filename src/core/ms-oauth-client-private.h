/* ms-oauth-client-private.h: where the sign-in's client comes from
 *
 * For ms-oauth-sign-in.c and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ms-oauth-sign-in.h"

G_BEGIN_DECLS

/* The client for @issuer in @list, the build's "ISSUER=ID[=SECRET]"
 * entries separated by blanks; NULL when none (or only invalid ones). */
MsOAuthClient *ms_oauth_client_parse_built_in (const char          *list,
                                               const char          *issuer);

/* Where RFC 8414 §3 puts @issuer's metadata, and the issuer the metadata
 * must name (§3.3); FALSE when @issuer has no such address. */
gboolean       ms_oauth_client_metadata_uri   (const char          *issuer,
                                               char               **uri,
                                               char               **expected_issuer);

/* RFC 8414 metadata, then RFC 7591 registration: a client registered for
 * this sign-in, or %MS_OAUTH_ERROR_NO_CLIENT. */
void           ms_oauth_client_register_async (SoupSession         *session,
                                               MsOAuthConfig       *config,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
MsOAuthClient *ms_oauth_client_register_finish (GAsyncResult       *result,
                                                GError            **error);

G_END_DECLS
