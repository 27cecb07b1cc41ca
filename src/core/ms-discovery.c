/* ms-discovery.c: find working settings for any address
 *
 * The sources, best first: provider files; the domain's PACC document,
 * whose digest its DNS vouches for (ms-discovery-pacc.c); the domain's own
 * autoconfig over HTTPS (autoconfig.DOMAIN, then DOMAIN/.well-known);
 * Microsoft Autodiscover (ms-discovery-autodiscover.c), then at the servers
 * its SRV record names (ms-discovery-autodiscover-srv.c); SRV records; the
 * public provider database; the MX host's base domain through provider
 * files, its autoconfig and the public database; guessing by probing; and
 * last the autoconfig URLs over plain HTTP.
 *
 * Everything but the plain HTTP fetches starts at once. The best-ranked
 * answer wins as soon as every better-ranked source has answered or failed,
 * and the others are cancelled then, without waiting for them. The plain
 * HTTP fetches start only when every other source failed: they are
 * unauthenticated, and they carry no address, so that the address never
 * crosses the network in clear text.
 *
 * Each attempt has its own deadline (ms-deadline.h); the guesser's is its
 * probe timeout. Settings that came over plain HTTP, through the MX record
 * or from the public database, or that name servers outside the address's
 * domain, are marked (ms_discovery_attempt_needs_confirmation()): the
 * caller must ask before a password goes to them, through
 * ms_discovery_attempt_check_password().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-deadline.h"
#include "ms-discovery-private.h"
#include "ms-discovery.h"
#include "ms-discovery-dns.h"
#include "ms-json.h"
#include "ms-discovery-fetch.h"
#include "ms-discovery-pacc.h"
#include "ms-discovery-autodiscover.h"
#include "ms-discovery-autodiscover-srv.h"
#include "ms-provider-parser.h"

#define DEFAULT_TIMEOUT_MS 15000

G_DEFINE_QUARK (ms-discovery-error-quark, ms_discovery_error)

typedef struct
{
  MsDiscoveryAttempt *attempt;
  MsDeadline         *deadline;
  char               *url;
} Slot;

struct _MsDiscovery
{
  GObject             parent_instance;

  MsAddress          *address;
  MsProviderDatabase *database;
  GTlsDatabase       *tls_database;
  guint               timeout_ms;
  gboolean            use_public_database;
  char               *public_database_url;
  GArray             *guess_ports;
  guint16             https_port;
  guint16             http_port;

  GTask              *task;
  SoupSession        *session;
  GSource            *cancelled_source;
  GPtrArray          *slots;        /* Slot, in rank order */
  guint               n_started;
};

G_DEFINE_FINAL_TYPE (MsDiscovery, ms_discovery, G_TYPE_OBJECT)

