/* test-oauth-fixture.c: the C tests' client of the tests' authorization server
 *
 * The tests' own doors of tests/harness/oauth-server.py (issue, revoke,
 * behaviour, calls), which stands for the provider's authorization server:
 * real dovecot asks it about every bearer token. libsoup is the client, as
 * in the code under test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "test-oauth-fixture.h"

/* Bounds a hang of the loopback server, nothing more (seconds). */
#define OAUTH_FIXTURE_TIMEOUT 10

char *
oauth_fixture_url (const char *path)
{
  const char *base = g_getenv ("MS_TEST_OAUTH_URL");

  if (base == NULL || *base == '\0')
    g_error ("MS_TEST_OAUTH_URL is not set: run this test through tests/harness/run-with-mail-servers");

  return g_strconcat (base, path, NULL);
}

JsonObject *
oauth_fixture_call (const char *method,
                    const char *path,
                    const char *form)
{
  g_autofree char *url = oauth_fixture_url (path);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", OAUTH_FIXTURE_TIMEOUT, NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (form != NULL)
    message = soup_message_new_from_encoded_form (method, url, g_strdup (form));
  else
    message = soup_message_new (method, url);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (message) != SOUP_STATUS_OK || g_bytes_get_size (body) == 0)
    g_error ("%s %s: HTTP %u, %" G_GSIZE_FORMAT " bytes", method, path,
             soup_message_get_status (message), g_bytes_get_size (body));
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

JsonObject *
oauth_fixture_post (const char *path,
                    const char *first_key,
                    ...)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (form, (char *) key, va_arg (args, char *));
  va_end (args);
  encoded = soup_form_encode_hash (form);

  return oauth_fixture_call (SOUP_METHOD_POST, path, encoded);
}

gint64
oauth_fixture_calls (const char *name)
{
  g_autoptr(JsonObject) calls = oauth_fixture_call (SOUP_METHOD_GET, "/test/calls", NULL);

  return json_object_get_int_member (calls, name);
}

gint64
oauth_fixture_introspections (void)
{
  return oauth_fixture_calls ("introspect");
}
