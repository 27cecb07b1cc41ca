/* ms-prefs-js.c: Mozilla's prefs.js and user.js, read and edited line by line
 *
 * The file is kept as its lines, each with its own line ending, so an edit
 * replaces, removes or appends whole lines and every other byte stays as it
 * was: the person's comments, their other accounts, Thunderbird's order.
 * The parser reads what Mozilla's pref parser reads in practice: one
 * statement after another, `//`, `#` and block comments, strings in double
 * or single quotes with the escapes \\ \" \' \n \r \xHH \uXXXX (surrogate
 * pairs joined), integers and booleans. A line it cannot read is a problem
 * with its number and is left alone, never half read. Values that could not
 * travel safely (a NUL, a lone surrogate, invalid UTF-8) are refused here,
 * so nothing downstream sees them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-syntax.h"
#include "ms-exporter.h"
#include "ms-prefs-js.h"

typedef struct
{
  char     *text;         /* without the line ending; NUL-terminated */
  gsize     text_length;  /* a hostile file may hold NUL bytes */
  char     *ending;       /* "\n", "\r\n" or "" (the last line) */
  guint     n_prefs;
  gboolean  mixed;        /* a block comment starts or ends on it too */
  gboolean  removed;
} PrefsLine;

struct _MsPrefsJs
{
  GPtrArray *lines;
  GPtrArray *prefs;
  GPtrArray *problems;
  gboolean   open_comment;  /* the text ends inside a block comment */
};

static void
prefs_line_free (gpointer data)
{
  PrefsLine *line = data;

  g_free (line->text);
  g_free (line->ending);
  g_free (line);
}

static void
pref_free (gpointer data)
{
  MsPref *pref = data;

  g_free (pref->name);
  g_free (pref->string);
  g_free (pref);
}

