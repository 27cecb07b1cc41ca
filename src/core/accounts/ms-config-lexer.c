/* ms-config-lexer.c: lines, quoted words and in-place edits for the terminal mail programs' files
 *
 * Offsets, never pointers into the text, so that a word found while reading
 * is the span an edit replaces when repairing, byte for byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-config-lexer.h"

/**
 * ms_config_lexer_check:
 *
 * A NUL byte or invalid UTF-8 means the file is not a text file any of
 * these programs wrote; the readers refuse it whole rather than guess.
 */
gboolean
ms_config_lexer_check (const char  *contents,
                       gsize        length,
                       char       **why)
{
  if (memchr (contents, '\0', length) != NULL)
    {
      *why = g_strdup (_("The file contains a NUL byte: it is not a text file."));
      return FALSE;
    }
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      *why = g_strdup (_("The file is not valid UTF-8 text."));
      return FALSE;
    }

  return TRUE;
}

/* Lines end at "\n"; a "\r" before it belongs to no value. */
gboolean
ms_config_lexer_next_line (const char   *contents,
                           gsize         length,
                           gsize        *offset,
                           MsConfigLine *line)
{
  const char *nl;

  if (*offset >= length)
    return FALSE;

  line->number++;
  line->start = *offset;
  nl = memchr (contents + *offset, '\n', length - *offset);
  line->end = nl != NULL ? (gsize) (nl - contents) : length;
  *offset = nl != NULL ? line->end + 1 : length;
  if (line->end > line->start && contents[line->end - 1] == '\r')
    line->end--;

  return TRUE;
}

gsize
ms_config_lexer_skip_space (const char *contents,
                            gsize       offset,
                            gsize       end)
{
  while (offset < end && (contents[offset] == ' ' || contents[offset] == '\t'))
    offset++;

  return offset;
}

gsize
ms_config_lexer_trim_end (const char *contents,
                          gsize       start,
                          gsize       end)
{
  while (end > start && (contents[end - 1] == ' ' || contents[end - 1] == '\t'))
    end--;

  return end;
}

gboolean
ms_config_lexer_is_blank (const char         *contents,
                          const MsConfigLine *line)
{
  return ms_config_lexer_skip_space (contents, line->start, line->end) == line->end;
}

static void
clear_word (gpointer data)
{
  MsConfigWord *word = data;

  g_clear_pointer (&word->value, g_free);
}

/**
 * ms_config_lexer_split:
 * @unterminated: (out) (optional): set when a quote is left open
 *
 * Splits [@start, @end) into words at unquoted blanks.
 *
 * Returns: (transfer full) (element-type MsConfigWord): the words
 */
GArray *
ms_config_lexer_split (const char      *contents,
                       gsize            start,
                       gsize            end,
                       MsConfigQuoting  quoting,
                       gboolean        *unterminated)
{
  GArray *words = g_array_new (FALSE, TRUE, sizeof (MsConfigWord));
  gsize i = ms_config_lexer_skip_space (contents, start, end);
  char quote = '\0';

  g_array_set_clear_func (words, clear_word);
  while (i < end)
    {
      MsConfigWord word = { i, i, NULL };
      GString *value = g_string_new (NULL);

      if ((quoting & MS_CONFIG_QUOTING_HASH_COMMENT) && contents[i] == '#')
        {
          g_string_free (value, TRUE);
          break;
        }
      for (; i < end; i++)
        {
          char c = contents[i];

          if (quote == '\0' && (c == ' ' || c == '\t'))
            break;
          if (quote != '\'' && c == '\\' && (quoting & MS_CONFIG_QUOTING_BACKSLASH) && i + 1 < end)
            g_string_append_c (value, contents[++i]);
          else if (c == quote)
            quote = '\0';
          else if (quote == '\0' && ((c == '"' && (quoting & MS_CONFIG_QUOTING_DOUBLE)) ||
                                     (c == '\'' && (quoting & MS_CONFIG_QUOTING_SINGLE))))
            quote = c;
          else
            g_string_append_c (value, c);
        }
      word.end = i;
      word.value = g_string_free (value, FALSE);
      g_array_append_val (words, word);
      i = ms_config_lexer_skip_space (contents, i, end);
    }

  if (unterminated != NULL)
    *unterminated = quote != '\0';

  return words;
}

