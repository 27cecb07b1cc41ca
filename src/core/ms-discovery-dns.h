/* ms-discovery-dns.h: mail settings from SRV records, and the MX host's base domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-discovery-error.h"
#include "ms-provider.h"

G_BEGIN_DECLS

/* The records kept per SRV service, best priority and weight first. */
#define MS_DISCOVERY_SRV_MAX_RECORDS_PER_SERVICE 4

gint        ms_discovery_srv_compare       (gconstpointer         a,
                                            gconstpointer         b);

void        ms_discovery_srv_lookup_async  (GResolver            *resolver,
                                            const char           *domain,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
MsProvider *ms_discovery_srv_lookup_finish (GAsyncResult         *result,
                                            char                **notes,
                                            GError              **error);

void        ms_discovery_mx_lookup_async   (GResolver            *resolver,
                                            const char           *domain,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char       *ms_discovery_mx_lookup_finish  (GAsyncResult         *result,
                                            char                **mx_host,
                                            GError              **error);

G_END_DECLS
