/* test-probe-oauth.c: logging in with a bearer token (issue 14)
 *
 * Real dovecot with its oauth2 passdb and real postfix, which asks
 * dovecot: tests/harness/run-with-mail-servers. The tokens come from
 * tests/harness/oauth-server.py, which stands for the provider's
 * authorization server; dovecot asks it about each token (RFC 7662).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ms-oauth-refresh.h"
#include "ms-probe.h"
#include "ms-tls-database.h"

#include "probe-run.h"
#include "scripted-server.h"
#include "test-oauth-fixture.h"

static MsSecret *
issue_token (const char *scope,
             const char *lifetime)
{
  g_autoptr(JsonObject) answer = oauth_fixture_post ("/test/issue", "user", ms_test_need_env ("MS_TEST_USER"),
                                            "scope", scope, "lifetime", lifetime, NULL);

  return ms_secret_new (json_object_get_string_member (answer, "access_token"));
}

static MsProbeResult *
run_probe (MsProtocol  protocol,
           const char *port_variable,
           MsSecurity  security,
           MsSecret   *token,
           const char *granted_scope,
           gint64      expires)
{
  guint16 port = (guint16) g_ascii_strtoull (ms_test_need_env (port_variable), NULL, 10);
  g_autoptr(MsServer) server = ms_server_new (protocol, ms_test_need_env ("MS_TEST_HOST"), port, security);
  g_autoptr(MsProbe) probe = ms_probe_new (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = ms_tls_database_new (ms_test_need_env ("MS_TEST_CA_FILE"), &error);
  MsProbeResult *result = NULL;

  g_assert_no_error (error);
  ms_probe_set_tls_database (probe, database);
  ms_probe_set_timeout (probe, 10000);
  ms_probe_set_bearer_token (probe, ms_test_need_env ("MS_TEST_USER"), token, granted_scope, expires);
  result = ms_test_run_probe (probe);

  /* Whatever happened, the token is never in the transcript. */
  for (guint i = 0; i < result->transcript->len; i++)
    g_assert_null (strstr (g_ptr_array_index (result->transcript, i), ms_secret_get_text (token)));

  return result;
}

static gint64
in_an_hour (void)
{
  return g_get_real_time () / G_USEC_PER_SEC + 3600;
}

static void
assert_logged_in (MsProbeResult *result)
{
  for (guint i = 0; i < result->diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (result->diagnoses, i);

      if (diagnosis->severity == MS_SEVERITY_ERROR)
        g_error ("unexpected diagnosis %s: %s", ms_diagnosis_code_to_string (diagnosis->code),
                 diagnosis->detail != NULL ? diagnosis->detail : "");
    }
  g_assert_true (result->tls_established);
  g_assert_cmpint (result->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_cmpstr (result->login_mechanism, ==, "OAUTHBEARER");
  g_assert_true (ms_probe_result_works (result));
}

static void
test_login (gconstpointer data)
{
  const char *const *how = data;   /* port variable, security */
  MsProtocol protocol = g_str_has_prefix (how[0], "MS_TEST_IMAP") ? MS_PROTOCOL_IMAP
                        : g_str_has_prefix (how[0], "MS_TEST_POP3") ? MS_PROTOCOL_POP3
                                                                    : MS_PROTOCOL_SMTP;
  MsSecurity security = g_str_equal (how[1], "STARTTLS") ? MS_SECURITY_STARTTLS : MS_SECURITY_TLS;
  g_autoptr(MsSecret) token = issue_token ("mail", "3600");
  gint64 before = oauth_fixture_introspections ();
  g_autoptr(MsProbeResult) result = run_probe (protocol, how[0], security, token, "mail", in_an_hour ());

  assert_logged_in (result);
  /* The token was the one login: dovecot asked about it once. */
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 1);
}

