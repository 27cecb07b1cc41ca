/* test-accounts-terminal.c: msmtp, mbsync, neomutt and aerc accounts read and repaired
 *
 * Files shaped like real ones (as the programs' manuals and people write
 * them) and hostile ones, in a made-up home. The real programs read the
 * repaired files in tests/integration/test-accounts-terminal.py.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ms-account-settings.h"
#include "ms-config-lexer.h"
#include "accounts-test-util.h"
#include "ms-exporter.h"
#include "ms-exporter-private.h"
#include "ms-mail-program-private.h"
#include "ms-safe-file.h"

typedef AccountsTestHome Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  accounts_test_home_set_up (fixture, "accounts-terminal", ".local/share");
  g_assert_cmpint (g_mkdir_with_parents (fixture->config, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  accounts_test_home_tear_down (fixture);
}

static char *
write_file (Fixture    *fixture,
            const char *relative,
            const char *contents)
{
  return accounts_test_write (fixture->home, relative, contents);
}

static void
read_program (Fixture       *fixture,
              MsMailProgram  program)
{
  const MsMailProgramBackend *backend = ms_mail_program_get_backend (program);

  g_clear_object (&fixture->inventory);
  fixture->inventory = ms_account_inventory_new ();
  backend->read (fixture->places, fixture->inventory, NULL);
}

static MsExistingAccount *
account (Fixture    *fixture,
         const char *key)
{
  GPtrArray *accounts = ms_account_inventory_get_accounts (fixture->inventory);

  for (guint i = 0; i < accounts->len; i++)
    {
      MsExistingAccount *found = g_ptr_array_index (accounts, i);

      if (g_str_equal (found->key, key))
        return found;
    }
  g_error ("no account %s", key);
}

static guint
n_accounts (Fixture *fixture)
{
  return ms_account_inventory_get_accounts (fixture->inventory)->len;
}

static guint
n_problems (Fixture *fixture)
{
  GPtrArray *problems = ms_account_inventory_get_problems (fixture->inventory);

  for (guint i = 0; i < problems->len; i++)
    {
      MsAccountProblem *problem = g_ptr_array_index (problems, i);

      g_test_message ("%s:%u: %s", problem->path, problem->line, problem->message);
    }

  return problems->len;
}

static const char *
attribute (MsPasswordLocation *location,
           const char         *name)
{
  g_assert_nonnull (location->secret_attributes);
  return g_hash_table_lookup (location->secret_attributes, name);
}

/* Charter as it works: IMAP and SMTP on mobile.charter.net, SMTP 587
 * with implicit TLS. */
static MsAccountSettings *
charter_target (const char *username)
{
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);

  ms_server_set_username (imap, username);
  ms_server_set_username (smtp, username);
  return ms_account_settings_new ("pat@charter.net", imap, smtp);
}

/* msmtp */

#define MSMTP_OTHERS \
  "# Gmail, set up by hand\n" \
  "account        gmail\n" \
  "host           smtp.gmail.com\n" \
  "port           587\n" \
  "from           someone@gmail.com\n" \
  "user           someone@gmail.com\n" \
  "password       \"p#ss w\\\"rd\"\n" \
  "\n" \
  "account work : gmail\n" \
  "\tfrom me@work.example\n" \
  "  host mail.work.example   \n" \
  "tls_starttls off\n" \
  "port 465\n" \
  "\n" \
  "account default : charter\n"

#define MSMTP_CHARTER \
  "# Set default values for all following accounts.\n" \
  "defaults\n" \
  "auth           on\n" \
  "tls            on\n" \
  "tls_trust_file /etc/ssl/certs/ca-certificates.crt\n" \
  "logfile        ~/.msmtp.log\n" \
  "\n" \
  "# Charter, as the ISP's page said in 2012\n" \
  "account        charter\n" \
  "host           smtp.charter.net\n" \
  "port           25\n" \
  "tls            off\n" \
  "from           pat@charter.net\n" \
  "user           pat@charter.net\n" \
  "passwordeval   \"secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address pat@charter.net protocol smtp\"\n" \
  "\n"

