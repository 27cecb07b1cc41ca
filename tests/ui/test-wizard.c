/* test-wizard.c: the wizard, driven end to end against real mail servers
 *
 * Run through tests/harness/run-with-mail-servers (real dovecot and
 * postfix), run-with-keyring (a real, unlocked gnome-keyring) and
 * run-under-xvfb (a real window). Each case opens the real application
 * window and drives it the way a person would: typing into the rows and
 * activating the buttons on screen. Screenshots of every page land in
 * MS_BUILD_ROOT/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "ms-certificate-dialog.h"
#include "ms-keyring.h"
#include "ms-wizard-private.h"
#include "wizard-test-util.h"

#define TEST_SECONDS 60

/* Type the account and get to the page after it. */
static void
enter_account (WizardFixture *f,
               const char    *address,
               const char    *password)
{
  click (find_visible_by_id (f->wizard, "start_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_ACCOUNT, 5);

  set_text (f->wizard, "name_row", "Alice Example");
  set_text (f->wizard, "address_row", address);
  set_text (f->wizard, "password_row", password);
}

static void
to_testing (WizardFixture *f,
            gboolean       send_test_message)
{
  click (find_visible_by_id (f->wizard, "continue_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_SETTINGS, 10);
  click (find_visible_by_id (f->wizard, "continue_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_TESTING, 5);

  gtk_switch_set_active (GTK_SWITCH (find_visible_by_id (f->wizard, "message_switch")),
                         send_test_message);
}

static void
run_test (WizardFixture *f)
{
  click (find_visible_by_id (f->wizard, "start_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_RESULT, TEST_SECONDS);
  g_assert_false (ms_wizard_get_busy (f->wizard));
}

static MsCertificateDialog *find_certificate_dialog (void);

static void
note_testing_cb (MsWizard   *wizard,
                 GParamSpec *pspec,
                 gboolean   *seen)
{
  if (ms_wizard_get_step (wizard) == MS_WIZARD_STEP_TESTING)
    *seen = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* A fix starts the test again: the testing step may already be over by
 * the time the click has been handled, so the step's change is watched. */
static void
fix_and_retest (WizardFixture *f,
                GtkWidget     *fix,
                const char    *response)
{
  gboolean seen = FALSE;
  gulong id = g_signal_connect (f->wizard, "notify::step", G_CALLBACK (note_testing_cb), &seen);

  if (fix != NULL)
    click (fix);
  else
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_certificate_dialog ()), response);
  wait_until (flag_set, &seen, 5, "the test to start again");
  g_signal_handler_disconnect (f->wizard, id);
  wait_for_step (f->wizard, MS_WIZARD_STEP_RESULT, TEST_SECONDS);
}

static char *
test_example_provider (void)
{
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *imaps = require_env ("MS_TEST_IMAPS_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *incoming = server_xml ("incomingServer", "imap", host, imaps, "SSL", "%EMAILADDRESS%");
  g_autofree char *outgoing = server_xml ("outgoingServer", "smtp", host, submissions, "SSL", "%EMAILADDRESS%");

  return g_strconcat (incoming, outgoing, NULL);
}

static void
assert_works (WizardFixture *f,
              gboolean       with_message)
{
  MsAccountReport *report = ms_wizard_get_report (f->wizard);

  g_assert_nonnull (report);
  if (!ms_account_report_works (report))
    {
      g_autofree char *text = ms_account_report_to_text (report);

      g_error ("the account should work:\n%s", text);
    }
  if (with_message)
    {
      g_autoptr(JsonNode) json = ms_account_report_to_json (report);
      JsonObject *message = json_object_get_object_member (json_node_get_object (json), "test_message");

      g_assert_nonnull (message);
      g_assert_true (json_object_get_boolean_member (message, "sent"));
      g_assert_true (json_object_get_boolean_member (message, "arrived"));
    }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_visible_by_id (f->wizard, "stack"))),
                   ==, "success");
}

static gboolean
has_file_with_suffix (const char *dir_path,
                      const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      if (g_str_has_suffix (name, suffix))
        return TRUE;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK) &&
          has_file_with_suffix (path, suffix))
        return TRUE;
    }

  return FALSE;
}

static gboolean
pdf_written (gpointer data)
{
  return has_file_with_suffix (g_get_home_dir (), ".pdf");
}

/* Welcome → account → settings → testing with the test message → works
 * → password in the real keyring → a PDF sheet → done → closed. */
static void
test_happy_path (void)
{
  WizardFixture f = { 0 };
  g_autofree char *provider = test_example_provider ();
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autoptr(MsSecret) stored = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *pdf_button;

  write_provider ("test.example", provider);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);
  /* Where the Save dialog would answer (see ms-wizard-private.h). */
  ms_wizard_set_save_folder_for_testing (g_get_home_dir ());
  screenshot (GTK_WIDGET (f.window), "wizard-welcome.png");

  enter_account (&f, user, password);
  g_assert_true (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  screenshot (GTK_WIDGET (f.window), "wizard-account.png");

  to_testing (&f, TRUE);
  screenshot (GTK_WIDGET (f.window), "wizard-testing.png");
  run_test (&f);
  assert_works (&f, TRUE);
  screenshot (GTK_WIDGET (f.window), "wizard-result-success.png");

  click (find_visible_by_id (f.wizard, "success_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SAVE, 5);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_visible_by_id (f.wizard, "keyring_switch"))));
  screenshot (GTK_WIDGET (f.window), "wizard-save.png");
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_EXPORT, 20);

  /* The password is really in the keyring now. */
  stored = ms_keyring_lookup_sync (user, MS_PROTOCOL_IMAP, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (stored), ==, password);
  screenshot (GTK_WIDGET (f.window), "wizard-export.png");

  pdf_button = find_button_with_label (find_visible_by_id (f.wizard, "other_group"), "_Save");
  g_assert_nonnull (pdf_button);
  click (pdf_button);
  wait_until (pdf_written, NULL, 20, "the PDF sheet to be written");

  click (find_visible_by_id (f.wizard, "finish_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_DONE, 5);
  screenshot (GTK_WIDGET (f.window), "wizard-done.png");

  /* Back works from the last page too. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_EXPORT, 5);
  click (find_visible_by_id (f.wizard, "finish_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_DONE, 5);
  g_assert_true (gtk_widget_has_focus (find_visible_by_id (f.wizard, "close_button")));

  /* Close really closes, and nothing is left running. */
  click (find_visible_by_id (f.wizard, "close_button"));
  wait_window_closed (&f, 5);

  wizard_fixture_close (&f);
}

/* Issue 14: the provider file's hint, app-password page and a broken
 * status are on the testing page, before the first login. */
static void
test_before_login (void)
{
  WizardFixture f = { 0 };
  g_autofree char *servers = test_example_provider ();
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *provider = g_strconcat (servers,
    "<ms:appPassword url=\"https://test.example/app-passwords\"/>\n"
    "<ms:loginHint>Turn IMAP on&#x202E; first.</ms:loginHint>\n"
    "<ms:status checked=\"2025-06-01\">broken</ms:status>\n", NULL);
  GtkWidget *hint_row;
  GtkWidget *status_row;
  GtkWidget *link;

  write_provider ("test.example", provider);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);
  enter_account (&f, user, password);
  to_testing (&f, FALSE);

  hint_row = find_visible_by_id (f.wizard, "hint_row");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (hint_row)), ==, "Turn IMAP on first.");
  status_row = find_visible_by_id (f.wizard, "status_row");
  g_assert_true (gtk_widget_get_visible (status_row));
  g_assert_true (gtk_widget_has_css_class (status_row, "warning"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status_row)), "known not to work"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status_row)), "2025-06-01"));
  link = find_visible_by_id (f.wizard, "app_password_button");
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), ==, "https://test.example/app-passwords");
  screenshot (GTK_WIDGET (f.window), "wizard-testing-before-login.png");

  wizard_fixture_close (&f);
}

