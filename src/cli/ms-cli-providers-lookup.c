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
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "ms-cli-command.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

/* What a web server, a DNS answer or a provider file says is shown only
 * cleaned (ms-untrusted-text.h): the copies live as long as @pool. */
#define SHOWN(pool, text) ms_untrusted_text_pool_sanitize ((pool), (text), MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES)
#include "ms-cli-providers-lookup.h"
#include "ms-tls-database.h"

#define DEFAULT_TIMEOUT_SECONDS 15
#define MAX_TIMEOUT_SECONDS 600

/* The person's choice from the wizard's settings, when they are installed. */
static gboolean
settings_allow_public_database (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "use-public-provider-database"))
    return TRUE;

  settings = g_settings_new_full (schema, NULL, NULL);

  return g_settings_get_boolean (settings, "use-public-provider-database");
}

/**
 * ms_cli_discovery_configure:
 * @no_public_database: the command line turned the public database off
 *
 * Applies what every command that discovers settings shares.
 */
void
ms_cli_discovery_configure (MsDiscovery  *discovery,
                            GTlsDatabase *tls_database,
                            guint         timeout_ms,
                            gboolean      no_public_database)
{
  /* Only development builds let the environment move the database: in a
   * release, whoever sets the environment of a script would choose where
   * settings come from. */
  const char *url = DEVELOPMENT_BUILD ? g_getenv (MS_CLI_PUBLIC_DATABASE_URL_ENV) : NULL;

  ms_discovery_set_tls_database (discovery, tls_database);
  ms_discovery_set_timeout (discovery, timeout_ms);
  ms_discovery_set_use_public_database (discovery,
                                        !no_public_database && settings_allow_public_database ());
  if (url != NULL && *url != '\0')
    ms_discovery_set_public_database_url (discovery, url);
}

typedef struct
{
  GMainLoop          *loop;
  MsDiscoveryAttempt *winner;
  GError             *error;
} RunState;

static void
discovery_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RunState *state = user_data;

  state->winner = ms_discovery_run_finish (MS_DISCOVERY (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

static void
attempt_changed_cb (MsDiscovery        *discovery,
                    MsDiscoveryAttempt *attempt,
                    gpointer            user_data)
{
  if (ms_discovery_attempt_get_state (attempt) == MS_DISCOVERY_STATE_RUNNING)
    g_printerr ("%s (%s)\n", ms_discovery_source_get_progress_text (ms_discovery_attempt_get_source (attempt)),
                ms_discovery_attempt_get_name (attempt));
}

/**
 * ms_cli_discovery_run:
 * @show_progress: print each source as it starts, on stderr
 *
 * Runs @discovery to the end; Ctrl+C cancels it.
 *
 * Returns: (transfer full) (nullable): the winning attempt
 */
MsDiscoveryAttempt *
ms_cli_discovery_run (MsDiscovery  *discovery,
                      gboolean      show_progress,
                      GError      **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RunState state = { loop, NULL, NULL };
  gulong handler = 0;
  guint sigint;
  guint sigterm;

  if (show_progress)
    handler = g_signal_connect (discovery, "attempt-changed", G_CALLBACK (attempt_changed_cb), NULL);
  sigint = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);

  ms_discovery_run_async (discovery, cancellable, discovery_done_cb, &state);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (handler != 0)
    g_signal_handler_disconnect (discovery, handler);

  if (state.error != NULL)
    g_propagate_error (error, state.error);

  return state.winner;
}

/* Output */

static GPtrArray *
attempts_in_start_order (MsDiscovery *discovery)
{
  GPtrArray *attempts = ms_discovery_get_attempts (discovery);
  GPtrArray *sorted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = 0;

  for (guint i = 0; i < attempts->len; i++)
    n = MAX (n, ms_discovery_attempt_get_order (g_ptr_array_index (attempts, i)));

  for (guint order = 1; order <= n; order++)
    for (guint i = 0; i < attempts->len; i++)
      {
        MsDiscoveryAttempt *attempt = g_ptr_array_index (attempts, i);

        if (ms_discovery_attempt_get_order (attempt) == order)
          g_ptr_array_add (sorted, g_object_ref (attempt));
      }

  for (guint i = 0; i < attempts->len; i++)
    {
      MsDiscoveryAttempt *attempt = g_ptr_array_index (attempts, i);

      if (ms_discovery_attempt_get_order (attempt) == 0)
        g_ptr_array_add (sorted, g_object_ref (attempt));
    }

  g_ptr_array_unref (attempts);

  return sorted;
}

static void
print_json (MsDiscovery        *discovery,
            MsDiscoveryAttempt *winner,
            const GError       *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) attempts = attempts_in_start_order (discovery);
  g_autofree char *text = NULL;
  MsAddress *address = ms_discovery_get_address (discovery);
  MsDiscoveryConcerns concerns = winner != NULL ? ms_discovery_attempt_get_concerns (winner) : 0;
  const char * const *foreign = winner != NULL ? ms_discovery_attempt_get_foreign_hosts (winner) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, ms_address_get_ascii (address));
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, ms_address_get_domain (address));

  json_builder_set_member_name (builder, "attempts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < attempts->len; i++)
    {
      MsDiscoveryAttempt *attempt = g_ptr_array_index (attempts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, ms_discovery_attempt_get_name (attempt));
      json_builder_set_member_name (builder, "rank");
      json_builder_add_int_value (builder, ms_discovery_attempt_get_rank (attempt));
      json_builder_set_member_name (builder, "order");
      json_builder_add_int_value (builder, ms_discovery_attempt_get_order (attempt));
      json_builder_set_member_name (builder, "domain");
      ms_json_add_text_value (builder, ms_discovery_attempt_get_domain (attempt), "");
      ms_json_add_text (builder, "detail", ms_discovery_attempt_get_detail (attempt));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, ms_discovery_state_to_string (ms_discovery_attempt_get_state (attempt)));
      json_builder_set_member_name (builder, "duration_ms");
      if (ms_discovery_attempt_get_duration_ms (attempt) >= 0)
        json_builder_add_int_value (builder, ms_discovery_attempt_get_duration_ms (attempt));
      else
        json_builder_add_null_value (builder);
      ms_json_add_text (builder, "message", ms_discovery_attempt_get_message (attempt));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  ms_json_add_string_or_null (builder, "winner", winner != NULL ? ms_discovery_attempt_get_name (winner) : NULL);
  json_builder_set_member_name (builder, "needs_confirmation");
  json_builder_add_boolean_value (builder, concerns != 0);
  {
    g_auto(GStrv) words = ms_discovery_concerns_to_strv (concerns);

    json_builder_set_member_name (builder, "concerns");
    json_builder_begin_array (builder);
    for (guint i = 0; words[i] != NULL; i++)
      json_builder_add_string_value (builder, words[i]);
    json_builder_end_array (builder);
  }
  json_builder_set_member_name (builder, "foreign_hosts");
  json_builder_begin_array (builder);
  for (guint i = 0; foreign != NULL && foreign[i] != NULL; i++)
    ms_json_add_text_value (builder, foreign[i], "");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "provider");
  if (winner != NULL)
    json_builder_add_value (builder, ms_provider_to_json (ms_discovery_attempt_get_provider (winner)));
  else
    json_builder_add_null_value (builder);
  ms_json_add_text (builder, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = ms_json_to_pretty_string (root);
  g_print ("%s\n", text);
}

