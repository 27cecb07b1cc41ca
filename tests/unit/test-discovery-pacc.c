/* test-discovery-pacc.c: the PACC document reader and its integrity check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-discovery-pacc.h"
#include "ms-profile.h"

#define GOOD \
  "{\"protocols\": {\"imap\": {\"host\": \"imap.pacc.example\"},\n" \
  "  \"smtp\": {\"host\": \"smtp.pacc.example\", \"port\": 465},\n" \
  "  \"jmap\": {\"url\": \"https://jmap.pacc.example/session\"}},\n" \
  " \"authentication\": {\"oauth-public\": {\"issuer\": \"https://auth.pacc.example\"}},\n" \
  " \"info\": {\"provider\": {\"name\": \"PACC Mail\", \"shortName\": \"PACC\"}}}\n"

/* The TXT record that publishes @document's digest. */
static char *
txt_for (const char *document)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *encoded = NULL;

  g_checksum_update (checksum, (const guchar *) document, strlen (document));
  g_checksum_get_digest (checksum, digest, &length);
  encoded = g_base64_encode (digest, length);

  return g_strdup_printf ("v=UAAC1; a=sha256; d=%s", encoded);
}

static MsProvider *
read_document (const char  *document,
               const char  *txt,
               GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (document, strlen (document));
  const char *records[] = { "v=spf1 -all", txt, NULL };

  return ms_discovery_pacc_read (bytes, txt != NULL ? records : NULL, "pacc.example",
                                 "https://ua-auto-config.pacc.example/", error);
}

static void
test_good (void)
{
  g_autofree char *txt = txt_for (GOOD);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = read_document (GOOD, txt, &error);
  MsProfile *profile;
  MsServer *imap;
  MsServer *smtp;

  g_assert_no_error (error);
  g_assert_cmpstr (ms_provider_get_display_name (provider), ==, "PACC Mail");
  g_assert_cmpstr (ms_provider_get_short_name (provider), ==, "PACC");
  g_assert_true (ms_provider_has_domain (provider, "pacc.example"));
  profile = ms_provider_get_recommended_profile (provider);
  imap = g_ptr_array_index (ms_profile_get_incoming (profile), 0);
  smtp = g_ptr_array_index (ms_profile_get_outgoing (profile), 0);
  g_assert_cmpstr (imap->hostname, ==, "imap.pacc.example");
  g_assert_cmpuint (imap->port, ==, 993);
  g_assert_cmpint (imap->security, ==, MS_SECURITY_TLS);
  g_assert_cmpstr (smtp->hostname, ==, "smtp.pacc.example");
  g_assert_cmpuint (smtp->port, ==, 465);
  g_assert_cmpint (smtp->security, ==, MS_SECURITY_TLS);
}

/* The TXT record may be split into several strings (joined by the
 * lookup) and its tags may come in any order, in any case. */
