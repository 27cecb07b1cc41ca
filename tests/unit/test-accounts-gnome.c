/* test-accounts-gnome.c: Evolution's, Geary's and GNOME Online Accounts' files read and repaired
 *
 * The readers against files as each program writes them, a second
 * account beside the broken one, and hostile files; update against the
 * rule that only the repaired account's values change, byte for byte.
 * The real programs read the results in tests/integration/test-accounts-gnome.py.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "accounts-test-util.h"
#include "ms-exporter.h"
#include "ms-key-file-edit.h"
#include "ms-mail-program-private.h"
#include "ms-running-program.h"

typedef AccountsTestHome Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  accounts_test_home_set_up (fixture, "accounts-gnome", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  accounts_test_home_tear_down (fixture);
}

/* Writes @contents to CONFIG/@relative, making its folders. */
static char *
put (Fixture    *fixture,
     const char *relative,
     const char *contents)
{
  return accounts_test_write (fixture->config, relative, contents);
}

static void
read_program (Fixture       *fixture,
              MsMailProgram  program)
{
  ms_mail_program_get_backend (program)->read (fixture->places, fixture->inventory, NULL);
}

static MsExistingAccount *
account_at (Fixture *fixture,
            guint    index)
{
  GPtrArray *accounts = ms_account_inventory_get_accounts (fixture->inventory);

  g_assert_cmpuint (index, <, accounts->len);

  return g_ptr_array_index (accounts, index);
}

/* A problem in @path (its basename) on @line whose message has @part. */
static void
assert_problem (Fixture    *fixture,
                const char *basename,
                guint       line,
                const char *part)
{
  GPtrArray *problems = ms_account_inventory_get_problems (fixture->inventory);

  for (guint i = 0; i < problems->len; i++)
    {
      MsAccountProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *name = g_path_get_basename (problem->path);

      if (g_str_equal (name, basename) && problem->line == line && strstr (problem->message, part) != NULL)
        return;
    }

  for (guint i = 0; i < problems->len; i++)
    {
      MsAccountProblem *problem = g_ptr_array_index (problems, i);

      g_printerr ("problem: %s:%u: %s\n", problem->path, problem->line, problem->message);
    }
  g_error ("no problem in %s on line %u with “%s”", basename, line, part);
}

/* The target settings: Charter's Mobile servers. */
static MsAccountSettings *
charter_mobile (const char *address)
{
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);

  g_free (imap->username);
  imap->username = g_strdup (address);
  g_free (smtp->username);
  smtp->username = g_strdup (address);

  return ms_account_settings_new (address, imap, smtp);
}

/* @before and @after differ exactly in the lines @changed (a
 * NULL-terminated list of "old line" → "new line" pairs). */
static void
assert_changed_lines (const char *before,
                      const char *after,
                      const char * const *changes)
{
  g_autoptr(GString) expected = g_string_new (before);

  for (guint i = 0; changes[i] != NULL; i += 2)
    g_assert_cmpint (g_string_replace (expected, changes[i], changes[i + 1], 1), ==, 1);
  g_assert_cmpstr (after, ==, expected->str);
}

static char *
edit_to_string (MsKeyFileEdit *edit)
{
  return ms_key_file_edit_to_data (edit, NULL);
}

static void
test_key_file_edit_keeps_bytes (void)
{
  const char *before = "# comment\r\n[A]\r\nHost = old.example  \r\n\r\n[B]\nHost=b.example\n[A]\nUser=x";
  g_autoptr(MsKeyFileEdit) edit = ms_key_file_edit_new (before, strlen (before));
  g_autofree char *after = NULL;

  g_assert_cmpuint (ms_key_file_edit_find (edit, "A", "Host"), ==, 3);
  g_assert_cmpuint (ms_key_file_edit_find (edit, "A", "User"), ==, 8);
  g_assert_cmpuint (ms_key_file_edit_find (edit, "B", "User"), ==, 0);
  ms_key_file_edit_set_string (edit, "A", "Host", "new.example");
  ms_key_file_edit_set_string (edit, "A", "User", "pat;\nx");
  ms_key_file_edit_set_value (edit, "A", "Port", "993");
  ms_key_file_edit_set_value (edit, "C", "Method", "none");
  after = edit_to_string (edit);

  /* The second [A] is where GKeyFile puts its new keys too. */
  g_assert_cmpstr (after, ==,
                   "# comment\r\n[A]\r\nHost = new.example\r\n\r\n[B]\nHost=b.example\n[A]\nUser=pat;\\nx\nPort=993\n"
                   "\n[C]\nMethod=none\n");
}

