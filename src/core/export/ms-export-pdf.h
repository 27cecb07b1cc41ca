/* ms-export-pdf.h: a printable settings sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-settings.h"

G_BEGIN_DECLS

GBytes *ms_export_pdf_render (MsAccountSettings  *settings,
                              GError            **error);

G_END_DECLS
