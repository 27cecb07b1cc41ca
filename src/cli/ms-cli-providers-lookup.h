/* ms-cli-providers-lookup.h: `mail-setup providers lookup ADDRESS`, and discovery for `test`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-discovery.h"

G_BEGIN_DECLS

/* Names an environment variable that replaces the public provider
 * database's URL, for tests that serve their own; read only in
 * development builds (-Ddevelopment=true). */
#define MS_CLI_PUBLIC_DATABASE_URL_ENV "MAIL_SETUP_PUBLIC_DATABASE_URL"

void                ms_cli_discovery_configure (MsDiscovery  *discovery,
                                                GTlsDatabase *tls_database,
                                                guint         timeout_ms,
                                                gboolean      no_public_database);
MsDiscoveryAttempt *ms_cli_discovery_run       (MsDiscovery  *discovery,
                                                gboolean      show_progress,
                                                GError      **error);
int                 ms_cli_providers_lookup    (int           argc,
                                                char        **argv);

G_END_DECLS
