/* ms-classifier.c: observations into diagnosis codes, in one place
 *
 * Probes and the account test report what they saw (a server reply, an
 * error, certificate flags); this module alone says what that means.
 * Replies are classified by the rule tables below, errors and certificate
 * flags by the functions at the end.
 *
 * Replies are matched by their status, response code and single words or
 * short word sequences, never by whole sentences: providers reword their
 * messages, and a sentence match fails on the first changed comma.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ms-classifier-private.h"
#include "ms-diagnosis.h"
#include "ms-json.h"
#include "ms-reply.h"

/* Real replies that mean something fit in a few lines; reading more only
 * gives a hostile server more to play with. */
#define MAX_CLASSIFIED_BYTES 8192

/* Words */

typedef struct
{
  GPtrArray *words;  /* lower-case ASCII words, in order */
} Words;

/* Words are runs of ASCII letters and digits; a dot between two digits
 * stays inside the word so that enhanced status codes ("5.7.8") are one
 * word. Anything else, including non-ASCII bytes, separates words. */
static void
words_init (Words      *words,
            const char *text,
            gsize       length)
{
  gsize i = 0;

  words->words = g_ptr_array_new_with_free_func (g_free);

  while (i < length)
    {
      gsize start;

      if (!g_ascii_isalnum (text[i]))
        {
          i++;
          continue;
        }

      start = i;
      while (i < length &&
             (g_ascii_isalnum (text[i]) ||
              (text[i] == '.' && g_ascii_isdigit (text[i - 1]) &&
               i + 1 < length && g_ascii_isdigit (text[i + 1]))))
        i++;

      g_ptr_array_add (words->words, g_ascii_strdown (text + start, i - start));
    }
}

