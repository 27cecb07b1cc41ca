/* ms-discovery-fetch.c: fetch an autoconfig file over the web, with limits
 *
 * The file comes from a server nobody vouched for, so every step is
 * bounded: one deadline for the whole fetch, redirects followed by hand (a
 * few, never from HTTPS down to plain HTTP, only within the first host's
 * domain, and never to a loopback, private or link-local address unless
 * the first server already was on one), the body read in chunks
 * and abandoned as soon as it passes the size limit, and the XML checked
 * by the provider parser, which has its own limits on depth and counts.
 * libsoup validates certificates against the session's TLS database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-deadline.h"
#include "ms-discovery-attempt.h"
#include "ms-discovery-fetch.h"
#include "ms-provider-parser.h"
#include "ms-untrusted-text.h"

#define READ_CHUNK 16384
#define MAX_REASON_BYTES 80

typedef struct
{
  SoupSession  *session;
  GUri         *uri;
  MsDeadline   *deadline;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  guint         redirects;
  char         *first_host;
  gboolean      first_internal;   /* the first server was on loopback or a private network */
  char         *refused_address;  /* a redirect led to an internal address */
  gboolean      raw;              /* the body as it came, for PACC's digest */
  GBytes       *request_body;     /* POSTed (Autodiscover), or NULL for GET */
} FetchData;

static void network_event_cb (SoupMessage *message, GSocketClientEvent event,
                              GIOStream *connection, gpointer user_data);

/* The session may hold the message longer than the fetch lives. */
static void
clear_message (FetchData *data)
{
  if (data->message != NULL)
    g_signal_handlers_disconnect_matched (data->message, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                          network_event_cb, NULL);
  g_clear_object (&data->message);
}

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->session);
  g_clear_pointer (&data->uri, g_uri_unref);
  g_clear_pointer (&data->deadline, ms_deadline_free);
  clear_message (data);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_free (data->first_host);
  g_free (data->refused_address);
  g_clear_pointer (&data->request_body, g_bytes_unref);
  g_free (data);
}

/**
 * ms_discovery_fetch_session_new:
 * @tls_database: (nullable): the CAs to trust, or %NULL for the system's
 *
 * Returns: (transfer full): a session for ms_discovery_fetch_async()
 */
SoupSession *
ms_discovery_fetch_session_new (GTlsDatabase *tls_database,
                                guint         timeout_ms)
{
  g_autofree char *user_agent = g_strdup_printf ("MailSetup/%s", PACKAGE_VERSION);
  guint seconds = MAX (1, (timeout_ms + 999) / 1000);
  SoupSession *session;

  session = soup_session_new_with_options ("user-agent", user_agent,
                                           "timeout", seconds,
                                           "idle-timeout", seconds,
                                           NULL);
  if (tls_database != NULL)
    soup_session_set_tls_database (session, tls_database);

  return session;
}

static void fetch_send (GTask *task);

/* Loopback, private, link-local or unspecified: the machine itself or its
 * own network, which a redirect from the outside must not reach. */
static gboolean
is_internal_address (GInetAddress *address)
{
  return g_inet_address_get_is_loopback (address) || g_inet_address_get_is_site_local (address) ||
         g_inet_address_get_is_link_local (address) || g_inet_address_get_is_any (address) ||
         g_inet_address_get_is_multicast (address);
}

/* Records where the first server is, and whether a redirect led to an
 * internal address it may not lead to. Returns %FALSE for the latter. */
static gboolean
check_remote (FetchData      *data,
              GSocketAddress *remote)
{
  GInetAddress *address;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return TRUE;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));

  if (data->redirects == 0)
    {
      data->first_internal = is_internal_address (address);
      return TRUE;
    }

  if (is_internal_address (address) && !data->first_internal)
    {
      if (data->refused_address == NULL)
        data->refused_address = g_inet_address_to_string (address);
      return FALSE;
    }

  return TRUE;
}

/* Stops a redirect to an internal address before the request is sent. */
static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GSocketAddress) remote = NULL;

  if (event != G_SOCKET_CLIENT_CONNECTED || !G_IS_SOCKET_CONNECTION (connection))
    return;

  remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
  if (!check_remote (data, remote))
    g_cancellable_cancel (ms_deadline_get_cancellable (data->deadline));
}

