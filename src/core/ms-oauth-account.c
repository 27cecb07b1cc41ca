/* ms-oauth-account.c: an account's OAuth 2.0 tokens, kept and renewed
 *
 * Two keyring items per address (ms-keyring.h, kind attribute):
 *   oauth-refresh: "REFRESH_TOKEN\nCLIENT_ID"
 *   oauth-access:  "ACCESS_TOKEN\nEXPIRES" (unix time; 0: not known)
 * Tokens are RFC 6750 token characters and client ids RFC 6749 VSCHARs,
 * so neither holds a line break. The client id goes with the refresh
 * token because a refresh must name the client the token was issued to
 * (a build option's, or one registered at sign-in, RFC 7591).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-dialect.h"
#include "ms-keyring.h"
#include "ms-oauth-account.h"

/* An access token this close to its end is renewed first: a login may
 * take that long. */
#define MARGIN_SECONDS 60

/* Splits "FIRST\nSECOND": FIRST stays secret, SECOND is plain. */
static MsSecret *
split_item (MsSecret  *item,
            char     **second)
{
  const char *text = ms_secret_get_text (item);
  const char *newline = memchr (text, '\n', ms_secret_get_length (item));

  *second = NULL;
  if (newline == NULL)
    return NULL;
  *second = g_strdup (newline + 1);

  return ms_secret_new_take (g_strndup (text, newline - text));
}

static MsSecret *
join_item (MsSecret   *first,
           const char *second)
{
  return ms_secret_new_take (g_strconcat (ms_secret_get_text (first), "\n", second, NULL));
}

/**
 * ms_oauth_account_store_sync:
 * @client_id: the client the tokens were issued to
 * @tokens: the token endpoint's answer; without a refresh token, only
 *   the access token is replaced
 *
 * Keeps @tokens in the keyring for @address.
 */
gboolean
ms_oauth_account_store_sync (const char     *address,
                             const char     *client_id,
                             MsOAuthTokens  *tokens,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autofree char *expires = NULL;
  g_autoptr(MsSecret) access = NULL;

  g_return_val_if_fail (address != NULL && client_id != NULL && tokens != NULL, FALSE);
  g_return_val_if_fail (strchr (client_id, '\n') == NULL, FALSE);

  if (tokens->refresh_token != NULL)
    {
      g_autoptr(MsSecret) refresh = join_item (tokens->refresh_token, client_id);

      if (!ms_keyring_store_token_sync (address, MS_KEYRING_KIND_OAUTH_REFRESH, refresh,
                                        cancellable, error))
        return FALSE;
    }

  expires = g_strdup_printf ("%" G_GINT64_FORMAT, tokens->expires);
  access = join_item (tokens->access_token, expires);

  return ms_keyring_store_token_sync (address, MS_KEYRING_KIND_OAUTH_ACCESS, access,
                                      cancellable, error);
}

/* The kept access token while it has time left (and when it ends), else
 * NULL. */
static MsSecret *
kept_access_token (const char   *address,
                   GCancellable *cancellable,
                   gint64       *expires_out)
{
  g_autoptr(MsSecret) item = ms_keyring_lookup_token_sync (address, MS_KEYRING_KIND_OAUTH_ACCESS,
                                                           cancellable, NULL);
  g_autoptr(MsSecret) token = NULL;
  g_autofree char *expires_text = NULL;
  guint64 expires = 0;

  if (item == NULL)
    return NULL;
  token = split_item (item, &expires_text);
  if (token == NULL || !ms_sasl_oauth_check_token (token, NULL) ||
      !g_ascii_string_to_unsigned (expires_text, 10, 1, G_MAXINT64, &expires, NULL) ||
      (gint64) expires <= g_get_real_time () / G_USEC_PER_SEC + MARGIN_SECONDS)
    return NULL;

  *expires_out = (gint64) expires;

  return g_steal_pointer (&token);
}

static void
refresh_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static MsOAuthTokens *
refresh_sync (MsOAuthConfig  *config,
              const char     *client_id,
              MsSecret       *refresh_token,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  /* A private context, so a caller's main loop does not run meanwhile. */
  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", 30, NULL);
  ms_oauth_refresh_async (session, config, client_id, refresh_token, cancellable,
                          refresh_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);

  return ms_oauth_refresh_finish (result, error);
}

/**
 * ms_oauth_account_fresh_tokens_sync:
 * @config: the provider's authorization server (its provider file's)
 *
 * The access token kept for @address while it has time left; else a new
 * one from the kept refresh token, kept in turn. Without a refresh token,
 * %MS_KEYRING_ERROR_NOT_FOUND: the person has not signed in.
 *
 * Returns: (transfer full) (nullable): the access token with its end
 *   and, after a refresh, the scope the token endpoint granted (a kept
 *   token's scope is not kept: %NULL); never the refresh token
 */
MsOAuthTokens *
ms_oauth_account_fresh_tokens_sync (const char     *address,
                                    MsOAuthConfig  *config,
                                    GCancellable   *cancellable,
                                    GError        **error)
{
  g_autoptr(MsSecret) item = NULL;
  g_autoptr(MsSecret) refresh = NULL;
  g_autoptr(MsOAuthTokens) tokens = NULL;
  g_autofree char *client_id = NULL;
  MsSecret *access;
  gint64 expires = 0;

  g_return_val_if_fail (address != NULL && config != NULL, NULL);

  access = kept_access_token (address, cancellable, &expires);
  if (access != NULL)
    {
      tokens = g_new0 (MsOAuthTokens, 1);
      tokens->access_token = access;
      tokens->expires = expires;

      return g_steal_pointer (&tokens);
    }

  item = ms_keyring_lookup_token_sync (address, MS_KEYRING_KIND_OAUTH_REFRESH, cancellable, error);
  if (item == NULL)
    return NULL;
  refresh = split_item (item, &client_id);
  if (refresh == NULL || *client_id == '\0' || !ms_sasl_oauth_check_token (refresh, NULL))
    {
      g_set_error_literal (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_GRANT,
                           _("The sign-in kept in the keyring is damaged; sign in again"));
      return NULL;
    }

  tokens = refresh_sync (config, client_id, refresh, cancellable, error);
  if (tokens == NULL)
    return NULL;
  if (!ms_oauth_account_store_sync (address, client_id, tokens, cancellable, error))
    return NULL;

  /* The kept one stays in the keyring only. */
  g_clear_pointer (&tokens->refresh_token, ms_secret_unref);

  return g_steal_pointer (&tokens);
}

/**
 * ms_oauth_account_fresh_token_sync:
 * @config: the provider's authorization server (its provider file's)
 *
 * ms_oauth_account_fresh_tokens_sync() for callers that need only the
 * access token (`mail-setup token`).
 *
 * Returns: (transfer full) (nullable): an access token
 */
MsSecret *
ms_oauth_account_fresh_token_sync (const char     *address,
                                   MsOAuthConfig  *config,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  g_autoptr(MsOAuthTokens) tokens = ms_oauth_account_fresh_tokens_sync (address, config,
                                                                        cancellable, error);

  return tokens != NULL ? ms_secret_ref (tokens->access_token) : NULL;
}