static void
test_txt_forms (void)
{
  g_autofree char *txt = txt_for (GOOD);
  g_autofree char *reordered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  const char *digest = strstr (txt, "d=") + 2;

  reordered = g_strdup_printf (" D=%s ;A=SHA256; v=uaac1", digest);
  provider = read_document (GOOD, reordered, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
}

static void
assert_refused (const char *document,
                const char *txt,
                gint        code,
                const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = read_document (document, txt, &error);

  g_assert_null (provider);
  g_assert_error (error, MS_DISCOVERY_ERROR, code);
  g_test_message ("%s", error->message);
  if (reason != NULL)
    g_assert_nonnull (strstr (error->message, reason));
}

static void
test_bad_digest (void)
{
  g_autofree char *other = txt_for (GOOD " ");
  g_autofree char *bad_tag = txt_for (GOOD);

  /* One byte more than what DNS vouches for. */
  assert_refused (GOOD, other, MS_DISCOVERY_ERROR_INTEGRITY, "SHA-256 digest is not the one");
  /* No record, no digest: never read unchecked. */
  assert_refused (GOOD, NULL, MS_DISCOVERY_ERROR_INTEGRITY, "publishes no digest");
  assert_refused (GOOD, "v=UAAC1; a=sha256; d=bm90IDMyIGJ5dGVz", MS_DISCOVERY_ERROR_INTEGRITY,
                  "publishes no digest");
  assert_refused (GOOD, "v=UAAC1; a=sha1; d=AAAAAAAAAAAAAAAAAAAAAAAAAAA=", MS_DISCOVERY_ERROR_INTEGRITY,
                  "publishes no digest");
  bad_tag[1] = 'x';  /* "vx=UAAC1" */
  assert_refused (GOOD, bad_tag, MS_DISCOVERY_ERROR_INTEGRITY, "publishes no digest");
}

/* Hostile documents whose digest DNS does publish: the domain's own web
 * and DNS can still be wrong or taken over, so every value is checked. */
static void
test_hostile (void)
{
  const struct { const char *document; gint code; } cases[] = {
    { "{\"protocols\": {\"imap\": {\"host\": \"imap.pacc.example;id\"}, \"smtp\": {\"host\": \"s.pacc.example\"}}}",
      MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": {\"imap\": {\"host\": \"imap.pacc.example\\n\"}, \"smtp\": {\"host\": \"s.pacc.example\"}}}",
      MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": {\"imap\": {\"host\": \"i.pacc.example\", \"port\": 70000}, \"smtp\": {\"host\": \"s.pacc.example\"}}}",
      MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": {\"imap\": {\"host\": \"i.pacc.example\", \"port\": \"993\"}, \"smtp\": {\"host\": \"s.pacc.example\"}}}",
      MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": {\"imap\": {\"host\": 12}, \"smtp\": {\"host\": \"s.pacc.example\"}}}",
      MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": {\"imap\": [], \"smtp\": {\"host\": \"s.pacc.example\"}}}", MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": {\"imap\": {\"host\": \"i.pacc.example\"}, \"smtp\": {\"host\": \"s.pacc.example\"}},"
      " \"info\": {\"provider\": {\"name\": \"\\u001b]0;pwned\\u0007\"}}}", MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": {\"jmap\": {\"url\": \"https://j.pacc.example/\"}}}", MS_DISCOVERY_ERROR_INCOMPLETE },
    { "{\"protocols\": {\"imap\": {\"host\": \"i.pacc.example\"}}}", MS_DISCOVERY_ERROR_INCOMPLETE },
    { "{}", MS_DISCOVERY_ERROR_INTEGRITY },
    { "[1, 2]", MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"protocols\": ", MS_DISCOVERY_ERROR_INTEGRITY },
    { "<?xml version=\"1.0\"?><clientConfig/>", MS_DISCOVERY_ERROR_INTEGRITY },
    { "{\"a\":\"\xff\xfe\"}", MS_DISCOVERY_ERROR_INTEGRITY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *txt = txt_for (cases[i].document);

      assert_refused (cases[i].document, txt, cases[i].code, NULL);
    }
}

static void
test_deep_and_large (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) large = g_string_new ("{\"protocols\": {}, \"pad\": \"");
  g_autofree char *deep_txt = NULL;
  g_autofree char *large_txt = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_c (deep, '[');
  deep_txt = txt_for (deep->str);
  assert_refused (deep->str, deep_txt, MS_DISCOVERY_ERROR_INTEGRITY, "nested too deep");

  while (large->len <= MS_DISCOVERY_PACC_MAX_SIZE)
    g_string_append (large, "padding padding padding padding ");
  g_string_append (large, "\"}");
  large_txt = txt_for (large->str);
  assert_refused (large->str, large_txt, MS_DISCOVERY_ERROR_TOO_LARGE, "KiB");
}

static void
test_url (void)
{
  g_autofree char *plain = ms_discovery_pacc_url ("example.com", 0);
  g_autofree char *port = ms_discovery_pacc_url ("example.com", 8443);

  g_assert_cmpstr (plain, ==, "https://ua-auto-config.example.com/.well-known/user-agent-configuration.json");
  g_assert_cmpstr (port, ==, "https://ua-auto-config.example.com:8443/.well-known/user-agent-configuration.json");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/discovery-pacc/url", test_url);
  g_test_add_func ("/discovery-pacc/good", test_good);
  g_test_add_func ("/discovery-pacc/txt-forms", test_txt_forms);
  g_test_add_func ("/discovery-pacc/bad-digest", test_bad_digest);
  g_test_add_func ("/discovery-pacc/hostile", test_hostile);
  g_test_add_func ("/discovery-pacc/deep-and-large", test_deep_and_large);

  return g_test_run ();
}