static void
test_key_file_edit_last_key_wins (void)
{
  const char *before = "[A]\nk=1\nk=2\n[A]\nk=3\nother=4\n";
  g_autoptr(MsKeyFileEdit) edit = ms_key_file_edit_new (before, strlen (before));
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *after = NULL;

  ms_key_file_edit_set_value (edit, "A", "k", "9");
  after = edit_to_string (edit);
  g_assert_cmpstr (after, ==, "[A]\nk=1\nk=2\n[A]\nk=9\nother=4\n");
  g_assert_true (g_key_file_load_from_data (key_file, after, -1, G_KEY_FILE_NONE, NULL));
  g_assert_cmpint (g_key_file_get_integer (key_file, "A", "k", NULL), ==, 9);
}

static void
test_key_file_edit_refuses_nul (void)
{
  const char before[] = "[A]\nk=1\0\nk=2\n";

  g_assert_null (ms_key_file_edit_new (before, sizeof before - 1));
}

static void
add_key_file_tests (void)
{
  g_test_add_func ("/accounts-gnome/key-file-edit/keeps-bytes", test_key_file_edit_keeps_bytes);
  g_test_add_func ("/accounts-gnome/key-file-edit/last-key-wins", test_key_file_edit_last_key_wins);
  g_test_add_func ("/accounts-gnome/key-file-edit/refuses-nul", test_key_file_edit_refuses_nul);
}

/* As evolution-source-registry 3.46 writes them (e_source_to_string),
 * trimmed of the extensions a mail account does not need. */
#define EVO_ACCOUNT \
  "[Data Source]\nDisplayName=pat@charter.net\nEnabled=true\nParent=\n\n" \
  "[Mail Account]\nBackendName=imapx\nIdentityUid=1a2b-identity\nArchiveFolder=\nNeedsInitialSetup=false\n\n" \
  "[Authentication]\nHost=IMAP.charter.net\nMethod=\nPort=143\nProxyUid=system-proxy\nRememberPassword=true\n" \
  "User=pat\nCredentialName=\nIsExternal=false\n\n" \
  "[Security]\nMethod=none\n\n[Imapx Backend]\nFilterInbox=true\n"
#define EVO_IDENTITY \
  "[Data Source]\nDisplayName=Pat\nEnabled=true\nParent=1a2b-account\n\n" \
  "[Mail Identity]\nAddress=pat@charter.net\nAliases=\nName=Pat Smith\nReplyTo=\nSignatureUid=none\n\n" \
  "[Mail Submission]\nSentFolder=folder://1a2b-account/Sent\nTransportUid=1a2b-transport\nRepliesToOriginFolder=false\n"
#define EVO_TRANSPORT \
  "[Data Source]\nDisplayName=pat@charter.net\nEnabled=true\nParent=1a2b-account\n\n" \
  "[Mail Transport]\nBackendName=smtp\n\n" \
  "[Authentication]\nHost=smtp.charter.net\nMethod=\nPort=25\nProxyUid=system-proxy\nRememberPassword=true\nUser=\n\n" \
  "[Security]\nMethod=none\n"

/* A second, working account: POP, with the Camel default port. */
#define EVO_OTHER_ACCOUNT \
  "[Data Source]\nDisplayName=Work\nEnabled=true\nParent=\n\n" \
  "[Mail Account]\nBackendName=pop\nIdentityUid=work-identity\n\n" \
  "[Authentication]\nHost=pop.example.org\nPort=0\nUser=jo@example.org\n\n[Security]\nMethod=ssl-on-alternate-port\n"
