/* ms-discovery-dns.c: mail settings from SRV records, and the MX host's base domain
 *
 * SRV records (RFC 6186, with RFC 8314's implicit TLS services) name the
 * servers directly. The records are asked for with
 * g_resolver_lookup_records_async() rather than lookup_service, so that a
 * target of "." ("decidedly not offered") is seen as such and not as a
 * lookup error, and so that tests need to fake one resolver call only.
 *
 * The MX host says who really runs a domain's mail: a company domain whose
 * MX is aspmx.l.google.com is hosted by Google. Its base domain (public
 * suffix aware, through libpsl) is looked up again by the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-discovery-attempt.h"
#include "ms-discovery-dns.h"
#include "ms-validate.h"

/* A domain's answer is not trusted to be small: thousands of records
 * would become thousands of connections. The best few per service are
 * plenty (RFC 2782 clients try them in order anyway). */
#define MAX_RECORDS_PER_SERVICE MS_DISCOVERY_SRV_MAX_RECORDS_PER_SERVICE

typedef struct
{
  const char *service;
  MsProtocol  protocol;
  MsSecurity  security;
} SrvService;

/* Best first: implicit TLS before STARTTLS (RFC 8314), IMAP before POP3. */
static const SrvService srv_services[] = {
  { "imaps", MS_PROTOCOL_IMAP, MS_SECURITY_TLS },
  { "imap", MS_PROTOCOL_IMAP, MS_SECURITY_STARTTLS },
  { "pop3s", MS_PROTOCOL_POP3, MS_SECURITY_TLS },
  { "pop3", MS_PROTOCOL_POP3, MS_SECURITY_STARTTLS },
  { "submissions", MS_PROTOCOL_SMTP, MS_SECURITY_TLS },
  { "submission", MS_PROTOCOL_SMTP, MS_SECURITY_STARTTLS },
};

#define N_SERVICES G_N_ELEMENTS (srv_services)

typedef struct
{
  char      *domain;
  guint      pending;
  GPtrArray *servers[N_SERVICES];  /* MsServer, best first */
  GError    *first_error;          /* a failure other than "no such record" */
  GPtrArray *notes;                /* records refused or dropped, sentences */
} SrvData;

typedef struct
{
  GTask *task;
  guint  index;
} SrvLookup;

static void
srv_data_free (SrvData *data)
{
  for (guint i = 0; i < N_SERVICES; i++)
    g_clear_pointer (&data->servers[i], g_ptr_array_unref);
  g_clear_error (&data->first_error);
  g_clear_pointer (&data->notes, g_ptr_array_unref);
  g_free (data->domain);
  g_free (data);
}

/**
 * ms_discovery_srv_compare:
 * @a: a `(qqqs)` SRV record from g_resolver_lookup_records()
 * @b: another
 *
 * Lowest priority first; among equals the heaviest, without RFC 2782's
 * random pick, so the same answer gives the same order every time.
 */
gint
ms_discovery_srv_compare (gconstpointer a,
                          gconstpointer b)
{
  guint16 priority_a, weight_a, priority_b, weight_b;

  g_variant_get ((GVariant *) a, "(qqq&s)", &priority_a, &weight_a, NULL, NULL);
  g_variant_get ((GVariant *) b, "(qqq&s)", &priority_b, &weight_b, NULL, NULL);

  if (priority_a != priority_b)
    return priority_a < priority_b ? -1 : 1;

  return (gint) weight_b - (gint) weight_a;
}

static MsServer *
server_new (MsProtocol  protocol,
            const char *host,
            guint16     port,
            MsSecurity  security)
{
  /* The full address as username, a password login: what RFC 6186 servers
   * expect (ms_server_new() starts with exactly that). */
  return ms_server_new (protocol, host, port, security);
}

static MsProvider *
srv_build_provider (SrvData *data)
{
  g_autoptr(MsProfile) profile = NULL;
  g_autofree char *id = g_strconcat ("srv-", data->domain, NULL);
  g_autofree char *source = g_strconcat ("srv:", data->domain, NULL);
  gboolean have_incoming = FALSE;
  gboolean have_outgoing = FALSE;

  profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  ms_profile_add_name (profile, NULL, _("Found in DNS"));
  ms_profile_set_recommended (profile, TRUE);

  for (guint i = 0; i < N_SERVICES; i++)
    {
      GPtrArray *servers = data->servers[i];
      gboolean incoming = ms_protocol_is_incoming (srv_services[i].protocol);

      for (guint j = 0; servers != NULL && j < servers->len; j++)
        {
          MsServer *server = g_ptr_array_index (servers, j);

          if (incoming && !have_incoming)
            {
              ms_profile_add_incoming (profile, server);
              have_incoming = TRUE;
            }
          else if (!incoming && !have_outgoing)
            {
              ms_profile_add_outgoing (profile, server);
              have_outgoing = TRUE;
            }
          else
            ms_profile_add_alternate (profile, server);
        }
    }

  if (!have_incoming && !have_outgoing)
    return NULL;

  return ms_provider_new_discovered (id, data->domain, source, profile);
}

