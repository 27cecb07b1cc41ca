/* ms-oauth-config.c: a provider's OAuth 2.0 authorization server
 *
 * What a provider file's <oAuth2> block says (Thunderbird's ISPDB shape:
 * issuer, authURL, tokenURL, scope), already validated by whoever read
 * it (ms-validate.h). Client ids are not here: they belong to the program
 * that signs in, not to the provider (see data/providers/README.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-json.h"
#include "ms-oauth-config.h"

struct _MsOAuthConfig
{
  gatomicrefcount ref_count;
  char           *issuer;
  char           *authorization_endpoint;
  char           *token_endpoint;
  GStrv           scopes;
};

G_DEFINE_BOXED_TYPE (MsOAuthConfig, ms_oauth_config, ms_oauth_config_ref, ms_oauth_config_unref)

/**
 * ms_oauth_config_new:
 * @issuer: the issuer: a host name (as Thunderbird writes it) or an
 *   `https` URL (RFC 8414)
 * @authorization_endpoint: where the person's browser signs in
 * @token_endpoint: where codes and refresh tokens become access tokens
 * @scope: the scopes to ask for, separated by blanks (RFC 6749 §3.3)
 *
 * The values must already be valid (ms_validate_oauth_issuer() and its
 * siblings).
 *
 * Returns: (transfer full): a new block
 */
MsOAuthConfig *
ms_oauth_config_new (const char *issuer,
                     const char *authorization_endpoint,
                     const char *token_endpoint,
                     const char *scope)
{
  MsOAuthConfig *self;

  g_return_val_if_fail (issuer != NULL, NULL);
  g_return_val_if_fail (authorization_endpoint != NULL, NULL);
  g_return_val_if_fail (token_endpoint != NULL, NULL);
  g_return_val_if_fail (scope != NULL, NULL);

  self = g_new0 (MsOAuthConfig, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->issuer = g_strdup (issuer);
  self->authorization_endpoint = g_strdup (authorization_endpoint);
  self->token_endpoint = g_strdup (token_endpoint);
  self->scopes = g_strsplit_set (scope, " \t\r\n", -1);

  /* Runs of blanks leave empty pieces behind; drop them in place. */
  for (guint i = 0, j = 0; ; i++)
    {
      if (self->scopes[i] != NULL && self->scopes[i][0] == '\0')
        {
          g_free (self->scopes[i]);
          continue;
        }
      self->scopes[j++] = self->scopes[i];
      if (self->scopes[i] == NULL)
        break;
    }

  return self;
}

MsOAuthConfig *
ms_oauth_config_ref (MsOAuthConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_oauth_config_unref (MsOAuthConfig *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->issuer, g_free);
      g_clear_pointer (&self->authorization_endpoint, g_free);
      g_clear_pointer (&self->token_endpoint, g_free);
      g_clear_pointer (&self->scopes, g_strfreev);
      g_free (self);
    }
}

const char *
ms_oauth_config_get_issuer (const MsOAuthConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->issuer;
}

const char *
ms_oauth_config_get_authorization_endpoint (const MsOAuthConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->authorization_endpoint;
}

const char *
ms_oauth_config_get_token_endpoint (const MsOAuthConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->token_endpoint;
}

/**
 * ms_oauth_config_get_scopes:
 *
 * Returns: (transfer none): the scopes, in the file's order
 */
const char * const *
ms_oauth_config_get_scopes (const MsOAuthConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->scopes;
}

/**
 * ms_oauth_config_dup_scope:
 *
 * Returns: (transfer full): the scopes as the `scope` parameter of an
 *   authorization request wants them: separated by single spaces
 */
char *
ms_oauth_config_dup_scope (const MsOAuthConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strjoinv (" ", self->scopes);
}

/**
 * ms_oauth_config_to_json:
 *
 * Returns: (transfer full): `{issuer, authorization_endpoint,
 *   token_endpoint, scopes}`
 */
JsonNode *
ms_oauth_config_to_json (const MsOAuthConfig *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  ms_json_add_text (builder, "issuer", self->issuer);
  ms_json_add_text (builder, "authorization_endpoint", self->authorization_endpoint);
  ms_json_add_text (builder, "token_endpoint", self->token_endpoint);
  ms_json_add_strv (builder, "scopes", (const char * const *) self->scopes);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
