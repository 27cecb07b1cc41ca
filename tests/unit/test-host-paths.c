/* test-host-paths.c: inside a Flatpak, files go where the host's programs read
 *
 * A made-up root with a .flatpak-info stands for the sandbox, with HOME the
 * host's home and XDG_CONFIG_HOME the sandbox's ~/.var/app/ID/config, as
 * flatpak sets them. The exporters and the account readers must use the
 * host's ~/.config, and refuse a place the sandbox does not share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "ms-export-token-command.h"
#include "ms-exporter-private.h"
#include "ms-host-paths-private.h"
#include "ms-mail-program-private.h"

#define APP_ID "io.github.mailsetup.MailSetup"

static char *home;
static char *root;

static void
enter_sandbox (const char *filesystems)
{
  g_autofree char *info = g_build_filename (root, ".flatpak-info", NULL);
  g_autofree char *contents = g_strdup_printf ("[Application]\nname=" APP_ID "\nruntime=runtime/org.gnome.Platform/x86_64/48\n\n"
                                               "[Context]\nshared=network;ipc;\nfilesystems=%s\n", filesystems);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (info, contents, -1, &error);
  g_assert_no_error (error);
  ms_host_paths_set_root_for_testing (root);
}

static void
leave_sandbox (void)
{
  g_autofree char *info = g_build_filename (root, ".flatpak-info", NULL);

  g_unlink (info);
  ms_host_paths_set_root_for_testing (root);
}

static MsAccountSettings *
make_settings (void)
{
  g_autoptr(MsAddress) address = ms_address_parse ("pat@example.org", NULL);
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "imap.example.org", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "smtp.example.org", 465, MS_SECURITY_TLS);
  g_autoptr(MsAccountReport) report = ms_account_report_new (address, NULL, NULL);
  g_autoptr(MsProbeResult) in = ms_probe_result_new (imap);
  g_autoptr(MsProbeResult) out = ms_probe_result_new (smtp);
  g_autoptr(GError) error = NULL;
  MsAccountSettings *settings;
  MsProbeResult *results[] = { in, out };

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      results[i]->connected = TRUE;
      results[i]->tls_established = TRUE;
      results[i]->security_detected = TRUE;
      results[i]->detected_security = MS_SECURITY_TLS;
      results[i]->login = MS_LOGIN_SUCCEEDED;
      results[i]->username = g_strdup ("pat@example.org");
      ms_account_report_add_result (report, results[i], FALSE);
    }
  ms_account_report_set_chosen (report, in, out);
  settings = ms_account_settings_new_from_report (report, &error);
  g_assert_no_error (error);

  return settings;
}

static void
test_outside (void)
{
  leave_sandbox ();

  g_assert_false (ms_host_paths_is_sandboxed ());
  g_assert_null (ms_host_paths_get_app_id ());
  g_assert_cmpstr (ms_host_paths_get_config_dir (), ==, g_get_user_config_dir ());
  g_assert_cmpstr (ms_host_paths_get_data_dir (), ==, g_get_user_data_dir ());
  g_assert_true (ms_host_paths_can_write ("/anywhere/at/all"));
}

static void
test_host_folders (void)
{
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *data = g_build_filename (home, ".local", "share", NULL);

  g_unsetenv ("HOST_XDG_CONFIG_HOME");
  g_unsetenv ("HOST_XDG_DATA_HOME");
  enter_sandbox ("");

  g_assert_true (ms_host_paths_is_sandboxed ());
  g_assert_cmpstr (ms_host_paths_get_app_id (), ==, APP_ID);
  g_assert_cmpstr (ms_host_paths_get_home (), ==, home);
  /* Not the sandbox's XDG_CONFIG_HOME, which main () set as flatpak does. */
  g_assert_cmpstr (ms_host_paths_get_config_dir (), ==, config);
  g_assert_cmpstr (ms_host_paths_get_data_dir (), ==, data);

  /* flatpak passes the host's own XDG_*_HOME on; a relative one is invalid. */
  g_setenv ("HOST_XDG_CONFIG_HOME", "/srv/pat/cfg", TRUE);
  g_setenv ("HOST_XDG_DATA_HOME", "relative/data", TRUE);
  enter_sandbox ("");
  g_assert_cmpstr (ms_host_paths_get_config_dir (), ==, "/srv/pat/cfg");
  g_assert_cmpstr (ms_host_paths_get_data_dir (), ==, data);
  g_unsetenv ("HOST_XDG_CONFIG_HOME");
  g_unsetenv ("HOST_XDG_DATA_HOME");
}

