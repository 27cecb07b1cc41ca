/* ms-discovery-guess.c: find a domain's servers by probing common names and ports
 *
 * Every candidate (imap., mail., pop3., pop., smtp. and the bare domain,
 * each on its protocol's ports) is probed at once by MsProbe, which never
 * logs in here: it connects, finds out whether the port speaks implicit TLS
 * or STARTTLS and validates the certificate.
 *
 * Candidates rank by: valid certificate first, then IMAP over POP3, then
 * implicit TLS over STARTTLS, then port order, then host order. A finished
 * candidate wins as soon as no candidate still running could beat it even
 * at its best, so a good server on the best name and port wins in the time
 * of its own probe, and dead candidates cost nothing. Candidates that never
 * answer cost at most one probe timeout: then the best answer so far wins.
 *
 * Names often lead to the same server (mail.example.com and example.com on
 * one address). Each address and port is probed once: the other names on
 * it wait and take that answer when the server's certificate is valid for
 * them too, and are probed themselves only when it is not. Fewer
 * connections at once, and none of the "too many connections from your
 * address" refusals (Charter's 421 E1550) that a burst of them can cause.
 *
 * For the same reason the candidates come in two waves, as in "happy
 * eyeballs": first the best-ranked port of each direction (implicit TLS
 * IMAP and submission); the rest start when that wave has found nothing
 * usable for their direction, or after STAGGER_MS, whichever comes first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-discovery-guess-private.h"
#include "ms-discovery-guess.h"
#include "ms-probe.h"

#define DEFAULT_TIMEOUT_MS 15000
/* How long the best-ranked port of each direction (993, 465) has to
 * answer alone before the others are probed too. */
#define STAGGER_MS 250

static const MsDiscoveryPort default_ports[] = {
  { MS_PROTOCOL_IMAP, 993, MS_SECURITY_TLS },
  { MS_PROTOCOL_IMAP, 143, MS_SECURITY_STARTTLS },
  { MS_PROTOCOL_POP3, 995, MS_SECURITY_TLS },
  { MS_PROTOCOL_POP3, 110, MS_SECURITY_STARTTLS },
  { MS_PROTOCOL_SMTP, 465, MS_SECURITY_TLS },
  { MS_PROTOCOL_SMTP, 587, MS_SECURITY_STARTTLS },
  { MS_PROTOCOL_SMTP, 25, MS_SECURITY_STARTTLS },
};

/* Host name prefixes per protocol, best first; "" is the bare domain. */
static const char *imap_prefixes[] = { "imap.", "mail.", "", NULL };
static const char *pop3_prefixes[] = { "pop3.", "pop.", "mail.", "", NULL };
static const char *smtp_prefixes[] = { "smtp.", "mail.", "", NULL };

typedef struct
{
  MsServer      *server;
  gboolean       incoming;
  guint          protocol_rank;
  guint          port_index;
  guint          host_index;
  MsProbe       *probe;
  MsProbeResult *result;
  gboolean       done;
  gboolean       usable;        /* TLS with a valid certificate, or with one to confirm */
  gboolean       valid;         /* TLS with a valid certificate */
  MsSecurity     security;
  GPtrArray     *followers;     /* Candidate: other names on the same address and port */
  GInetAddress  *address;       /* once the name resolved */
  gboolean       started;
} Candidate;

struct _MsDiscoveryGuess
{
  GObject          parent_instance;

  char            *domain;
  GArray          *ports;       /* MsDiscoveryPort */
  GTlsDatabase    *database;
  guint            timeout_ms;

  GTask           *task;
  GCancellable    *cancellable; /* stops every probe */
  GCancellable    *caller_cancellable;
  gulong           cancelled_id;
  GSource         *timer;
  GPtrArray       *candidates;  /* Candidate */
  GHashTable      *endpoints;   /* "address|port" -> the Candidate probing it */
  GSource         *stagger;     /* opens the second wave */
  gboolean         second_wave;
};

G_DEFINE_FINAL_TYPE (MsDiscoveryGuess, ms_discovery_guess, G_TYPE_OBJECT)

