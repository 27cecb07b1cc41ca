/* test-prefs-js.c: Mozilla prefs.js read and edited; Thunderbird's accounts read and updated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "accounts-test-util.h"
#include "ms-exporter.h"
#include "ms-mail-program-private.h"
#include "ms-prefs-js.h"

static void
test_parse_values (void)
{
  const char *text =
    "// Mozilla User Preferences\n"
    "# a hash comment\n"
    "/* a block\n"
    "   user_pref(\"in.comment\", 1);\n"
    "*/ user_pref(\"after.comment\", true);\n"
    "user_pref(\"s\", \"a\\\"b\\\\c\\u00E9\\uD834\\uDD1E\\x41\\n\");\n"
    "user_pref('single', 'it\\'s');\n"
    "pref(\"negative\", -42);  // trailing\n"
    "sticky_pref(\"off\", false);\n"
    "user_pref(\"twice\", 1); user_pref(\"twice\", 2);\n"
    "  user_pref ( \"spaced\" , 7 ) ;\r\n"
    "user_pref(\"raw\", \"Zoë\");";
  g_autoptr(MsPrefsJs) prefs = ms_prefs_js_parse (text, -1);
  gint64 number = 0;

  g_assert_cmpuint (ms_prefs_js_get_problems (prefs)->len, ==, 0);
  g_assert_null (ms_prefs_js_lookup (prefs, "in.comment"));
  g_assert_true (ms_prefs_js_lookup (prefs, "after.comment")->boolean);
  g_assert_cmpuint (ms_prefs_js_lookup (prefs, "after.comment")->line, ==, 5);
  g_assert_cmpstr (ms_prefs_js_get_string (prefs, "s"), ==, "a\"b\\c\xc3\xa9\xf0\x9d\x84\x9e" "A\n");
  g_assert_cmpstr (ms_prefs_js_get_string (prefs, "single"), ==, "it's");
  g_assert_true (ms_prefs_js_get_int (prefs, "negative", &number));
  g_assert_cmpint (number, ==, -42);
  g_assert_false (ms_prefs_js_lookup (prefs, "off")->boolean);
  /* The last one wins, as in Thunderbird. */
  g_assert_true (ms_prefs_js_get_int (prefs, "twice", &number));
  g_assert_cmpint (number, ==, 2);
  g_assert_true (ms_prefs_js_get_int (prefs, "spaced", &number));
  g_assert_cmpint (number, ==, 7);
  g_assert_cmpstr (ms_prefs_js_get_string (prefs, "raw"), ==, "Zoë");
  g_assert_null (ms_prefs_js_get_string (prefs, "negative"));
  g_assert_false (ms_prefs_js_get_int (prefs, "s", &number));
}

/* Every broken line is a problem on its line, gives no pref, and stops
 * none of the others. */
static void
test_parse_broken (void)
{
  static const char text[] =
    "user_pref(\"good.1\", 1);\n"
    "user_pref(\"unterminated\", \"abc);\n"
    "user_pref(\"no.semicolon\", 1)\n"
    "window.alert(1);\n"
    "user_pref(\"nul\", \"a\\u0000b\");\n"
    "user_pref(\"hexnul\", \"a\\x00b\");\n"
    "user_pref(\"lone\", \"\\uD800x\");\n"
    "user_pref(\"low\", \"\\uDC00\");\n"
    "user_pref(\"bytes\", \"\xff\xfe\");\n"
    "user_pref(\"big\", 99999999999);\n"
    "user_pref(\"bad.escape\", \"\\q\");\n"
    "user_pref(\"raw\0nul\", 1);\n"
    "user_pref(\"good.2\", \"two\");\n";
  g_autoptr(MsPrefsJs) prefs = ms_prefs_js_parse (text, sizeof text - 1);
  GPtrArray *problems = ms_prefs_js_get_problems (prefs);
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_cmpuint (problems->len, ==, 11);
  for (guint i = 0; i < problems->len; i++)
    {
      MsPrefsJsProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpuint (problem->line, ==, i + 2);
      g_assert_true (g_utf8_validate (problem->message, -1, NULL) && *problem->message != '\0');
    }
  g_assert_cmpuint (ms_prefs_js_get_prefs (prefs)->len, ==, 2);
  g_assert_cmpstr (ms_prefs_js_get_string (prefs, "good.2"), ==, "two");

  /* Kept as it was, NUL byte and all. */
  data = ms_prefs_js_to_data (prefs, &length);
  g_assert_cmpmem (data, length, text, sizeof text - 1);
}

