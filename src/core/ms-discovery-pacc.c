/* ms-discovery-pacc.c: mail settings from a PACC document, checked against DNS
 *
 * PACC, the IETF mailmaint draft "Provider Automatic Configuration for
 * Clients" (draft-ietf-mailmaint-pacc, which Evolution implements): the
 * domain serves one JSON document at
 * https://ua-auto-config.DOMAIN/.well-known/user-agent-configuration.json
 * and publishes its SHA-256 digest in DNS, as a TXT record of
 * _ua-auto-config.DOMAIN: "v=UAAC1; a=sha256; d=BASE64".
 *
 * The document is hostile until it has passed both checks
 * (docs/security.md, "Trust rules"): it must come over valid HTTPS from
 * the domain (redirects stay inside it, ms-discovery-fetch.c), and its
 * bytes, exactly as they came, must have a digest the domain's DNS
 * publishes. A document that fails is refused with the reason; it is never
 * read for settings, so nothing in it can reach a probe. What passes is
 * read as strictly as a provider file: every host name, port and name goes
 * through ms-validate.h. Servers outside the address's domain still need
 * the person's confirmation, like those of any fetched file.
 *
 * Read from the document: protocols.imap, protocols.pop3 and
 * protocols.smtp, each {"host": NAME} with an optional "port"; PACC
 * servers speak implicit TLS (993, 995, 465). info.provider.name and
 * shortName name the provider. JMAP, CalDAV, CardDAV and the
 * authentication block are not used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ms-discovery-fetch.h"
#include "ms-discovery-pacc.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

/* Deeper than any real document, shallow enough for a recursive parser. */
#define MAX_DEPTH 16
#define MAX_TXT_RECORDS 16
#define SHA256_BYTES 32

char *
ms_discovery_pacc_url (const char *domain,
                       guint16     https_port)
{
  g_autofree char *port_part = https_port != 0 ? g_strdup_printf (":%u", https_port) : g_strdup ("");

  g_return_val_if_fail (domain != NULL, NULL);

  return g_strdup_printf ("https://ua-auto-config.%s%s/.well-known/user-agent-configuration.json",
                          domain, port_part);
}

/* The digest one TXT record publishes, or %NULL when the record is not a
 * PACC digest (other TXT records may share the name). */
static GBytes *
txt_digest (const char *record)
{
  g_auto(GStrv) tags = g_strsplit (record, ";", 8);
  const char *version = NULL;
  const char *algorithm = NULL;
  const char *digest = NULL;
  guchar *decoded;
  gsize length = 0;

  for (guint i = 0; tags[i] != NULL; i++)
    {
      char *equals = strchr (tags[i], '=');
      char *name = tags[i];
      char *value;

      if (equals == NULL)
        continue;
      *equals = '\0';
      value = g_strstrip (equals + 1);
      g_strstrip (name);
      if (g_ascii_strcasecmp (name, "v") == 0)
        version = value;
      else if (g_ascii_strcasecmp (name, "a") == 0)
        algorithm = value;
      else if (g_ascii_strcasecmp (name, "d") == 0)
        digest = value;
    }

  if (version == NULL || algorithm == NULL || digest == NULL ||
      g_ascii_strcasecmp (version, "UAAC1") != 0 || g_ascii_strcasecmp (algorithm, "sha256") != 0 ||
      strlen (digest) > 64)
    return NULL;

  decoded = g_base64_decode (digest, &length);
  if (length != SHA256_BYTES)
    {
      g_free (decoded);
      return NULL;
    }

  return g_bytes_new_take (decoded, length);
}

/* Refuses @document unless one of @txt_records publishes its digest. */
static gboolean
check_digest (GBytes             *document,
              const char * const *txt_records,
              const char         *domain,
              GError            **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 actual[SHA256_BYTES];
  gsize actual_length = sizeof actual;
  guint n_digests = 0;

  g_checksum_update (checksum, g_bytes_get_data (document, NULL), g_bytes_get_size (document));
  g_checksum_get_digest (checksum, actual, &actual_length);

  for (guint i = 0; txt_records != NULL && txt_records[i] != NULL && i < MAX_TXT_RECORDS; i++)
    {
      g_autoptr(GBytes) published = txt_digest (txt_records[i]);
      const guint8 *expected;
      guint8 difference = 0;

      if (published == NULL)
        continue;
      n_digests++;
      expected = g_bytes_get_data (published, NULL);
      for (guint j = 0; j < SHA256_BYTES; j++)
        difference |= expected[j] ^ actual[j];
      if (difference == 0)
        return TRUE;
    }

  if (n_digests == 0)
    g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                 _("the document was refused: _ua-auto-config.%s publishes no digest "
                   "(v=UAAC1; a=sha256; d=…) to check it against"), domain);
  else
    g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                 _("the document was refused: its SHA-256 digest is not the one "
                   "_ua-auto-config.%s publishes, so it was changed or is out of date"), domain);

  return FALSE;
}

