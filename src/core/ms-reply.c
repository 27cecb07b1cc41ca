/* ms-reply.c: one server reply of IMAP, POP3 or SMTP, read line by line
 *
 * The parsers never trust the server: every line is checked against the
 * grammar, and size limits stop a server that never ends its reply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-reply.h"

G_DEFINE_QUARK (ms-reply-error-quark, ms_reply_error)

MsReply *
ms_reply_new (MsReplyKind  kind,
              const char  *tag)
{
  MsReply *self = g_new0 (MsReply, 1);

  g_return_val_if_fail (kind != MS_REPLY_KIND_IMAP_TAGGED || tag != NULL, NULL);

  self->kind = kind;
  self->tag = g_strdup (tag);
  self->lines = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
ms_reply_free (MsReply *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_free (self->response_code);
  g_free (self->text);
  g_free (self->tag);
  g_free (self);
}

gboolean
ms_reply_is_complete (const MsReply *self)
{
  return self->complete;
}

gboolean
ms_reply_is_ok (const MsReply *self)
{
  return self->complete && self->status == MS_REPLY_STATUS_OK;
}

static gboolean
set_malformed (GError     **error,
               const char  *what)
{
  g_set_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED,
               "Unexpected reply from the server (%s)", what);
  return FALSE;
}

/* "[CODE args] text": keeps CODE (up to the first space) as the response
 * code and the rest of the line as text. */
static void
take_response_code (MsReply    *self,
                    const char *rest)
{
  const char *end;

  g_clear_pointer (&self->response_code, g_free);

  while (*rest == ' ')
    rest++;

  if (*rest == '[' && (end = strchr (rest, ']')) != NULL)
    {
      gsize len = strcspn (rest + 1, " ]");

      self->response_code = g_ascii_strup (rest + 1, len);
      rest = end + 1;
      while (*rest == ' ')
        rest++;
    }

  g_free (self->text);
  self->text = g_strdup (rest);
}

/* Returns the text after WORD if LINE starts with WORD followed by a space
 * or the end of the line, case-insensitively. */
static const char *
after_word (const char *line,
            const char *word)
{
  gsize len = strlen (word);

  if (g_ascii_strncasecmp (line, word, len) != 0)
    return NULL;
  if (line[len] == '\0')
    return line + len;
  if (line[len] == ' ')
    return line + len + 1;

  return NULL;
}

static gboolean
feed_smtp (MsReply     *self,
           const char  *line,
           GError     **error)
{
  guint code;

  if (!g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]) ||
      (line[3] != '\0' && line[3] != ' ' && line[3] != '-'))
    return set_malformed (error, "not an SMTP reply line");

  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (code < 200 || code > 599)
    return set_malformed (error, "SMTP code out of range");
  if (self->smtp_code != 0 && self->smtp_code != code)
    return set_malformed (error, "SMTP reply changes its code mid-reply");

  self->smtp_code = code;
  g_free (self->text);
  self->text = g_strdup (line[3] != '\0' ? line + 4 : "");

  if (line[3] == '-')
    return TRUE;

  self->complete = TRUE;
  if (code == 334)
    self->status = MS_REPLY_STATUS_CONTINUE;
  else if (code < 400)
    self->status = MS_REPLY_STATUS_OK;
  else
    self->status = MS_REPLY_STATUS_NO;

  return TRUE;
}

static gboolean
feed_pop3_status (MsReply     *self,
                  const char  *line,
                  GError     **error)
{
  const char *rest;

  if ((rest = after_word (line, "+OK")) != NULL)
    self->status = MS_REPLY_STATUS_OK;
  else if ((rest = after_word (line, "-ERR")) != NULL)
    self->status = MS_REPLY_STATUS_NO;
  else if ((rest = after_word (line, "+")) != NULL)
    self->status = MS_REPLY_STATUS_CONTINUE;
  else
    return set_malformed (error, "not a POP3 status line");

  take_response_code (self, rest);

  return TRUE;
}

static gboolean
feed_pop3 (MsReply     *self,
           const char  *line,
           GError     **error)
{
  if (self->kind == MS_REPLY_KIND_POP3_MULTILINE && self->in_body)
    {
      if (g_str_equal (line, "."))
        self->complete = TRUE;
      return TRUE;
    }

  if (!feed_pop3_status (self, line, error))
    return FALSE;

  if (self->kind == MS_REPLY_KIND_POP3_MULTILINE && self->status == MS_REPLY_STATUS_OK)
    self->in_body = TRUE;
  else
    self->complete = TRUE;

  return TRUE;
}

