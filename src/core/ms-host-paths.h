/* ms-host-paths.h: the person's own folders, also from inside a Flatpak
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean    ms_host_paths_is_sandboxed   (void);
const char *ms_host_paths_get_app_id     (void);
const char *ms_host_paths_get_home       (void);
const char *ms_host_paths_get_config_dir (void);
const char *ms_host_paths_get_data_dir   (void);
gboolean    ms_host_paths_can_write      (const char *path);

G_END_DECLS
