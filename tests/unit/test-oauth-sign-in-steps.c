/* test-oauth-sign-in-steps.c: the browser sign-in's pure steps (issue 14)
 *
 * PKCE (RFC 7636's own example), the authorization address with hostile
 * values, the state comparison, granted scopes, the build's client list,
 * where RFC 8414 metadata lives, client ids, and the diagnoses of each
 * MS_OAUTH_ERROR. The flow itself, against the tests' authorization
 * server and a real browser launch: tests/integration/test-oauth-sign-in.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-diagnosis-oauth.h"
#include "ms-oauth-client-private.h"
#include "ms-oauth-sign-in-private.h"
#include "ms-validate.h"

/* RFC 7636 Appendix B. */
static void
test_pkce (void)
{
  g_autofree char *challenge = ms_oauth_pkce_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_autofree char *a = ms_oauth_random_text (32);
  g_autofree char *b = ms_oauth_random_text (32);

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");

  /* A verifier: 43 characters of the unreserved set, never the same. */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_true (g_regex_match_simple ("^[A-Za-z0-9_-]{43}$", a, 0, 0));
  g_assert_true (g_regex_match_simple ("^[A-Za-z0-9_-]{43}$", b, 0, 0));
  g_assert_cmpstr (a, !=, b);
}

static void
test_secure_equal (void)
{
  g_assert_true (ms_oauth_secure_equal ("abc", "abc"));
  g_assert_true (ms_oauth_secure_equal ("", ""));
  g_assert_false (ms_oauth_secure_equal ("abc", "abd"));
  g_assert_false (ms_oauth_secure_equal ("abc", "ab"));
  g_assert_false (ms_oauth_secure_equal ("ab", "abc"));
  g_assert_false (ms_oauth_secure_equal ("", "a"));
  g_assert_false (ms_oauth_secure_equal (NULL, "a"));
  g_assert_false (ms_oauth_secure_equal ("a", NULL));
}

static GHashTable *
query_of (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);

  g_assert_nonnull (parsed);
  return g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
}

static void
test_authorization_uri (void)
{
  g_autoptr(MsOAuthConfig) config = ms_oauth_config_new ("accounts.example.com",
                                                         "https://accounts.example.com/auth?hd=example.com",
                                                         "https://accounts.example.com/token",
                                                         "https://mail.example.com/ offline_access");
  /* An address part may hold & = + # and blanks when quoted. */
  const char *hostile = "\"a&b=c d+e#f\"@example.com";
  g_autofree char *uri = ms_oauth_authorization_uri (config, "client-1", "http://127.0.0.1:4711/",
                                                     hostile, "STATE", "CHALLENGE");
  g_autoptr(GHashTable) query = query_of (uri);

  g_assert_true (g_str_has_prefix (uri, "https://accounts.example.com/auth?hd=example.com&"));
  g_assert_null (strchr (uri, '#'));
  g_assert_null (strchr (uri, ' '));
  g_assert_cmpstr (g_hash_table_lookup (query, "hd"), ==, "example.com");
  g_assert_cmpstr (g_hash_table_lookup (query, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, "client-1");
  g_assert_cmpstr (g_hash_table_lookup (query, "redirect_uri"), ==, "http://127.0.0.1:4711/");
  g_assert_cmpstr (g_hash_table_lookup (query, "scope"), ==, "https://mail.example.com/ offline_access");
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "STATE");
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge"), ==, "CHALLENGE");
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (query, "login_hint"), ==, hostile);
  g_assert_cmpuint (g_hash_table_size (query), ==, 9);
}

static void
test_authorization_uri_plain (void)
{
  g_autoptr(MsOAuthConfig) config = ms_oauth_config_new ("127.0.0.1", "http://127.0.0.1:5/authorize",
                                                         "http://127.0.0.1:5/token", "mail");
  g_autofree char *uri = ms_oauth_authorization_uri (config, "c", "http://127.0.0.1:6/",
                                                     "a@b.example", "s", "x");

  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:5/authorize?response_type=code&"));
}

static void
test_scope_granted (void)
{
  g_autoptr(MsOAuthConfig) one = ms_oauth_config_new ("h.example", "https://h.example/a",
                                                      "https://h.example/t", "mail");
  g_autoptr(MsOAuthConfig) two = ms_oauth_config_new ("h.example", "https://h.example/a",
                                                      "https://h.example/t", "mail  offline");

  g_assert_true (ms_oauth_scope_granted (one, NULL));  /* RFC 6749 §5.1: as asked */
  g_assert_true (ms_oauth_scope_granted (one, "mail"));
  g_assert_true (ms_oauth_scope_granted (one, "openid mail"));
  g_assert_false (ms_oauth_scope_granted (one, "openid"));
  g_assert_false (ms_oauth_scope_granted (one, "mailx"));
  g_assert_false (ms_oauth_scope_granted (one, ""));
  g_assert_true (ms_oauth_scope_granted (two, "offline mail"));
  g_assert_false (ms_oauth_scope_granted (two, "mail"));
}

