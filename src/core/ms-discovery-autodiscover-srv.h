/* ms-discovery-autodiscover-srv.h: where Autodiscover is, from the domain's SRV record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-discovery-error.h"

G_BEGIN_DECLS

/* The Autodiscover servers asked from one SRV answer, best first. */
#define MS_DISCOVERY_AUTODISCOVER_SRV_MAX_TARGETS 4

GStrv ms_discovery_autodiscover_srv_urls   (GList                *records,
                                            const char           *domain,
                                            guint16               https_port,
                                            char                **notes);

void  ms_discovery_autodiscover_srv_async  (GResolver            *resolver,
                                            const char           *domain,
                                            guint16               https_port,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GStrv ms_discovery_autodiscover_srv_finish (GAsyncResult         *result,
                                            char                **notes,
                                            GError              **error);

G_END_DECLS
