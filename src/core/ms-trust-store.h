/* ms-trust-store.h: certificates the person chose to trust, one host and port each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-certificate-info.h"

G_BEGIN_DECLS

#define MS_TRUST_STORE_ERROR (ms_trust_store_error_quark ())

/**
 * MsTrustStoreError:
 * @MS_TRUST_STORE_ERROR_CORRUPT: the file is not a valid key file; the
 *   store is empty, and the next change moves the file aside to
 *   "<path>.corrupt" before writing a new one
 * @MS_TRUST_STORE_ERROR_INVALID: a host, port or fingerprint that cannot
 *   be pinned (empty, a wildcard, port 0, not a SHA-256 fingerprint), or
 *   a certificate described for another host or port
 * @MS_TRUST_STORE_ERROR_REFUSED: the certificate is revoked or uses an
 *   insecure algorithm: trusting it would protect nothing
 * @MS_TRUST_STORE_ERROR_INSECURE: the file, or its folder, can be changed
 *   by someone other than its owner (or is not the person's own): the
 *   store is empty, and it is not changed until that is fixed
 */
typedef enum
{
  MS_TRUST_STORE_ERROR_CORRUPT,
  MS_TRUST_STORE_ERROR_INVALID,
  MS_TRUST_STORE_ERROR_REFUSED,
  MS_TRUST_STORE_ERROR_INSECURE,
} MsTrustStoreError;

#define MS_TYPE_TRUSTED_CERTIFICATE (ms_trusted_certificate_get_type ())

typedef struct _MsTrustedCertificate MsTrustedCertificate;

/**
 * MsTrustedCertificate:
 * @host: the server's host name, lower-case (an IPv6 address without
 *   brackets)
 * @port: the server's port
 * @sha256: the pinned fingerprint, colon-separated upper-case hex
 * @subject: (nullable): the certificate's subject, for people
 * @trusted_on: (nullable): when the person chose to trust it
 */
struct _MsTrustedCertificate
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  char            *host;
  guint16          port;
  char            *sha256;
  char            *subject;
  GDateTime       *trusted_on;
};

GType                 ms_trusted_certificate_get_type (void) G_GNUC_CONST;
MsTrustedCertificate *ms_trusted_certificate_ref      (MsTrustedCertificate *self);
void                  ms_trusted_certificate_unref    (MsTrustedCertificate *self);

#define MS_TYPE_TRUST_STORE (ms_trust_store_get_type ())

G_DECLARE_FINAL_TYPE (MsTrustStore, ms_trust_store, MS, TRUST_STORE, GObject)

GQuark        ms_trust_store_error_quark            (void);
MsTrustStore *ms_trust_store_new                    (const char         *path);
const char   *ms_trust_store_get_path               (MsTrustStore       *self);
gboolean      ms_trust_store_load                   (MsTrustStore       *self,
                                                     GError            **error);
gboolean      ms_trust_store_is_trusted             (MsTrustStore       *self,
                                                     const char         *host,
                                                     guint16             port,
                                                     const char         *fingerprint);
const char   *ms_trust_store_get_pinned_fingerprint (MsTrustStore       *self,
                                                     const char         *host,
                                                     guint16             port);
gboolean      ms_trust_store_trust                  (MsTrustStore       *self,
                                                     const char         *host,
                                                     guint16             port,
                                                     MsCertificateInfo  *info,
                                                     GError            **error);
gboolean      ms_trust_store_forget                 (MsTrustStore       *self,
                                                     const char         *host,
                                                     guint16             port,
                                                     GError            **error);
GPtrArray    *ms_trust_store_list                   (MsTrustStore       *self);

char         *ms_fingerprint_normalize              (const char         *fingerprint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsTrustedCertificate, ms_trusted_certificate_unref)

G_END_DECLS
