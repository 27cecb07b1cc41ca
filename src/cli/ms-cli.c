/* ms-cli.c: `mail-setup COMMAND ...`, the command line for admins and tests
 *
 * The same executable is the wizard and the command line. A first argument
 * that does not start with a dash names a command; --version and --help are
 * answered here too, so none of them ever opens a window or needs a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "ms-cli.h"
#include "ms-cli-command.h"
#include "ms-cli-doctor.h"
#include "ms-cli-export.h"
#include "ms-cli-test.h"
#include "ms-provider-database.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

static const MsCliCommand commands[] = {
  { "accounts", N_("List the accounts the mail programs on this computer have"), ms_cli_accounts },
  { "doctor", N_("Test the accounts mail programs already have, and find the right settings"), ms_cli_doctor },
  { "export", N_("Write a tested account into a mail program, or a file for a phone or printer"), ms_cli_export },
  { "providers", N_("List known mail providers, or show one domain’s settings"), ms_cli_providers },
  { "repair", N_("Test an account a mail program already has, and fix it in place"), ms_cli_repair },
  { "sign-in", N_("Sign in with an account’s provider in the web browser (OAuth), for mail programs"), ms_cli_sign_in },
  { "test", N_("Test an email account’s servers for real"), ms_cli_test },
  { "token", N_("Print a fresh OAuth access token, for mail programs that sign in with OAuth"), ms_cli_token },
  { NULL, NULL, NULL }
};

void
ms_cli_printerr (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_autofree char *shown = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Messages quote file names, provider files, servers and arguments:
   * whatever they hold, the terminal gets one plain line. */
  shown = ms_untrusted_text_sanitize (message, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);
  g_printerr ("mail-setup: %s\n", shown != NULL ? shown : "");
}

void
ms_cli_store_result_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

/**
 * ms_cli_wait:
 *
 * Runs the main loop until *@result is set (see ms-cli-command.h).
 */
void
ms_cli_wait (GCancellable  *cancellable,
             GAsyncResult **result)
{
  guint sigint = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  guint sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint);
  g_source_remove (sigterm);
}

/**
 * ms_cli_check_value:
 * @option: how the person gave the value ("--name", "ADDRESS")
 *
 * The command line is one more outside source: every string option goes
 * through the same validator as a provider file's or a saved file's
 * value before any command uses it.
 *
 * Returns: whether @value may be used
 */
