/* ms-cli-doctor.h: `mail-setup doctor`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-cli-command.h"
#include "ms-existing-account.h"
#include "ms-secret.h"

G_BEGIN_DECLS

int       ms_cli_doctor                 (int                 argc,
                                         char              **argv);

/* The program's own keyring entry (or GOA's), when it has one Mail Setup
 * may read; a warning on stderr when it cannot be read. Also `repair`'s. */
MsSecret *ms_cli_doctor_stored_password (MsExistingAccount  *account);

G_END_DECLS
