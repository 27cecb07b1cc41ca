/* test-probe.c: MsProbe against the real dovecot and postfix of tests/harness/
 *
 * Runs under tests/harness/run-with-mail-servers, which exports the ports,
 * the private CA and the server logs (MS_TEST_*).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-account-test.h"
#include "ms-probe.h"
#include "ms-tls-database.h"

#include "probe-run.h"
#include "scripted-server.h"
#include "server-log.h"

static guint16
env_port (const char *name)
{
  return (guint16) g_ascii_strtoull (ms_test_need_env (name), NULL, 10);
}

static MsSecret *
read_password (const char *file_variable)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (ms_test_need_env (file_variable), &contents, NULL, &error);
  g_assert_no_error (error);

  return ms_secret_new (contents);
}

static GTlsDatabase *
test_database (void)
{
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database = ms_tls_database_new (ms_test_need_env ("MS_TEST_CA_FILE"), &error);

  g_assert_no_error (error);

  return database;
}

static MsProbeResult *
run_probe_full (MsProtocol   protocol,
                const char  *host,
                guint16      port,
                MsSecurity   listed,
                const char  *user,
                MsSecret    *password,
                guint        timeout_ms)
{
  g_autoptr(MsServer) server = ms_server_new (protocol, host, port, listed);
  g_autoptr(MsProbe) probe = ms_probe_new (server);
  g_autoptr(GTlsDatabase) database = test_database ();
  MsProbeResult *result = NULL;

  ms_probe_set_tls_database (probe, database);
  ms_probe_set_timeout (probe, timeout_ms);
  if (user != NULL)
    ms_probe_set_credentials (probe, user, password);

  result = ms_test_run_probe (probe);

  return result;
}

static MsProbeResult *
run_probe (MsProtocol  protocol,
           const char *port_variable,
           MsSecurity  listed,
           gboolean    with_password)
{
  g_autoptr(MsSecret) password = with_password ? read_password ("MS_TEST_PASSWORD_FILE") : NULL;

  return run_probe_full (protocol, ms_test_need_env ("MS_TEST_HOST"), env_port (port_variable), listed,
                         ms_test_need_env ("MS_TEST_USER"), password, 10000);
}

static void
assert_works (MsProbeResult *result,
              MsSecurity     detected)
{
  for (guint i = 0; i < result->diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (result->diagnoses, i);

      if (diagnosis->severity == MS_SEVERITY_ERROR)
        g_error ("unexpected diagnosis %s: %s", ms_diagnosis_code_to_string (diagnosis->code),
                 diagnosis->detail != NULL ? diagnosis->detail : "");
    }

  g_assert_true (result->connected);
  g_assert_true (result->tls_established);
  g_assert_false (result->certificate_pinned);
  g_assert_cmpint (result->certificate_errors, ==, 0);
  g_assert_nonnull (result->certificate);
  g_assert_nonnull (result->tls_version);
  g_assert_true (result->security_detected);
  g_assert_cmpint (result->detected_security, ==, detected);
  g_assert_cmpint (result->login, ==, MS_LOGIN_SUCCEEDED);
  g_assert_true (ms_probe_result_works (result));
  g_assert_cmpint (result->stage_ms[MS_PROBE_STAGE_TOTAL], >=, 0);
  g_assert_cmpint (result->stage_ms[MS_PROBE_STAGE_AUTH], >=, 0);
}

static void
assert_no_password_in_transcript (MsProbeResult *result)
{
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");

  for (guint i = 0; i < result->transcript->len; i++)
    g_assert_null (strstr (g_ptr_array_index (result->transcript, i), ms_secret_get_text (password)));
}

static void
test_imaps (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_IMAP, "MS_TEST_IMAPS_PORT", MS_SECURITY_TLS, TRUE);

  assert_works (result, MS_SECURITY_TLS);
  g_assert_true (g_strv_contains ((const char * const *) result->capabilities, "IMAP4REV1"));
  assert_no_password_in_transcript (result);
}

static void
test_imap_starttls (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_IMAP, "MS_TEST_IMAP_PORT", MS_SECURITY_STARTTLS, TRUE);

  assert_works (result, MS_SECURITY_STARTTLS);
  g_assert_cmpint (result->stage_ms[MS_PROBE_STAGE_STARTTLS], >=, 0);
  /* Capabilities were read again after TLS: no STARTTLS any more. */
  g_assert_false (g_strv_contains ((const char * const *) result->capabilities, "STARTTLS"));
  assert_no_password_in_transcript (result);
}

