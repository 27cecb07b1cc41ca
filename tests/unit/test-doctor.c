/* test-doctor.c: the doctor's rules against Charter's provider file, and its report
 *
 * The accounts are built as the program readers build them (literal
 * usernames, the security the program is set to); the probe results as a
 * probe records them. No network: tests/integration/test-doctor.c runs
 * the same cases against real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-account-doctor.h"
#include "ms-doctor-report-private.h"
#include "ms-doctor-rules.h"
#include "ms-provider-database.h"

static MsProvider *
charter (void)
{
  static MsProviderDatabase *database;

  if (database == NULL)
    {
      database = ms_provider_database_new_for_directories (NULL, TRUE);
      g_assert_true (ms_provider_database_load (database, NULL, NULL));
    }

  return ms_provider_database_lookup (database, "charter.net");
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
  MsExistingAccount *self = ms_existing_account_new (MS_MAIL_PROGRAM_THUNDERBIRD, "account1",
                                                     "/home/jsmith/.thunderbird/x/prefs.js");

  self->address = g_strdup ("jsmith@charter.net");
  self->incoming = incoming;
  self->outgoing = outgoing;

  return self;
}

static MsExistingAccount *
mobile_account (void)
{
  return account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith@charter.net"),
                  server (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS, "jsmith@charter.net"));
}

static MsProfile *
mobile (void)
{
  return ms_provider_get_profile (charter (), "mobile");
}

/* The finding of @code about @host:@port (any server for NULL), or NULL. */
static MsDiagnosis *
find (GPtrArray       *findings,
      MsDiagnosisCode  code,
      const char      *host,
      guint16          port)
{
  for (guint i = 0; i < findings->len; i++)
    {
      MsDiagnosis *finding = g_ptr_array_index (findings, i);

      if (finding->code != code)
        continue;
      if (host == NULL ||
          (finding->server != NULL && g_ascii_strcasecmp (finding->server->hostname, host) == 0 &&
           finding->server->port == port))
        return finding;
    }

  return NULL;
}

static guint
count (GPtrArray       *findings,
       MsDiagnosisCode  code)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    n += ((MsDiagnosis *) g_ptr_array_index (findings, i))->code == code;

  return n;
}

static MsFix *
find_fix (MsDiagnosis *diagnosis,
          MsFixKind    kind)
{
  for (guint i = 0; i < diagnosis->fixes->len; i++)
    {
      MsFix *fix = g_ptr_array_index (diagnosis->fixes, i);

      if (fix->kind == kind)
        return fix;
    }

  return NULL;
}

static void
test_retired_parsed (void)
{
  GPtrArray *retired = ms_provider_get_retired (charter ());
  const struct { MsProtocol protocol; const char *host; guint16 port; } expected[] = {
    { MS_PROTOCOL_IMAP, "IMAP.charter.net", 143 },
    { MS_PROTOCOL_POP3, "pop.charter.net", 110 },
    { MS_PROTOCOL_SMTP, "smtp.charter.net", 25 },
  };

  g_assert_cmpuint (retired->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      MsServer *r = g_ptr_array_index (retired, i);

      g_assert_cmpint (r->protocol, ==, expected[i].protocol);
      g_assert_cmpstr (r->hostname, ==, expected[i].host);
      g_assert_cmpuint (r->port, ==, expected[i].port);
      g_assert_cmpint (r->security, ==, MS_SECURITY_NONE);
    }
  /* smtp.charter.net:25 relays by network: no login. */
  g_assert_null (((MsServer *) g_ptr_array_index (retired, 2))->username);
}

static void
test_healthy (void)
{
  g_autoptr(MsExistingAccount) a = mobile_account ();
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, charter (), mobile (), NULL);
  g_autoptr(MsDoctorReport) report = ms_doctor_report_new (a, NULL, findings);

  g_assert_cmpuint (findings->len, ==, 0);
  g_assert_true (ms_doctor_report_is_healthy (report));
  g_assert_true (ms_doctor_rules_find_profile (a, charter ()) == mobile ());
}

/* The old desktop set on a laptop: IMAP.charter.net:143 plain and
 * smtp.charter.net:25 without a login. */
