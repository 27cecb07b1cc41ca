/* test-wizard-sign-in.c: the wizard signs in with the provider in the browser (issue 14)
 *
 * Run through tests/harness/run-with-mail-servers (real dovecot and
 * postfix, dovecot's oauth2 passdb asking tests/harness/oauth-server.py),
 * run-with-keyring (a real, unlocked gnome-keyring) and run-under-xvfb (a
 * real window). oauth-server.py stands for the provider's authorization
 * server, which no test can reach; the person's browser is
 * tests/harness/test-browser.py, made the default handler of http(s)
 * links through the XDG files GIO reads, which loads the authorization
 * page and answers it as a person would (consent, refusal, or nothing).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "ms-account-settings.h"
#include "ms-keyring.h"
#include "ms-wizard-private.h"
#include "wizard-test-util.h"
#include "../integration/test-oauth-fixture.h"

#define TEST_SECONDS 60
#define APP_PASSWORD_URL "https://test.example/app-passwords"

/* ---- the parts: the provider file, the browser --------------------- */

static char *
oauth_servers (void)
{
  g_autofree char *host = require_env ("MS_TEST_HOST");
  g_autofree char *imaps = require_env ("MS_TEST_IMAPS_PORT");
  g_autofree char *submissions = require_env ("MS_TEST_SUBMISSIONS_PORT");

  /* Both take OAuth2 (dovecot's oauth2 passdb; postfix asks dovecot). */
  return g_strdup_printf ("<incomingServer type=\"imap\"><hostname>%s</hostname><port>%s</port>"
                          "<socketType>SSL</socketType><username>%%EMAILADDRESS%%</username>"
                          "<authentication>OAuth2</authentication></incomingServer>\n"
                          "<outgoingServer type=\"smtp\"><hostname>%s</hostname><port>%s</port>"
                          "<socketType>SSL</socketType><username>%%EMAILADDRESS%%</username>"
                          "<authentication>OAuth2</authentication></outgoingServer>\n",
                          host, imaps, host, submissions);
}

/* A provider file whose <oAuth2> block (beside <emailProvider>, where
 * Thunderbird's files put it) names the loopback authorization server.
 * @issuer: the one to name, which decides whether a client is found. */
static void
write_oauth_provider (const char *domain,
                      const char *display_name,
                      const char *issuer)
{
  g_autofree char *oauth_url = require_env ("MS_TEST_OAUTH_URL");
  g_autofree char *servers = oauth_servers ();
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "mail-setup", "providers", NULL);
  g_autofree char *name = g_strconcat (domain, ".xml", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                         "<clientConfig version=\"1.1\" xmlns:ms=\"https://mailsetup.github.io/ns/profiles/1\">\n"
                         "<emailProvider id=\"%s\"><domain>%s</domain>"
                         "<displayName>%s</displayName>\n%s"
                         "<ms:appPassword url=\"" APP_PASSWORD_URL "\"/>\n"
                         "</emailProvider>\n"
                         "<oAuth2><issuer>%s</issuer><scope>mail</scope>"
                         "<authURL>%s/authorize</authURL><tokenURL>%s/token</tokenURL></oAuth2>\n"
                         "</clientConfig>\n",
                         domain, domain, display_name, servers, issuer, oauth_url, oauth_url);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (!g_file_set_contents (path, xml, -1, &error))
    g_error ("cannot write %s: %s", path, error->message);
}

/* The issuer oauth-server.py answers for: its metadata (RFC 8414) offers
 * the registration (RFC 7591) that gives the sign-in its client, unless
 * told otherwise (set_server_behaviour()). */
static char *
registering_issuer (void)
{
  return require_env ("MS_TEST_OAUTH_URL");
}

/* How oauth-server.py answers from now on: @authorize what the person
 * does on its page (consent, refuse, no-redirect: the page stays open),
 * @metadata what its RFC 8414 metadata offers (normal, no-registration). */
static void
set_server_behaviour (const char *authorize,
                      const char *metadata)
{
  g_autoptr(JsonObject) answer = oauth_fixture_post ("/test/behaviour", "authorize", authorize,
                                                     "metadata", metadata, NULL);
}

/* What test-browser.py does with a page: visit (follow it to Mail
 * Setup's listener, as a person signing in) or closed (nothing). */
