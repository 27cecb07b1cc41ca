/* test-trust.c: the trust decision, command arguments, the test message's date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "ms-account-test.h"
#include "ms-dialect.h"
#include "ms-discovery-attempt.h"
#include "ms-discovery-error.h"

/* Finding 13: RFC 5322 names days and months in English, whatever the
 * locale says. */
static void
test_date_locale (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (-(4 * 3600 + 30 * 60));
  g_autoptr(GDateTime) thursday = g_date_time_new (zone, 2026, 12, 3, 9, 5, 7);
  g_autofree char *localized = NULL;
  g_autofree char *date = NULL;

  if (setlocale (LC_ALL, "es_ES.UTF-8") == NULL)
    g_error ("the es_ES.UTF-8 locale is missing: install locales-all (build-aux/debian-packages.txt)");

  /* The locale is really in force: GLib would write Spanish names. */
  localized = g_date_time_format (thursday, "%a %b");
  g_assert_cmpstr (localized, ==, "jue dic");

  date = ms_account_test_format_date (thursday);
  g_assert_cmpstr (date, ==, "Thu, 03 Dec 2026 09:05:07 -0430");

  setlocale (LC_ALL, "C.UTF-8");
}

static void
test_date_every_month (void)
{
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  for (int month = 1; month <= 12; month++)
    {
      g_autoptr(GDateTime) date_time = g_date_time_new (utc, 2027, month, 1, 0, 0, 0);
      g_autofree char *date = ms_account_test_format_date (date_time);

      g_assert_nonnull (strstr (date, months[month - 1]));
      g_assert_true (g_str_has_suffix (date, " +0000"));
    }
}

/* Finding 1, POP3 part: no argument of any command may hold a line break
 * or a NUL. */
static void
test_command_arguments (void)
{
  static const struct { const char *value; gssize length; gboolean ok; } cases[] = {
    { "alice@example.com", -1, TRUE },
    { "p\xc3\xa4ss \"w\\ord\" $(x) `y` ; # % |", -1, TRUE },
    { "alice\r\nDELE 1", -1, FALSE },
    { "alice\nQUIT", -1, FALSE },
    { "alice\rQUIT", -1, FALSE },
    { "pass\0word", 9, FALSE },
    { "", -1, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = ms_dialect_check_argument (cases[i].value, cases[i].length, "the username", &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          g_assert_nonnull (strstr (error->message, "the username"));
        }
    }
}

static void
test_credentials (void)
{
  g_autoptr(MsSecret) good = ms_secret_new ("se cr\"et");
  g_autoptr(MsSecret) broken = ms_secret_new ("secret\r\nAUTH PLAIN x");
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_dialect_check_credentials ("alice", good, NULL));
  g_assert_true (ms_dialect_check_credentials ("alice", NULL, NULL));
  g_assert_false (ms_dialect_check_credentials ("alice", broken, &error));
  g_assert_nonnull (strstr (error->message, "password"));
  /* The message never carries the password. */
  g_assert_null (strstr (error->message, "secret"));
}

/* Settings that were not discovered need no confirmation; those of a
 * source that is not the domain's own do, until confirmed. */
static void
test_check_password (void)
{
  g_autoptr(MsDiscoveryAttempt) own = ms_discovery_attempt_new (MS_DISCOVERY_SOURCE_AUTOCONFIG,
                                                                "example.com", FALSE, "https://autoconfig.example.com/");
  g_autoptr(MsDiscoveryAttempt) database = ms_discovery_attempt_new (MS_DISCOVERY_SOURCE_PUBLIC_DATABASE,
                                                                     "example.com", FALSE,
                                                                     "http://db.example.net/example.com");
  g_autoptr(MsDiscoveryAttempt) mx_file = ms_discovery_attempt_new (MS_DISCOVERY_SOURCE_PROVIDER_FILE,
                                                                    "hoster.net", TRUE, NULL);
  g_autoptr(MsProvider) provider = ms_provider_new ("example.com");
  g_autoptr(MsProfile) profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "imap.example.com", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "smtp.example.com", 465, MS_SECURITY_TLS);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;

  ms_profile_add_incoming (profile, imap);
  ms_profile_add_outgoing (profile, smtp);
  ms_provider_add_profile (provider, profile);

  g_assert_true (ms_discovery_attempt_check_password (NULL, FALSE, NULL));

  ms_discovery_attempt_set_found (own, provider, "example.com");
  g_assert_cmpint (ms_discovery_attempt_get_concerns (own), ==, MS_DISCOVERY_CONCERN_NONE);
  g_assert_true (ms_discovery_attempt_check_password (own, FALSE, NULL));

  /* A third party's answer, fetched in clear. */
  ms_discovery_attempt_set_found (database, provider, "example.com");
  g_assert_cmpint (ms_discovery_attempt_get_concerns (database), ==,
                   MS_DISCOVERY_CONCERN_PUBLIC_DATABASE | MS_DISCOVERY_CONCERN_PLAIN_HTTP);
  g_assert_false (ms_discovery_attempt_check_password (database, FALSE, &error));
  g_assert_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION);
  g_assert_true (ms_discovery_attempt_check_password (database, TRUE, NULL));
  words = ms_discovery_concerns_to_strv (ms_discovery_attempt_get_concerns (database));
  g_assert_cmpuint (g_strv_length (words), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) words, "public-database"));
  g_assert_true (g_strv_contains ((const char * const *) words, "plain-http"));

  /* Even a bundled provider file, when only the MX record led there. */
  ms_discovery_attempt_set_found (mx_file, provider, "company.org");
  g_assert_cmpint (ms_discovery_attempt_get_concerns (mx_file), ==, MS_DISCOVERY_CONCERN_VIA_MX);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trust/date-locale", test_date_locale);
  g_test_add_func ("/trust/date-every-month", test_date_every_month);
  g_test_add_func ("/trust/command-arguments", test_command_arguments);
  g_test_add_func ("/trust/credentials", test_credentials);
  g_test_add_func ("/trust/check-password", test_check_password);

  return g_test_run ();
}
