/* ms-cli-command.h: what each `mail-setup COMMAND` provides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-address.h"
#include "ms-cli.h"
#include "ms-provider.h"
#include "ms-server.h"

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

/* What a command-line value must be (ms-validate.h has the rules). */
typedef enum
{
  MS_CLI_VALUE_ADDRESS,       /* an email address */
  MS_CLI_VALUE_DISPLAY_NAME,  /* a person's name (--name) */
  MS_CLI_VALUE_FILE,          /* a file name, absolute once resolved */
  MS_CLI_VALUE_ID,            /* a provider's profile id (--profile) */
  MS_CLI_VALUE_DOMAIN,        /* a domain name (--domain) */
} MsCliValue;

/* Checks one value from the command line (%NULL: not given); on a bad one
 * prints why, naming @option, and returns FALSE (exit with usage). */
gboolean ms_cli_check_value (const char *option,
                             MsCliValue  kind,
                             const char *value);

/* Waiting for one asynchronous step: start it with ms_cli_store_result_cb
 * and a pointer to a %NULL GAsyncResult, then ms_cli_wait() runs the main
 * loop until the result is there; Ctrl+C or SIGTERM cancel @cancellable. */
void ms_cli_store_result_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);
void ms_cli_wait            (GCancellable  *cancellable,
                             GAsyncResult **result);

/* The commands, one per ms-cli-NAME.c. */
/* A command's options: @entries, then @group (nullable, taken); the
 * texts untranslated (N_()), @summary nullable. Prints why not. */
gboolean ms_cli_parse_options (const GOptionEntry   *entries,
                               GOptionGroup         *group,
                               const char           *parameter_string,
                               const char           *summary,
                               const char           *description,
                               int                  *argc,
                               char               ***argv);

/* One line per server, for the text output of `providers`: label, the
 * server, its username and (with @with_auth) its authentication, all
 * outside text sanitised. */
void ms_cli_print_servers (const char *indent,
                           const char *label,
                           GPtrArray  *servers,
                           gboolean    with_auth);

MsProvider *ms_cli_find_oauth_provider (const MsAddress *address);

int ms_cli_providers (int    argc,
                      char **argv);
int ms_cli_accounts  (int    argc,
                      char **argv);
int ms_cli_repair    (int    argc,
                      char **argv);
int ms_cli_token     (int    argc,
                      char **argv);
int ms_cli_sign_in   (int    argc,
                      char **argv);

G_END_DECLS
