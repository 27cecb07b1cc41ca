/* test-export-keyring.c: account passwords in a real gnome-keyring
 *
 * Runs inside tests/harness/run-with-keyring: a private D-Bus session with
 * a real, unlocked gnome-keyring-daemon. The no-service case points a
 * subprocess at a bus that does not exist. A locked-keyring case is not
 * here: after the Secret Service's Lock, libsecret 0.20.5 waits forever
 * for an unlock prompter that cannot start without a display (it logs a
 * critical and ignores the cancellable), so such a test could only hang.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-account-settings.h"
#include "ms-keyring.h"

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static MsAccountSettings *
make_settings (const char *address)
{
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "imap.example.com", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "smtp.example.com", 587, MS_SECURITY_TLS);

  imap->username = g_strdup (address);
  smtp->username = g_strdup (address);

  return ms_account_settings_new (address, imap, smtp);
}

static void
test_store_lookup_forget (void)
{
  g_autoptr(MsAccountSettings) settings = make_settings ("kim@example.com");
  g_autoptr(MsSecret) password = ms_secret_new ("pässword \"with\" quotes");
  g_autoptr(MsSecret) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *tool_output = NULL;
  g_auto(GStrv) argv = NULL;
  Wait wait = { loop, NULL };
  int status = 0;

  ms_keyring_store_async (settings, password, NULL, done_cb, &wait);
  g_assert_true (ms_keyring_store_finish (wait_for (&wait), &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  ms_keyring_lookup_async ("KIM@example.com", MS_PROTOCOL_SMTP, NULL, done_cb, &wait);
  found = ms_keyring_lookup_finish (wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (found), ==, "pässword \"with\" quotes");
  g_clear_object (&wait.result);

  /* The command the terminal programs' files run finds it too. */
  argv = ms_keyring_lookup_argv ("kim@example.com", MS_PROTOCOL_IMAP);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &tool_output, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (tool_output, ==, "pässword \"with\" quotes");

  ms_keyring_forget_async ("kim@example.com", NULL, done_cb, &wait);
  g_assert_true (ms_keyring_forget_finish (wait_for (&wait), &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  ms_keyring_lookup_async ("kim@example.com", MS_PROTOCOL_IMAP, NULL, done_cb, &wait);
  g_clear_pointer (&found, ms_secret_unref);
  found = ms_keyring_lookup_finish (wait_for (&wait), &error);
  g_assert_null (found);
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND);
  g_clear_object (&wait.result);
}

static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(MsAccountSettings) settings = make_settings ("lee@example.com");
      g_autoptr(MsSecret) password = ms_secret_new ("x");
      g_autoptr(GError) error = NULL;

      g_assert_false (ms_keyring_store_sync (settings, password, NULL, &error));
      g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NO_SERVICE);
      g_print ("%s\n", error->message);
      g_clear_error (&error);
      g_assert_null (ms_keyring_lookup_sync ("lee@example.com", MS_PROTOCOL_IMAP, NULL, &error));
      g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NO_SERVICE);
      return;
    }

  {
    g_autofree char *real_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ms-no-bus", TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", real_bus, TRUE);
  }
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*No keyring service is running*");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL && !g_test_subprocess ())
    g_error ("no session bus: run this through tests/harness/run-with-keyring");

  g_test_add_func ("/keyring/store-lookup-forget", test_store_lookup_forget);
  g_test_add_func ("/keyring/no-service", test_no_service);

  return g_test_run ();
}
