/* ms-cli-test.c: `mail-setup test ADDRESS`, test an account's servers for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "ms-account-test.h"
#include "ms-cli-command.h"
#include "ms-cli-providers-lookup.h"
#include "ms-cli-test.h"
#include "ms-provider-database.h"
#include "ms-tls-database.h"
#include "ms-trust-store.h"
#include "ms-untrusted-text.h"

#define DEFAULT_TIMEOUT_SECONDS 15
#define MAX_TIMEOUT_SECONDS 600

typedef struct
{
  GMainLoop       *loop;
  MsAccountReport *report;
  GError          *error;
} RunState;

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RunState *state = user_data;

  state->report = ms_account_test_run_finish (MS_ACCOUNT_TEST (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

/**
 * ms_cli_test_options_parse:
 *
 * Parses the options `test` shares with `export`; see ms-cli-test.h.
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
}

/* Whether this command will send a password: then discovered settings
 * with concerns need the person's word before anything else happens. */
static gboolean
sends_password (MsCliTestOptions *options)
{
  return options->password_stdin || options->password != NULL;
}

/* For a domain no provider file knows: discovery, and the confirmation
 * that settings from an unauthenticated source need before a password
 * goes to them (ms_discovery_attempt_check_password(), which the account
 * test asks again). */
static MsDiscoveryAttempt *
discover_settings (MsAddress          *address,
                   MsProviderDatabase *database,
                   MsCliTestOptions   *options,
                   int                *exit_status)
{
  g_autoptr(MsDiscovery) discovery = ms_discovery_new (address);
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(MsDiscoveryAttempt) winner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *concerns = NULL;

  tls_database = ms_tls_database_new (options->ca_file, &error);
  if (tls_database == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      *exit_status = MS_CLI_EXIT_USAGE;
      return NULL;
    }

  g_printerr (_("No provider file knows %s; looking for its settings…\n"),
              ms_address_get_domain (address));
  ms_discovery_set_provider_database (discovery, database);
  ms_cli_discovery_configure (discovery, tls_database, options->timeout_seconds * 1000, FALSE);
  winner = ms_cli_discovery_run (discovery, TRUE, &error);
  if (winner == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }

  {
    /* The source is the URL or record that answered: outside text. */
    g_autofree char *source = ms_untrusted_text_sanitize (
      ms_provider_get_source (ms_discovery_attempt_get_provider (winner)), MS_UNTRUSTED_TEXT_MAX_BYTES);

    g_printerr (_("Settings found by %s (%s).\n"), ms_discovery_attempt_get_name (winner),
                source != NULL ? source : "");
  }

  if (sends_password (options) &&
      !ms_discovery_attempt_check_password (winner, options->accept_untrusted, &error))
    {
      ms_cli_printerr (_("%s If these servers are right, run again with --accept-config-from-untrusted-source."),
                       error->message);
      return NULL;
    }
  concerns = ms_discovery_attempt_explain_concerns (winner);
  if (concerns != NULL)
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (concerns,
                                                           MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_printerr (_("Warning: %s\n"), shown);
    }

  return g_steal_pointer (&winner);
}

/**
 * ms_cli_test_prepare:
 *
 * Turns the address and options into a ready #MsAccountTest, or prints
 * why it cannot and returns the exit status in @exit_status.
 */
