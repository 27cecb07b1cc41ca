/* ms-probe-result.h: what testing one server found out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ms-diagnosis.h"
#include "ms-server.h"

G_BEGIN_DECLS

/* Stable names: see ms_login_result_to_string(). */
typedef enum
{
  MS_LOGIN_NOT_ATTEMPTED,     /* "not-attempted": no password given, or an earlier step failed */
  MS_LOGIN_SUCCEEDED,         /* "succeeded" */
  MS_LOGIN_FAILED,            /* "failed": the server said no (once) */
  MS_LOGIN_NOT_OFFERED,       /* "not-offered": SMTP without AUTH (relay by network) */
  MS_LOGIN_UNSUPPORTED,       /* "unsupported": no mechanism both sides know */
  MS_LOGIN_REFUSED_INSECURE,  /* "refused-insecure": we would not send the password without TLS */
} MsLoginResult;

/* Each stage's duration in the report; stable names too. */
typedef enum
{
  MS_PROBE_STAGE_CONNECT,       /* "connect" */
  MS_PROBE_STAGE_TLS,           /* "tls": the handshake, implicit or after STARTTLS */
  MS_PROBE_STAGE_GREETING,      /* "greeting" */
  MS_PROBE_STAGE_CAPABILITIES,  /* "capabilities" (before and after TLS) */
  MS_PROBE_STAGE_STARTTLS,      /* "starttls": the command, not the handshake */
  MS_PROBE_STAGE_AUTH,          /* "auth" */
  MS_PROBE_STAGE_MESSAGE,       /* "message": sending or finding the test message */
  MS_PROBE_STAGE_TOTAL,         /* "total" */
  MS_PROBE_N_STAGES             /*< skip >*/
} MsProbeStage;

/* Why the handshake offered TLS 1.2 at most; stable names (the nicks). */
typedef enum
{
  MS_TLS_LIMIT_NONE,      /* "none": TLS 1.3 was offered as usual */
  MS_TLS_LIMIT_RETRY,     /* "retry": the TLS 1.3 handshake failed, retried once with 1.2 */
  MS_TLS_LIMIT_PROVIDER,  /* "provider": the provider file says 1.2 at most */
} MsTlsLimit;

#define MS_TYPE_PROBE_RESULT (ms_probe_result_get_type ())

typedef struct _MsProbeResult MsProbeResult;

/**
 * MsProbeResult:
 * @server: the server as requested
 * @connected: a TCP connection was made
 * @security_detected: whether @detected_security is known
 * @detected_security: what the port really speaks
 * @tls_established: TLS is up with a certificate that validated, or that
 *   the user pinned for this host and port
 * @certificate_pinned: TLS is up only because the user trusts this certificate
 * @username: (nullable): the username the login used
 * @stage_ms: milliseconds per stage, -1 for stages not run
 * @diagnoses: (element-type MsDiagnosis): problems, worst first
 * @transcript: (element-type utf8): the dialogue, secrets masked
 * @message_sent_usec / @message_found_usec: monotonic times for the
 *   end-to-end test, 0 if not done
 * @relay_checked: an SMTP server without a login was asked whether it
 *   takes mail for an outside address from here (ms_probe_set_relay_check())
 * @relay_accepted: and it said yes
 * @tls_limit: whether the (last) handshake offered TLS 1.2 at most, and why
 */
struct _MsProbeResult
{
  /*< private >*/
  gatomicrefcount       ref_count;

  /*< public >*/
  MsServer             *server;
  gboolean              connected;
  gboolean              security_detected;
  MsSecurity            detected_security;
  gboolean              tls_established;
  char                 *tls_version;
  char                 *tls_cipher;
  GTlsCertificate      *certificate;
  GTlsCertificateFlags  certificate_errors;
  gboolean              certificate_pinned;
  GStrv                 capabilities;
  GStrv                 mechanisms;
  MsLoginResult         login;
  char                 *login_mechanism;
  char                 *username;
  gint64                stage_ms[MS_PROBE_N_STAGES];
  guint                 round_trips;
  GPtrArray            *diagnoses;
  GPtrArray            *transcript;
  gboolean              message_send_requested;
  gint64                message_sent_usec;
  gint64                message_found_usec;
  gboolean              relay_checked;
  gboolean              relay_accepted;
  MsTlsLimit            tls_limit;
};

GType          ms_probe_result_get_type     (void) G_GNUC_CONST;
MsProbeResult *ms_probe_result_new          (MsServer            *server);
MsProbeResult *ms_probe_result_ref          (MsProbeResult       *self);
void           ms_probe_result_unref        (MsProbeResult       *self);
gboolean       ms_probe_result_is_secure    (const MsProbeResult *self);
gboolean       ms_probe_result_works        (const MsProbeResult *self);
void           ms_probe_result_add_diagnosis (MsProbeResult      *self,
                                              MsDiagnosis        *diagnosis);
gboolean       ms_probe_result_has_diagnosis (const MsProbeResult *self,
                                              MsDiagnosisCode     code);
const char    *ms_login_result_to_string    (MsLoginResult        result);
const char    *ms_probe_stage_to_string     (MsProbeStage         stage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsProbeResult, ms_probe_result_unref)

G_END_DECLS
