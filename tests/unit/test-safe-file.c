/* test-safe-file.c: only regular files are read, never blocking, size capped
 *
 * Each case is what a path under someone else's control can be: a FIFO
 * (whose open and read wait for a writer forever), an endless device, a
 * folder, a symbolic link. A watchdog alarm turns a hang into a failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ms-provider-parser.h"
#include "ms-safe-file.h"

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ms-safe-file-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

static void
remove_all (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
assert_refused (const char      *path,
                MsSafeFileFlags  flags,
                GFileError       code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 12345;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (ms_safe_file_read (path, 1024, flags, &contents, &length, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, (gint) code);
  g_test_message ("%s", error->message);
  /* The message names the file. */
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_null (contents);
  g_assert_cmpuint (length, ==, 12345);
  /* Refused at once, not after a timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_regular (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = write_file (dir, "file", "a\0b\n", 4);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  struct stat st;

  g_assert_true (ms_safe_file_read (path, 4, MS_SAFE_FILE_NOFOLLOW, &contents, &length, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 4);
  g_assert_cmpmem (contents, 4, "a\0b\n", 4);
  g_assert_cmpint (contents[4], ==, '\0');
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_size, ==, 4);

  remove_all (dir);
}

static void
test_empty (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = write_file (dir, "empty", "", 0);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 99;

  g_assert_true (ms_safe_file_read (path, 0, MS_SAFE_FILE_NONE, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 0);
  g_assert_cmpstr (contents, ==, "");

  remove_all (dir);
}

static void
test_missing (void)
{
  assert_refused ("/nonexistent/ms-safe-file", MS_SAFE_FILE_NONE, G_FILE_ERROR_NOENT);
}

static void
test_fifo (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  assert_refused (path, MS_SAFE_FILE_NONE, G_FILE_ERROR_INVAL);
  assert_refused (path, MS_SAFE_FILE_NOFOLLOW, G_FILE_ERROR_INVAL);
  g_assert_cmpint (ms_safe_file_open (path, MS_SAFE_FILE_NONE, NULL, &error), ==, -1);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);

  remove_all (dir);
}

static void
test_devices (void)
{
  /* Endless, empty, and a terminal: none is a file. */
  assert_refused ("/dev/zero", MS_SAFE_FILE_NONE, G_FILE_ERROR_INVAL);
  assert_refused ("/dev/null", MS_SAFE_FILE_NONE, G_FILE_ERROR_INVAL);
  assert_refused ("/dev/urandom", MS_SAFE_FILE_PREFIX, G_FILE_ERROR_INVAL);
}

static void
test_directory (void)
{
  g_autofree char *dir = make_dir ();

  assert_refused (dir, MS_SAFE_FILE_NONE, G_FILE_ERROR_ISDIR);

  remove_all (dir);
}

static void
test_symlink (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = write_file (dir, "target", "pinned", -1);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autofree char *fifo_link = g_build_filename (dir, "fifo-link", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("target", link), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", fifo_link), ==, 0);

  /* Followed unless the caller says otherwise... */
  g_assert_true (ms_safe_file_read (link, 1024, MS_SAFE_FILE_NONE, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "pinned");

  /* ...and then refused as a link, not read. */
  assert_refused (link, MS_SAFE_FILE_NOFOLLOW, G_FILE_ERROR_LOOP);

  /* Following a link leads to the same checks at its end. */
  assert_refused (fifo_link, MS_SAFE_FILE_NONE, G_FILE_ERROR_INVAL);

  remove_all (dir);
}

static void
test_too_large (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *big = g_strnfill (1025, 'x');
  g_autofree char *path = write_file (dir, "big", big, -1);
  g_autofree char *exact_path = write_file (dir, "exact", big + 1, -1);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  assert_refused (path, MS_SAFE_FILE_NONE, G_FILE_ERROR_FAILED);

  /* Exactly the limit is fine. */
  g_assert_true (ms_safe_file_read (exact_path, 1024, MS_SAFE_FILE_NONE, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 1024);
  g_clear_pointer (&contents, g_free);

  /* A prefix, for parsers that report the limit themselves. */
  g_assert_true (ms_safe_file_read (path, 1000, MS_SAFE_FILE_PREFIX, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 1000);
  g_assert_cmpuint (strlen (contents), ==, 1000);

  remove_all (dir);
}

/* Regular files that report no size (procfs) are read whole, and still
 * capped. */
static void
test_sizeless (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  struct stat st;

  g_assert_cmpint (stat ("/proc/self/status", &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);

  g_assert_true (ms_safe_file_read ("/proc/self/status", 1024 * 1024, MS_SAFE_FILE_NONE,
                                    &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_nonnull (strstr (contents, "Name:"));
  g_clear_pointer (&contents, g_free);

  g_assert_false (ms_safe_file_read ("/proc/self/status", 10, MS_SAFE_FILE_NONE,
                                     &contents, &length, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
}

/* Root reads any file whatever its mode, so the unreadable case runs as
 * nobody in a child when the tests run as root. */
static void
test_unreadable (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = write_file (dir, "secret", "x", -1);
  pid_t pid;
  int status = 0;

  g_assert_cmpint (g_chmod (path, 0000), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      if (getuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        _exit (2);
      if (ms_safe_file_read (path, 1024, MS_SAFE_FILE_NONE, &contents, NULL, NULL, &error))
        _exit (3);
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ACCES) ||
          !g_str_has_prefix (error->message, path))
        _exit (4);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  remove_all (dir);
}

/* The provider files in the XDG directories go through the same reader:
 * a FIFO there was a hang in every command and the wizard. */
static void
test_provider_fifo (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "fifo.xml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  provider = ms_provider_parse_file (file, NULL, &error);
  g_assert_null (provider);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, path));

  remove_all (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* A hang is a failure, not a stuck test run. */
  alarm (60);

  g_test_add_func ("/safe-file/regular", test_regular);
  g_test_add_func ("/safe-file/empty", test_empty);
  g_test_add_func ("/safe-file/missing", test_missing);
  g_test_add_func ("/safe-file/fifo", test_fifo);
  g_test_add_func ("/safe-file/devices", test_devices);
  g_test_add_func ("/safe-file/directory", test_directory);
  g_test_add_func ("/safe-file/symlink", test_symlink);
  g_test_add_func ("/safe-file/too-large", test_too_large);
  g_test_add_func ("/safe-file/sizeless", test_sizeless);
  g_test_add_func ("/safe-file/unreadable", test_unreadable);
  g_test_add_func ("/safe-file/provider-fifo", test_provider_fifo);

  return g_test_run ();
}
