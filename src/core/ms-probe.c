/* ms-probe.c: test one mail server for real
 *
 * A probe connects, finds out what the port really speaks (implicit TLS,
 * or a plaintext greeting with STARTTLS) whatever the provider file claims,
 * validates the certificate, reads the capabilities again after TLS and
 * logs in once. The rules it never bends:
 *
 *  - no password before TLS is up with a certificate that validated or that
 *    the user pinned for this host and port;
 *  - no password after a STARTTLS the server did not offer or that failed;
 *  - one login attempt, never a retry with another username or mechanism.
 *
 * The steps form one state machine (probe_advance); every network step has
 * a deadline and the caller's cancellable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-capabilities.h"
#include "ms-certificate-info.h"
#include "ms-dialect.h"
#include "ms-mail-connection.h"
#include "ms-probe.h"

#define DEFAULT_TIMEOUT_MS 15000
/* How long a port listed as plaintext/STARTTLS may stay silent before we
 * suspect it waits for a TLS handshake instead (Charter's 587). */
#define MAX_DETECT_TIMEOUT_MS 4000
#define WATCH_INTERVAL_MS 500

typedef enum
{
  STEP_CONNECT,
  STEP_IMPLICIT_TLS,
  STEP_GREETING,
  STEP_CAPABILITIES,
  STEP_STARTTLS,
  STEP_STARTTLS_HANDSHAKE,
  STEP_CAPABILITIES_AFTER_TLS,
  STEP_AUTH,
  STEP_SMTP_MAIL_FROM,
  STEP_SMTP_RCPT_TO,
  STEP_SMTP_DATA,
  STEP_SMTP_BODY,
  STEP_SMTP_RELAY_MAIL_FROM,
  STEP_SMTP_RELAY_RCPT_TO,
  STEP_SMTP_RELAY_RSET,
  STEP_IMAP_SELECT,
  STEP_IMAP_SEARCH,
  STEP_IMAP_STORE,
  STEP_IMAP_EXPUNGE,
  STEP_QUIT,
  STEP_DONE,
} Step;

struct _MsProbe
{
  GObject            parent_instance;

  /* Set before running */
  MsServer          *server;
  GTlsDatabase      *database;
  MsProbeTrustFunc   trust_func;
  gpointer           trust_data;
  GDestroyNotify     trust_destroy;
  guint              timeout_ms;
  char              *username;
  MsSecret          *password;         /* or the bearer token, when bearer */
  gboolean           bearer;           /* ms_probe_set_bearer_token() */
  char              *granted_scope;
  gint64             token_expires;    /* unix time; 0: not known */
  char              *message_from;
  char              *message_to;
  char              *message;
  char              *watch_token;
  guint              watch_timeout_ms;
  char              *relay_from;
  char              *relay_to;

  /* While running */
  GTask             *task;
  MsProbeResult     *result;
  MsMailConnection  *connection;
  const MsDialect   *dialect;
  Step               step;
  gboolean           implicit_tls;     /* this connection starts with TLS */
  gboolean           fallback_tried;   /* reconnected with the other security */
  gboolean           tls12_only;       /* this connection offers TLS 1.2 at most */
  GError            *first_error;      /* why the first way failed */
  MsReply           *greeting;
  MsCapabilities    *capabilities;
  MsAuthState        auth;
  guint              next_tag;
  char              *current_tag;
  MsReplyKind        pending_reply_kind;
  gint64             start_usec;
  gint64             stage_start_usec;
  MsProbeStage       stage;
  gint64             watch_deadline_usec;
  guint              watch_source;
  char              *found_uid;
  gboolean           stop_watching;
};

G_DEFINE_FINAL_TYPE (MsProbe, ms_probe, G_TYPE_OBJECT)

