/* ms-cli-export.c: `mail-setup export ADDRESS --to CLIENT`, write a tested account into a mail program
 *
 * With --password-stdin (or --sign-in, the kept OAuth sign-in) the account
 * is tested first (the same options as `mail-setup test`) and only
 * exported if the test passes; the working settings are then saved and
 * the password kept in the keyring. Without it, the settings saved by an
 * earlier passing test are used, and the password (where the program
 * needs one) comes from the keyring; OAuth2 servers need none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "ms-account-settings.h"
#include "ms-cli-command.h"
#include "ms-cli-export.h"
#include "ms-cli-test.h"
#include "ms-exporter.h"

static char *
client_list (void)
{
  const MsExporter * const *all = ms_exporter_get_all ();
  GString *list = g_string_new (NULL);

  for (guint i = 0; all[i] != NULL; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", ms_exporter_get_id (all[i]));

  return g_string_free (list, FALSE);
}

static void
print_clients (void)
{
  const MsExporter * const *all = ms_exporter_get_all ();

  for (guint i = 0; all[i] != NULL; i++)
    g_print ("%-14s %s\n", ms_exporter_get_id (all[i]), ms_exporter_get_name (all[i]));
}

/* Keeps the tested password in the keyring; a failure only warns, the
 * export can still go on. */
static void
store_password (MsSetupSession *session)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ms_setup_session_store_password_async (session, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  if (!ms_setup_session_store_password_finish (session, result, &error))
    ms_cli_printerr (_("warning: %s"), error->message);
}

/* Tests the account; returns the session with the proven settings, saved,
 * and the password stored in the keyring. */
static MsSetupSession *
test_and_save (const char       *input,
               MsCliTestOptions *options,
               int              *exit_status)
{
  g_autoptr(MsSetupSession) session = NULL;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);

  /* Read here rather than in ms_cli_test_prepare(): handed over rather
   * than password_stdin turned off, so the untrusted source check sees
   * that a password will be sent. --sign-in reads none (its tokens are
   * in the keyring). */
  if (options->password_stdin)
    options->password = ms_secret_new_from_stream (stdin_stream, &error);
  if (options->password_stdin && options->password == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      *exit_status = MS_CLI_EXIT_USAGE;
      return NULL;
    }

  session = ms_cli_test_prepare (input, options, exit_status);
  if (session == NULL)
    return NULL;

  report = ms_cli_test_run (session);
  *exit_status = MS_CLI_EXIT_FAILED;
  if (report == NULL)
    return NULL;

  if (ms_setup_session_build_settings (session, NULL, options->ca_file, &error) == NULL)
    {
      g_autofree char *text = ms_account_report_to_text (report);

      g_printerr ("%s", text);
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }

  if (!ms_setup_session_save_settings (session, &error))
    {
      ms_cli_printerr (_("warning: the tested settings could not be saved: %s"), error->message);
      g_clear_error (&error);
    }

  store_password (session);
  *exit_status = MS_CLI_EXIT_OK;

  return g_steal_pointer (&session);
}

/* Whether the provider files say the address signs in with its provider
 * (OAuth): then the hint names `sign-in`, not a password. */
static gboolean
offers_sign_in (MsAddress *address)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new ();
  g_autoptr(MsSetupSession) session = NULL;

  ms_provider_database_load (database, NULL, NULL);
  session = ms_setup_session_new (address, database);
  ms_setup_session_find_provider (session);

  return ms_setup_session_offers_sign_in (session);
}

/* A session with what an earlier passing test saved, and the password
 * from the keyring (needed only with --include-password). Prints why not;
 * the exit status is then in @exit_status. */