static void
assert_refused (MsProbeResult   *result,
                MsDiagnosisCode  code)
{
  MsDiagnosis *diagnosis;

  g_assert_cmpint (result->login, ==, MS_LOGIN_FAILED);
  g_assert_cmpuint (result->diagnoses->len, >, 0);
  diagnosis = g_ptr_array_index (result->diagnoses, 0);
  g_test_message ("%s: %s", ms_diagnosis_code_to_string (diagnosis->code), diagnosis->detail);
  g_assert_cmpstr (ms_diagnosis_code_to_string (diagnosis->code), ==, ms_diagnosis_code_to_string (code));
  /* The server's own words are the evidence. */
  g_assert_nonnull (strstr (diagnosis->detail, "invalid_token"));
}

/* Expired and revoked tokens get the same answer from the server
 * (RFC 7628 "invalid_token"); the probe knows which one it had. */
static void
test_expired (void)
{
  g_autoptr(MsSecret) token = issue_token ("mail", "-5");
  gint64 before = oauth_fixture_introspections ();
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_IMAP, "MS_TEST_IMAPS_PORT", MS_SECURITY_TLS,
                                               token, "mail", g_get_real_time () / G_USEC_PER_SEC - 5);

  assert_refused (result, MS_DIAGNOSIS_OAUTH_TOKEN_EXPIRED);
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 1);
}

static void
test_revoked (void)
{
  g_autoptr(MsSecret) token = issue_token ("mail", "3600");
  g_autoptr(JsonObject) revoked = oauth_fixture_post ("/test/revoke", "token", ms_secret_get_text (token), NULL);
  gint64 before = oauth_fixture_introspections ();
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_POP3, "MS_TEST_POP3S_PORT", MS_SECURITY_TLS,
                                               token, "mail", in_an_hour ());

  assert_refused (result, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
  g_assert_cmpint (oauth_fixture_introspections (), ==, before + 1);
}

/* Dovecot 2.3 answers a token without its "mail" scope with the same
 * OAUTHBEARER "invalid_token" (no "scope" member): over OAUTHBEARER a
 * wrong scope cannot be told from a withdrawn token, and the probe says
 * "no longer valid" (test-sasl-oauth.c has the XOAUTH2 and
 * insufficient_scope answers that do name it). Through postfix, which
 * asks dovecot, over STARTTLS. */
static void
test_wrong_scope (void)
{
  g_autoptr(MsSecret) token = issue_token ("contacts", "3600");
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSION_PORT",
                                               MS_SECURITY_STARTTLS, token, "contacts", in_an_hour ());

  assert_refused (result, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
}

