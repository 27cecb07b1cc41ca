/* test-provider-oauth.c: a provider file's <oAuth2> block (issue 14)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-provider-database.h"
#include "ms-provider-parser.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

#define PROVIDER \
  "<emailProvider id=\"x\">\n" \
  "<domain>x.example</domain>\n" \
  "<incomingServer type=\"imap\">\n" \
  "<hostname>imap.x.example</hostname>\n" \
  "<port>993</port>\n" \
  "<socketType>SSL</socketType>\n" \
  "<authentication>OAuth2</authentication>\n" \
  "</incomingServer>\n" \
  "</emailProvider>\n"                 /* lines 2-10 */

#define OAUTH(issuer, scope, auth, token) \
  "<oAuth2>\n" \
  "<issuer>" issuer "</issuer>\n" \
  "<scope>" scope "</scope>\n" \
  "<authURL>" auth "</authURL>\n" \
  "<tokenURL>" token "</tokenURL>\n" \
  "</oAuth2>\n"                        /* lines 11-16 after PROVIDER */

#define GOOD_OAUTH \
  OAUTH ("login.x.example", "mail", "https://login.x.example/auth", "https://login.x.example/token")

#define FILE_WITH(oauth) "<clientConfig>\n" PROVIDER oauth "</clientConfig>\n"

static MsProvider *
parse_ok (const char *data)
{
  g_autoptr(GError) error = NULL;
  MsProvider *provider;

  provider = ms_provider_parse_data (data, strlen (data), "oauth.xml", &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);

  return provider;
}

static void
assert_oauth (MsProvider *provider,
              const char *issuer,
              const char *auth,
              const char *token,
              const char *scope)
{
  MsOAuthConfig *oauth = ms_provider_get_oauth (provider);
  g_autofree char *joined = NULL;

  g_assert_nonnull (oauth);
  g_assert_cmpstr (ms_oauth_config_get_issuer (oauth), ==, issuer);
  g_assert_cmpstr (ms_oauth_config_get_authorization_endpoint (oauth), ==, auth);
  g_assert_cmpstr (ms_oauth_config_get_token_endpoint (oauth), ==, token);
  joined = ms_oauth_config_dup_scope (oauth);
  g_assert_cmpstr (joined, ==, scope);
}

/* The four big providers carry their authorization servers; the others
 * (password-only) carry none. */
static void
test_bundled (void)
{
  static const struct {
    const char *domain, *issuer, *auth, *token, *first_scope;
  } expected[] = {
    { "gmail.com", "accounts.google.com", "https://accounts.google.com/o/oauth2/auth",
      "https://oauth2.googleapis.com/token", "https://mail.google.com/" },
    { "hotmail.com", "login.microsoftonline.com",
      "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
      "https://login.microsoftonline.com/common/oauth2/v2.0/token",
      "https://outlook.office.com/IMAP.AccessAsUser.All" },
    { "yahoo.com", "login.yahoo.com", "https://api.login.yahoo.com/oauth2/request_auth",
      "https://api.login.yahoo.com/oauth2/get_token", "mail-w" },
    { "aol.com", "login.aol.com", "https://api.login.aol.com/oauth2/request_auth",
      "https://api.login.aol.com/oauth2/get_token", "mail-w" },
  };
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);

  /* Through the database, as the wizard finds them by the address's domain. */
  g_assert_true (ms_provider_database_load (database, NULL, NULL));
  g_assert_cmpuint (ms_provider_database_get_load_errors (database)->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      MsProvider *provider = ms_provider_database_lookup (database, expected[i].domain);
      MsOAuthConfig *oauth = ms_provider_get_oauth (provider);

      g_test_message ("%s", expected[i].domain);
      g_assert_nonnull (oauth);
      g_assert_cmpstr (ms_oauth_config_get_issuer (oauth), ==, expected[i].issuer);
      g_assert_cmpstr (ms_oauth_config_get_authorization_endpoint (oauth), ==, expected[i].auth);
      g_assert_cmpstr (ms_oauth_config_get_token_endpoint (oauth), ==, expected[i].token);
      g_assert_cmpstr (ms_oauth_config_get_scopes (oauth)[0], ==, expected[i].first_scope);
    }

  g_assert_null (ms_provider_get_oauth (ms_provider_database_lookup (database, "charter.net")));
}

/* An unchanged ISPDB file: the block after <emailProvider>, a comment
 * inside, two scopes. */