#define EVO_OTHER_IDENTITY \
  "[Data Source]\nParent=work-account\n\n[Mail Identity]\nAddress=jo@example.org\nName=Jo\n\n" \
  "[Mail Submission]\nTransportUid=work-transport\n"
#define EVO_OTHER_TRANSPORT \
  "[Data Source]\nParent=work-account\n\n[Mail Transport]\nBackendName=smtp\n\n" \
  "[Authentication]\nHost=smtp.example.org\nPort=587\nUser=jo@example.org\nMethod=PLAIN\n\n" \
  "[Security]\nMethod=starttls-on-standard-port\n"

static void
put_evolution (Fixture *fixture)
{
  g_free (put (fixture, "evolution/sources/1a2b-account.source", EVO_ACCOUNT));
  g_free (put (fixture, "evolution/sources/1a2b-identity.source", EVO_IDENTITY));
  g_free (put (fixture, "evolution/sources/1a2b-transport.source", EVO_TRANSPORT));
  g_free (put (fixture, "evolution/sources/work-account.source", EVO_OTHER_ACCOUNT));
  g_free (put (fixture, "evolution/sources/work-identity.source", EVO_OTHER_IDENTITY));
  g_free (put (fixture, "evolution/sources/work-transport.source", EVO_OTHER_TRANSPORT));
  /* Not mail accounts: skipped without a problem. */
  g_free (put (fixture, "evolution/sources/local.source",
               "[Data Source]\nParent=\n\n[Mail Account]\nBackendName=maildir\n"));
  g_free (put (fixture, "evolution/sources/system-address-book.source",
               "[Data Source]\nParent=local-stub\n\n[Address Book]\nBackendName=local\n"));
}

static void
test_evolution_read (Fixture       *fixture,
                     gconstpointer  data)
{
  MsExistingAccount *account;

  put_evolution (fixture);
  read_program (fixture, MS_MAIL_PROGRAM_EVOLUTION);

  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 2);
  g_assert_cmpuint (ms_account_inventory_get_problems (fixture->inventory)->len, ==, 0);

  account = account_at (fixture, 0);
  g_assert_cmpstr (account->key, ==, "1a2b-account");
  g_assert_true (g_str_has_suffix (account->location, "/evolution/sources/1a2b-account.source"));
  g_assert_cmpstr (account->outgoing_key, ==, "1a2b-transport");
  g_assert_true (g_str_has_suffix (account->outgoing_location, "/1a2b-transport.source"));
  g_assert_cmpstr (account->address, ==, "pat@charter.net");
  g_assert_cmpstr (account->display_name, ==, "Pat Smith");
  accounts_test_assert_server (account->incoming, "IMAP.charter.net", 143, MS_SECURITY_NONE, "pat");
  g_assert_cmpint (account->incoming->protocol, ==, MS_PROTOCOL_IMAP);
  accounts_test_assert_server (account->outgoing, "smtp.charter.net", 25, MS_SECURITY_NONE, NULL);
  g_assert_cmpint (account->outgoing->auth, ==, MS_AUTH_NONE);
  g_assert_cmpint (account->incoming_password->source, ==, MS_PASSWORD_SOURCE_KEYRING);
  g_assert_cmpstr (account->incoming_password->secret_schema, ==, "org.gnome.Evolution.Data.Source");
  g_assert_cmpstr (g_hash_table_lookup (account->incoming_password->secret_attributes, "e-source-uid"), ==, "1a2b-account");
  g_assert_cmpstr (g_hash_table_lookup (account->outgoing_password->secret_attributes, "e-source-uid"), ==, "1a2b-transport");

  account = account_at (fixture, 1);
  g_assert_cmpstr (account->address, ==, "jo@example.org");
  g_assert_cmpint (account->incoming->protocol, ==, MS_PROTOCOL_POP3);
  accounts_test_assert_server (account->incoming, "pop.example.org", 995, MS_SECURITY_TLS, "jo@example.org");
  accounts_test_assert_server (account->outgoing, "smtp.example.org", 587, MS_SECURITY_STARTTLS, "jo@example.org");
}

