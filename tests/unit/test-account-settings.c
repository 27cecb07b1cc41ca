/* test-account-settings.c: saved settings are outside input too
 *
 * The settings file under ~/.config/mail-setup/accounts/ is read back by
 * every later export: edited by hand, damaged, or written by someone
 * else, it must not carry a newline into an exported configuration or a
 * template into a connection (issue 9, "one validation boundary").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ms-account-settings.h"
#include "ms-discovery-attempt.h"
#include "ms-enum-types.h"
#include "ms-probe-result.h"
#include "ms-untrusted-text.h"

#define ACCOUNT(extra) "[Account]\nAddress=pat@x.example\n" extra "\n"
#define SERVERS(in_host, in_user) \
  "[Incoming]\nProtocol=imap\nHost=" in_host "\nPort=993\nSecurity=SSL\nAuth=password-cleartext\n" \
  "Username=" in_user "\n" \
  "[Outgoing]\nProtocol=smtp\nHost=smtp.x.example\nPort=465\nSecurity=SSL\nUsername=pat@x.example\n"
#define LONG_100 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define GOOD_SERVERS SERVERS ("imap.x.example", "pat@x.example")

typedef struct
{
  const char *name;
  const char *data;
  const char *words;  /* in the message */
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "address-newline", "[Account]\nAddress=pat@x.example\\nsource 'id|'\n" GOOD_SERVERS, "Address" },
  { "address-not-address", "[Account]\nAddress=pat\n" GOOD_SERVERS, "Address" },
  { "name-newline", ACCOUNT ("Name=Pat\\nsource 'id|'") GOOD_SERVERS, "Name" },
  { "name-escape", ACCOUNT ("Name=Pat\033]0;owned\007") GOOD_SERVERS, "Name" },
  { "name-bidi", ACCOUNT ("Name=\xe2\x80\xaePat") GOOD_SERVERS, "Name" },
  { "name-long", ACCOUNT ("Name=" LONG_100 LONG_100 LONG_100) GOOD_SERVERS, "Name" },
  { "provider-name-line-separator", ACCOUNT ("ProviderName=Mail\xe2\x80\xa8Result: works") GOOD_SERVERS, "ProviderName" },
  { "support-phone-cr", ACCOUNT ("SupportPhone=555\\r\\n0100") GOOD_SERVERS, "SupportPhone" },
  { "profile-semicolon", ACCOUNT ("Profile=a;b") GOOD_SERVERS, "Profile" },
  { "provider-id-space", ACCOUNT ("ProviderId=a b") GOOD_SERVERS, "ProviderId" },
  { "ca-file-relative", ACCOUNT ("CaFile=certs/ca.pem") GOOD_SERVERS, "CaFile" },
  { "ca-file-newline", ACCOUNT ("CaFile=/tmp/ca.pem\\nsource x") GOOD_SERVERS, "CaFile" },
  { "host-port", ACCOUNT ("") SERVERS ("imap.x.example:2525", "pat@x.example"), "[Incoming]" },
  { "host-template", ACCOUNT ("") SERVERS ("imap.%EMAILDOMAIN%", "pat@x.example"), "[Incoming]" },
  { "host-quote", ACCOUNT ("") SERVERS ("imap\".x.example", "pat@x.example"), "[Incoming]" },
  { "username-template", ACCOUNT ("") SERVERS ("imap.x.example", "%EMAILADDRESS%"), "[Incoming]" },
  { "username-crlf", ACCOUNT ("") SERVERS ("imap.x.example", "pat\\r\\nDELE 1"), "[Incoming]" },
  { "username-newline", ACCOUNT ("") SERVERS ("imap.x.example", "pat\\nsource-cred-cmd = id"), "[Incoming]" },
};

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
  g_autoptr(MsAccountSettings) settings = NULL;

  settings = ms_account_settings_new_from_data (hostile->data, &error);
  g_assert_null (settings);
  g_assert_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "saved settings"));
  g_assert_nonnull (strstr (error->message, hostile->words));
  assert_plain_line (error->message);
}

/* Quotes, "$(…)", backticks and non-ASCII are valid in a name: kept as
 * they are (the exporters quote them per format). */
static void
test_valid_kept (void)
{
  const char *data = ACCOUNT ("Name=O'Brien \"Pat\" $(id) `x` ; # % | Ñandú\nCaFile=/etc/ssl/ca.pem\nProfile=mobile")
                     GOOD_SERVERS;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAccountSettings) settings = NULL;

  settings = ms_account_settings_new_from_data (data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->display_name, ==, "O'Brien \"Pat\" $(id) `x` ; # % | Ñandú");
  g_assert_cmpstr (settings->ca_file, ==, "/etc/ssl/ca.pem");
  g_assert_cmpstr (settings->profile_id, ==, "mobile");
  g_assert_cmpstr (settings->incoming->username, ==, "pat@x.example");
}

