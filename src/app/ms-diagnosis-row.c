/* ms-diagnosis-row.c: one problem, explained, with the buttons that fix it
 *
 * Not an AdwActionRow: the explanation is a few sentences and the buttons
 * must fit under it on a phone-sized window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-diagnosis-row.h"
#include "ms-settings-page.h"

struct _MsDiagnosisRow
{
  GtkListBoxRow  parent_instance;

  GtkBox        *box;
  GtkBox        *buttons;
  MsDiagnosis   *diagnosis;
};

G_DEFINE_FINAL_TYPE (MsDiagnosisRow, ms_diagnosis_row, GTK_TYPE_LIST_BOX_ROW)

static void
ms_diagnosis_row_finalize (GObject *object)
{
  MsDiagnosisRow *self = MS_DIAGNOSIS_ROW (object);

  g_clear_pointer (&self->diagnosis, ms_diagnosis_unref);

  G_OBJECT_CLASS (ms_diagnosis_row_parent_class)->finalize (object);
}

static void
ms_diagnosis_row_class_init (MsDiagnosisRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_diagnosis_row_finalize;
}

static void
ms_diagnosis_row_init (MsDiagnosisRow *self)
{
  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_widget_set_margin_top (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->box), 12);

  self->buttons = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_widget_set_halign (GTK_WIDGET (self->buttons), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->buttons), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->buttons), FALSE);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), GTK_WIDGET (self->box));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
}

static GtkWidget *
add_label (MsDiagnosisRow *self,
           const char     *text,
           const char     *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (self->box, label);

  return label;
}

GtkWidget *
ms_diagnosis_row_new (MsDiagnosis *diagnosis)
{
  MsDiagnosisRow *self;

  g_return_val_if_fail (diagnosis != NULL, NULL);

  self = g_object_new (MS_TYPE_DIAGNOSIS_ROW, NULL);
  self->diagnosis = ms_diagnosis_ref (diagnosis);

  add_label (self, diagnosis->title, "heading");
  if (diagnosis->server != NULL)
    {
      g_autofree char *where = ms_server_describe (diagnosis->server);

      add_label (self, where, "caption");
    }
  add_label (self, diagnosis->explanation, NULL);
  if (diagnosis->detail != NULL)
    {
      GtkWidget *detail;

      /* Translators: %s is the server's own message, kept as it is */
      g_autofree char *text = g_strdup_printf (_("The server said: %s"), diagnosis->detail);

      detail = add_label (self, text, "dim-label");
      gtk_widget_add_css_class (detail, "caption");
    }
  gtk_box_append (self->box, GTK_WIDGET (self->buttons));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, diagnosis->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, diagnosis->explanation,
                                  -1);

  return GTK_WIDGET (self);
}

MsDiagnosis *
ms_diagnosis_row_get_diagnosis (MsDiagnosisRow *self)
{
  g_return_val_if_fail (MS_IS_DIAGNOSIS_ROW (self), NULL);

  return self->diagnosis;
}

void
ms_diagnosis_row_add_button (MsDiagnosisRow *self,
                             GtkWidget      *button)
{
  g_return_if_fail (MS_IS_DIAGNOSIS_ROW (self));
  g_return_if_fail (GTK_IS_WIDGET (button));

  gtk_box_append (self->buttons, button);
  gtk_widget_set_visible (GTK_WIDGET (self->buttons), TRUE);
}

/* A fix only the person can carry out, as a line of text. */
void
ms_diagnosis_row_add_step (MsDiagnosisRow *self,
                           const char     *step)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MS_IS_DIAGNOSIS_ROW (self));

  text = g_strdup_printf ("• %s", step);
  gtk_box_reorder_child_after (self->box, add_label (self, text, NULL),
                               gtk_widget_get_prev_sibling (GTK_WIDGET (self->buttons)));
}
