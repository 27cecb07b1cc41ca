/* ms-cli-test.c: `mail-setup test ADDRESS`, test an account's servers for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "ms-account-test.h"
#include "ms-cli-command.h"
#include "ms-cli-test.h"
#include "ms-diagnosis-oauth.h"
#include "ms-keyring.h"
#include "ms-provider-database.h"
#include "ms-setup-session.h"
#include "ms-tls-database.h"
#include "ms-trust-store.h"
#include "ms-untrusted-text.h"

#define DEFAULT_TIMEOUT_SECONDS 15
#define MAX_TIMEOUT_SECONDS 600

/**
 * ms_cli_test_options_group:
 *
 * The options `test` shares with `export`; see ms-cli-test.h.
 */
GOptionGroup *
ms_cli_test_options_group (MsCliTestOptions *options)
{
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &options->profile_id,
      N_("The provider’s server profile to test (for example “mobile”)"), N_("ID") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &options->password_stdin,
      N_("Read the password from standard input (never from the command line)"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options->ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout_seconds,
      N_("Seconds each network step may take (default 15)"), N_("SECONDS") },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &options->domain,
      N_("Complete a bare username with this domain"), N_("DOMAIN") },
    { "sign-in", 0, 0, G_OPTION_ARG_NONE, &options->sign_in,
      N_("Log in with the sign-in kept in the keyring (“mail-setup sign-in ADDRESS”) where the provider takes one"), NULL },
    { "accept-config-from-untrusted-source", 0, 0, G_OPTION_ARG_NONE, &options->accept_untrusted,
      N_("Send the password even to discovered settings that came over plain HTTP, through the MX record or from the public database, or that name servers outside the address’s domain"), NULL },
    { NULL }
  };
  GOptionGroup *group;

  group = g_option_group_new ("account", _("Account options"), _("Show the account options"),
                              NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);

  return group;
}

void
ms_cli_test_options_clear (MsCliTestOptions *options)
{
  g_clear_pointer (&options->profile_id, g_free);
  g_clear_pointer (&options->ca_file, g_free);
  g_clear_pointer (&options->domain, g_free);
  g_clear_pointer (&options->password, ms_secret_unref);
  g_clear_object (&options->sign_in_report);
}

/* Whether this command will send a password or a token: then discovered
 * settings with concerns need the person's word before anything else
 * happens. */
static gboolean
sends_password (MsCliTestOptions *options)
{
  return options->password_stdin || options->password != NULL || options->sign_in;
}

static void
attempt_changed_cb (MsSetupSession     *session,
                    MsDiscoveryAttempt *attempt,
                    gpointer            user_data)
{
  if (ms_discovery_attempt_get_state (attempt) == MS_DISCOVERY_STATE_RUNNING)
    g_printerr ("%s (%s)\n", ms_discovery_source_get_progress_text (ms_discovery_attempt_get_source (attempt)),
                ms_discovery_attempt_get_name (attempt));
}

/* For a domain no provider file knows: discovery, and the confirmation
 * that settings from an unauthenticated source need before a password
 * goes to them (the flag answers it; the account test asks again). */
static gboolean
discover_settings (MsSetupSession   *session,
                   MsCliTestOptions *options)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *concerns = NULL;
  g_autofree char *source = NULL;
  MsDiscoveryAttempt *winner;

  g_printerr (_("No provider file knows %s; looking for its settings…\n"),
              ms_address_get_domain (ms_setup_session_get_address (session)));
  g_signal_connect (session, "attempt-changed", G_CALLBACK (attempt_changed_cb), NULL);
  ms_setup_session_lookup_async (session, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  g_signal_handlers_disconnect_by_func (session, attempt_changed_cb, NULL);
  provider = ms_setup_session_lookup_finish (session, result, &error);
  if (provider == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return FALSE;
    }

  /* The source is the URL or record that answered: outside text. */
  winner = ms_setup_session_get_attempt (session);
  source = ms_untrusted_text_sanitize (ms_provider_get_source (provider), MS_UNTRUSTED_TEXT_MAX_BYTES);
  g_printerr (_("Settings found by %s (%s).\n"), ms_discovery_attempt_get_name (winner),
              source != NULL ? source : "");

  if (options->accept_untrusted)
    ms_setup_session_confirm (session);
  if (sends_password (options) && !ms_setup_session_check_password (session, &error))
    {
      ms_cli_printerr (_("%s If these servers are right, run again with --accept-config-from-untrusted-source."),
                       error->message);
      return FALSE;
    }
  concerns = ms_setup_session_dup_concerns (session);
  if (concerns != NULL)
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (concerns,
                                                           MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_printerr (_("Warning: %s\n"), shown);
    }

  return TRUE;
}