/* JSON nesting, counted outside strings, before a parser sees it. */
static gboolean
depth_is_sane (const char *data,
               gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '{' || c == '[') && ++depth > MAX_DEPTH)
        return FALSE;
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

static gboolean
refuse (GError     **error,
        const char  *what,
        const char  *reason)
{
  g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
               _("the document was refused: %s: %s"), what, reason);
  return FALSE;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* protocols.NAME, or %NULL in @server when the document has none. */
static gboolean
read_server (JsonObject  *protocols,
             const char  *name,
             MsProtocol   protocol,
             guint16      default_port,
             MsServer   **server,
             GError     **error)
{
  g_autofree char *what = g_strdup_printf ("protocols.%s", name);
  JsonNode *node = json_object_get_member (protocols, name);
  JsonNode *host_node;
  JsonNode *port_node;
  g_autoptr(GError) invalid = NULL;
  const char *host;
  gint64 port = default_port;

  *server = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return refuse (error, what, _("not an object"));

  host_node = json_object_get_member (json_node_get_object (node), "host");
  if (host_node == NULL || json_node_get_value_type (host_node) != G_TYPE_STRING)
    return refuse (error, what, _("no “host” text"));
  host = json_node_get_string (host_node);
  if (!ms_validate_hostname (host, MS_VALIDATE_FLAGS_NONE, what, &invalid))
    return refuse (error, what, invalid->message);

  port_node = json_object_get_member (json_node_get_object (node), "port");
  if (port_node != NULL)
    {
      if (json_node_get_value_type (port_node) != G_TYPE_INT64)
        return refuse (error, what, _("“port” is not a number"));
      port = json_node_get_int (port_node);
      if (!ms_validate_port (port, what, &invalid))
        return refuse (error, what, invalid->message);
    }

  *server = ms_server_new (protocol, host, (guint16) port, MS_SECURITY_TLS);

  return TRUE;
}

/* info.provider.name and shortName: written into other programs' files,
 * so refused rather than cleaned when they hold anything hidden. */
static gboolean
read_names (JsonObject  *root,
            MsProvider  *provider,
            GError     **error)
{
  JsonObject *info = member_object (member_object (root, "info"), "provider");
  const char *members[] = { "name", "shortName" };

  for (guint i = 0; info != NULL && i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (info, members[i]);
      g_autofree char *what = g_strdup_printf ("info.provider.%s", members[i]);
      g_autoptr(GError) invalid = NULL;
      const char *name;

      if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      name = json_node_get_string (node);
      if (!ms_validate_display_name (name, what, &invalid))
        return refuse (error, what, invalid->message);
      if (i == 0)
        ms_provider_set_display_name (provider, name);
      else
        ms_provider_set_short_name (provider, name);
    }

  return TRUE;
}

static MsProfile *
read_profile (JsonObject  *root,
              const char  *domain,
              GError     **error)
{
  JsonObject *protocols = member_object (root, "protocols");
  g_autoptr(MsServer) imap = NULL;
  g_autoptr(MsServer) pop3 = NULL;
  g_autoptr(MsServer) smtp = NULL;
  g_autoptr(MsProfile) profile = NULL;

  if (protocols == NULL)
    {
      refuse (error, "protocols", _("missing"));
      return NULL;
    }
  if (!read_server (protocols, "imap", MS_PROTOCOL_IMAP, 993, &imap, error) ||
      !read_server (protocols, "pop3", MS_PROTOCOL_POP3, 995, &pop3, error) ||
      !read_server (protocols, "smtp", MS_PROTOCOL_SMTP, 465, &smtp, error))
    return NULL;

  if ((imap == NULL && pop3 == NULL) || smtp == NULL)
    {
      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INCOMPLETE,
                   _("the PACC document of %s names no IMAP or POP3 server and SMTP server "
                     "(only other protocols, such as JMAP, which Mail Setup does not set up)"),
                   domain);
      return NULL;
    }

  profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  ms_profile_add_name (profile, NULL, _("Published by the provider (PACC)"));
  ms_profile_set_recommended (profile, TRUE);
  ms_profile_add_incoming (profile, imap != NULL ? imap : pop3);
  if (imap != NULL && pop3 != NULL)
    ms_profile_add_incoming (profile, pop3);
  ms_profile_add_outgoing (profile, smtp);

  return g_steal_pointer (&profile);
}

/**
 * ms_discovery_pacc_read:
 * @document: the document's bytes, exactly as they were fetched
 * @txt_records: (nullable): the TXT records of _ua-auto-config.@domain
 * @domain: the address's domain, which the document was fetched for
 * @source: where it came from, for the provider's source
 *
 * Checks @document against the digests in @txt_records, then reads it.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with
 *   %MS_DISCOVERY_ERROR_INTEGRITY (refused: the reason says why),
 *   %MS_DISCOVERY_ERROR_TOO_LARGE or %MS_DISCOVERY_ERROR_INCOMPLETE
 */