static void
test_evolution_hostile (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *target = NULL;
  g_autofree char *link = NULL;

  put_evolution (fixture);
  g_free (put (fixture, "evolution/sources/bad-port.source",
               "[Mail Account]\nBackendName=imapx\n\n[Authentication]\nHost=imap.example.org\nPort=99999\n"));
  g_free (put (fixture, "evolution/sources/bad-host.source",
               "[Mail Account]\nBackendName=imapx\n[Authentication]\nHost=evil\\nhost\n"));
  g_free (put (fixture, "evolution/sources/bad-security.source",
               "[Mail Account]\nBackendName=pop\n[Authentication]\nHost=pop.example.org\n[Security]\nMethod=maybe\n"));
  g_free (put (fixture, "evolution/sources/broken.source", "[Mail Account\nBackendName=imapx\n"));
  g_free (put (fixture, "evolution/sources/lost-identity.source",
               "[Mail Account]\nBackendName=imapx\nIdentityUid=nowhere\n[Authentication]\nHost=imap.example.org\n"));
  target = put (fixture, "elsewhere.txt", EVO_OTHER_ACCOUNT);
  link = g_build_filename (fixture->config, "evolution/sources/link.source", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);

  read_program (fixture, MS_MAIL_PROGRAM_EVOLUTION);

  /* The two good accounts, and the one whose identity is gone (it has
   * servers to repair; it has no address). */
  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 3);
  g_assert_null (account_at (fixture, 1)->address);
  assert_problem (fixture, "bad-port.source", 6, "99999");
  assert_problem (fixture, "bad-host.source", 4, "Host");
  assert_problem (fixture, "bad-security.source", 6, "maybe");
  assert_problem (fixture, "broken.source", 0, "Evolution");
  assert_problem (fixture, "lost-identity.source", 3, "nowhere");
  assert_problem (fixture, "link.source", 0, "");
}

