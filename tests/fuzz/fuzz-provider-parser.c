/* fuzz-provider-parser.c: libFuzzer target for the provider file reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-provider-parser.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

#include "fuzz-common.h"

static void
check_servers (GPtrArray *servers)
{
  for (guint i = 0; i < servers->len; i++)
    {
      MsServer *server = g_ptr_array_index (servers, i);
      g_autofree char *display = ms_server_to_display_string (server);
      g_autofree char *username = ms_server_expand_username (server, "fuzz@example.com");

      g_assert_cmpuint (server->port, >, 0);
      g_assert_true (server->hostname[0] != '\0');
      /* Issue 9: nothing the parser accepts fails the shared validator. */
      g_assert_true (ms_validate_server (server, MS_VALIDATE_FLAGS_TEMPLATE, "fuzz", NULL));
    }
}

/* Shown-only text never holds what the sanitizer would remove. */
static void
check_shown (const char *text)
{
  if (text == NULL)
    return;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsProvider) provider = NULL;

  fuzz_init ();
  provider = ms_provider_parse_data ((const char *) data, size, "fuzz.xml", &error);

  if (provider == NULL)
    {
      /* Every failure is an error that names the file and a line, on one
       * clean line. */
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.xml:"));
      check_shown (error->message);
      return 0;
    }

  g_assert_null (error);
  g_assert_nonnull (ms_provider_get_id (provider));
  g_assert_nonnull (ms_provider_get_display_name (provider));
  g_assert_nonnull (ms_provider_get_domains (provider)[0]);
  g_assert_true (ms_validate_id (ms_provider_get_id (provider), "fuzz", NULL));
  g_assert_true (ms_validate_display_name (ms_provider_get_display_name (provider), "fuzz", NULL));
  g_assert_true (ms_validate_display_name (ms_provider_get_short_name (provider), "fuzz", NULL));
  g_assert_true (ms_validate_display_name (ms_provider_get_support_phone (provider), "fuzz", NULL));
  for (guint i = 0; ms_provider_get_domains (provider)[i] != NULL; i++)
    g_assert_true (ms_validate_hostname (ms_provider_get_domains (provider)[i], MS_VALIDATE_FLAGS_NONE,
                                         "fuzz", NULL));

  for (guint i = 0; i < ms_provider_get_profiles (provider)->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (ms_provider_get_profiles (provider), i);

      g_assert_nonnull (ms_profile_get_name (profile));
      g_assert_true (ms_validate_id (ms_profile_get_id (profile), "fuzz", NULL));
      check_shown (ms_profile_get_name (profile));
      check_shown (ms_profile_get_description (profile));
      check_shown (ms_profile_get_restriction (profile));
      check_servers (ms_profile_get_incoming (profile));
      check_servers (ms_profile_get_outgoing (profile));
      check_servers (ms_profile_get_alternates (profile));
    }

  for (guint i = 0; i < ms_provider_get_notices (provider)->len; i++)
    check_shown (ms_notice_get_text (g_ptr_array_index (ms_provider_get_notices (provider), i)));

  return 0;
}
