/* test-certificate-info.c: certificate details from real certificates and a real handshake
 *
 * The certificates are the fixtures in tests/data/certs/ (made by
 * make-certs.sh with certtool); validation uses the real GnuTLS backend
 * through MsTlsDatabase, and the session test runs a real TLS handshake
 * between two GIO connections over a socket pair.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <sys/socket.h>

#include "ms-certificate-info-private.h"
#include "ms-certificate-info.h"
#include "ms-diagnosis.h"
#include "ms-tls-database.h"
#include "ms-untrusted-text.h"

/* certtool --fingerprint --hash=sha256 --infile NAME.pem, as
 * make-certs.sh printed them when the fixtures were made. */
#define SHA256_CA          "1038e1d812d5b7a9a955239926cb09e69277d5aec678c5a0aa8d94e78bf2442f"
#define SHA256_GOOD        "8d1238738438281abc0ddbda501898cda79340593c98caaf591994c1df858fba"
#define SHA256_EXPIRED     "af6feead894030b32bb330b42df1ceb434f4029cdf47604882b8190b653bc9ec"
#define SHA256_FUTURE      "97e5bc9354bfcaefa2f2dcc80af0348a3bf018b51bdcb5b618d73b3ec8a7ef09"
#define SHA256_UNKNOWN_CA  "10740db3cba47085db808a2808934fa533b0188ff9ba4da76a4d9d72754be7d1"
#define SHA256_SELF_SIGNED "1c390a5e491802c820448eff3a0ed10f7be88a40a50a4a0a2efd1e6e52fc7fea"

static char *
cert_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".pem", NULL);

  return g_test_build_filename (G_TEST_DIST, "data", "certs", file, NULL);
}

static GTlsCertificate *
load_certificate (const char *name)
{
  g_autofree char *path = cert_path (name);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  certificate = g_tls_certificate_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (certificate);

  return certificate;
}

static GTlsDatabase *
load_database (void)
{
  g_autofree char *ca = cert_path ("ca");
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database;

  database = ms_tls_database_new (ca, &error);
  g_assert_no_error (error);
  g_assert_nonnull (database);

  return database;
}

/* "AB:CD:..." -> "abcd..." as certtool prints it */
static char *
certtool_form (const char *fingerprint)
{
  g_autoptr(GString) result = g_string_new (NULL);

  g_assert_nonnull (fingerprint);
  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p != ':')
        g_string_append_c (result, g_ascii_tolower (*p));
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

static void
assert_iso8601 (GDateTime  *date_time,
                const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (date_time);
  text = g_date_time_format_iso8601 (date_time);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_good (void)
{
  g_autoptr(GTlsCertificate) certificate = load_certificate ("good");
  g_autoptr(MsCertificateInfo) info = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *summary = NULL;
  const char * const *dns_names;
  const char * const *ip_addresses;

  info = ms_certificate_info_new (certificate, 0, "mail.example.test", 993);

  g_assert_true (ms_certificate_info_get_certificate (info) == certificate);
  g_assert_cmpstr (ms_certificate_info_get_host (info), ==, "mail.example.test");
  g_assert_cmpuint (ms_certificate_info_get_port (info), ==, 993);
  g_assert_cmpstr (ms_certificate_info_get_subject (info), ==, "O=Example Mail,CN=mail.example.test");
  g_assert_cmpstr (ms_certificate_info_get_issuer (info), ==, "O=Mail Setup Tests,CN=Mail Setup Test CA");
  g_assert_cmpstr (ms_certificate_info_get_subject_name (info), ==, "mail.example.test");
  g_assert_cmpstr (ms_certificate_info_get_issuer_name (info), ==, "Mail Setup Test CA");
  assert_iso8601 (ms_certificate_info_get_not_before (info), "2024-01-01T00:00:00Z");
  assert_iso8601 (ms_certificate_info_get_not_after (info), "2099-12-31T23:59:59Z");

  dns_names = ms_certificate_info_get_dns_names (info);
  g_assert_cmpuint (g_strv_length ((char **) dns_names), ==, 2);
  g_assert_cmpstr (dns_names[0], ==, "mail.example.test");
  g_assert_cmpstr (dns_names[1], ==, "imap.example.test");

  ip_addresses = ms_certificate_info_get_ip_addresses (info);
  g_assert_cmpuint (g_strv_length ((char **) ip_addresses), ==, 2);
  g_assert_cmpstr (ip_addresses[0], ==, "192.0.2.10");
  g_assert_cmpstr (ip_addresses[1], ==, "2001:db8::10");

  g_assert_true (g_regex_match_simple ("^([0-9A-F]{2}:){31}[0-9A-F]{2}$",
                                       ms_certificate_info_get_sha256 (info), 0, 0));
  sha256 = certtool_form (ms_certificate_info_get_sha256 (info));
  g_assert_cmpstr (sha256, ==, SHA256_GOOD);

  g_assert_false (ms_certificate_info_get_self_signed (info));
  g_assert_cmpuint (ms_certificate_info_get_errors (info), ==, 0);
  g_assert_cmpint (ms_certificate_info_get_protocol_version (info), ==, G_TLS_PROTOCOL_VERSION_UNKNOWN);
  g_assert_null (ms_certificate_info_get_ciphersuite (info));

  summary = ms_certificate_info_dup_summary (info);
  g_assert_cmpstr (summary, ==, "Issued to mail.example.test by Mail Setup Test CA, valid until 31 December 2099");

  g_assert_finalize_object (g_steal_pointer (&info));
}

/* A certificate whose names hold what an attacker would put there:
 * made here with GnuTLS, because certtool's templates cannot carry
 * control characters. */
static gnutls_x509_crt_t
make_crt (gnutls_x509_privkey_t  key,
          const char            *cn,
          const char            *dns_name)
{
  gnutls_x509_crt_t crt;
  guint8 serial = 7;
  time_t now = time (NULL);

  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_version (crt, 3), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_serial (crt, &serial, 1), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_activation_time (crt, now - 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_expiration_time (crt, now + 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                  cn, strlen (cn)), ==, 0);
  if (dns_name != NULL)
    g_assert_cmpint (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, dns_name,
                                                           strlen (dns_name), GNUTLS_FSAN_SET), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key (crt, key), ==, 0);

  return crt;
}

