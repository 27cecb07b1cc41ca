/* ms-cli.h: `mail-setup COMMAND ...`, the command line for admins and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses are part of the command line's stable interface. */
typedef enum
{
  MS_CLI_EXIT_OK = 0,
  MS_CLI_EXIT_FAILED = 1,
  MS_CLI_EXIT_USAGE = 2,
} MsCliExit;

gboolean ms_cli_handles_arguments (int    argc,
                                   char **argv);
int      ms_cli_run               (int    argc,
                                   char **argv);

G_END_DECLS
