/* test-provider-database.c: lookup by domain, override directories, broken files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ms-provider-database.h"

/* Set in main() before GLib caches the XDG directories. */
static char *xdg_root;

#define PROVIDER_FILE(id, domain, host) \
  "<clientConfig version=\"1.1\">\n" \
  "  <emailProvider id=\"" id "\">\n" \
  "    <domain>" domain "</domain>\n" \
  "    <incomingServer type=\"imap\">\n" \
  "      <hostname>" host "</hostname>\n" \
  "      <port>993</port>\n" \
  "      <socketType>SSL</socketType>\n" \
  "    </incomingServer>\n" \
  "  </emailProvider>\n" \
  "</clientConfig>\n"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  return path;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }

  g_remove (path);
}

static MsServer *
first_incoming (MsProvider *provider)
{
  MsProfile *profile = ms_provider_get_recommended_profile (provider);

  return g_ptr_array_index (ms_profile_get_incoming (profile), 0);
}

static void
test_bundled_lookup (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  MsProvider *provider;

  g_assert_false (ms_provider_database_is_loaded (database));
  g_assert_true (ms_provider_database_load (database, NULL, NULL));
  g_assert_true (ms_provider_database_is_loaded (database));
  g_assert_cmpuint (ms_provider_database_get_load_errors (database)->len, ==, 0);

  provider = ms_provider_database_lookup (database, "charter.net");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==,
                   "resource://" RESOURCE_PATH "/providers/charter.net.xml");

  /* Case, a trailing dot and surrounding blanks do not matter. */
  g_assert_true (ms_provider_database_lookup (database, "CHARTER.NET") == provider);
  g_assert_true (ms_provider_database_lookup (database, "Spectrum.Net.") == provider);
  g_assert_true (ms_provider_database_lookup (database, " bresnan.net ") == provider);

  g_assert_null (ms_provider_database_lookup (database, "example.org"));
  g_assert_null (ms_provider_database_lookup (database, "mail.charter.net"));
  g_assert_null (ms_provider_database_lookup (database, ""));
  g_assert_null (ms_provider_database_lookup (database, "not a domain"));
}

static void
test_override_directories (void)
{
  g_autofree char *root = g_dir_make_tmp ("ms-providers-XXXXXX", NULL);
  g_autofree char *high = g_build_filename (root, "high", NULL);
  g_autofree char *low = g_build_filename (root, "low", NULL);
  g_autofree char *missing = g_build_filename (root, "missing", NULL);
  g_autofree char *charter_path = NULL;
  g_autofree char *spectrum_path = NULL;
  g_autofree char *idn_path = NULL;
  g_autofree char *shadowed_path = NULL;
  const char *directories[] = { missing, high, low, NULL };
  g_autoptr(MsProviderDatabase) database = NULL;
  MsProvider *provider;

  /* A user's file replaces the built-in charter.net one (same id). */
  charter_path = write_file (high, "my-charter.xml",
                             PROVIDER_FILE ("charter.net", "charter.net", "imap.override.example"));
  /* A lower directory's file with the same id loses. */
  shadowed_path = write_file (low, "charter.xml",
                              PROVIDER_FILE ("charter.net", "charter.net", "imap.shadowed.example"));
  /* Another id claiming spectrum.net wins that domain. */
  spectrum_path = write_file (low, "spectrum.xml",
                              PROVIDER_FILE ("spectrum", "spectrum.net", "imap.spectrum.example"));
  idn_path = write_file (low, "idn.xml",
                         PROVIDER_FILE ("idn", "bücher.example", "imap.xn--bcher-kva.example"));
  g_free (write_file (low, "not-a-provider.txt", "ignored: not .xml"));

  database = ms_provider_database_new_for_directories (directories, TRUE);
  g_assert_cmpstrv (ms_provider_database_get_directories (database), directories);
  g_assert_true (ms_provider_database_load (database, NULL, NULL));
  g_assert_cmpuint (ms_provider_database_get_load_errors (database)->len, ==, 0);

  provider = ms_provider_database_lookup (database, "charter.net");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, charter_path);
  g_assert_cmpstr (first_incoming (provider)->hostname, ==, "imap.override.example");

  provider = ms_provider_database_lookup (database, "spectrum.net");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, spectrum_path);

  /* The built-in charter.net provider is replaced as a whole. */
  g_assert_null (ms_provider_database_lookup (database, "bresnan.net"));

  provider = ms_provider_database_lookup (database, "BÜCHER.example");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, idn_path);
  g_assert_true (ms_provider_database_lookup (database, "xn--bcher-kva.example") == provider);

  /* Other built-in files are still there. */
  g_assert_nonnull (ms_provider_database_lookup (database, "gmail.com"));

  /* One provider per id: 11 built-in - charter.net + 3 from files. */
  g_assert_cmpuint (ms_provider_database_get_providers (database)->len, ==, 13);

  remove_tree (root);
}

