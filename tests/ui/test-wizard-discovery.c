/* test-wizard-discovery.c: the wizard for a domain no provider file knows
 *
 * Run through tests/harness/run-with-mail-servers (real dovecot and
 * postfix) and run-under-xvfb (a real window). The names are answered by
 * the discovery tests' resolver (installed as GLib's default, so no test
 * reaches the real DNS) and the web sources by their real HTTPS/HTTP server
 * on loopback (tests/integration/test-discovery-fixture.c); the wizard is
 * told the harness servers' ports through ms_wizard_set_discovery_func(),
 * as they are not the standard ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "../integration/test-discovery-fixture.h"
#include "ms-discovery-private.h"
#include "wizard-test-util.h"

static const char *web_names[] = {
  "autoconfig.plain.test", "autoconfig.slow.test", "autoconfig.mail.test", NULL
};

typedef struct
{
  guint        timeout_ms;
  gboolean     web;
  MsDiscovery *last;
} Setup;

static void
setup_discovery_cb (MsDiscovery *discovery,
                    gpointer     user_data)
{
  Setup *setup = user_data;
  MsDiscoveryPort ports[] = {
    { MS_PROTOCOL_IMAP, fixture_env_port ("MS_TEST_IMAPS_PORT"), MS_SECURITY_TLS },
    { MS_PROTOCOL_POP3, fixture_env_port ("MS_TEST_POP3S_PORT"), MS_SECURITY_TLS },
    { MS_PROTOCOL_SMTP, fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"), MS_SECURITY_TLS },
    { MS_PROTOCOL_SMTP, fixture_env_port ("MS_TEST_SUBMISSION_PORT"), MS_SECURITY_STARTTLS },
  };

  ms_discovery_set_guess_ports (discovery, ports, G_N_ELEMENTS (ports));
  ms_discovery_set_timeout (discovery, setup->timeout_ms);
  if (setup->web)
    ms_discovery_set_web_ports (discovery, fixture_web_https_port (), fixture_web_http_port ());
  g_set_object (&setup->last, discovery);
}

/* Every step the wizard shows and every progress text, in order: some
 * last too briefly to be caught by polling. */
typedef struct
{
  GArray    *steps;
  GPtrArray *texts;
} Seen;

static void
step_cb (MsWizard   *wizard,
         GParamSpec *pspec,
         Seen       *seen)
{
  MsWizardStep step = ms_wizard_get_step (wizard);

  g_array_append_val (seen->steps, step);
}

static void
description_cb (AdwStatusPage *page,
                GParamSpec    *pspec,
                Seen          *seen)
{
  const char *text = adw_status_page_get_description (page);

  if (text != NULL)
    g_ptr_array_add (seen->texts, g_strdup (text));
}

static gboolean
seen_step (Seen         *seen,
           MsWizardStep  step)
{
  for (guint i = 0; i < seen->steps->len; i++)
    if (g_array_index (seen->steps, MsWizardStep, i) == step)
      return TRUE;

  return FALSE;
}

static gboolean
seen_text (Seen       *seen,
           const char *text)
{
  for (guint i = 0; i < seen->texts->len; i++)
    if (g_str_equal (g_ptr_array_index (seen->texts, i), text))
      return TRUE;

  return FALSE;
}

static void
assert_shows (MsWizard   *wizard,
              const char *text)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (find_by_id (GTK_WIDGET (wizard), "leaflet"));

  if (find_label_containing (adw_leaflet_get_visible_child (leaflet), text) == NULL)
    g_error ("the page “%s” does not show “%s”",
             ms_wizard_step_to_string (ms_wizard_get_step (wizard)), text);
}

static MsDiscoveryAttempt *
find_attempt (MsDiscovery *discovery,
              const char  *name)
{
  g_autoptr(GPtrArray) attempts = ms_discovery_get_attempts (discovery);

  for (guint i = 0; i < attempts->len; i++)
    if (g_str_equal (ms_discovery_attempt_get_name (g_ptr_array_index (attempts, i)), name))
      return g_ptr_array_index (attempts, i);

  g_error ("no attempt “%s”", name);
}