static void
test_ispdb (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "providers",
                                                 "ispdb-bigmail.example.xml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = ms_provider_parse_file (file, NULL, &error);
  const char * const *scopes;

  g_assert_no_error (error);
  assert_oauth (provider, "accounts.bigmail.example",
                "https://accounts.bigmail.example/o/oauth2/auth",
                "https://accounts.bigmail.example/oauth2/v3/token",
                "https://mail.bigmail.example/ https://bigmail.example/auth/contacts");
  scopes = ms_oauth_config_get_scopes (ms_provider_get_oauth (provider));
  g_assert_cmpuint (g_strv_length ((char **) scopes), ==, 2);
  g_assert_cmpstr (scopes[1], ==, "https://bigmail.example/auth/contacts");
}

static void
test_placement (void)
{
  /* Before the provider it belongs to. */
  g_autoptr(MsProvider) before = parse_ok ("<clientConfig>\n" GOOD_OAUTH PROVIDER "</clientConfig>\n");
  /* A scope list wrapped over lines, blanks around the values, an
   * RFC 8414 issuer, an unknown child skipped (a newer format). */
  g_autoptr(MsProvider) wrapped = parse_ok (FILE_WITH (
    "<oAuth2>\n<issuer> https://login.x.example </issuer>\n"
    "<scope>\n  mail\n  offline_access\n</scope>\n<clientId>ignored</clientId>\n"
    "<authURL>https://login.x.example/auth?prompt=consent</authURL>\n"
    "<tokenURL>https://login.x.example/token</tokenURL>\n</oAuth2>\n"));
  /* Loopback endpoints may be plain http (RFC 8252 §8.3). */
  g_autoptr(MsProvider) loopback = parse_ok (FILE_WITH (
    OAUTH ("127.0.0.1", "mail", "http://127.0.0.1:8080/auth", "http://localhost:8080/token")));
  g_autoptr(MsProvider) none = parse_ok (FILE_WITH (""));

  assert_oauth (before, "login.x.example", "https://login.x.example/auth",
                "https://login.x.example/token", "mail");
  assert_oauth (wrapped, "https://login.x.example", "https://login.x.example/auth?prompt=consent",
                "https://login.x.example/token", "mail offline_access");
  assert_oauth (loopback, "127.0.0.1", "http://127.0.0.1:8080/auth",
                "http://localhost:8080/token", "mail");
  g_assert_null (ms_provider_get_oauth (none));
}

static void
test_json (void)
{
  g_autoptr(MsProvider) with = parse_ok (FILE_WITH (GOOD_OAUTH));
  g_autoptr(MsProvider) without = parse_ok (FILE_WITH (""));
  g_autoptr(JsonNode) node = ms_provider_to_json (with);
  g_autoptr(JsonNode) empty = ms_provider_to_json (without);
  JsonObject *oauth = json_object_get_object_member (json_node_get_object (node), "oauth");
  JsonArray *scopes;

  g_assert_nonnull (oauth);
  g_assert_cmpstr (json_object_get_string_member (oauth, "issuer"), ==, "login.x.example");
  g_assert_cmpstr (json_object_get_string_member (oauth, "authorization_endpoint"), ==,
                   "https://login.x.example/auth");
  g_assert_cmpstr (json_object_get_string_member (oauth, "token_endpoint"), ==,
                   "https://login.x.example/token");
  scopes = json_object_get_array_member (oauth, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (scopes, 0), ==, "mail");

  g_assert_true (json_object_has_member (json_node_get_object (empty), "oauth"));
  g_assert_true (json_object_get_null_member (json_node_get_object (empty), "oauth"));
}

typedef struct
{
  const char *name;
  const char *data;
  int         code;
  int         line;
} HostileCase;

#define AUTH_OK "https://login.x.example/auth"
#define TOKEN_OK "https://login.x.example/token"

/* The endpoints get the person's browser and the refresh token: a file
 * may not send either anywhere but https (or this machine). */
