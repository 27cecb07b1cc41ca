/* ms-host-paths.c: the person's own folders, also from inside a Flatpak
 *
 * Flatpak keeps HOME the host's home but points XDG_CONFIG_HOME and
 * XDG_DATA_HOME at the app's own ~/.var/app/ID/, where no other mail
 * program looks. So every place another program reads is built from here:
 * the host's folders (HOST_XDG_*_HOME, which flatpak-run(1) passes since
 * 1.13, else the XDG defaults under HOME), and whether the sandbox may
 * write there at all ([Context] filesystems= of /.flatpak-info): a write
 * outside them lands in the sandbox's private tmpfs and is lost, so an
 * exporter must say so instead of "Wrote".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "ms-host-paths-private.h"

typedef struct
{
  gboolean   sandboxed;
  char      *app_id;
  char      *home;
  char      *config_dir;
  char      *data_dir;
  GPtrArray *writable;     /* absolute folders the sandbox shares read-write */
  GPtrArray *hidden;       /* "!" entries: taken away again */
} HostPaths;

static GMutex lock;
static HostPaths *cached;
static char *test_root;

static void
host_paths_free (HostPaths *paths)
{
  g_free (paths->app_id);
  g_free (paths->home);
  g_free (paths->config_dir);
  g_free (paths->data_dir);
  g_clear_pointer (&paths->writable, g_ptr_array_unref);
  g_clear_pointer (&paths->hidden, g_ptr_array_unref);
  g_free (paths);
}

static char *
host_xdg_dir (const char *variable,
              const char *home,
              const char *fallback)
{
  const char *value = g_getenv (variable);

  /* The XDG rule: a relative value is invalid and ignored. */
  if (value != NULL && g_path_is_absolute (value))
    return g_canonicalize_filename (value, NULL);

  return g_build_filename (home, fallback, NULL);
}

/* One filesystems= entry ("xdg-config/msmtp:create", "~/.thunderbird:ro",
 * "home") as an absolute folder; %NULL for what no exporter relies on
 * (xdg-documents and the other user-dirs, host-os, xdg-run), so a file is
 * never claimed to be shared when it may not be. */
static char *
expand_filesystem (const HostPaths *paths,
                   const char      *entry)
{
  static const struct { const char *name; int which; } xdg[] = {
    { "xdg-config", 0 }, { "xdg-data", 1 },
  };

  if (g_str_equal (entry, "host"))
    return g_strdup ("/");
  if (g_str_equal (entry, "home") || g_str_equal (entry, "~"))
    return g_strdup (paths->home);
  if (g_str_has_prefix (entry, "~/"))
    return g_build_filename (paths->home, entry + 2, NULL);
  if (entry[0] == '/')
    return g_canonicalize_filename (entry, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      gsize length = strlen (xdg[i].name);
      const char *base = xdg[i].which == 0 ? paths->config_dir : paths->data_dir;

      if (strncmp (entry, xdg[i].name, length) != 0)
        continue;
      if (entry[length] == '\0')
        return g_strdup (base);
      if (entry[length] == '/')
        return g_build_filename (base, entry + length + 1, NULL);
    }

  return NULL;
}

static void
add_filesystem (HostPaths  *paths,
                const char *entry)
{
  g_autofree char *name = g_strdup (entry);
  char *mode = strrchr (name, ':');
  gboolean hide = name[0] == '!';
  char *folder;

  if (mode != NULL)
    *mode++ = '\0';
  /* Read-only entries do not make a place writable. */
  if (!hide && mode != NULL && g_str_equal (mode, "ro"))
    return;

  folder = expand_filesystem (paths, name + (hide ? 1 : 0));
  if (folder != NULL)
    g_ptr_array_add (hide ? paths->hidden : paths->writable, folder);
}

static void
read_flatpak_info (HostPaths  *paths,
                   const char *info_path)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_auto(GStrv) filesystems = NULL;

  paths->sandboxed = g_file_test (info_path, G_FILE_TEST_EXISTS);
  if (!paths->sandboxed || !g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
    return;

  paths->app_id = g_key_file_get_string (info, "Application", "name", NULL);
  filesystems = g_key_file_get_string_list (info, "Context", "filesystems", NULL, NULL);
  for (guint i = 0; filesystems != NULL && filesystems[i] != NULL; i++)
    add_filesystem (paths, filesystems[i]);
}