/* A certificate whose names hold what an attacker would put there:
 * made here with GnuTLS, because certtool's templates cannot carry
 * control characters. */
static GTlsCertificate *
make_hostile_certificate (const char *subject_cn,
                          const char *issuer_cn,
                          const char *dns_name)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t ca;
  gnutls_x509_crt_t crt;
  gnutls_datum_t pem = { NULL, 0 };
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), ==, 0);
  ca = make_crt (key, issuer_cn, NULL);
  g_assert_cmpint (gnutls_x509_crt_sign2 (ca, ca, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  crt = make_crt (key, subject_cn, dns_name);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, ca, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem), ==, 0);

  certificate = g_tls_certificate_new_from_pem ((const char *) pem.data, pem.size, &error);
  g_assert_no_error (error);

  gnutls_free (pem.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_crt_deinit (ca);
  gnutls_x509_privkey_deinit (key);

  return certificate;
}

static void
assert_plain_line (const char *text)
{
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)));
}

/* Issue 9, finding 12: line and paragraph separators, bidi marks and
 * escape sequences in a subject or issuer invented lines in the trust
 * dialog; the certificate's cleaner must be the diagnoses' one. */
static void
test_hostile_names (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(MsCertificateInfo) info = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *json_text = NULL;
  const char *subject_cn = "mail.example.test\xe2\x80\xa8Trusted: yes\xe2\x80\xa9\xe2\x80\x8fok";
  const char *issuer_cn = "\xe2\x80\xae" "AC tseT\x1b]0:t\x07 \xe2\x81\xa6" "CA\xe2\x80\x8e";
  const char * const *dns_names;

  certificate = make_hostile_certificate (subject_cn, issuer_cn, "mail.example.test");
  info = ms_certificate_info_new (certificate, 0, "mail.example.test", 993);

  assert_plain_line (ms_certificate_info_get_subject (info));
  assert_plain_line (ms_certificate_info_get_issuer (info));
  assert_plain_line (ms_certificate_info_get_subject_name (info));
  assert_plain_line (ms_certificate_info_get_issuer_name (info));
  g_assert_cmpstr (ms_certificate_info_get_subject_name (info), ==, "mail.example.test Trusted: yes ok");

  /* The same text a diagnosis detail would show. */
  expected = ms_diagnosis_sanitize_detail (issuer_cn);
  g_assert_cmpstr (ms_certificate_info_get_issuer_name (info), ==, expected);

  summary = ms_certificate_info_dup_summary (info);
  assert_plain_line (summary);

  dns_names = ms_certificate_info_get_dns_names (info);
  g_assert_cmpstr (dns_names[0], ==, "mail.example.test");

  json = ms_certificate_info_to_json (info);
  json_generator_set_root (generator, json);
  json_text = json_generator_to_data (generator, NULL);
  g_assert_null (strstr (json_text, "\xe2\x80\xa8"));
  g_assert_null (strstr (json_text, "\xe2\x80\xae"));
  g_assert_null (strstr (json_text, "\\u001b"));

  g_assert_finalize_object (g_steal_pointer (&info));
}

