/* test-setup-session-oauth.c: an MsSetupSession signed in with OAuth 2.0, against real servers (issue 14)
 *
 * A session that takes the sign-in kept in the (real) keyring tests the
 * account through real dovecot (its oauth2 passdb) and real postfix (which
 * asks dovecot), with the token as each server's one login; the report
 * passes, the settings say OAuth2 and no password is needed or kept. The
 * tokens come from tests/harness/oauth-server.py, which stands for the
 * provider's authorization server (dovecot asks it about each token, RFC
 * 7662). The browser of the sign-in is libsoup following that server's
 * redirect to the sign-in's loopback listener. Discovered settings the
 * person has not confirmed get no token.
 * Servers: run-with-mail-servers; keyring: run-with-keyring; discovery's
 * web server and DNS answers: test-discovery-fixture.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ms-discovery-private.h"
#include "ms-keyring.h"
#include "ms-oauth-account.h"
#include "ms-setup-session.h"
#include "test-discovery-fixture.h"
#include "test-oauth-fixture.h"
#include "test-session-fixture.h"

#define TIMEOUT_MS 5000

static const char *web_names[] = { "autoconfig.test.example", "ispdb.test", NULL };

static char *provider_dir;

/* ---- the authorization server (oauth-server.py) ---------------------- */

static void
revoke_token (MsSecret *token)
{
  g_autoptr(JsonObject) answer = oauth_fixture_post ("/test/revoke", "token", ms_secret_get_text (token),
                                                     NULL);
}

static void
set_authorize_behaviour (const char *behaviour)
{
  g_autoptr(JsonObject) answer = oauth_fixture_post ("/test/behaviour", "authorize", behaviour, NULL);
}

/* What a sign-in leaves in the keyring for @user: tokens the test server
 * issued, kept with ms_oauth_account_store_sync() as the session does. */
static MsOAuthTokens *
keep_sign_in (const char *user)
{
  g_autoptr(JsonObject) issued = oauth_fixture_post ("/test/issue", "user", user, "scope", "mail",
                                                     "lifetime", "3600", NULL);
  g_autoptr(GError) error = NULL;
  MsOAuthTokens *tokens = g_new0 (MsOAuthTokens, 1);

  tokens->access_token = ms_secret_new (json_object_get_string_member (issued, "access_token"));
  tokens->refresh_token = ms_secret_new (json_object_get_string_member (issued, "refresh_token"));
  tokens->expires = g_get_real_time () / G_USEC_PER_SEC + 3600;
  tokens->scope = g_strdup ("mail");

  ms_oauth_account_store_sync (user, "mail-setup-test", tokens, NULL, &error);
  g_assert_no_error (error);

  return tokens;
}

/* ---- sessions -------------------------------------------------------- */

static MsSetupSession *
new_session (const char *address_text,
             gboolean    with_provider_files)
{
  return fixture_session_new (address_text, with_provider_files ? provider_dir : NULL, TIMEOUT_MS);
}

static void
lookup (MsSetupSession *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = fixture_session_lookup (session, &error);

  g_assert_no_error (error);
  g_assert_nonnull (provider);
}

static gboolean
use_kept_sign_in (MsSetupSession  *session,
                  GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ms_setup_session_use_kept_sign_in_async (session, NULL, fixture_store_result_cb, &result);
  fixture_wait_for (&result);

  return ms_setup_session_use_kept_sign_in_finish (session, result, error);
}

/* Neither the kept sign-in nor a new one is taken: both refused with
 * @domain and @code, and the session stays signed out. */
static void
assert_sign_in_refused (MsSetupSession *session,
                        GQuark          domain,
                        int             code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (use_kept_sign_in (session, &error));
  g_assert_error (error, domain, code);
  g_assert_false (ms_setup_session_get_signed_in (session));
  g_clear_error (&error);
  g_assert_null (ms_setup_session_new_sign_in (session, &error));
  g_assert_error (error, domain, code);
  g_assert_false (ms_setup_session_get_signed_in (session));
}

