/* ms-oauth-sign-in.c: signing in with the provider in the person's own browser
 *
 * OAuth 2.0 authorization code grant (RFC 6749 §4.1) with PKCE S256
 * (RFC 7636) and a loopback redirect (RFC 8252 §7.3): a SoupServer on
 * 127.0.0.1, port chosen by the system, waits for the browser to come
 * back with the code. The redirect address is the IP literal, never
 * "localhost" (RFC 8252 §8.3: a name can resolve elsewhere, or to ::1
 * where nothing listens).
 *
 * Whatever reaches the listener is hostile: any local program can connect.
 * Only a GET of "/" whose state matches (compared in constant time) is an
 * answer; anything else gets 400 and the sign-in keeps waiting. The first
 * answer ends the listening. A browser that never comes back (closed, the
 * person walked away) ends in %MS_OAUTH_ERROR_UNFINISHED after the timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "ms-oauth-client-private.h"
#include "ms-oauth-sign-in-private.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

#define DEFAULT_TIMEOUT_SECONDS 600
#define HTTP_TIMEOUT_SECONDS    30
#define MAX_QUERY               8192  /* a code and a state are a few hundred bytes */
#define MAX_CODE                2048
#define VERIFIER_BYTES          32    /* 43 base64url characters (RFC 7636 §4.1) */
#define STATE_BYTES             16

struct _MsOAuthSignIn
{
  GObject        parent_instance;

  MsOAuthConfig *config;
  char          *address;
  MsOAuthClient *explicit_client;
  GTlsDatabase  *tls_database;
  guint          timeout;
  char          *uri;

  /* While a run waits: */
  GTask         *task;
  MsOAuthClient *client;
  SoupSession   *session;
  SoupServer    *server;
  char          *redirect_uri;
  MsSecret      *verifier;
  MsSecret      *state;
  GSource       *timeout_source;
  GSource       *cancel_source;
  gboolean       answering;  /* the browser is sent its page: the server stays */
};

G_DEFINE_FINAL_TYPE (MsOAuthSignIn, ms_oauth_sign_in, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_URI,
  N_PROPS
};

enum
{
  SIGNAL_OPEN_URI,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
base64url (const guchar *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end = strchr (text, '=');

  if (end != NULL)
    *end = '\0';
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');

  return text;
}

/**
 * ms_oauth_random_text:
 *
 * Returns: (transfer full): @bytes from GnuTLS's key-strength generator,
 *   base64url without padding
 */
char *
ms_oauth_random_text (gsize bytes)
{
  g_autofree guchar *buffer = g_malloc (bytes);
  char *text;

  if (gnutls_rnd (GNUTLS_RND_KEY, buffer, bytes) != 0)
    g_error ("the system’s random number generator failed");
  text = base64url (buffer, bytes);
  explicit_bzero (buffer, bytes);

  return text;
}

char *
ms_oauth_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);

  return base64url (digest, length);
}

gboolean
ms_oauth_secure_equal (const char *a,
                       const char *b)
{
  gsize length_a, length_b;
  guchar difference = 0;

  if (a == NULL || b == NULL)
    return FALSE;

  length_a = strlen (a);
  length_b = strlen (b);
  for (gsize i = 0; i < length_b; i++)
    difference |= (guchar) a[i < length_a ? i : 0] ^ (guchar) b[i];

  return difference == 0 && length_a == length_b;
}

char *
ms_oauth_authorization_uri (MsOAuthConfig *config,
                            const char    *client_id,
                            const char    *redirect_uri,
                            const char    *address,
                            const char    *state,
                            const char    *challenge)
{
  const char *endpoint = ms_oauth_config_get_authorization_endpoint (config);
  g_autofree char *scope = ms_oauth_config_dup_scope (config);
  g_autofree char *form = NULL;

  form = soup_form_encode ("response_type", "code",
                           "client_id", client_id,
                           "redirect_uri", redirect_uri,
                           "scope", scope,
                           "state", state,
                           "code_challenge", challenge,
                           "code_challenge_method", "S256",
                           "login_hint", address,
                           NULL);

  /* RFC 6749 §3.1: the endpoint's own query is kept, ours appended. */
  return g_strconcat (endpoint, strchr (endpoint, '?') != NULL ? "&" : "?", form, NULL);
}

