/* ms-export-token-command.c: the `mail-setup token` command an exported configuration runs
 *
 * msmtp, mbsync, NeoMutt and aerc sign in to an OAuth server with the
 * access token this command prints (src/cli/ms-cli-token.c); the file
 * holds the command, never a token, which expires within the hour.
 *
 * Unlike the keyring command (ms-keyring-command.c), it cannot look the
 * account up by its address-id: `mail-setup token` needs the address's
 * domain to find the provider's token endpoint. So an address with
 * characters the shell treats specially is shell-quoted here, and each
 * format then quotes the whole command by its own rules
 * (ms-export-syntax.c); both are exact, so the program's shell gets the
 * address back as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-syntax.h"
#include "ms-export-token-command.h"
#include "ms-host-paths.h"
#include "ms-keyring-command.h"

/* Characters that mean themselves to the shell in any word but the first. */
static gboolean
is_plain (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@.-_:+=", *p) == NULL)
      return FALSE;

  return TRUE;
}

/**
 * ms_export_server_uses_oauth:
 *
 * Returns: whether the account signs in to @server with OAuth 2.0, so
 *   the program gets its access token from `mail-setup token`
 */
gboolean
ms_export_server_uses_oauth (const MsServer *server)
{
  g_return_val_if_fail (server != NULL, FALSE);

  return server->auth == MS_AUTH_OAUTH2;
}

/**
 * ms_export_token_argv:
 *
 * The installed binary's own name (mail-setup-devel in a development
 * build); inside a Flatpak the host's program cannot run that binary, so
 * it goes through `flatpak run --command=`. An address starting with "-"
 * comes after "--", so it is never read as an option.
 *
 * Returns: (transfer full): the command line that prints a fresh access
 *   token for @address
 */
char **
ms_export_token_argv (const char *address)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **argv;

  g_return_val_if_fail (address != NULL, NULL);

  if (ms_host_paths_is_sandboxed () && ms_host_paths_get_app_id () != NULL)
    {
      g_autofree char *command = g_strconcat ("--command=", BIN_NAME, NULL);

      g_strv_builder_add_many (builder, "flatpak", "run", command,
                               ms_host_paths_get_app_id (), NULL);
    }
  else
    g_strv_builder_add (builder, BIN_NAME);
  g_strv_builder_add (builder, "token");
  if (address[0] == '-')
    g_strv_builder_add (builder, "--");
  g_strv_builder_add (builder, address);
  argv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return argv;
}

/**
 * ms_export_token_command:
 * @format: the file it goes into, for the error
 *
 * Returns: (transfer full): ms_export_token_argv() as one shell command
 *   line, each word that needs it in single quotes, or %NULL with
 *   %MS_EXPORT_ERROR_INVALID_VALUE if no shell can be given it
 */
char *
ms_export_token_command (const char  *address,
                         const char  *format,
                         GError     **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GString) command = g_string_new (NULL);

  if (!ms_export_syntax_check_text (address, _("the email address"), format, error))
    return NULL;

  argv = ms_export_token_argv (address);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = is_plain (argv[i]) ? g_strdup (argv[i]) : g_shell_quote (argv[i]);

      g_string_append_printf (command, "%s%s", i > 0 ? " " : "", quoted);
    }

  if (!ms_export_syntax_check_text (command->str, _("the sign-in token command"), format, error))
    return NULL;

  return g_string_free (g_steal_pointer (&command), FALSE);
}

/**
 * ms_export_secret_command:
 * @format: the file it goes into, for the error
 *
 * What a program runs for @server's secret: the token command for an
 * OAuth server, else the keyring lookup of the password.
 *
 * Returns: (transfer full): the shell command line, or %NULL with
 *   %MS_EXPORT_ERROR_INVALID_VALUE
 */
char *
ms_export_secret_command (const char      *address,
                          const MsServer  *server,
                          const char      *format,
                          GError         **error)
{
  g_autofree char *command = NULL;

  g_return_val_if_fail (server != NULL, NULL);

  if (ms_export_server_uses_oauth (server))
    return ms_export_token_command (address, format, error);

  command = ms_keyring_lookup_command (address, server->protocol);
  if (!ms_export_syntax_check_command (command, format, error))
    return NULL;

  return g_steal_pointer (&command);
}
