/* test-password-lookup.c: reading an existing account's password where its program keeps it
 *
 * Runs under run-with-keyring: a real gnome-keyring-daemon, unlocked, on a
 * private session bus. The items are stored the way the programs store
 * them: Evolution by its schema name and "e-source-uid", secret-tool (what
 * msmtp, mbsync and aerc users run) with attributes only, GNOME Online
 * Accounts by the real goa-daemon the private bus starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "ms-exporter.h"
#include "ms-keyring.h"
#include "ms-password-lookup.h"

#define EVOLUTION_SCHEMA "org.gnome.Evolution.Data.Source"
#define PASSWORD "Pa55 \"word\" \\ é"

static void
store (const char *schema_name,
       const char *attribute,
       const char *value,
       const char *password)
{
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  SecretSchema *schema;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (types, (char *) attribute, GINT_TO_POINTER (SECRET_SCHEMA_ATTRIBUTE_STRING));
  g_hash_table_insert (attributes, (char *) attribute, (char *) value);
  schema = secret_schema_newv (schema_name != NULL ? schema_name : "org.freedesktop.Secret.Generic",
                               schema_name != NULL ? SECRET_SCHEMA_NONE : SECRET_SCHEMA_DONT_MATCH_NAME,
                               types);
  secret_password_storev_sync (schema, attributes, SECRET_COLLECTION_DEFAULT, "test item",
                               password, NULL, &error);
  g_assert_no_error (error);
  secret_schema_unref (schema);
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static MsSecret *
lookup (MsPasswordLocation  *location,
        GCancellable        *cancellable,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ms_password_lookup_async (location, 10000, cancellable, lookup_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return ms_password_lookup_finish (result, error);
}

static MsPasswordLocation *
keyring_location (const char *schema_name,
                  const char *attribute,
                  const char *value)
{
  MsPasswordLocation *location = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);

  location->secret_schema = g_strdup (schema_name);
  ms_password_location_add_attribute (location, attribute, value);

  return location;
}

/* Evolution's item, by its schema name. */
static void
test_by_schema (void)
{
  g_autoptr(MsPasswordLocation) location = keyring_location (EVOLUTION_SCHEMA, "e-source-uid", "abc123");
  g_autoptr(MsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  store (EVOLUTION_SCHEMA, "e-source-uid", "abc123", PASSWORD);
  secret = lookup (location, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (secret), ==, PASSWORD);
}

/* secret-tool's item: attributes only, any schema. */
static void
test_by_attributes (void)
{
  g_autoptr(MsPasswordLocation) location = keyring_location (NULL, "host", "mobile.charter.net");
  g_autoptr(MsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  store (NULL, "host", "mobile.charter.net", "second");
  secret = lookup (location, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (secret), ==, "second");
}

/* The right attributes under another schema name are another program's
 * item: not this account's password. */
static void
test_wrong_schema (void)
{
  g_autoptr(MsPasswordLocation) location = keyring_location ("org.example.Other", "e-source-uid", "abc123");
  g_autoptr(MsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  store (EVOLUTION_SCHEMA, "e-source-uid", "abc123", PASSWORD);
  secret = lookup (location, NULL, &error);
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND);
  g_assert_null (secret);
}

/* A command is never run, a password in a file never read. */
static void
test_not_supported (void)
{
  const MsPasswordSource sources[] = {
    MS_PASSWORD_SOURCE_NONE, MS_PASSWORD_SOURCE_COMMAND, MS_PASSWORD_SOURCE_IN_FILE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(MsPasswordLocation) location = ms_password_location_new (sources[i]);
      g_autoptr(MsSecret) secret = NULL;
      g_autoptr(GError) error = NULL;

      ms_password_location_add_attribute (location, "host", "mobile.charter.net");
      secret = lookup (location, NULL, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_assert_null (secret);
    }
}

static void
test_cancelled (void)
{
  g_autoptr(MsPasswordLocation) location = keyring_location (EVOLUTION_SCHEMA, "e-source-uid", "abc123");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  secret = lookup (location, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (secret);
}

/* A GOA account as Mail Setup's own exporter adds it (goa-daemon keeps
 * the password in the keyring): GetPassword gives it back per key. */
static void
test_goa (void)
{
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) settings = NULL;
  g_autoptr(MsSecret) password = ms_secret_new (PASSWORD);
  g_autoptr(MsPasswordLocation) location = ms_password_location_new (MS_PASSWORD_SOURCE_GOA);
  g_autoptr(MsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  MsExportResult *result;
  g_autofree char *id = NULL;

  ms_server_set_username (imap, "jsmith@charter.net");
  ms_server_set_username (smtp, "jsmith@charter.net");
  settings = ms_account_settings_new ("jsmith@charter.net", imap, smtp);
  result = ms_exporter_export_sync (ms_exporter_find ("goa"), settings, password,
                                    MS_EXPORT_FLAGS_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result->account_id);
  id = g_path_get_basename (result->account_id);
  ms_export_result_free (result);

  ms_password_location_add_attribute (location, "goa-account", id);
  ms_password_location_add_attribute (location, "goa-key", "smtp-password");
  secret = lookup (location, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (secret), ==, PASSWORD);
}

/* A GOA account that goa-daemon does not have: an error, never a hang. */
static void
test_goa_unknown_account (void)
{
  g_autoptr(MsPasswordLocation) location = ms_password_location_new (MS_PASSWORD_SOURCE_GOA);
  g_autoptr(MsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  ms_password_location_add_attribute (location, "goa-account", "account_1700000000_0");
  ms_password_location_add_attribute (location, "goa-key", "imap-password");
  secret = lookup (location, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (secret);
  g_test_message ("GOA said: %s", error->message);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/password-lookup/by-schema", test_by_schema);
  g_test_add_func ("/password-lookup/by-attributes", test_by_attributes);
  g_test_add_func ("/password-lookup/wrong-schema", test_wrong_schema);
  g_test_add_func ("/password-lookup/not-supported", test_not_supported);
  g_test_add_func ("/password-lookup/cancelled", test_cancelled);
  g_test_add_func ("/password-lookup/goa", test_goa);
  g_test_add_func ("/password-lookup/goa-unknown-account", test_goa_unknown_account);

  return g_test_run ();
}