/* Turns whatever went wrong into a sentence naming the URL. */
static void
fetch_fail (GTask  *task,
            GError *error)
{
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *url = g_uri_to_string (data->uri);

  if (ms_deadline_check_error (data->deadline, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("%s: no answer in time"), url);
      g_error_free (error);
      return;
    }

  if (error->domain == G_TLS_ERROR)
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("%s: the web server’s certificate is not valid (%s)"),
                               url, error->message);
      g_error_free (error);
      return;
    }

  if (data->refused_address != NULL)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                               _("%s: a redirect led to the internal address %s, which a server "
                                 "on the outside may not send Mail Setup to"),
                               url, data->refused_address);
      g_error_free (error);
      return;
    }

  if (error->domain == MS_PROVIDER_PARSER_ERROR || error->domain == MS_DISCOVERY_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  if (error->domain == G_RESOLVER_ERROR)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                               _("%s: no such web server (%s)"), url, error->message);
      g_error_free (error);
      return;
    }

  g_task_return_new_error (task, error->domain, error->code, "%s: %s", url, error->message);
  g_error_free (error);
}

static void
parse_body (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *url = g_uri_to_string (data->uri);
  GError *error = NULL;
  MsProvider *provider;

  /* A "200" with nothing in it is no settings file, and the parser never
   * sees it. */
  if (data->body->len == 0)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                               _("%s: the web server sent an empty answer"), url);
      return;
    }

  if (data->raw)
    {
      g_task_return_pointer (task, g_bytes_new (data->body->data, data->body->len),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  provider = ms_provider_parse_data ((const char *) data->body->data, data->body->len, url, &error);
  if (provider == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, provider, g_object_unref);
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

/* The next chunk of the body, unless @size (read or declared) is already
 * past what any mail settings file is. Takes the reference to @task. */
static void
read_more (GTask  *task,
           goffset size)
{
  FetchData *data = g_task_get_task_data (task);

  if (size > MS_DISCOVERY_FETCH_MAX_SIZE)
    {
      g_autofree char *url = g_uri_to_string (data->uri);

      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_TOO_LARGE,
                               _("%s: the file is larger than %u KiB, which no mail settings file is"),
                               url, MS_DISCOVERY_FETCH_MAX_SIZE / 1024);
      g_object_unref (task);
      return;
    }

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   ms_deadline_get_cancellable (data->deadline),
                                   read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      fetch_fail (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      parse_body (task);
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_more (g_steal_pointer (&task), data->body->len);
}

static gboolean
follow_redirect (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *url = g_uri_to_string (data->uri);
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) next = NULL;
  const char *scheme;

  if (location == NULL)
    return FALSE;

  if (++data->redirects > MS_DISCOVERY_FETCH_MAX_REDIRECTS)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                               _("%s: more than %u redirects"), url,
                               MS_DISCOVERY_FETCH_MAX_REDIRECTS);
      return TRUE;
    }

  next = g_uri_parse_relative (data->uri, location, G_URI_FLAGS_ENCODED, NULL);
  scheme = next != NULL ? g_uri_get_scheme (next) : NULL;
  if (scheme == NULL || g_uri_get_host (next) == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                               _("%s: redirects to something that is not a web address"), url);
      return TRUE;
    }

  /* A redirect may move within the first host's domain (autoconfig.example.com
   * to mail.example.com), never to someone else's. */
  if (!ms_discovery_host_in_domain (g_uri_get_host (next), data->first_host))
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (g_uri_get_host (next), 255);

      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                               _("%s: redirects to %s, outside %s"), url, shown, data->first_host);
      return TRUE;
    }

  /* Settings fetched securely must stay secure all the way. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (data->uri), "https") == 0 &&
      g_ascii_strcasecmp (scheme, "http") == 0)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                               _("%s: redirects from a secure address to an insecure one"), url);
      return TRUE;
    }

  g_clear_object (&data->stream);
  clear_message (data);
  g_uri_unref (data->uri);
  data->uri = g_steal_pointer (&next);
  fetch_send (g_object_ref (task));

  return TRUE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *url = g_uri_to_string (data->uri);
  GError *error = NULL;
  SoupStatus status;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      fetch_fail (task, error);
      return;
    }

  /* A connection the session reused had no connect event: the address it
   * answered from still counts. */
  if (!check_remote (data, soup_message_get_remote_address (data->message)))
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                               _("%s: a redirect led to the internal address %s, which a server "
                                 "on the outside may not send Mail Setup to"),
                               url, data->refused_address);
      return;
    }

  status = soup_message_get_status (data->message);
  if (SOUP_STATUS_IS_REDIRECTION (status) && follow_redirect (task))
    return;

  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                               _("%s: no such file (HTTP %u)"), url, status);
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      /* The reason phrase is the server's own text: shown only cleaned. */
      g_autofree char *reason = ms_untrusted_text_sanitize (soup_message_get_reason_phrase (data->message),
                                                            MAX_REASON_BYTES);

      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_HTTP,
                               _("%s: the web server answered HTTP %u %s"), url, status,
                               reason != NULL ? reason : "");
      return;
    }

  /* Refuse a declared size at once rather than reading up to the limit. */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (data->message));
  read_more (g_steal_pointer (&task), length);
}

