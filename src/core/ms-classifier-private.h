/* ms-classifier-private.h: the reply rules, for the test that walks them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-diagnosis.h"

G_BEGIN_DECLS

typedef enum
{
  MS_REPLY_RULE_TABLE_REPLY,  /* any reply (ms_diagnosis_classify_reply()) */
  MS_REPLY_RULE_TABLE_LOGIN,  /* the answer to a login, when the first found nothing */
} MsReplyRuleTable;

/**
 * MsReplyRule:
 * @protocols: bits (1 << MsProtocol) of the protocols the row is for
 * @smtp_min: @smtp_max: the SMTP reply code's range; @smtp_max 0 for any
 *   code, or none
 * @status: (nullable): IMAP/POP3: the status of the last line ("NO")
 * @response_code: (nullable): IMAP: exactly this response code; POP3: this
 *   code or one below it ("SYS" is also "SYS/TEMP")
 * @bye: IMAP: only when the server said BYE
 * @any_of: (nullable): lower-case words or phrases, one of which must be
 *   in the reply
 * @none_of: (nullable): ... none of which may be
 * @nothing: a match means nothing special: stop without a diagnosis
 * @code: the diagnosis, unless @nothing
 * @example: a reply this row, and no earlier row, decides (in at least
 *   one of @protocols)
 */
typedef struct
{
  guint               protocols;
  guint16             smtp_min;
  guint16             smtp_max;
  const char         *status;
  const char         *response_code;
  gboolean            bye;
  const char * const *any_of;
  const char * const *none_of;
  gboolean            nothing;
  MsDiagnosisCode     code;
  const char         *example;
} MsReplyRule;

const MsReplyRule *ms_classifier_get_rules (MsReplyRuleTable  table,
                                            guint            *n_rules);
const MsReplyRule *ms_classifier_decide    (MsProtocol        protocol,
                                            const char       *reply,
                                            gboolean          login,
                                            MsReplyRuleTable *table);

G_END_DECLS
