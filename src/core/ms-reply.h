/* ms-reply.h: one server reply of IMAP, POP3 or SMTP, read line by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Which grammar ends a reply. */
typedef enum
{
  MS_REPLY_KIND_SMTP,            /* "250-..." lines, then "250 ..." */
  MS_REPLY_KIND_POP3,            /* one "+OK", "-ERR" or "+ " line */
  MS_REPLY_KIND_POP3_MULTILINE,  /* "+OK" then lines up to a lone "." (or one "-ERR") */
  MS_REPLY_KIND_IMAP_GREETING,   /* one "* OK|PREAUTH|BYE" line */
  MS_REPLY_KIND_IMAP_TAGGED,     /* untagged lines, then the tagged one (or a "+") */
} MsReplyKind;

typedef enum
{
  MS_REPLY_STATUS_OK,         /* IMAP OK, POP3 +OK, SMTP 2xx/3xx */
  MS_REPLY_STATUS_PREAUTH,    /* IMAP greeting: already logged in */
  MS_REPLY_STATUS_CONTINUE,   /* IMAP "+", POP3 "+ ", SMTP 334 */
  MS_REPLY_STATUS_NO,         /* IMAP NO, POP3 -ERR, SMTP 4xx/5xx */
  MS_REPLY_STATUS_BAD,        /* IMAP BAD */
  MS_REPLY_STATUS_BYE,        /* IMAP BYE: the server is closing */
} MsReplyStatus;

#define MS_REPLY_ERROR (ms_reply_error_quark ())

/**
 * MsReplyError:
 * @MS_REPLY_ERROR_MALFORMED: a line that the protocol does not allow
 * @MS_REPLY_ERROR_TOO_LARGE: more lines or bytes than any sane reply
 */
typedef enum
{
  MS_REPLY_ERROR_MALFORMED,
  MS_REPLY_ERROR_TOO_LARGE,
} MsReplyError;

/* Limits on what a server may send, far above anything real servers do. */
#define MS_REPLY_MAX_LINE_LENGTH 8192
#define MS_REPLY_MAX_LINES       256
#define MS_REPLY_MAX_SIZE        (64 * 1024)

typedef struct _MsReply MsReply;

/**
 * MsReply:
 * @status: how the reply ended
 * @smtp_code: the three-digit SMTP code, 0 for other protocols
 * @response_code: (nullable): the bracketed response code of the final line
 *   (IMAP "AUTHENTICATIONFAILED", POP3 "AUTH"), without brackets
 * @lines: (element-type utf8): every line, without line ends
 * @text: the human-readable text of the final line
 */
struct _MsReply
{
  MsReplyKind    kind;
  MsReplyStatus  status;
  guint          smtp_code;
  char          *response_code;
  GPtrArray     *lines;
  char          *text;

  /*< private >*/
  char          *tag;
  gsize          size;
  gboolean       in_body;
  gboolean       complete;
};

GQuark    ms_reply_error_quark     (void);
MsReply  *ms_reply_new             (MsReplyKind    kind,
                                    const char    *tag);
void      ms_reply_free            (MsReply       *self);
gboolean  ms_reply_feed_line       (MsReply       *self,
                                    const char    *line,
                                    GError       **error);
gboolean  ms_reply_is_complete     (const MsReply *self);
gboolean  ms_reply_is_ok           (const MsReply *self);
char     *ms_reply_to_string       (const MsReply *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsReply, ms_reply_free)

G_END_DECLS