static void
words_clear (Words *words)
{
  g_clear_pointer (&words->words, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Words, words_clear)

static gboolean
has_word (const Words *words,
          const char  *word)
{
  for (guint i = 0; i < words->words->len; i++)
    {
      if (strcmp (g_ptr_array_index (words->words, i), word) == 0)
        return TRUE;
    }

  return FALSE;
}

/* @phrase: lower-case words separated by single spaces */
static gboolean
has_phrase (const Words *words,
            const char  *phrase)
{
  g_auto(GStrv) wanted = g_strsplit (phrase, " ", -1);
  guint n_wanted = g_strv_length (wanted);

  if (n_wanted == 0 || words->words->len < n_wanted)
    return FALSE;

  for (guint i = 0; i + n_wanted <= words->words->len; i++)
    {
      guint j;

      for (j = 0; j < n_wanted; j++)
        {
          if (strcmp (g_ptr_array_index (words->words, i + j), wanted[j]) != 0)
            break;
        }
      if (j == n_wanted)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_any_phrase (const Words        *words,
                const char * const *phrases)
{
  for (guint i = 0; phrases[i] != NULL; i++)
    {
      if (has_phrase (words, phrases[i]))
        return TRUE;
    }

  return FALSE;
}

/* The words some codes are recognised by */

static const char * const lockout_phrases[] = {
  "temporarily locked",
  "too many login failures",
  "account is locked",
  "account has been locked",
  "account locked",
  "too many failed",
  "too many login attempts",
  "too many authentication failures",
  NULL
};

/* Gmail, Yahoo and Microsoft refuse account passwords from mail programs
 * with these words: an app password (or OAuth) is needed. */
static const char * const app_password_phrases[] = {
  "application specific password",
  "app specific password",
  "app password",
  "web login required",
  "log in via your web browser",
  "basic authentication is disabled",
  NULL
};

/* Dovecot, Postfix and RFC 3207 wordings for "encrypt first". */
static const char * const plaintext_phrases[] = {
  "plaintext authentication disallowed",
  "plaintext authentication not allowed",
  "must issue a starttls",
  "encryption required",
  NULL
};

static const char * const too_many_connections_phrases[] = {
  "too many connections",
  "too many simultaneous connections",
  "too many concurrent connections",
  "maximum number of connections",
  NULL
};

static const char * const relay_phrases[] = {
  "relay access denied",
  "relaying denied",
  "relay denied",
  "relay not permitted",
  "relaying not allowed",
  "not permitted to relay",
  NULL
};

static const char * const blocklist_phrases[] = {
  "rbl",
  "blacklist",
  "blacklisted",
  "blocklist",
  "blocklisted",
  "spamhaus",
  "blocked using",
  NULL
};

/* Reading a reply */

/* Returns: the three-digit code of the reply's first line, or 0 */
static guint
smtp_reply_code (const char *reply,
                 gsize       length)
{
  gsize i = 0;

  while (i < length && g_ascii_isspace (reply[i]))
    i++;

  if (i + 3 > length ||
      !g_ascii_isdigit (reply[i]) ||
      !g_ascii_isdigit (reply[i + 1]) ||
      !g_ascii_isdigit (reply[i + 2]) ||
      (i + 3 < length && g_ascii_isdigit (reply[i + 3])))
    return 0;

  return (reply[i] - '0') * 100 + (reply[i + 1] - '0') * 10 + (reply[i + 2] - '0');
}

/* Reads "TAG STATUS [CODE ...] text" (IMAP) or "STATUS [CODE] text"
 * (POP3) from one line. @status and @response_code are upper-case ASCII,
 * empty when absent. */
static void
parse_status_line (const char *line,
                   gsize       length,
                   gboolean    has_tag,
                   char        status[16],
                   char        response_code[32])
{
  gsize i = 0;
  gsize n;

  status[0] = '\0';
  response_code[0] = '\0';

  while (i < length && g_ascii_isspace (line[i]))
    i++;

  if (has_tag)
    {
      while (i < length && line[i] != ' ')
        i++;
      while (i < length && line[i] == ' ')
        i++;
    }

  for (n = 0; i < length && line[i] != ' ' && !g_ascii_isspace (line[i]); i++)
    {
      if (n < 15)
        status[n++] = g_ascii_toupper (line[i]);
    }
  status[n] = '\0';

  while (i < length && line[i] == ' ')
    i++;

  if (i < length && line[i] == '[')
    {
      for (i++, n = 0; i < length && line[i] != ']' && line[i] != ' '; i++)
        {
          if (n < 31)
            response_code[n++] = g_ascii_toupper (line[i]);
        }
      response_code[n] = '\0';

      /* A code counts only when its bracket is closed (IMAP codes may
       * carry arguments before the "]"). */
      if (memchr (line + i, ']', length - i) == NULL)
        response_code[0] = '\0';
    }
}

/* Splits @reply into lines and calls @func on each non-empty one; stops
 * when @func returns TRUE. */
typedef gboolean (*LineFunc) (const char *line,
                              gsize       length,
                              gpointer    user_data);

static void
foreach_line (const char *reply,
              gsize       length,
              LineFunc    func,
              gpointer    user_data)
{
  gsize start = 0;

  while (start < length)
    {
      const char *end = memchr (reply + start, '\n', length - start);
      gsize line_length = end != NULL ? (gsize) (end - (reply + start)) : length - start;
      gsize trimmed = line_length;

      while (trimmed > 0 && g_ascii_isspace (reply[start + trimmed - 1]))
        trimmed--;
      if (trimmed > 0 && func (reply + start, trimmed, user_data))
        return;

      start += line_length + 1;
    }
}

typedef struct
{
  gboolean has_tag;
  char     status[16];          /* of the last line */
  char     response_code[32];   /* the last one any line carried */
  gboolean bye;
} StatusScan;

static gboolean
scan_status_line (const char *line,
                  gsize       length,
                  gpointer    user_data)
{
  StatusScan *scan = user_data;
  char response_code[32];

  parse_status_line (line, length, scan->has_tag, scan->status, response_code);
  if (response_code[0] != '\0')
    memcpy (scan->response_code, response_code, sizeof response_code);
  if (strcmp (scan->status, "BYE") == 0)
    scan->bye = TRUE;

  return FALSE;
}

/* POP3 response codes are hierarchical (RFC 2449): "SYS/TEMP". */
static gboolean
pop3_code_is (const char *response_code,
              const char *wanted)
{
  gsize n = strlen (wanted);

  return g_str_has_prefix (response_code, wanted) &&
         (response_code[n] == '\0' || response_code[n] == '/');
}

/* The rules
 *
 * One row per way of recognising a reply, tried in order; the first row
 * that matches decides. A row matches when every field it sets holds:
 * the protocol, the SMTP code (or range), the IMAP/POP3 status or
 * response code, BYE, one of @any_of and none of @none_of. A row with
 * @nothing set stops the search without a diagnosis: the reply means
 * nothing special, and the rows after it must not guess. Every row has an
 * example reply that it, and no earlier row, classifies (test-diagnosis.c
 * checks that each row is reachable that way). */

#define IMAP_BIT (1u << MS_PROTOCOL_IMAP)
#define POP3_BIT (1u << MS_PROTOCOL_POP3)
#define SMTP_BIT (1u << MS_PROTOCOL_SMTP)
#define ALL_BITS (IMAP_BIT | POP3_BIT | SMTP_BIT)

#define ANY_OF(...) .any_of = (const char * const []) { __VA_ARGS__, NULL }
#define NONE_OF(...) .none_of = (const char * const []) { __VA_ARGS__, NULL }
#define SMTP_CODE(n) .protocols = SMTP_BIT, .smtp_min = (n), .smtp_max = (n)
#define SMTP_CODES(a, b) .protocols = SMTP_BIT, .smtp_min = (a), .smtp_max = (b)
#define IMAP_CODE(rc) .protocols = IMAP_BIT, .response_code = (rc)
#define POP3_CODE(rc) .protocols = POP3_BIT, .response_code = (rc)
#define GIVES(c) .code = MS_DIAGNOSIS_ ## c
#define NOTHING .nothing = TRUE

static const MsReplyRule reply_rules[] = {
  /* In every protocol, on any reply that is not a success. */
  { .protocols = ALL_BITS, ANY_OF ("chtr 301"), GIVES (SECURITY_ALERT),
    .example = "554 5.7.1 CHTR 301 Account security alert" },
  { .protocols = ALL_BITS, .any_of = lockout_phrases, GIVES (ACCOUNT_LOCKED),
    .example = "-ERR [AUTH] Account temporarily locked" },
  { .protocols = ALL_BITS, .any_of = app_password_phrases, GIVES (OAUTH_REQUIRED),
    .example = "534-5.7.9 Application-specific password required" },
  { .protocols = ALL_BITS, .any_of = plaintext_phrases, GIVES (PLAINTEXT_LOGIN_REFUSED),
    .example = "-ERR Plaintext authentication disallowed on non-secure connections" },
  { .protocols = ALL_BITS, .any_of = too_many_connections_phrases, GIVES (TOO_MANY_CONNECTIONS),
    .example = "-ERR Too many connections from your address" },

  /* SMTP: Charter's codes (E1110 and friends) first, then by reply code. */
  { SMTP_CODE (571), GIVES (RELAY_DENIED),
    .example = "571 Unable to deliver" },
  { .protocols = SMTP_BIT, ANY_OF ("e1110"), GIVES (RELAY_DENIED),
    .example = "550 5.7.1 E1110 Unable to relay" },
  { SMTP_CODES (500, 999), .any_of = relay_phrases, GIVES (RELAY_DENIED),
    .example = "554 5.7.1 <a@example.org>: Relay access denied" },

  { SMTP_CODE (421), ANY_OF ("e1550"), GIVES (TOO_MANY_CONNECTIONS),
    .example = "421 4.7.0 E1550 Busy, try again later" },
  { SMTP_CODE (421), .any_of = blocklist_phrases, GIVES (BLOCKLISTED),
    .example = "421 4.7.1 Client host blocked using zen.spamhaus.org" },
  /* "Service not available" is Charter's whole reply to a blacklisted
   * address, but it also starts RFC 5321's standard text for any shutdown
   * ("..., closing transmission channel"). */
  { SMTP_CODE (421), ANY_OF ("service not available"), NONE_OF ("closing transmission channel"),
    GIVES (BLOCKLISTED),
    .example = "421 Service not available" },
  { SMTP_CODE (421), ANY_OF ("lost"), GIVES (CONNECTION_LOST),
    .example = "421 4.4.2 Lost (Connection timed out)" },
  { SMTP_CODE (421), GIVES (SERVER_UNAVAILABLE),
    .example = "421 4.3.2 Service not available, closing transmission channel" },

  { SMTP_CODE (452), ANY_OF ("e2210", "quota"), GIVES (SEND_QUOTA_EXCEEDED),
    .example = "452 4.1.1 E2210 Send limit reached" },
  { SMTP_CODE (452), ANY_OF ("e1520", "come back later"), GIVES (SESSION_LIMIT),
    .example = "452 4.1.1 E1520 Come back later" },
  { SMTP_CODE (452), NOTHING,
    .example = "452 4.3.1 Insufficient system storage" },

  /* The answer to STARTTLS, or a temporary failure of the login. */
  { SMTP_CODE (454), ANY_OF ("tls", "starttls"), GIVES (STARTTLS_FAILED),
    .example = "454 4.7.0 TLS not available due to local problem" },
  { SMTP_CODE (454), GIVES (SERVER_UNAVAILABLE),
    .example = "454 4.7.0 Temporary authentication failure" },

  { SMTP_CODE (503), ANY_OF ("invalid"), GIVES (TOO_MANY_INVALID_RECIPIENTS),
    .example = "503 5.5.1 E3030 Too many invalid recipients" },
  { SMTP_CODE (503), NOTHING,
    .example = "503 5.5.1 Error: need MAIL command" },

  { SMTP_CODE (504), ANY_OF ("authentication", "mechanism"), GIVES (AUTH_MECHANISM_UNSUPPORTED),
    .example = "504 5.5.4 Unrecognized authentication type" },
  { SMTP_CODE (504), NOTHING,
    .example = "504 5.5.2 <x>: Helo command rejected: need fully-qualified hostname" },

  { SMTP_CODE (550), ANY_OF ("e5110", "spam", "message rejected"), GIVES (MESSAGE_REJECTED_AS_SPAM),
    .example = "550 5.2.0 E5110 Message Rejected" },
  { SMTP_CODE (550), .any_of = blocklist_phrases, GIVES (BLOCKLISTED),
    .example = "550 5.7.1 Service unavailable; client host blocked using Spamhaus" },
  { SMTP_CODE (550), ANY_OF ("5.3.4"), GIVES (MESSAGE_TOO_LARGE),
    .example = "550 5.3.4 Message size exceeds fixed limit" },
  { SMTP_CODE (550), NOTHING,
    .example = "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown" },

  { SMTP_CODE (554), ANY_OF ("e5110", "spam", "message rejected"), GIVES (MESSAGE_REJECTED_AS_SPAM),
    .example = "554 5.7.1 Message rejected as spam" },
  { SMTP_CODE (554), .any_of = blocklist_phrases, GIVES (BLOCKLISTED),
    .example = "554 5.7.1 Your address is on an RBL" },
  { SMTP_CODE (554), ANY_OF ("5.3.4"), GIVES (MESSAGE_TOO_LARGE),
    .example = "554 5.3.4 Message too big for system" },
  { SMTP_CODE (554), NOTHING,
    .example = "554 5.5.1 Error: no valid recipients" },

  /* 5.2.2 is a full mailbox at the other end, not a large message. */
  { SMTP_CODE (552), ANY_OF ("5.2.2"), NOTHING,
    .example = "552 5.2.2 Mailbox full" },
  { SMTP_CODE (552), GIVES (MESSAGE_TOO_LARGE),
    .example = "552 5.3.4 Message size exceeds fixed maximum message size" },

  { SMTP_CODE (553), ANY_OF ("e2110"), GIVES (SENDER_DOMAIN_UNKNOWN),
    .example = "553 5.1.8 E2110 Domain of sender address does not exist" },
  { SMTP_CODE (553), ANY_OF ("e2120"), GIVES (RECIPIENT_DOMAIN_UNKNOWN),
    .example = "553 5.1.2 E2120 Domain of recipient address does not exist" },
  { SMTP_CODE (553), NOTHING,
    .example = "553 5.7.1 <a@example.org>: Sender address rejected: not owned by user" },

  { SMTP_CODE (534), GIVES (AUTH_MECHANISM_UNSUPPORTED),
    .example = "534 5.7.9 Authentication mechanism is too weak" },
  { SMTP_CODE (535), GIVES (AUTH_FAILED),
    .example = "535 5.7.8 Error: authentication failed" },
  { SMTP_CODE (538), GIVES (PLAINTEXT_LOGIN_REFUSED),
    .example = "538 5.7.11 Encryption needed for the requested mechanism" },
  { SMTP_CODE (530), ANY_OF ("starttls"), GIVES (PLAINTEXT_LOGIN_REFUSED),
    .example = "530 5.7.0 Send STARTTLS first" },
  { SMTP_CODE (530), NOTHING,
    .example = "530 5.7.0 Authentication required" },

  /* Enhanced status codes (RFC 3463) where the basic code is unusual. */
  { .protocols = SMTP_BIT, ANY_OF ("5.7.8"), GIVES (AUTH_FAILED),
    .example = "501 5.7.8 Invalid credentials" },
  { .protocols = SMTP_BIT, ANY_OF ("5.7.9"), GIVES (AUTH_MECHANISM_UNSUPPORTED),
    .example = "501 5.7.9 Use a stronger mechanism" },

  /* IMAP response codes (RFC 5530), then a BYE that is not the answer to
   * LOGOUT. */
  { IMAP_CODE ("AUTHENTICATIONFAILED"), GIVES (AUTH_FAILED),
    .example = "a1 NO [AUTHENTICATIONFAILED] Authentication failed." },
  { IMAP_CODE ("AUTHORIZATIONFAILED"), GIVES (AUTH_FAILED),
    .example = "a1 NO [AUTHORIZATIONFAILED] Not allowed." },
  { IMAP_CODE ("EXPIRED"), GIVES (AUTH_FAILED),
    .example = "a1 NO [EXPIRED] Password expired." },
  { IMAP_CODE ("PRIVACYREQUIRED"), GIVES (PLAINTEXT_LOGIN_REFUSED),
    .example = "a1 NO [PRIVACYREQUIRED] Connection is not private." },
  { IMAP_CODE ("UNAVAILABLE"), GIVES (SERVER_UNAVAILABLE),
    .example = "a1 NO [UNAVAILABLE] Back end down." },
  { IMAP_CODE ("INUSE"), GIVES (TOO_MANY_CONNECTIONS),
    .example = "a1 NO [INUSE] Mailbox in use." },
  { .protocols = IMAP_BIT, .bye = TRUE, GIVES (SERVER_UNAVAILABLE),
    .example = "* BYE Server shutting down." },

  /* POP3 response codes (RFC 2449, 3206), hierarchical: "SYS" is also
   * "SYS/TEMP". */
  { POP3_CODE ("AUTH"), GIVES (AUTH_FAILED),
    .example = "-ERR [AUTH] Authentication failed." },
  { POP3_CODE ("SYS"), GIVES (SERVER_UNAVAILABLE),
    .example = "-ERR [SYS/TEMP] Try again later." },
  { POP3_CODE ("IN-USE"), GIVES (TOO_MANY_CONNECTIONS),
    .example = "-ERR [IN-USE] Mailbox locked by another session." },
  /* Logging in again too soon: the account is closed to logins for now. */
  { POP3_CODE ("LOGIN-DELAY"), GIVES (ACCOUNT_LOCKED),
    .example = "-ERR [LOGIN-DELAY] Wait before logging in again." },
};

/* After a login, when the reply rules found nothing special: a plain
 * failure is the password's. */
static const MsReplyRule login_rules[] = {
  { SMTP_CODES (500, 599), GIVES (AUTH_FAILED),
    .example = "551 User not local" },
  { SMTP_CODES (400, 499), GIVES (SERVER_UNAVAILABLE),
    .example = "451 Local error" },
  { .protocols = IMAP_BIT | POP3_BIT, .status = "NO", GIVES (AUTH_FAILED),
    .example = "a1 NO Login failed." },
  { .protocols = IMAP_BIT | POP3_BIT, .status = "-ERR", GIVES (AUTH_FAILED),
    .example = "-ERR Login failed." },
  { .protocols = IMAP_BIT | POP3_BIT, .status = "BAD", GIVES (PROTOCOL_ERROR),
    .example = "a1 BAD Error in IMAP command." },
};

/* What a reply says, read once for all rules. */
typedef struct
{
  MsProtocol  protocol;
  gboolean    success;            /* a success reply is never a diagnosis */
  guint       smtp_code;          /* SMTP: the first line's code, or 0 */
  StatusScan  scan;               /* IMAP, POP3 */
  Words       words;
} ReplyFacts;

static void
reply_facts_init (ReplyFacts *facts,
                  MsProtocol  protocol,
                  const char *reply)
{
  gsize length = strnlen (reply, MAX_CLASSIFIED_BYTES);
  gsize i = 0;

  memset (facts, 0, sizeof *facts);
  facts->protocol = protocol;
  words_init (&facts->words, reply, length);

  if (protocol == MS_PROTOCOL_SMTP)
    {
      facts->smtp_code = smtp_reply_code (reply, length);
      facts->success = facts->smtp_code >= 200 && facts->smtp_code < 400;
      return;
    }

  facts->scan.has_tag = protocol == MS_PROTOCOL_IMAP;
  foreach_line (reply, length, scan_status_line, &facts->scan);

  if (protocol == MS_PROTOCOL_POP3)
    {
      facts->success = g_str_has_prefix (facts->scan.status, "+");
      return;
    }

  while (i < length && g_ascii_isspace (reply[i]))
    i++;
  /* A continuation request: the command goes on, nothing failed. */
  facts->success = (i < length && reply[i] == '+') ||
                   (!facts->scan.bye &&
                    (strcmp (facts->scan.status, "OK") == 0 ||
                     strcmp (facts->scan.status, "PREAUTH") == 0));
}

static void
reply_facts_clear (ReplyFacts *facts)
{
  words_clear (&facts->words);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReplyFacts, reply_facts_clear)

static gboolean
response_code_is (const ReplyFacts *facts,
                  const char       *wanted)
{
  if (facts->protocol == MS_PROTOCOL_POP3)
    return pop3_code_is (facts->scan.response_code, wanted);

  return strcmp (facts->scan.response_code, wanted) == 0;
}

static gboolean
rule_matches (const MsReplyRule *rule,
              const ReplyFacts  *facts)
{
  if ((rule->protocols & (1u << facts->protocol)) == 0)
    return FALSE;
  if (rule->smtp_max != 0 &&
      (facts->smtp_code < rule->smtp_min || facts->smtp_code > rule->smtp_max))
    return FALSE;
  if (rule->status != NULL && strcmp (facts->scan.status, rule->status) != 0)
    return FALSE;
  if (rule->response_code != NULL && !response_code_is (facts, rule->response_code))
    return FALSE;
  if (rule->bye && !facts->scan.bye)
    return FALSE;
  if (rule->any_of != NULL && !has_any_phrase (&facts->words, rule->any_of))
    return FALSE;
  if (rule->none_of != NULL && has_any_phrase (&facts->words, rule->none_of))
    return FALSE;

  return TRUE;
}

/* Returns: the first row of @rules that matches, or NULL */
static const MsReplyRule *
find_rule (const MsReplyRule *rules,
           guint              n_rules,
           const ReplyFacts  *facts)
{
  for (guint i = 0; i < n_rules; i++)
    {
      if (rule_matches (&rules[i], facts))
        return &rules[i];
    }

  return NULL;
}

/* Returns: the row that decides what @reply means, or NULL when nothing
 * does (or when it is a success); *@table says which table it is in. */
static const MsReplyRule *
decide (MsProtocol        protocol,
        const char       *reply,
        gboolean          login,
        MsReplyRuleTable *table)
{
  g_auto(ReplyFacts) facts = { 0, };
  const MsReplyRule *rule = NULL;

  reply_facts_init (&facts, protocol, reply);

  if (!facts.success)
    {
      rule = find_rule (reply_rules, G_N_ELEMENTS (reply_rules), &facts);
      *table = MS_REPLY_RULE_TABLE_REPLY;
      if (rule != NULL && !rule->nothing)
        return rule;
    }

  if (!login)
    return rule;

  *table = MS_REPLY_RULE_TABLE_LOGIN;
  return find_rule (login_rules, G_N_ELEMENTS (login_rules), &facts);
}

const MsReplyRule *
ms_classifier_get_rules (MsReplyRuleTable  table,
                         guint            *n_rules)
{
  g_assert (n_rules != NULL);

  if (table == MS_REPLY_RULE_TABLE_LOGIN)
    {
      *n_rules = G_N_ELEMENTS (login_rules);
      return login_rules;
    }

  *n_rules = G_N_ELEMENTS (reply_rules);
  return reply_rules;
}

const MsReplyRule *
ms_classifier_decide (MsProtocol        protocol,
                      const char       *reply,
                      gboolean          login,
                      MsReplyRuleTable *table)
{
  MsReplyRuleTable ignored;

  g_return_val_if_fail (protocol <= MS_PROTOCOL_SMTP, NULL);
  g_return_val_if_fail (reply != NULL, NULL);

  return decide (protocol, reply, login, table != NULL ? table : &ignored);
}

/* Replies */

/* A reply's code by the rule tables; @login: it answers a login. */
static gboolean
classify_reply (MsProtocol       protocol,
                const char      *reply,
                gboolean         login,
                MsDiagnosisCode *code)
{
  const MsReplyRule *rule;

  if (reply == NULL)
    return FALSE;

  rule = ms_classifier_decide (protocol, reply, login, NULL);
  if (rule == NULL || rule->nothing)
    return FALSE;

  if (code != NULL)
    *code = rule->code;

  return TRUE;
}

/**
 * ms_diagnosis_classify_reply:
 * @protocol: the protocol that produced @reply
 * @reply: one complete server reply, lines separated by "\n" or "\r\n"
 * @code: (out): the diagnosis
 *
 * Classifies only the text of the reply, without knowing which command it
 * answers. Success replies (SMTP 2xx/3xx, IMAP OK/PREAUTH/"+", POP3 +OK)
 * are never a diagnosis. A bare IMAP NO, POP3 -ERR or SMTP failure without
 * a code or words that say more returns %FALSE, since the same words answer
 * any command: after a login, use ms_diagnosis_classify_login_reply().
 *
 * Recognised in every protocol: "CHTR 301" (security-alert), lockout words
 * such as "temporarily locked" or "too many login failures"
 * (account-locked), "application-specific password" and similar
 * (oauth-required), "plaintext authentication disallowed" or "must issue a
 * STARTTLS" (plaintext-login-refused), "too many connections"
 * (too-many-connections). An IMAP "* BYE" that is not the answer to LOGOUT
 * means server-unavailable: do not classify the answer to LOGOUT.
 *
 * Only the first 8 KiB are read.
 *
 * Returns: %TRUE if @reply means something specific
 */
gboolean
ms_diagnosis_classify_reply (MsProtocol       protocol,
                             const char      *reply,
                             MsDiagnosisCode *code)
{
  g_return_val_if_fail (protocol <= MS_PROTOCOL_SMTP, FALSE);

  return classify_reply (protocol, reply, FALSE, code);
}

/**
 * ms_diagnosis_classify_login_reply:
 * @protocol: the protocol that produced @reply
 * @reply: the server's answer to a login (IMAP LOGIN or AUTHENTICATE, POP3
 *   PASS or AUTH, SMTP AUTH)
 * @code: (out): the diagnosis
 *
 * Like ms_diagnosis_classify_reply(), but knowing that @reply answers a
 * login: a plain failure (IMAP NO, POP3 -ERR, SMTP 5xx) then means
 * auth-failed, an SMTP 4xx server-unavailable, an IMAP BAD protocol-error.
 *
 * Returns: %TRUE if the login failed
 */
gboolean
ms_diagnosis_classify_login_reply (MsProtocol       protocol,
                                   const char      *reply,
                                   MsDiagnosisCode *code)
{
  g_return_val_if_fail (protocol <= MS_PROTOCOL_SMTP, FALSE);

  return classify_reply (protocol, reply, TRUE, code);
}

/* Errors and certificates */

static gboolean
tls_message_means_version (const char *message)
{
  g_auto(Words) words = { NULL, };

  if (message == NULL)
    return FALSE;

  words_init (&words, message, strnlen (message, MAX_CLASSIFIED_BYTES));

  /* GnuTLS: "A packet with illegal or unsupported version was received",
   * "Received alert [70]: Error in protocol version", "No supported cipher
   * suites have been found". */
  return has_phrase (&words, "protocol version") ||
         (has_word (&words, "version") &&
          (has_word (&words, "unsupported") || has_word (&words, "illegal"))) ||
         has_phrase (&words, "no supported cipher suites");
}

/**
 * ms_diagnosis_classify_error:
 * @error: an error from resolving, connecting, TLS or reading
 * @code: (out): the diagnosis
 *
 * For %G_TLS_ERROR_BAD_CERTIFICATE prefer
 * ms_diagnosis_classify_certificate_flags() with the connection's peer
 * certificate errors: this function can only say tls-untrusted.
 *
 * Returns: %TRUE if @error means something specific; %FALSE for
 *   cancellation, which is never a diagnosis, and for unknown errors
 */
gboolean
ms_diagnosis_classify_error (const GError    *error,
                             MsDiagnosisCode *code)
{
  MsDiagnosisCode result;

  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain == G_RESOLVER_ERROR)
    {
      result = MS_DIAGNOSIS_DNS_FAILURE;
    }
  else if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_HOST_NOT_FOUND:
          result = MS_DIAGNOSIS_DNS_FAILURE;
          break;
        case G_IO_ERROR_CONNECTION_REFUSED:
          result = MS_DIAGNOSIS_CONNECTION_REFUSED;
          break;
        case G_IO_ERROR_TIMED_OUT:
          result = MS_DIAGNOSIS_TIMEOUT;
          break;
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_UNREACHABLE:
          result = MS_DIAGNOSIS_NETWORK_UNREACHABLE;
          break;
        /* G_IO_ERROR_CONNECTION_CLOSED is the same value as BROKEN_PIPE. */
        case G_IO_ERROR_CLOSED:
        case G_IO_ERROR_BROKEN_PIPE:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_INVALID_DATA:
          result = MS_DIAGNOSIS_PROTOCOL_ERROR;
          break;
        case G_IO_ERROR_CANCELLED:
        default:
          return FALSE;
        }
    }
  else if (error->domain == G_TLS_ERROR)
    {
      switch (error->code)
        {
        case G_TLS_ERROR_BAD_CERTIFICATE:
          result = MS_DIAGNOSIS_TLS_UNTRUSTED;
          break;
        case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
          result = MS_DIAGNOSIS_TLS_VERSION_MISMATCH;
          break;
        case G_TLS_ERROR_NOT_TLS:
        case G_TLS_ERROR_MISC:
        case G_TLS_ERROR_HANDSHAKE:
        case G_TLS_ERROR_EOF:
        case G_TLS_ERROR_CERTIFICATE_REQUIRED:
          result = tls_message_means_version (error->message)
                   ? MS_DIAGNOSIS_TLS_VERSION_MISMATCH
                   : MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED;
          break;
        case G_TLS_ERROR_UNAVAILABLE:
        default:
          return FALSE;
        }
    }
  else
    {
      return FALSE;
    }

  if (code != NULL)
    *code = result;

  return TRUE;
}