static void
check_write (const char *relative,
             gboolean    expected)
{
  g_autofree char *path = relative[0] == '/' ? g_strdup (relative) : g_build_filename (home, relative, NULL);

  if (ms_host_paths_can_write (path) != expected)
    g_error ("%s: expected %s", path, expected ? "writable" : "not writable");
}

static void
test_can_write (void)
{
  g_autofree char *portal = g_strdup_printf ("/run/user/%u/doc/1a2b3c/pat.pdf", (guint) getuid ());

  enter_sandbox ("xdg-config/msmtp:create;xdg-config/evolution/sources:create;~/.thunderbird;"
                 "~/.mbsyncrc:ro;xdg-data/geary;/srv/shared;!/srv/shared/secret;");

  check_write (".config/msmtp/config", TRUE);
  check_write (".config/msmtp", TRUE);
  check_write (".config/evolution/sources/x.source", TRUE);
  check_write (".thunderbird/abc.default/user.js", TRUE);
  check_write (".local/share/geary/account_01/geary.ini", TRUE);
  /* Next to a shared folder is not in it, nor is a way out of it. */
  check_write (".config/msmtpq", FALSE);
  check_write (".config/msmtp/../neomutt/neomuttrc", FALSE);
  check_write (".config/evolution/mail", FALSE);
  /* Read-only shares and the rest of the home are not writable. */
  check_write (".mbsyncrc", FALSE);
  check_write ("Documents/pat@example.org.pdf", FALSE);
  check_write ("/srv/shared/x", TRUE);
  check_write ("/srv/shared/secret/x", FALSE);
  /* Always shared: the app's own folder and the file chooser's answers. */
  check_write (".var/app/" APP_ID "/data/x", TRUE);
  check_write (".var/app/org.other.App/data/x", FALSE);
  check_write (portal, TRUE);

  enter_sandbox ("home;");
  check_write ("Documents/x.pdf", TRUE);
  check_write ("/etc/x", FALSE);
  enter_sandbox ("host;");
  check_write ("/etc/x", TRUE);
}

static void
test_account_places (void)
{
  g_autoptr(MsAccountPlaces) places = NULL;
  g_autofree char *config = g_build_filename (home, ".config", NULL);

  enter_sandbox ("");
  places = ms_account_places_new_default ();

  g_assert_cmpstr (places->home, ==, home);
  g_assert_cmpstr (places->config_dir, ==, config);
  g_assert_cmpstr (places->config_dir, !=, g_get_user_config_dir ());
}

/* The bug of issue 12: "Wrote" into ~/.var/app/ID/config. */
static void
test_export_lands_on_host (void)
{
  g_autoptr(MsAccountSettings) settings = make_settings ();
  g_autoptr(MsExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host_file = g_build_filename (home, ".config", "msmtp", "config", NULL);
  g_autofree char *sandbox_file = g_build_filename (g_get_user_config_dir (), "msmtp", "config", NULL);
  g_autofree char *contents = NULL;

  enter_sandbox ("xdg-config/msmtp:create;");
  result = ms_exporter_export_sync (ms_exporter_find ("msmtp"), settings, NULL, MS_EXPORT_FLAGS_NONE,
                                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->paths->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->paths, 0), ==, host_file);
  g_assert_true (g_file_get_contents (host_file, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "host smtp.example.org"));
  g_assert_false (g_file_test (sandbox_file, G_FILE_TEST_EXISTS));
}