static void
candidate_free (Candidate *candidate)
{
  g_clear_pointer (&candidate->server, ms_server_unref);
  g_clear_object (&candidate->probe);
  g_clear_pointer (&candidate->result, ms_probe_result_unref);
  g_clear_pointer (&candidate->followers, g_ptr_array_unref);
  g_clear_object (&candidate->address);
  g_free (candidate);
}

/**
 * ms_discovery_guess_get_default_ports:
 *
 * Returns: 993, 143, 995, 110, 465, 587 and 25
 */
const MsDiscoveryPort *
ms_discovery_guess_get_default_ports (guint *n_ports)
{
  *n_ports = G_N_ELEMENTS (default_ports);

  return default_ports;
}

static void
stop_everything (MsDiscoveryGuess *self)
{
  if (self->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
      self->cancelled_id = 0;
      g_clear_object (&self->caller_cancellable);
    }
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (self->stagger != NULL)
    {
      g_source_destroy (self->stagger);
      g_clear_pointer (&self->stagger, g_source_unref);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
ms_discovery_guess_dispose (GObject *object)
{
  MsDiscoveryGuess *self = MS_DISCOVERY_GUESS (object);

  stop_everything (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->database);
  g_clear_object (&self->task);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->endpoints, g_hash_table_unref);

  G_OBJECT_CLASS (ms_discovery_guess_parent_class)->dispose (object);
}

static void
ms_discovery_guess_finalize (GObject *object)
{
  MsDiscoveryGuess *self = MS_DISCOVERY_GUESS (object);

  g_free (self->domain);
  g_array_unref (self->ports);

  G_OBJECT_CLASS (ms_discovery_guess_parent_class)->finalize (object);
}

static void
ms_discovery_guess_class_init (MsDiscoveryGuessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_discovery_guess_dispose;
  object_class->finalize = ms_discovery_guess_finalize;
}

static void
ms_discovery_guess_init (MsDiscoveryGuess *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->ports = g_array_new (FALSE, FALSE, sizeof (MsDiscoveryPort));
  g_array_append_vals (self->ports, default_ports, G_N_ELEMENTS (default_ports));
  self->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  self->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * ms_discovery_guess_new:
 * @domain: the mail domain, ASCII
 */
MsDiscoveryGuess *
ms_discovery_guess_new (const char *domain)
{
  MsDiscoveryGuess *self;

  g_return_val_if_fail (domain != NULL, NULL);

  self = g_object_new (MS_TYPE_DISCOVERY_GUESS, NULL);
  self->domain = g_ascii_strdown (domain, -1);

  return self;
}

/**
 * ms_discovery_guess_set_ports:
 *
 * Replaces the ports tried (tests use the private servers' ports).
 */
void
ms_discovery_guess_set_ports (MsDiscoveryGuess      *self,
                              const MsDiscoveryPort *ports,
                              guint                  n_ports)
{
  g_return_if_fail (MS_IS_DISCOVERY_GUESS (self));
  g_return_if_fail (ports != NULL || n_ports == 0);
  g_return_if_fail (self->task == NULL);

  g_array_set_size (self->ports, 0);
  g_array_append_vals (self->ports, ports, n_ports);
}

void
ms_discovery_guess_set_tls_database (MsDiscoveryGuess *self,
                                     GTlsDatabase     *database)
{
  g_return_if_fail (MS_IS_DISCOVERY_GUESS (self));

  g_set_object (&self->database, database);
}

/**
 * ms_discovery_guess_set_timeout:
 *
 * Sets each probe's step timeout, which is also how long the guess waits
 * for candidates that never answer.
 */
void
ms_discovery_guess_set_timeout (MsDiscoveryGuess *self,
                                guint             timeout_ms)
{
  g_return_if_fail (MS_IS_DISCOVERY_GUESS (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

guint
ms_discovery_guess_get_n_candidates (MsDiscoveryGuess *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_GUESS (self), 0);

  return self->candidates->len;
}

/**
 * ms_discovery_guess_get_results:
 *
 * Returns: (transfer container) (element-type MsProbeResult): the results
 *   of the candidates that finished, in candidate order
 */
GPtrArray *
ms_discovery_guess_get_results (MsDiscoveryGuess *self)
{
  GPtrArray *results;

  g_return_val_if_fail (MS_IS_DISCOVERY_GUESS (self), NULL);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_probe_result_unref);
  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);

      if (candidate->result != NULL)
        g_ptr_array_add (results, ms_probe_result_ref (candidate->result));
    }

  return results;
}

/* Ranking */

static guint
security_rank (MsSecurity security)
{
  return security == MS_SECURITY_TLS ? 0 : 1;
}

/* Compares what @a achieved with what @b achieved, or could still achieve
 * at best if it has not finished. Negative if @a is better. */
static int
compare_candidates (const Candidate *a,
                    const Candidate *b)
{
  guint a_invalid = a->done ? !a->valid : 0;
  guint b_invalid = b->done ? !b->valid : 0;
  guint a_security = a->done ? security_rank (a->security) : 0;
  guint b_security = b->done ? security_rank (b->security) : 0;

  if (a_invalid != b_invalid)
    return a_invalid < b_invalid ? -1 : 1;
  if (a->protocol_rank != b->protocol_rank)
    return a->protocol_rank < b->protocol_rank ? -1 : 1;
  if (a_security != b_security)
    return a_security < b_security ? -1 : 1;
  if (a->port_index != b->port_index)
    return a->port_index < b->port_index ? -1 : 1;
  if (a->host_index != b->host_index)
    return a->host_index < b->host_index ? -1 : 1;

  return 0;
}

static int
compare_candidates_sort (gconstpointer a,
                         gconstpointer b)
{
  return compare_candidates (*(Candidate **) a, *(Candidate **) b);
}

typedef enum
{
  PICK_UNDECIDED,
  PICK_DECIDED,
  PICK_NONE,
} PickState;

/* The best finished candidate of one direction, if nothing still running
 * could beat it (or, when @final, whatever is best so far). */
static PickState
pick (MsDiscoveryGuess  *self,
      gboolean           incoming,
      gboolean           final,
      Candidate        **best_out)
{
  Candidate *best = NULL;
  gboolean running = FALSE;

  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);

      if (candidate->incoming != incoming)
        continue;
      if (!candidate->done)
        running = TRUE;
      else if (candidate->usable && (best == NULL || compare_candidates (candidate, best) < 0))
        best = candidate;
    }

  *best_out = best;

  if (best == NULL)
    return running && !final ? PICK_UNDECIDED : PICK_NONE;

  if (final)
    return PICK_DECIDED;

  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);

      if (candidate->incoming == incoming && !candidate->done &&
          compare_candidates (candidate, best) < 0)
        return PICK_UNDECIDED;
    }

  return PICK_DECIDED;
}