/**
 * ms_diagnosis_classify_certificate_flags:
 * @flags: the errors found when validating a certificate
 * @code: (out): the diagnosis
 *
 * When several errors are set, the one that says most about the danger
 * wins: revoked, then insecure, then wrong host, then expired (or not yet
 * valid), then untrusted. Revoked and insecure certificates must never be
 * trusted whatever else is wrong. A wrong host usually means a mistyped
 * server name or a connection diverted elsewhere, which matters more than
 * the date; and "untrusted" comes last because it is the only code for
 * which the person may choose to trust the certificate, which must not be
 * offered when something else is wrong too (a self-signed certificate for
 * another host is reported as tls-wrong-host).
 *
 * Returns: %TRUE if @flags has any error
 */
gboolean
ms_diagnosis_classify_certificate_flags (GTlsCertificateFlags  flags,
                                         MsDiagnosisCode      *code)
{
  MsDiagnosisCode result;

  if ((flags & G_TLS_CERTIFICATE_VALIDATE_ALL) == 0)
    return FALSE;

  if (flags & G_TLS_CERTIFICATE_REVOKED)
    result = MS_DIAGNOSIS_TLS_REVOKED;
  else if (flags & G_TLS_CERTIFICATE_INSECURE)
    result = MS_DIAGNOSIS_TLS_INSECURE;
  else if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    result = MS_DIAGNOSIS_TLS_WRONG_HOST;
  else if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    result = MS_DIAGNOSIS_TLS_EXPIRED;
  else
    result = MS_DIAGNOSIS_TLS_UNTRUSTED;  /* UNKNOWN_CA, GENERIC_ERROR */

  if (code != NULL)
    *code = result;

  return TRUE;
}