/* g_set_str() is GLib 2.76. */
static void
set_string (char       **field,
            const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void probe_advance (MsProbe *self);
static void probe_quit (MsProbe *self);

static void
ms_probe_dispose (GObject *object)
{
  MsProbe *self = MS_PROBE (object);

  g_clear_handle_id (&self->watch_source, g_source_remove);
  if (self->connection != NULL)
    ms_mail_connection_close (self->connection);
  g_clear_object (&self->connection);
  g_clear_object (&self->database);
  g_clear_object (&self->task);

  if (self->trust_destroy != NULL)
    g_clear_pointer (&self->trust_data, self->trust_destroy);

  G_OBJECT_CLASS (ms_probe_parent_class)->dispose (object);
}

static void
ms_probe_finalize (GObject *object)
{
  MsProbe *self = MS_PROBE (object);

  g_clear_pointer (&self->server, ms_server_unref);
  g_clear_pointer (&self->password, ms_secret_unref);
  g_clear_pointer (&self->granted_scope, g_free);
  g_clear_pointer (&self->auth.oauth_error, g_free);
  g_clear_pointer (&self->result, ms_probe_result_unref);
  g_clear_pointer (&self->greeting, ms_reply_free);
  g_clear_pointer (&self->capabilities, ms_capabilities_free);
  g_free (self->username);
  g_free (self->message_from);
  g_free (self->message_to);
  g_free (self->message);
  g_free (self->watch_token);
  g_free (self->relay_from);
  g_free (self->relay_to);
  g_free (self->current_tag);
  g_free (self->found_uid);
  g_clear_error (&self->first_error);

  G_OBJECT_CLASS (ms_probe_parent_class)->finalize (object);
}

static void
ms_probe_class_init (MsProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_probe_dispose;
  object_class->finalize = ms_probe_finalize;
}

static void
ms_probe_init (MsProbe *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->next_tag = 1;
}

MsProbe *
ms_probe_new (MsServer *server)
{
  MsProbe *self;

  g_return_val_if_fail (server != NULL, NULL);

  self = g_object_new (MS_TYPE_PROBE, NULL);
  self->server = ms_server_ref (server);
  self->dialect = ms_dialect_for_protocol (server->protocol);

  return self;
}

MsServer *
ms_probe_get_server (MsProbe *self)
{
  g_return_val_if_fail (MS_IS_PROBE (self), NULL);

  return self->server;
}

void
ms_probe_set_tls_database (MsProbe      *self,
                           GTlsDatabase *database)
{
  g_return_if_fail (MS_IS_PROBE (self));

  g_set_object (&self->database, database);
}

/**
 * ms_probe_set_trust_func:
 * @func: (nullable): asked about certificates that failed validation
 */
void
ms_probe_set_trust_func (MsProbe          *self,
                         MsProbeTrustFunc  func,
                         gpointer          user_data,
                         GDestroyNotify    destroy)
{
  g_return_if_fail (MS_IS_PROBE (self));

  if (self->trust_destroy != NULL)
    g_clear_pointer (&self->trust_data, self->trust_destroy);

  self->trust_func = func;
  self->trust_data = user_data;
  self->trust_destroy = destroy;
}

/**
 * ms_probe_set_timeout:
 * @timeout_ms: how long each network step may take
 */
void
ms_probe_set_timeout (MsProbe *self,
                      guint    timeout_ms)
{
  g_return_if_fail (MS_IS_PROBE (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

/**
 * ms_probe_set_credentials:
 * @password: (nullable): without one the probe stops before logging in
 */
void
ms_probe_set_credentials (MsProbe    *self,
                          const char *username,
                          MsSecret   *password)
{
  g_return_if_fail (MS_IS_PROBE (self));
  g_return_if_fail (username != NULL);

  g_free (self->username);
  self->username = g_strdup (username);
  g_clear_pointer (&self->password, ms_secret_unref);
  if (password != NULL)
    self->password = ms_secret_ref (password);
  self->bearer = FALSE;
}

/**
 * ms_probe_set_bearer_token:
 * @token: an OAuth 2.0 access token
 * @granted_scope: (nullable): the scopes the token endpoint granted
 * @expires: when the token runs out (unix time), 0 if not known
 *
 * Logs in with SASL OAUTHBEARER or XOAUTH2 instead of a password. The
 * token is guarded like a password: never sent before TLS, one attempt.
 */
void
ms_probe_set_bearer_token (MsProbe    *self,
                           const char *username,
                           MsSecret   *token,
                           const char *granted_scope,
                           gint64      expires)
{
  g_return_if_fail (MS_IS_PROBE (self));
  g_return_if_fail (token != NULL);

  ms_probe_set_credentials (self, username, token);
  self->bearer = TRUE;
  g_free (self->granted_scope);
  self->granted_scope = g_strdup (granted_scope);
  self->token_expires = expires;
}

/**
 * ms_probe_set_send_message:
 * @message: the whole message, headers and body, lines ending in CRLF
 *
 * After logging in to an SMTP server, sends @message from @from to @to.
 */
void
ms_probe_set_send_message (MsProbe    *self,
                           const char *from,
                           const char *to,
                           const char *message)
{
  g_return_if_fail (MS_IS_PROBE (self));
  g_return_if_fail (self->server->protocol == MS_PROTOCOL_SMTP);

  set_string (&self->message_from, from);
  set_string (&self->message_to, to);
  set_string (&self->message, message);
}

/**
 * ms_probe_set_watch_message:
 * @token: the value of the test message's %MS_TEST_MESSAGE_HEADER
 *
 * After logging in to an IMAP server, waits up to @timeout_ms for the
 * message to arrive in the inbox, then deletes exactly that message.
 */
void
ms_probe_set_watch_message (MsProbe    *self,
                            const char *token,
                            guint       timeout_ms)
{
  g_return_if_fail (MS_IS_PROBE (self));
  g_return_if_fail (self->server->protocol == MS_PROTOCOL_IMAP);

  set_string (&self->watch_token, token);
  self->watch_timeout_ms = timeout_ms;
}

/**
 * ms_probe_set_relay_check:
 * @from: the account's address
 * @to: an address outside the provider
 *
 * For an SMTP server set up without a login: after the greeting (and TLS
 * when the port has it), asks `MAIL FROM:<@from>` `RCPT TO:<@to>`, then
 * `RSET` and `QUIT`, never DATA, so nothing is sent. A refusal is the
 * provider saying this computer may not send through it from where it is
 * (Charter's "571 ... E1110" off its network).
 */
void
ms_probe_set_relay_check (MsProbe    *self,
                          const char *from,
                          const char *to)
{
  g_return_if_fail (MS_IS_PROBE (self));
  g_return_if_fail (self->server->protocol == MS_PROTOCOL_SMTP);

  set_string (&self->relay_from, from);
  set_string (&self->relay_to, to);
}

/**
 * ms_probe_stop_watching:
 *
 * Ends a running watch without a diagnosis: the message was never sent.
 */
void
ms_probe_stop_watching (MsProbe *self)
{
  g_return_if_fail (MS_IS_PROBE (self));

  self->stop_watching = TRUE;
}

/* Timing */

static void
stage_begin (MsProbe      *self,
             MsProbeStage  stage)
{
  self->stage = stage;
  self->stage_start_usec = g_get_monotonic_time ();
}

static void
stage_end (MsProbe *self)
{
  gint64 elapsed = (g_get_monotonic_time () - self->stage_start_usec) / 1000;

  if (self->result->stage_ms[self->stage] < 0)
    self->result->stage_ms[self->stage] = 0;
  self->result->stage_ms[self->stage] += elapsed;
}

/* Diagnoses */

static MsDiagnosis *
diagnose (MsProbe         *self,
          MsDiagnosisCode  code,
          const char      *detail)
{
  g_autoptr(MsDiagnosis) diagnosis = ms_diagnosis_new (code, self->server, detail);

  ms_probe_result_add_diagnosis (self->result, diagnosis);

  return diagnosis;
}

static void
diagnose_error (MsProbe         *self,
                const GError    *error,
                MsDiagnosisCode  fallback)
{
  diagnose (self, ms_diagnosis_code_for_error (error, fallback), error->message);
}

static void
diagnose_reply (MsProbe         *self,
                const MsReply   *reply,
                MsDiagnosisCode  fallback)
{
  g_autofree char *text = ms_reply_to_string (reply);

  diagnose (self, ms_diagnosis_code_for_reply (self->server->protocol, text, fallback), text);
}

static void
diagnose_login_reply (MsProbe       *self,
                      const MsReply *reply)
{
  g_autofree char *text = ms_reply_to_string (reply);

  diagnose (self, ms_diagnosis_code_for_login_reply (self->server->protocol, text), text);
}

/* A refused bearer token: what the server's JSON says, and the token's
 * age, which only the client knows. */
static void
diagnose_oauth_reply (MsProbe       *self,
                      const MsReply *reply)
{
  g_autofree char *text = ms_reply_to_string (reply);
  g_autofree char *detail = NULL;
  gboolean expired = self->token_expires > 0 &&
                     self->token_expires <= g_get_real_time () / G_USEC_PER_SEC;
  MsDiagnosisCode code = ms_diagnosis_code_for_oauth_error (self->auth.oauth_error,
                                                            self->granted_scope, expired);

  detail = self->auth.oauth_error != NULL ? g_strdup_printf ("%s %s", self->auth.oauth_error, text)
                                          : g_steal_pointer (&text);
  diagnose (self, code, detail);
}

static void
diagnose_certificate (MsProbe *self)
{
  GTlsCertificate *certificate = ms_mail_connection_get_peer_certificate (self->connection);
  GTlsCertificateFlags errors = ms_mail_connection_get_peer_certificate_errors (self->connection);
  g_autofree char *fingerprint = NULL;
  MsDiagnosisCode code = ms_diagnosis_code_for_certificate (errors);
  MsDiagnosis *diagnosis;

  diagnosis = diagnose (self, code, NULL);

  /* Offer to trust exactly this certificate for this host and port, and
   * only when being unknown is all that is wrong with it. */
  if (certificate != NULL && code == MS_DIAGNOSIS_TLS_UNTRUSTED)
    {
      fingerprint = ms_certificate_dup_sha256 (certificate);
      ms_diagnosis_add_fix (diagnosis,
                            ms_fix_new_trust_certificate (self->server->hostname,
                                                          self->server->port, fingerprint));
    }
}

/* Tells the person that the port speaks other than the file says, and how
 * the settings should read. */
static void
diagnose_security_mismatch (MsProbe    *self,
                            MsSecurity  detected)
{
  g_autofree char *detail = g_strdup_printf ("Listed as %s, speaks %s",
                                             ms_security_to_string (self->server->security),
                                             ms_security_to_string (detected));
  MsDiagnosis *diagnosis = diagnose (self, MS_DIAGNOSIS_SECURITY_MISMATCH, detail);

  ms_diagnosis_add_fix (diagnosis, ms_fix_new_use_port (self->server->port, detected));
}

/* Finishing */

static void
probe_finish (MsProbe *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  GPtrArray *transcript;

  self->step = STEP_DONE;
  g_clear_handle_id (&self->watch_source, g_source_remove);
  self->result->stage_ms[MS_PROBE_STAGE_TOTAL] =
    (g_get_monotonic_time () - self->start_usec) / 1000;

  if (self->connection != NULL)
    {
      transcript = ms_mail_connection_get_transcript (self->connection);
      for (guint i = 0; i < transcript->len; i++)
        g_ptr_array_add (self->result->transcript, g_strdup (g_ptr_array_index (transcript, i)));
      self->result->round_trips += ms_mail_connection_get_round_trips (self->connection);
      ms_mail_connection_close (self->connection);
      g_clear_object (&self->connection);
    }

  g_task_return_pointer (task, ms_probe_result_ref (self->result),
                         (GDestroyNotify) ms_probe_result_unref);
}

/* Returns TRUE (and finishes the task) if the user cancelled. */
static gboolean
handle_cancelled (MsProbe      *self,
                  const GError *error)
{
  g_autoptr(GTask) task = NULL;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  task = g_steal_pointer (&self->task);
  self->step = STEP_DONE;
  g_clear_handle_id (&self->watch_source, g_source_remove);
  if (self->connection != NULL)
    ms_mail_connection_close (self->connection);
  g_task_return_error (task, g_error_copy (error));

  return TRUE;
}

/* Talking */

static void reply_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MsProbe) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ms_mail_connection_send_finish (self->connection, result, &error))
    {
      if (handle_cancelled (self, error))
        return;
      if (self->step == STEP_QUIT)
        {
          probe_finish (self);
          return;
        }
      stage_end (self);
      diagnose_error (self, error, MS_DIAGNOSIS_PROTOCOL_ERROR);
      probe_finish (self);
      return;
    }

  /* The goodbye is a courtesy: its answer would cost a round trip and
   * tell nothing. */
  if (self->step == STEP_QUIT)
    {
      probe_finish (self);
      return;
    }

  ms_mail_connection_read_reply_async (self->connection, self->pending_reply_kind,
                                       self->current_tag, self->timeout_ms,
                                       g_task_get_cancellable (self->task),
                                       reply_cb, g_object_ref (self));
}

/* Sends @command and continues in probe_reply() with the answer. */
static void
send_command (MsProbe   *self,
              MsCommand *command)
{
  g_autoptr(GError) error = NULL;

  /* The last wall against command injection: only the test message's
   * body is more than one line. */
  if (self->step != STEP_SMTP_BODY &&
      !ms_dialect_check_argument (command->line, -1, _("A command"), &error))
    {
      ms_command_free (command);
      diagnose (self, MS_DIAGNOSIS_PROTOCOL_ERROR, error->message);
      probe_finish (self);
      return;
    }

  set_string (&self->current_tag, command->tag);
  self->pending_reply_kind = command->reply_kind;

  ms_mail_connection_send_async (self->connection, command->line, command->transcript,
                                 self->timeout_ms, g_task_get_cancellable (self->task),
                                 send_cb, g_object_ref (self));
  ms_command_free (command);
}

static void
read_reply (MsProbe     *self,
            MsReplyKind  kind,
            guint        timeout_ms)
{
  g_clear_pointer (&self->current_tag, g_free);
  ms_mail_connection_read_reply_async (self->connection, kind, NULL, timeout_ms,
                                       g_task_get_cancellable (self->task),
                                       reply_cb, g_object_ref (self));
}

/* Connecting, and finding out what the port speaks */

static void connect_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
probe_connect (MsProbe  *self,
               gboolean  implicit_tls)
{
  if (self->connection != NULL)
    {
      GPtrArray *transcript = ms_mail_connection_get_transcript (self->connection);

      for (guint i = 0; i < transcript->len; i++)
        g_ptr_array_add (self->result->transcript, g_strdup (g_ptr_array_index (transcript, i)));
      self->result->round_trips += ms_mail_connection_get_round_trips (self->connection);
      ms_mail_connection_close (self->connection);
      g_clear_object (&self->connection);
    }

  g_clear_pointer (&self->greeting, ms_reply_free);
  g_clear_pointer (&self->capabilities, ms_capabilities_free);
  self->implicit_tls = implicit_tls;
  self->step = STEP_CONNECT;
  stage_begin (self, MS_PROBE_STAGE_CONNECT);

  ms_mail_connection_connect_async (self->server->hostname, self->server->port,
                                    self->timeout_ms, g_task_get_cancellable (self->task),
                                    connect_cb, g_object_ref (self));
}

static gboolean
accept_certificate_cb (GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  MsProbe *self = user_data;

  if (self->trust_func == NULL)
    return FALSE;

  return self->trust_func (self->server->hostname, self->server->port, certificate,
                           self->trust_data);
}

static void handshake_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
start_tls (MsProbe *self)
{
  stage_begin (self, MS_PROBE_STAGE_TLS);
  ms_mail_connection_start_tls_async (self->connection, self->database,
                                      accept_certificate_cb, self, self->timeout_ms,
                                      g_task_get_cancellable (self->task),
                                      handshake_cb, g_object_ref (self));
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MsProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  guint greeting_timeout;

  self->connection = ms_mail_connection_connect_finish (result, &error);
  stage_end (self);

  if (self->connection == NULL)
    {
      if (handle_cancelled (self, error))
        return;
      diagnose_error (self, error, MS_DIAGNOSIS_CONNECTION_REFUSED);
      probe_finish (self);
      return;
    }

  self->result->connected = TRUE;
  ms_mail_connection_set_tls12_only (self->connection, self->tls12_only);

  if (self->implicit_tls)
    {
      self->step = STEP_IMPLICIT_TLS;
      start_tls (self);
      return;
    }

  /* A port listed as plaintext or STARTTLS that stays silent may be
   * waiting for a TLS handshake: wait only a little before finding out. */
  greeting_timeout = self->fallback_tried ? self->timeout_ms
                                          : MIN (self->timeout_ms, MAX_DETECT_TIMEOUT_MS);
  self->step = STEP_GREETING;
  stage_begin (self, MS_PROBE_STAGE_GREETING);
  read_reply (self, self->dialect->greeting_kind, greeting_timeout);
}

static void
record_tls_details (MsProbe *self)
{
  MsProbeResult *result = self->result;
  GTlsProtocolVersion version = ms_mail_connection_get_tls_protocol_version (self->connection);

  result->tls_established = TRUE;
  result->certificate_pinned = ms_mail_connection_get_peer_accepted_by_pin (self->connection);
  g_set_object (&result->certificate, ms_mail_connection_get_peer_certificate (self->connection));
  result->certificate_errors = ms_mail_connection_get_peer_certificate_errors (self->connection);

  g_free (result->tls_cipher);
  result->tls_cipher = ms_mail_connection_dup_ciphersuite_name (self->connection);
  g_free (result->tls_version);
  result->tls_version = g_strdup (ms_tls_protocol_version_to_string (version));
}

/* A server (or a box in front of it) that resets the connection or fails
 * the handshake when TLS 1.3 is offered, before any certificate: worth one
 * more connection offering TLS 1.2 at most. glib-networking calls a reset
 * during the handshake G_TLS_ERROR_NOT_TLS, as it calls a plaintext answer;
 * a port that answered in plaintext is still open, and gets the plaintext
 * fallback instead. Silence and certificate errors are not that either. */
static gboolean
should_retry_tls12 (MsProbe      *self,
                    const GError *error)
{
  if (self->tls12_only || ms_mail_connection_get_peer_certificate (self->connection) != NULL)
    return FALSE;

  return g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_MISC) ||
         g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
         (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) &&
          ms_mail_connection_peer_hung_up (self->connection)) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MsProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ms_mail_connection_start_tls_finish (self->connection, result, &error);
  stage_end (self);

  if (!ok)
    {
      if (handle_cancelled (self, error))
        return;

      if (should_retry_tls12 (self, error))
        {
          g_debug ("TLS handshake with %s:%u failed (%s); retrying with TLS 1.2 at most",
                   self->server->hostname, self->server->port, error->message);
          self->tls12_only = TRUE;
          self->result->tls_limit = MS_TLS_LIMIT_RETRY;
          probe_connect (self, self->implicit_tls);
          return;
        }

      /* Listed as SSL, answered in plaintext: the port speaks STARTTLS (or
       * nothing secure). Start over without TLS and find out. */
      if (self->step == STEP_IMPLICIT_TLS && !self->fallback_tried &&
          ms_mail_connection_get_peer_certificate (self->connection) == NULL &&
          (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) ||
           g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_MISC)))
        {
          self->fallback_tried = TRUE;
          self->first_error = g_steal_pointer (&error);
          probe_connect (self, FALSE);
          return;
        }

      /* Keep the certificate: the person may want to see who it is for. */
      g_set_object (&self->result->certificate,
                    ms_mail_connection_get_peer_certificate (self->connection));
      self->result->certificate_errors =
        ms_mail_connection_get_peer_certificate_errors (self->connection);

      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
          self->result->certificate_errors != 0)
        diagnose_certificate (self);
      else
        diagnose_error (self, error, MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED);

      probe_finish (self);
      return;
    }

  record_tls_details (self);

  if (self->step == STEP_IMPLICIT_TLS)
    {
      self->result->security_detected = TRUE;
      self->result->detected_security = MS_SECURITY_TLS;
      if (self->server->security != MS_SECURITY_TLS)
        diagnose_security_mismatch (self, MS_SECURITY_TLS);

      self->step = STEP_GREETING;
      stage_begin (self, MS_PROBE_STAGE_GREETING);
      read_reply (self, self->dialect->greeting_kind, self->timeout_ms);
      return;
    }

  /* After STARTTLS, forget what the server said in plaintext. */
  self->step = STEP_CAPABILITIES_AFTER_TLS;
  g_clear_pointer (&self->capabilities, ms_capabilities_free);
  probe_advance (self);
}

