/* test-doctor.c: MsAccountDoctor on existing accounts, against the real dovecot and postfix
 *
 * Each Charter case is a scenario: a provider file with Charter's id
 * (the override a user's file gives, data/providers/README.md) points its
 * Mobile and Desktop profiles and its retired servers at the harness's
 * servers, and the accounts are built as the program readers build them.
 * Mobile: IMAPS and SMTP over implicit TLS (Charter's 587). Desktop and
 * retired: the plain-text IMAP listener on 127.0.0.2 and postfix's plain
 * SMTP port. Only the 571 E1110 relay refusal comes from the scripted
 * server: postfix on loopback relays for its own network, and no real
 * server says Charter's words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ms-account-doctor.h"
#include "ms-probe.h"
#include "ms-tls-database.h"

#include "scripted-server.h"
#include "server-log.h"

#define ADDRESS "alice@test.example"

/* postfix's "disconnect from …" line counts each command: "auth=1" when
 * the one AUTH was accepted, "auth=0/1" when it was not. */
#define SMTP_GOOD_LOGIN " auth=1 "

static char *provider_dir;
static MsProviderDatabase *providers;
static GTlsDatabase *tls_database;

static guint16
env_port (const char *name)
{
  return (guint16) g_ascii_strtoull (ms_test_need_env (name), NULL, 10);
}

static MsSecret *
alice_password (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (ms_test_need_env ("MS_TEST_PASSWORD_FILE"), &text, NULL, &error);
  g_assert_no_error (error);

  return ms_secret_new (text);
}

static MsServer *
server (MsProtocol  protocol,
        const char *host,
        guint16     port,
        MsSecurity  security,
        const char *username)
{
  MsServer *self = ms_server_new (protocol, host, port, security);

  ms_server_set_username (self, username);

  return self;
}

static MsExistingAccount *
account (MsServer *incoming,
         MsServer *outgoing)
{
  g_autofree char *location = g_build_filename (g_get_tmp_dir (), "doctor-prefs.js", NULL);
  MsExistingAccount *self = ms_existing_account_new (MS_MAIL_PROGRAM_THUNDERBIRD, "account1", location);

  self->address = g_strdup (ADDRESS);
  self->incoming = incoming;
  self->outgoing = outgoing;

  return self;
}

static MsServer *
mobile_imap (const char *username)
{
  return server (MS_PROTOCOL_IMAP, "127.0.0.1", env_port ("MS_TEST_IMAPS_PORT"), MS_SECURITY_TLS, username);
}

static MsServer *
mobile_smtp (MsSecurity security)
{
  return server (MS_PROTOCOL_SMTP, "127.0.0.1", env_port ("MS_TEST_SUBMISSIONS_PORT"), security, ADDRESS);
}

static MsServer *
desktop_imap (void)
{
  return server (MS_PROTOCOL_IMAP, ms_test_need_env ("MS_TEST_PLAIN_IMAP_HOST"),
                 env_port ("MS_TEST_PLAIN_IMAP_PORT"), MS_SECURITY_NONE, ADDRESS);
}

static MsServer *
desktop_smtp (void)
{
  return server (MS_PROTOCOL_SMTP, "127.0.0.1", env_port ("MS_TEST_SMTP_PORT"), MS_SECURITY_NONE, NULL);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  MsDoctorReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ms_account_doctor_run_finish (MS_ACCOUNT_DOCTOR (object), result, &error);
  g_assert_no_error (error);
}

static void
count_cb (MsAccountDoctor *doctor,
          gpointer         object,
          guint           *count)
{
  (*count)++;
}