gboolean
ms_oauth_scope_granted (MsOAuthConfig *config,
                        const char    *granted)
{
  const char * const *wanted = ms_oauth_config_get_scopes (config);
  g_auto(GStrv) scopes = NULL;

  /* RFC 6749 §5.1: no "scope" in the answer means the scopes asked for. */
  if (granted == NULL)
    return TRUE;

  scopes = g_strsplit (granted, " ", -1);
  for (guint i = 0; wanted[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) scopes, wanted[i]))
      return FALSE;

  return TRUE;
}

/* Ends listening and waiting. Once the browser is being answered, the
 * server is disconnected after it has the page (answered_cb). */
static void
stop_waiting (MsOAuthSignIn *self)
{
  if (self->server != NULL && !self->answering)
    soup_server_disconnect (self->server);
  if (self->timeout_source != NULL)
    g_source_destroy (self->timeout_source);
  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (self->cancel_source != NULL)
    g_source_destroy (self->cancel_source);
  g_clear_pointer (&self->cancel_source, g_source_unref);
  g_clear_pointer (&self->verifier, ms_secret_unref);
  g_clear_pointer (&self->state, ms_secret_unref);
  g_clear_pointer (&self->redirect_uri, g_free);
  if (self->uri != NULL)
    {
      g_clear_pointer (&self->uri, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
    }
}

/* Ends the run with @error (taken), once. */
static void
fail (MsOAuthSignIn *self,
      GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_error_free (error);
      return;
    }
  stop_waiting (self);
  g_clear_pointer (&self->client, ms_oauth_client_free);
  g_task_return_error (task, error);
}

static void
succeed (MsOAuthSignIn *self,
         MsOAuthTokens *tokens)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  stop_waiting (self);
  g_task_return_pointer (task, tokens, (GDestroyNotify) ms_oauth_tokens_free);
}

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsOAuthSignIn *self = g_task_get_source_object (task);
  g_autoptr(MsOAuthTokens) tokens = NULL;
  GError *error = NULL;

  tokens = ms_oauth_token_request_finish (result, &error);
  if (self->task != task)
    {
      /* Cancelled meanwhile: the run has already ended. */
      g_clear_error (&error);
      return;
    }
  if (tokens == NULL)
    fail (self, error);
  else if (!ms_oauth_scope_granted (self->config, tokens->scope))
    fail (self, g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_SCOPE_MISSING,
                                     _("The sign-in did not allow Mail Setup to read and send mail")));
  else
    succeed (self, g_steal_pointer (&tokens));
}

/* RFC 6749 §4.1.3, RFC 7636 §4.5: the code, with the verifier only this
 * program knows, for the tokens. */
static void
exchange_code (MsOAuthSignIn *self,
               const char    *code)
{
  g_autoptr(MsSecret) form = NULL;
  char *encoded;

  encoded = soup_form_encode ("grant_type", "authorization_code",
                              "code", code,
                              "redirect_uri", self->redirect_uri,
                              "client_id", self->client->client_id,
                              "code_verifier", ms_secret_get_text (self->verifier),
                              NULL);
  if (self->client->client_secret != NULL)
    {
      g_autofree char *secret = soup_form_encode ("client_secret", self->client->client_secret, NULL);
      char *joined = g_strconcat (encoded, "&", secret, NULL);

      ms_secret_wipe_string (encoded);
      encoded = joined;
    }
  form = ms_secret_new_take (encoded);

  ms_oauth_token_request_async (self->session, ms_oauth_config_get_token_endpoint (self->config),
                                ms_secret_get_text (form), TRUE, g_task_get_cancellable (self->task),
                                exchanged_cb, g_object_ref (self->task));
}

static void
answer_browser (SoupServerMessage *message,
                guint              status,
                const char        *text)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "Cache-Control", "no-store");
}

static gboolean
valid_code (const char *code)
{
  gsize length = code != NULL ? strnlen (code, MAX_CODE + 1) : 0;

  if (length == 0 || length > MAX_CODE)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (code[i] < 0x20 || code[i] > 0x7e)  /* RFC 6749 Appendix A.11: VSCHAR */
      return FALSE;

  return TRUE;
}

