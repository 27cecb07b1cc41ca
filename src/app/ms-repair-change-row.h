/* ms-repair-change-row.h: one setting a repair changes, old → new, and its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-account-repair.h"

G_BEGIN_DECLS

GtkWidget *ms_repair_change_row_new   (const MsRepairChange *change);
char      *ms_repair_describe_files   (const char * const   *files);

G_END_DECLS
