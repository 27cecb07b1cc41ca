/* ms-wizard-page.c: what the wizard asks of each of its pages
 *
 * One interface instead of a switch over the steps in the wizard for each
 * question: the wizard asks the page shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-wizard-page.h"

G_DEFINE_INTERFACE (MsWizardPage, ms_wizard_page, GTK_TYPE_WIDGET)

/* Marks a row whose accessible description ms_wizard_page_show_problem() set. */
#define PROBLEM_DESCRIBED "ms-wizard-page-problem-described"

static void
ms_wizard_page_real_focus (MsWizardPage *self)
{
  gtk_widget_grab_focus (ms_wizard_page_get_default_widget (self));
}

static gboolean
ms_wizard_page_real_get_valid (MsWizardPage *self)
{
  return TRUE;
}

static void
ms_wizard_page_default_init (MsWizardPageInterface *iface)
{
  iface->focus = ms_wizard_page_real_focus;
  iface->get_valid = ms_wizard_page_real_get_valid;
}

GtkWidget *
ms_wizard_page_get_default_widget (MsWizardPage *self)
{
  g_return_val_if_fail (MS_IS_WIZARD_PAGE (self), NULL);
  g_return_val_if_fail (MS_WIZARD_PAGE_GET_IFACE (self)->get_default_widget != NULL, NULL);

  return MS_WIZARD_PAGE_GET_IFACE (self)->get_default_widget (self);
}

void
ms_wizard_page_focus (MsWizardPage *self)
{
  g_return_if_fail (MS_IS_WIZARD_PAGE (self));

  MS_WIZARD_PAGE_GET_IFACE (self)->focus (self);
}

gboolean
ms_wizard_page_get_valid (MsWizardPage *self)
{
  g_return_val_if_fail (MS_IS_WIZARD_PAGE (self), FALSE);

  return MS_WIZARD_PAGE_GET_IFACE (self)->get_valid (self);
}

/**
 * ms_wizard_page_show_problem:
 * @label: the line under the page's rows
 * @text: (nullable): what is wrong, or a hint (plain text: it may quote
 *   what was typed or pasted); %NULL hides @label
 * @about_row: (nullable): the row @text is about; %NULL for the first
 * @rows: (array zero-terminated=1): every row of the page that can be wrong
 *
 * One place for how a page says what is wrong with a row: the text, the
 * "error" style on the label and on that row alone as @style says, and
 * the accessible description of that row, so a screen reader says it
 * where the focus is.
 */
void
ms_wizard_page_show_problem (GtkLabel          *label,
                             const char        *text,
                             MsWizardProblem    style,
                             GtkWidget         *about_row,
                             GtkWidget * const *rows)
{
  GtkWidget *described;
  GtkWidget *wrong_row;

  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (rows != NULL && rows[0] != NULL);

  described = about_row != NULL ? about_row : rows[0];
  wrong_row = text != NULL && (style & MS_WIZARD_PROBLEM_ROW_ERROR) ? described : NULL;

  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);

  if (style & MS_WIZARD_PROBLEM_LABEL_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");

  for (guint i = 0; rows[i] != NULL; i++)
    {
      if (rows[i] == wrong_row)
        gtk_widget_add_css_class (rows[i], "error");
      else
        gtk_widget_remove_css_class (rows[i], "error");

      /* A description this left on another row is out of date now; one
       * the row has of its own (from its template) stays. */
      if (rows[i] != described && g_object_get_data (G_OBJECT (rows[i]), PROBLEM_DESCRIBED) != NULL)
        {
          gtk_accessible_reset_property (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
          g_object_set_data (G_OBJECT (rows[i]), PROBLEM_DESCRIBED, NULL);
        }
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (described),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text != NULL ? text : "",
                                  -1);
  g_object_set_data (G_OBJECT (described), PROBLEM_DESCRIBED, GINT_TO_POINTER (TRUE));
}

/**
 * ms_wizard_page_update_valid:
 * @valid: the page's field
 *
 * Sets *@valid and notifies the page's "valid" when it changed.
 *
 * Returns: whether it changed
 */
gboolean
ms_wizard_page_update_valid (GObject  *page,
                             gboolean *valid,
                             gboolean  now_valid)
{
  g_return_val_if_fail (MS_IS_WIZARD_PAGE (page), FALSE);

  now_valid = !!now_valid;
  if (*valid == now_valid)
    return FALSE;

  *valid = now_valid;
  g_object_notify (page, "valid");

  return TRUE;
}
