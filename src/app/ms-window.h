/* ms-window.h: the Mail Setup main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-application.h"
#include "ms-wizard.h"

G_BEGIN_DECLS

#define MS_TYPE_WINDOW (ms_window_get_type ())

G_DECLARE_FINAL_TYPE (MsWindow, ms_window, MS, WINDOW, AdwApplicationWindow)

MsWindow *ms_window_new        (MsApplication *application);
MsWizard *ms_window_get_wizard (MsWindow      *self);

G_END_DECLS