static void
set_browser_mode (const char *mode)
{
  g_setenv ("MS_TEST_BROWSER_MODE", mode, TRUE);
}

static const char *
browser_log_path (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (g_get_home_dir (), "test-browser.log", NULL);

  return path;
}

/* How often the browser was given a page since use_test_browser(). */
static guint
browser_runs (void)
{
  g_autofree char *log = NULL;
  guint runs = 0;

  if (!g_file_get_contents (browser_log_path (), &log, NULL, NULL))
    return 0;
  for (const char *line = log; (line = strchr (line, '\n')) != NULL; line++)
    runs++;

  return runs;
}

/* Whether the browser was given @uri in both of its runs. */
static gboolean
browser_log_has_twice (const char *uri)
{
  g_autofree char *log = NULL;
  g_autofree char *quoted = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint found = 0;

  g_assert_true (g_file_get_contents (browser_log_path (), &log, NULL, NULL));
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonArray *argv;

      if (lines[i][0] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      argv = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "argv");
      if (json_array_get_length (argv) == 2 &&
          g_strcmp0 (json_array_get_string_element (argv, 1), uri) == 0)
        found++;
    }

  return found == 2;
}

static gboolean
browser_ran (gpointer data)
{
  return browser_runs () >= GPOINTER_TO_UINT (data);
}

static void
wait_browser_runs (guint runs)
{
  g_autofree char *what = g_strdup_printf ("the browser's run %u", runs);

  wait_until (browser_ran, GUINT_TO_POINTER (runs), 20, what);
}

/* test-browser.py as the default handler of http and https links, in the
 * private XDG dirs run-with-keyring made: what GIO (and GTK's
 * gtk_show_uri()) launch for the sign-in page. */
static void
use_browser_program (const char *program)
{
  g_autofree char *applications = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop_path = g_build_filename (applications, "ms-test-browser.desktop", NULL);
  g_autofree char *mimeapps_path = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *desktop = NULL;
  g_autoptr(GError) error = NULL;

  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                             "Exec=%s %%u\n"
                             "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n", program);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_true (g_file_set_contents (desktop_path, desktop, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (mimeapps_path,
                                      "[Default Applications]\n"
                                      "x-scheme-handler/http=ms-test-browser.desktop\n"
                                      "x-scheme-handler/https=ms-test-browser.desktop\n",
                                      -1, &error));
  g_assert_no_error (error);

  /* One JSON line per run of the browser (never a page's body). */
  g_setenv ("MS_TEST_BROWSER_LOG", browser_log_path (), TRUE);
  g_remove (browser_log_path ());
}

static void
use_test_browser (void)
{
  g_autofree char *source_root = require_env ("MS_SOURCE_ROOT");
  g_autofree char *browser = g_build_filename (source_root, "tests", "harness", "test-browser.py", NULL);
  g_autofree char *program = NULL;

  if (!g_file_test (browser, G_FILE_TEST_IS_REGULAR))
    g_error ("no test browser at %s", browser);

  program = g_strconcat ("python3 ", browser, NULL);
  use_browser_program (program);
}

/* ---- driving the wizard -------------------------------------------- */

/* Whether the keyboard focus is on that widget of the page shown, or in
 * it (an entry row focuses its text). */
static gboolean
focus_within (WizardFixture *f,
              const char    *id)
{
  GtkWidget *widget = find_visible_by_id (f->wizard, id);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
enter_address (WizardFixture *f,
               const char    *address)
{
  click (find_visible_by_id (f->wizard, "start_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  /* The provider files are read: the page knows the provider as the
   * address is typed. */
  wait_not_busy (f->wizard, 20);

  set_text (f->wizard, "name_row", "Alice Example");
  set_text (f->wizard, "address_row", address);
}

/* The account page of an address that signs in: no password asked. */
static void
assert_asks_sign_in (WizardFixture *f,
                     const char    *provider_name)
{
  GtkWidget *label = find_visible_by_id (f->wizard, "sign_in_label");

  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f->wizard, "password_row")));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), provider_name));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_visible_by_id (f->wizard, "continue_button"))),
                   ==, "_Sign In…");
  g_assert_true (gtk_widget_get_sensitive (find_visible_by_id (f->wizard, "continue_button")));
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f->wizard, "app_password_button")));
}

