/* ms-oauth-sign-in-private.h: the sign-in's pure steps, for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-oauth-sign-in.h"

G_BEGIN_DECLS

/* RFC 7636 §4.2: base64url (no padding) of SHA-256 of @verifier. */
char     *ms_oauth_pkce_challenge       (const char    *verifier);
/* @bytes random bytes from the key generator, base64url without padding. */
char     *ms_oauth_random_text          (gsize          bytes);
/* Compares in time that does not depend on where they differ. */
gboolean  ms_oauth_secure_equal         (const char    *a,
                                         const char    *b);
/* The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3), keeping a
 * query @config's endpoint already has. */
char     *ms_oauth_authorization_uri    (MsOAuthConfig *config,
                                         const char    *client_id,
                                         const char    *redirect_uri,
                                         const char    *address,
                                         const char    *state,
                                         const char    *challenge);
/* Whether @granted (blank-separated; NULL: as asked, RFC 6749 §5.1)
 * holds every scope of @config. */
gboolean  ms_oauth_scope_granted        (MsOAuthConfig *config,
                                         const char    *granted);

G_END_DECLS
