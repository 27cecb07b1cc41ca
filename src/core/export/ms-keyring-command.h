/* ms-keyring-command.h: the secret-tool command an exported configuration runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

char               *ms_keyring_lookup_command     (const char          *address,
                                                   MsProtocol           protocol);
char              **ms_keyring_lookup_argv        (const char          *address,
                                                   MsProtocol           protocol);

G_END_DECLS
