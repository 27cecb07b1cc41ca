/* ms-atomic-file.c: replace a file all at once, keeping a backup of the old one
 *
 * Other programs' configuration must never be left half written: a crash,
 * a kill -9 or a full disk at any moment leaves either the old file or the
 * new one. The new contents go to a temporary file in the same directory
 * (so rename() stays on one file system), are flushed to disk, and only then
 * renamed over the old name; the directory is flushed too so the rename
 * survives a power cut.
 *
 * Dotfile managers keep ~/.mbsyncrc and the like as symbolic links into a
 * repository. Renaming over the link would turn it into a plain file and
 * silently fork the configuration, so the link is followed and the file it
 * ends at is replaced in its own directory; the link stays. That is done
 * only when every link on the way and the file at the end are the
 * person's own: a link planted by someone else must not make Mail Setup
 * write where that someone chose. A FIFO, a device or a folder at the path
 * is refused: writing there would block, or do something else entirely.
 *
 * A new file gets the mode the person's umask gives (private ones 0600);
 * a replaced file keeps its mode, and so does its backup, so a backup is
 * never more readable than the file it copies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms-atomic-file.h"
#include "ms-safe-file.h"

/* The kernel's own limit for a path's links (MAXSYMLINKS). */
#define MAX_LINKS 40

#define BACKUP_INFIX ".mail-setup-backup-"

/* The mode of a file created for us: 0666 or 0600, less the umask. */
#define MODE_FROM_UMASK ((mode_t) -1)

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

/* Writes @contents to a temporary file next to @target and renames it
 * over @target. @mode is the final mode, or MODE_FROM_UMASK for a new file
 * (then @private_file picks 0600 over 0666 before the umask). */
static gboolean
write_and_rename (const char  *target,
                  const char  *contents,
                  gsize        length,
                  mode_t       mode,
                  gboolean     private_file,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *template = g_strdup_printf ("%s.mail-setup-XXXXXX", target);
  int fd;
  int dir_fd;

  /* Until its mode is set, the temporary file is private when either the
   * contents or the file it replaces are. */
  fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC,
                       (mode == MODE_FROM_UMASK && !private_file) ? 0666 : 0600);
  if (fd < 0)
    return set_error_from_errno (error, errno, _("Could not create a file next to %s"), target);

#if DEVELOPMENT_BUILD
  /* Test hook, development builds only: stop half way through the
   * temporary file of the target named in the variable, so that the kill -9
   * test of test-export-programs.py kills a writer caught in the middle of
   * a write, not before or after. */
  const char *stop_at = g_getenv ("MS_TEST_STOP_MID_WRITE");

  if (stop_at != NULL && length > 1 && g_strcmp0 (stop_at, target) == 0)
    {
      gsize half = length / 2;

      if (!write_all (fd, contents, half, template, error))
        goto fail;
      raise (SIGSTOP);
      contents += half;
      length -= half;
    }
#endif

  if (!write_all (fd, contents, length, template, error))
    goto fail;

  if (mode != MODE_FROM_UMASK && fchmod (fd, mode) != 0)
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

  if (g_rename (template, target) != 0)
    {
      set_error_from_errno (error, errno, _("Could not replace %s"), target);
      goto fail;
    }

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (template);

  return FALSE;
}

/* @format names the file with one %s. */
static gboolean G_GNUC_PRINTF (3, 4)
refuse (GError      **error,
        GIOErrorEnum  code,
        const char   *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, G_IO_ERROR, code, message);

  return FALSE;
}

static void
set_lstat_error (const char  *display,
                 const char  *current,
                 int          saved_errno,
                 GError     **error)
{
  if (saved_errno == ENOENT)
    {
      g_autofree char *display_target = g_filename_display_name (current);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* TRANSLATORS: the first %s is a symbolic link, the second where it points */
                   _("%s is a symbolic link to %s, which does not exist"),
                   display, display_target);
      return;
    }
  set_error_from_errno (error, saved_errno, _("Could not read %s"), current);
}

/* One step along the chain: where the link at @current points, after the
 * checks that make it safe to follow. */
static char *
follow_link (const char         *display,
             const char         *current,
             const struct stat  *st,
             guint               links,
             GError            **error)
{
  g_autofree char *target = NULL;
  g_autofree char *link_dir = NULL;

  if (links > MAX_LINKS)
    {
      /* TRANSLATORS: %s is a file name */
      refuse (error, G_IO_ERROR_TOO_MANY_LINKS, _("%s goes through too many symbolic links"), display);
      return NULL;
    }
  if (st->st_uid != getuid ())
    {
      g_autofree char *display_link = g_filename_display_name (current);

      refuse (error, G_IO_ERROR_PERMISSION_DENIED,
              /* TRANSLATORS: %s is a file name */
              _("%s is a symbolic link that belongs to another user, so Mail Setup does not write through it"),
              display_link);
      return NULL;
    }

  target = g_file_read_link (current, error);
  if (target == NULL)
    return NULL;
  /* Not canonicalized: "..", after a linked folder, is where the
   * kernel says it is. */
  if (g_path_is_absolute (target))
    return g_steal_pointer (&target);

  link_dir = g_path_get_dirname (current);

  return g_build_filename (link_dir, target, NULL);
}