/* The testing page for a provider file with @fields added. */
static void
open_testing_with (WizardFixture *f,
                   const char    *fields)
{
  g_autofree char *servers = test_example_provider ();
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *provider = g_strconcat (servers, fields, NULL);

  write_provider ("test.example", provider);
  use_test_ca ();
  wizard_fixture_open (f, 480, 720);
  enter_account (f, user, password);
  to_testing (f, FALSE);
}

/* Issue 14: "needs preparation" is said before the first login too, with
 * its date: the login would fail until the person has done it. A note,
 * not a warning: nothing is wrong with the settings. */
static void
test_before_login_preparation (void)
{
  WizardFixture f = { 0 };
  GtkWidget *status_row;
  const char *title;

  open_testing_with (&f, "<ms:status checked=\"2024-02-29\">needs-preparation</ms:status>\n");

  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "before_login_group")));
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "hint_row")));
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "app_password_button")));
  status_row = find_visible_by_id (f.wizard, "status_row");
  g_assert_true (gtk_widget_get_visible (status_row));
  g_assert_false (gtk_widget_has_css_class (status_row, "warning"));
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status_row));
  g_assert_nonnull (strstr (title, "needs something done on its website"));
  g_assert_nonnull (strstr (title, "(Last checked 2024-02-29.)"));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (find_visible_by_id (f.wizard, "status_icon"))), ==,
                   "dialog-information-symbolic");
  screenshot (GTK_WIDGET (f.window), "wizard-testing-needs-preparation.png");

  wizard_fixture_close (&f);
}

