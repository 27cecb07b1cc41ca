/* ms-running-program.h: whether a program of ours runs now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean ms_running_program_find (const char *name,
                                  const char *config_file);
gboolean ms_running_program_check (const char  *name,
                                   const char  *config_file,
                                   const char  *sentence,
                                   char       **why);

G_END_DECLS