static MsOAuthConfig *
harness_oauth (void)
{
  g_autofree char *token_url = oauth_fixture_url ("/token");

  return ms_oauth_config_new ("127.0.0.1", token_url, token_url, "mail");
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
refresh (const char  *client_id,
         MsSecret    *refresh_token,
         GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(MsOAuthConfig) config = harness_oauth ();
  g_autoptr(GAsyncResult) result = NULL;

  ms_oauth_refresh_async (session, config, client_id, refresh_token, NULL, refresh_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return ms_oauth_refresh_finish (result, error);
}

static MsSecret *
issue_refresh_token (void)
{
  g_autoptr(JsonObject) answer = oauth_fixture_post ("/test/issue", "user", ms_test_need_env ("MS_TEST_USER"),
                                            "scope", "mail", "lifetime", "-5", NULL);

  return ms_secret_new (json_object_get_string_member (answer, "refresh_token"));
}

/* An expired access token is replaced through the token endpoint, and the
 * new one logs in. */
static void
test_refresh (void)
{
  g_autoptr(MsSecret) refresh_token = issue_refresh_token ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MsOAuthTokens) tokens = refresh ("mail-setup-test", refresh_token, &error);
  g_autoptr(MsProbeResult) result = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (tokens->access_token);
  g_assert_null (tokens->refresh_token);
  g_assert_cmpstr (tokens->scope, ==, "mail");
  g_assert_cmpint (tokens->expires, >, g_get_real_time () / G_USEC_PER_SEC + 3000);

  result = run_probe (MS_PROTOCOL_IMAP, "MS_TEST_IMAPS_PORT", MS_SECURITY_TLS,
                      tokens->access_token, tokens->scope, tokens->expires);
  assert_logged_in (result);
}

static void
test_refresh_refused (void)
{
  g_autoptr(MsSecret) refresh_token = issue_refresh_token ();
  g_autoptr(MsSecret) unknown = ms_secret_new ("1//not-issued");
  g_autoptr(JsonObject) revoked = oauth_fixture_post ("/test/revoke", "token", ms_secret_get_text (refresh_token), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) client_error = NULL;
  g_autoptr(MsOAuthTokens) tokens = refresh ("mail-setup-test", refresh_token, &error);
  g_autoptr(MsOAuthTokens) other = refresh ("someone-else", unknown, &client_error);

  g_assert_null (tokens);
  g_assert_error (error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_GRANT);
  g_assert_null (other);
  g_assert_error (client_error, MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_CLIENT);
}

/* A token endpoint's broken answers (oauth-server.py /hostile/CASE):
 * nothing is taken from them, and a redirect is not followed. */
static void
test_refresh_hostile (void)
{
  static const struct { const char *name; int code; } cases[] = {
    { "huge", MS_OAUTH_ERROR_BAD_RESPONSE },
    { "not-json", MS_OAUTH_ERROR_BAD_RESPONSE },
    { "wrong-type", MS_OAUTH_ERROR_BAD_RESPONSE },
    { "bad-token", MS_OAUTH_ERROR_BAD_RESPONSE },
    { "redirect", MS_OAUTH_ERROR_FAILED },
  };
  g_autoptr(MsSecret) refresh_token = issue_refresh_token ();
  gint64 before = oauth_fixture_introspections ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = g_strconcat (ms_test_need_env ("MS_TEST_OAUTH_URL"), "/hostile/", cases[i].name, NULL);
      g_autoptr(MsOAuthConfig) config = ms_oauth_config_new ("127.0.0.1", url, url, "mail");
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MsOAuthTokens) tokens = NULL;

      ms_oauth_refresh_async (session, config, "mail-setup-test", refresh_token, NULL,
                              refresh_done_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      tokens = ms_oauth_refresh_finish (result, &error);
      g_test_message ("%s: %s", cases[i].name, error != NULL ? error->message : "(none)");
      g_assert_null (tokens);
      g_assert_error (error, MS_OAUTH_ERROR, cases[i].code);
    }
  g_assert_cmpint (oauth_fixture_introspections (), ==, before);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const imaps[] = { "MS_TEST_IMAPS_PORT", "TLS" };
  static const char *const imap[] = { "MS_TEST_IMAP_PORT", "STARTTLS" };
  static const char *const pop3s[] = { "MS_TEST_POP3S_PORT", "TLS" };
  static const char *const submission[] = { "MS_TEST_SUBMISSION_PORT", "STARTTLS" };
  static const char *const submissions[] = { "MS_TEST_SUBMISSIONS_PORT", "TLS" };

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/probe-oauth/login/imaps", imaps, test_login);
  g_test_add_data_func ("/probe-oauth/login/imap-starttls", imap, test_login);
  g_test_add_data_func ("/probe-oauth/login/pop3s", pop3s, test_login);
  g_test_add_data_func ("/probe-oauth/login/submission", submission, test_login);
  g_test_add_data_func ("/probe-oauth/login/submissions", submissions, test_login);
  g_test_add_func ("/probe-oauth/expired", test_expired);
  g_test_add_func ("/probe-oauth/revoked", test_revoked);
  g_test_add_func ("/probe-oauth/wrong-scope", test_wrong_scope);
  g_test_add_func ("/probe-oauth/refresh", test_refresh);
  g_test_add_func ("/probe-oauth/refresh-refused", test_refresh_refused);
  g_test_add_func ("/probe-oauth/refresh-hostile", test_refresh_hostile);

  return g_test_run ();
}
