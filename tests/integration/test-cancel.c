/* test-cancel.c: cancelling a probe or an account test in every stage
 *
 * Each case holds the dialogue at one stage (the scripted fake server
 * hangs there; a real server cannot be told to), cancels, and checks that
 * the task ends at once with G_IO_ERROR_CANCELLED and that every object is
 * freed. Leaks are LeakSanitizer's job: CI runs this suite under ASan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ms-account-test.h"
#include "ms-probe.h"
#include "ms-tls-database.h"

#include "scripted-server.h"

/* Bounds a hang, not a measurement: a cancelled operation normally ends
 * within milliseconds. The probes' own timeout is longer still, so that only
 * the cancellation can end them. */
#define HANG_DEADLINE_MS (60 * 1000)
#define PROBE_TIMEOUT_MS (10 * 60 * 1000)

typedef struct
{
  gboolean  done;
  GError   *error;
} Outcome;

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(MsProbeResult) probe_result = NULL;

  probe_result = ms_probe_run_finish (MS_PROBE (object), result, &outcome->error);
  outcome->done = TRUE;
}

static gboolean
hang_cb (gpointer user_data)
{
  g_error ("%s did not end %d s after its cancellation", (const char *) user_data,
           HANG_DEADLINE_MS / 1000);

  return G_SOURCE_REMOVE;
}

/* Waits for OUTCOME in the main loop; a hang fails the test. */
static void
wait_for_outcome (Outcome    *outcome,
                  const char *what)
{
  guint hang = g_timeout_add (HANG_DEADLINE_MS, hang_cb, (gpointer) what);

  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (hang);
}

/* Cancels once the scripted server has accepted the probe's connection
 * ("ACCEPTED 1" on its stdout): an event, not a delay. */
static void
accepted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result,
                                                                NULL, &error);

  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "ACCEPTED "))
    g_error ("the scripted server printed “%s”, not ACCEPTED", line != NULL ? line : "(nothing)");
  g_cancellable_cancel (cancellable);
}

typedef struct
{
  GCancellable *cancellable;
  const char   *record_path;
  const char   *marker;
  gint64        deadline_usec;
} CancelWhen;

/* Cancels once the server has received MARKER: the probe is then waiting
 * in the stage under test, however slow the machine (or ASan) is. */
static gboolean
cancel_when_received_cb (gpointer user_data)
{
  CancelWhen *when = user_data;
  g_autofree char *received = NULL;

  g_file_get_contents (when->record_path, &received, NULL, NULL);
  if (received != NULL && strstr (received, when->marker) != NULL)
    {
      g_cancellable_cancel (when->cancellable);
      return G_SOURCE_REMOVE;
    }

  if (g_get_monotonic_time () > when->deadline_usec)
    g_error ("the server never received “%s”", when->marker);

  return G_SOURCE_CONTINUE;
}

/* Runs a probe against SCRIPT, cancels it once the server has received
 * MARKER (or, without one, accepted the connection) and checks the
 * outcome; returns what the server received. */
static char *
cancel_probe (const char *script,
              MsProtocol  protocol,
              MsSecurity  security,
              const char *marker)
{
  ScriptedServer *scripted = scripted_server_start (script);
  g_autoptr(MsServer) server = ms_server_new (protocol, "127.0.0.1", scripted->port, security);
  g_autoptr(MsSecret) password = ms_secret_new ("never-sent-anywhere");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  MsProbe *probe = ms_probe_new (server);
  Outcome outcome = { 0 };
  CancelWhen when = { 0 };

  database = ms_tls_database_new (ms_test_need_env ("MS_TEST_CA_FILE"), &error);
  g_assert_no_error (error);

  ms_probe_set_tls_database (probe, database);
  ms_probe_set_timeout (probe, PROBE_TIMEOUT_MS);
  ms_probe_set_credentials (probe, "someone@example.com", password);
  g_object_add_weak_pointer (G_OBJECT (probe), (gpointer *) &probe);

  ms_probe_run_async (probe, cancellable, probe_done_cb, &outcome);
  if (marker != NULL)
    {
      when.cancellable = cancellable;
      when.record_path = scripted->record_path;
      when.marker = marker;
      when.deadline_usec = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      g_timeout_add (20, cancel_when_received_cb, &when);
    }
  else
    g_data_input_stream_read_line_async (scripted->output, G_PRIORITY_DEFAULT, NULL, accepted_cb,
                                         g_object_ref (cancellable));

  wait_for_outcome (&outcome, "the probe");

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&outcome.error);
  g_assert_true (g_cancellable_is_cancelled (cancellable));

  g_object_unref (probe);
  /* Nothing the probe started may still hold it. */
  for (guint i = 0; i < 10 && probe != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (probe);

  return scripted_server_stop (scripted);
}

static void
test_cancel_before_greeting (void)
{
  g_autofree char *received = cancel_probe ("{\"steps\": [{\"hang\": true}]}",
                                            MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS, NULL);

  g_assert_cmpstr (received, ==, "");
}

