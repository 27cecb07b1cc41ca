/* ms-cli-doctor.c: `mail-setup doctor [ADDRESS]`, test the accounts mail programs already have
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "ms-account-doctor.h"
#include "ms-account-finder.h"
#include "ms-cli-doctor.h"
#include "ms-password-lookup.h"
#include "ms-tls-database.h"
#include "ms-trust-store.h"
#include "ms-untrusted-text.h"

#define DEFAULT_TIMEOUT_MS 15000
#define MIN_TIMEOUT_MS 100
#define MAX_TIMEOUT_MS 600000
#define JSON_FORMAT_VERSION 1

typedef struct
{
  gboolean            json;
  gboolean            password_stdin;
  char               *profile_id;
  char               *ca_file;
  int                 timeout_ms;
  MsSecret           *password;
  GTlsDatabase       *tls_database;
  MsTrustStore       *trust_store;
  MsProviderDatabase *providers;
} DoctorOptions;

static void
doctor_options_clear (DoctorOptions *options)
{
  g_clear_pointer (&options->profile_id, g_free);
  g_clear_pointer (&options->ca_file, g_free);
  g_clear_pointer (&options->password, ms_secret_unref);
  g_clear_object (&options->tls_database);
  g_clear_object (&options->trust_store);
  g_clear_object (&options->providers);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DoctorOptions, doctor_options_clear)

static GOptionContext *
new_context (DoctorOptions *options)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print the findings as JSON (see docs/cli-json.md)"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &options->password_stdin,
      N_("Read the password from standard input (never from the command line); needs ADDRESS"), NULL },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &options->profile_id,
      N_("How this computer is used: the provider’s profile to recommend (for example “mobile”)"), N_("ID") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options->ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout_ms,
      N_("Milliseconds each network step may take (default 15000)"), N_("MS") },
    { NULL }
  };
  GOptionContext *context;

  context = g_option_context_new (_("[ADDRESS] — test the accounts mail programs already have"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Finds the accounts the mail programs on this computer have (or the one for ADDRESS), "
      "tests each as it is set up, compares it with what the provider recommends and tests the "
      "right settings. With a password (typed, or from the program’s keyring entry) each server "
      "gets one login; without, everything short of it. Exit status: 0 when every account is "
      "fine, 1 when problems were found, 2 on bad usage."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

/* Everything that can be a usage error, before anything is tested. */
static gboolean
check_options (DoctorOptions *options,
               const char    *address)
{
  g_autoptr(GError) error = NULL;

  if (options->timeout_ms == 0)
    options->timeout_ms = DEFAULT_TIMEOUT_MS;
  if (options->timeout_ms < MIN_TIMEOUT_MS || options->timeout_ms > MAX_TIMEOUT_MS)
    {
      ms_cli_printerr (_("--timeout takes a number of milliseconds from %d to %d"),
                       MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
      return FALSE;
    }
  if (!ms_cli_check_value (_("ADDRESS"), MS_CLI_VALUE_ADDRESS, address) ||
      !ms_cli_check_value ("--profile", MS_CLI_VALUE_ID, options->profile_id) ||
      !ms_cli_check_value ("--ca-file", MS_CLI_VALUE_FILE, options->ca_file))
    return FALSE;
  /* One password belongs to one address: never tried on another's servers. */
  if (options->password_stdin && address == NULL)
    {
      ms_cli_printerr (_("--password-stdin needs the ADDRESS the password is for"));
      return FALSE;
    }

  options->tls_database = ms_tls_database_new (options->ca_file, &error);
  if (options->tls_database == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return FALSE;
    }

  if (options->password_stdin)
    {
      g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);

      options->password = ms_secret_new_from_stream (stdin_stream, &error);
      if (options->password == NULL)
        {
          ms_cli_printerr ("%s", error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static void
load_stores (DoctorOptions *options)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *load_errors;

  options->trust_store = ms_trust_store_new (NULL);
  if (!ms_trust_store_load (options->trust_store, &error))
    {
      ms_cli_printerr (_("warning: %s"), error->message);
      g_clear_error (&error);
    }

  options->providers = ms_provider_database_new ();
  ms_provider_database_load (options->providers, NULL, NULL);
  load_errors = ms_provider_database_get_load_errors (options->providers);
  for (guint i = 0; load_errors != NULL && i < load_errors->len; i++)
    ms_cli_printerr (_("warning: %s"), ((const GError *) g_ptr_array_index (load_errors, i))->message);
}

static MsAccountInventory *
find_accounts (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MsAccountInventory *inventory;
  GPtrArray *problems;

  ms_account_finder_find_async (cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  inventory = ms_account_finder_find_finish (result, &error);
  if (inventory == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return NULL;
    }

  /* Paths and messages come from other programs' files: outside text. */
  problems = ms_account_inventory_get_problems (inventory);
  for (guint i = 0; i < problems->len; i++)
    {
      MsAccountProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *path = ms_untrusted_text_sanitize (problem->path, MS_UNTRUSTED_TEXT_MAX_BYTES);
      g_autofree char *message = ms_untrusted_text_sanitize (problem->message,
                                                             MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      ms_cli_printerr (_("warning: %s:%u: %s"), path, problem->line, message);
    }

  return inventory;
}

MsSecret *
ms_cli_doctor_stored_password (MsExistingAccount *account)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MsPasswordLocation *location = account->incoming_password != NULL ? account->incoming_password
                                                                    : account->outgoing_password;
  MsSecret *password;

  if (location == NULL ||
      (location->source != MS_PASSWORD_SOURCE_KEYRING && location->source != MS_PASSWORD_SOURCE_GOA))
    return NULL;

  cancellable = g_cancellable_new ();
  ms_password_lookup_async (location, 0, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  password = ms_password_lookup_finish (result, &error);
  if (password == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ms_cli_printerr (_("warning: %s Testing without logging in."), error->message);

  return password;
}

static MsDoctorReport *
run_doctor (MsExistingAccount *account,
            DoctorOptions     *options,
            int               *exit_status)
{
  g_autoptr(MsAccountDoctor) doctor = ms_account_doctor_new (account);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  MsDoctorReport *report;

  password = options->password != NULL ? ms_secret_ref (options->password) : ms_cli_doctor_stored_password (account);
  ms_account_doctor_set_password (doctor, password);
  ms_account_doctor_set_profile_id (doctor, options->profile_id);
  ms_account_doctor_set_tls_database (doctor, options->tls_database);
  ms_account_doctor_set_ca_file (doctor, options->ca_file);
  ms_account_doctor_set_trust_store (doctor, options->trust_store);
  ms_account_doctor_set_provider_database (doctor, options->providers);
  ms_account_doctor_set_timeout (doctor, options->timeout_ms);

  ms_account_doctor_run_async (doctor, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);
  report = ms_account_doctor_run_finish (doctor, result, &error);
  if (report == NULL)
    {
      g_autofree char *id = ms_existing_account_get_id (account);

      ms_cli_printerr ("%s: %s", id, error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        *exit_status = MS_CLI_EXIT_USAGE;
      else if (*exit_status == MS_CLI_EXIT_OK)
        *exit_status = MS_CLI_EXIT_FAILED;
    }
  else if (!ms_doctor_report_is_healthy (report) && *exit_status == MS_CLI_EXIT_OK)
    *exit_status = MS_CLI_EXIT_FAILED;

  return report;
}

static void
print_json (GPtrArray          *reports,
            MsAccountInventory *inventory)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) found = ms_account_inventory_to_json (inventory);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gboolean healthy = TRUE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, JSON_FORMAT_VERSION);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < reports->len; i++)
    {
      healthy = healthy && ms_doctor_report_is_healthy (g_ptr_array_index (reports, i));
      json_builder_add_value (builder, ms_doctor_report_to_json (g_ptr_array_index (reports, i)));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "healthy");
  json_builder_add_boolean_value (builder, healthy);
  json_builder_set_member_name (builder, "problems");
  json_builder_add_value (builder,
                          json_node_copy (json_object_get_member (json_node_get_object (found), "problems")));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

static int
doctor_accounts (GPtrArray          *accounts,
                 MsAccountInventory *inventory,
                 DoctorOptions      *options)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  int exit_status = MS_CLI_EXIT_OK;

  for (guint i = 0; i < accounts->len && exit_status != MS_CLI_EXIT_USAGE; i++)
    {
      MsDoctorReport *report = run_doctor (g_ptr_array_index (accounts, i), options, &exit_status);

      if (report == NULL)
        continue;
      g_ptr_array_add (reports, report);
      if (!options->json)
        {
          g_autofree char *text = ms_doctor_report_to_text (report);

          g_print ("%s", text);
        }
    }

  if (options->json && exit_status != MS_CLI_EXIT_USAGE)
    print_json (reports, inventory);

  return exit_status;
}

int
ms_cli_doctor (int    argc,
               char **argv)
{
  g_auto(DoctorOptions) options = { 0 };
  g_autoptr(GOptionContext) context = new_context (&options);
  g_autoptr(MsAccountInventory) inventory = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  const char *address;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }
  if (argc > 2)
    {
      ms_cli_printerr (_("doctor takes at most one email address; “mail-setup doctor --help” says more"));
      return MS_CLI_EXIT_USAGE;
    }
  address = argc == 2 ? argv[1] : NULL;
  if (!check_options (&options, address))
    return MS_CLI_EXIT_USAGE;

  load_stores (&options);
  inventory = find_accounts ();
  if (inventory == NULL)
    return MS_CLI_EXIT_FAILED;

  accounts = ms_account_inventory_find (inventory, address, FALSE, 0);
  if (accounts->len == 0 && address != NULL)
    {
      ms_cli_printerr (_("No mail program on this computer has an account for %s"), address);
      if (options.json)
        {
          g_autoptr(GPtrArray) none = g_ptr_array_new ();

          print_json (none, inventory);
        }
      return MS_CLI_EXIT_FAILED;
    }
  if (accounts->len == 0 && !options.json)
    g_print ("%s\n", _("No mail program on this computer has an email account set up."));

  return doctor_accounts (accounts, inventory, &options);
}
