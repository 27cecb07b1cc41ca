/* ms-certificate-info.h: what a server's certificate says, for people and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MS_TYPE_CERTIFICATE_INFO (ms_certificate_info_get_type ())

G_DECLARE_FINAL_TYPE (MsCertificateInfo, ms_certificate_info, MS, CERTIFICATE_INFO, GObject)

MsCertificateInfo    *ms_certificate_info_new                 (GTlsCertificate      *certificate,
                                                               GTlsCertificateFlags  errors,
                                                               const char           *host,
                                                               guint16               port);
MsCertificateInfo    *ms_certificate_info_new_from_connection (GTlsConnection       *connection,
                                                               const char           *host,
                                                               guint16               port);
GTlsCertificate      *ms_certificate_info_get_certificate     (MsCertificateInfo    *self);
const char           *ms_certificate_info_get_host            (MsCertificateInfo    *self);
guint16               ms_certificate_info_get_port            (MsCertificateInfo    *self);
const char           *ms_certificate_info_get_subject         (MsCertificateInfo    *self);
const char           *ms_certificate_info_get_issuer          (MsCertificateInfo    *self);
const char           *ms_certificate_info_get_subject_name    (MsCertificateInfo    *self);
const char           *ms_certificate_info_get_issuer_name     (MsCertificateInfo    *self);
GDateTime            *ms_certificate_info_get_not_before      (MsCertificateInfo    *self);
GDateTime            *ms_certificate_info_get_not_after       (MsCertificateInfo    *self);
const char * const   *ms_certificate_info_get_dns_names       (MsCertificateInfo    *self);
const char * const   *ms_certificate_info_get_ip_addresses    (MsCertificateInfo    *self);
const char           *ms_certificate_info_get_sha256          (MsCertificateInfo    *self);
GTlsCertificateFlags  ms_certificate_info_get_errors          (MsCertificateInfo    *self);
gboolean              ms_certificate_info_get_self_signed     (MsCertificateInfo    *self);
GTlsProtocolVersion   ms_certificate_info_get_protocol_version (MsCertificateInfo   *self);
const char           *ms_certificate_info_get_ciphersuite     (MsCertificateInfo    *self);
char                 *ms_certificate_info_dup_summary         (MsCertificateInfo    *self);
JsonNode             *ms_certificate_info_to_json             (MsCertificateInfo    *self);

char                 *ms_certificate_dup_sha256               (GTlsCertificate      *certificate);
char                **ms_certificate_flags_to_strv            (GTlsCertificateFlags  flags);
const char           *ms_tls_protocol_version_to_string       (GTlsProtocolVersion   version);

G_END_DECLS
