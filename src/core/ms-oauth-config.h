/* ms-oauth-config.h: a provider's OAuth 2.0 authorization server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MS_TYPE_OAUTH_CONFIG (ms_oauth_config_get_type ())

typedef struct _MsOAuthConfig MsOAuthConfig;

GType               ms_oauth_config_get_type               (void) G_GNUC_CONST;
MsOAuthConfig      *ms_oauth_config_new                    (const char          *issuer,
                                                            const char          *authorization_endpoint,
                                                            const char          *token_endpoint,
                                                            const char          *scope);
MsOAuthConfig      *ms_oauth_config_ref                    (MsOAuthConfig       *self);
void                ms_oauth_config_unref                  (MsOAuthConfig       *self);
const char         *ms_oauth_config_get_issuer             (const MsOAuthConfig *self);
const char         *ms_oauth_config_get_authorization_endpoint (const MsOAuthConfig *self);
const char         *ms_oauth_config_get_token_endpoint     (const MsOAuthConfig *self);
const char * const *ms_oauth_config_get_scopes             (const MsOAuthConfig *self);
char               *ms_oauth_config_dup_scope              (const MsOAuthConfig *self);
JsonNode           *ms_oauth_config_to_json                (const MsOAuthConfig *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsOAuthConfig, ms_oauth_config_unref)

G_END_DECLS
