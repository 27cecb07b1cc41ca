/* ms-discovery-fetch.h: fetch an autoconfig file over the web, with limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ms-discovery-error.h"
#include "ms-provider.h"

G_BEGIN_DECLS

/* An autoconfig file is a few kilobytes; the provider parser's own limit
 * is the ceiling for what is read at all. */
#define MS_DISCOVERY_FETCH_MAX_SIZE (256 * 1024)
#define MS_DISCOVERY_FETCH_MAX_REDIRECTS 3

SoupSession *ms_discovery_fetch_session_new (GTlsDatabase         *tls_database,
                                             guint                 timeout_ms);
void         ms_discovery_fetch_async       (SoupSession          *session,
                                             const char           *url,
                                             guint                 timeout_ms,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
MsProvider  *ms_discovery_fetch_finish      (GAsyncResult         *result,
                                             GError              **error);
void         ms_discovery_fetch_bytes_async (SoupSession          *session,
                                             const char           *url,
                                             guint                 timeout_ms,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
void         ms_discovery_fetch_post_async  (SoupSession          *session,
                                             const char           *url,
                                             GBytes               *body,
                                             guint                 timeout_ms,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GBytes      *ms_discovery_fetch_bytes_finish (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
