/* ms-dialect.h: how IMAP, POP3 and SMTP spell the steps of a connection test
 *
 * The probe (ms-probe.c) runs the same steps for every protocol: greeting,
 * capabilities, STARTTLS, capabilities again, one login, goodbye. A dialect
 * says which command each step sends and how to read the answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-capabilities.h"
#include "ms-reply.h"
#include "ms-secret.h"
#include "ms-server.h"

G_BEGIN_DECLS

typedef struct
{
  char        *line;        /* what goes on the wire; may hold a secret */
  char        *transcript;  /* what the transcript shows instead, or NULL */
  MsReplyKind  reply_kind;
  char        *tag;         /* the IMAP tag of @line, or NULL */
} MsCommand;

typedef enum
{
  MS_AUTH_PROGRESS_CONTINUE,    /* send the next command */
  MS_AUTH_PROGRESS_SUCCEEDED,
  MS_AUTH_PROGRESS_FAILED,      /* the server said no: never try again */
  MS_AUTH_PROGRESS_UNSUPPORTED, /* no mechanism both sides know */
} MsAuthProgress;

typedef struct
{
  const char *username;
  MsSecret   *password;
  guint      *next_tag;   /* IMAP tags: a1, a2, ... */
  const char *mechanism;  /* chosen by auth_start: "PLAIN", "LOGIN", "USER" */
  guint       step;
  char        tag[16];    /* IMAP: the tag of the login command */
  /* OAuth 2.0 (ms-sasl-oauth.c): with a bearer token, the login is
   * OAUTHBEARER or XOAUTH2 and never a password. */
  MsSecret   *bearer_token;
  const char *host;       /* OAUTHBEARER names the server it talks to */
  guint16     port;
  char       *oauth_error;  /* the server's RFC 7628 §3.2.2 JSON, owned */
} MsAuthState;

typedef struct
{
  MsProtocol   protocol;
  MsReplyKind  greeting_kind;

  /* NULL when the greeting already listed the capabilities. */
  MsCommand *(*capability_command) (guint         *next_tag,
                                    const MsReply *greeting,
                                    const char    *client_name);
  MsCommand *(*starttls_command)   (guint         *next_tag);
  /* Chooses the mechanism; NULL with *progress UNSUPPORTED if none fits. */
  MsCommand *(*auth_start)         (MsAuthState          *state,
                                    const MsCapabilities *capabilities,
                                    MsAuthProgress       *progress);
  /* Reads the server's answer to the last auth command. */
  MsCommand *(*auth_next)          (MsAuthState          *state,
                                    const MsReply        *reply,
                                    MsAuthProgress       *progress);
  MsCommand *(*quit_command)       (guint         *next_tag);
} MsDialect;

extern const MsDialect ms_imap_dialect;
extern const MsDialect ms_pop3_dialect;
extern const MsDialect ms_smtp_dialect;

const MsDialect *ms_dialect_for_protocol (MsProtocol protocol);

MsCommand *ms_command_new          (MsReplyKind  reply_kind,
                                    const char  *tag,
                                    char        *line,
                                    const char  *transcript);
void       ms_command_free         (MsCommand   *command);

/* Shared by the dialects: base64 of "\0username\0password" (RFC 4616). */
MsCommand *ms_command_new_sasl_plain (MsAuthState    *state,
                                      MsReplyKind     reply_kind,
                                      const char     *tag,
                                      const char     *verb);
char      *ms_sasl_plain_response  (const char     *username,
                                    const MsSecret *password);
gboolean   ms_imap_quote           (const char     *string,
                                    char          **quoted);

/* Refuses CR, LF and NUL in what goes into a command (RFC 3501, 1939 and
 * 5321 commands are one line; a line break would start a command of the
 * sender's choosing). */
gboolean   ms_dialect_check_argument    (const char     *value,
                                         gssize          length,
                                         const char     *what,
                                         GError        **error);
gboolean   ms_dialect_check_credentials (const char     *username,
                                         const MsSecret *password,
                                         GError        **error);

/* OAuth 2.0 bearer tokens over SASL (ms-sasl-oauth.c): OAUTHBEARER
 * (RFC 7628) where offered, else XOAUTH2 (Google's and Microsoft's). */
gboolean   ms_sasl_oauth_check_token    (const MsSecret *token,
                                         GError        **error);
const char *ms_sasl_oauth_choose        (const MsCapabilities *capabilities);
MsCommand *ms_sasl_oauth_start          (MsAuthState    *state,
                                         MsReplyKind     reply_kind,
                                         const char     *tag,
                                         const char     *verb,
                                         gboolean        initial_response);
MsCommand *ms_sasl_oauth_begin          (MsAuthState    *state,
                                         const MsCapabilities *capabilities,
                                         MsReplyKind     reply_kind,
                                         const char     *tag,
                                         const char     *verb,
                                         gboolean        initial_response,
                                         MsAuthProgress *progress);
MsCommand *ms_sasl_oauth_next           (MsAuthState    *state,
                                         MsReplyKind     kind,
                                         const MsReply  *reply,
                                         gboolean        succeeded,
                                         MsAuthProgress *progress);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsCommand, ms_command_free)

G_END_DECLS
