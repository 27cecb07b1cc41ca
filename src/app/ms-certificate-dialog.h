/* ms-certificate-dialog.h: a server's certificate, and the choice to trust it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-certificate-info.h"

G_BEGIN_DECLS

/* The response that pins the certificate; every other one does not. */
#define MS_CERTIFICATE_DIALOG_RESPONSE_TRUST "trust"

#define MS_TYPE_CERTIFICATE_DIALOG (ms_certificate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MsCertificateDialog, ms_certificate_dialog, MS, CERTIFICATE_DIALOG, AdwMessageDialog)

GtkWidget         *ms_certificate_dialog_new      (GtkWindow           *parent,
                                                   MsCertificateInfo   *info);
MsCertificateInfo *ms_certificate_dialog_get_info (MsCertificateDialog *self);

G_END_DECLS
