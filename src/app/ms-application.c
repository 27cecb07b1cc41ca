/* ms-application.c: the Mail Setup GTK application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-accessible.h"
#include "ms-application.h"
#include "ms-ui-resources.h"
#include "ms-window.h"

struct _MsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (MsApplication, ms_application, ADW_TYPE_APPLICATION)

static void
ms_application_activate (GApplication *application)
{
  MsApplication *self = MS_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (ms_window_new (self));

  gtk_window_present (window);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MsApplication *self = MS_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows (not g_application_quit) lets each one cancel its
   * network work and save its size on the way out. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MsApplication *self = MS_APPLICATION (user_data);
  static const char *developers[] = { "The Mail Setup developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Mail Setup"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Mail Setup developers"),
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/mailsetup/mail-setup",
                         "issue-url", "https://github.com/mailsetup/mail-setup/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb },
  { "about", about_activated_cb },
};

static void
ms_application_startup (GApplication *application)
{
  MsApplication *self = MS_APPLICATION (application);
  static const char *quit_accels[] = { "<primary>q", NULL };

  G_APPLICATION_CLASS (ms_application_parent_class)->startup (application);
  ms_accessible_install ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
ms_application_dispose (GObject *object)
{
  MsApplication *self = MS_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ms_application_parent_class)->dispose (object);
}

static void
ms_application_class_init (MsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ms_application_dispose;

  application_class->startup = ms_application_startup;
  application_class->activate = ms_application_activate;
}

static void
ms_application_init (MsApplication *self)
{
  self->settings = g_settings_new (SCHEMA_ID);
}

MsApplication *
ms_application_new (void)
{
  static gsize resources_registered = 0;

  if (g_once_init_enter (&resources_registered))
    {
      ms_ui_register_resource ();
      g_once_init_leave (&resources_registered, 1);
    }

  return g_object_new (MS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", RESOURCE_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

GSettings *
ms_application_get_settings (MsApplication *self)
{
  g_return_val_if_fail (MS_IS_APPLICATION (self), NULL);

  return self->settings;
}