static void
enter_account (WizardFixture *f,
               const char    *address,
               const char    *password)
{
  click (find_visible_by_id (f->wizard, "start_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f->wizard, "address_row", address);
  set_text (f->wizard, "password_row", password);
  click (find_visible_by_id (f->wizard, "continue_button"));
}

static void
set_public_lookup (gboolean use)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

  g_settings_set_boolean (settings, "use-public-provider-database", use);
}

/* An address at a domain nobody lists: the wizard says it is looking, the
 * guesser finds the real servers under a common name, the summary says
 * where they came from, Back returns to the account, Edit Settings opens
 * the form, and the settings then work. The public lookup is turned off
 * and is not asked. */
static void
test_guess (void)
{
  WizardFixture f = { 0 };
  g_autofree char *password = read_test_password ();
  g_autofree char *user = require_env ("MS_TEST_USER");
  Setup setup = { 10000, FALSE, NULL };
  Seen seen = { g_array_new (FALSE, FALSE, sizeof (MsWizardStep)), g_ptr_array_new_with_free_func (g_free) };
  GtkLabel *public_label;
  GtkWidget *lookup_page;

  fixture_resolver_reset ();
  fixture_resolver_add_host ("mail.test", "127.0.0.1");
  use_test_ca ();
  set_public_lookup (TRUE);
  wizard_fixture_open (&f, 480, 720);

  /* The welcome page names the third party, and says when it is off. */
  public_label = GTK_LABEL (find_visible_by_id (f.wizard, "public_lookup_label"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (public_label)));
  g_assert_nonnull (strstr (gtk_label_get_label (public_label), "third party"));
  g_assert_nonnull (strstr (gtk_label_get_label (public_label), "after the @"));
  set_public_lookup (FALSE);
  g_assert_nonnull (strstr (gtk_label_get_label (public_label), "turned off"));

  ms_wizard_set_discovery_func (f.wizard, setup_discovery_cb, &setup);
  g_signal_connect (f.wizard, "notify::step", G_CALLBACK (step_cb), &seen);
  lookup_page = find_by_id (GTK_WIDGET (f.wizard), "lookup_page");
  g_signal_connect (lookup_page, "notify::description", G_CALLBACK (description_cb), &seen);

  enter_account (&f, "alice@mail.test", password);
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 30);
  g_assert_false (ms_wizard_get_busy (f.wizard));

  g_assert_true (seen_step (&seen, MS_WIZARD_STEP_LOOKUP));
  g_assert_true (seen_text (&seen, "Trying common server names…"));
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (setup.last, "public-database")), ==,
                   MS_DISCOVERY_STATE_SKIPPED);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (setup.last, "guess")), ==,
                   MS_DISCOVERY_STATE_FOUND);

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "title_label"))),
                   ==, "Settings Found");
  assert_shows (f.wizard, "Trying common server names at mail.test");
  {
    g_autofree char *imap = g_strdup_printf ("mail.test, port %s", g_getenv ("MS_TEST_IMAPS_PORT"));

    assert_shows (f.wizard, imap);
  }
  g_assert_true (gtk_widget_has_focus (find_visible_by_id (f.wizard, "continue_button")));
  screenshot (GTK_WIDGET (f.window), "wizard-settings-found.png");

  /* Back goes to the account, not to the lookup; looking again works. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 30);

  /* The servers are right, the username is not: edit it. */
  click (find_visible_by_id (f.wizard, "edit_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_MANUAL, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "incoming_host_row"))),
                   ==, "mail.test");
  set_text (f.wizard, "incoming_username_row", user);
  set_text (f.wizard, "outgoing_username_row", user);
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  gtk_switch_set_active (GTK_SWITCH (find_visible_by_id (f.wizard, "message_switch")), FALSE);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, 60);
  if (!ms_account_report_works (ms_wizard_get_report (f.wizard)))
    {
      g_autofree char *text = ms_account_report_to_text (ms_wizard_get_report (f.wizard));

      g_error ("the account should work:\n%s", text);
    }

  g_signal_handlers_disconnect_by_data (lookup_page, &seen);
  g_signal_handlers_disconnect_by_data (f.wizard, &seen);
  wizard_fixture_close (&f);
  g_clear_object (&setup.last);
  g_array_unref (seen.steps);
  g_ptr_array_unref (seen.texts);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_message_dialog () == NULL;
}

