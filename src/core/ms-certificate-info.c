/* ms-certificate-info.c: what a server's certificate says, for people and JSON
 *
 * GLib 2.70 reads most fields through the TLS backend; GnuTLS fills what
 * GLib does not offer (common names, whether the certificate signed
 * itself) and stands in when a backend returns nothing for a field. All
 * text comes from the server, so it is made printable before anyone sees it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "ms-certificate-info-private.h"
#include "ms-certificate-info.h"
#include "ms-enum-nick.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

/* Longer names are not names: they are an attack on the display. */
#define MAX_NAME_BYTES 1024

struct _MsCertificateInfo
{
  GObject               parent_instance;

  GTlsCertificate      *certificate;
  GTlsCertificateFlags  errors;
  char                 *host;
  guint16               port;

  char                 *subject;
  char                 *issuer;
  char                 *subject_name;
  char                 *issuer_name;
  GDateTime            *not_before;
  GDateTime            *not_after;
  GStrv                 dns_names;
  GStrv                 ip_addresses;
  char                 *sha256;
  gboolean              self_signed;

  GTlsProtocolVersion   protocol_version;
  char                 *ciphersuite;
};

G_DEFINE_FINAL_TYPE (MsCertificateInfo, ms_certificate_info, G_TYPE_OBJECT)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

/* A certificate's names are whatever its maker wrote: they go through
 * the one sanitizer every surface uses (ms-untrusted-text.h), so the
 * trust dialog cannot be shown invented lines (U+2028), reversed text or
 * escape sequences, and reads the same as a diagnosis. */
static char *
printable_dup (const char *text,
               gssize      length)
{
  return ms_untrusted_text_sanitize_len (text, length, MAX_NAME_BYTES);
}

static GBytes *
certificate_get_der (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&der));
}

static char *
format_fingerprint (const guint8 *digest,
                    gsize         length)
{
  GString *result = g_string_sized_new (length * 3);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (result, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (result, FALSE);
}

/**
 * ms_certificate_dup_sha256:
 * @certificate: a certificate
 *
 * Returns: (transfer full) (nullable): the SHA-256 fingerprint of the DER
 *   form of @certificate, as colon-separated upper-case hex ("AB:01:..."),
 *   the form #MsTrustStore pins
 */
char *
ms_certificate_dup_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_length = sizeof digest;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  der = certificate_get_der (certificate);
  if (der == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_checksum_get_digest (checksum, digest, &digest_length);

  return format_fingerprint (digest, digest_length);
}

/* One attribute (such as the common name) of the subject or issuer. */
static char *
dn_attribute (gnutls_x509_crt_t  crt,
              gboolean           issuer,
              const char        *oid)
{
  g_autofree char *buffer = NULL;
  size_t size = 0;
  int ret;

  ret = issuer
        ? gnutls_x509_crt_get_issuer_dn_by_oid (crt, oid, 0, 0, NULL, &size)
        : gnutls_x509_crt_get_dn_by_oid (crt, oid, 0, 0, NULL, &size);
  if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER || size == 0)
    return NULL;

  buffer = g_malloc0 (size + 1);
  ret = issuer
        ? gnutls_x509_crt_get_issuer_dn_by_oid (crt, oid, 0, 0, buffer, &size)
        : gnutls_x509_crt_get_dn_by_oid (crt, oid, 0, 0, buffer, &size);
  if (ret < 0)
    return NULL;

  return printable_dup (buffer, size);
}

static char *
dn_string (gnutls_x509_crt_t crt,
           gboolean          issuer)
{
  gnutls_datum_t datum = { NULL, 0 };
  char *result;
  int ret;

  ret = issuer ? gnutls_x509_crt_get_issuer_dn3 (crt, &datum, 0)
               : gnutls_x509_crt_get_dn3 (crt, &datum, 0);
  if (ret < 0)
    return NULL;

  result = printable_dup ((const char *) datum.data, datum.size);
  gnutls_free (datum.data);

  return result;
}