/* "working" and no status at all ask for nothing: nothing is shown. */
static void
test_before_login_working (void)
{
  const char *statuses[] = {
    "<ms:status checked=\"2025-06-01\">working</ms:status>\n",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      WizardFixture f = { 0 };

      open_testing_with (&f, statuses[i]);
      g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "status_row")));
      g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "before_login_group")));
      wizard_fixture_close (&f);
    }
}

/* A wrong password: the diagnosis says so and offers to type it again;
 * Back keeps everything else; the right one then works. */
static void
test_wrong_password (void)
{
  WizardFixture f = { 0 };
  g_autofree char *provider = test_example_provider ();
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  GtkWidget *again;

  write_provider ("test.example", provider);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);

  enter_account (&f, user, "not-the-password");
  to_testing (&f, FALSE);
  run_test (&f);

  g_assert_false (ms_account_report_works (ms_wizard_get_report (f.wizard)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_visible_by_id (f.wizard, "stack"))),
                   ==, "failure");
  g_assert_nonnull (find_visible_by_id (f.wizard, "diagnoses_list"));
  g_assert_nonnull (gtk_widget_get_first_child (find_visible_by_id (f.wizard, "diagnoses_list")));
  screenshot (GTK_WIDGET (f.window), "wizard-result-failure.png");

  /* Copy details: the report, without the password. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.copy-details", NULL);
  {
    g_autofree char *text = ms_account_report_to_text (ms_wizard_get_report (f.wizard));

    g_assert_null (strstr (text, "not-the-password"));
    g_assert_nonnull (strstr (text, "auth-failed"));
  }

  again = find_button_with_label (find_visible_by_id (f.wizard, "diagnoses_list"), "_Enter the Password Again");
  g_assert_nonnull (again);
  click (again);
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "address_row"))),
                   ==, user);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "name_row"))),
                   ==, "Alice Example");

  set_text (f.wizard, "password_row", password);
  to_testing (&f, FALSE);
  run_test (&f);
  assert_works (&f, FALSE);

  wizard_fixture_close (&f);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The provider file lists a sending port where nothing listens; the one
 * that works is offered as "Try Port N", and pressing it fixes it. */
static void
test_port_fix (void)
{
  WizardFixture f = { 0 };
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *imaps = require_env ("MS_TEST_IMAPS_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *closed = g_strdup_printf ("%u", free_port ());
  g_autofree char *incoming = server_xml ("incomingServer", "imap", host, imaps, "SSL", user);
  g_autofree char *outgoing = server_xml ("outgoingServer", "smtp", host, closed, "SSL", user);
  g_autofree char *alternate = server_xml ("outgoingServer", "smtp", host, submissions, "SSL", user);
  g_autofree char *body = NULL;
  g_autofree char *label = g_strdup_printf ("Try Port %s", submissions);
  GtkWidget *fix;

  body = g_strdup_printf ("%s%s<ms:profile id=\"standard\" recommended=\"true\"><ms:name>Standard</ms:name>%s%s"
                          "<ms:alternates>%s</ms:alternates></ms:profile>\n",
                          incoming, outgoing, incoming, outgoing, alternate);
  write_provider ("ports.example", body);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);

  enter_account (&f, "alice@ports.example", password);
  to_testing (&f, FALSE);
  run_test (&f);
  g_assert_false (ms_account_report_works (ms_wizard_get_report (f.wizard)));

  fix = find_button_with_label (find_visible_by_id (f.wizard, "diagnoses_list"), label);
  if (fix == NULL)
    {
      g_autofree char *text = ms_account_report_to_text (ms_wizard_get_report (f.wizard));

      g_error ("no “%s” button; the report:\n%s", label, text);
    }
  screenshot (GTK_WIDGET (f.window), "wizard-result-port.png");
  fix_and_retest (&f, fix, NULL);
  assert_works (&f, FALSE);
  g_assert_cmpint (ms_account_report_get_outgoing (ms_wizard_get_report (f.wizard))->server->port,
                   ==, atoi (submissions));

  wizard_fixture_close (&f);
}