/* Takes the reference to @task. */
static void
fetch_send (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  data->message = soup_message_new_from_uri (data->request_body != NULL ? SOUP_METHOD_POST : SOUP_METHOD_GET,
                                             data->uri);
  if (data->request_body != NULL)
    soup_message_set_request_body_from_bytes (data->message, "text/xml; charset=utf-8", data->request_body);
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (data->message, "network-event", G_CALLBACK (network_event_cb), task);
  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_replace (headers, "Accept",
                                data->raw && data->request_body == NULL ? "application/json"
                                                                        : "application/xml, text/xml;q=0.9");

  soup_session_send_async (data->session, data->message, G_PRIORITY_DEFAULT,
                           ms_deadline_get_cancellable (data->deadline), send_cb, task);
}

/**
 * ms_discovery_fetch_async:
 * @url: an http:// or https:// URL
 * @timeout_ms: how long the whole fetch, redirects included, may take
 *
 * Fetches @url and reads it as an autoconfig file. The provider's source
 * is the URL it was finally read from.
 */
static void
fetch_start (SoupSession         *session,
             const char          *url,
             guint                timeout_ms,
             gboolean             raw,
             GBytes              *request_body,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  FetchData *data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (FetchData, 1);
  data->session = g_object_ref (session);
  data->deadline = ms_deadline_new (timeout_ms, cancellable);
  data->body = g_byte_array_new ();
  data->raw = raw;
  data->request_body = request_body != NULL ? g_bytes_ref (request_body) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  data->uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  if (data->uri == NULL)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                               "%s: %s", url, error->message);
      return;
    }
  data->first_host = g_ascii_strdown (g_uri_get_host (data->uri) != NULL ? g_uri_get_host (data->uri) : "", -1);

  fetch_send (g_steal_pointer (&task));
}

/**
 * ms_discovery_fetch_async:
 * @url: an http:// or https:// URL
 * @timeout_ms: how long the whole fetch, redirects included, may take
 *
 * Fetches @url and reads it as an autoconfig file. The provider's source
 * is the URL it was finally read from.
 */
void
ms_discovery_fetch_async (SoupSession         *session,
                          const char          *url,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);

  fetch_start (session, url, timeout_ms, FALSE, NULL, cancellable, callback, user_data,
               ms_discovery_fetch_async);
}

/**
 * ms_discovery_fetch_bytes_async:
 *
 * Fetches @url with the same limits, redirect and address rules as
 * ms_discovery_fetch_async(), and hands back the body as it came: PACC
 * checks the digest of exactly those bytes before it reads them.
 */
void
ms_discovery_fetch_bytes_async (SoupSession         *session,
                                const char          *url,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);

  fetch_start (session, url, timeout_ms, TRUE, NULL, cancellable, callback, user_data,
               ms_discovery_fetch_bytes_async);
}

/**
 * ms_discovery_fetch_post_async:
 * @body: what to POST, as text/xml
 *
 * Like ms_discovery_fetch_bytes_async(), with a POST (Microsoft
 * Autodiscover); finish with ms_discovery_fetch_bytes_finish(). The
 * redirect rules are the same; a redirect is POSTed to again.
 */
void
ms_discovery_fetch_post_async (SoupSession         *session,
                               const char          *url,
                               GBytes              *body,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL && body != NULL);

  fetch_start (session, url, timeout_ms, TRUE, body, cancellable, callback, user_data,
               ms_discovery_fetch_bytes_async);
}

/**
 * ms_discovery_fetch_bytes_finish:
 *
 * Returns: (transfer full) (nullable): the body (never empty), or %NULL
 *   with a #MS_DISCOVERY_ERROR, TLS or I/O error
 */
GBytes *
ms_discovery_fetch_bytes_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ms_discovery_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL with a
 *   #MS_DISCOVERY_ERROR, #MS_PROVIDER_PARSER_ERROR, TLS or I/O error
 */
MsProvider *
ms_discovery_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