enum
{
  ATTEMPT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
slot_free (Slot *slot)
{
  g_clear_object (&slot->attempt);
  g_clear_pointer (&slot->deadline, ms_deadline_free);
  g_free (slot->url);
  g_free (slot);
}

static void
ms_discovery_dispose (GObject *object)
{
  MsDiscovery *self = MS_DISCOVERY (object);

  if (self->cancelled_source != NULL)
    {
      g_source_destroy (self->cancelled_source);
      g_clear_pointer (&self->cancelled_source, g_source_unref);
    }
  g_clear_object (&self->task);
  g_clear_object (&self->session);
  g_clear_object (&self->database);
  g_clear_object (&self->tls_database);
  g_clear_pointer (&self->slots, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_discovery_parent_class)->dispose (object);
}

static void
ms_discovery_finalize (GObject *object)
{
  MsDiscovery *self = MS_DISCOVERY (object);

  g_clear_pointer (&self->address, ms_address_unref);
  g_free (self->public_database_url);
  g_array_unref (self->guess_ports);

  G_OBJECT_CLASS (ms_discovery_parent_class)->finalize (object);
}

static void
ms_discovery_class_init (MsDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_discovery_dispose;
  object_class->finalize = ms_discovery_finalize;

  /**
   * MsDiscovery::attempt-changed:
   * @attempt: the attempt that started or finished
   *
   * Progress: an attempt started (more attempts appear when the MX host
   * is followed) or finished.
   */
  signals[ATTEMPT_CHANGED] =
    g_signal_new ("attempt-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_DISCOVERY_ATTEMPT);
}

static void
ms_discovery_init (MsDiscovery *self)
{
  guint n_ports;
  const MsDiscoveryPort *ports = ms_discovery_guess_get_default_ports (&n_ports);

  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->use_public_database = TRUE;
  self->public_database_url = g_strdup (MS_DISCOVERY_PUBLIC_DATABASE_URL);
  self->guess_ports = g_array_new (FALSE, FALSE, sizeof (MsDiscoveryPort));
  g_array_append_vals (self->guess_ports, ports, n_ports);
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
}

MsDiscovery *
ms_discovery_new (MsAddress *address)
{
  MsDiscovery *self;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (MS_TYPE_DISCOVERY, NULL);
  self->address = ms_address_ref (address);

  return self;
}

MsAddress *
ms_discovery_get_address (MsDiscovery *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY (self), NULL);

  return self->address;
}

/**
 * ms_discovery_set_provider_database:
 * @database: (nullable): loaded provider files; by default the standard
 *   directories are loaded when the lookup starts
 */
void
ms_discovery_set_provider_database (MsDiscovery        *self,
                                    MsProviderDatabase *database)
{
  g_return_if_fail (MS_IS_DISCOVERY (self));

  g_set_object (&self->database, database);
}

void
ms_discovery_set_tls_database (MsDiscovery  *self,
                               GTlsDatabase *database)
{
  g_return_if_fail (MS_IS_DISCOVERY (self));

  g_set_object (&self->tls_database, database);
}

/**
 * ms_discovery_set_timeout:
 *
 * How long each source may take: a web fetch with its redirects, a DNS
 * lookup, each probe step, and the guess as a whole.
 */
void
ms_discovery_set_timeout (MsDiscovery *self,
                          guint        timeout_ms)
{
  g_return_if_fail (MS_IS_DISCOVERY (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

/**
 * ms_discovery_set_use_public_database:
 *
 * Whether to ask the public provider database, which sends the domain
 * (never the address) to a third party. The GSettings key
 * use-public-provider-database holds the person's choice.
 */
void
ms_discovery_set_use_public_database (MsDiscovery *self,
                                      gboolean     use)
{
  g_return_if_fail (MS_IS_DISCOVERY (self));

  self->use_public_database = use;
}

/**
 * ms_discovery_set_public_database_url:
 * @base_url: the URL the domain is appended to
 *
 * For tests, which serve their own database.
 */
void
ms_discovery_set_public_database_url (MsDiscovery *self,
                                      const char  *base_url)
{
  g_return_if_fail (MS_IS_DISCOVERY (self));
  g_return_if_fail (base_url != NULL);

  g_free (self->public_database_url);
  self->public_database_url = g_strdup (base_url);
}

/**
 * ms_discovery_set_guess_ports:
 *
 * The ports the guesser tries (see ms_discovery_guess_set_ports()).
 */
void
ms_discovery_set_guess_ports (MsDiscovery           *self,
                              const MsDiscoveryPort *ports,
                              guint                  n_ports)
{
  g_return_if_fail (MS_IS_DISCOVERY (self));
  g_return_if_fail (ports != NULL || n_ports == 0);

  g_array_set_size (self->guess_ports, 0);
  g_array_append_vals (self->guess_ports, ports, n_ports);
}

/**
 * ms_discovery_set_web_ports:
 * @https_port: the port of the https:// autoconfig URLs, 0 for 443
 * @http_port: the port of the http:// ones, 0 for 80
 *
 * For tests, whose web server cannot have the standard ports.
 */
void
ms_discovery_set_web_ports (MsDiscovery *self,
                            guint16      https_port,
                            guint16      http_port)
{
  g_return_if_fail (MS_IS_DISCOVERY (self));

  self->https_port = https_port;
  self->http_port = http_port;
}

/**
 * ms_discovery_get_attempts:
 *
 * Returns: (transfer container) (element-type MsDiscoveryAttempt): every
 *   source of the lookup, in rank order; ms_discovery_attempt_get_order()
 *   says in which order they started
 */
GPtrArray *
ms_discovery_get_attempts (MsDiscovery *self)
{
  GPtrArray *attempts;

  g_return_val_if_fail (MS_IS_DISCOVERY (self), NULL);

  attempts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      g_ptr_array_add (attempts, g_object_ref (slot->attempt));
    }

  return attempts;
}

/* Slots */

static Slot *
add_slot (MsDiscovery       *self,
          MsDiscoverySource  source,
          const char        *domain,
          gboolean           via_mx,
          const char        *detail)
{
  Slot *slot = g_new0 (Slot, 1);
  guint rank;
  guint i;

  slot->attempt = ms_discovery_attempt_new (source, domain, via_mx, detail);
  slot->url = g_strdup (detail);
  rank = ms_discovery_attempt_get_rank (slot->attempt);

  for (i = 0; i < self->slots->len; i++)
    {
      Slot *other = g_ptr_array_index (self->slots, i);

      if (ms_discovery_attempt_get_rank (other->attempt) > rank)
        break;
    }
  g_ptr_array_insert (self->slots, i, slot);

  return slot;
}

static void
slot_changed (MsDiscovery *self,
              Slot        *slot)
{
  g_signal_emit (self, signals[ATTEMPT_CHANGED], 0, slot->attempt);
}

static void
slot_finish (MsDiscovery      *self,
             Slot             *slot,
             MsDiscoveryState  state,
             const char       *message)
{
  if (ms_discovery_attempt_is_done (slot->attempt))
    return;

  ms_discovery_attempt_finish (slot->attempt, state, message);
  slot_changed (self, slot);
}

static void
slot_found (MsDiscovery *self,
            Slot        *slot,
            MsProvider  *provider)
{
  if (ms_discovery_attempt_is_done (slot->attempt))
    return;

  ms_discovery_attempt_set_found (slot->attempt, provider, ms_address_get_domain (self->address));
  slot_changed (self, slot);
}

/* Records how a source failed; a cancellation after the lookup ended is
 * already recorded. */
static void
slot_fail (MsDiscovery *self,
           Slot        *slot,
           GError      *owned_error)
{
  g_autoptr(GError) error = owned_error;

  if (slot->deadline != NULL && ms_deadline_check_error (slot->deadline, &error))
    {
      g_autofree char *message = g_strdup_printf (_("no answer within %u seconds"),
                                                  (self->timeout_ms + 999) / 1000);

      slot_finish (self, slot, MS_DISCOVERY_STATE_FAILED, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    slot_finish (self, slot, MS_DISCOVERY_STATE_CANCELLED, _("cancelled"));
  else if (g_error_matches (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND) ||
           g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    slot_finish (self, slot, MS_DISCOVERY_STATE_NOT_FOUND, error->message);
  else
    slot_finish (self, slot, MS_DISCOVERY_STATE_FAILED, error->message);
}

static void evaluate (MsDiscovery *self);

typedef struct
{
  MsDiscovery *self;
  Slot        *slot;
} SlotCall;

static SlotCall *
slot_call_new (MsDiscovery *self,
               Slot        *slot)
{
  SlotCall *call = g_new0 (SlotCall, 1);

  call->self = g_object_ref (self);
  call->slot = slot;

  return call;
}

static void
slot_call_free (SlotCall *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlotCall, slot_call_free)

static GCancellable *
slot_begin (MsDiscovery *self,
            Slot        *slot,
            guint        timeout_ms)
{
  ms_discovery_attempt_start (slot->attempt, ++self->n_started);
  slot->deadline = ms_deadline_new (timeout_ms, g_task_get_cancellable (self->task));
  slot_changed (self, slot);

  return ms_deadline_get_cancellable (slot->deadline);
}

/* The sources */

static void
run_provider_file (MsDiscovery *self,
                   Slot        *slot)
{
  const char *domain = ms_discovery_attempt_get_domain (slot->attempt);
  MsProvider *provider;

  slot_begin (self, slot, 0);
  provider = ms_provider_database_lookup (self->database, domain);
  if (provider != NULL)
    slot_found (self, slot, provider);
  else
    {
      g_autofree char *message = g_strdup_printf (_("no provider file knows %s"), domain);

      slot_finish (self, slot, MS_DISCOVERY_STATE_NOT_FOUND, message);
    }
}

/* Every source ends the same way: an answer or a reason, then the
 * ranking is looked at again. */
static void
slot_settle (SlotCall   *call,
             MsProvider *provider,
             GError     *error)
{
  if (provider != NULL)
    {
      slot_found (call->self, call->slot, provider);
      g_clear_error (&error);
    }
  else
    slot_fail (call->self, call->slot, error);

  evaluate (call->self);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = ms_discovery_fetch_finish (result, &error);
  slot_settle (call, provider, g_steal_pointer (&error));
}

static void
run_fetch (MsDiscovery *self,
           Slot        *slot)
{
  GCancellable *cancellable = slot_begin (self, slot, self->timeout_ms);

  ms_discovery_fetch_async (self->session, slot->url, self->timeout_ms, cancellable,
                            fetch_cb, slot_call_new (self, slot));
}

static void
srv_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;

  provider = ms_discovery_srv_lookup_finish (result, &notes, &error);
  /* Refused and ignored records are told, even when the others won. */
  if (provider != NULL && notes != NULL && !ms_discovery_attempt_is_done (call->slot->attempt))
    {
      slot_found (call->self, call->slot, provider);
      ms_discovery_attempt_add_note (call->slot->attempt, notes);
    }
  slot_settle (call, provider, g_steal_pointer (&error));
}

static void
pacc_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = ms_discovery_pacc_finish (result, &error);
  slot_settle (call, provider, g_steal_pointer (&error));
}

static void
run_pacc (MsDiscovery *self,
          Slot        *slot)
{
  GCancellable *cancellable = slot_begin (self, slot, self->timeout_ms);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  ms_discovery_pacc_async (self->session, resolver, ms_discovery_attempt_get_domain (slot->attempt),
                           slot->url, self->timeout_ms, cancellable, pacc_cb,
                           slot_call_new (self, slot));
}

static void
autodiscover_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = ms_discovery_autodiscover_finish (result, &error);
  slot_settle (call, provider, g_steal_pointer (&error));
}

/* The domain's own Autodiscover over HTTPS, which may know the address
 * (docs/security.md §3, rule 4), at both of its usual places. */
static void
run_autodiscover (MsDiscovery *self,
                  Slot        *slot)
{
  GCancellable *cancellable = slot_begin (self, slot, self->timeout_ms);
  const char *domain = ms_discovery_attempt_get_domain (slot->attempt);
  g_autofree char *second = ms_discovery_autodiscover_url (domain, self->https_port);
  const char *urls[] = { slot->url, second, NULL };

  ms_discovery_autodiscover_async (self->session, ms_address_get_ascii (self->address), urls,
                                   self->timeout_ms, cancellable, autodiscover_cb,
                                   slot_call_new (self, slot));
}

typedef struct
{
  SlotCall *call;
  char     *notes;
} SrvAutodiscover;

static void
autodiscover_srv_done_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  SrvAutodiscover *step = user_data;
  g_autoptr(SlotCall) call = step->call;
  g_autofree char *notes = step->notes;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  g_free (step);
  provider = ms_discovery_autodiscover_finish (result, &error);
  /* Refused records are told, whatever the servers asked said. */
  if (provider != NULL && notes != NULL && !ms_discovery_attempt_is_done (call->slot->attempt))
    {
      slot_found (call->self, call->slot, provider);
      ms_discovery_attempt_add_note (call->slot->attempt, notes);
    }
  else if (error != NULL && notes != NULL &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, "%s; ", notes);
  slot_settle (call, provider, g_steal_pointer (&error));
}

static void
autodiscover_srv_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  MsDiscovery *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_auto(GStrv) urls = NULL;
  SrvAutodiscover *step;

  urls = ms_discovery_autodiscover_srv_finish (result, &notes, &error);
  if (urls == NULL)
    {
      slot_settle (call, NULL, g_steal_pointer (&error));
      return;
    }
  if (self->task == NULL || ms_discovery_attempt_is_done (call->slot->attempt))
    return;

  step = g_new0 (SrvAutodiscover, 1);
  step->call = g_steal_pointer (&call);
  step->notes = g_steal_pointer (&notes);
  ms_discovery_autodiscover_async (self->session, ms_address_get_ascii (self->address),
                                   (const char * const *) urls, self->timeout_ms,
                                   ms_deadline_get_cancellable (step->call->slot->deadline),
                                   autodiscover_srv_done_cb, step);
}

/* Autodiscover at the servers the domain's SRV record names
 * (ms-discovery-autodiscover-srv.c says which are asked). */
static void
run_autodiscover_srv (MsDiscovery *self,
                      Slot        *slot)
{
  GCancellable *cancellable = slot_begin (self, slot, self->timeout_ms);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  ms_discovery_autodiscover_srv_async (resolver, ms_discovery_attempt_get_domain (slot->attempt),
                                       self->https_port, cancellable, autodiscover_srv_cb,
                                       slot_call_new (self, slot));
}

static void
run_srv (MsDiscovery *self,
         Slot        *slot)
{
  GCancellable *cancellable = slot_begin (self, slot, self->timeout_ms);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  ms_discovery_srv_lookup_async (resolver, ms_discovery_attempt_get_domain (slot->attempt),
                                 cancellable, srv_cb, slot_call_new (self, slot));
}

static char *
autoconfig_url (MsDiscovery *self,
                const char  *domain,
                gboolean     https,
                gboolean     well_known,
                gboolean     via_mx)
{
  guint16 port = https ? self->https_port : self->http_port;
  g_autofree char *port_part = port != 0 ? g_strdup_printf (":%u", port) : g_strdup ("");

  if (well_known)
    return g_strdup_printf ("%s://%s%s/.well-known/autoconfig/mail/config-v1.1.xml",
                            https ? "https" : "http", domain, port_part);

  /* Over plain HTTP the address stays home: it would travel in clear. Nor
   * does it go to a domain only the (unauthenticated) MX record named: that
   * domain may be anyone's. */
  if (!https || via_mx)
    return g_strdup_printf ("%s://autoconfig.%s%s/mail/config-v1.1.xml",
                            https ? "https" : "http", domain, port_part);

  {
    g_autofree char *escaped = g_uri_escape_string (ms_address_get_ascii (self->address), NULL, FALSE);

    return g_strdup_printf ("https://autoconfig.%s%s/mail/config-v1.1.xml?emailaddress=%s",
                            domain, port_part, escaped);
  }
}

static void
add_web_slots (MsDiscovery *self,
               const char  *domain,
               gboolean     via_mx)
{
  g_autofree char *autoconfig = autoconfig_url (self, domain, TRUE, FALSE, via_mx);
  g_autofree char *well_known = autoconfig_url (self, domain, TRUE, TRUE, via_mx);
  g_autofree char *public_url = g_strconcat (self->public_database_url, domain, NULL);
  Slot *slot;

  add_slot (self, MS_DISCOVERY_SOURCE_AUTOCONFIG, domain, via_mx, autoconfig);
  add_slot (self, MS_DISCOVERY_SOURCE_WELL_KNOWN, domain, via_mx, well_known);
  slot = add_slot (self, MS_DISCOVERY_SOURCE_PUBLIC_DATABASE, domain, via_mx, public_url);
  if (!self->use_public_database)
    slot_finish (self, slot, MS_DISCOVERY_STATE_SKIPPED,
                 _("turned off: asking it would send the domain to a third party"));
}

static void
mx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  MsDiscovery *self = call->self;
  const char *domain = ms_address_get_domain (self->address);
  g_autoptr(GError) error = NULL;
  g_autofree char *mx_host = NULL;
  g_autofree char *base = NULL;
  g_autofree char *message = NULL;

