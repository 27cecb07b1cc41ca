/* test-scripted-replies.c: MsProbe against replies no real server gives
 *
 * dovecot and postfix never answer "571 ... E1110", hang in the middle of
 * a greeting or send binary garbage, so these cases use the scripted fake
 * server (tests/harness/scripted-server.py). Each case says which reply a
 * real provider sends. Runs under run-with-mail-servers for the TLS
 * certificate and the private CA.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-probe.h"
#include "ms-tls-database.h"

#include "probe-run.h"
#include "scripted-server.h"

#define PASSWORD "s3cret-Pa55word"
#define USERNAME "jsmith@charter.net"

typedef struct
{
  MsProtocol   protocol;
  MsSecurity   security;
  gboolean     send_message;
  guint        timeout_ms;
} ProbeSetup;

/* Runs a probe against SCRIPT and returns what the server received. */
static MsProbeResult *
probe_script (const char        *script,
              const ProbeSetup  *setup,
              char             **received)
{
  ScriptedServer *scripted = scripted_server_start (script);
  g_autoptr(MsServer) server = ms_server_new (setup->protocol, "127.0.0.1", scripted->port,
                                              setup->security);
  g_autoptr(MsProbe) probe = ms_probe_new (server);
  g_autoptr(MsSecret) password = ms_secret_new (PASSWORD);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  MsProbeResult *result = NULL;

  database = ms_tls_database_new (ms_test_need_env ("MS_TEST_CA_FILE"), &error);
  g_assert_no_error (error);

  ms_probe_set_tls_database (probe, database);
  ms_probe_set_timeout (probe, setup->timeout_ms > 0 ? setup->timeout_ms : 5000);
  ms_probe_set_credentials (probe, USERNAME, password);
  if (setup->send_message)
    ms_probe_set_send_message (probe, USERNAME, USERNAME, "Subject: test\r\n\r\nhello\r\n");

  result = ms_test_run_probe (probe);

  *received = scripted_server_stop (scripted);

  return result;
}

static void
assert_diagnosis (MsProbeResult   *result,
                  MsDiagnosisCode  code)
{
  if (!ms_probe_result_has_diagnosis (result, code))
    {
      GString *found = g_string_new (NULL);

      for (guint i = 0; i < result->diagnoses->len; i++)
        {
          MsDiagnosis *diagnosis = g_ptr_array_index (result->diagnoses, i);

          g_string_append_printf (found, " %s", ms_diagnosis_code_to_string (diagnosis->code));
        }
      g_error ("expected diagnosis %s, found:%s", ms_diagnosis_code_to_string (code), found->str);
    }

  g_assert_false (ms_probe_result_works (result));
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint count = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    count++;

  return count;
}

#define SMTP_TLS_LOGIN_OK \
  "{\"send\": \"220 mobile.charter.net ESMTP\\r\\n\"}, {\"expect\": \"^EHLO \"}," \
  "{\"send\": \"250-mobile.charter.net\\r\\n250 AUTH PLAIN LOGIN\\r\\n\"}," \
  "{\"expect\": \"^AUTH PLAIN \"}, {\"send\": \"235 2.7.0 Authentication successful\\r\\n\"},"

/* Charter's Desktop servers refuse to relay for a computer outside its
 * network: the classic laptop-away-from-home failure. */