static MsServer *
candidate_to_server (const Candidate *candidate)
{
  MsServer *server = ms_server_copy (candidate->server);

  server->security = candidate->security;

  return server;
}

static MsProvider *
build_provider (MsDiscoveryGuess *self,
                Candidate        *incoming,
                Candidate        *outgoing)
{
  g_autoptr(MsProfile) profile = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autofree char *id = g_strconcat ("guess-", self->domain, NULL);
  g_autofree char *source = g_strconcat ("guess:", self->domain, NULL);
  g_autoptr(MsServer) incoming_server = candidate_to_server (incoming);
  g_autoptr(MsServer) outgoing_server = candidate_to_server (outgoing);

  profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  ms_profile_add_name (profile, NULL, _("Found by trying common server names"));
  ms_profile_set_recommended (profile, TRUE);
  ms_profile_add_incoming (profile, incoming_server);
  ms_profile_add_outgoing (profile, outgoing_server);

  /* Every other server that answered securely, best first. */
  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);

      if (candidate != incoming && candidate != outgoing && candidate->done && candidate->valid)
        g_ptr_array_add (others, candidate);
    }
  g_ptr_array_sort (others, compare_candidates_sort);
  for (guint i = 0; i < others->len; i++)
    {
      g_autoptr(MsServer) server = candidate_to_server (g_ptr_array_index (others, i));

      ms_profile_add_alternate (profile, server);
    }

  return ms_provider_new_discovered (id, self->domain, source, profile);
}

