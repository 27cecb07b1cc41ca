/* ms-imap-dialect.c: IMAP4rev1 (RFC 3501) for the connection test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-dialect.h"

static MsCommand *
tagged_command (guint      *next_tag,
                const char *command,
                const char *transcript)
{
  g_autofree char *tag = g_strdup_printf ("a%u", (*next_tag)++);
  g_autofree char *shown = transcript != NULL ? g_strdup_printf ("%s %s", tag, transcript) : NULL;

  /* Not printf: @command may hold the password (see ms-dialect.c). */
  return ms_command_new (MS_REPLY_KIND_IMAP_TAGGED, tag,
                         g_strconcat (tag, " ", command, NULL), shown);
}

static MsCommand *
imap_capability_command (guint         *next_tag,
                         const MsReply *greeting,
                         const char    *client_name)
{
  /* Most servers list their capabilities in the greeting: saves a round trip. */
  if (greeting != NULL && g_strcmp0 (greeting->response_code, "CAPABILITY") == 0)
    return NULL;

  return tagged_command (next_tag, "CAPABILITY", NULL);
}

static MsCommand *
imap_starttls_command (guint *next_tag)
{
  return tagged_command (next_tag, "STARTTLS", NULL);
}

static MsCommand *
continue_with_tag (MsAuthState *state,
                   char        *line)
{
  return ms_command_new (MS_REPLY_KIND_IMAP_TAGGED, state->tag, line, "<password hidden>");
}

/* A token is no password: without an OAuth mechanism there is no login. */
static MsCommand *
imap_oauth_start (MsAuthState          *state,
                  const MsCapabilities *capabilities,
                  MsAuthProgress       *progress)
{
  g_autofree char *tag = g_strdup_printf ("a%u", *state->next_tag);
  MsCommand *command = ms_sasl_oauth_begin (state, capabilities, MS_REPLY_KIND_IMAP_TAGGED, tag,
                                            "AUTHENTICATE", ms_capabilities_has (capabilities, "SASL-IR"),
                                            progress);

  if (command != NULL)
    (*state->next_tag)++;

  return command;
}

static MsCommand *
imap_auth_start (MsAuthState          *state,
                 const MsCapabilities *capabilities,
                 MsAuthProgress       *progress)
{
  g_autofree char *quoted_user = NULL;
  g_autofree char *quoted_password = NULL;
  MsCommand *command;

  *progress = MS_AUTH_PROGRESS_CONTINUE;
  g_snprintf (state->tag, sizeof state->tag, "a%u", *state->next_tag);

  if (state->bearer_token != NULL)
    return imap_oauth_start (state, capabilities, progress);

  if (ms_capabilities_has_mechanism (capabilities, "PLAIN"))
    {
      state->mechanism = "PLAIN";
      if (ms_capabilities_has (capabilities, "SASL-IR"))
        {
          g_autofree char *tag = g_strdup_printf ("a%u", (*state->next_tag)++);

          return ms_command_new_sasl_plain (state, MS_REPLY_KIND_IMAP_TAGGED, tag, "AUTHENTICATE");
        }

      state->step = 1;
      return tagged_command (state->next_tag, "AUTHENTICATE PLAIN", NULL);
    }

  /* LOGINDISABLED forbids LOGIN; servers drop it after STARTTLS. */
  if (ms_capabilities_has (capabilities, "LOGINDISABLED") ||
      !ms_imap_quote (state->username, &quoted_user))
    {
      *progress = MS_AUTH_PROGRESS_UNSUPPORTED;
      return NULL;
    }

  state->mechanism = "LOGIN";
  if (ms_imap_quote (ms_secret_get_text (state->password), &quoted_password))
    {
      g_autofree char *line = g_strconcat ("LOGIN ", quoted_user, " ", quoted_password, NULL);
      g_autofree char *shown = g_strdup_printf ("LOGIN %s <password hidden>", quoted_user);

      state->step = 2;
      command = tagged_command (state->next_tag, line, shown);
      ms_secret_wipe_string (g_steal_pointer (&line));
      ms_secret_wipe_string (g_steal_pointer (&quoted_password));
      return command;
    }
  else
    {
      /* 8-bit passwords go as a synchronising literal. */
      g_autofree char *line = g_strdup_printf ("LOGIN %s {%" G_GSIZE_FORMAT "}", quoted_user,
                                               ms_secret_get_length (state->password));

      state->step = 1;
      return tagged_command (state->next_tag, line, NULL);
    }
}

static MsCommand *
imap_auth_next (MsAuthState   *state,
                const MsReply *reply,
                MsAuthProgress *progress)
{
  *progress = MS_AUTH_PROGRESS_CONTINUE;

  if (state->bearer_token != NULL)
    return ms_sasl_oauth_next (state, MS_REPLY_KIND_IMAP_TAGGED, reply,
                               reply->status == MS_REPLY_STATUS_OK, progress);

  if (reply->status == MS_REPLY_STATUS_CONTINUE && state->step == 1)
    {
      state->step = 2;
      if (g_str_equal (state->mechanism, "PLAIN"))
        return continue_with_tag (state, ms_sasl_plain_response (state->username, state->password));
      else
        return continue_with_tag (state, g_strdup (ms_secret_get_text (state->password)));
    }

  if (reply->status == MS_REPLY_STATUS_CONTINUE)
    {
      /* The server wants more than PLAIN needs: cancel the exchange. */
      *progress = MS_AUTH_PROGRESS_FAILED;
      return continue_with_tag (state, g_strdup ("*"));
    }

  *progress = reply->status == MS_REPLY_STATUS_OK ? MS_AUTH_PROGRESS_SUCCEEDED
                                                  : MS_AUTH_PROGRESS_FAILED;
  return NULL;
}

static MsCommand *
imap_quit_command (guint *next_tag)
{
  return tagged_command (next_tag, "LOGOUT", NULL);
}

const MsDialect ms_imap_dialect = {
  .protocol = MS_PROTOCOL_IMAP,
  .greeting_kind = MS_REPLY_KIND_IMAP_GREETING,
  .capability_command = imap_capability_command,
  .starttls_command = imap_starttls_command,
  .auth_start = imap_auth_start,
  .auth_next = imap_auth_next,
  .quit_command = imap_quit_command,
};