/* A certificate signed itself when it names itself as its issuer and its
 * own key verifies its signature. Dates, CA flags and weak algorithms are
 * other questions, answered by the validation flags. */
static gboolean
is_self_signed (gnutls_x509_crt_t crt)
{
  unsigned int status = 0;
  unsigned int flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                       GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                       GNUTLS_VERIFY_DISABLE_CA_SIGN |
                       GNUTLS_VERIFY_ALLOW_BROKEN;

  if (!gnutls_x509_crt_check_issuer (crt, crt))
    return FALSE;

  if (gnutls_x509_crt_verify (crt, &crt, 1, flags, &status) < 0)
    return FALSE;

  return (status & ~GNUTLS_CERT_INSECURE_ALGORITHM) == 0;
}

static void
read_with_gnutls (MsCertificateInfo *self,
                  GBytes            *der)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum;

  if (gnutls_x509_crt_init (&crt) < 0)
    {
      crt = NULL;
      return;
    }

  datum.data = (unsigned char *) g_bytes_get_data (der, NULL);
  datum.size = g_bytes_get_size (der);
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    return;

  self->self_signed = is_self_signed (crt);

  self->subject_name = dn_attribute (crt, FALSE, GNUTLS_OID_X520_COMMON_NAME);
  self->issuer_name = dn_attribute (crt, TRUE, GNUTLS_OID_X520_COMMON_NAME);
  if (self->issuer_name == NULL)
    self->issuer_name = dn_attribute (crt, TRUE, GNUTLS_OID_X520_ORGANIZATION_NAME);

  if (self->subject == NULL)
    self->subject = dn_string (crt, FALSE);
  if (self->issuer == NULL)
    self->issuer = dn_string (crt, TRUE);

  if (self->not_before == NULL)
    {
      time_t t = gnutls_x509_crt_get_activation_time (crt);

      if (t != (time_t) -1)
        self->not_before = g_date_time_new_from_unix_utc (t);
    }

  if (self->not_after == NULL)
    {
      time_t t = gnutls_x509_crt_get_expiration_time (crt);

      if (t != (time_t) -1)
        self->not_after = g_date_time_new_from_unix_utc (t);
    }
}

static void
read_with_glib (MsCertificateInfo *self)
{
  g_autoptr(GPtrArray) dns_names = NULL;
  g_autoptr(GPtrArray) ip_addresses = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;

  subject = g_tls_certificate_get_subject_name (self->certificate);
  issuer = g_tls_certificate_get_issuer_name (self->certificate);
  self->subject = printable_dup (subject, -1);
  self->issuer = printable_dup (issuer, -1);
  self->not_before = g_tls_certificate_get_not_valid_before (self->certificate);
  self->not_after = g_tls_certificate_get_not_valid_after (self->certificate);

  builder = g_strv_builder_new ();
  dns_names = g_tls_certificate_get_dns_names (self->certificate);
  for (guint i = 0; dns_names != NULL && i < dns_names->len; i++)
    {
      GBytes *name = g_ptr_array_index (dns_names, i);
      g_autofree char *text = NULL;

      text = printable_dup (g_bytes_get_data (name, NULL), g_bytes_get_size (name));
      if (text != NULL && *text != '\0')
        g_strv_builder_add (builder, text);
    }
  self->dns_names = g_strv_builder_end (builder);

  g_clear_pointer (&builder, g_strv_builder_unref);
  builder = g_strv_builder_new ();
  ip_addresses = g_tls_certificate_get_ip_addresses (self->certificate);
  for (guint i = 0; ip_addresses != NULL && i < ip_addresses->len; i++)
    {
      g_autofree char *text = g_inet_address_to_string (g_ptr_array_index (ip_addresses, i));

      g_strv_builder_add (builder, text);
    }
  self->ip_addresses = g_strv_builder_end (builder);
}

/**
 * ms_certificate_info_new:
 * @certificate: the server's certificate (the head of the chain it sent)
 * @errors: what validating it found
 * @host: the name the client connected to (the identity checked)
 * @port: the port it connected to
 *
 * Returns: (transfer full): a description of @certificate
 */
