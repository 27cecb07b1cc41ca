/* ms-diagnosis.h: what went wrong, in plain words, and how to fix it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ms-fix.h"
#include "ms-server.h"

G_BEGIN_DECLS

/* Nicks of MS_TYPE_SEVERITY: "info", "warning", "error" (JSON). */
typedef enum
{
  MS_SEVERITY_INFO,
  MS_SEVERITY_WARNING,
  MS_SEVERITY_ERROR,
} MsSeverity;

/* Every code has a stable string (ms_diagnosis_code_to_string), which is
 * part of the command line's JSON API: never rename or reuse one. The
 * string is the nick of MS_TYPE_DIAGNOSIS_CODE (ms-enum-types.h), made from
 * the value's name (MS_DIAGNOSIS_TLS_WRONG_HOST is "tls-wrong-host"); the
 * comments repeat it for the reader. New codes go before MS_DIAGNOSIS_N_CODES.
 *
 * JSON (ms_diagnosis_to_json), every member always present:
 *   {"code": "relay-denied", "severity": "info" | "warning" | "error",
 *    "title": "...", "explanation": "...", "detail": "..." | null,
 *    "server": {"protocol": "smtp", "hostname": "smtp.charter.net", "port": 25,
 *               "security": "plain", "username": ..., "auth": ...} | null,
 *    "fixes": [ ...ms_fix_to_json objects, best first... ]}
 * "title" and "explanation" are translated, plain-language text; "detail"
 * is the sanitised technical evidence (a server reply, an error message). */