static void
problem_free (gpointer data)
{
  MsPrefsJsProblem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (MsPrefsJs  *self,
             guint       line,
             const char *message)
{
  MsPrefsJsProblem *problem = g_new0 (MsPrefsJsProblem, 1);

  problem->line = line;
  problem->message = g_strdup (message);
  g_ptr_array_add (self->problems, problem);
}

typedef enum
{
  SCAN_OK,
  SCAN_SYNTAX,
  SCAN_BAD_TEXT,
  SCAN_RANGE,
} ScanResult;

static void
skip_space (const char **p)
{
  while (**p == ' ' || **p == '\t' || **p == '\f' || **p == '\v')
    (*p)++;
}

static gboolean
read_hex (const char **p,
          guint        digits,
          gunichar    *value)
{
  *value = 0;
  for (guint i = 0; i < digits; i++)
    {
      int d = g_ascii_xdigit_value ((*p)[i]);

      if (d < 0)
        return FALSE;
      *value = *value * 16 + (gunichar) d;
    }
  *p += digits;
  return TRUE;
}

/* A \u escape, with the low half of a surrogate pair that follows. */
static ScanResult
read_unicode_escape (const char **p,
                     gunichar    *c)
{
  gunichar low;

  if (!read_hex (p, 4, c))
    return SCAN_SYNTAX;
  if (*c >= 0xdc00 && *c <= 0xdfff)
    return SCAN_BAD_TEXT;
  if (*c < 0xd800 || *c > 0xdbff)
    return SCAN_OK;
  if ((*p)[0] != '\\' || (*p)[1] != 'u')
    return SCAN_BAD_TEXT;
  *p += 2;
  if (!read_hex (p, 4, &low))
    return SCAN_SYNTAX;
  if (low < 0xdc00 || low > 0xdfff)
    return SCAN_BAD_TEXT;
  *c = 0x10000 + ((*c - 0xd800) << 10) + (low - 0xdc00);
  return SCAN_OK;
}

static ScanResult
read_escape (const char **p,
             GString     *out)
{
  gunichar c;
  ScanResult result;

  switch (*(*p)++)
    {
    case '"': g_string_append_c (out, '"'); return SCAN_OK;
    case '\'': g_string_append_c (out, '\''); return SCAN_OK;
    case '\\': g_string_append_c (out, '\\'); return SCAN_OK;
    case 'n': g_string_append_c (out, '\n'); return SCAN_OK;
    case 'r': g_string_append_c (out, '\r'); return SCAN_OK;
    case 'x':
      if (!read_hex (p, 2, &c))
        return SCAN_SYNTAX;
      break;
    case 'u':
      result = read_unicode_escape (p, &c);
      if (result != SCAN_OK)
        return result;
      break;
    default:
      return SCAN_SYNTAX;
    }

  if (c == 0)
    return SCAN_BAD_TEXT;
  g_string_append_unichar (out, c);
  return SCAN_OK;
}

static ScanResult
read_string (const char **p,
             char       **value)
{
  char quote = **p;
  g_autoptr(GString) out = g_string_new (NULL);

  if (quote != '"' && quote != '\'')
    return SCAN_SYNTAX;
  (*p)++;
  while (**p != quote)
    {
      ScanResult result;

      if (**p == '\0')
        return SCAN_SYNTAX;
      if (**p != '\\')
        {
          g_string_append_c (out, *(*p)++);
          continue;
        }
      (*p)++;
      result = read_escape (p, out);
      if (result != SCAN_OK)
        return result;
    }
  (*p)++;

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    return SCAN_BAD_TEXT;
  *value = g_string_free (g_steal_pointer (&out), FALSE);
  return SCAN_OK;
}

/* Mozilla's prefs are 32-bit integers; the parser refuses a bigger one. */
static ScanResult
read_value (const char **p,
            MsPref      *pref)
{
  const char *start = *p;

  if (**p == '"' || **p == '\'')
    {
      pref->type = MS_PREF_STRING;
      return read_string (p, &pref->string);
    }
  if (g_str_has_prefix (*p, "true") || g_str_has_prefix (*p, "false"))
    {
      pref->type = MS_PREF_BOOL;
      pref->boolean = **p == 't';
      *p += pref->boolean ? 4 : 5;
      return g_ascii_isalnum (**p) || **p == '_' ? SCAN_SYNTAX : SCAN_OK;
    }
  if (**p == '-' || **p == '+')
    (*p)++;
  if (!g_ascii_isdigit (**p))
    return SCAN_SYNTAX;
  while (g_ascii_isdigit (**p))
    (*p)++;
  if (*p - start > 11)
    return SCAN_RANGE;
  pref->type = MS_PREF_INT;
  pref->integer = g_ascii_strtoll (start, NULL, 10);
  if (pref->integer < G_MININT32 || pref->integer > G_MAXINT32)
    return SCAN_RANGE;
  return SCAN_OK;
}

static gboolean
read_word (const char **p,
           const char  *word)
{
  gsize length = strlen (word);

  if (strncmp (*p, word, length) != 0 || g_ascii_isalnum ((*p)[length]) || (*p)[length] == '_')
    return FALSE;
  *p += length;
  return TRUE;
}

static gboolean
read_char (const char **p,
           char         c)
{
  skip_space (p);
  if (**p != c)
    return FALSE;
  (*p)++;
  skip_space (p);
  return TRUE;
}

/* One `user_pref("name", value);` (or pref, sticky_pref) at @p. */
static ScanResult
read_statement (const char **p,
                MsPref      *pref)
{
  ScanResult result;

  if (!read_word (p, "user_pref") && !read_word (p, "sticky_pref") && !read_word (p, "pref"))
    return SCAN_SYNTAX;
  if (!read_char (p, '('))
    return SCAN_SYNTAX;
  result = read_string (p, &pref->name);
  if (result != SCAN_OK)
    return result;
  if (!read_char (p, ','))
    return SCAN_SYNTAX;
  result = read_value (p, pref);
  if (result != SCAN_OK)
    return result;
  if (!read_char (p, ')') || !read_char (p, ';'))
    return SCAN_SYNTAX;
  return SCAN_OK;
}

static const char *
scan_message (ScanResult result)
{
  switch (result)
    {
    case SCAN_BAD_TEXT:
      return _("This preference holds text Thunderbird cannot keep: a NUL character, half a surrogate pair, or bytes that are not UTF-8.");
    case SCAN_RANGE:
      return _("This preference’s number is too big for Thunderbird.");
    case SCAN_SYNTAX:
    case SCAN_OK:
    default:
      return _("This line is not a preference Thunderbird can read.");
    }
}

/* Reads every statement on one line; @in_comment carries a block comment
 * over to the next line. A broken statement ends the line's reading. */
static void
parse_line (MsPrefsJs  *self,
            PrefsLine  *line,
            guint       number,
            gboolean   *in_comment)
{
  const char *p = line->text;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      MsPref *pref;
      ScanResult result;

      skip_space (&p);
      if (*in_comment)
        {
          const char *end = strstr (p, "*/");

          line->mixed = TRUE;
          if (end == NULL)
            return;
          p = end + 2;
          *in_comment = FALSE;
          continue;
        }
      if (*p == '\0' || *p == '#' || g_str_has_prefix (p, "//"))
        return;
      if (g_str_has_prefix (p, "/*"))
        {
          p += 2;
          *in_comment = TRUE;
          line->mixed = TRUE;
          continue;
        }

      pref = g_new0 (MsPref, 1);
      pref->line = number;
      result = read_statement (&p, pref);
      if (result != SCAN_OK)
        {
          pref_free (pref);
          add_problem (self, number, scan_message (result));
          return;
        }
      line->n_prefs++;
      g_ptr_array_add (self->prefs, pref);
    }
}

