/* test-provider-parser.c: reading provider files, good, ISPDB-shaped and hostile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ms-provider-database.h"
#include "ms-provider-parser.h"
#include "ms-untrusted-text.h"

#define BUNDLED_PATH RESOURCE_PATH "/providers/"

static MsProvider *
parse_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "providers", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MsProvider *provider;

  provider = ms_provider_parse_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, path);

  return provider;
}

static MsProvider *
parse_bundled (const char *name)
{
  g_autofree char *uri = g_strconcat ("resource://" BUNDLED_PATH, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autoptr(GError) error = NULL;
  MsProvider *provider;

  provider = ms_provider_parse_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, uri);

  return provider;
}

static void
assert_server (MsServer     *server,
               MsProtocol    protocol,
               const char   *hostname,
               guint16       port,
               MsSecurity    security,
               const char   *username,
               MsAuthMethod  auth)
{
  g_assert_nonnull (server);
  g_assert_cmpint (server->protocol, ==, protocol);
  g_assert_cmpstr (server->hostname, ==, hostname);
  g_assert_cmpuint (server->port, ==, port);
  g_assert_cmpint (server->security, ==, security);
  g_assert_cmpstr (server->username, ==, username);
  g_assert_cmpint (server->auth, ==, auth);
}

static gboolean
has_server (GPtrArray  *servers,
            MsProtocol  protocol,
            const char *hostname,
            guint16     port,
            MsSecurity  security)
{
  for (guint i = 0; i < servers->len; i++)
    {
      MsServer *server = g_ptr_array_index (servers, i);

      if (server->protocol == protocol && g_str_equal (server->hostname, hostname) &&
          server->port == port && server->security == security)
        return TRUE;
    }

  return FALSE;
}

static void
test_bundled_all_parse (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  g_auto(GStrv) names = NULL;
  guint n_files = 0;

  /* Loading registers the resource; every file must load without error. */
  g_assert_true (ms_provider_database_load (database, NULL, NULL));
  g_assert_cmpuint (ms_provider_database_get_load_errors (database)->len, ==, 0);

  names = g_resources_enumerate_children (BUNDLED_PATH, 0, NULL);
  g_assert_nonnull (names);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(MsProvider) provider = parse_bundled (names[i]);
      GPtrArray *profiles = ms_provider_get_profiles (provider);

      g_test_message ("%s: %s", names[i], ms_provider_get_id (provider));
      g_assert_cmpuint (g_strv_length ((char **) ms_provider_get_domains (provider)), >, 0);
      g_assert_cmpuint (profiles->len, >, 0);
      for (guint j = 0; j < profiles->len; j++)
        {
          MsProfile *profile = g_ptr_array_index (profiles, j);

          g_assert_cmpuint (ms_profile_get_incoming (profile)->len, >, 0);
          g_assert_cmpuint (ms_profile_get_outgoing (profile)->len, >, 0);
        }
      n_files++;
    }

  g_assert_cmpuint (n_files, ==, 11);
  g_assert_cmpuint (ms_provider_database_get_providers (database)->len, ==, 11);
}

