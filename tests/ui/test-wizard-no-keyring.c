/* test-wizard-no-keyring.c: the wizard when no keyring service exists
 *
 * Runs on a real session bus that has no services at all (see
 * no-services-session.conf), as on a system without gnome-keyring, with
 * real mail servers and a real window. The save page must say why the
 * password could not be kept, in plain words, and let the person go on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wizard-test-util.h"

static void
test_no_keyring (void)
{
  WizardFixture f = { 0 };
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *imaps = require_env ("MS_TEST_IMAPS_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");
  g_autofree char *incoming = server_xml ("incomingServer", "imap", host, imaps, "SSL", "%EMAILADDRESS%");
  g_autofree char *outgoing = server_xml ("outgoingServer", "smtp", host, submissions, "SSL", "%EMAILADDRESS%");
  g_autofree char *body = g_strconcat (incoming, outgoing, NULL);
  GtkWidget *problem;
  GtkWidget *button;

  write_provider ("test.example", body);
  use_test_ca ();
  wizard_fixture_open (&f, 480, 720);

  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f.wizard, "address_row", user);
  set_text (f.wizard, "password_row", password);
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  gtk_switch_set_active (GTK_SWITCH (find_visible_by_id (f.wizard, "message_switch")), FALSE);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, 60);
  g_assert_true (ms_account_report_works (ms_wizard_get_report (f.wizard)));
  click (find_visible_by_id (f.wizard, "success_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SAVE, 5);

  button = find_visible_by_id (f.wizard, "continue_button");
  click (button);
  wait_not_busy (f.wizard, 30);

  /* Still here, with the reason and a way on. */
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_SAVE);
  problem = find_visible_by_id (f.wizard, "problem_label");
  g_assert_true (gtk_widget_get_visible (problem));
  g_test_message ("shown: %s", gtk_label_get_label (GTK_LABEL (problem)));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (problem)), "no keyring"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (problem)), "You can go on without it"));
  /* Plain words: no D-Bus names. */
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (problem)), "freedesktop"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find_visible_by_id (f.wizard, "keyring_switch"))));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Continue Without Saving");
  g_assert_true (gtk_widget_has_focus (button));
  screenshot (GTK_WIDGET (f.window), "wizard-save-no-keyring.png");

  click (button);
  wait_for_step (f.wizard, MS_WIZARD_STEP_EXPORT, 5);

  wizard_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/wizard/no-keyring", test_no_keyring);

  return g_test_run ();
}
