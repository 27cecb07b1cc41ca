/* ms-atomic-file.c: replace a file all at once, keeping a backup of the old one
 *
 * Other programs' configuration must never be left half written: a crash,
 * a kill -9 or a full disk at any moment leaves either the old file or the
 * new one. The new contents go to a temporary file in the same directory
 * (so rename() stays on one file system), are flushed to disk, and only then
 * renamed over the old name; the directory is flushed too so the rename
 * survives a power cut.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms-atomic-file.h"

/* @format names the file with one %s; the reason is added after it. */
static gboolean G_GNUC_PRINTF (3, 4)
set_error_from_errno (GError     **error,
                      int          saved_errno,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", message, g_strerror (saved_errno));

  return FALSE;
}

static gboolean
write_all (int          fd,
           const char  *contents,
           gsize        length,
           const char  *path,
           GError     **error)
{
  while (length > 0)
    {
      gssize written = write (fd, contents, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          /* TRANSLATORS: %s is a file name */
          return set_error_from_errno (error, errno, _("Could not write %s"), path);
        }
      contents += written;
      length -= written;
    }

  return TRUE;
}

static char *
make_backup (const char  *path,
             GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *backup = NULL;
  gsize length = 0;
  struct stat st;

  if (g_stat (path, &st) != 0)
    return NULL;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  backup = g_strdup_printf ("%s.mail-setup-backup-%s", path, stamp);
  for (guint i = 1; g_file_test (backup, G_FILE_TEST_EXISTS); i++)
    {
      g_free (backup);
      backup = g_strdup_printf ("%s.mail-setup-backup-%s-%u", path, stamp, i);
    }

  /* The backup keeps the original's mode, so a private file stays private. */
  if (!ms_atomic_file_replace (backup, contents, length,
                               (st.st_mode & 077) == 0 ? MS_ATOMIC_FILE_PRIVATE : MS_ATOMIC_FILE_NONE,
                               NULL, error))
    return NULL;

  return g_steal_pointer (&backup);
}

/**
 * ms_atomic_file_replace:
 * @path: the file to create or replace
 * @contents: the new contents
 * @length: their length
 * @flags: #MsAtomicFileFlags
 * @backup_path: (out) (optional) (nullable): where the old file was copied,
 *   or %NULL when there was none
 * @error: return location for a #GIOError
 *
 * Writes @contents to @path so that @path is, at every moment, either the
 * old file whole or the new one whole. Missing parent directories are made
 * (0700, as they are usually the person's own configuration directories).
 */
gboolean
ms_atomic_file_replace (const char         *path,
                        const char         *contents,
                        gsize               length,
                        MsAtomicFileFlags   flags,
                        char              **backup_path,
                        GError            **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree char *backup = NULL;
  struct stat st;
  mode_t mode = 0644;
  int fd;
  int dir_fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (backup_path != NULL)
    *backup_path = NULL;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_error_from_errno (error, errno, _("Could not create the folder %s"), dir);

  if (g_stat (path, &st) == 0)
    {
      if (!S_ISREG (st.st_mode))
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _("%s is not a regular file"), display);
          return FALSE;
        }
      mode = st.st_mode & 0777;

      if (flags & MS_ATOMIC_FILE_BACKUP)
        {
          backup = make_backup (path, error);
          if (backup == NULL)
            return FALSE;
        }
    }

  if (flags & MS_ATOMIC_FILE_PRIVATE)
    mode = 0600;

  template = g_strdup_printf ("%s.mail-setup-XXXXXX", path);
  /* Created 0600 whatever the final mode: the contents may be secret until
   * the mode below is set. */
  fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_error_from_errno (error, errno, _("Could not create a file next to %s"), path);

  if (!write_all (fd, contents, length, template, error))
    goto fail;

  if (fchmod (fd, mode) != 0)
    {
      set_error_from_errno (error, errno, _("Could not set the permissions of %s"), template);
      goto fail;
    }

  if (fsync (fd) != 0)
    {
      set_error_from_errno (error, errno, _("Could not write %s"), template);
      goto fail;
    }

  if (close (fd) != 0)
    {
      fd = -1;
      set_error_from_errno (error, errno, _("Could not write %s"), template);
      goto fail;
    }
  fd = -1;

  if (g_rename (template, path) != 0)
    {
      set_error_from_errno (error, errno, _("Could not replace %s"), path);
      goto fail;
    }

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  if (backup_path != NULL)
    *backup_path = g_steal_pointer (&backup);

  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (template);

  return FALSE;
}
