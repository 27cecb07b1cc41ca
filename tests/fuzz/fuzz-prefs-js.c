/* fuzz-prefs-js.c: libFuzzer target for the prefs.js reader and editor
 *
 * The input is a hostile prefs.js or user.js. Unedited, it must come back
 * byte for byte; every value read must be valid UTF-8 without a NUL; an
 * edit must read back as what was set, with no problem the input did not
 * already have.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-prefs-js.h"

#include "fuzz-common.h"

static void
check_prefs (MsPrefsJs *prefs)
{
  GPtrArray *list = ms_prefs_js_get_prefs (prefs);

  for (guint i = 0; i < list->len; i++)
    {
      const MsPref *pref = g_ptr_array_index (list, i);

      g_assert_true (g_utf8_validate (pref->name, -1, NULL));
      g_assert_true (pref->type != MS_PREF_STRING || g_utf8_validate (pref->string, -1, NULL));
      g_assert_true (pref->type != MS_PREF_INT || (pref->integer >= G_MININT32 && pref->integer <= G_MAXINT32));
      g_assert_cmpuint (pref->line, >, 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsPrefsJs) prefs = NULL;
  g_autoptr(MsPrefsJs) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *edited = NULL;
  GPtrArray *list;
  gsize length = 0;
  guint problems;

  fuzz_init ();

  prefs = ms_prefs_js_parse ((const char *) data, size);
  check_prefs (prefs);
  text = ms_prefs_js_to_data (prefs, &length);
  g_assert_cmpmem (text, length, data, size);

  problems = ms_prefs_js_get_problems (prefs)->len;
  list = ms_prefs_js_get_prefs (prefs);
  if (list->len > 0)
    {
      g_autofree char *name = g_strdup (((MsPref *) g_ptr_array_index (list, 0))->name);

      if (ms_prefs_js_set_string (prefs, name, "Zoë \"\\ 𝄞", &error))
        {
          (void) ms_prefs_js_remove (prefs, name, NULL);
          g_assert_null (ms_prefs_js_lookup (prefs, name));
        }
      g_clear_error (&error);
    }
  if (ms_prefs_js_set_int (prefs, "fuzz.added", -7, NULL))
    {
      gint64 value = 0;

      edited = ms_prefs_js_to_data (prefs, &length);
      again = ms_prefs_js_parse (edited, length);
      check_prefs (again);
      g_assert_true (ms_prefs_js_get_int (again, "fuzz.added", &value));
      g_assert_cmpint (value, ==, -7);
      /* An unterminated block comment at the end swallows the new line. */
      g_assert_cmpuint (ms_prefs_js_get_problems (again)->len, <=, problems + 1);
    }

  return 0;
}