/* The dialogue */

static void
store_capabilities (MsProbe       *self,
                    const MsReply *reply)
{
  g_clear_pointer (&self->capabilities, ms_capabilities_free);
  self->capabilities = ms_capabilities_new_from_reply (self->server->protocol, reply);

  g_strfreev (self->result->capabilities);
  self->result->capabilities = g_strdupv ((GStrv) ms_capabilities_get_all (self->capabilities));
  g_strfreev (self->result->mechanisms);
  self->result->mechanisms = g_strdupv ((GStrv) ms_capabilities_get_mechanisms (self->capabilities));
}

/* Asks for the capabilities, or takes them from the greeting. */
static void
request_capabilities (MsProbe *self)
{
  /* EHLO names this end by its address literal (RFC 5321 4.1.3), which
   * tells the server nothing it does not know already. */
  g_autofree char *client_name = ms_mail_connection_dup_address_literal (self->connection);
  MsCommand *command;

  stage_begin (self, MS_PROBE_STAGE_CAPABILITIES);

  /* Capabilities in a plaintext greeting mean nothing once STARTTLS ran. */
  command = self->dialect->capability_command (&self->next_tag,
                                               self->step == STEP_CAPABILITIES || self->implicit_tls
                                               ? self->greeting : NULL,
                                               client_name);
  if (command == NULL)
    {
      store_capabilities (self, self->greeting);
      stage_end (self);
      if (self->step == STEP_CAPABILITIES)
        self->step = STEP_STARTTLS;
      else
        self->step = STEP_AUTH;
      probe_advance (self);
      return;
    }

  send_command (self, command);
}

