/* ms-save-page.c: the wizard page that keeps the password in the keyring
 *
 * On by default. When the keyring cannot be reached the page says so in
 * plain words and the person goes on without it: nothing is lost, mail
 * programs will simply ask for the password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-save-page.h"
#include "ms-wizard-page.h"

struct _MsSavePage
{
  AdwBin     parent_instance;

  GtkSwitch *keyring_switch;
  GtkLabel  *problem_label;
  GtkButton *continue_button;

  gulong     switch_handler;
  gboolean   failed;
};

static void ms_save_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsSavePage, ms_save_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_save_page_wizard_page_init))

static void
switch_changed_cb (MsSavePage *self)
{
  /* A new choice starts over: no stale failure message. */
  ms_save_page_show_problem (self, NULL);
}

static void
ms_save_page_class_init (MsSavePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-save-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsSavePage, keyring_switch);
  gtk_widget_class_bind_template_child (widget_class, MsSavePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MsSavePage, continue_button);
}

static void
ms_save_page_init (MsSavePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->switch_handler = g_signal_connect_object (self->keyring_switch, "notify::active",
                                                  G_CALLBACK (switch_changed_cb), self,
                                                  G_CONNECT_SWAPPED);
}

gboolean
ms_save_page_get_store (MsSavePage *self)
{
  g_return_val_if_fail (MS_IS_SAVE_PAGE (self), FALSE);

  return gtk_switch_get_active (self->keyring_switch) && !self->failed;
}

void
ms_save_page_set_busy (MsSavePage *self,
                       gboolean    busy)
{
  g_return_if_fail (MS_IS_SAVE_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->keyring_switch), !busy);
}

/**
 * ms_save_page_show_problem:
 * @problem: (nullable): why the keyring could not be used, or %NULL to
 *   clear it
 */
void
ms_save_page_show_problem (MsSavePage *self,
                           const char *problem)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MS_IS_SAVE_PAGE (self));

  self->failed = problem != NULL;
  if (problem != NULL)
    /* Translators: %s says why the keyring could not be used */
    text = g_strdup_printf (_("The password could not be kept: %s You can go on without it; mail programs will ask for the password when they need it."),
                            problem);

  /* The switch tells the truth: the password is not kept. Turning it on
   * again is how to try once more. */
  if (problem != NULL)
    {
      g_signal_handler_block (self->keyring_switch, self->switch_handler);
      gtk_switch_set_active (self->keyring_switch, FALSE);
      g_signal_handler_unblock (self->keyring_switch, self->switch_handler);
    }

  gtk_label_set_label (self->problem_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  gtk_button_set_label (self->continue_button,
                        problem != NULL ? _("_Continue Without Saving") : _("_Continue"));
}

gboolean
ms_save_page_get_failed (MsSavePage *self)
{
  g_return_val_if_fail (MS_IS_SAVE_PAGE (self), FALSE);

  return self->failed;
}

GtkWidget *
ms_save_page_get_default_widget (MsSavePage *self)
{
  g_return_val_if_fail (MS_IS_SAVE_PAGE (self), NULL);

  return GTK_WIDGET (self->continue_button);
}

void
ms_save_page_focus (MsSavePage *self)
{
  g_return_if_fail (MS_IS_SAVE_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_save_page_get_default_widget (MS_SAVE_PAGE (page));
}

static void
wizard_page_focus (MsWizardPage *page)
{
  ms_save_page_focus (MS_SAVE_PAGE (page));
}

static void
ms_save_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->focus = wizard_page_focus;
}