/**
 * ms_cli_test_parse_address:
 *
 * The address from the command line, completed with --domain; prints why
 * not.
 */
MsAddress *
ms_cli_test_parse_address (const char       *input,
                           MsCliTestOptions *options)
{
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  gboolean completed = FALSE;

  if (options->domain != NULL)
    address = ms_address_complete (input, options->domain, &completed, &error);
  else
    address = ms_address_parse (input, &error);
  if (address == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }
  if (!ms_cli_check_value (_("ADDRESS"), MS_CLI_VALUE_ADDRESS, ms_address_get_ascii (address)))
    return NULL;
  if (completed)
    g_printerr (_("Using the full address %s as the username.\n"), ms_address_get_ascii (address));

  return g_steal_pointer (&address);
}

static gboolean
check_options (MsCliTestOptions *options)
{
  if (options->timeout_seconds == 0)
    options->timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
  if (options->timeout_seconds < 1 || options->timeout_seconds > MAX_TIMEOUT_SECONDS)
    {
      ms_cli_printerr (_("--timeout takes a number of seconds from 1 to %d"), MAX_TIMEOUT_SECONDS);
      return FALSE;
    }
  /* One login per server: the token or the password, never both. */
  if (options->sign_in && (options->password_stdin || options->password != NULL))
    {
      ms_cli_printerr (_("--sign-in and --password-stdin cannot be used together"));
      return FALSE;
    }

  return ms_cli_check_value ("--profile", MS_CLI_VALUE_ID, options->profile_id) &&
         ms_cli_check_value ("--ca-file", MS_CLI_VALUE_FILE, options->ca_file) &&
         ms_cli_check_value ("--domain", MS_CLI_VALUE_DOMAIN, options->domain);
}

static MsProviderDatabase *
load_provider_files (void)
{
  MsProviderDatabase *database = ms_provider_database_new ();
  GPtrArray *load_errors;

  ms_provider_database_load (database, NULL, NULL);
  load_errors = ms_provider_database_get_load_errors (database);
  for (guint i = 0; load_errors != NULL && i < load_errors->len; i++)
    {
      const GError *load_error = g_ptr_array_index (load_errors, i);

      ms_cli_printerr (_("warning: %s"), load_error->message);
    }

  return database;
}

/* The session with everything it needs before the lookup; the CA file is
 * read first, so a bad one is a usage error whichever way settings come. */
static MsSetupSession *
create_session (MsAddress        *address,
                MsCliTestOptions *options)
{
  g_autoptr(MsProviderDatabase) database = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(MsTrustStore) trust_store = NULL;
  g_autoptr(GError) error = NULL;
  MsSetupSession *session;

  database = load_provider_files ();
  tls_database = ms_tls_database_new (options->ca_file, &error);
  if (tls_database == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }

  trust_store = ms_trust_store_new (NULL);
  if (!ms_trust_store_load (trust_store, &error))
    {
      ms_cli_printerr (_("warning: %s"), error->message);
      g_clear_error (&error);
    }

  session = ms_setup_session_new (address, database);
  ms_setup_session_set_tls_database (session, tls_database);
  ms_setup_session_set_trust_store (session, trust_store);
  ms_setup_session_set_timeout (session, options->timeout_seconds * 1000);
  ms_setup_session_apply_system_settings (session);

  return session;
}

/* --profile, or the provider's recommended one. */
static gboolean
choose_profile (MsSetupSession   *session,
                MsCliTestOptions *options,
                int              *exit_status)
{
  MsProvider *provider = ms_setup_session_get_provider (session);
  MsProfile *profile;

  if (options->profile_id != NULL)
    {
      profile = ms_provider_get_profile (provider, options->profile_id);
      if (profile == NULL)
        {
          ms_cli_printerr (_("%s has no profile “%s”; “mail-setup providers %s” lists them"),
                           ms_provider_get_display_name (provider), options->profile_id,
                           ms_address_get_domain (ms_setup_session_get_address (session)));
          *exit_status = MS_CLI_EXIT_USAGE;
          return FALSE;
        }
    }
  else
    profile = ms_provider_get_recommended_profile (provider);

  if (profile == NULL)
    {
      ms_cli_printerr (_("%s lists no servers"), ms_provider_get_display_name (provider));
      return FALSE;
    }

  ms_setup_session_set_profile (session, profile, FALSE);

  return TRUE;
}