static void
test_fingerprints (void)
{
  static const struct { const char *name; const char *sha256; } cases[] = {
    { "ca", SHA256_CA },
    { "good", SHA256_GOOD },
    { "expired", SHA256_EXPIRED },
    { "not-yet-valid", SHA256_FUTURE },
    { "unknown-ca", SHA256_UNKNOWN_CA },
    { "unknown-ca-chain", SHA256_UNKNOWN_CA },  /* the head of the chain */
    { "self-signed", SHA256_SELF_SIGNED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTlsCertificate) certificate = load_certificate (cases[i].name);
      g_autofree char *fingerprint = ms_certificate_dup_sha256 (certificate);
      g_autofree char *plain = certtool_form (fingerprint);

      g_assert_cmpstr (plain, ==, cases[i].sha256);
    }
}

static void
test_self_signed (void)
{
  static const struct { const char *name; gboolean self_signed; } cases[] = {
    { "self-signed", TRUE },
    { "ca", TRUE },
    { "good", FALSE },
    { "expired", FALSE },
    { "unknown-ca-chain", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTlsCertificate) certificate = load_certificate (cases[i].name);
      g_autoptr(MsCertificateInfo) info = NULL;

      info = ms_certificate_info_new (certificate, 0, "self.example.test", 993);
      g_assert_cmpint (ms_certificate_info_get_self_signed (info), ==, cases[i].self_signed);
    }
}

static void
test_summaries (void)
{
  static const struct { const char *name; const char *summary; } cases[] = {
    { "self-signed", "Issued to self.example.test by itself, valid until 31 December 2099" },
    { "expired", "Issued to expired.example.test by Mail Setup Test CA, expired on 1 January 2021" },
    { "not-yet-valid", "Issued to future.example.test by Mail Setup Test CA, valid from 1 January 2090" },
    { "unknown-ca", "Issued to unknown.example.test by Unknown Test CA, valid until 31 December 2099" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTlsCertificate) certificate = load_certificate (cases[i].name);
      g_autoptr(MsCertificateInfo) info = NULL;
      g_autofree char *summary = NULL;

      info = ms_certificate_info_new (certificate, 0, "example.test", 993);
      summary = ms_certificate_info_dup_summary (info);
      g_assert_cmpstr (summary, ==, cases[i].summary);
    }
}

static void
test_flag_strings (void)
{
  g_auto(GStrv) none = ms_certificate_flags_to_strv (0);
  g_auto(GStrv) all = ms_certificate_flags_to_strv (G_TLS_CERTIFICATE_VALIDATE_ALL);
  g_auto(GStrv) two = ms_certificate_flags_to_strv (G_TLS_CERTIFICATE_EXPIRED |
                                                    G_TLS_CERTIFICATE_UNKNOWN_CA);
  const char * const expected_all[] = {
    "unknown-ca", "bad-identity", "not-activated", "expired", "revoked",
    "insecure", "generic-error", NULL
  };
  const char * const expected_two[] = { "unknown-ca", "expired", NULL };

  g_assert_cmpstrv (none, (const char * const[]) { NULL });
  g_assert_cmpstrv (all, expected_all);
  g_assert_cmpstrv (two, expected_two);
}

static void
test_protocol_versions (void)
{
  g_assert_cmpstr (ms_tls_protocol_version_to_string (G_TLS_PROTOCOL_VERSION_TLS_1_2), ==, "TLS 1.2");
  g_assert_cmpstr (ms_tls_protocol_version_to_string (G_TLS_PROTOCOL_VERSION_TLS_1_3), ==, "TLS 1.3");
  g_assert_cmpstr (ms_tls_protocol_version_to_string (G_TLS_PROTOCOL_VERSION_TLS_1_0), ==, "TLS 1.0");
  g_assert_cmpstr (ms_tls_protocol_version_to_string (G_TLS_PROTOCOL_VERSION_TLS_1_1), ==, "TLS 1.1");
  g_assert_cmpstr (ms_tls_protocol_version_to_string (G_TLS_PROTOCOL_VERSION_SSL_3_0), ==, "SSL 3.0");
  g_assert_null (ms_tls_protocol_version_to_string (G_TLS_PROTOCOL_VERSION_UNKNOWN));
  g_assert_null (ms_tls_protocol_version_to_string ((GTlsProtocolVersion) 4242));
}