  base = ms_discovery_mx_lookup_finish (result, &mx_host, &error);
  if (base == NULL)
    {
      slot_fail (self, call->slot, g_steal_pointer (&error));
      evaluate (self);
      return;
    }

  if (ms_discovery_attempt_is_done (call->slot->attempt) || self->task == NULL)
    return;

  if (ms_discovery_host_in_domain (mx_host, domain))
    {
      message = g_strdup_printf (_("the MX host %s is in %s itself: nothing new to ask"),
                                 mx_host, domain);
      slot_finish (self, call->slot, MS_DISCOVERY_STATE_NOT_FOUND, message);
      evaluate (self);
      return;
    }

  /* Ask about the MX host's base domain before giving this attempt up, so
   * that the new attempts keep the guess waiting. */
  add_slot (self, MS_DISCOVERY_SOURCE_PROVIDER_FILE, base, TRUE, NULL);
  add_web_slots (self, base, TRUE);

  message = g_strdup_printf (_("the MX host %s belongs to %s"), mx_host, base);
  slot_finish (self, call->slot, MS_DISCOVERY_STATE_FOLLOWED, message);

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (!ms_discovery_attempt_get_via_mx (slot->attempt) ||
          ms_discovery_attempt_get_state (slot->attempt) != MS_DISCOVERY_STATE_WAITING)
        continue;