typedef enum
{
  MS_DIAGNOSIS_OFFLINE,                     /* "offline" */
  MS_DIAGNOSIS_DNS_FAILURE,                 /* "dns-failure" */
  MS_DIAGNOSIS_CONNECTION_REFUSED,          /* "connection-refused" */
  MS_DIAGNOSIS_TIMEOUT,                     /* "timeout": probably filtered by a firewall */
  MS_DIAGNOSIS_NETWORK_UNREACHABLE,         /* "network-unreachable" */
  MS_DIAGNOSIS_TLS_UNTRUSTED,               /* "tls-untrusted": unknown CA, self-signed */
  MS_DIAGNOSIS_TLS_EXPIRED,                 /* "tls-expired": expired or not yet valid */
  MS_DIAGNOSIS_TLS_WRONG_HOST,              /* "tls-wrong-host" */
  MS_DIAGNOSIS_TLS_REVOKED,                 /* "tls-revoked" */
  MS_DIAGNOSIS_TLS_INSECURE,                /* "tls-insecure": weak algorithm */
  MS_DIAGNOSIS_TLS_CERTIFICATE_CHANGED,     /* "tls-certificate-changed": a pinned one changed */
  MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED,        /* "tls-handshake-failed" */
  MS_DIAGNOSIS_TLS_VERSION_MISMATCH,        /* "tls-version-mismatch" */
  MS_DIAGNOSIS_STARTTLS_NOT_OFFERED,        /* "starttls-not-offered" */
  MS_DIAGNOSIS_STARTTLS_FAILED,             /* "starttls-failed": offered, then refused */
  MS_DIAGNOSIS_SECURITY_MISMATCH,           /* "security-mismatch": port speaks other than listed (info) */
  MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED,     /* "plaintext-login-refused": we or the server refuse a login without TLS */
  MS_DIAGNOSIS_AUTH_FAILED,                 /* "auth-failed" */
  MS_DIAGNOSIS_USERNAME_INCOMPLETE,         /* "username-incomplete": full address needed */
  MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED,  /* "auth-mechanism-unsupported": no mechanism in common */
  MS_DIAGNOSIS_OAUTH_REQUIRED,              /* "oauth-required": app password or OAuth needed */
  MS_DIAGNOSIS_ACCOUNT_LOCKED,              /* "account-locked": too many failed logins */
  MS_DIAGNOSIS_SERVER_UNAVAILABLE,          /* "server-unavailable": 421, [UNAVAILABLE], [SYS/TEMP], BYE */
  MS_DIAGNOSIS_PROTOCOL_ERROR,              /* "protocol-error": garbage, overlong line, closed mid-reply */
  MS_DIAGNOSIS_RELAY_DENIED,                /* "relay-denied": 571 E1110, not on the provider's network */
  MS_DIAGNOSIS_TOO_MANY_CONNECTIONS,        /* "too-many-connections": 421 E1550 */
  MS_DIAGNOSIS_BLOCKLISTED,                 /* "blocklisted": 421, IP on a real-time blacklist */
  MS_DIAGNOSIS_CONNECTION_LOST,             /* "connection-lost": 421 Lost (Connection timed out) */
  MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED,         /* "send-quota-exceeded": 452 E2210 */
  MS_DIAGNOSIS_SESSION_LIMIT,               /* "session-limit": 452 E1520 */
  MS_DIAGNOSIS_TOO_MANY_INVALID_RECIPIENTS, /* "too-many-invalid-recipients": 503 */
  MS_DIAGNOSIS_MESSAGE_REJECTED_AS_SPAM,    /* "message-rejected-as-spam": 550 E5110 / Message Rejected */
  MS_DIAGNOSIS_MESSAGE_TOO_LARGE,           /* "message-too-large": 552, 10 MB at Charter */
  MS_DIAGNOSIS_SENDER_DOMAIN_UNKNOWN,       /* "sender-domain-unknown": 553 E2110 */
  MS_DIAGNOSIS_RECIPIENT_DOMAIN_UNKNOWN,    /* "recipient-domain-unknown": 553 E2120 */
  MS_DIAGNOSIS_SECURITY_ALERT,              /* "security-alert": CHTR 301 */
  MS_DIAGNOSIS_PROFILE_NETWORK_RESTRICTED,  /* "profile-network-restricted": works only on the provider's own network (info) */
  MS_DIAGNOSIS_TEST_MESSAGE_NOT_ARRIVED,    /* "test-message-not-arrived" */
  MS_DIAGNOSIS_SERVER_RETIRED,              /* "server-retired": an existing account uses a server the provider retired */
  MS_DIAGNOSIS_INSECURE_SETTINGS,           /* "insecure-settings": an existing account logs in without encryption */
  MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER,  /* "profile-wrong-for-computer": network-restricted settings on a computer used elsewhere */
  MS_DIAGNOSIS_PORTS_MIXED_UP,              /* "ports-mixed-up": 465 set up as STARTTLS, or 587 as SSL where it speaks STARTTLS */
  MS_DIAGNOSIS_OAUTH_TOKEN_EXPIRED,         /* "oauth-token-expired": the access token's time ran out (RFC 7628 invalid_token) */
  MS_DIAGNOSIS_OAUTH_TOKEN_INVALID,         /* "oauth-token-invalid": the token was revoked or is not valid any more */
  MS_DIAGNOSIS_OAUTH_SCOPE_MISSING,         /* "oauth-scope-missing": the sign-in did not grant access to mail (insufficient_scope) */
  MS_DIAGNOSIS_OAUTH_CONSENT_REFUSED,       /* "oauth-consent-refused": the person (or provider) said no in the browser */
  MS_DIAGNOSIS_OAUTH_SIGN_IN_UNFINISHED,    /* "oauth-sign-in-unfinished": the browser never came back (closed, left) */
  MS_DIAGNOSIS_OAUTH_NO_CLIENT,             /* "oauth-no-client": no sign-in client for this provider: app password */
  MS_DIAGNOSIS_OAUTH_NO_BROWSER,            /* "oauth-no-browser": no web browser could be opened */
  MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED,        /* "oauth-sign-in-failed": the provider refused or garbled the sign-in */
  MS_DIAGNOSIS_OAUTH_NOT_SIGNED_IN,         /* "oauth-not-signed-in": no sign-in is kept for the address */
  MS_DIAGNOSIS_N_CODES /*< skip >*/
} MsDiagnosisCode;

#define MS_TYPE_DIAGNOSIS (ms_diagnosis_get_type ())

typedef struct _MsDiagnosis MsDiagnosis;

