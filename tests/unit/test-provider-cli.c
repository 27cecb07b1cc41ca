/* test-provider-cli.c: the real `mail-setup providers` command, run as a process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cli-run.h"

static char *xdg_root;
static char *broken_path;

static JsonObject *
parse_json (const char *text,
            JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
find_server (JsonArray  *servers,
             const char *hostname,
             gint64      port)
{
  for (guint i = 0; i < json_array_get_length (servers); i++)
    {
      JsonObject *server = json_array_get_object_element (servers, i);

      if (g_str_equal (json_object_get_string_member (server, "hostname"), hostname) &&
          json_object_get_int_member (server, "port") == port)
        return server;
    }

  return NULL;
}

static void
assert_broken_warning (const char *err)
{
  g_autofree char *expected = g_strdup_printf ("%s:7: ", broken_path);

  g_assert_nonnull (strstr (err, "warning"));
  g_assert_nonnull (strstr (err, expected));
}

static void
test_show_json (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *provider, *mobile, *desktop, *server, *support;
  JsonArray *profiles, *domains, *errors;

  cli_run_command (&run, xdg_root, NULL, "providers", "Charter.NET", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_broken_warning (run.err);

  root = parse_json (run.out, parser);
  g_assert_cmpstr (json_object_get_string_member (root, "domain"), ==, "charter.net");
  errors = json_object_get_array_member (root, "load_errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (errors, 0), broken_path));

  provider = json_object_get_object_member (root, "provider");
  g_assert_cmpstr (json_object_get_string_member (provider, "id"), ==, "charter.net");
  g_assert_cmpstr (json_object_get_string_member (provider, "source"), ==,
                   "resource:///io/github/mailsetup/MailSetup/providers/charter.net.xml");
  g_assert_true (json_object_get_boolean_member (provider, "username_is_address"));
  domains = json_object_get_array_member (provider, "domains");
  g_assert_cmpuint (json_array_get_length (domains), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (domains, 0), ==, "charter.net");
  support = json_object_get_object_member (provider, "support");
  g_assert_cmpstr (json_object_get_string_member (support, "phone"), ==, "1-888-438-2427");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (provider, "notices")), ==, 0);

  profiles = json_object_get_array_member (provider, "profiles");
  g_assert_cmpuint (json_array_get_length (profiles), ==, 2);
  mobile = json_array_get_object_element (profiles, 0);
  g_assert_cmpstr (json_object_get_string_member (mobile, "id"), ==, "mobile");
  g_assert_cmpstr (json_object_get_string_member (mobile, "name"), ==, "Mobile");
  g_assert_true (json_object_get_boolean_member (mobile, "recommended"));
  g_assert_true (json_object_get_null_member (mobile, "restriction"));
  server = find_server (json_object_get_array_member (mobile, "outgoing"), "mobile.charter.net", 587);
  g_assert_nonnull (server);
  g_assert_cmpstr (json_object_get_string_member (server, "protocol"), ==, "smtp");
  g_assert_cmpstr (json_object_get_string_member (server, "security"), ==, "SSL");
  g_assert_cmpstr (json_object_get_string_member (server, "username"), ==, "%EMAILADDRESS%");
  g_assert_cmpstr (json_object_get_string_member (server, "auth"), ==, "password-cleartext");

  desktop = json_array_get_object_element (profiles, 1);
  g_assert_cmpstr (json_object_get_string_member (desktop, "id"), ==, "desktop");
  g_assert_false (json_object_get_boolean_member (desktop, "recommended"));
  g_assert_nonnull (json_object_get_string_member (desktop, "restriction"));
  g_assert_nonnull (find_server (json_object_get_array_member (desktop, "incoming"), "IMAP.charter.net", 143));
  server = find_server (json_object_get_array_member (desktop, "outgoing"), "SMTP.charter.net", 25);
  g_assert_nonnull (server);
  g_assert_true (json_object_get_null_member (server, "username"));
  server = find_server (json_object_get_array_member (desktop, "alternates"), "smtp.charter.net", 465);
  g_assert_nonnull (server);
  g_assert_cmpstr (json_object_get_string_member (server, "security"), ==, "SSL");
}

static void
test_show_text (void)
{
  g_auto(CliRun) run = { 0 };

  cli_run_command (&run, xdg_root, NULL, "providers", "gmail.com", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "imap.gmail.com:993"));
  g_assert_nonnull (strstr (run.out, "resource:///"));
  g_assert_nonnull (strstr (run.out, "app-password"));
  assert_broken_warning (run.err);
}

static void
test_list (void)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) json_run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *providers;
  gboolean found_charter = FALSE;

  cli_run_command (&run, xdg_root, NULL, "providers", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "charter.net"));
  g_assert_nonnull (strstr (run.out, "spectrum.net"));
  g_assert_nonnull (strstr (run.out, "googlemail.com"));
  assert_broken_warning (run.err);

  cli_run_command (&json_run, xdg_root, NULL, "providers", "--json", NULL);
  g_assert_cmpint (json_run.status, ==, 0);
  root = parse_json (json_run.out, parser);
  providers = json_object_get_array_member (root, "providers");
  g_assert_cmpuint (json_array_get_length (providers), ==, 11);
  for (guint i = 0; i < json_array_get_length (providers); i++)
    {
      JsonObject *provider = json_array_get_object_element (providers, i);

      g_assert_nonnull (json_object_get_string_member (provider, "name"));
      g_assert_nonnull (json_object_get_array_member (provider, "domains"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (provider, "source"), "resource:///"));
      if (g_str_equal (json_object_get_string_member (provider, "id"), "charter.net"))
        found_charter = TRUE;
    }
  g_assert_true (found_charter);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "load_errors")), ==, 1);
}

static void
test_unknown_domain (void)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) json_run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  cli_run_command (&run, xdg_root, NULL, "providers", "example.org", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "example.org"));

  cli_run_command (&json_run, xdg_root, NULL, "providers", "example.org", "--json", NULL);
  g_assert_cmpint (json_run.status, ==, 1);
  root = parse_json (json_run.out, parser);
  g_assert_true (json_object_get_null_member (root, "provider"));
}

static void
test_usage (void)
{
  const char *bad[][3] = {
    { "providers", "--bogus", NULL },
    { "providers", "a.example", "b.example" },
    { "providers", "lookup", NULL },
    { "providers", "jsmith@charter.net", NULL },
    { "providers", "not_a domain", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(CliRun) run = { 0 };

      cli_run_command (&run, xdg_root, NULL, bad[i][0], bad[i][1], bad[i][2], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "mail-setup: "));
    }

  {
    g_auto(CliRun) run = { 0 };

    cli_run_command (&run, xdg_root, NULL, "providers", "--help", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "--json"));
    g_assert_nonnull (strstr (run.out, "DOMAIN"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *providers_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* A broken file in the user's directory: every command warns about it
   * (file and line) and still works. */
  xdg_root = g_dir_make_tmp ("ms-cli-XXXXXX", NULL);
  providers_dir = g_build_filename (xdg_root, "config", "mail-setup", "providers", NULL);
  g_assert_cmpint (g_mkdir_with_parents (providers_dir, 0700), ==, 0);
  broken_path = g_build_filename (providers_dir, "broken.xml", NULL);
  g_assert_true (g_file_set_contents (broken_path,
                                      "<clientConfig version=\"1.1\">\n"
                                      "  <emailProvider id=\"broken\">\n"
                                      "    <domain>broken.example</domain>\n"
                                      "    <incomingServer type=\"imap\">\n"
                                      "      <hostname>imap.broken.example</hostname>\n"
                                      "      <port>993</port>\n"
                                      "      <socketType>TLS-ish</socketType>\n",
                                      -1, NULL));

  g_test_add_func ("/provider-cli/show-json", test_show_json);
  g_test_add_func ("/provider-cli/show-text", test_show_text);
  g_test_add_func ("/provider-cli/list", test_list);
  g_test_add_func ("/provider-cli/unknown-domain", test_unknown_domain);
  g_test_add_func ("/provider-cli/usage", test_usage);

  status = g_test_run ();

  cli_remove_tree (xdg_root);
  g_free (xdg_root);
  g_free (broken_path);

  return status;
}
