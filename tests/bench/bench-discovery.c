/* bench-discovery.c: how much the guesser's dead candidates cost, against the real servers
 *
 * Not a timed test: prints the ratios of one run. Run through
 * tests/harness/run-with-mail-servers (`meson test --benchmark`).
 *
 *  1. Refusing dead candidates: the guess's time against the winning
 *     candidate's own probe time (target: at most 1.5).
 *  2. Silent dead candidates: the guess's time against one probe timeout
 *     (target: never more than 1.0 plus scheduling).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-discovery-guess.h"
#include "ms-probe.h"
#include "test-discovery-fixture.h"

#define ROUNDS 5
#define SILENT_TIMEOUT_MS 2000

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

static MsDiscoveryPort *
harness_ports (guint *n_ports)
{
  MsDiscoveryPort *ports = g_new0 (MsDiscoveryPort, 4);

  ports[0] = (MsDiscoveryPort) { MS_PROTOCOL_IMAP, fixture_env_port ("MS_TEST_IMAPS_PORT"), MS_SECURITY_TLS };
  ports[1] = (MsDiscoveryPort) { MS_PROTOCOL_IMAP, fixture_env_port ("MS_TEST_IMAP_PORT"), MS_SECURITY_STARTTLS };
  ports[2] = (MsDiscoveryPort) { MS_PROTOCOL_SMTP, fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"), MS_SECURITY_TLS };
  ports[3] = (MsDiscoveryPort) { MS_PROTOCOL_SMTP, fixture_env_port ("MS_TEST_SUBMISSION_PORT"), MS_SECURITY_STARTTLS };
  *n_ports = 4;

  return ports;
}

/* One probe of one of the winning servers. */
static double
probe_one_ms (GTlsDatabase *tls,
              MsProtocol    protocol,
              const char   *port_variable)
{
  g_autoptr(MsServer) server = ms_server_new (protocol, "mail.test",
                                              fixture_env_port (port_variable), MS_SECURITY_TLS);
  g_autoptr(MsProbe) probe = ms_probe_new (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MsProbeResult) probe_result = NULL;
  gint64 start = g_get_monotonic_time ();

  ms_probe_set_tls_database (probe, tls);
  ms_probe_run_async (probe, NULL, store_result_cb, &result);
  probe_result = ms_probe_run_finish (probe, wait_for (&result), NULL);
  g_assert_true (ms_probe_result_works (probe_result));

  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The winners' own test: the incoming and the outgoing server probed at
 * once, as the account test does. */
/* The two winners probed together, as the lookup runs them, but without
 * the dead candidates: what the lookup would take if it knew the answer. */
static double
probe_pair_ms (GTlsDatabase *tls)
{
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "mail.test",
                                            fixture_env_port ("MS_TEST_IMAPS_PORT"), MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "mail.test",
                                            fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"), MS_SECURITY_TLS);
  g_autoptr(MsProbe) incoming = ms_probe_new (imap);
  g_autoptr(MsProbe) outgoing = ms_probe_new (smtp);
  g_autoptr(GAsyncResult) incoming_result = NULL;
  g_autoptr(GAsyncResult) outgoing_result = NULL;
  g_autoptr(MsProbeResult) incoming_probe = NULL;
  g_autoptr(MsProbeResult) outgoing_probe = NULL;
  gint64 start = g_get_monotonic_time ();

  ms_probe_set_tls_database (incoming, tls);
  ms_probe_set_tls_database (outgoing, tls);
  ms_probe_run_async (incoming, NULL, store_result_cb, &incoming_result);
  ms_probe_run_async (outgoing, NULL, store_result_cb, &outgoing_result);
  incoming_probe = ms_probe_run_finish (incoming, wait_for (&incoming_result), NULL);
  outgoing_probe = ms_probe_run_finish (outgoing, wait_for (&outgoing_result), NULL);
  g_assert_true (ms_probe_result_works (incoming_probe));
  g_assert_true (ms_probe_result_works (outgoing_probe));

  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
probe_ms (GTlsDatabase *tls)
{
  double incoming = probe_one_ms (tls, MS_PROTOCOL_IMAP, "MS_TEST_IMAPS_PORT");
  double outgoing = probe_one_ms (tls, MS_PROTOCOL_SMTP, "MS_TEST_SUBMISSIONS_PORT");

  g_print ("  (winners probed alone: incoming %.1f ms, outgoing %.1f ms)\n", incoming, outgoing);

  return MAX (incoming, outgoing);
}

static void
settle_servers (void)
{
  g_usleep (300 * 1000);
}

static double
guess_ms (GTlsDatabase *tls,
          guint         timeout_ms,
          gint64       *winner_in_run_ms)
{
  g_autoptr(MsDiscoveryGuess) guess = ms_discovery_guess_new ("mail.test");
  g_autofree MsDiscoveryPort *ports = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint n_ports;

  ports = harness_ports (&n_ports);
  ms_discovery_guess_set_ports (guess, ports, n_ports);
  ms_discovery_guess_set_tls_database (guess, tls);
  ms_discovery_guess_set_timeout (guess, timeout_ms);

  start = g_get_monotonic_time ();
  ms_discovery_guess_run_async (guess, NULL, store_result_cb, &result);
  provider = ms_discovery_guess_run_finish (guess, wait_for (&result), &error);
  g_assert_no_error (error);

  if (winner_in_run_ms != NULL)
    {
      g_autoptr(GPtrArray) results = ms_discovery_guess_get_results (guess);
      MsProfile *profile = ms_provider_get_recommended_profile (provider);

      /* The winners' own probes, as they ran inside this lookup. */
      *winner_in_run_ms = 0;
      for (guint i = 0; i < results->len; i++)
        {
          MsProbeResult *probe = g_ptr_array_index (results, i);
          MsServer *in = g_ptr_array_index (ms_profile_get_incoming (profile), 0);
          MsServer *out = g_ptr_array_index (ms_profile_get_outgoing (profile), 0);

          if ((g_str_equal (probe->server->hostname, in->hostname) && probe->server->port == in->port) ||
              (g_str_equal (probe->server->hostname, out->hostname) && probe->server->port == out->port))
            *winner_in_run_ms = MAX (*winner_in_run_ms, probe->stage_ms[MS_PROBE_STAGE_TOTAL]);
        }
    }

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GTlsDatabase) tls = NULL;
  g_autofree MsDiscoveryPort *ports = NULL;
  guint16 silent[4];
  guint n_ports;
  double probe_total = 0, pair_total = 0, guess_total = 0, in_run_total = 0, worst_ratio = 0;

  fixture_resolver_install ();
  tls = fixture_tls_database ();

  /* Warm up: the first TLS handshake loads the trust store. */
  fixture_resolver_add_host ("mail.test", "127.0.0.1");
  probe_ms (tls);

  /* 1. Every other name refuses. */
  fixture_resolver_add_host ("imap.mail.test", "127.0.0.9");
  fixture_resolver_add_host ("mail.mail.test", "127.0.0.9");
  fixture_resolver_add_host ("smtp.mail.test", "127.0.0.9");
  for (guint i = 0; i < ROUNDS; i++)
    {
      double probe, pair, guess;
      gint64 winner_in_run;

      /* Each measurement starts with the servers idle: postfix forks a
       * new smtpd (tens of ms) while the previous session's process is
       * still finishing, which would charge one side for the other. */
      settle_servers ();
      probe = probe_ms (tls);
      settle_servers ();
      pair = probe_pair_ms (tls);
      pair_total += pair;
      settle_servers ();
      guess = guess_ms (tls, 10000, &winner_in_run);
      in_run_total += winner_in_run;

      probe_total += probe;
      guess_total += guess;
      g_print ("refusing round %u: winners probed together %.1f ms (one after the other %.1f ms, "
               "inside the lookup %" G_GINT64_FORMAT " ms); guess %.1f ms, ratio %.2f\n",
               i + 1, pair, probe, winner_in_run, guess, guess / pair);
      worst_ratio = MAX (worst_ratio, guess / pair);
    }
  g_print ("refusing: lookup / the winners' own test (both probed together, as the lookup does): "
           "mean ratio %.2f (worst %.2f), target <= 1.5\n", guess_total / pair_total, worst_ratio);
  g_print ("refusing: lookup / the slower winner probed on its own: mean ratio %.2f "
           "(on this 2-core machine the two servers' work overlaps when probed together)\n",
           guess_total / probe_total);
  g_print ("refusing: lookup / the winners' probes inside it: mean ratio %.2f\n",
           guess_total / in_run_total);

  /* 2. A better-ranked name that never answers. */
  ports = harness_ports (&n_ports);
  for (guint i = 0; i < n_ports; i++)
    silent[i] = ports[i].port;
  fixture_silent_listen ("127.0.0.21", silent, n_ports);
  fixture_resolver_reset ();
  fixture_resolver_add_host ("mail.test", "127.0.0.1");
  fixture_resolver_add_host ("imap.mail.test", "127.0.0.21");
  fixture_resolver_add_host ("mail.mail.test", "127.0.0.21");
  fixture_resolver_add_host ("smtp.mail.test", "127.0.0.21");
  {
    double guess = guess_ms (tls, SILENT_TIMEOUT_MS, NULL);

    g_print ("silent: probe timeout %d ms, guess %.1f ms, ratio %.2f, target <= 1.0 (+ scheduling)\n",
             SILENT_TIMEOUT_MS, guess, guess / SILENT_TIMEOUT_MS);
  }

  return 0;
}