static void
finish (MsDiscoveryGuess *self,
        gboolean          final)
{
  g_autoptr(GTask) task = NULL;
  Candidate *incoming = NULL;
  Candidate *outgoing = NULL;
  PickState incoming_state;
  PickState outgoing_state;

  if (self->task == NULL)
    return;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      task = g_steal_pointer (&self->task);
      stop_everything (self);
      g_task_return_error_if_cancelled (task);
      return;
    }

  incoming_state = pick (self, TRUE, final, &incoming);
  outgoing_state = pick (self, FALSE, final, &outgoing);

  if (incoming_state == PICK_DECIDED && outgoing_state == PICK_DECIDED)
    {
      task = g_steal_pointer (&self->task);
      stop_everything (self);
      g_task_return_pointer (task, build_provider (self, incoming, outgoing), g_object_unref);
      return;
    }

  if (incoming_state == PICK_NONE || outgoing_state == PICK_NONE)
    {
      task = g_steal_pointer (&self->task);
      stop_everything (self);

      if (incoming == NULL && outgoing == NULL)
        g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                                 final ? _("no server of %s answered securely within %u seconds")
                                       : _("no server of %s answered securely"),
                                 self->domain, (self->timeout_ms + 999) / 1000);
      else
        g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INCOMPLETE,
                                 incoming == NULL
                                 ? _("%s has a secure server for outgoing mail but none for incoming mail")
                                 : _("%s has a secure server for incoming mail but none for outgoing mail"),
                                 self->domain);
      return;
    }
}

static gboolean
timer_expired_cb (gpointer user_data)
{
  MsDiscoveryGuess *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  finish (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              GCancellable *probes)
{
  g_cancellable_cancel (probes);
}

typedef struct
{
  MsDiscoveryGuess *self;
  Candidate        *candidate;
} ProbeData;

static void settle_follower (MsDiscoveryGuess *self,
                             Candidate        *follower,
                             Candidate        *leader);
static void launch_ready    (MsDiscoveryGuess *self);

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ProbeData *data = user_data;
  g_autoptr(MsDiscoveryGuess) self = data->self;
  Candidate *candidate = data->candidate;
  g_autoptr(MsProbeResult) probe_result = NULL;

  g_free (data);
  probe_result = ms_probe_run_finish (MS_PROBE (object), result, NULL);

  /* A late answer after the guess ended changes nothing. */
  if (self->task == NULL || probe_result == NULL)
    {
      if (self->task != NULL)
        {
          candidate->done = TRUE;
          finish (self, FALSE);
        }
      return;
    }

  candidate->done = TRUE;
  candidate->result = g_steal_pointer (&probe_result);
  candidate->valid = ms_probe_result_works (candidate->result);
  candidate->usable = candidate->valid ||
                      (candidate->result->certificate != NULL &&
                       candidate->result->certificate_errors != 0);
  candidate->security = candidate->result->security_detected
                        ? candidate->result->detected_security
                        : candidate->server->security;
  if (candidate->security == MS_SECURITY_NONE)
    candidate->usable = candidate->valid = FALSE;

  for (guint i = 0; candidate->followers != NULL && i < candidate->followers->len; i++)
    settle_follower (self, g_ptr_array_index (candidate->followers, i), candidate);

  launch_ready (self);
  finish (self, FALSE);
}

static void
start_probe (MsDiscoveryGuess *self,
             Candidate        *candidate)
{
  ProbeData *data = g_new0 (ProbeData, 1);

  candidate->probe = ms_probe_new (candidate->server);
  ms_probe_set_timeout (candidate->probe, self->timeout_ms);
  if (self->database != NULL)
    ms_probe_set_tls_database (candidate->probe, self->database);

  data->self = g_object_ref (self);
  data->candidate = candidate;
  ms_probe_run_async (candidate->probe, self->cancellable, probe_done_cb, data);
}

/* Whether the certificate @leader's server showed is valid for
 * @follower's name too. */
