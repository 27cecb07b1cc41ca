/* test-setup-session.c: one MsSetupSession end to end, without GTK, against real servers
 *
 * The pipeline the wizard and the command line share: a provider-file
 * domain, a discovered one that needs the trust confirmation (refused
 * without it: no login reaches dovecot), a wrong password (one failed
 * login), a test cancelled half-way (every object freed), then the
 * settings saved, the password in the (real) keyring and one export.
 * The servers are the harness's dovecot and postfix
 * (run-with-mail-servers), the keyring gnome-keyring (run-with-keyring),
 * discovery's web server the real SoupServer of test-discovery-fixture.c
 * and its DNS answers that fixture's resolver.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ms-discovery-private.h"
#include "ms-enum-types.h"
#include "ms-keyring.h"
#include "ms-setup-session.h"
#include "test-discovery-fixture.h"
#include "test-session-fixture.h"

#define TIMEOUT_MS 5000
#define WAIT_SECONDS 10

static const char *web_names[] = { "autoconfig.test.example", "ispdb.test", NULL };

static char *provider_dir;

/* ---- helpers --------------------------------------------------------- */

static MsSecret *
read_password (const char *variable)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (fixture_need_env (variable), &text, NULL, &error);
  g_assert_no_error (error);

  return ms_secret_new (text);
}

/* dovecot's log lines about @user that contain @what. */
static guint
count_log_lines (const char *user,
                 const char *what)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (fixture_need_env ("MS_TEST_DOVECOT_LOG"), &log, NULL, NULL))
    return 0;
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], user) != NULL && strstr (lines[i], what) != NULL)
      n++;

  return n;
}

/* dovecot's log process writes on its own time: wait for the line. */
static void
wait_for_log_lines (const char *user,
                    const char *what,
                    guint       count)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (count_log_lines (user, what) < count)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("no \"%s\" line for %s in %s", what, user, fixture_need_env ("MS_TEST_DOVECOT_LOG"));
      g_usleep (G_USEC_PER_SEC / 20);
    }
}

/* A trust store of its own (no file): the confirmations stay in the test. */
static MsSetupSession *
new_session (const char *address_text,
             gboolean    with_provider_file)
{
  g_autoptr(MsTrustStore) trust_store = ms_trust_store_new (NULL);
  MsSetupSession *session = fixture_session_new (address_text,
                                                 with_provider_file ? provider_dir : NULL,
                                                 TIMEOUT_MS);

  ms_setup_session_set_trust_store (session, trust_store);

  return session;
}

static MsAccountReport *
run_test (MsSetupSession  *session,
          MsSecret        *password,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  MsAccountTest *test;

  ms_setup_session_set_profile (session,
                                ms_provider_get_recommended_profile (ms_setup_session_get_provider (session)),
                                FALSE);
  test = ms_setup_session_prepare_test (session, password);
  ms_account_test_set_probe_alternates (test, FALSE);
  ms_setup_session_test_async (session, NULL, fixture_store_result_cb, &result);
  fixture_wait_for (&result);

  return ms_setup_session_test_finish (session, result, error);
}

static void
state_cb (MsSetupSession *session,
          GParamSpec     *pspec,
          GArray         *states)
{
  MsSetupSessionState state = ms_setup_session_get_state (session);

  g_array_append_val (states, state);
}

/* The discovered case: test.example's own autoconfig names mail.test, a
 * host outside the address's domain, so a password needs the yes. */
