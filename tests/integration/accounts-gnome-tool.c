/* accounts-gnome-tool.c: the GNOME backends' read, update and reload, for test-accounts-gnome.py
 *
 * Stands in for the repair (ms-account-repair.c, another part of issue 11)
 * so the real programs can be shown each backend's result: it reads the
 * accounts of $XDG_CONFIG_HOME, and rewrites one account's files with a
 * backup and atomically, as the repair does, then asks the program's
 * service to reload.
 *
 *   accounts-gnome-tool read
 *   accounts-gnome-tool repair ID USER IMAP_HOST IMAP_PORT IMAP_SECURITY SMTP_HOST SMTP_PORT SMTP_SECURITY
 *
 * Security words are the stable names ("plain", "STARTTLS", "SSL").
 * Prints the inventory as JSON; exits 2 when the program is running and
 * 1 on any other failure, with the message on stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ms-atomic-file.h"
#include "ms-mail-program-private.h"

static MsServer *
parse_server (MsProtocol   protocol,
              const char  *user,
              const char  *host,
              const char  *port,
              const char  *security_name)
{
  MsSecurity security;
  MsServer *server;

  if (!ms_security_from_string (security_name, &security))
    g_error ("unknown security %s", security_name);
  server = ms_server_new (protocol, host, atoi (port), security);
  g_free (server->username);
  server->username = g_strdup (user);

  return server;
}

static int
repair (MsAccountInventory *inventory,
        char              **argv)
{
  MsExistingAccount *account = ms_account_inventory_lookup_id (inventory, argv[2]);
  g_autoptr(MsServer) imap = parse_server (MS_PROTOCOL_IMAP, argv[3], argv[4], argv[5], argv[6]);
  g_autoptr(MsServer) smtp = parse_server (MS_PROTOCOL_SMTP, argv[3], argv[7], argv[8], argv[9]);
  g_autoptr(MsAccountSettings) target = NULL;
  const MsMailProgramBackend *backend;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;
  g_autofree char *why = NULL;

  if (account == NULL)
    {
      g_printerr ("no account %s\n", argv[2]);
      return 1;
    }
  target = ms_account_settings_new (account->address, imap, smtp);
  backend = ms_mail_program_get_backend (account->program);
  if (backend->is_running != NULL && backend->is_running (account, &why))
    {
      g_printerr ("%s\n", why);
      return 2;
    }

  paths = backend->files (account);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *contents = NULL;
      g_autofree char *updated = NULL;
      gsize length;

      if (!g_file_get_contents (paths[i], &contents, &length, &error) ||
          (updated = backend->update (account, target, paths[i], contents, length, &error)) == NULL ||
          !ms_atomic_file_replace (paths[i], updated, strlen (updated), MS_ATOMIC_FILE_BACKUP, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  if (backend->reload != NULL && !backend->reload (account, NULL, &error))
    {
      g_printerr ("reload: %s\n", error->message);
      return 1;
    }

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MsAccountPlaces) places = ms_account_places_new_default ();
  g_autoptr(MsAccountInventory) inventory = ms_account_inventory_new ();
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  static const MsMailProgram programs[] = {
    MS_MAIL_PROGRAM_EVOLUTION, MS_MAIL_PROGRAM_GEARY, MS_MAIL_PROGRAM_GOA,
  };

  if (argc < 2 || (g_str_equal (argv[1], "repair") && argc != 10))
    {
      g_printerr ("usage: %s read | repair ID USER IMAP_HOST IMAP_PORT IMAP_SECURITY SMTP_HOST SMTP_PORT SMTP_SECURITY\n",
                  argv[0]);
      return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    ms_mail_program_get_backend (programs[i])->read (places, inventory, NULL);

  if (g_str_equal (argv[1], "repair"))
    return repair (inventory, argv);

  json = ms_account_inventory_to_json (inventory);
  text = json_to_string (json, TRUE);
  g_print ("%s\n", text);

  return 0;
}
