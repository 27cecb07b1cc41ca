/* accounts-test-util.h: what the accounts tests share: a made-up home, files in it, a server's checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-mail-program-private.h"
#include "ms-server.h"

G_BEGIN_DECLS

/* A made-up home for one test: HOME, HOME/.config, the places that say
 * so, and an inventory to read into. */
typedef struct
{
  char               *home;
  char               *config;
  MsAccountPlaces    *places;
  MsAccountInventory *inventory;
} AccountsTestHome;

void  accounts_test_home_set_up   (AccountsTestHome *self,
                                   const char       *name,
                                   const char       *data_dir);
void  accounts_test_home_tear_down (AccountsTestHome *self);

void  accounts_test_remove_tree   (const char     *path);
char *accounts_test_write         (const char     *dir,
                                   const char     *relative,
                                   const char     *contents);
char *accounts_test_update  (MsExistingAccount  *account,
                                   MsAccountSettings  *target,
                                   const char         *path,
                                   GError            **error);
void  accounts_test_assert_server (const MsServer *server,
                                   const char     *hostname,
                                   guint16         port,
                                   MsSecurity      security,
                                   const char     *username);

G_END_DECLS