static void
test_pop3s (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_POP3, "MS_TEST_POP3S_PORT", MS_SECURITY_TLS, TRUE);

  assert_works (result, MS_SECURITY_TLS);
}

static void
test_pop3_stls (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_POP3, "MS_TEST_POP3_PORT", MS_SECURITY_STARTTLS, TRUE);

  assert_works (result, MS_SECURITY_STARTTLS);
  assert_no_password_in_transcript (result);
}

static void
test_smtps (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSIONS_PORT", MS_SECURITY_TLS, TRUE);

  assert_works (result, MS_SECURITY_TLS);
  g_assert_true (g_strv_contains ((const char * const *) result->mechanisms, "PLAIN"));
}

static void
test_submission_starttls (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSION_PORT", MS_SECURITY_STARTTLS, TRUE);

  assert_works (result, MS_SECURITY_STARTTLS);
  assert_no_password_in_transcript (result);
}

/* Charter: the file says STARTTLS on 587, the port speaks implicit TLS. */
static void
test_listed_starttls_speaks_tls (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSIONS_PORT", MS_SECURITY_STARTTLS, TRUE);

  assert_works (result, MS_SECURITY_TLS);
  g_assert_true (ms_probe_result_has_diagnosis (result, MS_DIAGNOSIS_SECURITY_MISMATCH));
}

/* The reverse: listed as SSL, the port speaks STARTTLS. */
static void
test_listed_tls_speaks_starttls (void)
{
  g_autoptr(MsProbeResult) result = run_probe (MS_PROTOCOL_IMAP, "MS_TEST_IMAP_PORT", MS_SECURITY_TLS, TRUE);

  assert_works (result, MS_SECURITY_STARTTLS);
  g_assert_true (ms_probe_result_has_diagnosis (result, MS_DIAGNOSIS_SECURITY_MISMATCH));
}

static void
test_wrong_password (void)
{
  g_autoptr(MsSecret) wrong = ms_secret_new ("certainly-not-the-password");
  g_autoptr(MsProbeResult) result = NULL;
  guint before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL);

  result = run_probe_full (MS_PROTOCOL_IMAP, ms_test_need_env ("MS_TEST_HOST"), env_port ("MS_TEST_IMAPS_PORT"),
                           MS_SECURITY_TLS, ms_test_need_env ("MS_TEST_USER"), wrong, 10000);

  g_assert_cmpint (result->login, ==, MS_LOGIN_FAILED);
  g_assert_true (ms_probe_result_has_diagnosis (result, MS_DIAGNOSIS_AUTH_FAILED));
  g_assert_false (ms_probe_result_works (result));
  /* Exactly one failed login reached the server: the connection's one
   * "Disconnected (auth failed, N attempts)" line counts them. */
  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", before), ==, before + 1);
  g_assert_cmpuint (ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed, 1 attempts", NULL), ==, before + 1);
}