static MsCertificateDialog *
find_certificate_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MS_IS_CERTIFICATE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return MS_CERTIFICATE_DIALOG (window);
    }

  return NULL;
}

static gboolean
certificate_dialog_shown (gpointer data)
{
  return find_certificate_dialog () != NULL;
}

/* A server whose certificate no trusted authority issued: the dialog
 * shows it, does not trust by default, and trusting it pins it and the
 * test passes. */
static void
test_untrusted_certificate (void)
{
  WizardFixture f = { 0 };
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *untrusted_host = require_env ("MS_TEST_UNTRUSTED_HOST");
  g_autofree char *untrusted_port = require_env ("MS_TEST_UNTRUSTED_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *incoming = server_xml ("incomingServer", "imap", untrusted_host, untrusted_port, "SSL", user);
  g_autofree char *outgoing = server_xml ("outgoingServer", "smtp", host, submissions, "SSL", user);
  g_autofree char *body = g_strconcat (incoming, outgoing, NULL);
  g_autofree char *trust_file = NULL;
  MsCertificateDialog *dialog;
  GtkWidget *check;

  write_provider ("untrusted.example", body);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);

  enter_account (&f, "alice@untrusted.example", password);
  to_testing (&f, FALSE);
  run_test (&f);
  g_assert_false (ms_account_report_works (ms_wizard_get_report (f.wizard)));

  check = find_button_with_label (find_visible_by_id (f.wizard, "diagnoses_list"), "Check the Certificate");
  g_assert_nonnull (check);
  click (check);
  wait_until (certificate_dialog_shown, NULL, 10, "the certificate dialog");
  dialog = find_certificate_dialog ();

  /* Enter and Escape both leave it untrusted. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               MS_CERTIFICATE_DIALOG_RESPONSE_TRUST),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (ms_certificate_info_get_host (ms_certificate_dialog_get_info (dialog)), ==, untrusted_host);
  g_assert_nonnull (ms_certificate_info_get_sha256 (ms_certificate_dialog_get_info (dialog)));
  screenshot (GTK_WIDGET (dialog), "wizard-certificate.png");

  fix_and_retest (&f, NULL, MS_CERTIFICATE_DIALOG_RESPONSE_TRUST);
  assert_works (&f, FALSE);
  g_assert_true (ms_account_report_get_incoming (ms_wizard_get_report (f.wizard))->certificate_pinned);

  /* Pinned in the person's trust store, for this host and port only. */
  trust_file = g_build_filename (g_get_user_config_dir (), "mail-setup", "trusted-certificates.ini", NULL);
  g_assert_true (g_file_test (trust_file, G_FILE_TEST_EXISTS));

  wizard_fixture_close (&f);
}

static guint
count_sockets (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        count++;
    }

  return count;
}

typedef struct
{
  guint baseline;
} SocketWait;

static gboolean
sockets_back_to (gpointer data)
{
  return count_sockets () <= ((SocketWait *) data)->baseline;
}

static gboolean
some_row_running (gpointer data)
{
  return ms_wizard_get_busy (data);
}

/* Cancel while the servers are still answering (a delay proxy in front
 * of the real dovecot makes each step slow): everything stops at once,
 * every connection is closed, and the page can start again. */
