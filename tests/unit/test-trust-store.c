/* test-trust-store.c: pinned certificates, one host and port each, on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ms-trust-store.h"

#define SHA256_GOOD        "8D:12:38:73:84:38:28:1A:BC:0D:DB:DA:50:18:98:CD:A7:93:40:59:3C:98:CA:AF:59:19:94:C1:DF:85:8F:BA"
#define SHA256_SELF_SIGNED "1C:39:0A:5E:49:18:02:C8:20:44:8E:FF:3A:0E:D1:0F:7B:E8:8A:40:A5:0A:4A:0A:2E:FD:1E:6E:52:FC:7F:EA"

typedef struct
{
  char *directory;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("ms-trust-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet: the store must make it. */
  fixture->path = g_build_filename (fixture->directory, "config", "mail-setup",
                                    "trusted-certificates.ini", NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
    }

  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->directory);
  g_free (fixture->directory);
  g_free (fixture->path);
}

static MsCertificateInfo *
load_info (const char           *name,
           GTlsCertificateFlags  errors,
           const char           *host,
           guint16               port)
{
  g_autofree char *file = g_strconcat (name, ".pem", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "certs", file, NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  certificate = g_tls_certificate_new_from_file (path, &error);
  g_assert_no_error (error);

  return ms_certificate_info_new (certificate, errors, host, port);
}

static MsTrustStore *
open_store (const char *path)
{
  g_autoptr(MsTrustStore) store = ms_trust_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_trust_store_load (store, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

static void
trust (MsTrustStore *store,
       const char   *name,
       const char   *host,
       guint16       port)
{
  g_autoptr(MsCertificateInfo) info = load_info (name, G_TLS_CERTIFICATE_UNKNOWN_CA, host, port);
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_trust_store_trust (store, host, port, info, &error));
  g_assert_no_error (error);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MsTrustStore) store = open_store (fixture->path);
  g_autoptr(GPtrArray) list = ms_trust_store_list (store);

  g_assert_cmpstr (ms_trust_store_get_path (store), ==, fixture->path);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
  g_assert_null (ms_trust_store_get_pinned_fingerprint (store, "mail.example.test", 993));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_exact_match (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MsTrustStore) store = open_store (fixture->path);

  trust (store, "good", "mail.example.test", 993);

  g_assert_true (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
  /* Spelling does not matter: case, a final dot, fingerprint form. */
  g_assert_true (ms_trust_store_is_trusted (store, "MAIL.Example.Test.", 993, SHA256_GOOD));
  g_assert_true (ms_trust_store_is_trusted (store, "mail.example.test", 993,
                                            "8d1238738438281abc0ddbda501898cda79340593c98caaf591994c1df858fba"));

  /* Anything else is not trusted. */
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 995, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 143, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "imap.example.test", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "example.test", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test.evil", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "*.example.test", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_SELF_SIGNED));
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, NULL));
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, ""));
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, "8D:12:38"));
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 0, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, NULL, 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "", 993, SHA256_GOOD));
}

