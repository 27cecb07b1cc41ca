/* ms-discovery-attempt.c: one place discovery looked for a domain's settings
 *
 * An attempt records where discovery looked, how long it took and what it
 * found, so the command line can show the whole lookup and the wizard can
 * show progress. An attempt that found settings also says whether they need
 * the person's confirmation before a password goes to their servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libpsl.h>

#include "ms-enum-nick.h"
#include "ms-enum-types.h"
#include "ms-discovery-attempt.h"
#include "ms-discovery-error.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

#include <string.h>

struct _MsDiscoveryAttempt
{
  GObject              parent_instance;

  MsDiscoverySource    source;
  char                *domain;
  gboolean             via_mx;
  char                *detail;
  MsDiscoveryState     state;
  guint                order;
  gint64               start_usec;
  gint64               end_usec;
  char                *message;
  MsProvider          *provider;
  MsDiscoveryConcerns  concerns;
  GStrv                foreign_hosts;
  char                *address_domain;
};

G_DEFINE_FINAL_TYPE (MsDiscoveryAttempt, ms_discovery_attempt, G_TYPE_OBJECT)

/* Not nicks: the name a source takes when it was asked about the MX
 * host's base domain, a second name for the same value. */
static const char *mx_source_names[] = {
  "mx-provider-file", "mx-autoconfig", "mx-well-known", NULL, "mx-public-database", NULL,
  NULL, NULL, NULL, NULL, NULL, NULL,
};

/* Lower is better. The sources asked about the MX host's base domain rank
 * between the MX lookup and guessing. PACC (15) is the domain's own
 * document with its integrity checked in DNS: better than an autoconfig
 * file, which nothing vouches for but the web server; it is never asked
 * of the MX host's domain, which the address does not name. Autodiscover
 * (25) comes after the autoconfig files and before SRV records; its SRV
 * step (26, MS-OXDISCO's order: after the direct URLs) right after it. */
static const guint source_ranks[] = { 10, 20, 21, 30, 40, 50, 60, 70, 71, 15, 25, 26 };
static const guint mx_source_ranks[] = { 51, 52, 53, 0, 54, 0, 0, 0, 0, 0, 0, 0 };

G_STATIC_ASSERT (G_N_ELEMENTS (mx_source_names) == MS_DISCOVERY_SOURCE_AUTODISCOVER_SRV + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (source_ranks) == G_N_ELEMENTS (mx_source_names));

const char *
ms_discovery_source_to_string (MsDiscoverySource source)
{
  return ms_enum_nick_get (MS_TYPE_DISCOVERY_SOURCE, source);
}

/**
 * ms_discovery_source_get_progress_text:
 *
 * Returns: what the wizard shows while @source runs, translated
 */
const char *
ms_discovery_source_get_progress_text (MsDiscoverySource source)
{
  switch (source)
    {
    case MS_DISCOVERY_SOURCE_PROVIDER_FILE:
      return _("Looking for your provider in the built-in list…");
    case MS_DISCOVERY_SOURCE_GUESS:
      return _("Trying common server names…");
    case MS_DISCOVERY_SOURCE_PUBLIC_DATABASE:
      return _("Asking the public provider database…");
    case MS_DISCOVERY_SOURCE_AUTOCONFIG:
    case MS_DISCOVERY_SOURCE_WELL_KNOWN:
    case MS_DISCOVERY_SOURCE_SRV:
    case MS_DISCOVERY_SOURCE_MX:
    case MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP:
    case MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP:
    case MS_DISCOVERY_SOURCE_PACC:
    case MS_DISCOVERY_SOURCE_AUTODISCOVER:
    case MS_DISCOVERY_SOURCE_AUTODISCOVER_SRV:
    default:
      return _("Looking up your provider…");
    }
}

const char *
ms_discovery_state_to_string (MsDiscoveryState state)
{
  return ms_enum_nick_get (MS_TYPE_DISCOVERY_STATE, state);
}

static void
ms_discovery_attempt_dispose (GObject *object)
{
  MsDiscoveryAttempt *self = MS_DISCOVERY_ATTEMPT (object);

  g_clear_object (&self->provider);

  G_OBJECT_CLASS (ms_discovery_attempt_parent_class)->dispose (object);
}

static void
ms_discovery_attempt_finalize (GObject *object)
{
  MsDiscoveryAttempt *self = MS_DISCOVERY_ATTEMPT (object);

  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->foreign_hosts, g_strfreev);
  g_clear_pointer (&self->address_domain, g_free);

  G_OBJECT_CLASS (ms_discovery_attempt_parent_class)->finalize (object);
}