      if (ms_discovery_attempt_get_source (slot->attempt) == MS_DISCOVERY_SOURCE_PROVIDER_FILE)
        run_provider_file (self, slot);
      else
        run_fetch (self, slot);
    }

  evaluate (self);
}

static void
run_mx (MsDiscovery *self,
        Slot        *slot)
{
  GCancellable *cancellable = slot_begin (self, slot, self->timeout_ms);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  ms_discovery_mx_lookup_async (resolver, ms_discovery_attempt_get_domain (slot->attempt),
                                cancellable, mx_cb, slot_call_new (self, slot));
}

static void
guess_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = ms_discovery_guess_run_finish (MS_DISCOVERY_GUESS (object), result, &error);
  slot_settle (call, provider, g_steal_pointer (&error));
}

static void
run_guess (MsDiscovery *self,
           Slot        *slot)
{
  g_autoptr(MsDiscoveryGuess) guess = NULL;
  GCancellable *cancellable;

  /* The guess stops itself after one probe timeout with the best answer
   * so far; no second deadline. */
  cancellable = slot_begin (self, slot, 0);
  guess = ms_discovery_guess_new (ms_discovery_attempt_get_domain (slot->attempt));
  ms_discovery_guess_set_ports (guess, (const MsDiscoveryPort *) self->guess_ports->data,
                                self->guess_ports->len);
  ms_discovery_guess_set_timeout (guess, self->timeout_ms);
  ms_discovery_guess_set_tls_database (guess, self->tls_database);
  ms_discovery_guess_run_async (guess, cancellable, guess_cb, slot_call_new (self, slot));
}

