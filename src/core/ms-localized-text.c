/* ms-localized-text.c: a text with language variants, as provider files give them
 *
 * Providers and their profiles both carry such texts (a notice, a profile's
 * name); neither type owns the rule for picking a language, so it lives here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-localized-text.h"

static char *
normalize_lang (const char *lang)
{
  char *normal;

  if (lang == NULL)
    return g_strdup ("");

  /* Files say "pt-BR", g_get_language_names() says "pt_BR". */
  normal = g_strdup (lang);
  g_strdelimit (normal, "-", '_');

  return normal;
}

void
ms_localized_text_add (GHashTable **table,
                       const char  *lang,
                       const char  *text)
{
  g_assert (table != NULL);
  g_assert (text != NULL);

  if (*table == NULL)
    *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_replace (*table, normalize_lang (lang), g_strdup (text));
}

const char *
ms_localized_text_lookup (GHashTable *table)
{
  const char * const *languages;
  const char *text;

  if (table == NULL)
    return NULL;

  languages = g_get_language_names ();
  for (guint i = 0; languages[i] != NULL; i++)
    {
      /* "C" ends the list: English, which is the untagged text. */
      if (g_str_equal (languages[i], "C") || g_str_equal (languages[i], "POSIX"))
        break;

      text = g_hash_table_lookup (table, languages[i]);
      if (text != NULL)
        return text;
    }

  if ((text = g_hash_table_lookup (table, "")) != NULL ||
      (text = g_hash_table_lookup (table, "en")) != NULL)
    return text;

  /* Only other languages: better than nothing. */
  {
    GHashTableIter iter;
    gpointer value = NULL;

    g_hash_table_iter_init (&iter, table);
    if (g_hash_table_iter_next (&iter, NULL, &value))
      return value;
  }

  return NULL;
}
