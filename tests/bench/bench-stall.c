/* bench-stall.c: the longest the main loop stalls while an account is tested and exported
 *
 * Not a timed test: prints what one run measured. Run through
 * tests/harness/run-with-mail-servers (`meson test --benchmark bench-stall`).
 *
 * The wizard runs the engine on its main loop, so anything the engine does
 * there in one go freezes the window. Here a G_PRIORITY_HIGH timeout every
 * millisecond on the default main context records the gaps between its
 * dispatches while, on the same context:
 *
 *  1. a full account test runs against the harness's real dovecot and
 *     postfix: IMAPS, POP3S and SMTP submissions from a provider file, each
 *     with a login, and the test message sent and found again (as the
 *     wizard does by default);
 *  2. the tested settings are exported with every exporter that writes a
 *     file, one after the other as the wizard's buttons would, into a
 *     temporary directory.
 *
 * Three rounds of both, each with a fresh account test (the first round
 * also pays for what the process loads on first use, as the wizard's first
 * test does). It prints, for each phase, the longest gap of the median
 * round (target <= 10 ms), the worst round's, and the 99th percentile gap;
 * and the same ticker's figures for an idle second first, the floor the
 * shared machine gives. The "#" lines say when in each phase its longest
 * gaps ended, to find their cause (perf record --call-graph dwarf, or
 * G_MESSAGES_DEBUG=all). It asserts only that every test logged in on all
 * three servers, the test message arrived and every export wrote its
 * files, never a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <json-glib/json-glib.h>

#include "ms-account-settings.h"
#include "ms-account-test.h"
#include "ms-exporter.h"
#include "ms-provider-database.h"
#include "ms-tls-database.h"

#define TICK_MS 1
#define IDLE_MS 1000
#define ROUNDS 3

/* Exporters that write into a file of our choosing: nothing of theirs
 * touches the home directory or a D-Bus service. */
static const char * const file_exporters[] = {
  "mobileconfig", "qr", "autodiscover", "pdf", "msmtp", "mbsync", "neomutt", "aerc", NULL
};

typedef struct
{
  gint64 length;  /* microseconds between two dispatches */
  gint64 end;     /* microseconds since the phase started */
} Gap;

typedef struct
{
  gint64  start;
  gint64  last;
  GArray *gaps;   /* Gap */
} Ticker;

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  Gap gap = { now - ticker->last, now - ticker->start };

  g_array_append_val (ticker->gaps, gap);
  ticker->last = now;

  return G_SOURCE_CONTINUE;
}

/* Starts a new phase: the gaps so far belong to the one before. */
static GArray *
ticker_restart (Ticker *ticker)
{
  GArray *gaps = ticker->gaps;

  ticker->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  ticker->start = ticker->last = g_get_monotonic_time ();

  return gaps;
}

static int
compare_gaps (gconstpointer a,
              gconstpointer b)
{
  gint64 x = ((const Gap *) a)->length, y = ((const Gap *) b)->length;

  return (x > y) - (x < y);
}

typedef struct
{
  gint64 longest;
  gint64 p99;
} Stats;

/* Prints the longest gaps with when they ended, to find their cause
 * (with G_MESSAGES_DEBUG=all or perf, say). */
static Stats
phase_stats (const char *name,
             GArray     *gaps)
{
  Stats stats;

  g_assert_cmpuint (gaps->len, >, 0);
  g_array_sort (gaps, compare_gaps);
  stats.p99 = g_array_index (gaps, Gap, MIN (gaps->len - 1, (guint) (gaps->len * 0.99))).length;
  stats.longest = g_array_index (gaps, Gap, gaps->len - 1).length;

  g_print ("# %s: %u ticks, 99th percentile gap %.1f ms; longest gaps:",
           name, gaps->len, stats.p99 / 1000.0);
  for (guint i = 0; i < MIN (gaps->len, 3); i++)
    {
      const Gap *gap = &g_array_index (gaps, Gap, gaps->len - 1 - i);
      g_print (" %.1f ms ending at +%.0f ms%s", gap->length / 1000.0, gap->end / 1000.0,
               i + 1 < MIN (gaps->len, 3) ? "," : "\n");
    }
  g_array_unref (gaps);

  return stats;
}

static int
compare_stats (gconstpointer a,
               gconstpointer b)
{
  gint64 x = ((const Stats *) a)->longest, y = ((const Stats *) b)->longest;

  return (x > y) - (x < y);
}