static void
test_persistence (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  MsTrustedCertificate *entry;

  {
    g_autoptr(MsTrustStore) store = open_store (fixture->path);

    trust (store, "good", "mail.example.test", 993);
    trust (store, "self-signed", "self.example.test", 143);
    g_assert_finalize_object (g_steal_pointer (&store));
  }

  {
    g_autoptr(MsTrustStore) store = open_store (fixture->path);

    g_assert_true (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
    g_assert_true (ms_trust_store_is_trusted (store, "self.example.test", 143, SHA256_SELF_SIGNED));
    g_assert_false (ms_trust_store_is_trusted (store, "self.example.test", 993, SHA256_SELF_SIGNED));

    list = ms_trust_store_list (store);
  }

  g_assert_cmpuint (list->len, ==, 2);
  entry = g_ptr_array_index (list, 0);
  g_assert_cmpstr (entry->host, ==, "mail.example.test");
  g_assert_cmpuint (entry->port, ==, 993);
  g_assert_cmpstr (entry->sha256, ==, SHA256_GOOD);
  g_assert_cmpstr (entry->subject, ==, "O=Example Mail,CN=mail.example.test");
  g_assert_nonnull (entry->trusted_on);
  g_assert_cmpint (g_date_time_to_unix (entry->trusted_on), >=, g_date_time_to_unix (before));
  g_assert_cmpint (g_date_time_to_unix (entry->trusted_on), <=, g_date_time_to_unix (before) + 60);
  entry = g_ptr_array_index (list, 1);
  g_assert_cmpstr (entry->host, ==, "self.example.test");
  g_assert_cmpuint (entry->port, ==, 143);

  /* The documented file format. */
  g_assert_true (g_key_file_load_from_file (key_file, fixture->path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  sha256 = g_key_file_get_string (key_file, "mail.example.test:993", "sha256", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha256, ==, SHA256_GOOD);
  g_assert_true (g_key_file_has_key (key_file, "mail.example.test:993", "subject", NULL));
  g_assert_true (g_key_file_has_key (key_file, "mail.example.test:993", "trusted-on", NULL));
  g_assert_true (g_key_file_has_group (key_file, "self.example.test:143"));
}

static void
test_file_mode (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MsTrustStore) store = open_store (fixture->path);
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  GStatBuf file_stat;
  GStatBuf dir_stat;

  trust (store, "good", "mail.example.test", 993);

  g_assert_cmpint (g_stat (fixture->path, &file_stat), ==, 0);
  g_assert_cmpint (file_stat.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (directory, &dir_stat), ==, 0);
  g_assert_cmpint (dir_stat.st_mode & 0777, ==, 0700);

  /* Still 0600 after a rewrite. */
  trust (store, "self-signed", "self.example.test", 143);
  g_assert_cmpint (g_stat (fixture->path, &file_stat), ==, 0);
  g_assert_cmpint (file_stat.st_mode & 0777, ==, 0600);
}

static void
test_forget (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MsTrustStore) store = open_store (fixture->path);
  g_autoptr(MsTrustStore) reopened = NULL;
  g_autoptr(GError) error = NULL;

  trust (store, "good", "mail.example.test", 993);
  trust (store, "good", "mail.example.test", 995);
  g_assert_true (ms_trust_store_forget (store, "Mail.Example.Test", 993, &error));
  g_assert_no_error (error);

  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
  g_assert_true (ms_trust_store_is_trusted (store, "mail.example.test", 995, SHA256_GOOD));

  reopened = open_store (fixture->path);
  g_assert_false (ms_trust_store_is_trusted (reopened, "mail.example.test", 993, SHA256_GOOD));
  g_assert_true (ms_trust_store_is_trusted (reopened, "mail.example.test", 995, SHA256_GOOD));

  /* Forgetting what is not there is fine. */
  g_assert_true (ms_trust_store_forget (store, "other.example.test", 993, &error));
  g_assert_no_error (error);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autofree char *aside = g_strconcat (fixture->path, ".corrupt", NULL);
  g_autoptr(MsTrustStore) store = ms_trust_store_new (fixture->path);
  g_autoptr(MsTrustStore) reopened = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  const char *garbage = "[mail.example.test:993\nsha256=" SHA256_GOOD "\n\x01\x02 not a key file\n";

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, &error));
  g_assert_no_error (error);

  g_assert_false (ms_trust_store_load (store, &error));
  g_assert_error (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  list = ms_trust_store_list (store);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));

  /* The next change keeps the damaged file aside and starts afresh. */
  trust (store, "self-signed", "self.example.test", 143);
  g_assert_true (g_file_get_contents (aside, &kept, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, garbage);

  reopened = open_store (fixture->path);
  g_assert_true (ms_trust_store_is_trusted (reopened, "self.example.test", 143, SHA256_SELF_SIGNED));
  g_assert_false (ms_trust_store_is_trusted (reopened, "mail.example.test", 993, SHA256_GOOD));
}