static const HostileCase hostile_cases[] = {
  { "auth-http", FILE_WITH (OAUTH ("x.example", "mail", "http://login.x.example/auth", TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 14 },
  { "token-http", FILE_WITH (OAUTH ("x.example", "mail", AUTH_OK, "http://login.x.example/token")),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 15 },
  { "auth-javascript", FILE_WITH (OAUTH ("x.example", "mail", "javascript:alert(1)", TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 14 },
  { "auth-file", FILE_WITH (OAUTH ("x.example", "mail", "file:///etc/passwd", TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 14 },
  { "auth-fragment", FILE_WITH (OAUTH ("x.example", "mail", AUTH_OK "#x", TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 14 },
  { "auth-escape", FILE_WITH (OAUTH ("x.example", "mail", AUTH_OK "&#27;[2J", TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 14 },
  { "token-quote", FILE_WITH (OAUTH ("x.example", "mail", AUTH_OK, TOKEN_OK "&quot;x")),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 15 },
  { "issuer-space", FILE_WITH (OAUTH ("login x.example", "mail", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 12 },
  { "issuer-query", FILE_WITH (OAUTH ("https://x.example/?a=b", "mail", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 12 },
  { "issuer-bidi", FILE_WITH (OAUTH ("&#x202E;x.example", "mail", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 12 },
  { "scope-quote", FILE_WITH (OAUTH ("x.example", "mail &quot;x", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 13 },
  { "scope-backslash", FILE_WITH (OAUTH ("x.example", "a\\b", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 13 },
  { "scope-unicode", FILE_WITH (OAUTH ("x.example", "correo-é", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 13 },
  { "scope-empty", FILE_WITH (OAUTH ("x.example", "  ", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 13 },
  { "scope-escape", FILE_WITH (OAUTH ("x.example", "mail&#27;[2J", AUTH_OK, TOKEN_OK)),
    MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 13 },
  { "no-token-url",
    FILE_WITH ("<oAuth2>\n<issuer>x.example</issuer>\n<scope>mail</scope>\n"
               "<authURL>" AUTH_OK "</authURL>\n</oAuth2>\n"),
    MS_PROVIDER_PARSER_ERROR_MISSING, 11 },
  { "empty-block", FILE_WITH ("<oAuth2/>\n"), MS_PROVIDER_PARSER_ERROR_MISSING, 11 },
  { "two-blocks", FILE_WITH (GOOD_OAUTH GOOD_OAUTH), MS_PROVIDER_PARSER_ERROR_INVALID, 17 },
  { "two-scopes",
    FILE_WITH ("<oAuth2>\n<scope>mail</scope>\n<scope>other</scope>\n</oAuth2>\n"),
    MS_PROVIDER_PARSER_ERROR_INVALID, 13 },
};

static void
test_hostile (gconstpointer data)
{
  const HostileCase *hostile = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autofree char *prefix = g_strdup_printf ("oauth.xml:%d: ", hostile->line);

  provider = ms_provider_parse_data (hostile->data, strlen (hostile->data), "oauth.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, hostile->code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)));
}

/* The validators on their own, for the other places that will take these
 * values (RFC 8414 metadata, saved accounts). */
static void
test_validators (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_validate_oauth_endpoint ("https://a.example/x?y=z", "t", NULL));
  g_assert_true (ms_validate_oauth_endpoint ("http://[::1]:9/token", "t", NULL));
  g_assert_false (ms_validate_oauth_endpoint ("http://127.0.0.1.evil.example/", "t", NULL));
  g_assert_false (ms_validate_oauth_endpoint ("http://localhost.evil.example/", "t", NULL));
  g_assert_false (ms_validate_oauth_endpoint ("", "t", NULL));
  g_assert_false (ms_validate_oauth_endpoint (NULL, "t", NULL));

  g_assert_true (ms_validate_oauth_issuer ("https://login.example/tenant/v2.0", "t", NULL));
  g_assert_false (ms_validate_oauth_issuer ("https://login.example/#x", "t", NULL));
  g_assert_false (ms_validate_oauth_issuer ("login.example:443", "t", NULL));

  g_assert_true (ms_validate_oauth_scope ("openid https://mail.example/ a!#[]~", "t", NULL));
  g_assert_false (ms_validate_oauth_scope ("a\tb", "t", NULL));
  g_assert_false (ms_validate_oauth_scope ("a b\"", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider-oauth/bundled", test_bundled);
  g_test_add_func ("/provider-oauth/ispdb", test_ispdb);
  g_test_add_func ("/provider-oauth/placement", test_placement);
  g_test_add_func ("/provider-oauth/json", test_json);
  g_test_add_func ("/provider-oauth/validators", test_validators);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/provider-oauth/hostile/", hostile_cases[i].name, NULL);

      g_test_add_data_func (path, &hostile_cases[i], test_hostile);
    }

  return g_test_run ();
}
