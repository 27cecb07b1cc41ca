/* fuzz-address.c: libFuzzer target for what a person types as an address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-address.h"

#include "fuzz-common.h"

static void
check_address (MsAddress *address)
{
  g_autoptr(MsAddress) again = NULL;
  g_autoptr(GError) error = NULL;
  const char *domain = ms_address_get_domain (address);

  g_assert_cmpuint (strlen (ms_address_get_ascii (address)), <=, MS_ADDRESS_MAX_LENGTH);
  g_assert_cmpuint (strlen (ms_address_get_local_part (address)), <=, MS_ADDRESS_MAX_LOCAL_PART_LENGTH);
  g_assert_nonnull (strchr (domain, '.'));
  for (const char *p = domain; *p != '\0'; p++)
    g_assert_true (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '.');

  /* The normal form parses to itself. */
  again = ms_address_parse (ms_address_get_ascii (address), &error);
  g_assert_no_error (error);
  g_assert_true (ms_address_equal (address, again));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(MsAddress) completed_address = NULL;
  gboolean completed = FALSE;

  fuzz_init ();
  address = ms_address_parse (input, &error);
  if (address != NULL)
    check_address (address);
  else
    g_assert_true (error != NULL && error->domain == MS_ADDRESS_ERROR && error->message[0] != '\0');
  g_clear_error (&error);

  completed_address = ms_address_complete (input, "charter.net", &completed, &error);
  if (completed_address != NULL)
    check_address (completed_address);
  else
    g_assert_true (error != NULL && !completed);

  return 0;
}