static MsDoctorReport *
run (MsExistingAccount *a,
     MsSecret          *password,
     const char        *profile_id)
{
  g_autoptr(MsAccountDoctor) doctor = ms_account_doctor_new (a);
  MsDoctorReport *report = NULL;
  guint started = 0, finished = 0;

  ms_account_doctor_set_password (doctor, password);
  ms_account_doctor_set_profile_id (doctor, profile_id);
  ms_account_doctor_set_tls_database (doctor, tls_database);
  ms_account_doctor_set_provider_database (doctor, providers);
  ms_account_doctor_set_timeout (doctor, 10000);
  g_signal_connect (doctor, "server-started", G_CALLBACK (count_cb), &started);
  g_signal_connect (doctor, "server-finished", G_CALLBACK (count_cb), &finished);

  ms_account_doctor_run_async (doctor, NULL, run_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* One status row per server the program has, filled in live. */
  g_assert_cmpuint (started, ==, (a->incoming != NULL) + (a->outgoing != NULL));
  g_assert_cmpuint (finished, ==, started);

  return report;
}

static MsDiagnosis *
find (MsDoctorReport  *report,
      MsDiagnosisCode  code,
      const MsServer  *about)
{
  GPtrArray *findings = ms_doctor_report_get_findings (report);

  for (guint i = 0; i < findings->len; i++)
    {
      MsDiagnosis *finding = g_ptr_array_index (findings, i);

      if (finding->code == code &&
          (about == NULL || (finding->server != NULL && finding->server->port == about->port &&
                             g_ascii_strcasecmp (finding->server->hostname, about->hostname) == 0)))
        return finding;
    }

  return NULL;
}

static MsFix *
find_fix (MsDiagnosis *diagnosis,
          MsFixKind    kind)
{
  for (guint i = 0; diagnosis != NULL && i < diagnosis->fixes->len; i++)
    {
      MsFix *fix = g_ptr_array_index (diagnosis->fixes, i);

      if (fix->kind == kind)
        return fix;
    }

  return NULL;
}

static MsProbeResult *
current_result (MsDoctorReport *report,
                MsProtocol      protocol)
{
  GPtrArray *results = ms_account_report_get_results (ms_doctor_report_get_current (report));

  for (guint i = 0; i < results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (results, i);

      if (result->server->protocol == protocol)
        return result;
    }

  return NULL;
}

static void
assert_recommended_is_mobile (MsDoctorReport *report)
{
  MsAccountSettings *settings = ms_doctor_report_get_recommended (report);

  g_assert_nonnull (settings);
  g_assert_cmpstr (settings->profile_id, ==, "mobile");
  g_assert_cmpuint (settings->incoming->port, ==, env_port ("MS_TEST_IMAPS_PORT"));
  g_assert_cmpint (settings->incoming->security, ==, MS_SECURITY_TLS);
  g_assert_cmpstr (settings->incoming->username, ==, ADDRESS);
  g_assert_cmpuint (settings->outgoing->port, ==, env_port ("MS_TEST_SUBMISSIONS_PORT"));
  g_assert_cmpint (settings->outgoing->security, ==, MS_SECURITY_TLS);
}

/* The Mobile settings, right: one login per server, nothing to repair,
 * and no second test. */
static void
test_healthy (void)
{
  g_autoptr(MsExistingAccount) a = account (mobile_imap (ADDRESS), mobile_smtp (MS_SECURITY_TLS));
  g_autoptr(MsSecret) password = alice_password ();
  g_autoptr(MsDoctorReport) report = run (a, password, NULL);

  g_assert_true (ms_doctor_report_is_healthy (report));
  g_assert_cmpint (current_result (report, MS_PROTOCOL_IMAP)->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_cmpint (current_result (report, MS_PROTOCOL_SMTP)->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_null (ms_doctor_report_get_recommended_report (report));
  g_assert_null (ms_doctor_report_get_recommended (report));
}

/* Charter's old desktop set on a laptop, without a password: plain text,
 * retired, restricted to the provider's network; the relay check runs
 * against postfix's real plain port, which takes mail for test.example
 * only and refuses the outside recipient at RCPT TO, as a provider's
 * server does off its network. */
static void
test_desktop_without_password (void)
{
  g_autoptr(MsExistingAccount) a = account (desktop_imap (), desktop_smtp ());
  g_autoptr(MsDoctorReport) report = run (a, NULL, NULL);
  MsProbeResult *smtp;

  g_assert_false (ms_doctor_report_is_healthy (report));
  g_assert_nonnull (find (report, MS_DIAGNOSIS_SERVER_RETIRED, a->incoming));
  g_assert_nonnull (find (report, MS_DIAGNOSIS_SERVER_RETIRED, a->outgoing));
  g_assert_nonnull (find (report, MS_DIAGNOSIS_INSECURE_SETTINGS, a->incoming));
  g_assert_nonnull (find (report, MS_DIAGNOSIS_INSECURE_SETTINGS, a->outgoing));
  g_assert_nonnull (find_fix (find (report, MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER, NULL),
                              MS_FIX_USE_PROFILE));

  smtp = current_result (report, MS_PROTOCOL_SMTP);
  for (guint i = 0; i < smtp->transcript->len; i++)
    g_test_message ("smtp: %s", (const char *) g_ptr_array_index (smtp->transcript, i));
  g_assert_true (smtp->relay_checked);
  g_assert_false (smtp->relay_accepted);
  g_assert_nonnull (strstr (find (report, MS_DIAGNOSIS_RELAY_DENIED, a->outgoing)->detail,
                            "Recipient address rejected"));
  g_assert_cmpint (current_result (report, MS_PROTOCOL_IMAP)->login, ==, MS_LOGIN_NOT_ATTEMPTED);

  /* The right settings passed everything short of the login: offered,
   * marked as not logged in, for the person to decide. */
  g_assert_nonnull (ms_doctor_report_get_recommended_report (report));
  assert_recommended_is_mobile (report);
  g_assert_false (ms_doctor_report_get_login_tested (report));
}

/* The same with the password: the rules already say the plain-text
 * server gets no password, so it is tested without one, and the Mobile
 * settings log in and become the repair. */
static void
test_desktop_with_password (void)
{
  g_autoptr(MsExistingAccount) a = account (desktop_imap (), desktop_smtp ());
  g_autoptr(MsSecret) password = alice_password ();
  g_autoptr(MsDoctorReport) report = run (a, password, NULL);

  g_assert_cmpint (current_result (report, MS_PROTOCOL_IMAP)->login, ==, MS_LOGIN_NOT_ATTEMPTED);
  g_assert_nonnull (find (report, MS_DIAGNOSIS_SERVER_RETIRED, a->incoming));
  assert_recommended_is_mobile (report);
  g_assert_true (ms_doctor_report_get_login_tested (report));
  g_assert_true (ms_account_report_works (ms_doctor_report_get_recommended_report (report)));
}

/* Desktop said to be right (--profile desktop), but the relay check says
 * this computer is not where those settings work: the evidence wins, and
 * the Desktop profile is not offered as the way out. */
static void
test_desktop_intended (void)
{
  g_autoptr(MsExistingAccount) a = account (desktop_imap (), desktop_smtp ());
  g_autoptr(MsDoctorReport) report = run (a, NULL, "desktop");
  MsDiagnosis *wrong = find (report, MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER, NULL);

  g_assert_nonnull (wrong);
  g_assert_null (find_fix (wrong, MS_FIX_USE_PROFILE));
  g_assert_nonnull (find (report, MS_DIAGNOSIS_INSECURE_SETTINGS, a->incoming));
  g_assert_nonnull (find (report, MS_DIAGNOSIS_SERVER_RETIRED, a->incoming));
}

/* STARTTLS set on a port that speaks implicit TLS (mobile.charter.net:587):
 * the probe finds out what the port speaks. */
static void
test_security_mismatch (void)
{
  g_autoptr(MsExistingAccount) a = account (mobile_imap (ADDRESS), mobile_smtp (MS_SECURITY_STARTTLS));
  g_autoptr(MsSecret) password = alice_password ();
  g_autoptr(MsDoctorReport) report = run (a, password, NULL);
  MsDiagnosis *mismatch = find (report, MS_DIAGNOSIS_SECURITY_MISMATCH, a->outgoing);
  MsFix *fix = find_fix (mismatch, MS_FIX_USE_PORT);

  g_assert_nonnull (mismatch);
  g_assert_cmpint (mismatch->severity, ==, MS_SEVERITY_ERROR);
  g_assert_nonnull (fix);
  g_assert_cmpuint (fix->port, ==, env_port ("MS_TEST_SUBMISSIONS_PORT"));
  g_assert_cmpint (fix->security, ==, MS_SECURITY_TLS);
  g_assert_true (current_result (report, MS_PROTOCOL_SMTP)->security_detected);
  g_assert_cmpint (current_result (report, MS_PROTOCOL_SMTP)->detected_security, ==, MS_SECURITY_TLS);
  assert_recommended_is_mobile (report);
}

/* "alice" for alice@test.example, without a password: the provider file
 * says the username is the address, so no login is needed to know. */
static void
test_username_incomplete_without_password (void)
{
  g_autoptr(MsExistingAccount) a = account (mobile_imap ("alice"), mobile_smtp (MS_SECURITY_TLS));
  g_autoptr(MsDoctorReport) report = run (a, NULL, NULL);
  MsDiagnosis *incomplete = find (report, MS_DIAGNOSIS_USERNAME_INCOMPLETE, a->incoming);
  MsFix *fix = find_fix (incomplete, MS_FIX_COMPLETE_USERNAME);

  g_assert_nonnull (fix);
  g_assert_cmpstr (fix->username, ==, ADDRESS);
  g_assert_cmpint (current_result (report, MS_PROTOCOL_IMAP)->login, ==, MS_LOGIN_NOT_ATTEMPTED);
}

/* With the password: "alice" is short of the provider's template, so
 * that login could only fail. The current settings are tested without
 * it and the one login goes to the right settings (alice@test.example on
 * the same server), which it proves: dovecot and postfix each see one
 * good login and no failed one. */
static void
test_username_incomplete_with_password (void)
{
  g_autoptr(MsExistingAccount) a = account (mobile_imap ("alice"), mobile_smtp (MS_SECURITY_TLS));
  g_autoptr(MsSecret) password = alice_password ();
  guint imap_failed = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL);
  guint imap_mismatch = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "Password mismatch", NULL);
  guint smtp_failed = ms_test_count_log_lines ("MS_TEST_POSTFIX_LOG", "authentication failed", NULL);
  guint imap_good = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "Login: user=<" ADDRESS ">", NULL);
  guint smtp_good = ms_test_count_log_lines ("MS_TEST_POSTFIX_LOG", SMTP_GOOD_LOGIN, NULL);
  g_autoptr(MsDoctorReport) report = run (a, password, NULL);
  MsProbeResult *imap = current_result (report, MS_PROTOCOL_IMAP);
  MsAccountReport *recommended = ms_doctor_report_get_recommended_report (report);

  g_assert_cmpint (imap->login, ==, MS_LOGIN_NOT_ATTEMPTED);
  g_assert_cmpstr (find_fix (find (report, MS_DIAGNOSIS_USERNAME_INCOMPLETE, a->incoming),
                             MS_FIX_COMPLETE_USERNAME)->username, ==, ADDRESS);

  g_assert_nonnull (recommended);
  g_assert_cmpint (ms_account_report_get_incoming (recommended)->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_cmpint (ms_account_report_get_outgoing (recommended)->login, ==, MS_LOGIN_SUCCEEDED);
  assert_recommended_is_mobile (report);
  g_assert_true (ms_doctor_report_get_login_tested (report));

  /* The good logins are the events waited for; a failed one would have
   * been logged before them. */
  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", "Login: user=<" ADDRESS ">", imap_good),
                    ==, imap_good + 1);
  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_POSTFIX_LOG", SMTP_GOOD_LOGIN, smtp_good),
                    ==, smtp_good + 1);
  g_assert_cmpuint (ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL), ==, imap_failed);
  g_assert_cmpuint (ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "Password mismatch", NULL), ==, imap_mismatch);
  g_assert_cmpuint (ms_test_count_log_lines ("MS_TEST_POSTFIX_LOG", "authentication failed", NULL), ==, smtp_failed);
}