static void
ms_discovery_attempt_class_init (MsDiscoveryAttemptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_discovery_attempt_dispose;
  object_class->finalize = ms_discovery_attempt_finalize;
}

static void
ms_discovery_attempt_init (MsDiscoveryAttempt *self)
{
  self->state = MS_DISCOVERY_STATE_WAITING;
}

/**
 * ms_discovery_attempt_new:
 * @domain: the domain this attempt asks about
 * @via_mx: whether @domain is the MX host's base domain
 * @detail: (nullable): the URL or DNS name asked
 */
MsDiscoveryAttempt *
ms_discovery_attempt_new (MsDiscoverySource  source,
                          const char        *domain,
                          gboolean           via_mx,
                          const char        *detail)
{
  MsDiscoveryAttempt *self;

  g_return_val_if_fail (source < G_N_ELEMENTS (source_ranks), NULL);
  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (!via_mx || mx_source_names[source] != NULL, NULL);

  self = g_object_new (MS_TYPE_DISCOVERY_ATTEMPT, NULL);
  self->source = source;
  self->domain = g_strdup (domain);
  self->via_mx = via_mx;
  self->detail = g_strdup (detail);

  return self;
}

MsDiscoverySource
ms_discovery_attempt_get_source (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), 0);

  return self->source;
}

/**
 * ms_discovery_attempt_get_name:
 *
 * Returns: a stable word for the command line's output and the account
 *   report's "source": a source name, prefixed with "mx-" for the MX
 *   host's base domain
 */
const char *
ms_discovery_attempt_get_name (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  return self->via_mx ? mx_source_names[self->source] : ms_discovery_source_to_string (self->source);
}

guint
ms_discovery_attempt_get_rank (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), G_MAXUINT);

  return self->via_mx ? mx_source_ranks[self->source] : source_ranks[self->source];
}

const char *
ms_discovery_attempt_get_domain (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  return self->domain;
}

gboolean
ms_discovery_attempt_get_via_mx (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), FALSE);

  return self->via_mx;
}

const char *
ms_discovery_attempt_get_detail (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  return self->detail;
}

void
ms_discovery_attempt_set_detail (MsDiscoveryAttempt *self,
                                 const char         *detail)
{
  char *copy = g_strdup (detail);

  g_return_if_fail (MS_IS_DISCOVERY_ATTEMPT (self));

  g_free (self->detail);
  self->detail = copy;
}

MsDiscoveryState
ms_discovery_attempt_get_state (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), MS_DISCOVERY_STATE_WAITING);

  return self->state;
}

gboolean
ms_discovery_attempt_is_done (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), FALSE);

  return self->state != MS_DISCOVERY_STATE_WAITING && self->state != MS_DISCOVERY_STATE_RUNNING;
}

/**
 * ms_discovery_attempt_get_duration_ms:
 *
 * Returns: how long the attempt ran (so far, while it runs), or -1 if it
 *   never started
 */
gint64
ms_discovery_attempt_get_duration_ms (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), -1);

  if (self->start_usec == 0)
    return -1;

  return ((self->end_usec != 0 ? self->end_usec : g_get_monotonic_time ()) - self->start_usec) / 1000;
}

/**
 * ms_discovery_attempt_get_order:
 *
 * Returns: 1 for the first attempt started, 2 for the next …; 0 if it never
 *   started
 */
guint
ms_discovery_attempt_get_order (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), 0);

  return self->order;
}

/**
 * ms_discovery_attempt_get_message:
 *
 * Returns: (nullable): why the attempt failed or found nothing, or what
 *   it found, in a sentence
 */
const char *
ms_discovery_attempt_get_message (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  return self->message;
}

/**
 * ms_discovery_attempt_get_provider:
 *
 * Returns: (transfer none) (nullable): the settings found
 */
MsProvider *
ms_discovery_attempt_get_provider (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  return self->provider;
}

MsDiscoveryConcerns
ms_discovery_attempt_get_concerns (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), MS_DISCOVERY_CONCERN_NONE);

  return self->concerns;
}

/**
 * ms_discovery_attempt_get_foreign_hosts:
 *
 * Returns: (nullable): the servers outside the trusted domains, if any
 */
const char * const *
ms_discovery_attempt_get_foreign_hosts (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  return (const char * const *) self->foreign_hosts;
}

