/* ms-oauth-refresh.c: the token endpoint (RFC 6749 §3.2): a fresh access
 * token from a refresh token (§6), and the sign-in's code exchange (§4.1.3)
 *
 * Both grants go through one request, ms_oauth_token_request_async(), so
 * they share every check of the answer. The token endpoint comes from a provider file (validated there: https,
 * or loopback http); its answer is hostile until checked: size-capped,
 * JSON, a Bearer token of token characters, a valid scope list.
 * Redirects are not followed: a 307 would resend the refresh token to
 * wherever it points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ms-dialect.h"
#include "ms-json.h"
#include "ms-oauth-refresh.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

#define MAX_RESPONSE (64 * 1024)

G_DEFINE_QUARK (ms-oauth-error-quark, ms_oauth_error)

typedef struct
{
  SoupMessage *message;
  guchar      *buffer;
  gboolean     exchange;
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_clear_object (&data->message);
  if (data->buffer != NULL)
    explicit_bzero (data->buffer, MAX_RESPONSE + 1);
  g_free (data->buffer);
  g_free (data);
}

void
ms_oauth_tokens_free (MsOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;

  g_clear_pointer (&tokens->access_token, ms_secret_unref);
  g_clear_pointer (&tokens->refresh_token, ms_secret_unref);
  g_free (tokens->scope);
  g_free (tokens);
}

/* RFC 6749 §5.2: the error answer. */
static void
set_refusal (JsonObject  *object,
             guint        status,
             gboolean     exchange,
             GError     **error)
{
  const char *code = object != NULL ? ms_json_get_string_member (object, "error") : NULL;
  g_autofree char *shown = ms_untrusted_text_sanitize (code != NULL ? code : "", 64);

  if (g_strcmp0 (code, "invalid_grant") == 0)
    g_set_error_literal (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_GRANT,
                         _("The provider no longer accepts this account’s sign-in; sign in again"));
  else if (g_strcmp0 (code, "invalid_client") == 0 || g_strcmp0 (code, "unauthorized_client") == 0)
    g_set_error_literal (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_CLIENT,
                         _("The provider does not accept Mail Setup as a sign-in client"));
  else if (exchange && shown != NULL && *shown != '\0')
    g_set_error (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_FAILED,
                 _("The provider refused to finish the sign-in (HTTP %u, “%s”)"), status, shown);
  else if (exchange)
    g_set_error (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_FAILED,
                 _("The provider refused to finish the sign-in (HTTP %u)"), status);
  else if (shown != NULL && *shown != '\0')
    g_set_error (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_FAILED,
                 _("The provider refused to renew the sign-in (HTTP %u, “%s”)"), status, shown);
  else
    g_set_error (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_FAILED,
                 _("The provider refused to renew the sign-in (HTTP %u)"), status);
}

static MsSecret *
checked_token (JsonObject *object,
               const char *name)
{
  const char *value = ms_json_get_string_member (object, name);
  g_autoptr(MsSecret) token = NULL;

  if (value == NULL)
    return NULL;
  token = ms_secret_new (value);
  if (!ms_sasl_oauth_check_token (token, NULL))
    return NULL;

  return g_steal_pointer (&token);
}