static void
assert_built_in (const char *list,
                 const char *issuer,
                 const char *client_id,
                 const char *client_secret)
{
  g_autoptr(MsOAuthClient) client = ms_oauth_client_parse_built_in (list, issuer);

  if (client_id == NULL)
    {
      g_assert_null (client);
      return;
    }
  g_assert_nonnull (client);
  g_assert_cmpstr (client->client_id, ==, client_id);
  g_assert_cmpstr (client->client_secret, ==, client_secret);
  g_assert_false (client->registered);
}

static void
test_built_in (void)
{
  const char *list = "accounts.google.com=123.apps=GOCSPX-x "
                     "https://login.example.com/v2=abc "
                     "bad\x01host=x other.example= =noissuer "
                     "broken.example=id\xc3\xa9 two.example=a=b=c";
  g_autoptr(MsOAuthConfig) config = ms_oauth_config_new ("accounts.google.com",
                                                         "https://accounts.google.com/o/oauth2/auth",
                                                         "https://oauth2.googleapis.com/token", "mail");
  g_autoptr(MsOAuthClient) none = NULL;

  assert_built_in (list, "accounts.google.com", "123.apps", "GOCSPX-x");
  assert_built_in (list, "https://login.example.com/v2", "abc", NULL);
  assert_built_in (list, "login.example.com", NULL, NULL);
  assert_built_in (list, "bad\x01host", NULL, NULL);
  assert_built_in (list, "other.example", NULL, NULL);
  assert_built_in (list, "", NULL, NULL);
  assert_built_in (list, "broken.example", NULL, NULL);
  /* More than three pieces: refused, as meson.build refuses it. */
  assert_built_in (list, "two.example", NULL, NULL);
  assert_built_in ("", "accounts.google.com", NULL, NULL);
  assert_built_in (NULL, "accounts.google.com", NULL, NULL);

  /* This build's own list (meson option oauth_clients): empty here. */
  none = ms_oauth_client_lookup_built_in (config);
  if (*MS_OAUTH_CLIENTS == '\0')
    g_assert_null (none);
}

static void
assert_metadata_uri (const char *issuer,
                     const char *uri,
                     const char *expected_issuer)
{
  g_autofree char *got_uri = NULL;
  g_autofree char *got_issuer = NULL;

  g_assert_cmpint (ms_oauth_client_metadata_uri (issuer, &got_uri, &got_issuer), ==, uri != NULL);
  g_assert_cmpstr (got_uri, ==, uri);
  g_assert_cmpstr (got_issuer, ==, expected_issuer);
}

static void
test_metadata_uri (void)
{
  assert_metadata_uri ("accounts.google.com",
                       "https://accounts.google.com/.well-known/oauth-authorization-server",
                       "https://accounts.google.com");
  assert_metadata_uri ("https://login.example.com/tenant/v2.0",
                       "https://login.example.com/.well-known/oauth-authorization-server/tenant/v2.0",
                       "https://login.example.com/tenant/v2.0");
  assert_metadata_uri ("https://h.example/",
                       "https://h.example/.well-known/oauth-authorization-server",
                       "https://h.example/");
  assert_metadata_uri ("https://h.example:8443",
                       "https://h.example:8443/.well-known/oauth-authorization-server",
                       "https://h.example:8443");
  assert_metadata_uri ("http://127.0.0.1:8080",
                       "http://127.0.0.1:8080/.well-known/oauth-authorization-server",
                       "http://127.0.0.1:8080");
  assert_metadata_uri ("http://evil.example", NULL, NULL);
  assert_metadata_uri ("https://h.example/?q=1", NULL, NULL);
  assert_metadata_uri ("not a host", NULL, NULL);
  assert_metadata_uri ("", NULL, NULL);
}

