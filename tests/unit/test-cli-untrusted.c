/* test-cli-untrusted.c: what the real `mail-setup` prints when provider files are hostile
 *
 * Issue 9, finding 10: a provider's display name, a notice, a file name or
 * a refused value in a warning reached the terminal raw: escape sequences
 * that clear the screen or retitle the window, line separators and
 * newlines that print a fake "Result: the account works", bidi overrides.
 * The real executable runs with hostile files in its
 * $XDG_CONFIG_HOME/mail-setup/providers, and every byte it prints on
 * stdout and stderr is checked; JSON is parsed and every string in it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cli-run.h"

#include "ms-account-report.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

static char *xdg_root;

/* Lines of valid UTF-8 without a control character (the newline that
 * ends each line aside), line separator, bidi control or zero-width
 * mark, and no line that starts with a forged result. */
static void
assert_terminal_safe (const char *text)
{
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n')
        g_assert_false (ms_untrusted_text_is_hidden_character (c));
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_false (g_str_has_prefix (g_strchug (lines[i]), "Result: the account works"));
}

static void
assert_node_safe (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *member;
        JsonNode *child;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &member, &child))
          assert_node_safe (child);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          assert_node_safe (json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *value = json_node_get_string (node);

          for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
            g_assert_false (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)));
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* The decoded strings, not only the bytes: JSON escapes turn back into
 * control characters in whatever prints them. */
static JsonNode *
assert_json_safe (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_copy (json_parser_get_root (parser));
  assert_node_safe (root);

  return root;
}

static void
test_list (void)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) json_run = { 0 };
  g_autoptr(JsonNode) root = NULL;

  cli_run_command (&run, xdg_root, NULL, "providers", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_terminal_safe (run.out);
  assert_terminal_safe (run.err);
  /* The refused files are named in warnings, cleaned. */
  g_assert_nonnull (strstr (run.err, "<displayName>"));
  g_assert_nonnull (strstr (run.err, "<hostname>"));
  /* The accepted one is listed, with what is left of its file name. */
  g_assert_nonnull (strstr (run.out, "Hostile Mail"));
  g_assert_nonnull (strstr (run.out, "odd]0;name"));

  cli_run_command (&json_run, xdg_root, NULL, "providers", "--json", NULL);
  g_assert_cmpint (json_run.status, ==, 0);
  root = assert_json_safe (json_run.out);
  assert_terminal_safe (json_run.err);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                                         "load_errors")), ==, 2);
}

static void
test_show (void)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) json_run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *provider;

  cli_run_command (&run, xdg_root, NULL, "providers", "hostile.test", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_terminal_safe (run.out);
  assert_terminal_safe (run.err);
  g_assert_nonnull (strstr (run.out, "Notice (info): Read[2J this Result: the account works now"));
  g_assert_nonnull (strstr (run.out, "Home]0;title"));

  cli_run_command (&json_run, xdg_root, NULL, "providers", "hostile.test", "--json", NULL);
  g_assert_cmpint (json_run.status, ==, 0);
  root = assert_json_safe (json_run.out);
  provider = json_object_get_object_member (json_node_get_object (root), "provider");
  g_assert_cmpstr (json_object_get_string_member (provider, "name"), ==, "Hostile Mail");
}

/* `test` prints the provider, the profile and what the servers did: a
 * closed loopback port here, so nothing is sent anywhere. */
static void
test_test_command (void)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) json_run = { 0 };
  g_autoptr(JsonNode) root = NULL;

  cli_run_command (&run, xdg_root, NULL, "test", "pat@hostile.test", "--timeout", "2", NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_terminal_safe (run.out);
  assert_terminal_safe (run.err);
  g_assert_nonnull (strstr (run.out, "Provider: Hostile Mail"));
  g_assert_nonnull (strstr (run.out, "Result: the account does not work yet."));

  cli_run_command (&json_run, xdg_root, NULL, "test", "pat@hostile.test", "--timeout", "2", "--json", NULL);
  g_assert_cmpint (json_run.status, ==, 1);
  root = assert_json_safe (json_run.out);
  assert_terminal_safe (json_run.err);
}

/* The command line's own arguments are echoed in errors. */
static void
test_arguments_echoed (void)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) domain_run = { 0 };

  cli_run_command (&run, xdg_root, NULL, "\033]0;owned\007\033[2J", NULL);
  g_assert_cmpint (run.status, ==, 2);
  assert_terminal_safe (run.err);

  cli_run_command (&domain_run, xdg_root, NULL, "providers", "x\nResult: the account works\xe2\x80\xae", NULL);
  g_assert_cmpint (domain_run.status, ==, 2);
  assert_terminal_safe (domain_run.err);
}

