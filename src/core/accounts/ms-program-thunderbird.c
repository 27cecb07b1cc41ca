/* ms-program-thunderbird.c: thunderbird's accounts: read, and repaired in place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-mail-program-private.h"

/* Finds nothing yet: the reader and the repair are being written. */
static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
}

const MsMailProgramBackend ms_program_thunderbird = {
  .program = MS_MAIL_PROGRAM_THUNDERBIRD,
  .read = read_accounts,
};
