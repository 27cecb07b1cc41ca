/* test-discovery-fixture.c: a resolver that answers for test names, and a real web server on loopback
 *
 * The resolver is the one fake part, and only because the tests cannot own
 * DNS zones: it is a GResolver subclass installed as the process default,
 * so GSocketClient, libsoup and discovery all go through it. The web server
 * is a real libsoup SoupServer speaking real HTTPS with a certificate
 * signed by the harness's private CA (tests/harness/mailservers.py), and the
 * mail servers behind the names are the harness's real dovecot and postfix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "test-discovery-fixture.h"

/* The resolver */

#define FIXTURE_TYPE_RESOLVER (fixture_resolver_get_type ())
G_DECLARE_FINAL_TYPE (FixtureResolver, fixture_resolver, FIXTURE, RESOLVER, GResolver)

struct _FixtureResolver
{
  GResolver   parent_instance;
  GHashTable *hosts;    /* name -> GPtrArray of address strings */
  GHashTable *records;  /* "TYPE name" -> GPtrArray of GVariant */
};

G_DEFINE_FINAL_TYPE (FixtureResolver, fixture_resolver, G_TYPE_RESOLVER)

static FixtureResolver *the_resolver;

static GList *
resolve_name (FixtureResolver          *self,
              const char               *name,
              GResolverNameLookupFlags  flags,
              GError                  **error)
{
  GPtrArray *addresses = g_hash_table_lookup (self->hosts, name);
  GList *list = NULL;

  if (addresses != NULL && !(flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY))
    for (guint i = 0; i < addresses->len; i++)
      list = g_list_append (list, g_inet_address_new_from_string (g_ptr_array_index (addresses, i)));

  if (list == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "test resolver: no address for %s", name);

  return list;
}

static GList *
lookup_by_name (GResolver     *resolver,
                const char    *name,
                GCancellable  *cancellable,
                GError       **error)
{
  return resolve_name (FIXTURE_RESOLVER (resolver), name, 0, error);
}

static GList *
lookup_by_name_with_flags (GResolver                 *resolver,
                           const char                *name,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  return resolve_name (FIXTURE_RESOLVER (resolver), name, flags, error);
}

static void
free_address_list (gpointer list)
{
  g_resolver_free_addresses (list);
}

static void
lookup_by_name_with_flags_async (GResolver                *resolver,
                                 const char               *name,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *list = resolve_name (FIXTURE_RESOLVER (resolver), name, flags, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, free_address_list);
}

static void
lookup_by_name_async (GResolver           *resolver,
                      const char          *name,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  lookup_by_name_with_flags_async (resolver, name, 0, cancellable, callback, user_data);
}

static GList *
lookup_by_name_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
find_records (FixtureResolver      *self,
              const char           *name,
              GResolverRecordType   type,
              GError              **error)
{
  g_autofree char *key = g_strdup_printf ("%d %s", type, name);
  GPtrArray *records = g_hash_table_lookup (self->records, key);
  GList *list = NULL;

  for (guint i = 0; records != NULL && i < records->len; i++)
    list = g_list_append (list, g_variant_ref (g_ptr_array_index (records, i)));

  if (list == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "test resolver: no records for %s", name);

  return list;
}

static void
free_record_list (gpointer list)
{
  g_list_free_full (list, (GDestroyNotify) g_variant_unref);
}

static GList *
lookup_records (GResolver            *resolver,
                const char           *name,
                GResolverRecordType   type,
                GCancellable         *cancellable,
                GError              **error)
{
  return find_records (FIXTURE_RESOLVER (resolver), name, type, error);
}

static void
lookup_records_async (GResolver           *resolver,
                      const char          *name,
                      GResolverRecordType  type,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *list = find_records (FIXTURE_RESOLVER (resolver), name, type, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, free_record_list);
}

static GList *
lookup_records_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fixture_resolver_class_init (FixtureResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_async = lookup_by_name_async;
  resolver_class->lookup_by_name_finish = lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags = lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_by_name_finish;
  resolver_class->lookup_records = lookup_records;
  resolver_class->lookup_records_async = lookup_records_async;
  resolver_class->lookup_records_finish = lookup_records_finish;
}

static void
fixture_resolver_init (FixtureResolver *self)
{
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
}

void
fixture_resolver_install (void)
{
  if (the_resolver == NULL)
    {
      the_resolver = g_object_new (FIXTURE_TYPE_RESOLVER, NULL);
      g_resolver_set_default (G_RESOLVER (the_resolver));
    }
}

void
fixture_resolver_reset (void)
{
  fixture_resolver_install ();
  g_hash_table_remove_all (the_resolver->hosts);
  g_hash_table_remove_all (the_resolver->records);
}