MsCertificateInfo *
ms_certificate_info_new (GTlsCertificate      *certificate,
                         GTlsCertificateFlags  errors,
                         const char           *host,
                         guint16               port)
{
  MsCertificateInfo *self;
  g_autoptr(GBytes) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (MS_TYPE_CERTIFICATE_INFO, NULL);
  self->certificate = g_object_ref (certificate);
  self->errors = errors & G_TLS_CERTIFICATE_VALIDATE_ALL;
  self->host = g_strdup (host);
  self->port = port;

  read_with_glib (self);

  der = certificate_get_der (certificate);
  if (der != NULL)
    {
      read_with_gnutls (self, der);
      self->sha256 = ms_certificate_dup_sha256 (certificate);
    }

  if (self->subject_name == NULL && self->dns_names[0] != NULL)
    self->subject_name = g_strdup (self->dns_names[0]);
  if (self->subject_name == NULL)
    self->subject_name = g_strdup (self->subject);
  if (self->issuer_name == NULL)
    self->issuer_name = g_strdup (self->issuer);

  return self;
}

/**
 * ms_certificate_info_new_from_connection:
 * @connection: a TLS connection after its handshake
 * @host: the name the client connected to
 * @port: the port it connected to
 *
 * Describes the peer's certificate, its errors, and the protocol version
 * and cipher suite the session uses.
 *
 * Returns: (transfer full) (nullable): a description, or %NULL if the
 *   peer sent no certificate
 */
MsCertificateInfo *
ms_certificate_info_new_from_connection (GTlsConnection *connection,
                                         const char     *host,
                                         guint16         port)
{
  MsCertificateInfo *self;
  GTlsCertificate *certificate;

  g_return_val_if_fail (G_IS_TLS_CONNECTION (connection), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  certificate = g_tls_connection_get_peer_certificate (connection);
  if (certificate == NULL)
    return NULL;

  self = ms_certificate_info_new (certificate,
                                  g_tls_connection_get_peer_certificate_errors (connection),
                                  host, port);
  self->protocol_version = g_tls_connection_get_protocol_version (connection);
  self->ciphersuite = g_tls_connection_get_ciphersuite_name (connection);

  return self;
}

static void
ms_certificate_info_dispose (GObject *object)
{
  MsCertificateInfo *self = MS_CERTIFICATE_INFO (object);

  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (ms_certificate_info_parent_class)->dispose (object);
}

static void
ms_certificate_info_finalize (GObject *object)
{
  MsCertificateInfo *self = MS_CERTIFICATE_INFO (object);

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->subject_name, g_free);
  g_clear_pointer (&self->issuer_name, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->dns_names, g_strfreev);
  g_clear_pointer (&self->ip_addresses, g_strfreev);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->ciphersuite, g_free);

  G_OBJECT_CLASS (ms_certificate_info_parent_class)->finalize (object);
}

static void
ms_certificate_info_class_init (MsCertificateInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_certificate_info_dispose;
  object_class->finalize = ms_certificate_info_finalize;
}

static void
ms_certificate_info_init (MsCertificateInfo *self)
{
  self->protocol_version = G_TLS_PROTOCOL_VERSION_UNKNOWN;
}

GTlsCertificate *
ms_certificate_info_get_certificate (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->certificate;
}

const char *
ms_certificate_info_get_host (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->host;
}

guint16
ms_certificate_info_get_port (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), 0);

  return self->port;
}

/**
 * ms_certificate_info_get_subject:
 *
 * Returns: (nullable): the subject's distinguished name ("CN=...,O=...")
 */
const char *
ms_certificate_info_get_subject (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->subject;
}

/**
 * ms_certificate_info_get_issuer:
 *
 * Returns: (nullable): the issuer's distinguished name
 */
const char *
ms_certificate_info_get_issuer (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->issuer;
}

