/* ms-discovery.h: find working settings for any address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-address.h"
#include "ms-discovery-attempt.h"
#include "ms-discovery-error.h"
#include "ms-discovery-guess.h"
#include "ms-provider-database.h"

G_BEGIN_DECLS

/* Thunderbird's public provider database (the ISPDB), the URL Thunderbird
 * itself uses; the domain is appended. */
#define MS_DISCOVERY_PUBLIC_DATABASE_URL "https://live.thunderbird.net/autoconfig/v1.1/"

#define MS_TYPE_DISCOVERY (ms_discovery_get_type ())

G_DECLARE_FINAL_TYPE (MsDiscovery, ms_discovery, MS, DISCOVERY, GObject)

MsDiscovery        *ms_discovery_new                      (MsAddress              *address);
MsAddress          *ms_discovery_get_address              (MsDiscovery            *self);
void                ms_discovery_set_provider_database    (MsDiscovery            *self,
                                                           MsProviderDatabase     *database);
void                ms_discovery_set_tls_database         (MsDiscovery            *self,
                                                           GTlsDatabase           *database);
void                ms_discovery_set_timeout              (MsDiscovery            *self,
                                                           guint                   timeout_ms);
void                ms_discovery_set_use_public_database  (MsDiscovery            *self,
                                                           gboolean                use);
void                ms_discovery_set_public_database_url  (MsDiscovery            *self,
                                                           const char             *base_url);
void                ms_discovery_run_async                (MsDiscovery            *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
MsDiscoveryAttempt *ms_discovery_run_finish               (MsDiscovery            *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
GPtrArray          *ms_discovery_get_attempts             (MsDiscovery            *self);
GPtrArray          *ms_discovery_get_attempts_in_order    (MsDiscovery            *self);
JsonNode           *ms_discovery_to_json                  (MsDiscovery            *self,
                                                           MsDiscoveryAttempt     *winner,
                                                           const GError           *error);

G_END_DECLS