static void
test_outdated_insecure_wrong_for_computer (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "imap.charter.net", 143, MS_SECURITY_NONE, "jsmith@charter.net"),
             server (MS_PROTOCOL_SMTP, "smtp.charter.net", 25, MS_SECURITY_NONE, NULL));
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, charter (), mobile (), NULL);
  MsDiagnosis *d;
  MsFix *fix;

  /* Host names compare case-insensitively: the file says IMAP.charter.net. */
  d = find (findings, MS_DIAGNOSIS_SERVER_RETIRED, "imap.charter.net", 143);
  g_assert_nonnull (d);
  g_assert_cmpint (d->severity, ==, MS_SEVERITY_WARNING);
  fix = find_fix (d, MS_FIX_USE_PROFILE);
  g_assert_nonnull (fix);
  g_assert_cmpstr (fix->profile_id, ==, "mobile");
  g_assert_nonnull (find (findings, MS_DIAGNOSIS_SERVER_RETIRED, "smtp.charter.net", 25));

  d = find (findings, MS_DIAGNOSIS_INSECURE_SETTINGS, "imap.charter.net", 143);
  g_assert_nonnull (d);
  g_assert_cmpint (d->severity, ==, MS_SEVERITY_ERROR);
  g_assert_nonnull (find (findings, MS_DIAGNOSIS_INSECURE_SETTINGS, "smtp.charter.net", 25));

  /* IMAP.charter.net:143 is the Desktop profile, restricted to Charter's
   * network, and this computer is used as Mobile. */
  g_assert_cmpstr (ms_profile_get_id (ms_doctor_rules_find_profile (a, charter ())), ==, "desktop");
  d = find (findings, MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER, NULL, 0);
  g_assert_nonnull (d);
  g_assert_nonnull (find_fix (d, MS_FIX_USE_PROFILE));

  /* Worst first. */
  g_assert_cmpint (((MsDiagnosis *) g_ptr_array_index (findings, 0))->severity, ==, MS_SEVERITY_ERROR);
  g_assert_cmpint (((MsDiagnosis *) g_ptr_array_index (findings, findings->len - 1))->severity, ==,
                   MS_SEVERITY_WARNING);
}

/* Desktop on a desktop: the person said so (--profile desktop). */
static void
test_desktop_intended (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "IMAP.charter.net", 143, MS_SECURITY_NONE, "jsmith@charter.net"),
             server (MS_PROTOCOL_SMTP, "SMTP.charter.net", 25, MS_SECURITY_NONE, NULL));
  MsProfile *desktop = ms_provider_get_profile (charter (), "desktop");
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, charter (), desktop, NULL);

  g_assert_null (find (findings, MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER, NULL, 0));
  /* Still plain text, still retired. */
  g_assert_nonnull (find (findings, MS_DIAGNOSIS_INSECURE_SETTINGS, "IMAP.charter.net", 143));
  g_assert_nonnull (find (findings, MS_DIAGNOSIS_SERVER_RETIRED, "IMAP.charter.net", 143));
}

static void
test_username_incomplete (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith"),
             server (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS, "jsmith@charter.net"));
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, charter (), mobile (), NULL);
  MsDiagnosis *d = find (findings, MS_DIAGNOSIS_USERNAME_INCOMPLETE, "mobile.charter.net", 993);
  MsFix *fix;

  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_nonnull (d);
  g_assert_cmpstr (d->detail, ==, "jsmith");
  fix = find_fix (d, MS_FIX_COMPLETE_USERNAME);
  g_assert_nonnull (fix);
  g_assert_cmpstr (fix->username, ==, "jsmith@charter.net");
}

/* A provider without usernameIsAddress: a bare username may be right. */
static void
test_username_without_rule (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mail.example.org", 993, MS_SECURITY_TLS, "jsmith"),
             server (MS_PROTOCOL_SMTP, "mail.example.org", 465, MS_SECURITY_TLS, "jsmith"));
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, NULL, NULL, NULL);

  g_assert_cmpuint (findings->len, ==, 0);
}

/* A provider file without ms:usernameIsAddress whose template for the
 * server is %EMAILADDRESS% wants the whole address just the same. */
