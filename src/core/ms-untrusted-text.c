/* ms-untrusted-text.c: the one sanitizer for text that came from outside
 *
 * A provider's display name, a server's reply, an HTTP reason phrase, a
 * certificate's subject: any of them can carry escape sequences that clear
 * a terminal or retitle a window, line breaks and line separators that
 * invent lines ("Result: the account works"), or bidi overrides that make
 * text read as something it does not say. Every surface (terminal, JSON,
 * the wizard's labels, logs) shows such text only through this function,
 * so there is one rule to read and to test. The result is plain text, never
 * markup: the wizard sets it with gtk_label_set_text().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-untrusted-text.h"

/**
 * ms_untrusted_text_is_hidden_character:
 *
 * Returns: whether @c is a character that changes how text around it is
 *   shown rather than being shown itself: C0/C1 controls and DEL, the line
 *   and paragraph separators, bidi embeddings, overrides, isolates and
 *   marks, zero-width characters and the byte-order mark
 */
gboolean
ms_untrusted_text_is_hidden_character (gunichar c)
{
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
    return TRUE;

  switch (c)
    {
    case 0x061C:                /* arabic letter mark */
    case 0x200B:                /* zero width space */
    case 0x200C:                /* zero width non-joiner */
    case 0x200D:                /* zero width joiner */
    case 0x200E:                /* left-to-right mark */
    case 0x200F:                /* right-to-left mark */
    case 0x2028:                /* line separator */
    case 0x2029:                /* paragraph separator */
    case 0x2060:                /* word joiner */
    case 0xFEFF:                /* byte-order mark */
      return TRUE;
    default:
      break;
    }

  return (c >= 0x202A && c <= 0x202E) ||  /* embeddings, overrides */
         (c >= 0x2066 && c <= 0x2069);    /* isolates */
}

static gboolean
is_blank (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         c == 0x2028 || c == 0x2029 || c == 0x85;
}

/**
 * ms_untrusted_text_sanitize_len:
 * @text: (nullable): untrusted text, in any encoding
 * @length: its length, or -1 when nul-terminated
 * @max_bytes: the most bytes the result may have (at least 8)
 *
 * Makes untrusted text safe to show and store on any surface: valid UTF-8
 * (invalid bytes become U+FFFD), every run of blanks and line breaks
 * (line and paragraph separators included) one space, hidden characters
 * (see ms_untrusted_text_is_hidden_character()) removed, surrounding space
 * trimmed, and at most @max_bytes (cut at a character, ending in "…").
 *
 * Returns: (transfer full) (nullable): the cleaned text, or %NULL when
 *   nothing visible is left
 */
char *
ms_untrusted_text_sanitize_len (const char *text,
                                gssize      length,
                                gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  GString *result;
  gboolean truncated;
  gboolean pending_space = FALSE;

  g_return_val_if_fail (max_bytes >= 8, NULL);

  if (text == NULL)
    return NULL;

  /* Never validate or copy more than could be shown: the input may be huge. */
  if (length < 0)
    length = strnlen (text, max_bytes * 4 + 1);
  truncated = (gsize) length > max_bytes * 4;
  if (truncated)
    length = max_bytes * 4;
  valid = g_utf8_make_valid (text, length);

  result = g_string_sized_new (MIN (max_bytes, (gsize) length) + 4);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char buffer[6];
      int n;

      if (is_blank (c))
        {
          pending_space = result->len > 0;
          continue;
        }
      if (ms_untrusted_text_is_hidden_character (c))
        continue;

      n = g_unichar_to_utf8 (c, buffer);
      if (result->len + (pending_space ? 1 : 0) + n > max_bytes)
        {
          truncated = TRUE;
          break;
        }
      if (pending_space)
        g_string_append_c (result, ' ');
      pending_space = FALSE;
      g_string_append_len (result, buffer, n);
    }

  if (result->len == 0)
    {
      g_string_free (result, TRUE);
      return NULL;
    }

  if (truncated)
    {
      /* Make room for the ellipsis within the limit. */
      while (result->len > max_bytes - strlen ("…"))
        {
          const char *last = g_utf8_find_prev_char (result->str, result->str + result->len);

          g_string_truncate (result, last - result->str);
        }
      while (result->len > 0 && result->str[result->len - 1] == ' ')
        g_string_truncate (result, result->len - 1);
      g_string_append (result, "…");
    }

  return g_string_free (result, FALSE);
}

/**
 * ms_untrusted_text_sanitize:
 * @text: (nullable): untrusted, nul-terminated text
 *
 * ms_untrusted_text_sanitize_len() for nul-terminated text.
 *
 * Returns: (transfer full) (nullable): the cleaned text
 */
char *
ms_untrusted_text_sanitize (const char *text,
                            gsize       max_bytes)
{
  return ms_untrusted_text_sanitize_len (text, -1, max_bytes);
}

/**
 * ms_untrusted_text_pool_sanitize:
 * @pool: a #GPtrArray that frees its elements with g_free()
 * @text: (nullable): untrusted, nul-terminated text
 *
 * ms_untrusted_text_sanitize() for building one line or document out of
 * several untrusted strings: the clean copy belongs to @pool and lives as
 * long as it does, so it can go straight into a printf-style call.
 *
 * Returns: (transfer none) (nullable): the cleaned text, "" when nothing
 *   visible is left, %NULL only when @text is %NULL
 */
const char *
ms_untrusted_text_pool_sanitize (GPtrArray  *pool,
                                 const char *text,
                                 gsize       max_bytes)
{
  char *clean;

  g_return_val_if_fail (pool != NULL, NULL);

  if (text == NULL)
    return NULL;

  clean = ms_untrusted_text_sanitize (text, max_bytes);
  if (clean == NULL)
    clean = g_strdup ("");
  g_ptr_array_add (pool, clean);

  return clean;
}

/**
 * ms_untrusted_text_to_markup:
 * @text: (nullable): untrusted text for a widget that only takes Pango
 *   markup (a toast's title, a status page's description)
 *
 * Sanitized, then escaped: a "<b>" or "&" in a server's name shows as
 * itself instead of restyling the text or breaking the markup.
 *
 * Returns: (transfer full): markup that shows exactly the cleaned text
 *   ("" when nothing visible is left)
 */
char *
ms_untrusted_text_to_markup (const char *text,
                             gsize       max_bytes)
{
  g_autofree char *clean = ms_untrusted_text_sanitize (text, max_bytes);

  return g_markup_escape_text (clean != NULL ? clean : "", -1);
}