/* Only for a server without a login: one with a login relays by it. */
static gboolean
start_relay_check (MsProbe *self)
{
  g_autofree char *command = NULL;

  if (self->relay_from == NULL || self->username != NULL)
    return FALSE;

  self->result->relay_checked = TRUE;
  self->step = STEP_SMTP_RELAY_MAIL_FROM;
  stage_begin (self, MS_PROBE_STAGE_MESSAGE);
  command = g_strdup_printf ("MAIL FROM:<%s>", self->relay_from);
  send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_steal_pointer (&command), NULL));

  return TRUE;
}

static void
handle_relay_reply (MsProbe *self,
                    MsReply *reply)
{
  if (self->step == STEP_SMTP_RELAY_RSET)
    {
      probe_quit (self);
      return;
    }

  if (reply->status != MS_REPLY_STATUS_OK)
    {
      stage_end (self);
      /* Refused at RCPT TO, it is the relay that is refused, whatever words
       * the server uses; at MAIL FROM, the classifier decides alone. */
      diagnose_reply (self, reply, self->step == STEP_SMTP_RELAY_RCPT_TO
                                   ? MS_DIAGNOSIS_RELAY_DENIED : MS_DIAGNOSIS_SERVER_UNAVAILABLE);
      self->step = STEP_SMTP_RELAY_RSET;
      send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_strdup ("RSET"), NULL));
      return;
    }

  if (self->step == STEP_SMTP_RELAY_MAIL_FROM)
    {
      self->step = STEP_SMTP_RELAY_RCPT_TO;
      send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL,
                                          g_strdup_printf ("RCPT TO:<%s>", self->relay_to), NULL));
      return;
    }

  stage_end (self);
  self->result->relay_accepted = TRUE;
  self->step = STEP_SMTP_RELAY_RSET;
  send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_strdup ("RSET"), NULL));
}

