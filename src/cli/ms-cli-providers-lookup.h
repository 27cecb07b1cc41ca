/* ms-cli-providers-lookup.h: `mail-setup providers lookup ADDRESS`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int ms_cli_providers_lookup (int    argc,
                             char **argv);

G_END_DECLS