static gboolean
certificate_covers (MsDiscoveryGuess *self,
                    Candidate        *leader,
                    Candidate        *follower)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GTlsDatabase) fallback = NULL;
  GTlsDatabase *database = self->database;
  GTlsCertificateFlags flags;

  if (database == NULL)
    database = fallback = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (database == NULL)
    return FALSE;

  identity = g_network_address_new (follower->server->hostname, follower->server->port);
  flags = g_tls_database_verify_chain (database, leader->result->certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);

  return flags == 0;
}

/* Another name on an address and port already probed: take the answer if
 * it holds for this name, probe for real only if it may not (a server can
 * show each name its own certificate). */
static void
settle_follower (MsDiscoveryGuess *self,
                 Candidate        *follower,
                 Candidate        *leader)
{
  MsProbeResult *result = leader->result;

  if (result != NULL && result->tls_established && leader->valid &&
      certificate_covers (self, leader, follower))
    {
      follower->done = TRUE;
      follower->result = ms_probe_result_ref (result);
      follower->valid = leader->valid;
      follower->usable = leader->usable;
      follower->security = leader->security;
      return;
    }

  if (result == NULL || result->certificate == NULL)
    {
      /* Refused, silent, or no TLS at all: the same for every name. */
      follower->done = TRUE;
      return;
    }

  start_probe (self, follower);
}

static void
launch (MsDiscoveryGuess *self,
        Candidate        *candidate)
{
  g_autofree char *address_text = g_inet_address_to_string (candidate->address);
  g_autofree char *endpoint = g_strdup_printf ("%s|%u", address_text, candidate->server->port);
  Candidate *leader = g_hash_table_lookup (self->endpoints, endpoint);

  candidate->started = TRUE;

  if (leader == NULL)
    {
      g_hash_table_insert (self->endpoints, g_steal_pointer (&endpoint), candidate);
      start_probe (self, candidate);
    }
  else if (leader->done)
    settle_follower (self, candidate, leader);
  else
    {
      if (leader->followers == NULL)
        leader->followers = g_ptr_array_new ();
      g_ptr_array_add (leader->followers, candidate);
    }
}

static gboolean
in_first_wave (const Candidate *candidate)
{
  return candidate->protocol_rank == 0 && candidate->port_index == 0;
}

/* Whether the first wave of @incoming's direction is over without a
 * usable server, so the second need not wait for the stagger. */
static gboolean
first_wave_failed (MsDiscoveryGuess *self,
                   gboolean          incoming)
{
  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);

      if (candidate->incoming != incoming || !in_first_wave (candidate))
        continue;
      if (!candidate->done || candidate->usable)
        return FALSE;
    }

  return TRUE;
}

/* Starts every resolved candidate whose wave is open. */
static void
launch_ready (MsDiscoveryGuess *self)
{
  gboolean open[2] = {
    self->second_wave || first_wave_failed (self, FALSE),
    self->second_wave || first_wave_failed (self, TRUE),
  };

  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);

      if (candidate->started || candidate->done || candidate->address == NULL)
        continue;
      if (in_first_wave (candidate) || open[candidate->incoming])
        launch (self, candidate);
    }
}

static gboolean
stagger_expired_cb (gpointer user_data)
{
  MsDiscoveryGuess *self = user_data;

  g_clear_pointer (&self->stagger, g_source_unref);
  self->second_wave = TRUE;
  launch_ready (self);
  finish (self, FALSE);

  return G_SOURCE_REMOVE;
}

typedef struct
{
  MsDiscoveryGuess *self;
  char             *host;
} ResolveData;

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ResolveData *data = user_data;
  g_autoptr(MsDiscoveryGuess) self = data->self;
  g_autofree char *host = data->host;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  g_free (data);
  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);

  if (self->task == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }

  if (error == NULL && addresses != NULL)
    {
      for (guint i = 0; i < self->candidates->len; i++)
        {
          Candidate *candidate = g_ptr_array_index (self->candidates, i);

          if (g_str_equal (candidate->server->hostname, host))
            g_set_object (&candidate->address, addresses->data);
        }
      g_resolver_free_addresses (addresses);
      launch_ready (self);
      finish (self, FALSE);
      return;
    }

  /* A name that does not exist rules out all its candidates at once. */
  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);

      if (g_str_equal (candidate->server->hostname, host))
        candidate->done = TRUE;
    }
  launch_ready (self);
  finish (self, FALSE);
}

