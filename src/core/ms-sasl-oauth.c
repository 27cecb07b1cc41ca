/* ms-sasl-oauth.c: logging in with an OAuth 2.0 bearer token
 *
 * OAUTHBEARER (RFC 7628) is the standard; XOAUTH2 is the older form
 * Google and Microsoft still offer. Both send the token once, in one
 * message. A server that refuses it answers with a challenge holding a
 * JSON error (RFC 7628 §3.2.2: status, scope), which the client must
 * answer (OAUTHBEARER: a lone ^A; XOAUTH2: an empty line) before the
 * final "no": the JSON is kept for the classifier.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-dialect.h"

#define MAX_ERROR_JSON 4096

/**
 * ms_sasl_oauth_check_token:
 *
 * Returns: %FALSE unless @token is an RFC 6750 b64token, which is all a
 *   bearer token can be (nothing that would end the SASL message)
 */
gboolean
ms_sasl_oauth_check_token (const MsSecret  *token,
                           GError         **error)
{
  const char *text = ms_secret_get_text (token);
  gsize length = ms_secret_get_length (token);
  gsize i = 0;

  while (i < length && (g_ascii_isalnum (text[i]) || strchr ("-._~+/", text[i]) != NULL))
    i++;
  while (i > 0 && i < length && text[i] == '=')
    i++;
  if (i == 0 || i != length)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The sign-in token is damaged; nothing was sent"));
      return FALSE;
    }

  return TRUE;
}

/**
 * ms_sasl_oauth_choose:
 *
 * Returns: (nullable): "OAUTHBEARER", "XOAUTH2", or %NULL when the server
 *   offers neither
 */
const char *
ms_sasl_oauth_choose (const MsCapabilities *capabilities)
{
  if (ms_capabilities_has_mechanism (capabilities, "OAUTHBEARER"))
    return "OAUTHBEARER";
  if (ms_capabilities_has_mechanism (capabilities, "XOAUTH2"))
    return "XOAUTH2";

  return NULL;
}

/* The gs2 header's authzid escapes "," and "=" (RFC 5801 §4). */
static void
append_saslname (GString    *message,
                 const char *username)
{
  for (const char *p = username; *p != '\0'; p++)
    {
      if (*p == ',')
        g_string_append (message, "=2C");
      else if (*p == '=')
        g_string_append (message, "=3D");
      else
        g_string_append_c (message, *p);
    }
}

static char *
oauth_response (MsAuthState *state)
{
  const char *token = ms_secret_get_text (state->bearer_token);
  gsize size = 3 * strlen (state->username) + ms_secret_get_length (state->bearer_token) + 128;
  /* Sized once so it never grows (growing leaves copies of the token). */
  GString *message = g_string_sized_new (size);
  char *encoded;

  if (g_str_equal (state->mechanism, "OAUTHBEARER"))
    {
      g_string_append (message, "n,a=");
      append_saslname (message, state->username);
      g_string_append_printf (message, ",\001host=%s\001port=%u\001",
                              state->host, (guint) state->port);
    }
  else
    {
      g_string_append_printf (message, "user=%s\001", state->username);
    }
  g_string_append (message, "auth=Bearer ");
  g_string_append (message, token);
  g_string_append (message, "\001\001");
  g_assert (message->len < size);

  encoded = g_base64_encode ((const guchar *) message->str, message->len);
  explicit_bzero (message->str, message->len);
  g_string_free (message, TRUE);

  return encoded;
}

/**
 * ms_sasl_oauth_start:
 * @tag: (nullable): the IMAP tag
 * @verb: "AUTH" or "AUTHENTICATE"
 * @initial_response: whether the token goes with the command (SMTP,
 *   POP3, IMAP with SASL-IR) or after the server's empty challenge
 *
 * state->mechanism must be set (ms_sasl_oauth_choose()).
 */
