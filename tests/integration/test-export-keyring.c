/* test-export-keyring.c: account passwords in a real gnome-keyring
 *
 * Runs inside tests/harness/run-under-xvfb and run-with-keyring: a private
 * D-Bus session with a real, unlocked gnome-keyring-daemon, and a display
 * for its real unlock prompter (gcr-prompter). The no-service case points
 * a subprocess at a bus that does not exist.
 *
 * The locked cases lock the login keyring through the Secret Service's
 * own Lock and steer the real prompter through the bus's activation
 * environment: without a display it exits at once (gnome-keyring reports
 * the prompt as dismissed); with the display it shows its window, which
 * nobody answers or in which xdotool presses Escape.
 *
 * /keyring-alone/prompt-dismissed runs alone (MS_TEST_KEYRING_ALONE), since a prompt left on
 * the screen by an earlier case would get its Escape.
 * /keyring-alone/daemon-stuck runs alone, with gnome-keyring-daemon
 * itself under G_DEBUG=fatal-warnings: its prompter's failure then stops
 * it from ever completing the prompt, the case in which libsecret 0.20.5
 * alone waits forever (see tests/integration/meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ms-account-settings.h"
#include "ms-exporter.h"
#include "ms-keyring-command.h"
#include "ms-keyring-private.h"
#include "ms-keyring.h"
#include "ms-secret-service-op-private.h"

#define LOCKED_TIMEOUT_MS 3000

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

  g_free (imap->username);
  imap->username = g_strdup (address);
  g_free (smtp->username);
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

static GDBusConnection *
session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

static GVariant *
call (const char *name,
      const char *path,
      const char *interface,
      const char *method,
      GVariant   *parameters)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (bus, name, path, interface, method, parameters, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static char *
default_collection (void)
{
  g_autoptr(GVariant) reply = call ("org.freedesktop.secrets", "/org/freedesktop/secrets",
                                    "org.freedesktop.Secret.Service", "ReadAlias",
                                    g_variant_new ("(s)", "default"));
  char *path;

  g_variant_get (reply, "(o)", &path);
  g_assert_cmpstr (path, !=, "/");
  return path;
}

static gboolean
collection_locked (void)
{
  g_autofree char *path = default_collection ();
  g_autoptr(GVariant) reply = call ("org.freedesktop.secrets", path,
                                    "org.freedesktop.DBus.Properties", "Get",
                                    g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"));
  g_autoptr(GVariant) value = NULL;

  g_variant_get (reply, "(v)", &value);
  return g_variant_get_boolean (value);
}

static void
lock_keyring (void)
{
  g_autofree char *path = default_collection ();
  const char *paths[] = { path, NULL };

  g_variant_unref (call ("org.freedesktop.secrets", "/org/freedesktop/secrets",
                         "org.freedesktop.Secret.Service", "Lock", g_variant_new ("(^ao)", paths)));
  g_assert_true (collection_locked ());
}

/* What the next gcr-prompter that D-Bus starts sees. */
static void
prompter_environment (const char *display,
                      const char *g_debug)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));

  g_variant_builder_add (builder, "{ss}", "DISPLAY", display);
  g_variant_builder_add (builder, "{ss}", "G_DEBUG", g_debug);
  g_variant_unref (call ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         "UpdateActivationEnvironment", g_variant_new ("(a{ss})", builder)));
}

static gboolean
prompter_window_shown (void)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "xdotool", (char *) "search", (char *) "--onlyvisible",
                                                  (char *) "--class", (char *) "gcr-prompter", NULL },
                               NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);

  return g_spawn_check_wait_status (status, NULL);
}

static const char *
test_display (void)
{
  const char *display = g_getenv ("DISPLAY");

  if (display == NULL || *display == '\0')
    g_error ("no display for the unlock prompter: run this through tests/harness/run-under-xvfb");

  return display;
}

/* The items the locked keyring holds for @address, found without
 * unlocking it. */
static guint
locked_items (const char *address)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;

  g_variant_builder_add (builder, "{ss}", "xdg:schema", MS_KEYRING_SCHEMA_NAME);
  g_variant_builder_add (builder, "{ss}", "address", address);
  reply = call ("org.freedesktop.secrets", "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service", "SearchItems", g_variant_new ("(a{ss})", builder));
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);
  g_assert_cmpuint (g_strv_length ((char **) unlocked), ==, 0);

  return g_strv_length ((char **) locked);
}