/* Each name is resolved once before its ports are probed: most domains
 * lack some of the names, and dozens of lookups at once would queue
 * behind each other (GLib resolves in a small thread pool) and delay the
 * other sources' lookups too. */
static void
resolve_hosts (MsDiscoveryGuess *self)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (self->candidates, i);
      ResolveData *data;

      if (!g_hash_table_add (seen, candidate->server->hostname))
        continue;

      data = g_new0 (ResolveData, 1);
      data->self = g_object_ref (self);
      data->host = g_strdup (candidate->server->hostname);
      g_resolver_lookup_by_name_async (resolver, data->host, self->cancellable, resolve_cb, data);
    }
}

static void
add_candidates (MsDiscoveryGuess *self)
{
  guint port_index[MS_PROTOCOL_SMTP + 1] = { 0, };

  for (guint i = 0; i < self->ports->len; i++)
    {
      const MsDiscoveryPort *port = &g_array_index (self->ports, MsDiscoveryPort, i);
      const char **prefixes;

      switch (port->protocol)
        {
        case MS_PROTOCOL_IMAP:
          prefixes = imap_prefixes;
          break;
        case MS_PROTOCOL_POP3:
          prefixes = pop3_prefixes;
          break;
        case MS_PROTOCOL_SMTP:
        default:
          prefixes = smtp_prefixes;
          break;
        }

      for (guint h = 0; prefixes[h] != NULL; h++)
        {
          g_autofree char *host = g_strconcat (prefixes[h], self->domain, NULL);
          Candidate *candidate = g_new0 (Candidate, 1);

          /* ms_server_new() gives the full address as username and a
           * password login, as a guessed server should have. */
          candidate->server = ms_server_new (port->protocol, host, port->port, port->security);
          candidate->incoming = ms_protocol_is_incoming (port->protocol);
          candidate->protocol_rank = port->protocol == MS_PROTOCOL_POP3 ? 1 : 0;
          candidate->port_index = port_index[port->protocol];
          candidate->host_index = h;
          candidate->security = port->security;
          g_ptr_array_add (self->candidates, candidate);
        }
      port_index[port->protocol]++;
    }
}

/**
 * ms_discovery_guess_run_async:
 *
 * Probes every candidate at once, without logging in. Fails with
 * %MS_DISCOVERY_ERROR_NOT_FOUND or %MS_DISCOVERY_ERROR_INCOMPLETE when no
 * secure server answered for incoming or for outgoing mail.
 */
void
ms_discovery_guess_run_async (MsDiscoveryGuess    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (MS_IS_DISCOVERY_GUESS (self));
  g_return_if_fail (self->task == NULL && self->cancellable == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ms_discovery_guess_run_async);

  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                  g_object_ref (self->cancellable),
                                                  g_object_unref);
    }

  add_candidates (self);

  self->timer = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (self->timer, timer_expired_cb, self, NULL);
  g_source_set_static_name (self->timer, "[mail-setup] guess deadline");
  g_source_attach (self->timer, g_main_context_get_thread_default ());

  self->stagger = g_timeout_source_new (MIN (STAGGER_MS, self->timeout_ms));
  g_source_set_callback (self->stagger, stagger_expired_cb, self, NULL);
  g_source_set_static_name (self->stagger, "[mail-setup] guess second wave");
  g_source_attach (self->stagger, g_main_context_get_thread_default ());

  if (self->candidates->len == 0)
    {
      finish (self, TRUE);
      return;
    }

  resolve_hosts (self);
}

/**
 * ms_discovery_guess_run_finish:
 *
 * Returns: (transfer full) (nullable): a provider whose one profile has the
 *   best incoming and outgoing server, and every other server that answered
 *   securely as alternates
 */
MsProvider *
ms_discovery_guess_run_finish (MsDiscoveryGuess  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