static void
test_bundled_charter (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  g_autoptr(MsProvider) provider = NULL;
  const char * const expected_domains[] = { "charter.net", "spectrum.net", "bresnan.net", NULL };
  MsProfile *mobile, *desktop;
  GPtrArray *servers;

  ms_provider_database_load (database, NULL, NULL);
  provider = parse_bundled ("charter.net.xml");

  g_assert_cmpstr (ms_provider_get_id (provider), ==, "charter.net");
  g_assert_cmpstrv (ms_provider_get_domains (provider), expected_domains);
  g_assert_true (ms_provider_get_username_is_address (provider));
  /* The number Charter's postmaster page gives for residential support. */
  g_assert_cmpstr (ms_provider_get_support_phone (provider), ==, "1-888-438-2427");
  g_assert_cmpuint (ms_provider_get_profiles (provider)->len, ==, 2);

  mobile = ms_provider_get_profile (provider, "mobile");
  g_assert_nonnull (mobile);
  g_assert_true (ms_provider_get_recommended_profile (provider) == mobile);
  g_assert_true (ms_profile_get_recommended (mobile));
  g_assert_null (ms_profile_get_restriction (mobile));
  g_assert_nonnull (ms_profile_get_description (mobile));
  g_assert_nonnull (strstr (ms_profile_get_description (mobile), "laptops"));
  servers = ms_profile_get_incoming (mobile);
  g_assert_cmpuint (servers->len, ==, 2);
  assert_server (g_ptr_array_index (servers, 0), MS_PROTOCOL_IMAP, "mobile.charter.net", 993,
                 MS_SECURITY_TLS, "%EMAILADDRESS%", MS_AUTH_PASSWORD_CLEARTEXT);
  assert_server (g_ptr_array_index (servers, 1), MS_PROTOCOL_POP3, "mobile.charter.net", 995,
                 MS_SECURITY_TLS, "%EMAILADDRESS%", MS_AUTH_PASSWORD_CLEARTEXT);
  servers = ms_profile_get_outgoing (mobile);
  g_assert_cmpuint (servers->len, ==, 1);
  /* Implicit TLS on 587: Charter's, against the convention. */
  assert_server (g_ptr_array_index (servers, 0), MS_PROTOCOL_SMTP, "mobile.charter.net", 587,
                 MS_SECURITY_TLS, "%EMAILADDRESS%", MS_AUTH_PASSWORD_CLEARTEXT);

  desktop = ms_provider_get_profile (provider, "desktop");
  g_assert_nonnull (desktop);
  g_assert_false (ms_profile_get_recommended (desktop));
  g_assert_nonnull (ms_profile_get_restriction (desktop));
  g_assert_nonnull (strstr (ms_profile_get_restriction (desktop), "571"));
  servers = ms_profile_get_incoming (desktop);
  g_assert_cmpuint (servers->len, ==, 1);
  assert_server (g_ptr_array_index (servers, 0), MS_PROTOCOL_IMAP, "IMAP.charter.net", 143,
                 MS_SECURITY_NONE, "%EMAILADDRESS%", MS_AUTH_PASSWORD_CLEARTEXT);
  servers = ms_profile_get_outgoing (desktop);
  g_assert_cmpuint (servers->len, ==, 1);
  assert_server (g_ptr_array_index (servers, 0), MS_PROTOCOL_SMTP, "SMTP.charter.net", 25,
                 MS_SECURITY_NONE, NULL, MS_AUTH_CLIENT_IP_ADDRESS);

  servers = ms_profile_get_alternates (desktop);
  g_assert_true (has_server (servers, MS_PROTOCOL_IMAP, "imap.charter.net", 993, MS_SECURITY_TLS));
  g_assert_true (has_server (servers, MS_PROTOCOL_IMAP, "mail.charter.net", 993, MS_SECURITY_TLS));
  g_assert_true (has_server (servers, MS_PROTOCOL_POP3, "pop.charter.net", 995, MS_SECURITY_TLS));
  g_assert_true (has_server (servers, MS_PROTOCOL_POP3, "pop.charter.net", 110, MS_SECURITY_NONE));
  g_assert_true (has_server (servers, MS_PROTOCOL_SMTP, "smtp.charter.net", 465, MS_SECURITY_TLS));
  g_assert_true (has_server (servers, MS_PROTOCOL_SMTP, "smtp.charter.net", 587, MS_SECURITY_STARTTLS));

  servers = ms_profile_get_alternates (mobile);
  g_assert_true (has_server (servers, MS_PROTOCOL_SMTP, "smtp.charter.net", 465, MS_SECURITY_TLS));
  g_assert_false (has_server (servers, MS_PROTOCOL_POP3, "pop.charter.net", 110, MS_SECURITY_NONE));
}

static void
test_bundled_others (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  MsProvider *provider;
  MsProfile *profile;

  ms_provider_database_load (database, NULL, NULL);

  provider = ms_provider_database_lookup (database, "nc.rr.com");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_id (provider), ==, "rr.com");
  profile = ms_provider_get_recommended_profile (provider);
  g_assert_cmpstr (ms_profile_get_id (profile), ==, MS_PROFILE_DEFAULT_ID);
  assert_server (g_ptr_array_index (ms_profile_get_outgoing (profile), 0), MS_PROTOCOL_SMTP,
                 "mail.twc.com", 587, MS_SECURITY_STARTTLS, "%EMAILADDRESS%",
                 MS_AUTH_PASSWORD_CLEARTEXT);

  /* OAuth2 is listed first, but the password method is picked. */
  provider = ms_provider_database_lookup (database, "googlemail.com");
  g_assert_nonnull (provider);
  g_assert_nonnull (ms_provider_get_notice (provider, MS_NOTICE_APP_PASSWORD));
  g_assert_nonnull (ms_provider_get_notice (provider, MS_NOTICE_OAUTH_REQUIRED));
  profile = ms_provider_get_recommended_profile (provider);
  assert_server (g_ptr_array_index (ms_profile_get_incoming (profile), 0), MS_PROTOCOL_IMAP,
                 "imap.gmail.com", 993, MS_SECURITY_TLS, "%EMAILADDRESS%",
                 MS_AUTH_PASSWORD_CLEARTEXT);

  provider = ms_provider_database_lookup (database, "hotmail.com");
  g_assert_nonnull (provider);
  g_assert_nonnull (ms_provider_get_notice (provider, MS_NOTICE_OAUTH_REQUIRED));
  profile = ms_provider_get_recommended_profile (provider);
  assert_server (g_ptr_array_index (ms_profile_get_outgoing (profile), 0), MS_PROTOCOL_SMTP,
                 "smtp-mail.outlook.com", 587, MS_SECURITY_STARTTLS, "%EMAILADDRESS%",
                 MS_AUTH_OAUTH2);

  provider = ms_provider_database_lookup (database, "me.com");
  g_assert_nonnull (provider);
  profile = ms_provider_get_recommended_profile (provider);
  assert_server (g_ptr_array_index (ms_profile_get_incoming (profile), 0), MS_PROTOCOL_IMAP,
                 "imap.mail.me.com", 993, MS_SECURITY_TLS, "%EMAILLOCALPART%",
                 MS_AUTH_PASSWORD_CLEARTEXT);

  g_assert_cmpstr (ms_provider_get_id (ms_provider_database_lookup (database, "verizon.net")), ==, "aol.com");
  g_assert_cmpstr (ms_provider_get_id (ms_provider_database_lookup (database, "bellsouth.net")), ==, "att.net");
  g_assert_cmpstr (ms_provider_get_id (ms_provider_database_lookup (database, "rocketmail.com")), ==, "yahoo.com");
  g_assert_cmpstr (ms_provider_get_id (ms_provider_database_lookup (database, "mindspring.com")), ==, "earthlink.net");
  g_assert_cmpstr (ms_provider_get_id (ms_provider_database_lookup (database, "cox.net")), ==, "cox.net");
  g_assert_cmpstr (ms_provider_get_id (ms_provider_database_lookup (database, "comcast.net")), ==, "comcast.net");
  g_assert_cmpstr (ms_provider_get_display_name (ms_provider_database_lookup (database, "att.net")), ==, "AT&T Mail");
}