/* What probes record */

/**
 * ms_diagnosis_code_for_error:
 * @error: why a step failed
 * @fallback: what the step's failure means when @error says nothing more
 *
 * A reply that broke the protocol's grammar (%MS_REPLY_ERROR) is a
 * protocol error; other errors go through ms_diagnosis_classify_error().
 *
 * Returns: the code to record
 */
MsDiagnosisCode
ms_diagnosis_code_for_error (const GError    *error,
                             MsDiagnosisCode  fallback)
{
  MsDiagnosisCode code = fallback;

  g_return_val_if_fail (error != NULL, fallback);

  if (error->domain == MS_REPLY_ERROR)
    return MS_DIAGNOSIS_PROTOCOL_ERROR;

  ms_diagnosis_classify_error (error, &code);

  return code;
}

/**
 * ms_diagnosis_code_for_reply:
 * @reply: (nullable): a failure reply, as ms_reply_to_string() writes it
 * @fallback: what a failure of the command means when the reply says
 *   nothing more
 *
 * Returns: the code to record
 */
MsDiagnosisCode
ms_diagnosis_code_for_reply (MsProtocol       protocol,
                             const char      *reply,
                             MsDiagnosisCode  fallback)
{
  MsDiagnosisCode code = fallback;

  ms_diagnosis_classify_reply (protocol, reply, &code);

  return code;
}

