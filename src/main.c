/* main.c: the mail-setup executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ms-application.h"
#include "ms-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (ms_cli_handles_arguments (argc, argv))
    return ms_cli_run (argc, argv);

  app = ms_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