static void
test_evolution_update (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MsAccountSettings) target = charter_mobile ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *account_file = NULL;
  g_autofree char *transport_file = NULL;
  g_auto(GStrv) paths = NULL;
  MsExistingAccount *account;
  const char *account_changes[] = {
    "Host=IMAP.charter.net\n", "Host=mobile.charter.net\n",
    "Port=143\n", "Port=993\n",
    "User=pat\n", "User=pat@charter.net\n",
    "[Security]\nMethod=none\n", "[Security]\nMethod=ssl-on-alternate-port\n",
    NULL,
  };
  const char *transport_changes[] = {
    "Host=smtp.charter.net\nMethod=\nPort=25\n", "Host=mobile.charter.net\nMethod=PLAIN\nPort=587\n",
    "User=\n", "User=pat@charter.net\n",
    "[Security]\nMethod=none\n", "[Security]\nMethod=ssl-on-alternate-port\n",
    NULL,
  };

  put_evolution (fixture);
  read_program (fixture, MS_MAIL_PROGRAM_EVOLUTION);
  account = account_at (fixture, 0);

  paths = ms_program_evolution.files (account);
  g_assert_cmpuint (g_strv_length (paths), ==, 2);
  g_assert_cmpstr (paths[0], ==, account->location);
  g_assert_cmpstr (paths[1], ==, account->outgoing_location);

  account_file = accounts_test_update (account, target, account->location, &error);
  g_assert_no_error (error);
  assert_changed_lines (EVO_ACCOUNT, account_file, account_changes);
  transport_file = accounts_test_update (account, target, account->outgoing_location, &error);
  g_assert_no_error (error);
  assert_changed_lines (EVO_TRANSPORT, transport_file, transport_changes);

  /* A file that no longer has the account. */
  g_free (accounts_test_update (account, target, account_at (fixture, 1)->outgoing_location, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
}

static void
add_evolution_tests (void)
{
  g_test_add ("/accounts-gnome/evolution/read", Fixture, NULL,
              fixture_set_up, test_evolution_read, fixture_tear_down);
  g_test_add ("/accounts-gnome/evolution/hostile", Fixture, NULL,
              fixture_set_up, test_evolution_hostile, fixture_tear_down);
  g_test_add ("/accounts-gnome/evolution/update", Fixture, NULL,
              fixture_set_up, test_evolution_update, fixture_tear_down);
}

/* As Geary 43 writes geary.ini (GKeyFile, its own key order). */
#define GEARY_BROKEN \
  "[Metadata]\nversion=1\n\n" \
  "[Account]\nordinal=1\nlabel=\nprefetch_days=14\nsave_drafts=true\nsave_sent=true\n" \
  "sender_mailboxes=\"Pat Smith\" <pat@charter.net>;\nservice_provider=other\nuse_email_signature=false\n\n" \
  "[Incoming]\nlogin=pat\nremember_password=true\nhost=imap.charter.net\nport=143\ntransport_security=none\n" \
  "credentials=custom\n\n" \
  "[Outgoing]\nremember_password=true\nhost=smtp.charter.net\nport=25\ntransport_security=none\n" \
  "credentials=use-incoming\n"
#define GEARY_GMAIL \
  "[Metadata]\nversion=1\n\n[Account]\nordinal=2\nsender_mailboxes=jo@gmail.com;\nservice_provider=gmail\n"
#define GEARY_OTHER \
  "[Metadata]\nversion=1\n\n[Account]\nordinal=3\nsender_mailboxes=Jo <jo@example.org>;\nservice_provider=other\n\n" \
  "[Incoming]\nhost=imap.example.org\ntransport_security=transport\n\n" \
  "[Outgoing]\nlogin=smtp-jo\nhost=smtp.example.org\nport=587\ntransport_security=start-tls\ncredentials=custom\n"

static void
put_geary (Fixture *fixture)
{
  g_free (put (fixture, "geary/account_01/geary.ini", GEARY_BROKEN));
  g_free (put (fixture, "geary/account_03/geary.ini", GEARY_OTHER));
}

static void
test_geary_read (Fixture       *fixture,
                 gconstpointer  data)
{
  MsExistingAccount *account;

  put_geary (fixture);
  read_program (fixture, MS_MAIL_PROGRAM_GEARY);

  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 2);
  g_assert_cmpuint (ms_account_inventory_get_problems (fixture->inventory)->len, ==, 0);

  account = account_at (fixture, 0);
  g_assert_cmpstr (account->key, ==, "account_01");
  g_assert_cmpstr (account->address, ==, "pat@charter.net");
  accounts_test_assert_server (account->incoming, "imap.charter.net", 143, MS_SECURITY_NONE, "pat");
  /* use-incoming: the incoming login, and the incoming password. */
  accounts_test_assert_server (account->outgoing, "smtp.charter.net", 25, MS_SECURITY_NONE, "pat");
  g_assert_cmpstr (account->incoming_password->secret_schema, ==, "org.gnome.Geary");
  g_assert_cmpstr (g_hash_table_lookup (account->incoming_password->secret_attributes, "proto"), ==, "IMAP");
  g_assert_cmpstr (g_hash_table_lookup (account->incoming_password->secret_attributes, "host"), ==, "imap.charter.net");
  g_assert_cmpstr (g_hash_table_lookup (account->incoming_password->secret_attributes, "login"), ==, "pat");

  account = account_at (fixture, 1);
  g_assert_cmpstr (account->address, ==, "jo@example.org");
  /* No login: Geary logs in with the address; no port: its default. */
  accounts_test_assert_server (account->incoming, "imap.example.org", 993, MS_SECURITY_TLS, "jo@example.org");
  accounts_test_assert_server (account->outgoing, "smtp.example.org", 587, MS_SECURITY_STARTTLS, "smtp-jo");
}

