/* test-discovery.c: autodiscovery against a real web server and the real mail servers
 *
 * Runs under tests/harness/run-with-mail-servers. DNS answers come from the
 * test resolver (test-discovery-fixture.c); web answers from a real HTTPS
 * SoupServer on loopback; the guessed servers are the harness's dovecot and
 * postfix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sys/resource.h>

#include "ms-account-test.h"
#include "ms-discovery-guess-private.h"
#include "ms-discovery-private.h"
#include "ms-discovery.h"
#include "ms-discovery-dns.h"
#include "ms-untrusted-text.h"
#include "test-discovery-fixture.h"

#define TIMEOUT_MS 3000

static const char *web_names[] = {
  "autoconfig.auto.test", "wk.test", "ispdb.test", "autoconfig.hoster.test",
  "autoconfig.evil.test", "evil.test", "autoconfig.redir.test", "autoconfig.slow.test",
  "autoconfig.decl.test", "autoconfig.attacker.test", "autoconfig.empty.test",
  "autoconfig.hop.test", "autoconfig.elsewhere.test", "empty.test",
  "autoconfig.hostile.test", "hostile.test", NULL
};

typedef struct
{
  GMainLoop          *loop;
  MsDiscoveryAttempt *winner;
  GError             *error;
  gint64              elapsed_ms;
  GPtrArray          *attempts;
  guint               changes;
} Run;

static void
run_clear (Run *run)
{
  g_clear_object (&run->winner);
  g_clear_error (&run->error);
  g_clear_pointer (&run->attempts, g_ptr_array_unref);
  g_clear_pointer (&run->loop, g_main_loop_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static MsDiscoveryPort *
harness_ports (guint *n_ports)
{
  MsDiscoveryPort *ports = g_new0 (MsDiscoveryPort, 6);

  ports[0] = (MsDiscoveryPort) { MS_PROTOCOL_IMAP, fixture_env_port ("MS_TEST_IMAPS_PORT"), MS_SECURITY_TLS };
  ports[1] = (MsDiscoveryPort) { MS_PROTOCOL_IMAP, fixture_env_port ("MS_TEST_IMAP_PORT"), MS_SECURITY_STARTTLS };
  ports[2] = (MsDiscoveryPort) { MS_PROTOCOL_POP3, fixture_env_port ("MS_TEST_POP3S_PORT"), MS_SECURITY_TLS };
  ports[3] = (MsDiscoveryPort) { MS_PROTOCOL_POP3, fixture_env_port ("MS_TEST_POP3_PORT"), MS_SECURITY_STARTTLS };
  ports[4] = (MsDiscoveryPort) { MS_PROTOCOL_SMTP, fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"), MS_SECURITY_TLS };
  ports[5] = (MsDiscoveryPort) { MS_PROTOCOL_SMTP, fixture_env_port ("MS_TEST_SUBMISSION_PORT"), MS_SECURITY_STARTTLS };
  *n_ports = 6;

  return ports;
}

static MsDiscovery *
new_discovery (const char *address_text)
{
  g_autoptr(MsAddress) address = ms_address_parse (address_text, NULL);
  g_autoptr(GTlsDatabase) tls = fixture_tls_database ();
  g_autoptr(MsProviderDatabase) database = NULL;
  g_autofree MsDiscoveryPort *ports = NULL;
  g_autofree char *ispdb = g_strdup_printf ("https://ispdb.test:%u/v1.1/", fixture_web_https_port ());
  const char *no_dirs[] = { NULL };
  MsDiscovery *discovery;
  guint n_ports;

  g_assert_nonnull (address);
  database = ms_provider_database_new_for_directories (no_dirs, FALSE);
  ms_provider_database_load (database, NULL, NULL);

  discovery = ms_discovery_new (address);
  ms_discovery_set_provider_database (discovery, database);
  ms_discovery_set_tls_database (discovery, tls);
  ms_discovery_set_timeout (discovery, TIMEOUT_MS);
  ms_discovery_set_web_ports (discovery, fixture_web_https_port (), fixture_web_http_port ());
  ms_discovery_set_public_database_url (discovery, ispdb);
  ports = harness_ports (&n_ports);
  ms_discovery_set_guess_ports (discovery, ports, n_ports);

  return discovery;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->winner = ms_discovery_run_finish (MS_DISCOVERY (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
changed_cb (MsDiscovery        *discovery,
            MsDiscoveryAttempt *attempt,
            Run                *run)
{
  run->changes++;
}

typedef struct
{
  GCancellable *cancellable;
  const char   *url;
} CancelWhen;

/* Cancels once the web server has received a request for the URL: the
 * discovery is then waiting on it, however slow the machine is. */
static gboolean
cancel_when_requested_cb (gpointer user_data)
{
  CancelWhen *when = user_data;
  GPtrArray *requests = fixture_web_requests (when->url);

  if (requests == NULL || requests->len == 0)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (when->cancellable);

  return G_SOURCE_REMOVE;
}