static void
test_edit_keeps_other_lines (void)
{
  static const char text[] =
    "// Mozilla User Preferences\r\n"
    "user_pref(\"a\", \"old\");\r\n"
    "user_pref(\"keep\", \"x\\u00e9\");   // mine\n"
    "user_pref(\"dup\", 1);\n"
    "junk here\n"
    "user_pref(\"dup\", 2);\n"
    "user_pref(\"gone\", true);\n"
    "user_pref(\"last\", 3);";
  g_autoptr(MsPrefsJs) prefs = ms_prefs_js_parse (text, -1);
  g_autoptr(MsPrefsJs) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gint64 number = 0;

  data = ms_prefs_js_to_data (prefs, NULL);
  g_assert_cmpstr (data, ==, text);
  g_clear_pointer (&data, g_free);

  g_assert_true (ms_prefs_js_set_string (prefs, "a", "né \"q\" \\ 𝄞", &error));
  g_assert_true (ms_prefs_js_set_int (prefs, "dup", 5, &error));
  g_assert_true (ms_prefs_js_remove (prefs, "gone", &error));
  g_assert_true (ms_prefs_js_set_bool (prefs, "new", TRUE, &error));
  /* The value it has already: the line stays as written. */
  g_assert_true (ms_prefs_js_set_string (prefs, "keep", "xé", &error));
  g_assert_no_error (error);
  data = ms_prefs_js_to_data (prefs, NULL);
  g_assert_cmpstr (data, ==,
                   "// Mozilla User Preferences\r\n"
                   "user_pref(\"a\", \"n\\u00E9 \\\"q\\\" \\\\ \\uD834\\uDD1E\");\r\n"
                   "user_pref(\"keep\", \"x\\u00e9\");   // mine\n"
                   "user_pref(\"dup\", 5);\n"
                   "junk here\n"
                   "user_pref(\"last\", 3);\n"
                   "user_pref(\"new\", true);\n");

  again = ms_prefs_js_parse (data, -1);
  g_assert_cmpstr (ms_prefs_js_get_string (again, "a"), ==, "né \"q\" \\ 𝄞");
  g_assert_true (ms_prefs_js_get_int (again, "dup", &number));
  g_assert_cmpint (number, ==, 5);
  g_assert_null (ms_prefs_js_lookup (again, "gone"));
  g_assert_cmpuint (ms_prefs_js_get_problems (again)->len, ==, 1);
}

