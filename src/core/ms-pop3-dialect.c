/* ms-pop3-dialect.c: POP3 (RFC 1939, 2449, 2595, 5034) for the connection test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-dialect.h"

static MsCommand *
pop3_capability_command (guint         *next_tag,
                         const MsReply *greeting,
                         const char    *client_name)
{
  return ms_command_new (MS_REPLY_KIND_POP3_MULTILINE, NULL, g_strdup ("CAPA"), NULL);
}

static MsCommand *
pop3_starttls_command (guint *next_tag)
{
  return ms_command_new (MS_REPLY_KIND_POP3, NULL, g_strdup ("STLS"), NULL);
}

static MsCommand *
pop3_auth_start (MsAuthState          *state,
                 const MsCapabilities *capabilities,
                 MsAuthProgress       *progress)
{
  *progress = MS_AUTH_PROGRESS_CONTINUE;

  /* A token is no password: never USER/PASS with it. RFC 5034 allows
   * the initial response on the AUTH line. */
  if (state->bearer_token != NULL)
    return ms_sasl_oauth_begin (state, capabilities, MS_REPLY_KIND_POP3, NULL, "AUTH", TRUE, progress);

  if (ms_capabilities_has_mechanism (capabilities, "PLAIN"))
    return ms_command_new_sasl_plain (state, MS_REPLY_KIND_POP3, NULL, "AUTH");

  /* USER/PASS is in every POP3 server, listed in CAPA or not (RFC 1939);
   * it is sent only over TLS, which the probe has made sure of. */
  state->mechanism = "USER";
  state->step = 1;
  return ms_command_new (MS_REPLY_KIND_POP3, NULL,
                         g_strdup_printf ("USER %s", state->username), NULL);
}

static MsCommand *
pop3_auth_next (MsAuthState    *state,
                const MsReply  *reply,
                MsAuthProgress *progress)
{
  *progress = MS_AUTH_PROGRESS_CONTINUE;

  if (state->bearer_token != NULL)
    return ms_sasl_oauth_next (state, MS_REPLY_KIND_POP3, reply,
                               reply->status == MS_REPLY_STATUS_OK, progress);

  if (state->step == 1 && reply->status == MS_REPLY_STATUS_OK)
    {
      state->step = 2;
      return ms_command_new (MS_REPLY_KIND_POP3, NULL,
                             g_strconcat ("PASS ", ms_secret_get_text (state->password), NULL),
                             "PASS <password hidden>");
    }

  if (reply->status == MS_REPLY_STATUS_CONTINUE)
    {
      /* A challenge PLAIN does not have: cancel the exchange. */
      *progress = MS_AUTH_PROGRESS_FAILED;
      return ms_command_new (MS_REPLY_KIND_POP3, NULL, g_strdup ("*"), NULL);
    }

  *progress = reply->status == MS_REPLY_STATUS_OK ? MS_AUTH_PROGRESS_SUCCEEDED
                                                  : MS_AUTH_PROGRESS_FAILED;
  return NULL;
}

static MsCommand *
pop3_quit_command (guint *next_tag)
{
  return ms_command_new (MS_REPLY_KIND_POP3, NULL, g_strdup ("QUIT"), NULL);
}

const MsDialect ms_pop3_dialect = {
  .protocol = MS_PROTOCOL_POP3,
  .greeting_kind = MS_REPLY_KIND_POP3,
  .capability_command = pop3_capability_command,
  .starttls_command = pop3_starttls_command,
  .auth_start = pop3_auth_start,
  .auth_next = pop3_auth_next,
  .quit_command = pop3_quit_command,
};