/**
 * ms_discovery_attempt_needs_confirmation:
 *
 * Returns: %TRUE if no password may go to these servers before the person
 *   confirmed them (see ms_discovery_attempt_explain_concerns())
 */
gboolean
ms_discovery_attempt_needs_confirmation (MsDiscoveryAttempt *self)
{
  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), TRUE);

  return self->concerns != MS_DISCOVERY_CONCERN_NONE;
}

/**
 * ms_discovery_attempt_explain_concerns:
 *
 * Returns: (transfer full) (nullable): why the settings need confirmation,
 *   in translated sentences, or %NULL if they do not
 */
char *
ms_discovery_attempt_explain_concerns (MsDiscoveryAttempt *self)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  if (self->concerns == MS_DISCOVERY_CONCERN_NONE)
    return NULL;

  text = g_string_new (NULL);
  if (self->concerns & MS_DISCOVERY_CONCERN_PLAIN_HTTP)
    g_string_append (text, _("These settings came over an unencrypted connection, so anyone "
                             "on the network could have replaced them with servers of their own."));

  if (self->concerns & MS_DISCOVERY_CONCERN_VIA_MX)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      /* Translators: the first %s is a domain such as example.com, the
       * second the provider's domain found through its mail (MX) record */
      g_string_append_printf (text, _("These settings are not from %s itself: they were found at %s "
                                      "by following the domain’s mail record, which is not "
                                      "authenticated and could have been forged."),
                              self->address_domain, self->domain);
    }

  if (self->concerns & MS_DISCOVERY_CONCERN_PUBLIC_DATABASE)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      /* Translators: %s is a domain such as example.com */
      g_string_append_printf (text, _("These settings come from a public list of providers, "
                                      "not from %s itself."),
                              self->address_domain);
    }

  if (self->concerns & MS_DISCOVERY_CONCERN_FOREIGN_SERVERS)
    {
      g_autofree char *hosts = g_strjoinv (", ", self->foreign_hosts);
      g_autofree char *shown = ms_untrusted_text_sanitize (hosts, 512);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      /* Translators: %s is a list of server names, %s a domain. */
      g_string_append_printf (text, _("The servers %s are not part of %s; your password would go to them."),
                              shown, self->address_domain);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * ms_discovery_concerns_to_strv:
 *
 * Returns: (transfer full): the stable words for @concerns, as the command
 *   line's JSON shows them ("plain-http", "foreign-servers", "via-mx",
 *   "public-database")
 */
GStrv
ms_discovery_concerns_to_strv (MsDiscoveryConcerns concerns)
{
  return ms_flags_nick_strv (MS_TYPE_DISCOVERY_CONCERNS, concerns);
}

/**
 * ms_discovery_attempt_check_password:
 * @self: (nullable): where the settings were discovered, or %NULL for
 *   settings that were not discovered (a provider file, the person's own
 *   entries, settings saved after a passing test)
 * @confirmed: whether the person accepted the concerns (the wizard's
 *   dialog, --accept-config-from-untrusted-source)
 *
 * The one decision whether a password may go to the servers of @self.
 * Every path that sends a password asks it: the command line's `test` and
 * `export`, the wizard, and #MsAccountTest itself as the last wall.
 *
 * Returns: %TRUE if the password may be sent; %FALSE with
 *   #MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION, whose message says why
 */
gboolean
ms_discovery_attempt_check_password (MsDiscoveryAttempt  *self,
                                     gboolean             confirmed,
                                     GError             **error)
{
  g_autofree char *why = NULL;

  g_return_val_if_fail (self == NULL || MS_IS_DISCOVERY_ATTEMPT (self), FALSE);

  if (self == NULL || confirmed || !ms_discovery_attempt_needs_confirmation (self))
    return TRUE;

  why = ms_discovery_attempt_explain_concerns (self);
  g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION,
               _("%s The password was not sent."), why);

  return FALSE;
}

/* For the engine */

void
ms_discovery_attempt_start (MsDiscoveryAttempt *self,
                            guint               order)
{
  g_return_if_fail (MS_IS_DISCOVERY_ATTEMPT (self));
  g_return_if_fail (self->state == MS_DISCOVERY_STATE_WAITING);

  self->state = MS_DISCOVERY_STATE_RUNNING;
  self->order = order;
  self->start_usec = g_get_monotonic_time ();
}

/**
 * ms_discovery_attempt_add_note:
 * @note: a sentence, for example about a DNS record that was refused
 *
 * Appends @note to the attempt's message, whatever its state.
 */
