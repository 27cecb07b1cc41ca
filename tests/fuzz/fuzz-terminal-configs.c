/* fuzz-terminal-configs.c: libFuzzer target for msmtp, mbsync, neomutt and aerc files
 *
 * The first byte picks the program, the rest is its file. Whatever the
 * file, the reader keeps only validated values, and an update of each
 * account it found gives text or an error, never a crash, and text that
 * the reader takes again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ms-account-settings.h"
#include "ms-mail-program-private.h"
#include "ms-validate.h"

#include "fuzz-common.h"

static const struct
{
  MsMailProgram  program;
  const char    *file;
} programs[] = {
  { MS_MAIL_PROGRAM_MSMTP, ".msmtprc" },
  { MS_MAIL_PROGRAM_MBSYNC, ".mbsyncrc" },
  { MS_MAIL_PROGRAM_NEOMUTT, ".neomuttrc" },
  { MS_MAIL_PROGRAM_AERC, ".config/aerc/accounts.conf" },
};

static char *home;

static void
remove_home (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_build_filename (home, programs[i].file, NULL);

      g_unlink (path);
    }
  {
    g_autofree char *aerc = g_build_filename (home, ".config", "aerc", NULL);
    g_autofree char *config = g_build_filename (home, ".config", NULL);

    g_rmdir (aerc);
    g_rmdir (config);
    g_rmdir (home);
  }
}

static MsAccountPlaces *
places (void)
{
  g_autofree char *config = NULL;
  g_autofree char *aerc = NULL;

  if (home == NULL)
    {
      home = g_dir_make_tmp ("ms-fuzz-terminal-XXXXXX", NULL);
      g_assert_nonnull (home);
      atexit (remove_home);
    }
  config = g_build_filename (home, ".config", NULL);
  aerc = g_build_filename (config, "aerc", NULL);
  g_assert_cmpint (g_mkdir_with_parents (aerc, 0700), ==, 0);

  return ms_account_places_new (home, config, config);
}

static MsAccountInventory *
read_text (MsAccountPlaces            *where,
           const MsMailProgramBackend *backend,
           const char                 *path,
           const char                 *text,
           gsize                       length)
{
  MsAccountInventory *inventory = ms_account_inventory_new ();

  g_assert_true (g_file_set_contents (path, text, length, NULL));
  backend->read (where, inventory, NULL);

  return inventory;
}

static void
check_server (const MsServer *server)
{
  if (server == NULL)
    return;
  g_assert_true (ms_validate_server (server, MS_VALIDATE_FLAGS_NONE, "fuzz", NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsAccountPlaces) where = NULL;
  g_autoptr(MsAccountInventory) inventory = NULL;
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) target = NULL;
  g_autofree char *path = NULL;
  const MsMailProgramBackend *backend;
  GPtrArray *accounts;

  if (size < 1)
    return 0;
  fuzz_init ();
  where = places ();
  backend = ms_mail_program_get_backend (programs[data[0] % G_N_ELEMENTS (programs)].program);
  path = g_build_filename (home, programs[data[0] % G_N_ELEMENTS (programs)].file, NULL);
  ms_server_set_username (imap, "pat@charter.net");
  ms_server_set_username (smtp, "pat@charter.net");
  target = ms_account_settings_new ("pat@charter.net", imap, smtp);

  inventory = read_text (where, backend, path, (const char *) data + 1, size - 1);
  accounts = ms_account_inventory_get_accounts (inventory);
  for (guint i = 0; i < accounts->len; i++)
    {
      MsExistingAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *updated = NULL;

      check_server (account->incoming);
      check_server (account->outgoing);
      /* The reader's own file: update reads what it was given. */
      updated = backend->update (account, target, account->location, (const char *) data + 1, size - 1, &error);
      g_assert_true ((updated == NULL) == (error != NULL));
      if (updated != NULL && g_str_equal (account->location, path))
        {
          g_autoptr(MsAccountInventory) again = read_text (where, backend, path, updated, strlen (updated));

          g_assert_true (g_utf8_validate (updated, -1, NULL));
          g_assert_true (g_file_set_contents (path, (const char *) data + 1, size - 1, NULL));
        }
    }

  return 0;
}