static void
test_msmtp_read (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, ".msmtprc", MSMTP_CHARTER MSMTP_OTHERS);
  MsExistingAccount *found;

  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  g_assert_cmpuint (n_problems (fixture), ==, 0);
  g_assert_cmpuint (n_accounts (fixture), ==, 3);

  found = account (fixture, "charter");
  g_assert_cmpstr (found->location, ==, path);
  g_assert_cmpstr (found->address, ==, "pat@charter.net");
  g_assert_null (found->incoming);
  accounts_test_assert_server (found->outgoing, "smtp.charter.net", 25, MS_SECURITY_NONE, "pat@charter.net");
  g_assert_cmpint (found->outgoing_password->source, ==, MS_PASSWORD_SOURCE_KEYRING);
  g_assert_cmpstr (found->outgoing_password->secret_schema, ==, "io.github.mailsetup.MailSetup.Account");
  g_assert_cmpstr (attribute (found->outgoing_password, "address"), ==, "pat@charter.net");
  g_assert_cmpstr (attribute (found->outgoing_password, "protocol"), ==, "smtp");

  found = account (fixture, "gmail");
  accounts_test_assert_server (found->outgoing, "smtp.gmail.com", 587, MS_SECURITY_STARTTLS, "someone@gmail.com");
  g_assert_cmpint (found->outgoing_password->source, ==, MS_PASSWORD_SOURCE_IN_FILE);

  /* Inherits user and password from gmail, tls from the defaults. */
  found = account (fixture, "work");
  g_assert_cmpstr (found->address, ==, "me@work.example");
  accounts_test_assert_server (found->outgoing, "mail.work.example", 465, MS_SECURITY_TLS, "someone@gmail.com");
  g_assert_cmpint (found->outgoing_password->source, ==, MS_PASSWORD_SOURCE_IN_FILE);
}

static void
test_msmtp_native_keyring (Fixture       *fixture,
                           gconstpointer  data)
{
  MsExistingAccount *found;

  /* In the XDG place, CRLF line ends, no final line break; no password
   * line: msmtp asks its own keyring. */
  g_free (write_file (fixture, ".config/msmtp/config",
              "account mine\r\nhost smtp.example.org\r\nauth on\r\nuser \"me\"\r\ntls\r\nfrom me@example.org"));
  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  g_assert_cmpuint (n_problems (fixture), ==, 0);
  found = account (fixture, "mine");
  accounts_test_assert_server (found->outgoing, "smtp.example.org", 25, MS_SECURITY_STARTTLS, "me");
  g_assert_cmpint (found->outgoing_password->source, ==, MS_PASSWORD_SOURCE_KEYRING);
  g_assert_cmpstr (found->outgoing_password->secret_schema, ==, "de.marlam.msmtp.password");
  g_assert_cmpstr (attribute (found->outgoing_password, "host"), ==, "smtp.example.org");
  g_assert_cmpstr (attribute (found->outgoing_password, "service"), ==, "smtp");
  g_assert_cmpstr (attribute (found->outgoing_password, "user"), ==, "me");
}

static void
test_msmtp_hostile (Fixture       *fixture,
                    gconstpointer  data)
{
  GPtrArray *problems;

  g_free (write_file (fixture, ".msmtprc",
              "account evil\nhost evil.example;touch /tmp/x\nfrom a@b.example\n\n"
              "account bigport\nhost ok.example\nport 99999\n\n"
              "account quote\nhost ok.example\nfrom \"pat@example.org\n\n"
              "account noserver\nfrom pat@example.org\n\n"
              "account command\nhost ok.example\nauth on\nuser u\npasswordeval \"gpg -d ~/.pw.gpg | head -1\"\n"
              "account dollar\nhost ok.example\nauth on\nuser u\npasswordeval secret-tool lookup a $(id)\n"));
  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  problems = ms_account_inventory_get_problems (fixture->inventory);
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_cmpuint (((MsAccountProblem *) g_ptr_array_index (problems, 0))->line, ==, 1);
  g_assert_cmpuint (((MsAccountProblem *) g_ptr_array_index (problems, 1))->line, ==, 5);
  g_assert_cmpuint (n_accounts (fixture), ==, 2);
  g_assert_cmpint (account (fixture, "command")->outgoing_password->source, ==, MS_PASSWORD_SOURCE_COMMAND);
  g_assert_cmpint (account (fixture, "dollar")->outgoing_password->source, ==, MS_PASSWORD_SOURCE_COMMAND);

  /* A NUL byte: the whole file is refused, with one problem. */
  {
    g_autofree char *path = g_build_filename (fixture->home, ".msmtprc", NULL);

    g_assert_true (g_file_set_contents (path, "account a\nhost x\0y\n", 19, NULL));
    read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
    g_assert_cmpuint (n_problems (fixture), ==, 1);
    g_assert_cmpuint (n_accounts (fixture), ==, 0);
  }
}

