/* ms-repair-diagnosis-page.c: the wizard page with what is wrong with one account, and its repair
 *
 * The doctor's findings as the result page shows a new setup's
 * (MsDiagnosisRow), then exactly what the repair would change, old → new,
 * and in which files, before anything is written. When the program is
 * running the repair is refused: the page says so in plain words with a
 * Try Again button, for once the person has closed it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-diagnosis-row.h"
#include "ms-repair-account-row.h"
#include "ms-repair-change-row.h"
#include "ms-repair-diagnosis-page.h"
#include "ms-wizard-page.h"

struct _MsRepairDiagnosisPage
{
  AdwBin               parent_instance;

  GtkLabel            *title_label;
  GtkLabel            *where_label;
  GtkLabel            *status_label;
  GtkListBox          *findings_list;
  AdwPreferencesGroup *changes_group;
  GtkLabel            *files_label;
  GtkWidget           *refusal_box;
  GtkLabel            *refusal_label;
  GtkButton           *retry_button;
  GtkButton           *repair_button;
  GtkSpinner          *repair_spinner;

  GPtrArray           *change_rows;
  MsRepairPlan        *plan;
  gboolean             busy;
};

static void ms_repair_diagnosis_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsRepairDiagnosisPage, ms_repair_diagnosis_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_repair_diagnosis_page_wizard_page_init))

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ms_repair_diagnosis_page_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  MsRepairDiagnosisPage *self = MS_REPAIR_DIAGNOSIS_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, ms_repair_diagnosis_page_get_valid (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_repair_diagnosis_page_dispose (GObject *object)
{
  MsRepairDiagnosisPage *self = MS_REPAIR_DIAGNOSIS_PAGE (object);

  g_clear_object (&self->plan);

  G_OBJECT_CLASS (ms_repair_diagnosis_page_parent_class)->dispose (object);
}

static void
ms_repair_diagnosis_page_finalize (GObject *object)
{
  MsRepairDiagnosisPage *self = MS_REPAIR_DIAGNOSIS_PAGE (object);

  g_clear_pointer (&self->change_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_repair_diagnosis_page_parent_class)->finalize (object);
}

static void
ms_repair_diagnosis_page_class_init (MsRepairDiagnosisPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ms_repair_diagnosis_page_get_property;
  object_class->dispose = ms_repair_diagnosis_page_dispose;
  object_class->finalize = ms_repair_diagnosis_page_finalize;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-repair-diagnosis-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, where_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, findings_list);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, changes_group);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, files_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, refusal_box);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, repair_button);
  gtk_widget_class_bind_template_child (widget_class, MsRepairDiagnosisPage, repair_spinner);
}

static void
ms_repair_diagnosis_page_init (MsRepairDiagnosisPage *self)
{
  self->change_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
clear (MsRepairDiagnosisPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))) != NULL)
    gtk_list_box_remove (self->findings_list, child);
  for (guint i = 0; i < self->change_rows->len; i++)
    adw_preferences_group_remove (self->changes_group, g_ptr_array_index (self->change_rows, i));
  g_ptr_array_set_size (self->change_rows, 0);
  g_clear_object (&self->plan);
  self->busy = FALSE;
}

static void
show_findings (MsRepairDiagnosisPage *self,
               GPtrArray             *findings)
{
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    gtk_list_box_append (self->findings_list, ms_diagnosis_row_new (g_ptr_array_index (findings, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->findings_list), findings != NULL && findings->len > 0);
}

static void
show_plan (MsRepairDiagnosisPage *self,
           MsRepairPlan          *plan)
{
  GPtrArray *changes = ms_repair_plan_get_changes (plan);
  GStrv files = ms_repair_plan_get_files (plan);
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < changes->len; i++)
    {
      GtkWidget *row = ms_repair_change_row_new (g_ptr_array_index (changes, i));

      adw_preferences_group_add (self->changes_group, row);
      g_ptr_array_add (self->change_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->changes_group), changes->len > 0);

  list = ms_repair_describe_files ((const char * const *) files);
  /* Translators: %s is a list of files, one a line */
  text = g_strdup_printf (_("Files the repair changes (a copy of each is kept first):\n%s"), list);
  gtk_label_set_label (self->files_label, text);
  /* GTK 4.8 does not always describe the button by its described-by
   * label: the focus on Repair says which files it writes. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->repair_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->files_label), changes->len > 0 && files != NULL && files[0] != NULL);
}

static char *
describe_status (MsDoctorReport *report,
                 MsRepairPlan   *plan,
                 const char     *problem)
{
  MsExistingAccount *account = ms_doctor_report_get_account (report);
  const char *program = ms_mail_program_get_name (account->program);

  if (problem != NULL)
    /* Translators: %s says why, in a sentence */
    return g_strdup_printf (_("Mail Setup cannot repair this account: %s"), problem);
  if (plan != NULL && ms_repair_plan_get_changes (plan)->len > 0)
    /* Translators: %s is a mail program such as Thunderbird */
    return g_strdup_printf (_("Mail Setup can change these settings in %s, and only these. Nothing is changed until you choose Repair."),
                            program);
  if (ms_doctor_report_is_healthy (report))
    return g_strdup (_("This account works as it is. Nothing needs to change."));

  return g_strdup (_("The settings are already the right ones; what is wrong is not in them. See the problems below."));
}

