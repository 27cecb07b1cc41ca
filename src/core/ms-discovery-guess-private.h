/* ms-discovery-guess-private.h: test hooks of ms-discovery-guess.c
 *
 * Not for the product's code: tests include it to reach inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-discovery-guess.h"

G_BEGIN_DECLS

/* How many host and port pairs the guess tries. */
guint ms_discovery_guess_get_n_candidates (MsDiscoveryGuess *self);

G_END_DECLS