/* A wrong password on settings the rules find nothing against but a
 * mixed-up security: the current login fails once (dovecot logs exactly
 * one), and the right settings on the same server stop short of the
 * login; they are still offered, marked as not logged in. */
static void
test_wrong_password_one_failed_login (void)
{
  g_autoptr(MsExistingAccount) a = account (mobile_imap (ADDRESS), mobile_smtp (MS_SECURITY_STARTTLS));
  g_autoptr(MsSecret) wrong = ms_secret_new ("not-alices-password");
  guint failed = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL);
  g_autoptr(MsDoctorReport) report = run (a, wrong, NULL);
  MsAccountReport *recommended = ms_doctor_report_get_recommended_report (report);

  g_assert_cmpint (current_result (report, MS_PROTOCOL_IMAP)->login, ==, MS_LOGIN_FAILED);
  g_assert_nonnull (recommended);
  g_assert_cmpint (ms_account_report_get_incoming (recommended)->login, ==, MS_LOGIN_NOT_ATTEMPTED);
  assert_recommended_is_mobile (report);
  g_assert_false (ms_doctor_report_get_login_tested (report));

  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", failed), ==, failed + 1);
}

/* Charter's relay refusal off its network, which no real server gives. */
static void
test_relay_denied_e1110 (void)
{
  ScriptedServer *scripted = scripted_server_start (
    "{\"steps\": ["
    " {\"send\": \"220 smtp.charter.net ESMTP\\r\\n\"}, {\"expect\": \"^EHLO \"},"
    " {\"send\": \"250-smtp.charter.net\\r\\n250 8BITMIME\\r\\n\"},"
    " {\"expect\": \"^MAIL FROM:<alice@test.example>$\"}, {\"send\": \"250 OK\\r\\n\"},"
    " {\"expect\": \"^RCPT TO:<relay-check@example.com>$\"},"
    " {\"send\": \"571 You must connect from Charter IP space. E1110\\r\\n\"},"
    " {\"expect\": \"^RSET$\"}, {\"send\": \"250 OK\\r\\n\"},"
    " {\"expect\": \"^QUIT$\"}, {\"send\": \"221 bye\\r\\n\"}]}");
  g_autoptr(MsExistingAccount) a =
    account (mobile_imap (ADDRESS),
             server (MS_PROTOCOL_SMTP, "127.0.0.1", scripted->port, MS_SECURITY_NONE, NULL));
  g_autoptr(MsDoctorReport) report = run (a, NULL, NULL);
  g_autofree char *received = scripted_server_stop (scripted);
  MsDiagnosis *wrong = find (report, MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER, a->outgoing);

  g_assert_nonnull (find (report, MS_DIAGNOSIS_RELAY_DENIED, a->outgoing));
  g_assert_nonnull (wrong);
  g_assert_nonnull (strstr (wrong->detail, "E1110"));
  g_assert_nonnull (find_fix (wrong, MS_FIX_USE_PROFILE));
  g_assert_false (current_result (report, MS_PROTOCOL_SMTP)->relay_accepted);
  /* Never DATA: nothing was ever sent. */
  g_assert_null (strstr (received, "DATA"));
}