static void
split_lines (MsPrefsJs  *self,
             const char *contents,
             gsize       length)
{
  const char *p = contents;
  const char *end = contents + length;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *stop = newline != NULL ? newline : end;
      PrefsLine *line = g_new0 (PrefsLine, 1);
      gsize text_length = stop - p;

      if (newline != NULL && text_length > 0 && stop[-1] == '\r')
        text_length--;
      line->text = g_malloc (text_length + 1);
      memcpy (line->text, p, text_length);
      line->text[text_length] = '\0';
      line->text_length = text_length;
      line->ending = g_strndup (p + text_length, (newline != NULL ? newline + 1 : end) - (p + text_length));
      g_ptr_array_add (self->lines, line);
      p = newline != NULL ? newline + 1 : end;
    }
}

/**
 * ms_prefs_js_parse:
 * @contents: the file's contents (hostile)
 * @length: its length, or -1 when NUL-terminated
 *
 * Never fails: what cannot be read is in ms_prefs_js_get_problems().
 */
MsPrefsJs *
ms_prefs_js_parse (const char *contents,
                   gssize      length)
{
  MsPrefsJs *self = g_new0 (MsPrefsJs, 1);
  gboolean in_comment = FALSE;

  self->lines = g_ptr_array_new_with_free_func (prefs_line_free);
  self->prefs = g_ptr_array_new_with_free_func (pref_free);
  self->problems = g_ptr_array_new_with_free_func (problem_free);

  if (contents == NULL)
    return self;
  split_lines (self, contents, length < 0 ? strlen (contents) : (gsize) length);

  for (guint i = 0; i < self->lines->len; i++)
    {
      PrefsLine *line = g_ptr_array_index (self->lines, i);

      /* A NUL byte would end C's view of the line early. */
      if (memchr (line->text, '\0', line->text_length) != NULL)
        {
          add_problem (self, i + 1, scan_message (SCAN_BAD_TEXT));
          continue;
        }
      parse_line (self, line, i + 1, &in_comment);
    }
  self->open_comment = in_comment;

  return self;
}

void
ms_prefs_js_free (MsPrefsJs *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->lines);
  g_ptr_array_unref (self->prefs);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

/* (element-type MsPrefsJsProblem) (transfer none) */
GPtrArray *
ms_prefs_js_get_problems (MsPrefsJs *self)
{
  return self->problems;
}

/* (element-type MsPref) (transfer none): in file order */
GPtrArray *
ms_prefs_js_get_prefs (MsPrefsJs *self)
{
  return self->prefs;
}