void
ms_discovery_attempt_add_note (MsDiscoveryAttempt *self,
                               const char         *note)
{
  g_return_if_fail (MS_IS_DISCOVERY_ATTEMPT (self));
  g_return_if_fail (note != NULL);

  if (self->message == NULL || *self->message == '\0')
    {
      g_free (self->message);
      self->message = g_strdup (note);
    }
  else
    {
      char *joined = g_strconcat (self->message, "; ", note, NULL);

      g_free (self->message);
      self->message = joined;
    }
}

/**
 * ms_discovery_attempt_finish:
 * @state: any state but waiting and running
 * @message: (nullable): why, in a sentence
 *
 * Does nothing if the attempt is already done: a late answer from a source
 * that was cancelled changes nothing.
 */
void
ms_discovery_attempt_finish (MsDiscoveryAttempt *self,
                             MsDiscoveryState    state,
                             const char         *message)
{
  g_return_if_fail (MS_IS_DISCOVERY_ATTEMPT (self));
  g_return_if_fail (state != MS_DISCOVERY_STATE_WAITING && state != MS_DISCOVERY_STATE_RUNNING);

  if (ms_discovery_attempt_is_done (self))
    return;

  if (self->start_usec != 0)
    self->end_usec = g_get_monotonic_time ();
  self->state = state;
  g_free (self->message);
  self->message = g_strdup (message);
}

/**
 * ms_discovery_base_domain:
 * @host: a host name, ASCII
 *
 * The registrable domain, public-suffix aware (libpsl, with the default
 * "*" rule, so names under unlisted suffixes have one too):
 * "google.com" for aspmx.l.google.com, "example.co.uk" for
 * mail.example.co.uk.
 *
 * Returns: (transfer full) (nullable): the base domain, lower case, or
 *   %NULL for an IP address or a public suffix
 */
char *
ms_discovery_base_domain (const char *host)
{
  static gsize psl_once;
  const psl_ctx_t *psl;
  g_autofree char *lower = NULL;
  const char *base;

  g_return_val_if_fail (host != NULL, NULL);

  if (g_hostname_is_ip_address (host))
    return NULL;

  if (g_once_init_enter (&psl_once))
    {
      /* The system's list when installed, else the one built in. */
      const psl_ctx_t *ctx = psl_latest (NULL);

      g_once_init_leave (&psl_once, (gsize) (ctx != NULL ? ctx : psl_builtin ()));
    }
  psl = (const psl_ctx_t *) psl_once;

  lower = g_ascii_strdown (host, -1);
  if (g_str_has_suffix (lower, "."))
    lower[strlen (lower) - 1] = '\0';
  base = psl != NULL ? psl_registrable_domain (psl, lower) : NULL;

  return base != NULL ? g_strdup (base) : NULL;
}

static char *
base_domain (const char *host)
{
  char *base = ms_discovery_base_domain (host);

  return base != NULL ? base : g_ascii_strdown (host, -1);
}

/**
 * ms_discovery_host_in_domain:
 *
 * Returns: %TRUE if @host is @domain, below it, or under the same
 *   registrable domain (imap.example.co.uk for mail.example.co.uk)
 */
gboolean
ms_discovery_host_in_domain (const char *host,
                             const char *domain)
{
  g_autofree char *host_base = NULL;
  g_autofree char *domain_base = NULL;
  g_autofree char *suffix = NULL;

  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  if (g_ascii_strcasecmp (host, domain) == 0)
    return TRUE;

  suffix = g_strconcat (".", domain, NULL);
  if (g_str_has_suffix (host, suffix))
    return TRUE;

  host_base = base_domain (host);
  domain_base = base_domain (domain);

  return g_str_equal (host_base, domain_base);
}

/* Only the address's own domain: a fetched file's <domain> list names the
 * domains the file is for, but a file cannot vouch for itself, so it does
 * not extend trust (an MX pointing at an attacker's domain would otherwise
 * let that domain's autoconfig name any server). */
static void
check_servers (GPtrArray  *servers,
               const char *address_domain,
               GPtrArray  *foreign)
{
  for (guint i = 0; i < servers->len; i++)
    {
      MsServer *server = g_ptr_array_index (servers, i);
      gboolean seen = FALSE;

      if (ms_discovery_host_in_domain (server->hostname, address_domain))
        continue;

      for (guint j = 0; j < foreign->len && !seen; j++)
        seen = g_ascii_strcasecmp (g_ptr_array_index (foreign, j), server->hostname) == 0;
      if (!seen)
        g_ptr_array_add (foreign, g_strdup (server->hostname));
    }
}