static void
test_translations (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  g_autoptr(MsProvider) provider = NULL;
  MsProfile *mobile;

  ms_provider_database_load (database, NULL, NULL);
  provider = parse_bundled ("charter.net.xml");
  mobile = ms_provider_get_profile (provider, "mobile");

  /* g_get_language_names() reads LANGUAGE first and notices changes. */
  g_setenv ("LANGUAGE", "es_MX:es", TRUE);
  g_assert_cmpstr (ms_profile_get_name (mobile), ==, "Móvil");
  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_cmpstr (ms_profile_get_name (mobile), ==, "Mobile");
  g_unsetenv ("LANGUAGE");
}

static void
test_ispdb_bigmail (void)
{
  g_autoptr(MsProvider) provider = parse_fixture ("ispdb-bigmail.example.xml");
  const char * const expected_domains[] = {
    "bigmail.example", "bigmail-alias.example", "hosted.bigmail.example", NULL
  };
  MsProfile *profile;

  g_assert_cmpstr (ms_provider_get_id (provider), ==, "bigmail.example");
  g_assert_cmpstr (ms_provider_get_display_name (provider), ==, "Big Mail");
  g_assert_cmpstr (ms_provider_get_short_name (provider), ==, "BigMail");
  g_assert_cmpstrv (ms_provider_get_domains (provider), expected_domains);
  g_assert_cmpstr (ms_provider_get_documentation_url (provider), ==, "https://help.bigmail.example/imap");
  g_assert_false (ms_provider_get_username_is_address (provider));
  g_assert_cmpuint (ms_provider_get_notices (provider)->len, ==, 0);

  g_assert_cmpuint (ms_provider_get_profiles (provider)->len, ==, 1);
  profile = ms_provider_get_recommended_profile (provider);
  g_assert_cmpstr (ms_profile_get_id (profile), ==, MS_PROFILE_DEFAULT_ID);
  g_assert_cmpuint (ms_profile_get_incoming (profile)->len, ==, 2);
  g_assert_cmpuint (ms_profile_get_outgoing (profile)->len, ==, 2);
  g_assert_cmpuint (ms_profile_get_alternates (profile)->len, ==, 0);
  assert_server (g_ptr_array_index (ms_profile_get_incoming (profile), 1), MS_PROTOCOL_POP3,
                 "pop.bigmail.example", 995, MS_SECURITY_TLS, "%EMAILADDRESS%",
                 MS_AUTH_PASSWORD_CLEARTEXT);
  assert_server (g_ptr_array_index (ms_profile_get_outgoing (profile), 1), MS_PROTOCOL_SMTP,
                 "smtp.bigmail.example", 465, MS_SECURITY_TLS, "%EMAILADDRESS%",
                 MS_AUTH_PASSWORD_CLEARTEXT);
}

static void
test_ispdb_exchange (void)
{
  g_autoptr(MsProvider) provider = parse_fixture ("ispdb-exchange.example.xml");
  MsProfile *profile = ms_provider_get_recommended_profile (provider);

  /* The Exchange server is skipped; the address book's <username> and
   * <authentication> do not leak into a server. */
  g_assert_cmpuint (ms_profile_get_incoming (profile)->len, ==, 1);
  assert_server (g_ptr_array_index (ms_profile_get_incoming (profile), 0), MS_PROTOCOL_IMAP,
                 "outlook.exchange.example", 993, MS_SECURITY_TLS, "%EMAILADDRESS%",
                 MS_AUTH_PASSWORD_CLEARTEXT);
  g_assert_cmpuint (ms_profile_get_outgoing (profile)->len, ==, 1);
}

static void
test_ispdb_hoster (void)
{
  g_autoptr(MsProvider) provider = parse_fixture ("ispdb-hoster.example.xml");
  MsProfile *profile = ms_provider_get_recommended_profile (provider);
  GPtrArray *incoming = ms_profile_get_incoming (profile);
  GPtrArray *outgoing = ms_profile_get_outgoing (profile);

  g_assert_cmpstr (ms_provider_get_display_name (provider), ==, "Hoster & Co");
  g_assert_cmpstr (ms_provider_get_documentation_url (provider), ==, "https://hoster.example/help/mail");
  g_assert_cmpuint (incoming->len, ==, 2);
  assert_server (g_ptr_array_index (incoming, 0), MS_PROTOCOL_IMAP, "imap.%EMAILDOMAIN%", 143,
                 MS_SECURITY_STARTTLS, "%EMAILLOCALPART%", MS_AUTH_PASSWORD_ENCRYPTED);
  assert_server (g_ptr_array_index (incoming, 1), MS_PROTOCOL_POP3, "pop.hoster.example", 110,
                 MS_SECURITY_STARTTLS, "%EMAILLOCALPART%", MS_AUTH_PASSWORD_CLEARTEXT);
  g_assert_cmpuint (outgoing->len, ==, 2);
  assert_server (g_ptr_array_index (outgoing, 0), MS_PROTOCOL_SMTP, "smtp.hoster.example", 25,
                 MS_SECURITY_NONE, NULL, MS_AUTH_NONE);
  assert_server (g_ptr_array_index (outgoing, 1), MS_PROTOCOL_SMTP, "smtp.hoster.example", 587,
                 MS_SECURITY_STARTTLS, "%EMAILLOCALPART%", MS_AUTH_SMTP_AFTER_POP);
}

