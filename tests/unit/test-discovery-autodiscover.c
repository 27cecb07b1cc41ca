/* test-discovery-autodiscover.c: the Autodiscover (POX) answer reader, and its SRV step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-discovery-autodiscover.h"
#include "ms-discovery-autodiscover-srv.h"
#include "ms-profile.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" \
  "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n" \
  "<Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">\n" \
  "<Account><AccountType>email</AccountType><Action>settings</Action>\n"
#define TAIL "</Account></Response></Autodiscover>\n"
#define EXCH "<Protocol><Type>EXCH</Type><Server>ex1.corp.example</Server></Protocol>\n"
#define IMAP "<Protocol><Type>IMAP</Type><Server>imap.corp.example</Server><Port>993</Port>" \
             "<SSL>on</SSL><LoginName>alice</LoginName></Protocol>\n"
#define SMTP "<Protocol><Type>SMTP</Type><Server>smtp.corp.example</Server><Port>587</Port>" \
             "<Encryption>TLS</Encryption></Protocol>\n"

static MsAutodiscoverAnswer *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return ms_discovery_autodiscover_parse (bytes, "corp.example", "https://autodiscover.corp.example/", error);
}

static void
test_exchange_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAutodiscoverAnswer) answer = parse (HEAD EXCH TAIL, &error);

  g_assert_no_error (error);
  g_assert_true (answer->exchange);
  g_assert_cmpstr (answer->exchange_server, ==, "ex1.corp.example");
  g_assert_null (answer->provider);
}

static void
test_imap_smtp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAutodiscoverAnswer) answer = parse (HEAD EXCH IMAP SMTP TAIL, &error);
  MsProfile *profile;
  MsServer *imap;
  MsServer *smtp;

  g_assert_no_error (error);
  g_assert_true (answer->exchange);
  g_assert_nonnull (answer->provider);
  profile = ms_provider_get_recommended_profile (answer->provider);
  imap = g_ptr_array_index (ms_profile_get_incoming (profile), 0);
  smtp = g_ptr_array_index (ms_profile_get_outgoing (profile), 0);
  g_assert_cmpstr (imap->hostname, ==, "imap.corp.example");
  g_assert_cmpint (imap->security, ==, MS_SECURITY_TLS);
  g_assert_cmpstr (imap->username, ==, "alice");
  g_assert_cmpstr (smtp->hostname, ==, "smtp.corp.example");
  g_assert_cmpuint (smtp->port, ==, 587);
  g_assert_cmpint (smtp->security, ==, MS_SECURITY_STARTTLS);
}

static void
test_redirects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAutodiscoverAnswer) addr = NULL;
  g_autoptr(MsAutodiscoverAnswer) url = NULL;

  addr = parse ("<Autodiscover><Response><Account><Action>redirectAddr</Action>"
                "<RedirectAddr>bob@corp.example</RedirectAddr>" TAIL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (addr->redirect_addr, ==, "bob@corp.example");
  url = parse ("<Autodiscover><Response><Account><Action>redirectUrl</Action>"
               "<RedirectUrl>https://mail.corp.example/autodiscover/autodiscover.xml</RedirectUrl>"
               "</Account></Response></Autodiscover>", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url->redirect_url, ==, "https://mail.corp.example/autodiscover/autodiscover.xml");
}

static void
test_hostile (void)
{
  const struct { const char *text; gint code; } cases[] = {
    { HEAD "<Protocol><Type>IMAP</Type><Server>imap.corp.example;id</Server></Protocol>" SMTP TAIL,
      MS_DISCOVERY_ERROR_INTEGRITY },
    { HEAD "<Protocol><Type>IMAP</Type><Server>imap.corp.example&#10;x</Server></Protocol>" SMTP TAIL,
      MS_DISCOVERY_ERROR_INTEGRITY },
    { HEAD "<Protocol><Type>IMAP</Type><Server>i.corp.example</Server><Port>99999</Port></Protocol>" SMTP TAIL,
      MS_DISCOVERY_ERROR_INTEGRITY },
    { HEAD "<Protocol><Type>IMAP</Type><Server>i.corp.example</Server><LoginName>a&#27;[2J</LoginName>"
      "</Protocol>" SMTP TAIL, MS_DISCOVERY_ERROR_INTEGRITY },
    { HEAD "<Protocol><Type>IMAP</Type></Protocol>" SMTP TAIL, MS_DISCOVERY_ERROR_INTEGRITY },
    { "<html><body>It works!</body></html>", MS_DISCOVERY_ERROR_NOT_FOUND },
    { "garbage \x01\x02", MS_DISCOVERY_ERROR_INTEGRITY },
    { "<Autodiscover><Response><Error><Message>No mailbox</Message></Error></Response></Autodiscover>",
      MS_DISCOVERY_ERROR_NOT_FOUND },
    { "", MS_DISCOVERY_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsAutodiscoverAnswer) answer = parse (cases[i].text, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(none)");
      g_assert_null (answer);
      g_assert_error (error, MS_DISCOVERY_ERROR, cases[i].code);
    }
}

static void
test_deep (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAutodiscoverAnswer) answer = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append (deep, "<a>");
  answer = parse (deep->str, &error);
  g_assert_null (answer);
  g_assert_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY);
}

static void
test_request (void)
{
  g_autofree char *request = ms_discovery_autodiscover_request ("a<b>&c@corp.example");

  g_assert_nonnull (strstr (request, "<EMailAddress>a&lt;b&gt;&amp;c@corp.example</EMailAddress>"));
  g_assert_nonnull (strstr (request, "responseschema/2006a"));
}

/* SRV records as g_resolver_lookup_records() gives them: (priority,
 * weight, port, target). */
