/* ms-tls-database.h: the system's trusted CAs plus an optional extra CA file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MS_TYPE_TLS_DATABASE (ms_tls_database_get_type ())

G_DECLARE_FINAL_TYPE (MsTlsDatabase, ms_tls_database, MS, TLS_DATABASE, GTlsDatabase)

GTlsDatabase *ms_tls_database_new       (const char    *extra_ca_file,
                                         GError       **error);
GTlsDatabase *ms_tls_database_get_system (MsTlsDatabase *self);
GTlsDatabase *ms_tls_database_get_extra  (MsTlsDatabase *self);
GTlsCertificateFlags ms_tls_database_reverify (MsTlsDatabase        *self,
                                               GTlsCertificate      *chain,
                                               GSocketConnectable   *identity,
                                               GTlsCertificateFlags  system_errors);

G_END_DECLS