/* The median round by its longest stall, and the worst round. */
static void
print_summary (const char *name,
               Stats      *rounds)
{
  qsort (rounds, ROUNDS, sizeof (Stats), compare_stats);
  g_print ("%s: longest main-loop stall %.1f ms (median of %d runs, worst %.1f ms; target <= 10); "
           "99th percentile gap %.1f ms\n",
           name, rounds[ROUNDS / 2].longest / 1000.0, ROUNDS, rounds[ROUNDS - 1].longest / 1000.0,
           rounds[ROUNDS / 2].p99 / 1000.0);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run through tests/harness/run-with-mail-servers", name);

  return value;
}

static void
write_provider (const char *directory)
{
  g_autofree char *path = g_build_filename (directory, "test.example.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *host = env ("MS_TEST_HOST");

  contents = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                              "<clientConfig version=\"1.1\">\n"
                              "  <emailProvider id=\"test.example\">\n"
                              "    <domain>test.example</domain>\n"
                              "    <displayName>Bench</displayName>\n"
                              "    <incomingServer type=\"imap\">\n"
                              "      <hostname>%s</hostname><port>%s</port>\n"
                              "      <socketType>SSL</socketType>\n"
                              "      <username>%%EMAILADDRESS%%</username>\n"
                              "      <authentication>password-cleartext</authentication>\n"
                              "    </incomingServer>\n"
                              "    <incomingServer type=\"pop3\">\n"
                              "      <hostname>%s</hostname><port>%s</port>\n"
                              "      <socketType>SSL</socketType>\n"
                              "      <username>%%EMAILADDRESS%%</username>\n"
                              "      <authentication>password-cleartext</authentication>\n"
                              "    </incomingServer>\n"
                              "    <outgoingServer type=\"smtp\">\n"
                              "      <hostname>%s</hostname><port>%s</port>\n"
                              "      <socketType>SSL</socketType>\n"
                              "      <username>%%EMAILADDRESS%%</username>\n"
                              "      <authentication>password-cleartext</authentication>\n"
                              "    </outgoingServer>\n"
                              "  </emailProvider>\n"
                              "</clientConfig>\n",
                              host, env ("MS_TEST_IMAPS_PORT"),
                              host, env ("MS_TEST_POP3S_PORT"),
                              host, env ("MS_TEST_SUBMISSIONS_PORT"));
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static MsAccountTest *
prepare_test (const char *directory,
              const char *providers)
{
  g_autofree char *trust_path = g_build_filename (directory, "trust.json", NULL);
  const char *directories[] = { providers, NULL };
  g_autoptr(MsProviderDatabase) database = NULL;
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(MsTrustStore) trust_store = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  MsAccountTest *test;
  MsProvider *provider;

  database = ms_provider_database_new_for_directories (directories, FALSE);
  ms_provider_database_load (database, NULL, &error);
  g_assert_no_error (error);

  address = ms_address_parse (env ("MS_TEST_USER"), &error);
  g_assert_no_error (error);
  provider = ms_provider_database_lookup (database, ms_address_get_domain (address));
  g_assert_nonnull (provider);

  tls_database = ms_tls_database_new (env ("MS_TEST_CA_FILE"), &error);
  g_assert_no_error (error);
  trust_store = ms_trust_store_new (trust_path);

  g_file_get_contents (env ("MS_TEST_PASSWORD_FILE"), &text, NULL, &error);
  g_assert_no_error (error);
  password = ms_secret_new_take (text);

  test = ms_account_test_new (address, provider, ms_provider_get_recommended_profile (provider));
  ms_account_test_set_source (test, "provider-file");
  ms_account_test_set_tls_database (test, tls_database);
  ms_account_test_set_trust_store (test, trust_store);
  ms_account_test_set_password (test, password);
  ms_account_test_set_send_test_message (test, TRUE, 0);

  return test;
}

/* The phase worked only if every server took the login and the test
 * message came back. */
static void
assert_report_works (MsAccountReport *report)
{
  GPtrArray *results = ms_account_report_get_results (report);
  g_autoptr(JsonNode) root = ms_account_report_to_json (report);
  JsonObject *message;

  if (!ms_account_report_works (report))
    {
      g_autofree char *text = ms_account_report_to_text (report);
      g_error ("benchmark setup broken: the account test failed:\n%s", text);
    }
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (results, i);

      if (result->login != MS_LOGIN_SUCCEEDED)
        g_error ("benchmark setup broken: no login on %s port %u",
                 result->server->hostname, (guint) result->server->port);
    }

  message = json_object_get_object_member (json_node_get_object (root), "test_message");
  g_assert_nonnull (message);
  g_assert_true (json_object_get_boolean_member (message, "sent"));
  g_assert_true (json_object_get_boolean_member (message, "arrived"));
}