static void
test_relay_denied_e1110 (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_TLS, TRUE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"tls\": \"implicit\", \"steps\": [" SMTP_TLS_LOGIN_OK
    "{\"expect\": \"^MAIL FROM:\"}, {\"send\": \"250 OK\\r\\n\"},"
    "{\"expect\": \"^RCPT TO:\"}, {\"send\": \"571 You must connect from Charter IP space. E1110\\r\\n\"},"
    "{\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_RELAY_DENIED);
  g_assert_cmpint (result->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_cmpint (result->message_sent_usec, ==, 0);
}

static void
test_too_many_connections_e1550 (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"steps\": [{\"send\": \"421 mta.charter.net connections refused from (192.0.2.7) E1550\\r\\n\"},"
    "{\"close\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_TOO_MANY_CONNECTIONS);
  g_assert_null (strstr (received, PASSWORD));
}

static void
test_send_quota_e2210 (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_TLS, TRUE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"tls\": \"implicit\", \"steps\": [" SMTP_TLS_LOGIN_OK
    "{\"expect\": \"^MAIL FROM:\"}, {\"send\": \"452 4.2.2 send quota exceeded: try again later E2210\\r\\n\"},"
    "{\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED);
}

/* One failed login, no retry with another mechanism or username. */
static void
test_auth_failed_535_once (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_TLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"tls\": \"implicit\", \"steps\": ["
    "{\"send\": \"220 mobile.charter.net ESMTP\\r\\n\"}, {\"expect\": \"^EHLO \"},"
    "{\"send\": \"250-mobile.charter.net\\r\\n250 AUTH PLAIN LOGIN\\r\\n\"},"
    "{\"expect\": \"^AUTH PLAIN \"}, {\"send\": \"535 5.7.8 Authentication credentials invalid\\r\\n\"},"
    "{\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_AUTH_FAILED);
  g_assert_cmpint (result->login, ==, MS_LOGIN_FAILED);
  g_assert_cmpuint (count_occurrences (received, "AUTH "), ==, 1);
  /* EHLO names the client by its address literal, nothing more. */
  g_assert_nonnull (strstr (received, "EHLO [127.0.0.1]\r\n"));
}

static void
test_account_locked (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_IMAP, MS_SECURITY_TLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"tls\": \"implicit\", \"steps\": ["
    "{\"send\": \"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\\r\\n\"},"
    "{\"expect\": \"^a1 AUTHENTICATE PLAIN \"},"
    "{\"send\": \"a1 NO [ALERT] Your account is temporarily locked due to too many login failures\\r\\n\"},"
    "{\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_ACCOUNT_LOCKED);
  g_assert_cmpuint (count_occurrences (received, "AUTHENTICATE"), ==, 1);
}

static void
test_megabyte_line (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"steps\": [{\"send\": \"220 \"}, {\"send_bytes\": 1048576, \"byte\": \"A\"},"
    "{\"send\": \"\\r\\n\"}, {\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_PROTOCOL_ERROR);
  g_assert_null (strstr (received, PASSWORD));
}

static void
test_binary_garbage (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_IMAP, MS_SECURITY_STARTTLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"steps\": [{\"send_hex\": \"00ff13370000fffe0d0a\"}, {\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_PROTOCOL_ERROR);
  g_assert_null (strstr (received, PASSWORD));
}

static void
test_close_mid_reply (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"steps\": [{\"send\": \"220 smtp.example ESMTP\\r\\n\"}, {\"expect\": \"^EHLO \"},"
    "{\"send\": \"250-smtp.example\\r\\n250-PIPELINING\\r\\n\"}, {\"close\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_PROTOCOL_ERROR);
}

/* Some bytes of a greeting, then nothing: a timeout, not a TLS guess. */
static void
test_hang_mid_greeting (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS, FALSE, 1000 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"steps\": [{\"send\": \"220 smtp.exa\"}, {\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_TIMEOUT);
  g_assert_false (result->tls_established);
}

/* STARTTLS offered, then refused: the password stays here. */
static void
test_starttls_refused (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"steps\": [{\"send\": \"220 smtp.example ESMTP\\r\\n\"}, {\"expect\": \"^EHLO \"},"
    "{\"send\": \"250-smtp.example\\r\\n250-STARTTLS\\r\\n250 AUTH PLAIN LOGIN\\r\\n\"},"
    "{\"expect\": \"^STARTTLS\"}, {\"send\": \"454 4.7.0 TLS not available due to local problem\\r\\n\"},"
    "{\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_STARTTLS_FAILED);
  g_assert_cmpint (result->login, ==, MS_LOGIN_REFUSED_INSECURE);
  g_assert_null (strstr (received, "AUTH"));
}

/* Plaintext slipped in after "OK, start TLS" (command injection): refuse
 * to go on rather than read it later as if it were protected. */
static void
test_starttls_injection (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_IMAP, MS_SECURITY_STARTTLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"steps\": [{\"send\": \"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\\r\\n\"},"
    "{\"expect\": \"^a1 STARTTLS\"}, {\"send\": \"a1 OK Begin TLS\\r\\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\\r\\n\"},"
    "{\"hang\": true}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_PROTOCOL_ERROR);
  g_assert_false (result->tls_established);
  g_assert_null (strstr (received, "AUTHENTICATE"));
  g_assert_null (strstr (received, "LOGIN "));
}

/* After TLS the server still forbids LOGIN and offers no PLAIN: no
 * mechanism in common, and nothing is tried behind the person's back. */
static void
test_no_common_mechanism (void)
{
  const ProbeSetup setup = { MS_PROTOCOL_IMAP, MS_SECURITY_TLS, FALSE, 0 };
  g_autofree char *received = NULL;
  g_autoptr(MsProbeResult) result = probe_script (
    "{\"tls\": \"implicit\", \"steps\": ["
    "{\"send\": \"* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2] ready\\r\\n\"},"
    "{\"expect\": \"LOGOUT\"}, {\"send\": \"* BYE\\r\\na1 OK\\r\\n\"}]}", &setup, &received);

  assert_diagnosis (result, MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED);
  g_assert_cmpint (result->login, ==, MS_LOGIN_UNSUPPORTED);
  g_assert_null (strstr (received, PASSWORD));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scripted/relay-denied-e1110", test_relay_denied_e1110);
  g_test_add_func ("/scripted/too-many-connections-e1550", test_too_many_connections_e1550);
  g_test_add_func ("/scripted/send-quota-e2210", test_send_quota_e2210);
  g_test_add_func ("/scripted/auth-failed-535-once", test_auth_failed_535_once);
  g_test_add_func ("/scripted/account-locked", test_account_locked);
  g_test_add_func ("/scripted/megabyte-line", test_megabyte_line);
  g_test_add_func ("/scripted/binary-garbage", test_binary_garbage);
  g_test_add_func ("/scripted/close-mid-reply", test_close_mid_reply);
  g_test_add_func ("/scripted/hang-mid-greeting", test_hang_mid_greeting);
  g_test_add_func ("/scripted/starttls-refused", test_starttls_refused);
  g_test_add_func ("/scripted/starttls-injection", test_starttls_injection);
  g_test_add_func ("/scripted/no-common-mechanism", test_no_common_mechanism);

  return g_test_run ();
}