/* Runs DISCOVERY to its end; with CANCEL_WHEN_REQUESTED, cancels it once
 * the web server has received a request for that URL. */
static void
run_discovery (MsDiscovery *discovery,
               Run         *run,
               const char  *cancel_when_requested)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelWhen when = { cancellable, cancel_when_requested };
  guint poll = 0;
  gint64 start = g_get_monotonic_time ();

  run->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (discovery, "attempt-changed", G_CALLBACK (changed_cb), run);
  if (cancel_when_requested != NULL)
    poll = g_timeout_add (10, cancel_when_requested_cb, &when);
  ms_discovery_run_async (discovery, cancellable, done_cb, run);
  g_main_loop_run (run->loop);
  if (poll != 0 && !g_cancellable_is_cancelled (cancellable))
    g_source_remove (poll);
  run->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  run->attempts = ms_discovery_get_attempts (discovery);
  g_signal_handlers_disconnect_by_data (discovery, run);
}

static MsDiscoveryAttempt *
find_attempt (Run        *run,
              const char *name)
{
  for (guint i = 0; i < run->attempts->len; i++)
    {
      MsDiscoveryAttempt *attempt = g_ptr_array_index (run->attempts, i);

      if (g_str_equal (ms_discovery_attempt_get_name (attempt), name))
        return attempt;
    }

  g_error ("no attempt %s", name);
}

static MsServer *
first_server (MsDiscoveryAttempt *attempt,
              gboolean            incoming)
{
  MsProfile *profile = ms_provider_get_recommended_profile (ms_discovery_attempt_get_provider (attempt));
  GPtrArray *servers = incoming ? ms_profile_get_incoming (profile) : ms_profile_get_outgoing (profile);

  g_assert_cmpuint (servers->len, >, 0);

  return g_ptr_array_index (servers, 0);
}

static void
serve_xml (const char *url,
           const char *domain,
           const char *incoming,
           const char *outgoing)
{
  g_autofree char *xml = fixture_autoconfig_xml (domain, domain, incoming, 993, outgoing, 465);

  fixture_web_serve (url, 200, xml, strlen (xml));
}

static void
reset (void)
{
  fixture_resolver_reset ();
  fixture_web_reset ();
}

/* The domain's own autoconfig outranks SRV records even when the SRV
 * answer comes first, and the request carries the address (over HTTPS). */
static void
test_autoconfig_wins (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };
  GPtrArray *queries;

  reset ();
  fixture_resolver_add_host ("autoconfig.auto.test", "127.0.0.1");
  fixture_resolver_add_srv ("_imaps._tcp.auto.test", 0, 0, 993, "srv-imap.auto.test");
  fixture_resolver_add_srv ("_submissions._tcp.auto.test", 0, 0, 465, "srv-smtp.auto.test");
  serve_xml ("https://autoconfig.auto.test/mail/config-v1.1.xml", "auto.test",
             "imap.auto.test", "smtp.auto.test");

  discovery = new_discovery ("alice@auto.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "autoconfig");
  g_assert_cmpstr (first_server (run.winner, TRUE)->hostname, ==, "imap.auto.test");
  g_assert_false (ms_discovery_attempt_needs_confirmation (run.winner));
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "srv")), ==, MS_DISCOVERY_STATE_FOUND);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "provider-file")), ==,
                   MS_DISCOVERY_STATE_NOT_FOUND);
  /* The plain HTTP last resort never started. */
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "autoconfig-http")), ==,
                   MS_DISCOVERY_STATE_SKIPPED);
  g_assert_cmpuint (run.changes, >=, 6);

  queries = fixture_web_requests ("https://autoconfig.auto.test/mail/config-v1.1.xml");
  g_assert_nonnull (queries);
  g_assert_cmpstr (g_ptr_array_index (queries, 0), ==, "emailaddress=alice%40auto.test");
}

static void
test_well_known (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };

  reset ();
  fixture_resolver_add_host ("wk.test", "127.0.0.1");
  serve_xml ("https://wk.test/.well-known/autoconfig/mail/config-v1.1.xml", "wk.test",
             "imap.wk.test", "smtp.wk.test");

  discovery = new_discovery ("alice@wk.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "well-known");
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "autoconfig")), ==,
                   MS_DISCOVERY_STATE_NOT_FOUND);
}

/* SRV: implicit TLS preferred, "." means not offered, and servers outside
 * the domain need confirmation. */
