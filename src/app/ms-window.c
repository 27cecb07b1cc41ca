/* ms-window.c: the Mail Setup main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-window.h"

struct _MsWindow
{
  AdwApplicationWindow  parent_instance;

  AdwLeaflet           *leaflet;
  AdwStatusPage        *welcome_page;
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

static void
ms_window_class_init (MsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, welcome_page);
}

static void
ms_window_init (MsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_status_page_set_icon_name (self->welcome_page, APPLICATION_ID);
}

MsWindow *
ms_window_new (MsApplication *application)
{
  MsWindow *self;

  g_return_val_if_fail (MS_IS_APPLICATION (application), NULL);

  self = g_object_new (MS_TYPE_WINDOW,
                       "application", application,
                       NULL);
  remember_window_size (self, ms_application_get_settings (application));

  return self;
}