/* A password with a quote, a backslash, a space and a non-ASCII letter. */
static void
test_password_quoting (void)
{
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD2_FILE");
  const char *user = ms_test_need_env ("MS_TEST_USER2");
  const char *host = ms_test_need_env ("MS_TEST_HOST");
  struct {
    MsProtocol protocol;
    const char *port;
    MsSecurity security;
  } servers[] = {
    { MS_PROTOCOL_IMAP, "MS_TEST_IMAPS_PORT", MS_SECURITY_TLS },
    { MS_PROTOCOL_POP3, "MS_TEST_POP3S_PORT", MS_SECURITY_TLS },
    { MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSIONS_PORT", MS_SECURITY_TLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(MsProbeResult) result = NULL;

      result = run_probe_full (servers[i].protocol, host, env_port (servers[i].port),
                               servers[i].security, user, password, 10000);
      assert_works (result, servers[i].security);
    }
}

static void
assert_no_credentials_sent (const char      *host_variable,
                            const char      *port_variable,
                            MsDiagnosisCode  expected)
{
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(MsProbeResult) result = NULL;
  g_autofree char *listener = g_strdup_printf ("lip=%s,", ms_test_need_env (host_variable));
  guint before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", listener, NULL);
  guint user_before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", listener, ms_test_need_env ("MS_TEST_USER"));

  result = run_probe_full (MS_PROTOCOL_IMAP, ms_test_need_env (host_variable), env_port (port_variable),
                           MS_SECURITY_TLS, ms_test_need_env ("MS_TEST_USER"), password, 10000);

  g_assert_true (ms_probe_result_has_diagnosis (result, expected));
  g_assert_false (result->tls_established);
  g_assert_cmpint (result->login, ==, MS_LOGIN_NOT_ATTEMPTED);
  g_assert_nonnull (result->certificate);
  g_assert_false (ms_probe_result_works (result));
  /* The connection's end is logged, and no line of that listener names the user. */
  ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", listener, before);
  g_assert_cmpuint (ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", listener, ms_test_need_env ("MS_TEST_USER")), ==, user_before);
}

static void
test_untrusted_ca (void)
{
  assert_no_credentials_sent ("MS_TEST_UNTRUSTED_HOST", "MS_TEST_UNTRUSTED_PORT", MS_DIAGNOSIS_TLS_UNTRUSTED);
}

static void
test_expired_certificate (void)
{
  assert_no_credentials_sent ("MS_TEST_EXPIRED_HOST", "MS_TEST_EXPIRED_PORT", MS_DIAGNOSIS_TLS_EXPIRED);
}

static void
test_wrong_host (void)
{
  assert_no_credentials_sent ("MS_TEST_WRONG_HOST_HOST", "MS_TEST_WRONG_HOST_PORT", MS_DIAGNOSIS_TLS_WRONG_HOST);
}

/* Pinning: a certificate the user trusts is accepted for its host and
 * port only, and the password then goes to it. */
static gboolean
trust_exactly_cb (const char      *host,
                  guint16          port,
                  GTlsCertificate *certificate,
                  gpointer         user_data)
{
  guint16 *pinned_port = user_data;

  return port == *pinned_port;
}

static void
test_pinned_certificate (void)
{
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(MsServer) server = ms_server_new (MS_PROTOCOL_IMAP, ms_test_need_env ("MS_TEST_UNTRUSTED_HOST"),
                                              env_port ("MS_TEST_UNTRUSTED_PORT"), MS_SECURITY_TLS);
  g_autoptr(MsProbe) probe = ms_probe_new (server);
  g_autoptr(GTlsDatabase) database = test_database ();
  g_autoptr(MsProbeResult) result = NULL;
  guint16 *pinned_port = g_new (guint16, 1);

  *pinned_port = server->port;
  ms_probe_set_tls_database (probe, database);
  ms_probe_set_trust_func (probe, trust_exactly_cb, pinned_port, g_free);
  ms_probe_set_credentials (probe, ms_test_need_env ("MS_TEST_USER"), password);
  result = ms_test_run_probe (probe);

  g_assert_true (result->tls_established);
  g_assert_true (result->certificate_pinned);
  g_assert_cmpint (result->certificate_errors & G_TLS_CERTIFICATE_UNKNOWN_CA, !=, 0);
  g_assert_cmpint (result->login, ==, MS_LOGIN_SUCCEEDED);
}

/* dovecot sees a client on its own address as secure; on 127.0.0.2 with
 * no STARTTLS it would take a plaintext password. We must not send it. */
static void
test_plaintext_without_starttls (void)
{
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(MsProbeResult) result = NULL;
  g_autofree char *listener = g_strdup_printf ("lip=%s,", ms_test_need_env ("MS_TEST_PLAIN_IMAP_HOST"));
  guint before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", listener, NULL);
  guint user_before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", listener, ms_test_need_env ("MS_TEST_USER"));

  result = run_probe_full (MS_PROTOCOL_IMAP, ms_test_need_env ("MS_TEST_PLAIN_IMAP_HOST"),
                           env_port ("MS_TEST_PLAIN_IMAP_PORT"), MS_SECURITY_STARTTLS,
                           ms_test_need_env ("MS_TEST_USER"), password, 10000);

  g_assert_true (result->connected);
  g_assert_false (result->tls_established);
  g_assert_true (ms_probe_result_has_diagnosis (result, MS_DIAGNOSIS_STARTTLS_NOT_OFFERED));
  g_assert_cmpint (result->login, ==, MS_LOGIN_REFUSED_INSECURE);
  assert_no_password_in_transcript (result);
  ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", listener, before);
  g_assert_cmpuint (ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", listener, ms_test_need_env ("MS_TEST_USER")), ==, user_before);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);

  /* Closed when this function returns: nothing listens there. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_refused (void)
{
  g_autoptr(MsProbeResult) result = NULL;

  result = run_probe_full (MS_PROTOCOL_IMAP, "127.0.0.1", closed_port (), MS_SECURITY_TLS,
                           "nobody", NULL, 5000);

  g_assert_false (result->connected);
  g_assert_true (ms_probe_result_has_diagnosis (result, MS_DIAGNOSIS_CONNECTION_REFUSED));
}

/* A port that accepts and then never says anything: the probe waits for
 * a greeting, tries TLS once, and gives up with a timeout in bounded time. */
static void
test_silent_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(MsProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  result = run_probe_full (MS_PROTOCOL_SMTP, "127.0.0.1", port, MS_SECURITY_STARTTLS,
                           "nobody", NULL, 1500);

  g_assert_true (result->connected);
  g_assert_true (ms_probe_result_has_diagnosis (result, MS_DIAGNOSIS_TIMEOUT));
  /* Greeting wait plus one TLS attempt, each bounded by the timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * 1500 * 1000 + 2 * G_USEC_PER_SEC);
}

/* Finding 1 (POP3 part): a username with a line break would have been a
 * second command ("USER alice\r\nDELE 1"); every dialect refuses it, and
 * nothing of it reaches the server. */
static void
test_command_injection (void)
{
  static const MsProtocol protocols[] = { MS_PROTOCOL_POP3, MS_PROTOCOL_IMAP, MS_PROTOCOL_SMTP };
  static const char *ports[] = { "MS_TEST_POP3S_PORT", "MS_TEST_IMAPS_PORT", "MS_TEST_SUBMISSIONS_PORT" };
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autofree char *user = g_strdup_printf ("%s\r\nQUIT", ms_test_need_env ("MS_TEST_USER"));
  guint before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL);
  guint ended = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "no auth attempts", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autoptr(MsProbeResult) result = NULL;
      MsDiagnosis *diagnosis;

      result = run_probe_full (protocols[i], ms_test_need_env ("MS_TEST_HOST"), env_port (ports[i]),
                               MS_SECURITY_TLS, user, password, 10000);
      g_assert_true (result->tls_established);
      g_assert_cmpint (result->login, ==, MS_LOGIN_NOT_ATTEMPTED);
      g_assert_false (ms_probe_result_works (result));
      g_assert_true (ms_probe_result_has_diagnosis (result, MS_DIAGNOSIS_PROTOCOL_ERROR));
      diagnosis = g_ptr_array_index (result->diagnoses, 0);
      g_assert_nonnull (strstr (diagnosis->detail, "line break"));
      for (guint j = 0; j < result->transcript->len; j++)
        g_assert_null (strstr (g_ptr_array_index (result->transcript, j), "QUIT\r"));
    }

  /* Not one login attempt reached dovecot: the POP3 and IMAP connections
   * ended, logged with "no auth attempts", and no "auth failed" came. */
  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", "no auth attempts", ended + 1), >=, ended + 2);
  g_assert_cmpuint (ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL), ==, before);
}

static void
account_test_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  MsAccountReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ms_account_test_run_finish (MS_ACCOUNT_TEST (object), result, &error);
  g_assert_no_error (error);
}

static void
count_started_cb (MsAccountTest *test,
                  MsServer      *server,
                  gboolean       alternate,
                  guint         *started)
{
  (*started)++;
}

/* Finding 4: a profile that lists the same IMAP server twice, another
 * IMAP port, and two submission ports. One login per protocol reaches the
 * servers, never two to one host and port; the others are probed without
 * one. */
static void
test_one_login_per_protocol (void)
{
  g_autoptr(MsSecret) wrong = ms_secret_new ("certainly-not-the-password");
  g_autoptr(MsProvider) provider = ms_provider_new ("twice.test");
  g_autoptr(MsProfile) profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(MsAccountTest) test = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GTlsDatabase) database = test_database ();
  const char *address_text = ms_test_need_env ("MS_TEST_USER");
  const char *host = ms_test_need_env ("MS_TEST_HOST");
  struct { MsProtocol protocol; const char *port; MsSecurity security; } listed[] = {
    { MS_PROTOCOL_IMAP, "MS_TEST_IMAPS_PORT", MS_SECURITY_TLS },
    { MS_PROTOCOL_IMAP, "MS_TEST_IMAPS_PORT", MS_SECURITY_TLS },
    { MS_PROTOCOL_IMAP, "MS_TEST_IMAP_PORT", MS_SECURITY_STARTTLS },
    { MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSIONS_PORT", MS_SECURITY_TLS },
    { MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSION_PORT", MS_SECURITY_STARTTLS },
  };
  guint before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL);
  guint smtp_before = ms_test_count_log_lines ("MS_TEST_POSTFIX_LOG", "authentication failed", NULL);
  guint started = 0;
  guint logins = 0;
  GPtrArray *results;

  for (guint i = 0; i < G_N_ELEMENTS (listed); i++)
    {
      g_autoptr(MsServer) server = ms_server_new (listed[i].protocol, host, env_port (listed[i].port),
                                                  listed[i].security);

      ms_server_set_username (server, ms_test_need_env ("MS_TEST_USER"));
      if (listed[i].protocol == MS_PROTOCOL_IMAP)
        ms_profile_add_incoming (profile, server);
      else
        ms_profile_add_outgoing (profile, server);
    }
  ms_provider_add_profile (provider, profile);

  address = ms_address_parse (address_text, NULL);
  g_assert_nonnull (address);
  test = ms_account_test_new (address, provider, profile);
  ms_account_test_set_password (test, wrong);
  ms_account_test_set_tls_database (test, database);
  ms_account_test_set_timeout (test, 10000);
  ms_account_test_set_probe_alternates (test, FALSE);
  g_signal_connect (test, "server-started", G_CALLBACK (count_started_cb), &started);
  ms_account_test_run_async (test, NULL, account_test_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Four endpoints: the repeated one is probed once. */
  g_assert_cmpuint (started, ==, 4);
  results = ms_account_report_get_results (report);
  for (guint i = 0; i < results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (results, i);

      if (result->login != MS_LOGIN_NOT_ATTEMPTED)
        logins++;
    }
  g_assert_cmpuint (logins, ==, 2);
  /* One IMAP login reached dovecot, one SMTP login postfix. */
  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", before), ==, before + 1);
  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_POSTFIX_LOG", "authentication failed", smtp_before), ==, smtp_before + 1);
}

/* The whole picture (ms_diagnosis_classify_follow_up()): dovecot refuses
 * the local part alone, and the provider wants the whole address, so the
 * account test says username-incomplete and offers the address. */
static void
test_username_incomplete (void)
{
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(MsProvider) provider = ms_provider_new ("whole-address.test");
  g_autoptr(MsProfile) profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  g_autoptr(MsServer) server = NULL;
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(MsAccountTest) test = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GTlsDatabase) database = test_database ();
  const char *user = ms_test_need_env ("MS_TEST_USER");
  g_autofree char *local_part = g_strndup (user, strcspn (user, "@"));
  MsDiagnosis *incomplete = NULL;
  GPtrArray *diagnoses;

  guint failed_before = ms_test_count_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", NULL);

  g_assert_nonnull (strchr (user, '@'));
  server = ms_server_new (MS_PROTOCOL_IMAP, ms_test_need_env ("MS_TEST_HOST"), env_port ("MS_TEST_IMAPS_PORT"),
                          MS_SECURITY_TLS);
  ms_server_set_username (server, local_part);
  ms_profile_add_incoming (profile, server);
  ms_provider_add_profile (provider, profile);
  ms_provider_set_username_is_address (provider, TRUE);

  address = ms_address_parse (user, NULL);
  g_assert_nonnull (address);
  test = ms_account_test_new (address, provider, profile);
  ms_account_test_set_password (test, password);
  ms_account_test_set_tls_database (test, database);
  ms_account_test_set_timeout (test, 10000);
  ms_account_test_set_probe_alternates (test, FALSE);
  ms_account_test_run_async (test, NULL, account_test_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The bare local part failed once; its log line is awaited so that the
   * next test counts only its own. */
  g_assert_cmpuint (ms_test_wait_for_log_lines ("MS_TEST_DOVECOT_LOG", "auth failed", failed_before), ==,
                    failed_before + 1);

  diagnoses = ms_account_report_get_diagnoses (report);
  for (guint i = 0; i < diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (diagnoses, i);

      g_test_message ("diagnosis: %s", ms_diagnosis_code_to_string (diagnosis->code));
      if (diagnosis->code == MS_DIAGNOSIS_USERNAME_INCOMPLETE)
        incomplete = diagnosis;
    }
  g_assert_nonnull (incomplete);
  g_assert_cmpstr (incomplete->detail, ==, local_part);
  g_assert_cmpuint (incomplete->fixes->len, >, 0);
  {
    MsFix *fix = g_ptr_array_index (incomplete->fixes, 0);

    g_assert_cmpint (fix->kind, ==, MS_FIX_COMPLETE_USERNAME);
    g_assert_cmpstr (fix->username, ==, user);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/imaps", test_imaps);
  g_test_add_func ("/probe/imap-starttls", test_imap_starttls);
  g_test_add_func ("/probe/pop3s", test_pop3s);
  g_test_add_func ("/probe/pop3-stls", test_pop3_stls);
  g_test_add_func ("/probe/smtps", test_smtps);
  g_test_add_func ("/probe/submission-starttls", test_submission_starttls);
  g_test_add_func ("/probe/listed-starttls-speaks-tls", test_listed_starttls_speaks_tls);
  g_test_add_func ("/probe/listed-tls-speaks-starttls", test_listed_tls_speaks_starttls);
  g_test_add_func ("/probe/wrong-password", test_wrong_password);
  g_test_add_func ("/probe/password-quoting", test_password_quoting);
  g_test_add_func ("/probe/untrusted-ca", test_untrusted_ca);
  g_test_add_func ("/probe/expired-certificate", test_expired_certificate);
  g_test_add_func ("/probe/wrong-host", test_wrong_host);
  g_test_add_func ("/probe/pinned-certificate", test_pinned_certificate);
  g_test_add_func ("/probe/plaintext-without-starttls", test_plaintext_without_starttls);
  g_test_add_func ("/probe/refused", test_refused);
  g_test_add_func ("/probe/silent-port", test_silent_port);
  g_test_add_func ("/probe/username-incomplete", test_username_incomplete);
  g_test_add_func ("/probe/command-injection", test_command_injection);
  g_test_add_func ("/account-test/one-login-per-protocol", test_one_login_per_protocol);

  return g_test_run ();
}
