/* ms-result-page.c: the wizard page that says whether the account works
 *
 * Success is a status page. A failure lists each problem in plain words
 * with a button for every fix the program can apply itself; when there is
 * none, the steps a person can take (network, security software, outage,
 * support) and a way to copy the details for support.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-diagnosis-row.h"
#include "ms-accessible.h"
#include "ms-result-page.h"
#include "ms-wizard-page.h"
#include "ms-untrusted-text.h"

struct _MsResultPage
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *success_page;
  GtkButton           *success_button;
  GtkListBox          *diagnoses_list;
  AdwPreferencesGroup *steps_group;
  GtkButton           *retry_button;

  GPtrArray           *fixes;        /* MsFix, indexed by the buttons' targets */
  GPtrArray           *fix_diagnoses; /* MsDiagnosis, the one each fix is for */
  GPtrArray           *step_rows;    /* GtkWidget */
};

static void ms_result_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsResultPage, ms_result_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_result_page_wizard_page_init))

static void
ms_result_page_finalize (GObject *object)
{
  MsResultPage *self = MS_RESULT_PAGE (object);

  g_clear_pointer (&self->fixes, g_ptr_array_unref);
  g_clear_pointer (&self->fix_diagnoses, g_ptr_array_unref);
  g_clear_pointer (&self->step_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_result_page_parent_class)->finalize (object);
}

static void
ms_result_page_class_init (MsResultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ms_result_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsResultPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MsResultPage, success_page);
  gtk_widget_class_bind_template_child (widget_class, MsResultPage, success_button);
  gtk_widget_class_bind_template_child (widget_class, MsResultPage, diagnoses_list);
  gtk_widget_class_bind_template_child (widget_class, MsResultPage, steps_group);
  gtk_widget_class_bind_template_child (widget_class, MsResultPage, retry_button);
}

static void
ms_result_page_init (MsResultPage *self)
{
  self->fixes = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_fix_unref);
  self->fix_diagnoses = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_diagnosis_unref);
  self->step_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

static char *
fix_button_label (MsAccountReport *report,
                  const MsFix     *fix)
{
  MsProvider *provider = ms_account_report_get_provider (report);
  MsProfile *profile;

  switch (fix->kind)
    {
    case MS_FIX_USE_PROFILE:
      profile = provider != NULL ? ms_provider_get_profile (provider, fix->profile_id) : NULL;
      if (profile != NULL)
        /* Translators: %s is the name of a set of settings, such as “Mobile” */
        return g_strdup_printf (_("Use %s Settings"), ms_profile_get_name (profile));
      return g_strdup (fix->label);

    case MS_FIX_USE_PORT:
      /* Translators: %u is a port number, such as 465 */
      return g_strdup_printf (_("Try Port %u"), fix->port);

    case MS_FIX_COMPLETE_USERNAME:
      return g_strdup (_("Complete the Username"));

    case MS_FIX_TRUST_CERTIFICATE:
      return g_strdup (_("Check the Certificate…"));

    case MS_FIX_RETRY:
      return g_strdup (_("Try Again"));

    default:
      return g_strdup (fix->label);
    }
}

static gboolean
has_diagnosis (GPtrArray         *shown,
               const MsDiagnosis *diagnosis)
{
  for (guint i = 0; i < shown->len; i++)
    {
      const MsDiagnosis *other = g_ptr_array_index (shown, i);

      if (other->code != diagnosis->code)
        continue;
      if (other->server == NULL || diagnosis->server == NULL)
        return other->server == diagnosis->server;
      if (ms_server_equal (other->server, diagnosis->server))
        return TRUE;
    }

  return FALSE;
}

static gboolean
diagnosis_has_automatic_fix (const MsDiagnosis *diagnosis)
{
  for (guint i = 0; i < diagnosis->fixes->len; i++)
    if (ms_fix_is_automatic (g_ptr_array_index (diagnosis->fixes, i)))
      return TRUE;

  return FALSE;
}

/* What matters for the failure: problems, and notes that come with a fix. */
static void
collect (GPtrArray *shown,
         GPtrArray *diagnoses)
{
  for (guint i = 0; i < diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (diagnoses, i);

      if (diagnosis->severity == MS_SEVERITY_INFO && !diagnosis_has_automatic_fix (diagnosis))
        continue;
      if (!has_diagnosis (shown, diagnosis))
        g_ptr_array_add (shown, ms_diagnosis_ref (diagnosis));
    }
}