/**
 * ms_diagnosis_code_for_login_reply:
 * @reply: (nullable): the answer to a login that did not succeed
 *
 * Returns: the code to record; auth-failed when the reply says nothing
 *   more
 */
MsDiagnosisCode
ms_diagnosis_code_for_login_reply (MsProtocol  protocol,
                                   const char *reply)
{
  MsDiagnosisCode code = MS_DIAGNOSIS_AUTH_FAILED;

  ms_diagnosis_classify_login_reply (protocol, reply, &code);

  return code;
}

/**
 * ms_diagnosis_code_for_certificate:
 * @flags: the peer certificate's errors, from a handshake that failed on
 *   the certificate
 *
 * Returns: the code to record; tls-untrusted when @flags has no error
 *   (GIO refused the certificate without saying why)
 */
MsDiagnosisCode
ms_diagnosis_code_for_certificate (GTlsCertificateFlags flags)
{
  MsDiagnosisCode code = MS_DIAGNOSIS_TLS_UNTRUSTED;

  ms_diagnosis_classify_certificate_flags (flags, &code);

  return code;
}

/**
 * ms_diagnosis_classify_follow_up:
 * @code: what one probe found
 * @context: what the account test knows besides
 * @follow_up: (out): the further diagnosis
 *
 * Some diagnoses mean more given the whole picture: a login refused for
 * a username without the domain, when the provider wants the whole
 * address, is probably username-incomplete; an unknown certificate where
 * the person trusted another one is tls-certificate-changed, which must
 * be said loudly.
 *
 * Returns: %TRUE if @code, in @context, calls for another diagnosis
 */
