/* ms-discovery-autodiscover-srv.c: where Autodiscover is, from the domain's SRV record
 *
 * When neither https://autodiscover.DOMAIN/ nor https://DOMAIN/ answers,
 * Outlook asks DNS for _autodiscover._tcp.DOMAIN (MS-OXDISCO 3.1.5.3,
 * which MS-OXDSCLI's clients follow) and POSTs to
 * https://TARGET/Autodiscover/Autodiscover.xml. This file turns that SRV
 * answer into the URLs to ask; ms-discovery-autodiscover.c asks them.
 *
 * The answer is hostile (anyone who can forge DNS answers writes it):
 *
 * - At most MS_DISCOVERY_AUTODISCOVER_SRV_MAX_TARGETS targets, best
 *   priority and weight first, each one once: a thousand records must not
 *   become a thousand POSTs.
 * - Targets go through ms_validate_hostname(), as mail SRV targets do.
 * - Port 443 only. The URL the protocol builds has no port: it is the
 *   target's HTTPS service. A record naming another port names something
 *   the protocol does not describe, and following it would let a DNS answer
 *   aim a POST carrying the address at any service of the host.
 * - Only targets inside the address's domain. The POX request carries the
 *   address itself; docs/security.md (rule 4) lets the address go only to
 *   the domain's own HTTPS services, and a target elsewhere is named by
 *   nothing but a DNS answer, exactly like the MX host, whose domain is
 *   never told the address. Such a record is named in the attempt and not
 *   asked.
 *
 * Each refused record is told in a sentence (at most a few, then a count).
 * The records are asked for with g_resolver_lookup_records_async(), as
 * ms-discovery-dns.c does, so that a target of "." (the service is
 * decidedly not offered, RFC 2782) is seen as such.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ms-discovery-attempt.h"
#include "ms-discovery-autodiscover.h"
#include "ms-discovery-autodiscover-srv.h"
#include "ms-discovery-dns.h"
#include "ms-validate.h"

#define HTTPS_PORT 443
#define MAX_NOTES 6

typedef struct
{
  const char *domain;
  const char *name;     /* _autodiscover._tcp.DOMAIN */
  GPtrArray  *hosts;    /* kept targets, no trailing dot */
  GPtrArray  *notes;
  guint       unsaid;   /* refusals past MAX_NOTES */
  guint       dropped;  /* good targets past the limit */
} Selection;

static void
refuse (Selection  *selection,
        char       *owned_note)
{
  if (selection->notes->len < MAX_NOTES)
    g_ptr_array_add (selection->notes, owned_note);
  else
    {
      selection->unsaid++;
      g_free (owned_note);
    }
}

/* Why @target on @port is not asked, or NULL if it may be. */
static char *
check_record (Selection  *selection,
              const char *host,
              guint16     port)
{
  g_autoptr(GError) invalid = NULL;
  g_autofree char *source = g_strdup_printf (_("SRV record %s"), selection->name);

  if (!ms_validate_hostname (host, MS_VALIDATE_FLAGS_NONE, source, &invalid))
    return g_strdup (invalid->message);
  if (port != HTTPS_PORT)
    /* Translators: the first %s is a server name, %u a port number */
    return g_strdup_printf (_("%s: port %u ignored: Autodiscover is asked at port 443 only"),
                            host, port);
  if (!ms_discovery_host_in_domain (host, selection->domain))
    /* Translators: the first %s is a server name, the second a domain */
    return g_strdup_printf (_("%s is outside %s: not asked, because the request would carry "
                              "your address to a server that only a DNS answer names"),
                            host, selection->domain);

  return NULL;
}

static void
select_record (Selection *selection,
               GVariant  *record)
{
  g_autofree char *host = NULL;
  const char *target;
  guint16 port;
  char *why;

  g_variant_get (record, "(qqq&s)", NULL, NULL, &port, &target);
  host = g_str_has_suffix (target, ".") ? g_strndup (target, strlen (target) - 1) : g_strdup (target);
  why = check_record (selection, host, port);
  if (why != NULL)
    {
      refuse (selection, why);
      return;
    }

  for (guint i = 0; i < selection->hosts->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (selection->hosts, i), host) == 0)
      return;

  if (selection->hosts->len >= MS_DISCOVERY_AUTODISCOVER_SRV_MAX_TARGETS)
    {
      selection->dropped++;
      return;
    }
  g_ptr_array_add (selection->hosts, g_steal_pointer (&host));
}