MsAccountTest *
ms_cli_test_prepare (const char       *input,
                     MsCliTestOptions *options,
                     int              *exit_status)
{
  g_autoptr(MsProviderDatabase) database = NULL;
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(MsTrustStore) trust_store = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsDiscoveryAttempt) discovered = NULL;
  const char *source = "provider-file";
  MsAccountTest *test;
  MsProvider *provider;
  MsProfile *profile;
  GPtrArray *load_errors;
  gboolean completed = FALSE;

  *exit_status = MS_CLI_EXIT_USAGE;

  if (options->timeout_seconds == 0)
    options->timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
  if (options->timeout_seconds < 1 || options->timeout_seconds > MAX_TIMEOUT_SECONDS)
    {
      ms_cli_printerr (_("--timeout takes a number of seconds from 1 to %d"), MAX_TIMEOUT_SECONDS);
      return NULL;
    }

  if (!ms_cli_check_value ("--profile", MS_CLI_VALUE_ID, options->profile_id) ||
      !ms_cli_check_value ("--ca-file", MS_CLI_VALUE_FILE, options->ca_file) ||
      !ms_cli_check_value ("--domain", MS_CLI_VALUE_DOMAIN, options->domain))
    return NULL;

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

  database = ms_provider_database_new ();
  ms_provider_database_load (database, NULL, NULL);
  load_errors = ms_provider_database_get_load_errors (database);
  for (guint i = 0; load_errors != NULL && i < load_errors->len; i++)
    {
      const GError *load_error = g_ptr_array_index (load_errors, i);

      ms_cli_printerr (_("warning: %s"), load_error->message);
    }

  *exit_status = MS_CLI_EXIT_FAILED;
  provider = ms_provider_database_lookup (database, ms_address_get_domain (address));
  if (provider == NULL)
    {
      discovered = discover_settings (address, database, options, exit_status);
      if (discovered == NULL)
        return NULL;
      provider = ms_discovery_attempt_get_provider (discovered);
      source = ms_discovery_attempt_get_name (discovered);
    }

  if (options->profile_id != NULL)
    {
      profile = ms_provider_get_profile (provider, options->profile_id);
      if (profile == NULL)
        {
          ms_cli_printerr (_("%s has no profile “%s”; “mail-setup providers %s” lists them"),
                           ms_provider_get_display_name (provider), options->profile_id,
                           ms_address_get_domain (address));
          *exit_status = MS_CLI_EXIT_USAGE;
          return NULL;
        }
    }
  else
    profile = ms_provider_get_recommended_profile (provider);

  if (profile == NULL)
    {
      ms_cli_printerr (_("%s lists no servers"), ms_provider_get_display_name (provider));
      return NULL;
    }

  tls_database = ms_tls_database_new (options->ca_file, &error);
  if (tls_database == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      *exit_status = MS_CLI_EXIT_USAGE;
      return NULL;
    }

  trust_store = ms_trust_store_new (NULL);
  if (!ms_trust_store_load (trust_store, &error))
    {
      ms_cli_printerr (_("warning: %s"), error->message);
      g_clear_error (&error);
    }

  if (options->password != NULL)
    password = ms_secret_ref (options->password);
  else if (options->password_stdin)
    {
      g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);

      password = ms_secret_new_from_stream (stdin_stream, &error);
      if (password == NULL)
        {
          ms_cli_printerr ("%s", error->message);
          *exit_status = MS_CLI_EXIT_USAGE;
          return NULL;
        }
    }

  test = ms_account_test_new (address, provider, profile);
  ms_account_test_set_source (test, source);
  ms_account_test_set_discovery (test, discovered, options->accept_untrusted);
  ms_account_test_set_tls_database (test, tls_database);
  ms_account_test_set_trust_store (test, trust_store);
  ms_account_test_set_timeout (test, options->timeout_seconds * 1000);
  ms_account_test_set_password (test, password);

  *exit_status = MS_CLI_EXIT_OK;

  return test;
}

/**
 * ms_cli_test_run:
 *
 * Runs @test to the end (Ctrl+C cancels it).
 *
 * Returns: (transfer full) (nullable): the report, or %NULL if cancelled
 */
MsAccountReport *
ms_cli_test_run (MsAccountTest *test)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RunState state = { loop, NULL, NULL };
  guint sigint;
  guint sigterm;

  sigint = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);

  ms_account_test_run_async (test, cancellable, test_done_cb, &state);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (state.error != NULL)
    {
      ms_cli_printerr ("%s", state.error->message);
      g_error_free (state.error);
    }

  return state.report;
}

int
ms_cli_test (int    argc,
             char **argv)
{
  g_auto(MsCliTestOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MsAccountTest) test = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
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

  context = g_option_context_new (_("ADDRESS — test an email account’s servers"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Connects to every server of the account’s profile at once, finds out what each port "
      "really speaks, checks the certificate and logs in once. Exit status: 0 when the "
      "account works, 1 when it does not, 2 on bad usage."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, ms_cli_test_options_group (&options));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }

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

  test = ms_cli_test_prepare (argv[1], &options, &exit_status);
  if (test == NULL)
    return exit_status;

  ms_account_test_set_probe_alternates (test, !no_alternates);
  ms_account_test_set_send_test_message (test, send_test_message, message_wait * 1000);

  report = ms_cli_test_run (test);
  if (report == NULL)
    return MS_CLI_EXIT_FAILED;

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

  return ms_account_report_works (report) ? MS_CLI_EXIT_OK : MS_CLI_EXIT_FAILED;
}