static void
run_slot (MsDiscovery *self,
          Slot        *slot)
{
  switch (ms_discovery_attempt_get_source (slot->attempt))
    {
    case MS_DISCOVERY_SOURCE_PROVIDER_FILE:
      run_provider_file (self, slot);
      break;
    case MS_DISCOVERY_SOURCE_PACC:
      run_pacc (self, slot);
      break;
    case MS_DISCOVERY_SOURCE_AUTODISCOVER:
      run_autodiscover (self, slot);
      break;
    case MS_DISCOVERY_SOURCE_AUTODISCOVER_SRV:
      run_autodiscover_srv (self, slot);
      break;
    case MS_DISCOVERY_SOURCE_SRV:
      run_srv (self, slot);
      break;
    case MS_DISCOVERY_SOURCE_MX:
      run_mx (self, slot);
      break;
    case MS_DISCOVERY_SOURCE_GUESS:
      run_guess (self, slot);
      break;
    case MS_DISCOVERY_SOURCE_AUTOCONFIG:
    case MS_DISCOVERY_SOURCE_WELL_KNOWN:
    case MS_DISCOVERY_SOURCE_PUBLIC_DATABASE:
    case MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP:
    case MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP:
    default:
      run_fetch (self, slot);
      break;
    }
}

static gboolean
is_plain_http (Slot *slot)
{
  MsDiscoverySource source = ms_discovery_attempt_get_source (slot->attempt);

  return source == MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP ||
         source == MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP;
}