static GTlsCertificateFlags
verify (GTlsDatabase       *database,
        GTlsCertificate    *certificate,
        GSocketConnectable *identity)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  flags = g_tls_database_verify_chain (database, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                       NULL, &error);
  g_assert_no_error (error);

  return flags;
}

static void
test_verify (void)
{
  static const struct {
    const char           *name;
    const char           *host;
    GTlsCertificateFlags  flags;
    const char           *errors_json;
    gboolean              classified;
    MsDiagnosisCode       code;
  } cases[] = {
    { "good", "mail.example.test", 0, "[]", FALSE, 0 },
    { "good", "imap.example.test", 0, "[]", FALSE, 0 },
    { "good", "MAIL.Example.TEST", 0, "[]", FALSE, 0 },
    { "good", "wrong.example.test", G_TLS_CERTIFICATE_BAD_IDENTITY,
      "[\"bad-identity\"]", TRUE, MS_DIAGNOSIS_TLS_WRONG_HOST },
    { "expired", "expired.example.test", G_TLS_CERTIFICATE_EXPIRED,
      "[\"expired\"]", TRUE, MS_DIAGNOSIS_TLS_EXPIRED },
    { "not-yet-valid", "future.example.test", G_TLS_CERTIFICATE_NOT_ACTIVATED,
      "[\"not-activated\"]", TRUE, MS_DIAGNOSIS_TLS_EXPIRED },
    { "unknown-ca-chain", "unknown.example.test", G_TLS_CERTIFICATE_UNKNOWN_CA,
      "[\"unknown-ca\"]", TRUE, MS_DIAGNOSIS_TLS_UNTRUSTED },
    { "self-signed", "self.example.test", G_TLS_CERTIFICATE_UNKNOWN_CA,
      "[\"unknown-ca\"]", TRUE, MS_DIAGNOSIS_TLS_UNTRUSTED },
    /* Self-signed and for another name: the name wins (see
     * ms_diagnosis_classify_certificate_flags()). */
    { "self-signed", "mail.example.test",
      G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY,
      "[\"unknown-ca\",\"bad-identity\"]", TRUE, MS_DIAGNOSIS_TLS_WRONG_HOST },
    { "expired", "wrong.example.test",
      G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_EXPIRED,
      "[\"bad-identity\",\"expired\"]", TRUE, MS_DIAGNOSIS_TLS_WRONG_HOST },
  };
  g_autoptr(GTlsDatabase) database = load_database ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTlsCertificate) certificate = load_certificate (cases[i].name);
      g_autoptr(GSocketConnectable) identity = g_network_address_new (cases[i].host, 993);
      g_autoptr(MsCertificateInfo) info = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) errors = NULL;
      g_autofree char *errors_json = NULL;
      GTlsCertificateFlags flags;
      MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

      g_test_message ("%s as %s", cases[i].name, cases[i].host);
      flags = verify (database, certificate, identity);
      g_assert_cmphex (flags, ==, cases[i].flags);

      info = ms_certificate_info_new (certificate, flags, cases[i].host, 993);
      node = ms_certificate_info_to_json (info);
      errors = json_node_copy (json_object_get_member (json_node_get_object (node), "errors"));
      errors_json = json_to_string (errors, FALSE);
      g_assert_cmpstr (errors_json, ==, cases[i].errors_json);

      g_assert_cmpint (ms_diagnosis_classify_certificate_flags (flags, &code), ==,
                       cases[i].classified);
      if (cases[i].classified)
        g_assert_cmpint (code, ==, cases[i].code);
    }
}

static void
test_verify_ip_identity (void)
{
  g_autoptr(GTlsDatabase) database = load_database ();
  g_autoptr(GTlsCertificate) certificate = load_certificate ("good");
  g_autoptr(GSocketConnectable) listed = NULL;
  g_autoptr(GSocketConnectable) unlisted = NULL;

  listed = g_network_address_new ("192.0.2.10", 993);
  unlisted = g_network_address_new ("192.0.2.11", 993);

  g_assert_cmphex (verify (database, certificate, listed), ==, 0);
  g_assert_cmphex (verify (database, certificate, unlisted), ==, G_TLS_CERTIFICATE_BAD_IDENTITY);
}