static void
clear_edit (gpointer data)
{
  MsConfigEdit *edit = data;

  g_clear_pointer (&edit->text, g_free);
}

GArray *
ms_config_edits_new (void)
{
  GArray *edits = g_array_new (FALSE, TRUE, sizeof (MsConfigEdit));

  g_array_set_clear_func (edits, clear_edit);

  return edits;
}

/* Takes @text. */
void
ms_config_edits_add (GArray *edits,
                     gsize   start,
                     gsize   end,
                     char   *text)
{
  MsConfigEdit edit = { start, end, text };

  g_assert (start <= end);
  g_array_append_val (edits, edit);
}

/* Inserts the lines in @added (if any) at @at, after a "\n" when the
 * line before @at has none (@needs_break): the settings a repair adds. */
void
ms_config_edits_insert_lines (GArray        *edits,
                              gsize          at,
                              gboolean       needs_break,
                              const GString *added)
{
  if (added->len > 0)
    ms_config_edits_add (edits, at, at, g_strconcat (needs_break ? "\n" : "", added->str, NULL));
}

static int
compare_edits (gconstpointer a,
               gconstpointer b)
{
  const MsConfigEdit *x = a;
  const MsConfigEdit *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;

  return 0;
}

/**
 * ms_config_edits_apply:
 *
 * Edits must not overlap; insertions at one offset keep the order they
 * were added in.
 *
 * Returns: (transfer full): @contents with every edit made
 */
char *
ms_config_edits_apply (GArray     *edits,
                       const char *contents,
                       gsize       length)
{
  GString *out = g_string_sized_new (length + 256);
  gsize at = 0;

  g_array_sort (edits, compare_edits);
  for (guint i = 0; i < edits->len; i++)
    {
      const MsConfigEdit *edit = &g_array_index (edits, MsConfigEdit, i);

      g_assert (edit->start >= at && edit->end <= length);
      g_string_append_len (out, contents + at, edit->start - at);
      g_string_append (out, edit->text);
      at = edit->end;
    }
  g_string_append_len (out, contents + at, length - at);

  return g_string_free (out, FALSE);
}

static gboolean
is_plain_word (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@.-_:+", *p) == NULL)
      return FALSE;

  return TRUE;
}

/**
 * ms_config_secret_tool_parse:
 * @schema: (out) (nullable): the xdg:schema attribute, if any
 * @attributes: (out): the other attributes
 *
 * Recognises "secret-tool lookup NAME VALUE ..." made of plain words
 * only (what ms-keyring-command.c writes, and what people type), so the
 * item can be found without ever running the command. Anything else
 * (a pipe, a quote, a variable) is a command we do not run.
 */
gboolean
ms_config_secret_tool_parse (const char  *command,
                             char       **schema,
                             GHashTable **attributes)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GHashTable) found = NULL;
  guint n;

  *schema = NULL;
  *attributes = NULL;
  {
    g_auto(GStrv) split = g_strsplit_set (command, " \t", -1);
    GStrvBuilder *builder = g_strv_builder_new ();

    for (guint i = 0; split[i] != NULL; i++)
      if (*split[i] != '\0')
        g_strv_builder_add (builder, split[i]);
    words = g_strv_builder_end (builder);
    g_strv_builder_unref (builder);
  }

  n = g_strv_length (words);
  if (n < 4 || n % 2 != 0 ||
      (g_strcmp0 (words[0], "secret-tool") != 0 && g_strcmp0 (words[0], "/usr/bin/secret-tool") != 0) ||
      g_strcmp0 (words[1], "lookup") != 0)
    return FALSE;

  found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 2; i < n; i += 2)
    {
      if (!is_plain_word (words[i]) || !is_plain_word (words[i + 1]))
        {
          g_clear_pointer (schema, g_free);
          return FALSE;
        }
      if (g_str_equal (words[i], "xdg:schema"))
        {
          g_free (*schema);
          *schema = g_strdup (words[i + 1]);
        }
      else
        g_hash_table_replace (found, g_strdup (words[i]), g_strdup (words[i + 1]));
    }

  *attributes = g_steal_pointer (&found);
  return TRUE;
}
