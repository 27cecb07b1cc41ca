/* ms-export-page.c: the wizard page that puts the account into mail programs
 *
 * The mail programs installed here first, then phones and tablets, then
 * everything else; one button each, which activates wizard.export with the
 * exporter's id. The wizard runs the export and shows the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gdesktopappinfo.h>
#include <glib/gi18n.h>

#include "ms-export-page.h"
#include "ms-wizard-page.h"
#include "ms-exporter.h"

typedef enum
{
  GROUP_PROGRAMS,
  GROUP_PHONE,
  GROUP_OTHER,
} Group;

typedef struct
{
  const char *id;
  Group       group;
  const char *description;   /* N_() */
  const char *button;        /* N_() */
  const char *commands[3];   /* how to tell it is installed */
  const char *desktop_ids[3];
} ExportInfo;

static const ExportInfo infos[] = {
  { "thunderbird", GROUP_PROGRAMS, N_("Adds the account to Thunderbird"), N_("_Add"),
    { "thunderbird", NULL }, { "thunderbird.desktop", "org.mozilla.Thunderbird.desktop", NULL } },
  { "evolution", GROUP_PROGRAMS, N_("Adds the account to Evolution"), N_("_Add"),
    { "evolution", NULL }, { "org.gnome.Evolution.desktop", NULL } },
  { "goa", GROUP_PROGRAMS, N_("Adds the account to GNOME Online Accounts, for GNOME’s own apps"), N_("_Add"),
    { NULL }, { "gnome-online-accounts-panel.desktop", NULL } },
  { "geary", GROUP_PROGRAMS, N_("Adds the account to Geary"), N_("_Add"),
    { "geary", NULL }, { "org.gnome.Geary.desktop", NULL } },
  { "qr", GROUP_PHONE, N_("A code to scan with Thunderbird for Android"), N_("_Show"),
    { NULL }, { NULL } },
  { "mobileconfig", GROUP_PHONE, N_("A settings file to open on an iPhone or iPad"), N_("_Save"),
    { NULL }, { NULL } },
  { "pdf", GROUP_OTHER, N_("A sheet with every setting, to print or keep"), N_("_Save"),
    { NULL }, { NULL } },
  { "autodiscover", GROUP_OTHER, N_("A settings file for Outlook-style programs"), N_("_Save"),
    { NULL }, { NULL } },
  { "msmtp", GROUP_OTHER, N_("Terminal program for sending mail"), N_("_Add"),
    { NULL }, { NULL } },
  { "mbsync", GROUP_OTHER, N_("Terminal program that copies mail to this computer"), N_("_Add"),
    { NULL }, { NULL } },
  { "neomutt", GROUP_OTHER, N_("Terminal mail program"), N_("_Add"),
    { NULL }, { NULL } },
  { "aerc", GROUP_OTHER, N_("Terminal mail program"), N_("_Add"),
    { NULL }, { NULL } },
};

struct _MsExportPage
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *programs_group;
  AdwPreferencesGroup *phone_group;
  AdwPreferencesGroup *other_group;
  GtkButton           *finish_button;

  GHashTable          *buttons;    /* exporter id → GtkButton */
};

static void ms_export_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsExportPage, ms_export_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_export_page_wizard_page_init))

static gboolean
is_installed (const ExportInfo *info)
{
  for (guint i = 0; info->commands[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (info->commands[i]);

      if (path != NULL)
        return TRUE;
    }

  for (guint i = 0; info->desktop_ids[i] != NULL; i++)
    {
      g_autoptr(GDesktopAppInfo) app = g_desktop_app_info_new (info->desktop_ids[i]);

      if (app != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
ms_export_page_finalize (GObject *object)
{
  MsExportPage *self = MS_EXPORT_PAGE (object);

  g_clear_pointer (&self->buttons, g_hash_table_unref);

  G_OBJECT_CLASS (ms_export_page_parent_class)->finalize (object);
}

static void
ms_export_page_class_init (MsExportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ms_export_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-export-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsExportPage, programs_group);
  gtk_widget_class_bind_template_child (widget_class, MsExportPage, phone_group);
  gtk_widget_class_bind_template_child (widget_class, MsExportPage, other_group);
  gtk_widget_class_bind_template_child (widget_class, MsExportPage, finish_button);
}

static void
add_row (MsExportPage        *self,
         AdwPreferencesGroup *group,
         const MsExporter    *exporter,
         const ExportInfo    *info)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_(info->button));
  const char *name = ms_exporter_get_name (exporter);
  g_autofree char *accessible = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(info->description));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "wizard.export");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", info->id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

  /* "Add" alone does not say to what. */
  /* Translators: an accessible button name; %s is a program such as Thunderbird */
  accessible = g_strdup_printf (_("Export to %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(info->description),
                                  -1);

  adw_preferences_group_add (group, row);
  g_hash_table_insert (self->buttons, (gpointer) info->id, button);
}

static void
ms_export_page_init (MsExportPage *self)
{
  guint programs = 0;

  self->buttons = g_hash_table_new (g_str_hash, g_str_equal);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    {
      const MsExporter *exporter = ms_exporter_find (infos[i].id);
      AdwPreferencesGroup *group;

      if (exporter == NULL)
        continue;

      switch (infos[i].group)
        {
        case GROUP_PROGRAMS:
          if (!is_installed (&infos[i]))
            continue;
          group = self->programs_group;
          programs++;
          break;
        case GROUP_PHONE:
          group = self->phone_group;
          break;
        case GROUP_OTHER:
        default:
          group = self->other_group;
          break;
        }

      add_row (self, group, exporter, &infos[i]);
    }

  if (programs == 0)
    adw_preferences_group_set_description (self->programs_group,
                                           _("No mail program was found on this computer. Install one, such as Thunderbird or Evolution, then come back, or use a file below."));
}

void
ms_export_page_set_busy (MsExportPage *self,
                         const char   *exporter_id,
                         gboolean      busy)
{
  GtkWidget *button;

  g_return_if_fail (MS_IS_EXPORT_PAGE (self));

  button = g_hash_table_lookup (self->buttons, exporter_id);
  if (button == NULL)
    return;

  gtk_widget_set_sensitive (button, !busy);
  /* Disabled while busy, the button lost the focus: it gets it back, for
   * the keyboard and for the screen reader that is to hear the result. */
  if (!busy && gtk_widget_get_root (button) != NULL && gtk_root_get_focus (gtk_widget_get_root (button)) == NULL)
    gtk_widget_grab_focus (button);
}

GtkWidget *
ms_export_page_get_default_widget (MsExportPage *self)
{
  g_return_val_if_fail (MS_IS_EXPORT_PAGE (self), NULL);

  return GTK_WIDGET (self->finish_button);
}

void
ms_export_page_focus (MsExportPage *self)
{
  g_return_if_fail (MS_IS_EXPORT_PAGE (self));

  /* The first mail program installed here, whichever it is. */
  for (guint i = 0; i < G_N_ELEMENTS (infos) && infos[i].group == GROUP_PROGRAMS; i++)
    {
      GtkWidget *button = g_hash_table_lookup (self->buttons, infos[i].id);

      if (button != NULL && gtk_widget_get_visible (button) && gtk_widget_grab_focus (button))
        return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->finish_button));
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_export_page_get_default_widget (MS_EXPORT_PAGE (page));
}

static void
wizard_page_focus (MsWizardPage *page)
{
  ms_export_page_focus (MS_EXPORT_PAGE (page));
}

static void
ms_export_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->focus = wizard_page_focus;
}