static void
test_json (void)
{
  g_autoptr(GTlsCertificate) certificate = load_certificate ("self-signed");
  g_autoptr(MsCertificateInfo) info = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sha256 = NULL;
  JsonObject *object;
  JsonArray *names;

  info = ms_certificate_info_new (certificate, G_TLS_CERTIFICATE_UNKNOWN_CA,
                                  "self.example.test", 143);
  ms_certificate_info_set_session (info, G_TLS_PROTOCOL_VERSION_TLS_1_2,
                                   "TLS_ECDHE_ECDSA_AES_128_GCM_SHA256");
  node = ms_certificate_info_to_json (info);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "host"), ==, "self.example.test");
  g_assert_cmpint (json_object_get_int_member (object, "port"), ==, 143);
  g_assert_cmpstr (json_object_get_string_member (object, "subject"), ==, "CN=self.example.test");
  g_assert_cmpstr (json_object_get_string_member (object, "issuer"), ==, "CN=self.example.test");
  g_assert_cmpstr (json_object_get_string_member (object, "not_before"), ==, "2024-01-01T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (object, "not_after"), ==, "2099-12-31T23:59:59Z");
  names = json_object_get_array_member (object, "subject_alt_names");
  g_assert_cmpuint (json_array_get_length (names), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (names, 0), ==, "self.example.test");
  sha256 = certtool_form (json_object_get_string_member (object, "sha256"));
  g_assert_cmpstr (sha256, ==, SHA256_SELF_SIGNED);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "errors")), ==, 1);
  g_assert_true (json_object_get_boolean_member (object, "self_signed"));
  g_assert_cmpstr (json_object_get_string_member (object, "tls_version"), ==, "TLS 1.2");
  g_assert_cmpstr (json_object_get_string_member (object, "ciphersuite"), ==,
                   "TLS_ECDHE_ECDSA_AES_128_GCM_SHA256");
  g_assert_cmpuint (json_object_get_size (object), ==, 12);

  /* Both SAN kinds, and nulls for an unknown session. */
  {
    g_autoptr(GTlsCertificate) good = load_certificate ("good");
    g_autoptr(MsCertificateInfo) good_info = ms_certificate_info_new (good, 0, "mail.example.test", 993);
    g_autoptr(JsonNode) good_node = ms_certificate_info_to_json (good_info);
    g_autofree char *text = NULL;
    JsonObject *good_object = json_node_get_object (good_node);

    text = json_to_string (json_object_get_member (good_object, "subject_alt_names"), FALSE);
    g_assert_cmpstr (text, ==, "[\"mail.example.test\",\"imap.example.test\",\"192.0.2.10\",\"2001:db8::10\"]");
    g_assert_true (json_object_get_null_member (good_object, "tls_version"));
    g_assert_true (json_object_get_null_member (good_object, "ciphersuite"));
    g_assert_false (json_object_get_boolean_member (good_object, "self_signed"));
  }
}

typedef struct
{
  GMainLoop *loop;
  guint      pending;
  GError    *server_error;
  GError    *client_error;
  guint      accept_calls;
  GTlsCertificateFlags accept_errors;
} Handshake;

static void
server_handshake_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Handshake *handshake = user_data;

  g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result,
                                     &handshake->server_error);
  if (--handshake->pending == 0)
    g_main_loop_quit (handshake->loop);
}

static void
client_handshake_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Handshake *handshake = user_data;

  g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result,
                                     &handshake->client_error);
  if (--handshake->pending == 0)
    g_main_loop_quit (handshake->loop);
}

/* Accepting a certificate with errors is what the engine does only for a
 * pinned certificate; here it lets the test see the errors on a finished
 * connection. */
static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Handshake *handshake = user_data;

  handshake->accept_calls++;
  handshake->accept_errors = errors;

  return TRUE;
}