MsProvider *
ms_discovery_pacc_read (GBytes             *document,
                        const char * const *txt_records,
                        const char         *domain,
                        const char         *source,
                        GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MsProfile) profile = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autofree char *id = NULL;
  const char *data;
  gsize length;
  JsonNode *root;

  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  data = g_bytes_get_data (document, &length);
  if (length > MS_DISCOVERY_PACC_MAX_SIZE)
    {
      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_TOO_LARGE,
                   _("the PACC document is larger than %u KiB, which no such document is"),
                   MS_DISCOVERY_PACC_MAX_SIZE / 1024);
      return NULL;
    }

  /* Integrity first: nothing of a document that fails it is read. */
  if (!check_digest (document, txt_records, domain, error))
    return NULL;

  if (length == 0 || !g_utf8_validate (data, length, NULL) || !depth_is_sane (data, length))
    {
      refuse (error, "JSON", _("not UTF-8 text, or nested too deep"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (json_error->message, 200);

      refuse (error, "JSON", shown);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      refuse (error, "JSON", _("not an object"));
      return NULL;
    }

  profile = read_profile (json_node_get_object (root), domain, error);
  if (profile == NULL)
    return NULL;

  id = g_strconcat ("pacc-", domain, NULL);
  provider = ms_provider_new_discovered (id, domain, source, profile);
  if (!read_names (json_node_get_object (root), provider, error))
    return NULL;

  return g_steal_pointer (&provider);
}

/* The lookup: the document over HTTPS, then the digests from DNS. */

typedef struct
{
  GResolver *resolver;
  char      *domain;
  char      *url;
  GBytes    *document;
} PaccData;

static void
pacc_data_free (PaccData *data)
{
  g_clear_object (&data->resolver);
  g_free (data->domain);
  g_free (data->url);
  g_clear_pointer (&data->document, g_bytes_unref);
  g_free (data);
}

/* A TXT record is a list of strings; long values are split across them
 * and joined without a separator (RFC 7208 §3.3). */
static GStrv
txt_records_to_strv (GList *records)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (GList *l = records; l != NULL; l = l->next)
    {
      g_autoptr(GVariantIter) iter = NULL;
      g_autoptr(GString) joined = g_string_new (NULL);
      const char *part;

      g_variant_get (l->data, "(as)", &iter);
      while (g_variant_iter_loop (iter, "&s", &part))
        if (joined->len < 1024)
          g_string_append (joined, part);
      g_strv_builder_add (builder, joined->str);
    }

  return g_strv_builder_end (builder);
}

static void
txt_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaccData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) txt = NULL;
  GList *records;
  MsProvider *provider;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (records == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* No record is no digest: check_digest() says so. */
  g_clear_error (&error);
  txt = txt_records_to_strv (records);
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  provider = ms_discovery_pacc_read (data->document, (const char * const *) txt, data->domain,
                                     data->url, &error);
  if (provider == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, provider, g_object_unref);
}

static void
document_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaccData *data = g_task_get_task_data (task);
  g_autofree char *name = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  data->document = ms_discovery_fetch_bytes_finish (result, &error);
  if (data->document == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  name = g_strconcat ("_ua-auto-config.", data->domain, NULL);
  cancellable = g_task_get_cancellable (task);
  g_resolver_lookup_records_async (data->resolver, name, G_RESOLVER_RECORD_TXT,
                                   cancellable, txt_cb, g_steal_pointer (&task));
}

/**
 * ms_discovery_pacc_async:
 * @url: ms_discovery_pacc_url() of @domain (tests give a port)
 *
 * Fetches the PACC document of @domain and checks it against the digests
 * its DNS publishes.
 */
void
ms_discovery_pacc_async (SoupSession         *session,
                         GResolver           *resolver,
                         const char          *domain,
                         const char          *url,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PaccData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (G_IS_RESOLVER (resolver));
  g_return_if_fail (domain != NULL && url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_discovery_pacc_async);
  data = g_new0 (PaccData, 1);
  data->resolver = g_object_ref (resolver);
  data->domain = g_strdup (domain);
  data->url = g_strdup (url);
  g_task_set_task_data (task, data, (GDestroyNotify) pacc_data_free);

  ms_discovery_fetch_bytes_async (session, url, timeout_ms, cancellable, document_cb,
                                  g_steal_pointer (&task));
}

/**
 * ms_discovery_pacc_finish:
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with a
 *   #MS_DISCOVERY_ERROR, TLS or I/O error
 */
MsProvider *
ms_discovery_pacc_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
