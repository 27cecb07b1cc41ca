/* ms-cli-command.h: what each `mail-setup COMMAND` provides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-cli.h"

G_BEGIN_DECLS

/* argv[0] is the command's own name; the function returns an MsCliExit. */
typedef int (*MsCliCommandFunc) (int    argc,
                                 char **argv);

typedef struct
{
  const char       *name;
  const char       *summary;  /* untranslated; passed through _() when shown */
  MsCliCommandFunc  run;
} MsCliCommand;

/* Prints "mail-setup: MESSAGE" on stderr. */
void ms_cli_printerr (const char *format,
                      ...) G_GNUC_PRINTF (1, 2);

/* The commands, one per ms-cli-NAME.c. */
int ms_cli_providers (int    argc,
                      char **argv);

G_END_DECLS
