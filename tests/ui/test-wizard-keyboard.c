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

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ms-export-page.h"
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

static gboolean
trigger_is_key (GtkShortcutTrigger *trigger,
                guint               keyval)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0;
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_is_key (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval) ||
           trigger_is_key (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval);

  return FALSE;
}

static gboolean
run_key_shortcut (GtkWidget *widget,
                  guint      keyval,
                  gboolean   capture)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) != GTK_SHORTCUT_SCOPE_LOCAL ||
          (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) == GTK_PHASE_CAPTURE) != capture)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (trigger_is_key (gtk_shortcut_get_trigger (shortcut), keyval) &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                            widget, gtk_shortcut_get_arguments (shortcut)))
            return TRUE;
        }
    }

  return FALSE;
}

/* A key with no modifier on the focused widget, as GTK delivers it: the
 * key shortcuts in the capture phase from the window down to the focused
 * widget, then the others (the widgets' own, and their classes' key
 * bindings) from it back up to the window, until one takes it. */
static void
press_key (WizardFixture *f,
           guint          keyval)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  GtkWidget *widget = NULL;

  for (GtkWidget *w = focus_of (f); w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_add (chain, w);
  for (guint i = chain->len; widget == NULL && i > 0; i--)
    if (run_key_shortcut (g_ptr_array_index (chain, i - 1), keyval, TRUE))
      widget = g_ptr_array_index (chain, i - 1);
  for (guint i = 0; widget == NULL && i < chain->len; i++)
    if (run_key_shortcut (g_ptr_array_index (chain, i), keyval, FALSE))
      widget = g_ptr_array_index (chain, i);
  g_assert_nonnull (widget);
  g_test_message ("key %u taken by a %s", keyval, G_OBJECT_TYPE_NAME (widget));
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

static void
to_charter_choice (WizardFixture *f,
                   int            width,
                   int            height)
{
  wizard_fixture_open (f, width, height);
  click (find_visible_by_id (f->wizard, "start_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f->wizard, "address_row", "jsmith");
  set_text (f->wizard, "password_row", "secret");
  click (find_visible_by_id (f->wizard, "continue_button"));
  wait_for_step (f->wizard, MS_WIZARD_STEP_SETTINGS, 10);
}

/* Enter on a choice picks it and goes on, like Enter in a field; the
 * list used to take the key for itself, which only picked the row. */
static void
test_enter_on_choice (void)
{
  WizardFixture f = { 0 };

  to_charter_choice (&f, 480, 720);
  assert_focus_in (&f, "profiles_group");
  g_assert_true (GTK_IS_CHECK_BUTTON (focus_of (&f)));

  press_key (&f, GDK_KEY_Return);
  wait_for_step (f.wizard, MS_WIZARD_STEP_TESTING, 5);
  assert_focus_in (&f, "start_button");

  wizard_fixture_close (&f);
}

/* At the window's default size (the schema's) Continue is on screen
 * without scrolling, however long Charter's two choices are. */
static void
test_continue_on_screen (void)
{
  WizardFixture f = { 0 };
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(GVariant) width = g_settings_get_default_value (settings, "window-width");
  g_autoptr(GVariant) height = g_settings_get_default_value (settings, "window-height");
  GtkWidget *button;
  graphene_rect_t bounds;

  to_charter_choice (&f, g_variant_get_int32 (width), g_variant_get_int32 (height));
  wait_painted (GTK_WIDGET (f.window));
  button = find_visible_by_id (f.wizard, "continue_button");
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (f.window), &bounds));
  g_test_message ("Continue at y %.0f–%.0f in a window %d high", bounds.origin.y,
                  bounds.origin.y + bounds.size.height, gtk_widget_get_height (GTK_WIDGET (f.window)));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (f.window)));
  screenshot (GTK_WIDGET (f.window), "wizard-settings-default-size.png");

  wizard_fixture_close (&f);
}

static void
link_into (const char *dir,
           const char *target)
{
  g_autofree char *name = g_path_get_basename (target);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (symlink (target, path) != 0 && errno != EEXIST)
    g_error ("cannot link %s to %s: %s", path, target, g_strerror (errno));
}