static void
test_bad_entries (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autoptr(MsTrustStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  /* A valid key file with entries that must not trust anything. */
  const char *contents =
    "# edited by hand\n"
    "[mail.example.test:993]\n"
    "sha256=not-a-fingerprint\n"
    "[mail.example.test]\n"
    "sha256=" SHA256_GOOD "\n"
    "[mail.example.test:0]\n"
    "sha256=" SHA256_GOOD "\n"
    "[mail.example.test:99999]\n"
    "sha256=" SHA256_GOOD "\n"
    "[*.example.test:993]\n"
    "sha256=" SHA256_GOOD "\n"
    "[imap.example.test:993]\n"
    "subject=no fingerprint\n"
    "[Self.Example.Test.:143]\n"
    "sha256=1c390a5e491802c820448eff3a0ed10f7be88a40a50a4a0a2efd1e6e52fc7fea\n";

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, contents, -1, &error));
  g_assert_no_error (error);

  store = open_store (fixture->path);
  list = ms_trust_store_list (store);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "imap.example.test", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (store, "x.example.test", 993, SHA256_GOOD));
  /* The one sound entry, spelled loosely by hand, works. */
  g_assert_true (ms_trust_store_is_trusted (store, "self.example.test", 143, SHA256_SELF_SIGNED));

  /* A change keeps the hand-written comment. */
  trust (store, "good", "mail.example.test", 993);
  {
    g_autofree char *written = NULL;

    g_assert_true (g_file_get_contents (fixture->path, &written, NULL, NULL));
    g_assert_nonnull (strstr (written, "# edited by hand"));
  }
}

