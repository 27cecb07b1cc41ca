/* ms-window.c: the Mail Setup main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-window.h"
#include "ms-wizard.h"

struct _MsWindow
{
  AdwApplicationWindow  parent_instance;

  MsWizard             *wizard;
};

G_DEFINE_FINAL_TYPE (MsWindow, ms_window, ADW_TYPE_APPLICATION_WINDOW)

static void
remember_window_size (MsWindow  *self,
                      GSettings *settings)
{
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

/* Closing the window stops every connection at once, not when it is freed. */
static gboolean
ms_window_close_request (GtkWindow *window)
{
  MsWindow *self = MS_WINDOW (window);

  if (self->wizard != NULL)
    ms_wizard_cancel (self->wizard);

  return GTK_WINDOW_CLASS (ms_window_parent_class)->close_request (window);
}

static void
ms_window_class_init (MsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = ms_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-window.ui");
}

static void
ms_window_init (MsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

MsWindow *
ms_window_new (MsApplication *application)
{
  MsWindow *self;
  GSettings *settings;

  g_return_val_if_fail (MS_IS_APPLICATION (application), NULL);

  settings = ms_application_get_settings (application);
  self = g_object_new (MS_TYPE_WINDOW,
                       "application", application,
                       NULL);
  self->wizard = ms_wizard_new (settings);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), GTK_WIDGET (self->wizard));
  remember_window_size (self, settings);

  return self;
}

/**
 * ms_window_get_wizard:
 *
 * Returns: (transfer none): the wizard the window shows
 */
MsWizard *
ms_window_get_wizard (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  return self->wizard;
}