/* The findings as JSON, as `mail-setup doctor --json` prints them. */
static void
test_json (void)
{
  g_autoptr(MsExistingAccount) a = account (desktop_imap (), desktop_smtp ());
  g_autoptr(MsSecret) password = alice_password ();
  g_autoptr(MsDoctorReport) report = run (a, password, NULL);
  g_autoptr(JsonNode) node = ms_doctor_report_to_json (report);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *password_text = g_strdup (ms_secret_get_text (password));
  JsonObject *object = json_node_get_object (node);
  JsonObject *recommended = json_object_get_object_member (object, "recommended");
  JsonArray *servers;

  g_assert_false (json_object_get_boolean_member (object, "healthy"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "findings")), >, 0);
  g_assert_cmpstr (json_object_get_string_member (recommended, "profile"), ==, "mobile");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (recommended, "incoming"),
                                                  "security"), ==, "SSL");
  g_assert_true (json_object_has_member (object, "current"));
  servers = json_object_get_array_member (json_object_get_object_member (object, "current"), "servers");
  for (guint i = 0; i < json_array_get_length (servers); i++)
    {
      JsonObject *result = json_array_get_object_element (servers, i);
      const char *protocol = json_object_get_string_member (result, "protocol");

      /* postfix's plain port refuses the outside recipient; IMAP has no relay. */
      if (g_str_equal (protocol, "smtp"))
        g_assert_cmpstr (json_object_get_string_member (result, "relay"), ==, "refused");
      else
        g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (result, "relay")));
    }
  g_assert_true (json_object_get_boolean_member (recommended, "login_tested"));
  g_assert_true (json_object_has_member (object, "recommended_test"));
  g_assert_nonnull (strstr (text, "\"server-retired\""));
  g_assert_null (strstr (text, password_text));
}