static void
test_extension (void)
{
  g_autoptr(MsProvider) provider = parse_fixture ("profiles.example.xml");
  GPtrArray *profiles = ms_provider_get_profiles (provider);
  MsProfile *away, *home;
  MsNotice *notice;

  g_assert_true (ms_provider_get_username_is_address (provider));
  g_assert_cmpstr (ms_provider_get_support_phone (provider), ==, "+1 555 0100");
  g_assert_cmpstr (ms_provider_get_support_url (provider), ==, "https://help.profiles.example/");

  g_assert_cmpuint (ms_provider_get_notices (provider)->len, ==, 2);
  notice = ms_provider_get_notice (provider, MS_NOTICE_APP_PASSWORD);
  g_assert_nonnull (notice);
  g_setenv ("LANGUAGE", "es", TRUE);
  g_assert_cmpstr (ms_notice_get_text (notice), ==, "Use una contraseña de aplicación.");
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (ms_notice_get_text (notice), ==, "Use an app password.");
  g_assert_cmpstr (ms_notice_get_text (ms_provider_get_notice (provider, MS_NOTICE_INFO)), ==,
                   "Something new.");

  /* With profiles, the plain servers make no "default" profile; the
   * profile inside another namespace's element is not read. */
  g_assert_cmpuint (profiles->len, ==, 2);
  g_assert_null (ms_provider_get_profile (provider, MS_PROFILE_DEFAULT_ID));
  g_assert_null (ms_provider_get_profile (provider, "ignored"));

  away = ms_provider_get_profile (provider, "away");
  g_assert_true (g_ptr_array_index (profiles, 0) == away);
  g_assert_cmpstr (ms_profile_get_name (away), ==, "Away");
  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  g_assert_cmpstr (ms_profile_get_name (away), ==, "Fora");
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (ms_profile_get_description (away), ==, "Works anywhere.");
  g_assert_false (ms_profile_get_recommended (away));
  g_assert_cmpuint (ms_profile_get_incoming (away)->len, ==, 1);
  g_assert_cmpuint (ms_profile_get_outgoing (away)->len, ==, 1);

  home = ms_provider_get_profile (provider, "home");
  g_assert_true (ms_provider_get_recommended_profile (provider) == home);
  g_assert_cmpstr (ms_profile_get_name (home), ==, "home");
  g_assert_cmpstr (ms_profile_get_restriction (home), ==, "Only at home.");
  g_assert_null (ms_profile_get_description (home));
  g_assert_cmpuint (ms_profile_get_outgoing (home)->len, ==, 0);
  g_assert_cmpuint (ms_profile_get_alternates (home)->len, ==, 2);
  assert_server (g_ptr_array_index (ms_profile_get_alternates (home), 1), MS_PROTOCOL_SMTP,
                 "smtp2.profiles.example", 2525, MS_SECURITY_STARTTLS, "%EMAILADDRESS%",
                 MS_AUTH_PASSWORD_CLEARTEXT);
}

/* Hostile and broken input */

#define HEAD "<clientConfig version=\"1.1\">\n<emailProvider id=\"x.example\">\n<domain>x.example</domain>\n"
#define TAIL "</emailProvider>\n</clientConfig>\n"
#define IMAP(port) "<incomingServer type=\"imap\">\n<hostname>imap.x.example</hostname>\n" \
                   "<port>" port "</port>\n<socketType>SSL</socketType>\n</incomingServer>\n"
/* Line 4 the server, 5 its hostname, 8 its username. */
#define SERVER(host, user) "<incomingServer type=\"imap\">\n<hostname>" host "</hostname>\n" \
                           "<port>993</port>\n<socketType>SSL</socketType>\n" \
                           "<username>" user "</username>\n</incomingServer>\n"
#define NAMED(name) HEAD "<displayName>" name "</displayName>\n" IMAP ("993") TAIL
#define EXT_HEAD "<clientConfig xmlns:ms=\"" MS_PROVIDER_NAMESPACE "\">\n<emailProvider id=\"x\">\n" \
                 "<domain>x.example</domain>\n"
#define LONG_64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG_256 LONG_64 LONG_64 LONG_64 LONG_64