MsCommand *
ms_sasl_oauth_start (MsAuthState *state,
                     MsReplyKind  reply_kind,
                     const char  *tag,
                     const char  *verb,
                     gboolean     initial_response)
{
  g_autofree char *prefix = tag != NULL ? g_strdup_printf ("%s ", tag) : g_strdup ("");
  g_autofree char *shown = g_strdup_printf ("%s%s %s <token hidden>", prefix, verb, state->mechanism);
  char *response;
  MsCommand *command;

  g_assert (state->bearer_token != NULL && state->mechanism != NULL);

  if (!initial_response)
    {
      state->step = 1;
      return ms_command_new (reply_kind, tag,
                             g_strconcat (prefix, verb, " ", state->mechanism, NULL), NULL);
    }

  state->step = 2;
  response = oauth_response (state);
  command = ms_command_new (reply_kind, tag,
                            g_strconcat (prefix, verb, " ", state->mechanism, " ", response, NULL),
                            shown);
  ms_secret_wipe_string (response);

  return command;
}

static void
keep_error (MsAuthState   *state,
            const MsReply *reply)
{
  g_autofree guchar *json = NULL;
  gsize length = 0;
  const char *text = reply->text != NULL ? reply->text : "";

  g_clear_pointer (&state->oauth_error, g_free);
  if (strlen (text) > MAX_ERROR_JSON)
    return;
  json = g_base64_decode (text, &length);
  /* Hostile until shown otherwise: kept only as valid UTF-8 text. */
  if (json != NULL && length > 0 && g_utf8_validate_len ((const char *) json, length, NULL) &&
      memchr (json, '\0', length) == NULL)
    state->oauth_error = g_strndup ((const char *) json, length);
}

/**
 * ms_sasl_oauth_next:
 * @kind: the reply kind of the dialect's login commands
 * @succeeded: whether @reply is the dialect's "logged in"
 *
 * Reads the server's answer to the last OAuth command; the dialect wraps
 * what it returns.
 *
 * Returns: (nullable): the next command, wrapped by the caller's kind
 */
MsCommand *
ms_sasl_oauth_next (MsAuthState    *state,
                    MsReplyKind     kind,
                    const MsReply  *reply,
                    gboolean        succeeded,
                    MsAuthProgress *progress)
{
  const char *tag = state->tag[0] != '\0' ? state->tag : NULL;

  *progress = MS_AUTH_PROGRESS_CONTINUE;

  if (reply->status == MS_REPLY_STATUS_CONTINUE && state->step == 1)
    {
      state->step = 2;
      return ms_command_new (kind, tag, oauth_response (state), "<token hidden>");
    }

  if (reply->status == MS_REPLY_STATUS_CONTINUE && state->step == 2)
    {
      /* The refusal, as JSON; the exchange must be finished by hand. */
      keep_error (state, reply);
      state->step = 3;
      return ms_command_new (kind, tag,
                             g_strdup (g_str_equal (state->mechanism, "OAUTHBEARER") ? "AQ==" : ""),
                             NULL);
    }

  if (reply->status == MS_REPLY_STATUS_CONTINUE)
    {
      *progress = MS_AUTH_PROGRESS_FAILED;
      return ms_command_new (kind, tag, g_strdup ("*"), NULL);
    }

  *progress = succeeded ? MS_AUTH_PROGRESS_SUCCEEDED : MS_AUTH_PROGRESS_FAILED;
  return NULL;
}

/**
 * ms_sasl_oauth_begin:
 * @tag: (nullable): the IMAP tag, %NULL for SMTP and POP3
 *
 * Chooses the mechanism and starts the login with the token: a token is
 * no password, so without an OAuth mechanism there is no login at all
 * (%NULL, @progress MS_AUTH_PROGRESS_UNSUPPORTED).
 */
MsCommand *
ms_sasl_oauth_begin (MsAuthState          *state,
                     const MsCapabilities *capabilities,
                     MsReplyKind           reply_kind,
                     const char           *tag,
                     const char           *verb,
                     gboolean              initial_response,
                     MsAuthProgress       *progress)
{
  state->mechanism = ms_sasl_oauth_choose (capabilities);
  if (state->mechanism == NULL)
    {
      *progress = MS_AUTH_PROGRESS_UNSUPPORTED;
      return NULL;
    }

  return ms_sasl_oauth_start (state, reply_kind, tag, verb, initial_response);
}
