/* test-wizard-es.c: the wizard in Spanish, with a screenshot of the account page
 *
 * Uses the catalogue compiled in the build tree (po/es/LC_MESSAGES), so
 * it checks the translation as built, not an installed one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wizard-test-util.h"

static void
test_spanish (void)
{
  WizardFixture f = { 0 };
  GtkWidget *button;

  wizard_fixture_open (&f, 480, 720);
  screenshot (GTK_WIDGET (f.window), "wizard-welcome-es.png");

  button = find_visible_by_id (f.wizard, "start_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), !=, "_Set Up an Account");
  click (button);
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);

  set_text (f.wizard, "name_row", "Alicia Ejemplo");
  set_text (f.wizard, "address_row", "jsmith");
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (find_visible_by_id (f.wizard, "address_hint"))),
                                   "Su dirección"));
  screenshot (GTK_WIDGET (f.window), "wizard-account-es.png");

  set_text (f.wizard, "address_row", "jsmith@charter");
  screenshot (GTK_WIDGET (f.window), "wizard-account-error-es.png");

  wizard_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  const char *build_root = g_getenv ("MS_BUILD_ROOT");
  g_autofree char *locale_dir = NULL;
  g_autofree char *catalogue = NULL;

  if (build_root == NULL)
    g_error ("MS_BUILD_ROOT is not set: run this through meson test");

  locale_dir = g_build_filename (build_root, "po", NULL);
  catalogue = g_build_filename (locale_dir, "es", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (catalogue, G_FILE_TEST_EXISTS))
    g_error ("%s is missing: build the translations first", catalogue);

  /* C.UTF-8 is the one locale every system has; LANGUAGE picks the
   * catalogue (gettext ignores it only under the plain "C" locale). */
  g_setenv ("LANGUAGE", "es", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/wizard/spanish", test_spanish);

  return g_test_run ();
}