static MsCertificateInfo *
run_handshake (const char *host,
               Handshake  *handshake)
{
  g_autoptr(GTlsDatabase) database = load_database ();
  g_autoptr(GTlsCertificate) server_certificate = NULL;
  g_autoptr(GSocket) client_socket = NULL;
  g_autoptr(GSocket) server_socket = NULL;
  g_autoptr(GSocketConnection) client_base = NULL;
  g_autoptr(GSocketConnection) server_base = NULL;
  g_autoptr(GIOStream) server = NULL;
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_file = cert_path ("good");
  g_autofree char *key_file = cert_path ("good-key");
  MsCertificateInfo *info;
  int fds[2];

  server_certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  client_socket = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  server_socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  client_base = g_socket_connection_factory_create_connection (client_socket);
  server_base = g_socket_connection_factory_create_connection (server_socket);

  server = g_tls_server_connection_new (G_IO_STREAM (server_base), server_certificate, &error);
  g_assert_no_error (error);
  identity = g_network_address_new (host, 993);
  client = g_tls_client_connection_new (G_IO_STREAM (client_base), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (client), database);
  g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_certificate_cb), handshake);

  handshake->loop = g_main_loop_new (NULL, FALSE);
  handshake->pending = 2;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (server), G_PRIORITY_DEFAULT, NULL,
                                    server_handshake_cb, handshake);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (client), G_PRIORITY_DEFAULT, NULL,
                                    client_handshake_cb, handshake);
  g_main_loop_run (handshake->loop);
  g_main_loop_unref (handshake->loop);

  g_assert_no_error (handshake->server_error);
  g_assert_no_error (handshake->client_error);

  info = ms_certificate_info_new_from_connection (G_TLS_CONNECTION (client), host, 993);
  g_assert_nonnull (info);

  g_io_stream_close (client, NULL, NULL);
  g_io_stream_close (server, NULL, NULL);

  return info;
}

static void
test_tls_session (void)
{
  Handshake handshake = { NULL, };
  g_autoptr(MsCertificateInfo) info = NULL;
  g_autofree char *sha256 = NULL;
  const char *version;

  info = run_handshake ("mail.example.test", &handshake);
  g_assert_cmpuint (handshake.accept_calls, ==, 0);

  g_assert_cmphex (ms_certificate_info_get_errors (info), ==, 0);
  sha256 = certtool_form (ms_certificate_info_get_sha256 (info));
  g_assert_cmpstr (sha256, ==, SHA256_GOOD);
  version = ms_tls_protocol_version_to_string (ms_certificate_info_get_protocol_version (info));
  g_test_message ("negotiated %s, %s", version, ms_certificate_info_get_ciphersuite (info));
  g_assert_true (g_strcmp0 (version, "TLS 1.3") == 0 || g_strcmp0 (version, "TLS 1.2") == 0);
  g_assert_nonnull (ms_certificate_info_get_ciphersuite (info));
  g_assert_cmpstr (ms_certificate_info_get_subject_name (info), ==, "mail.example.test");
}

static void
test_tls_session_wrong_host (void)
{
  Handshake handshake = { NULL, };
  g_autoptr(MsCertificateInfo) info = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *errors = NULL;

  info = run_handshake ("other.example.test", &handshake);
  g_assert_cmpuint (handshake.accept_calls, ==, 1);
  g_assert_cmphex (handshake.accept_errors, ==, G_TLS_CERTIFICATE_BAD_IDENTITY);

  g_assert_cmphex (ms_certificate_info_get_errors (info), ==, G_TLS_CERTIFICATE_BAD_IDENTITY);
  g_assert_cmpstr (ms_certificate_info_get_host (info), ==, "other.example.test");
  node = ms_certificate_info_to_json (info);
  errors = json_to_string (json_object_get_member (json_node_get_object (node), "errors"), FALSE);
  g_assert_cmpstr (errors, ==, "[\"bad-identity\"]");
}

int
main (int   argc,
      char *argv[])
{
  /* Dates in summaries are local: make them the same everywhere. */
  g_setenv ("TZ", "UTC", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/certificate-info/good", test_good);
  g_test_add_func ("/certificate-info/fingerprints", test_fingerprints);
  g_test_add_func ("/certificate-info/hostile-names", test_hostile_names);
  g_test_add_func ("/certificate-info/self-signed", test_self_signed);
  g_test_add_func ("/certificate-info/summaries", test_summaries);
  g_test_add_func ("/certificate-info/flag-strings", test_flag_strings);
  g_test_add_func ("/certificate-info/protocol-versions", test_protocol_versions);
  g_test_add_func ("/certificate-info/verify", test_verify);
  g_test_add_func ("/certificate-info/verify-ip-identity", test_verify_ip_identity);
  g_test_add_func ("/certificate-info/json", test_json);
  g_test_add_func ("/certificate-info/tls-session", test_tls_session);
  g_test_add_func ("/certificate-info/tls-session-wrong-host", test_tls_session_wrong_host);

  return g_test_run ();
}