/* Issue 14: the servers of mail.twc.com reset handshakes offering TLS 1.3. */
static void
test_max_tls (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  g_autoptr(MsProvider) provider = NULL;
  MsProfile *profile;
  GPtrArray *incoming, *outgoing;
  static const char max_tls_13[] =
    EXT_HEAD "<incomingServer type=\"imap\">\n<hostname>a.example</hostname>\n<port>1</port>\n"
    "<socketType>SSL</socketType>\n<ms:maxTLS>1.3</ms:maxTLS>\n</incomingServer>\n" TAIL;
  g_autoptr(MsServer) copy = NULL;
  g_autoptr(MsProvider) plain = NULL;
  g_autoptr(GError) error = NULL;

  /* Loading registers the resource. */
  ms_provider_database_load (database, NULL, NULL);
  provider = parse_bundled ("rr.com.xml");
  profile = ms_provider_get_profile (provider, MS_PROFILE_DEFAULT_ID);
  incoming = ms_profile_get_incoming (profile);
  outgoing = ms_profile_get_outgoing (profile);
  g_assert_cmpuint (incoming->len, ==, 2);
  for (guint i = 0; i < incoming->len; i++)
    g_assert_true (((MsServer *) g_ptr_array_index (incoming, i))->max_tls12);
  g_assert_true (((MsServer *) g_ptr_array_index (outgoing, 0))->max_tls12);
  copy = ms_server_copy (g_ptr_array_index (outgoing, 0));
  g_assert_true (copy->max_tls12);

  plain = ms_provider_parse_data (max_tls_13, strlen (max_tls_13), "test", &error);
  g_assert_no_error (error);
  profile = ms_provider_get_profile (plain, MS_PROFILE_DEFAULT_ID);
  g_assert_false (((MsServer *) g_ptr_array_index (ms_profile_get_incoming (profile), 0))->max_tls12);
}