gboolean
ms_diagnosis_classify_follow_up (MsDiagnosisCode           code,
                                 const MsDiagnosisContext *context,
                                 MsDiagnosisCode          *follow_up)
{
  MsDiagnosisCode result;

  g_return_val_if_fail (context != NULL, FALSE);

  if (code == MS_DIAGNOSIS_AUTH_FAILED && context->username_is_address &&
      context->username != NULL && strchr (context->username, '@') == NULL)
    result = MS_DIAGNOSIS_USERNAME_INCOMPLETE;
  else if (code == MS_DIAGNOSIS_TLS_UNTRUSTED && context->certificate_was_pinned)
    result = MS_DIAGNOSIS_TLS_CERTIFICATE_CHANGED;
  else
    return FALSE;

  if (follow_up != NULL)
    *follow_up = result;

  return TRUE;
}

/* Does the granted list hold any of the scopes the server names? */
static gboolean
scopes_overlap (const char *wanted,
                const char *granted)
{
  g_auto(GStrv) wanted_list = g_strsplit (wanted, " ", -1);
  g_auto(GStrv) granted_list = g_strsplit (granted, " ", -1);

  for (guint i = 0; wanted_list[i] != NULL; i++)
    {
      if (wanted_list[i][0] != '\0' && g_strv_contains ((const char * const *) granted_list, wanted_list[i]))
        return TRUE;
    }

  return FALSE;
}