static MsAccountReport *
run_test (MsSetupSession *session,
          MsSecret       *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MsAccountReport *report;
  MsAccountTest *test;

  test = ms_setup_session_prepare_test (session, password);
  ms_account_test_set_probe_alternates (test, FALSE);
  ms_setup_session_test_async (session, NULL, fixture_store_result_cb, &result);
  fixture_wait_for (&result);
  report = ms_setup_session_test_finish (session, result, &error);
  g_assert_no_error (error);

  return report;
}

/* The provider file's servers and its <oAuth2> block, with @auth as
 * every server's authentication. */
static char *
oauth_provider_xml (const char *domain,
                    const char *host,
                    const char *auth,
                    gboolean    with_oauth)
{
  g_autofree char *xml = fixture_autoconfig_xml (domain, domain, host,
                                                 fixture_env_port ("MS_TEST_IMAPS_PORT"), host,
                                                 fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"));
  g_autofree char *oauth = NULL;
  g_autoptr(GString) text = g_string_new (xml);

  g_string_replace (text, "<authentication>password-cleartext</authentication>", auth, 0);
  if (with_oauth)
    {
      oauth = g_strdup_printf ("  <oAuth2>\n    <issuer>127.0.0.1</issuer>\n    <scope>mail</scope>\n"
                               "    <authURL>%s/authorize</authURL>\n    <tokenURL>%s/token</tokenURL>\n"
                               "  </oAuth2>\n</clientConfig>",
                               fixture_need_env ("MS_TEST_OAUTH_URL"), fixture_need_env ("MS_TEST_OAUTH_URL"));
      g_string_replace (text, "</clientConfig>", oauth, 1);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- the browser ----------------------------------------------------- */

/* The person's browser: it loads the authorization URL from the tests'
 * authorization server and follows its redirect to the sign-in's
 * loopback listener (asynchronously: the listener answers on this
 * thread's main context). */
static void
browser_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GBytes) page = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
}

static gboolean
open_uri_cb (MsOAuthSignIn *sign_in,
             const char    *uri,
             SoupSession   *browser)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, uri);

  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (uri, fixture_need_env ("MS_TEST_OAUTH_URL")));
  soup_session_send_and_read_async (browser, message, G_PRIORITY_DEFAULT, NULL, browser_done_cb, NULL);

  return TRUE;
}

static gboolean
sign_in (MsSetupSession  *session,
         GError         **error)
{
  g_autoptr(SoupSession) browser = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr(MsOAuthSignIn) sign_in = ms_setup_session_new_sign_in (session, error);
  g_autoptr(GAsyncResult) result = NULL;

  if (sign_in == NULL)
    return FALSE;
  ms_oauth_sign_in_set_client (sign_in, "mail-setup-test", NULL);
  ms_oauth_sign_in_set_timeout (sign_in, 30);
  g_signal_connect (sign_in, "open-uri", G_CALLBACK (open_uri_cb), browser);
  ms_setup_session_sign_in_async (session, sign_in, NULL, fixture_store_result_cb, &result);
  fixture_wait_for (&result);

  return ms_setup_session_sign_in_finish (session, result, error);
}

/* ---- the tests ------------------------------------------------------- */

