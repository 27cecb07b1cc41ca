/* cli-run.c: run the real mail-setup command line as a process, for tests
 *
 * The process gets its own XDG folders and HOME under @xdg_root, a memory
 * GSettings backend and the C.UTF-8 locale, and none of the tests'
 * G_DEBUG (a warning is output to check, not a crash). Its output is kept
 * as bytes: invalid UTF-8 or a NUL in it is something to see, not a
 * reason to fail the read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli-run.h"

void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* One g_test_message() per line keeps the TAP output valid; escaped, so it
 * stays readable whatever came out. */
void
cli_log_output (const char *name,
                const char *text)
{
  g_autofree char *escaped = g_strescape (text, "\n");
  g_auto(GStrv) lines = g_strsplit (escaped, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] != '\0')
        g_test_message ("%s: %s", name, lines[i]);
    }
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  char *text;

  /* GBytes has no data at all for no output. */
  if (size == 0)
    return g_strdup ("");

  text = g_strndup (g_bytes_get_data (bytes, NULL), size);
  g_assert_cmpuint (strlen (text), ==, size);  /* no NUL in the output */

  return text;
}

/**
 * cli_run_command:
 * @env: (nullable): extra NAME, VALUE pairs, %NULL-terminated
 */
void
cli_run_command (CliRun             *run,
                 const char         *xdg_root,
                 const char * const *env,
                 const char         *first_arg,
                 ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (xdg_root, "config", NULL);
  g_autofree char *empty = g_build_filename (xdg_root, "empty", NULL);
  const char *mail_setup = g_getenv ("MS_MAIL_SETUP");
  va_list ap;

  /* Run through meson, which sets MS_MAIL_SETUP (mail-setup, or
   * mail-setup-devel in a development build); no fallback on purpose. */
  g_assert_nonnull (mail_setup);
  g_ptr_array_add (args, g_strdup (mail_setup));
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_DIRS", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", xdg_root, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  for (guint i = 0; env != NULL && env[i] != NULL && env[i + 1] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  cli_log_output ("stdout", run->out);
  cli_log_output ("stderr", run->err);
  g_test_message ("exit status %d", run->status);
}

void
cli_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          cli_remove_tree (child);
        }
    }

  g_remove (path);
}