static void
test_changed_certificate (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MsTrustStore) store = open_store (fixture->path);
  g_autoptr(MsCertificateInfo) presented = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *pinned;

  trust (store, "good", "mail.example.test", 993);

  /* The server now presents another certificate: not trusted, and the
   * pin shows it changed (tls-certificate-changed, not tls-untrusted). */
  presented = load_info ("self-signed", G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY,
                         "mail.example.test", 993);
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993,
                                             ms_certificate_info_get_sha256 (presented)));
  pinned = ms_trust_store_get_pinned_fingerprint (store, "mail.example.test", 993);
  g_assert_cmpstr (pinned, ==, SHA256_GOOD);
  g_assert_cmpstr (pinned, !=, ms_certificate_info_get_sha256 (presented));
  g_assert_null (ms_trust_store_get_pinned_fingerprint (store, "mail.example.test", 995));

  /* If the person trusts the new one, it replaces the old pin. */
  trust (store, "self-signed", "mail.example.test", 993);
  g_assert_cmpstr (ms_trust_store_get_pinned_fingerprint (store, "mail.example.test", 993), ==,
                   SHA256_SELF_SIGNED);
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
  list = ms_trust_store_list (store);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct {
    const char           *host;
    guint16               port;
    const char           *info_host;
    guint16               info_port;
    GTlsCertificateFlags  errors;
    MsTrustStoreError     code;
  } cases[] = {
    { "*.example.test", 993, "*.example.test", 993, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    { "*", 993, "*", 993, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    { "", 993, "", 993, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    { "mail example", 993, "mail example", 993, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    { "mail.example.test]\n[x", 993, "mail.example.test]\n[x", 993, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    { "mail.example.test", 0, "mail.example.test", 0, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    /* The certificate was seen on another host or port. */
    { "mail.example.test", 993, "imap.example.test", 993, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    { "mail.example.test", 993, "mail.example.test", 995, G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_INVALID },
    /* Pinning cannot make these safe. */
    { "mail.example.test", 993, "mail.example.test", 993, G_TLS_CERTIFICATE_REVOKED, MS_TRUST_STORE_ERROR_REFUSED },
    { "mail.example.test", 993, "mail.example.test", 993,
      G_TLS_CERTIFICATE_INSECURE | G_TLS_CERTIFICATE_UNKNOWN_CA, MS_TRUST_STORE_ERROR_REFUSED },
  };
  g_autoptr(MsTrustStore) store = open_store (fixture->path);
  g_autoptr(GPtrArray) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MsCertificateInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      info = load_info ("good", cases[i].errors, cases[i].info_host, cases[i].info_port);
      g_assert_false (ms_trust_store_trust (store, cases[i].host, cases[i].port, info, &error));
      g_assert_error (error, MS_TRUST_STORE_ERROR, (int) cases[i].code);
    }

  list = ms_trust_store_list (store);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ms_trust_store_forget (store, "*.example.test", 993, &error));
    g_assert_error (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INVALID);
  }
}

static void
test_ip_addresses (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MsTrustStore) store = open_store (fixture->path);
  g_autoptr(MsTrustStore) reopened = NULL;
  g_autoptr(MsCertificateInfo) info = load_info ("good", 0, "2001:db8::10", 993);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  MsTrustedCertificate *entry;

  g_assert_true (ms_trust_store_trust (store, "[2001:DB8::10]", 993, info, &error));
  g_assert_no_error (error);
  trust (store, "good", "192.0.2.10", 993);

  reopened = open_store (fixture->path);
  g_assert_true (ms_trust_store_is_trusted (reopened, "2001:db8::10", 993, SHA256_GOOD));
  g_assert_true (ms_trust_store_is_trusted (reopened, "[2001:db8::10]", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (reopened, "2001:db8::1", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (reopened, "2001:db8::10", 99, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (reopened, "2001:db8::10:993", 993, SHA256_GOOD));
  g_assert_true (ms_trust_store_is_trusted (reopened, "192.0.2.10", 993, SHA256_GOOD));
  g_assert_false (ms_trust_store_is_trusted (reopened, "192.0.2.1", 993, SHA256_GOOD));

  list = ms_trust_store_list (reopened);
  g_assert_cmpuint (list->len, ==, 2);
  entry = g_ptr_array_index (list, 1);
  g_assert_cmpstr (entry->host, ==, "2001:db8::10");
  g_assert_cmpuint (entry->port, ==, 993);

  /* GKeyFile forbids brackets in group names: the port is after the last colon. */
  g_assert_true (g_key_file_load_from_file (key_file, fixture->path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_has_group (key_file, "2001:db8::10:993"));
}

static void
test_two_stores (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MsTrustStore) wizard = open_store (fixture->path);
  g_autoptr(MsTrustStore) command_line = open_store (fixture->path);
  g_autoptr(MsTrustStore) reopened = NULL;

  /* Each re-reads the file before a change: neither undoes the other. */
  trust (wizard, "good", "mail.example.test", 993);
  trust (command_line, "self-signed", "self.example.test", 143);

  reopened = open_store (fixture->path);
  g_assert_true (ms_trust_store_is_trusted (reopened, "mail.example.test", 993, SHA256_GOOD));
  g_assert_true (ms_trust_store_is_trusted (reopened, "self.example.test", 143, SHA256_SELF_SIGNED));
}

static void
test_default_path (void)
{
  g_autoptr(MsTrustStore) store = ms_trust_store_new (NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS points the config dir at a scratch folder. */
  expected = g_build_filename (g_get_user_config_dir (), "mail-setup",
                               "trusted-certificates.ini", NULL);
  g_assert_cmpstr (ms_trust_store_get_path (store), ==, expected);
  g_assert_true (ms_trust_store_load (store, &error));
  g_assert_no_error (error);
}

static void
test_normalize (void)
{
  static const struct { const char *input; const char *output; } cases[] = {
    { SHA256_GOOD, SHA256_GOOD },
    { "8d1238738438281abc0ddbda501898cda79340593c98caaf591994c1df858fba", SHA256_GOOD },
    { "8d 12 38 73 84 38 28 1a bc 0d db da 50 18 98 cd a7 93 40 59 3c 98 ca af 59 19 94 c1 df 85 8f ba", SHA256_GOOD },
    { "", NULL },
    { "8D:12", NULL },
    { SHA256_GOOD ":00", NULL },
    { "8D:12:38:73:84:38:28:1A:BC:0D:DB:DA:50:18:98:CD:A7:93:40:59:3C:98:CA:AF:59:19:94:C1:DF:85:8F:BG", NULL },
    { "*", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *output = ms_fingerprint_normalize (cases[i].input);

      g_assert_cmpstr (output, ==, cases[i].output);
    }

  g_assert_null (ms_fingerprint_normalize (NULL));
}

/* A pin means "accept without asking": a file others can change would let
 * them add one, so it is believed only when its owner alone can write it
 * and its folder. */
static void
assert_ignored (const char *path,
                GQuark      domain,
                gint        code)
{
  g_autoptr(MsTrustStore) store = ms_trust_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MsCertificateInfo) info = NULL;

  g_assert_false (ms_trust_store_load (store, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  g_assert_false (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
  list = ms_trust_store_list (store);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_error (&error);

  /* Nor changed, which would bless what others put there. */
  info = load_info ("good", G_TLS_CERTIFICATE_UNKNOWN_CA, "other.example.test", 993);
  g_assert_false (ms_trust_store_trust (store, "other.example.test", 993, info, &error));
  g_assert_error (error, domain, code);
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *link = g_build_filename (folder, "elsewhere.ini", NULL);

  {
    g_autoptr(MsTrustStore) store = open_store (fixture->path);

    trust (store, "good", "mail.example.test", 993);
  }

  /* Writable by the group, by everyone. */
  g_assert_cmpint (g_chmod (fixture->path, 0620), ==, 0);
  assert_ignored (fixture->path, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INSECURE);
  g_assert_cmpint (g_chmod (fixture->path, 0602), ==, 0);
  assert_ignored (fixture->path, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INSECURE);

  /* Readable by others is no risk to the pins. */
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  {
    g_autoptr(MsTrustStore) store = open_store (fixture->path);

    g_assert_true (ms_trust_store_is_trusted (store, "mail.example.test", 993, SHA256_GOOD));
  }

  /* A folder others can write to: they could swap the file. */
  g_assert_cmpint (g_chmod (folder, 0777), ==, 0);
  assert_ignored (fixture->path, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INSECURE);
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);

  /* Someone else's file. */
  if (getuid () == 0)
    {
      g_assert_cmpint (chown (fixture->path, 65534, 65534), ==, 0);
      assert_ignored (fixture->path, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INSECURE);
      g_assert_cmpint (chown (fixture->path, 0, 0), ==, 0);
    }

  /* A link: where it points is not covered by the folder's mode. */
  g_assert_cmpint (g_rename (fixture->path, link), ==, 0);
  g_assert_cmpint (symlink (link, fixture->path), ==, 0);
  assert_ignored (fixture->path, G_FILE_ERROR, G_FILE_ERROR_LOOP);
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);

  /* A FIFO is refused at once instead of hanging the load. */
  g_assert_cmpint (mkfifo (fixture->path, 0600), ==, 0);
  assert_ignored (fixture->path, G_FILE_ERROR, G_FILE_ERROR_INVAL);
}

#define ADD(name, func) \
  g_test_add ("/trust-store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("missing-file", test_missing_file);
  ADD ("exact-match", test_exact_match);
  ADD ("persistence", test_persistence);
  ADD ("file-mode", test_file_mode);
  ADD ("forget", test_forget);
  ADD ("corrupt", test_corrupt);
  ADD ("bad-entries", test_bad_entries);
  ADD ("changed-certificate", test_changed_certificate);
  ADD ("refused", test_refused);
  ADD ("ip-addresses", test_ip_addresses);
  ADD ("two-stores", test_two_stores);
  ADD ("permissions", test_permissions);
  g_test_add_func ("/trust-store/default-path", test_default_path);
  g_test_add_func ("/trust-store/normalize", test_normalize);

  return g_test_run ();
}
