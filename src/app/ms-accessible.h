/* ms-accessible.h: what a screen reader says of the widgets GTK 4.8 names badly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void ms_accessible_install          (void);
void ms_accessible_fix_widget       (GtkWidget  *widget);
void ms_accessible_announce         (GtkWidget  *widget,
                                     const char *text);

G_END_DECLS
