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