static void
test_srv (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };
  guint16 imaps = fixture_env_port ("MS_TEST_IMAPS_PORT");
  guint16 imap = fixture_env_port ("MS_TEST_IMAP_PORT");
  guint16 submissions = fixture_env_port ("MS_TEST_SUBMISSIONS_PORT");
  MsServer *server;

  reset ();
  fixture_resolver_add_srv ("_imap._tcp.srv.test", 0, 0, imap, "mail.test.");
  fixture_resolver_add_srv ("_imaps._tcp.srv.test", 10, 0, imaps, "mail.test.");
  fixture_resolver_add_srv ("_submission._tcp.srv.test", 0, 0, 0, ".");
  fixture_resolver_add_srv ("_submissions._tcp.srv.test", 0, 0, submissions, "mail.test.");

  discovery = new_discovery ("alice@srv.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "srv");
  server = first_server (run.winner, TRUE);
  g_assert_cmpstr (server->hostname, ==, "mail.test");
  g_assert_cmpuint (server->port, ==, imaps);
  g_assert_cmpint (server->security, ==, MS_SECURITY_TLS);
  server = first_server (run.winner, FALSE);
  g_assert_cmpuint (server->port, ==, submissions);
  g_assert_cmpint (server->security, ==, MS_SECURITY_TLS);

  g_assert_true (ms_discovery_attempt_needs_confirmation (run.winner));
  g_assert_cmpint (ms_discovery_attempt_get_concerns (run.winner), ==,
                   MS_DISCOVERY_CONCERN_FOREIGN_SERVERS);
  g_assert_true (g_strv_contains (ms_discovery_attempt_get_foreign_hosts (run.winner), "mail.test"));
}

static void
test_srv_not_offered (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };

  reset ();
  fixture_resolver_add_srv ("_imaps._tcp.none.test", 0, 0, 0, ".");
  fixture_resolver_add_srv ("_submissions._tcp.none.test", 0, 0, 0, ".");

  discovery = new_discovery ("alice@none.test");
  run_discovery (discovery, &run, NULL);

  g_assert_error (run.error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "srv")), ==,
                   MS_DISCOVERY_STATE_NOT_FOUND);
}

static void
test_public_database (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_autoptr(MsDiscovery) off = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) run_off = { 0 };

  reset ();
  fixture_resolver_add_host ("ispdb.test", "127.0.0.1");
  serve_xml ("https://ispdb.test/v1.1/pub.test", "pub.test", "imap.pub.test", "smtp.pub.test");

  discovery = new_discovery ("alice@pub.test");
  run_discovery (discovery, &run, NULL);
  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "public-database");
  g_assert_cmpuint (fixture_web_requests ("https://ispdb.test/v1.1/pub.test")->len, ==, 1);
  /* The third party learns the domain only. */
  g_assert_cmpstr (g_ptr_array_index (fixture_web_requests ("https://ispdb.test/v1.1/pub.test"), 0), ==, "");
  /* A third party does not speak for the domain: the person is asked. */
  g_assert_cmpint (ms_discovery_attempt_get_concerns (run.winner), ==, MS_DISCOVERY_CONCERN_PUBLIC_DATABASE);

  /* Turned off: never asked. */
  off = new_discovery ("alice@pub.test");
  ms_discovery_set_use_public_database (off, FALSE);
  run_discovery (off, &run_off, NULL);
  g_assert_error (run_off.error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run_off, "public-database")), ==,
                   MS_DISCOVERY_STATE_SKIPPED);
  g_assert_cmpuint (fixture_web_requests ("https://ispdb.test/v1.1/pub.test")->len, ==, 1);
}

/* A company domain whose MX is at a hoster: the hoster's settings. */
static void
test_mx (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };

  reset ();
  fixture_resolver_add_mx ("company.test", 20, "mx2.other.test");
  fixture_resolver_add_mx ("company.test", 10, "mx1.eu.hoster.test");
  fixture_resolver_add_host ("autoconfig.hoster.test", "127.0.0.1");
  serve_xml ("https://autoconfig.hoster.test/mail/config-v1.1.xml", "hoster.test",
             "imap.hoster.test", "smtp.hoster.test");

  discovery = new_discovery ("boss@company.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "mx-autoconfig");
  g_assert_cmpstr (ms_discovery_attempt_get_domain (run.winner), ==, "hoster.test");
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "mx")), ==,
                   MS_DISCOVERY_STATE_FOLLOWED);
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (find_attempt (&run, "mx")),
                            "mx1.eu.hoster.test"));
  /* The MX record is not authenticated: whoever forged it would choose
   * the servers, so the person is asked, and the hoster never learns the
   * address. */
  g_assert_true (ms_discovery_attempt_needs_confirmation (run.winner));
  g_assert_true (ms_discovery_attempt_get_concerns (run.winner) & MS_DISCOVERY_CONCERN_VIA_MX);
  g_assert_cmpstr (g_ptr_array_index (fixture_web_requests ("https://autoconfig.hoster.test/mail/config-v1.1.xml"), 0),
                   ==, "");
}

/* Finding 3: an MX pointing at an attacker's domain, whose HTTPS
 * autoconfig declares the victim's domain and its own, and names its own
 * servers. The file's <domain> list does not make them trusted; the
 * password may not go there without the person's word. */