static gboolean
sign_in_waiting (gpointer data)
{
  return ms_wizard_get_sign_in_uri (data) != NULL;
}

static void
sign_in (WizardFixture *f)
{
  click (find_visible_by_id (f->wizard, "continue_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_SIGN_IN, 5);
}

static void
assert_sign_in_problem (WizardFixture *f,
                        const char    *title)
{
  GtkWidget *stack;

  wait_not_busy (f->wizard, TEST_SECONDS);
  g_assert_cmpint (ms_wizard_get_step (f->wizard), ==, MS_WIZARD_STEP_SIGN_IN);
  stack = find_visible_by_id (f->wizard, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "problem");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_visible_by_id (f->wizard, "problem_title"))),
                   ==, title);
}

static void
assert_works_with_token (WizardFixture *f)
{
  MsAccountReport *report = ms_wizard_get_report (f->wizard);
  const char *mechanism;

  g_assert_nonnull (report);
  if (!ms_account_report_works (report))
    {
      g_autofree char *text = ms_account_report_to_text (report);

      g_error ("the account should work:\n%s", text);
    }

  mechanism = ms_account_report_get_incoming (report)->login_mechanism;
  g_assert_true (g_strcmp0 (mechanism, "XOAUTH2") == 0 || g_strcmp0 (mechanism, "OAUTHBEARER") == 0);
  mechanism = ms_account_report_get_outgoing (report)->login_mechanism;
  g_assert_true (g_strcmp0 (mechanism, "XOAUTH2") == 0 || g_strcmp0 (mechanism, "OAUTHBEARER") == 0);
}

static gboolean
closed_port (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_client_set_timeout (client, 5);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);

  return connection == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* The loopback listener's port, from the redirect_uri the authorization
 * URL carries (RFC 8252 §7.3). */
static guint16
redirect_port (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GUri) redirect = NULL;
  const char *redirect_uri;

  g_assert_nonnull (parsed);
  query = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (query);
  redirect_uri = g_hash_table_lookup (query, "redirect_uri");
  g_assert_nonnull (redirect_uri);
  redirect = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (redirect);
  g_assert_cmpstr (g_uri_get_host (redirect), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (redirect), >, 0);

  return g_uri_get_port (redirect);
}

/* ---- the cases ----------------------------------------------------- */

/* Address → Sign In → the browser consents → the test logs in with the
 * token (XOAUTH2 or OAUTHBEARER) → the settings saved say OAuth2, the
 * tokens are in the keyring, no password is. */
static gboolean
qr_refusal_shown (gpointer data)
{
  return find_label_containing (data, "Thunderbird for Android cannot sign in") != NULL;
}

static gboolean
any_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }

  return FALSE;
}

/* A wizard on the sign-in path: the provider file (shown as @name) whose
 * issuer is the tests' authorization server, the test CA, the test
 * browser in @browser_mode, the server's @authorize and @metadata
 * behaviours, and the window open. */
static void
open_for_sign_in (WizardFixture *f,
                  const char    *name,
                  const char    *browser_mode,
                  const char    *authorize,
                  const char    *metadata)
{
  g_autofree char *issuer = registering_issuer ();

  write_oauth_provider ("test.example", name, issuer);
  use_test_ca ();
  use_test_browser ();
  set_browser_mode (browser_mode);
  set_server_behaviour (authorize, metadata);
  wizard_fixture_open (f, 480, 720);
}

