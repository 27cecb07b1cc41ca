/* ms-smtp-dialect.c: SMTP submission (RFC 5321, 3207, 4954, 6409) for the connection test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-dialect.h"

static MsCommand *
smtp_capability_command (guint         *next_tag,
                         const MsReply *greeting,
                         const char    *client_name)
{
  return ms_command_new (MS_REPLY_KIND_SMTP, NULL,
                         g_strdup_printf ("EHLO %s", client_name), NULL);
}

static MsCommand *
smtp_starttls_command (guint *next_tag)
{
  return ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_strdup ("STARTTLS"), NULL);
}

static MsCommand *
smtp_auth_start (MsAuthState          *state,
                 const MsCapabilities *capabilities,
                 MsAuthProgress       *progress)
{
  *progress = MS_AUTH_PROGRESS_CONTINUE;

  /* A token is no password: without an OAuth mechanism, no login. */
  if (state->bearer_token != NULL)
    return ms_sasl_oauth_begin (state, capabilities, MS_REPLY_KIND_SMTP, NULL, "AUTH", TRUE, progress);

  if (ms_capabilities_has_mechanism (capabilities, "PLAIN"))
    return ms_command_new_sasl_plain (state, MS_REPLY_KIND_SMTP, NULL, "AUTH");

  if (ms_capabilities_has_mechanism (capabilities, "LOGIN"))
    {
      state->mechanism = "LOGIN";
      state->step = 1;
      return ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_strdup ("AUTH LOGIN"), NULL);
    }

  *progress = MS_AUTH_PROGRESS_UNSUPPORTED;
  return NULL;
}

static MsCommand *
smtp_auth_next (MsAuthState    *state,
                const MsReply  *reply,
                MsAuthProgress *progress)
{
  *progress = MS_AUTH_PROGRESS_CONTINUE;

  if (state->bearer_token != NULL)
    return ms_sasl_oauth_next (state, MS_REPLY_KIND_SMTP, reply, reply->smtp_code == 235, progress);

  if (reply->status == MS_REPLY_STATUS_CONTINUE && g_str_equal (state->mechanism, "LOGIN"))
    {
      /* AUTH LOGIN asks "Username:" then "Password:" (base64). */
      if (state->step == 1)
        {
          state->step = 2;
          return ms_command_new (MS_REPLY_KIND_SMTP, NULL,
                                 g_base64_encode ((const guchar *) state->username,
                                                  strlen (state->username)),
                                 NULL);
        }
      if (state->step == 2)
        {
          state->step = 3;
          return ms_command_new (MS_REPLY_KIND_SMTP, NULL,
                                 g_base64_encode ((const guchar *) ms_secret_get_text (state->password),
                                                  ms_secret_get_length (state->password)),
                                 "<password hidden>");
        }
    }

  if (reply->status == MS_REPLY_STATUS_CONTINUE)
    {
      *progress = MS_AUTH_PROGRESS_FAILED;
      return ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_strdup ("*"), NULL);
    }

  *progress = reply->smtp_code == 235 ? MS_AUTH_PROGRESS_SUCCEEDED : MS_AUTH_PROGRESS_FAILED;
  return NULL;
}

static MsCommand *
smtp_quit_command (guint *next_tag)
{
  return ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_strdup ("QUIT"), NULL);
}

const MsDialect ms_smtp_dialect = {
  .protocol = MS_PROTOCOL_SMTP,
  .greeting_kind = MS_REPLY_KIND_SMTP,
  .capability_command = smtp_capability_command,
  .starttls_command = smtp_starttls_command,
  .auth_start = smtp_auth_start,
  .auth_next = smtp_auth_next,
  .quit_command = smtp_quit_command,
};