static void
test_cancel (void)
{
  WizardFixture f = { 0 };
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *imaps = require_env ("MS_TEST_IMAPS_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *source_root = require_env ("MS_SOURCE_ROOT");
  g_autofree char *proxy_path = g_build_filename (source_root, "tests", "harness", "delay-proxy.py", NULL);
  g_autofree char *target = g_strdup_printf ("%s:%s", host, imaps);
  g_autoptr(GSubprocess) proxy = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *incoming = NULL;
  g_autofree char *outgoing = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  SocketWait wait;
  gint64 cancelled_at;

  proxy = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            "python3", proxy_path, "--target", target, "--delay-ms", "1500",
                            "--timeout", "120", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proxy));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "PORT "));

  incoming = server_xml ("incomingServer", "imap", host, line + 5, "SSL", user);
  outgoing = server_xml ("outgoingServer", "smtp", host, submissions, "SSL", user);
  body = g_strconcat (incoming, outgoing, NULL);
  write_provider ("slow.example", body);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);

  enter_account (&f, "alice@slow.example", password);
  to_testing (&f, FALSE);
  wait.baseline = count_sockets ();

  click (find_visible_by_id (f.wizard, "start_button"));
  wait_until (some_row_running, f.wizard, 5, "the test to start");
  {
    gint64 until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_true (ms_wizard_get_busy (f.wizard));
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "cancel_button")));
  screenshot (GTK_WIDGET (f.window), "wizard-testing-running.png");

  cancelled_at = g_get_monotonic_time ();
  click (find_visible_by_id (f.wizard, "cancel_button"));
  wait_not_busy (f.wizard, 2);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, G_USEC_PER_SEC);
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_TESTING);
  g_assert_null (ms_wizard_get_report (f.wizard));
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "start_button")));
  wait_until (sockets_back_to, &wait, 3, "every connection to be closed");

  /* Going back while a test runs cancels it too. */
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_until (some_row_running, f.wizard, 5, "the second test to start");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 2);
  wait_not_busy (f.wizard, 2);
  wait_until (sockets_back_to, &wait, 3, "every connection to be closed after Back");

  /* Closing the window in the middle of a test stops everything too. */
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_until (some_row_running, f.wizard, 5, "the third test to start");
  gtk_window_close (GTK_WINDOW (f.window));
  wait_window_closed (&f, 2);
  wait_until (sockets_back_to, &wait, 3, "every connection to be closed with the window");

  wizard_fixture_close (&f);
  g_subprocess_force_exit (proxy);
  g_subprocess_wait (proxy, NULL, NULL);
}

/* Charter: a bare username is completed and the person told; the two
 * profiles in plain words, Mobile preselected; Edit Settings; Back keeps
 * what was typed. No network: nothing is tested here. At phone size. */
static void
test_charter_pages (void)
{
  WizardFixture f = { 0 };
  GtkWidget *hint;

  wizard_fixture_open (&f, 360, 640);
  screenshot (GTK_WIDGET (f.window), "wizard-welcome-narrow.png");
  enter_account (&f, "jsmith", "secret");

  hint = find_visible_by_id (f.wizard, "address_hint");
  g_assert_true (gtk_widget_get_visible (hint));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (hint)), "jsmith@charter.net"));
  screenshot (GTK_WIDGET (f.window), "wizard-account-narrow.png");

  set_text (f.wizard, "address_row", "jsmith@charter");
  g_assert_true (gtk_widget_has_css_class (hint, "error"));
  g_assert_false (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  set_text (f.wizard, "address_row", "jsmith");

  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "title_label"))),
                   ==, "How Will You Use This Computer?");
  screenshot (GTK_WIDGET (f.window), "wizard-settings-charter.png");

  click (find_visible_by_id (f.wizard, "edit_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_MANUAL, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "incoming_host_row"))),
                   ==, "mobile.charter.net");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "incoming_username_row"))),
                   ==, "jsmith@charter.net");
  screenshot (GTK_WIDGET (f.window), "wizard-manual.png");

  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 5);
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "address_row"))),
                   ==, "jsmith");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "password_row"))),
                   ==, "secret");

  wizard_fixture_close (&f);
}

static gboolean
saved_toast_shown (gpointer data)
{
  GtkLabel *label = find_label_containing (data, "Saved as ");

  return label != NULL && g_str_has_prefix (gtk_label_get_text (label), "Saved as ");
}

