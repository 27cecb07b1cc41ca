/* test-session-fixture.c: the MsSetupSession set-up the session tests share
 *
 * test-setup-session.c (passwords) and test-setup-session-oauth.c (the
 * sign-in) run their sessions against the same real parts: the harness's
 * dovecot and postfix behind its private CA, and discovery's real web
 * server of test-discovery-fixture.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-discovery-private.h"
#include "test-discovery-fixture.h"
#include "test-session-fixture.h"

void
fixture_store_result_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

void
fixture_wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
discovery_ports (MsDiscovery *discovery,
                 gpointer     user_data)
{
  g_autofree char *ispdb = g_strdup_printf ("https://ispdb.test:%u/v1.1/", fixture_web_https_port ());

  ms_discovery_set_web_ports (discovery, fixture_web_https_port (), fixture_web_http_port ());
  ms_discovery_set_public_database_url (discovery, ispdb);
  ms_discovery_set_guess_ports (discovery, NULL, 0);
}

MsSetupSession *
fixture_session_new (const char *address_text,
                     const char *provider_dir,
                     guint       timeout_ms)
{
  g_autoptr(MsAddress) address = ms_address_parse (address_text, NULL);
  g_autoptr(GTlsDatabase) tls = fixture_tls_database ();
  g_autoptr(MsProviderDatabase) database = NULL;
  const char *dirs[] = { provider_dir, NULL };
  MsSetupSession *session;

  g_assert_nonnull (address);
  database = ms_provider_database_new_for_directories (dirs, FALSE);
  g_assert_true (ms_provider_database_load (database, NULL, NULL));

  session = ms_setup_session_new (address, database);
  ms_setup_session_set_tls_database (session, tls);
  ms_setup_session_set_timeout (session, timeout_ms);
  ms_setup_session_set_discovery_func (session, discovery_ports, NULL);

  return session;
}

MsProvider *
fixture_session_lookup (MsSetupSession  *session,
                        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ms_setup_session_lookup_async (session, NULL, fixture_store_result_cb, &result);
  fixture_wait_for (&result);

  return ms_setup_session_lookup_finish (session, result, error);
}
