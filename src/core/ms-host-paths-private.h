/* ms-host-paths-private.h: test hooks of ms-host-paths.c
 *
 * Not for the product's code: tests include it to reach inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-host-paths.h"

G_BEGIN_DECLS

/* Reads @root/.flatpak-info instead of /.flatpak-info from now on, and
 * forgets what was read before; %NULL goes back to the real one. */
void ms_host_paths_set_root_for_testing (const char *root);

G_END_DECLS
