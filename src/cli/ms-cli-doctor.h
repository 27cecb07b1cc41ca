/* ms-cli-doctor.h: `mail-setup doctor`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-cli-command.h"

G_BEGIN_DECLS

int ms_cli_doctor (int    argc,
                   char **argv);

G_END_DECLS