static void
test_mx_attacker (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  g_autofree char *xml = NULL;
  g_autofree char *explained = NULL;
  g_auto(GStrv) parts = NULL;

  reset ();
  fixture_resolver_add_mx ("victim.test", 10, "mx.attacker.test");
  fixture_resolver_add_host ("autoconfig.attacker.test", "127.0.0.1");
  xml = fixture_autoconfig_xml ("attacker.test", "attacker.test", "imap.attacker.test", 993,
                                "smtp.attacker.test", 465);
  parts = g_strsplit (xml, "<domain>attacker.test</domain>", 2);
  g_free (xml);
  xml = g_strjoinv ("<domain>attacker.test</domain><domain>victim.test</domain>", parts);
  fixture_web_serve ("https://autoconfig.attacker.test/mail/config-v1.1.xml", 200, xml, strlen (xml));

  discovery = new_discovery ("ceo@victim.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "mx-autoconfig");
  g_assert_true (ms_discovery_attempt_needs_confirmation (run.winner));
  g_assert_cmpint (ms_discovery_attempt_get_concerns (run.winner), ==,
                   MS_DISCOVERY_CONCERN_VIA_MX | MS_DISCOVERY_CONCERN_FOREIGN_SERVERS);
  g_assert_true (g_strv_contains (ms_discovery_attempt_get_foreign_hosts (run.winner), "imap.attacker.test"));
  /* Only the domain went to the attacker's web server. */
  g_assert_cmpstr (g_ptr_array_index (fixture_web_requests ("https://autoconfig.attacker.test/mail/config-v1.1.xml"), 0),
                   ==, "");

  /* The one decision: refused without the person's word, with the reason. */
  g_assert_false (ms_discovery_attempt_check_password (run.winner, FALSE, &error));
  g_assert_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION);
  g_assert_nonnull (strstr (error->message, "imap.attacker.test"));
  g_assert_nonnull (strstr (error->message, "mail record"));
  g_assert_true (ms_discovery_attempt_check_password (run.winner, TRUE, NULL));
  g_assert_true (ms_discovery_attempt_check_password (NULL, FALSE, NULL));
  explained = ms_discovery_attempt_explain_concerns (run.winner);
  g_assert_nonnull (strstr (explained, "victim.test"));
}

/* The domain's own autoconfig that names another domain's servers and
 * declares that domain too: the declaration extends no trust. */
static void
test_declared_domain (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };

  reset ();
  fixture_resolver_add_host ("autoconfig.decl.test", "127.0.0.1");
  serve_xml ("https://autoconfig.decl.test/mail/config-v1.1.xml", "elsewhere.test",
             "imap.elsewhere.test", "smtp.elsewhere.test");

  discovery = new_discovery ("alice@decl.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "autoconfig");
  g_assert_cmpint (ms_discovery_attempt_get_concerns (run.winner), ==, MS_DISCOVERY_CONCERN_FOREIGN_SERVERS);
}

/* Finding 11: SRV targets go through the host-name validator: one with a
 * ":port" (which would move the connection), quotes or markup is refused
 * and reported; the valid record is used. */
static void
test_srv_hostile_targets (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };
  guint16 imaps = fixture_env_port ("MS_TEST_IMAPS_PORT");
  guint16 submissions = fixture_env_port ("MS_TEST_SUBMISSIONS_PORT");
  const char *message;
  MsServer *server;

  reset ();
  fixture_resolver_add_srv ("_imaps._tcp.srvbad.test", 0, 0, imaps, "imap.srvbad.test:2525.");
  fixture_resolver_add_srv ("_imaps._tcp.srvbad.test", 1, 0, imaps, "im\"ap.srvbad.test.");
  fixture_resolver_add_srv ("_imaps._tcp.srvbad.test", 2, 0, imaps, "<b>imap</b>.srvbad.test.");
  fixture_resolver_add_srv ("_imaps._tcp.srvbad.test", 3, 0, imaps, "imap.srvbad.test.");
  fixture_resolver_add_srv ("_submissions._tcp.srvbad.test", 0, 0, submissions, "smtp.srvbad.test\nInjected: yes");
  fixture_resolver_add_srv ("_submissions._tcp.srvbad.test", 5, 0, submissions, "smtp.srvbad.test.");

  discovery = new_discovery ("alice@srvbad.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "srv");
  server = first_server (run.winner, TRUE);
  g_assert_cmpstr (server->hostname, ==, "imap.srvbad.test");
  g_assert_cmpuint (server->port, ==, imaps);
  server = first_server (run.winner, FALSE);
  g_assert_cmpstr (server->hostname, ==, "smtp.srvbad.test");
  g_assert_cmpuint (ms_profile_get_alternates (ms_provider_get_recommended_profile (
                      ms_discovery_attempt_get_provider (run.winner)))->len, ==, 0);
  message = ms_discovery_attempt_get_message (run.winner);
  g_assert_nonnull (strstr (message, "_imaps._tcp.srvbad.test"));
  g_assert_nonnull (strstr (message, "_submissions._tcp.srvbad.test"));
  g_assert_null (strchr (message, '\n'));
  g_assert_false (ms_discovery_attempt_needs_confirmation (run.winner));
}

