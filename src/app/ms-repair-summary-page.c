/* ms-repair-summary-page.c: the wizard page that says what a repair changed, and how to undo it
 *
 * The same old → new rows the diagnosis page promised, the files that
 * were rewritten (each backed up first), and the command that puts them
 * back: `mail-setup repair ADDRESS --program NAME --undo`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-accessible.h"
#include "ms-repair-change-row.h"
#include "ms-repair-summary-page.h"
#include "ms-wizard-page.h"

struct _MsRepairSummaryPage
{
  AdwBin               parent_instance;

  GtkLabel            *description_label;
  AdwPreferencesGroup *changes_group;
  GtkLabel            *files_label;
  GtkLabel            *undo_label;
  GtkWidget           *copy_undo_button;
  GtkButton           *done_button;

  GPtrArray           *change_rows;
  char                *undo_command;
};

static void ms_repair_summary_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsRepairSummaryPage, ms_repair_summary_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_repair_summary_page_wizard_page_init))

static void
copy_undo_clicked_cb (MsRepairSummaryPage *self)
{
  if (self->undo_command == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->undo_command);
  /* The icon button shows nothing when it is done: say it. */
  ms_accessible_announce (GTK_WIDGET (self), _("Command copied"));
}

static void
ms_repair_summary_page_finalize (GObject *object)
{
  MsRepairSummaryPage *self = MS_REPAIR_SUMMARY_PAGE (object);

  g_clear_pointer (&self->change_rows, g_ptr_array_unref);
  g_clear_pointer (&self->undo_command, g_free);

  G_OBJECT_CLASS (ms_repair_summary_page_parent_class)->finalize (object);
}

static void
ms_repair_summary_page_class_init (MsRepairSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ms_repair_summary_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-repair-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsRepairSummaryPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairSummaryPage, changes_group);
  gtk_widget_class_bind_template_child (widget_class, MsRepairSummaryPage, files_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairSummaryPage, undo_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairSummaryPage, copy_undo_button);
  gtk_widget_class_bind_template_child (widget_class, MsRepairSummaryPage, done_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_undo_clicked_cb);
}

static void
ms_repair_summary_page_init (MsRepairSummaryPage *self)
{
  self->change_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Quoted only when it has to be: an address is usually plain. */
static void
append_word (GString    *command,
             const char *word)
{
  g_autofree char *quoted = NULL;

  for (const char *c = word; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && strchr ("@._+-", *c) == NULL)
      {
        quoted = g_shell_quote (word);
        break;
      }

  g_string_append_c (command, ' ');
  g_string_append (command, quoted != NULL ? quoted : word);
}

/**
 * ms_repair_undo_command:
 *
 * Returns: the command that undoes the last repair of @account
 */
char *
ms_repair_undo_command (MsExistingAccount *account)
{
  GString *command = g_string_new ("mail-setup repair");

  g_return_val_if_fail (account != NULL, NULL);

  if (account->address != NULL)
    append_word (command, account->address);
  else
    {
      g_autofree char *id = ms_existing_account_get_id (account);

      g_string_append (command, " --account");
      append_word (command, id);
    }
  g_string_append (command, " --program");
  append_word (command, ms_mail_program_to_string (account->program));
  g_string_append (command, " --undo");

  return g_string_free (command, FALSE);
}

static void
show_files (MsRepairSummaryPage *self,
            GStrv                files)
{
  g_autofree char *list = ms_repair_describe_files ((const char * const *) files);
  /* Translators: %s is a list of files, one a line */
  g_autofree char *text = g_strdup_printf (_("Files changed, each with a copy of how it was:\n%s"), list);

  gtk_label_set_label (self->files_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->files_label), files != NULL && files[0] != NULL);
}

/* The repair of @plan was written. */
void
ms_repair_summary_page_set_plan (MsRepairSummaryPage *self,
                                 MsRepairPlan        *plan)
{
  MsExistingAccount *account;
  GPtrArray *changes;
  g_autofree char *description = NULL;

  g_return_if_fail (MS_IS_REPAIR_SUMMARY_PAGE (self));
  g_return_if_fail (MS_IS_REPAIR_PLAN (plan));

  for (guint i = 0; i < self->change_rows->len; i++)
    adw_preferences_group_remove (self->changes_group, g_ptr_array_index (self->change_rows, i));
  g_ptr_array_set_size (self->change_rows, 0);

  account = ms_repair_plan_get_account (plan);
  changes = ms_repair_plan_get_changes (plan);
  for (guint i = 0; i < changes->len; i++)
    {
      GtkWidget *row = ms_repair_change_row_new (g_ptr_array_index (changes, i));

      adw_preferences_group_add (self->changes_group, row);
      g_ptr_array_add (self->change_rows, row);
    }

  /* Translators: the first %s is a mail program such as Thunderbird, the
   * second an email address or an account's name */
  description = g_strdup_printf (_("%s now uses the new settings for %s. Its other accounts were not touched."),
                                 ms_mail_program_get_name (account->program),
                                 account->address != NULL ? account->address : account->key);
  gtk_label_set_label (self->description_label, description);
  show_files (self, ms_repair_plan_get_files (plan));

  g_free (self->undo_command);
  self->undo_command = ms_repair_undo_command (account);
  gtk_label_set_label (self->undo_label, self->undo_command);
  /* GTK 4.8 describes the icon button by its tooltip and not by the
   * command it copies: the screen reader hears which. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_undo_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->undo_command,
                                  -1);
}

/* Returns: (nullable): the undo command shown */
const char *
ms_repair_summary_page_get_undo_command (MsRepairSummaryPage *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_SUMMARY_PAGE (self), NULL);

  return self->undo_command;
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return GTK_WIDGET (MS_REPAIR_SUMMARY_PAGE (page)->done_button);
}

static void
ms_repair_summary_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
}