static void
export_all (MsAccountSettings *settings,
            MsSecret          *password,
            const char        *directory)
{
  for (guint i = 0; file_exporters[i] != NULL; i++)
    {
      const MsExporter *exporter = ms_exporter_find (file_exporters[i]);
      g_autofree char *output = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(MsExportResult) export = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (exporter);
      g_assert_true (ms_exporter_writes_file (exporter));
      output = g_build_filename (directory, file_exporters[i], NULL);
      ms_exporter_export_async (exporter, settings, password, MS_EXPORT_FLAGS_NONE, output,
                                NULL, store_result_cb, &result);
      export = ms_exporter_export_finish (wait_for (&result), &error);
      if (export == NULL)
        g_error ("benchmark setup broken: exporting for %s failed: %s",
                 file_exporters[i], error->message);
      g_assert_cmpuint (export->paths->len, >, 0);
      for (guint j = 0; j < export->paths->len; j++)
        g_assert_true (g_file_test (g_ptr_array_index (export->paths, j), G_FILE_TEST_IS_REGULAR));
    }
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
    }
  g_remove (path);
}

static gboolean
idle_done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

static MsAccountSettings *
run_test (const char *directory,
          const char *providers,
          Ticker     *ticker,
          Stats      *stats)
{
  g_autoptr(MsAccountTest) test = prepare_test (directory, providers);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MsAccountSettings *settings;

  g_array_unref (ticker_restart (ticker));
  ms_account_test_run_async (test, NULL, store_result_cb, &result);
  report = ms_account_test_run_finish (test, wait_for (&result), &error);
  *stats = phase_stats ("account test", ticker_restart (ticker));
  g_assert_no_error (error);
  assert_report_works (report);

  settings = ms_account_settings_new_from_report (report, &error);
  g_assert_no_error (error);

  return settings;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *providers = NULL;
  g_autofree char *home = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GSource) ticker_source = NULL;
  Stats test_stats[ROUNDS], export_stats[ROUNDS], idle;
  Ticker ticker = { 0 };
  gboolean idle_done = FALSE;
  char *text = NULL;

  directory = g_dir_make_tmp ("ms-bench-stall-XXXXXX", &error);
  g_assert_no_error (error);
  /* Nothing the exporters do may reach the real home. */
  home = g_build_filename (directory, "home", NULL);
  g_assert_cmpint (g_mkdir (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  providers = g_build_filename (directory, "providers", NULL);
  g_assert_cmpint (g_mkdir (providers, 0700), ==, 0);
  write_provider (providers);
  g_file_get_contents (env ("MS_TEST_PASSWORD_FILE"), &text, NULL, &error);
  g_assert_no_error (error);
  password = ms_secret_new_take (text);

  ticker_restart (&ticker);
  ticker_source = g_timeout_source_new (TICK_MS);
  g_source_set_priority (ticker_source, G_PRIORITY_HIGH);
  g_source_set_callback (ticker_source, tick_cb, &ticker, NULL);
  g_source_attach (ticker_source, NULL);

  /* The floor: the same ticker with nothing else to do. */
  g_timeout_add (IDLE_MS, idle_done_cb, &idle_done);
  while (!idle_done)
    g_main_context_iteration (NULL, TRUE);
  idle = phase_stats ("idle", ticker_restart (&ticker));

  /* The first round pays for what the process loads on first use, as the
   * wizard's first test does; the median says what a test costs. */
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(MsAccountSettings) settings = NULL;
      g_autofree char *name = g_strdup_printf ("round-%u", round + 1);
      g_autofree char *exports = g_build_filename (directory, name, NULL);

      g_assert_cmpint (g_mkdir (exports, 0700), ==, 0);
      settings = run_test (directory, providers, &ticker, &test_stats[round]);

      g_array_unref (ticker_restart (&ticker));
      export_all (settings, password, exports);
      export_stats[round] = phase_stats ("export", ticker_restart (&ticker));
    }

  g_print ("# idle floor on this machine: longest gap %.1f ms, 99th percentile %.1f ms\n",
           idle.longest / 1000.0, idle.p99 / 1000.0);
  print_summary ("account test (IMAP + POP3 + SMTP, logins, test message)", test_stats);
  print_summary ("export (8 file exporters, one after the other)", export_stats);

  g_source_destroy (ticker_source);
  g_array_unref (ticker.gaps);
  remove_tree (directory);

  return 0;
}