static void
test_consent (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *settings_path = NULL;
  g_autofree char *settings = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(MsSecret) refresh = NULL;
  g_autoptr(GError) error = NULL;

  open_for_sign_in (&f, "Test Mail", "visit", "consent", "normal");
  ms_wizard_set_save_folder_for_testing (g_get_home_dir ());

  enter_address (&f, user);
  assert_asks_sign_in (&f, "Test Mail");
  screenshot (GTK_WIDGET (f.window), "wizard-account-sign-in.png");

  sign_in (&f);
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, TEST_SECONDS);
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, TEST_SECONDS);
  assert_works_with_token (&f);
  screenshot (GTK_WIDGET (f.window), "wizard-sign-in-works.png");
  /* Signed in, the testing page offered no app password to make. */
  g_assert_false (gtk_widget_get_visible (find_by_id (ms_wizard_get_page (f.wizard, MS_WIZARD_STEP_TESTING),
                                                      "app_password_button")));

  /* Nothing to ask on the save step: the sign-in is kept already. */
  click (find_visible_by_id (f.wizard, "success_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_EXPORT, 20);

  settings_path = ms_account_settings_get_path (user);
  g_assert_true (g_file_get_contents (settings_path, &settings, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (settings, "OAuth2"));

  refresh = ms_keyring_lookup_token_sync (user, "oauth-refresh", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (refresh);
  password = ms_keyring_lookup_sync (user, MS_PROTOCOL_IMAP, NULL, &error);
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND);
  g_assert_null (password);
  g_clear_error (&error);

  /* The QR code on screen follows the QR export's rule: the phone's
   * Thunderbird cannot sign in to this host, so it is refused, said. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.export", "s", "qr");
  /* Toasts come one at a time: the one that said the sign-in is kept
   * (its 5 s) may still be showing. */
  wait_until (qr_refusal_shown, f.window, 30, "the toast that says the phone cannot sign in");
  g_assert_false (any_message_dialog ());

  /* Back from the export goes to the result, not into a sign-in again. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, 5);
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);

  wizard_fixture_close (&f);
}

/* oauth-server.py's own door: that token stops being good. */
static void
revoke_token (const char *token)
{
  g_autoptr(JsonObject) answer = oauth_fixture_post ("/test/revoke", "token", token, NULL);
}

/* A sign-in the provider withdrew after it worked: the result says so,
 * and its Sign In Again goes through the browser to a working test. */
static void
test_sign_in_again (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER2");
  g_autoptr(MsSecret) access = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  GtkWidget *again;

  open_for_sign_in (&f, "Test Mail", "visit", "consent", "normal");

  enter_address (&f, user);
  sign_in (&f);
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, TEST_SECONDS);
  assert_works_with_token (&f);

  /* The access token kept is "TOKEN\nEXPIRY" (ms-oauth-account.c). */
  access = ms_keyring_lookup_token_sync (user, "oauth-access", NULL, &error);
  g_assert_no_error (error);
  parts = g_strsplit (ms_secret_get_text (access), "\n", 2);
  revoke_token (parts[0]);

  /* Back to the test, and once more: the token kept is no good now. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, TEST_SECONDS);
  g_assert_false (ms_account_report_works (ms_wizard_get_report (f.wizard)));
  again = find_button_with_label (find_visible_by_id (f.wizard, "diagnoses_list"), "_Sign In Again");
  if (again == NULL)
    {
      g_autofree char *text = ms_account_report_to_text (ms_wizard_get_report (f.wizard));

      g_error ("no “Sign In Again” button; the report:\n%s", text);
    }
  screenshot (GTK_WIDGET (f.window), "wizard-result-sign-in-again.png");

  click (again);
  wait_for_step (f.wizard, MS_WIZARD_STEP_SIGN_IN, 5);
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, TEST_SECONDS);
  assert_works_with_token (&f);

  wizard_fixture_close (&f);
}

/* The person says no in the browser: the page says so in plain words,
 * and Try Again (this time allowed) goes on to the test. */
static void
test_refused (void)
{
  WizardFixture f = { 0 };
  /* The consent case's address: this sign-in replaces its kept tokens. */
  g_autofree char *user = require_env ("MS_TEST_USER");

  open_for_sign_in (&f, "Test Mail", "visit", "refuse", "normal");

  enter_address (&f, user);
  sign_in (&f);
  assert_sign_in_problem (&f, "You Did Not Allow Mail Setup to Use Your Mail");
  g_assert_true (focus_within (&f, "try_again_button"));
  screenshot (GTK_WIDGET (f.window), "wizard-sign-in-refused.png");

  wait_browser_runs (1);
  set_server_behaviour ("consent", "normal");
  click (find_visible_by_id (f.wizard, "try_again_button"));
  wait_browser_runs (2);
  wait_for_step (f.wizard, MS_WIZARD_STEP_RESULT, TEST_SECONDS);
  assert_works_with_token (&f);

  wizard_fixture_close (&f);
}

/* The provider signed in without the mail scope: the page says to sign
 * in again and allow mail, and no test runs with that token. */
static void
test_scope_missing (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER2");

  open_for_sign_in (&f, "Test Mail", "visit", "wrong-scope", "normal");

  enter_address (&f, user);
  sign_in (&f);
  assert_sign_in_problem (&f, "Mail Setup Was Not Allowed to Use Your Mail");
  g_assert_true (focus_within (&f, "try_again_button"));
  g_assert_null (ms_wizard_get_report (f.wizard));

  wizard_fixture_close (&f);
}

/* "Use an App Password Instead" brings the password row back, with the
 * provider's app-password page, and the password route after it. */
static void
test_app_password (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER");
  GtkWidget *link;

  open_for_sign_in (&f, "Test Mail", "visit", "consent", "normal");

  enter_address (&f, user);
  assert_asks_sign_in (&f, "Test Mail");
  click (find_visible_by_id (f.wizard, "app_password_button"));

  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "password_row")));
  g_assert_true (focus_within (&f, "password_row"));
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "app_password_button")));
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "sign_in_label")));
  link = find_visible_by_id (f.wizard, "app_password_link");
  g_assert_true (gtk_widget_get_visible (link));
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), ==, APP_PASSWORD_URL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_visible_by_id (f.wizard, "continue_button"))),
                   ==, "_Continue");
  /* A password is asked now: none typed, no going on. */
  g_assert_false (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  screenshot (GTK_WIDGET (f.window), "wizard-account-app-password.png");

  /* The same provider keeps the choice as the address is edited. */
  set_text (f.wizard, "address_row", "bob@test.example");
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "password_row")));

  set_text (f.wizard, "address_row", user);
  set_text (f.wizard, "password_row", "an-app-password");
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);
  g_assert_null (ms_wizard_get_sign_in_uri (f.wizard));

  wizard_fixture_close (&f);
}