/* Ends the lookup: every attempt still under way is cancelled. */
static void
stop_all (MsDiscovery *self,
          Slot        *winner,
          const char  *why)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      MsDiscoveryState state = ms_discovery_attempt_get_state (slot->attempt);

      if (slot == winner)
        continue;
      if (state == MS_DISCOVERY_STATE_RUNNING)
        {
          slot_finish (self, slot, MS_DISCOVERY_STATE_CANCELLED, why);
          g_cancellable_cancel (ms_deadline_get_cancellable (slot->deadline));
        }
      else if (state == MS_DISCOVERY_STATE_WAITING)
        slot_finish (self, slot, MS_DISCOVERY_STATE_SKIPPED, why);
    }

  if (self->cancelled_source != NULL)
    {
      g_source_destroy (self->cancelled_source);
      g_clear_pointer (&self->cancelled_source, g_source_unref);
    }
}

/* Decides whether the lookup is over: the best-ranked answer wins once
 * every better-ranked source is done. */
static void
evaluate (MsDiscovery *self)
{
  g_autoptr(GTask) task = NULL;
  Slot *winner = NULL;

  if (self->task == NULL)
    return;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      task = g_steal_pointer (&self->task);
      stop_all (self, NULL, _("cancelled"));
      g_task_return_error_if_cancelled (task);
      return;
    }

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      MsDiscoveryState state = ms_discovery_attempt_get_state (slot->attempt);

      if (state == MS_DISCOVERY_STATE_FOUND)
        {
          winner = slot;
          break;
        }

      if (state == MS_DISCOVERY_STATE_RUNNING)
        return;

      if (state == MS_DISCOVERY_STATE_WAITING)
        {
          /* Only the plain HTTP last resort waits: every better source has
           * failed, so start it now. */
          for (guint j = i; j < self->slots->len; j++)
            {
              Slot *later = g_ptr_array_index (self->slots, j);

              if (ms_discovery_attempt_get_state (later->attempt) == MS_DISCOVERY_STATE_WAITING)
                run_slot (self, later);
            }
          return;
        }
    }

  task = g_steal_pointer (&self->task);

  if (winner != NULL)
    {
      stop_all (self, winner, _("a better source answered first"));
      g_task_return_pointer (task, g_object_ref (winner->attempt), g_object_unref);
      return;
    }

  stop_all (self, NULL, NULL);
  g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                           _("No settings were found for %s: no provider file knows it, it "
                             "publishes no settings, and no server answered at the usual "
                             "names"),
                           ms_address_get_domain (self->address));
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  MsDiscovery *self = user_data;

  g_clear_pointer (&self->cancelled_source, g_source_unref);
  evaluate (self);

  return G_SOURCE_REMOVE;
}