static void
print_servers_text (const char *label,
                    GPtrArray  *servers)
{
  for (guint i = 0; i < servers->len; i++)
    {
      MsServer *server = g_ptr_array_index (servers, i);
      g_autofree char *display = ms_server_to_display_string (server);
      g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);

      g_print ("  %-12s %s, %s %s\n", label, SHOWN (pool, display), _("username"),
               server->username != NULL ? SHOWN (pool, server->username) : _("(none)"));
    }
}

static void
print_text (MsDiscovery        *discovery,
            MsDiscoveryAttempt *winner)
{
  g_autoptr(GPtrArray) attempts = attempts_in_start_order (discovery);

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
          print_servers_text (_("Incoming:"), ms_profile_get_incoming (profile));
          print_servers_text (_("Outgoing:"), ms_profile_get_outgoing (profile));
          print_servers_text (_("Alternate:"), ms_profile_get_alternates (profile));
        }
    }
}

int
ms_cli_providers_lookup (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(MsDiscovery) discovery = NULL;
  g_autoptr(MsDiscoveryAttempt) winner = NULL;
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

  context = g_option_context_new (_("ADDRESS — find the settings for an address"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Looks in the provider files, the domain’s own autoconfig file, its SRV records,\n"
      "the public provider database, the same for its MX host’s domain, and last\n"
      "probes common server names, all at once; shows what each source said."));
  g_option_context_set_description (context,
    _("The public provider database is run by Thunderbird, a third party: asking it sends the\n"
      "domain (never the address). It can be turned off with --no-public-database or the\n"
      "use-public-provider-database setting. Exit status: 0 when settings were found, 1 when\n"
      "not, 2 on bad usage."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }

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

  discovery = ms_discovery_new (address);
  ms_cli_discovery_configure (discovery, tls_database, timeout_seconds * 1000, no_public_database);
  winner = ms_cli_discovery_run (discovery, FALSE, &error);

  if (json)
    print_json (discovery, winner, error);
  else
    print_text (discovery, winner);

  if (winner == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_FAILED;
    }

  return MS_CLI_EXIT_OK;
}
