/* ms-accessible.c: what a screen reader says of the widgets GTK 4.8 names badly
 *
 * GTK 4.8 computes a name from the accessible label *and* the labelled-by
 * targets, so a button with a mnemonic ("_Start") is read as "_Start
 * Start": gtk_button_set_label() puts the raw text, underscore and all,
 * into the label property, and the button is also labelled by its label
 * child. An icon button is labelled by its GtkImage, whose name falls back
 * to the type name ("GtkImage"). Every widget that is mapped passes
 * through here once (an emission hook on "map"), so buttons made later
 * (a diagnosis's fix, a program's button, a dialog's) are covered too.
 *
 * GTK 4.8 has no live regions and no announcement API: what changes by
 * itself reaches Orca as an accessible property change (the
 * "object:property-change:accessible-description" event GTK emits on
 * gtk_accessible_update_property()), and Orca speaks such a change on the
 * object that has the focus or one of its ancestors, so
 * ms_accessible_announce() puts the text on the focused widget's
 * description.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-accessible.h"

#define FIXED_KEY "ms-accessible-fixed"

static gboolean
has_image_child (GtkWidget *button)
{
  GtkWidget *child = gtk_widget_get_first_child (button);

  return GTK_IS_IMAGE (child) && gtk_widget_get_next_sibling (child) == NULL;
}

static GtkWidget *
ancestor_of_type (GtkWidget *widget,
                  GType      type)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (g_type_is_a (G_OBJECT_TYPE (w), type))
      return w;

  return NULL;
}

/* After GTK's own update of the label property (notify comes after it). */
static void
button_label_changed_cb (GtkButton  *button,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  /* Only a mnemonic label child labels its button: a plain one's text is
   * the label property alone. */
  if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
fix_button (GtkButton *button)
{
  GtkWidget *widget = GTK_WIDGET (button);

  if (ancestor_of_type (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL && has_image_child (widget))
    {
      /* libadwaita 1.2's reveal button: labelled by its icon only. */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show password"),
                                      -1);
      return;
    }

  if (has_image_child (widget) && gtk_widget_get_tooltip_text (widget) != NULL)
    {
      /* An icon button: its tooltip (or the label set in its template) is
       * its name, not the icon's type name. */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      /* GTK 4.8 can say whether a label is set (not which): one from the
       * template stays. */
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL))
        gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_widget_get_tooltip_text (widget),
                                        -1);
      return;
    }

  button_label_changed_cb (button, NULL, NULL);
  g_signal_connect (button, "notify::label", G_CALLBACK (button_label_changed_cb), NULL);
  g_signal_connect (button, "notify::use-underline", G_CALLBACK (button_label_changed_cb), NULL);
}

static GtkWidget *
find_title (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "title-1"))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_title (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
check_label_changed_cb (GtkCheckButton *check,
                        GParamSpec     *pspec,
                        gpointer        user_data)
{
  if (gtk_check_button_get_use_underline (check) && gtk_check_button_get_label (check) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* The same twice-said label as a button's. */
static void
fix_check_button (GtkCheckButton *check)
{
  check_label_changed_cb (check, NULL, NULL);
  g_signal_connect (check, "notify::label", G_CALLBACK (check_label_changed_cb), NULL);
  g_signal_connect (check, "notify::use-underline", G_CALLBACK (check_label_changed_cb), NULL);
}

/* A combo row's list of choices: named after the row. */
static void
fix_list_view (GtkWidget *list)
{
  GtkWidget *row = ancestor_of_type (list, ADW_TYPE_COMBO_ROW);
  const char *title;
  g_autofree char *plain = NULL;

  if (row == NULL)
    return;

  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  if (title == NULL || !pango_parse_markup (title, -1, adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (row)) ? '_' : 0,
                                            NULL, &plain, NULL, NULL))
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
}

static GtkWidget *
find_label (GtkWidget *root)
{
  if (GTK_IS_LABEL (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* One choice of a combo row's list: GTK 4.8 gives the item no name of its
 * own; labelled by the label the row's factory put in it. */
static void
fix_list_item (GtkWidget *item)
{
  GtkWidget *label = find_label (item);

  if (label != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
}

/* A boxed list in a preferences group with no title is named by nothing
 * but its type (libadwaita 1.2 labels the list by the group's title only):
 * labelled by the page's heading instead. */
static void
fix_list (GtkListBox *list)
{
  GtkWidget *group = ancestor_of_type (GTK_WIDGET (list), ADW_TYPE_PREFERENCES_GROUP);
  const char *title = group != NULL ? adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)) : NULL;

  if (group == NULL || (title != NULL && title[0] != '\0'))
    return;

  for (GtkWidget *w = group; w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkWidget *heading = find_title (w);

      if (heading != NULL)
        {
          gtk_accessible_update_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
          return;
        }
    }
}

/**
 * ms_accessible_fix_widget:
 * @widget: a widget about to be shown
 *
 * Sets what a screen reader says of @widget where GTK 4.8's own name is
 * wrong (see the top of the file). Idempotent; called for every widget
 * that is mapped once ms_accessible_install() ran.
 */
void
ms_accessible_fix_widget (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (g_object_get_data (G_OBJECT (widget), FIXED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));

  if (GTK_IS_BUTTON (widget))
    fix_button (GTK_BUTTON (widget));
  else if (GTK_IS_CHECK_BUTTON (widget))
    fix_check_button (GTK_CHECK_BUTTON (widget));
  else if (GTK_IS_LIST_BOX (widget) && gtk_widget_get_focusable (widget))
    fix_list (GTK_LIST_BOX (widget));
  else if (GTK_IS_LIST_VIEW (widget))
    fix_list_view (widget);
  else if (gtk_widget_get_parent (widget) != NULL && GTK_IS_LIST_VIEW (gtk_widget_get_parent (widget)) &&
           ancestor_of_type (widget, ADW_TYPE_COMBO_ROW) != NULL)
    fix_list_item (widget);
}

static gboolean
map_hook (GSignalInvocationHint *hint,
          guint                  n_values,
          const GValue          *values,
          gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);

  if (GTK_IS_WIDGET (object))
    ms_accessible_fix_widget (GTK_WIDGET (object));

  return TRUE;
}

/**
 * ms_accessible_install:
 *
 * From now on every widget of the process is fixed as it is mapped. Call
 * once, after gtk_init().
 */
void
ms_accessible_install (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, map_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

/**
 * ms_accessible_announce:
 * @widget: a widget in the window the news is about
 * @text: what the screen reader should say
 *
 * Puts @text on the accessible description of the widget that has the
 * focus in @widget's window (@widget itself when nothing has it). GTK 4.8
 * reports that as an "object:property-change:accessible-description"
 * event on the focused object, which Orca speaks: GTK 4.8 has no live
 * region or notification API, and Orca ignores such a change anywhere
 * but at the focus.
 */
void
ms_accessible_announce (GtkWidget  *widget,
                        const char *text)
{
  GtkRoot *root;
  GtkWidget *focus = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  root = gtk_widget_get_root (widget);
  if (root != NULL)
    focus = gtk_root_get_focus (root);
  /* Only a button's description carries news (replacing what it said
   * before: the news is about what the button did): a field's says what
   * to type, and GTK 4.8 gives no way to read one back and restore it.
   * Elsewhere the window gets it. */
  if (focus == NULL || !(GTK_IS_BUTTON (focus) || GTK_IS_CHECK_BUTTON (focus) || GTK_IS_SWITCH (focus)))
    focus = root != NULL ? GTK_WIDGET (root) : widget;

  gtk_accessible_update_property (GTK_ACCESSIBLE (focus),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}
