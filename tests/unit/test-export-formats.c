/* test-export-formats.c: tested settings, atomic files and what each exporter writes
 *
 * The real programs read these files in tests/integration/; here the
 * pieces are checked one by one, without network or keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "export-readers.h"
#include "ms-account-settings.h"
#include "ms-atomic-file.h"
#include "ms-export-pdf.h"
#include "ms-export-oauth.h"
#include "ms-export-qr.h"
#include "ms-export-token-command.h"
#include "ms-exporter-private.h"
#include "ms-keyring-command.h"
#include "ms-keyring.h"

/* Charter's real quirk: the provider file says STARTTLS on 587, the port
 * speaks implicit TLS, and the test found that out. */
static MsAccountReport *
charter_report (void)
{
  g_autoptr(MsAddress) address = ms_address_parse ("pat@charter.net", NULL);
  g_autoptr(MsProvider) provider = ms_provider_new ("charter.net");
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_STARTTLS);
  g_autoptr(MsProbeResult) in = NULL;
  g_autoptr(MsProbeResult) out = NULL;
  MsAccountReport *report;

  ms_provider_set_display_name (provider, "Spectrum (Charter)");
  ms_provider_set_support (provider, "1-833-267-6094", NULL);
  g_free (imap->username);
  imap->username = g_strdup ("%EMAILADDRESS%");
  g_free (smtp->username);
  smtp->username = g_strdup ("%EMAILADDRESS%");

  in = ms_probe_result_new (imap);
  in->connected = TRUE;
  in->tls_established = TRUE;
  in->security_detected = TRUE;
  in->detected_security = MS_SECURITY_TLS;
  in->login = MS_LOGIN_SUCCEEDED;
  in->username = g_strdup ("pat@charter.net");

  out = ms_probe_result_new (smtp);
  out->connected = TRUE;
  out->tls_established = TRUE;
  out->security_detected = TRUE;
  out->detected_security = MS_SECURITY_TLS;
  out->login = MS_LOGIN_SUCCEEDED;
  out->username = g_strdup ("pat@charter.net");

  report = ms_account_report_new (address, provider, NULL);
  ms_account_report_add_result (report, in, FALSE);
  ms_account_report_add_result (report, out, FALSE);
  ms_account_report_set_chosen (report, in, out);

  return report;
}

static MsAccountSettings *
charter_settings (void)
{
  g_autoptr(MsAccountReport) report = charter_report ();
  g_autoptr(GError) error = NULL;
  MsAccountSettings *settings;

  settings = ms_account_settings_new_from_report (report, &error);
  g_assert_no_error (error);
  ms_account_settings_set_display_name (settings, "Pat Example");

  return settings;
}

static void
test_settings_from_report (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();

  g_assert_cmpstr (settings->address, ==, "pat@charter.net");
  g_assert_cmpint (settings->outgoing->port, ==, 587);
  /* What the port speaks, not what the provider file claimed. */
  g_assert_cmpint (settings->outgoing->security, ==, MS_SECURITY_TLS);
  g_assert_cmpstr (settings->outgoing->username, ==, "pat@charter.net");
  g_assert_cmpstr (settings->provider_name, ==, "Spectrum (Charter)");
  g_assert_cmpstr (settings->support_phone, ==, "1-833-267-6094");
}

static void
test_settings_refuse_failed_report (void)
{
  g_autoptr(MsAddress) address = ms_address_parse ("pat@charter.net", NULL);
  g_autoptr(MsAccountReport) report = ms_account_report_new (address, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsAccountSettings) settings = NULL;

  settings = ms_account_settings_new_from_report (report, &error);
  g_assert_null (settings);
  g_assert_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_NOT_WORKING);
}

static void
test_settings_round_trip (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  g_autoptr(MsAccountSettings) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  struct stat st;

  g_assert_true (ms_account_settings_save (settings, &error));
  g_assert_no_error (error);
  path = ms_account_settings_get_path ("pat@charter.net");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = ms_account_settings_load ("PAT@charter.net", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->display_name, ==, "Pat Example");
  g_assert_true (ms_server_equal (loaded->incoming, settings->incoming));
  g_assert_cmpint (loaded->outgoing->security, ==, MS_SECURITY_TLS);
  g_assert_cmpstr (loaded->outgoing->username, ==, "pat@charter.net");
  g_assert_cmpstr (loaded->support_phone, ==, "1-833-267-6094");

  g_assert_null (ms_account_settings_load ("nobody@charter.net", &error));
  g_assert_error (error, MS_ACCOUNT_SETTINGS_ERROR, MS_ACCOUNT_SETTINGS_ERROR_NOT_SAVED);
  g_clear_error (&error);

  g_assert_null (ms_account_settings_new_from_data ("[Account]\nAddress=a@b.c\n[Incoming]\nProtocol=imap\nHost=h\nPort=0\nSecurity=SSL\n[Outgoing]\nProtocol=smtp\nHost=h\nPort=1\nSecurity=SSL\n", &error));
  g_assert_nonnull (error);
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ms-export-unit-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;

  return n;
}