static char *
join_notes (Selection *selection)
{
  if (selection->unsaid > 0)
    g_ptr_array_add (selection->notes,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more record refused",
                                                   "%u more records refused", selection->unsaid),
                                      selection->unsaid));
  if (selection->dropped > 0)
    g_ptr_array_add (selection->notes,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s: %u more record ignored (the best %u are kept)",
                                                   "%s: %u more records ignored (the best %u are kept)",
                                                   selection->dropped),
                                      selection->name, selection->dropped,
                                      MS_DISCOVERY_AUTODISCOVER_SRV_MAX_TARGETS));
  if (selection->notes->len == 0)
    return NULL;

  g_ptr_array_add (selection->notes, NULL);

  return g_strjoinv ("; ", (char **) selection->notes->pdata);
}

/**
 * ms_discovery_autodiscover_srv_urls:
 * @records: (element-type GVariant): the SRV records of
 *   _autodiscover._tcp.@domain, as g_resolver_lookup_records() gives them;
 *   sorted in place
 * @domain: the address's domain
 * @https_port: the port of the URLs, 0 for 443 (tests use another)
 * @notes: (out) (optional) (transfer full): the records refused or
 *   ignored, in sentences, or %NULL
 *
 * Returns: (transfer full): the Autodiscover URLs to ask, best first,
 *   possibly none
 */
GStrv
ms_discovery_autodiscover_srv_urls (GList       *records,
                                    const char  *domain,
                                    guint16      https_port,
                                    char       **notes)
{
  g_autofree char *name = g_strconcat ("_autodiscover._tcp.", domain, NULL);
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);
  Selection selection = { domain, name, hosts, sentences, 0, 0 };
  GPtrArray *urls = g_ptr_array_new ();

  g_return_val_if_fail (domain != NULL, NULL);

  records = g_list_sort (records, ms_discovery_srv_compare);
  for (GList *l = records; l != NULL; l = l->next)
    {
      const char *target;

      g_variant_get (l->data, "(qqq&s)", NULL, NULL, NULL, &target);
      /* RFC 2782: a lone "." says the service is decidedly not offered. */
      if (*target == '\0' || g_str_equal (target, "."))
        {
          if (records->next == NULL)
            break;
          refuse (&selection, g_strdup_printf (_("%s: an empty target among other records ignored"),
                                               name));
          continue;
        }
      select_record (&selection, l->data);
    }

  for (guint i = 0; i < hosts->len; i++)
    g_ptr_array_add (urls, ms_discovery_autodiscover_url (g_ptr_array_index (hosts, i), https_port));
  g_ptr_array_add (urls, NULL);

  if (notes != NULL)
    *notes = join_notes (&selection);

  return (GStrv) g_ptr_array_free (urls, FALSE);
}

/* The lookup */

typedef struct
{
  char    *domain;
  guint16  https_port;
  char    *notes;
} SrvData;

static void
srv_data_free (SrvData *data)
{
  g_free (data->domain);
  g_free (data->notes);
  g_free (data);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SrvData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (records == NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                                 _("%s has no Autodiscover SRV record"), data->domain);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  urls = ms_discovery_autodiscover_srv_urls (records, data->domain, data->https_port, &data->notes);
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (urls[0] == NULL)
    {
      if (data->notes != NULL)
        g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                                 _("%s has no usable Autodiscover SRV record: %s"), data->domain,
                                 data->notes);
      else
        g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                                 _("%s offers no Autodiscover service (SRV target “.”)"),
                                 data->domain);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&urls), (GDestroyNotify) g_strfreev);
}

/**
 * ms_discovery_autodiscover_srv_async:
 * @resolver: the resolver (g_resolver_get_default() but in tests)
 * @domain: the address's domain
 * @https_port: the port of the URLs, 0 for 443
 *
 * Asks for the _autodiscover._tcp SRV record of @domain.
 */
void
ms_discovery_autodiscover_srv_async (GResolver           *resolver,
                                     const char          *domain,
                                     guint16              https_port,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  SrvData *data;
  g_autofree char *name = NULL;

  g_return_if_fail (G_IS_RESOLVER (resolver));
  g_return_if_fail (domain != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_discovery_autodiscover_srv_async);
  data = g_new0 (SrvData, 1);
  data->domain = g_strdup (domain);
  data->https_port = https_port;
  g_task_set_task_data (task, data, (GDestroyNotify) srv_data_free);

  name = g_strconcat ("_autodiscover._tcp.", domain, NULL);
  g_resolver_lookup_records_async (resolver, name, G_RESOLVER_RECORD_SRV, cancellable, lookup_cb, task);
}

/**
 * ms_discovery_autodiscover_srv_finish:
 * @notes: (out) (optional) (transfer full): the records refused or
 *   ignored, in sentences, or %NULL
 *
 * Returns: (transfer full) (nullable): the URLs to ask, best first, at
 *   least one
 */
GStrv
ms_discovery_autodiscover_srv_finish (GAsyncResult  *result,
                                      char         **notes,
                                      GError       **error)
{
  SrvData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (notes != NULL)
    *notes = g_strdup (data->notes);

  return g_task_propagate_pointer (G_TASK (result), error);
}