/* A value the format cannot hold, and a line with two prefs, change nothing. */
static void
test_edit_refused (void)
{
  static const char text[] = "user_pref(\"a\", 1); user_pref(\"b\", 2);\nuser_pref(\"c\", 3);\n"
                             "/* x */ user_pref(\"d\", 4);\n/* open\n";
  g_autoptr(MsPrefsJs) prefs = ms_prefs_js_parse (text, -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  g_assert_false (ms_prefs_js_set_int (prefs, "a", 9, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (ms_prefs_js_remove (prefs, "b", &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (ms_prefs_js_set_string (prefs, "c", "line\nbreak", &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (ms_prefs_js_set_string (prefs, "bad\x01name", "x", &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (ms_prefs_js_set_int (prefs, "c", G_GINT64_CONSTANT (1) << 40, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  /* Replacing the line would take the comment's start with it. */
  g_assert_false (ms_prefs_js_set_int (prefs, "d", 5, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
  g_clear_error (&error);
  /* A new line would land inside the comment left open at the end. */
  g_assert_false (ms_prefs_js_set_int (prefs, "new", 1, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
  g_clear_error (&error);
  /* The value a line has already needs no change, so no refusal. */
  g_assert_true (ms_prefs_js_set_int (prefs, "a", 1, &error));
  g_assert_no_error (error);

  data = ms_prefs_js_to_data (prefs, NULL);
  g_assert_cmpstr (data, ==, text);
}

/* ---- the Thunderbird reader and update ---------------------------- */

#define TWO_ACCOUNTS \
  "// Mozilla User Preferences\n" \
  "user_pref(\"mail.accountmanager.accounts\", \"account1,account2,account3,account4,account5\");\n" \
  "user_pref(\"mail.account.account1.identities\", \"id1\");\n" \
  "user_pref(\"mail.account.account1.server\", \"server1\");\n" \
  "user_pref(\"mail.account.account2.identities\", \"id2\");\n" \
  "user_pref(\"mail.account.account2.server\", \"server2\");\n" \
  "user_pref(\"mail.account.account3.server\", \"server3\");\n" \
  "user_pref(\"mail.account.account4.server\", \"server4\");\n" \
  "user_pref(\"mail.account.account5.identities\", \"id5\");\n" \
  "user_pref(\"mail.account.account5.server\", \"server5\");\n" \
  "user_pref(\"mail.identity.id1.fullName\", \"Pat Example\");\n" \
  "user_pref(\"mail.identity.id1.useremail\", \"pat@charter.net\");\n" \
  "user_pref(\"mail.identity.id1.smtpServer\", \"smtp1\");\n" \
  "user_pref(\"mail.identity.id2.useremail\", \"sam@example.org\");\n" \
  "user_pref(\"mail.identity.id5.useremail\", \"eve@example.org\");\n" \
  "user_pref(\"mail.server.server1.hostname\", \"IMAP.charter.net\");\n" \
  "user_pref(\"mail.server.server1.port\", 143);\n" \
  "user_pref(\"mail.server.server1.socketType\", 0);\n" \
  "user_pref(\"mail.server.server1.type\", \"imap\");\n" \
  "user_pref(\"mail.server.server1.userName\", \"pat\");\n" \
  "this line is broken\n" \
  "user_pref(\"mail.server.server2.hostname\", \"pop.example.org\");\n" \
  "user_pref(\"mail.server.server2.socketType\", 3);\n" \
  "user_pref(\"mail.server.server2.type\", \"pop3\");\n" \
  "user_pref(\"mail.server.server2.userName\", \"sam\");\n" \
  "user_pref(\"mail.server.server3.hostname\", \"Local Folders\");\n" \
  "user_pref(\"mail.server.server3.type\", \"none\");\n" \
  "user_pref(\"mail.server.server4.type\", \"rss\");\n" \
  "user_pref(\"mail.server.server5.hostname\", \"evil host\\u000a.example\");\n" \
  "user_pref(\"mail.server.server5.type\", \"imap\");\n" \
  "user_pref(\"mail.smtp.defaultserver\", \"smtp2\");\n" \
  "user_pref(\"mail.smtpserver.smtp1.authMethod\", 1);\n" \
  "user_pref(\"mail.smtpserver.smtp1.hostname\", \"smtp.charter.net\");\n" \
  "user_pref(\"mail.smtpserver.smtp1.port\", 25);\n" \
  "user_pref(\"mail.smtpserver.smtp2.hostname\", \"smtp.example.org\");\n" \
  "user_pref(\"mail.smtpserver.smtp2.try_ssl\", 2);\n" \
  "user_pref(\"mail.smtpserver.smtp2.username\", \"sam\");\n" \
  "user_pref(\"mail.smtpservers\", \"smtp1,smtp2\");\n"

static char *
make_home (const char *root,
           const char *prefs)
{
  static guint count;
  /* Under the isolated $HOME, which GLib removes after each test. */
  char *home = g_strdup_printf ("%s/home%u", g_get_home_dir (), ++count);
  g_autofree char *ini = g_build_filename (root, "profiles.ini", NULL);
  g_autofree char *path = g_build_filename (root, "abcd.default", "prefs.js", NULL);

  g_free (accounts_test_write (home, ini, "[General]\nStartWithLastProfile=1\n\n"
                                          "[Profile0]\nName=default\nIsRelative=1\nPath=abcd.default\nDefault=1\n"
                                          "[Profile1]\nName=gone\nIsRelative=1\nPath=missing\n"));
  g_free (accounts_test_write (home, path, prefs));
  return home;
}

static MsAccountInventory *
read_home (const char *home)
{
  g_autoptr(MsAccountPlaces) places = ms_account_places_new (home, home, home);
  MsAccountInventory *inventory = ms_account_inventory_new ();

  ms_program_thunderbird.read (places, inventory, NULL);
  return inventory;
}

static MsExistingAccount *
account_for (MsAccountInventory *inventory,
             const char         *key)
{
  GPtrArray *accounts = ms_account_inventory_get_accounts (inventory);

  for (guint i = 0; i < accounts->len; i++)
    {
      MsExistingAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (account->key, key))
        return account;
    }
  return NULL;
}

static void
test_reader (void)
{
  g_autofree char *home = make_home (".thunderbird", TWO_ACCOUNTS);
  g_autoptr(MsAccountInventory) inventory = read_home (home);
  GPtrArray *problems = ms_account_inventory_get_problems (inventory);
  MsExistingAccount *imap = account_for (inventory, "account1");
  MsExistingAccount *pop = account_for (inventory, "account2");
  guint lines[2] = { 0, 0 };

  g_assert_cmpuint (ms_account_inventory_get_accounts (inventory)->len, ==, 2);
  g_assert_nonnull (imap);
  g_assert_cmpstr (imap->address, ==, "pat@charter.net");
  g_assert_cmpstr (imap->display_name, ==, "Pat Example");
  g_assert_true (g_str_has_suffix (imap->location, "/.thunderbird/abcd.default/prefs.js"));
  g_assert_true (g_str_has_suffix (imap->profile, "/.thunderbird/abcd.default"));
  g_assert_cmpint (imap->incoming->protocol, ==, MS_PROTOCOL_IMAP);
  accounts_test_assert_server (imap->incoming, "IMAP.charter.net", 143, MS_SECURITY_NONE, "pat");
  g_assert_cmpstr (imap->outgoing_key, ==, "smtp1");
  g_assert_cmpstr (imap->outgoing->hostname, ==, "smtp.charter.net");
  g_assert_cmpuint (imap->outgoing->port, ==, 25);
  g_assert_null (imap->outgoing->username);
  g_assert_cmpint (imap->outgoing->auth, ==, MS_AUTH_NONE);
  g_assert_cmpint (imap->incoming_password->source, ==, MS_PASSWORD_SOURCE_NONE);
  g_assert_false (imap->written_by_mail_setup);

  g_assert_nonnull (pop);
  g_assert_cmpint (pop->incoming->protocol, ==, MS_PROTOCOL_POP3);
  g_assert_cmpuint (pop->incoming->port, ==, 995);
  g_assert_cmpint (pop->incoming->security, ==, MS_SECURITY_TLS);
  /* No smtpServer of its own: the default one. */
  g_assert_cmpstr (pop->outgoing_key, ==, "smtp2");
  g_assert_cmpint (pop->outgoing->security, ==, MS_SECURITY_STARTTLS);
  g_assert_cmpuint (pop->outgoing->port, ==, 587);
  g_assert_cmpstr (pop->outgoing->username, ==, "sam");

  /* The broken line (21) and the hostile host name (29); Local Folders
   * and the feed are skipped silently. */
  g_assert_cmpuint (problems->len, ==, 2);
  for (guint i = 0; i < problems->len; i++)
    {
      MsAccountProblem *problem = g_ptr_array_index (problems, i);

      g_assert_true (g_str_has_suffix (problem->path, "/prefs.js"));
      g_assert_null (strchr (problem->message, '\n'));
      lines[i] = problem->line;
    }
  g_assert_cmpuint (lines[0], ==, 21);
  g_assert_cmpuint (lines[1], ==, 29);
}

static void
test_reader_flatpak_and_user_js (void)
{
  g_autofree char *home = make_home (".var/app/org.mozilla.Thunderbird/.thunderbird", TWO_ACCOUNTS);
  g_autofree char *user_js = g_build_filename (home, ".var/app/org.mozilla.Thunderbird/.thunderbird",
                                               "abcd.default", "user.js", NULL);
  g_autoptr(MsAccountInventory) inventory = NULL;
  g_autoptr(MsAccountSettings) target = NULL;
  g_autoptr(MsServer) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;
  g_auto(GStrv) files = NULL;
  MsExistingAccount *imap;
  const char *port_only = "user_pref(\"mail.server.server1.port\", 993);\n";
  const char *old_block = "user_pref(\"mail.account.account1.server\", \"server1\");\n"
                          "user_pref(\"mail.server.server1.port\", 993);\n"
                          "user_pref(\"mail.server.server1.socketType\", 3);\n";

  /* user.js wins over prefs.js, as at Thunderbird's start. */
  g_assert_true (g_file_set_contents (user_js, "user_pref(\"mail.server.server1.port\", 993);\n"
                                               "user_pref(\"mail.server.server1.socketType\", 3);\n", -1, NULL));
  inventory = read_home (home);
  imap = account_for (inventory, "account1");
  g_assert_nonnull (imap);
  g_assert_cmpuint (imap->incoming->port, ==, 993);
  g_assert_cmpint (imap->incoming->security, ==, MS_SECURITY_TLS);

  /* A hostile value in user.js is a problem on user.js's line. */
  g_assert_true (g_file_set_contents (user_js, "\n\nuser_pref(\"mail.server.server1.hostname\", \"a b\");\n", -1, NULL));
  {
    g_autoptr(MsAccountInventory) hostile = read_home (home);
    MsAccountProblem *problem;

    g_assert_null (account_for (hostile, "account1"));
    problem = g_ptr_array_index (ms_account_inventory_get_problems (hostile), 1);
    g_assert_cmpstr (problem->path, ==, user_js);
    g_assert_cmpuint (problem->line, ==, 3);
  }
  g_assert_true (g_file_set_contents (user_js, "user_pref(\"mail.server.server1.port\", 993);\n"
                                               "user_pref(\"mail.server.server1.socketType\", 3);\n", -1, NULL));

  /* A repair changes user.js too, or the next start would undo it; there
   * it only replaces what user.js sets. */
  files = ms_program_thunderbird.files (imap);
  g_assert_cmpuint (g_strv_length (files), ==, 2);
  g_assert_cmpstr (files[1], ==, user_js);
  in = ms_server_new (MS_PROTOCOL_IMAP, "IMAP.charter.net", 143, MS_SECURITY_STARTTLS);
  ms_server_set_username (in, "pat");
  target = ms_account_settings_new ("pat@charter.net", in, imap->outgoing);
  /* user.js names no server of its own: the update learns it from prefs.js
   * only through the account's own line, so it leaves user.js alone... */
  updated = ms_program_thunderbird.update (imap, target, user_js, port_only, strlen (port_only), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==, port_only);
  g_clear_pointer (&updated, g_free);
  /* ...and where it does (an old Mail Setup block), it follows it. */
  updated = ms_program_thunderbird.update (imap, target, user_js, old_block, strlen (old_block), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==, "user_pref(\"mail.account.account1.server\", \"server1\");\n"
                                "user_pref(\"mail.server.server1.port\", 143);\n"
                                "user_pref(\"mail.server.server1.socketType\", 2);\n");
}

static void
test_reader_hostile (void)
{
  static const char *const bad[] = {
    "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
    "user_pref(\"mail.account.account1.server\", \"../../x\");\n",
    "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
    "user_pref(\"mail.account.account1.server\", \"server1\");\n"
    "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
    "user_pref(\"mail.server.server1.type\", \"imap\");\n"
    "user_pref(\"mail.server.server1.hostname\", \"h.example\");\n"
    "user_pref(\"mail.server.server1.port\", 70000);\n"
    "user_pref(\"mail.identity.id1.useremail\", \"a@b.example\");\n",
    "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
    "user_pref(\"mail.account.account1.server\", \"server1\");\n"
    "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
    "user_pref(\"mail.server.server1.type\", \"imap\");\n"
    "user_pref(\"mail.server.server1.hostname\", \"h.example\");\n"
    "user_pref(\"mail.server.server1.socketType\", \"3\");\n"
    "user_pref(\"mail.identity.id1.useremail\", \"a@b.example\");\n",
    "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
    "user_pref(\"mail.account.account1.server\", \"server1\");\n"
    "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
    "user_pref(\"mail.server.server1.type\", \"imap\");\n"
    "user_pref(\"mail.server.server1.hostname\", \"h.example\");\n"
    "user_pref(\"mail.identity.id1.useremail\", \"not an address\\u202e\");\n",
    "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
    "user_pref(\"mail.account.account1.server\", \"server1\");\n"
    "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
    "user_pref(\"mail.server.server1.type\", \"imap\");\n"
    "user_pref(\"mail.server.server1.hostname\", \"h.example\");\n"
    "user_pref(\"mail.server.server1.userName\", \"x\\u0007y\");\n"
    "user_pref(\"mail.identity.id1.useremail\", \"a@b.example\");\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *home = make_home (".thunderbird", bad[i]);
      g_autoptr(MsAccountInventory) inventory = read_home (home);
      GPtrArray *problems = ms_account_inventory_get_problems (inventory);

      g_test_message ("case %u", i);
      g_assert_cmpuint (ms_account_inventory_get_accounts (inventory)->len, ==, 0);
      g_assert_cmpuint (problems->len, ==, 1);
      g_assert_cmpuint (((MsAccountProblem *) g_ptr_array_index (problems, 0))->line, >, 0);
    }
}

/* @updated has @original's lines in place, those about @branches
 * changed only to the same pref, then new lines about @branches. */
static void
assert_only_changed (const char        *original,
                     const char        *updated,
                     const char *const *branches)
{
  g_auto(GStrv) old_lines = g_strsplit (original, "\n", -1);
  g_auto(GStrv) new_lines = g_strsplit (updated, "\n", -1);
  guint n = g_strv_length (old_lines) - 1;

  g_assert_cmpuint (g_strv_length (new_lines), >=, n + 1);
  for (guint i = 0; new_lines[i] != NULL && *new_lines[i] != '\0'; i++)
    {
      gboolean ours = FALSE;

      for (guint j = 0; branches[j] != NULL; j++)
        ours |= strstr (i < n ? old_lines[i] : new_lines[i], branches[j]) != NULL;
      if (i < n && !ours)
        g_assert_cmpstr (new_lines[i], ==, old_lines[i]);
      else if (i < n)
        {
          const char *comma = strchr (old_lines[i], ',');

          g_assert_nonnull (comma);
          g_assert_true (strncmp (new_lines[i], old_lines[i], comma - old_lines[i]) == 0);
        }
      else
        g_assert_true (ours);
    }
}

static void
test_update (void)
{
  g_autofree char *home = make_home (".thunderbird", TWO_ACCOUNTS);
  g_autoptr(MsAccountInventory) inventory = read_home (home);
  MsExistingAccount *imap = account_for (inventory, "account1");
  g_autoptr(MsServer) in = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) out = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) target = NULL;
  g_autoptr(MsAccountInventory) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *prefs_path = NULL;
  g_auto(GStrv) files = NULL;
  MsExistingAccount *repaired;

  ms_server_set_username (in, "pat@charter.net");
  ms_server_set_username (out, "pat@charter.net");
  target = ms_account_settings_new ("pat@charter.net", in, out);

  files = ms_program_thunderbird.files (imap);
  g_assert_cmpuint (g_strv_length (files), ==, 1);
  g_assert_cmpstr (files[0], ==, imap->location);

  updated = ms_program_thunderbird.update (imap, target, imap->location, TWO_ACCOUNTS,
                                           strlen (TWO_ACCOUNTS), &error);
  g_assert_no_error (error);
  assert_only_changed (TWO_ACCOUNTS, updated, (const char *[]) { "mail.server.server1.", "mail.smtpserver.smtp1.", NULL });

  prefs_path = g_strdup (imap->location);
  g_assert_true (g_file_set_contents (prefs_path, updated, -1, NULL));
  after = read_home (home);
  repaired = account_for (after, "account1");
  g_assert_nonnull (repaired);
  accounts_test_assert_server (repaired->incoming, "mobile.charter.net", 993, MS_SECURITY_TLS, "pat@charter.net");
  accounts_test_assert_server (repaired->outgoing, "mobile.charter.net", 587, MS_SECURITY_TLS, "pat@charter.net");
  g_assert_cmpint (repaired->outgoing->auth, ==, MS_AUTH_PASSWORD_CLEARTEXT);
  g_assert_cmpstr (account_for (after, "account2")->incoming->hostname, ==, "pop.example.org");
}

static void
test_update_refused (void)
{
  g_autofree char *home = make_home (".thunderbird", TWO_ACCOUNTS);
  g_autoptr(MsAccountInventory) inventory = read_home (home);
  MsExistingAccount *imap = account_for (inventory, "account1");
  g_autoptr(MsServer) pop = ms_server_new (MS_PROTOCOL_POP3, "pop.charter.net", 995, MS_SECURITY_TLS);
  g_autoptr(MsServer) out = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) target = ms_account_settings_new ("pat@charter.net", pop, out);
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;

  updated = ms_program_thunderbird.update (imap, target, imap->location, TWO_ACCOUNTS, strlen (TWO_ACCOUNTS), &error);
  g_assert_null (updated);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  updated = ms_program_thunderbird.update (imap, target, imap->location, "user_pref(\"x\", 1);\n", 20, &error);
  g_assert_null (updated);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
}

static void
test_is_running (void)
{
  g_autofree char *home = make_home (".thunderbird", TWO_ACCOUNTS);
  g_autoptr(MsAccountInventory) inventory = read_home (home);
  MsExistingAccount *imap = account_for (inventory, "account1");
  g_autofree char *lock = g_build_filename (imap->profile, "lock", NULL);
  g_autofree char *self = g_strdup_printf ("127.0.0.1:+%d", (int) getpid ());
  g_autofree char *why = NULL;

  g_assert_false (ms_program_thunderbird.is_running (imap, &why));
  g_assert_null (why);
  /* A stale lock (a pid that cannot be running) is no lock. */
  g_assert_cmpint (symlink ("127.0.0.1:+2147483647", lock), ==, 0);
  g_assert_false (ms_program_thunderbird.is_running (imap, &why));
  g_assert_cmpint (g_unlink (lock), ==, 0);
  g_assert_cmpint (symlink (self, lock), ==, 0);
  g_assert_true (ms_program_thunderbird.is_running (imap, &why));
  g_assert_nonnull (why);
}

/* No ~/.thunderbird, but the Flatpak's: the export goes there, into
 * prefs.js, and the reader finds it. */
static void
test_export_flatpak (void)
{
  g_autofree char *root = g_build_filename (g_get_home_dir (), ".var/app/org.mozilla.Thunderbird/.thunderbird", NULL);
  g_autofree char *folder = g_build_filename (root, "xyz.default-release", NULL);
  g_autofree char *ini = g_build_filename (root, "profiles.ini", NULL);
  g_autofree char *prefs = g_build_filename (folder, "prefs.js", NULL);
  g_autoptr(MsServer) in = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) out = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) settings = NULL;
  g_autoptr(MsExportResult) result = NULL;
  g_autoptr(MsAccountInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  MsExistingAccount *account;

  ms_server_set_username (in, "pat@charter.net");
  ms_server_set_username (out, "pat@charter.net");
  settings = ms_account_settings_new ("pat@charter.net", in, out);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (ini, "[Install4F96D1932A9F858E]\nDefault=xyz.default-release\n\n"
                                           "[Profile0]\nName=default-release\nIsRelative=1\nPath=xyz.default-release\n", -1, NULL));

  result = ms_exporter_export_sync (ms_exporter_find ("thunderbird"), settings, NULL, MS_EXPORT_FLAGS_NONE,
                                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (result->paths, 0), ==, prefs);

  inventory = read_home (g_get_home_dir ());
  g_assert_cmpuint (ms_account_inventory_get_accounts (inventory)->len, ==, 1);
  account = g_ptr_array_index (ms_account_inventory_get_accounts (inventory), 0);
  g_assert_true (account->written_by_mail_setup);
  g_assert_cmpstr (account->address, ==, "pat@charter.net");
  g_assert_cmpint (account->outgoing->security, ==, MS_SECURITY_TLS);
  g_assert_cmpuint (account->outgoing->port, ==, 587);
}

int
main (int   argc,
      char *argv[])
{
  /* The exporter writes under $HOME: a private one. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/prefs-js/parse-values", test_parse_values);
  g_test_add_func ("/prefs-js/parse-broken", test_parse_broken);
  g_test_add_func ("/prefs-js/edit-keeps-other-lines", test_edit_keeps_other_lines);
  g_test_add_func ("/prefs-js/edit-refused", test_edit_refused);
  g_test_add_func ("/thunderbird/reader", test_reader);
  g_test_add_func ("/thunderbird/reader-flatpak-user-js", test_reader_flatpak_and_user_js);
  g_test_add_func ("/thunderbird/reader-hostile", test_reader_hostile);
  g_test_add_func ("/thunderbird/update", test_update);
  g_test_add_func ("/thunderbird/update-refused", test_update_refused);
  g_test_add_func ("/thunderbird/is-running", test_is_running);
  g_test_add_func ("/thunderbird/export-flatpak", test_export_flatpak);

  return g_test_run ();
}
