/* ms-discovery-private.h: test hooks of ms-discovery.c
 *
 * Not for the product's code: tests include it to reach inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-discovery.h"

G_BEGIN_DECLS

/* The ports to guess and to fetch autoconfig from: tests run their
 * servers on private loopback ports. */
void ms_discovery_set_guess_ports (MsDiscovery           *self,
                                   const MsDiscoveryPort *ports,
                                   guint                  n_ports);
void ms_discovery_set_web_ports   (MsDiscovery           *self,
                                   guint16                https_port,
                                   guint16                http_port);

G_END_DECLS