static HostPaths *
host_paths_load (void)
{
  HostPaths *paths = g_new0 (HostPaths, 1);
  g_autofree char *info_path = g_build_filename (test_root != NULL ? test_root : "/",
                                                 ".flatpak-info", NULL);

  paths->home = g_canonicalize_filename (g_get_home_dir (), NULL);
  paths->writable = g_ptr_array_new_with_free_func (g_free);
  paths->hidden = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_test (info_path, G_FILE_TEST_EXISTS))
    {
      paths->config_dir = g_strdup (g_get_user_config_dir ());
      paths->data_dir = g_strdup (g_get_user_data_dir ());
      return paths;
    }

  paths->config_dir = host_xdg_dir ("HOST_XDG_CONFIG_HOME", paths->home, ".config");
  paths->data_dir = host_xdg_dir ("HOST_XDG_DATA_HOME", paths->home, ".local/share");
  read_flatpak_info (paths, info_path);

  /* What the sandbox always shares with the host: its own folder under
   * ~/.var/app, and the document portal, where the file chooser's
   * answers live. */
  if (paths->app_id != NULL)
    g_ptr_array_add (paths->writable, g_build_filename (paths->home, ".var", "app", paths->app_id, NULL));
  g_ptr_array_add (paths->writable, g_strdup_printf ("/run/user/%u/doc", (guint) getuid ()));

  return paths;
}

static const HostPaths *
host_paths_get (void)
{
  const HostPaths *paths;

  /* Loaded once: nothing here changes while the program runs. */
  g_mutex_lock (&lock);
  if (cached == NULL)
    cached = host_paths_load ();
  paths = cached;
  g_mutex_unlock (&lock);

  return paths;
}

void
ms_host_paths_set_root_for_testing (const char *root)
{
  g_mutex_lock (&lock);
  g_clear_pointer (&cached, host_paths_free);
  g_free (test_root);
  test_root = g_strdup (root);
  g_mutex_unlock (&lock);
}

/**
 * ms_host_paths_is_sandboxed:
 *
 * Returns: whether this runs inside a Flatpak
 */
gboolean
ms_host_paths_is_sandboxed (void)
{
  return host_paths_get ()->sandboxed;
}

/**
 * ms_host_paths_get_app_id:
 *
 * Returns: (nullable): the Flatpak's app id, %NULL outside one
 */
const char *
ms_host_paths_get_app_id (void)
{
  return host_paths_get ()->app_id;
}

const char *
ms_host_paths_get_home (void)
{
  return host_paths_get ()->home;
}

/**
 * ms_host_paths_get_config_dir:
 *
 * Returns: the host's $XDG_CONFIG_HOME, where other programs read their
 *   configuration; g_get_user_config_dir() outside a sandbox
 */
const char *
ms_host_paths_get_config_dir (void)
{
  return host_paths_get ()->config_dir;
}

const char *
ms_host_paths_get_data_dir (void)
{
  return host_paths_get ()->data_dir;
}

static gboolean
is_under_any (const char *path,
              GPtrArray  *folders)
{
  for (guint i = 0; i < folders->len; i++)
    {
      const char *folder = g_ptr_array_index (folders, i);
      gsize length = strlen (folder);

      if (g_str_equal (folder, "/") ||
          (strncmp (path, folder, length) == 0 && (path[length] == '\0' || path[length] == '/')))
        return TRUE;
    }

  return FALSE;
}

/**
 * ms_host_paths_can_write:
 * @path: a file or folder, absolute or relative to the current folder
 *
 * Returns: whether a file written at @path reaches the host: always
 *   outside a sandbox; inside, when a read-write filesystem permission,
 *   the app's own folder or the document portal covers it
 */
gboolean
ms_host_paths_can_write (const char *path)
{
  const HostPaths *paths = host_paths_get ();
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!paths->sandboxed)
    return TRUE;

  absolute = g_canonicalize_filename (path, NULL);

  return is_under_any (absolute, paths->writable) && !is_under_any (absolute, paths->hidden);
}