/* The end of the chain must be a regular file, and one reached through a
 * link must be the user's own. */
static gboolean
check_target (const char         *display,
              const char         *current,
              const struct stat  *st,
              guint               links,
              GError            **error)
{
  if (!S_ISREG (st->st_mode))
    {
      g_autofree char *display_target = g_filename_display_name (current);

      if (S_ISDIR (st->st_mode))
        /* TRANSLATORS: %s is a folder name */
        refuse (error, G_IO_ERROR_NOT_REGULAR_FILE, _("%s is a folder, not a file"), display_target);
      else
        refuse (error, G_IO_ERROR_NOT_REGULAR_FILE,
                /* TRANSLATORS: %s is a file name */
                _("%s is not a regular file (a pipe or a device, say), so Mail Setup does not write to it"),
                display_target);
      return FALSE;
    }
  if (links > 0 && st->st_uid != getuid ())
    {
      g_autofree char *display_target = g_filename_display_name (current);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   /* TRANSLATORS: the first %s is a symbolic link, the second where it points */
                   _("%s is a symbolic link to %s, which belongs to another user, so Mail Setup does not replace it"),
                   display, display_target);
      return FALSE;
    }

  return TRUE;
}

/* Follows @path's symbolic links to the file that will really be written.
 * Sets *@exists to FALSE (and returns @path) when nothing is there yet. */
static char *
resolve_target (const char   *path,
                struct stat  *st,
                gboolean     *exists,
                GError      **error)
{
  g_autofree char *current = g_strdup (path);
  g_autofree char *display = g_filename_display_name (path);
  guint links = 0;

  *exists = FALSE;

  for (;;)
    {
      char *next;

      if (lstat (current, st) != 0)
        {
          int saved_errno = errno;

          if (saved_errno == ENOENT && links == 0)
            return g_steal_pointer (&current);

          set_lstat_error (display, current, saved_errno, error);
          return NULL;
        }
      if (!S_ISLNK (st->st_mode))
        break;

      next = follow_link (display, current, st, ++links, error);
      if (next == NULL)
        return NULL;
      g_free (current);
      current = next;
    }

  if (!check_target (display, current, st, links, error))
    return NULL;

  *exists = TRUE;

  return g_steal_pointer (&current);
}

typedef struct
{
  char  *name;
  char  *stamp;    /* YYYYMMDD-HHMMSS */
  guint  counter;  /* the -N a second backup in the same second gets */
} Backup;

static void
backup_free (Backup *backup)
{
  g_free (backup->name);
  g_free (backup->stamp);
  g_free (backup);
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;

  return TRUE;
}

/* Only names make_backup() gives: BASE.mail-setup-backup-YYYYMMDD-HHMMSS[-N]. */
static Backup *
parse_backup_name (const char *name,
                   const char *prefix)
{
  const char *rest;
  Backup *backup;
  guint64 counter = 0;

  if (!g_str_has_prefix (name, prefix))
    return NULL;
  rest = name + strlen (prefix);

  if (strlen (rest) < 15 || !all_digits (rest, 8) || rest[8] != '-' || !all_digits (rest + 9, 6))
    return NULL;
  if (rest[15] != '\0')
    {
      if (rest[15] != '-' || rest[16] == '\0' || !all_digits (rest + 16, strlen (rest + 16)) ||
          !g_ascii_string_to_unsigned (rest + 16, 10, 1, G_MAXUINT, &counter, NULL))
        return NULL;
    }

  backup = g_new0 (Backup, 1);
  backup->name = g_strdup (name);
  backup->stamp = g_strndup (rest, 15);
  backup->counter = counter;

  return backup;
}

static int
compare_backups_newest_first (gconstpointer a,
                              gconstpointer b)
{
  const Backup *backup_a = *(const Backup **) a;
  const Backup *backup_b = *(const Backup **) b;
  int by_stamp = strcmp (backup_b->stamp, backup_a->stamp);

  if (by_stamp != 0)
    return by_stamp;

  return backup_b->counter < backup_a->counter ? -1 : backup_b->counter > backup_a->counter;
}

/* Without this every export adds a file and none ever goes. Only
 * regular files with this file's backup names are candidates; a failure
 * to remove one is no reason to fail the export. */