static void
assert_bearer_login (MsProbeResult *result)
{
  g_assert_nonnull (result);
  g_assert_cmpint (result->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_true (g_strcmp0 (result->login_mechanism, "OAUTHBEARER") == 0 ||
                 g_strcmp0 (result->login_mechanism, "XOAUTH2") == 0);
}

/* Signed in with the kept sign-in and no password: IMAP and SMTP log in
 * with the token (one introspection each), the report passes, the
 * settings say OAuth2, and "storing the password" keeps nothing. */
static void
test_signed_in (void)
{
  const char *user = fixture_need_env ("MS_TEST_USER");
  g_autoptr(MsSetupSession) session = new_session (user, TRUE);
  g_autoptr(MsOAuthTokens) tokens = keep_sign_in (user);
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  MsAccountSettings *settings;
  gint64 before;

  lookup (session);
  g_assert_true (ms_setup_session_offers_sign_in (session));
  g_assert_false (ms_setup_session_get_signed_in (session));
  ms_setup_session_set_profile (session,
                                ms_provider_get_recommended_profile (ms_setup_session_get_provider (session)),
                                FALSE);
  g_assert_true (use_kept_sign_in (session, &error));
  g_assert_no_error (error);
  g_assert_true (ms_setup_session_get_signed_in (session));

  before = oauth_fixture_introspections ();
  report = run_test (session, NULL);
  g_assert_true (ms_account_report_works (report));
  assert_bearer_login (ms_account_report_get_incoming (report));
  assert_bearer_login (ms_account_report_get_outgoing (report));
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 2);

  settings = ms_setup_session_build_settings (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (settings->incoming->auth, ==, MS_AUTH_OAUTH2);
  g_assert_cmpint (settings->outgoing->auth, ==, MS_AUTH_OAUTH2);

  ms_setup_session_store_password_async (session, NULL, fixture_store_result_cb, &stored);
  fixture_wait_for (&stored);
  g_assert_true (ms_setup_session_store_password_finish (session, stored, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ms_setup_session_get_state (session), ==, MS_SETUP_SESSION_STATE_SAVED);
  password = ms_keyring_lookup_sync (user, MS_PROTOCOL_IMAP, NULL, &error);
  g_assert_null (password);
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND);
}

static void write_provider_file (const char *domain,
                                 const char *auth,
                                 gboolean    with_block);

/* The shape of Gmail's file: OAuth2 and a password on the same servers
 * (the parser keeps the password as the server's auth, for app passwords).
 * The sign-in is offered, and a signed-in test logs in with the token,
 * never the password also given. */
static void
test_token_and_password_servers (void)
{
  const char *user = fixture_need_env ("MS_TEST_USER");
  const char *both = "<authentication>OAuth2</authentication>"
                     "<authentication>password-cleartext</authentication>";
  g_autoptr(MsSetupSession) session = NULL;
  g_autoptr(MsOAuthTokens) tokens = keep_sign_in (user);
  g_autoptr(MsSecret) password = ms_secret_new ("not-the-password");
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MsProfile *profile;
  MsAccountSettings *settings;

  write_provider_file ("test.example", both, TRUE);
  session = new_session (user, TRUE);
  lookup (session);
  profile = ms_provider_get_recommended_profile (ms_setup_session_get_provider (session));
  g_assert_cmpint (((MsServer *) g_ptr_array_index (ms_profile_get_incoming (profile), 0))->auth,
                   ==, MS_AUTH_PASSWORD_CLEARTEXT);
  g_assert_true (ms_setup_session_offers_sign_in (session));
  ms_setup_session_set_profile (session, profile, FALSE);
  g_assert_true (use_kept_sign_in (session, &error));
  g_assert_no_error (error);

  report = run_test (session, password);
  g_assert_true (ms_account_report_works (report));
  assert_bearer_login (ms_account_report_get_incoming (report));
  assert_bearer_login (ms_account_report_get_outgoing (report));
  settings = ms_setup_session_build_settings (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (settings->incoming->auth, ==, MS_AUTH_OAUTH2);
  g_assert_cmpint (settings->outgoing->auth, ==, MS_AUTH_OAUTH2);

  write_provider_file ("test.example", "<authentication>OAuth2</authentication>", TRUE);
}

/* A token the provider withdrew: each server refuses it once and the
 * password given too is never tried after it (the token is the one
 * login): the report says oauth-token-invalid. */
static void
test_refused_token_is_the_one_login (void)
{
  const char *user = fixture_need_env ("MS_TEST_USER");
  g_autoptr(MsSetupSession) session = new_session (user, TRUE);
  g_autoptr(MsOAuthTokens) tokens = keep_sign_in (user);
  g_autofree char *password_text = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;
  gint64 before;

  g_assert_true (g_file_get_contents (fixture_need_env ("MS_TEST_PASSWORD_FILE"), &password_text, NULL, NULL));
  password = ms_secret_new (password_text);
  lookup (session);
  ms_setup_session_set_profile (session,
                                ms_provider_get_recommended_profile (ms_setup_session_get_provider (session)),
                                FALSE);
  g_assert_true (use_kept_sign_in (session, &error));
  g_assert_no_error (error);
  revoke_token (tokens->access_token);

  before = oauth_fixture_introspections ();
  report = run_test (session, password);
  g_assert_false (ms_account_report_works (report));
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 2);

  results = ms_account_report_get_results (report);
  g_assert_cmpuint (results->len, ==, 2);
  for (guint i = 0; i < results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (results, i);
      MsDiagnosis *diagnosis = g_ptr_array_index (result->diagnoses, 0);

      g_assert_cmpint (result->login, ==, MS_LOGIN_FAILED);
      g_assert_true (g_strcmp0 (result->login_mechanism, "OAUTHBEARER") == 0 ||
                     g_strcmp0 (result->login_mechanism, "XOAUTH2") == 0);
      g_assert_cmpstr (ms_diagnosis_code_to_string (diagnosis->code), ==, "oauth-token-invalid");
    }
}

/* Signed in in the browser: the tokens are kept in the keyring (the
 * refresh token with its client), the test logs in with the access
 * token, and a later session takes the kept sign-in. */
static void
test_browser_sign_in (void)
{
  const char *user = fixture_need_env ("MS_TEST_USER2");
  g_autoptr(MsSetupSession) session = new_session (user, TRUE);
  g_autoptr(MsSetupSession) later = new_session (user, TRUE);
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(MsSecret) refresh = NULL;
  g_autoptr(MsSecret) access = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;

  set_authorize_behaviour ("consent");
  lookup (session);
  ms_setup_session_set_profile (session,
                                ms_provider_get_recommended_profile (ms_setup_session_get_provider (session)),
                                FALSE);
  g_assert_true (sign_in (session, &error));
  g_assert_no_error (error);
  g_assert_true (ms_setup_session_get_signed_in (session));

  refresh = ms_keyring_lookup_token_sync (user, MS_KEYRING_KIND_OAUTH_REFRESH, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ms_secret_get_text (refresh), "1//"));
  g_assert_true (g_str_has_suffix (ms_secret_get_text (refresh), "\nmail-setup-test"));
  access = ms_keyring_lookup_token_sync (user, MS_KEYRING_KIND_OAUTH_ACCESS, NULL, &error);
  g_assert_no_error (error);

  before = oauth_fixture_introspections ();
  report = run_test (session, NULL);
  g_assert_true (ms_account_report_works (report));
  assert_bearer_login (ms_account_report_get_incoming (report));
  assert_bearer_login (ms_account_report_get_outgoing (report));
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 2);

  lookup (later);
  g_assert_true (use_kept_sign_in (later, &error));
  g_assert_no_error (error);
}

