/* accounts-driver.c: find and repair the terminal programs' accounts from a test
 *
 * A stand-in for the repair's command line (another issue 11 part) so that
 * test-accounts-terminal.py can have a real program read a repaired file:
 *
 *   accounts-driver find
 *   accounts-driver repair PROGRAM KEY HOST PORT SECURITY HOST PORT SECURITY USER
 *
 * "find" prints the inventory's JSON; "repair" runs the backend's
 * is_running, then update on each of its files, written the way every
 * repair writes (ms-atomic-file.h: backup, atomic replace).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ms-account-finder.h"
#include "ms-atomic-file.h"
#include "ms-enum-nick.h"
#include "ms-mail-program-private.h"
#include "ms-safe-file.h"

static MsServer *
server_from_args (MsProtocol   protocol,
                  char       **args,
                  const char  *user)
{
  MsSecurity security;
  MsServer *server;

  if (!ms_security_from_string (args[2], &security))
    g_error ("unknown security %s", args[2]);
  server = ms_server_new (protocol, args[0], (guint16) atoi (args[1]), security);
  ms_server_set_username (server, user);
  server->auth = MS_AUTH_PASSWORD_CLEARTEXT;

  return server;
}

static int
find (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAccountInventory) inventory = ms_account_finder_find_sync (NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (inventory == NULL)
    g_error ("%s", error->message);
  node = ms_account_inventory_to_json (inventory);
  text = json_to_string (node, TRUE);
  printf ("%s\n", text);

  return 0;
}

static gboolean
repair_file (const MsMailProgramBackend  *backend,
             MsExistingAccount           *account,
             MsAccountSettings           *target,
             const char                  *path,
             GError                     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *backup = NULL;
  struct stat st;
  gsize length;

  if (!ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                          &contents, &length, &st, error))
    return FALSE;
  updated = backend->update (account, target, path, contents, length, error);
  if (updated == NULL)
    return FALSE;
  if (g_str_equal (updated, contents))
    return TRUE;

  return ms_atomic_file_replace (path, updated, strlen (updated),
                                 MS_ATOMIC_FILE_BACKUP | ((st.st_mode & 077) == 0 ? MS_ATOMIC_FILE_PRIVATE : 0),
                                 &backup, error);
}

static int
repair (char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAccountInventory) inventory = ms_account_finder_find_sync (NULL, &error);
  g_autoptr(MsServer) imap = server_from_args (MS_PROTOCOL_IMAP, args + 2, args[8]);
  g_autoptr(MsServer) smtp = server_from_args (MS_PROTOCOL_SMTP, args + 5, args[8]);
  g_autoptr(MsAccountSettings) target = ms_account_settings_new (args[8], imap, smtp);
  const MsMailProgramBackend *backend;
  g_autofree char *why = NULL;
  g_auto(GStrv) paths = NULL;
  MsExistingAccount *account = NULL;
  MsMailProgram program;
  GPtrArray *accounts;

  if (!ms_mail_program_from_string (args[0], &program))
    g_error ("unknown program %s", args[0]);
  backend = ms_mail_program_get_backend (program);
  accounts = ms_account_inventory_get_accounts (inventory);
  for (guint i = 0; i < accounts->len; i++)
    {
      MsExistingAccount *found = g_ptr_array_index (accounts, i);

      if (found->program == program && g_str_equal (found->key, args[1]))
        account = found;
    }
  if (account == NULL)
    {
      fprintf (stderr, "no %s account %s\n", args[0], args[1]);
      return 2;
    }
  if (backend->is_running != NULL && backend->is_running (account, &why))
    {
      fprintf (stderr, "%s\n", why);
      return 3;
    }

  paths = backend->files (account);
  for (guint i = 0; paths[i] != NULL; i++)
    if (!repair_file (backend, account, target, paths[i], &error))
      {
        fprintf (stderr, "%s: %s\n", paths[i], error->message);
        return 1;
      }

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_str_equal (argv[1], "find"))
    return find ();
  if (argc == 11 && g_str_equal (argv[1], "repair"))
    return repair (argv + 2);

  fprintf (stderr, "usage: accounts-driver find | repair PROGRAM KEY HOST PORT SECURITY HOST PORT SECURITY USER\n");
  return 64;
}