/* Stored while unlocked, so that the locked cases can show it survives. */
static void
test_store_before_lock (void)
{
  g_autoptr(MsAccountSettings) settings = make_settings ("ash@example.com");
  g_autoptr(MsSecret) password = ms_secret_new ("kept");
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_keyring_store_sync (settings, password, NULL, &error));
  g_assert_no_error (error);
}

static void
store_locked (const char   *address,
              GCancellable *cancellable,
              GError      **error,
              gint64       *elapsed_ms)
{
  g_autoptr(MsAccountSettings) settings = make_settings (address);
  g_autoptr(MsSecret) password = ms_secret_new ("new");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gint64 start = g_get_monotonic_time ();

  ms_keyring_store_async (settings, password, cancellable, done_cb, &wait);
  g_assert_false (ms_keyring_store_finish (wait_for (&wait), error));
  *elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_clear_object (&wait.result);
}

/* No display: the prompter exits at once, which gnome-keyring reports as
 * a dismissed prompt. */
static void
test_locked_prompter_fails (void)
{
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  lock_keyring ();
  prompter_environment ("", "");

  store_locked ("bo@example.com", NULL, &error, &elapsed_ms);
  /* DISMISSED, not the deadline's LOCKED: the prompter's exit ended it. */
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_DISMISSED);
  g_test_message ("%s (%" G_GINT64_FORMAT " ms)", error->message, elapsed_ms);

  g_assert_true (collection_locked ());
  g_assert_cmpuint (locked_items ("ash@example.com"), ==, 2);
  g_assert_cmpuint (locked_items ("bo@example.com"), ==, 0);
}

/* The real prompter on the display; Escape in its window, as a person
 * closing it would. Run alone (meson.build): a prompt left on the screen
 * by an earlier case would be the one that gets the Escape. */
static void
test_locked_prompt_dismissed (void)
{
  g_autoptr(GSubprocess) xdotool = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  test_store_before_lock ();
  lock_keyring ();
  prompter_environment (test_display (), "");

  /* xdotool's exit status says nothing: the window it focused may be
   * gone before it is done with it (X error BadWindow). */
  xdotool = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "xdotool", "search", "--sync", "--onlyvisible", "--class", "gcr-prompter",
                              "windowfocus", "--sync", "key", "Escape", NULL);
  g_assert_no_error (error);

  ms_keyring_set_timeout (30000);
  store_locked ("cy@example.com", NULL, &error, &elapsed_ms);
  ms_keyring_set_timeout (LOCKED_TIMEOUT_MS);
  /* DISMISSED, not the deadline's LOCKED: the Escape ended it. */
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_DISMISSED);
  g_test_message ("%s (%" G_GINT64_FORMAT " ms)", error->message, elapsed_ms);
  g_clear_error (&error);

  g_assert_true (g_subprocess_wait (xdotool, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (collection_locked ());
  g_assert_cmpuint (locked_items ("ash@example.com"), ==, 2);
  g_assert_cmpuint (locked_items ("cy@example.com"), ==, 0);
}

/* The prompt is on the screen and nobody answers it: the deadline ends
 * the store, the lookup and the forget with LOCKED. The prompt stays for
 * the person (see ms-keyring.c) and the keyring daemon keeps running. */
static void
test_locked_no_answer (void)
{
  g_autoptr(MsSecret) found = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;
  gint64 start;

  lock_keyring ();
  prompter_environment (test_display (), "");

  store_locked ("di@example.com", NULL, &error, &elapsed_ms);
  /* LOCKED is the deadline's error, and the deadline did not come early;
   * how late it may come is not the test's business (a slow machine). */
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED);
  g_test_message ("%s (%" G_GINT64_FORMAT " ms)", error->message, elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, LOCKED_TIMEOUT_MS - 100);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  found = ms_keyring_lookup_sync ("ash@example.com", MS_PROTOCOL_IMAP, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (ms_keyring_forget_sync ("ash@example.com", NULL, &error));
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED);
  g_test_message ("lookup and forget: %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);

  g_assert_true (prompter_window_shown ());
  g_assert_cmpuint (locked_items ("ash@example.com"), ==, 2);
  g_assert_cmpuint (locked_items ("di@example.com"), ==, 0);
}

/* gnome-keyring itself never completes the prompt (see the top): the
 * deadline still ends the store, with LOCKED. */
static void
test_locked_daemon_stuck (void)
{
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  test_store_before_lock ();
  lock_keyring ();
  prompter_environment ("", "");

  store_locked ("gus@example.com", NULL, &error, &elapsed_ms);
  /* LOCKED is the deadline's error, and the deadline did not come early. */
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED);
  g_test_message ("%s (%" G_GINT64_FORMAT " ms)", error->message, elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, LOCKED_TIMEOUT_MS - 100);
}