static void
serve_foreign_autoconfig (void)
{
  g_autofree char *xml = fixture_autoconfig_xml ("test.example", "test.example", "mail.test",
                                                 fixture_env_port ("MS_TEST_IMAPS_PORT"), "mail.test",
                                                 fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"));

  fixture_resolver_reset ();
  fixture_web_reset ();
  fixture_resolver_add_host ("autoconfig.test.example", "127.0.0.1");
  fixture_resolver_add_host ("ispdb.test", "127.0.0.1");
  fixture_resolver_add_host ("mail.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.test.example/mail/config-v1.1.xml", 200, xml, strlen (xml));
}

/* ---- the tests ------------------------------------------------------- */

/* A provider file knows the domain: no discovery, no confirmation, the
 * account works, the report says where the settings came from. */
static void
test_provider_file (void)
{
  g_autoptr(MsSetupSession) session = new_session (fixture_need_env ("MS_TEST_USER"), TRUE);
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;

  provider = fixture_session_lookup (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_provider_get_id (provider), ==, "test.example");
  g_assert_null (ms_setup_session_get_discovery (session));
  g_assert_null (ms_setup_session_get_attempt (session));
  g_assert_false (ms_setup_session_needs_confirmation (session));
  g_assert_cmpint (ms_setup_session_get_state (session), ==, MS_SETUP_SESSION_STATE_FOUND);

  report = run_test (session, password, &error);
  g_assert_no_error (error);
  g_assert_true (ms_account_report_works (report));
  g_assert_cmpstr (ms_account_report_get_source (report), ==, "provider-file");
  g_assert_true (ms_setup_session_get_report (session) == report);
  g_assert_cmpint (ms_setup_session_get_state (session), ==, MS_SETUP_SESSION_STATE_TESTED);
}

/* Discovered settings with a concern: refused without the confirmation
 * (the account test's last wall; nothing reaches dovecot), tested after
 * it. The one login dovecot sees after both is the confirmed test's. */
static void
test_discovered_needs_confirmation (void)
{
  g_autoptr(MsSetupSession) session = new_session (fixture_need_env ("MS_TEST_USER"), FALSE);
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(MsAccountReport) refused = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *concerns = NULL;
  const char *user = fixture_need_env ("MS_TEST_USER");
  guint logins_before = count_log_lines (user, "Login: user=<");

  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (MsSetupSessionState));

  serve_foreign_autoconfig ();
  g_signal_connect (session, "notify::state", G_CALLBACK (state_cb), states);
  provider = fixture_session_lookup (session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
  /* What the wizard binds to: looking, then found. */
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, MsSetupSessionState, 0), ==, MS_SETUP_SESSION_STATE_LOOKING);
  g_assert_cmpint (g_array_index (states, MsSetupSessionState, 1), ==, MS_SETUP_SESSION_STATE_FOUND);
  {
    /* An enum property, so a binding reads the state by its type. */
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (session), "state");
    MsSetupSessionState state = MS_SETUP_SESSION_STATE_NEW;

    g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == MS_TYPE_SETUP_SESSION_STATE);
    g_object_get (session, "state", &state, NULL);
    g_assert_cmpint (state, ==, MS_SETUP_SESSION_STATE_FOUND);
  }
  g_assert_cmpstr (ms_discovery_attempt_get_name (ms_setup_session_get_attempt (session)), ==, "autoconfig");
  g_assert_true (ms_setup_session_needs_confirmation (session));
  concerns = ms_setup_session_dup_concerns (session);
  g_assert_nonnull (concerns);
  g_assert_nonnull (strstr (concerns, "mail.test"));
  g_assert_false (ms_setup_session_check_password (session, &error));
  g_assert_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION);
  g_clear_error (&error);

  refused = run_test (session, password, &error);
  g_assert_null (refused);
  g_assert_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION);
  g_clear_error (&error);

  ms_setup_session_confirm (session);
  g_assert_false (ms_setup_session_needs_confirmation (session));
  report = run_test (session, password, &error);
  g_assert_no_error (error);
  g_assert_true (ms_account_report_works (report));
  g_assert_cmpstr (ms_account_report_get_source (report), ==, "autoconfig");

  wait_for_log_lines (user, "Login: user=<", logins_before + 1);
  g_assert_cmpuint (count_log_lines (user, "Login: user=<"), ==, logins_before + 1);
}

/* A wrong password: the report says the account does not work, and
 * dovecot saw exactly one failed IMAP login (no retries). */
static void
test_wrong_password (void)
{
  g_autoptr(MsSetupSession) session = new_session (fixture_need_env ("MS_TEST_USER"), TRUE);
  g_autoptr(MsSecret) password = ms_secret_new ("not-the-password");
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *user = fixture_need_env ("MS_TEST_USER");
  guint failed_before = count_log_lines (user, "auth failed");

  provider = fixture_session_lookup (session, &error);
  g_assert_no_error (error);
  report = run_test (session, password, &error);
  g_assert_no_error (error);
  g_assert_false (ms_account_report_works (report));

  wait_for_log_lines (user, "auth failed", failed_before + 1);
  g_assert_cmpuint (count_log_lines (user, "auth failed"), ==, failed_before + 1);
}

