/* test-wizard-repair.c: the wizard's repair path, driven end to end
 *
 * "Fix Mail That Stopped Working" on the welcome page, over a made-up
 * home (run-with-keyring's private HOME and XDG folders) holding the
 * broken Charter account a mail program wrote, pointed at the real
 * dovecot and postfix of run-with-mail-servers by a provider file with
 * Charter's id for test.example (a user's override of charter.net). The
 * list shows the account, its status fills in live as the doctor tests
 * it, the diagnosis names the fault and shows what changes, Repair
 * changes the file (read back by the real msmtp), the summary shows it
 * with the undo command; a running Thunderbird makes the repair refuse.
 * Screenshots of each page land in MS_BUILD_ROOT/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ms-diagnosis-row.h"
#include "ms-repair-account-row.h"
#include "ms-repair-list-page.h"
#include "ms-repair-summary-page.h"
#include "wizard-test-util.h"

#define CHECK_SECONDS 90

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (!g_file_set_contents (path, contents, -1, &error))
    g_error ("cannot write %s: %s", path, error->message);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("cannot read %s: %s", path, error->message);

  return contents;
}

/* Charter as the harness sees it: a provider file with Charter's id (the
 * override a user's own file gives, data/providers/README.md) for
 * test.example, its Mobile profile on the real servers: IMAPS, and SMTP
 * over implicit TLS as Charter's 587 is. */
static void
write_charter_provider (void)
{
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *imaps = require_env ("MS_TEST_IMAPS_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *incoming = server_xml ("incomingServer", "imap", host, imaps, "SSL", "%EMAILADDRESS%");
  g_autofree char *outgoing = server_xml ("outgoingServer", "smtp", host, submissions, "SSL", "%EMAILADDRESS%");
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "mail-setup", "providers", NULL);
  g_autofree char *path = g_build_filename (dir, "charter.net.xml", NULL);
  g_autofree char *xml = NULL;

  xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                         "<clientConfig version=\"1.1\" xmlns:ms=\"https://mailsetup.github.io/ns/profiles/1\">\n"
                         "<emailProvider id=\"charter.net\"><domain>test.example</domain>"
                         "<displayName>Charter Spectrum (test servers)</displayName><ms:usernameIsAddress/>\n"
                         "<ms:profile id=\"mobile\" recommended=\"true\"><ms:name>Mobile</ms:name>\n%s%s</ms:profile>\n"
                         "</emailProvider>\n</clientConfig>\n",
                         incoming, outgoing);
  write_file (path, xml, 0644);
  use_test_ca ();
}

static GtkWidget *
visible_page (MsWizard *wizard)
{
  return adw_leaflet_get_visible_child (ADW_LEAFLET (find_by_id (GTK_WIDGET (wizard), "leaflet")));
}