static void
mark_working (MsProbeResult *result)
{
  result->connected = TRUE;
  result->tls_established = TRUE;
  result->login = MS_LOGIN_SUCCEEDED;
  result->username = g_strdup ("pat@x.example");
}

static MsAccountSettings *
settings_from_provider (MsProvider *provider)
{
  g_autoptr(MsAddress) address = ms_address_parse ("pat@x.example", NULL);
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "imap.x.example", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "smtp.x.example", 465, MS_SECURITY_TLS);
  g_autoptr(MsProbeResult) in = ms_probe_result_new (imap);
  g_autoptr(MsProbeResult) out = ms_probe_result_new (smtp);
  g_autoptr(MsAccountReport) report = ms_account_report_new (address, provider, NULL);
  g_autoptr(GError) error = NULL;
  MsAccountSettings *settings;

  mark_working (in);
  mark_working (out);
  ms_account_report_add_result (report, in, FALSE);
  ms_account_report_add_result (report, out, FALSE);
  ms_account_report_set_chosen (report, in, out);

  settings = ms_account_settings_new_from_report (report, &error);
  g_assert_no_error (error);

  return settings;
}

/* A provider a lookup built (never a provider file) may carry names the
 * validator never saw: they are not saved, so the file loads again. */
static void
test_from_report_drops_invalid (void)
{
  g_autoptr(MsProvider) hostile = ms_provider_new ("x.example");
  g_autoptr(MsProvider) good = ms_provider_new ("x.example");
  g_autoptr(MsAccountSettings) dropped = NULL;
  g_autoptr(MsAccountSettings) kept = NULL;
  g_autoptr(MsAccountSettings) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  ms_provider_set_display_name (hostile, "X\nName=evil");
  ms_provider_set_support (hostile, "555\033[2J", NULL);
  dropped = settings_from_provider (hostile);
  g_assert_null (dropped->provider_name);
  g_assert_null (dropped->support_phone);
  g_assert_cmpstr (dropped->provider_id, ==, "x.example");
  data = ms_account_settings_to_data (dropped);
  loaded = ms_account_settings_new_from_data (data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  ms_provider_set_display_name (good, "X Mail");
  ms_provider_set_support (good, "555 0100", NULL);
  kept = settings_from_provider (good);
  g_assert_cmpstr (kept->provider_name, ==, "X Mail");
  g_assert_cmpstr (kept->support_phone, ==, "555 0100");
}

static void
write_saved (const char *address,
             const char *data)
{
  g_autofree char *path = ms_account_settings_get_path (address);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, data, -1, &error);
  g_assert_no_error (error);
}

/* A damaged file names itself; one for another address is refused. */
static void
test_load_names_file (void)
{
  g_autofree char *path = ms_account_settings_get_path ("pat@x.example");
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAccountSettings) settings = NULL;

  write_saved ("pat@x.example", ACCOUNT ("Name=Pat\\nsource 'id|'") GOOD_SERVERS);
  settings = ms_account_settings_load ("pat@x.example", &error);
  g_assert_null (settings);
  g_assert_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "[Account] Name"));
  g_clear_error (&error);

  write_saved ("pat@x.example", "[Account]\nAddress=eve@evil.example\n" GOOD_SERVERS);
  settings = ms_account_settings_load ("pat@x.example", &error);
  g_assert_null (settings);
  g_assert_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_INVALID);
  g_clear_error (&error);

  write_saved ("pat@x.example", ACCOUNT ("Name=Pat") GOOD_SERVERS);
  settings = ms_account_settings_load ("pat@x.example", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->display_name, ==, "Pat");
}

/* The stable names (docs/cli-json.md, provider files, saved settings) are
 * the generated enum types' nicks now: every one must read as before. */