static gboolean
imap_status_from_word (const char     *line,
                       MsReplyStatus  *status,
                       const char    **rest)
{
  static const struct {
    const char    *word;
    MsReplyStatus  status;
  } words[] = {
    { "OK", MS_REPLY_STATUS_OK },
    { "NO", MS_REPLY_STATUS_NO },
    { "BAD", MS_REPLY_STATUS_BAD },
    { "BYE", MS_REPLY_STATUS_BYE },
    { "PREAUTH", MS_REPLY_STATUS_PREAUTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if ((*rest = after_word (line, words[i].word)) != NULL)
        {
          *status = words[i].status;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
feed_imap (MsReply     *self,
           const char  *line,
           GError     **error)
{
  MsReplyStatus status;
  const char *rest;

  if (self->kind == MS_REPLY_KIND_IMAP_GREETING)
    {
      if (strncmp (line, "* ", 2) != 0 || !imap_status_from_word (line + 2, &status, &rest) ||
          status == MS_REPLY_STATUS_NO || status == MS_REPLY_STATUS_BAD)
        return set_malformed (error, "not an IMAP greeting");

      self->status = status;
      take_response_code (self, rest);
      self->complete = TRUE;
      return TRUE;
    }

  if (strncmp (line, "* ", 2) == 0)
    {
      /* An untagged BYE means the server is closing; the tagged reply may
       * never come, so the caller sees BYE if the connection ends. */
      if (imap_status_from_word (line + 2, &status, &rest) && status == MS_REPLY_STATUS_BYE)
        {
          self->status = MS_REPLY_STATUS_BYE;
          take_response_code (self, rest);
        }
      return TRUE;
    }

  if (line[0] == '+' && (line[1] == '\0' || line[1] == ' '))
    {
      self->status = MS_REPLY_STATUS_CONTINUE;
      g_free (self->text);
      self->text = g_strdup (line[1] != '\0' ? line + 2 : "");
      self->complete = TRUE;
      return TRUE;
    }

  if ((rest = after_word (line, self->tag)) != NULL && rest > line + strlen (self->tag))
    {
      if (!imap_status_from_word (rest, &status, &rest) ||
          status == MS_REPLY_STATUS_PREAUTH || status == MS_REPLY_STATUS_BYE)
        return set_malformed (error, "tagged IMAP reply without OK, NO or BAD");

      self->status = status;
      take_response_code (self, rest);
      self->complete = TRUE;
      return TRUE;
    }

  return set_malformed (error, "IMAP line with an unknown tag");
}

/**
 * ms_reply_feed_line:
 * @line: one line as the server sent it, without its line end
 *
 * Adds @line to the reply.
 *
 * Returns: %FALSE with @error set if @line breaks the protocol or the reply
 *   grows past the limits
 */
gboolean
ms_reply_feed_line (MsReply     *self,
                    const char  *line,
                    GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (!self->complete, FALSE);

  self->size += strlen (line) + 2;
  if (self->lines->len >= MS_REPLY_MAX_LINES || self->size > MS_REPLY_MAX_SIZE)
    {
      g_set_error_literal (error, MS_REPLY_ERROR, MS_REPLY_ERROR_TOO_LARGE,
                           "The server’s reply is far too long");
      return FALSE;
    }

  g_ptr_array_add (self->lines, g_utf8_make_valid (line, -1));

  switch (self->kind)
    {
    case MS_REPLY_KIND_SMTP:
      ok = feed_smtp (self, line, error);
      break;
    case MS_REPLY_KIND_POP3:
    case MS_REPLY_KIND_POP3_MULTILINE:
      ok = feed_pop3 (self, line, error);
      break;
    case MS_REPLY_KIND_IMAP_GREETING:
    case MS_REPLY_KIND_IMAP_TAGGED:
      ok = feed_imap (self, line, error);
      break;
    default:
      g_assert_not_reached ();
    }

  return ok;
}

/**
 * ms_reply_to_string:
 *
 * Returns: (transfer full): every line of the reply, joined by newlines,
 *   for diagnoses and reports
 */
char *
ms_reply_to_string (const MsReply *self)
{
  GString *string = g_string_new (NULL);

  for (guint i = 0; i < self->lines->len; i++)
    {
      if (i > 0)
        g_string_append_c (string, '\n');
      g_string_append (string, g_ptr_array_index (self->lines, i));
    }

  return g_string_free (string, FALSE);
}