static void
test_geary_hostile (Fixture       *fixture,
                    gconstpointer  data)
{
  put_geary (fixture);
  g_free (put (fixture, "geary/account_04/geary.ini",
               "[Account]\nsender_mailboxes=not an address;\n[Incoming]\nhost=imap.example.org\n"));
  g_free (put (fixture, "geary/account_05/geary.ini",
               "[Account]\nsender_mailboxes=a@example.org;\n[Incoming]\nhost=imap.example.org\nport=-1\n"));
  g_free (put (fixture, "geary/account_06/geary.ini", "\xff\xfe[Account\n"));
  g_free (put (fixture, "geary/account_07/geary.ini",
               "[Account]\nsender_mailboxes=a@example.org;\n[Incoming]\nhost=imap.example.org\n"
               "transport_security=tls\n"));

  read_program (fixture, MS_MAIL_PROGRAM_GEARY);

  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 2);
  assert_problem (fixture, "geary.ini", 2, "not an address");
  assert_problem (fixture, "geary.ini", 5, "-1");
  assert_problem (fixture, "geary.ini", 0, "Geary");
  assert_problem (fixture, "geary.ini", 5, "tls");
}

static void
test_geary_update (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MsAccountSettings) target = charter_mobile ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autofree char *gmail = NULL;
  MsExistingAccount *account;
  const char *changes[] = {
    "login=pat\n", "login=pat@charter.net\n",
    "host=imap.charter.net\nport=143\ntransport_security=none\n",
    "host=mobile.charter.net\nport=993\ntransport_security=transport\n",
    "host=smtp.charter.net\nport=25\ntransport_security=none\n",
    "host=mobile.charter.net\nport=587\ntransport_security=transport\n",
    NULL,
  };

  put_geary (fixture);
  gmail = put (fixture, "geary/account_02/geary.ini", GEARY_GMAIL);
  read_program (fixture, MS_MAIL_PROGRAM_GEARY);
  /* Listed, without servers: Geary has them. */
  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 3);
  g_assert_cmpstr (account_at (fixture, 1)->address, ==, "jo@gmail.com");
  g_assert_null (account_at (fixture, 1)->incoming);
  account = account_at (fixture, 0);

  after = accounts_test_update (account, target, account->location, &error);
  g_assert_no_error (error);
  /* The outgoing server still logs in as the incoming one. */
  assert_changed_lines (GEARY_BROKEN, after, changes);

  /* Gmail's servers are Geary's own. */
  g_free (accounts_test_update (account, target, gmail, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
  g_clear_error (&error);
  g_free (account->location);
  account->location = g_strdup (gmail);
  g_free (accounts_test_update (account, target, gmail, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
}

static void
add_geary_tests (void)
{
  g_test_add ("/accounts-gnome/geary/read", Fixture, NULL, fixture_set_up, test_geary_read, fixture_tear_down);
  g_test_add ("/accounts-gnome/geary/hostile", Fixture, NULL, fixture_set_up, test_geary_hostile, fixture_tear_down);
  g_test_add ("/accounts-gnome/geary/update", Fixture, NULL, fixture_set_up, test_geary_update, fixture_tear_down);
}

/* As goa-daemon 3.46 writes accounts.conf for AddAccount (GKeyFile, the
 * details in the order they came, then its own keys). */
#define GOA_CONF \
  "[Account account_1700000000_0]\nProvider=google\nIdentity=jo@gmail.com\nPresentationIdentity=jo@gmail.com\n" \
  "MailEnabled=true\nCalendarEnabled=true\n\n" \
  "[Account account_1700000001_1]\nProvider=imap_smtp\nIdentity=pat@charter.net\n" \
  "PresentationIdentity=pat@charter.net\nEnabled=true\nEmailAddress=pat@charter.net\nName=Pat Smith\n" \
  "ImapHost=imap.charter.net\nImapUserName=pat\nImapUseSsl=false\nImapUseTls=false\nImapAcceptSslErrors=false\n" \
  "SmtpHost=smtp.charter.net:25\nSmtpUseAuth=false\nSmtpUserName=\nSmtpAuthLogin=false\nSmtpAuthPlain=false\n" \
  "SmtpUseSsl=false\nSmtpUseTls=false\nSmtpAcceptSslErrors=false\n\n" \
  "[Account account_1700000002_2]\nProvider=imap_smtp\nIdentity=jo@example.org\nPresentationIdentity=jo@example.org\n" \
  "Enabled=true\nEmailAddress=jo@example.org\nName=Jo\nImapHost=imap.example.org:1993\nImapUserName=jo\n" \
  "ImapUseSsl=true\nImapUseTls=false\nSmtpHost=smtp.example.org\nSmtpUseAuth=true\nSmtpUserName=jo\n" \
  "SmtpUseSsl=false\nSmtpUseTls=true\n"

static void
test_goa_read (Fixture       *fixture,
               gconstpointer  data)
{
  MsExistingAccount *account;

  g_free (put (fixture, "goa-1.0/accounts.conf", GOA_CONF));
  read_program (fixture, MS_MAIL_PROGRAM_GOA);

  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 3);
  g_assert_cmpuint (ms_account_inventory_get_problems (fixture->inventory)->len, ==, 0);

  /* Google's: who it is, and no servers (GOA's own). */
  account = account_at (fixture, 0);
  g_assert_cmpstr (account->key, ==, "account_1700000000_0");
  g_assert_cmpstr (account->address, ==, "jo@gmail.com");
  g_assert_null (account->incoming);

  account = account_at (fixture, 1);
  g_assert_cmpstr (account->key, ==, "account_1700000001_1");
  g_assert_cmpstr (account->address, ==, "pat@charter.net");
  g_assert_cmpstr (account->display_name, ==, "Pat Smith");
  accounts_test_assert_server (account->incoming, "imap.charter.net", 143, MS_SECURITY_NONE, "pat");
  accounts_test_assert_server (account->outgoing, "smtp.charter.net", 25, MS_SECURITY_NONE, NULL);
  g_assert_cmpint (account->outgoing->auth, ==, MS_AUTH_NONE);
  g_assert_cmpint (account->incoming_password->source, ==, MS_PASSWORD_SOURCE_GOA);
  g_assert_cmpstr (g_hash_table_lookup (account->incoming_password->secret_attributes, "goa-account"), ==, "account_1700000001_1");
  g_assert_cmpstr (g_hash_table_lookup (account->incoming_password->secret_attributes, "goa-key"), ==, "imap-password");
  g_assert_null (account->outgoing_password);

  account = account_at (fixture, 2);
  accounts_test_assert_server (account->incoming, "imap.example.org", 1993, MS_SECURITY_TLS, "jo");
  accounts_test_assert_server (account->outgoing, "smtp.example.org", 587, MS_SECURITY_STARTTLS, "jo");
  g_assert_cmpstr (g_hash_table_lookup (account->outgoing_password->secret_attributes, "goa-key"), ==, "smtp-password");
}

static void
test_goa_hostile (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (put (fixture, "goa-1.0/accounts.conf",
               GOA_CONF "\n[Account account_3]\nProvider=imap_smtp\nEmailAddress=x@example.org\nImapHost=a:b:c\n"
               "\n[Account account_4]\nProvider=imap_smtp\nEmailAddress=x@example.org\nImapHost=imap.example.org:0\n"
               "\n[Account account_5]\nProvider=imap_smtp\nEmailAddress=x@example.org\nImapHost=imap.example.org\n"
               "ImapUseSsl=perhaps\n"
               "\n[Account ../../etc]\nProvider=imap_smtp\n"));

  read_program (fixture, MS_MAIL_PROGRAM_GOA);

  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 3);
  assert_problem (fixture, "accounts.conf", 49, "a:b:c");
  assert_problem (fixture, "accounts.conf", 54, "port");
  assert_problem (fixture, "accounts.conf", 60, "ImapUseSsl");
  assert_problem (fixture, "accounts.conf", 0, "../../etc");
}

static void
test_goa_broken_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_free (put (fixture, "goa-1.0/accounts.conf", "[Account account_1\nProvider=imap_smtp\n"));
  read_program (fixture, MS_MAIL_PROGRAM_GOA);

  g_assert_cmpuint (ms_account_inventory_get_accounts (fixture->inventory)->len, ==, 0);
  assert_problem (fixture, "accounts.conf", 0, "GNOME Online Accounts");
}