static void
start_auth (MsProbe *self)
{
  MsAuthProgress progress;
  MsCommand *command;

  if (start_relay_check (self))
    return;

  if (self->password == NULL || self->username == NULL)
    {
      self->result->login = MS_LOGIN_NOT_ATTEMPTED;
      probe_quit (self);
      return;
    }

  if (self->server->protocol == MS_PROTOCOL_SMTP &&
      ms_capabilities_get_mechanisms (self->capabilities)[0] == NULL)
    {
      self->result->login = MS_LOGIN_NOT_OFFERED;
      probe_quit (self);
      return;
    }

  {
    g_autoptr(GError) error = NULL;

    if (!ms_dialect_check_credentials (self->username, self->bearer ? NULL : self->password, &error) ||
        (self->bearer && !ms_sasl_oauth_check_token (self->password, &error)))
      {
        self->result->login = MS_LOGIN_NOT_ATTEMPTED;
        diagnose (self, MS_DIAGNOSIS_PROTOCOL_ERROR, error->message);
        probe_quit (self);
        return;
      }
  }

  g_clear_pointer (&self->auth.oauth_error, g_free);
  memset (&self->auth, 0, sizeof self->auth);
  self->auth.username = self->username;
  self->auth.password = self->password;
  self->auth.next_tag = &self->next_tag;
  if (self->bearer)
    {
      self->auth.bearer_token = self->password;
      self->auth.host = self->server->hostname;
      self->auth.port = self->server->port;
    }

  command = self->dialect->auth_start (&self->auth, self->capabilities, &progress);
  if (command == NULL)
    {
      self->result->login = MS_LOGIN_UNSUPPORTED;
      diagnose (self, MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED, NULL);
      probe_quit (self);
      return;
    }

  g_free (self->result->login_mechanism);
  self->result->login_mechanism = g_strdup (self->auth.mechanism);
  g_free (self->result->username);
  self->result->username = g_strdup (self->username);

  stage_begin (self, MS_PROBE_STAGE_AUTH);
  send_command (self, command);
}

