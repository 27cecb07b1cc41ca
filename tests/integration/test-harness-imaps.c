/* test-harness-imaps.c: GIO against the harness's real dovecot and postfix
 *
 * Proves, with nothing but GIO and our TLS database, that the servers from
 * tests/harness/run-with-mail-servers are real: a login over IMAPS that
 * dovecot logs, a certificate from an unknown CA that fails before any login,
 * and a message injected into postfix that lands in alice's INBOX over LMTP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "ms-tls-database.h"

#define WAIT_SECONDS 20

static const char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through tests/harness/run-with-mail-servers", name);

  return value;
}

static guint16
require_port (const char *name)
{
  guint64 port = 0;
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (require_env (name), 10, 1, G_MAXUINT16, &port, &error))
    g_error ("%s: %s", name, error->message);

  return (guint16) port;
}

static char *
read_password (const char *variable)
{
  g_autoptr(GError) error = NULL;
  char *password = NULL;

  g_file_get_contents (require_env (variable), &password, NULL, &error);
  g_assert_no_error (error);

  return password;
}

static char *
read_log (const char *variable)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (require_env (variable), &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* IMAP quoted string: backslash and double quote escaped. */
static char *
imap_quote (const char *text)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (quoted, FALSE);
}

typedef struct
{
  GTlsDatabase         *database;
  GTlsCertificateFlags  seen_errors;
  gboolean              asked;
} TlsCheck;

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *peer_cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  TlsCheck *check = user_data;

  check->asked = TRUE;
  check->seen_errors = errors;

  return FALSE;
}

static void
socket_client_event_cb (GSocketClient      *client,
                        GSocketClientEvent  event,
                        GSocketConnectable *connectable,
                        GIOStream          *connection,
                        gpointer            user_data)
{
  TlsCheck *check = user_data;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING)
    return;

  g_tls_connection_set_database (G_TLS_CONNECTION (connection), check->database);
  g_signal_connect (connection, "accept-certificate",
                    G_CALLBACK (accept_certificate_cb), check);
}

/* GSocketClient with TLS; the server identity is the host we dial. */
static GIOStream *
connect_tls (const char  *host,
             guint16      port,
             TlsCheck    *check,
             GError     **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local_error = NULL;

  check->database = ms_tls_database_new (require_env ("MS_TEST_CA_FILE"), &local_error);
  g_assert_no_error (local_error);

  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, WAIT_SECONDS);
  g_signal_connect (client, "event", G_CALLBACK (socket_client_event_cb), check);

  return G_IO_STREAM (g_socket_client_connect_to_host (client, host, port, NULL, error));
}

static GIOStream *
connect_plain (const char *host,
               guint16     port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, WAIT_SECONDS);
  connection = g_socket_client_connect_to_host (client, host, port, NULL, &error);
  g_assert_no_error (error);

  return G_IO_STREAM (connection);
}

typedef struct
{
  GIOStream        *stream;
  GDataInputStream *input;
} Session;

static void
session_init (Session   *session,
              GIOStream *stream)
{
  session->stream = stream;
  session->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (session->input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
}

static void
session_clear (Session *session)
{
  g_clear_object (&session->input);
  if (session->stream != NULL)
    g_io_stream_close (session->stream, NULL, NULL);
  g_clear_object (&session->stream);
}

static char *
session_read_line (Session *session)
{
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line (session->input, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  return line;
}

static void
session_send (Session    *session,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (session->stream),
                             text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads untagged lines up to the tagged reply; returns them all. */
static GPtrArray *
imap_command (Session    *session,
              const char *tag,
              const char *command)
{
  g_autofree char *line = g_strdup_printf ("%s %s\r\n", tag, command);
  g_autofree char *prefix = g_strdup_printf ("%s ", tag);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  session_send (session, line);
  for (;;)
    {
      char *reply = session_read_line (session);

      g_ptr_array_add (lines, reply);
      if (g_str_has_prefix (reply, prefix))
        return lines;
    }
}

static const char *
last_line (GPtrArray *lines)
{
  return g_ptr_array_index (lines, lines->len - 1);
}

static void
imap_login (Session *session)
{
  g_autofree char *password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autofree char *user = imap_quote (require_env ("MS_TEST_USER"));
  g_autofree char *pass = imap_quote (password);
  g_autofree char *command = g_strdup_printf ("LOGIN %s %s", user, pass);
  g_autoptr(GPtrArray) reply = imap_command (session, "a1", command);

  g_assert_true (g_str_has_prefix (last_line (reply), "a1 OK"));
}

static gboolean
log_has_login (const char *user,
               const char *local_ip)
{
  g_autofree char *log = read_log ("MS_TEST_DOVECOT_LOG");
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  g_autofree char *who = g_strdup_printf ("Login: user=<%s>", user);
  g_autofree char *where = g_strdup_printf ("lip=%s,", local_ip);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], who) != NULL && strstr (lines[i], where) != NULL)
      return TRUE;

  return FALSE;
}