static void
test_msmtp_update (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, ".msmtprc", MSMTP_CHARTER MSMTP_OTHERS);
  g_autoptr(MsAccountSettings) target = charter_target ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *again = NULL;

  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  updated = accounts_test_update (account (fixture, "charter"), target, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==,
                   "# Set default values for all following accounts.\n"
                   "defaults\n"
                   "auth           on\n"
                   "tls            on\n"
                   "tls_trust_file /etc/ssl/certs/ca-certificates.crt\n"
                   "logfile        ~/.msmtp.log\n"
                   "\n"
                   "# Charter, as the ISP's page said in 2012\n"
                   "account        charter\n"
                   "host           mobile.charter.net\n"
                   "port           587\n"
                   "tls            on\n"
                   "from           pat@charter.net\n"
                   "user           pat@charter.net\n"
                   "passwordeval   \"secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address pat@charter.net protocol smtp\"\n"
                   "tls_starttls off\n"
                   "\n" MSMTP_OTHERS);

  /* Repairing the repaired file changes nothing. */
  g_assert_true (g_file_set_contents (path, updated, -1, NULL));
  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  accounts_test_assert_server (account (fixture, "charter")->outgoing, "mobile.charter.net", 587, MS_SECURITY_TLS,
                 "pat@charter.net");
  again = accounts_test_update (account (fixture, "charter"), target, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, updated);
}

static void
test_msmtp_update_inherited (Fixture       *fixture,
                             gconstpointer  data)
{
  /* "work" takes its user from gmail: the new user goes into work's own
   * block, at the end of the file without a final line break, and gmail
   * stays as it is. */
  g_autofree char *path = write_file (fixture, ".msmtprc",
                                      "defaults\ntls on\n\naccount gmail\nhost smtp.gmail.com\nauth on\nuser someone@gmail.com\n\n"
                                      "account work : gmail\nhost old.example");
  g_autoptr(MsAccountSettings) target = charter_target ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;

  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  updated = accounts_test_update (account (fixture, "work"), target, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==,
                   "defaults\ntls on\n\naccount gmail\nhost smtp.gmail.com\nauth on\nuser someone@gmail.com\n\n"
                   "account work : gmail\nhost mobile.charter.net\n"
                   "port 587\ntls_starttls off\nuser \"pat@charter.net\"\n");

  /* An account that is gone, and a value msmtp cannot hold. */
  g_clear_pointer (&updated, g_free);
  {
    g_autoptr(MsExistingAccount) gone = ms_existing_account_new (MS_MAIL_PROGRAM_MSMTP, "gone", path);

    updated = accounts_test_update (gone, target, path, &error);
    g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
    g_assert_null (updated);
    g_clear_error (&error);
  }
  g_free (target->outgoing->username);
  target->outgoing->username = g_strdup ("pat\nhost evil.example");
  updated = accounts_test_update (account (fixture, "work"), target, path, &error);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE);
  g_assert_null (updated);
}

/* mbsync */

#define MBSYNC_CHARTER \
  "IMAPAccount charter\n" \
  "# old settings from 2015\n" \
  "Host IMAP.charter.net\n" \
  "Port 143\n" \
  "User pat@charter.net\n" \
  "PassCmd \"secret-tool lookup host imap.charter.net user pat@charter.net\"\n" \
  "SSLType None\n" \
  "\n"

#define MBSYNC_OTHERS \
  "IMAPStore charter-remote\n" \
  "Account charter\n" \
  "\n" \
  "MaildirStore charter-local\n" \
  "Path ~/Mail/charter/\n" \
  "Inbox ~/Mail/charter/INBOX\n" \
  "\n" \
  "Channel charter\n" \
  "Far :charter-remote:\n" \
  "Near :charter-local:\n" \
  "Patterns *\n" \
  "\n" \
  "IMAPAccount \"my \\\"work\\\"\"\n" \
  "  host   imap.work.example\n" \
  "\tUser \"me\\\\work\"\n" \
  "Pass \"se cret\"\n" \
  "SSLType IMAPS\n" \
  "CertificateFile /etc/ssl/certs/ca-certificates.crt\n"

