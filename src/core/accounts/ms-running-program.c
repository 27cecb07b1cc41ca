/* ms-running-program.c: whether a program of ours runs now
 *
 * Evolution and Geary keep their accounts in memory and write them back,
 * so a repair waits until they are closed. They hold no lock file, so we
 * look for their processes: ours only (another person's Geary is not in
 * our files), by the kernel's command name, which is the executable's
 * name cut to 15 bytes ("evolution" is not "evolution-sourc", the
 * registry that may keep running). Only one that uses the configuration
 * folder the file is in counts: a Flatpak's Geary, or one run with
 * another XDG_CONFIG_HOME, never reads it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms-running-program.h"

/* The configuration folder the process sees ($XDG_CONFIG_HOME, or
 * $HOME/.config), or NULL when its environment says neither. */
static char *
process_config_dir (const char *dir)
{
  g_autofree char *environ_path = g_build_filename (dir, "environ", NULL);
  g_autofree char *environ = NULL;
  g_autofree char *home = NULL;
  gsize length;

  if (!g_file_get_contents (environ_path, &environ, &length, NULL))
    return NULL;

  for (const char *p = environ; p < environ + length; p += strlen (p) + 1)
    {
      if (g_str_has_prefix (p, "XDG_CONFIG_HOME=/"))
        return g_strdup (p + strlen ("XDG_CONFIG_HOME="));
      if (g_str_has_prefix (p, "HOME=/"))
        {
          g_free (home);
          home = g_strdup (p + strlen ("HOME="));
        }
    }

  return home != NULL ? g_build_filename (home, ".config", NULL) : NULL;
}

/* A zombie has exited; only its parent has not reaped it yet (in a
 * container nobody may ever reap it). It reads no file and writes none. */
static gboolean
process_has_exited (const char *dir)
{
  g_autofree char *stat_path = g_build_filename (dir, "stat", NULL);
  g_autofree char *stat_line = NULL;
  const char *state;

  if (!g_file_get_contents (stat_path, &stat_line, NULL, NULL))
    return TRUE;
  /* "PID (COMM) STATE ...": COMM may hold anything, ')' too. */
  state = strrchr (stat_line, ')');
  if (state == NULL || state[1] != ' ')
    return TRUE;

  return state[2] == 'Z' || state[2] == 'X' || state[2] == 'x';
}

static gboolean
process_is (const char *pid,
            const char *name)
{
  g_autofree char *dir = g_build_filename ("/proc", pid, NULL);
  g_autofree char *comm_path = g_build_filename (dir, "comm", NULL);
  g_autofree char *comm = NULL;
  struct stat st;

  if (stat (dir, &st) != 0 || st.st_uid != getuid ())
    return FALSE;
  /* /proc files report no size; comm is at most 16 bytes. */
  if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
    return FALSE;
  g_strchomp (comm);

  return strncmp (comm, name, 15) == 0 && strlen (comm) == MIN (strlen (name), 15)
         && !process_has_exited (dir);
}

/* Whether the process may read @config_file: when its folder cannot be
 * told, it may. */
static gboolean
process_reads (const char *pid,
               const char *config_file)
{
  g_autofree char *dir = g_build_filename ("/proc", pid, NULL);
  g_autofree char *config_dir = process_config_dir (dir);
  g_autofree char *prefix = NULL;

  if (config_dir == NULL)
    return TRUE;
  prefix = g_strconcat (config_dir, G_DIR_SEPARATOR_S, NULL);

  return g_str_has_prefix (config_file, prefix);
}

/**
 * ms_running_program_find:
 * @name: the program's executable name ("evolution", "geary")
 * @config_file: a file of the program's configuration (absolute)
 *
 * Returns: whether a process of ours runs @name now, with the
 *   configuration folder @config_file is in
 */
gboolean
ms_running_program_find (const char *name,
                         const char *config_file)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *entry;

  g_return_val_if_fail (name != NULL, FALSE);

  while (proc != NULL && (entry = g_dir_read_name (proc)) != NULL)
    {
      if (!g_ascii_isdigit (entry[0]))
        continue;
      if (process_is (entry, name) && process_reads (entry, config_file))
        return TRUE;
    }

  return FALSE;
}

/**
 * ms_running_program_check:
 * @name: the program's executable name
 * @config_file: a file of the program's configuration (absolute)
 * @sentence: what to tell the person when it runs (translated)
 * @why: (out) (optional): @sentence, when it runs
 *
 * A backend's is_running () for a program found by its process.
 *
 * Returns: ms_running_program_find (@name, @config_file)
 */
gboolean
ms_running_program_check (const char  *name,
                          const char  *config_file,
                          const char  *sentence,
                          char       **why)
{
  if (!ms_running_program_find (name, config_file))
    return FALSE;

  if (why != NULL)
    *why = g_strdup (sentence);
  return TRUE;
}
