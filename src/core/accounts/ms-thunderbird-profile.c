/* ms-thunderbird-profile.c: Thunderbird's profiles, its lock, and its pref numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ms-exporter.h"
#include "ms-safe-file.h"
#include "ms-thunderbird-profile.h"

static char *
group_path (GKeyFile   *key_file,
            const char *root,
            const char *group)
{
  g_autofree char *path = g_key_file_get_string (key_file, group, "Path", NULL);
  gboolean relative = TRUE;

  if (path == NULL || *path == '\0')
    return NULL;
  if (g_key_file_has_key (key_file, group, "IsRelative", NULL))
    relative = g_key_file_get_boolean (key_file, group, "IsRelative", NULL);
  if (relative && !g_path_is_absolute (path))
    return g_build_filename (root, path, NULL);
  if (!g_path_is_absolute (path))
    return NULL;
  return g_steal_pointer (&path);
}

/**
 * ms_thunderbird_profile_list:
 * @root: the folder that holds profiles.ini
 * @ini_data: profiles.ini's contents (hostile)
 *
 * Returns: (element-type utf8) (transfer full): every profile folder it
 *   names (absolute), each once, in its order; %NULL when it is no key file
 */
GPtrArray *
ms_thunderbird_profile_list (const char *root,
                             const char *ini_data)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_data (key_file, ini_data, -1, G_KEY_FILE_NONE, NULL))
    return NULL;

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (groups[i], "Profile"))
        continue;
      path = group_path (key_file, root, groups[i]);
      if (path != NULL && !g_ptr_array_find_with_equal_func (profiles, path, g_str_equal, NULL))
        g_ptr_array_add (profiles, g_steal_pointer (&path));
    }

  return g_steal_pointer (&profiles);
}

static char *
default_path (GKeyFile   *key_file,
              const char *root)
{
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);

  /* Newer releases name the profile they start in an [Install…] group. */
  for (guint i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], "Install"))
      {
        g_autofree char *chosen = g_key_file_get_string (key_file, groups[i], "Default", NULL);

        if (chosen != NULL && *chosen != '\0')
          return g_path_is_absolute (chosen) ? g_steal_pointer (&chosen)
                                             : g_build_filename (root, chosen, NULL);
      }
  for (guint i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], "Profile") &&
        g_key_file_get_boolean (key_file, groups[i], "Default", NULL))
      return group_path (key_file, root, groups[i]);
  for (guint i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], "Profile"))
      return group_path (key_file, root, groups[i]);

  return NULL;
}

/* The profile Thunderbird starts in, under @root (~/.thunderbird). */
char *
ms_thunderbird_profile_find_default (const char  *root,
                                     GError     **error)
{
  g_autofree char *ini = g_build_filename (root, "profiles.ini", NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *ini_data = NULL;
  char *chosen;

  if (!ms_safe_file_read (ini, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE, &ini_data, NULL, NULL, NULL) ||
      !g_key_file_load_from_data (key_file, ini_data, -1, G_KEY_FILE_NONE, NULL))
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP,
                           _("Thunderbird has no profile yet. Start Thunderbird once, close it, and export again."));
      return NULL;
    }

  chosen = default_path (key_file, root);
  if (chosen == NULL)
    g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP,
                         _("Thunderbird’s profiles.ini names no profile. Start Thunderbird once, close it, and export again."));
  return chosen;
}

/* Thunderbird's `lock` symlink points to "IP:+PID"; a stale one (after a
 * crash) names a process that is gone. `.parentlock` holds an fcntl lock
 * while it runs. */
gboolean
ms_thunderbird_profile_is_locked (const char *profile)
{
  g_autofree char *lock = g_build_filename (profile, "lock", NULL);
  g_autofree char *parentlock = g_build_filename (profile, ".parentlock", NULL);
  g_autofree char *target = g_file_read_link (lock, NULL);
  int fd;

  if (target != NULL)
    {
      const char *plus = strrchr (target, '+');
      gint64 pid = plus != NULL ? g_ascii_strtoll (plus + 1, NULL, 10) : 0;

      if (pid > 0 && pid <= G_MAXINT32 && (kill ((pid_t) pid, 0) == 0 || errno == EPERM))
        return TRUE;
    }

  fd = open (parentlock, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd >= 0)
    {
      struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
      gboolean locked = fcntl (fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;

      close (fd);
      if (locked)
        return TRUE;
    }

  return FALSE;
}

/* Thunderbird's authMethod: 1 no login, 3 password, 4 encrypted password,
 * 5 Kerberos, 6 NTLM, 10 OAuth2. */
int
ms_thunderbird_auth_method_number (const MsServer *server)
{
  if (server->username == NULL)
    return 1;

  switch (server->auth)
    {
    case MS_AUTH_PASSWORD_ENCRYPTED:
      return 4;
    case MS_AUTH_GSSAPI:
      return 5;
    case MS_AUTH_NTLM:
      return 6;
    case MS_AUTH_OAUTH2:
      return 10;
    default:
      return 3;
    }
}

/* FALSE for a method Mail Setup has no word for (7, a TLS client
 * certificate) or a number Thunderbird does not use. 0 (unset), 2 (the old
 * "password"), 8 and 9 ("secure", "any") all send the password. */
gboolean
ms_thunderbird_auth_method_parse (gint64        number,
                                  MsAuthMethod *method,
                                  gboolean     *logs_in)
{
  *logs_in = TRUE;
  switch (number)
    {
    case 1:
      *method = MS_AUTH_NONE;
      *logs_in = FALSE;
      return TRUE;
    case 0: case 2: case 3: case 8: case 9:
      *method = MS_AUTH_PASSWORD_CLEARTEXT;
      return TRUE;
    case 4:
      *method = MS_AUTH_PASSWORD_ENCRYPTED;
      return TRUE;
    case 5:
      *method = MS_AUTH_GSSAPI;
      return TRUE;
    case 6:
      *method = MS_AUTH_NTLM;
      return TRUE;
    case 10:
      *method = MS_AUTH_OAUTH2;
      return TRUE;
    default:
      return FALSE;
    }
}

/* socketType and try_ssl: 0 and 1 plain, 2 STARTTLS, 3 implicit TLS. */
gboolean
ms_thunderbird_security_parse (gint64      number,
                               MsSecurity *security)
{
  switch (number)
    {
    case 0: case 1:
      *security = MS_SECURITY_NONE;
      return TRUE;
    case 2:
      *security = MS_SECURITY_STARTTLS;
      return TRUE;
    case 3:
      *security = MS_SECURITY_TLS;
      return TRUE;
    default:
      return FALSE;
    }
}