static void
after_login (MsProbe *self)
{
  g_autofree char *command = NULL;

  if (self->message != NULL)
    {
      self->step = STEP_SMTP_MAIL_FROM;
      stage_begin (self, MS_PROBE_STAGE_MESSAGE);
      command = g_strdup_printf ("MAIL FROM:<%s>", self->message_from);
      send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_steal_pointer (&command), NULL));
      return;
    }

  if (self->watch_token != NULL)
    {
      g_autofree char *tag = g_strdup_printf ("a%u", self->next_tag++);

      self->step = STEP_IMAP_SELECT;
      stage_begin (self, MS_PROBE_STAGE_MESSAGE);
      self->watch_deadline_usec = g_get_monotonic_time () + self->watch_timeout_ms * 1000;
      send_command (self, ms_command_new (MS_REPLY_KIND_IMAP_TAGGED, tag,
                                          g_strdup_printf ("%s SELECT INBOX", tag), NULL));
      return;
    }

  probe_quit (self);
}

static void
imap_command (MsProbe    *self,
              Step        step,
              const char *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
imap_command (MsProbe    *self,
              Step        step,
              const char *format,
              ...)
{
  g_autofree char *tag = g_strdup_printf ("a%u", self->next_tag++);
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  self->step = step;
  send_command (self, ms_command_new (MS_REPLY_KIND_IMAP_TAGGED, tag,
                                      g_strdup_printf ("%s %s", tag, text), NULL));
}

static gboolean
watch_again_cb (gpointer user_data)
{
  MsProbe *self = user_data;

  self->watch_source = 0;
  imap_command (self, STEP_IMAP_SEARCH, "UID SEARCH HEADER %s \"%s\"",
                MS_TEST_MESSAGE_HEADER, self->watch_token);

  return G_SOURCE_REMOVE;
}

static char *
find_search_result (const MsReply *reply)
{
  for (guint i = 0; i < reply->lines->len; i++)
    {
      const char *line = g_ptr_array_index (reply->lines, i);

      if (g_ascii_strncasecmp (line, "* SEARCH ", 9) == 0)
        {
          const char *uid = line + 9;
          gsize len = strspn (uid, "0123456789");

          if (len > 0)
            return g_strndup (uid, len);
        }
    }

  return NULL;
}

/* Sending the test message: MAIL FROM, RCPT TO, DATA, the body. */
static void
handle_sending_reply (MsProbe *self,
                      MsReply *reply)
{
  if ((self->step == STEP_SMTP_DATA && reply->smtp_code != 354) ||
      (self->step != STEP_SMTP_DATA && reply->status != MS_REPLY_STATUS_OK))
    {
      stage_end (self);
      diagnose_reply (self, reply, MS_DIAGNOSIS_SERVER_UNAVAILABLE);
      probe_quit (self);
      return;
    }
  if (self->step == STEP_SMTP_MAIL_FROM)
    {
      self->step = STEP_SMTP_RCPT_TO;
      send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL,
                                          g_strdup_printf ("RCPT TO:<%s>", self->message_to), NULL));
    }
  else if (self->step == STEP_SMTP_RCPT_TO)
    {
      self->step = STEP_SMTP_DATA;
      send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL, g_strdup ("DATA"), NULL));
    }
  else if (self->step == STEP_SMTP_DATA)
    {
      self->step = STEP_SMTP_BODY;
      send_command (self, ms_command_new (MS_REPLY_KIND_SMTP, NULL,
                                          g_strdup_printf ("%s.", self->message),
                                          "<test message>"));
    }
  else
    {
      stage_end (self);
      self->result->message_sent_usec = g_get_monotonic_time ();
      probe_quit (self);
    }
}