static void
remove_old_backups (const char *path,
                    const char *just_made)
{
  g_autofree char *just_made_name = g_path_get_basename (just_made);
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, BACKUP_INFIX, NULL);
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func ((GDestroyNotify) backup_free);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      Backup *backup = parse_backup_name (name, prefix);
      g_autofree char *full = NULL;
      struct stat st;

      if (backup == NULL)
        continue;
      /* Whatever the clock says, the copy just made is one to keep. */
      if (g_str_equal (name, just_made_name))
        {
          backup_free (backup);
          continue;
        }
      full = g_build_filename (dir_path, name, NULL);
      if (lstat (full, &st) != 0 || !S_ISREG (st.st_mode))
        {
          backup_free (backup);
          continue;
        }
      g_ptr_array_add (backups, backup);
    }

  g_ptr_array_sort (backups, compare_backups_newest_first);

  for (guint i = MS_ATOMIC_FILE_BACKUPS_KEPT - 1; i < backups->len; i++)
    {
      Backup *backup = g_ptr_array_index (backups, i);
      g_autofree char *full = g_build_filename (dir_path, backup->name, NULL);

      if (g_unlink (full) != 0)
        g_debug ("Could not remove the old backup %s: %s", full, g_strerror (errno));
    }
}

/* The backup goes next to @path, the name the person gave (next to the
 * link, not into the repository it points to), with @target's mode. */
static char *
make_backup (const char         *path,
             const char         *target,
             const struct stat  *target_st,
             GError            **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *backup = NULL;
  gsize length = 0;
  struct stat backup_st;

  if (!ms_safe_file_read (target, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NOFOLLOW,
                          &contents, &length, NULL, error))
    return NULL;

  backup = g_strdup_printf ("%s" BACKUP_INFIX "%s", path, stamp);
  for (guint i = 1; lstat (backup, &backup_st) == 0 || errno != ENOENT; i++)
    {
      g_free (backup);
      backup = g_strdup_printf ("%s" BACKUP_INFIX "%s-%u", path, stamp, i);
    }

  if (!write_and_rename (backup, contents, length, target_st->st_mode & 0777, FALSE, error))
    return NULL;

  remove_old_backups (path, backup);

  return g_steal_pointer (&backup);
}

/**
 * ms_atomic_file_check:
 * @path: a file to be replaced later
 *
 * Says whether ms_atomic_file_replace() would write to @path: nothing is
 * there yet, or a regular file, or the caller's own symbolic links to a
 * regular file of the caller's. For callers that read the old file first,
 * so a FIFO or a device is refused as what it is before anything reads it.
 *
 * Returns: %TRUE if @path can be replaced
 */
gboolean
ms_atomic_file_check (const char  *path,
                      GError     **error)
{
  g_autofree char *target = NULL;
  gboolean exists;
  struct stat st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  target = resolve_target (path, &st, &exists, error);

  return target != NULL;
}

/**
 * ms_atomic_file_replace:
 * @path: the file to create or replace
 * @contents: the new contents
 * @length: their length
 * @flags: #MsAtomicFileFlags
 * @backup_path: (out) (optional) (nullable): where the old file was copied,
 *   or %NULL when there was none; set also when the write then fails (the
 *   old file is then unchanged and the copy is the caller's to remove, as
 *   a repair of several files removes every copy it made)
 * @error: return location for a #GIOError
 *
 * Writes @contents to @path so that @path is, at every moment, either the
 * old file whole or the new one whole. Missing parent directories are made
 * (0700, as they are usually the person's own configuration directories).
 * A symbolic link at @path is kept and the file it points to replaced,
 * when the link and that file are the caller's own; anything but a regular
 * file is refused with %G_IO_ERROR_NOT_REGULAR_FILE.
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
  g_autofree char *target = NULL;
  g_autofree char *backup = NULL;
  gboolean private_file = (flags & MS_ATOMIC_FILE_PRIVATE) != 0;
  gboolean exists = FALSE;
  struct stat st;
  mode_t mode = MODE_FROM_UMASK;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (backup_path != NULL)
    *backup_path = NULL;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_error_from_errno (error, errno, _("Could not create the folder %s"), dir);

  target = resolve_target (path, &st, &exists, error);
  if (target == NULL)
    return FALSE;

  if (exists)
    {
      mode = st.st_mode & 0777;
      /* A private file may become stricter than the old one, never looser;
       * its owner must still be able to read it. */
      if (private_file)
        mode = (mode & 0600) | S_IRUSR;

      if (flags & MS_ATOMIC_FILE_BACKUP)
        {
          backup = make_backup (path, target, &st, error);
          if (backup == NULL)
            return FALSE;
        }
    }

  if (!write_and_rename (target, contents, length, mode, private_file, error))
    {
      /* Nobody asked where the copy is, so nobody could remove it. */
      if (backup != NULL && backup_path == NULL)
        g_unlink (backup);
      else if (backup_path != NULL)
        *backup_path = g_steal_pointer (&backup);
      return FALSE;
    }

  if (backup_path != NULL)
    *backup_path = g_steal_pointer (&backup);

  return TRUE;
}