static void
test_atomic_file (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sub", "file", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_path_get_dirname (path);
  struct stat st;

  g_assert_true (ms_atomic_file_replace (path, "one\n", 4, MS_ATOMIC_FILE_BACKUP, &backup, &error));
  g_assert_no_error (error);
  g_assert_null (backup);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  g_assert_true (ms_atomic_file_replace (path, "two\n", 4,
                                         MS_ATOMIC_FILE_BACKUP | MS_ATOMIC_FILE_PRIVATE,
                                         &backup, &error));
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_assert_true (g_file_get_contents (backup, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "one\n");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "two\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* The file and its backup, no temporary left behind. */
  g_assert_cmpuint (count_files (sub), ==, 2);

  /* A directory in the way is refused, not replaced. */
  g_assert_false (ms_atomic_file_replace (sub, "x", 1, MS_ATOMIC_FILE_NONE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
}

static void
test_replace_block (void)
{
  const char *theirs = "account other\nhost smtp.other.example\n";
  g_autofree char *once = ms_export_replace_block (theirs, "#", "a@b.c", "host one\n");
  g_autofree char *twice = ms_export_replace_block (once, "#", "a@b.c", "host two\n");
  g_autofree char *other = ms_export_replace_block (twice, "#", "z@b.c", "host z\n");
  g_autofree char *again = ms_export_replace_block (other, "#", "a@b.c", "host three\n");

  g_assert_true (g_str_has_prefix (once, theirs));
  g_assert_nonnull (strstr (once, "# BEGIN Mail Setup a@b.c\nhost one\n# END Mail Setup a@b.c\n"));
  g_assert_true (g_str_has_prefix (twice, theirs));
  g_assert_null (strstr (twice, "host one"));
  g_assert_nonnull (strstr (twice, "host two"));
  g_assert_cmpstr (strstr (twice, "BEGIN"), ==, g_strrstr (twice, "BEGIN"));
  g_assert_nonnull (strstr (again, "host three"));
  g_assert_nonnull (strstr (again, "host z"));
  g_assert_null (strstr (again, "host two"));
  g_assert_true (g_str_has_prefix (again, theirs));
}

static void
test_terminal_renderers (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  g_autoptr(GError) error = NULL;
  g_autofree char *msmtp = ms_export_msmtp_render (settings, &error);
  g_autofree char *mbsync = ms_export_mbsync_render (settings, &error);
  g_autofree char *neomutt = ms_export_neomutt_render (settings, &error);
  g_autofree char *aerc = ms_export_aerc_render (settings, &error);
  g_autofree char *command = ms_keyring_lookup_command ("pat@charter.net", MS_PROTOCOL_SMTP);

  g_assert_no_error (error);
  g_assert_cmpstr (command, ==,
                   "secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address pat@charter.net protocol smtp");
  g_assert_nonnull (strstr (msmtp, "account \"pat@charter.net\"\nhost mobile.charter.net\n"));
  g_assert_nonnull (strstr (msmtp, "port 587\nfrom \"pat@charter.net\"\ntls on\ntls_starttls off\n"));
  g_assert_nonnull (strstr (msmtp, "passwordeval \"secret-tool lookup"));
  g_assert_nonnull (strstr (mbsync, "SSLType IMAPS\n"));
  g_assert_nonnull (strstr (mbsync, "PassCmd \"secret-tool lookup"));
  /* Not XOAUTH2, which Cyrus SASL would pick with its plugin installed. */
  g_assert_nonnull (strstr (mbsync, "\nAuthMechs PLAIN LOGIN\n"));
  g_assert_nonnull (strstr (neomutt, "set smtp_url = \"smtps://pat%40charter.net@mobile.charter.net:587/\""));
  g_assert_nonnull (strstr (neomutt, "set imap_pass = \"`secret-tool lookup"));
  g_assert_nonnull (strstr (aerc, "outgoing = `smtps://pat%40charter.net@mobile.charter.net:587`\n"));

  /* An address with shell specials is looked up by its address-id: the
   * command needs no quoting anywhere. */
  g_clear_pointer (&command, g_free);
  command = ms_keyring_lookup_command ("O'neil$x@example.com", MS_PROTOCOL_IMAP);
  g_assert_cmpstr (command, ==,
                   "secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account address-id "
                   "ceecfff37f32049be111598326109d352a23807ff3702ab1804dc5532d2dd423 protocol imap");
}

/* The one value of @key the program reads (NULL if none, and a failure
 * if the key came twice). */
static const char *
lookup (GPtrArray  *directives,
        const char *key)
{
  const char *found = NULL;

  for (guint i = 0; i < directives->len; i++)
    {
      ExportDirective *d = g_ptr_array_index (directives, i);

      if (!g_str_equal (d->key, key))
        continue;
      if (found != NULL)
        g_error ("%s twice", key);
      found = d->value;
    }

  return found;
}

static gboolean
has_key_ending (GPtrArray  *directives,
                const char *suffix)
{
  for (guint i = 0; i < directives->len; i++)
    if (g_str_has_suffix (((ExportDirective *) g_ptr_array_index (directives, i))->key, suffix))
      return TRUE;

  return FALSE;
}

static MsAccountSettings *
oauth_settings (gboolean incoming,
                gboolean outgoing)
{
  MsAccountSettings *settings = charter_settings ();

  if (incoming)
    settings->incoming->auth = MS_AUTH_OAUTH2;
  if (outgoing)
    settings->outgoing->auth = MS_AUTH_OAUTH2;

  return settings;
}

/* OAuth on both servers (issue 14): every program runs the token command
 * of the installed binary, read back by each format's strict reader. */
static void
test_terminal_oauth (void)
{
  g_autoptr(MsAccountSettings) settings = oauth_settings (TRUE, TRUE);
  g_autoptr(GError) error = NULL;
  const char *token = BIN_NAME " token pat@charter.net";
  g_autofree char *command = ms_export_token_command ("pat@charter.net", "test", &error);
  g_autofree char *msmtp = ms_export_msmtp_render (settings, &error);
  g_autofree char *mbsync = ms_export_mbsync_render (settings, &error);
  g_autofree char *neomutt = ms_export_neomutt_render (settings, &error);
  g_autofree char *aerc = ms_export_aerc_render (settings, &error);
  g_autoptr(GPtrArray) m = NULL;
  g_autoptr(GPtrArray) i = NULL;
  g_autoptr(GPtrArray) n = NULL;
  g_autoptr(GPtrArray) a = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (command, ==, token);

  m = export_read_msmtp (msmtp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (m, "auth"), ==, "oauthbearer");
  g_assert_cmpstr (lookup (m, "user"), ==, "pat@charter.net");
  g_assert_cmpstr (lookup (m, "passwordeval"), ==, token);
  g_assert_null (lookup (m, "password"));

  i = export_read_isync (mbsync, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (i, "AuthMechs"), ==, "XOAUTH2");
  g_assert_cmpstr (lookup (i, "PassCmd"), ==, token);
  g_assert_cmpstr (lookup (i, "User"), ==, "pat@charter.net");

  n = export_read_neomutt (neomutt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (n, "imap_user"), ==, "pat@charter.net");
  g_assert_cmpstr (lookup (n, "imap_authenticators"), ==, "oauthbearer");
  g_assert_cmpstr (lookup (n, "imap_oauth_refresh_command"), ==, token);
  g_assert_cmpstr (lookup (n, "smtp_authenticators"), ==, "oauthbearer");
  g_assert_cmpstr (lookup (n, "smtp_oauth_refresh_command"), ==, token);
  g_assert_false (has_key_ending (n, "_pass"));

  a = export_read_go_ini (aerc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (a, "pat@charter.net/source"), ==,
                   "imaps+oauthbearer://pat%40charter.net@mobile.charter.net:993");
  g_assert_cmpstr (lookup (a, "pat@charter.net/outgoing"), ==,
                   "smtps+oauthbearer://pat%40charter.net@mobile.charter.net:587");
  g_assert_cmpstr (lookup (a, "pat@charter.net/source-cred-cmd"), ==, token);
  g_assert_cmpstr (lookup (a, "pat@charter.net/outgoing-cred-cmd"), ==, token);
}

/* OAuth is per server: here IMAP only, SMTP keeps its password. */
static void
test_terminal_oauth_incoming_only (void)
{
  g_autoptr(MsAccountSettings) settings = oauth_settings (TRUE, FALSE);
  g_autoptr(GError) error = NULL;
  const char *token = BIN_NAME " token pat@charter.net";
  g_autofree char *smtp_keyring = ms_keyring_lookup_command ("pat@charter.net", MS_PROTOCOL_SMTP);
  g_autofree char *msmtp = ms_export_msmtp_render (settings, &error);
  g_autofree char *mbsync = ms_export_mbsync_render (settings, &error);
  g_autofree char *neomutt = ms_export_neomutt_render (settings, &error);
  g_autofree char *aerc = ms_export_aerc_render (settings, &error);
  g_autofree char *smtp_pass = g_strconcat ("\1", smtp_keyring, "\2", NULL);
  g_autoptr(GPtrArray) m = NULL;
  g_autoptr(GPtrArray) i = NULL;
  g_autoptr(GPtrArray) n = NULL;
  g_autoptr(GPtrArray) a = NULL;

  g_assert_no_error (error);
  m = export_read_msmtp (msmtp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (m, "auth"), ==, "on");
  g_assert_cmpstr (lookup (m, "passwordeval"), ==, smtp_keyring);

  i = export_read_isync (mbsync, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (i, "PassCmd"), ==, token);
  g_assert_cmpstr (lookup (i, "AuthMechs"), ==, "XOAUTH2");

  n = export_read_neomutt (neomutt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (n, "imap_oauth_refresh_command"), ==, token);
  g_assert_null (lookup (n, "imap_pass"));
  g_assert_cmpstr (lookup (n, "smtp_pass"), ==, smtp_pass);
  g_assert_null (lookup (n, "smtp_authenticators"));

  a = export_read_go_ini (aerc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (a, "pat@charter.net/outgoing"), ==,
                   "smtps://pat%40charter.net@mobile.charter.net:587");
  g_assert_cmpstr (lookup (a, "pat@charter.net/outgoing-cred-cmd"), ==, smtp_keyring);
  g_assert_cmpstr (lookup (a, "pat@charter.net/source-cred-cmd"), ==, token);
}

/* aerc's schemes for the other securities, and neomutt's POP3. */
static void
test_terminal_oauth_schemes (void)
{
  g_autoptr(MsAccountSettings) settings = oauth_settings (TRUE, TRUE);
  g_autoptr(MsServer) pop = ms_server_new (MS_PROTOCOL_POP3, "pop.example.com", 995, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) pop_settings = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *aerc = NULL;
  g_autofree char *neomutt = NULL;

  settings->incoming->security = MS_SECURITY_STARTTLS;
  settings->outgoing->security = MS_SECURITY_STARTTLS;
  aerc = ms_export_aerc_render (settings, &error);
  g_assert_no_error (error);
  read = export_read_go_ini (aerc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (read, "pat@charter.net/source"), ==,
                   "imap+oauthbearer://pat%40charter.net@mobile.charter.net:993");
  g_assert_cmpstr (lookup (read, "pat@charter.net/outgoing"), ==,
                   "smtp+oauthbearer://pat%40charter.net@mobile.charter.net:587");
  g_clear_pointer (&read, g_ptr_array_unref);
  g_clear_pointer (&aerc, g_free);

  /* In the clear: aerc's IMAP worker strips "+insecure" from the end
   * before "+oauthbearer"; its SMTP sender takes the last part as the
   * mechanism. */
  settings->incoming->security = MS_SECURITY_NONE;
  settings->outgoing->security = MS_SECURITY_NONE;
  aerc = ms_export_aerc_render (settings, &error);
  g_assert_no_error (error);
  read = export_read_go_ini (aerc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (read, "pat@charter.net/source"), ==,
                   "imap+oauthbearer+insecure://pat%40charter.net@mobile.charter.net:993");
  g_assert_cmpstr (lookup (read, "pat@charter.net/outgoing"), ==,
                   "smtp+insecure+oauthbearer://pat%40charter.net@mobile.charter.net:587");
  g_clear_pointer (&read, g_ptr_array_unref);

  g_free (pop->username);
  pop->username = g_strdup ("a@example.com");
  pop->auth = MS_AUTH_OAUTH2;
  pop_settings = ms_account_settings_new ("a@example.com", pop, settings->outgoing);
  neomutt = ms_export_neomutt_render (pop_settings, &error);
  g_assert_no_error (error);
  read = export_read_neomutt (neomutt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (read, "pop_authenticators"), ==, "oauthbearer");
  g_assert_cmpstr (lookup (read, "pop_oauth_refresh_command"), ==, BIN_NAME " token a@example.com");
  g_assert_null (lookup (read, "pop_pass"));
}

/* Asked to include the password, an OAuth account's files still hold only
 * the command: a token expires, and the password is not what signs in.
 * msmtp stores nothing in its keyring for it either (no keyring here:
 * a store would fail and warn). */
static void
test_terminal_oauth_include_password (void)
{
  static const char *ids[] = { "msmtp", "mbsync", "neomutt", "aerc" };
  g_autoptr(MsAccountSettings) settings = oauth_settings (TRUE, TRUE);
  g_autoptr(MsSecret) password = ms_secret_new ("hunter2-never-in-a-file");
  g_autofree char *dir = temp_dir ();

  for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      g_autofree char *path = g_build_filename (dir, ids[k], NULL);
      g_autoptr(MsExportResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      result = ms_exporter_export_sync (ms_exporter_find (ids[k]), settings, password,
                                        MS_EXPORT_FLAGS_INCLUDE_PASSWORD, path, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (result->warnings->len, ==, 0);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_null (strstr (contents, "hunter2"));
      g_assert_nonnull (strstr (contents, BIN_NAME " token pat@charter.net"));
      g_assert_null (strstr (contents, "secret-tool"));
    }
}

static void
test_pop3_unsupported (void)
{
  g_autoptr(MsServer) pop = ms_server_new (MS_PROTOCOL_POP3, "pop.example.com", 995, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "smtp.example.com", 465, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mbsync = NULL;
  g_autofree char *neomutt = NULL;

  g_free (pop->username);
  pop->username = g_strdup ("a@example.com");
  settings = ms_account_settings_new ("a@example.com", pop, smtp);
  mbsync = ms_export_mbsync_render (settings, &error);
  g_assert_null (mbsync);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  neomutt = ms_export_neomutt_render (settings, &error);
  g_assert_no_error (error);

  g_assert_nonnull (strstr (neomutt, "set pop_host = \"pops://a%40example.com@pop.example.com:995/\""));
}

static void
test_mobileconfig_render (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  g_autoptr(MsSecret) password = ms_secret_new ("s3cret&<pw>");
  g_autoptr(GError) error = NULL;
  g_autofree char *without = ms_export_mobileconfig_render (settings, NULL, &error);
  g_autofree char *with = ms_export_mobileconfig_render (settings, password, &error);
  g_autofree char *again = ms_export_mobileconfig_render (settings, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (strstr (without, "Password</key>\n      <string>"));
  g_assert_nonnull (strstr (with, "<key>IncomingPassword</key>\n      <string>s3cret&amp;&lt;pw&gt;</string>"));
  /* Stable identifiers: importing again replaces, never adds. */
  g_assert_cmpstr (without, ==, again);
}

static void
test_qr (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = ms_export_qr_payload (settings, NULL);
  g_autoptr(GBytes) matrix = NULL;
  g_autoptr(GBytes) png = NULL;
  const guint8 *modules;
  guint width = 0;
  gsize size;

  g_assert_cmpstr (payload, ==,
                   "[1,[1,1],[0,\"mobile.charter.net\",993,3,1,\"pat@charter.net\"],"
                   "[[[0,\"mobile.charter.net\",587,3,1,\"pat@charter.net\"],[\"pat@charter.net\",\"Pat Example\"]]]]");

  matrix = ms_export_qr_matrix (payload, &width, &error);
  g_assert_no_error (error);
  modules = g_bytes_get_data (matrix, &size);
  g_assert_cmpuint (width, >=, 21);
  g_assert_cmpuint (size, ==, width * width);
  /* A finder pattern's dark corner. */
  g_assert_cmpuint (modules[0], ==, 1);

  png = ms_export_qr_png (payload, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
}

static void
test_pdf (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ms_export_pdf_render (settings, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);
}

static void
test_thunderbird_prefs_js (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  g_autofree char *profile = temp_dir ();
  g_autofree char *prefs = g_build_filename (profile, "prefs.js", NULL);
  g_autofree char *user_js = g_build_filename (profile, "user.js", NULL);
  g_autofree char *lock = g_build_filename (profile, "lock", NULL);
  g_autofree char *self_lock = g_strdup_printf ("127.0.0.1:+%d", (int) getpid ());
  g_autoptr(MsExportResult) result = NULL;
  g_autoptr(MsExportResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autofree char *user_text = NULL;
  const MsExporter *exporter = ms_exporter_find ("thunderbird");
  const char *original =
    "// Mozilla User Preferences\n"
    "\n"
    "user_pref(\"mail.accountmanager.accounts\", \"account1,account2\");\n"
    "user_pref(\"mail.accountmanager.defaultaccount\", \"account1\");\n"
    "user_pref(\"mail.server.server1.hostname\", \"other.example\");\n"
    "user_pref(\"mail.smtpservers\", \"smtp1\");\n";

  g_assert_true (g_file_set_contents (prefs, original, -1, NULL));
  /* What an earlier version wrote: its block goes, the rest stays. */
  g_assert_true (g_file_set_contents (user_js,
                                      "// mine\n"
                                      "// BEGIN Mail Setup old@example.org\n"
                                      "user_pref(\"mail.accountmanager.accounts\", \"account1,account_old\");\n"
                                      "user_pref(\"mail.account.account_old.server\", \"server_old\");\n"
                                      "// END Mail Setup old@example.org\n"
                                      "user_pref(\"browser.mine\", true);\n", -1, NULL));

  result = ms_exporter_export_sync (exporter, settings, NULL, MS_EXPORT_FLAGS_NONE, profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->backups->len, ==, 2);
  g_assert_true (g_file_get_contents (user_js, &user_text, NULL, NULL));
  g_assert_cmpstr (user_text, ==, "// mine\nuser_pref(\"browser.mine\", true);\n");

  g_assert_true (g_file_get_contents (prefs, &text, NULL, NULL));
  second = ms_exporter_export_sync (exporter, settings, NULL, MS_EXPORT_FLAGS_NONE, profile, NULL, &error);
  g_assert_no_error (error);
  /* Only prefs.js is written again, and to the same text. */
  g_assert_cmpuint (second->backups->len, ==, 1);
  g_assert_true (g_file_get_contents (prefs, &again, NULL, NULL));
  g_assert_cmpstr (again, ==, text);

  g_assert_true (g_str_has_prefix (text, "// Mozilla User Preferences\n\nuser_pref(\"mail.accountmanager.accounts\", \"account1,account2,account_old,account_ms"));
  g_assert_nonnull (strstr (text, "\nuser_pref(\"mail.accountmanager.defaultaccount\", \"account1\");\n"
                                  "user_pref(\"mail.server.server1.hostname\", \"other.example\");\n"
                                  "user_pref(\"mail.smtpservers\", \"smtp1,smtp_ms"));
  g_assert_nonnull (strstr (text, "\"mail.account.account_old.server\", \"server_old\");"));
  g_assert_nonnull (strstr (text, ".try_ssl\", 3);"));
  g_assert_nonnull (strstr (text, ".port\", 587);"));
  g_assert_nonnull (strstr (text, ".socketType\", 3);"));
  g_assert_cmpstr (strstr (text, "defaultaccount"), ==, g_strrstr (text, "defaultaccount"));
  g_assert_null (strstr (text, "Mail Setup"));

  /* A live lock (this very process) means Thunderbird runs. */
  g_assert_cmpint (symlink (self_lock, lock), ==, 0);
  g_clear_pointer (&result, ms_export_result_free);
  result = ms_exporter_export_sync (exporter, settings, NULL, MS_EXPORT_FLAGS_NONE, profile, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_RUNNING);
}

/* An account Thunderbird itself has for the address is updated, not
 * added a second time. */
static void
test_thunderbird_same_address (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  g_autofree char *prefs_text = g_strdup_printf (
    "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
    "user_pref(\"mail.account.account1.server\", \"server1\");\n"
    "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
    "user_pref(\"mail.server.server1.type\", \"imap\");\n"
    "user_pref(\"mail.identity.id1.useremail\", \"%s\");\n"
    "user_pref(\"mail.identity.id1.smtpServer\", \"smtp1\");\n", settings->address);
  g_autoptr(GError) error = NULL;
  g_autofree char *block = ms_export_thunderbird_render (settings, prefs_text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (block, "\"mail.accountmanager.accounts\", \"account1\");"));
  g_assert_nonnull (strstr (block, "\"mail.server.server1.hostname\""));
  g_assert_nonnull (strstr (block, "\"mail.smtpserver.smtp1.hostname\""));
  g_assert_null (strstr (block, "_ms"));
}

static void
test_exporter_list (void)
{
  const char *ids[] = { "thunderbird", "evolution", "goa", "geary", "mobileconfig", "qr",
                        "autodiscover", "pdf", "msmtp", "mbsync", "neomutt", "aerc" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const MsExporter *exporter = ms_exporter_find (ids[i]);

      g_assert_nonnull (exporter);
      g_assert_cmpstr (ms_exporter_get_id (exporter), ==, ids[i]);
      g_assert_nonnull (ms_exporter_get_name (exporter));
    }
  g_assert_null (ms_exporter_find ("outlook"));
}

/* The one target-path rule: an output path wins, else the program's place. */
static void
test_target_path (void)
{
  g_autoptr(MsAccountSettings) settings = charter_settings ();
  MsExportContext context = { .settings = settings };
  g_autofree char *config = NULL;
  g_autofree char *home = NULL;
  g_autofree char *document = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *document_name = NULL;

  config = ms_export_target_path (&context, MS_EXPORT_TARGET_CONFIG, "msmtp", "config", NULL);
  expected = g_build_filename (g_get_user_config_dir (), "msmtp", "config", NULL);
  g_assert_cmpstr (config, ==, expected);
  g_clear_pointer (&expected, g_free);

  home = ms_export_target_path (&context, MS_EXPORT_TARGET_HOME, ".mbsyncrc", NULL);
  expected = g_build_filename (g_get_home_dir (), ".mbsyncrc", NULL);
  g_assert_cmpstr (home, ==, expected);

  document = ms_export_target_path (&context, MS_EXPORT_TARGET_DOCUMENT, "pdf", NULL);
  document_name = g_path_get_basename (document);
  g_assert_cmpstr (document_name, ==, "pat@charter.net.pdf");

  context.output_path = "/tmp/chosen-by-user";
  chosen = ms_export_target_path (&context, MS_EXPORT_TARGET_CONFIG, "msmtp", "config", NULL);
  g_assert_cmpstr (chosen, ==, "/tmp/chosen-by-user");
}

/* ---- OAuth (issue 14): the programs sign in by themselves ------------ */

/* An account whose two servers sign in with OAuth, as a passing OAuth
 * test saves it; @provider_id is what a (hostile) provider file said. */
static MsAccountSettings *
native_oauth_settings (const char *imap_host,
                const char *smtp_host,
                const char *provider_id)
{
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, imap_host, 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, smtp_host, 465, MS_SECURITY_TLS);
  MsAccountSettings *settings;

  imap->auth = MS_AUTH_OAUTH2;
  smtp->auth = MS_AUTH_OAUTH2;
  ms_server_set_username (imap, "pat@example.com");
  ms_server_set_username (smtp, "pat@example.com");
  settings = ms_account_settings_new ("pat@example.com", imap, smtp);
  settings->provider_id = g_strdup (provider_id);
  settings->provider_name = g_strdup ("Example Mail");

  return settings;
}

/* The value the strict reader read for @key (the last one wins, as in
 * the programs), or %NULL. */
static const char *
directive (GPtrArray  *directives,
           const char *key)
{
  const char *value = NULL;

  for (guint i = 0; i < directives->len; i++)
    {
      ExportDirective *item = g_ptr_array_index (directives, i);

      if (g_str_equal (item->key, key))
        value = item->value;
    }

  return value;
}

/* Look-alikes of the programs' known domains, and provider ids that
 * claim one: none may choose a program's OAuth sign-in. */
static const char * const hostile_hosts[] = {
  "imap.gmail.com.evil.example", "evilgmail.com", "gmail.com.example",
  "imap.evil.example", "imap-gmail.com", "outlook.com.evil.example",
  "xn--gmail-9ta.com", "yahoo.co", "aol.comm", "imap..gmail.com",
};

static void
test_oauth_tables (void)
{
  const char *tb_known[] = { "imap.gmail.com", "SMTP.GMAIL.COM", "imap.gmail.com.", "outlook.office365.com",
                             "smtp-mail.outlook.com", "imap.mail.yahoo.com", "imap.aol.com",
                             "imap.fastmail.com", "imap.comcast.net", "imap.yandex.com" };

  for (guint i = 0; i < G_N_ELEMENTS (tb_known); i++)
    g_assert_true (ms_export_oauth_thunderbird_knows (tb_known[i]));
  for (guint i = 0; i < G_N_ELEMENTS (hostile_hosts); i++)
    {
      g_test_message ("hostile host %s", hostile_hosts[i]);
      g_assert_false (ms_export_oauth_thunderbird_knows (hostile_hosts[i]));
      g_assert_null (ms_export_oauth_evolution_service (hostile_hosts[i]));
    }
  /* Fastmail's OAuth is for its mail hosts, not every fastmail.com name. */
  g_assert_false (ms_export_oauth_thunderbird_knows ("www.fastmail.com"));

  g_assert_cmpstr (ms_export_oauth_evolution_service ("imap.gmail.com"), ==, "Google");
  g_assert_cmpstr (ms_export_oauth_evolution_service ("smtp.googlemail.com"), ==, "Google");
  g_assert_cmpstr (ms_export_oauth_evolution_service ("IMAP-MAIL.OUTLOOK.COM"), ==, "Outlook");
  g_assert_cmpstr (ms_export_oauth_evolution_service ("smtp.mail.yahoo.com"), ==, "Yahoo");
  /* EDS 3.46 has no AOL, Microsoft 365 or Fastmail service. */
  g_assert_null (ms_export_oauth_evolution_service ("imap.aol.com"));
  g_assert_null (ms_export_oauth_evolution_service ("outlook.office365.com"));
  g_assert_null (ms_export_oauth_evolution_service ("imap.fastmail.com"));
}

static void
test_thunderbird_oauth (void)
{
  g_autoptr(MsAccountSettings) settings = native_oauth_settings ("imap.gmail.com", "smtp.gmail.com", "gmail.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *block = ms_export_thunderbird_render (settings, NULL, &error);
  g_autoptr(GPtrArray) prefs = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "pat@example.com", -1);
  g_autofree char *server_key = g_strdup_printf ("mail.server.server_ms%.10s.authMethod", hash);
  g_autofree char *smtp_key = g_strdup_printf ("mail.smtpserver.smtp_ms%.10s.authMethod", hash);
  g_autoptr(MsAccountSettings) password = charter_settings ();
  g_autofree char *profile = temp_dir ();
  g_autoptr(MsExportResult) result = NULL;
  g_autofree char *password_block = NULL;
  g_autoptr(GPtrArray) password_prefs = NULL;

  g_assert_no_error (error);
  prefs = export_read_mozilla_prefs (block, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (directive (prefs, server_key), ==, "10");
  g_assert_cmpstr (directive (prefs, smtp_key), ==, "10");

  /* Into a profile: the person is told Thunderbird signs in by itself. */
  result = ms_exporter_export_sync (ms_exporter_find ("thunderbird"), settings, NULL, MS_EXPORT_FLAGS_NONE,
                                    profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (result->warnings, 0), "signs in to this account by itself"));

  /* A password account keeps the password method. */
  password_block = ms_export_thunderbird_render (password, NULL, &error);
  g_assert_no_error (error);
  password_prefs = export_read_mozilla_prefs (password_block, &error);
  g_assert_no_error (error);
  g_clear_pointer (&hash, g_free);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "pat@charter.net", -1);
  g_free (server_key);
  server_key = g_strdup_printf ("mail.server.server_ms%.10s.authMethod", hash);
  g_assert_cmpstr (directive (password_prefs, server_key), ==, "3");

  for (guint i = 0; i < G_N_ELEMENTS (hostile_hosts); i++)
    {
      g_autoptr(MsAccountSettings) hostile = native_oauth_settings (hostile_hosts[i], "smtp.gmail.com", "gmail.com");
      g_autofree char *refused = ms_export_thunderbird_render (hostile, NULL, &error);

      g_assert_null (refused);
      g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, hostile_hosts[i]));
      g_clear_error (&error);
    }
}

/* Evolution's sources through the real exporter into a folder: no
 * password is needed or stored for an OAuth account. */
static GPtrArray *
evolution_sources (MsAccountSettings *settings,
                   GError           **error)
{
  GKeyFile *sources[3] = { NULL, NULL, NULL };
  g_autoptr(GString) joined = g_string_new (NULL);

  if (!ms_export_evolution_render (settings, sources, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *data = g_key_file_to_data (sources[i], NULL, NULL);

      g_string_append_printf (joined, "%s%s", i > 0 ? "\n\x1e\n" : "", data);
      g_key_file_unref (sources[i]);
    }

  return export_read_key_files (joined->str, error);
}

static void
test_evolution_oauth (void)
{
  const struct { const char *imap, *smtp, *method; } known[] = {
    { "imap.gmail.com", "smtp.gmail.com", "Google" },
    { "imap-mail.outlook.com", "smtp-mail.outlook.com", "Outlook" },
    { "imap.mail.yahoo.com", "smtp.mail.yahoo.com", "Yahoo" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = temp_dir ();
  g_autoptr(MsAccountSettings) gmail = native_oauth_settings ("imap.gmail.com", "smtp.gmail.com", NULL);
  g_autoptr(MsAccountSettings) aol = native_oauth_settings ("imap.aol.com", "smtp.aol.com", "gmail.com");
  g_autoptr(MsAccountSettings) charter = charter_settings ();
  g_autoptr(MsExportResult) result = NULL;
  const MsExporter *exporter = ms_exporter_find ("evolution");

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_autoptr(MsAccountSettings) settings = native_oauth_settings (known[i].imap, known[i].smtp, "hostile.example");
      g_autoptr(GPtrArray) read = evolution_sources (settings, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (directive (read, "0/Authentication/Method"), ==, known[i].method);
      g_assert_cmpstr (directive (read, "2/Authentication/Method"), ==, known[i].method);
      g_assert_cmpstr (directive (read, "0/Authentication/User"), ==, "pat@example.com");
    }

  /* Written without a password (none is needed: Evolution signs in). */
  result = ms_exporter_export_sync (exporter, gmail, NULL, MS_EXPORT_FLAGS_NONE, dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->paths->len, ==, 3);
  g_assert_cmpuint (result->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (result->warnings, 0), "signs in to this account by itself"));

  /* AOL: EDS has no service, and a provider id cannot lend it one. */
  g_assert_null (evolution_sources (aol, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "imap.aol.com"));
  g_assert_nonnull (strstr (error->message, "Thunderbird"));
  g_clear_error (&error);

  /* A password account still needs its password. */
  g_clear_pointer (&result, ms_export_result_free);
  result = ms_exporter_export_sync (exporter, charter, NULL, MS_EXPORT_FLAGS_NONE, dir, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_NEEDS_PASSWORD);
}

static void
test_goa_oauth (void)
{
  g_autoptr(MsAccountSettings) gmail = native_oauth_settings ("imap.gmail.com", "smtp.gmail.com", NULL);
  g_autoptr(MsAccountSettings) outlook = native_oauth_settings ("imap-mail.outlook.com", "smtp-mail.outlook.com", "google");
  g_autoptr(MsAccountSettings) half = native_oauth_settings ("imap.gmail.com", "smtp.gmail.com.evil.example", "gmail.com");
  g_autoptr(MsAccountSettings) charter = charter_settings ();
  g_autoptr(MsSecret) secret = ms_secret_new ("hunter2-not-real");
  g_autoptr(GVariant) arguments = NULL;
  g_autoptr(GVariant) credentials = NULL;
  g_autoptr(GVariant) details = NULL;
  g_autoptr(GError) error = NULL;
  const char *provider, *identity, *presentation, *value;

  arguments = ms_export_goa_render (gmail, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_type_string (arguments), ==, "(sssa{sv}a{ss})");
  g_variant_get (arguments, "(&s&s&s@a{sv}@a{ss})", &provider, &identity, &presentation, &credentials, &details);
  g_assert_cmpstr (provider, ==, "google");
  g_assert_cmpstr (identity, ==, "pat@example.com");
  g_assert_cmpstr (presentation, ==, "pat@example.com");
  /* GOA signs in itself: Mail Setup's tokens are not handed over. */
  g_assert_cmpuint (g_variant_n_children (credentials), ==, 0);
  g_assert_true (g_variant_lookup (details, "MailEnabled", "&s", &value));
  g_assert_cmpstr (value, ==, "true");
  g_assert_true (g_variant_lookup (details, "CalendarEnabled", "&s", &value));
  g_assert_cmpstr (value, ==, "false");
  g_assert_false (g_variant_lookup (details, "ImapHost", "&s", &value));

  /* GOA 3.46 cannot add a Microsoft account for an address. */
  g_assert_null (ms_export_goa_render (outlook, NULL, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Evolution"));
  g_clear_error (&error);
  g_assert_null (ms_export_goa_render (half, NULL, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* The password account is GOA's IMAP and SMTP one, as before. */
  g_clear_pointer (&arguments, g_variant_unref);
  g_clear_pointer (&credentials, g_variant_unref);
  g_clear_pointer (&details, g_variant_unref);
  arguments = ms_export_goa_render (charter, secret, &error);
  g_assert_no_error (error);
  g_variant_get (arguments, "(&s&s&s@a{sv}@a{ss})", &provider, &identity, &presentation, &credentials, &details);
  g_assert_cmpstr (provider, ==, "imap_smtp");
  g_assert_true (g_variant_lookup (credentials, "imap-password", "&s", &value));
  g_assert_cmpstr (value, ==, "hunter2-not-real");
  g_assert_null (ms_export_goa_render (charter, NULL, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_NEEDS_PASSWORD);
}

static void
test_geary_oauth (void)
{
  g_autoptr(MsAccountSettings) gmail = native_oauth_settings ("imap.gmail.com", "smtp.gmail.com", NULL);
  g_autoptr(MsAccountSettings) other = native_oauth_settings ("imap.oauth.example", "smtp.oauth.example", "gmail.com");
  g_autoptr(MsAccountSettings) charter = charter_settings ();
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsExportResult) result = NULL;
  g_autofree char *dir = temp_dir ();

  g_assert_null (ms_export_geary_render (gmail, 1, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "export to GNOME Online Accounts instead"));
  g_clear_error (&error);

  /* Through the exporter: refused before anything is written. */
  result = ms_exporter_export_sync (ms_exporter_find ("geary"), other, NULL, MS_EXPORT_FLAGS_NONE, dir, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "imap.oauth.example"));
  g_assert_nonnull (strstr (error->message, "mail-setup token"));
  g_assert_cmpint (count_files (dir), ==, 0);
  g_clear_error (&error);

  key_file = ms_export_geary_render (charter, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key_file);
}

/* Thunderbird for Android: auth 6 for the exact hosts it knows. */
static void
test_qr_oauth (void)
{
  g_autoptr(MsAccountSettings) gmail = native_oauth_settings ("imap.gmail.com", "smtp.gmail.com", NULL);
  g_autoptr(MsAccountSettings) near = native_oauth_settings ("mail.imap.gmail.com", "smtp.gmail.com", "gmail.com");
  g_autofree char *payload = ms_export_qr_payload (gmail, NULL);
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(MsExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = temp_dir ();
  g_autofree char *png = g_build_filename (dir, "code.png", NULL);
  const MsExporter *exporter = ms_exporter_find ("qr");

  read = export_read_json (payload, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (directive (read, "/2/4"), ==, "6");
  g_assert_cmpstr (directive (read, "/3/0/0/4"), ==, "6");
  g_assert_true (ms_export_oauth_android_knows ("IMAP.GMAIL.COM."));
  g_assert_false (ms_export_oauth_android_knows ("mail.imap.gmail.com"));
  for (guint i = 0; i < G_N_ELEMENTS (hostile_hosts); i++)
    g_assert_false (ms_export_oauth_android_knows (hostile_hosts[i]));

  result = ms_exporter_export_sync (exporter, gmail, NULL, MS_EXPORT_FLAGS_NONE, png, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, ms_export_result_free);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_unlink (png), ==, 0);

  result = ms_exporter_export_sync (exporter, near, NULL, MS_EXPORT_FLAGS_NONE, png, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "mail.imap.gmail.com"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

/* Apple's profiles know no OAuth: refused even for Google's servers. */
static void
test_mobileconfig_oauth (void)
{
  g_autoptr(MsAccountSettings) gmail = native_oauth_settings ("imap.gmail.com", "smtp.gmail.com", "gmail.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = ms_export_mobileconfig_render (gmail, NULL, &error);

  g_assert_null (profile);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "imap.gmail.com"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;

  /* Settings are saved under XDG_CONFIG_HOME: keep them out of the real one. */
  home = g_dir_make_tmp ("ms-export-home-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("HOME", home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/settings/from-report", test_settings_from_report);
  g_test_add_func ("/export/settings/refuse-failed", test_settings_refuse_failed_report);
  g_test_add_func ("/export/settings/round-trip", test_settings_round_trip);
  g_test_add_func ("/export/atomic-file", test_atomic_file);
  g_test_add_func ("/export/replace-block", test_replace_block);
  g_test_add_func ("/export/terminal", test_terminal_renderers);
  g_test_add_func ("/export/terminal-oauth", test_terminal_oauth);
  g_test_add_func ("/export/terminal-oauth/incoming-only", test_terminal_oauth_incoming_only);
  g_test_add_func ("/export/terminal-oauth/schemes", test_terminal_oauth_schemes);
  g_test_add_func ("/export/terminal-oauth/include-password", test_terminal_oauth_include_password);
  g_test_add_func ("/export/pop3", test_pop3_unsupported);
  g_test_add_func ("/export/mobileconfig", test_mobileconfig_render);
  g_test_add_func ("/export/qr", test_qr);
  g_test_add_func ("/export/pdf", test_pdf);
  g_test_add_func ("/export/thunderbird", test_thunderbird_prefs_js);
  g_test_add_func ("/export/thunderbird-same-address", test_thunderbird_same_address);
  g_test_add_func ("/export/list", test_exporter_list);
  g_test_add_func ("/export/target-path", test_target_path);
  g_test_add_func ("/export/oauth/tables", test_oauth_tables);
  g_test_add_func ("/export/oauth/thunderbird", test_thunderbird_oauth);
  g_test_add_func ("/export/oauth/evolution", test_evolution_oauth);
  g_test_add_func ("/export/oauth/goa", test_goa_oauth);
  g_test_add_func ("/export/oauth/geary", test_geary_oauth);
  g_test_add_func ("/export/oauth/mobileconfig", test_mobileconfig_oauth);
  g_test_add_func ("/export/oauth/qr", test_qr_oauth);

  return g_test_run ();
}