static void
write_provider_file (void)
{
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  const char *dirs[2] = { NULL, NULL };
  const char *plain_host = ms_test_need_env ("MS_TEST_PLAIN_IMAP_HOST");
  guint16 plain_port = env_port ("MS_TEST_PLAIN_IMAP_PORT");
  guint16 smtp_port = env_port ("MS_TEST_SMTP_PORT");

  xml = g_strdup_printf (
    "<clientConfig version=\"1.1\" xmlns:ms=\"https://mailsetup.github.io/ns/profiles/1\">"
    "<emailProvider id=\"charter.net\"><domain>test.example</domain>"
    "<displayName>Charter Spectrum (test servers)</displayName><ms:usernameIsAddress/>"
    "<ms:profile id=\"mobile\" recommended=\"true\"><ms:name>Mobile</ms:name>"
    "<incomingServer type=\"imap\"><hostname>127.0.0.1</hostname><port>%u</port>"
    "<socketType>SSL</socketType><username>%%EMAILADDRESS%%</username></incomingServer>"
    "<outgoingServer type=\"smtp\"><hostname>127.0.0.1</hostname><port>%u</port>"
    "<socketType>SSL</socketType><username>%%EMAILADDRESS%%</username></outgoingServer>"
    "</ms:profile>"
    "<ms:profile id=\"desktop\"><ms:name>Desktop</ms:name>"
    "<ms:restriction>Works only on the provider's network.</ms:restriction>"
    "<incomingServer type=\"imap\"><hostname>%s</hostname><port>%u</port>"
    "<socketType>plain</socketType><username>%%EMAILADDRESS%%</username></incomingServer>"
    "<outgoingServer type=\"smtp\"><hostname>127.0.0.1</hostname><port>%u</port>"
    "<socketType>plain</socketType><authentication>client-IP-address</authentication></outgoingServer>"
    "</ms:profile>"
    "<ms:retired>"
    "<incomingServer type=\"imap\"><hostname>%s</hostname><port>%u</port>"
    "<socketType>plain</socketType></incomingServer>"
    "<outgoingServer type=\"smtp\"><hostname>127.0.0.1</hostname><port>%u</port>"
    "<socketType>plain</socketType><authentication>client-IP-address</authentication></outgoingServer>"
    "</ms:retired></emailProvider></clientConfig>\n",
    env_port ("MS_TEST_IMAPS_PORT"), env_port ("MS_TEST_SUBMISSIONS_PORT"),
    plain_host, plain_port, smtp_port, plain_host, plain_port, smtp_port);

  provider_dir = g_dir_make_tmp ("doctor-providers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (provider_dir, "charter.net.xml", NULL);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);

  dirs[0] = provider_dir;
  providers = ms_provider_database_new_for_directories (dirs, FALSE);
  g_assert_true (ms_provider_database_load (providers, NULL, NULL));
  g_assert_nonnull (ms_provider_database_lookup (providers, "test.example"));
  g_assert_cmpuint (ms_provider_get_retired (ms_provider_database_lookup (providers, "test.example"))->len, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tls_database = ms_tls_database_new (ms_test_need_env ("MS_TEST_CA_FILE"), &error);
  g_assert_no_error (error);
  write_provider_file ();

  g_test_add_func ("/doctor/healthy", test_healthy);
  g_test_add_func ("/doctor/desktop-without-password", test_desktop_without_password);
  g_test_add_func ("/doctor/desktop-with-password", test_desktop_with_password);
  g_test_add_func ("/doctor/desktop-intended", test_desktop_intended);
  g_test_add_func ("/doctor/security-mismatch", test_security_mismatch);
  g_test_add_func ("/doctor/username-incomplete-without-password", test_username_incomplete_without_password);
  g_test_add_func ("/doctor/username-incomplete-with-password", test_username_incomplete_with_password);
  g_test_add_func ("/doctor/wrong-password-one-failed-login", test_wrong_password_one_failed_login);
  g_test_add_func ("/doctor/relay-denied-e1110", test_relay_denied_e1110);
  g_test_add_func ("/doctor/json", test_json);

  status = g_test_run ();

  {
    g_autofree char *path = g_build_filename (provider_dir, "charter.net.xml", NULL);

    g_unlink (path);
    g_rmdir (provider_dir);
  }
  g_clear_pointer (&provider_dir, g_free);
  g_clear_object (&providers);
  g_clear_object (&tls_database);

  return status;
}