static void
test_goa_update (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MsAccountSettings) target = charter_mobile ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  MsExistingAccount *account;
  const char *changes[] = {
    "ImapHost=imap.charter.net\nImapUserName=pat\nImapUseSsl=false\n",
    "ImapHost=mobile.charter.net\nImapUserName=pat@charter.net\nImapUseSsl=true\n",
    /* 587 with implicit TLS is not GOA's default for it: host:port. */
    "SmtpHost=smtp.charter.net:25\nSmtpUseAuth=false\nSmtpUserName=\n",
    "SmtpHost=mobile.charter.net:587\nSmtpUseAuth=true\nSmtpUserName=pat@charter.net\n",
    "SmtpUseSsl=false\nSmtpUseTls=false\nSmtpAcceptSslErrors=false\n\n[Account account_1700000002_2]",
    "SmtpUseSsl=true\nSmtpUseTls=false\nSmtpAcceptSslErrors=false\n\n[Account account_1700000002_2]",
    NULL,
  };

  g_free (put (fixture, "goa-1.0/accounts.conf", GOA_CONF));
  read_program (fixture, MS_MAIL_PROGRAM_GOA);
  account = account_at (fixture, 1);

  after = accounts_test_update (account, target, account->location, &error);
  g_assert_no_error (error);
  assert_changed_lines (GOA_CONF, after, changes);

  /* Google's servers are GOA's. */
  g_free (accounts_test_update (account_at (fixture, 0), target, account->location, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "IMAP and SMTP"));
}