/**
 * ms_certificate_info_get_subject_name:
 *
 * Returns: (nullable): a short name for the subject: its common name, else
 *   its first DNS name, else the whole DN
 */
const char *
ms_certificate_info_get_subject_name (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->subject_name;
}

/**
 * ms_certificate_info_get_issuer_name:
 *
 * Returns: (nullable): a short name for the issuer: its common name, else
 *   its organisation, else the whole DN
 */
const char *
ms_certificate_info_get_issuer_name (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->issuer_name;
}

/**
 * ms_certificate_info_get_not_before:
 *
 * Returns: (nullable) (transfer none): when the certificate becomes valid
 */
GDateTime *
ms_certificate_info_get_not_before (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->not_before;
}

/**
 * ms_certificate_info_get_not_after:
 *
 * Returns: (nullable) (transfer none): when the certificate expires
 */
GDateTime *
ms_certificate_info_get_not_after (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->not_after;
}

/**
 * ms_certificate_info_get_dns_names:
 *
 * Returns: (transfer none): the DNS names of the subject alternative name
 *   extension, possibly empty
 */
const char * const *
ms_certificate_info_get_dns_names (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return (const char * const *) self->dns_names;
}

/**
 * ms_certificate_info_get_ip_addresses:
 *
 * Returns: (transfer none): the IP addresses of the subject alternative
 *   name extension, as text, possibly empty
 */
const char * const *
ms_certificate_info_get_ip_addresses (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return (const char * const *) self->ip_addresses;
}

/**
 * ms_certificate_info_get_sha256:
 *
 * Returns: (nullable): the SHA-256 fingerprint, colon-separated upper-case
 *   hex
 */
const char *
ms_certificate_info_get_sha256 (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->sha256;
}

GTlsCertificateFlags
ms_certificate_info_get_errors (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), G_TLS_CERTIFICATE_GENERIC_ERROR);

  return self->errors;
}

gboolean
ms_certificate_info_get_self_signed (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), FALSE);

  return self->self_signed;
}

GTlsProtocolVersion
ms_certificate_info_get_protocol_version (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), G_TLS_PROTOCOL_VERSION_UNKNOWN);

  return self->protocol_version;
}

/**
 * ms_certificate_info_get_ciphersuite:
 *
 * Returns: (nullable): the cipher suite's name, as the TLS backend gives it
 */
const char *
ms_certificate_info_get_ciphersuite (MsCertificateInfo *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  return self->ciphersuite;
}

/**
 * ms_certificate_info_set_session:
 * @version: the TLS version the session uses
 * @ciphersuite: (nullable): the cipher suite's name
 *
 * Records the session details when the info was not made from the
 * connection itself.
 */
void
ms_certificate_info_set_session (MsCertificateInfo   *self,
                                 GTlsProtocolVersion  version,
                                 const char          *ciphersuite)
{
  g_return_if_fail (MS_IS_CERTIFICATE_INFO (self));

  self->protocol_version = version;
  g_free (self->ciphersuite);
  self->ciphersuite = g_strdup (ciphersuite);
}

/**
 * ms_tls_protocol_version_to_string:
 *
 * Returns: (nullable): "TLS 1.2", "TLS 1.3" and so on, or %NULL when the
 *   version is unknown
 */
const char *
ms_tls_protocol_version_to_string (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
      return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
      return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * ms_certificate_flags_to_strv:
 * @flags: validation errors
 *
 * Returns: (transfer full): the stable names of the errors in @flags
 *   ("unknown-ca", "bad-identity", "not-activated", "expired", "revoked",
 *   "insecure", "generic-error"), in that order
 */
char **
ms_certificate_flags_to_strv (GTlsCertificateFlags flags)
{
  /* GIO's own nicks; "validate-all" and "no-flags" are not single errors
   * and never come out. */
  return ms_flags_nick_strv (G_TYPE_TLS_CERTIFICATE_FLAGS, flags);
}

static char *
format_date (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date_time);

  /* Translators: a date as in "valid until 3 March 2027"; see
   * g_date_time_format() for the codes.
   * xgettext:no-c-format */
  return g_date_time_format (local, _("%-d %B %Y"));
}

