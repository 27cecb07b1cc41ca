/* test-address.c: parsing what a person types as their email address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-address.h"

typedef struct
{
  const char *input;
  const char *local_part;
  const char *domain;
  const char *display;
} GoodCase;

static const GoodCase good_cases[] = {
  { "jsmith@charter.net", "jsmith", "charter.net", "jsmith@charter.net" },
  { "  JSmith@Charter.NET \n", "JSmith", "charter.net", "JSmith@charter.net" },
  { "first.last+tag@mail.example.com", "first.last+tag", "mail.example.com", "first.last+tag@mail.example.com" },
  { "o'brien@example.org", "o'brien", "example.org", "o'brien@example.org" },
  { "a@b.co", "a", "b.co", "a@b.co" },
  { "user@example.com.", "user", "example.com", "user@example.com" },
  { "hans@bücher.example", "hans", "xn--bcher-kva.example", "hans@bücher.example" },
  { "hans@BÜCHER.example", "hans", "xn--bcher-kva.example", "hans@bücher.example" },
  { "hans@xn--bcher-kva.example", "hans", "xn--bcher-kva.example", "hans@bücher.example" },
  { "josé@example.com", "josé", "example.com", "josé@example.com" },
  { "x@a-b.example", "x", "a-b.example", "x@a-b.example" },
};

typedef struct
{
  const char *input;
  MsAddressError code;
} BadCase;

static const BadCase bad_cases[] = {
  { "", MS_ADDRESS_ERROR_EMPTY },
  { "   \t ", MS_ADDRESS_ERROR_EMPTY },
  { "jsmith", MS_ADDRESS_ERROR_NO_AT },
  { "jsmith@@charter.net", MS_ADDRESS_ERROR_SEVERAL_AT },
  { "a@b@charter.net", MS_ADDRESS_ERROR_SEVERAL_AT },
  { "@charter.net", MS_ADDRESS_ERROR_EMPTY_LOCAL_PART },
  { "jsmith@", MS_ADDRESS_ERROR_EMPTY_DOMAIN },
  { "john smith@charter.net", MS_ADDRESS_ERROR_SPACE },
  { "jsmith@charter .net", MS_ADDRESS_ERROR_SPACE },
  { "jsmith@charter\xc2\xa0.net", MS_ADDRESS_ERROR_SPACE },
  { "j(smith)@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "j,smith@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "\"quoted\"@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "jsmith@charter_net.com", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "jsmith@[192.0.2.1]", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "j\x01smith@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "jsmith\xff@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { ".jsmith@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "jsmith.@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "j..smith@charter.net", MS_ADDRESS_ERROR_INVALID_CHARACTER },
  { "jsmith@charter", MS_ADDRESS_ERROR_DOMAIN_NO_DOT },
  { "jsmith@localhost", MS_ADDRESS_ERROR_DOMAIN_NO_DOT },
  { "jsmith@charter..net", MS_ADDRESS_ERROR_INVALID_DOMAIN },
  { "jsmith@.charter.net", MS_ADDRESS_ERROR_INVALID_DOMAIN },
  { "jsmith@charter.net..", MS_ADDRESS_ERROR_INVALID_DOMAIN },
  /* Found by fuzz-address: the IDN conversion dropped the last dot. */
  { "jans@\xc3\xbc..", MS_ADDRESS_ERROR_INVALID_DOMAIN },
  { "jsmith@-charter.net", MS_ADDRESS_ERROR_INVALID_DOMAIN },
  { "jsmith@charter-.net", MS_ADDRESS_ERROR_INVALID_DOMAIN },
  { "jsmith@192.0.2.1", MS_ADDRESS_ERROR_INVALID_DOMAIN },
  { "jsmith@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.net",
    MS_ADDRESS_ERROR_INVALID_DOMAIN },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@charter.net",
    MS_ADDRESS_ERROR_LOCAL_PART_TOO_LONG },
};

static void
test_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      const GoodCase *good = &good_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(MsAddress) address = ms_address_parse (good->input, &error);
      g_autofree char *ascii = NULL;

      g_test_message ("%s", good->input);
      g_assert_no_error (error);
      g_assert_nonnull (address);
      g_assert_cmpstr (ms_address_get_local_part (address), ==, good->local_part);
      g_assert_cmpstr (ms_address_get_domain (address), ==, good->domain);
      g_assert_cmpstr (ms_address_get_display (address), ==, good->display);
      ascii = g_strconcat (good->local_part, "@", good->domain, NULL);
      g_assert_cmpstr (ms_address_get_ascii (address), ==, ascii);
    }
}

