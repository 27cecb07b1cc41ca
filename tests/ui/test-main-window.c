/* test-main-window.c: the real main window under Xvfb, with a screenshot
 *
 * Run through tests/harness/run-under-xvfb. Registers and activates the real
 * application, waits until its window is mapped and has painted, saves a
 * PNG of it to MS_BUILD_ROOT/screenshots/ (look at it), and checks what a
 * person would see first: the welcome page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ms-application.h"
#include "ms-window.h"

#define WAIT_SECONDS 20

static guint frames_painted;

static gboolean
count_frames_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  frames_painted++;

  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until_painted (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint timeout_id;
  guint tick_id;

  frames_painted = 0;
  tick_id = gtk_widget_add_tick_callback (widget, count_frames_cb, NULL, NULL);
  timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out);

  /* A few frames after mapping: the first one may still be laying out. */
  while (!timed_out && (!gtk_widget_get_mapped (widget) || frames_painted < 3))
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("the window was not mapped and painted within %d s", WAIT_SECONDS);

  g_source_remove (timeout_id);
  gtk_widget_remove_tick_callback (widget, tick_id);
}

static GtkWidget *
find_widget_of_type (GtkWidget *root,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static char *
screenshot_path (const char *name)
{
  const char *root = g_getenv ("MS_BUILD_ROOT");
  g_autofree char *dir = NULL;

  if (root == NULL)
    root = g_getenv ("G_TEST_BUILDDIR");
  if (root == NULL)
    g_error ("neither MS_BUILD_ROOT nor G_TEST_BUILDDIR is set: run this through meson test");

  dir = g_build_filename (root, "screenshots", NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    g_error ("cannot create %s", dir);

  return g_build_filename (dir, name, NULL);
}

/* Renders the widget the way it is on screen and saves it as a PNG. */
static GdkTexture *
save_screenshot (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  GdkTexture *texture;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return texture;
}

/* Counts distinct colours on a grid of samples: a blank or one-colour
 * window has one or two, a drawn page with text and an icon has many. */
static guint
count_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + y * stride + x * 4, sizeof pixel);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }

  return g_hash_table_size (colours);
}

static void
use_source_icons (void)
{
  const char *source_root = g_getenv ("MS_SOURCE_ROOT");
  g_autofree char *icons = NULL;
  GtkIconTheme *theme;

  if (source_root == NULL)
    g_error ("MS_SOURCE_ROOT is not set: run this through meson test");

  icons = g_build_filename (source_root, "data", "icons", NULL);
  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  gtk_icon_theme_add_search_path (theme, icons);
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
}

static void
test_main_window (void)
{
  g_autoptr(MsApplication) app = ms_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = screenshot_path ("main-window.png");
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) reloaded = NULL;
  GtkWindow *window;
  GtkWidget *leaflet;
  GtkWidget *status_page;
  GtkWidget *start_button;
  GStatBuf st;

  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APPLICATION_ID);
  g_assert_true (g_str_has_prefix (APPLICATION_ID, "io.github.mailsetup.MailSetup"));

  /* The icons as they would be installed, so the welcome page shows the
   * real one and not "image-missing". */
  use_source_icons ();

  /* What g_application_run does up to the main loop: startup, activate. */
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  g_assert_true (MS_IS_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Mail Setup");

  wait_until_painted (GTK_WIDGET (window));

  /* The page on screen, not merely the first one in the tree: the wizard
   * holds every page, most of them hidden. */
  leaflet = find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET);
  g_assert_nonnull (leaflet);
  status_page = adw_leaflet_get_visible_child (ADW_LEAFLET (leaflet));
  g_assert_true (ADW_IS_STATUS_PAGE (status_page));
  g_assert_true (gtk_widget_is_visible (status_page));
  g_assert_true (gtk_widget_get_mapped (status_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==,
                   "Set Up Your Email");
  start_button = find_widget_of_type (status_page, GTK_TYPE_BUTTON);
  g_assert_nonnull (start_button);
  g_assert_true (gtk_widget_get_mapped (start_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (start_button)), ==, "_Set Up an Account");
  g_assert_true (gtk_widget_has_focus (start_button));

  texture = save_screenshot (GTK_WIDGET (window), path);
  g_test_message ("screenshot: %s", path);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 10000);
  reloaded = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (reloaded), >=, 360);
  g_assert_cmpint (gdk_texture_get_height (reloaded), >=, 480);
  g_assert_cmpuint (count_colours (reloaded), >, 50);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/main-window/welcome", test_main_window);

  return g_test_run ();
}
