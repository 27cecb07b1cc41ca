/* ms-discovery-attempt.h: one place discovery looked for a domain's settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "ms-provider.h"

G_BEGIN_DECLS

/**
 * MsDiscoverySource:
 * @MS_DISCOVERY_SOURCE_PROVIDER_FILE: the bundled, admin and user provider
 *   files ("provider-file")
 * @MS_DISCOVERY_SOURCE_AUTOCONFIG: https://autoconfig.DOMAIN/mail/config-v1.1.xml
 *   ("autoconfig")
 * @MS_DISCOVERY_SOURCE_WELL_KNOWN: https://DOMAIN/.well-known/autoconfig/…
 *   ("well-known")
 * @MS_DISCOVERY_SOURCE_SRV: RFC 6186/8314 SRV records ("srv")
 * @MS_DISCOVERY_SOURCE_PUBLIC_DATABASE: Thunderbird's public provider
 *   database, a third party ("public-database")
 * @MS_DISCOVERY_SOURCE_MX: the domain's MX host, whose base domain is then
 *   looked up again ("mx")
 * @MS_DISCOVERY_SOURCE_GUESS: probing common server names and ports
 *   ("guess")
 * @MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP: the autoconfig URL over plain HTTP,
 *   the last resort ("autoconfig-http")
 * @MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP: the well-known URL over plain HTTP
 *   ("well-known-http")
 * @MS_DISCOVERY_SOURCE_PACC: the IETF PACC document of
 *   https://ua-auto-config.DOMAIN/, checked against the SHA-256 digest the
 *   domain publishes in DNS ("pacc"); ranks right after the provider files
 *   (issue 14)
 * @MS_DISCOVERY_SOURCE_AUTODISCOVER: Microsoft Autodiscover (POX) at
 *   https://autodiscover.DOMAIN/ and https://DOMAIN/, which recognises an
 *   Exchange or Microsoft 365 account ("autodiscover"); ranks after the
 *   domain's autoconfig files (issue 14)
 * @MS_DISCOVERY_SOURCE_AUTODISCOVER_SRV: Microsoft Autodiscover (POX) at
 *   the servers the _autodiscover._tcp.DOMAIN SRV record names, port 443,
 *   inside the address's domain only ("autodiscover-srv"); ranks right
 *   after the direct Autodiscover URLs, before the mail SRV records
 *
 * The kinds of source, in rank order (PACC and the Autodiscover sources, added later,
 * are last in the list but rank elsewhere: ms_discovery_attempt_get_rank()). Attempts made for the MX host's base
 * domain have the same kinds with ms_discovery_attempt_get_via_mx() set.
 */
typedef enum
{
  MS_DISCOVERY_SOURCE_PROVIDER_FILE,
  MS_DISCOVERY_SOURCE_AUTOCONFIG,
  MS_DISCOVERY_SOURCE_WELL_KNOWN,
  MS_DISCOVERY_SOURCE_SRV,
  MS_DISCOVERY_SOURCE_PUBLIC_DATABASE,
  MS_DISCOVERY_SOURCE_MX,
  MS_DISCOVERY_SOURCE_GUESS,
  MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP,
  MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP,
  MS_DISCOVERY_SOURCE_PACC,
  MS_DISCOVERY_SOURCE_AUTODISCOVER,
  MS_DISCOVERY_SOURCE_AUTODISCOVER_SRV,
} MsDiscoverySource;

/**
 * MsDiscoveryState:
 * @MS_DISCOVERY_STATE_WAITING: not started yet (the plain HTTP sources
 *   wait until every better source has failed)
 * @MS_DISCOVERY_STATE_RUNNING: under way
 * @MS_DISCOVERY_STATE_FOUND: found settings
 * @MS_DISCOVERY_STATE_FOLLOWED: found where to look next (the MX host)
 * @MS_DISCOVERY_STATE_NOT_FOUND: answered, but had no settings
 * @MS_DISCOVERY_STATE_FAILED: failed: timeout, bad certificate, hostile file …
 * @MS_DISCOVERY_STATE_CANCELLED: stopped, because a better source answered
 *   or the lookup was cancelled
 * @MS_DISCOVERY_STATE_SKIPPED: never started: turned off, or not needed
 */
typedef enum
{
  MS_DISCOVERY_STATE_WAITING,
  MS_DISCOVERY_STATE_RUNNING,
  MS_DISCOVERY_STATE_FOUND,
  MS_DISCOVERY_STATE_FOLLOWED,
  MS_DISCOVERY_STATE_NOT_FOUND,
  MS_DISCOVERY_STATE_FAILED,
  MS_DISCOVERY_STATE_CANCELLED,
  MS_DISCOVERY_STATE_SKIPPED,
} MsDiscoveryState;