/**
 * ms_discovery_run_async:
 *
 * Looks for settings in every source at once (see the top of this file).
 * Progress comes as #MsDiscovery::attempt-changed.
 */
void
ms_discovery_run_async (MsDiscovery         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  const char *domain;
  g_autofree char *srv_names = NULL;
  g_autofree char *http_autoconfig = NULL;
  g_autofree char *http_well_known = NULL;
  g_autofree char *pacc_url = NULL;
  g_autofree char *autodiscover_url = NULL;
  g_autofree char *autodiscover_srv_name = NULL;

  g_return_if_fail (MS_IS_DISCOVERY (self));
  g_return_if_fail (self->task == NULL && self->slots->len == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ms_discovery_run_async);

  if (self->database == NULL)
    {
      self->database = ms_provider_database_new ();
      ms_provider_database_load (self->database, NULL, NULL);
    }

  self->session = ms_discovery_fetch_session_new (self->tls_database, self->timeout_ms);

  if (cancellable != NULL)
    {
      self->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancelled_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancelled_source, g_main_context_get_thread_default ());
    }

  domain = ms_address_get_domain (self->address);
  srv_names = g_strdup_printf ("_imaps._tcp.%s …", domain);
  autodiscover_srv_name = g_strconcat ("_autodiscover._tcp.", domain, NULL);
  http_autoconfig = autoconfig_url (self, domain, FALSE, FALSE, FALSE);
  http_well_known = autoconfig_url (self, domain, FALSE, TRUE, FALSE);
  pacc_url = ms_discovery_pacc_url (domain, self->https_port);
  {
    g_autofree char *host = g_strconcat ("autodiscover.", domain, NULL);

    autodiscover_url = ms_discovery_autodiscover_url (host, self->https_port);
  }

  add_slot (self, MS_DISCOVERY_SOURCE_PROVIDER_FILE, domain, FALSE, NULL);
  add_slot (self, MS_DISCOVERY_SOURCE_PACC, domain, FALSE, pacc_url);
  add_slot (self, MS_DISCOVERY_SOURCE_AUTODISCOVER, domain, FALSE, autodiscover_url);
  add_slot (self, MS_DISCOVERY_SOURCE_AUTODISCOVER_SRV, domain, FALSE, autodiscover_srv_name);
  add_web_slots (self, domain, FALSE);
  add_slot (self, MS_DISCOVERY_SOURCE_SRV, domain, FALSE, srv_names);
  add_slot (self, MS_DISCOVERY_SOURCE_MX, domain, FALSE, domain);
  add_slot (self, MS_DISCOVERY_SOURCE_GUESS, domain, FALSE, NULL);
  add_slot (self, MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP, domain, FALSE, http_autoconfig);
  add_slot (self, MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP, domain, FALSE, http_well_known);

  /* Provider files answer at once: no network at all for known domains. */
  run_provider_file (self, g_ptr_array_index (self->slots, 0));

  if (ms_discovery_attempt_get_state (((Slot *) g_ptr_array_index (self->slots, 0))->attempt) !=
      MS_DISCOVERY_STATE_FOUND)
    {
      g_autoptr(GPtrArray) to_start = g_ptr_array_new ();

      for (guint i = 0; i < self->slots->len; i++)
        {
          Slot *slot = g_ptr_array_index (self->slots, i);

          if (ms_discovery_attempt_get_state (slot->attempt) == MS_DISCOVERY_STATE_WAITING &&
              !is_plain_http (slot))
            g_ptr_array_add (to_start, slot);
        }
      for (guint i = 0; i < to_start->len; i++)
        run_slot (self, g_ptr_array_index (to_start, i));
    }

  g_object_ref (self);
  evaluate (self);
  g_object_unref (self);
}