static void
test_mbsync_read (Fixture       *fixture,
                  gconstpointer  data)
{
  MsExistingAccount *found;

  g_free (write_file (fixture, ".mbsyncrc", MBSYNC_CHARTER MBSYNC_OTHERS));
  read_program (fixture, MS_MAIL_PROGRAM_MBSYNC);
  g_assert_cmpuint (n_problems (fixture), ==, 0);
  g_assert_cmpuint (n_accounts (fixture), ==, 2);

  found = account (fixture, "charter");
  g_assert_cmpstr (found->address, ==, "pat@charter.net");
  g_assert_null (found->outgoing);
  accounts_test_assert_server (found->incoming, "IMAP.charter.net", 143, MS_SECURITY_NONE, "pat@charter.net");
  g_assert_cmpint (found->incoming_password->source, ==, MS_PASSWORD_SOURCE_KEYRING);
  g_assert_null (found->incoming_password->secret_schema);
  g_assert_cmpstr (attribute (found->incoming_password, "host"), ==, "imap.charter.net");
  g_assert_cmpstr (attribute (found->incoming_password, "user"), ==, "pat@charter.net");

  found = account (fixture, "my \"work\"");
  g_assert_null (found->address);
  accounts_test_assert_server (found->incoming, "imap.work.example", 993, MS_SECURITY_TLS, "me\\work");
  g_assert_cmpint (found->incoming_password->source, ==, MS_PASSWORD_SOURCE_IN_FILE);
}

static void
test_mbsync_hostile (Fixture       *fixture,
                     gconstpointer  data)
{
  g_free (write_file (fixture, ".config/isyncrc",
              "IMAPAccount tunnel\nTunnel \"ssh host imapd\"\n\n"
              "IMAPAccount badtype\nHost ok.example\nSSLType Maybe\n\n"
              "IMAPAccount badhost\nHost \"a b\"\n\n"
              "IMAPAccount cmd\nHost ok.example\nUser u\nPassCmd +\"pass show mail | head -n1\"\n\n"
              "IMAPAccount open\nHost ok.example\nUser \"unterminated\n"));
  read_program (fixture, MS_MAIL_PROGRAM_MBSYNC);
  g_assert_cmpuint (n_problems (fixture), ==, 3);
  g_assert_cmpuint (n_accounts (fixture), ==, 2);
  accounts_test_assert_server (account (fixture, "cmd")->incoming, "ok.example", 143, MS_SECURITY_STARTTLS, "u");
  g_assert_cmpint (account (fixture, "cmd")->incoming_password->source, ==, MS_PASSWORD_SOURCE_COMMAND);
  accounts_test_assert_server (account (fixture, "open")->incoming, "ok.example", 143, MS_SECURITY_STARTTLS, "unterminated");
}

static void
test_mbsync_update (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, ".mbsyncrc", MBSYNC_CHARTER MBSYNC_OTHERS);
  g_autoptr(MsAccountSettings) target = charter_target ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;

  read_program (fixture, MS_MAIL_PROGRAM_MBSYNC);
  updated = accounts_test_update (account (fixture, "charter"), target, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==,
                   "IMAPAccount charter\n"
                   "# old settings from 2015\n"
                   "Host mobile.charter.net\n"
                   "Port 993\n"
                   "User pat@charter.net\n"
                   "PassCmd \"secret-tool lookup host imap.charter.net user pat@charter.net\"\n"
                   "SSLType IMAPS\n"
                   "\n" MBSYNC_OTHERS);

  /* The other account, at the end of the file without a line break:
   * lines added after its last one. */
  g_assert_true (g_file_set_contents (path, MBSYNC_CHARTER "IMAPAccount last\nHost old.example", -1, NULL));
  read_program (fixture, MS_MAIL_PROGRAM_MBSYNC);
  g_clear_pointer (&updated, g_free);
  updated = accounts_test_update (account (fixture, "last"), target, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==, MBSYNC_CHARTER "IMAPAccount last\nHost mobile.charter.net\n"
                   "Port 993\nSSLType IMAPS\nUser \"pat@charter.net\"\n");
}

/* aerc */

#define AERC_CHARTER \
  "[Charter]\n" \
  "source        = imap+insecure://pat%40charter.net@IMAP.charter.net:143\n" \
  "source-cred-cmd = secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address pat@charter.net protocol imap\n" \
  "outgoing      = smtp+plain+insecure://pat%40charter.net@smtp.charter.net:25 ; the old one\n" \
  "outgoing-cred-cmd = pass show charter\n" \
  "default       = INBOX\n" \
  "from          = \"Pat Example\" <pat@charter.net>\n" \
  "copy-to       = Sent\n" \
  "\n"

#define AERC_OTHERS \
  "# work mail\n" \
  "[Work; main]\n" \
  "source = `imaps://me:p#ss;w`rd@imap.work.example`\n" \
  "outgoing = /usr/bin/msmtp\n" \
  "from = Me <me@work.example>\n" \
  "\n" \
  "[Local]\n" \
  "source = maildir://~/Mail\n"