/* Thunderbird's database has six files with emailProvider id="zoho.com",
 * one per country (zoho.com, zoho.eu, zoho.in ...): it keys by domain, so
 * must we, or five of them lose their domains. An id a higher directory
 * has still replaces a lower directory's file as a whole. */
static void
test_same_id_keeps_domains (void)
{
  g_autofree char *root = g_dir_make_tmp ("ms-providers-XXXXXX", NULL);
  g_autofree char *high = g_build_filename (root, "high", NULL);
  g_autofree char *low = g_build_filename (root, "low", NULL);
  g_autofree char *com_path = NULL;
  g_autofree char *in_path = NULL;
  g_autofree char *eu_path = NULL;
  const char *directories[] = { high, low, NULL };
  g_autoptr(MsProviderDatabase) database = NULL;
  MsProvider *provider;

  com_path = write_file (low, "zoho.com.xml", PROVIDER_FILE ("zoho.com", "zoho.com", "imap.zoho.com"));
  in_path = write_file (low, "zoho.in.xml", PROVIDER_FILE ("zoho.com", "zoho.in", "imap.zoho.in"));
  eu_path = write_file (low, "zoho.eu.xml", PROVIDER_FILE ("zoho.com", "zoho.eu", "imap.zoho.eu"));
  /* The same file twice in one place adds nothing and is listed once. */
  g_free (write_file (low, "zoho.in2.xml", PROVIDER_FILE ("zoho.com", "zoho.in", "imap.copy.example")));

  database = ms_provider_database_new_for_directories (directories, FALSE);
  g_assert_true (ms_provider_database_load (database, NULL, NULL));
  g_assert_cmpuint (ms_provider_database_get_load_errors (database)->len, ==, 0);

  provider = ms_provider_database_lookup (database, "zoho.in");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, in_path);
  g_assert_cmpstr (first_incoming (provider)->hostname, ==, "imap.zoho.in");
  provider = ms_provider_database_lookup (database, "zoho.eu");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, eu_path);
  provider = ms_provider_database_lookup (database, "zoho.com");
  g_assert_nonnull (provider);
  g_assert_cmpstr (ms_provider_get_source (provider), ==, com_path);
  g_assert_cmpuint (ms_provider_database_get_providers (database)->len, ==, 3);

  /* A person's own zoho.com file replaces every lower one of that id. */
  g_free (write_file (high, "my-zoho.xml", PROVIDER_FILE ("zoho.com", "zoho.com", "imap.mine.example")));
  g_clear_object (&database);
  database = ms_provider_database_new_for_directories (directories, FALSE);
  g_assert_true (ms_provider_database_load (database, NULL, NULL));
  g_assert_cmpstr (first_incoming (ms_provider_database_lookup (database, "zoho.com"))->hostname,
                   ==, "imap.mine.example");
  g_assert_null (ms_provider_database_lookup (database, "zoho.in"));
  g_assert_cmpuint (ms_provider_database_get_providers (database)->len, ==, 1);

  remove_tree (root);
}

