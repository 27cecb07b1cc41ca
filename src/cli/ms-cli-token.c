/* ms-cli-token.c: `mail-setup token ADDRESS`, a fresh OAuth access token
 *
 * For terminal mail programs that sign in with OAuth (msmtp passwordeval,
 * mbsync PassCmd, neomutt's *_oauth_refresh_command, aerc): prints the
 * access token kept in the keyring, or a new one from the refresh token.
 * Never the refresh token, which stays in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ms-address.h"
#include "ms-cli-command.h"
#include "ms-keyring.h"
#include "ms-oauth-account.h"

int
ms_cli_token (int    argc,
              char **argv)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(MsSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  const char *given;

  g_set_prgname ("mail-setup token");
  if (!ms_cli_parse_options (entries, NULL, N_("ADDRESS"),
                             N_("Print a fresh OAuth access token for ADDRESS, for mail programs\n"
                                "that sign in with OAuth. The refresh token stays in the keyring."),
                             NULL, &argc, &argv))
    return MS_CLI_EXIT_USAGE;
  /* GOption leaves "--" in place; exported files write it before an
   * address starting with "-" (ms-export-token-command.c). */
  if (argc == 3 && g_str_equal (argv[1], "--"))
    given = argv[2];
  else if (argc == 2)
    given = argv[1];
  else
    {
      ms_cli_printerr (_("give one email address; “mail-setup token --help” explains"));
      return MS_CLI_EXIT_USAGE;
    }
  if (!ms_cli_check_value (_("ADDRESS"), MS_CLI_VALUE_ADDRESS, given))
    return MS_CLI_EXIT_USAGE;
  address = ms_address_parse (given, &error);
  if (address == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }

  provider = ms_cli_find_oauth_provider (address);
  if (provider == NULL)
    return MS_CLI_EXIT_FAILED;

  token = ms_oauth_account_fresh_token_sync (ms_address_get_ascii (address),
                                             ms_provider_get_oauth (provider), NULL, &error);
  if (token == NULL)
    {
      if (g_error_matches (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND))
        ms_cli_printerr (_("%s has not signed in with its provider yet"), ms_address_get_display (address));
      else
        ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_FAILED;
    }

  fwrite (ms_secret_get_text (token), 1, ms_secret_get_length (token), stdout);
  fputc ('\n', stdout);

  return fflush (stdout) == 0 ? MS_CLI_EXIT_OK : MS_CLI_EXIT_FAILED;
}