/**
 * MsDiagnosis:
 * @code: the stable code
 * @severity: how bad
 * @title: a short, translated, plain-language title
 * @explanation: one or two translated sentences, no jargon
 * @detail: (nullable): the technical evidence (a server reply, an error
 *   message), never a secret
 * @server: (nullable): the server it is about
 * @fixes: (element-type MsFix): what to do, best first
 */
struct _MsDiagnosis
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  MsDiagnosisCode  code;
  MsSeverity       severity;
  char            *title;
  char            *explanation;
  char            *detail;
  MsServer        *server;
  GPtrArray       *fixes;
};

GType        ms_diagnosis_get_type          (void) G_GNUC_CONST;
MsDiagnosis *ms_diagnosis_new               (MsDiagnosisCode    code,
                                             const MsServer    *server,
                                             const char        *detail);
MsDiagnosis *ms_diagnosis_ref               (MsDiagnosis       *self);
void         ms_diagnosis_unref             (MsDiagnosis       *self);
void         ms_diagnosis_add_fix           (MsDiagnosis       *self,
                                             MsFix             *fix);
const char  *ms_diagnosis_code_to_string    (MsDiagnosisCode    code);
gboolean     ms_diagnosis_code_from_string  (const char        *string,
                                             MsDiagnosisCode   *code);
MsSeverity   ms_diagnosis_code_get_severity (MsDiagnosisCode    code);
const char  *ms_severity_to_string          (MsSeverity         severity);
JsonNode    *ms_diagnosis_to_json           (const MsDiagnosis *self);
char        *ms_diagnosis_sanitize_detail   (const char        *detail);

/* Classifiers: map an observation to a code. They return FALSE when the
 * observation means nothing special (and never for a success reply or a
 * cancellation). classify_reply reads only the reply's text, so a bare
 * NO / -ERR / 5xx is FALSE; classify_login_reply knows the reply answers a
 * login and calls that auth-failed. With several certificate errors, the
 * order is revoked > insecure > wrong host > expired > untrusted, so that
 * "trust this certificate" is only ever offered when untrusted is the sole
 * problem. ms-classifier.c has them all, and its rule tables list the
 * words and codes each diagnosis is recognised by. */
gboolean     ms_diagnosis_classify_reply    (MsProtocol         protocol,
                                             const char        *reply,
                                             MsDiagnosisCode   *code);
gboolean     ms_diagnosis_classify_login_reply (MsProtocol       protocol,
                                                const char      *reply,
                                                MsDiagnosisCode *code);
gboolean     ms_diagnosis_classify_error    (const GError      *error,
                                             MsDiagnosisCode   *code);
gboolean     ms_diagnosis_classify_certificate_flags (GTlsCertificateFlags flags,
                                                      MsDiagnosisCode     *code);

/* What a probe records when something failed: always a code, the
 * classifier's when it has one, else @fallback (what the failing step
 * means when nothing more is known). */
MsDiagnosisCode ms_diagnosis_code_for_error       (const GError        *error,
                                                   MsDiagnosisCode      fallback);
MsDiagnosisCode ms_diagnosis_code_for_reply       (MsProtocol           protocol,
                                                   const char          *reply,
                                                   MsDiagnosisCode      fallback);
MsDiagnosisCode ms_diagnosis_code_for_login_reply (MsProtocol           protocol,
                                                   const char          *reply);
MsDiagnosisCode ms_diagnosis_code_for_certificate (GTlsCertificateFlags flags);
MsDiagnosisCode ms_diagnosis_code_for_oauth_error (const char          *error_json,
                                                   const char          *granted_scope,
                                                   gboolean             token_expired);

/* What the account test knows besides one probe's diagnosis. */
typedef struct
{
  const char *username;                /* the username the login used */
  gboolean    username_is_address;     /* the provider wants the whole address */
  gboolean    certificate_was_pinned;  /* the person trusted another one for this host and port */
} MsDiagnosisContext;

gboolean     ms_diagnosis_classify_follow_up (MsDiagnosisCode           code,
                                              const MsDiagnosisContext *context,
                                              MsDiagnosisCode          *follow_up);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsDiagnosis, ms_diagnosis_unref)

G_END_DECLS