/* Watching for the test message: SELECT, SEARCH until it is there, then
 * deleting it. */
static void
handle_watching_reply (MsProbe *self,
                       MsReply *reply)
{
  if (reply->status != MS_REPLY_STATUS_OK)
    {
      stage_end (self);
      diagnose_reply (self, reply, MS_DIAGNOSIS_PROTOCOL_ERROR);
      probe_quit (self);
      return;
    }
  if (self->step == STEP_IMAP_SEARCH)
    {
      g_free (self->found_uid);
      self->found_uid = find_search_result (reply);
    }
  if (self->step == STEP_IMAP_SELECT || (self->step == STEP_IMAP_SEARCH && self->found_uid == NULL))
    {
      if (self->stop_watching)
        {
          stage_end (self);
          probe_quit (self);
        }
      else if (g_get_monotonic_time () > self->watch_deadline_usec)
        {
          stage_end (self);
          diagnose (self, MS_DIAGNOSIS_TEST_MESSAGE_NOT_ARRIVED, NULL);
          probe_quit (self);
        }
      else if (self->step == STEP_IMAP_SELECT)
        watch_again_cb (self);
      else
        self->watch_source = g_timeout_add (WATCH_INTERVAL_MS, watch_again_cb, self);
      return;
    }
  if (self->step == STEP_IMAP_SEARCH)
    {
      self->result->message_found_usec = g_get_monotonic_time ();
      imap_command (self, STEP_IMAP_STORE, "UID STORE %s +FLAGS.SILENT (\\Deleted)", self->found_uid);
    }
  else if (self->step == STEP_IMAP_STORE && ms_capabilities_has (self->capabilities, "UIDPLUS"))
    {
      /* UID EXPUNGE removes this message only, not others the person
       * marked as deleted. Without UIDPLUS it stays marked. */
      imap_command (self, STEP_IMAP_EXPUNGE, "UID EXPUNGE %s", self->found_uid);
    }
  else
    {
      stage_end (self);
      probe_quit (self);
    }
}

static void
handle_message_reply (MsProbe *self,
                      MsReply *reply)
{
  switch (self->step)
    {
    case STEP_SMTP_MAIL_FROM:
    case STEP_SMTP_RCPT_TO:
    case STEP_SMTP_DATA:
    case STEP_SMTP_BODY:
      handle_sending_reply (self, reply);
      return;

    case STEP_SMTP_RELAY_MAIL_FROM:
    case STEP_SMTP_RELAY_RCPT_TO:
    case STEP_SMTP_RELAY_RSET:
      handle_relay_reply (self, reply);
      return;

    case STEP_IMAP_SELECT:
    case STEP_IMAP_SEARCH:
    case STEP_IMAP_STORE:
    case STEP_IMAP_EXPUNGE:
      handle_watching_reply (self, reply);
      return;

    default:
      g_assert_not_reached ();
    }
}

static void
handle_auth_reply (MsProbe *self,
                   MsReply *reply)
{
  MsAuthProgress progress;
  MsCommand *command;

  command = self->dialect->auth_next (&self->auth, reply, &progress);

  if (progress == MS_AUTH_PROGRESS_CONTINUE)
    {
      send_command (self, command);
      return;
    }

  stage_end (self);

  if (progress == MS_AUTH_PROGRESS_SUCCEEDED)
    {
      g_assert (command == NULL);
      self->result->login = MS_LOGIN_SUCCEEDED;
      after_login (self);
      return;
    }

  /* One attempt only: whatever the server said, the login is over. A
   * cancelling "*" goes out, but its answer changes nothing. */
  g_clear_pointer (&command, ms_command_free);
  self->result->login = MS_LOGIN_FAILED;
  if (self->bearer)
    diagnose_oauth_reply (self, reply);
  else
    diagnose_login_reply (self, reply);
  probe_quit (self);
}

/* Takes @reply: kept as the greeting, or freed. */
static void
handle_greeting (MsProbe *self,
                 MsReply *reply)
{
  stage_end (self);
  if (reply->status != MS_REPLY_STATUS_OK && reply->status != MS_REPLY_STATUS_PREAUTH)
    {
      diagnose_reply (self, reply, MS_DIAGNOSIS_SERVER_UNAVAILABLE);
      ms_reply_free (reply);
      probe_finish (self);
      return;
    }
  if (!self->implicit_tls)
    {
      self->result->security_detected = TRUE;
      self->result->detected_security = MS_SECURITY_NONE;
    }
  self->greeting = reply;
  self->step = ms_mail_connection_is_tls (self->connection) ? STEP_CAPABILITIES_AFTER_TLS
                                                            : STEP_CAPABILITIES;
  if (reply->status == MS_REPLY_STATUS_PREAUTH)
    {
      /* Logged in before any password: nothing to test, and on a
       * plaintext port nothing can ever be protected. */
      if (!ms_mail_connection_is_tls (self->connection))
        diagnose (self, MS_DIAGNOSIS_STARTTLS_NOT_OFFERED, reply->text);
      probe_quit (self);
      return;
    }
  request_capabilities (self);
}