/**
 * ms_discovery_run_finish:
 *
 * Returns: (transfer full) (nullable): the winning attempt, whose provider
 *   holds the settings; check ms_discovery_attempt_needs_confirmation()
 *   before sending a password to them
 */
MsDiscoveryAttempt *
ms_discovery_run_finish (MsDiscovery   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ms_discovery_get_attempts_in_order:
 *
 * Returns: (transfer container) (element-type MsDiscoveryAttempt): the
 *   attempts in the order they started, those that never started last
 */
GPtrArray *
ms_discovery_get_attempts_in_order (MsDiscovery *self)
{
  g_autoptr(GPtrArray) attempts = NULL;
  GPtrArray *sorted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = 0;

  g_return_val_if_fail (MS_IS_DISCOVERY (self), NULL);

  attempts = ms_discovery_get_attempts (self);
  for (guint i = 0; i < attempts->len; i++)
    n = MAX (n, ms_discovery_attempt_get_order (g_ptr_array_index (attempts, i)));

  for (guint order = 1; order <= n; order++)
    for (guint i = 0; i < attempts->len; i++)
      if (ms_discovery_attempt_get_order (g_ptr_array_index (attempts, i)) == order)
        g_ptr_array_add (sorted, g_object_ref (g_ptr_array_index (attempts, i)));

  /* Order 0: never started. */
  for (guint i = 0; i < attempts->len; i++)
    if (ms_discovery_attempt_get_order (g_ptr_array_index (attempts, i)) == 0)
      g_ptr_array_add (sorted, g_object_ref (g_ptr_array_index (attempts, i)));

  return sorted;
}

static void
add_concerns (JsonBuilder        *builder,
              MsDiscoveryAttempt *winner)
{
  MsDiscoveryConcerns concerns = winner != NULL ? ms_discovery_attempt_get_concerns (winner) : 0;
  const char * const *foreign = winner != NULL ? ms_discovery_attempt_get_foreign_hosts (winner) : NULL;
  g_auto(GStrv) words = ms_discovery_concerns_to_strv (concerns);

  json_builder_set_member_name (builder, "needs_confirmation");
  json_builder_add_boolean_value (builder, concerns != 0);
  json_builder_set_member_name (builder, "concerns");
  json_builder_begin_array (builder);
  for (guint i = 0; words[i] != NULL; i++)
    json_builder_add_string_value (builder, words[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "foreign_hosts");
  json_builder_begin_array (builder);
  for (guint i = 0; foreign != NULL && foreign[i] != NULL; i++)
    ms_json_add_text_value (builder, foreign[i], "");
  json_builder_end_array (builder);
}

/**
 * ms_discovery_to_json:
 * @winner: (nullable): what ms_discovery_run_finish() returned
 * @error: (nullable): why nothing was found
 *
 * The whole lookup as `providers lookup --json` prints it (a stable
 * interface, docs/cli-json.md).
 *
 * Returns: (transfer full): an object
 */
JsonNode *
ms_discovery_to_json (MsDiscovery        *self,
                      MsDiscoveryAttempt *winner,
                      const GError       *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) attempts = NULL;

  g_return_val_if_fail (MS_IS_DISCOVERY (self), NULL);

  attempts = ms_discovery_get_attempts_in_order (self);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, ms_address_get_ascii (self->address));
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, ms_address_get_domain (self->address));
  json_builder_set_member_name (builder, "attempts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < attempts->len; i++)
    json_builder_add_value (builder, ms_discovery_attempt_to_json (g_ptr_array_index (attempts, i)));
  json_builder_end_array (builder);

  ms_json_add_string_or_null (builder, "winner", winner != NULL ? ms_discovery_attempt_get_name (winner) : NULL);
  add_concerns (builder, winner);
  json_builder_set_member_name (builder, "provider");
  if (winner != NULL)
    json_builder_add_value (builder, ms_provider_to_json (ms_discovery_attempt_get_provider (winner)));
  else
    json_builder_add_null_value (builder);
  ms_json_add_text (builder, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
