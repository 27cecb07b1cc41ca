/* ms-key-file-edit.c: change a few values of a GKeyFile-format file, every other byte as it was
 *
 * Evolution's sources, geary.ini and GOA's accounts.conf are GKeyFile
 * files, but a GKeyFile round trip rewrites spacing, blank lines and the
 * order of what it does not know. A repair must leave the person's other
 * accounts byte for byte, so this edits lines: it parses them as GKeyFile
 * does (leading blanks skipped, "#" comments, "[group]" up to its last
 * "]", "key = value" split at the first "=", the last of a repeated key
 * wins) and replaces only the value of the lines it is asked to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-key-file-edit.h"

struct _MsKeyFileEdit
{
  GPtrArray *lines;  /* each with its own end of line, if it had one */
};

/* Returns: (nullable): the lines of @contents, or %NULL when it holds a
 *   NUL byte (no key file does, and a line could not hold it) */
MsKeyFileEdit *
ms_key_file_edit_new (const char *contents,
                      gsize       length)
{
  MsKeyFileEdit *self;
  const char *end = contents + length;
  const char *p = contents;

  if (memchr (contents, '\0', length) != NULL)
    return NULL;

  self = g_new0 (MsKeyFileEdit, 1);
  self->lines = g_ptr_array_new_with_free_func (g_free);
  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *next = newline != NULL ? newline + 1 : end;

      g_ptr_array_add (self->lines, g_strndup (p, next - p));
      p = next;
    }

  return self;
}

void
ms_key_file_edit_free (MsKeyFileEdit *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->lines);
  g_free (self);
}

/* The group a "[group]" line opens, or NULL for any other line. */
static char *
line_group (const char *line)
{
  const char *start = line;
  const char *close;

  while (g_ascii_isspace (*start))
    start++;
  if (*start != '[' || (close = strrchr (start, ']')) == NULL)
    return NULL;

  return g_strndup (start + 1, close - start - 1);
}

/* Whether @line sets @key, and where its value starts. */
static gboolean
line_sets (const char  *line,
           const char  *key,
           gsize       *value_offset)
{
  const char *start = line;
  const char *equals;
  const char *key_end;
  const char *value;

  while (g_ascii_isspace (*start))
    start++;
  if (*start == '#' || *start == '[' || (equals = strchr (start, '=')) == NULL)
    return FALSE;

  key_end = equals;
  while (key_end > start && g_ascii_isspace (key_end[-1]))
    key_end--;
  if ((gsize) (key_end - start) != strlen (key) || strncmp (start, key, key_end - start) != 0)
    return FALSE;

  value = equals + 1;
  while (*value == ' ' || *value == '\t')
    value++;
  *value_offset = value - line;

  return TRUE;
}

static gboolean
line_is_blank_or_comment (const char *line)
{
  while (g_ascii_isspace (*line))
    line++;

  return *line == '\0' || *line == '#';
}

/* Line indices (0-based) of the last line setting @key in @group, and of
 * the last key line in @group (where a new key goes); G_MAXUINT if none. */
static void
scan (MsKeyFileEdit *self,
      const char    *group,
      const char    *key,
      guint         *key_line,
      guint         *group_end)
{
  g_autofree char *current = NULL;

  *key_line = G_MAXUINT;
  *group_end = G_MAXUINT;
  for (guint i = 0; i < self->lines->len; i++)
    {
      const char *line = g_ptr_array_index (self->lines, i);
      char *opened = line_group (line);
      gsize offset;

      if (opened != NULL)
        {
          g_free (current);
          current = opened;
          if (g_strcmp0 (current, group) == 0)
            *group_end = i;
          continue;
        }
      if (g_strcmp0 (current, group) != 0)
        continue;
      if (!line_is_blank_or_comment (line))
        *group_end = i;
      if (key != NULL && line_sets (line, key, &offset))
        *key_line = i;
    }
}

gboolean
ms_key_file_edit_has_group (MsKeyFileEdit *self,
                            const char    *group)
{
  guint key_line, group_end;

  scan (self, group, NULL, &key_line, &group_end);

  return group_end != G_MAXUINT;
}

/* Returns: the line (1-based) that sets @key in @group, 0 if none does */
guint
ms_key_file_edit_find (MsKeyFileEdit *self,
                       const char    *group,
                       const char    *key)
{
  guint key_line, group_end;

  scan (self, group, key, &key_line, &group_end);

  return key_line == G_MAXUINT ? 0 : key_line + 1;
}

static const char *
line_ending (const char *line)
{
  gsize length = strlen (line);

  if (length >= 2 && line[length - 2] == '\r' && line[length - 1] == '\n')
    return "\r\n";
  if (length >= 1 && line[length - 1] == '\n')
    return "\n";

  return "";
}

/* The file's last line gets the end of line it lacked, so that a line
 * added after it starts a line of its own. */
static void
terminate_last_line (MsKeyFileEdit *self)
{
  char **last;

  if (self->lines->len == 0)
    return;
  last = (char **) &g_ptr_array_index (self->lines, self->lines->len - 1);
  if (*line_ending (*last) == '\0')
    {
      char *terminated = g_strconcat (*last, "\n", NULL);

      g_free (*last);
      *last = terminated;
    }
}

/**
 * ms_key_file_edit_set_value:
 * @value: the value as it goes in the file (already escaped)
 *
 * Replaces the value of the line that sets @key in @group, keeping what
 * comes before the value and the line's end; a key the group lacks is
 * added after its last key, a group the file lacks at its end.
 */
void
ms_key_file_edit_set_value (MsKeyFileEdit *self,
                            const char    *group,
                            const char    *key,
                            const char    *value)
{
  guint key_line, group_end;

  scan (self, group, key, &key_line, &group_end);
  if (key_line != G_MAXUINT)
    {
      char **line = (char **) &g_ptr_array_index (self->lines, key_line);
      gsize offset;
      char *replaced;

      line_sets (*line, key, &offset);
      replaced = g_strdup_printf ("%.*s%s%s", (int) offset, *line, value, line_ending (*line));
      g_free (*line);
      *line = replaced;
      return;
    }

  if (group_end == G_MAXUINT)
    {
      terminate_last_line (self);
      if (self->lines->len > 0)
        g_ptr_array_add (self->lines, g_strdup ("\n"));
      g_ptr_array_add (self->lines, g_strdup_printf ("[%s]\n", group));
      group_end = self->lines->len - 1;
    }
  else if (group_end == self->lines->len - 1)
    terminate_last_line (self);

  g_ptr_array_insert (self->lines, group_end + 1, g_strdup_printf ("%s=%s\n", key, value));
}

/* @string escaped by GKeyFile itself, as the program's own GKeyFile
 * writes and reads it. */
void
ms_key_file_edit_set_string (MsKeyFileEdit *self,
                             const char    *group,
                             const char    *key,
                             const char    *string)
{
  g_autoptr(GKeyFile) escaper = g_key_file_new ();
  g_autofree char *value = NULL;

  g_key_file_set_string (escaper, "g", "k", string);
  value = g_key_file_get_value (escaper, "g", "k", NULL);
  ms_key_file_edit_set_value (self, group, key, value);
}

char *
ms_key_file_edit_to_data (MsKeyFileEdit *self,
                          gsize         *length)
{
  GString *data = g_string_new (NULL);

  for (guint i = 0; i < self->lines->len; i++)
    g_string_append (data, g_ptr_array_index (self->lines, i));
  if (length != NULL)
    *length = data->len;

  return g_string_free (data, FALSE);
}