/* Geary installed and Thunderbird not: the real Geary alone on PATH and
 * in the applications folder of the system's data folders. The first
 * program's button has the focus, not a Thunderbird that is not there. In
 * a child process, which starts with that PATH and those folders (GLib
 * reads them once). */
static void
test_export_focus_first_program (void)
{
  g_autofree char *root = NULL;
  g_autofree char *bin = NULL;
  g_autofree char *data = NULL;
  g_autofree char *apps = NULL;
  g_autofree char *geary = NULL;
  g_autofree char *old_path = NULL;
  g_autofree char *old_data = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      static const GActionEntry wizard_actions[] = {
        { .name = "next" },
        { .name = "export", .parameter_type = "s" },
      };
      g_autoptr(MsApplication) app = NULL;
      g_autoptr(GSimpleActionGroup) actions = NULL;
      GtkWidget *window;
      GtkWidget *page;
      GtkWidget *focus;
      GtkWidget *button;

      /* The application brings the resources with the page's template. */
      app = ms_application_new ();
      window = gtk_window_new ();
      /* The wizard's actions, which the buttons need to be enabled. */
      actions = g_simple_action_group_new ();
      g_action_map_add_action_entries (G_ACTION_MAP (actions), wizard_actions, G_N_ELEMENTS (wizard_actions), NULL);
      gtk_widget_insert_action_group (window, "wizard", G_ACTION_GROUP (actions));
      page = g_object_new (MS_TYPE_EXPORT_PAGE, NULL);
      gtk_window_set_child (GTK_WINDOW (window), page);
      gtk_window_present (GTK_WINDOW (window));
      wait_painted (window);

      ms_export_page_focus (MS_EXPORT_PAGE (page));
      focus = gtk_root_get_focus (GTK_ROOT (window));

      g_assert_nonnull (focus);

      /* Geary's button is the only program's. */
      button = find_button_with_label (find_by_id (page, "programs_group"), "_Add");
      g_assert_nonnull (button);
      g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL),
                       ==, "geary");
      if (focus != button)
        g_error ("the focus is on a %s “%s”, not on Geary's button", G_OBJECT_TYPE_NAME (focus),
                 GTK_IS_BUTTON (focus) ? gtk_button_get_label (GTK_BUTTON (focus)) : "");

      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  geary = g_find_program_in_path ("geary");
  if (geary == NULL)
    g_error ("Geary is not installed (build-aux/debian-packages.txt has it): cannot check the focus");
  root = g_build_filename (g_get_tmp_dir (), "ms-export-focus-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (root));
  bin = g_build_filename (root, "bin", NULL);
  data = g_build_filename (root, "share", NULL);
  apps = g_build_filename (data, "applications", NULL);
  link_into (bin, geary);
  link_into (apps, "/usr/share/applications/org.gnome.Geary.desktop");

  old_path = g_strdup (g_getenv ("PATH"));
  old_data = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_setenv ("PATH", bin, TRUE);
  g_setenv ("XDG_DATA_DIRS", data, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_setenv ("PATH", old_path, TRUE);
  if (old_data != NULL)
    g_setenv ("XDG_DATA_DIRS", old_data, TRUE);
  else
    g_unsetenv ("XDG_DATA_DIRS");
  g_test_trap_assert_passed ();

  for (guint i = 0; i < 2; i++)
    {
      const char *dir = i == 0 ? bin : apps;
      const char *name = i == 0 ? "geary" : "org.gnome.Geary.desktop";
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
      g_assert_cmpint (g_rmdir (dir), ==, 0);
    }
  g_assert_cmpint (g_rmdir (data), ==, 0);
  g_assert_cmpint (g_rmdir (root), ==, 0);
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
  g_test_add_func ("/ui/wizard/enter-on-choice", test_enter_on_choice);
  g_test_add_func ("/ui/wizard/continue-on-screen", test_continue_on_screen);
  g_test_add_func ("/ui/wizard/export-focus-first-program", test_export_focus_first_program);

  return g_test_run ();
}
