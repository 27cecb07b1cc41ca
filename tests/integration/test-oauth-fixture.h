/* test-oauth-fixture.h: the C tests' client of the tests' authorization server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* tests/harness/oauth-server.py (at MS_TEST_OAUTH_URL) stands for the
 * provider's authorization server. Each call fails the test unless the
 * server answers 200 with a JSON object, within a hang bound. */
char       *oauth_fixture_url            (const char *path);
/* @form: soup_form_encode()'s text, or NULL for none. */
JsonObject *oauth_fixture_call           (const char *method,
                                          const char *path,
                                          const char *form);
/* POSTs the NULL-terminated key, value pairs as a form. */
JsonObject *oauth_fixture_post           (const char *path,
                                          const char *first_key,
                                          ...) G_GNUC_NULL_TERMINATED;
/* The server's count of @name ("introspect", "register" ...). */
gint64      oauth_fixture_calls          (const char *name);
/* How often dovecot asked about a token: once per bearer login
 * (postfix's included, which it asks dovecot for). */
gint64      oauth_fixture_introspections (void);

G_END_DECLS
