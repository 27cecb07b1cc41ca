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
 * @is_error: whether @text is a mistake rather than a hint
 * @error_row: (nullable): the row @text is about, marked as wrong
 * @rows: (array zero-terminated=1): every row of the page that can be wrong
 *
 * One place for how a page says what is wrong with a row: the text, the
 * "error" style on the label and on that row alone, and the accessible
 * description of that row (else the first), so a screen reader says it
 * where the focus is.
 */
void
ms_wizard_page_show_problem (GtkLabel          *label,
                             const char        *text,
                             gboolean           is_error,
                             GtkWidget         *error_row,
                             GtkWidget * const *rows)
{
  GtkWidget *described = error_row != NULL ? error_row : rows[0];

  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (rows != NULL && rows[0] != NULL);

  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);

  if (is_error && text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");

  for (guint i = 0; rows[i] != NULL; i++)
    {
      if (rows[i] == error_row)
        gtk_widget_add_css_class (rows[i], "error");
      else
        gtk_widget_remove_css_class (rows[i], "error");
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (described),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text != NULL ? text : "",
                                  -1);
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