static GtkWidget *
add_fix_button (MsResultPage    *self,
                MsAccountReport *report,
                MsDiagnosis     *diagnosis,
                MsFix           *fix)
{
  g_autofree char *label = fix_button_label (report, fix);
  GtkWidget *button = gtk_button_new_with_label (label);

  g_ptr_array_add (self->fixes, ms_fix_ref (fix));
  g_ptr_array_add (self->fix_diagnoses, ms_diagnosis_ref (diagnosis));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "wizard.apply-fix");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", self->fixes->len - 1);
  g_object_set_data (G_OBJECT (button), "ms-fix-kind", GINT_TO_POINTER (fix->kind + 1));

  return button;
}

static void
add_step (MsResultPage *self,
          const char   *title,
          const char   *description)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (self->steps_group, row);
  g_ptr_array_add (self->step_rows, row);
}

static void
show_steps (MsResultPage    *self,
            MsAccountReport *report)
{
  MsProvider *provider = ms_account_report_get_provider (report);
  const char *phone = provider != NULL ? ms_provider_get_support_phone (provider) : NULL;
  g_autofree char *support = NULL;

  add_step (self, _("Check the internet connection"),
            _("Open a website. If it does not load, restart your modem and router, wait a few minutes, then try again."));
  add_step (self, _("Check security software"),
            _("A firewall or antivirus program can block mail. Turn it off for a moment to try, or allow mail programs in its settings."));
  add_step (self, _("Check for an outage"),
            _("Your provider’s website or support line can tell you whether mail is down in your area."));

  if (phone != NULL)
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (phone, MS_UNTRUSTED_TEXT_MAX_BYTES);

      /* Translators: %s is a phone number */
      support = g_strdup_printf (_("Call %s. Press Copy Details first, so you can read or send them the exact error and the settings tried."),
                                 shown != NULL ? shown : "");
    }
  else
    support = g_strdup (_("Contact your provider’s support. Press Copy Details first, so you can send them the exact error and the settings tried."));
  add_step (self, _("Contact support"), support);
}

/* A button for each fix the wizard can make, steps for the rest.
 * Returns: whether there was a fix the wizard can make */
static gboolean
add_fixes (MsResultPage    *self,
           MsAccountReport *report,
           MsDiagnosis     *diagnosis,
           MsDiagnosisRow  *row)
{
  gboolean automatic = FALSE;

  for (guint j = 0; j < diagnosis->fixes->len; j++)
    {
      MsFix *fix = g_ptr_array_index (diagnosis->fixes, j);

      if (fix->kind == MS_FIX_RETRY)
        continue;  /* the page has its own Try Again */
      if (ms_fix_is_automatic (fix))
        {
          ms_diagnosis_row_add_button (row, add_fix_button (self, report, diagnosis, fix));
          automatic = TRUE;
        }
      else if (fix->kind == MS_FIX_CHECK_PASSWORD)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Enter the Password Again"));

          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "wizard.change-password");
          ms_diagnosis_row_add_button (row, button);
        }
      else if (fix->kind == MS_FIX_SIGN_IN_AGAIN)
        {
          /* A refused or expired sign-in: the browser again, from here. */
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Sign In Again"));

          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "wizard.sign-in-again");
          ms_diagnosis_row_add_button (row, button);
        }
      else
        ms_diagnosis_row_add_step (row, fix->label);
    }

  return automatic;
}

