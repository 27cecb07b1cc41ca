/* test-discovery-untrusted.c: hostile web answers against a real HTTPS server on loopback
 *
 * Issue 9, finding 8: a "200 OK" with an empty body crashed every lookup
 * (libsoup gives no data; the provider parser read an error that was never
 * set), and any web source can send one, the plain-HTTP last resort that
 * anyone on the network can answer included. Finding 10: what such a
 * source says reaches the terminal. The web server is the real SoupServer
 * of test-discovery-fixture.c with the harness's CA; DNS answers come from
 * its resolver; guessing meets the harness's real dovecot and postfix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-discovery-private.h"
#include "ms-discovery.h"
#include "ms-untrusted-text.h"
#include "test-discovery-fixture.h"

#define TIMEOUT_MS 3000

static const char *web_names[] = {
  "autoconfig.empty.test", "empty.test", "ispdb.test", "autoconfig.hostile.test", "hostile.test", NULL
};

typedef struct
{
  GMainLoop          *loop;
  MsDiscoveryAttempt *winner;
  GError             *error;
  GPtrArray          *attempts;
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

static MsDiscovery *
new_discovery (const char *address_text)
{
  g_autoptr(MsAddress) address = ms_address_parse (address_text, NULL);
  g_autoptr(GTlsDatabase) tls = fixture_tls_database ();
  g_autoptr(MsProviderDatabase) database = NULL;
  g_autofree char *ispdb = g_strdup_printf ("https://ispdb.test:%u/v1.1/", fixture_web_https_port ());
  const char *no_dirs[] = { NULL };
  MsDiscoveryPort ports[] = {
    { MS_PROTOCOL_IMAP, fixture_env_port ("MS_TEST_IMAPS_PORT"), MS_SECURITY_TLS },
    { MS_PROTOCOL_SMTP, fixture_env_port ("MS_TEST_SUBMISSIONS_PORT"), MS_SECURITY_TLS },
  };
  MsDiscovery *discovery;

  g_assert_nonnull (address);
  database = ms_provider_database_new_for_directories (no_dirs, FALSE);
  ms_provider_database_load (database, NULL, NULL);

  discovery = ms_discovery_new (address);
  ms_discovery_set_provider_database (discovery, database);
  ms_discovery_set_tls_database (discovery, tls);
  ms_discovery_set_timeout (discovery, TIMEOUT_MS);
  ms_discovery_set_web_ports (discovery, fixture_web_https_port (), fixture_web_http_port ());
  ms_discovery_set_public_database_url (discovery, ispdb);
  ms_discovery_set_guess_ports (discovery, ports, G_N_ELEMENTS (ports));

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
run_discovery (MsDiscovery *discovery,
               Run         *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  ms_discovery_run_async (discovery, NULL, done_cb, run);
  g_main_loop_run (run->loop);
  run->attempts = ms_discovery_get_attempts (discovery);
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

  fixture_resolver_reset ();
  fixture_web_reset ();
  fixture_resolver_add_host ("autoconfig.empty.test", "127.0.0.1");
  fixture_resolver_add_host ("empty.test", "127.0.0.1");
  fixture_resolver_add_host ("ispdb.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.empty.test/mail/config-v1.1.xml", 200, "", 0);
  fixture_web_serve ("https://empty.test/.well-known/autoconfig/mail/config-v1.1.xml", 200, "", 0);
  fixture_web_serve ("https://ispdb.test/v1.1/empty.test", 200, "", 0);
  fixture_web_serve ("http://autoconfig.empty.test/mail/config-v1.1.xml", 200, "", 0);

  discovery = new_discovery ("alice@empty.test");
  run_discovery (discovery, &run);

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

  fixture_resolver_reset ();
  fixture_web_reset ();
  fixture_resolver_add_host ("autoconfig.hostile.test", "127.0.0.1");
  fixture_resolver_add_host ("hostile.test", "127.0.0.1");
  fixture_web_serve ("https://autoconfig.hostile.test/mail/config-v1.1.xml", 200, named, strlen (named));
  fixture_web_serve ("https://hostile.test/.well-known/autoconfig/mail/config-v1.1.xml", 200,
                     injected, strlen (injected));

  discovery = new_discovery ("alice@hostile.test");
  run_discovery (discovery, &run);

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

  g_test_add_func ("/discovery-untrusted/empty-body", test_empty_body);
  g_test_add_func ("/discovery-untrusted/hostile-text", test_hostile_text);

  return g_test_run ();
}
