/* ms-setup-session-sign-in.c: the session signs in with the provider instead of a password
 *
 * OAuth 2.0 (issue 14): the browser sign-in (ms-oauth-sign-in.c) or the
 * sign-in kept in the keyring (ms-oauth-account.c) gives the session an
 * access token, which the account test then logs in with on the servers
 * that take OAuth2. The token goes only where a password may go: the same
 * trust rule (ms_setup_session_check_password()), and only to the
 * provider it was issued for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-oauth-account.h"
#include "ms-oauth-sign-in-private.h"
#include "ms-setup-session-private.h"

/* A token was issued by one provider's server for its servers only. */
void
ms_setup_session_clear_sign_in (MsSetupSession *self)
{
  g_clear_pointer (&self->token, ms_secret_unref);
  g_clear_pointer (&self->token_scope, g_free);
  self->token_expires = 0;
}

static gboolean
servers_take_oauth (GPtrArray *servers)
{
  for (guint i = 0; i < servers->len; i++)
    {
      if (ms_server_takes_oauth2 (g_ptr_array_index (servers, i)))
        return TRUE;
    }

  return FALSE;
}

/**
 * ms_setup_session_offers_sign_in:
 *
 * Returns: whether the provider has an OAuth block and the chosen profile
 *   (before one is chosen, the recommended one) has a server whose auth is
 *   OAuth2
 */
gboolean
ms_setup_session_offers_sign_in (MsSetupSession *self)
{
  MsProfile *profile;

  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), FALSE);

  if (self->provider == NULL || ms_provider_get_oauth (self->provider) == NULL)
    return FALSE;

  profile = self->profile != NULL ? self->profile : ms_provider_get_recommended_profile (self->provider);

  return profile != NULL &&
         (servers_take_oauth (ms_profile_get_incoming (profile)) ||
          servers_take_oauth (ms_profile_get_outgoing (profile)));
}

/* The provider's authorization server, and the trust rule: a token must
 * not go to servers the person has not accepted, any more than a password. */
static MsOAuthConfig *
check_sign_in (MsSetupSession  *self,
               GError         **error)
{
  if (!ms_setup_session_offers_sign_in (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The provider of %s offers no sign-in for these servers"),
                   ms_address_get_display (self->address));
      return NULL;
    }
  if (!ms_setup_session_check_password (self, error))
    return NULL;

  return ms_provider_get_oauth (self->provider);
}

/**
 * ms_setup_session_new_sign_in:
 *
 * A sign-in with the provider's authorization server for the address,
 * with the session's TLS database; the caller connects to it ("open-uri")
 * and hands it to ms_setup_session_sign_in_async(). Refused, like a
 * password, while discovered settings wait for the confirmation.
 *
 * Returns: (transfer full) (nullable): the sign-in, or %NULL with @error
 */
MsOAuthSignIn *
ms_setup_session_new_sign_in (MsSetupSession  *self,
                              GError         **error)
{
  MsOAuthConfig *config;
  MsOAuthSignIn *sign_in;

  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  config = check_sign_in (self, error);
  if (config == NULL)
    return NULL;

  sign_in = ms_oauth_sign_in_new (config, ms_address_get_ascii (self->address));
  if (self->tls_database != NULL)
    ms_oauth_sign_in_set_tls_database (sign_in, self->tls_database);

  return sign_in;
}

/* What a thread gives back to the session, on the main context. */
typedef struct
{
  char          *address;
  char          *client_id;
  MsOAuthConfig *config;
  MsOAuthTokens *tokens;
  MsProvider    *provider;    /* whose servers the token is for */
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_free (data->address);
  g_free (data->client_id);
  g_clear_pointer (&data->config, ms_oauth_config_unref);
  g_clear_pointer (&data->tokens, ms_oauth_tokens_free);
  g_clear_object (&data->provider);
  g_free (data);
}

static void
take_tokens (MsSetupSession *self,
             MsOAuthTokens  *tokens)
{
  ms_setup_session_clear_sign_in (self);
  self->token = ms_secret_ref (tokens->access_token);
  self->token_scope = g_strdup (tokens->scope);
  self->token_expires = tokens->expires;
  g_clear_object (&self->test);
  g_clear_object (&self->report);
  g_clear_pointer (&self->settings, ms_account_settings_unref);
}

/* Ends the outer task once a thread (@result) is done. */
static void
thread_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsSetupSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A lookup meanwhile found other servers: the token is not for them. */
  if (self->provider != data->provider)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The settings changed during the sign-in"));
      return;
    }

  take_tokens (self, data->tokens);
  g_task_return_boolean (task, TRUE);
}

/* Runs @func with @data in a thread (the keyring waits: never on the
 * caller's main loop), then ends @task. */