/* Finding 11 for MX: a target that is no host name is never followed. */
static void
test_mx_hostile_target (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };

  reset ();
  fixture_resolver_add_mx ("mxbad.test", 10, "mx.hoster.test:2525");

  discovery = new_discovery ("boss@mxbad.test");
  run_discovery (discovery, &run, NULL);

  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "mx")), ==,
                   MS_DISCOVERY_STATE_NOT_FOUND);
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (find_attempt (&run, "mx")), "MX record"));
  for (guint i = 0; i < run.attempts->len; i++)
    g_assert_false (ms_discovery_attempt_get_via_mx (g_ptr_array_index (run.attempts, i)));
}

typedef struct
{
  guint      running;
  guint      most;
  guint      started;
  GMainLoop *loop;
  MsAccountReport *report;
} FloodRun;

static void
flood_started_cb (MsAccountTest *test,
                  MsServer      *server,
                  gboolean       alternate,
                  FloodRun      *run)
{
  run->started++;
  run->running++;
  run->most = MAX (run->most, run->running);
}

static void
flood_finished_cb (MsAccountTest *test,
                   MsProbeResult *result,
                   gboolean       alternate,
                   FloodRun      *run)
{
  run->running--;
}

static void
flood_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FloodRun *run = user_data;
  g_autoptr(GError) error = NULL;

  run->report = ms_account_test_run_finish (MS_ACCOUNT_TEST (object), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (run->loop);
}

/* Finding 9: thousands of in-domain SRV records. The best few per service
 * are kept, and testing the result opens a bounded number of connections
 * at once, under a low file-descriptor limit, without aborting. */
static void
test_srv_flood (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_autoptr(MsAccountTest) test = NULL;
  g_autoptr(MsAddress) address = ms_address_parse ("alice@flood.test", NULL);
  g_autoptr(GTlsDatabase) tls = fixture_tls_database ();
  g_auto(Run) run = { 0 };
  FloodRun flood = { 0 };
  struct rlimit saved;
  struct rlimit low;
  MsProfile *profile;
  guint servers;

  reset ();
  fixture_resolver_add_host ("imap.flood.test", "127.0.0.1");
  fixture_resolver_add_host ("smtp.flood.test", "127.0.0.1");
  for (guint i = 0; i < 3000; i++)
    {
      /* Closed loopback ports: each probe is refused at once. */
      fixture_resolver_add_srv ("_imaps._tcp.flood.test", i % 7, i % 11, 40000 + i % 3000, "imap.flood.test.");
      fixture_resolver_add_srv ("_submissions._tcp.flood.test", i % 5, 0, 43000 + i % 3000, "smtp.flood.test.");
    }

  discovery = new_discovery ("alice@flood.test");
  run_discovery (discovery, &run, NULL);
  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "srv");
  profile = ms_provider_get_recommended_profile (ms_discovery_attempt_get_provider (run.winner));
  servers = ms_profile_get_incoming (profile)->len + ms_profile_get_outgoing (profile)->len +
            ms_profile_get_alternates (profile)->len;
  g_assert_cmpuint (servers, ==, 2 * MS_DISCOVERY_SRV_MAX_RECORDS_PER_SERVICE);
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (run.winner), "ignored"));

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  low = saved;
  low.rlim_cur = MIN (saved.rlim_cur, 64);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);

  flood.loop = g_main_loop_new (NULL, FALSE);
  test = ms_account_test_new (address, ms_discovery_attempt_get_provider (run.winner), profile);
  ms_account_test_set_tls_database (test, tls);
  ms_account_test_set_timeout (test, TIMEOUT_MS);
  g_signal_connect (test, "server-started", G_CALLBACK (flood_started_cb), &flood);
  g_signal_connect (test, "server-finished", G_CALLBACK (flood_finished_cb), &flood);
  ms_account_test_run_async (test, NULL, flood_done_cb, &flood);
  g_main_loop_run (flood.loop);
  g_main_loop_unref (flood.loop);

  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  g_assert_nonnull (flood.report);
  g_assert_false (ms_account_report_works (flood.report));
  g_assert_cmpuint (flood.most, <=, MS_ACCOUNT_TEST_MAX_PROBES_IN_FLIGHT);
  g_assert_cmpuint (flood.started, >=, servers);
  g_clear_object (&flood.report);
}

/* Finding 14: a redirect to another domain is not followed. */
static void
test_redirect_elsewhere (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };
  g_autofree char *location = g_strdup_printf ("https://autoconfig.elsewhere.test:%u/mail/config-v1.1.xml",
                                               fixture_web_https_port ());

  reset ();
  fixture_resolver_add_host ("autoconfig.hop.test", "127.0.0.1");
  fixture_resolver_add_host ("autoconfig.elsewhere.test", "127.0.0.1");
  fixture_web_redirect ("https://autoconfig.hop.test/mail/config-v1.1.xml", location);
  serve_xml ("https://autoconfig.elsewhere.test/mail/config-v1.1.xml", "hop.test",
             "imap.hop.test", "smtp.hop.test");

  discovery = new_discovery ("alice@hop.test");
  run_discovery (discovery, &run, NULL);

  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "autoconfig")), ==,
                   MS_DISCOVERY_STATE_FAILED);
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (find_attempt (&run, "autoconfig")),
                            "outside"));
  g_assert_null (fixture_web_requests ("https://autoconfig.elsewhere.test/mail/config-v1.1.xml"));
}