/* The person said no in the browser: the error keeps its code, nothing
 * is kept, the session is not signed in. */
static void
test_browser_refused (void)
{
  g_autoptr(MsSetupSession) session = new_session ("carol@test.example", TRUE);
  g_autoptr(MsSecret) refresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) lookup_error = NULL;

  set_authorize_behaviour ("refuse");
  lookup (session);
  g_assert_false (sign_in (session, &error));
  g_assert_error (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_CONSENT_REFUSED);
  g_assert_false (ms_setup_session_get_signed_in (session));
  refresh = ms_keyring_lookup_token_sync ("carol@test.example", MS_KEYRING_KIND_OAUTH_REFRESH, NULL,
                                          &lookup_error);
  g_assert_null (refresh);
  g_assert_error (lookup_error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND);
  set_authorize_behaviour ("consent");
}

/* IMAP takes OAuth2, SMTP only passwords: signed in without a password,
 * SMTP is tested up to the login; with one, the password goes to SMTP
 * alone and the token to IMAP alone. */
static void
test_mixed_servers (void)
{
  const char *user = fixture_need_env ("MS_TEST_USER");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setup-session-mixed-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "test.example.xml", NULL);
  g_autofree char *xml = oauth_provider_xml ("test.example", fixture_need_env ("MS_TEST_HOST"),
                                             "<authentication>password-cleartext</authentication>", TRUE);
  g_autoptr(GString) mixed = g_string_new (xml);
  g_autoptr(MsSetupSession) session = NULL;
  g_autoptr(MsOAuthTokens) tokens = keep_sign_in (user);
  g_autofree char *password_text = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(MsAccountReport) without = NULL;
  g_autoptr(MsAccountReport) with = NULL;
  MsAccountSettings *settings;
  gint64 before;

  g_assert_no_error (error);
  /* The incoming server comes first in the file. */
  g_string_replace (mixed, "<authentication>password-cleartext</authentication>",
                    "<authentication>OAuth2</authentication>", 1);
  g_file_set_contents (path, mixed->str, -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fixture_need_env ("MS_TEST_PASSWORD_FILE"), &password_text, NULL, NULL));
  password = ms_secret_new (password_text);

  session = fixture_session_new (user, dir, TIMEOUT_MS);
  lookup (session);
  g_assert_true (ms_setup_session_offers_sign_in (session));
  ms_setup_session_set_profile (session,
                                ms_provider_get_recommended_profile (ms_setup_session_get_provider (session)),
                                FALSE);
  g_assert_true (use_kept_sign_in (session, &error));
  g_assert_no_error (error);

  before = oauth_fixture_introspections ();
  without = run_test (session, NULL);
  assert_bearer_login (ms_account_report_get_incoming (without));
  g_assert_cmpint (ms_account_report_get_outgoing (without)->login, ==, MS_LOGIN_NOT_ATTEMPTED);
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 1);

  with = run_test (session, password);
  g_assert_true (ms_account_report_works (with));
  assert_bearer_login (ms_account_report_get_incoming (with));
  g_assert_cmpint (ms_account_report_get_outgoing (with)->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_true (g_strcmp0 (ms_account_report_get_outgoing (with)->login_mechanism, "PLAIN") == 0 ||
                 g_strcmp0 (ms_account_report_get_outgoing (with)->login_mechanism, "LOGIN") == 0);
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 2);

  settings = ms_setup_session_build_settings (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (settings->incoming->auth, ==, MS_AUTH_OAUTH2);
  g_assert_cmpint (settings->outgoing->auth, ==, MS_AUTH_PASSWORD_CLEARTEXT);

  g_unlink (path);
  g_rmdir (dir);
}