static GList *
records_of (const char *first_target,
            ...)
{
  GList *records = NULL;
  va_list args;

  va_start (args, first_target);
  for (const char *target = first_target; target != NULL; target = va_arg (args, const char *))
    {
      guint priority = va_arg (args, guint);
      guint weight = va_arg (args, guint);
      guint port = va_arg (args, guint);

      records = g_list_append (records, g_variant_ref_sink (g_variant_new ("(qqqs)", priority, weight,
                                                                           port, target)));
    }
  va_end (args);

  return records;
}

static GStrv
urls_of (GList  *records,
         char  **notes)
{
  GStrv urls = ms_discovery_autodiscover_srv_urls (records, "corp.example", 0, notes);

  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  return urls;
}

static void
test_srv_order (void)
{
  g_autofree char *notes = NULL;
  g_auto(GStrv) urls = urls_of (records_of ("b.corp.example.", 10, 5, 443,
                                            "a.corp.example.", 0, 1, 443,
                                            "c.corp.example", 10, 50, 443,
                                            "A.corp.example", 20, 0, 443, NULL), &notes);

  /* Priority, then weight; the same target once. */
  g_assert_cmpuint (g_strv_length (urls), ==, 3);
  g_assert_cmpstr (urls[0], ==, "https://a.corp.example/autodiscover/autodiscover.xml");
  g_assert_cmpstr (urls[1], ==, "https://c.corp.example/autodiscover/autodiscover.xml");
  g_assert_cmpstr (urls[2], ==, "https://b.corp.example/autodiscover/autodiscover.xml");
  g_assert_null (notes);
}

static void
test_srv_foreign (void)
{
  g_autofree char *notes = NULL;
  g_auto(GStrv) urls = urls_of (records_of ("autodiscover.hoster.example.", 0, 0, 443,
                                            "ad.corp.example.", 5, 0, 443, NULL), &notes);

  /* The address would go to the hoster: not asked, and said so. */
  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, "https://ad.corp.example/autodiscover/autodiscover.xml");
  g_assert_nonnull (strstr (notes, "autodiscover.hoster.example is outside corp.example: not asked"));
}

static void
test_srv_hostile (void)
{
  g_autofree char *notes = NULL;
  g_auto(GStrv) urls = urls_of (records_of ("evil.corp.example:8443", 0, 0, 443,
                                            "x.corp.example\r\nHost: y", 0, 0, 443,
                                            "\x1b[2J.corp.example", 0, 0, 443,
                                            "zero.corp.example", 0, 0, 0,
                                            "admin.corp.example", 0, 0, 8080,
                                            "", 1, 0, 443,
                                            "mail.attacker.example", 2, 0, 443,
                                            "ok.corp.example", 9, 0, 443, NULL), &notes);

  g_test_message ("%s", notes);
  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, "https://ok.corp.example/autodiscover/autodiscover.xml");
  g_assert_nonnull (strstr (notes, "port 0 ignored"));
  g_assert_nonnull (strstr (notes, "port 8080 ignored"));
  g_assert_nonnull (strstr (notes, "an empty target among other records ignored"));
  /* Bounded: six sentences, then a count. */
  g_assert_nonnull (strstr (notes, "1 more record refused"));
  /* Nothing hostile reaches the notes as it came. */
  g_assert_null (strchr (notes, '\x1b'));
  g_assert_null (strchr (notes, '\r'));
  g_assert_null (strchr (notes, '\n'));
}

static void
test_srv_many (void)
{
  GList *records = NULL;
  g_autofree char *notes = NULL;
  g_auto(GStrv) urls = NULL;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *target = g_strdup_printf ("h%u.corp.example", i);

      records = g_list_prepend (records, g_variant_ref_sink (g_variant_new ("(qqqs)", i, 0, 443, target)));
    }
  urls = urls_of (records, &notes);

  g_assert_cmpuint (g_strv_length (urls), ==, MS_DISCOVERY_AUTODISCOVER_SRV_MAX_TARGETS);
  g_assert_cmpstr (urls[0], ==, "https://h0.corp.example/autodiscover/autodiscover.xml");
  g_assert_cmpstr (urls[3], ==, "https://h3.corp.example/autodiscover/autodiscover.xml");
  g_assert_nonnull (strstr (notes, "1996 more records ignored (the best 4 are kept)"));
}

static void
test_srv_not_offered (void)
{
  g_autofree char *notes = NULL;
  g_auto(GStrv) urls = urls_of (records_of (".", 0, 0, 0, NULL), &notes);
  g_auto(GStrv) no_records = ms_discovery_autodiscover_srv_urls (NULL, "corp.example", 0, NULL);

  g_assert_cmpuint (g_strv_length (urls), ==, 0);
  g_assert_null (notes);
  g_assert_cmpuint (g_strv_length (no_records), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/discovery-autodiscover/request", test_request);
  g_test_add_func ("/discovery-autodiscover/exchange-only", test_exchange_only);
  g_test_add_func ("/discovery-autodiscover/imap-smtp", test_imap_smtp);
  g_test_add_func ("/discovery-autodiscover/redirects", test_redirects);
  g_test_add_func ("/discovery-autodiscover/hostile", test_hostile);
  g_test_add_func ("/discovery-autodiscover/deep", test_deep);
  g_test_add_func ("/discovery-autodiscover/srv/order", test_srv_order);
  g_test_add_func ("/discovery-autodiscover/srv/foreign", test_srv_foreign);
  g_test_add_func ("/discovery-autodiscover/srv/hostile", test_srv_hostile);
  g_test_add_func ("/discovery-autodiscover/srv/many", test_srv_many);
  g_test_add_func ("/discovery-autodiscover/srv/not-offered", test_srv_not_offered);

  return g_test_run ();
}