static void
cancel_on_first_server_cb (MsAccountTest *test,
                           MsProbeResult *result,
                           gboolean       alternate,
                           gpointer       user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Cancelled when the first server has answered, with the others still
 * running: the test ends as cancelled and every object is freed. */
static void
test_cancel_mid_test (void)
{
  MsSetupSession *session = new_session (fixture_need_env ("MS_TEST_USER"), TRUE);
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MsAccountTest *test;
  gint64 deadline;

  g_assert_nonnull (ms_setup_session_find_provider (session));
  ms_setup_session_set_profile (session,
                                ms_provider_get_recommended_profile (ms_setup_session_get_provider (session)),
                                FALSE);
  test = ms_setup_session_prepare_test (session, password);
  g_signal_connect (test, "server-finished", G_CALLBACK (cancel_on_first_server_cb), cancellable);
  g_object_add_weak_pointer (G_OBJECT (test), (gpointer *) &test);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);

  ms_setup_session_test_async (session, cancellable, fixture_store_result_cb, &result);
  fixture_wait_for (&result);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  report = ms_setup_session_test_finish (session, result, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (ms_setup_session_get_report (session));

  g_clear_object (&result);
  g_object_unref (session);
  /* The probes still running let go of the test as they see the cancel. */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while ((session != NULL || test != NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (session);
  g_assert_null (test);
}

/* What the passing test proved: the settings saved where `export` finds
 * them, the password in the real keyring, one export written. */
static void
test_save_and_export (void)
{
  g_autoptr(MsSetupSession) session = new_session (fixture_need_env ("MS_TEST_USER"), TRUE);
  g_autoptr(MsSecret) password = read_password ("MS_TEST_PASSWORD_FILE");
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(MsAccountSettings) loaded = NULL;
  g_autoptr(MsSecret) kept = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) exported = NULL;
  g_autoptr(MsExportResult) export_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setup-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "msmtprc", NULL);
  g_autofree char *written = NULL;
  const char *user = fixture_need_env ("MS_TEST_USER");
  MsAccountSettings *settings;

  provider = fixture_session_lookup (session, &error);
  g_assert_no_error (error);
  report = run_test (session, password, &error);
  g_assert_no_error (error);
  g_assert_true (ms_account_report_works (report));

  settings = ms_setup_session_build_settings (session, "Alice Example", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ms_setup_session_get_settings (session) == settings);
  g_assert_true (ms_setup_session_save_settings (session, &error));
  g_assert_no_error (error);
  loaded = ms_account_settings_load (user, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->address, ==, user);
  g_assert_cmpuint (loaded->incoming->port, ==, fixture_env_port ("MS_TEST_IMAPS_PORT"));

  ms_setup_session_store_password_async (session, NULL, fixture_store_result_cb, &stored);
  fixture_wait_for (&stored);
  g_assert_true (ms_setup_session_store_password_finish (session, stored, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ms_setup_session_get_state (session), ==, MS_SETUP_SESSION_STATE_SAVED);
  kept = ms_keyring_lookup_sync (user, MS_PROTOCOL_IMAP, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (kept), ==, ms_secret_get_text (password));

  ms_setup_session_export_async (session, ms_exporter_find ("msmtp"), MS_EXPORT_FLAGS_NONE, path,
                                 NULL, fixture_store_result_cb, &exported);
  fixture_wait_for (&exported);
  export_result = ms_setup_session_export_finish (session, exported, &error);
  g_assert_no_error (error);
  g_assert_nonnull (export_result);
  g_assert_true (g_file_get_contents (path, &written, NULL, &error));
  g_assert_nonnull (strstr (written, user));
  g_assert_null (strstr (written, ms_secret_get_text (password)));

  g_unlink (path);
  for (guint i = 0; i < export_result->backups->len; i++)
    g_unlink (g_ptr_array_index (export_result->backups, i));
  g_rmdir (dir);
}

static void
write_provider_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = fixture_autoconfig_xml ("test.example", "test.example", fixture_need_env ("MS_TEST_HOST"),
                                                 fixture_env_port ("MS_TEST_IMAPS_PORT"),
                                                 fixture_need_env ("MS_TEST_HOST"),
                                                 fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"));
  g_autofree char *path = NULL;

  provider_dir = g_dir_make_tmp ("setup-session-providers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (provider_dir, "test.example.xml", NULL);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  write_provider_file ();
  fixture_resolver_install ();
  fixture_web_start (web_names);

  g_test_add_func ("/setup-session/provider-file", test_provider_file);
  g_test_add_func ("/setup-session/discovered-needs-confirmation", test_discovered_needs_confirmation);
  g_test_add_func ("/setup-session/wrong-password", test_wrong_password);
  g_test_add_func ("/setup-session/cancel-mid-test", test_cancel_mid_test);
  g_test_add_func ("/setup-session/save-and-export", test_save_and_export);

  status = g_test_run ();

  {
    g_autofree char *path = g_build_filename (provider_dir, "test.example.xml", NULL);

    g_unlink (path);
    g_rmdir (provider_dir);
    g_free (provider_dir);
  }

  return status;
}