static void
run_in_thread (GTask            *task,
               SignInData       *data,
               GTaskThreadFunc   func)
{
  g_autoptr(GTask) thread_task = NULL;

  thread_task = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                            thread_done_cb, g_object_ref (task));
  g_task_set_source_tag (thread_task, run_in_thread);
  /* The provider the sign-in started for (the outer task's data). */
  data->provider = g_object_ref (g_task_get_task_data (task));
  g_task_set_task_data (thread_task, data, (GDestroyNotify) sign_in_data_free);
  g_task_run_in_thread (thread_task, func);
}

static void
store_tokens_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SignInData *data = task_data;
  GError *error = NULL;

  if (!ms_oauth_account_store_sync (data->address, data->client_id, data->tokens, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsSetupSession *self = g_task_get_source_object (task);
  g_autoptr(MsOAuthClient) client = NULL;
  MsOAuthTokens *tokens;
  SignInData *data;
  GError *error = NULL;

  tokens = ms_oauth_sign_in_run_finish (MS_OAUTH_SIGN_IN (object), result, &client, &error);
  if (tokens == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (SignInData, 1);
  data->address = g_strdup (ms_address_get_ascii (self->address));
  data->client_id = g_strdup (client->client_id);
  data->tokens = tokens;
  run_in_thread (task, data, store_tokens_thread);
}

/**
 * ms_setup_session_sign_in_async:
 * @sign_in: from ms_setup_session_new_sign_in()
 *
 * Signs in in the person's browser, keeps the tokens in the keyring
 * (ms_oauth_account_store_sync(), in a thread) and the access token, its
 * scope and end for the test.
 */
void
ms_setup_session_sign_in_async (MsSetupSession      *self,
                                MsOAuthSignIn       *sign_in,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));
  g_return_if_fail (MS_IS_OAUTH_SIGN_IN (sign_in));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_setup_session_sign_in_async);

  /* Asked again: the provider may have changed since new_sign_in. */
  if (check_sign_in (self, &error) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, g_object_ref (self->provider), g_object_unref);

  ms_oauth_sign_in_run_async (sign_in, cancellable, signed_in_cb, task);
}

/**
 * ms_setup_session_sign_in_finish:
 *
 * Returns: whether the session is signed in; errors: MS_OAUTH_ERROR,
 *   MS_KEYRING_ERROR, %G_IO_ERROR_CANCELLED, the network's
 */
gboolean
ms_setup_session_sign_in_finish (MsSetupSession  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fresh_tokens_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SignInData *data = task_data;
  GError *error = NULL;

  data->tokens = ms_oauth_account_fresh_tokens_sync (data->address, data->config, cancellable, &error);
  if (data->tokens == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The sign-in's own rule (ms-oauth-sign-in.c): every scope the
   * provider file asks for, or the token endpoint not saying. */
  if (!ms_oauth_scope_granted (data->config, data->tokens->scope))
    {
      g_task_return_new_error (task, MS_OAUTH_ERROR, MS_OAUTH_ERROR_SCOPE_MISSING,
                               _("The sign-in kept for %s does not allow access to mail; sign in again"),
                               data->address);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * ms_setup_session_use_kept_sign_in_async:
 *
 * Takes a fresh access token for the address from the keyring (the kept
 * one, or a new one from the kept refresh token: in a thread) instead of
 * signing in; refused like a password while discovered settings wait for
 * the confirmation.
 */
void
ms_setup_session_use_kept_sign_in_async (MsSetupSession      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MsOAuthConfig *config;
  SignInData *data;
  GError *error = NULL;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_setup_session_use_kept_sign_in_async);

  config = check_sign_in (self, &error);
  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, g_object_ref (self->provider), g_object_unref);

  data = g_new0 (SignInData, 1);
  data->address = g_strdup (ms_address_get_ascii (self->address));
  data->config = ms_oauth_config_ref (config);
  run_in_thread (task, data, fresh_tokens_thread);
}

/**
 * ms_setup_session_use_kept_sign_in_finish:
 *
 * Returns: whether the session is signed in; errors keep their codes:
 *   %MS_KEYRING_ERROR_NOT_FOUND (never signed in), %MS_OAUTH_ERROR_INVALID_GRANT
 *   (the refresh token was revoked or ran out), %MS_OAUTH_ERROR_SCOPE_MISSING, ...
 */
gboolean
ms_setup_session_use_kept_sign_in_finish (MsSetupSession  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ms_setup_session_get_signed_in:
 *
 * Returns: whether the session holds an access token from a sign-in
 */
gboolean
ms_setup_session_get_signed_in (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), FALSE);

  return self->token != NULL;
}