static void
test_imaps_login (void)
{
  const char *host = require_env ("MS_TEST_HOST");
  TlsCheck check = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autofree char *greeting = NULL;
  g_autoptr(GPtrArray) bye = NULL;
  Session session = { 0 };
  gint64 deadline;

  stream = connect_tls (host, require_port ("MS_TEST_IMAPS_PORT"), &check, &error);
  g_assert_no_error (error);
  g_assert_false (check.asked);
  session_init (&session, g_object_ref (stream));

  greeting = session_read_line (&session);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));
  imap_login (&session);
  bye = imap_command (&session, "a2", "LOGOUT");
  g_assert_true (g_str_has_prefix (last_line (bye), "a2 OK"));
  session_clear (&session);
  g_clear_object (&check.database);

  /* dovecot's log process writes on its own time */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (!log_has_login (require_env ("MS_TEST_USER"), host))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("no login of %s in %s", require_env ("MS_TEST_USER"),
                 require_env ("MS_TEST_DOVECOT_LOG"));
      g_usleep (G_USEC_PER_SEC / 20);
    }
}

static void
test_untrusted_ca_refused (void)
{
  const char *host = require_env ("MS_TEST_UNTRUSTED_HOST");
  TlsCheck check = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = NULL;

  stream = connect_tls (host, require_port ("MS_TEST_UNTRUSTED_PORT"), &check, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_null (stream);
  g_assert_true (check.asked);
  g_assert_cmpint (check.seen_errors & G_TLS_CERTIFICATE_UNKNOWN_CA, ==,
                   G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_clear_object (&check.database);

  /* The handshake failed, so no login can have happened there. */
  g_assert_false (log_has_login (require_env ("MS_TEST_USER"), host));
}

static gboolean
inbox_has_subject (const char *subject)
{
  TlsCheck check = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *search = g_strdup_printf ("SEARCH SUBJECT \"%s\"", subject);
  g_autoptr(GPtrArray) select = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) bye = NULL;
  Session session = { 0 };
  gboolean result = FALSE;

  stream = connect_tls (require_env ("MS_TEST_HOST"), require_port ("MS_TEST_IMAPS_PORT"),
                        &check, &error);
  g_assert_no_error (error);
  session_init (&session, g_object_ref (stream));
  greeting = session_read_line (&session);
  imap_login (&session);

  select = imap_command (&session, "a2", "SELECT INBOX");
  g_assert_true (g_str_has_prefix (last_line (select), "a2 OK"));
  found = imap_command (&session, "a3", search);
  g_assert_true (g_str_has_prefix (last_line (found), "a3 OK"));
  for (guint i = 0; i < found->len; i++)
    {
      const char *line = g_ptr_array_index (found, i);

      if (g_str_has_prefix (line, "* SEARCH ") && g_ascii_isdigit (line[9]))
        result = TRUE;
    }

  bye = imap_command (&session, "a4", "LOGOUT");
  session_clear (&session);
  g_clear_object (&check.database);

  return result;
}

/* Reads an SMTP reply (all continuation lines) and checks its code. */
static void
smtp_expect (Session    *session,
             const char *code)
{
  for (;;)
    {
      g_autofree char *line = session_read_line (session);

      if (!g_str_has_prefix (line, code))
        g_error ("SMTP: expected %s, got \"%s\"", code, line);
      if (line[3] != '-')
        return;
    }
}

static void
test_smtp_delivery_to_inbox (void)
{
  const char *user = require_env ("MS_TEST_USER");
  g_autofree char *subject = g_strdup_printf ("harness-imaps-%d-%" G_GINT64_FORMAT,
                                              (int) getpid (), g_get_real_time ());
  g_autofree char *rcpt = g_strdup_printf ("RCPT TO:<%s>\r\n", user);
  g_autofree char *message = NULL;
  Session session = { 0 };
  gint64 deadline;

  session_init (&session, connect_plain (require_env ("MS_TEST_HOST"),
                                         require_port ("MS_TEST_SMTP_PORT")));
  smtp_expect (&session, "220");
  session_send (&session, "EHLO client.test\r\n");
  smtp_expect (&session, "250");
  session_send (&session, "MAIL FROM:<sender@test.example>\r\n");
  smtp_expect (&session, "250");
  session_send (&session, rcpt);
  smtp_expect (&session, "250");
  session_send (&session, "DATA\r\n");
  smtp_expect (&session, "354");
  message = g_strdup_printf ("From: sender@test.example\r\nTo: %s\r\nSubject: %s\r\n\r\n"
                             "Delivered by postfix over LMTP to dovecot.\r\n.\r\n",
                             user, subject);
  session_send (&session, message);
  smtp_expect (&session, "250");
  session_send (&session, "QUIT\r\n");
  smtp_expect (&session, "221");
  session_clear (&session);

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (!inbox_has_subject (subject))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = read_log ("MS_TEST_POSTFIX_LOG");

          g_error ("message %s not in %s's INBOX after %d s; postfix log:\n%s",
                   subject, user, WAIT_SECONDS, log);
        }
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/harness/imaps/login", test_imaps_login);
  g_test_add_func ("/harness/imaps/untrusted-ca", test_untrusted_ca_refused);
  g_test_add_func ("/harness/smtp/delivery-to-inbox", test_smtp_delivery_to_inbox);

  return g_test_run ();
}