/* Cancelled: the kept sign-in is not taken, the error says so. */
static void
test_cancelled (void)
{
  const char *user = fixture_need_env ("MS_TEST_USER");
  g_autoptr(MsSetupSession) session = new_session (user, TRUE);
  g_autoptr(MsOAuthTokens) tokens = keep_sign_in (user);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lookup (session);
  g_cancellable_cancel (cancellable);
  ms_setup_session_use_kept_sign_in_async (session, cancellable, fixture_store_result_cb, &result);
  fixture_wait_for (&result);
  g_assert_false (ms_setup_session_use_kept_sign_in_finish (session, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ms_setup_session_get_signed_in (session));
}

/* Whether the session offers a sign-in: the OAuth block and an OAuth2
 * server are both needed. */
static void
test_offers_sign_in (void)
{
  g_autoptr(MsSetupSession) no_block = new_session ("alice@noblock.example", TRUE);
  g_autoptr(MsSetupSession) password_only = new_session ("alice@passwords.example", TRUE);
  g_autoptr(MsSetupSession) nothing_found = new_session ("alice@unknown.example", TRUE);

  g_assert_nonnull (ms_setup_session_find_provider (no_block));
  g_assert_false (ms_setup_session_offers_sign_in (no_block));
  g_assert_nonnull (ms_setup_session_find_provider (password_only));
  g_assert_false (ms_setup_session_offers_sign_in (password_only));
  g_assert_false (ms_setup_session_offers_sign_in (nothing_found));

  assert_sign_in_refused (password_only, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  assert_sign_in_refused (no_block, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* Discovered settings naming a host outside the domain: no token goes
 * there before the confirmation (nothing reaches dovecot); after it the
 * kept sign-in is taken. */
static void
test_unconfirmed_refuses (void)
{
  const char *user = fixture_need_env ("MS_TEST_USER");
  g_autoptr(MsSetupSession) session = new_session (user, FALSE);
  g_autoptr(MsOAuthTokens) tokens = keep_sign_in (user);
  g_autofree char *xml = oauth_provider_xml ("test.example", "mail.test",
                                             "<authentication>OAuth2</authentication>", TRUE);
  g_autoptr(GError) error = NULL;
  gint64 before = oauth_fixture_introspections ();

  fixture_resolver_reset ();
  fixture_web_reset ();
  fixture_resolver_add_host ("autoconfig.test.example", "127.0.0.1");
  fixture_resolver_add_host ("ispdb.test", "127.0.0.1");
  fixture_resolver_add_host ("mail.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.test.example/mail/config-v1.1.xml", 200, xml, strlen (xml));

  lookup (session);
  g_assert_true (ms_setup_session_needs_confirmation (session));
  g_assert_true (ms_setup_session_offers_sign_in (session));

  assert_sign_in_refused (session, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION);

  /* The account test's own wall, for a caller that skips the session's. */
  {
    MsProvider *provider = ms_setup_session_get_provider (session);
    g_autoptr(MsAccountTest) test = ms_account_test_new (ms_setup_session_get_address (session), provider,
                                                         ms_provider_get_recommended_profile (provider));
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(MsAccountReport) report = NULL;

    ms_account_test_set_discovery (test, ms_setup_session_get_attempt (session), FALSE);
    ms_account_test_set_bearer_token (test, tokens->access_token, "mail", tokens->expires);
    ms_account_test_run_async (test, NULL, fixture_store_result_cb, &result);
    fixture_wait_for (&result);
    report = ms_account_test_run_finish (test, result, &error);
    g_assert_null (report);
    g_assert_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION);
    g_clear_error (&error);
  }
  g_assert_cmpint (oauth_fixture_introspections (), ==, before);

  ms_setup_session_confirm (session);
  {
    g_autoptr(MsOAuthSignIn) confirmed = ms_setup_session_new_sign_in (session, &error);

    g_assert_no_error (error);
    g_assert_nonnull (confirmed);
  }
  g_assert_true (use_kept_sign_in (session, &error));
  g_assert_no_error (error);
  g_assert_true (ms_setup_session_get_signed_in (session));
}

static void
write_provider_file (const char *domain,
                     const char *auth,
                     gboolean    with_oauth)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = oauth_provider_xml (domain, fixture_need_env ("MS_TEST_HOST"), auth, with_oauth);
  g_autofree char *name = g_strconcat (domain, ".xml", NULL);
  g_autofree char *path = g_build_filename (provider_dir, name, NULL);

  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
}

static void
remove_provider_files (void)
{
  const char *names[] = { "test.example.xml", "noblock.example.xml", "passwords.example.xml" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (provider_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (provider_dir);
  g_free (provider_dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  provider_dir = g_dir_make_tmp ("setup-session-oauth-XXXXXX", &error);
  g_assert_no_error (error);
  write_provider_file ("test.example", "<authentication>OAuth2</authentication>", TRUE);
  write_provider_file ("noblock.example", "<authentication>OAuth2</authentication>", FALSE);
  write_provider_file ("passwords.example", "<authentication>password-cleartext</authentication>", TRUE);
  fixture_resolver_install ();
  fixture_web_start (web_names);

  g_test_add_func ("/setup-session-oauth/signed-in", test_signed_in);
  g_test_add_func ("/setup-session-oauth/token-and-password-servers", test_token_and_password_servers);
  g_test_add_func ("/setup-session-oauth/refused-token-is-the-one-login", test_refused_token_is_the_one_login);
  g_test_add_func ("/setup-session-oauth/browser-sign-in", test_browser_sign_in);
  g_test_add_func ("/setup-session-oauth/browser-refused", test_browser_refused);
  g_test_add_func ("/setup-session-oauth/mixed-servers", test_mixed_servers);
  g_test_add_func ("/setup-session-oauth/cancelled", test_cancelled);
  g_test_add_func ("/setup-session-oauth/offers-sign-in", test_offers_sign_in);
  g_test_add_func ("/setup-session-oauth/unconfirmed-refuses", test_unconfirmed_refuses);

  status = g_test_run ();
  remove_provider_files ();

  return status;
}
