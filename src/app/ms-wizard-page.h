/* ms-wizard-page.h: what the wizard asks of each of its pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MS_TYPE_WIZARD_PAGE (ms_wizard_page_get_type ())

G_DECLARE_INTERFACE (MsWizardPage, ms_wizard_page, MS, WIZARD_PAGE, GtkWidget)

/**
 * MsWizardPageInterface:
 * @get_default_widget: the widget Enter activates (the main button)
 * @focus: puts the focus where the person starts on the page; by default
 *   on the default widget
 * @get_valid: whether the main button may be pressed now; by default
 *   always. A page whose answer changes notifies "valid".
 */
struct _MsWizardPageInterface
{
  GTypeInterface parent_iface;

  GtkWidget *(*get_default_widget) (MsWizardPage *self);
  void       (*focus)              (MsWizardPage *self);
  gboolean   (*get_valid)          (MsWizardPage *self);
};

GtkWidget *ms_wizard_page_get_default_widget (MsWizardPage *self);
void       ms_wizard_page_focus              (MsWizardPage *self);
gboolean   ms_wizard_page_get_valid          (MsWizardPage *self);

/* For the pages that check what is typed into their rows: how the line
 * under them says it. */
typedef enum
{
  MS_WIZARD_PROBLEM_HINT = 0,         /* plain: a hint, or a row still empty */
  MS_WIZARD_PROBLEM_LABEL_ERROR = 1,  /* the line in the error style */
  MS_WIZARD_PROBLEM_ROW_ERROR = 2,    /* the row it is about marked as wrong */
  MS_WIZARD_PROBLEM_ERROR = 3,        /* both */
} MsWizardProblem;

void       ms_wizard_page_show_problem       (GtkLabel           *label,
                                              const char         *text,
                                              MsWizardProblem     style,
                                              GtkWidget          *about_row,
                                              GtkWidget * const  *rows);
gboolean   ms_wizard_page_update_valid       (GObject            *page,
                                              gboolean           *valid,
                                              gboolean            now_valid);

G_END_DECLS