/**
 * ms_discovery_attempt_set_found:
 * @provider: the settings found
 * @address_domain: the domain of the address being set up
 *
 * Marks the attempt as found and works out what needs confirmation
 * (the trust rules, docs/security.md): provider files, which an
 * administrator or Mail Setup itself vouches for, need none when they are
 * for the address's own domain; the domain's own HTTPS autoconfig and SRV
 * records, and the guesser, need none while every server is inside the
 * address's domain. Anything that came through the MX record, the public
 * database or plain HTTP always needs the person's word.
 */
void
ms_discovery_attempt_set_found (MsDiscoveryAttempt *self,
                                MsProvider         *provider,
                                const char         *address_domain)
{
  g_autoptr(GPtrArray) foreign = NULL;
  GPtrArray *profiles;

  g_return_if_fail (MS_IS_DISCOVERY_ATTEMPT (self));
  g_return_if_fail (MS_IS_PROVIDER (provider));
  g_return_if_fail (address_domain != NULL);

  if (ms_discovery_attempt_is_done (self))
    return;

  g_set_object (&self->provider, provider);
  g_free (self->address_domain);
  self->address_domain = g_strdup (address_domain);
  self->concerns = MS_DISCOVERY_CONCERN_NONE;

  if (self->source == MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP ||
      self->source == MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP ||
      (self->detail != NULL && g_ascii_strncasecmp (self->detail, "http:", 5) == 0) ||
      (ms_provider_get_source (provider) != NULL &&
       g_ascii_strncasecmp (ms_provider_get_source (provider), "http:", 5) == 0))
    self->concerns |= MS_DISCOVERY_CONCERN_PLAIN_HTTP;

  if (self->via_mx)
    self->concerns |= MS_DISCOVERY_CONCERN_VIA_MX;

  if (self->source == MS_DISCOVERY_SOURCE_PUBLIC_DATABASE)
    self->concerns |= MS_DISCOVERY_CONCERN_PUBLIC_DATABASE;

  if (self->source != MS_DISCOVERY_SOURCE_PROVIDER_FILE)
    {
      foreign = g_ptr_array_new_with_free_func (g_free);
      profiles = ms_provider_get_profiles (provider);
      for (guint i = 0; i < profiles->len; i++)
        {
          MsProfile *profile = g_ptr_array_index (profiles, i);

          check_servers (ms_profile_get_incoming (profile), address_domain, foreign);
          check_servers (ms_profile_get_outgoing (profile), address_domain, foreign);
          check_servers (ms_profile_get_alternates (profile), address_domain, foreign);
        }

      if (foreign->len > 0)
        {
          self->concerns |= MS_DISCOVERY_CONCERN_FOREIGN_SERVERS;
          g_ptr_array_add (foreign, NULL);
          g_clear_pointer (&self->foreign_hosts, g_strfreev);
          self->foreign_hosts = (GStrv) g_ptr_array_free (g_steal_pointer (&foreign), FALSE);
        }
    }

  ms_discovery_attempt_finish (self, MS_DISCOVERY_STATE_FOUND,
                               ms_provider_get_source (provider));
}

/**
 * ms_discovery_attempt_to_json:
 *
 * What one source did, for `providers lookup --json` (docs/cli-json.md);
 * what the source said is cleaned (ms-untrusted-text.h).
 *
 * Returns: (transfer full): an object
 */
JsonNode *
ms_discovery_attempt_to_json (MsDiscoveryAttempt *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MS_IS_DISCOVERY_ATTEMPT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, ms_discovery_attempt_get_name (self));
  json_builder_set_member_name (builder, "rank");
  json_builder_add_int_value (builder, ms_discovery_attempt_get_rank (self));
  json_builder_set_member_name (builder, "order");
  json_builder_add_int_value (builder, ms_discovery_attempt_get_order (self));
  json_builder_set_member_name (builder, "domain");
  ms_json_add_text_value (builder, ms_discovery_attempt_get_domain (self), "");
  ms_json_add_text (builder, "detail", ms_discovery_attempt_get_detail (self));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, ms_discovery_state_to_string (ms_discovery_attempt_get_state (self)));
  json_builder_set_member_name (builder, "duration_ms");
  if (ms_discovery_attempt_get_duration_ms (self) >= 0)
    json_builder_add_int_value (builder, ms_discovery_attempt_get_duration_ms (self));
  else
    json_builder_add_null_value (builder);
  ms_json_add_text (builder, "message", ms_discovery_attempt_get_message (self));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