void
ms_result_page_set_report (MsResultPage    *self,
                           MsAccountReport *report)
{
  g_autoptr(GPtrArray) shown = NULL;
  GPtrArray *results;
  GtkWidget *child;
  gboolean automatic = FALSE;

  g_return_if_fail (MS_IS_RESULT_PAGE (self));
  g_return_if_fail (MS_IS_ACCOUNT_REPORT (report));

  g_ptr_array_set_size (self->fixes, 0);
  g_ptr_array_set_size (self->fix_diagnoses, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->diagnoses_list))) != NULL)
    gtk_list_box_remove (self->diagnoses_list, child);
  for (guint i = 0; i < self->step_rows->len; i++)
    adw_preferences_group_remove (self->steps_group, g_ptr_array_index (self->step_rows, i));
  g_ptr_array_set_size (self->step_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), FALSE);

  if (ms_account_report_works (report))
    {
      MsProbeResult *incoming = ms_account_report_get_incoming (report);
      MsProbeResult *outgoing = ms_account_report_get_outgoing (report);
      g_autofree char *description = NULL;
      /* A status page's description is Pango markup. */
      g_autofree char *incoming_host = ms_untrusted_text_to_markup (incoming->server->hostname,
                                                                     MS_UNTRUSTED_TEXT_MAX_BYTES);
      g_autofree char *outgoing_host = ms_untrusted_text_to_markup (outgoing->server->hostname,
                                                                     MS_UNTRUSTED_TEXT_MAX_BYTES);

      /* Translators: receiving and sending server host names */
      description = g_strdup_printf (_("Receiving mail through %s and sending through %s works. Your mail programs can use these settings now."),
                                     incoming_host, outgoing_host);
      adw_status_page_set_description (self->success_page, description);
      gtk_stack_set_visible_child_name (self->stack, "success");
      return;
    }

  shown = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_diagnosis_unref);
  results = ms_account_report_get_results (report);
  for (guint i = 0; i < results->len; i++)
    collect (shown, ((MsProbeResult *) g_ptr_array_index (results, i))->diagnoses);
  collect (shown, ms_account_report_get_diagnoses (report));

  for (guint i = 0; i < shown->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (shown, i);
      MsDiagnosisRow *row = MS_DIAGNOSIS_ROW (ms_diagnosis_row_new (diagnosis));

      if (add_fixes (self, report, diagnosis, row))
        automatic = TRUE;
      gtk_list_box_append (self->diagnoses_list, GTK_WIDGET (row));
    }

  if (!automatic)
    {
      show_steps (self, report);
      gtk_widget_set_visible (GTK_WIDGET (self->steps_group), TRUE);
    }

  gtk_stack_set_visible_child_name (self->stack, "failure");
}

/**
 * ms_result_page_get_fix:
 *
 * Returns: (transfer none) (nullable): the fix behind the button with
 *   action target @index
 */
MsFix *
ms_result_page_get_fix (MsResultPage *self,
                        guint         index)
{
  g_return_val_if_fail (MS_IS_RESULT_PAGE (self), NULL);

  if (index >= self->fixes->len)
    return NULL;

  return g_ptr_array_index (self->fixes, index);
}

/**
 * ms_result_page_get_fix_diagnosis:
 *
 * Returns: (transfer none) (nullable): the problem the fix with action
 *   target @index is for
 */
MsDiagnosis *
ms_result_page_get_fix_diagnosis (MsResultPage *self,
                                  guint         index)
{
  g_return_val_if_fail (MS_IS_RESULT_PAGE (self), NULL);

  if (index >= self->fix_diagnoses->len)
    return NULL;

  return g_ptr_array_index (self->fix_diagnoses, index);
}

GtkWidget *
ms_result_page_get_default_widget (MsResultPage *self)
{
  g_return_val_if_fail (MS_IS_RESULT_PAGE (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "success") == 0)
    return GTK_WIDGET (self->success_button);

  return GTK_WIDGET (self->retry_button);
}

void
ms_result_page_focus (MsResultPage *self)
{
  GtkWidget *first_row;
  gboolean failed;

  g_return_if_fail (MS_IS_RESULT_PAGE (self));

  /* On a failure, start at the first problem so a screen reader reads it. */
  first_row = gtk_widget_get_first_child (GTK_WIDGET (self->diagnoses_list));
  failed = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "failure") == 0;
  if (!failed || first_row == NULL || !gtk_widget_child_focus (first_row, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (ms_result_page_get_default_widget (self));

  /* The verdict, said with the control the focus lands on: the heading
   * itself is not focusable, and GTK 4.8 has no other way to say it. */
  ms_accessible_announce (GTK_WIDGET (self), failed ? _("Your Email Does Not Work Yet") : _("Your Email Works"));
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_result_page_get_default_widget (MS_RESULT_PAGE (page));
}

static void
wizard_page_focus (MsWizardPage *page)
{
  ms_result_page_focus (MS_RESULT_PAGE (page));
}

static void
ms_result_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->focus = wizard_page_focus;
}