/* Through the welcome page's second button to the accounts found. */
static MsRepairListPage *
open_repair_list (WizardFixture *f)
{
  wizard_fixture_open (f, 480, 720);
  wait_not_busy (f->wizard, 20);
  click (find_visible_by_id (f->wizard, "fix_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_REPAIR_LIST, 5);
  wait_not_busy (f->wizard, 20);

  return MS_REPAIR_LIST_PAGE (visible_page (f->wizard));
}

static MsRepairAccountRow *
find_row (MsRepairListPage *page,
          MsMailProgram     program,
          const char       *address)
{
  for (guint i = 0; i < ms_repair_list_page_get_n_rows (page); i++)
    {
      MsRepairAccountRow *row = ms_repair_list_page_get_row (page, i);
      MsExistingAccount *account = ms_repair_account_row_get_account (row);

      if (account->program == program && g_strcmp0 (account->address, address) == 0)
        return row;
    }

  g_error ("the list has no %s account for %s", ms_mail_program_to_string (program), address);
}

static void
status_changed_cb (MsRepairAccountRow *row,
                   GParamSpec         *pspec,
                   GPtrArray          *statuses)
{
  const char *status = ms_repair_account_row_get_status (row);

  if (statuses->len == 0 || g_strcmp0 (g_ptr_array_index (statuses, statuses->len - 1), status) != 0)
    g_ptr_array_add (statuses, g_strdup (status));
}

/* Checks every account, and returns what @row said meanwhile. */
static GPtrArray *
check_accounts (WizardFixture      *f,
                MsRepairAccountRow *row)
{
  GPtrArray *statuses = g_ptr_array_new_with_free_func (g_free);
  gulong id = g_signal_connect (row, "notify::subtitle", G_CALLBACK (status_changed_cb), statuses);

  click (find_visible_by_id (f->wizard, "check_button"));
  g_assert_true (ms_wizard_get_busy (f->wizard));
  wait_not_busy (f->wizard, CHECK_SECONDS);
  g_signal_handler_disconnect (row, id);

  for (guint i = 0; i < statuses->len; i++)
    g_test_message ("status: %s", (char *) g_ptr_array_index (statuses, i));

  return statuses;
}

/* The live status named a server being tested before the end. */
static void
assert_filled_in_live (GPtrArray *statuses)
{
  gboolean testing = FALSE;

  for (guint i = 0; i < statuses->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (statuses, i), "Testing 127.0.0.1, port "))
      testing = TRUE;

  g_assert_true (testing);
  g_assert_cmpuint (statuses->len, >=, 3);
}

static MsDiagnosis *
find_finding (MsWizard        *wizard,
              MsDiagnosisCode  code)
{
  GtkWidget *list = find_visible_by_id (wizard, "findings_list");

  g_assert_true (gtk_widget_get_visible (list));
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (MS_IS_DIAGNOSIS_ROW (child) && ms_diagnosis_row_get_diagnosis (MS_DIAGNOSIS_ROW (child))->code == code)
      return ms_diagnosis_row_get_diagnosis (MS_DIAGNOSIS_ROW (child));

  return NULL;
}

/* The row of @title in the changes group, and its "old → new". */
static const char *
find_change (MsWizard   *wizard,
             const char *title)
{
  GtkWidget *group = find_visible_by_id (wizard, "changes_group");
  GtkWidget *found = NULL;
  GPtrArray *stack = g_ptr_array_new ();

  g_test_message ("diagnosis: %s", gtk_label_get_label (GTK_LABEL (find_visible_by_id (wizard, "status_label"))));
  g_assert_true (gtk_widget_get_visible (group));
  g_ptr_array_add (stack, group);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (ADW_IS_ACTION_ROW (widget) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
        found = widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);

  return found != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (found)) : NULL;
}

/* What the real msmtp makes of an account: `msmtp -P`. */
static char *
msmtp_pretend (const char *account)
{
  g_autofree char *argument = g_strdup_printf ("--account=%s", account);
  const char *argv[] = { "msmtp", argument, "-P", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error))
    g_error ("cannot run msmtp: %s", error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("msmtp -P failed: %s", err);

  return out;
}

static void
type_password (MsWizard *wizard)
{
  GtkWidget *group = find_visible_by_id (wizard, "accounts_group");
  g_autofree char *password = read_test_password ();
  GPtrArray *stack = g_ptr_array_new ();
  gboolean typed = FALSE;

  g_ptr_array_add (stack, group);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (ADW_IS_PASSWORD_ENTRY_ROW (widget))
        {
          gtk_editable_set_text (GTK_EDITABLE (widget), password);
          typed = TRUE;
          continue;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);

  /* The program keeps the password where we may not read it. */
  g_assert_true (typed);
}

static const char msmtprc_template[] =
  "# Written by hand, years ago\n"
  "defaults\n"
  "tls_trust_file %s\n"
  "\n"
  "account alice\n"
  "host %s\n"
  "port %s\n"
  "from alice@test.example\n"
  "auth on\n"
  "user alice@test.example\n"
  "passwordeval \"cat ~/.msmtp-alice\"\n"
  "tls on\n"
  "tls_starttls on\n"
  "\n"
  "account bob\n"
  "host %s\n"
  "port %s\n"
  "from bob@test.example\n"
  "auth on\n"
  "user bob@test.example\n"
  "tls on\n"
  "tls_starttls off\n";

/* msmtp set, as Charter's mobile.charter.net:587 often is, to STARTTLS
 * on a port that speaks implicit TLS: sending fails. Alice's password
 * comes from a command Mail Setup never runs: she types it. Bob's account
 * is right and must stay byte for byte. */
