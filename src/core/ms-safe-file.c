/* ms-safe-file.c: read a file that someone else may have put there
 *
 * Every file Mail Setup reads (provider files, saved settings, the pins
 * file, a CA file, another program's configuration before it is changed)
 * is named by a path that something else controls. g_file_get_contents()
 * on such a path waits forever for a FIFO's writer and reads /dev/zero
 * until memory runs out. Here only a regular file is read: checked before
 * opening (opening a device can itself do something, and a FIFO's open
 * waits without O_NONBLOCK), and again on the open descriptor, which is
 * what counts, since the name may change in between. The size is capped by
 * the caller and enforced while reading, as a file may grow, and some
 * regular files (in /proc) report no size at all. Errors read
 * "PATH: reason", as the parsers' "PATH:LINE: reason" do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "ms-safe-file.h"

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "%s: %s", display, g_strerror (saved_errno));
}

static void
set_not_regular_error (GError            **error,
                       const char         *path,
                       const struct stat  *st)
{
  g_autofree char *display = g_filename_display_name (path);

  if (S_ISLNK (st->st_mode))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP,
                 /* Translators: %s is a file name */
                 _("%s: a symbolic link, which is not followed here"), display);
  else if (S_ISDIR (st->st_mode))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                 /* Translators: %s is a file name */
                 _("%s: a folder, not a file"), display);
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 /* Translators: %s is a file name */
                 _("%s: not a regular file (a pipe or a device, say), so it is not read"),
                 display);
}

/**
 * ms_safe_file_open:
 * @path: the file
 * @flags: #MsSafeFileFlags (only %MS_SAFE_FILE_NOFOLLOW counts here)
 * @st: (out caller-allocates) (optional): the open file's status
 *
 * Opens @path for reading if it is a regular file, without ever blocking.
 * Errors are in %G_FILE_ERROR: %G_FILE_ERROR_NOENT for a missing file,
 * %G_FILE_ERROR_INVAL for a FIFO, socket or device, %G_FILE_ERROR_ISDIR,
 * %G_FILE_ERROR_LOOP for a refused symbolic link.
 *
 * Returns: a descriptor (close-on-exec, non-blocking), or -1 with @error set
 */
int
ms_safe_file_open (const char       *path,
                   MsSafeFileFlags   flags,
                   struct stat      *st,
                   GError          **error)
{
  gboolean nofollow = (flags & MS_SAFE_FILE_NOFOLLOW) != 0;
  struct stat before;
  struct stat after;
  int fd;

  g_return_val_if_fail (path != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if ((nofollow ? lstat (path, &before) : stat (path, &before)) != 0)
    {
      set_errno_error (error, errno, path);
      return -1;
    }
  if (!S_ISREG (before.st_mode))
    {
      set_not_regular_error (error, path, &before);
      return -1;
    }

  do
    fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    {
      int saved_errno = errno;

      if (nofollow && saved_errno == ELOOP)
        {
          before.st_mode = S_IFLNK;
          set_not_regular_error (error, path, &before);
        }
      else
        set_errno_error (error, saved_errno, path);
      return -1;
    }

  if (fstat (fd, &after) != 0)
    {
      set_errno_error (error, errno, path);
      close (fd);
      return -1;
    }
  if (!S_ISREG (after.st_mode))
    {
      set_not_regular_error (error, path, &after);
      close (fd);
      return -1;
    }

  if (st != NULL)
    *st = after;

  return fd;
}

static void
set_too_large_error (GError     **error,
                     const char  *path,
                     gsize        max_size)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *size = g_format_size (max_size);

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
               /* Translators: %s is a file name, then a size such as “16.8 MB” */
               _("%s: larger than %s, so it is not read"), display, size);
}

/**
 * ms_safe_file_read:
 * @path: the file
 * @max_size: the most bytes to accept
 * @flags: #MsSafeFileFlags
 * @contents: (out) (transfer full): the contents, with a NUL after them
 * @length: (out) (optional): their length
 * @st: (out caller-allocates) (optional): the file's status when opened
 *
 * Reads a regular file of at most @max_size bytes (see ms_safe_file_open()
 * for the errors; a longer file is %G_FILE_ERROR_FAILED unless
 * %MS_SAFE_FILE_PREFIX is given).
 *
 * Returns: %TRUE on success
 */
gboolean
ms_safe_file_read (const char       *path,
                   gsize             max_size,
                   MsSafeFileFlags   flags,
                   char            **contents,
                   gsize            *length,
                   struct stat      *st,
                   GError          **error)
{
  g_autofree char *buffer = NULL;
  struct stat file_st;
  gsize capacity;
  gsize total = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (max_size < G_MAXSIZE - 1, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fd = ms_safe_file_open (path, flags, &file_st, error);
  if (fd < 0)
    return FALSE;

  if ((flags & MS_SAFE_FILE_PREFIX) == 0 && file_st.st_size > 0 &&
      (guint64) file_st.st_size > max_size)
    {
      close (fd);
      set_too_large_error (error, path, max_size);
      return FALSE;
    }

  /* One byte more than allowed shows a file that grew past the limit;
   * a file that claims no size starts small and grows. */
  capacity = MIN ((guint64) MAX (file_st.st_size, 4095), (guint64) max_size) + 1;
  buffer = g_malloc (capacity + 1);

  while (total <= max_size)
    {
      gssize n;

      if (total == capacity)
        {
          capacity = MIN (capacity * 2, max_size + 1);
          buffer = g_realloc (buffer, capacity + 1);
        }

      n = read (fd, buffer + total, capacity - total);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          set_errno_error (error, saved_errno, path);
          return FALSE;
        }
      if (n == 0)
        break;
      total += n;
    }
  close (fd);

  if (total > max_size)
    {
      if ((flags & MS_SAFE_FILE_PREFIX) == 0)
        {
          set_too_large_error (error, path, max_size);
          return FALSE;
        }
      total = max_size;
    }

  buffer[total] = '\0';
  *contents = g_steal_pointer (&buffer);
  if (length != NULL)
    *length = total;
  if (st != NULL)
    *st = file_st;

  return TRUE;
}
