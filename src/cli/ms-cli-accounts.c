/* ms-cli-accounts.c: `mail-setup accounts`, what the mail programs on this computer have set up
 *
 * Read-only. A file that could not be read is reported beside the
 * accounts, never fatal: one broken ~/.msmtprc must not hide the
 * Thunderbird accounts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-account-finder.h"
#include "ms-cli-command.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

/* The shared one-line printer takes a list: one server, when there is one. */
static void
print_server (const char *label,
              MsServer   *server)
{
  g_autoptr(GPtrArray) servers = g_ptr_array_new ();

  if (server == NULL)
    return;

  g_ptr_array_add (servers, server);
  ms_cli_print_servers ("  ", label, servers, FALSE);
}

/* Every string here came from another program's file: one sanitized
 * line each. */
static void
print_account (MsExistingAccount *account)
{
  g_autofree char *id = ms_existing_account_get_id (account);
  g_autofree char *shown_id = ms_untrusted_text_sanitize (id, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);
  g_autofree char *address = ms_untrusted_text_sanitize (account->address != NULL ? account->address
                                                                                : _("(no address)"),
                                                         MS_UNTRUSTED_TEXT_MAX_BYTES);

  g_print ("%s — %s\n", address, ms_mail_program_get_name (account->program));
  print_server (_("Incoming:"), account->incoming);
  print_server (_("Outgoing:"), account->outgoing);
  if (account->written_by_mail_setup)
    g_print ("  %s\n", _("Set up by Mail Setup"));
  g_print ("  %-12s %s\n", _("Id:"), shown_id);
}

static void
print_text (MsAccountInventory *inventory)
{
  GPtrArray *accounts = ms_account_inventory_get_accounts (inventory);
  GPtrArray *problems = ms_account_inventory_get_problems (inventory);

  if (accounts->len == 0)
    g_print ("%s\n", _("No mail program on this computer has an account set up."));
  for (guint i = 0; i < accounts->len; i++)
    {
      if (i > 0)
        g_print ("\n");
      print_account (g_ptr_array_index (accounts, i));
    }

  if (problems->len > 0)
    g_print ("\n%s\n", _("Could not be read:"));
  for (guint i = 0; i < problems->len; i++)
    {
      MsAccountProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *place = problem->line > 0 ? g_strdup_printf ("%s:%u", problem->path, problem->line)
                                                 : g_strdup (problem->path);
      g_autofree char *line = g_strdup_printf ("%s (%s): %s", place,
                                               ms_mail_program_get_name (problem->program),
                                               problem->message);
      g_autofree char *shown = ms_untrusted_text_sanitize (line, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_print ("  %s\n", shown);
    }
}

int
ms_cli_accounts (int    argc,
                 char **argv)
{
  g_autoptr(MsAccountInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (docs/cli-json.md) instead of text"), NULL },
    { NULL }
  };

  if (!ms_cli_parse_options (entries, NULL, N_("— list the accounts the mail programs on this computer have"), NULL,
                             N_("Reads Thunderbird, Evolution, Geary, GNOME Online Accounts, msmtp, mbsync, NeoMutt and aerc "
                                "and changes nothing. Files that could not be read are listed too. Exit status: 0 when the "
                                "list was made (even with files that could not be read), 2 on bad usage."),
                             &argc, &argv))
    return MS_CLI_EXIT_USAGE;
  if (argc != 1)
    {
      ms_cli_printerr (_("accounts takes no arguments; “mail-setup accounts --help” says more"));
      return MS_CLI_EXIT_USAGE;
    }

  inventory = ms_account_finder_find_sync (NULL, &error);
  if (inventory == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_FAILED;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = ms_account_inventory_to_json (inventory);
      g_autofree char *text = ms_json_to_pretty_string (node);

      g_print ("%s\n", text);
    }
  else
    print_text (inventory);

  return MS_CLI_EXIT_OK;
}
