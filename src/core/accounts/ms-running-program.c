/* ms-running-program.c: whether a program of ours runs now
 *
 * Evolution and Geary keep their accounts in memory and write them back,
 * so a repair waits until they are closed. They hold no lock file, so we
 * look for their processes: ours only (another person's Geary is not in
 * our files), by the kernel's command name, which is the executable's
 * name cut to 15 bytes ("evolution" is not "evolution-sourc", the
 * registry that may keep running).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms-running-program.h"

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

  return strncmp (comm, name, 15) == 0 && strlen (comm) == MIN (strlen (name), 15);
}

/**
 * ms_running_program_find:
 * @name: the program's executable name ("evolution", "geary")
 *
 * Returns: whether a process of ours runs @name now
 */
gboolean
ms_running_program_find (const char *name)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *entry;

  g_return_val_if_fail (name != NULL, FALSE);

  while (proc != NULL && (entry = g_dir_read_name (proc)) != NULL)
    {
      if (!g_ascii_isdigit (entry[0]))
        continue;
      if (process_is (entry, name))
        return TRUE;
    }

  return FALSE;
}