void
fixture_resolver_add_host (const char *name,
                           const char *address)
{
  GPtrArray *addresses;

  fixture_resolver_install ();
  addresses = g_hash_table_lookup (the_resolver->hosts, name);
  if (addresses == NULL)
    {
      addresses = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (the_resolver->hosts, g_strdup (name), addresses);
    }
  g_ptr_array_add (addresses, g_strdup (address));
}

static void
add_record (GResolverRecordType  type,
            const char          *name,
            GVariant            *record)
{
  char *key = g_strdup_printf ("%d %s", type, name);
  GPtrArray *records;

  fixture_resolver_install ();
  records = g_hash_table_lookup (the_resolver->records, key);
  if (records == NULL)
    {
      records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      g_hash_table_insert (the_resolver->records, key, records);
    }
  else
    g_free (key);
  g_ptr_array_add (records, g_variant_ref_sink (record));
}

void
fixture_resolver_add_mx (const char *domain,
                         guint16     preference,
                         const char *host)
{
  add_record (G_RESOLVER_RECORD_MX, domain, g_variant_new ("(qs)", preference, host));
}

void
fixture_resolver_add_srv (const char *name,
                          guint16     priority,
                          guint16     weight,
                          guint16     port,
                          const char *target)
{
  add_record (G_RESOLVER_RECORD_SRV, name, g_variant_new ("(qqqs)", priority, weight, port, target));
}

/* The web server */

typedef struct
{
  guint   status;
  GBytes *body;
  char   *location;
  gboolean hang;
} Response;

static SoupServer *web_server;
static guint16 https_port;
static guint16 http_port;
static GHashTable *responses;  /* url -> Response */
static GHashTable *requests;   /* url -> GPtrArray of queries */
static GPtrArray *hung;        /* SoupServerMessage, kept so they never finish */

static void
response_free (Response *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->location);
  g_free (response);
}

static void
web_handler (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GUri *uri = soup_server_message_get_uri (message);
  g_autofree char *url = g_strdup_printf ("%s://%s%s", g_uri_get_scheme (uri), g_uri_get_host (uri),
                                          g_uri_get_path (uri));
  GPtrArray *queries = g_hash_table_lookup (requests, url);
  Response *response = g_hash_table_lookup (responses, url);

  if (queries == NULL)
    {
      queries = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (requests, g_strdup (url), queries);
    }
  g_ptr_array_add (queries, g_strdup (g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : ""));

  if (response == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (response->hang)
    {
      g_ptr_array_add (hung, g_object_ref (message));
      soup_server_message_pause (message);
      return;
    }

  soup_server_message_set_status (message, response->status, NULL);
  if (response->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "Location", response->location);
  if (response->body != NULL)
    soup_server_message_set_response (message, "application/xml", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (response->body, NULL),
                                      g_bytes_get_size (response->body));
}

const char *
fixture_need_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this through tests/harness/run-with-mail-servers", name);

  return value;
}

guint16
fixture_env_port (const char *name)
{
  return (guint16) g_ascii_strtoull (fixture_need_env (name), NULL, 10);
}

GTlsDatabase *
fixture_tls_database (void)
{
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database = g_tls_file_database_new (fixture_need_env ("MS_TEST_CA_FILE"), &error);

  g_assert_no_error (error);

  return database;
}

static void
run_certtool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &output, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("certtool failed (is gnutls-bin installed?): %s", error->message);
}

/* A certificate for @names from the harness's CA, whose key the harness
 * keeps next to its certificate. */
static GTlsCertificate *
make_certificate (const char * const *names)
{
  const char *ca_file = fixture_need_env ("MS_TEST_CA_FILE");
  g_autofree char *ca_dir = g_path_get_dirname (ca_file);
  g_autofree char *ca_key = g_build_filename (ca_dir, "ca.key", NULL);
  g_autofree char *dir = g_dir_make_tmp ("ms-discovery-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "web.key", NULL);
  g_autofree char *cert = g_build_filename (dir, "web.pem", NULL);
  g_autofree char *tmpl = g_build_filename (dir, "web.tmpl", NULL);
  g_autoptr(GString) text = g_string_new ("cn = \"discovery test\"\n");
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  if (!g_file_test (ca_key, G_FILE_TEST_EXISTS))
    g_error ("the harness's CA key %s is missing", ca_key);

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (text, "dns_name = \"%s\"\n", names[i]);
  g_string_append (text, "tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n");
  g_file_set_contents (tmpl, text->str, -1, &error);
  g_assert_no_error (error);

  run_certtool ((const char *[]) { "certtool", "--generate-privkey", "--key-type=ecdsa",
                                   "--curve=secp256r1", "--outfile", key, NULL });
  run_certtool ((const char *[]) { "certtool", "--generate-certificate", "--load-privkey", key,
                                   "--load-ca-certificate", ca_file, "--load-ca-privkey", ca_key,
                                   "--template", tmpl, "--outfile", cert, NULL });

  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);

  g_unlink (key);
  g_unlink (cert);
  g_unlink (tmpl);
  g_rmdir (dir);

  return certificate;
}