/* The guesser against the real servers: dead names that refuse, a name
 * that never answers, a name whose certificate does not match. */
static void
test_guess (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };
  g_autofree MsDiscoveryPort *ports = NULL;
  guint16 silent_ports[6];
  guint n_ports;
  MsServer *server;

  reset ();
  ports = harness_ports (&n_ports);
  for (guint i = 0; i < n_ports; i++)
    silent_ports[i] = ports[i].port;
  fixture_silent_listen ("127.0.0.20", silent_ports, n_ports);

  fixture_resolver_add_host ("imap.mail.test", "127.0.0.9");   /* refuses */
  fixture_resolver_add_host ("smtp.mail.test", "127.0.0.9");   /* refuses */
  fixture_resolver_add_host ("mail.mail.test", "127.0.0.20");  /* never answers */
  fixture_resolver_add_host ("pop3.mail.test", "127.0.0.1");   /* wrong certificate name */
  fixture_resolver_add_host ("mail.test", "127.0.0.1");        /* the real thing */

  discovery = new_discovery ("alice@mail.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "guess");
  server = first_server (run.winner, TRUE);
  g_assert_cmpstr (server->hostname, ==, "mail.test");
  g_assert_cmpint (server->protocol, ==, MS_PROTOCOL_IMAP);
  g_assert_cmpuint (server->port, ==, fixture_env_port ("MS_TEST_IMAPS_PORT"));
  g_assert_cmpint (server->security, ==, MS_SECURITY_TLS);
  server = first_server (run.winner, FALSE);
  g_assert_cmpstr (server->hostname, ==, "mail.test");
  g_assert_cmpuint (server->port, ==, fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"));
  g_assert_false (ms_discovery_attempt_needs_confirmation (run.winner));

  /* The silent name cost one probe timeout at most. */
  g_assert_cmpint (run.elapsed_ms, <, TIMEOUT_MS + 1500);
}

/* Without silent candidates the guess ends as soon as the best one is
 * known: well before the timeout. */
static void
guess_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
guess_hang_cb (gpointer user_data)
{
  g_error ("the guess waited for its timeout: no result after 60 s");

  return G_SOURCE_REMOVE;
}

static void
test_guess_refused_only (void)
{
  g_autoptr(MsDiscoveryGuess) guess = ms_discovery_guess_new ("mail.test");
  g_autoptr(GTlsDatabase) tls = fixture_tls_database ();
  g_autofree MsDiscoveryPort *ports = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint hang;
  guint n_ports;

  reset ();
  fixture_resolver_add_host ("imap.mail.test", "127.0.0.9");
  fixture_resolver_add_host ("mail.mail.test", "127.0.0.9");
  fixture_resolver_add_host ("pop3.mail.test", "127.0.0.9");
  fixture_resolver_add_host ("smtp.mail.test", "127.0.0.9");
  fixture_resolver_add_host ("mail.test", "127.0.0.1");

  ports = harness_ports (&n_ports);
  ms_discovery_guess_set_ports (guess, ports, n_ports);
  ms_discovery_guess_set_tls_database (guess, tls);
  /* A timeout no run waits for: ending at all proves the guess did not
   * wait for it. The hang deadline below only bounds a hang. */
  ms_discovery_guess_set_timeout (guess, 10 * 60 * 1000);

  hang = g_timeout_add_seconds (60, guess_hang_cb, NULL);
  ms_discovery_guess_run_async (guess, NULL, guess_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (hang);

  provider = ms_discovery_guess_run_finish (guess, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, "guess:mail.test");
  /* IMAP over POP3, both on the same host and both valid. */
  g_assert_cmpint (((MsServer *) g_ptr_array_index (ms_profile_get_incoming (ms_provider_get_recommended_profile (provider)), 0))->protocol,
                   ==, MS_PROTOCOL_IMAP);
  g_assert_cmpuint (ms_discovery_guess_get_n_candidates (guess), ==, 3 * 2 + 4 * 2 + 3 * 2);
}

static void
test_plain_http (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };
  GPtrArray *queries;

  reset ();
  fixture_resolver_add_host ("autoconfig.plain.test", "127.0.0.1");
  serve_xml ("http://autoconfig.plain.test/mail/config-v1.1.xml", "plain.test",
             "imap.plain.test", "smtp.plain.test");

  discovery = new_discovery ("alice@plain.test");
  run_discovery (discovery, &run, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "autoconfig-http");
  g_assert_true (ms_discovery_attempt_needs_confirmation (run.winner));
  g_assert_cmpint (ms_discovery_attempt_get_concerns (run.winner), ==, MS_DISCOVERY_CONCERN_PLAIN_HTTP);
  /* Started only after everything else had failed, guessing included. */
  g_assert_cmpuint (ms_discovery_attempt_get_order (run.winner), >,
                    ms_discovery_attempt_get_order (find_attempt (&run, "guess")));
  /* The address never travelled in clear text. */
  queries = fixture_web_requests ("http://autoconfig.plain.test/mail/config-v1.1.xml");
  g_assert_cmpstr (g_ptr_array_index (queries, 0), ==, "");
}

static void
test_hostile (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_autoptr(MsDiscovery) redirected = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) run_redirect = { 0 };
  g_autoptr(GString) deep = g_string_new ("<?xml version=\"1.0\"?><clientConfig version=\"1.1\">");
  g_autofree char *huge = g_malloc (300 * 1024);
  g_autofree char *good = fixture_autoconfig_xml ("evil.test", "evil.test", "imap.evil.test", 993,
                                                  "smtp.evil.test", 465);
  g_auto(GStrv) parts = g_strsplit (good, "<port>993</port>", -1);
  g_autofree char *bad_port = g_strjoinv ("<port>99999</port>", parts);

  for (guint i = 0; i < 5000; i++)
    g_string_append (deep, "<a>");
  memset (huge, ' ', 300 * 1024);
  memcpy (huge, "<?xml version=\"1.0\"?>", 21);

  reset ();
  fixture_resolver_add_host ("autoconfig.evil.test", "127.0.0.1");
  fixture_resolver_add_host ("evil.test", "127.0.0.1");
  fixture_resolver_add_host ("ispdb.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.evil.test/mail/config-v1.1.xml", 200, deep->str, deep->len);
  fixture_web_serve ("https://evil.test/.well-known/autoconfig/mail/config-v1.1.xml", 200, huge, 300 * 1024);
  fixture_web_serve ("https://ispdb.test/v1.1/evil.test", 200, bad_port, strlen (bad_port));

  discovery = new_discovery ("alice@evil.test");
  run_discovery (discovery, &run, NULL);

  /* None of the hostile files won; evil.test's real servers (dovecot here,
   * whose certificate is not for evil.test) are found by guessing. */
  g_assert_no_error (run.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), ==, "guess");
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "autoconfig")), ==,
                   MS_DISCOVERY_STATE_FAILED);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "well-known")), ==,
                   MS_DISCOVERY_STATE_FAILED);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "public-database")), ==,
                   MS_DISCOVERY_STATE_FAILED);
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (find_attempt (&run, "autoconfig")),
                            "https://autoconfig.evil.test"));
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (find_attempt (&run, "well-known")),
                            "larger than"));
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (find_attempt (&run, "public-database")),
                            "99999"));

  /* A secure URL that redirects to plain HTTP is refused. */
  fixture_resolver_add_host ("autoconfig.redir.test", "127.0.0.1");
  fixture_web_redirect ("https://autoconfig.redir.test/mail/config-v1.1.xml",
                        "http://autoconfig.redir.test/mail/config-v1.1.xml");
  serve_xml ("http://autoconfig.redir.test/mail/config-v1.1.xml", "redir.test", "imap.redir.test",
             "smtp.redir.test");
  redirected = new_discovery ("alice@redir.test");
  run_discovery (redirected, &run_redirect, NULL);
  g_assert_nonnull (strstr (ms_discovery_attempt_get_message (find_attempt (&run_redirect, "autoconfig")),
                            "insecure"));
  /* It is still found, as the plain HTTP last resort, and marked so. */
  g_assert_no_error (run_redirect.error);
  g_assert_cmpstr (ms_discovery_attempt_get_name (run_redirect.winner), ==, "autoconfig-http");
  g_assert_true (ms_discovery_attempt_needs_confirmation (run_redirect.winner));
}