/* Issue 14: the provider file's hint, its app-password page and a status
 * that asks for attention ("broken", "needs-preparation"), before anything
 * is sent. On standard error, so that
 * --json output stays one document. */
static void
print_before_login (MsProvider *provider)
{
  g_autofree char *warning = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *url = NULL;

  if (ms_provider_get_login_hint (provider) != NULL)
    {
      hint = ms_untrusted_text_sanitize (ms_provider_get_login_hint (provider), MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);
      g_printerr ("%s %s\n", _("Before you sign in:"), hint);
    }
  if (ms_provider_get_app_password_url (provider) != NULL)
    {
      url = ms_untrusted_text_sanitize (ms_provider_get_app_password_url (provider), MS_UNTRUSTED_TEXT_MAX_BYTES);
      g_printerr ("%s %s\n", _("App passwords:"), url);
    }
  warning = ms_provider_describe_status (provider);
  if (warning != NULL && ms_provider_get_status (provider) == MS_PROVIDER_STATUS_BROKEN)
    g_printerr ("%s %s\n", _("Warning:"), warning);
  else if (warning != NULL)
    g_printerr ("%s %s\n", _("Note:"), warning);
}

/* A failed --sign-in as a diagnosis: no kept sign-in is ours to say; the
 * sign-in's and the token endpoint's errors are mapped where the wizard's
 * and `mail-setup sign-in`'s are (ms_diagnosis_new_for_oauth_error()). The
 * servers' own refusals of a token are the probes' (ms-classifier.c). */
static MsDiagnosis *
sign_in_diagnosis (const GError *error,
                   MsProvider   *provider)
{
  if (g_error_matches (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND))
    return ms_diagnosis_new (MS_DIAGNOSIS_OAUTH_NOT_SIGNED_IN, NULL, error->message);

  return ms_diagnosis_new_for_oauth_error (error, provider);
}

static void
print_sign_in_error (MsSetupSession *session,
                     const GError   *error)
{
  const char *address = ms_address_get_ascii (ms_setup_session_get_address (session));

  if (g_error_matches (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND))
    ms_cli_printerr (_("%s has not signed in with its provider yet; run “mail-setup sign-in %s” first"),
                     address, address);
  else if (error->domain == MS_OAUTH_ERROR)
    ms_cli_printerr (_("%s Run “mail-setup sign-in %s” to sign in again."), error->message, address);
  else
    ms_cli_printerr ("%s", error->message);
}

/* --sign-in: a fresh access token from the keyring for the test; on a
 * failure the report to print says why (options->sign_in_report). */
static gboolean
use_kept_sign_in (MsSetupSession   *session,
                  MsCliTestOptions *options)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsDiagnosis) diagnosis = NULL;
  MsAccountReport *report;

  if (!ms_setup_session_offers_sign_in (session))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s offers no sign-in for these servers; test with --password-stdin"),
                   ms_provider_get_display_name (ms_setup_session_get_provider (session)));
      ms_cli_printerr ("%s", error->message);
      diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED, NULL, error->message);
    }
  else
    {
      ms_setup_session_use_kept_sign_in_async (session, cancellable, ms_cli_store_result_cb, &result);
      ms_cli_wait (cancellable, &result);
      if (ms_setup_session_use_kept_sign_in_finish (session, result, &error))
        return TRUE;
      print_sign_in_error (session, error);
      diagnosis = sign_in_diagnosis (error, ms_setup_session_get_provider (session));
    }

  report = ms_account_report_new (ms_setup_session_get_address (session),
                                  ms_setup_session_get_provider (session),
                                  ms_setup_session_get_profile (session));
  ms_account_report_set_source (report, ms_setup_session_get_source (session));
  ms_account_report_add_diagnosis (report, diagnosis);
  g_clear_object (&options->sign_in_report);
  options->sign_in_report = report;

  return FALSE;
}

