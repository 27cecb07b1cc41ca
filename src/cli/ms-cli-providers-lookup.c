/* ms-cli-providers-lookup.c: `mail-setup providers lookup ADDRESS [--json]`
 *
 * Runs discovery for an address the way the wizard does and shows every
 * source: in what order each started, how long it took, what it said, which
 * one won, and the settings found. The JSON output is a stable interface
 * (see README.md, "Finding settings for any address").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ms-cli-command.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

/* What a web server, a DNS answer or a provider file says is shown only
 * cleaned (ms-untrusted-text.h): the copies live as long as @pool. */
#define SHOWN(pool, text) ms_untrusted_text_pool_sanitize ((pool), (text), MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES)
#include "ms-cli-providers-lookup.h"
#include "ms-setup-session.h"
#include "ms-tls-database.h"

#define DEFAULT_TIMEOUT_SECONDS 15
#define MAX_TIMEOUT_SECONDS 600

static void
print_json (MsDiscovery        *discovery,
            MsDiscoveryAttempt *winner,
            const GError       *error)
{
  g_autoptr(JsonNode) root = ms_discovery_to_json (discovery, winner, error);
  g_autofree char *text = ms_json_to_pretty_string (root);

  g_print ("%s\n", text);
}

static void
print_text (MsDiscovery        *discovery,
            MsDiscoveryAttempt *winner)
{
  g_autoptr(GPtrArray) attempts = ms_discovery_get_attempts_in_order (discovery);

  g_print ("%s %s\n\n", _("Looked up:"), ms_address_get_ascii (ms_discovery_get_address (discovery)));
  for (guint i = 0; i < attempts->len; i++)
    {
      MsDiscoveryAttempt *attempt = g_ptr_array_index (attempts, i);
      gint64 duration = ms_discovery_attempt_get_duration_ms (attempt);
      g_autofree char *order = ms_discovery_attempt_get_order (attempt) > 0
                               ? g_strdup_printf ("%u.", ms_discovery_attempt_get_order (attempt))
                               : g_strdup ("-");
      g_autofree char *time = duration >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT " ms", duration)
                                            : g_strdup ("");
      g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
      const char *message = SHOWN (pool, ms_discovery_attempt_get_message (attempt));

      g_print ("%4s %-19s %-9s %8s  %s%s%s\n", order, ms_discovery_attempt_get_name (attempt),
               ms_discovery_state_to_string (ms_discovery_attempt_get_state (attempt)), time,
               SHOWN (pool, ms_discovery_attempt_get_domain (attempt)),
               message != NULL ? ": " : "", message != NULL ? message : "");
    }

  if (winner != NULL)
    {
      MsProvider *provider = ms_discovery_attempt_get_provider (winner);
      MsProfile *profile = ms_provider_get_recommended_profile (provider);
      g_autofree char *concerns = ms_discovery_attempt_explain_concerns (winner);
      g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);

      g_print ("\n%s %s (%s)\n", _("Found by:"), ms_discovery_attempt_get_name (winner),
               SHOWN (pool, ms_provider_get_source (provider)));
      if (concerns != NULL)
        g_print ("%s %s\n", _("Needs confirmation:"), SHOWN (pool, concerns));
      if (profile != NULL)
        {
          ms_cli_print_servers ("  ", _("Incoming:"), ms_profile_get_incoming (profile), FALSE);
          ms_cli_print_servers ("  ", _("Outgoing:"), ms_profile_get_outgoing (profile), FALSE);
          ms_cli_print_servers ("  ", _("Alternate:"), ms_profile_get_alternates (profile), FALSE);
        }
    }
}

/* No provider files: this command shows what discovery finds. */
static MsSetupSession *
run_lookup (MsAddress     *address,
            GTlsDatabase  *tls_database,
            int            timeout_seconds,
            gboolean       no_public_database,
            GError       **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MsProvider) provider = NULL;
  MsSetupSession *session;

  session = ms_setup_session_new (address, NULL);
  ms_setup_session_set_tls_database (session, tls_database);
  ms_setup_session_set_timeout (session, timeout_seconds * 1000);
  ms_setup_session_apply_system_settings (session);
  if (no_public_database)
    ms_setup_session_set_use_public_database (session, FALSE);
  ms_setup_session_lookup_async (session, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  provider = ms_setup_session_lookup_finish (session, result, error);

  return session;
}

int
ms_cli_providers_lookup (int    argc,
                         char **argv)
{
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(MsSetupSession) session = NULL;
  MsDiscoveryAttempt *winner;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE;
  gboolean no_public_database = FALSE;
  int timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON (described in the README)"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_seconds,
      N_("Seconds each source may take (default 15)"), N_("SECONDS") },
    { "no-public-database", 0, 0, G_OPTION_ARG_NONE, &no_public_database,
      N_("Do not ask Thunderbird’s public provider database (which would learn the domain)"), NULL },
    { NULL }
  };

  if (!ms_cli_parse_options (entries, NULL, N_("ADDRESS — find the settings for an address"),
                             N_("Looks in the provider files, the domain’s own autoconfig file, its SRV records,\n"
                                "the public provider database, the same for its MX host’s domain, and last\n"
                                "probes common server names, all at once; shows what each source said."),
                             N_("The public provider database is run by Thunderbird, a third party: asking it sends the\n"
                                "domain (never the address). It can be turned off with --no-public-database or the\n"
                                "use-public-provider-database setting. Exit status: 0 when settings were found, 1 when\n"
                                "not, 2 on bad usage."),
                             &argc, &argv))
    return MS_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      ms_cli_printerr (_("providers lookup takes one email address; “mail-setup providers lookup --help” says more"));
      return MS_CLI_EXIT_USAGE;
    }

  if (timeout_seconds < 1 || timeout_seconds > MAX_TIMEOUT_SECONDS)
    {
      ms_cli_printerr (_("--timeout takes a number of seconds from 1 to %d"), MAX_TIMEOUT_SECONDS);
      return MS_CLI_EXIT_USAGE;
    }

  address = ms_address_parse (argv[1], &error);
  if (address == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }
  if (!ms_cli_check_value (_("ADDRESS"), MS_CLI_VALUE_ADDRESS, ms_address_get_ascii (address)) ||
      !ms_cli_check_value ("--ca-file", MS_CLI_VALUE_FILE, ca_file))
    return MS_CLI_EXIT_USAGE;

  tls_database = ms_tls_database_new (ca_file, &error);
  if (tls_database == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }

  session = run_lookup (address, tls_database, timeout_seconds, no_public_database, &error);
  winner = ms_setup_session_get_attempt (session);

  if (json)
    print_json (ms_setup_session_get_discovery (session), winner, error);
  else
    print_text (ms_setup_session_get_discovery (session), winner);

  if (winner == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_FAILED;
    }

  return MS_CLI_EXIT_OK;
}
