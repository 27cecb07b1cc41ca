/* test-wizard-keyboard.c: the wizard with the keyboard only, and accessible names
 *
 * Run through tests/harness/run-under-xvfb (a real window). GTK 4 has no
 * way to inject key events in tests, so each key does what GTK's own key
 * bindings do with it: Tab is gtk_widget_child_focus() on the window
 * (the focus chain), Enter activates the focused widget (a text field
 * then activates the window's default widget). Nothing is reached by
 * widget id except to check where the focus went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wizard-test-util.h"

static GtkWidget *
focus_of (WizardFixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  g_assert_nonnull (focus);

  return focus;
}

static void
press_tab (WizardFixture *f)
{
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Enter on the focused widget: a button is pressed (and we wait for its
 * click), a text field activates the window's default widget. */
static void
press_enter (WizardFixture *f)
{
  GtkWidget *focus = focus_of (f);

  if (GTK_IS_TEXT (focus))
    {
      GtkWidget *target = gtk_window_get_default_widget (GTK_WINDOW (f->window));

      g_assert_nonnull (target);
      g_assert_true (gtk_widget_is_sensitive (target));
      /* Enter's key binding in a text field: its "activate" signal, which
       * the row turns into activating the window's default widget. */
      g_signal_emit_by_name (focus, "activate");
      while (g_main_context_iteration (NULL, FALSE))
        ;
      return;
    }

  click (focus);
}

static void
type_text (WizardFixture *f,
           const char    *text)
{
  GtkWidget *focus = focus_of (f);

  g_assert_true (GTK_IS_EDITABLE (focus));
  gtk_editable_set_text (GTK_EDITABLE (focus), text);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_focus_in (WizardFixture *f,
                 const char    *id)
{
  GtkWidget *expected = find_visible_by_id (f->wizard, id);
  GtkWidget *focus = focus_of (f);

  if (focus != expected && !gtk_widget_is_ancestor (focus, expected))
    g_error ("the focus is on a %s, not in “%s” (step “%s”)", G_OBJECT_TYPE_NAME (focus), id,
             ms_wizard_step_to_string (ms_wizard_get_step (f->wizard)));
}

/* Tab until the focus is in @id, at most @max times. */
static void
tab_to (WizardFixture *f,
        const char    *id,
        guint          max)
{
  GtkWidget *target = find_visible_by_id (f->wizard, id);

  for (guint i = 0; i < max; i++)
    {
      GtkWidget *focus = focus_of (f);

      if (focus == target || gtk_widget_is_ancestor (focus, target))
        return;
      press_tab (f);
    }

  assert_focus_in (f, id);
}

/* Welcome → account → Charter's choice → testing, by keyboard alone:
 * the first field has the focus on each page, Enter moves on, Tab reaches
 * everything in between. No network: nothing is tested. */
static void
test_keyboard_only (void)
{
  WizardFixture f = { 0 };

  wizard_fixture_open (&f, 480, 720);

  assert_focus_in (&f, "start_button");
  press_enter (&f);
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);

  /* The name is prefilled from the system when it is known. */
  if (gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "name_row")))[0] == '\0')
    {
      assert_focus_in (&f, "name_row");
      type_text (&f, "Jo Smith");
      press_tab (&f);
    }
  assert_focus_in (&f, "address_row");
  type_text (&f, "jsmith");
  /* Enter does not move on while the password is missing. */
  g_assert_false (gtk_widget_is_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  tab_to (&f, "password_row", 4);
  type_text (&f, "secret");
  g_assert_true (gtk_widget_is_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  press_enter (&f);
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);

  /* The recommended choice has the focus; Tab leads to Continue. */
  assert_focus_in (&f, "profiles_group");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (focus_of (&f))));
  tab_to (&f, "continue_button", 12);
  press_enter (&f);
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  assert_focus_in (&f, "start_button");

  wizard_fixture_close (&f);
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;

  /* A button's own label is its name. */
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
      gtk_button_get_label (GTK_BUTTON (widget))[0] != '\0')
    return TRUE;
  if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)) != NULL)
    return TRUE;

  /* A row's title is its name (libadwaita labels the row with it). */
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

      return title != NULL && title[0] != '\0';
    }

  return FALSE;
}

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SPINNER (widget) || GTK_IS_PICTURE (widget) ||
         ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget);
}

/* Every control of ours (built from our templates, or added to our
 * groups in code) on every page has a name a screen reader can say. */
static void
check_names (GtkWidget *widget,
             gboolean   ours,
             GPtrArray *missing,
             guint     *checked)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  if (id != NULL)
    ours = TRUE;

  if (ours && is_control (widget))
    {
      (*checked)++;
      if (!has_accessible_name (widget))
        g_ptr_array_add (missing, g_strdup_printf ("%s “%s”", G_OBJECT_TYPE_NAME (widget),
                                                   id != NULL ? id : "(no id)"));
      /* The parts inside a row or a menu button are the toolkit's. */
      if (ADW_IS_PREFERENCES_ROW (widget) || GTK_IS_MENU_BUTTON (widget))
        return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_names (child, ours, missing, checked);
}

static void
test_accessible_names (void)
{
  WizardFixture f = { 0 };
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  guint checked = 0;

  wizard_fixture_open (&f, 480, 720);

  /* Fill the pages that are built in code: Charter's two choices. */
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f.wizard, "address_row", "jsmith");
  set_text (f.wizard, "password_row", "secret");
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);

  /* Pages are built when first shown: build the rest to check them all. */
  ms_wizard_build_all_pages (f.wizard);
  check_names (GTK_WIDGET (f.wizard), FALSE, missing, &checked);
  if (missing->len > 0)
    {
      g_ptr_array_add (missing, NULL);
      g_error ("no accessible name: %s", g_strjoinv (", ", (char **) missing->pdata));
    }
  g_test_message ("%u controls have a name", checked);
  g_assert_cmpuint (checked, >, 30);

  /* The icon-only buttons say what they do. */
  gtk_test_accessible_assert_property (find_by_id (GTK_WIDGET (f.wizard), "back_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Back");
  gtk_test_accessible_assert_property (find_by_id (GTK_WIDGET (f.wizard), "main_menu_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main menu");

  wizard_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* The test accessibility backend keeps what the widgets say about
   * themselves where gtk_test_accessible_*() can read it; without a
   * screen reader's bus GTK would keep nothing. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/wizard/keyboard-only", test_keyboard_only);
  g_test_add_func ("/ui/wizard/accessible-names", test_accessible_names);

  return g_test_run ();
}