/* A provider Mail Setup has no client for (no built-in one, no
 * registration): said plainly, with the app-password route and its
 * link, which leads back to the password row. */
static void
test_no_client (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER");
  GtkWidget *link;

  /* No client is built in for this issuer, and its metadata offers no
   * registration. */
  open_for_sign_in (&f, "Test Mail", "visit", "consent", "no-registration");

  enter_address (&f, user);
  assert_asks_sign_in (&f, "Test Mail");
  sign_in (&f);
  assert_sign_in_problem (&f, "Mail Setup Cannot Sign In with Test Mail Here");
  g_assert_false (gtk_widget_get_visible (find_visible_by_id (f.wizard, "try_again_button")));
  g_assert_true (focus_within (&f, "app_password_button"));
  link = find_visible_by_id (f.wizard, "app_password_link");
  g_assert_true (gtk_widget_get_visible (link));
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), ==, APP_PASSWORD_URL);
  screenshot (GTK_WIDGET (f.window), "wizard-sign-in-no-client.png");

  click (find_visible_by_id (f.wizard, "app_password_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "password_row")));
  g_assert_true (focus_within (&f, "password_row"));
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "app_password_link")));

  wizard_fixture_close (&f);
}

/* A provider file's name is shown as text: markup stays characters.
 * (Hidden characters never get this far: the parser refuses the file.) */
static void
test_hostile_name (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER");
  const char *label;

  open_for_sign_in (&f, "Test &lt;b&gt;Mail&lt;/b&gt; &amp;co", "visit", "consent", "no-registration");

  enter_address (&f, user);
  assert_asks_sign_in (&f, "Test <b>Mail</b> &co");
  label = gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "sign_in_label")));
  g_assert_nonnull (strstr (label, "with Test <b>Mail</b> &co in"));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (find_visible_by_id (f.wizard, "sign_in_label"))));

  sign_in (&f);
  assert_sign_in_problem (&f, "Mail Setup Cannot Sign In with Test <b>Mail</b> &co Here");
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (find_visible_by_id (f.wizard, "problem_title"))));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "title_label"))),
                   ==, "Sign In with Test <b>Mail</b> &co");

  wizard_fixture_close (&f);
}

/* The default browser cannot be started: said plainly, with Try Again
 * and the app-password route, and nothing left waiting. */