static MsSetupSession *
load_saved (const char       *input,
            MsCliTestOptions *options,
            const char       *client,
            gboolean          include_password,
            int              *exit_status)
{
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(MsSetupSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  *exit_status = MS_CLI_EXIT_USAGE;
  if (!ms_cli_check_value ("--domain", MS_CLI_VALUE_DOMAIN, options->domain) ||
      (address = ms_cli_test_parse_address (input, options)) == NULL)
    return NULL;

  *exit_status = MS_CLI_EXIT_FAILED;
  session = ms_setup_session_new (address, NULL);
  if (!ms_setup_session_load_settings (session, &error))
    {
      if (offers_sign_in (address))
        ms_cli_printerr (_("%s. Sign in and test the account first: mail-setup sign-in %s, then "
                           "mail-setup export %s --to %s --sign-in"),
                         error->message, ms_address_get_ascii (address), ms_address_get_ascii (address),
                         client);
      else
        ms_cli_printerr (_("%s. Test the account first: mail-setup export %s --to %s --password-stdin"),
                         error->message, ms_address_get_ascii (address), client);
      return NULL;
    }

  /* An account that signs in with its provider has no password to look
   * up; its files name `mail-setup token` instead (ms-export-token-command.c). */
  if (!ms_account_settings_uses_password (ms_setup_session_get_settings (session)))
    {
      if (include_password)
        ms_cli_printerr (_("%s signs in with its provider, not with a password: the export holds no password"),
                         ms_address_get_display (address));
      *exit_status = MS_CLI_EXIT_OK;
      return g_steal_pointer (&session);
    }

  ms_setup_session_lookup_password_async (session, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  if (!ms_setup_session_lookup_password_finish (session, result, &error) && include_password)
    {
      ms_cli_printerr (_("--include-password needs the password: %s"), error->message);
      return NULL;
    }

  *exit_status = MS_CLI_EXIT_OK;

  return g_steal_pointer (&session);
}

static void
print_result (const MsExporter *exporter,
              MsExportResult   *result)
{
  for (guint i = 0; i < result->paths->len; i++)
    g_print (_("Wrote %s\n"), (const char *) g_ptr_array_index (result->paths, i));
  for (guint i = 0; i < result->backups->len; i++)
    g_print (_("Kept the previous file as %s\n"), (const char *) g_ptr_array_index (result->backups, i));
  if (result->account_id != NULL)
    g_print (_("Added to %s as %s\n"), ms_exporter_get_name (exporter), result->account_id);
  for (guint i = 0; i < result->warnings->len; i++)
    ms_cli_printerr (_("warning: %s"), (const char *) g_ptr_array_index (result->warnings, i));
}

/* --to, and whether --output applies to it; prints why not. */
static const MsExporter *
find_exporter (const char *client,
               const char *clients,
               const char *output)
{
  const MsExporter *exporter = ms_exporter_find (client);

  if (exporter == NULL)
    {
      ms_cli_printerr (_("unknown client “%s”; the clients are: %s"), client, clients);
      return NULL;
    }
  if (output != NULL && !ms_exporter_writes_file (exporter))
    {
      ms_cli_printerr (_("--output does not apply to %s"), client);
      return NULL;
    }

  return exporter;
}

/* The export itself, with --name kept in the saved settings first. */
static int
export_settings (MsSetupSession   *session,
                 const MsExporter *exporter,
                 const char       *name,
                 gboolean          include_password,
                 const char       *output)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(MsExportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (name != NULL)
    {
      ms_account_settings_set_display_name (ms_setup_session_get_settings (session), name);
      if (!ms_setup_session_save_settings (session, &error))
        {
          ms_cli_printerr (_("warning: the tested settings could not be saved: %s"), error->message);
          g_clear_error (&error);
        }
    }

  ms_setup_session_export_async (session, exporter,
                                 include_password ? MS_EXPORT_FLAGS_INCLUDE_PASSWORD : MS_EXPORT_FLAGS_NONE,
                                 output, cancellable, ms_cli_store_result_cb, &async_result);
  ms_cli_wait (cancellable, &async_result);
  result = ms_setup_session_export_finish (session, async_result, &error);
  if (result == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_FAILED;
    }

  print_result (exporter, result);

  return MS_CLI_EXIT_OK;
}

int
ms_cli_export (int    argc,
               char **argv)
{
  g_auto(MsCliTestOptions) options = { 0 };
  g_autoptr(MsSetupSession) session = NULL;
  g_autofree char *client = NULL;
  g_autofree char *output = NULL;
  g_autofree char *name = NULL;
  g_autofree char *clients = client_list ();
  g_autofree char *to_help = g_strdup_printf (_("The mail program or file to export to: %s"), clients);
  gboolean include_password = FALSE;
  gboolean list = FALSE;
  const MsExporter *exporter;
  int exit_status;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &client, to_help, N_("CLIENT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write here instead of the program’s own place (a profile or folder for thunderbird, evolution and geary)"), N_("PATH") },
    { "include-password", 0, 0, G_OPTION_ARG_NONE, &include_password,
      N_("Put the password into the exported file (mobileconfig and qr only); the file is then readable only by you"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("Your name, as others see it on your messages"), N_("NAME") },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the clients and exit"), NULL },
    { NULL }
  };

  if (!ms_cli_parse_options (entries, ms_cli_test_options_group (&options),
                             N_("ADDRESS --to CLIENT — put a tested account into a mail program"),
                             NULL,
                             N_("With --password-stdin the account is tested first and exported only if the test passes; "
                                "the settings are saved and the password kept in the keyring. Without it, the settings "
                                "saved by the last passing test are used. Terminal programs fetch the password from the "
                                "keyring with secret-tool; it is never written into their files. Exit status: 0 when "
                                "exported, 1 when not, 2 on bad usage."),
                             &argc, &argv))
    return MS_CLI_EXIT_USAGE;

  if (list)
    {
      print_clients ();
      return MS_CLI_EXIT_OK;
    }

  if (argc != 2 || client == NULL)
    {
      ms_cli_printerr (_("export takes one email address and --to CLIENT; “mail-setup export --help” says more"));
      return MS_CLI_EXIT_USAGE;
    }

  exporter = find_exporter (client, clients, output);
  if (exporter == NULL ||
      !ms_cli_check_value ("--name", MS_CLI_VALUE_DISPLAY_NAME, name) ||
      !ms_cli_check_value ("--output", MS_CLI_VALUE_FILE, output))
    return MS_CLI_EXIT_USAGE;

  if (options.password_stdin || options.sign_in)
    session = test_and_save (argv[1], &options, &exit_status);
  else
    session = load_saved (argv[1], &options, client, include_password, &exit_status);
  if (session == NULL)
    return exit_status;

  return export_settings (session, exporter, name, include_password, output);
}