/* Settings that came over plain HTTP and name a server outside the
 * domain: the summary warns, and no password leaves before the person
 * accepts in a dialog whose default is not to. */
static void
test_confirmation (void)
{
  WizardFixture f = { 0 };
  Setup setup = { 10000, TRUE, NULL };
  g_autofree char *xml = fixture_autoconfig_xml ("plain.test", "plain.test",
                                                 "mail.test", fixture_env_port ("MS_TEST_IMAPS_PORT"),
                                                 "mail.test", fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"));
  AdwMessageDialog *dialog;

  fixture_resolver_reset ();
  fixture_web_reset ();
  fixture_resolver_add_host ("autoconfig.plain.test", "127.0.0.1");
  fixture_resolver_add_host ("mail.test", "127.0.0.1");
  fixture_web_serve ("http://autoconfig.plain.test/mail/config-v1.1.xml", 200, xml, strlen (xml));
  use_test_ca ();
  set_public_lookup (FALSE);
  wizard_fixture_open (&f, 480, 720);
  ms_wizard_set_discovery_func (f.wizard, setup_discovery_cb, &setup);

  enter_account (&f, "alice@plain.test", "secret");
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 30);
  g_assert_cmpstr (ms_discovery_attempt_get_name (find_attempt (setup.last, "autoconfig-http")), ==,
                   "autoconfig-http");
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (setup.last, "autoconfig-http")), ==,
                   MS_DISCOVERY_STATE_FOUND);
  assert_shows (f.wizard, "Check Before You Go On");
  assert_shows (f.wizard, "unencrypted connection");
  assert_shows (f.wizard, "mail.test");

  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_until (dialog_shown, NULL, 5, "the confirmation dialog");
  dialog = find_message_dialog ();
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_SETTINGS);
  g_assert_false (ms_wizard_get_busy (f.wizard));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "use"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "mail.test"));
  screenshot (GTK_WIDGET (dialog), "wizard-confirm-servers.png");

  /* No: nothing happens. The buttons are clicked as a person would. */
  click (find_button_with_label (GTK_WIDGET (dialog), "_Cancel"));
  wait_until (dialog_gone, NULL, 5, "the dialog to close");
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_SETTINGS);
  g_assert_null (ms_wizard_get_report (f.wizard));

  /* Yes: on to testing. */
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_until (dialog_shown, NULL, 5, "the confirmation dialog again");
  click (find_button_with_label (GTK_WIDGET (find_message_dialog ()), "_Use These Servers"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  wait_until (dialog_gone, NULL, 5, "the dialog to close");

  wizard_fixture_close (&f);
  g_clear_object (&setup.last);
}

/* Finding 3: settings found by following the MX record, at a domain that
 * names its own servers over HTTPS and declares the address's domain. The
 * MX record is not authenticated, so the wizard asks before the password
 * goes anywhere, and says why. */
static void
test_mx_confirmation (void)
{
  WizardFixture f = { 0 };
  Setup setup = { 10000, TRUE, NULL };
  g_autofree char *xml = fixture_autoconfig_xml ("mail.test", "mail.test",
                                                 "mail.test", fixture_env_port ("MS_TEST_IMAPS_PORT"),
                                                 "mail.test", fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"));
  g_auto(GStrv) parts = g_strsplit (xml, "<domain>mail.test</domain>", 2);
  g_autofree char *declaring = g_strjoinv ("<domain>mail.test</domain><domain>company.test</domain>", parts);
  AdwMessageDialog *dialog;

  fixture_resolver_reset ();
  fixture_web_reset ();
  fixture_resolver_add_mx ("company.test", 10, "mx.mail.test");
  fixture_resolver_add_host ("autoconfig.mail.test", "127.0.0.1");
  fixture_resolver_add_host ("mail.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.mail.test/mail/config-v1.1.xml", 200, declaring, strlen (declaring));
  use_test_ca ();
  set_public_lookup (FALSE);
  wizard_fixture_open (&f, 480, 720);
  ms_wizard_set_discovery_func (f.wizard, setup_discovery_cb, &setup);

  enter_account (&f, "alice@company.test", "secret");
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 30);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (setup.last, "mx-autoconfig")), ==,
                   MS_DISCOVERY_STATE_FOUND);
  assert_shows (f.wizard, "mail record");
  /* The address never went to the domain only the MX record named. */
  g_assert_cmpstr (g_ptr_array_index (fixture_web_requests ("https://autoconfig.mail.test/mail/config-v1.1.xml"), 0),
                   ==, "");

  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_until (dialog_shown, NULL, 5, "the confirmation dialog");
  dialog = find_message_dialog ();
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_SETTINGS);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "mail record"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "mail.test"));
  screenshot (GTK_WIDGET (dialog), "wizard-confirm-mx.png");

  click (find_button_with_label (GTK_WIDGET (dialog), "_Cancel"));
  wait_until (dialog_gone, NULL, 5, "the dialog to close");
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_SETTINGS);
  g_assert_null (ms_wizard_get_report (f.wizard));

  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_until (dialog_shown, NULL, 5, "the confirmation dialog again");
  click (find_button_with_label (GTK_WIDGET (find_message_dialog ()), "_Use These Servers"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  wait_until (dialog_gone, NULL, 5, "the dialog to close");

  wizard_fixture_close (&f);
  g_clear_object (&setup.last);
}

/* A provider's website that never answers: Cancel on the lookup page
 * stops the lookup at once and returns to the account. */
static void
test_cancel (void)
{
  WizardFixture f = { 0 };
  Setup setup = { 30000, TRUE, NULL };
  g_autofree char *password = read_test_password ();
  gint64 cancelled_at;

  fixture_resolver_reset ();
  fixture_web_reset ();
  fixture_resolver_add_host ("autoconfig.slow.test", "127.0.0.1");
  fixture_web_hang ("https://autoconfig.slow.test/mail/config-v1.1.xml");
  use_test_ca ();
  set_public_lookup (FALSE);
  wizard_fixture_open (&f, 480, 720);
  ms_wizard_set_discovery_func (f.wizard, setup_discovery_cb, &setup);

  enter_account (&f, "alice@slow.test", password);
  wait_for_step (f.wizard, MS_WIZARD_STEP_LOOKUP, 5);
  {
    gint64 until = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_LOOKUP);
  g_assert_true (ms_wizard_get_busy (f.wizard));
  g_assert_true (gtk_widget_has_focus (find_visible_by_id (f.wizard, "lookup_cancel_button")));
  screenshot (GTK_WIDGET (f.window), "wizard-lookup.png");

  cancelled_at = g_get_monotonic_time ();
  click (find_visible_by_id (f.wizard, "lookup_cancel_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 2);
  wait_not_busy (f.wizard, 2);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, G_USEC_PER_SEC);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (setup.last, "autoconfig")), ==,
                   MS_DISCOVERY_STATE_CANCELLED);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "address_row"))),
                   ==, "alice@slow.test");

  wizard_fixture_close (&f);
  g_clear_object (&setup.last);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Proxies from the environment would take loopback traffic elsewhere. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");

  fixture_resolver_install ();
  fixture_web_start (web_names);

  g_test_add_func ("/ui/wizard/discovery/guess", test_guess);
  g_test_add_func ("/ui/wizard/discovery/confirmation", test_confirmation);
  g_test_add_func ("/ui/wizard/discovery/mx-confirmation", test_mx_confirmation);
  g_test_add_func ("/ui/wizard/discovery/cancel", test_cancel);

  return g_test_run ();
}