/**
 * MsDiscoveryConcerns:
 * @MS_DISCOVERY_CONCERN_NONE: nothing to confirm
 * @MS_DISCOVERY_CONCERN_PLAIN_HTTP: the settings came over plain HTTP, so
 *   anyone on the network path could have replaced them
 * @MS_DISCOVERY_CONCERN_FOREIGN_SERVERS: a server lies outside the
 *   address's own domain (a `<domain>` list inside a fetched file does not
 *   count: the file cannot vouch for itself)
 * @MS_DISCOVERY_CONCERN_VIA_MX: the settings were found by following the
 *   domain's MX record, which anyone who can answer DNS queries can forge
 * @MS_DISCOVERY_CONCERN_PUBLIC_DATABASE: the settings came from the public
 *   provider database, a third party that does not speak for the domain
 *
 * Why settings need the person's explicit confirmation before a password
 * is sent to their servers. Only the address's own domain is trusted
 * without asking (docs/security.md, "Trust rules").
 */
typedef enum
{
  MS_DISCOVERY_CONCERN_NONE            = 0,
  MS_DISCOVERY_CONCERN_PLAIN_HTTP      = 1 << 0,
  MS_DISCOVERY_CONCERN_FOREIGN_SERVERS = 1 << 1,
  MS_DISCOVERY_CONCERN_VIA_MX          = 1 << 2,
  MS_DISCOVERY_CONCERN_PUBLIC_DATABASE = 1 << 3,
} MsDiscoveryConcerns;

const char *ms_discovery_source_to_string   (MsDiscoverySource source);
const char *ms_discovery_source_get_progress_text (MsDiscoverySource source);
const char *ms_discovery_state_to_string    (MsDiscoveryState  state);

#define MS_TYPE_DISCOVERY_ATTEMPT (ms_discovery_attempt_get_type ())

G_DECLARE_FINAL_TYPE (MsDiscoveryAttempt, ms_discovery_attempt, MS, DISCOVERY_ATTEMPT, GObject)

MsDiscoveryAttempt  *ms_discovery_attempt_new            (MsDiscoverySource    source,
                                                          const char          *domain,
                                                          gboolean             via_mx,
                                                          const char          *detail);

MsDiscoverySource    ms_discovery_attempt_get_source     (MsDiscoveryAttempt  *self);
const char          *ms_discovery_attempt_get_name       (MsDiscoveryAttempt  *self);
guint                ms_discovery_attempt_get_rank       (MsDiscoveryAttempt  *self);
const char          *ms_discovery_attempt_get_domain     (MsDiscoveryAttempt  *self);
gboolean             ms_discovery_attempt_get_via_mx     (MsDiscoveryAttempt  *self);
const char          *ms_discovery_attempt_get_detail     (MsDiscoveryAttempt  *self);
MsDiscoveryState     ms_discovery_attempt_get_state      (MsDiscoveryAttempt  *self);
gboolean             ms_discovery_attempt_is_done        (MsDiscoveryAttempt  *self);
gint64               ms_discovery_attempt_get_duration_ms (MsDiscoveryAttempt *self);
guint                ms_discovery_attempt_get_order      (MsDiscoveryAttempt  *self);
const char          *ms_discovery_attempt_get_message    (MsDiscoveryAttempt  *self);
MsProvider          *ms_discovery_attempt_get_provider   (MsDiscoveryAttempt  *self);
MsDiscoveryConcerns  ms_discovery_attempt_get_concerns   (MsDiscoveryAttempt  *self);
const char * const  *ms_discovery_attempt_get_foreign_hosts (MsDiscoveryAttempt *self);
gboolean             ms_discovery_attempt_needs_confirmation (MsDiscoveryAttempt *self);
char                *ms_discovery_attempt_explain_concerns (MsDiscoveryAttempt *self);
GStrv                ms_discovery_concerns_to_strv       (MsDiscoveryConcerns  concerns);
gboolean             ms_discovery_attempt_check_password (MsDiscoveryAttempt  *self,
                                                          gboolean             confirmed,
                                                          GError             **error);
JsonNode            *ms_discovery_attempt_to_json        (MsDiscoveryAttempt  *self);

/* For the discovery engine. */
void                 ms_discovery_attempt_start          (MsDiscoveryAttempt  *self,
                                                          guint                order);
void                 ms_discovery_attempt_finish         (MsDiscoveryAttempt  *self,
                                                          MsDiscoveryState     state,
                                                          const char          *message);
void                 ms_discovery_attempt_set_found      (MsDiscoveryAttempt  *self,
                                                          MsProvider          *provider,
                                                          const char          *address_domain);
void                 ms_discovery_attempt_set_detail     (MsDiscoveryAttempt  *self,
                                                          const char          *detail);
void                 ms_discovery_attempt_add_note       (MsDiscoveryAttempt  *self,
                                                          const char          *note);

char                *ms_discovery_base_domain            (const char          *host);
gboolean             ms_discovery_host_in_domain         (const char          *host,
                                                          const char          *domain);

G_END_DECLS
