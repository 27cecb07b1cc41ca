/* ms-discovery-guess.h: find a domain's servers by probing common names and ports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-discovery-error.h"
#include "ms-probe-result.h"
#include "ms-provider.h"

G_BEGIN_DECLS

/**
 * MsDiscoveryPort:
 * @protocol: what the port is for
 * @port: the TCP port
 * @security: what to try first; the probe finds out what the port really
 *   speaks (implicit TLS on 587 is found too)
 *
 * A port the guesser tries, best first within its protocol.
 */
typedef struct
{
  MsProtocol protocol;
  guint16    port;
  MsSecurity security;
} MsDiscoveryPort;

#define MS_TYPE_DISCOVERY_GUESS (ms_discovery_guess_get_type ())

G_DECLARE_FINAL_TYPE (MsDiscoveryGuess, ms_discovery_guess, MS, DISCOVERY_GUESS, GObject)

const MsDiscoveryPort *ms_discovery_guess_get_default_ports (guint *n_ports);

MsDiscoveryGuess *ms_discovery_guess_new               (const char             *domain);
void              ms_discovery_guess_set_ports         (MsDiscoveryGuess       *self,
                                                        const MsDiscoveryPort  *ports,
                                                        guint                   n_ports);
void              ms_discovery_guess_set_tls_database  (MsDiscoveryGuess       *self,
                                                        GTlsDatabase           *database);
void              ms_discovery_guess_set_timeout       (MsDiscoveryGuess       *self,
                                                        guint                   timeout_ms);
void              ms_discovery_guess_run_async         (MsDiscoveryGuess       *self,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
MsProvider       *ms_discovery_guess_run_finish        (MsDiscoveryGuess       *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
GPtrArray        *ms_discovery_guess_get_results       (MsDiscoveryGuess       *self);

G_END_DECLS