typedef struct
{
  const char *name;
  const char *data;
  gsize       length;  /* 0: strlen */
  int         code;
  int         line;    /* 0: any line > 0 */
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "port-0", HEAD IMAP ("0") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 6 },
  { "port-70000", HEAD IMAP ("70000") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 6 },
  { "port-abc", HEAD IMAP ("abc") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 6 },
  { "port-negative", HEAD IMAP ("-1") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 6 },
  { "port-empty", HEAD IMAP ("") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 6 },
  { "missing-hostname",
    HEAD "<incomingServer type=\"imap\">\n<port>993</port>\n<socketType>SSL</socketType>\n</incomingServer>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_MISSING, 4 },
  { "missing-port",
    HEAD "<incomingServer type=\"imap\">\n<hostname>a.example</hostname>\n<socketType>SSL</socketType>\n</incomingServer>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_MISSING, 4 },
  { "missing-type",
    HEAD "<incomingServer>\n<hostname>a.example</hostname>\n</incomingServer>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_MISSING, 4 },
  { "bad-socket-type",
    HEAD "<incomingServer type=\"imap\">\n<hostname>a.example</hostname>\n<port>1</port>\n<socketType>maybe</socketType>\n</incomingServer>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 7 },
  { "bad-hostname",
    HEAD "<incomingServer type=\"imap\">\n<hostname>a b</hostname>\n<port>1</port>\n<socketType>SSL</socketType>\n</incomingServer>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "no-domain",
    "<clientConfig>\n<emailProvider id=\"x\">\n" IMAP ("993") TAIL,
    0, MS_PROVIDER_PARSER_ERROR_MISSING, 2 },
  { "bad-domain", HEAD "<domain>a..b</domain>\n" IMAP ("993") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "no-servers", HEAD TAIL, 0, MS_PROVIDER_PARSER_ERROR_MISSING, 2 },
  { "no-provider", "<clientConfig>\n</clientConfig>", 0, MS_PROVIDER_PARSER_ERROR_MISSING, 1 },
  { "no-id", "<clientConfig>\n<emailProvider>\n", 0, MS_PROVIDER_PARSER_ERROR_MISSING, 2 },
  { "two-providers", HEAD IMAP ("993") "</emailProvider>\n<emailProvider id=\"y\">\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_INVALID, 10 },
  { "wrong-root", "<?xml version=\"1.0\"?>\n<html><body/></html>", 0, MS_PROVIDER_PARSER_ERROR_INVALID, 2 },
  { "not-xml", "hello, world\n", 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 1 },
  { "empty", "", 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 1 },
  { "binary", "\x7f" "ELF\x02\x01\x01\x00\x00\x00\xff\xfe\n\x01", 14, MS_PROVIDER_PARSER_ERROR_MALFORMED, 1 },
  { "nul-inside", "<clientConfig>\n<emailProvider id=\"x\0y\">", 39, MS_PROVIDER_PARSER_ERROR_MALFORMED, 2 },
  { "invalid-utf8", "<clientConfig>\n<emailProvider id=\"\xc3\x28\">", 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 2 },
  /* Found by fuzz-provider-parser: GMarkup went on after this one. */
  { "invalid-utf8-in-cdata", HEAD "<displayName><![CDATA[\xff]]></displayName>\n" IMAP ("99\"3") TAIL,
    0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 4 },
  /* Found by fuzz-provider-parser: GMarkup reads no element at all. */
  { "unclosed-doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE<!-- x -->\n" HEAD IMAP ("993") TAIL ">",
    0, MS_PROVIDER_PARSER_ERROR_INVALID, 0 },
  { "unclosed", HEAD IMAP ("993"), 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 0 },
  { "mismatched", HEAD "<displayName>x</domain>\n", 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 4 },
  { "unknown-entity", HEAD "<displayName>&nbsp;</displayName>\n", 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 4 },
  { "undeclared-prefix", HEAD IMAP ("993") "<ms:profile id=\"a\"/>\n" TAIL, 0, MS_PROVIDER_PARSER_ERROR_INVALID, 9 },
  { "profile-without-id",
    "<clientConfig xmlns:ms=\"" MS_PROVIDER_NAMESPACE "\">\n<emailProvider id=\"x\">\n<domain>x.example</domain>\n"
    IMAP ("993") "<ms:profile>\n" TAIL, 0, MS_PROVIDER_PARSER_ERROR_MISSING, 9 },
  { "profile-without-servers",
    "<clientConfig xmlns:ms=\"" MS_PROVIDER_NAMESPACE "\">\n<emailProvider id=\"x\">\n<domain>x.example</domain>\n"
    IMAP ("993") "<ms:profile id=\"a\">\n<ms:name>A</ms:name>\n</ms:profile>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_MISSING, 9 },
  { "profile-twice",
    "<clientConfig xmlns:ms=\"" MS_PROVIDER_NAMESPACE "\">\n<emailProvider id=\"x\">\n<domain>x.example</domain>\n"
    "<ms:profile id=\"a\">\n" IMAP ("993") "</ms:profile>\n<ms:profile id=\"a\">\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_INVALID, 11 },
  { "profile-bad-recommended",
    "<clientConfig xmlns:ms=\"" MS_PROVIDER_NAMESPACE "\">\n<emailProvider id=\"x\">\n<domain>x.example</domain>\n"
    "<ms:profile id=\"a\" recommended=\"very\">\n" TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  /* Issue 14: <ms:maxTLS> takes 1.2 or 1.3, once per server. */
  { "max-tls-bad",
    EXT_HEAD "<incomingServer type=\"imap\">\n<hostname>a.example</hostname>\n<port>1</port>\n"
    "<socketType>SSL</socketType>\n<ms:maxTLS>1.0</ms:maxTLS>\n</incomingServer>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 8 },
  { "max-tls-twice",
    EXT_HEAD "<incomingServer type=\"imap\">\n<hostname>a.example</hostname>\n<port>1</port>\n"
    "<socketType>SSL</socketType>\n<ms:maxTLS>1.2</ms:maxTLS>\n<ms:maxTLS>1.2</ms:maxTLS>\n"
    "</incomingServer>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_INVALID, 9 },
  /* Issue 9: control characters, as the XML character references that
   * arrive decoded, line separators, bidi overrides, ports in host names,
   * quotes and markup are refused at the file and line they are on. */
  { "hostname-port", HEAD SERVER ("imap.x.example:2525", "u") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "hostname-quote", HEAD SERVER ("imap\".x.example", "u") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "hostname-markup", HEAD SERVER ("&lt;b&gt;imap.x.example", "u") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "hostname-newline", HEAD SERVER ("imap.x.example&#10;evil", "u") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "hostname-semicolon", HEAD SERVER ("imap.x.example;id", "u") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "hostname-percent", HEAD SERVER ("imap.%EMAILLOCALPART%.example", "u") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "hostname-long", HEAD SERVER (LONG_64 "." LONG_64 "." LONG_64 "." LONG_64, "u") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "username-newline", HEAD SERVER ("imap.x.example", "pat&#10;source &apos;cmd|&apos;") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 8 },
  { "username-cr", HEAD SERVER ("imap.x.example", "pa&#13;t") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 8 },
  { "username-escape", HEAD SERVER ("imap.x.example", "pat&#27;[2J") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 8 },
  { "username-line-separator", HEAD SERVER ("imap.x.example", "pat&#8232;x") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 8 },
  { "username-bidi", HEAD SERVER ("imap.x.example", "&#x202E;%EMAILADDRESS%") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 8 },
  { "username-long", HEAD SERVER ("imap.x.example", LONG_256) TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 8 },
  { "display-name-escape", NAMED ("&#27;]0;pwned&#7;&#27;[2J"), 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "display-name-line-separator", NAMED ("Mail&#8232;Result: the account works"), 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "display-name-paragraph-separator", NAMED ("Mail&#x2029;x"), 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "display-name-bidi", NAMED ("&#x202E;liaM"), 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "display-name-c1", NAMED ("Mail&#x9B;2J"), 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "display-name-long", NAMED (LONG_256 "a"), 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "short-name-escape", HEAD "<displayShortName>&#27;[31m</displayShortName>\n" IMAP ("993") TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "domain-escape", HEAD "<domain>y&#27;.example</domain>\n" IMAP ("993") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "domain-port", HEAD "<domain>y.example:25</domain>\n" IMAP ("993") TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "provider-id-newline", "<clientConfig>\n<emailProvider id=\"x&#10;y\">\n", 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 2 },
  { "provider-id-quote", "<clientConfig>\n<emailProvider id=\"x&quot;y\">\n", 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 2 },
  { "profile-id-semicolon", EXT_HEAD "<ms:profile id=\"a;rm\">\n" TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "profile-id-escape", EXT_HEAD "<ms:profile id=\"a&#27;[2J\">\n" TAIL, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "support-phone-newline", EXT_HEAD "<ms:support phone=\"555&#10;Result: the account works\"/>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "support-url-javascript", EXT_HEAD "<ms:support url=\"javascript:alert(1)\"/>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "documentation-url-file", HEAD "<documentation url=\"file:///etc/passwd\"/>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "documentation-url-escape", HEAD "<documentation url=\"https://x.example/&#27;[2J\"/>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 4 },
  { "socket-type-escape", HEAD "<incomingServer type=\"imap\">\n<socketType>&#27;]0;t&#7;</socketType>\n" TAIL,
    0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, 5 },
  { "whitespace-only", " \n\t\n", 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, 0 },
  { "notice-without-kind",
    "<clientConfig xmlns:ms=\"" MS_PROVIDER_NAMESPACE "\">\n<emailProvider id=\"x\">\n<domain>x.example</domain>\n"
    "<ms:notice>hi</ms:notice>\n" TAIL, 0, MS_PROVIDER_PARSER_ERROR_MISSING, 4 },
};

static void
assert_error_position (const GError *error,
                       const char   *source,
                       int           line)
{
  g_autofree char *prefix = NULL;

  g_assert_nonnull (error);
  g_test_message ("%s", error->message);

  if (line > 0)
    {
      prefix = g_strdup_printf ("%s:%d: ", source, line);
      g_assert_true (g_str_has_prefix (error->message, prefix));
    }
  else
    {
      const char *rest;
      guint64 number;
      g_autofree char *digits = NULL;

      prefix = g_strdup_printf ("%s:", source);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      rest = error->message + strlen (prefix);
      digits = g_strndup (rest, strspn (rest, "0123456789"));
      g_assert_true (g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT, &number, NULL));
      g_assert_true (rest[strlen (digits)] == ':');
    }

  /* A reason follows the position. */
  g_assert_cmpuint (strlen (strstr (error->message + strlen (source) + 1, ": ")), >, 3);
}

/* What the terminal and the wizard may be handed: one line, no control
 * character, no line separator, no bidi control. */
static void
assert_plain_line (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)));
}

static void
test_hostile_case (gconstpointer data)
{
  const HostileCase *hostile = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  gsize length = hostile->length != 0 ? hostile->length : strlen (hostile->data);

  provider = ms_provider_parse_data (hostile->data, length, "hostile.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, hostile->code);
  assert_error_position (error, "hostile.xml", hostile->line);
  assert_plain_line (error->message);
}

/* Issue 9, finding 8: libsoup gives NULL for an empty 200 body, and the
 * parser read an error GMarkup never set (SIGSEGV in every lookup). */
static void
test_hostile_no_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  provider = ms_provider_parse_data (NULL, 0, "https://x.example/empty", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_MALFORMED);
  assert_error_position (error, "https://x.example/empty", 1);
  g_clear_error (&error);

  /* Not nul-terminated, no bytes: the same. */
  provider = ms_provider_parse_data ("<", 0, "empty.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_MALFORMED);
  assert_error_position (error, "empty.xml", 1);
}

/* A hostile path is part of every message: it comes out on one clean line. */
static void
test_hostile_source (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  const char *data = HEAD SERVER ("imap.x.example:1", "u") TAIL;

  provider = ms_provider_parse_data (data, strlen (data), "/tmp/a\033[2J\nResult: works.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_BAD_VALUE);
  assert_plain_line (error->message);
  g_assert_nonnull (strstr (error->message, "<hostname>"));
}

/* Free text that is only shown is kept, without what it must not carry;
 * names keep their XML layout as one line. */
static void
test_hostile_text_cleaned (void)
{
  const char *data = EXT_HEAD
    "<displayName>\n  Big\n  Mail\n</displayName>\n"
    "<ms:notice kind=\"info\">Read&#27;]0;title&#7; this&#8232;Result: the account works &#x202E;now</ms:notice>\n"
    "<ms:profile id=\"a\">\n<ms:name>Home&#27;[2J&#x2066;</ms:name>\n"
    "<ms:description>One&#10;Two&#x2029;Three</ms:description>\n"
    IMAP ("993") "</ms:profile>\n" TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  MsNotice *notice;
  MsProfile *profile;

  provider = ms_provider_parse_data (data, strlen (data), "clean.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_provider_get_display_name (provider), ==, "Big Mail");
  notice = ms_provider_get_notice (provider, MS_NOTICE_INFO);
  g_assert_cmpstr (ms_notice_get_text (notice), ==, "Read]0;title this Result: the account works now");
  profile = ms_provider_get_profile (provider, "a");
  g_assert_cmpstr (ms_profile_get_name (profile), ==, "Home[2J");
  g_assert_cmpstr (ms_profile_get_description (profile), ==, "One Two Three");
}

/* Hostile but valid values pass unchanged: the boundary refuses only what
 * must not be there. */
static void
test_hostile_valid_kept (void)
{
  const char *data = EXT_HEAD
    "<displayName>O&apos;Brien &quot;Mail&quot; $(id) `x` ; # % | Ñandú</displayName>\n"
    "<documentation url=\"https://x.example/help?a=1&amp;b=2\"/>\n"
    "<ms:support phone=\"+1 (555) 0100\" url=\"https://x.example/support\"/>\n"
    SERVER ("imap.%EMAILDOMAIN%", "%EMAILLOCALPART%+$(id)`x`") TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  MsServer *server;

  provider = ms_provider_parse_data (data, strlen (data), "valid.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_provider_get_display_name (provider), ==, "O'Brien \"Mail\" $(id) `x` ; # % | Ñandú");
  g_assert_cmpstr (ms_provider_get_documentation_url (provider), ==, "https://x.example/help?a=1&b=2");
  g_assert_cmpstr (ms_provider_get_support_phone (provider), ==, "+1 (555) 0100");
  server = g_ptr_array_index (ms_profile_get_incoming (ms_provider_get_recommended_profile (provider)), 0);
  g_assert_cmpstr (server->hostname, ==, "imap.%EMAILDOMAIN%");
  g_assert_cmpstr (server->username, ==, "%EMAILLOCALPART%+$(id)`x`");
}

static void
test_hostile_huge (void)
{
  g_autoptr(GString) data = g_string_new (HEAD IMAP ("993"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  while (data->len <= MS_PROVIDER_FILE_MAX_SIZE + 10)
    g_string_append (data, "<!-- padding padding padding padding padding -->\n");
  g_string_append (data, TAIL);

  provider = ms_provider_parse_data (data->str, data->len, "huge.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_TOO_LARGE);
  assert_error_position (error, "huge.xml", 0);
}

static void
test_hostile_huge_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ms-provider-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.xml", NULL);
  g_autofree char *data = g_malloc (3 * MS_PROVIDER_FILE_MAX_SIZE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  /* One endless line of text inside the root element: only the first
   * MiB is ever read. */
  memset (data, 'a', 3 * MS_PROVIDER_FILE_MAX_SIZE);
  memcpy (data, "<clientConfig>", strlen ("<clientConfig>"));
  g_assert_true (g_file_set_contents (path, data, 3 * MS_PROVIDER_FILE_MAX_SIZE, NULL));

  provider = ms_provider_parse_file (file, NULL, &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_TOO_LARGE);
  assert_error_position (error, path, 1);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_hostile_deep (void)
{
  g_autoptr(GString) data = g_string_new (HEAD IMAP ("993"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (data, "<a>\n");

  provider = ms_provider_parse_data (data->str, data->len, "deep.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_LIMIT);
  /* Depth 32 is reached at the 30th <a>, after 9 lines of head. */
  assert_error_position (error, "deep.xml", 9 + 30);
}

static void
test_hostile_many_servers (void)
{
  g_autoptr(GString) data = g_string_new (HEAD);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (data, IMAP ("993"));
  g_string_append (data, TAIL);

  provider = ms_provider_parse_data (data->str, data->len, "many.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_LIMIT);
  assert_error_position (error, "many.xml", 0);
}

static void
test_hostile_many_domains (void)
{
  g_autoptr(GString) data = g_string_new (HEAD IMAP ("993"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (data, "<domain>d%u.example</domain>\n", i);
  g_string_append (data, TAIL);

  provider = ms_provider_parse_data (data->str, data->len, "domains.xml", &error);
  g_assert_null (provider);
  g_assert_error (error, MS_PROVIDER_PARSER_ERROR, MS_PROVIDER_PARSER_ERROR_LIMIT);
  assert_error_position (error, "domains.xml", 0);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/mail-setup/none.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  provider = ms_provider_parse_file (file, NULL, &error);
  g_assert_null (provider);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/mail-setup/none.xml: "));
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider-parser/bundled/all-parse", test_bundled_all_parse);
  g_test_add_func ("/provider-parser/bundled/charter", test_bundled_charter);
  g_test_add_func ("/provider-parser/bundled/others", test_bundled_others);
  g_test_add_func ("/provider-parser/bundled/translations", test_translations);
  g_test_add_func ("/provider-parser/ispdb/bigmail", test_ispdb_bigmail);
  g_test_add_func ("/provider-parser/ispdb/exchange", test_ispdb_exchange);
  g_test_add_func ("/provider-parser/ispdb/hoster", test_ispdb_hoster);
  g_test_add_func ("/provider-parser/extension", test_extension);
  g_test_add_func ("/provider-parser/max-tls", test_max_tls);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/provider-parser/hostile/%s", hostile_cases[i].name);

      g_test_add_data_func (path, &hostile_cases[i], test_hostile_case);
    }
  g_test_add_func ("/provider-parser/hostile/no-data", test_hostile_no_data);
  g_test_add_func ("/provider-parser/hostile/source", test_hostile_source);
  g_test_add_func ("/provider-parser/hostile/text-cleaned", test_hostile_text_cleaned);
  g_test_add_func ("/provider-parser/hostile/valid-kept", test_hostile_valid_kept);
  g_test_add_func ("/provider-parser/hostile/huge", test_hostile_huge);
  g_test_add_func ("/provider-parser/hostile/huge-file", test_hostile_huge_file);
  g_test_add_func ("/provider-parser/hostile/deep", test_hostile_deep);
  g_test_add_func ("/provider-parser/hostile/many-servers", test_hostile_many_servers);
  g_test_add_func ("/provider-parser/hostile/many-domains", test_hostile_many_domains);
  g_test_add_func ("/provider-parser/missing-file", test_missing_file);

  return g_test_run ();
}
