/* test-discovery-fixture.h: a resolver that answers for test names, and a real web server on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The fake resolver: installed with g_resolver_set_default(), it answers
 * only the names a test gave it (A/AAAA, MX, SRV) and says "not found" for
 * everything else, so no test ever reaches the real DNS. */
void         fixture_resolver_install   (void);
void         fixture_resolver_reset     (void);
void         fixture_resolver_add_host  (const char *name,
                                         const char *address);
void         fixture_resolver_add_mx    (const char *domain,
                                         guint16     preference,
                                         const char *host);
void         fixture_resolver_add_srv   (const char *name,
                                         guint16     priority,
                                         guint16     weight,
                                         guint16     port,
                                         const char *target);

/* The web server: a real SoupServer with HTTPS (a certificate for the
 * given names, signed by the harness's private CA) and plain HTTP. */
void         fixture_web_start          (const char * const *names);
guint16      fixture_web_https_port     (void);
guint16      fixture_web_http_port      (void);
void         fixture_web_reset          (void);
/* @url is "https://host/path" or "http://host/path" (no port, no query). */
void         fixture_web_serve          (const char *url,
                                         guint       status,
                                         const char *body,
                                         gsize       length);
void         fixture_web_redirect       (const char *url,
                                         const char *location);
void         fixture_web_hang           (const char *url);
/* The query strings received for @url, one per request, "" for none. */
GPtrArray   *fixture_web_requests       (const char *url);

/* A listener on every given port of @address that accepts connections and
 * never says a word: a server that never answers. */
void         fixture_silent_listen      (const char    *address,
                                         const guint16 *ports,
                                         guint          n_ports);

GTlsDatabase *fixture_tls_database      (void);
const char   *fixture_need_env          (const char *name);
guint16       fixture_env_port          (const char *name);
char         *fixture_autoconfig_xml    (const char *id,
                                         const char *domain,
                                         const char *incoming_host,
                                         guint16     incoming_port,
                                         const char *outgoing_host,
                                         guint16     outgoing_port);

G_END_DECLS
