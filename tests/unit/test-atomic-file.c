/* test-atomic-file.c: modes, symbolic links, odd files and backups of replaced files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ms-atomic-file.h"

/* Another user: root's tests chown to it. */
#define OTHER_UID 65534

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ms-atomic-file-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_tree (const char *path)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_assert_cmpint (g_remove (path), ==, 0);
}

static guint
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);

  return st.st_mode & 07777;
}

static char *
contents_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
write_mode (const char *path,
            const char *contents,
            guint       mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static guint
count_backups (const char *dir,
               const char *base)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strconcat (base, ".mail-setup-backup-", NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;

  return n;
}

static void
test_new_file_umask (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "file", NULL);
  g_autofree char *private_path = g_build_filename (dir, "private", NULL);
  g_autoptr(GError) error = NULL;
  mode_t old = umask (077);

  /* A person who keeps everything private gets private new files. */
  g_assert_true (ms_atomic_file_replace (path, "x", 1, MS_ATOMIC_FILE_BACKUP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mode_of (path), ==, 0600);
  g_remove (path);

  umask (027);
  g_assert_true (ms_atomic_file_replace (path, "x", 1, MS_ATOMIC_FILE_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mode_of (path), ==, 0640);
  g_remove (path);

  umask (022);
  g_assert_true (ms_atomic_file_replace (path, "x", 1, MS_ATOMIC_FILE_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mode_of (path), ==, 0644);

  /* Private files are 0600 whatever the umask allows. */
  umask (0);
  g_assert_true (ms_atomic_file_replace (private_path, "x", 1, MS_ATOMIC_FILE_PRIVATE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mode_of (private_path), ==, 0600);

  umask (old);
  remove_tree (dir);
}

static void
test_replaced_mode_and_backup (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "config", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old = umask (022);

  /* Group-readable, not world-readable: the backup must not be more. */
  write_mode (path, "old\n", 0640);
  g_assert_true (ms_atomic_file_replace (path, "new\n", 4, MS_ATOMIC_FILE_BACKUP, &backup, &error));
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_assert_cmphex (mode_of (path), ==, 0640);
  g_assert_cmphex (mode_of (backup), ==, 0640);
  contents = contents_of (backup);
  g_assert_cmpstr (contents, ==, "old\n");
  g_clear_pointer (&backup, g_free);
  g_clear_pointer (&contents, g_free);

  /* A private file never gets looser than 0600, nor than it was. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (ms_atomic_file_replace (path, "newer\n", 6, MS_ATOMIC_FILE_PRIVATE | MS_ATOMIC_FILE_BACKUP,
                                         &backup, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mode_of (path), ==, 0600);
  g_assert_cmphex (mode_of (backup), ==, 0644);
  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  g_assert_true (ms_atomic_file_replace (path, "newest\n", 7, MS_ATOMIC_FILE_PRIVATE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mode_of (path), ==, 0400);

  umask (old);
  remove_tree (dir);
}

/* Dotfile managers: ~/.mbsyncrc -> dotfiles/mbsyncrc. */
static void
test_symlink_write_through (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *repo = g_build_filename (dir, "dotfiles", NULL);
  g_autofree char *target = g_build_filename (repo, "mbsyncrc", NULL);
  g_autofree char *link = g_build_filename (dir, ".mbsyncrc", NULL);
  g_autofree char *link2 = g_build_filename (dir, ".mbsyncrc-again", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *read_back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (repo, 0700), ==, 0);
  write_mode (target, "old\n", 0640);
  g_assert_cmpint (symlink ("dotfiles/mbsyncrc", link), ==, 0);
  /* A chain of links, the last one absolute. */
  g_assert_cmpint (symlink (link, link2), ==, 0);

  g_assert_true (ms_atomic_file_replace (link2, "new\n", 4, MS_ATOMIC_FILE_BACKUP, &backup, &error));
  g_assert_no_error (error);

  /* The links are links still, and the file they end at has the news. */
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (link2, G_FILE_TEST_IS_SYMLINK));
  read_back = g_file_read_link (link, NULL);
  g_assert_cmpstr (read_back, ==, "dotfiles/mbsyncrc");
  contents = contents_of (target);
  g_assert_cmpstr (contents, ==, "new\n");
  g_assert_cmphex (mode_of (target), ==, 0640);
  /* The backup is next to the name the person gave, not in the repository. */
  g_assert_true (g_str_has_prefix (backup, link2));
  g_assert_cmphex (mode_of (backup), ==, 0640);
  g_clear_pointer (&contents, g_free);
  contents = contents_of (backup);
  g_assert_cmpstr (contents, ==, "old\n");
  /* No temporary left in either folder. */
  g_assert_cmpuint (count_backups (repo, "mbsyncrc"), ==, 0);
  {
    g_autoptr(GDir) d = g_dir_open (repo, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (d) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 1);
  }

  remove_tree (dir);
}

static void
assert_refused (const char   *path,
                GIOErrorEnum  code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (ms_atomic_file_replace (path, "x", 1, MS_ATOMIC_FILE_BACKUP, &backup, &error));
  g_assert_error (error, G_IO_ERROR, (gint) code);
  g_test_message ("%s", error->message);
  g_assert_null (backup);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_symlink_foreign (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *theirs = g_build_filename (dir, "theirs", NULL);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autofree char *their_link = g_build_filename (dir, "their-link", NULL);
  g_autofree char *mine = g_build_filename (dir, "mine", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling", NULL);
  g_autofree char *contents = NULL;

  write_mode (theirs, "theirs\n", 0666);
  write_mode (mine, "mine\n", 0644);
  if (getuid () == 0)
    g_assert_cmpint (chown (theirs, OTHER_UID, OTHER_UID), ==, 0);
  else
    {
      /* Not root: a file that is root's own is someone else's. */
      g_free (theirs);
      theirs = g_strdup ("/etc/passwd");
    }

  /* A link to someone else's file, even a writable one, is not followed. */
  g_assert_cmpint (symlink (theirs, link), ==, 0);
  assert_refused (link, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  contents = contents_of (theirs);
  g_assert_cmpstr (contents, !=, "x");
  g_clear_pointer (&contents, g_free);

  /* Nor a link someone else made, to a file of mine. */
  if (getuid () == 0)
    {
      g_assert_cmpint (symlink (mine, their_link), ==, 0);
      g_assert_cmpint (lchown (their_link, OTHER_UID, OTHER_UID), ==, 0);
      assert_refused (their_link, G_IO_ERROR_PERMISSION_DENIED);
      contents = contents_of (mine);
      g_assert_cmpstr (contents, ==, "mine\n");
    }

  /* A link to nothing: where would the file go? */
  g_assert_cmpint (symlink ("nowhere", dangling), ==, 0);
  assert_refused (dangling, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (dangling, G_FILE_TEST_EXISTS));

  remove_tree (dir);
}

static void
test_not_regular (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *link = g_build_filename (dir, "zero", NULL);
  struct stat st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  assert_refused (fifo, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpint (lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  assert_refused ("/dev/null", G_IO_ERROR_NOT_REGULAR_FILE);
  assert_refused (dir, G_IO_ERROR_NOT_REGULAR_FILE);

  /* A link of mine to a device is still not a file to replace. */
  g_assert_cmpint (symlink ("/dev/zero", link), ==, 0);
  assert_refused (link, G_IO_ERROR_NOT_REGULAR_FILE);

  remove_tree (dir);
}

static void
test_backup_rotation (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "neomuttrc", NULL);
  const char *old_backups[] = {
    "neomuttrc.mail-setup-backup-20240101-000000",
    "neomuttrc.mail-setup-backup-20250101-000000",
    "neomuttrc.mail-setup-backup-20250101-000000-1",
    "neomuttrc.mail-setup-backup-20250101-000000-2",
  };
  /* Look like backups, are not Mail Setup's of this file. */
  const char *others[] = {
    "neomuttrc.mail-setup-backup-notes",
    "neomuttrc.mail-setup-backup-20200101-000000.orig",
    "other.mail-setup-backup-20200101-000000",
    "neomuttrc.orig",
  };
  g_autofree char *last = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (old_backups); i++)
    {
      g_autofree char *p = g_build_filename (dir, old_backups[i], NULL);

      write_mode (p, old_backups[i], 0600);
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *p = g_build_filename (dir, others[i], NULL);

      write_mode (p, others[i], 0600);
    }
  write_mode (path, "current\n", 0600);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("round %u\n", round);

      g_clear_pointer (&last, g_free);
      g_assert_true (ms_atomic_file_replace (path, text, strlen (text), MS_ATOMIC_FILE_BACKUP, &last, &error));
      g_assert_no_error (error);
      g_assert_nonnull (last);
      g_assert_true (g_file_test (last, G_FILE_TEST_IS_REGULAR));
    }

  /* The newest three: this run's (dated now, so newer than all those). */
  g_assert_cmpuint (count_backups (dir, "neomuttrc"), ==, MS_ATOMIC_FILE_BACKUPS_KEPT + 2);
  for (guint i = 0; i < G_N_ELEMENTS (old_backups); i++)
    {
      g_autofree char *p = g_build_filename (dir, old_backups[i], NULL);

      g_assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *p = g_build_filename (dir, others[i], NULL);

      g_assert_true (g_file_test (p, G_FILE_TEST_EXISTS));
    }
  {
    g_autofree char *contents = contents_of (path);
    g_autofree char *backup_contents = contents_of (last);

    g_assert_cmpstr (contents, ==, "round 2\n");
    g_assert_cmpstr (backup_contents, ==, "round 1\n");
  }

  remove_tree (dir);
}

/* The same second twice: -1, -2 come after the plain name, by number. */
static void
test_backup_rotation_order (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "f", NULL);
  g_autofree char *backup = NULL;
  const char *names[] = {
    "f.mail-setup-backup-20990101-000000-10",
    "f.mail-setup-backup-20990101-000000-9",
    "f.mail-setup-backup-20990101-000000",
    "f.mail-setup-backup-20980101-000000-99",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (dir, names[i], NULL);

      write_mode (p, names[i], 0600);
    }
  write_mode (path, "x", 0600);

  /* This run's backup is dated now, older than 2099, and stays all the
   * same: the newest two of the others stay with it. */
  g_assert_true (ms_atomic_file_replace (path, "y", 1, MS_ATOMIC_FILE_BACKUP, &backup, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_backups (dir, "f"), ==, MS_ATOMIC_FILE_BACKUPS_KEPT);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (dir, names[i], NULL);

      g_assert_true (g_file_test (p, G_FILE_TEST_EXISTS) == (i < 2));
    }

  remove_tree (dir);
}

/* Replaces @path with @length bytes under a file size limit below that,
 * so the write itself fails (EFBIG, even for root) after the backup of
 * the short old file was made. */
static gboolean
replace_too_big (const char  *path,
                 gsize        length,
                 char       **backup,
                 GError     **error)
{
  g_autofree char *big = g_strnfill (length, 'x');
  struct rlimit saved, limited;
  gboolean written;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = length / 2;
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);
  written = ms_atomic_file_replace (path, big, length, MS_ATOMIC_FILE_BACKUP, backup, error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, SIG_DFL);

  return written;
}

/* A write that fails after the backup: the old file stays, and its copy
 * is either told to the caller (who removes it, as a repair of several
 * files does) or, when the caller did not ask where, removed. */
static void
test_failed_write_backup (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "msmtprc", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;

  write_mode (path, "old\n", 0600);

  g_assert_false (replace_too_big (path, 4096, &backup, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (backup);
  copy = contents_of (backup);
  g_assert_cmpstr (copy, ==, "old\n");
  g_assert_cmpuint (count_backups (dir, "msmtprc"), ==, 1);
  g_assert_cmpint (g_unlink (backup), ==, 0);
  g_clear_error (&error);

  g_assert_false (replace_too_big (path, 4096, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (count_backups (dir, "msmtprc"), ==, 0);
  g_clear_pointer (&copy, g_free);
  copy = contents_of (path);
  g_assert_cmpstr (copy, ==, "old\n");

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  alarm (60);

  g_test_add_func ("/atomic-file/new-file-umask", test_new_file_umask);
  g_test_add_func ("/atomic-file/replaced-mode-and-backup", test_replaced_mode_and_backup);
  g_test_add_func ("/atomic-file/symlink-write-through", test_symlink_write_through);
  g_test_add_func ("/atomic-file/symlink-foreign", test_symlink_foreign);
  g_test_add_func ("/atomic-file/not-regular", test_not_regular);
  g_test_add_func ("/atomic-file/backup-rotation", test_backup_rotation);
  g_test_add_func ("/atomic-file/backup-rotation-order", test_backup_rotation_order);
  g_test_add_func ("/atomic-file/failed-write-backup", test_failed_write_backup);

  return g_test_run ();
}