static void
test_broken_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ms-providers-XXXXXX", NULL);
  g_autofree char *broken_path = NULL;
  g_autofree char *prefix = NULL;
  const char *directories[] = { dir, NULL };
  g_autoptr(MsProviderDatabase) database = NULL;
  GPtrArray *errors;
  const GError *error;

  broken_path = write_file (dir, "a-broken.xml",
                            "<clientConfig version=\"1.1\">\n"
                            "  <emailProvider id=\"broken.example\">\n"
                            "    <domain>broken.example</domain>\n"
                            "    <incomingServer type=\"imap\">\n"
                            "      <hostname>imap.broken.example</hostname>\n"
                            "      <port>0</port>\n");
  g_free (write_file (dir, "b-good.xml", PROVIDER_FILE ("good", "good.example", "imap.good.example")));
  g_free (write_file (dir, "c-binary.xml", "\x89PNG\r\n\x1a\n\0\0\0"));

  database = ms_provider_database_new_for_directories (directories, FALSE);
  g_assert_true (ms_provider_database_load (database, NULL, NULL));

  g_assert_nonnull (ms_provider_database_lookup (database, "good.example"));
  g_assert_null (ms_provider_database_lookup (database, "broken.example"));
  g_assert_cmpuint (ms_provider_database_get_providers (database)->len, ==, 1);

  errors = ms_provider_database_get_load_errors (database);
  g_assert_cmpuint (errors->len, ==, 2);
  error = g_ptr_array_index (errors, 0);
  g_test_message ("%s", error->message);
  prefix = g_strdup_printf ("%s:6: ", broken_path);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, "port"));
  error = g_ptr_array_index (errors, 1);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "c-binary.xml:1: "));

  remove_tree (dir);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_provider_database_load_finish (MS_PROVIDER_DATABASE (object), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

static void
test_async (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  ms_provider_database_load_async (database, NULL, load_cb, loop);
  /* Nothing changes before _finish. */
  g_assert_false (ms_provider_database_is_loaded (database));
  g_main_loop_run (loop);

  g_assert_true (ms_provider_database_is_loaded (database));
  g_assert_cmpuint (ms_provider_database_get_providers (database)->len, ==, 11);
  g_assert_nonnull (ms_provider_database_lookup (database, "charter.net"));
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (ms_provider_database_load_finish (MS_PROVIDER_DATABASE (object), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_main_loop_quit (loop);
}

static void
test_async_cancelled (void)
{
  g_autoptr(MsProviderDatabase) database = ms_provider_database_new_for_directories (NULL, TRUE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  ms_provider_database_load_async (database, cancellable, cancelled_cb, loop);
  g_main_loop_run (loop);

  g_assert_false (ms_provider_database_is_loaded (database));
}

static void
test_default_directories (void)
{
  g_auto(GStrv) directories = ms_provider_database_get_default_directories ();
  g_autofree char *user = g_build_filename (xdg_root, "config", "mail-setup", "providers", NULL);
  g_autofree char *system_config = g_build_filename (xdg_root, "etc", "mail-setup", "providers", NULL);
  g_autofree char *system_data_1 = g_build_filename (xdg_root, "share1", "mail-setup", "providers", NULL);
  g_autofree char *system_data_2 = g_build_filename (xdg_root, "share2", "mail-setup", "providers", NULL);
  const char *expected[] = { user, system_config, system_data_1, system_data_2, NULL };
  g_autofree char *user_file = NULL;
  g_autoptr(MsProviderDatabase) database = NULL;
  MsProvider *provider;

  g_assert_cmpstrv (directories, expected);

  /* The default database reads them: a file in the data dir gives a new
   * domain, one in the user's dir replaces the built-in Charter file. */
  g_free (write_file (system_data_2, "x.xml", PROVIDER_FILE ("data-dir", "datadir.example", "imap.datadir.example")));
  user_file = write_file (user, "charter.net.xml",
                          PROVIDER_FILE ("charter.net", "charter.net", "imap.user.example"));

  database = ms_provider_database_new ();
  g_assert_cmpstrv (ms_provider_database_get_directories (database), expected);
  ms_provider_database_load (database, NULL, NULL);
  g_assert_cmpuint (ms_provider_database_get_load_errors (database)->len, ==, 0);

  provider = ms_provider_database_lookup (database, "charter.net");
  g_assert_cmpstr (ms_provider_get_source (provider), ==, user_file);
  g_assert_nonnull (ms_provider_database_lookup (database, "datadir.example"));
  g_assert_nonnull (ms_provider_database_lookup (database, "gmail.com"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *config_dirs = NULL;
  g_autofree char *data_dirs = NULL;
  int status;

  /* GLib caches the XDG directories on first use: set them first. */
  xdg_root = g_dir_make_tmp ("ms-xdg-XXXXXX", NULL);
  config = g_build_filename (xdg_root, "config", NULL);
  config_dirs = g_build_filename (xdg_root, "etc", NULL);
  data_dirs = g_strdup_printf ("%s/share1:%s/share2", xdg_root, xdg_root);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider-database/bundled-lookup", test_bundled_lookup);
  g_test_add_func ("/provider-database/override-directories", test_override_directories);
  g_test_add_func ("/provider-database/same-id-keeps-domains", test_same_id_keeps_domains);
  g_test_add_func ("/provider-database/broken-file", test_broken_file);
  g_test_add_func ("/provider-database/async", test_async);
  g_test_add_func ("/provider-database/async-cancelled", test_async_cancelled);
  g_test_add_func ("/provider-database/default-directories", test_default_directories);

  status = g_test_run ();

  remove_tree (xdg_root);
  g_free (xdg_root);

  return status;
}