/* The store's prompt is up (queued, if another is on the screen): the
 * person presses Cancel in the program now. */
static void
prompt_waiting_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* The person's Cancel ends a store stuck at the prompt at once, as a
 * cancellation, not as a keyring problem. */
static void
test_locked_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  lock_keyring ();
  prompter_environment (test_display (), "");

  /* The cancellation comes once the Secret Service has taken the store's
   * prompt (gnome-keyring queues it behind the one test_locked_no_answer
   * leaves on the screen), and the deadline is far beyond it: CANCELLED,
   * not the deadline's LOCKED, proves that the cancellation ended a store
   * waiting at the prompt, however slow the machine is. */
  ms_keyring_set_timeout (10 * 60 * 1000);
  ms_secret_service_op_set_prompt_hook (prompt_waiting_cb, cancellable);
  store_locked ("ed@example.com", cancellable, &error, &elapsed_ms);
  ms_secret_service_op_set_prompt_hook (NULL, NULL);
  ms_keyring_set_timeout (LOCKED_TIMEOUT_MS);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_test_message ("cancelled at the prompt: %" G_GINT64_FORMAT " ms", elapsed_ms);
}

/* The rest of the flow goes on: an exporter that needs the keyring fails
 * with the keyring's error before writing anything; a file export works. */
static void
test_locked_exports (void)
{
  g_autoptr(MsAccountSettings) settings = make_settings ("fay@example.com");
  g_autoptr(MsSecret) password = ms_secret_new ("pw");
  g_autoptr(MsExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ms-locked-XXXXXX", &error);
  g_autofree char *msmtprc = g_build_filename (dir, "msmtprc", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) listing = NULL;

  g_assert_no_error (error);
  lock_keyring ();
  prompter_environment (test_display (), "");

  result = ms_exporter_export_sync (ms_exporter_find ("evolution"), settings, password,
                                    MS_EXPORT_FLAGS_NONE, dir, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED);
  g_clear_error (&error);
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (listing));

  result = ms_exporter_export_sync (ms_exporter_find ("msmtp"), settings, password,
                                    MS_EXPORT_FLAGS_NONE, msmtprc, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (g_file_get_contents (msmtprc, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "host smtp.example.com"));

  g_assert_no_errno (g_remove (msmtprc));
  g_assert_no_errno (g_rmdir (dir));
}

int
main (int    argc,
      char **argv)
{
  const char *alone;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL && !g_test_subprocess ())
    g_error ("no session bus: run this through tests/harness/run-with-keyring");

  ms_keyring_set_timeout (LOCKED_TIMEOUT_MS);

  /* The cases that need a keyring of their own (see the top). */
  alone = g_getenv ("MS_TEST_KEYRING_ALONE");
  if (g_strcmp0 (alone, "prompt-dismissed") == 0)
    g_test_add_func ("/keyring-alone/prompt-dismissed", test_locked_prompt_dismissed);
  else if (g_strcmp0 (alone, "daemon-stuck") == 0)
    g_test_add_func ("/keyring-alone/daemon-stuck", test_locked_daemon_stuck);
  else if (alone != NULL)
    g_error ("unknown MS_TEST_KEYRING_ALONE=%s", alone);
  else
    {
      g_test_add_func ("/keyring/store-lookup-forget", test_store_lookup_forget);
      g_test_add_func ("/keyring/no-service", test_no_service);
      /* In this order: each leaves the keyring locked. */
      g_test_add_func ("/keyring/locked/store-before-lock", test_store_before_lock);
      g_test_add_func ("/keyring/locked/prompter-fails", test_locked_prompter_fails);
      g_test_add_func ("/keyring/locked/no-answer", test_locked_no_answer);
      g_test_add_func ("/keyring/locked/cancel", test_locked_cancel);
      g_test_add_func ("/keyring/locked/exports", test_locked_exports);
    }

  return g_test_run ();
}