static char *
write_broken_msmtprc (void)
{
  g_autofree char *ca = require_env ("MS_TEST_CA_FILE");
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *contents = g_strdup_printf (msmtprc_template, ca, host, submissions, host, submissions);
  char *path = g_build_filename (g_get_home_dir (), ".msmtprc", NULL);
  g_autofree char *password_path = g_build_filename (g_get_home_dir (), ".msmtp-alice", NULL);
  g_autofree char *password = read_test_password ();

  write_file (path, contents, 0600);
  /* For the real msmtp only: Mail Setup runs no such command. */
  write_file (password_path, password, 0600);

  return path;
}

static void
test_repair_msmtp (void)
{
  WizardFixture f = { 0 };
  g_autofree char *path = write_broken_msmtprc ();
  g_autofree char *before = read_file (path);
  g_autofree char *after = NULL;
  g_autofree char *alice = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  MsRepairListPage *page;
  MsRepairAccountRow *row;
  const char *change;

  write_charter_provider ();
  page = open_repair_list (&f);
  row = find_row (page, MS_MAIL_PROGRAM_MSMTP, "alice@test.example");
  g_assert_cmpint (ms_repair_account_row_get_state (row), ==, MS_REPAIR_ACCOUNT_ROW_WAITING);
  type_password (f.wizard);
  screenshot (GTK_WIDGET (f.window), "wizard-repair-found.png");

  statuses = check_accounts (&f, row);
  assert_filled_in_live (statuses);
  g_assert_cmpint (ms_repair_account_row_get_state (row), ==, MS_REPAIR_ACCOUNT_ROW_PROBLEM);
  g_assert_cmpint (ms_repair_account_row_get_state (find_row (page, MS_MAIL_PROGRAM_MSMTP, "bob@test.example")),
                   ==, MS_REPAIR_ACCOUNT_ROW_HEALTHY);
  screenshot (GTK_WIDGET (f.window), "wizard-repair-list.png");

  gtk_widget_activate (GTK_WIDGET (row));
  wait_for_step (f.wizard, MS_WIZARD_STEP_REPAIR_DIAGNOSIS, 5);
  g_assert_nonnull (find_finding (f.wizard, MS_DIAGNOSIS_SECURITY_MISMATCH));
  change = find_change (f.wizard, "Sending mail: encryption");
  g_assert_nonnull (change);
  g_test_message ("change: %s", change);
  screenshot (GTK_WIDGET (f.window), "wizard-repair-diagnosis.png");
  /* Nothing is written before Repair. */
  after = read_file (path);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  click (find_visible_by_id (f.wizard, "repair_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_REPAIR_SUMMARY, 20);
  g_assert_cmpstr (ms_repair_summary_page_get_undo_command (MS_REPAIR_SUMMARY_PAGE (visible_page (f.wizard))), ==, "mail-setup repair alice@test.example --program msmtp --undo");
  screenshot (GTK_WIDGET (f.window), "wizard-repair-summary.png");

  /* The real msmtp reads the repaired account; Bob's is untouched. */
  alice = msmtp_pretend ("alice");
  g_assert_nonnull (strstr (alice, "tls_starttls = off\n"));
  after = read_file (path);
  g_assert_nonnull (strstr (after, strstr (before, "account bob\n")));
  g_assert_cmpstr (after, !=, before);

  /* Back on the list, read again, the repaired account is checked again
   * (with the password typed before), and works. */
  click (find_visible_by_id (f.wizard, "done_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_REPAIR_LIST, 5);
  wait_not_busy (f.wizard, CHECK_SECONDS);
  row = find_row (page, MS_MAIL_PROGRAM_MSMTP, "alice@test.example");
  g_test_message ("status: %s", ms_repair_account_row_get_status (row));
  g_assert_cmpint (ms_repair_account_row_get_state (row), ==, MS_REPAIR_ACCOUNT_ROW_HEALTHY);
  /* Bob's file did not change: his check still stands. */
  g_assert_cmpint (ms_repair_account_row_get_state (find_row (page, MS_MAIL_PROGRAM_MSMTP, "bob@test.example")),
                   ==, MS_REPAIR_ACCOUNT_ROW_HEALTHY);

  wizard_fixture_close (&f);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_free (path);
  path = g_build_filename (g_get_home_dir (), ".msmtp-alice", NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

static const char prefs_template[] =
  "// Mozilla User Preferences\n"
  "\n"
  "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
  "user_pref(\"mail.account.account1.server\", \"server1\");\n"
  "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
  "user_pref(\"mail.accountmanager.defaultaccount\", \"account1\");\n"
  "user_pref(\"mail.identity.id1.fullName\", \"Alice Example\");\n"
  "user_pref(\"mail.identity.id1.smtpServer\", \"smtp1\");\n"
  "user_pref(\"mail.identity.id1.useremail\", \"alice@test.example\");\n"
  "user_pref(\"mail.identity.id1.valid\", true);\n"
  "user_pref(\"mail.server.server1.authMethod\", 3);\n"
  "user_pref(\"mail.server.server1.hostname\", \"%s\");\n"
  "user_pref(\"mail.server.server1.name\", \"alice@test.example\");\n"
  "user_pref(\"mail.server.server1.port\", %s);\n"
  "user_pref(\"mail.server.server1.socketType\", 2);\n"
  "user_pref(\"mail.server.server1.type\", \"imap\");\n"
  "user_pref(\"mail.server.server1.userName\", \"alice@test.example\");\n"
  "user_pref(\"mail.smtp.defaultserver\", \"smtp1\");\n"
  "user_pref(\"mail.smtpserver.smtp1.authMethod\", 3);\n"
  "user_pref(\"mail.smtpserver.smtp1.hostname\", \"%s\");\n"
  "user_pref(\"mail.smtpserver.smtp1.port\", %s);\n"
  "user_pref(\"mail.smtpserver.smtp1.try_ssl\", 3);\n"
  "user_pref(\"mail.smtpserver.smtp1.username\", \"alice@test.example\");\n"
  "user_pref(\"mail.smtpservers\", \"smtp1\");\n";

/* A Thunderbird profile whose IMAP server is set to STARTTLS on the
 * IMAPS port. Returns the profile folder. */
static char *
write_broken_thunderbird (void)
{
  g_autofree char *root = g_build_filename (g_get_home_dir (), ".thunderbird", NULL);
  g_autofree char *ini = g_build_filename (root, "profiles.ini", NULL);
  g_autofree char *prefs = NULL;
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *imaps = require_env ("MS_TEST_IMAPS_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *contents = g_strdup_printf (prefs_template, host, imaps, host, submissions);
  char *profile = g_build_filename (root, "abcd1234.default", NULL);

  write_file (ini,
              "[Profile0]\nName=default\nIsRelative=1\nPath=abcd1234.default\nDefault=1\n\n"
              "[General]\nStartWithLastProfile=1\nVersion=2\n", 0644);
  prefs = g_build_filename (profile, "prefs.js", NULL);
  write_file (prefs, contents, 0600);

  return profile;
}

/* Thunderbird's own lock, as a running Thunderbird leaves it: a symlink
 * to "IP:+PID" of a live process (this one stands in for it: what the
 * backend checks is the lock, which a real Thunderbird test of the
 * backend's owner covers). */
static char *
lock_profile (const char *profile)
{
  g_autofree char *target = g_strdup_printf ("127.0.0.1:+%d", (int) getpid ());
  char *lock = g_build_filename (profile, "lock", NULL);

  g_assert_cmpint (symlink (target, lock), ==, 0);

  return lock;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_assert_cmpint (g_unlink (child), ==, 0);
      }
  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
test_refused_while_running (void)
{
  WizardFixture f = { 0 };
  g_autofree char *profile = write_broken_thunderbird ();
  g_autofree char *prefs = g_build_filename (profile, "prefs.js", NULL);
  g_autofree char *before = read_file (prefs);
  g_autofree char *after = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *root = g_path_get_dirname (profile);
  MsRepairListPage *page;
  MsRepairAccountRow *row;
  GtkWidget *refusal;

  write_charter_provider ();
  page = open_repair_list (&f);
  row = find_row (page, MS_MAIL_PROGRAM_THUNDERBIRD, "alice@test.example");
  type_password (f.wizard);
  g_ptr_array_unref (check_accounts (&f, row));
  g_assert_cmpint (ms_repair_account_row_get_state (row), ==, MS_REPAIR_ACCOUNT_ROW_PROBLEM);

  gtk_widget_activate (GTK_WIDGET (row));
  wait_for_step (f.wizard, MS_WIZARD_STEP_REPAIR_DIAGNOSIS, 5);
  g_assert_nonnull (find_change (f.wizard, "Receiving mail: encryption"));

  /* Thunderbird starts meanwhile: the repair is refused, nothing written. */
  lock = lock_profile (profile);
  click (find_visible_by_id (f.wizard, "repair_button"));
  refusal = find_visible_by_id (f.wizard, "refusal_box");
  wait_not_busy (f.wizard, 20);
  g_assert_true (gtk_widget_get_visible (refusal));
  g_test_message ("refusal: %s", gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "refusal_label"))));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "refusal_label"))),
                            "Thunderbird"));
  g_assert_true (g_str_has_suffix (gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "refusal_label"))),
                                   " Nothing was changed."));
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_REPAIR_DIAGNOSIS);
  after = read_file (prefs);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  screenshot (GTK_WIDGET (f.window), "wizard-repair-refused.png");

  /* Closed: Try Again repairs it. */
  g_assert_cmpint (g_unlink (lock), ==, 0);
  click (find_visible_by_id (f.wizard, "retry_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_REPAIR_SUMMARY, 20);
  after = read_file (prefs);
  g_assert_nonnull (strstr (after, "user_pref(\"mail.server.server1.socketType\", 3);"));

  /* Back goes to the list read again: the account as it is now. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_REPAIR_LIST, 5);
  wait_not_busy (f.wizard, CHECK_SECONDS);
  row = find_row (page, MS_MAIL_PROGRAM_THUNDERBIRD, "alice@test.example");
  g_test_message ("status: %s", ms_repair_account_row_get_status (row));
  g_assert_cmpint (ms_repair_account_row_get_state (row), ==, MS_REPAIR_ACCOUNT_ROW_HEALTHY);

  wizard_fixture_close (&f);
  remove_tree (root);
}

/* A home where no mail program has an account: said so, nothing to test. */
static void
test_nothing_found (void)
{
  WizardFixture f = { 0 };

  open_repair_list (&f);
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "empty_label")));
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "accounts_group")));
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "check_button")));

  /* Back to the welcome page, the other path is still there. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_WELCOME, 5);

  wizard_fixture_close (&f);
}

/* A server that takes the connection and never says a word: the check
 * waits for its greeting until Cancel stops it. (No real server keeps
 * silent; the listener never accepts, the kernel's backlog completes the
 * connection.) The account is back to unchecked, Test Accounts back. */