/* The last one wins, as when Mozilla reads the file. */
const MsPref *
ms_prefs_js_lookup (MsPrefsJs  *self,
                    const char *name)
{
  for (guint i = self->prefs->len; i > 0; i--)
    {
      const MsPref *pref = g_ptr_array_index (self->prefs, i - 1);

      if (g_str_equal (pref->name, name))
        return pref;
    }
  return NULL;
}

/* %NULL when the pref is missing or not a string. */
const char *
ms_prefs_js_get_string (MsPrefsJs  *self,
                        const char *name)
{
  const MsPref *pref = ms_prefs_js_lookup (self, name);

  return pref != NULL && pref->type == MS_PREF_STRING ? pref->string : NULL;
}

gboolean
ms_prefs_js_get_int (MsPrefsJs  *self,
                     const char *name,
                     gint64     *value)
{
  const MsPref *pref = ms_prefs_js_lookup (self, name);

  if (pref == NULL || pref->type != MS_PREF_INT)
    return FALSE;
  *value = pref->integer;
  return TRUE;
}

/* Every line that sets @name must hold that pref alone: an edit changes
 * whole lines, and must not take another pref, or the start or end of a
 * block comment, with it. */
static gboolean
check_lines (MsPrefsJs   *self,
             const char  *name,
             GError     **error)
{
  for (guint i = 0; i < self->prefs->len; i++)
    {
      const MsPref *pref = g_ptr_array_index (self->prefs, i);
      PrefsLine *line = g_ptr_array_index (self->lines, pref->line - 1);

      if (g_str_equal (pref->name, name) && (line->n_prefs > 1 || line->mixed))
        {
          g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                       _("Line %u of the preferences holds more than this preference (another one, or part of a comment); Mail Setup does not change such a line."),
                       pref->line);
          return FALSE;
        }
    }
  return TRUE;
}

/* Drops the lines that set @name, all but @keep (a line number, 0: none). */
static void
drop_lines (MsPrefsJs  *self,
            const char *name,
            guint       keep)
{
  for (guint i = self->prefs->len; i > 0; i--)
    {
      const MsPref *pref = g_ptr_array_index (self->prefs, i - 1);
      PrefsLine *line;

      if (!g_str_equal (pref->name, name) || pref->line == keep)
        continue;
      line = g_ptr_array_index (self->lines, pref->line - 1);
      line->removed = TRUE;
      line->n_prefs = 0;
      g_ptr_array_remove_index (self->prefs, i - 1);
    }
}

static gboolean
pref_equal (const MsPref *a,
            const MsPref *b)
{
  if (a->type != b->type)
    return FALSE;
  switch (a->type)
    {
    case MS_PREF_STRING:
      return g_strcmp0 (a->string, b->string) == 0;
    case MS_PREF_INT:
      return a->integer == b->integer;
    case MS_PREF_BOOL:
    default:
      return !a->boolean == !b->boolean;
    }
}

static gboolean
set_once_to (MsPrefsJs    *self,
             const MsPref *pref)
{
  const MsPref *found = NULL;

  for (guint i = 0; i < self->prefs->len; i++)
    {
      const MsPref *old = g_ptr_array_index (self->prefs, i);

      if (!g_str_equal (old->name, pref->name))
        continue;
      if (found != NULL)
        return FALSE;
      found = old;
    }
  return found != NULL && pref_equal (found, pref);
}

static char *
render_value (const MsPref  *pref,
              GError       **error)
{
  switch (pref->type)
    {
    case MS_PREF_STRING:
      return ms_export_syntax_js_string (pref->string, pref->name, "prefs.js", error);
    case MS_PREF_INT:
      if (pref->integer < G_MININT32 || pref->integer > G_MAXINT32)
        {
          g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                       _("The number for %s is too big for Thunderbird."), pref->name);
          return NULL;
        }
      return g_strdup_printf ("%" G_GINT64_FORMAT, pref->integer);
    case MS_PREF_BOOL:
    default:
      return g_strdup (pref->boolean ? "true" : "false");
    }
}