/* RFC 6749 §5.1: the token answer. */
static MsOAuthTokens *
parse_tokens (JsonObject  *object,
              GError     **error)
{
  g_autoptr(MsOAuthTokens) tokens = g_new0 (MsOAuthTokens, 1);
  const char *type = ms_json_get_string_member (object, "token_type");
  const char *scope = ms_json_get_string_member (object, "scope");
  JsonNode *expires_in = json_object_get_member (object, "expires_in");

  tokens->access_token = checked_token (object, "access_token");
  tokens->refresh_token = checked_token (object, "refresh_token");
  if (tokens->access_token == NULL || type == NULL || g_ascii_strcasecmp (type, "bearer") != 0 ||
      (ms_json_get_string_member (object, "refresh_token") != NULL && tokens->refresh_token == NULL) ||
      (scope != NULL && !ms_validate_oauth_scope (scope, "scope", NULL)))
    {
      g_set_error_literal (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_BAD_RESPONSE,
                           _("The provider’s answer holds no usable sign-in token"));
      return NULL;
    }
  tokens->scope = g_strdup (scope);
  if (expires_in != NULL && JSON_NODE_HOLDS_VALUE (expires_in) &&
      json_node_get_value_type (expires_in) == G_TYPE_INT64)
    {
      gint64 seconds = CLAMP (json_node_get_int (expires_in), 0, G_MAXINT32);

      tokens->expires = g_get_real_time () / G_USEC_PER_SEC + seconds;
    }

  return g_steal_pointer (&tokens);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint status = soup_message_get_status (data->message);
  JsonNode *root = NULL;
  JsonObject *answer = NULL;
  gsize length = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &length, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (length <= MAX_RESPONSE &&
      json_parser_load_from_data (parser, (const char *) data->buffer, length, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    answer = json_node_get_object (root);

  if (status == SOUP_STATUS_OK && answer != NULL)
    {
      MsOAuthTokens *tokens = parse_tokens (answer, &error);

      if (tokens == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, tokens, (GDestroyNotify) ms_oauth_tokens_free);
      return;
    }

  if (status == SOUP_STATUS_OK)
    g_set_error_literal (&error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_BAD_RESPONSE,
                         _("The provider’s answer holds no usable sign-in token"));
  else
    set_refusal (answer, status, data->exchange, &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->buffer = g_malloc0 (MAX_RESPONSE + 1);
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_all_async (stream, data->buffer, MAX_RESPONSE + 1, G_PRIORITY_DEFAULT,
                                 cancellable, read_cb, g_steal_pointer (&task));
}

/**
 * ms_oauth_token_request_async:
 * @session: the session to send with (its TLS database decides trust,
 *   its timeout bounds each wait)
 * @token_endpoint: the provider's token endpoint (already validated)
 * @form: the request's form, encoded (holds a secret: wiped by the caller)
 * @exchange: %TRUE for the sign-in's code exchange (the words of a
 *   refusal differ), %FALSE for a refresh
 *
 * The one request to a token endpoint: POST @form, no redirect followed,
 * the answer size-capped and checked (a Bearer token of token characters,
 * a valid scope list).
 */
void
ms_oauth_token_request_async (SoupSession         *session,
                              const char          *token_endpoint,
                              const char          *form,
                              gboolean             exchange,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (token_endpoint != NULL);
  g_return_if_fail (form != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_oauth_token_request_async);
  data = g_new0 (RefreshData, 1);
  data->exchange = exchange;
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);

  /* libsoup keeps its own copy of the body, which is not wiped: the
   * secret's one unavoidable copy outside MsSecret. */
  data->message = soup_message_new_from_encoded_form (SOUP_METHOD_POST, token_endpoint,
                                                      g_strdup (form));
  if (data->message == NULL)
    {
      g_task_return_new_error (task, MS_OAUTH_ERROR, MS_OAUTH_ERROR_FAILED,
                               _("The provider’s sign-in address cannot be used"));
      return;
    }
  /* A 307 would resend the form (a refresh token, a code and its
   * verifier) to wherever it points. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (data->message),
                                "Accept", "application/json");
  soup_session_send_async (session, data->message, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

/**
 * ms_oauth_token_request_finish:
 *
 * Returns: (transfer full) (nullable): the tokens, or %NULL with @error
 *   set (%MS_OAUTH_ERROR, or the network's)
 */
MsOAuthTokens *
ms_oauth_token_request_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_oauth_token_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  MsOAuthTokens *tokens = ms_oauth_token_request_finish (result, &error);

  if (tokens == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) ms_oauth_tokens_free);
}

/**
 * ms_oauth_refresh_async:
 * @session: the session to send with (its TLS database decides trust)
 * @config: the provider's authorization server
 * @client_id: this program's client id there
 * @refresh_token: the refresh token kept in the keyring
 *
 * Asks @config's token endpoint for a new access token.
 */
void
ms_oauth_refresh_async (SoupSession         *session,
                        MsOAuthConfig       *config,
                        const char          *client_id,
                        MsSecret            *refresh_token,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MsSecret) form = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (config != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (refresh_token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_oauth_refresh_async);

  form = ms_secret_new_take (soup_form_encode ("grant_type", "refresh_token",
                                               "refresh_token", ms_secret_get_text (refresh_token),
                                               "client_id", client_id, NULL));
  ms_oauth_token_request_async (session, ms_oauth_config_get_token_endpoint (config),
                                ms_secret_get_text (form), FALSE, cancellable,
                                refreshed_cb, g_steal_pointer (&task));
}

/**
 * ms_oauth_refresh_finish:
 *
 * Returns: (transfer full) (nullable): the new tokens, or %NULL with
 *   @error set (%MS_OAUTH_ERROR, or the network's)
 */
MsOAuthTokens *
ms_oauth_refresh_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_oauth_refresh_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