static void
test_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *bad = &bad_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(MsAddress) address = ms_address_parse (bad->input, &error);

      g_test_message ("%s → %s", bad->input, error != NULL ? error->message : "(accepted)");
      g_assert_null (address);
      g_assert_error (error, MS_ADDRESS_ERROR, (int) bad->code);
      /* A sentence a person can read, not a code. */
      g_assert_cmpuint (strlen (error->message), >, 10);
    }
}

static void
test_lengths (void)
{
  g_autoptr(GString) domain = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAddress) address = NULL;
  g_autofree char *local_64 = g_strnfill (64, 'a');
  g_autofree char *input = NULL;
  g_autofree char *huge = g_strnfill (100000, 'a');

  /* 64 characters before the "@" are allowed. */
  input = g_strconcat (local_64, "@charter.net", NULL);
  address = ms_address_parse (input, &error);
  g_assert_no_error (error);
  g_clear_pointer (&address, ms_address_unref);
  g_clear_pointer (&input, g_free);

  /* 64 + 1 + 190 = 255 characters: one too many. */
  while (domain->len < 190)
    g_string_append (domain, "abcdefghi.");
  g_string_truncate (domain, 186);
  g_string_append (domain, ".net");
  g_assert_cmpuint (domain->len, ==, 190);
  input = g_strconcat (local_64, "@", domain->str, NULL);
  address = ms_address_parse (input, &error);
  g_assert_null (address);
  g_assert_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_TOO_LONG);
  g_clear_error (&error);

  address = ms_address_parse (huge, &error);
  g_assert_null (address);
  g_assert_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_TOO_LONG);
}

static void
test_complete (void)
{
  g_autoptr(GError) error = NULL;
  MsAddress *address;
  gboolean completed = TRUE;

  address = ms_address_complete ("  jsmith ", "charter.net", &completed, &error);
  g_assert_no_error (error);
  g_assert_true (completed);
  g_assert_cmpstr (ms_address_get_ascii (address), ==, "jsmith@charter.net");
  ms_address_unref (address);

  address = ms_address_complete ("jsmith@", "charter.net", &completed, &error);
  g_assert_no_error (error);
  g_assert_true (completed);
  g_assert_cmpstr (ms_address_get_ascii (address), ==, "jsmith@charter.net");
  ms_address_unref (address);

  /* A full address is left alone, even in another domain. */
  address = ms_address_complete ("jsmith@spectrum.net", "charter.net", &completed, &error);
  g_assert_no_error (error);
  g_assert_false (completed);
  g_assert_cmpstr (ms_address_get_ascii (address), ==, "jsmith@spectrum.net");
  ms_address_unref (address);

  /* Without a default domain, a bare name is the usual error. */
  address = ms_address_complete ("jsmith", NULL, &completed, &error);
  g_assert_null (address);
  g_assert_false (completed);
  g_assert_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_NO_AT);
  g_clear_error (&error);

  /* Completion does not make garbage valid. */
  address = ms_address_complete ("john smith", "charter.net", &completed, &error);
  g_assert_null (address);
  g_assert_false (completed);
  g_assert_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_SPACE);
  g_clear_error (&error);

  address = ms_address_complete ("@", "charter.net", &completed, &error);
  g_assert_null (address);
  g_assert_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_EMPTY_LOCAL_PART);
  g_clear_error (&error);

  address = ms_address_complete ("", "charter.net", NULL, &error);
  g_assert_null (address);
  g_assert_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_EMPTY);
}

static void
test_boxed (void)
{
  g_autoptr(MsAddress) a = ms_address_parse ("x@Example.com", NULL);
  g_autoptr(MsAddress) b = ms_address_parse ("x@example.COM", NULL);
  g_autoptr(MsAddress) c = ms_address_parse ("X@example.com", NULL);
  MsAddress *copy;

  g_assert_true (ms_address_equal (a, b));
  g_assert_false (ms_address_equal (a, c));

  copy = g_boxed_copy (MS_TYPE_ADDRESS, a);
  g_assert_true (copy == a);
  g_boxed_free (MS_TYPE_ADDRESS, copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/good", test_good);
  g_test_add_func ("/address/bad", test_bad);
  g_test_add_func ("/address/lengths", test_lengths);
  g_test_add_func ("/address/complete", test_complete);
  g_test_add_func ("/address/boxed", test_boxed);

  return g_test_run ();
}
