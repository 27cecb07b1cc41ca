/* ms-repair-change-row.c: one setting a repair changes, old → new, and its files
 *
 * The diagnosis page shows these before anything is written, the summary
 * after: the same rows, so the person sees that what was promised is
 * what happened. Not a subclass: a row with a title and a subtitle.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-repair-change-row.h"

/* The stable field names of docs/cli-json.md, in words. */
static const char *
field_title (const char *field)
{
  static const struct { const char *field; const char *title; } titles[] = {
    { "incoming.hostname", N_("Receiving mail: server") },
    { "incoming.port", N_("Receiving mail: port") },
    { "incoming.security", N_("Receiving mail: encryption") },
    { "incoming.username", N_("Receiving mail: username") },
    { "outgoing.hostname", N_("Sending mail: server") },
    { "outgoing.port", N_("Sending mail: port") },
    { "outgoing.security", N_("Sending mail: encryption") },
    { "outgoing.username", N_("Sending mail: username") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (field, titles[i].field) == 0)
      return _(titles[i].title);

  return field;
}

GtkWidget *
ms_repair_change_row_new (const MsRepairChange *change)
{
  GtkWidget *row;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (change != NULL, NULL);

  /* Translators: a setting before and after a repair: "143 → 993";
   * (none) when the program had no value */
  subtitle = g_strdup_printf (_("%s → %s"),
                              change->old_value != NULL ? change->old_value : _("(none)"),
                              change->new_value != NULL ? change->new_value : _("(none)"));

  row = adw_action_row_new ();
  /* The old values come from another program's file: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field_title (change->field));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  return row;
}

/**
 * ms_repair_describe_files:
 *
 * Returns: the files, one a line, with the home folder as "~": what the
 *   person knows them as
 */
char *
ms_repair_describe_files (const char * const *files)
{
  const char *home = g_get_home_dir ();
  gsize home_length = strlen (home);
  GString *text = g_string_new (NULL);

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      const char *file = files[i];

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (home_length > 1 && g_str_has_prefix (file, home) && file[home_length] == G_DIR_SEPARATOR)
        g_string_append_printf (text, "~%s", file + home_length);
      else
        g_string_append (text, file);
    }

  return g_string_free (text, FALSE);
}
