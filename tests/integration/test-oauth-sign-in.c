/* test-oauth-sign-in.c: signing in in the person's browser (issue 14)
 *
 * tests/harness/oauth-server.py stands for the provider's authorization
 * server (authorization endpoint, token endpoint, RFC 8414 metadata,
 * RFC 7591 registration); it checks the PKCE verifier and that a code is
 * used once. The person's browser is tests/harness/test-browser.py, which
 * GIO launches for real as the default http handler: each test writes a
 * .desktop file and mimeapps.list into its own XDG directories
 * (G_TEST_OPTION_ISOLATE_DIRS), and the browser follows the server's
 * redirect to the sign-in's loopback listener. The tokens then log in to
 * real dovecot (tests/harness/run-with-mail-servers), which asks the
 * same server about them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ms-oauth-sign-in.h"
#include "ms-probe.h"
#include "ms-tls-database.h"

#include "probe-run.h"
#include "scripted-server.h"
#include "test-oauth-fixture.h"

#define CLIENT_ID "mail-setup-test"   /* the one client oauth-server.py knows */

static void
set_behaviour (const char *key,
               const char *value)
{
  g_autofree char *form = soup_form_encode (key, value, NULL);
  g_autoptr(JsonObject) answer = oauth_fixture_call (SOUP_METHOD_POST, "/test/behaviour", form);
}

/* The person's browser: test-browser.py as GIO's default for http. */
static void
install_browser (const char *mode)
{
  g_autofree char *script = g_build_filename (ms_test_need_env ("MS_SOURCE_ROOT"), "tests", "harness",
                                              "test-browser.py", NULL);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *applications = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop_path = g_build_filename (applications, "ms-test-browser.desktop", NULL);
  g_autofree char *mimeapps_path = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *browser_log = g_build_filename (g_get_user_data_dir (), "browser.log", NULL);
  g_autofree char *desktop = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (python);
  g_assert_true (g_file_test (script, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test browser\n"
                             "Exec=%s %s %%u\n"
                             "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                             python, script);
  g_file_set_contents (desktop_path, desktop, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps_path,
                       "[Default Applications]\n"
                       "x-scheme-handler/http=ms-test-browser.desktop\n"
                       "x-scheme-handler/https=ms-test-browser.desktop\n", -1, &error);
  g_assert_no_error (error);
  g_setenv ("MS_TEST_BROWSER_MODE", mode, TRUE);
  g_setenv ("MS_TEST_BROWSER_LOG", browser_log, TRUE);
  g_unlink (browser_log);
}

/* What the browser saw, as the loopback listener's statuses in order
 * ("400 200"): it writes its log once it has read the last page. */
static char *
browser_saw (void)
{
  g_autofree char *browser_log = g_build_filename (g_get_user_data_dir (), "browser.log", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) statuses = g_string_new (NULL);
  JsonArray *steps;

  /* test-browser.py renames the whole log into place. */
  for (guint i = 0; i < 100 && !g_file_test (browser_log, G_FILE_TEST_EXISTS); i++)
    g_usleep (G_USEC_PER_SEC / 20);
  g_file_get_contents (browser_log, &contents, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  steps = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "steps");
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (step, "url", ""), "loopback") == 0)
        g_string_append_printf (statuses, "%s%" G_GINT64_FORMAT, statuses->len > 0 ? " " : "",
                                json_object_get_int_member (step, "status"));
    }

  return g_string_free (g_steal_pointer (&statuses), FALSE);
}

static MsOAuthConfig *
harness_config (const char *scope)
{
  g_autofree char *issuer = oauth_fixture_url ("");
  g_autofree char *authorize = oauth_fixture_url ("/authorize");
  g_autofree char *token = oauth_fixture_url ("/token");

  return ms_oauth_config_new (issuer, authorize, token, scope);
}

typedef struct
{
  MsOAuthTokens *tokens;
  MsOAuthClient *client;
  GError        *error;
  gboolean       done;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->tokens, ms_oauth_tokens_free);
  g_clear_pointer (&outcome->client, ms_oauth_client_free);
  g_clear_error (&outcome->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->tokens = ms_oauth_sign_in_run_finish (MS_OAUTH_SIGN_IN (object), result,
                                                 &outcome->client, &outcome->error);
  outcome->done = TRUE;
}

static void
run_sign_in (MsOAuthSignIn *sign_in,
             GCancellable  *cancellable,
             Outcome       *outcome)
{
  ms_oauth_sign_in_run_async (sign_in, cancellable, run_done_cb, outcome);
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (ms_oauth_sign_in_get_uri (sign_in));
  g_assert_true ((outcome->tokens == NULL) != (outcome->error == NULL));
}

