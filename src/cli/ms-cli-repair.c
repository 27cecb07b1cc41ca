/* ms-cli-repair.c: `mail-setup repair ADDRESS`, fix an account another mail program already has
 *
 * Finds the account, tests it as it is (the doctor), shows exactly what
 * would change, asks, and changes it in place; --undo puts the files of
 * the last repair back. Nothing is changed without a yes: on a terminal
 * the person answers, elsewhere --yes says it, and without either the
 * command refuses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "ms-account-doctor.h"
#include "ms-account-finder.h"
#include "ms-account-repair.h"
#include "ms-address.h"
#include "ms-cli-command.h"
#include "ms-cli-doctor.h"
#include "ms-enum-types.h"
#include "ms-exporter.h"
#include "ms-tls-database.h"
#include "ms-untrusted-text.h"

typedef struct
{
  char          *address;  /* validated, ASCII */
  char          *program_name;
  gboolean       has_program;
  MsMailProgram  program;
  char          *account_id;
  gboolean       yes;
  gboolean       undo;
  gboolean       password_stdin;
  char          *profile_id;
  char          *ca_file;
  FILE          *terminal;  /* where to ask, without --yes */
  MsSecret      *password;  /* --password-stdin's */
} RepairOptions;

static void
repair_options_clear (RepairOptions *options)
{
  g_clear_pointer (&options->address, g_free);
  g_clear_pointer (&options->program_name, g_free);
  g_clear_pointer (&options->account_id, g_free);
  g_clear_pointer (&options->profile_id, g_free);
  g_clear_pointer (&options->ca_file, g_free);
  g_clear_pointer (&options->terminal, fclose);
  g_clear_pointer (&options->password, ms_secret_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RepairOptions, repair_options_clear)

static char *
program_list (void)
{
  g_autoptr(GEnumClass) programs = g_type_class_ref (MS_TYPE_MAIL_PROGRAM);
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < programs->n_values; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", programs->values[i].value_nick);

  return g_string_free (list, FALSE);
}

/* ADDRESS, --program, --profile and --ca-file, each checked as any outside
 * value is; prints why not. */
static gboolean
check_options (RepairOptions *options,
               const char    *input)
{
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  address = ms_address_parse (input, &error);
  if (address == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return FALSE;
    }
  if (!ms_cli_check_value (_("ADDRESS"), MS_CLI_VALUE_ADDRESS, ms_address_get_ascii (address)) ||
      !ms_cli_check_value ("--profile", MS_CLI_VALUE_ID, options->profile_id) ||
      !ms_cli_check_value ("--ca-file", MS_CLI_VALUE_FILE, options->ca_file))
    return FALSE;
  options->address = g_strdup (ms_address_get_ascii (address));

  if (options->program_name != NULL)
    {
      g_autofree char *programs = program_list ();

      options->has_program = ms_mail_program_from_string (options->program_name, &options->program);
      if (!options->has_program)
        {
          ms_cli_printerr (_("unknown program “%s”; the programs are: %s"), options->program_name, programs);
          return FALSE;
        }
    }

  return TRUE;
}

static int
run_undo (RepairOptions *options)
{
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GError) error = NULL;

  restored = ms_account_repair_undo (options->address, options->has_program, options->program, NULL, &error);
  if (restored == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_FAILED;
    }

  for (guint i = 0; i < restored->len; i++)
    {
      g_autofree char *path = ms_untrusted_text_sanitize (g_ptr_array_index (restored, i),
                                                          MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_print (_("Put back %s\n"), path);
    }

  return MS_CLI_EXIT_OK;
}

static void
print_candidates (GPtrArray *accounts)
{
  for (guint i = 0; i < accounts->len; i++)
    {
      MsExistingAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *id = ms_existing_account_get_id (account);
      g_autofree char *shown = ms_untrusted_text_sanitize (id, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_printerr ("  %s (%s)\n", shown, ms_mail_program_get_name (account->program));
    }
}

/* The one account to repair: --account, or the only one with the address
 * (in --program). Prints why not; the exit status is in @exit_status. */
static MsExistingAccount *
choose_account (RepairOptions *options,
                int           *exit_status)
{
  g_autoptr(MsAccountInventory) inventory = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  MsExistingAccount *account;

  *exit_status = MS_CLI_EXIT_FAILED;
  inventory = ms_account_finder_find_sync (NULL, &error);
  if (inventory == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }

  if (options->account_id != NULL)
    {
      account = ms_account_inventory_lookup_id (inventory, options->account_id);
      if (account == NULL || (account->address != NULL &&
                              g_ascii_strcasecmp (account->address, options->address) != 0))
        {
          ms_cli_printerr (_("no account “%s” for %s; “mail-setup accounts” lists them"),
                           options->account_id, options->address);
          return NULL;
        }
      return ms_existing_account_ref (account);
    }

  found = ms_account_inventory_find (inventory, options->address, options->has_program, options->program);
  if (found == NULL || found->len == 0)
    {
      ms_cli_printerr (_("no mail program on this computer has an account for %s; “mail-setup accounts” lists them"),
                       options->address);
      return NULL;
    }
  if (found->len > 1)
    {
      ms_cli_printerr (_("%s is set up more than once; choose one with --account ID:"), options->address);
      print_candidates (found);
      *exit_status = MS_CLI_EXIT_USAGE;
      return NULL;
    }

  return ms_existing_account_ref (g_ptr_array_index (found, 0));
}

/* The terminal the person sits at, also when standard input is a pipe
 * (--password-stdin): %NULL when there is none (a script, a service). */
static FILE *
open_terminal (void)
{
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  FILE *terminal;

  if (fd < 0)
    return NULL;
  terminal = fdopen (fd, "r+");
  if (terminal == NULL)
    close (fd);

  return terminal;
}

/* The account tested as it is; the report is printed, whatever it says. */
static MsDoctorReport *
run_doctor (RepairOptions     *options,
            MsExistingAccount *account)
{
  g_autoptr(MsAccountDoctor) doctor = ms_account_doctor_new (account);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  MsDoctorReport *report;

  tls_database = ms_tls_database_new (options->ca_file, &error);
  if (tls_database == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }
  ms_account_doctor_set_tls_database (doctor, tls_database);
  if (options->profile_id != NULL)
    ms_account_doctor_set_profile_id (doctor, options->profile_id);

  if (options->password_stdin)
    {
      g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);

      /* Kept for the repair: a server given a login gets it stored. */
      options->password = ms_secret_new_from_stream (stdin_stream, &error);
      if (options->password == NULL)
        {
          ms_cli_printerr ("%s", error->message);
          return NULL;
        }
    }
  else
    {
      /* The program's own entry, as `mail-setup doctor` reads it. */
      options->password = ms_cli_doctor_stored_password (account);
    }
  ms_account_doctor_set_password (doctor, options->password);

  ms_account_doctor_run_async (doctor, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  report = ms_account_doctor_run_finish (doctor, result, &error);
  if (report == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }

  text = ms_doctor_report_to_text (report);
  g_print ("%s\n", text);

  return report;
}

/* "Change these settings? [y/N]" on the terminal: only a yes is a yes. */
static gboolean
confirm (FILE *terminal)
{
  /* Translators: the answers that mean yes to "[y/N]", separated by "|";
   * "y" and "yes" are always understood too. */
  g_auto(GStrv) yes = g_strsplit (_("y|yes"), "|", -1);
  char answer[16] = { 0 };

  fflush (stdout);
  fprintf (terminal, "%s ", _("Change these settings? [y/N]"));
  fflush (terminal);
  if (fgets (answer, sizeof answer, terminal) == NULL)
    return FALSE;
  g_strstrip (answer);

  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, "yes") == 0 ||
         g_strv_contains ((const char * const *) yes, answer);
}

static void
print_summary (RepairOptions *options,
               MsRepairPlan  *plan)
{
  GStrv files = ms_repair_plan_get_files (plan);
  GPtrArray *backups = ms_repair_plan_get_backups (plan);
  GPtrArray *warnings = ms_repair_plan_get_warnings (plan);
  MsExistingAccount *account = ms_repair_plan_get_account (plan);

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = ms_untrusted_text_sanitize (files[i], MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_print (_("Changed %s\n"), path);
    }
  for (guint i = 0; i < backups->len; i++)
    {
      g_autofree char *path = ms_untrusted_text_sanitize (g_ptr_array_index (backups, i),
                                                          MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_print (_("Kept the previous file as %s\n"), path);
    }
  for (guint i = 0; i < warnings->len; i++)
    ms_cli_printerr (_("warning: %s"), (const char *) g_ptr_array_index (warnings, i));

  g_print (_("To undo: mail-setup repair %s --program %s --undo\n"),
           options->address, ms_mail_program_to_string (account->program));
}

static int
show_and_apply (RepairOptions     *options,
                MsExistingAccount *account,
                MsAccountSettings *target,
                gboolean           login_tested)
{
  g_autoptr(MsRepairPlan) plan = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  plan = ms_repair_plan_new (account, target, &error);
  if (plan == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_FAILED;
    }

  ms_repair_plan_set_password (plan, options->password);
  text = ms_repair_plan_to_text (plan);
  g_print ("%s", text);
  if (ms_repair_plan_get_changes (plan)->len == 0)
    return MS_CLI_EXIT_OK;
  /* Said before the question, so the yes is given knowing it. */
  if (!login_tested)
    g_print ("%s\n", _("These settings were tested without signing in: the servers answered, their "
                        "certificates are valid and their ports speak what these settings say, but the "
                        "password was not tried (there was none to try, or the server already refused it "
                        "once). The program will ask for the password if it is wrong."));

  if (!options->yes && !confirm (options->terminal))
    {
      g_print ("%s\n", _("Nothing was changed."));
      return MS_CLI_EXIT_FAILED;
    }

  ms_repair_plan_apply_async (plan, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  if (!ms_repair_plan_apply_finish (plan, result, &error))
    {
      ms_cli_printerr (_("%s. Nothing was changed."), error->message);
      return MS_CLI_EXIT_FAILED;
    }

  print_summary (options, plan);

  return MS_CLI_EXIT_OK;
}

static int
run_repair (RepairOptions *options)
{
  g_autoptr(MsExistingAccount) account = NULL;
  g_autoptr(MsDoctorReport) report = NULL;
  MsAccountSettings *recommended;
  int exit_status;

  account = choose_account (options, &exit_status);
  if (account == NULL)
    return exit_status;

  report = run_doctor (options, account);
  if (report == NULL)
    return MS_CLI_EXIT_FAILED;

  recommended = ms_doctor_report_get_recommended (report);
  if (recommended == NULL)
    {
      if (ms_doctor_report_is_healthy (report))
        {
          g_print ("%s\n", _("The account works as it is: nothing to repair."));
          return MS_CLI_EXIT_OK;
        }
      ms_cli_printerr (_("no working settings were found for %s, so nothing was changed"), options->address);
      return MS_CLI_EXIT_FAILED;
    }

  return show_and_apply (options, account, recommended, ms_doctor_report_get_login_tested (report));
}

int
ms_cli_repair (int    argc,
               char **argv)
{
  g_auto(RepairOptions) options = { 0 };
  const GOptionEntry entries[] = {
    { "program", 0, 0, G_OPTION_ARG_STRING, &options.program_name,
      N_("Only the account in this program (thunderbird, evolution, geary, goa, msmtp, mbsync, neomutt, aerc)"), N_("NAME") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &options.account_id,
      N_("The account to repair, by the id “mail-setup accounts” shows"), N_("ID") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &options.yes, N_("Change the settings without asking"), NULL },
    { "undo", 0, 0, G_OPTION_ARG_NONE, &options.undo, N_("Put back the files the last repair changed"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &options.password_stdin,
      N_("Read the password from standard input to test the login"), NULL },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &options.profile_id,
      N_("The provider profile to test (see “mail-setup providers DOMAIN”)"), N_("ID") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options.ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { NULL }
  };

  if (!ms_cli_parse_options (entries, NULL,
                             N_("ADDRESS — test an account a mail program already has, and fix it in place"), NULL,
                             N_("The account is tested as it is, then the settings that work are shown beside the ones it has. "
                                "Nothing changes until you say yes (or give --yes); a copy of every file is kept first, and "
                                "nothing is written while the program runs. --undo puts back the files of the last repair, "
                                "if nothing changed them since. Exit status: 0 when repaired, undone, or nothing needed "
                                "changing, 1 when not (no such account, no working settings, the program runs, the answer "
                                "was no), 2 on bad usage (also: no terminal to ask on and no --yes, or several accounts "
                                "and no --account)."),
                             &argc, &argv))
    return MS_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      ms_cli_printerr (_("repair takes one email address; “mail-setup repair --help” says more"));
      return MS_CLI_EXIT_USAGE;
    }
  if (!check_options (&options, argv[1]))
    return MS_CLI_EXIT_USAGE;

  if (options.undo)
    return run_undo (&options);

  /* Asked before any test, so a script without --yes learns it at once. */
  if (!options.yes && (options.terminal = open_terminal ()) == NULL)
    {
      ms_cli_printerr (_("repair asks before it changes anything, and there is no terminal to ask on: give --yes"));
      return MS_CLI_EXIT_USAGE;
    }

  return run_repair (&options);
}