static void
handle_reply (MsProbe *self,
              MsReply *reply)
{
  switch (self->step)
    {
    case STEP_GREETING:
      handle_greeting (self, reply);
      return;

    case STEP_CAPABILITIES:
    case STEP_CAPABILITIES_AFTER_TLS:
      stage_end (self);
      if (self->server->protocol == MS_PROTOCOL_SMTP && reply->status != MS_REPLY_STATUS_OK)
        {
          diagnose_reply (self, reply, MS_DIAGNOSIS_SERVER_UNAVAILABLE);
          probe_quit (self);
          ms_reply_free (reply);
          return;
        }
      store_capabilities (self, reply);
      ms_reply_free (reply);
      self->step = self->step == STEP_CAPABILITIES ? STEP_STARTTLS : STEP_AUTH;
      probe_advance (self);
      return;

    case STEP_STARTTLS:
      stage_end (self);
      if (reply->status != MS_REPLY_STATUS_OK)
        {
          diagnose_reply (self, reply, MS_DIAGNOSIS_STARTTLS_FAILED);
          if (self->password != NULL)
            self->result->login = MS_LOGIN_REFUSED_INSECURE;
          probe_quit (self);
          ms_reply_free (reply);
          return;
        }
      ms_reply_free (reply);
      self->result->detected_security = MS_SECURITY_STARTTLS;
      self->step = STEP_STARTTLS_HANDSHAKE;
      start_tls (self);
      return;

    case STEP_AUTH:
      handle_auth_reply (self, reply);
      ms_reply_free (reply);
      return;

    case STEP_SMTP_MAIL_FROM:
    case STEP_SMTP_RCPT_TO:
    case STEP_SMTP_DATA:
    case STEP_SMTP_BODY:
    case STEP_SMTP_RELAY_MAIL_FROM:
    case STEP_SMTP_RELAY_RCPT_TO:
    case STEP_SMTP_RELAY_RSET:
    case STEP_IMAP_SELECT:
    case STEP_IMAP_SEARCH:
    case STEP_IMAP_STORE:
    case STEP_IMAP_EXPUNGE:
      handle_message_reply (self, reply);
      ms_reply_free (reply);
      return;

    case STEP_QUIT:
    case STEP_CONNECT:
    case STEP_IMPLICIT_TLS:
    case STEP_STARTTLS_HANDSHAKE:
    case STEP_DONE:
    default:
      g_assert_not_reached ();
    }
}

static void
reply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MsProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  MsReply *reply;

  reply = ms_mail_connection_read_reply_finish (self->connection, result, &error);
  if (reply != NULL)
    {
      handle_reply (self, reply);
      return;
    }

  if (handle_cancelled (self, error))
    return;

  stage_end (self);

  /* Silence on a port listed as plaintext: maybe it waits for TLS. */
  if (self->step == STEP_GREETING && !self->implicit_tls && !self->fallback_tried &&
      ms_mail_connection_get_bytes_received (self->connection) == 0 &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      self->fallback_tried = TRUE;
      probe_connect (self, TRUE);
      return;
    }

  if (self->step == STEP_AUTH)
    self->result->login = MS_LOGIN_FAILED;

  /* The other security did not work either: what went wrong first is what
   * the person needs to hear. */
  if (self->step == STEP_GREETING && self->fallback_tried && self->first_error != NULL)
    {
      diagnose_error (self, self->first_error, MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED);
      probe_finish (self);
      return;
    }

  diagnose_error (self, error, MS_DIAGNOSIS_PROTOCOL_ERROR);
  probe_finish (self);
}

static void
probe_quit (MsProbe *self)
{
  self->step = STEP_QUIT;
  if (self->connection == NULL)
    {
      probe_finish (self);
      return;
    }

  send_command (self, self->dialect->quit_command (&self->next_tag));
}

/* Decides the next step after capabilities were read. */
static void
probe_advance (MsProbe *self)
{
  switch (self->step)
    {
    case STEP_STARTTLS:
      if (ms_capabilities_offers_starttls (self->capabilities))
        {
          stage_begin (self, MS_PROBE_STAGE_STARTTLS);
          send_command (self, self->dialect->starttls_command (&self->next_tag));
          return;
        }

      /* No TLS on offer: the password stays here. A relay check sends
       * none, so it still runs. */
      diagnose (self, MS_DIAGNOSIS_STARTTLS_NOT_OFFERED, NULL);
      if (self->password != NULL)
        self->result->login = MS_LOGIN_REFUSED_INSECURE;
      if (!start_relay_check (self))
        probe_quit (self);
      return;

    case STEP_CAPABILITIES_AFTER_TLS:
      request_capabilities (self);
      return;

    case STEP_AUTH:
      g_assert (ms_mail_connection_is_tls (self->connection));
      if (self->result->detected_security == MS_SECURITY_STARTTLS &&
          self->server->security == MS_SECURITY_TLS)
        diagnose_security_mismatch (self, MS_SECURITY_STARTTLS);
      start_auth (self);
      return;

    default:
      g_assert_not_reached ();
    }
}

/**
 * ms_probe_run_async:
 *
 * Tests the server. Every problem found is a diagnosis in the result; the
 * task fails only when @cancellable is cancelled.
 */
void
ms_probe_run_async (MsProbe             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (MS_IS_PROBE (self));
  g_return_if_fail (self->task == NULL);
  g_return_if_fail (self->result == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ms_probe_run_async);
  self->start_usec = g_get_monotonic_time ();

  self->result = ms_probe_result_new (self->server);
  self->result->message_send_requested = self->message != NULL;

  /* A server the provider file knows to fail on TLS 1.3 gets 1.2 from the
   * start, rather than a failed handshake first. */
  self->tls12_only = self->server->max_tls12;
  self->result->tls_limit = self->server->max_tls12 ? MS_TLS_LIMIT_PROVIDER : MS_TLS_LIMIT_NONE;

  /* Start the way the file says; the other way is tried once if the port
   * turns out to speak it. */
  probe_connect (self, self->server->security == MS_SECURITY_TLS);
}

MsProbeResult *
ms_probe_run_finish (MsProbe       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