/* RFC 6749 §4.1.2.1: the provider's "error" answer. */
static void
take_refusal (MsOAuthSignIn     *self,
              SoupServerMessage *message,
              const char        *code)
{
  g_autofree char *shown = ms_untrusted_text_sanitize (code, 64);

  answer_browser (message, SOUP_STATUS_OK,
                  _("Mail Setup was not allowed to sign in. You can close this tab and return to Mail Setup."));
  if (g_str_equal (code, "access_denied"))
    fail (self, g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_CONSENT_REFUSED,
                                     _("The sign-in was refused in the browser")));
  else
    fail (self, g_error_new (MS_OAUTH_ERROR, MS_OAUTH_ERROR_FAILED,
                             _("The provider ended the sign-in (“%s”)"), shown != NULL ? shown : ""));
}

static void
take_code (MsOAuthSignIn     *self,
           SoupServerMessage *message,
           const char        *code)
{
  answer_browser (message, SOUP_STATUS_OK, _("You can close this tab and return to Mail Setup."));
  g_clear_pointer (&self->state, ms_secret_unref);
  exchange_code (self, code);
}

static gboolean
disconnect_cb (gpointer user_data)
{
  soup_server_disconnect (SOUP_SERVER (user_data));

  return G_SOURCE_REMOVE;
}

static gboolean
nothing_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* The unref in an idle of its own: the source's destroy notify. */
static void
idle_unref (gpointer object)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_source_set_callback (source, nothing_cb, object, g_object_unref);
  g_source_attach (source, context);
}

static void
server_released_cb (gpointer  data,
                    GClosure *closure)
{
  idle_unref (data);
}

/* Nothing here runs inside the message's own emissions: disconnecting
 * frees the connection and the message with it, and the server going
 * while the message is disposed made GLib abort (invalid_closure_notify). */
static void
answered_cb (SoupServerMessage *message,
             gpointer           user_data)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_source_set_callback (source, disconnect_cb, g_object_ref (user_data), g_object_unref);
  g_source_attach (source, context);
}

static void take_answer (MsOAuthSignIn     *self,
                         SoupServer        *server,
                         SoupServerMessage *message,
                         const char        *path,
                         GHashTable        *query);

static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  MsOAuthSignIn *self = user_data;

  self->answering = TRUE;
  take_answer (self, server, message, path, query);
  if (self->state != NULL)
    {
      self->answering = FALSE;
      return;
    }

  /* The first answer is the only one: once the browser has the page,
   * nothing more is listened to. The message keeps the server until then,
   * even if this sign-in goes first. */
  g_signal_connect_data (message, "finished", G_CALLBACK (answered_cb), g_object_ref (server),
                         server_released_cb, 0);
}

static void
take_answer (MsOAuthSignIn     *self,
             SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query)
{
  const char *raw = g_uri_get_query (soup_server_message_get_uri (message));
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;
  const char *refusal = query != NULL ? g_hash_table_lookup (query, "error") : NULL;

  if (self->task == NULL || self->state == NULL || server != self->server)
    answer_browser (message, SOUP_STATUS_GONE, _("This sign-in has ended."));
  else if (soup_server_message_get_method (message) != SOUP_METHOD_GET)
    answer_browser (message, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Not a sign-in answer."));
  else if (!g_str_equal (path, "/") || raw == NULL || strlen (raw) > MAX_QUERY ||
           !ms_oauth_secure_equal (state, ms_secret_get_text (self->state)))
    answer_browser (message, SOUP_STATUS_BAD_REQUEST,
                    _("This is not the sign-in answer Mail Setup is waiting for."));
  else if (refusal != NULL)
    take_refusal (self, message, refusal);
  else if (!valid_code (code))
    {
      answer_browser (message, SOUP_STATUS_BAD_REQUEST, _("The provider’s answer holds no sign-in code."));
      fail (self, g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_BAD_RESPONSE,
                                       _("The provider’s answer holds no sign-in code")));
    }
  else
    take_code (self, message, code);
}

/* The timeout bounds the whole run: the registration before the browser
 * and the code exchange after it too, whose servers could answer
 * a byte at a time below libsoup's idle timeout. */
static gboolean
timed_out_cb (gpointer user_data)
{
  MsOAuthSignIn *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  /* The state is there exactly while the browser is awaited. */
  if (self->state != NULL)
    fail (self, g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_UNFINISHED,
                                     _("The browser did not come back from the sign-in")));
  else
    fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     _("The provider did not answer in time")));

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  MsOAuthSignIn *self = user_data;
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  fail (self, error);

  return G_SOURCE_REMOVE;
}