static void
test_aerc_read (Fixture       *fixture,
                gconstpointer  data)
{
  MsExistingAccount *found;

  g_free (write_file (fixture, ".config/aerc/accounts.conf", AERC_CHARTER AERC_OTHERS));
  read_program (fixture, MS_MAIL_PROGRAM_AERC);
  g_assert_cmpuint (n_problems (fixture), ==, 0);
  g_assert_cmpuint (n_accounts (fixture), ==, 2);

  found = account (fixture, "Charter");
  g_assert_cmpstr (found->address, ==, "pat@charter.net");
  g_assert_cmpstr (found->display_name, ==, "Pat Example");
  accounts_test_assert_server (found->incoming, "IMAP.charter.net", 143, MS_SECURITY_NONE, "pat@charter.net");
  accounts_test_assert_server (found->outgoing, "smtp.charter.net", 25, MS_SECURITY_NONE, "pat@charter.net");
  g_assert_cmpint (found->incoming_password->source, ==, MS_PASSWORD_SOURCE_KEYRING);
  g_assert_cmpstr (attribute (found->incoming_password, "protocol"), ==, "imap");
  g_assert_cmpint (found->outgoing_password->source, ==, MS_PASSWORD_SOURCE_COMMAND);

  found = account (fixture, "Work; main");
  g_assert_cmpstr (found->display_name, ==, "Me");
  accounts_test_assert_server (found->incoming, "imap.work.example", 993, MS_SECURITY_TLS, "me");
  g_assert_cmpint (found->incoming_password->source, ==, MS_PASSWORD_SOURCE_IN_FILE);
  g_assert_null (found->outgoing);
}

static void
test_aerc_hostile (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (write_file (fixture, ".config/aerc/accounts.conf",
              "[bad host]\nsource = imaps://u@evil$(id).example\n\n"
              "[bad port]\nsource = imaps://u@ok.example:0\n\n"
              "[bad escape]\nsource = imaps://u%zz@ok.example\n\n"
              "[bad from]\nsource = imaps://u@ok.example\nfrom = <not an address>\n\n"
              "[smtp only default]\nsource = imap://u@ok.example\noutgoing = smtps://u@ok.example\n"));
  read_program (fixture, MS_MAIL_PROGRAM_AERC);
  g_assert_cmpuint (n_problems (fixture), ==, 4);
  g_assert_cmpuint (n_accounts (fixture), ==, 1);
  accounts_test_assert_server (account (fixture, "smtp only default")->incoming, "ok.example", 143, MS_SECURITY_STARTTLS, "u");
  accounts_test_assert_server (account (fixture, "smtp only default")->outgoing, "ok.example", 465, MS_SECURITY_TLS, "u");
}

static void
test_aerc_update (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, ".config/aerc/accounts.conf", AERC_CHARTER AERC_OTHERS);
  g_autoptr(MsAccountSettings) target = charter_target ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;

  read_program (fixture, MS_MAIL_PROGRAM_AERC);
  updated = accounts_test_update (account (fixture, "Charter"), target, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==,
                   "[Charter]\n"
                   "source        = imaps://pat%40charter.net@mobile.charter.net:993\n"
                   "source-cred-cmd = secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address pat@charter.net protocol imap\n"
                   "outgoing      = smtps+plain://pat%40charter.net@mobile.charter.net:587 ; the old one\n"
                   "outgoing-cred-cmd = pass show charter\n"
                   "default       = INBOX\n"
                   "from          = \"Pat Example\" <pat@charter.net>\n"
                   "copy-to       = Sent\n"
                   "\n" AERC_OTHERS);

  /* The other account keeps its password part and its backticks. */
  g_clear_pointer (&updated, g_free);
  updated = accounts_test_update (account (fixture, "Work; main"), target, path, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (updated, AERC_CHARTER "# work mail\n[Work; main]\n"
                                   "source = `imaps://pat%40charter.net:p#ss;w`rd@mobile.charter.net:993`\n"
                                   "outgoing = /usr/bin/msmtp\n"));
}

/* neomutt */

#define NEOMUTT_MAIN \
  "# neomutt, split in files as people do\n" \
  "set real_name = \"Pat Example\"\n" \
  "set from = \"pat@charter.net\"\n" \
  "source ~/.config/neomutt/charter.muttrc   # the account\n" \
  "set editor = \"vim\" ; set sort = threads\n" \
  "source \"gpg -dq ~/.pw.gpg |\"\n" \
  "source neomuttrc\n"