static void
srv_return (GTask *task)
{
  SrvData *data = g_task_get_task_data (task);
  g_autoptr(MsProvider) provider = NULL;
  gboolean incoming = FALSE;
  gboolean outgoing = FALSE;

  if (g_task_return_error_if_cancelled (task))
    return;

  for (guint i = 0; i < N_SERVICES; i++)
    {
      if (data->servers[i] == NULL || data->servers[i]->len == 0)
        continue;
      if (ms_protocol_is_incoming (srv_services[i].protocol))
        incoming = TRUE;
      else
        outgoing = TRUE;
    }

  if (!incoming && !outgoing)
    {
      if (data->first_error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->first_error));
      else if (data->notes->len > 0)
        {
          g_autofree char *notes = NULL;

          g_ptr_array_add (data->notes, NULL);
          notes = g_strjoinv ("; ", (char **) data->notes->pdata);
          g_ptr_array_remove_index (data->notes, data->notes->len - 1);
          g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                                   _("%s has no usable SRV records for mail: %s"), data->domain,
                                   notes);
        }
      else
        g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                                 _("%s has no SRV records for mail"), data->domain);
      return;
    }

  if (!incoming || !outgoing)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INCOMPLETE,
                               incoming ? _("%s has SRV records for incoming mail only")
                                        : _("%s has SRV records for outgoing mail only"),
                               data->domain);
      return;
    }

  provider = srv_build_provider (data);
  g_task_return_pointer (task, g_steal_pointer (&provider), g_object_unref);
}

static void
srv_lookup_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SrvLookup *lookup = user_data;
  g_autoptr(GTask) task = lookup->task;
  SrvData *data = g_task_get_task_data (task);
  const SrvService *service = &srv_services[lookup->index];
  g_autoptr(GError) error = NULL;
  GList *records;

  g_autofree char *name = g_strdup_printf ("_%s._tcp.%s", service->service, data->domain);
  g_autofree char *source = g_strdup_printf (_("SRV record %s"), name);
  guint dropped = 0;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  data->servers[lookup->index] = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_server_unref);

  records = g_list_sort (records, ms_discovery_srv_compare);
  for (GList *l = records; l != NULL; l = l->next)
    {
      g_autoptr(GError) invalid = NULL;
      g_autofree char *host = NULL;
      const char *target;
      guint16 port;

      g_variant_get (l->data, "(qqq&s)", NULL, NULL, &port, &target);

      /* RFC 2782: "." means the service is decidedly not offered. */
      if (*target == '\0' || g_str_equal (target, ".") || port == 0)
        {
          g_ptr_array_set_size (data->servers[lookup->index], 0);
          break;
        }

      if (data->servers[lookup->index]->len >= MAX_RECORDS_PER_SERVICE)
        {
          dropped++;
          continue;
        }

      /* The one validator provider files get: a target with a ":port",
       * quotes, markup or control characters is refused, never used. */
      host = g_str_has_suffix (target, ".") ? g_strndup (target, strlen (target) - 1)
                                           : g_strdup (target);
      if (!ms_validate_hostname (host, MS_VALIDATE_FLAGS_NONE, source, &invalid))
        {
          if (data->notes->len < MAX_RECORDS_PER_SERVICE * N_SERVICES)
            g_ptr_array_add (data->notes, g_strdup (invalid->message));
          continue;
        }

      g_ptr_array_add (data->servers[lookup->index],
                       server_new (service->protocol, host, port, service->security));
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (dropped > 0)
    g_ptr_array_add (data->notes,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s: %u more record ignored (the best %u are kept)",
                                                   "%s: %u more records ignored (the best %u are kept)",
                                                   dropped),
                                      name, dropped, MAX_RECORDS_PER_SERVICE));

  if (error != NULL && data->first_error == NULL &&
      !g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    data->first_error = g_steal_pointer (&error);

  g_free (lookup);
  if (--data->pending == 0)
    srv_return (task);
}

