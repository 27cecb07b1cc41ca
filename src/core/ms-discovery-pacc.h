/* ms-discovery-pacc.h: mail settings from a PACC document, checked against DNS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ms-discovery-error.h"
#include "ms-provider.h"

G_BEGIN_DECLS

/* A PACC document names a few servers: a few kilobytes. */
#define MS_DISCOVERY_PACC_MAX_SIZE (64 * 1024)

char       *ms_discovery_pacc_url         (const char          *domain,
                                           guint16              https_port);
MsProvider *ms_discovery_pacc_read        (GBytes              *document,
                                           const char * const  *txt_records,
                                           const char          *domain,
                                           const char          *source,
                                           GError             **error);

void        ms_discovery_pacc_async       (SoupSession         *session,
                                           GResolver           *resolver,
                                           const char          *domain,
                                           const char          *url,
                                           guint                timeout_ms,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
MsProvider *ms_discovery_pacc_finish      (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