#define NEOMUTT_CHARTER \
  "set folder = \"imap://pat%40charter.net@IMAP.charter.net:143/\"\n" \
  "set spoolfile = \"+INBOX\"\n" \
  "set imap_pass = \"`secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address pat@charter.net protocol imap`\"\n" \
  "set smtp_url='smtp://smtp.charter.net:25'   # no login\n" \
  "set smtp_user=pat@charter.net nossl_force_tls\n" \
  "mailboxes =INBOX imap://pat%40charter.net@IMAP.charter.net:143/Sent\n" \
  "account-hook imaps://other@x.example 'set imap_user=other folder=imaps://x.example/'\n"

static void
test_neomutt_read (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *main_rc = write_file (fixture, ".config/neomutt/neomuttrc", NEOMUTT_MAIN);
  g_autofree char *charter = write_file (fixture, ".config/neomutt/charter.muttrc", NEOMUTT_CHARTER);
  g_autofree char *ignored = write_file (fixture, ".muttrc", "set folder = imaps://ignored.example/\n");
  const MsMailProgramBackend *backend = ms_mail_program_get_backend (MS_MAIL_PROGRAM_NEOMUTT);
  g_auto(GStrv) paths = NULL;
  MsExistingAccount *found;

  read_program (fixture, MS_MAIL_PROGRAM_NEOMUTT);
  g_assert_cmpuint (n_problems (fixture), ==, 0);
  g_assert_cmpuint (n_accounts (fixture), ==, 1);
  found = account (fixture, main_rc);
  g_assert_cmpstr (found->address, ==, "pat@charter.net");
  g_assert_cmpstr (found->display_name, ==, "Pat Example");
  accounts_test_assert_server (found->incoming, "IMAP.charter.net", 143, MS_SECURITY_NONE, "pat@charter.net");
  accounts_test_assert_server (found->outgoing, "smtp.charter.net", 25, MS_SECURITY_NONE, "pat@charter.net");
  g_assert_cmpint (found->incoming_password->source, ==, MS_PASSWORD_SOURCE_KEYRING);
  g_assert_cmpstr (attribute (found->incoming_password, "protocol"), ==, "imap");
  /* No smtp_pass, but a sourced command may set it. */
  g_assert_cmpint (found->outgoing_password->source, ==, MS_PASSWORD_SOURCE_COMMAND);
  g_assert_cmpstr (found->outgoing_location, ==, charter);

  paths = backend->files (found);
  g_assert_cmpuint (g_strv_length (paths), ==, 2);
  g_assert_cmpstr (paths[0], ==, main_rc);
  g_assert_cmpstr (paths[1], ==, charter);
}

static void
test_neomutt_hostile (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = NULL;
  MsExistingAccount *found;

  /* A command in the folder: never run, the account skipped. */
  path = write_file (fixture, ".neomuttrc", "set folder = `echo imaps://evil.example/`\n");
  read_program (fixture, MS_MAIL_PROGRAM_NEOMUTT);
  g_assert_cmpuint (n_problems (fixture), ==, 1);
  g_assert_cmpuint (n_accounts (fixture), ==, 0);

  /* Sourcing itself forever, quotes, escapes and ";" inside them. */
  g_assert_true (g_file_set_contents (path,
                                      "source ~/.neomuttrc\n"
                                      "set folder=\"imaps://a\\\"b@ok.example/\" ; set from = 'Pat \"P\" ; # <pat@example.org>'\n"
                                      "set smtp_url = smtps://ok.example # comment ; set smtp_url=smtp://evil.example\n"
                                      "set ssl_force_tls=\"no\"\n", -1, NULL));
  read_program (fixture, MS_MAIL_PROGRAM_NEOMUTT);
  g_assert_cmpuint (n_problems (fixture), ==, 0);
  found = account (fixture, path);
  accounts_test_assert_server (found->incoming, "ok.example", 993, MS_SECURITY_TLS, "a\"b");
  accounts_test_assert_server (found->outgoing, "ok.example", 465, MS_SECURITY_TLS, NULL);
  g_assert_cmpstr (found->display_name, ==, "Pat \"P\" ; #");
  g_assert_cmpstr (found->address, ==, "pat@example.org");
}

