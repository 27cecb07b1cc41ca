/* wizard-test-util.c: driving the real wizard window in UI tests
 *
 * Every wait is bounded and fails loudly with what it waited for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "wizard-test-util.h"

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

void
wait_until (WaitFunc    func,
            gpointer    data,
            guint       seconds,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!func (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("waited %u s for %s, in vain", seconds, what);

  g_source_remove (id);
}

typedef struct
{
  MsWizard     *wizard;
  MsWizardStep  step;
} StepWait;

/* Every step the wizard entered since the last wait_for_step() returned:
 * a step passed through within one main-loop turn (a test that ends at
 * once under ASan, say) still counts as reached. */
typedef struct
{
  GArray *steps;
} StepHistory;

static void
step_history_free (gpointer data)
{
  StepHistory *history = data;

  g_array_unref (history->steps);
  g_free (history);
}

static void
step_notify_cb (MsWizard    *wizard,
                GParamSpec  *pspec,
                StepHistory *history)
{
  MsWizardStep step = ms_wizard_get_step (wizard);

  g_array_append_val (history->steps, step);
}

static StepHistory *
step_history (MsWizard *wizard)
{
  StepHistory *history = g_object_get_data (G_OBJECT (wizard), "ms-test-step-history");

  if (history == NULL)
    {
      history = g_new0 (StepHistory, 1);
      history->steps = g_array_new (FALSE, FALSE, sizeof (MsWizardStep));
      g_object_set_data_full (G_OBJECT (wizard), "ms-test-step-history", history, step_history_free);
      g_signal_connect (wizard, "notify::step", G_CALLBACK (step_notify_cb), history);
    }

  return history;
}

/* Drops the history up to and including the first visit of @step; FALSE
 * when it holds none. */
static gboolean
consume_step (StepHistory  *history,
              MsWizardStep  step)
{
  for (guint i = 0; i < history->steps->len; i++)
    {
      if (g_array_index (history->steps, MsWizardStep, i) == step)
        {
          g_array_remove_range (history->steps, 0, i + 1);
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
at_step (gpointer data)
{
  StepWait *wait = data;

  return consume_step (step_history (wait->wizard), wait->step) ||
         ms_wizard_get_step (wait->wizard) == wait->step;
}

void
wait_for_step (MsWizard     *wizard,
               MsWizardStep  step,
               guint         seconds)
{
  StepWait wait = { wizard, step };
  g_autofree char *what = g_strdup_printf ("the step “%s” (now at “%s”)",
                                           ms_wizard_step_to_string (step),
                                           ms_wizard_step_to_string (ms_wizard_get_step (wizard)));

  step_history (wizard);
  wait_until (at_step, &wait, seconds, what);
}

static gboolean
not_busy (gpointer data)
{
  return !ms_wizard_get_busy (data);
}

void
wait_not_busy (MsWizard *wizard,
               guint     seconds)
{
  wait_until (not_busy, wizard, seconds, "the wizard's work to end");
}

static guint frames;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  frames++;

  return G_SOURCE_CONTINUE;
}

static gboolean
painted (gpointer data)
{
  return gtk_widget_get_mapped (data) && frames >= 3;
}

void
wait_painted (GtkWidget *widget)
{
  guint id;

  frames = 0;
  id = gtk_widget_add_tick_callback (widget, tick_cb, NULL, NULL);
  wait_until (painted, widget, 20, "the window to be painted");
  gtk_widget_remove_tick_callback (widget, id);
}

/* The window, before its first frame: the start-up work still to come. */
void
wizard_fixture_start (WizardFixture *fixture,
                      int            width,
                      int            height)
{
  static MsApplication *app;
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(GError) error = NULL;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);

  /* One application per process, as in real life: each test case gets a
   * new window from activating it again. */
  if (app == NULL)
    {
      app = ms_application_new ();
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  fixture->app = g_object_ref (app);
  g_application_activate (G_APPLICATION (fixture->app));

  fixture->window = MS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_true (MS_IS_WINDOW (fixture->window));
  fixture->wizard = ms_window_get_wizard (fixture->window);
  g_assert_true (MS_IS_WIZARD (fixture->wizard));

  /* Both become NULL when freed: wait_window_closed() watches that. */
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);
}

void
wizard_fixture_open (WizardFixture *fixture,
                     int            width,
                     int            height)
{
  wizard_fixture_start (fixture, width, height);
  wait_painted (GTK_WIDGET (fixture->window));
  g_assert_cmpint (ms_wizard_get_step (fixture->wizard), ==, MS_WIZARD_STEP_WELCOME);
}

static gboolean
wizard_gone (gpointer data)
{
  return ((WizardFixture *) data)->wizard == NULL;
}

/* Closes the window as the person does (which cancels the wizard's work)
 * and checks that the window and the wizard are really freed: nothing
 * may hold either once the window is gone. The window with
 * g_assert_finalize_object(); the wizard by its weak pointer, because a
 * reference of ours would keep it from being disposed with its window.
 * It goes once each piece of its work, which holds a reference until its
 * callback ran, has seen the cancellation. */
void
wizard_fixture_close (WizardFixture *fixture)
{
  MsWindow *window = fixture->window;

  if (window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &fixture->window);
      fixture->window = NULL;
      g_object_ref (window);
      gtk_window_close (GTK_WINDOW (window));
      /* Closed, GTK holds it no more: ours is the last reference. */
      g_assert_finalize_object (window);
      wait_until (wizard_gone, fixture, 10, "the wizard to be finalized");
    }
  else
    g_assert_null (fixture->wizard);

  g_clear_object (&fixture->app);
}