/* The loopback listener; sets self->redirect_uri. */
static gboolean
listen_loopback (MsOAuthSignIn  *self,
                 GError        **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;
  int port;

  if (self->server != NULL)
    soup_server_remove_handler (self->server, NULL);
  g_clear_object (&self->server);
  self->answering = FALSE;
  self->server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (self->server, NULL, redirect_cb, self, NULL);
  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  port = uris != NULL ? g_uri_get_port (uris->data) : -1;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (port <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Mail Setup could not wait for the browser’s answer"));
      return FALSE;
    }
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d/", port);

  return TRUE;
}

static void
wait_for_browser (MsOAuthSignIn *self)
{
  g_autofree char *challenge = NULL;
  GError *error = NULL;
  gboolean opened = FALSE;

  if (!listen_loopback (self, &error))
    {
      fail (self, error);
      return;
    }

  self->verifier = ms_secret_new_take (ms_oauth_random_text (VERIFIER_BYTES));
  self->state = ms_secret_new_take (ms_oauth_random_text (STATE_BYTES));
  challenge = ms_oauth_pkce_challenge (ms_secret_get_text (self->verifier));
  self->uri = ms_oauth_authorization_uri (self->config, self->client->client_id,
                                          self->redirect_uri, self->address,
                                          ms_secret_get_text (self->state), challenge);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);

  g_signal_emit (self, signals[SIGNAL_OPEN_URI], 0, self->uri, &opened);
  if (!opened)
    fail (self, g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_BROWSER,
                                     _("No web browser could be opened for the sign-in")));
}

static void
registered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsOAuthSignIn *self = g_task_get_source_object (task);
  GError *error = NULL;
  MsOAuthClient *client = ms_oauth_client_register_finish (result, &error);

  if (self->task != task)
    {
      g_clear_error (&error);
      ms_oauth_client_free (client);
      return;
    }
  if (client == NULL)
    {
      fail (self, error);
      return;
    }

  self->client = client;
  wait_for_browser (self);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsOAuthSignIn *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error) || self->task != task)
    return;

  g_debug ("No browser: %s", error->message);
  fail (self, g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_BROWSER,
                                   _("No web browser could be opened for the sign-in")));
}

/* The default "open-uri": GIO's default handler for http(s). Inside a
 * Flatpak, GIO goes through the OpenURI portal by itself. Whether it
 * opened is known only later: launched_cb ends the run if not. */
static gboolean
ms_oauth_sign_in_real_open_uri (MsOAuthSignIn *self,
                                const char    *uri)
{
  g_app_info_launch_default_for_uri_async (uri, NULL, g_task_get_cancellable (self->task),
                                           launched_cb, g_object_ref (self->task));

  return TRUE;
}

static void
ms_oauth_sign_in_dispose (GObject *object)
{
  MsOAuthSignIn *self = MS_OAUTH_SIGN_IN (object);

  /* A listener still answering the browser outlives this object: it must
   * not call back into it. */
  if (self->server != NULL)
    soup_server_remove_handler (self->server, NULL);
  stop_waiting (self);
  g_clear_object (&self->server);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ms_oauth_sign_in_parent_class)->dispose (object);
}

static void
ms_oauth_sign_in_finalize (GObject *object)
{
  MsOAuthSignIn *self = MS_OAUTH_SIGN_IN (object);

  g_clear_pointer (&self->config, ms_oauth_config_unref);
  g_clear_pointer (&self->explicit_client, ms_oauth_client_free);
  g_clear_pointer (&self->client, ms_oauth_client_free);
  g_clear_object (&self->tls_database);
  g_free (self->address);

  G_OBJECT_CLASS (ms_oauth_sign_in_parent_class)->finalize (object);
}