/**
 * ms_discovery_srv_lookup_async:
 * @resolver: the resolver (g_resolver_get_default() but in tests)
 *
 * Asks for the six mail SRV records of @domain at once.
 */
void
ms_discovery_srv_lookup_async (GResolver           *resolver,
                               const char          *domain,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SrvData *data;

  g_return_if_fail (G_IS_RESOLVER (resolver));
  g_return_if_fail (domain != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_discovery_srv_lookup_async);
  data = g_new0 (SrvData, 1);
  data->domain = g_strdup (domain);
  data->pending = N_SERVICES;
  data->notes = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) srv_data_free);

  for (guint i = 0; i < N_SERVICES; i++)
    {
      g_autofree char *name = g_strdup_printf ("_%s._tcp.%s", srv_services[i].service, domain);
      SrvLookup *lookup = g_new0 (SrvLookup, 1);

      lookup->task = g_object_ref (task);
      lookup->index = i;
      g_resolver_lookup_records_async (resolver, name, G_RESOLVER_RECORD_SRV, cancellable,
                                       srv_lookup_cb, lookup);
    }
}

/**
 * ms_discovery_srv_lookup_finish:
 * @notes: (out) (optional) (transfer full): the records refused (an
 *   invalid target) or ignored (past the limit per service), in sentences,
 *   or %NULL if none were
 *
 * Returns: (transfer full) (nullable): a provider whose one profile has
 *   the best incoming and outgoing server and the others as alternates
 */
MsProvider *
ms_discovery_srv_lookup_finish (GAsyncResult  *result,
                                char         **notes,
                                GError       **error)
{
  SrvData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (notes != NULL)
    {
      *notes = NULL;
      if (data->notes->len > 0)
        {
          g_ptr_array_add (data->notes, NULL);
          *notes = g_strjoinv ("; ", (char **) data->notes->pdata);
          g_ptr_array_remove_index (data->notes, data->notes->len - 1);
        }
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* MX */

static void
mx_lookup_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *domain = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *best = NULL;
  g_autofree char *base = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) first_invalid = NULL;
  guint16 best_preference = G_MAXUINT16;
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                                 _("%s has no MX record"), domain);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  source = g_strdup_printf (_("MX record of %s"), domain);
  for (GList *l = records; l != NULL; l = l->next)
    {
      g_autofree char *stripped = NULL;
      const char *host;
      guint16 preference;

      g_variant_get (l->data, "(q&s)", &preference, &host);
      if (*host == '\0' || g_str_equal (host, "."))
        continue;
      if (best != NULL && preference >= best_preference)
        continue;

      stripped = g_str_has_suffix (host, ".") ? g_strndup (host, strlen (host) - 1) : g_strdup (host);
      if (!ms_validate_hostname (stripped, MS_VALIDATE_FLAGS_NONE, source,
                                 first_invalid == NULL ? &first_invalid : NULL))
        continue;

      g_free (best);
      best = g_steal_pointer (&stripped);
      best_preference = preference;
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (best == NULL && first_invalid != NULL)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                               "%s", first_invalid->message);
      return;
    }

  if (best == NULL)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                               _("%s accepts no mail (null MX)"), domain);
      return;
    }

  base = ms_discovery_base_domain (best);
  if (base == NULL)
    {
      g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                               _("the MX host %s has no base domain"), best);
      return;
    }

  g_task_set_task_data (task, g_strdup (best), g_free);
  g_task_return_pointer (task, g_steal_pointer (&base), g_free);
}

/**
 * ms_discovery_mx_lookup_async:
 *
 * Finds the MX host of @domain with the lowest preference and its base
 * domain.
 */
void
ms_discovery_mx_lookup_async (GResolver           *resolver,
                              const char          *domain,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (G_IS_RESOLVER (resolver));
  g_return_if_fail (domain != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_discovery_mx_lookup_async);
  g_task_set_task_data (task, g_strdup (domain), g_free);

  g_resolver_lookup_records_async (resolver, domain, G_RESOLVER_RECORD_MX, cancellable,
                                   mx_lookup_cb, task);
}

/**
 * ms_discovery_mx_lookup_finish:
 * @mx_host: (out) (optional): the MX host
 *
 * Returns: (transfer full) (nullable): the MX host's base domain
 *   ("google.com" for aspmx.l.google.com)
 */
char *
ms_discovery_mx_lookup_finish (GAsyncResult  *result,
                               char         **mx_host,
                               GError       **error)
{
  char *base;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  base = g_task_propagate_pointer (G_TASK (result), error);
  if (mx_host != NULL)
    *mx_host = base != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;

  return base;
}
