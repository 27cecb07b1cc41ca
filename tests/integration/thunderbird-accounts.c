/* thunderbird-accounts.c: the Thunderbird reader and update, for test-thunderbird.py
 *
 * No command line does this yet (the repair helpers write it), so the test
 * drives the backend directly: `read HOME` prints the inventory as JSON;
 * `update HOME KEY INCOMING_HOST PORT SECURITY` rewrites that account's
 * incoming server in its prefs.js the way a repair would (is_running
 * checked, backup, atomic replace).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "ms-atomic-file.h"
#include "ms-mail-program-private.h"
#include "ms-safe-file.h"

static MsAccountInventory *
read_home (const char *home)
{
  g_autoptr(MsAccountPlaces) places = ms_account_places_new (home, home, home);
  MsAccountInventory *inventory = ms_account_inventory_new ();

  ms_program_thunderbird.read (places, inventory, NULL);
  return inventory;
}

static int
update (const char *home,
        const char *key,
        const char *host,
        const char *port,
        const char *security_name)
{
  g_autoptr(MsAccountInventory) inventory = read_home (home);
  GPtrArray *accounts = ms_account_inventory_get_accounts (inventory);
  g_autoptr(MsAccountSettings) target = NULL;
  g_autoptr(MsServer) incoming = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL, *updated = NULL, *why = NULL, *backup = NULL;
  MsExistingAccount *account = NULL;
  MsSecurity security;
  gsize length = 0;

  for (guint i = 0; i < accounts->len && account == NULL; i++)
    if (g_str_equal (((MsExistingAccount *) g_ptr_array_index (accounts, i))->key, key))
      account = g_ptr_array_index (accounts, i);
  if (account == NULL || !ms_security_from_string (security_name, &security))
    {
      g_printerr ("no account %s, or no security %s\n", key, security_name);
      return 2;
    }
  if (ms_program_thunderbird.is_running (account, &why))
    {
      g_printerr ("%s\n", why);
      return 3;
    }

  incoming = ms_server_new (account->incoming->protocol, host, (guint16) g_ascii_strtoull (port, NULL, 10), security);
  ms_server_set_username (incoming, account->incoming->username);
  target = ms_account_settings_new (account->address, incoming, account->outgoing);
  if (!ms_safe_file_read (account->location, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                          &contents, &length, NULL, &error) ||
      (updated = ms_program_thunderbird.update (account, target, account->location, contents, length, &error)) == NULL ||
      !ms_atomic_file_replace (account->location, updated, strlen (updated), MS_ATOMIC_FILE_BACKUP, &backup, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "read"))
    {
      g_autoptr(MsAccountInventory) inventory = read_home (argv[2]);
      g_autoptr(JsonNode) node = ms_account_inventory_to_json (inventory);
      g_autofree char *json = json_to_string (node, TRUE);

      printf ("%s\n", json);
      return 0;
    }
  if (argc == 7 && g_str_equal (argv[1], "update"))
    return update (argv[2], argv[3], argv[4], argv[5], argv[6]);

  g_printerr ("usage: %s read HOME | update HOME KEY HOST PORT SECURITY\n", argv[0]);
  return 2;
}