/* Sets @pref on the first line that sets its name (dropping the others)
 * or on a new line at the end, in the form Thunderbird writes. */
gboolean
ms_prefs_js_set_pref (MsPrefsJs     *self,
                      const MsPref  *pref,
                      GError       **error)
{
  g_autofree char *name = ms_export_syntax_js_string (pref->name, pref->name, "prefs.js", error);
  g_autofree char *value = NULL;
  MsPref *copy;
  PrefsLine *line = NULL;
  guint index = 0;

  if (name == NULL || (value = render_value (pref, error)) == NULL)
    return FALSE;
  /* The same value already set once: the line stays as Thunderbird wrote
   * it (it writes non-ASCII raw, this writes \uXXXX). */
  if (set_once_to (self, pref))
    return TRUE;
  if (!check_lines (self, pref->name, error))
    return FALSE;

  for (guint i = 0; i < self->prefs->len && line == NULL; i++)
    {
      MsPref *old = g_ptr_array_index (self->prefs, i);

      if (g_str_equal (old->name, pref->name))
        {
          line = g_ptr_array_index (self->lines, old->line - 1);
          drop_lines (self, pref->name, old->line);
          g_ptr_array_remove (self->prefs, old);
        }
    }

  if (line == NULL && self->open_comment)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                           _("The preferences end inside a comment that is never closed, so Mail Setup cannot add to them."));
      return FALSE;
    }
  if (line == NULL)
    {
      PrefsLine *last = self->lines->len > 0 ? g_ptr_array_index (self->lines, self->lines->len - 1) : NULL;

      if (last != NULL && *last->ending == '\0')
        {
          g_free (last->ending);
          last->ending = g_strdup ("\n");
        }
      line = g_new0 (PrefsLine, 1);
      line->ending = g_strdup ("\n");
      g_ptr_array_add (self->lines, line);
    }

  g_free (line->text);
  line->text = g_strdup_printf ("user_pref(%s, %s);", name, value);
  line->text_length = strlen (line->text);
  line->n_prefs = 1;
  g_ptr_array_find (self->lines, line, &index);
  copy = g_new0 (MsPref, 1);
  *copy = *pref;
  copy->name = g_strdup (pref->name);
  copy->string = g_strdup (pref->string);
  copy->line = index + 1;
  g_ptr_array_add (self->prefs, copy);

  return TRUE;
}

gboolean
ms_prefs_js_set_string (MsPrefsJs   *self,
                        const char  *name,
                        const char  *value,
                        GError     **error)
{
  MsPref pref = { (char *) name, MS_PREF_STRING, (char *) value, 0, FALSE, 0 };

  return ms_prefs_js_set_pref (self, &pref, error);
}

gboolean
ms_prefs_js_set_int (MsPrefsJs   *self,
                     const char  *name,
                     gint64       value,
                     GError     **error)
{
  MsPref pref = { (char *) name, MS_PREF_INT, NULL, value, FALSE, 0 };

  return ms_prefs_js_set_pref (self, &pref, error);
}

gboolean
ms_prefs_js_set_bool (MsPrefsJs   *self,
                      const char  *name,
                      gboolean     value,
                      GError     **error)
{
  MsPref pref = { (char *) name, MS_PREF_BOOL, NULL, 0, value, 0 };

  return ms_prefs_js_set_pref (self, &pref, error);
}

/* Removes every line that sets @name; nothing to remove is no error. */
gboolean
ms_prefs_js_remove (MsPrefsJs   *self,
                    const char  *name,
                    GError     **error)
{
  if (!check_lines (self, name, error))
    return FALSE;
  drop_lines (self, name, 0);
  return TRUE;
}

/* The file's new contents: the lines not removed, each as it was read
 * unless an edit replaced it. */
char *
ms_prefs_js_to_data (MsPrefsJs *self,
                     gsize     *length)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->lines->len; i++)
    {
      PrefsLine *line = g_ptr_array_index (self->lines, i);

      if (line->removed)
        continue;
      g_string_append_len (out, line->text, line->text_length);
      g_string_append (out, line->ending);
    }

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