static void
test_stable_names (void)
{
  static const char *protocols[] = { "imap", "pop3", "smtp" };
  static const char *securities[] = { "plain", "STARTTLS", "SSL" };
  static const char *auths[] = {
    "password-cleartext", "password-encrypted", "OAuth2", "GSSAPI", "NTLM", "none",
    "client-IP-address", "smtp-after-pop",
  };
  static const char *logins[] = {
    "not-attempted", "succeeded", "failed", "not-offered", "unsupported", "refused-insecure",
  };
  static const char *stages[] = {
    "connect", "tls", "greeting", "capabilities", "starttls", "auth", "message", "total",
  };
  static const char *sources[] = {
    "provider-file", "autoconfig", "well-known", "srv", "public-database", "mx", "guess",
    "autoconfig-http", "well-known-http",
  };
  static const char *states[] = {
    "waiting", "running", "found", "followed", "not-found", "failed", "cancelled", "skipped",
  };
  static const char *notices[] = { "info", "app-password", "oauth-required" };
  g_auto(GStrv) concerns = NULL;
  g_auto(GStrv) no_concerns = NULL;
  MsProtocol protocol;
  MsSecurity security;
  MsAuthMethod method;
  MsNoticeKind kind;

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_assert_cmpstr (ms_protocol_to_string (i), ==, protocols[i]);
      g_assert_true (ms_protocol_from_string (protocols[i], &protocol));
      g_assert_cmpint (protocol, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (securities); i++)
    {
      g_autofree char *lower = g_ascii_strdown (securities[i], -1);

      g_assert_cmpstr (ms_security_to_string (i), ==, securities[i]);
      g_assert_true (ms_security_from_string (lower, &security));
      g_assert_cmpint (security, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (auths); i++)
    {
      g_autofree char *upper = g_ascii_strup (auths[i], -1);

      g_assert_cmpstr (ms_auth_method_to_string (i), ==, auths[i]);
      g_assert_true (ms_auth_method_from_string (upper, &method));
      g_assert_cmpint (method, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    g_assert_cmpstr (ms_login_result_to_string (i), ==, logins[i]);
  g_assert_cmpuint (G_N_ELEMENTS (stages), ==, MS_PROBE_N_STAGES);
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    g_assert_cmpstr (ms_probe_stage_to_string (i), ==, stages[i]);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_assert_cmpstr (ms_discovery_source_to_string (i), ==, sources[i]);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_assert_cmpstr (ms_discovery_state_to_string (i), ==, states[i]);
  for (guint i = 0; i < G_N_ELEMENTS (notices); i++)
    {
      g_assert_cmpstr (ms_notice_kind_to_string (i), ==, notices[i]);
      g_assert_true (ms_notice_kind_from_string (notices[i], &kind));
      g_assert_cmpint (kind, ==, i);
    }

  /* The aliases that are not names, and what stays refused. */
  g_assert_true (ms_protocol_from_string ("POP", &protocol));
  g_assert_cmpint (protocol, ==, MS_PROTOCOL_POP3);
  g_assert_true (ms_security_from_string ("tls", &security));
  g_assert_cmpint (security, ==, MS_SECURITY_TLS);
  g_assert_true (ms_security_from_string ("None", &security));
  g_assert_cmpint (security, ==, MS_SECURITY_NONE);
  g_assert_false (ms_security_from_string ("ssl\n", &security));
  g_assert_false (ms_protocol_from_string ("imap4", &protocol));
  g_assert_false (ms_auth_method_from_string ("", &method));
  /* Notice kinds were always matched exactly. */
  g_assert_false (ms_notice_kind_from_string ("Info", &kind));

  concerns = ms_discovery_concerns_to_strv (MS_DISCOVERY_CONCERN_PUBLIC_DATABASE |
                                            MS_DISCOVERY_CONCERN_PLAIN_HTTP |
                                            MS_DISCOVERY_CONCERN_VIA_MX |
                                            MS_DISCOVERY_CONCERN_FOREIGN_SERVERS);
  g_assert_cmpstrv (concerns, ((const char *[]) { "plain-http", "foreign-servers", "via-mx",
                                                   "public-database", NULL }));
  no_concerns = ms_discovery_concerns_to_strv (MS_DISCOVERY_CONCERN_NONE);
  g_assert_cmpstrv (no_concerns, ((const char *[]) { NULL }));
  g_assert_true (G_TYPE_IS_FLAGS (MS_TYPE_DISCOVERY_CONCERNS));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;

  g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* Settings are saved under XDG_CONFIG_HOME: keep them out of the real one. */
  home = g_dir_make_tmp ("ms-settings-home-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/account-settings/hostile/%s", hostile_cases[i].name);

      g_test_add_data_func (path, &hostile_cases[i], test_hostile_case);
    }
  g_test_add_func ("/account-settings/valid-kept", test_valid_kept);
  g_test_add_func ("/account-settings/stable-names", test_stable_names);
  g_test_add_func ("/account-settings/load-names-file", test_load_names_file);
  g_test_add_func ("/account-settings/from-report-drops-invalid", test_from_report_drops_invalid);

  return g_test_run ();
}