/**
 * ms_diagnosis_code_for_oauth_error:
 * @error_json: (nullable): what the server sent when it refused a bearer
 *   token (RFC 7628 §3.2.2: "status", "scope"); %NULL when it only said no
 * @granted_scope: (nullable): the scopes the token was granted, as the
 *   token endpoint said
 * @token_expired: whether the token's lifetime is known to be over
 *
 * Servers say "invalid_token" (or, XOAUTH2, "401") for an expired and a
 * revoked token alike; only the client knows the token's age. A scope
 * the server wants and the token lacks, or "insufficient_scope" ("403"),
 * is the wrong permission.
 *
 * Returns: oauth-scope-missing, oauth-token-expired or oauth-token-invalid
 */
MsDiagnosisCode
ms_diagnosis_code_for_oauth_error (const char *error_json,
                                   const char *granted_scope,
                                   gboolean    token_expired)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  const char *status = NULL;
  const char *scope = NULL;

  if (error_json != NULL && json_parser_load_from_data (parser, error_json, -1, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      status = ms_json_get_string_member (json_node_get_object (root), "status");
      scope = ms_json_get_string_member (json_node_get_object (root), "scope");
    }

  if (g_strcmp0 (status, "insufficient_scope") == 0 || g_strcmp0 (status, "403") == 0)
    return MS_DIAGNOSIS_OAUTH_SCOPE_MISSING;
  if (scope != NULL && granted_scope != NULL && !scopes_overlap (scope, granted_scope))
    return MS_DIAGNOSIS_OAUTH_SCOPE_MISSING;
  if (token_expired)
    return MS_DIAGNOSIS_OAUTH_TOKEN_EXPIRED;

  return MS_DIAGNOSIS_OAUTH_TOKEN_INVALID;
}
