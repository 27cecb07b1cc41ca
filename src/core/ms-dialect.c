/* ms-dialect.c: what the three dialects share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-dialect.h"

const MsDialect *
ms_dialect_for_protocol (MsProtocol protocol)
{
  switch (protocol)
    {
    case MS_PROTOCOL_IMAP:
      return &ms_imap_dialect;
    case MS_PROTOCOL_POP3:
      return &ms_pop3_dialect;
    case MS_PROTOCOL_SMTP:
      return &ms_smtp_dialect;
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * ms_command_new:
 * @line: (transfer full): the command; wiped when the command is freed
 * @transcript: (nullable): what to show instead of @line
 */
MsCommand *
ms_command_new (MsReplyKind  reply_kind,
                const char  *tag,
                char        *line,
                const char  *transcript)
{
  MsCommand *command = g_new0 (MsCommand, 1);

  command->reply_kind = reply_kind;
  command->tag = g_strdup (tag);
  command->line = line;
  command->transcript = g_strdup (transcript);

  return command;
}

void
ms_command_free (MsCommand *command)
{
  if (command == NULL)
    return;

  ms_secret_wipe_string (command->line);
  g_free (command->transcript);
  g_free (command->tag);
  g_free (command);
}

/**
 * ms_command_new_sasl_plain:
 * @tag: (nullable): the IMAP tag
 * @verb: "AUTH" or "AUTHENTICATE"
 *
 * The one-line SASL PLAIN login with its initial response (RFC 4954, 5034,
 * 4959); the transcript shows it without the response.
 */
MsCommand *
ms_command_new_sasl_plain (MsAuthState *state,
                           MsReplyKind  reply_kind,
                           const char  *tag,
                           const char  *verb)
{
  char *response = ms_sasl_plain_response (state->username, state->password);
  g_autofree char *prefix = tag != NULL ? g_strdup_printf ("%s ", tag) : g_strdup ("");
  g_autofree char *shown = g_strdup_printf ("%s%s PLAIN <password hidden>", prefix, verb);
  MsCommand *command;

  state->mechanism = "PLAIN";
  state->step = 2;
  /* g_strconcat() copies once into a buffer of the right size; printf
   * would leave copies of the response in the buffers it grows. */
  command = ms_command_new (reply_kind, tag,
                            g_strconcat (prefix, verb, " PLAIN ", response, NULL), shown);
  ms_secret_wipe_string (response);

  return command;
}

char *
ms_sasl_plain_response (const char     *username,
                        const MsSecret *password)
{
  gsize username_len = strlen (username);
  gsize password_len = ms_secret_get_length (password);
  gsize len = 1 + username_len + 1 + password_len;
  g_autofree guchar *message = g_malloc0 (len);
  char *encoded;

  memcpy (message + 1, username, username_len);
  memcpy (message + 2 + username_len, ms_secret_get_text (password), password_len);
  encoded = g_base64_encode (message, len);
  explicit_bzero (message, len);

  return encoded;
}

/**
 * ms_imap_quote:
 * @quoted: (out): the IMAP quoted string
 *
 * Returns: %FALSE if @string cannot be a quoted string (CR, LF, NUL or
 *   8-bit characters) and needs a literal instead
 */
gboolean
ms_imap_quote (const char  *string,
               char       **quoted)
{
  GString *result;

  for (const char *p = string; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n' || (guchar) *p >= 0x80)
        {
          *quoted = NULL;
          return FALSE;
        }
    }

  /* Sized for the worst case, so it never grows: growing frees the old
   * buffer, and the string may be a password. */
  result = g_string_sized_new (2 * strlen (string) + 3);
  g_string_append_c (result, '"');
  for (const char *p = string; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (result, '\\');
      g_string_append_c (result, *p);
    }
  g_string_append_c (result, '"');

  *quoted = g_string_free (result, FALSE);

  return TRUE;
}

/**
 * ms_dialect_check_argument:
 * @value: what goes into a command
 * @length: its length in bytes, or -1 if nul-terminated (a NUL can only be
 *   seen with a length)
 * @what: what it is, translated, for the message ("the username")
 *
 * Returns: %FALSE with %G_IO_ERROR_INVALID_DATA if @value holds a CR, LF
 *   or NUL, which no command argument of IMAP, POP3 or SMTP may hold
 */
gboolean
ms_dialect_check_argument (const char  *value,
                           gssize       length,
                           const char  *what,
                           GError     **error)
{
  gsize len;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);

  len = length < 0 ? strlen (value) : (gsize) length;
  if (memchr (value, '\r', len) != NULL || memchr (value, '\n', len) != NULL ||
      memchr (value, '\0', len) != NULL)
    {
      /* Translators: %s is "the username" or "the password" */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s holds a line break or a NUL character, which no mail server "
                     "command may carry; nothing was sent"), what);
      return FALSE;
    }

  return TRUE;
}

/**
 * ms_dialect_check_credentials:
 * @password: (nullable): the password
 *
 * ms_dialect_check_argument() for a login's username and password.
 */
gboolean
ms_dialect_check_credentials (const char      *username,
                              const MsSecret  *password,
                              GError         **error)
{
  g_return_val_if_fail (username != NULL, FALSE);

  if (!ms_dialect_check_argument (username, -1, _("The username"), error))
    return FALSE;

  if (password != NULL &&
      !ms_dialect_check_argument (ms_secret_get_text (password), ms_secret_get_length (password),
                                  _("The password"), error))
    return FALSE;

  return TRUE;
}