static guint16
listen_on (SoupServerListenOptions options)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint16 port = 0;
  gboolean https = (options & SOUP_SERVER_LISTEN_HTTPS) != 0;

  soup_server_listen (web_server, address, options, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (web_server);
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      gboolean is_https = g_str_equal (g_uri_get_scheme (l->data), "https");
      guint16 candidate = g_uri_get_port (l->data);

      if (is_https == https && candidate != https_port && candidate != http_port)
        port = candidate;
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_cmpuint (port, !=, 0);

  return port;
}

void
fixture_web_start (const char * const *names)
{
  g_autoptr(GTlsCertificate) certificate = make_certificate (names);

  responses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) response_free);
  requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  hung = g_ptr_array_new_with_free_func (g_object_unref);

  web_server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (web_server, NULL, web_handler, NULL, NULL);
  https_port = listen_on (SOUP_SERVER_LISTEN_HTTPS);
  http_port = listen_on (0);
}

guint16
fixture_web_https_port (void)
{
  return https_port;
}

guint16
fixture_web_http_port (void)
{
  return http_port;
}

void
fixture_web_reset (void)
{
  g_hash_table_remove_all (responses);
  g_hash_table_remove_all (requests);
}

void
fixture_web_serve (const char *url,
                   guint       status,
                   const char *body,
                   gsize       length)
{
  Response *response = g_new0 (Response, 1);

  response->status = status;
  response->body = body != NULL ? g_bytes_new (body, length) : NULL;
  g_hash_table_replace (responses, g_strdup (url), response);
}

void
fixture_web_redirect (const char *url,
                      const char *location)
{
  Response *response = g_new0 (Response, 1);

  response->status = SOUP_STATUS_FOUND;
  response->location = g_strdup (location);
  g_hash_table_replace (responses, g_strdup (url), response);
}

void
fixture_web_hang (const char *url)
{
  Response *response = g_new0 (Response, 1);

  response->hang = TRUE;
  g_hash_table_replace (responses, g_strdup (url), response);
}

GPtrArray *
fixture_web_requests (const char *url)
{
  return g_hash_table_lookup (requests, url);
}

/* Silent listeners */

void
fixture_silent_listen (const char    *address,
                       const guint16 *ports,
                       guint          n_ports)
{
  static GPtrArray *sockets;

  if (sockets == NULL)
    sockets = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n_ports; i++)
    {
      g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new_from_string (address, ports[i]);
      g_autoptr(GError) error = NULL;
      GSocket *socket;

      socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
      g_assert_no_error (error);
      g_socket_bind (socket, socket_address, TRUE, &error);
      g_assert_no_error (error);
      /* Never accepted: the kernel completes the handshake from the
       * backlog, and then nothing is ever said. */
      g_socket_set_listen_backlog (socket, 128);
      g_socket_listen (socket, &error);
      g_assert_no_error (error);
      g_ptr_array_add (sockets, socket);
    }
}

char *
fixture_autoconfig_xml (const char *id,
                        const char *domain,
                        const char *incoming_host,
                        guint16     incoming_port,
                        const char *outgoing_host,
                        guint16     outgoing_port)
{
  return g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                          "<clientConfig version=\"1.1\">\n"
                          "  <emailProvider id=\"%s\">\n"
                          "    <domain>%s</domain>\n"
                          "    <displayName>%s mail</displayName>\n"
                          "    <incomingServer type=\"imap\">\n"
                          "      <hostname>%s</hostname><port>%u</port><socketType>SSL</socketType>\n"
                          "      <username>%%EMAILADDRESS%%</username>\n"
                          "      <authentication>password-cleartext</authentication>\n"
                          "    </incomingServer>\n"
                          "    <outgoingServer type=\"smtp\">\n"
                          "      <hostname>%s</hostname><port>%u</port><socketType>SSL</socketType>\n"
                          "      <username>%%EMAILADDRESS%%</username>\n"
                          "      <authentication>password-cleartext</authentication>\n"
                          "    </outgoingServer>\n"
                          "  </emailProvider>\n"
                          "</clientConfig>\n",
                          id, domain, domain, incoming_host, incoming_port, outgoing_host,
                          outgoing_port);
}