static void
ms_oauth_sign_in_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MsOAuthSignIn *self = MS_OAUTH_SIGN_IN (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_oauth_sign_in_class_init (MsOAuthSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_oauth_sign_in_dispose;
  object_class->finalize = ms_oauth_sign_in_finalize;
  object_class->get_property = ms_oauth_sign_in_get_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A final type has no class struct to put a handler in: the default
   * handler is a closure. */
  signals[SIGNAL_OPEN_URI] =
    g_signal_new_class_handler ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (ms_oauth_sign_in_real_open_uri),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

static void
ms_oauth_sign_in_init (MsOAuthSignIn *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
}

/**
 * ms_oauth_sign_in_new:
 * @config: the provider's authorization server
 * @address: the account's address (the provider's login hint)
 *
 * Returns: (transfer full): a sign-in, not started
 */
MsOAuthSignIn *
ms_oauth_sign_in_new (MsOAuthConfig *config,
                      const char    *address)
{
  MsOAuthSignIn *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (MS_TYPE_OAUTH_SIGN_IN, NULL);
  self->config = ms_oauth_config_ref (config);
  self->address = g_strdup (address);

  return self;
}

/**
 * ms_oauth_sign_in_set_client:
 * @client_id: (nullable): a client id (ms_validate_oauth_client_id()), or
 *   %NULL for the built-in or registered one
 * @client_secret: (nullable): its secret, if it has one
 */
void
ms_oauth_sign_in_set_client (MsOAuthSignIn *self,
                             const char    *client_id,
                             const char    *client_secret)
{
  g_return_if_fail (MS_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (client_id == NULL || ms_validate_oauth_client_id (client_id, "client", NULL));

  g_clear_pointer (&self->explicit_client, ms_oauth_client_free);
  if (client_id == NULL)
    return;
  self->explicit_client = g_new0 (MsOAuthClient, 1);
  self->explicit_client->client_id = g_strdup (client_id);
  self->explicit_client->client_secret = g_strdup (client_secret);
}

void
ms_oauth_sign_in_set_tls_database (MsOAuthSignIn *self,
                                   GTlsDatabase  *database)
{
  g_return_if_fail (MS_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  g_set_object (&self->tls_database, database);
}

void
ms_oauth_sign_in_set_timeout (MsOAuthSignIn *self,
                              guint          seconds)
{
  g_return_if_fail (MS_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (seconds > 0 && seconds <= G_MAXUINT / 1000);

  self->timeout = seconds;
}

const char *
ms_oauth_sign_in_get_uri (MsOAuthSignIn *self)
{
  g_return_val_if_fail (MS_IS_OAUTH_SIGN_IN (self), NULL);

  return self->uri;
}

static MsOAuthClient *
copy_client (const MsOAuthClient *client)
{
  MsOAuthClient *copy = g_new0 (MsOAuthClient, 1);

  copy->client_id = g_strdup (client->client_id);
  copy->client_secret = g_strdup (client->client_secret);
  copy->registered = client->registered;

  return copy;
}

/**
 * ms_oauth_sign_in_run_async:
 *
 * Finds the client, opens the browser at the authorization address and
 * waits for it to come back, then exchanges the code for tokens. One run
 * at a time.
 */
void
ms_oauth_sign_in_run_async (MsOAuthSignIn       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MS_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_oauth_sign_in_run_async);
  self->task = g_object_ref (task);
  g_clear_pointer (&self->client, ms_oauth_client_free);
  g_clear_object (&self->server);

  g_clear_object (&self->session);
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_SECONDS, NULL);
  if (self->tls_database != NULL)
    soup_session_set_tls_database (self->session, self->tls_database);

  self->timeout_source = g_timeout_source_new (self->timeout * 1000);
  g_source_set_callback (self->timeout_source, timed_out_cb, self, NULL);
  g_source_attach (self->timeout_source, g_task_get_context (task));
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, g_task_get_context (task));
    }

  if (self->explicit_client != NULL)
    self->client = copy_client (self->explicit_client);
  else
    self->client = ms_oauth_client_lookup_built_in (self->config);

  if (self->client != NULL)
    wait_for_browser (self);
  else
    ms_oauth_client_register_async (self->session, self->config, cancellable,
                                    registered_cb, g_object_ref (task));
}

MsOAuthTokens *
ms_oauth_sign_in_run_finish (MsOAuthSignIn  *self,
                             GAsyncResult   *result,
                             MsOAuthClient **client,
                             GError        **error)
{
  MsOAuthTokens *tokens;

  g_return_val_if_fail (MS_IS_OAUTH_SIGN_IN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_oauth_sign_in_run_async, NULL);

  tokens = g_task_propagate_pointer (G_TASK (result), error);
  if (client != NULL)
    *client = tokens != NULL ? g_steal_pointer (&self->client) : NULL;
  g_clear_pointer (&self->client, ms_oauth_client_free);

  return tokens;
}
