/* fuzz-discovery-answers.c: libFuzzer target for the PACC and Autodiscover readers
 *
 * The input is what a hostile web server could send: read as a PACC
 * document whose digest DNS does publish (so the JSON reader is reached,
 * not only the integrity check), and as an Autodiscover answer. Whatever
 * either gives back must pass the validators. It is also read as a DNS
 * answer for _autodiscover._tcp: the URLs chosen from it must be few,
 * https, port-less and inside the domain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-discovery-attempt.h"
#include "ms-discovery-autodiscover.h"
#include "ms-discovery-autodiscover-srv.h"
#include "ms-discovery-pacc.h"
#include "ms-profile.h"
#include "ms-validate.h"

#include "fuzz-common.h"

static void
check_provider (MsProvider *provider)
{
  for (guint i = 0; provider != NULL && i < ms_provider_get_profiles (provider)->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (ms_provider_get_profiles (provider), i);
      GPtrArray *lists[] = { ms_profile_get_incoming (profile), ms_profile_get_outgoing (profile) };

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint j = 0; j < lists[l]->len; j++)
          {
            MsServer *server = g_ptr_array_index (lists[l], j);

            g_assert_true (ms_validate_hostname (server->hostname, MS_VALIDATE_FLAGS_NONE, "fuzz", NULL));
            g_assert_true (server->port > 0);
          }
    }
  if (provider != NULL)
    g_assert_true (ms_validate_display_name (ms_provider_get_display_name (provider), "fuzz", NULL));
}

static char *
digest_record (const uint8_t *data,
               size_t         size)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *encoded = NULL;

  g_checksum_update (checksum, data, size);
  g_checksum_get_digest (checksum, digest, &length);
  encoded = g_base64_encode (digest, length);

  return g_strconcat ("v=UAAC1; a=sha256; d=", encoded, NULL);
}

/* Records of 6 bytes (priority, weight, port) and a length-prefixed
 * target each, as many as the input holds. */
static GList *
srv_records (const uint8_t *data,
             size_t         size)
{
  GList *records = NULL;
  size_t at = 0;

  while (at + 7 <= size)
    {
      guint16 priority = data[at] << 8 | data[at + 1];
      guint16 weight = data[at + 2] << 8 | data[at + 3];
      guint16 port = data[at + 4] << 8 | data[at + 5];
      size_t length = MIN (data[at + 6], size - at - 7);
      g_autofree char *target = g_utf8_make_valid ((const char *) data + at + 7, length);

      records = g_list_prepend (records, g_variant_ref_sink (g_variant_new ("(qqqs)", priority, weight,
                                                                            port, target)));
      at += 7 + length;
    }

  return records;
}

static void
check_srv (const uint8_t *data,
           size_t         size)
{
  GList *records = srv_records (data, size);
  g_autofree char *notes = NULL;
  g_auto(GStrv) urls = ms_discovery_autodiscover_srv_urls (records, "fuzz.example", 0, &notes);

  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  g_assert_cmpuint (g_strv_length (urls), <=, MS_DISCOVERY_AUTODISCOVER_SRV_MAX_TARGETS);
  for (guint i = 0; urls[i] != NULL; i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (urls[i], G_URI_FLAGS_NONE, NULL);

      g_assert_nonnull (uri);
      g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
      g_assert_cmpint (g_uri_get_port (uri), ==, -1);
      g_assert_true (ms_validate_hostname (g_uri_get_host (uri), MS_VALIDATE_FLAGS_NONE, "fuzz", NULL));
      g_assert_true (ms_discovery_host_in_domain (g_uri_get_host (uri), "fuzz.example"));
    }
  g_assert_true (notes == NULL || strpbrk (notes, "\r\n\x1b") == NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autofree char *txt = digest_record (data, size);
  const char *records[] = { txt, NULL };
  g_autoptr(GError) pacc_error = NULL;
  g_autoptr(GError) ad_error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(MsAutodiscoverAnswer) answer = NULL;

  fuzz_init ();

  provider = ms_discovery_pacc_read (bytes, records, "fuzz.example", "fuzz", &pacc_error);
  g_assert_true ((provider != NULL) != (pacc_error != NULL));
  check_provider (provider);

  answer = ms_discovery_autodiscover_parse (bytes, "fuzz.example", "fuzz", &ad_error);
  g_assert_true ((answer != NULL) != (ad_error != NULL));
  if (answer != NULL)
    check_provider (answer->provider);

  check_srv (data, size);

  return 0;
}
