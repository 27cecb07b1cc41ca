/* ms-export-token-command.h: the `mail-setup token` command an exported configuration runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

gboolean ms_export_server_uses_oauth (const MsServer  *server);
char   **ms_export_token_argv        (const char      *address);
char    *ms_export_token_command     (const char      *address,
                                      const char      *format,
                                      GError         **error);
char    *ms_export_secret_command    (const char      *address,
                                      const MsServer  *server,
                                      const char      *format,
                                      GError         **error);

G_END_DECLS
