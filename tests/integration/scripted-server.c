/* scripted-server.c: start tests/harness/scripted-server.py from a C test
 *
 * The fake server is only for replies no real server gives; each test
 * that uses it says which.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "scripted-server.h"


const char *
ms_test_need_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through tests/harness/run-with-mail-servers", name);

  return value;
}

ScriptedServer *
scripted_server_start (const char *script)
{
  ScriptedServer *server = g_new0 (ScriptedServer, 1);
  g_autofree char *scripted = g_build_filename (ms_test_need_env ("MS_SOURCE_ROOT"), "tests", "harness",
                                                "scripted-server.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  int fd;

  fd = g_file_open_tmp ("ms-script-XXXXXX.json", &server->script_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (server->script_path, script, -1, &error);
  g_assert_no_error (error);
  fd = g_file_open_tmp ("ms-record-XXXXXX.txt", &server->record_path, &error);
  g_assert_no_error (error);
  close (fd);

  server->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                     "python3", scripted, server->script_path,
                                     "--record", server->record_path, "--timeout", "20", NULL);
  g_assert_no_error (error);

  server->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->server));
  line = g_data_input_stream_read_line (server->output, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "PORT "))
    g_error ("scripted-server.py did not start: %s", line != NULL ? line : "(no output)");
  server->port = (guint16) g_ascii_strtoull (line + 5, NULL, 10);

  return server;
}

char *
scripted_server_stop (ScriptedServer *server)
{
  char *record = NULL;

  g_subprocess_force_exit (server->server);
  g_subprocess_wait (server->server, NULL, NULL);
  g_file_get_contents (server->record_path, &record, NULL, NULL);
  g_unlink (server->record_path);
  g_unlink (server->script_path);
  g_object_unref (server->output);
  g_object_unref (server->server);
  g_free (server->record_path);
  g_free (server->script_path);
  g_free (server);

  return record != NULL ? record : g_strdup ("");
}