static void
test_cancel_mid_handshake (void)
{
  /* The server never answers the ClientHello. */
  g_autofree char *received = cancel_probe ("{\"steps\": [{\"hang\": true}]}",
                                            MS_PROTOCOL_IMAP, MS_SECURITY_TLS,
                                            "\x16\x03" /* a TLS handshake record */);

  g_assert_null (strstr (received, "never-sent"));
}

static void
test_cancel_during_capabilities (void)
{
  g_autofree char *received = cancel_probe (
    "{\"steps\": [{\"send\": \"220 smtp.example ESMTP\\r\\n\"}, {\"hang\": true}]}",
    MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS, "EHLO");

  g_assert_nonnull (strstr (received, "EHLO"));
}

static void
test_cancel_during_starttls (void)
{
  g_autofree char *received = cancel_probe (
    "{\"steps\": [{\"send\": \"+OK ready\\r\\n\"}, {\"expect\": \"^CAPA\"},"
    "{\"send\": \"+OK\\r\\nSTLS\\r\\nUSER\\r\\n.\\r\\n\"}, {\"hang\": true}]}",
    MS_PROTOCOL_POP3, MS_SECURITY_STARTTLS, "STLS");

  g_assert_nonnull (strstr (received, "STLS"));
  g_assert_null (strstr (received, "never-sent"));
}

static void
test_cancel_during_login (void)
{
  g_autofree char *received = cancel_probe (
    "{\"tls\": \"implicit\", \"steps\": ["
    "{\"send\": \"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\\r\\n\"}, {\"hang\": true}]}",
    MS_PROTOCOL_IMAP, MS_SECURITY_TLS, "AUTHENTICATE PLAIN");

  g_assert_nonnull (strstr (received, "AUTHENTICATE PLAIN"));
}

static void
account_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(MsAccountReport) report = NULL;

  report = ms_account_test_run_finish (MS_ACCOUNT_TEST (object), result, &outcome->error);
  outcome->done = TRUE;
}

/* The IMAP server's test has finished (its login worked): the account test
 * now waits, for the SMTP side and the message that never comes. */
static void
imap_finished_cb (MsAccountTest *test,
                  MsProbeResult *result,
                  gboolean       alternate,
                  GCancellable  *cancellable)
{
  if (result->server->protocol == MS_PROTOCOL_IMAP)
    g_cancellable_cancel (cancellable);
}

/* A whole account test against the real servers, waiting for a test
 * message that will never come, cancelled mid-watch. */
static void
test_cancel_account_test (void)
{
  g_autoptr(MsAddress) address = ms_address_parse (ms_test_need_env ("MS_TEST_USER"), NULL);
  g_autoptr(MsProfile) profile = ms_profile_new ("default");
  g_autoptr(MsServer) imap = NULL;
  g_autoptr(MsServer) smtp = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 silent_port;
  MsAccountTest *test;
  Outcome outcome = { 0 };

  imap = ms_server_new (MS_PROTOCOL_IMAP, ms_test_need_env ("MS_TEST_HOST"),
                        (guint16) atoi (ms_test_need_env ("MS_TEST_IMAPS_PORT")), MS_SECURITY_TLS);
  /* A port that accepts and never answers: the SMTP side hangs in the
   * handshake, so the message never goes and the IMAP side keeps watching. */
  silent_port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  smtp = ms_server_new (MS_PROTOCOL_SMTP, "127.0.0.1", silent_port, MS_SECURITY_TLS);
  ms_profile_add_incoming (profile, imap);
  ms_profile_add_outgoing (profile, smtp);

  database = ms_tls_database_new (ms_test_need_env ("MS_TEST_CA_FILE"), &error);
  g_assert_no_error (error);
  g_file_get_contents (ms_test_need_env ("MS_TEST_PASSWORD_FILE"), &contents, NULL, &error);
  g_assert_no_error (error);
  password = ms_secret_new (contents);

  test = ms_account_test_new (address, NULL, profile);
  ms_account_test_set_tls_database (test, database);
  ms_account_test_set_password (test, password);
  ms_account_test_set_timeout (test, PROBE_TIMEOUT_MS);
  ms_account_test_set_send_test_message (test, TRUE, PROBE_TIMEOUT_MS);
  g_object_add_weak_pointer (G_OBJECT (test), (gpointer *) &test);

  ms_account_test_run_async (test, cancellable, account_done_cb, &outcome);
  g_signal_connect (test, "server-finished", G_CALLBACK (imap_finished_cb), cancellable);
  wait_for_outcome (&outcome, "the account test");

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&outcome.error);

  g_object_unref (test);
  for (guint i = 0; i < 10 && test != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (test);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cancel/before-greeting", test_cancel_before_greeting);
  g_test_add_func ("/cancel/mid-handshake", test_cancel_mid_handshake);
  g_test_add_func ("/cancel/during-capabilities", test_cancel_during_capabilities);
  g_test_add_func ("/cancel/during-starttls", test_cancel_during_starttls);
  g_test_add_func ("/cancel/during-login", test_cancel_during_login);
  g_test_add_func ("/cancel/account-test", test_cancel_account_test);

  return g_test_run ();
}
