/* accounts-test-util.c: what the accounts tests share: a made-up home, files in it, a server's checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "accounts-test-util.h"

/* Removes @path and all in it; a symbolic link is removed, never followed. */
void
accounts_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        accounts_test_remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* Writes @contents to @dir/@relative, making its folders.
 * Returns: (transfer full): the file's path */
char *
accounts_test_write (const char *dir,
                     const char *relative,
                     const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

/* @account's backend's update () run on @path as it is now. */
char *
accounts_test_update (MsExistingAccount  *account,
                      MsAccountSettings  *target,
                      const char         *path,
                      GError            **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  return ms_mail_program_get_backend (account->program)->update (account, target, path, contents, length, error);
}

void
accounts_test_assert_server (const MsServer *server,
                             const char     *hostname,
                             guint16         port,
                             MsSecurity      security,
                             const char     *username)
{
  g_assert_nonnull (server);
  g_assert_cmpstr (server->hostname, ==, hostname);
  g_assert_cmpuint (server->port, ==, port);
  g_assert_cmpint (server->security, ==, security);
  g_assert_cmpstr (server->username, ==, username);
}

/* @name: in the folder's name; @data_dir: (nullable): under the home, or
 * the home itself */
void
accounts_test_home_set_up (AccountsTestHome *self,
                           const char       *name,
                           const char       *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("ms-%s-XXXXXX", name);
  g_autofree char *data = NULL;

  self->home = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  self->config = g_build_filename (self->home, ".config", NULL);
  data = g_build_filename (self->home, data_dir, NULL);
  self->places = ms_account_places_new (self->home, self->config, data);
  self->inventory = ms_account_inventory_new ();
}

void
accounts_test_home_tear_down (AccountsTestHome *self)
{
  accounts_test_remove_tree (self->home);
  g_free (self->home);
  g_free (self->config);
  ms_account_places_free (self->places);
  g_assert_finalize_object (self->inventory);
}