/**
 * ms_certificate_info_dup_summary:
 *
 * Returns: (transfer full): one plain-language line for the UI, such as
 *   "Issued to mail.example.com by Example CA, valid until 3 March 2027"
 */
char *
ms_certificate_info_dup_summary (MsCertificateInfo *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *validity = NULL;
  const char *subject_name;

  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  subject_name = self->subject_name != NULL ? self->subject_name : self->host;

  if (self->self_signed || self->issuer_name == NULL)
    /* Translators: %s is a server name such as mail.example.com. */
    issued = g_strdup_printf (_("Issued to %s by itself"), subject_name);
  else
    /* Translators: the first %s is a server name, the second the name of
     * the authority that issued the certificate. */
    issued = g_strdup_printf (_("Issued to %s by %s"), subject_name, self->issuer_name);

  now = g_date_time_new_now_utc ();
  if (self->not_after != NULL && g_date_time_compare (now, self->not_after) > 0)
    {
      g_autofree char *date = format_date (self->not_after);

      /* Translators: %s is a date. */
      validity = g_strdup_printf (_("expired on %s"), date);
    }
  else if (self->not_before != NULL && g_date_time_compare (now, self->not_before) < 0)
    {
      g_autofree char *date = format_date (self->not_before);

      /* Translators: %s is a date in the future. */
      validity = g_strdup_printf (_("valid from %s"), date);
    }
  else if (self->not_after != NULL)
    {
      g_autofree char *date = format_date (self->not_after);

      /* Translators: %s is a date. */
      validity = g_strdup_printf (_("valid until %s"), date);
    }

  if (validity == NULL)
    return g_steal_pointer (&issued);

  /* Translators: joins "Issued to X by Y" and "valid until DATE". */
  return g_strdup_printf (_("%s, %s"), issued, validity);
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          GDateTime   *date_time)
{
  json_builder_set_member_name (builder, name);
  if (date_time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (date_time);

      json_builder_add_string_value (builder, text);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
}

/**
 * ms_certificate_info_to_json:
 *
 * Returns: (transfer full): an object with "host", "port", "subject",
 *   "issuer", "not_before" and "not_after" (ISO 8601), "subject_alt_names"
 *   (DNS names, then IP addresses), "sha256", "errors" (the names of
 *   ms_certificate_flags_to_strv()), "self_signed", "tls_version" ("TLS
 *   1.3" or null) and "ciphersuite" (or null)
 */
JsonNode *
ms_certificate_info_to_json (MsCertificateInfo *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_auto(GStrv) errors = NULL;

  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  ms_json_add_string_or_null (builder, "host", self->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  ms_json_add_string_or_null (builder, "subject", self->subject);
  ms_json_add_string_or_null (builder, "issuer", self->issuer);
  add_date (builder, "not_before", self->not_before);
  add_date (builder, "not_after", self->not_after);

  json_builder_set_member_name (builder, "subject_alt_names");
  json_builder_begin_array (builder);
  for (guint i = 0; self->dns_names[i] != NULL; i++)
    json_builder_add_string_value (builder, self->dns_names[i]);
  for (guint i = 0; self->ip_addresses[i] != NULL; i++)
    json_builder_add_string_value (builder, self->ip_addresses[i]);
  json_builder_end_array (builder);

  ms_json_add_string_or_null (builder, "sha256", self->sha256);

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  errors = ms_certificate_flags_to_strv (self->errors);
  for (guint i = 0; errors[i] != NULL; i++)
    json_builder_add_string_value (builder, errors[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "self_signed");
  json_builder_add_boolean_value (builder, self->self_signed);
  ms_json_add_string_or_null (builder, "tls_version",
                       ms_tls_protocol_version_to_string (self->protocol_version));
  ms_json_add_string_or_null (builder, "ciphersuite", self->ciphersuite);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