/* A sign-in with the known client through the browser, in @mode. */
static void
sign_in_with_browser (const char *authorize,
                      const char *scope,
                      Outcome    *outcome)
{
  g_autoptr(MsOAuthConfig) config = harness_config (scope);
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));

  install_browser ("visit");
  set_behaviour ("authorize", authorize);
  ms_oauth_sign_in_set_client (sign_in, CLIENT_ID, NULL);
  ms_oauth_sign_in_set_timeout (sign_in, 30);
  run_sign_in (sign_in, NULL, outcome);
}

/* The proof the tokens are real: dovecot takes the access token. */
static void
assert_logs_in (MsOAuthTokens *tokens)
{
  guint16 port = (guint16) g_ascii_strtoull (ms_test_need_env ("MS_TEST_IMAPS_PORT"), NULL, 10);
  g_autoptr(MsServer) server = ms_server_new (MS_PROTOCOL_IMAP, ms_test_need_env ("MS_TEST_HOST"), port,
                                              MS_SECURITY_TLS);
  g_autoptr(MsProbe) probe = ms_probe_new (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = ms_tls_database_new (ms_test_need_env ("MS_TEST_CA_FILE"), &error);
  g_autoptr(MsProbeResult) result = NULL;

  g_assert_no_error (error);
  ms_probe_set_tls_database (probe, database);
  ms_probe_set_timeout (probe, 10000);
  ms_probe_set_bearer_token (probe, ms_test_need_env ("MS_TEST_USER"), tokens->access_token,
                             tokens->scope, tokens->expires);
  result = ms_test_run_probe (probe);

  g_assert_cmpint (result->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_cmpstr (result->login_mechanism, ==, "OAUTHBEARER");
}

static void
test_consent (void)
{
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(JsonObject) asked = NULL;
  g_autofree char *saw = NULL;
  gint64 codes = oauth_fixture_calls ("code");

  sign_in_with_browser ("consent", "mail", &outcome);
  g_assert_no_error (outcome.error);
  /* The browser got the listener's page before it stopped listening. */
  saw = browser_saw ();
  g_assert_cmpstr (saw, ==, "200");
  g_assert_nonnull (outcome.tokens->refresh_token);
  g_assert_cmpstr (outcome.tokens->scope, ==, "mail");
  g_assert_cmpint (outcome.tokens->expires, >, g_get_real_time () / G_USEC_PER_SEC + 3000);
  g_assert_cmpstr (outcome.client->client_id, ==, CLIENT_ID);
  g_assert_false (outcome.client->registered);
  /* One exchange: the code went to the token endpoint once. */
  g_assert_cmpint (oauth_fixture_calls ("code"), ==, codes + 1);

  /* What the browser was sent to: the IP literal, PKCE S256, the hint. */
  asked = oauth_fixture_call (SOUP_METHOD_GET, "/test/last-authorize", NULL);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (asked, "redirect_uri"),
                                   "http://127.0.0.1:"));
  g_assert_cmpstr (json_object_get_string_member (asked, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (json_object_get_string_member (asked, "login_hint"), ==, ms_test_need_env ("MS_TEST_USER"));
  g_assert_cmpstr (json_object_get_string_member (asked, "scope"), ==, "mail");
  g_assert_cmpuint (strlen (json_object_get_string_member (asked, "state")), >=, 22);

  assert_logs_in (outcome.tokens);
}

static void
test_refused (void)
{
  g_auto(Outcome) outcome = { 0 };
  g_autofree char *saw = NULL;

  sign_in_with_browser ("refuse", "mail", &outcome);
  g_assert_error (outcome.error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_CONSENT_REFUSED);
  saw = browser_saw ();
  g_assert_cmpstr (saw, ==, "200");
}

static void
test_wrong_scope (void)
{
  g_auto(Outcome) outcome = { 0 };

  sign_in_with_browser ("wrong-scope", "mail", &outcome);
  g_assert_error (outcome.error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_SCOPE_MISSING);
  g_assert_null (outcome.client);
}

/* A client with a secret (an "installed application" one) sends it
 * with the code; without it the provider refuses the client. */
static void
test_client_secret (void)
{
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_auto(Outcome) with_secret = { 0 };
  g_auto(Outcome) without = { 0 };

  install_browser ("visit");
  set_behaviour ("authorize", "consent");
  ms_oauth_sign_in_set_timeout (sign_in, 30);
  ms_oauth_sign_in_set_client (sign_in, "mail-setup-test-secret", "not-so-secret");
  run_sign_in (sign_in, NULL, &with_secret);
  g_assert_no_error (with_secret.error);
  g_assert_cmpstr (with_secret.client->client_secret, ==, "not-so-secret");
  assert_logs_in (with_secret.tokens);

  /* The same object runs again, now without the secret. */
  ms_oauth_sign_in_set_client (sign_in, "mail-setup-test-secret", NULL);
  run_sign_in (sign_in, NULL, &without);
  g_assert_error (without.error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_CLIENT);
}

/* What a hostile local program sends to the listener (any program on
 * the machine can connect): each refused, and the sign-in goes on. */
typedef struct
{
  char     *redirect;
  char     *state;
  guint     statuses[5];
  gboolean  done;
} Hostile;

static guint
hostile_request (SoupSession *session,
                 const char  *method,
                 const char  *url)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (message);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (message);
}

static gpointer
hostile_thread (gpointer user_data)
{
  Hostile *hostile = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *right = NULL, *wrong = NULL, *none = NULL, *path = NULL, *huge = NULL;
  g_autofree char *padding = g_strnfill (20000, 'a');

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", 10, NULL);
  right = g_strdup_printf ("%s?code=stolen&state=%s", hostile->redirect, hostile->state);
  wrong = g_strdup_printf ("%s?code=stolen&state=%sx", hostile->redirect, hostile->state);
  none = g_strdup_printf ("%s?code=stolen", hostile->redirect);
  path = g_strdup_printf ("%sother?code=stolen&state=%s", hostile->redirect, hostile->state);
  huge = g_strdup_printf ("%s?code=stolen&state=%s&pad=%s", hostile->redirect, hostile->state, padding);
  hostile->statuses[0] = hostile_request (session, SOUP_METHOD_POST, right);
  hostile->statuses[1] = hostile_request (session, SOUP_METHOD_GET, wrong);
  hostile->statuses[2] = hostile_request (session, SOUP_METHOD_GET, none);
  hostile->statuses[3] = hostile_request (session, SOUP_METHOD_GET, path);
  hostile->statuses[4] = hostile_request (session, SOUP_METHOD_GET, huge);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  g_atomic_int_set (&hostile->done, TRUE);
  g_main_context_wakeup (NULL);

  return NULL;
}

static gboolean
open_uri_hostile_cb (MsOAuthSignIn *sign_in,
                     const char    *uri,
                     gpointer       user_data)
{
  Hostile *hostile = user_data;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) query = NULL;
  GThread *thread;

  g_assert_cmpstr (uri, ==, ms_oauth_sign_in_get_uri (sign_in));
  query = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  hostile->redirect = g_strdup (g_hash_table_lookup (query, "redirect_uri"));
  hostile->state = g_strdup (g_hash_table_lookup (query, "state"));
  g_assert_nonnull (hostile->redirect);
  g_assert_nonnull (hostile->state);

  /* The listener runs on this thread's main context: keep it running. */
  thread = g_thread_new ("hostile", hostile_thread, hostile);
  while (!g_atomic_int_get (&hostile->done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  return FALSE;  /* now the default: the real browser */
}

/* A wrong state (a hostile program's, then the server's once) gets 400
 * and the sign-in keeps waiting; the right one, after, is taken. */
static void
test_wrong_state (void)
{
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_auto(Outcome) outcome = { 0 };
  g_autofree char *saw = NULL;
  Hostile hostile = { 0 };
  gint64 authorizations = oauth_fixture_calls ("authorize");

  install_browser ("visit");
  set_behaviour ("authorize", "wrong-state");
  ms_oauth_sign_in_set_client (sign_in, CLIENT_ID, NULL);
  ms_oauth_sign_in_set_timeout (sign_in, 30);
  g_signal_connect (sign_in, "open-uri", G_CALLBACK (open_uri_hostile_cb), &hostile);
  run_sign_in (sign_in, NULL, &outcome);

  g_assert_cmpuint (hostile.statuses[0], ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpuint (hostile.statuses[1], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (hostile.statuses[2], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (hostile.statuses[3], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (hostile.statuses[4], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_no_error (outcome.error);
  /* The browser came twice: the wrong state, then the right one. */
  g_assert_cmpint (oauth_fixture_calls ("authorize"), ==, authorizations + 2);
  saw = browser_saw ();
  g_assert_cmpstr (saw, ==, "400 200");
  assert_logs_in (outcome.tokens);
  g_free (hostile.redirect);
  g_free (hostile.state);
}

/* The person closes the browser: nothing comes back before the timeout. */
static void
test_closed_browser (void)
{
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_auto(Outcome) outcome = { 0 };
  gint64 started = g_get_monotonic_time ();

  install_browser ("closed");
  ms_oauth_sign_in_set_client (sign_in, CLIENT_ID, NULL);
  ms_oauth_sign_in_set_timeout (sign_in, 2);
  run_sign_in (sign_in, NULL, &outcome);

  g_assert_error (outcome.error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_UNFINISHED);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

/* No default browser in this test's XDG directories: GIO finds none. */
static void
test_no_browser (void)
{
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_auto(Outcome) outcome = { 0 };

  ms_oauth_sign_in_set_client (sign_in, CLIENT_ID, NULL);
  ms_oauth_sign_in_set_timeout (sign_in, 20);
  run_sign_in (sign_in, NULL, &outcome);

  g_assert_error (outcome.error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_BROWSER);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };
  gint64 started = g_get_monotonic_time ();

  install_browser ("closed");
  ms_oauth_sign_in_set_client (sign_in, CLIENT_ID, NULL);
  g_timeout_add (500, cancel_cb, cancellable);
  run_sign_in (sign_in, cancellable, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
}

/* No client set or built in: the metadata's registration endpoint. */
static void
test_registration (void)
{
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_auto(Outcome) outcome = { 0 };
  gint64 registrations = oauth_fixture_calls ("register");

  install_browser ("visit");
  set_behaviour ("authorize", "consent");
  set_behaviour ("metadata", "normal");
  ms_oauth_sign_in_set_timeout (sign_in, 30);
  run_sign_in (sign_in, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpint (oauth_fixture_calls ("register"), ==, registrations + 1);
  g_assert_true (outcome.client->registered);
  g_assert_true (g_str_has_prefix (outcome.client->client_id, "registered-"));
  assert_logs_in (outcome.tokens);
}

/* Metadata without a registration, missing, or hostile: no client, and
 * never a registration where the metadata is not to be trusted. */
static void
test_no_client (gconstpointer data)
{
  const char *metadata = data;
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_auto(Outcome) outcome = { 0 };
  gint64 registrations = oauth_fixture_calls ("register");
  gint64 authorizations = oauth_fixture_calls ("authorize");

  install_browser ("visit");
  set_behaviour ("authorize", "consent");
  set_behaviour ("metadata", metadata);
  run_sign_in (sign_in, NULL, &outcome);
  set_behaviour ("metadata", "normal");

  g_test_message ("%s: %s", metadata, outcome.error != NULL ? outcome.error->message : "");
  g_assert_error (outcome.error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_CLIENT);
  /* Only the good metadata with a bad answer gets as far as registering. */
  g_assert_cmpint (oauth_fixture_calls ("register"), ==,
                   registrations + (g_str_equal (metadata, "bad-client") ? 1 : 0));
  g_assert_cmpint (oauth_fixture_calls ("authorize"), ==, authorizations);
}

/* A provider that does not answer: the sign-in's timeout bounds the
 * steps before the browser too. */
static void
test_slow_provider (void)
{
  g_autoptr(MsOAuthConfig) config = harness_config ("mail");
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, ms_test_need_env ("MS_TEST_USER"));
  g_auto(Outcome) outcome = { 0 };
  gint64 started = g_get_monotonic_time ();

  set_behaviour ("metadata", "slow");
  ms_oauth_sign_in_set_timeout (sign_in, 1);
  run_sign_in (sign_in, NULL, &outcome);
  set_behaviour ("metadata", "normal");

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const no_client[] = {
    "no-registration", "missing", "wrong-issuer", "http-registration", "huge", "no-s256",
    "not-json", "bad-client",
  };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/oauth-sign-in/consent", test_consent);
  g_test_add_func ("/oauth-sign-in/refused", test_refused);
  g_test_add_func ("/oauth-sign-in/wrong-scope", test_wrong_scope);
  g_test_add_func ("/oauth-sign-in/client-secret", test_client_secret);
  g_test_add_func ("/oauth-sign-in/wrong-state", test_wrong_state);
  g_test_add_func ("/oauth-sign-in/closed-browser", test_closed_browser);
  g_test_add_func ("/oauth-sign-in/no-browser", test_no_browser);
  g_test_add_func ("/oauth-sign-in/cancel", test_cancel);
  g_test_add_func ("/oauth-sign-in/registration", test_registration);
  g_test_add_func ("/oauth-sign-in/slow-provider", test_slow_provider);
  for (guint i = 0; i < G_N_ELEMENTS (no_client); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oauth-sign-in/no-client/%s", no_client[i]);

      g_test_add_data_func (path, no_client[i], test_no_client);
    }

  return g_test_run ();
}