gboolean
ms_cli_check_value (const char *option,
                    MsCliValue  kind,
                    const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *converted = NULL;  /* the absolute path, the ASCII domain */
  gboolean ok = FALSE;

  g_return_val_if_fail (option != NULL, FALSE);

  if (value == NULL)
    return TRUE;

  /* Translators: %s is an option such as --name. */
  source = g_strdup_printf (_("command line (%s)"), option);

  switch (kind)
    {
    case MS_CLI_VALUE_ADDRESS:
      ok = ms_validate_address (value, source, &error);
      break;

    case MS_CLI_VALUE_DISPLAY_NAME:
      ok = ms_validate_display_name (value, source, &error);
      break;

    case MS_CLI_VALUE_FILE:
      /* Relative names are fine to type; what is checked (and later
       * written into configurations) is the absolute one. */
      if (*value != '\0' && !g_path_is_absolute (value))
        converted = g_canonicalize_filename (value, NULL);
      ok = ms_validate_path (converted != NULL ? converted : value, source, &error);
      break;

    case MS_CLI_VALUE_ID:
      ok = ms_validate_id (value, source, &error);
      break;

    case MS_CLI_VALUE_DOMAIN:
      /* An IDN is typed in Unicode and checked as it will be used. */
      converted = g_hostname_to_ascii (value);
      ok = ms_validate_hostname (converted != NULL ? converted : value, MS_VALIDATE_FLAGS_NONE,
                                 source, &error);
      break;

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    ms_cli_printerr ("%s", error->message);

  return ok;
}

static const MsCliCommand *
find_command (const char *name)
{
  for (guint i = 0; commands[i].name != NULL; i++)
    {
      if (g_str_equal (commands[i].name, name))
        return &commands[i];
    }

  return NULL;
}

static void
print_help (void)
{
  g_print ("%s\n", _("Usage:"));
  g_print ("  mail-setup                  %s\n", _("Open the Mail Setup wizard"));
  g_print ("  mail-setup COMMAND [ARGS…]  %s\n", _("Run a command without opening a window"));
  g_print ("\n%s\n", _("Commands:"));
  for (guint i = 0; commands[i].name != NULL; i++)
    g_print ("  %-26s  %s\n", commands[i].name, _(commands[i].summary));
  g_print ("\n%s\n", _("Options:"));
  g_print ("  -h, --help                  %s\n", _("Show this help"));
  g_print ("  --version                   %s\n", _("Show the version"));
  g_print ("\n%s\n", _("“mail-setup COMMAND --help” describes each command."));
}

static gboolean
is_help_option (const char *arg)
{
  return g_str_equal (arg, "--help") || g_str_equal (arg, "-h") || g_str_equal (arg, "-?");
}

/**
 * ms_cli_handles_arguments:
 *
 * Returns: %TRUE if @argv is for the command line, %FALSE if the wizard
 *   (GApplication) should handle it
 */
gboolean
ms_cli_handles_arguments (int    argc,
                          char **argv)
{
  if (argc < 2)
    return FALSE;

  return argv[1][0] != '-' || is_help_option (argv[1]) || g_str_equal (argv[1], "--version");
}

int
ms_cli_run (int    argc,
            char **argv)
{
  const MsCliCommand *command;

  g_return_val_if_fail (argc >= 2, MS_CLI_EXIT_USAGE);

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("mail-setup %s\n", PACKAGE_VERSION);
      return MS_CLI_EXIT_OK;
    }

  if (is_help_option (argv[1]) || g_str_equal (argv[1], "help"))
    {
      print_help ();
      return MS_CLI_EXIT_OK;
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      ms_cli_printerr (_("unknown command “%s”; “mail-setup --help” lists the commands"),
                       argv[1]);
      return MS_CLI_EXIT_USAGE;
    }

  return command->run (argc - 1, argv + 1);
}

/**
 * ms_cli_print_servers:
 * @servers: (element-type MsServer)
 */
void
ms_cli_print_servers (const char *indent,
                      const char *label,
                      GPtrArray  *servers,
                      gboolean    with_auth)
{
  for (guint i = 0; i < servers->len; i++)
    {
      MsServer *server = g_ptr_array_index (servers, i);
      g_autofree char *display = ms_server_to_display_string (server);
      g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
      const size_t max = MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES;

      g_print ("%s%-12s %s, %s %s", indent, label, ms_untrusted_text_pool_sanitize (pool, display, max),
               _("username"),
               server->username != NULL ? ms_untrusted_text_pool_sanitize (pool, server->username, max)
                                        : _("(none)"));
      if (with_auth)
        g_print (", %s", ms_auth_method_to_string (server->auth));
      g_print ("\n");
    }
}

/**
 * ms_cli_parse_options:
 *
 * Parses a command's command line with its own entries and, when given,
 * a group of shared ones (ms_cli_test_options_group()).
 */
gboolean
ms_cli_parse_options (const GOptionEntry   *entries,
                      GOptionGroup         *group,
                      const char           *parameter_string,
                      const char           *summary,
                      const char           *description,
                      int                  *argc,
                      char               ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_(parameter_string));
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, _(summary));
  g_option_context_set_description (context, _(description));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (group != NULL)
    g_option_context_add_group (context, group);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      ms_cli_printerr ("%s", error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * ms_cli_find_oauth_provider:
 *
 * The provider file for @address's domain when it has an OAuth block, for
 * `sign-in` and `token`; else says so and returns %NULL.
 *
 * Returns: (transfer full) (nullable): the provider
 */
MsProvider *
ms_cli_find_oauth_provider (const MsAddress *address)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new ();
  MsProvider *provider;

  ms_provider_database_load (database, NULL, NULL);
  provider = ms_provider_database_lookup (database, ms_address_get_domain (address));
  if (provider == NULL || ms_provider_get_oauth (provider) == NULL)
    {
      ms_cli_printerr (_("no provider file knows an OAuth sign-in for %s"),
                       ms_address_get_domain (address));
      return NULL;
    }

  return g_object_ref (provider);
}