static void
test_cancel_check (void)
{
  WizardFixture f = { 0 };
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".msmtprc", NULL);
  g_autofree char *contents = NULL;
  MsRepairListPage *page;
  MsRepairAccountRow *row;

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  contents = g_strdup_printf ("account silent\nhost 127.0.0.1\nport %u\nfrom alice@test.example\n"
                              "auth on\nuser alice@test.example\ntls on\ntls_starttls off\n",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  write_file (path, contents, 0600);

  write_charter_provider ();
  page = open_repair_list (&f);
  row = find_row (page, MS_MAIL_PROGRAM_MSMTP, "alice@test.example");
  click (find_visible_by_id (f.wizard, "check_button"));
  g_assert_true (ms_wizard_get_busy (f.wizard));
  g_assert_cmpint (ms_repair_account_row_get_state (row), ==, MS_REPAIR_ACCOUNT_ROW_RUNNING);

  click (find_visible_by_id (f.wizard, "cancel_button"));
  wait_not_busy (f.wizard, 10);
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_REPAIR_LIST);
  g_assert_cmpint (ms_repair_account_row_get_state (row), ==, MS_REPAIR_ACCOUNT_ROW_WAITING);
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "check_button")));
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "cancel_button")));

  wizard_fixture_close (&f);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/wizard/repair/nothing-found", test_nothing_found);
  g_test_add_func ("/ui/wizard/repair/msmtp", test_repair_msmtp);
  g_test_add_func ("/ui/wizard/repair/cancel", test_cancel_check);
  g_test_add_func ("/ui/wizard/repair/refused-while-running", test_refused_while_running);

  return g_test_run ();
}
