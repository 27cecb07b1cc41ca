/* bench-startup-hook.c: report the first frame a GTK application draws, then exit
 *
 * Linked in front of an unchanged program whose own main() was renamed
 * ms_bench_main at compile time (tests/bench/meson.build): src/main.c for
 * the wizard, minimal-window.c for the floor. So neither program carries
 * benchmark code, and both are timed by the very same hook.
 *
 * An emission hook on GtkApplication::window-added finds the first window
 * whatever code creates it; once the window is realized, its surface's
 * frame clock says when the first frame has been painted ("after-paint":
 * the renderer has drawn it and handed it to the display server). Then it
 * prints
 *
 *   FIRST_FRAME <CLOCK_MONOTONIC in microseconds> <window type name>
 *
 * and leaves at once, so the driver (bench-startup.py) can subtract the
 * time it started the process and read the peak RSS with wait4().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gtk/gtk.h>
#include <stdio.h>
#include <unistd.h>

int ms_bench_main (int argc, char *argv[]);

static void
after_paint_cb (GdkFrameClock *frame_clock,
                GtkWidget     *window)
{
  /* g_get_monotonic_time() is CLOCK_MONOTONIC on Linux, the clock
   * Python's time.monotonic_ns() reads too. */
  printf ("FIRST_FRAME %" G_GINT64_FORMAT " %s\n",
          g_get_monotonic_time (), G_OBJECT_TYPE_NAME (window));
  fflush (stdout);
  /* Tearing the application down is not part of start-up. */
  _exit (0);
}

static void
window_realize_cb (GtkWidget *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_signal_connect (gdk_surface_get_frame_clock (surface), "after-paint",
                    G_CALLBACK (after_paint_cb), window);
}

static gboolean
window_added_hook (GSignalInvocationHint *hint,
                   guint                  n_params,
                   const GValue          *params,
                   gpointer               user_data)
{
  GtkWidget *window = g_value_get_object (&params[1]);

  if (gtk_widget_get_realized (window))
    window_realize_cb (window);
  else
    g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), NULL);

  /* Only the first window counts. */
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  GTypeClass *klass = g_type_class_ref (GTK_TYPE_APPLICATION);

  g_signal_add_emission_hook (g_signal_lookup ("window-added", GTK_TYPE_APPLICATION), 0,
                              window_added_hook, NULL, NULL);
  g_type_class_unref (klass);

  ms_bench_main (argc, argv);

  fprintf (stderr, "bench-startup-hook: the program ended without drawing a frame\n");
  return 1;
}