static void
test_neomutt_update (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *main_rc = write_file (fixture, ".config/neomutt/neomuttrc", NEOMUTT_MAIN);
  g_autofree char *charter = write_file (fixture, ".config/neomutt/charter.muttrc", NEOMUTT_CHARTER);
  g_autoptr(MsAccountSettings) target = charter_target ("pat@charter.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *main_updated = NULL;

  read_program (fixture, MS_MAIL_PROGRAM_NEOMUTT);
  updated = accounts_test_update (account (fixture, main_rc), target, charter, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==,
                   "set folder = \"imaps://pat%40charter.net@mobile.charter.net:993/\"\n"
                   "set spoolfile = \"+INBOX\"\n"
                   "set imap_pass = \"`secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address pat@charter.net protocol imap`\"\n"
                   "set smtp_url=\"smtps://mobile.charter.net:587\"   # no login\n"
                   "set smtp_user=pat@charter.net nossl_force_tls\n"
                   "mailboxes =INBOX \"imaps://pat%40charter.net@mobile.charter.net:993/Sent\"\n"
                   "account-hook imaps://other@x.example 'set imap_user=other folder=imaps://x.example/'\n");
  main_updated = accounts_test_update (account (fixture, main_rc), target, main_rc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (main_updated, ==, NEOMUTT_MAIN);

  /* STARTTLS needs ssl_force_tls back on: one line in the main file. */
  target->incoming->security = MS_SECURITY_STARTTLS;
  target->incoming->port = 143;
  g_clear_pointer (&main_updated, g_free);
  main_updated = accounts_test_update (account (fixture, main_rc), target, main_rc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (main_updated, ==, NEOMUTT_MAIN "set ssl_force_tls = yes\n");
}

/* The shared pieces, and files that are no files */

/* What Mail Setup's own exports write for an account that signs in with
 * its provider (OAuth: `auth oauthbearer`, `AuthMechs XOAUTH2`,
 * `*_authenticators`, `+oauthbearer`) is read back as OAuth2, so neither
 * the doctor nor the repair takes it for a password login; a password
 * server beside it stays one. */
static void
test_oauth_exports_read (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MsAccountSettings) settings = charter_target ("pat@charter.net");
  struct {
    MsMailProgram  program;
    const char    *file;
    char        *(*render) (MsAccountSettings *settings, GError **error);
  } programs[] = {
    { MS_MAIL_PROGRAM_MSMTP, ".config/msmtp/config", ms_export_msmtp_render },
    { MS_MAIL_PROGRAM_MBSYNC, ".mbsyncrc", ms_export_mbsync_render },
    { MS_MAIL_PROGRAM_NEOMUTT, ".config/neomutt/neomuttrc", ms_export_neomutt_render },
    { MS_MAIL_PROGRAM_AERC, ".config/aerc/accounts.conf", ms_export_aerc_render },
  };

  settings->incoming->auth = MS_AUTH_OAUTH2;
  settings->outgoing->auth = MS_AUTH_PASSWORD_CLEARTEXT;
  for (int round = 0; round < 2; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *text = programs[i].render (settings, &error);
          GPtrArray *accounts;
          MsExistingAccount *found;

          g_assert_no_error (error);
          g_free (write_file (fixture, programs[i].file, text));
          read_program (fixture, programs[i].program);
          g_assert_cmpuint (n_problems (fixture), ==, 0);
          accounts = ms_account_inventory_get_accounts (fixture->inventory);
          g_assert_cmpuint (accounts->len, ==, 1);
          found = g_ptr_array_index (accounts, 0);
          if (found->incoming != NULL)
            g_assert_cmpint (found->incoming->auth, ==, settings->incoming->auth);
          if (found->outgoing != NULL)
            g_assert_cmpint (found->outgoing->auth == MS_AUTH_OAUTH2, ==,
                             settings->outgoing->auth == MS_AUTH_OAUTH2);
          g_assert_true (found->incoming != NULL || found->outgoing != NULL);
        }
      /* The other way round: OAuth for sending only. */
      settings->incoming->auth = MS_AUTH_PASSWORD_CLEARTEXT;
      settings->outgoing->auth = MS_AUTH_OAUTH2;
    }
}

static void
test_lexer (void)
{
  g_autoptr(GArray) edits = ms_config_edits_new ();
  g_autoptr(GArray) words = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *applied = NULL;
  const char *text = "Key \"a \\\"b\\\"\" c\\ d \"open";
  gboolean unterminated = FALSE;

  words = ms_config_lexer_split (text, 0, strlen (text), MS_CONFIG_QUOTING_DOUBLE | MS_CONFIG_QUOTING_BACKSLASH,
                                 &unterminated);
  g_assert_cmpuint (words->len, ==, 4);
  g_assert_cmpstr (g_array_index (words, MsConfigWord, 1).value, ==, "a \"b\"");
  g_assert_cmpuint (g_array_index (words, MsConfigWord, 1).start, ==, 4);
  g_assert_cmpuint (g_array_index (words, MsConfigWord, 1).end, ==, 13);
  g_assert_cmpstr (g_array_index (words, MsConfigWord, 2).value, ==, "c d");
  g_assert_true (unterminated);

  /* Edits in any order; two insertions at one place keep their order. */
  ms_config_edits_add (edits, 6, 9, g_strdup ("X"));
  ms_config_edits_add (edits, 0, 0, g_strdup ("<"));
  ms_config_edits_add (edits, 12, 12, g_strdup ("1"));
  ms_config_edits_add (edits, 12, 12, g_strdup ("2"));
  applied = ms_config_edits_apply (edits, "hello world!", 12);
  g_assert_cmpstr (applied, ==, "<hello Xld!12");

  g_assert_true (ms_config_secret_tool_parse ("  secret-tool lookup  host imap.example.org user me@example.org ",
                                              &schema, &attributes));
  g_assert_null (schema);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "user"), ==, "me@example.org");
  g_clear_pointer (&attributes, g_hash_table_unref);
  g_assert_false (ms_config_secret_tool_parse ("secret-tool lookup host a; rm -rf ~", &schema, &attributes));
  g_assert_false (ms_config_secret_tool_parse ("secret-tool lookup host", &schema, &attributes));
  g_assert_false (ms_config_secret_tool_parse ("secret-tool store host a", &schema, &attributes));
  g_assert_false (ms_config_secret_tool_parse ("secret-tool lookup xdg:schema $(id) a b", &schema, &attributes));
  g_assert_null (schema);
  g_assert_null (attributes);
}

