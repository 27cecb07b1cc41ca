/* ms-export-security.h: the words each exported format uses for MsSecurity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

/* One row of the table per place a format names the connection security. */
typedef enum
{
  MS_EXPORT_SECURITY_THUNDERBIRD,              /* socketType, try_ssl */
  MS_EXPORT_SECURITY_QR,                       /* Thunderbird for Android's QR "security" */
  MS_EXPORT_SECURITY_EVOLUTION,                /* [Security] Method */
  MS_EXPORT_SECURITY_GEARY,                    /* transport_security */
  MS_EXPORT_SECURITY_GOA_USE_SSL,              /* ImapUseSsl, SmtpUseSsl: implicit TLS */
  MS_EXPORT_SECURITY_GOA_USE_TLS,              /* ImapUseTls, SmtpUseTls: STARTTLS */
  MS_EXPORT_SECURITY_MOBILECONFIG,             /* MailServerUseSSL */
  MS_EXPORT_SECURITY_AUTODISCOVER_SSL,         /* <SSL> */
  MS_EXPORT_SECURITY_AUTODISCOVER_ENCRYPTION,  /* <Encryption> */
  MS_EXPORT_SECURITY_MBSYNC,                   /* SSLType */
  MS_EXPORT_SECURITY_MSMTP,                    /* the tls lines of an account */
  MS_EXPORT_SECURITY_NEOMUTT,                  /* after the URL scheme: imaps, smtps */
  MS_EXPORT_SECURITY_AERC,                     /* after the URL scheme: imaps, smtp+insecure */
  MS_EXPORT_SECURITY_PDF,                      /* the sheet's text, N_() */
} MsExportSecurityFormat;

const char *ms_export_security_word   (MsExportSecurityFormat format,
                                       MsSecurity             security);
int         ms_export_security_number (MsExportSecurityFormat format,
                                       MsSecurity             security);
gboolean    ms_export_security_flag   (MsExportSecurityFormat format,
                                       MsSecurity             security);

G_END_DECLS