static void
check_refused (const char *id,
               const char *output,
               const char *expected_in_message)
{
  g_autoptr(MsAccountSettings) settings = make_settings ();
  g_autoptr(MsExportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = ms_exporter_export_sync (ms_exporter_find (id), settings, NULL, MS_EXPORT_FLAGS_NONE,
                                    output, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_SANDBOXED);
  g_assert_nonnull (strstr (error->message, expected_in_message));
}

/* Where the sandbox may not write, the export says so and writes nothing. */
static void
test_export_refused (void)
{
  g_autofree char *mbsyncrc = g_build_filename (home, ".mbsyncrc", NULL);
  g_autofree char *pdf = g_build_filename (home, "pat@example.org.pdf", NULL);
  g_autofree char *neomuttrc = g_build_filename (home, ".config", "neomutt", "neomuttrc", NULL);

  enter_sandbox ("xdg-config/msmtp:create;~/.mbsyncrc:ro;");

  check_refused ("mbsync", NULL, "~/.mbsyncrc");
  g_assert_false (g_file_test (mbsyncrc, G_FILE_TEST_EXISTS));
  check_refused ("pdf", pdf, pdf);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  check_refused ("neomutt", NULL, neomuttrc);
  g_assert_false (g_file_test (neomuttrc, G_FILE_TEST_EXISTS));
}

/* The host's mail programs cannot run the sandbox's binary: inside the
 * Flatpak the token command goes through flatpak run (issue 14). */
static void
test_token_command (void)
{
  g_autoptr(MsAccountSettings) settings = make_settings ();
  g_autoptr(GError) error = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *msmtp = NULL;
  g_auto(GStrv) argv = NULL;

  settings->outgoing->auth = MS_AUTH_OAUTH2;
  enter_sandbox ("");
  argv = ms_export_token_argv ("pat@example.org");
  g_assert_cmpuint (g_strv_length (argv), ==, 6);
  g_assert_cmpstr (argv[0], ==, "flatpak");
  g_assert_cmpstr (argv[1], ==, "run");
  g_assert_cmpstr (argv[2], ==, "--command=" BIN_NAME);
  g_assert_cmpstr (argv[3], ==, APP_ID);
  g_assert_cmpstr (argv[4], ==, "token");
  g_assert_cmpstr (argv[5], ==, "pat@example.org");
  inside = ms_export_token_command ("pat@example.org", "test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inside, ==, "flatpak run --command=" BIN_NAME " " APP_ID " token pat@example.org");
  msmtp = ms_export_msmtp_render (settings, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (msmtp, "passwordeval \"flatpak run --command=" BIN_NAME " " APP_ID
                                   " token pat@example.org\"\n"));

  leave_sandbox ();
  outside = ms_export_token_command ("pat@example.org", "test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (outside, ==, BIN_NAME " token pat@example.org");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sandbox_config = NULL;

  home = g_dir_make_tmp ("ms-host-paths-home-XXXXXX", NULL);
  root = g_dir_make_tmp ("ms-host-paths-root-XXXXXX", NULL);
  /* As flatpak sets them: the host's home, the app's own config folder. */
  sandbox_config = g_build_filename (home, ".var", "app", APP_ID, "config", NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", sandbox_config, TRUE);
  g_setenv ("XDG_DATA_HOME", sandbox_config, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/host-paths/outside", test_outside);
  g_test_add_func ("/host-paths/host-folders", test_host_folders);
  g_test_add_func ("/host-paths/can-write", test_can_write);
  g_test_add_func ("/host-paths/account-places", test_account_places);
  g_test_add_func ("/host-paths/export-lands-on-host", test_export_lands_on_host);
  g_test_add_func ("/host-paths/export-refused", test_export_refused);
  g_test_add_func ("/host-paths/token-command", test_token_command);

  return g_test_run ();
}