static gboolean
window_gone (gpointer data)
{
  WizardFixture *fixture = data;

  return fixture->window == NULL && fixture->wizard == NULL;
}

/* After something closed the window: it must really go away, and the
 * wizard must be freed, which it only is once every piece of its work has
 * ended (each holds a reference until its callback ran). */
void
wait_window_closed (WizardFixture *fixture,
                    guint          seconds)
{
  wait_until (window_gone, fixture, seconds, "the window to close and the wizard's work to end");
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fixture->app)));
}

GtkWidget *
find_by_id (GtkWidget  *root,
            const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_id (child, id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The widget with that id on the page now shown. */
GtkWidget *
find_visible_by_id (MsWizard   *wizard,
                    const char *id)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (find_by_id (GTK_WIDGET (wizard), "leaflet"));
  GtkWidget *page = adw_leaflet_get_visible_child (leaflet);
  GtkWidget *found = find_by_id (page, id);

  if (found == NULL)
    g_error ("no widget “%s” on the page shown (step “%s”)", id,
             ms_wizard_step_to_string (ms_wizard_get_step (wizard)));

  return found;
}

GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label_prefix)
{
  if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) != NULL &&
      g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (root)), label_prefix))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label_prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
set_true_cb (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* A person's click: only on a button that is shown and enabled. */
void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  if (!gtk_widget_is_visible (button) || !gtk_widget_is_sensitive (button))
    g_error ("the button “%s” cannot be clicked (visible %d, sensitive %d)",
             GTK_IS_BUTTON (button) ? gtk_button_get_label (GTK_BUTTON (button)) : "?",
             gtk_widget_is_visible (button), gtk_widget_is_sensitive (button));

  /* A button activated from the keyboard only emits "clicked" when its
   * pressed look has been shown (a quarter of a second later): wait for it,
   * or the test would look at the page before the click happened. */
  if (GTK_IS_BUTTON (button))
    {
      g_autoptr(GtkWidget) held = g_object_ref (button);
      gboolean clicked = FALSE;
      gulong id = g_signal_connect_swapped (button, "clicked", G_CALLBACK (set_true_cb), &clicked);

      gtk_widget_activate (button);
      wait_until (is_true, &clicked, 5, "the button to be clicked");
      /* A click that closed the window has taken the handler with it. */
      if (g_signal_handler_is_connected (button, id))
        g_signal_handler_disconnect (button, id);
    }
  else
    gtk_widget_activate (button);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
set_text (MsWizard   *wizard,
          const char *id,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_visible_by_id (wizard, id)), text);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static char *
screenshot_path (const char *name)
{
  const char *root = g_getenv ("MS_BUILD_ROOT");
  g_autofree char *dir = NULL;

  if (root == NULL)
    g_error ("MS_BUILD_ROOT is not set: run this through meson test");

  dir = g_build_filename (root, "screenshots", NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    g_error ("cannot create %s", dir);

  return g_build_filename (dir, name, NULL);
}

/* Lets the leaflet's slide end, then saves what is on screen as a PNG. */
void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *path = screenshot_path (name);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  gint64 until = g_get_monotonic_time () + 400 * G_TIME_SPAN_MILLISECOND;
  int width;
  int height;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  wait_painted (widget);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    g_error ("%s is not set: run this test through tests/harness/run-with-mail-servers", name);

  return g_strdup (value);
}

char *
read_test_password (void)
{
  g_autofree char *path = require_env ("MS_TEST_PASSWORD_FILE");
  g_autoptr(GError) error = NULL;
  char *password = NULL;

  if (!g_file_get_contents (path, &password, NULL, &error))
    g_error ("cannot read the test password: %s", error->message);

  return g_strchomp (password);
}

char *
server_xml (const char *kind,
            const char *type,
            const char *host,
            const char *port,
            const char *socket_type,
            const char *username)
{
  return g_strdup_printf ("<%s type=\"%s\"><hostname>%s</hostname><port>%s</port>"
                          "<socketType>%s</socketType><username>%s</username>"
                          "<authentication>password-cleartext</authentication></%s>\n",
                          kind, type, host, port, socket_type, username, kind);
}

/* A provider file in the private config dir, as an administrator would
 * add one; the wizard reads it when it starts. */
void
write_provider (const char *domain,
                const char *body)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "mail-setup", "providers", NULL);
  g_autofree char *name = g_strconcat (domain, ".xml", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                         "<clientConfig version=\"1.1\" xmlns:ms=\"https://mailsetup.github.io/ns/profiles/1\">\n"
                         "<emailProvider id=\"%s\"><domain>%s</domain>"
                         "<displayName>Test Mail (%s)</displayName>\n%s</emailProvider>\n"
                         "</clientConfig>\n",
                         domain, domain, domain, body);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (!g_file_set_contents (path, xml, -1, &error))
    g_error ("cannot write %s: %s", path, error->message);
}

/* The harness servers' certificates come from a private CA. */
void
use_test_ca (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autofree char *ca_file = require_env ("MS_TEST_CA_FILE");

  g_settings_set_string (settings, "extra-ca-file", ca_file);
}

/* The first visible label under @root whose text holds @part (toasts,
 * status pages), or NULL. */
GtkLabel *
find_label_containing (GtkWidget  *root,
                       const char *part)
{
  if (GTK_IS_LABEL (root) && gtk_widget_is_visible (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), part) != NULL)
    return GTK_LABEL (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_containing (child, part);

      if (found != NULL)
        return found;
    }

  return NULL;
}