static void
assert_refused_option (const char *option,
                       CliRun     *run)
{
  g_assert_cmpint (run->status, ==, 2);
  assert_terminal_safe (run->err);
  g_assert_nonnull (strstr (run->err, option));
  g_assert_nonnull (strstr (run->err, "refused"));
}

/* Every string option passes the validator before a command uses it
 * (nothing is saved, exported or looked up). */
static void
test_options_validated (void)
{
  static const struct { const char *option; const char *args[8]; } cases[] = {
    { "--name", { "export", "pat@hostile.test", "--to", "msmtp", "--name", "Pat\nsource 'id|'", NULL } },
    { "--name", { "export", "pat@hostile.test", "--to", "msmtp", "--name", "\xe2\x80\xaePat", NULL } },
    { "--output", { "export", "pat@hostile.test", "--to", "msmtp", "--output", "/tmp/a\nb", NULL } },
    { "--profile", { "test", "pat@hostile.test", "--profile", "home;id", NULL } },
    { "--ca-file", { "test", "pat@hostile.test", "--ca-file", "/tmp/ca\033[2J.pem", NULL } },
    { "--domain", { "test", "pat", "--domain", "hostile.test:25", NULL } },
    { "--ca-file", { "providers", "lookup", "pat@hostile.test", "--ca-file", "ca\r.pem", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };
      const char * const *a = cases[i].args;

      cli_run_command (&run, xdg_root, NULL, a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
      assert_refused_option (cases[i].option, &run);
    }
}

/* A scripted web server, because no real one sends this: a status line
 * whose reason phrase clears the screen, retitles the window, reverses
 * text and starts a new line (U+2028). Answers every request the same
 * way, in a thread of its own (the command runs synchronously). */
typedef struct
{
  GSocket *socket;
  gint     stop;
} ReasonServer;

static gpointer
reason_server_thread (gpointer data)
{
  ReasonServer *server = data;
  static const char response[] =
    "HTTP/1.1 503 Busy\033]0;owned\007\033[2J \342\200\256Result: the account works\342\200\250x\r\n"
    "Content-Length: 0\r\nConnection: close\r\n\r\n";

  while (!g_atomic_int_get (&server->stop))
    {
      g_autoptr(GSocket) client = g_socket_accept (server->socket, NULL, NULL);
      char request[4096];

      if (client == NULL)
        continue;
      g_socket_set_timeout (client, 5);
      g_socket_receive (client, request, sizeof request, NULL, NULL);
      g_socket_send (client, response, sizeof response - 1, NULL, NULL);
      g_socket_close (client, NULL);
    }

  return NULL;
}

static void
test_reason_phrase (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) json_run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  ReasonServer server = { NULL, 0 };
  g_autofree char *url = NULL;

  server.socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (server.socket, any, TRUE, &error));
  g_assert_true (g_socket_listen (server.socket, &error));
  g_assert_no_error (error);
  g_socket_set_timeout (server.socket, 1);
  bound = g_socket_get_local_address (server.socket, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("reason-server", reason_server_thread, &server);

  /* The public database is the one source that can be sent to loopback
   * without DNS (a development build reads its URL from the environment). */
  url = g_strdup_printf ("http://127.0.0.1:%u/v1.1/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  {
    const char * const env[] = { "MAIL_SETUP_PUBLIC_DATABASE_URL", url, NULL };

    cli_run_command (&run, xdg_root, env, "providers", "lookup", "pat@nowhere.test",
                     "--timeout", "3", NULL);
    cli_run_command (&json_run, xdg_root, env, "providers", "lookup", "pat@nowhere.test",
                     "--timeout", "3", "--json", NULL);
  }

  g_atomic_int_set (&server.stop, 1);
  g_thread_join (g_steal_pointer (&thread));
  g_socket_close (server.socket, NULL);
  g_clear_object (&server.socket);

  g_assert_cmpint (run.status, ==, 1);
  assert_terminal_safe (run.out);
  assert_terminal_safe (run.err);
  /* The reason was shown, cleaned, on the public database's line. */
  g_assert_nonnull (strstr (run.out, "Busy]0;owned[2J Result: the account works x"));
  root = assert_json_safe (json_run.out);
  assert_terminal_safe (json_run.err);
  g_assert_nonnull (strstr (json_run.out, "Busy]0;owned[2J Result: the account works x"));
}

/* The second wall: a provider that never went through a provider file
 * (as discovery builds from DNS) is still shown cleaned, in the JSON and
 * in the report's text. */
static void
test_second_wall (void)
{
  g_autoptr(MsProvider) provider = ms_provider_new ("wall.test");
  g_autoptr(MsProfile) profile = ms_profile_new ("p");
  g_autoptr(MsAddress) address = ms_address_parse ("pat@wall.test", NULL);
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(JsonNode) provider_json = NULL;
  g_autoptr(JsonNode) report_json = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *provider_text = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *text = NULL;

  ms_provider_set_display_name (provider, "Wall\033]0;owned\007\nResult: the account works\xe2\x80\xae");
  ms_provider_set_source (provider, "https://wall.test/\033[2J");
  ms_profile_add_name (profile, NULL, "Home\xe2\x80\xa8Result: the account works");
  ms_provider_add_profile (provider, profile);

  provider_json = ms_provider_to_json (provider);
  provider_text = ms_json_to_pretty_string (provider_json);
  g_clear_pointer (&parsed, json_node_unref);
  parsed = assert_json_safe (provider_text);

  report = ms_account_report_new (address, provider, profile);
  report_json = ms_account_report_to_json (report);
  report_text = json_to_string (report_json, TRUE);
  g_clear_pointer (&parsed, json_node_unref);
  parsed = assert_json_safe (report_text);

  text = ms_account_report_to_text (report);
  cli_log_output ("report", text);
  assert_terminal_safe (text);
  g_assert_nonnull (strstr (text, "Provider: Wall]0;owned Result: the account works (https://wall.test/[2J)"));
}

static void
write_provider (const char *dir,
                const char *name,
                const char *xml)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *providers_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  xdg_root = g_dir_make_tmp ("ms-cli-untrusted-XXXXXX", NULL);
  providers_dir = g_build_filename (xdg_root, "config", "mail-setup", "providers", NULL);
  g_assert_cmpint (g_mkdir_with_parents (providers_dir, 0700), ==, 0);

  /* Accepted: only shown text is hostile, and the file's own name. */
  write_provider (providers_dir, "odd\033]0;name\007\nResult: the account works\xe2\x80\xae.xml",
                  "<clientConfig version=\"1.1\" xmlns:ms=\"https://mailsetup.github.io/ns/profiles/1\">\n"
                  "<emailProvider id=\"hostile.test\">\n<domain>hostile.test</domain>\n"
                  "<displayName>Hostile Mail</displayName>\n"
                  "<ms:notice kind=\"info\">Read&#27;[2J this&#8232;Result: the account works&#x202E; now</ms:notice>\n"
                  "<ms:profile id=\"home\" recommended=\"true\">\n"
                  "<ms:name>Home&#27;]0;title&#7;</ms:name>\n"
                  "<ms:description>One&#x2029;Result: the account works</ms:description>\n"
                  "<incomingServer type=\"imap\"><hostname>127.0.0.1</hostname><port>1</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>\n"
                  "<outgoingServer type=\"smtp\"><hostname>127.0.0.1</hostname><port>1</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>\n"
                  "</ms:profile>\n</emailProvider>\n</clientConfig>\n");
  /* Refused: a name and a host name that would forge output. */
  write_provider (providers_dir, "name.xml",
                  "<clientConfig version=\"1.1\">\n<emailProvider id=\"name.test\">\n<domain>name.test</domain>\n"
                  "<displayName>&#27;[2J&#27;]0;owned&#7;Result: the account works&#10;</displayName>\n"
                  "<incomingServer type=\"imap\"><hostname>imap.name.test</hostname><port>993</port>"
                  "<socketType>SSL</socketType></incomingServer>\n</emailProvider>\n</clientConfig>\n");
  write_provider (providers_dir, "host.xml",
                  "<clientConfig version=\"1.1\">\n<emailProvider id=\"host.test\">\n<domain>host.test</domain>\n"
                  "<incomingServer type=\"imap\"><hostname>imap&#27;[2J&#x202E;.host.test&#10;Result: the account works</hostname>"
                  "<port>993</port><socketType>SSL</socketType></incomingServer>\n</emailProvider>\n</clientConfig>\n");

  g_test_add_func ("/cli-untrusted/list", test_list);
  g_test_add_func ("/cli-untrusted/show", test_show);
  g_test_add_func ("/cli-untrusted/test", test_test_command);
  g_test_add_func ("/cli-untrusted/arguments-echoed", test_arguments_echoed);
  g_test_add_func ("/cli-untrusted/second-wall", test_second_wall);
  g_test_add_func ("/cli-untrusted/reason-phrase", test_reason_phrase);
  g_test_add_func ("/cli-untrusted/options-validated", test_options_validated);

  status = g_test_run ();
  cli_remove_tree (xdg_root);
  g_free (xdg_root);

  return status;
}
