/* ms-config-lexer.h: lines, quoted words and in-place edits for the terminal mail programs' files
 *
 * msmtp, mbsync, neomutt and aerc each have their own quoting; what they
 * share is a file of lines, where a reader needs each value's text and
 * its exact byte span so that a repair rewrites that span and nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MsConfigLine:
 * @number: the line number, from 1
 * @start: offset of the line's first byte in the file
 * @end: offset just past its last byte (before the line break)
 *
 * One line of a file.
 */
typedef struct
{
  guint number;
  gsize start;
  gsize end;
} MsConfigLine;

/**
 * MsConfigQuoting:
 * @MS_CONFIG_QUOTING_DOUBLE: "..." groups words
 * @MS_CONFIG_QUOTING_SINGLE: '...' groups words, with no escapes inside
 * @MS_CONFIG_QUOTING_BACKSLASH: a backslash takes the next character as it is
 * @MS_CONFIG_QUOTING_HASH_COMMENT: an unquoted "#" ends the line
 *
 * What a program's word splitter knows.
 */
typedef enum
{
  MS_CONFIG_QUOTING_DOUBLE       = 1 << 0,
  MS_CONFIG_QUOTING_SINGLE       = 1 << 1,
  MS_CONFIG_QUOTING_BACKSLASH    = 1 << 2,
  MS_CONFIG_QUOTING_HASH_COMMENT = 1 << 3,
} MsConfigQuoting;

/**
 * MsConfigWord:
 * @start: offset of its first byte in the file (a quote included)
 * @end: offset just past its last byte
 * @value: the word with quotes and escapes removed
 */
typedef struct
{
  gsize  start;
  gsize  end;
  char  *value;
} MsConfigWord;

gboolean   ms_config_lexer_check        (const char        *contents,
                                         gsize              length,
                                         char             **why);
gboolean   ms_config_lexer_next_line    (const char        *contents,
                                         gsize              length,
                                         gsize             *offset,
                                         MsConfigLine      *line);
gsize      ms_config_lexer_skip_space   (const char        *contents,
                                         gsize              offset,
                                         gsize              end);
gsize      ms_config_lexer_trim_end     (const char        *contents,
                                         gsize              start,
                                         gsize              end);
gboolean   ms_config_lexer_is_blank     (const char        *contents,
                                         const MsConfigLine *line);
GArray    *ms_config_lexer_split        (const char        *contents,
                                         gsize              start,
                                         gsize              end,
                                         MsConfigQuoting    quoting,
                                         gboolean          *unterminated);

/* One replacement of the bytes [start, end) by @text; an insertion has
 * start == end. */
typedef struct
{
  gsize  start;
  gsize  end;
  char  *text;
} MsConfigEdit;

GArray    *ms_config_edits_new          (void);
void       ms_config_edits_add          (GArray            *edits,
                                         gsize              start,
                                         gsize              end,
                                         char              *text);
void       ms_config_edits_insert_lines (GArray            *edits,
                                         gsize              at,
                                         gboolean           needs_break,
                                         const GString     *added);
char      *ms_config_edits_apply        (GArray            *edits,
                                         const char        *contents,
                                         gsize              length);

gboolean   ms_config_secret_tool_parse  (const char        *command,
                                         char             **schema,
                                         GHashTable       **attributes);

G_END_DECLS