static gboolean
read_password (MsCliTestOptions  *options,
               MsSecret         **password)
{
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GError) error = NULL;

  if (options->password != NULL)
    *password = ms_secret_ref (options->password);
  if (options->password != NULL || !options->password_stdin)
    return TRUE;

  stdin_stream = g_unix_input_stream_new (0, FALSE);
  *password = ms_secret_new_from_stream (stdin_stream, &error);
  if (*password == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * ms_cli_test_prepare:
 *
 * Turns the address and options into a session whose test is prepared
 * (ms_setup_session_get_test()), or prints why it cannot and returns the
 * exit status in @exit_status.
 */
MsSetupSession *
ms_cli_test_prepare (const char       *input,
                     MsCliTestOptions *options,
                     int              *exit_status)
{
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(MsSetupSession) session = NULL;
  g_autoptr(MsSecret) password = NULL;

  *exit_status = MS_CLI_EXIT_USAGE;
  if (!check_options (options) || (address = ms_cli_test_parse_address (input, options)) == NULL)
    return NULL;
  session = create_session (address, options);
  if (session == NULL)
    return NULL;

  *exit_status = MS_CLI_EXIT_FAILED;
  if (ms_setup_session_find_provider (session) == NULL && !discover_settings (session, options))
    return NULL;
  if (!choose_profile (session, options, exit_status))
    return NULL;
  print_before_login (ms_setup_session_get_provider (session));

  if (options->sign_in && !use_kept_sign_in (session, options))
    return NULL;
  if (!read_password (options, &password))
    {
      *exit_status = MS_CLI_EXIT_USAGE;
      return NULL;
    }
  ms_setup_session_prepare_test (session, password);

  *exit_status = MS_CLI_EXIT_OK;

  return g_steal_pointer (&session);
}

/**
 * ms_cli_test_run:
 *
 * Runs the session's test to the end (Ctrl+C cancels it).
 *
 * Returns: (transfer full) (nullable): the report, or %NULL if cancelled
 */
MsAccountReport *
ms_cli_test_run (MsSetupSession *session)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MsAccountReport *report;

  ms_setup_session_test_async (session, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  report = ms_setup_session_test_finish (session, result, &error);
  if (report == NULL)
    ms_cli_printerr ("%s", error->message);

  return report;
}

static void
print_report (MsAccountReport *report,
              gboolean         json)
{
  if (json)
    {
      g_autoptr(JsonNode) root = ms_account_report_to_json (report);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      g_autofree char *text = ms_account_report_to_text (report);

      g_print ("%s", text);
    }
}

int
ms_cli_test (int    argc,
             char **argv)
{
  g_auto(MsCliTestOptions) options = { 0 };
  g_autoptr(MsSetupSession) session = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  MsAccountTest *test;
  gboolean json = FALSE;
  gboolean send_test_message = FALSE;
  gboolean no_alternates = FALSE;
  int message_wait = 0;
  int exit_status;
  const GOptionEntry entries[] = {
    { "send-test-message", 0, 0, G_OPTION_ARG_NONE, &send_test_message,
      N_("Send a message to yourself and wait until it arrives (it is deleted afterwards)"), NULL },
    { "message-wait", 0, 0, G_OPTION_ARG_INT, &message_wait,
      N_("Seconds to wait for the test message (default 30)"), N_("SECONDS") },
    { "no-alternates", 0, 0, G_OPTION_ARG_NONE, &no_alternates,
      N_("Test only the profile’s servers, not the other ports and profiles"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the report as JSON (see docs/cli-json.md)"), NULL },
    { NULL }
  };

  if (!ms_cli_parse_options (entries, ms_cli_test_options_group (&options),
                             N_("ADDRESS — test an email account’s servers"),
                             NULL,
                             N_("Connects to every server of the account’s profile at once, finds out what each port "
                                "really speaks, checks the certificate and logs in once. Exit status: 0 when the "
                                "account works, 1 when it does not, 2 on bad usage."),
                             &argc, &argv))
    return MS_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      ms_cli_printerr (_("test takes one email address; “mail-setup test --help” says more"));
      return MS_CLI_EXIT_USAGE;
    }

  if (message_wait < 0 || message_wait > MAX_TIMEOUT_SECONDS)
    {
      ms_cli_printerr (_("--message-wait takes a number of seconds from 1 to %d"), MAX_TIMEOUT_SECONDS);
      return MS_CLI_EXIT_USAGE;
    }

  session = ms_cli_test_prepare (argv[1], &options, &exit_status);
  if (session == NULL && options.sign_in_report != NULL && json)
    print_report (options.sign_in_report, TRUE);
  if (session == NULL)
    return exit_status;

  test = ms_setup_session_get_test (session);
  ms_account_test_set_probe_alternates (test, !no_alternates);
  ms_account_test_set_send_test_message (test, send_test_message, message_wait * 1000);

  report = ms_cli_test_run (session);
  if (report == NULL)
    return MS_CLI_EXIT_FAILED;

  print_report (report, json);

  return ms_account_report_works (report) ? MS_CLI_EXIT_OK : MS_CLI_EXIT_FAILED;
}
