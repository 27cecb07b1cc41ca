/* cli-run.h: run the real mail-setup command line as a process, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliRun;

void cli_run_clear    (CliRun             *run);
void cli_run_command  (CliRun             *run,
                       const char         *xdg_root,
                       const char * const *env,
                       const char         *first_arg,
                       ...) G_GNUC_NULL_TERMINATED;
void cli_log_output   (const char         *name,
                       const char         *text);
void cli_remove_tree  (const char         *path);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

G_END_DECLS