static void
test_no_browser (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *issuer = registering_issuer ();
  g_autofree char *missing = g_build_filename (g_get_home_dir (), "no-such-browser", NULL);

  write_oauth_provider ("test.example", "Test Mail", issuer);
  use_test_ca ();
  use_browser_program (missing);
  set_server_behaviour ("consent", "normal");
  wizard_fixture_open (&f, 480, 720);

  enter_address (&f, user);
  sign_in (&f);
  assert_sign_in_problem (&f, "No Web Browser Could Be Opened");
  g_assert_null (ms_wizard_get_sign_in_uri (f.wizard));
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "try_again_button")));
  g_assert_true (gtk_widget_get_visible (find_visible_by_id (f.wizard, "app_password_button")));
  screenshot (GTK_WIDGET (f.window), "wizard-sign-in-no-browser.png");

  wizard_fixture_close (&f);
}

/* The person closes the browser without signing in: after the wait (two
 * seconds here) the page says the sign-in was not finished, and the
 * listener is closed. */
static void
test_unfinished (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER");
  guint16 port;

  ms_wizard_set_sign_in_timeout_for_testing (2);
  open_for_sign_in (&f, "Test Mail", "closed", "consent", "normal");

  enter_address (&f, user);
  sign_in (&f);
  wait_until (sign_in_waiting, f.wizard, 20, "the sign-in to wait for the browser");
  port = redirect_port (ms_wizard_get_sign_in_uri (f.wizard));
  assert_sign_in_problem (&f, "The Sign-In Was Not Finished");
  g_assert_true (focus_within (&f, "try_again_button"));
  g_assert_true (closed_port (port));
  ms_wizard_set_sign_in_timeout_for_testing (0);

  wizard_fixture_close (&f);
}

/* Cancel while the browser has the page: back on the account page at
 * once, nothing left running, and the loopback listener closed. Open
 * Browser Again before that gives the browser the same page. */
static void
test_cancel (void)
{
  WizardFixture f = { 0 };
  g_autofree char *user = require_env ("MS_TEST_USER");
  g_autofree char *uri = NULL;
  guint16 port;

  /* A person who has not finished yet: the page stays open. */
  open_for_sign_in (&f, "Test Mail", "visit", "no-redirect", "normal");

  enter_address (&f, user);
  sign_in (&f);
  wait_until (sign_in_waiting, f.wizard, 20, "the sign-in to wait for the browser");
  uri = g_strdup (ms_wizard_get_sign_in_uri (f.wizard));
  port = redirect_port (uri);
  g_assert_false (closed_port (port));
  g_assert_true (ms_wizard_get_busy (f.wizard));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (find_visible_by_id (f.wizard, "spinner"))));
  g_assert_true (gtk_widget_get_mapped (find_visible_by_id (f.wizard, "open_again_button")));
  g_assert_true (focus_within (&f, "open_again_button"));
  screenshot (GTK_WIDGET (f.window), "wizard-sign-in-waiting.png");

  wait_browser_runs (1);
  click (find_visible_by_id (f.wizard, "open_again_button"));
  wait_browser_runs (2);
  g_assert_true (browser_log_has_twice (uri));
  g_assert_cmpstr (ms_wizard_get_sign_in_uri (f.wizard), ==, uri);
  g_assert_cmpint (ms_wizard_get_step (f.wizard), ==, MS_WIZARD_STEP_SIGN_IN);

  click (find_visible_by_id (f.wizard, "cancel_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 2);
  wait_not_busy (f.wizard, 5);
  g_assert_true (closed_port (port));
  assert_asks_sign_in (&f, "Test Mail");

  wizard_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/wizard-sign-in/consent", test_consent);
  g_test_add_func ("/ui/wizard-sign-in/refused", test_refused);
  g_test_add_func ("/ui/wizard-sign-in/sign-in-again", test_sign_in_again);
  g_test_add_func ("/ui/wizard-sign-in/scope-missing", test_scope_missing);
  g_test_add_func ("/ui/wizard-sign-in/app-password", test_app_password);
  g_test_add_func ("/ui/wizard-sign-in/no-client", test_no_client);
  g_test_add_func ("/ui/wizard-sign-in/no-browser", test_no_browser);
  g_test_add_func ("/ui/wizard-sign-in/hostile-name", test_hostile_name);
  g_test_add_func ("/ui/wizard-sign-in/unfinished", test_unfinished);
  g_test_add_func ("/ui/wizard-sign-in/cancel", test_cancel);

  return g_test_run ();
}