static void
test_cancel (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };

  reset ();
  fixture_resolver_add_host ("autoconfig.slow.test", "127.0.0.1");
  fixture_web_hang ("https://autoconfig.slow.test/mail/config-v1.1.xml");

  discovery = new_discovery ("alice@slow.test");
  /* The hanging request would end only at the discovery's timeout, with
   * another error: CANCELLED proves the cancellation ended it. */
  run_discovery (discovery, &run, "https://autoconfig.slow.test/mail/config-v1.1.xml");

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ms_discovery_attempt_get_state (find_attempt (&run, "autoconfig")), ==,
                   MS_DISCOVERY_STATE_CANCELLED);
}

static void
assert_plain_line (const char *text)
{
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)));
}

static void
assert_ended_with (Run              *run,
                   const char       *name,
                   MsDiscoveryState  state,
                   const char       *words)
{
  MsDiscoveryAttempt *attempt = find_attempt (run, name);
  const char *message = ms_discovery_attempt_get_message (attempt);

  g_assert_cmpint (ms_discovery_attempt_get_state (attempt), ==, state);
  assert_plain_line (message);
  g_assert_nonnull (strstr (message, words));
}

/* Finding 8: every web source answers "200 OK" and nothing else (it
 * crashed the parser): each is "not found" with a clear reason, the
 * lookup ends, nothing crashes. */
