/* ms-export-security.c: the words each exported format uses for MsSecurity
 *
 * One table instead of a helper per exporter, so that the formats can be
 * compared at a glance and a new MsSecurity value is a compile-time gap in
 * one place, not a silent "none" in twelve.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-export-security.h"

/* Columns in MsSecurity order: none, STARTTLS, implicit TLS. */
static const char * const words[][3] = {
  [MS_EXPORT_SECURITY_THUNDERBIRD] = { "0", "2", "3" },
  [MS_EXPORT_SECURITY_QR] = { "0", "2", "3" },
  [MS_EXPORT_SECURITY_EVOLUTION] = { "none", "starttls-on-standard-port", "ssl-on-alternate-port" },
  [MS_EXPORT_SECURITY_GEARY] = { "none", "start-tls", "transport" },
  [MS_EXPORT_SECURITY_GOA_USE_SSL] = { "false", "false", "true" },
  [MS_EXPORT_SECURITY_GOA_USE_TLS] = { "false", "true", "false" },
  /* Apple's UseSSL means TLS, implicit or STARTTLS: the device finds out
   * which from the port. */
  [MS_EXPORT_SECURITY_MOBILECONFIG] = { "false", "true", "true" },
  [MS_EXPORT_SECURITY_AUTODISCOVER_SSL] = { "off", "on", "on" },
  [MS_EXPORT_SECURITY_AUTODISCOVER_ENCRYPTION] = { "None", "TLS", "SSL" },
  [MS_EXPORT_SECURITY_MBSYNC] = { "None", "STARTTLS", "IMAPS" },
  [MS_EXPORT_SECURITY_MSMTP] = { "tls off\n", "tls on\ntls_starttls on\n", "tls on\ntls_starttls off\n" },
  /* NeoMutt does STARTTLS on the plain scheme (ssl_starttls). */
  [MS_EXPORT_SECURITY_NEOMUTT] = { "", "", "s" },
  [MS_EXPORT_SECURITY_AERC] = { "+insecure", "", "s" },
  [MS_EXPORT_SECURITY_PDF] = { N_("None (not encrypted)"), N_("STARTTLS"), N_("SSL/TLS (encrypted from the start)") },
};

G_STATIC_ASSERT (MS_SECURITY_NONE == 0 && MS_SECURITY_STARTTLS == 1 && MS_SECURITY_TLS == 2);

/* An unknown value gets the "none" word, as every exporter did before. */
const char *
ms_export_security_word (MsExportSecurityFormat format,
                         MsSecurity             security)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (words), "");

  if ((guint) security > MS_SECURITY_TLS)
    security = MS_SECURITY_NONE;

  return words[format][security];
}

int
ms_export_security_number (MsExportSecurityFormat format,
                           MsSecurity             security)
{
  return (int) g_ascii_strtoll (ms_export_security_word (format, security), NULL, 10);
}

gboolean
ms_export_security_flag (MsExportSecurityFormat format,
                         MsSecurity             security)
{
  const char *word = ms_export_security_word (format, security);

  return g_str_equal (word, "true") || g_str_equal (word, "on");
}
