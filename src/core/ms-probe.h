/* ms-probe.h: test one mail server for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-probe-result.h"
#include "ms-secret.h"
#include "ms-server.h"

G_BEGIN_DECLS

#define MS_TYPE_PROBE (ms_probe_get_type ())

G_DECLARE_FINAL_TYPE (MsProbe, ms_probe, MS, PROBE, GObject)

/* Decides whether a certificate that failed validation is one the user
 * chose to trust for this host and port. */
typedef gboolean (*MsProbeTrustFunc) (const char      *host,
                                      guint16          port,
                                      GTlsCertificate *certificate,
                                      gpointer         user_data);

MsProbe       *ms_probe_new                (MsServer            *server);
MsServer      *ms_probe_get_server         (MsProbe             *self);
void           ms_probe_set_tls_database   (MsProbe             *self,
                                            GTlsDatabase        *database);
void           ms_probe_set_trust_func     (MsProbe             *self,
                                            MsProbeTrustFunc     func,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);
void           ms_probe_set_timeout        (MsProbe             *self,
                                            guint                timeout_ms);
void           ms_probe_set_credentials    (MsProbe             *self,
                                            const char          *username,
                                            MsSecret            *password);
void           ms_probe_set_bearer_token   (MsProbe             *self,
                                            const char          *username,
                                            MsSecret            *token,
                                            const char          *granted_scope,
                                            gint64               expires);
void           ms_probe_set_send_message   (MsProbe             *self,
                                            const char          *from,
                                            const char          *to,
                                            const char          *message);
void           ms_probe_set_watch_message  (MsProbe             *self,
                                            const char          *token,
                                            guint                timeout_ms);
void           ms_probe_set_relay_check    (MsProbe             *self,
                                            const char          *from,
                                            const char          *to);
void           ms_probe_stop_watching      (MsProbe             *self);
void           ms_probe_run_async          (MsProbe             *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MsProbeResult *ms_probe_run_finish         (MsProbe             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* The header that marks a test message, and its token. */
#define MS_TEST_MESSAGE_HEADER "X-Mail-Setup-Test"

/* The outside recipient of a relay check (RFC 2606's domain): RCPT TO
 * only, never DATA, so nothing is ever sent to it. */
#define MS_PROBE_RELAY_CHECK_RECIPIENT "relay-check@example.com"

G_END_DECLS