static void
test_empty_body (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };

  reset ();
  fixture_resolver_add_host ("autoconfig.empty.test", "127.0.0.1");
  fixture_resolver_add_host ("empty.test", "127.0.0.1");
  fixture_resolver_add_host ("ispdb.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.empty.test/mail/config-v1.1.xml", 200, "", 0);
  fixture_web_serve ("https://empty.test/.well-known/autoconfig/mail/config-v1.1.xml", 200, "", 0);
  fixture_web_serve ("https://ispdb.test/v1.1/empty.test", 200, "", 0);
  fixture_web_serve ("http://autoconfig.empty.test/mail/config-v1.1.xml", 200, "", 0);

  discovery = new_discovery ("alice@empty.test");
  run_discovery (discovery, &run, NULL);

  g_assert_true (run.winner != NULL || run.error != NULL);
  assert_ended_with (&run, "autoconfig", MS_DISCOVERY_STATE_NOT_FOUND, "https://autoconfig.empty.test");
  assert_ended_with (&run, "autoconfig", MS_DISCOVERY_STATE_NOT_FOUND, "empty");
  assert_ended_with (&run, "well-known", MS_DISCOVERY_STATE_NOT_FOUND, "empty");
  assert_ended_with (&run, "public-database", MS_DISCOVERY_STATE_NOT_FOUND, "empty");
}

/* A file whose name clears the screen and retitles the window, and whose
 * username would inject a line into an exported configuration: refused
 * where it enters, and the reason shown is one clean line. */
static void
test_hostile_text (void)
{
  g_autoptr(MsDiscovery) discovery = NULL;
  g_auto(Run) run = { 0 };
  const char *named =
    "<clientConfig version=\"1.1\">\n<emailProvider id=\"hostile.test\">\n<domain>hostile.test</domain>\n"
    "<displayName>&#27;[2J&#27;]0;owned&#7;Result: the account works&#8232;&#x202E;</displayName>\n"
    "<incomingServer type=\"imap\"><hostname>imap.hostile.test</hostname><port>993</port>"
    "<socketType>SSL</socketType></incomingServer>\n</emailProvider>\n</clientConfig>\n";
  const char *injected =
    "<clientConfig version=\"1.1\">\n<emailProvider id=\"hostile.test\">\n<domain>hostile.test</domain>\n"
    "<incomingServer type=\"imap\"><hostname>imap.hostile.test</hostname><port>993</port>"
    "<socketType>SSL</socketType><username>%EMAILADDRESS%&#10;source 'id|'</username></incomingServer>\n"
    "</emailProvider>\n</clientConfig>\n";

  reset ();
  fixture_resolver_add_host ("autoconfig.hostile.test", "127.0.0.1");
  fixture_resolver_add_host ("hostile.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.hostile.test/mail/config-v1.1.xml", 200, named, strlen (named));
  fixture_web_serve ("https://hostile.test/.well-known/autoconfig/mail/config-v1.1.xml", 200,
                     injected, strlen (injected));

  discovery = new_discovery ("alice@hostile.test");
  run_discovery (discovery, &run, NULL);

  g_assert_true (run.winner != NULL || run.error != NULL);
  if (run.winner != NULL)
    g_assert_cmpstr (ms_discovery_attempt_get_name (run.winner), !=, "autoconfig");
  assert_ended_with (&run, "autoconfig", MS_DISCOVERY_STATE_FAILED, "<displayName>");
  assert_ended_with (&run, "well-known", MS_DISCOVERY_STATE_FAILED, "<username>");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Proxies from the environment would take loopback traffic elsewhere. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  fixture_resolver_install ();
  fixture_web_start (web_names);

  g_test_add_func ("/discovery/autoconfig-wins", test_autoconfig_wins);
  g_test_add_func ("/discovery/well-known", test_well_known);
  g_test_add_func ("/discovery/srv", test_srv);
  g_test_add_func ("/discovery/srv-not-offered", test_srv_not_offered);
  g_test_add_func ("/discovery/public-database", test_public_database);
  g_test_add_func ("/discovery/mx", test_mx);
  g_test_add_func ("/discovery/mx-attacker", test_mx_attacker);
  g_test_add_func ("/discovery/declared-domain", test_declared_domain);
  g_test_add_func ("/discovery/srv-hostile-targets", test_srv_hostile_targets);
  g_test_add_func ("/discovery/mx-hostile-target", test_mx_hostile_target);
  g_test_add_func ("/discovery/srv-flood", test_srv_flood);
  g_test_add_func ("/discovery/redirect-elsewhere", test_redirect_elsewhere);
  g_test_add_func ("/discovery/empty-body", test_empty_body);
  g_test_add_func ("/discovery/hostile-text", test_hostile_text);
  g_test_add_func ("/discovery/guess", test_guess);
  g_test_add_func ("/discovery/guess-refused-only", test_guess_refused_only);
  g_test_add_func ("/discovery/plain-http", test_plain_http);
  g_test_add_func ("/discovery/hostile", test_hostile);
  g_test_add_func ("/discovery/cancel", test_cancel);

  return g_test_run ();
}
