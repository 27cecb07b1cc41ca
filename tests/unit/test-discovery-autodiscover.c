/* test-discovery-autodiscover.c: the Autodiscover (POX) answer reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-discovery-autodiscover.h"
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

  return g_test_run ();
}