static void
test_username_from_template (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith"),
             server (MS_PROTOCOL_SMTP, "smtp.other.example", 465, MS_SECURITY_TLS, "jsmith"));
  g_autoptr(GPtrArray) findings = NULL;

  ms_provider_set_username_is_address (charter (), FALSE);
  findings = ms_doctor_rules_diagnose (a, charter (), mobile (), NULL);
  ms_provider_set_username_is_address (charter (), TRUE);

  /* The host Charter lists, and the intended profile's SMTP template for
   * one it does not. */
  g_assert_nonnull (find (findings, MS_DIAGNOSIS_USERNAME_INCOMPLETE, "mobile.charter.net", 993));
  g_assert_nonnull (find (findings, MS_DIAGNOSIS_USERNAME_INCOMPLETE, "smtp.other.example", 465));
}

/* STARTTLS set on mobile.charter.net:587, which speaks implicit TLS: the
 * provider file says so before any probe does. */
static void
test_security_mismatch_from_file (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith@charter.net"),
             server (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_STARTTLS, "jsmith@charter.net"));
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, charter (), mobile (), NULL);
  MsDiagnosis *d = find (findings, MS_DIAGNOSIS_SECURITY_MISMATCH, "mobile.charter.net", 587);
  MsFix *fix;

  g_assert_nonnull (d);
  /* Not a mix-up: STARTTLS is 587's usual way, Charter is the exception. */
  g_assert_null (find (findings, MS_DIAGNOSIS_PORTS_MIXED_UP, NULL, 0));
  g_assert_cmpint (d->severity, ==, MS_SEVERITY_ERROR);
  fix = find_fix (d, MS_FIX_USE_PORT);
  g_assert_nonnull (fix);
  g_assert_cmpuint (fix->port, ==, 587);
  g_assert_cmpint (fix->security, ==, MS_SECURITY_TLS);
}

/* What the probe saw wins over the file, and replaces the probe's own
 * information-only mismatch. */
static void
test_security_mismatch_from_probe (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mail.example.org", 993, MS_SECURITY_TLS, "jsmith"),
             server (MS_PROTOCOL_SMTP, "mail.example.org", 587, MS_SECURITY_STARTTLS, "jsmith"));
  g_autoptr(MsAddress) address = ms_address_parse ("jsmith@example.org", NULL);
  g_autoptr(MsAccountReport) report = ms_account_report_new (address, NULL, NULL);
  g_autoptr(MsProbeResult) result = ms_probe_result_new (a->outgoing);
  g_autoptr(MsDiagnosis) info = ms_diagnosis_new (MS_DIAGNOSIS_SECURITY_MISMATCH, a->outgoing, NULL);
  g_autoptr(GPtrArray) findings = NULL;

  result->connected = TRUE;
  result->security_detected = TRUE;
  result->detected_security = MS_SECURITY_TLS;
  ms_probe_result_add_diagnosis (result, info);
  ms_account_report_add_result (report, result, FALSE);

  findings = ms_doctor_rules_diagnose (a, NULL, NULL, report);
  g_assert_cmpuint (count (findings, MS_DIAGNOSIS_SECURITY_MISMATCH), ==, 1);
  g_assert_cmpint (find (findings, MS_DIAGNOSIS_SECURITY_MISMATCH, NULL, 0)->severity, ==,
                   MS_SEVERITY_ERROR);
}

/* 465 set up as STARTTLS, and 587 as SSL where it speaks STARTTLS. */
static void
test_ports_mixed_up (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith@charter.net"),
             server (MS_PROTOCOL_SMTP, "smtp.charter.net", 465, MS_SECURITY_STARTTLS, "jsmith@charter.net"));
  g_autoptr(MsExistingAccount) b =
    account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith@charter.net"),
             server (MS_PROTOCOL_SMTP, "smtp.charter.net", 587, MS_SECURITY_TLS, "jsmith@charter.net"));
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, charter (), mobile (), NULL);
  g_autoptr(GPtrArray) other = ms_doctor_rules_diagnose (b, charter (), mobile (), NULL);
  MsDiagnosis *d = find (findings, MS_DIAGNOSIS_PORTS_MIXED_UP, "smtp.charter.net", 465);
  MsFix *fix;

  g_assert_nonnull (d);
  g_assert_null (find (findings, MS_DIAGNOSIS_SECURITY_MISMATCH, NULL, 0));
  fix = find_fix (d, MS_FIX_USE_PORT);
  g_assert_nonnull (fix);
  g_assert_cmpint (fix->security, ==, MS_SECURITY_TLS);
  g_assert_nonnull (find (other, MS_DIAGNOSIS_PORTS_MIXED_UP, "smtp.charter.net", 587));
}

