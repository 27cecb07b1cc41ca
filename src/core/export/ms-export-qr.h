/* ms-export-qr.h: the account as a QR code Thunderbird for Android imports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-settings.h"
#include "ms-secret.h"

G_BEGIN_DECLS

char   *ms_export_qr_payload (MsAccountSettings  *settings,
                              MsSecret           *password);
GBytes *ms_export_qr_matrix  (const char         *payload,
                              guint              *width,
                              GError            **error);
GBytes *ms_export_qr_png     (const char         *payload,
                              guint               module_size,
                              GError            **error);

G_END_DECLS