static void
test_client_id (void)
{
  g_autofree char *longest = g_strnfill (MS_VALIDATE_OAUTH_CLIENT_ID_MAX_LENGTH, 'a');
  g_autofree char *too_long = g_strnfill (MS_VALIDATE_OAUTH_CLIENT_ID_MAX_LENGTH + 1, 'a');
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_validate_oauth_client_id ("123-abc.apps.googleusercontent.com", "t", NULL));
  g_assert_true (ms_validate_oauth_client_id ("9e5f94bc-e8a4-4e73-b8be-63364c29d753", "t", NULL));
  g_assert_true (ms_validate_oauth_client_id (longest, "t", NULL));
  g_assert_false (ms_validate_oauth_client_id (too_long, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_false (ms_validate_oauth_client_id ("", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (ms_validate_oauth_client_id (NULL, "t", NULL));
  g_assert_false (ms_validate_oauth_client_id ("a b", "t", NULL));
  g_assert_false (ms_validate_oauth_client_id ("a\nb", "t", NULL));
  g_assert_false (ms_validate_oauth_client_id ("a\tb", "t", NULL));
  g_assert_false (ms_validate_oauth_client_id ("caf\xc3\xa9", "t", NULL));
  g_assert_false (ms_validate_oauth_client_id ("a\xe2\x80\xae" "b", "t", NULL));
}

static void
assert_diagnosis (GQuark           domain,
                  int              code,
                  MsDiagnosisCode  expected)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, "what happened");
  g_autoptr(MsDiagnosis) diagnosis = ms_diagnosis_new_for_oauth_error (error, NULL);

  g_assert_cmpstr (ms_diagnosis_code_to_string (diagnosis->code), ==,
                   ms_diagnosis_code_to_string (expected));
  g_assert_cmpstr (diagnosis->detail, ==, "what happened");
  g_assert_cmpint (diagnosis->severity, ==, MS_SEVERITY_ERROR);
  g_assert_cmpuint (diagnosis->fixes->len, >, 0);
}

static void
test_diagnoses (void)
{
  g_autoptr(MsProvider) provider = ms_provider_new ("test.example");
  g_autoptr(GError) error = g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_CLIENT, "none");
  g_autoptr(MsDiagnosis) no_client = NULL;
  g_autoptr(MsDiagnosis) without_link = NULL;
  MsFix *fix;

  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_GRANT, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_INVALID_CLIENT, MS_DIAGNOSIS_OAUTH_NO_CLIENT);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_BAD_RESPONSE, MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_FAILED, MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_CLIENT, MS_DIAGNOSIS_OAUTH_NO_CLIENT);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_CONSENT_REFUSED, MS_DIAGNOSIS_OAUTH_CONSENT_REFUSED);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_UNFINISHED, MS_DIAGNOSIS_OAUTH_SIGN_IN_UNFINISHED);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_BROWSER, MS_DIAGNOSIS_OAUTH_NO_BROWSER);
  assert_diagnosis (MS_OAUTH_ERROR, MS_OAUTH_ERROR_SCOPE_MISSING, MS_DIAGNOSIS_OAUTH_SCOPE_MISSING);
  assert_diagnosis (MS_OAUTH_ERROR, 1000, MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED);
  /* The network's errors: not the mail server's diagnoses. */
  assert_diagnosis (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED);
  assert_diagnosis (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED);
  assert_diagnosis (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED);

  /* No client: the app-password route, with the provider's page. */
  without_link = ms_diagnosis_new_for_oauth_error (error, provider);
  g_assert_null (strstr (without_link->explanation, "https://"));
  ms_provider_set_app_password_url (provider, "https://test.example/app-passwords");
  no_client = ms_diagnosis_new_for_oauth_error (error, provider);
  g_assert_nonnull (strstr (no_client->explanation, "https://test.example/app-passwords"));
  fix = g_ptr_array_index (no_client->fixes, 0);
  g_assert_cmpint (fix->kind, ==, MS_FIX_USE_APP_PASSWORD);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth-sign-in-steps/pkce", test_pkce);
  g_test_add_func ("/oauth-sign-in-steps/secure-equal", test_secure_equal);
  g_test_add_func ("/oauth-sign-in-steps/authorization-uri", test_authorization_uri);
  g_test_add_func ("/oauth-sign-in-steps/authorization-uri-plain", test_authorization_uri_plain);
  g_test_add_func ("/oauth-sign-in-steps/scope-granted", test_scope_granted);
  g_test_add_func ("/oauth-sign-in-steps/built-in", test_built_in);
  g_test_add_func ("/oauth-sign-in-steps/metadata-uri", test_metadata_uri);
  g_test_add_func ("/oauth-sign-in-steps/client-id", test_client_id);
  g_test_add_func ("/oauth-sign-in-steps/diagnoses", test_diagnoses);

  return g_test_run ();
}
