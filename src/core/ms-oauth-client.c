/* ms-oauth-client.c: the client the sign-in names to the provider
 *
 * A client id belongs to the program, not to the provider file
 * (data/providers/README.md). It comes from the build (meson option
 * `oauth_clients`, as Evolution builds in its Google client id), or is
 * registered at sign-in (RFC 7591) when the provider's authorization-
 * server metadata (RFC 8414) offers a registration endpoint. Metadata and
 * registration answers are hostile until checked: size-capped, JSON
 * objects, the issuer the one expected (RFC 8414 §3.3, else a server could
 * pose as another's), addresses valid sign-in addresses (ms-validate.c),
 * PKCE S256 offered, no redirect followed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ms-json.h"
#include "ms-oauth-client-private.h"
#include "ms-validate.h"

#define MAX_ANSWER (64 * 1024)
#define WELL_KNOWN "/.well-known/oauth-authorization-server"

void
ms_oauth_client_free (MsOAuthClient *client)
{
  if (client == NULL)
    return;

  g_free (client->client_id);
  if (client->client_secret != NULL)
    ms_secret_wipe_string (client->client_secret);
  g_free (client);
}

static MsOAuthClient *
client_new (const char *client_id,
            const char *client_secret,
            gboolean    registered)
{
  MsOAuthClient *client = g_new0 (MsOAuthClient, 1);

  client->client_id = g_strdup (client_id);
  client->client_secret = g_strdup (client_secret);
  client->registered = registered;

  return client;
}

/**
 * ms_oauth_client_parse_built_in:
 * @list: entries `ISSUER=CLIENT_ID` or `ISSUER=CLIENT_ID=CLIENT_SECRET`,
 *   separated by blanks
 *
 * The build's list is checked here, at run time, like any outside value:
 * an entry that is not valid is skipped.
 *
 * Returns: (transfer full) (nullable): the client for @issuer
 */
MsOAuthClient *
ms_oauth_client_parse_built_in (const char *list,
                                const char *issuer)
{
  g_auto(GStrv) entries = NULL;

  g_return_val_if_fail (issuer != NULL, NULL);

  if (list == NULL)
    return NULL;

  entries = g_strsplit_set (list, " \t\n", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], "=", -1);
      guint n = g_strv_length (parts);

      if (n < 2 || n > 3 || !g_str_equal (parts[0], issuer) ||
          !ms_validate_oauth_issuer (parts[0], "oauth_clients", NULL) ||
          !ms_validate_oauth_client_id (parts[1], "oauth_clients", NULL) ||
          (n == 3 && !ms_validate_oauth_client_id (parts[2], "oauth_clients", NULL)))
        continue;

      return client_new (parts[1], n == 3 ? parts[2] : NULL, FALSE);
    }

  return NULL;
}

/**
 * ms_oauth_client_lookup_built_in:
 *
 * Returns: (transfer full) (nullable): the build's client for @config's
 *   issuer (meson option `oauth_clients`)
 */
MsOAuthClient *
ms_oauth_client_lookup_built_in (MsOAuthConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  return ms_oauth_client_parse_built_in (MS_OAUTH_CLIENTS, ms_oauth_config_get_issuer (config));
}

/**
 * ms_oauth_client_metadata_uri:
 *
 * RFC 8414 §3: the well-known path goes between the issuer's host and its
 * path. A host-name issuer (Thunderbird's provider files:
 * `accounts.google.com`) is `https://HOST`.
 */
gboolean
ms_oauth_client_metadata_uri (const char  *issuer,
                              char       **uri,
                              char       **expected_issuer)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *expected = NULL;
  const char *path;

  *uri = NULL;
  *expected_issuer = NULL;
  if (!ms_validate_oauth_issuer (issuer, "issuer", NULL))
    return FALSE;
  expected = strstr (issuer, "://") == NULL ? g_strconcat ("https://", issuer, NULL)
                                            : g_strdup (issuer);
  parsed = g_uri_parse (expected, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return FALSE;

  path = g_uri_get_path (parsed);
  if (g_str_equal (path, "/"))
    path = "";
  *uri = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (parsed), NULL, g_uri_get_host (parsed),
                     g_uri_get_port (parsed), WELL_KNOWN, NULL, NULL);
  if (*path != '\0')
    {
      char *joined = g_strconcat (*uri, path, NULL);

      g_free (*uri);
      *uri = joined;
    }
  *expected_issuer = g_steal_pointer (&expected);

  return TRUE;
}

typedef struct _RegisterData RegisterData;
typedef void (*AnswerFunc) (GTask      *task,
                            guint       status,
                            JsonObject *answer);

struct _RegisterData
{
  SoupSession *session;
  SoupMessage *message;
  guchar      *buffer;
  char        *expected_issuer;
  AnswerFunc   handle;
};

static void
register_data_free (RegisterData *data)
{
  g_clear_object (&data->session);
  g_clear_object (&data->message);
  g_free (data->buffer);
  g_free (data->expected_issuer);
  g_free (data);
}

