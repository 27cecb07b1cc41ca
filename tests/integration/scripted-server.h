/* scripted-server.h: start tests/harness/scripted-server.py from a C test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess      *server;
  GDataInputStream *output;       /* its stdout: "ACCEPTED <i>" lines */
  char             *record_path;
  char             *script_path;
  guint16           port;
} ScriptedServer;

const char     *ms_test_need_env      (const char     *name);
ScriptedServer *scripted_server_start (const char     *script);
char           *scripted_server_stop  (ScriptedServer *server);

G_END_DECLS