/**
 * ms_repair_diagnosis_page_set_report:
 * @plan: (nullable): the repair, when there are better settings
 * @problem: (nullable): why there is no repair, in a sentence
 */
void
ms_repair_diagnosis_page_set_report (MsRepairDiagnosisPage *self,
                                     MsDoctorReport        *report,
                                     MsRepairPlan          *plan,
                                     const char            *problem)
{
  MsExistingAccount *account;
  g_autofree char *where = NULL;
  g_autofree char *status = NULL;

  g_return_if_fail (MS_IS_REPAIR_DIAGNOSIS_PAGE (self));
  g_return_if_fail (MS_IS_DOCTOR_REPORT (report));

  clear (self);
  account = ms_doctor_report_get_account (report);
  gtk_label_set_label (self->title_label, account->address != NULL ? account->address : account->key);
  where = ms_repair_describe_account (account);
  gtk_label_set_label (self->where_label, where);

  status = describe_status (report, plan, problem);
  gtk_label_set_label (self->status_label, status);
  show_findings (self, ms_doctor_report_get_findings (report));

  if (plan != NULL)
    {
      self->plan = g_object_ref (plan);
      show_plan (self, plan);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->changes_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->files_label), FALSE);
    }

  ms_repair_diagnosis_page_show_refusal (self, NULL);
}

/**
 * ms_repair_diagnosis_page_get_plan:
 *
 * Returns: (transfer none) (nullable): the repair shown
 */
MsRepairPlan *
ms_repair_diagnosis_page_get_plan (MsRepairDiagnosisPage *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_DIAGNOSIS_PAGE (self), NULL);

  return self->plan;
}

static gboolean
has_changes (MsRepairDiagnosisPage *self)
{
  return self->plan != NULL && ms_repair_plan_get_changes (self->plan)->len > 0;
}

static void
update_buttons (MsRepairDiagnosisPage *self)
{
  gboolean refused = gtk_widget_get_visible (self->refusal_box);

  gtk_widget_set_visible (GTK_WIDGET (self->repair_button), has_changes (self) && !refused && !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->repair_spinner), self->busy);
  gtk_spinner_set_spinning (self->repair_spinner, self->busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* The repair is being written: no second one meanwhile. */
void
ms_repair_diagnosis_page_set_busy (MsRepairDiagnosisPage *self,
                                   gboolean               busy)
{
  g_return_if_fail (MS_IS_REPAIR_DIAGNOSIS_PAGE (self));

  self->busy = busy;
  update_buttons (self);
}

/**
 * ms_repair_diagnosis_page_show_refusal:
 * @message: (nullable): why the repair was not made (the program is
 *   running, say), or %NULL to hide it
 */
void
ms_repair_diagnosis_page_show_refusal (MsRepairDiagnosisPage *self,
                                       const char            *message)
{
  g_return_if_fail (MS_IS_REPAIR_DIAGNOSIS_PAGE (self));

  gtk_label_set_label (self->refusal_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->refusal_box, message != NULL);
  update_buttons (self);

  /* GTK 4.8 makes no description of the described-by label: what the
   * focus on Try Again says is why it was refused. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message != NULL ? message : "",
                                  -1);
  if (message != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

/* There is something to change, and no repair running. */
gboolean
ms_repair_diagnosis_page_get_valid (MsRepairDiagnosisPage *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_DIAGNOSIS_PAGE (self), FALSE);

  return has_changes (self) && !self->busy;
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  MsRepairDiagnosisPage *self = MS_REPAIR_DIAGNOSIS_PAGE (page);

  if (gtk_widget_get_visible (self->refusal_box))
    return GTK_WIDGET (self->retry_button);

  return GTK_WIDGET (self->repair_button);
}

static gboolean
wizard_page_get_valid (MsWizardPage *page)
{
  return ms_repair_diagnosis_page_get_valid (MS_REPAIR_DIAGNOSIS_PAGE (page));
}

static void
ms_repair_diagnosis_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->get_valid = wizard_page_get_valid;
}
