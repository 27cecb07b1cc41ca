/* test-repair-password.c: the program's keyring item follows a repair, against the real keyring
 *
 * Runs under tests/harness/run-with-keyring (gnome-keyring, unlocked).
 * msmtp finds its password by (host, service=smtp, user): a repair from
 * smtp.charter.net/jsmith to mobile.charter.net/jsmith@charter.net copies
 * the item, the undo removes the copy and leaves the original. Evolution's
 * transport given a login it had none gets the password the person gave.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "ms-account-repair-password.h"
#include "ms-keyring.h"
#include "ms-password-lookup.h"

#define MSMTP_SCHEMA "de.marlam.msmtp.password"
#define EVOLUTION_SCHEMA "org.gnome.Evolution.Data.Source"

static MsServer *
smtp (const char *host,
      guint16     port,
      MsSecurity  security,
      const char *username)
{
  MsServer *server = ms_server_new (MS_PROTOCOL_SMTP, host, port, security);

  ms_server_set_username (server, username);

  return server;
}

static MsPasswordLocation *
location (const char *schema,
          ...)
{
  MsPasswordLocation *self = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);
  const char *name;
  va_list args;

  self->secret_schema = g_strdup (schema);
  va_start (args, schema);
  while ((name = va_arg (args, const char *)) != NULL)
    ms_password_location_add_attribute (self, name, va_arg (args, const char *));
  va_end (args);

  return self;
}

static char *
lookup (MsPasswordLocation *where)
{
  g_autoptr(MsSecretSchemaRef) schema = ms_password_lookup_schema (where);
  g_autoptr(GError) error = NULL;
  char *text = secret_password_lookupv_sync (schema, where->secret_attributes, NULL, &error);

  g_assert_no_error (error);

  return text;
}

static void
store (MsPasswordLocation *where,
       const char         *text)
{
  g_autoptr(MsSecretSchemaRef) schema = ms_password_lookup_schema (where);
  g_autoptr(MsSecret) secret = ms_secret_new (text);
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_keyring_store_other_sync (schema, where->secret_attributes, "test", secret, NULL, &error));
  g_assert_no_error (error);
}

static MsAccountSettings *
mobile_target (void)
{
  g_autoptr(MsServer) incoming = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) outgoing = smtp ("mobile.charter.net", 587, MS_SECURITY_TLS, "jsmith@charter.net");

  ms_server_set_username (incoming, "jsmith@charter.net");

  return ms_account_settings_new ("jsmith@charter.net", incoming, outgoing);
}

static void
test_msmtp_copy_and_undo (void)
{
  g_autoptr(MsExistingAccount) account = ms_existing_account_new (MS_MAIL_PROGRAM_MSMTP, "charter", "/nonexistent/.msmtprc");
  g_autoptr(MsAccountSettings) target = mobile_target ();
  g_autoptr(MsPasswordLocation) old = location (MSMTP_SCHEMA, "host", "smtp.charter.net", "service", "smtp",
                                                "user", "jsmith", NULL);
  g_autoptr(MsPasswordLocation) new = location (MSMTP_SCHEMA, "host", "mobile.charter.net", "service", "smtp",
                                                "user", "jsmith@charter.net", NULL);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) added = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *gone = NULL;

  account->address = g_strdup ("jsmith@charter.net");
  account->outgoing = smtp ("smtp.charter.net", 587, MS_SECURITY_STARTTLS, "jsmith");
  account->outgoing_password = ms_password_location_ref (old);
  store (old, "msmtp's own secret");

  added = ms_repair_password_follow (account, target, NULL, warnings, NULL);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpuint (added->len, ==, 1);
  copied = lookup (new);
  g_assert_cmpstr (copied, ==, "msmtp's own secret");
  kept = lookup (old);
  g_assert_cmpstr (kept, ==, "msmtp's own secret");

  ms_repair_password_remove (added);
  gone = lookup (new);
  g_assert_null (gone);
  g_clear_pointer (&kept, g_free);
  kept = lookup (old);
  g_assert_cmpstr (kept, ==, "msmtp's own secret");
}

/* Nothing moves when host and username stay: no item is added. */
static void
test_unchanged (void)
{
  g_autoptr(MsPasswordLocation) old = location (MSMTP_SCHEMA, "host", "mobile.charter.net", "service", "smtp",
                                                "user", "jsmith@charter.net", NULL);
  g_autoptr(MsServer) current = smtp ("mobile.charter.net", 587, MS_SECURITY_STARTTLS, "jsmith@charter.net");
  g_autoptr(MsServer) right = smtp ("MOBILE.charter.net", 587, MS_SECURITY_TLS, "jsmith@charter.net");

  g_assert_null (ms_repair_password_moved (old, current, right));
}

/* Evolution's transport from smtp.charter.net:25 without a login to
 * mobile.charter.net:587: the password given is stored under Evolution's
 * schema for the transport; without one, the person is told. */
static void
test_new_login (void)
{
  g_autoptr(MsAccountSettings) target = mobile_target ();
  g_autoptr(MsPasswordLocation) transport = location (EVOLUTION_SCHEMA, "e-source-uid", "transport-1234", NULL);
  g_autoptr(MsSecret) given = ms_secret_new ("the person's password");
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(MsExistingAccount) account = ms_existing_account_new (MS_MAIL_PROGRAM_EVOLUTION, "acct",
                                                                  "/nonexistent/acct.source");

  account->outgoing = smtp ("smtp.charter.net", 25, MS_SECURITY_NONE, NULL);
  account->outgoing_password = ms_password_location_ref (transport);

  none = ms_repair_password_follow (account, target, NULL, warnings, NULL);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "will ask for the password"));

  added = ms_repair_password_follow (account, target, given, warnings, NULL);
  g_assert_cmpuint (added->len, ==, 1);
  stored = lookup (transport);
  g_assert_cmpstr (stored, ==, "the person's password");
  for (guint i = 0; i < warnings->len; i++)
    g_assert_null (strstr (g_ptr_array_index (warnings, i), "the person's password"));

  ms_repair_password_remove (added);
  gone = lookup (transport);
  g_assert_null (gone);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/repair-password/msmtp-copy-and-undo", test_msmtp_copy_and_undo);
  g_test_add_func ("/repair-password/unchanged", test_unchanged);
  g_test_add_func ("/repair-password/new-login", test_new_login);

  return g_test_run ();
}