static void
add_goa_tests (void)
{
  g_test_add ("/accounts-gnome/goa/read", Fixture, NULL, fixture_set_up, test_goa_read, fixture_tear_down);
  g_test_add ("/accounts-gnome/goa/hostile", Fixture, NULL, fixture_set_up, test_goa_hostile, fixture_tear_down);
  g_test_add ("/accounts-gnome/goa/broken-file", Fixture, NULL, fixture_set_up, test_goa_broken_file, fixture_tear_down);
  g_test_add ("/accounts-gnome/goa/update", Fixture, NULL, fixture_set_up, test_goa_update, fixture_tear_down);
}


/* A copy of sleep named "geary", with its own XDG_CONFIG_HOME: it counts
 * only for files there. */
static void
test_running_program (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (fixture->home, "geary", NULL);
  g_autofree char *sleep_data = NULL;
  g_autofree char *env_config = g_strconcat ("XDG_CONFIG_HOME=", fixture->config, NULL);
  g_autofree char *inside = g_build_filename (fixture->config, "geary", "account_01", "geary.ini", NULL);
  g_autofree char *outside = g_build_filename (fixture->home, "elsewhere", "geary", "account_01", "geary.ini", NULL);
  const char *argv[] = { copy, "60", NULL };
  const char *envp[] = { env_config, NULL };
  gsize length;
  GPid pid;

  g_assert_true (g_file_get_contents ("/bin/sleep", &sleep_data, &length, NULL));
  g_file_set_contents_full (copy, sleep_data, length, G_FILE_SET_CONTENTS_NONE, 0700, &error);
  g_assert_no_error (error);
  g_assert_false (ms_running_program_find ("geary", inside));

  g_spawn_async (NULL, (char **) argv, (char **) envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  /* Until the kernel has the new name (after exec), it is not Geary yet. */
  for (guint i = 0; i < 5000 && !ms_running_program_find ("geary", inside); i++)
    g_usleep (1000);
  g_assert_true (ms_running_program_find ("geary", inside));
  g_assert_false (ms_running_program_find ("geary", outside));
  g_assert_false (ms_running_program_find ("evolution", inside));

  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_key_file_tests ();
  add_evolution_tests ();
  add_geary_tests ();
  add_goa_tests ();
  g_test_add ("/accounts-gnome/running-program", Fixture, NULL,
              fixture_set_up, test_running_program, fixture_tear_down);

  return g_test_run ();
}