static void
test_not_files (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *msmtprc = g_build_filename (fixture->home, ".msmtprc", NULL);
  g_autofree char *mbsyncrc = g_build_filename (fixture->home, ".mbsyncrc", NULL);
  g_autofree char *neomuttrc = g_build_filename (fixture->home, ".neomuttrc", NULL);
  g_autofree char *big = g_malloc (MS_SAFE_FILE_CONFIG_MAX_SIZE + 2);

  /* Endless, blocking, folder, too big: one problem each, no hang. */
  g_assert_cmpint (symlink ("/dev/zero", msmtprc), ==, 0);
  g_assert_cmpint (mkfifo (mbsyncrc, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (neomuttrc, 0700), ==, 0);
  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  g_assert_cmpuint (n_problems (fixture), ==, 1);
  read_program (fixture, MS_MAIL_PROGRAM_MBSYNC);
  g_assert_cmpuint (n_problems (fixture), ==, 1);
  read_program (fixture, MS_MAIL_PROGRAM_NEOMUTT);
  g_assert_cmpuint (n_problems (fixture), ==, 1);

  memset (big, '#', MS_SAFE_FILE_CONFIG_MAX_SIZE + 1);
  big[MS_SAFE_FILE_CONFIG_MAX_SIZE + 1] = '\0';
  g_free (write_file (fixture, ".config/aerc/accounts.conf", big));
  read_program (fixture, MS_MAIL_PROGRAM_AERC);
  g_assert_cmpuint (n_problems (fixture), ==, 1);
  g_assert_cmpuint (n_accounts (fixture), ==, 0);

  /* A "from" with msmtp's placeholders: an account without an address. */
  g_unlink (msmtprc);
  g_free (write_file (fixture, ".msmtprc", "account a\nhost smtp.example.org\nfrom %U@%H\n"));
  read_program (fixture, MS_MAIL_PROGRAM_MSMTP);
  g_assert_cmpuint (n_problems (fixture), ==, 0);
  g_assert_null (account (fixture, "a")->address);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/accounts/lexer", test_lexer);
#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/accounts/msmtp/read", test_msmtp_read);
  ADD ("/accounts/msmtp/native-keyring", test_msmtp_native_keyring);
  ADD ("/accounts/msmtp/hostile", test_msmtp_hostile);
  ADD ("/accounts/msmtp/update", test_msmtp_update);
  ADD ("/accounts/msmtp/update-inherited", test_msmtp_update_inherited);
  ADD ("/accounts/mbsync/read", test_mbsync_read);
  ADD ("/accounts/mbsync/hostile", test_mbsync_hostile);
  ADD ("/accounts/mbsync/update", test_mbsync_update);
  ADD ("/accounts/aerc/read", test_aerc_read);
  ADD ("/accounts/aerc/hostile", test_aerc_hostile);
  ADD ("/accounts/aerc/update", test_aerc_update);
  ADD ("/accounts/neomutt/read", test_neomutt_read);
  ADD ("/accounts/neomutt/hostile", test_neomutt_hostile);
  ADD ("/accounts/neomutt/update", test_neomutt_update);
  ADD ("/accounts/not-files", test_not_files);
  ADD ("/accounts/oauth-exports-read", test_oauth_exports_read);
#undef ADD

  return g_test_run ();
}