static void
return_no_client (GTask      *task,
                  const char *why)
{
  g_task_return_new_error (task, MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_CLIENT, "%s", why);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RegisterData *data = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root = NULL;
  gsize length = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &length, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* One byte more than the cap was read: a longer answer is refused whole. */
  if (length <= MAX_ANSWER &&
      json_parser_load_from_data (parser, (const char *) data->buffer, length, NULL))
    root = json_parser_get_root (parser);

  data->handle (task, soup_message_get_status (data->message),
                root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RegisterData *data = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_free (data->buffer);
  data->buffer = g_malloc0 (MAX_ANSWER + 1);
  g_input_stream_read_all_async (stream, data->buffer, MAX_ANSWER + 1, G_PRIORITY_DEFAULT,
                                 cancellable, read_cb, g_steal_pointer (&task));
}

/* Sends @message (taken), no redirect followed, and hands its capped,
 * parsed answer to @handle. */
static void
send_message (GTask       *task,
              SoupMessage *message,
              AnswerFunc   handle)
{
  RegisterData *data = g_task_get_task_data (task);

  g_clear_object (&data->message);
  data->message = message;
  data->handle = handle;
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  soup_session_send_async (data->session, message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, g_object_ref (task));
}

/* RFC 7591 §3.2.1: 201 Created with the client's information. */
static void
registered_cb (GTask      *task,
               guint       status,
               JsonObject *answer)
{
  const char *client_id = answer != NULL ? ms_json_get_string_member (answer, "client_id") : NULL;
  const char *client_secret = answer != NULL ? ms_json_get_string_member (answer, "client_secret") : NULL;

  if (status != SOUP_STATUS_CREATED || client_id == NULL ||
      !ms_validate_oauth_client_id (client_id, "registration", NULL) ||
      (client_secret != NULL && !ms_validate_oauth_client_id (client_secret, "registration", NULL)))
    {
      return_no_client (task, _("The provider did not register Mail Setup as a sign-in client"));
      return;
    }

  g_task_return_pointer (task, client_new (client_id, client_secret, TRUE),
                         (GDestroyNotify) ms_oauth_client_free);
}

static char *
registration_request (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_name");
  json_builder_add_string_value (builder, "Mail Setup");
  /* RFC 8252 §7.3: the port of a loopback redirect is chosen at each
   * sign-in, and the server must accept any port for it; so the
   * registration names the address without one. */
  json_builder_set_member_name (builder, "redirect_uris");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "http://127.0.0.1/");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "grant_types");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "authorization_code");
  json_builder_add_string_value (builder, "refresh_token");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "response_types");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "code");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "token_endpoint_auth_method");
  json_builder_add_string_value (builder, "none");
  json_builder_set_member_name (builder, "application_type");
  json_builder_add_string_value (builder, "native");
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static gboolean
offers_s256 (JsonObject *metadata)
{
  JsonNode *node = json_object_get_member (metadata, "code_challenge_methods_supported");
  JsonArray *methods;

  /* Absent: the server does not say; the authorization endpoint will. */
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  methods = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (methods); i++)
    {
      JsonNode *method = json_array_get_element (methods, i);

      if (JSON_NODE_HOLDS_VALUE (method) && json_node_get_value_type (method) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (method), "S256") == 0)
        return TRUE;
    }

  return FALSE;
}

/* Why @answer gives no registration endpoint, or NULL when it does. */
static const char *
check_metadata (RegisterData *data,
                guint         status,
                JsonObject   *answer)
{
  const char *endpoint = answer != NULL ? ms_json_get_string_member (answer, "registration_endpoint") : NULL;

  if (status != SOUP_STATUS_OK || answer == NULL || endpoint == NULL)
    return _("The provider offers no sign-in for Mail Setup");
  if (g_strcmp0 (ms_json_get_string_member (answer, "issuer"), data->expected_issuer) != 0)
    return _("The provider’s sign-in description names another provider");
  if (!ms_validate_oauth_endpoint (endpoint, "registration_endpoint", NULL))
    return _("The provider’s registration address cannot be used safely");
  if (!offers_s256 (answer))
    return _("The provider’s sign-in does not offer the safe code exchange (PKCE)");

  return NULL;
}

static void
metadata_cb (GTask      *task,
             guint       status,
             JsonObject *answer)
{
  RegisterData *data = g_task_get_task_data (task);
  const char *why = check_metadata (data, status, answer);
  SoupMessage *message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *body;

  if (why == NULL)
    message = soup_message_new (SOUP_METHOD_POST, ms_json_get_string_member (answer, "registration_endpoint"));
  if (message == NULL)
    {
      return_no_client (task, why != NULL ? why : _("The provider’s registration address cannot be used safely"));
      return;
    }

  body = registration_request ();
  bytes = g_bytes_new_take (body, strlen (body));
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  send_message (task, message, registered_cb);
}

/**
 * ms_oauth_client_register_async:
 * @session: with a timeout and the TLS database to trust
 *
 * Reads @config's issuer's metadata (RFC 8414) and registers a client at
 * its registration endpoint (RFC 7591). A provider without one has no
 * client for Mail Setup: %MS_OAUTH_ERROR_NO_CLIENT, not a network error.
 */
void
ms_oauth_client_register_async (SoupSession         *session,
                                MsOAuthConfig       *config,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  RegisterData *data;
  SoupMessage *message;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (config != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_oauth_client_register_async);
  data = g_new0 (RegisterData, 1);
  data->session = g_object_ref (session);
  g_task_set_task_data (task, data, (GDestroyNotify) register_data_free);

  if (!ms_oauth_client_metadata_uri (ms_oauth_config_get_issuer (config), &uri,
                                     &data->expected_issuer) ||
      (message = soup_message_new (SOUP_METHOD_GET, uri)) == NULL)
    {
      return_no_client (task, _("The provider offers no sign-in for Mail Setup"));
      return;
    }
  send_message (task, message, metadata_cb);
}

MsOAuthClient *
ms_oauth_client_register_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_oauth_client_register_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