/* 571 E1110 from the relay check: the evidence that the settings do not
 * work where this computer is. */
static void
test_relay_denied (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith@charter.net"),
             server (MS_PROTOCOL_SMTP, "smtp.charter.net", 25, MS_SECURITY_NONE, NULL));
  g_autoptr(MsAddress) address = ms_address_parse ("jsmith@charter.net", NULL);
  g_autoptr(MsAccountReport) report = ms_account_report_new (address, charter (), NULL);
  g_autoptr(MsProbeResult) result = ms_probe_result_new (a->outgoing);
  g_autoptr(MsDiagnosis) relay = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  MsDiagnosis *d;

  relay = ms_diagnosis_new (ms_diagnosis_code_for_reply (MS_PROTOCOL_SMTP,
                                                         "571 You must connect from Charter IP space. E1110",
                                                         MS_DIAGNOSIS_SERVER_UNAVAILABLE),
                            a->outgoing, "571 You must connect from Charter IP space. E1110");
  g_assert_cmpint (relay->code, ==, MS_DIAGNOSIS_RELAY_DENIED);
  result->relay_checked = TRUE;
  ms_probe_result_add_diagnosis (result, relay);
  ms_account_report_add_result (report, result, FALSE);

  findings = ms_doctor_rules_diagnose (a, charter (), mobile (), report);
  g_assert_nonnull (find (findings, MS_DIAGNOSIS_RELAY_DENIED, "smtp.charter.net", 25));
  d = find (findings, MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER, "smtp.charter.net", 25);
  g_assert_nonnull (d);
  g_assert_nonnull (g_strstr_len (d->detail, -1, "E1110"));
  g_assert_nonnull (find_fix (d, MS_FIX_USE_PROFILE));
}

static void
test_report_json (void)
{
  g_autoptr(MsExistingAccount) a =
    account (server (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS, "jsmith"),
             server (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS, "jsmith@charter.net"));
  g_autoptr(GPtrArray) findings = ms_doctor_rules_diagnose (a, charter (), mobile (), NULL);
  g_autoptr(MsDoctorReport) report = ms_doctor_report_new (a, NULL, findings);
  g_autoptr(JsonNode) node = ms_doctor_report_to_json (report);
  g_autofree char *text = ms_doctor_report_to_text (report);
  JsonObject *object = json_node_get_object (node);
  JsonArray *array;

  g_assert_false (ms_doctor_report_is_healthy (report));
  g_assert_false (json_object_get_boolean_member (object, "healthy"));
  array = json_object_get_array_member (object, "findings");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "code"), ==,
                   "username-incomplete");
  g_assert_true (json_object_has_member (object, "account"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "current")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "recommended")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "recommended_test")));
  g_assert_nonnull (g_strstr_len (text, -1, "[username-incomplete]"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/doctor/retired-parsed", test_retired_parsed);
  g_test_add_func ("/doctor/healthy", test_healthy);
  g_test_add_func ("/doctor/outdated-insecure-wrong-for-computer", test_outdated_insecure_wrong_for_computer);
  g_test_add_func ("/doctor/desktop-intended", test_desktop_intended);
  g_test_add_func ("/doctor/username-incomplete", test_username_incomplete);
  g_test_add_func ("/doctor/username-without-rule", test_username_without_rule);
  g_test_add_func ("/doctor/username-from-template", test_username_from_template);
  g_test_add_func ("/doctor/security-mismatch-from-file", test_security_mismatch_from_file);
  g_test_add_func ("/doctor/security-mismatch-from-probe", test_security_mismatch_from_probe);
  g_test_add_func ("/doctor/ports-mixed-up", test_ports_mixed_up);
  g_test_add_func ("/doctor/relay-denied", test_relay_denied);
  g_test_add_func ("/doctor/report-json", test_report_json);

  return g_test_run ();
}