/* Finish pressed while an export runs: leaving the step cancelled it,
 * so its button stayed disabled, the thread may still have written the
 * file, and no toast said so; and the wizard did not count it as busy.
 * Now the export ends as it would have, on whatever page is shown. */
static void
test_export_leaving_step (void)
{
  WizardFixture f = { 0 };
  g_autofree char *provider = test_example_provider ();
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  GtkWidget *button;

  write_provider ("test.example", provider);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);
  ms_wizard_set_save_folder_for_testing (g_get_home_dir ());
  enter_account (&f, user, password);
  to_testing (&f, FALSE);
  run_test (&f);
  assert_works (&f, FALSE);
  click (find_visible_by_id (f.wizard, "success_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SAVE, 5);
  /* No keyring toast to queue the export's behind. */
  gtk_switch_set_active (GTK_SWITCH (find_visible_by_id (f.wizard, "keyring_switch")), FALSE);
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_EXPORT, 5);

  button = find_button_with_label (find_visible_by_id (f.wizard, "phone_group"), "_Save");
  g_assert_nonnull (button);
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL),
                   ==, "mobileconfig");
  g_assert_false (has_file_with_suffix (g_get_home_dir (), ".mobileconfig"));

  /* The export and Finish with no main loop turn in between: the
   * export cannot have ended before the step is left. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.export", "s", "mobileconfig");
  g_assert_true (ms_wizard_get_busy (f.wizard));
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.next", NULL);
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_DONE);

  wait_not_busy (f.wizard, 20);
  g_assert_true (has_file_with_suffix (g_get_home_dir (), ".mobileconfig"));
  wait_until (saved_toast_shown, f.wizard, 5, "the toast that says where the file is");

  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_EXPORT, 5);
  g_assert_true (gtk_widget_get_sensitive (button));

  wizard_fixture_close (&f);
}

/* ms_wizard_cancel() (the window closing) stops the start-up work too:
 * the certificates and provider files are not read afterwards. The
 * wizard says it is busy from the start, until they are read. */
static void
test_cancel_start_up (void)
{
  WizardFixture f = { 0 };

  wizard_fixture_start (&f, 480, 720);
  g_assert_true (ms_wizard_get_busy (f.wizard));
  ms_wizard_cancel (f.wizard);
  g_assert_false (ms_wizard_get_busy (f.wizard));

  /* The first frame is when the reading used to start. */
  wait_painted (GTK_WIDGET (f.window));
  g_assert_false (ms_wizard_get_busy (f.wizard));

  /* Nothing read: a provider-file domain waits for the files. */
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f.wizard, "address_row", "jsmith");
  set_text (f.wizard, "password_row", "secret");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.next", NULL);
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_ACCOUNT);
  g_assert_false (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  g_assert_false (ms_wizard_get_busy (f.wizard));

  wizard_fixture_close (&f);
}

/* Without the cancel the start-up work is busy until it is done. */
static void
test_busy_at_start_up (void)
{
  WizardFixture f = { 0 };

  wizard_fixture_start (&f, 480, 720);
  g_assert_true (ms_wizard_get_busy (f.wizard));
  wait_not_busy (f.wizard, 20);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f.wizard, "address_row", "jsmith");
  set_text (f.wizard, "password_row", "secret");
  click (find_visible_by_id (f.wizard, "continue_button"));
  /* The files are read: no waiting for them. */
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_SETTINGS);

  wizard_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/wizard/charter-pages", test_charter_pages);
  g_test_add_func ("/ui/wizard/happy-path", test_happy_path);
  g_test_add_func ("/ui/wizard/wrong-password", test_wrong_password);
  g_test_add_func ("/ui/wizard/before-login", test_before_login);
  g_test_add_func ("/ui/wizard/before-login/needs-preparation", test_before_login_preparation);
  g_test_add_func ("/ui/wizard/before-login/working", test_before_login_working);
  g_test_add_func ("/ui/wizard/port-fix", test_port_fix);
  g_test_add_func ("/ui/wizard/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/ui/wizard/cancel", test_cancel);
  g_test_add_func ("/ui/wizard/export-leaving-step", test_export_leaving_step);
  g_test_add_func ("/ui/wizard/cancel-start-up", test_cancel_start_up);
  g_test_add_func ("/ui/wizard/busy-at-start-up", test_busy_at_start_up);

  return g_test_run ();
}
