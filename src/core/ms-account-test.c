/* ms-account-test.c: test every server of an account's profile at once
 *
 * The servers of the chosen profile are probed in parallel. Only the first
 * server of each protocol logs in, once: every login is one more chance to
 * lock the account, and a second login to the same host and port tells
 * nothing new. The profile's other servers of that protocol, and the
 * alternates worth knowing (the other ports of the same hosts, the
 * provider's other profiles, the other host names the provider file
 * lists), are probed without a login, so that a failure can come with the
 * fix that works ("Try port 465", "Use Mobile settings"). Each host and
 * port is probed once.
 *
 * A profile may come from DNS or a file nobody vouched for, so the fan-out
 * is bounded: at most MAX_ALTERNATES alternates, and at most
 * MAX_PROBES_IN_FLIGHT connections open at once; the others wait their
 * turn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-account-test.h"
#include "ms-certificate-info.h"
#include "ms-dialect.h"

#define DEFAULT_MESSAGE_WAIT_MS 30000
#define MAX_PROBES_IN_FLIGHT    MS_ACCOUNT_TEST_MAX_PROBES_IN_FLIGHT
#define MAX_ALTERNATES          16

struct _MsAccountTest
{
  GObject          parent_instance;

  MsAddress       *address;
  MsProvider      *provider;
  MsProfile       *profile;
  MsSecret        *password;
  MsSecret        *token;         /* OAuth 2.0 access token, for OAuth2 servers */
  char            *token_scope;
  gint64           token_expires;
  GTlsDatabase    *database;
  MsTrustStore    *trust_store;
  char            *source;
  MsDiscoveryAttempt *discovered;
  gboolean         confirmed;
  guint            timeout_ms;
  gboolean         probe_alternates;
  gboolean         relay_check;
  gboolean         send_test_message;
  guint            message_wait_ms;
};

G_DEFINE_FINAL_TYPE (MsAccountTest, ms_account_test, G_TYPE_OBJECT)

/* Progress for a live view (the wizard's testing page). */
enum {
  SERVER_STARTED,
  SERVER_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  MsAccountReport *report;
  GPtrArray       *probes;        /* MsProbe, the profile's servers first */
  GPtrArray       *alternate;     /* gboolean per probe, as GINT_TO_POINTER */
  GPtrArray       *results;       /* MsProbeResult per probe, NULL while running */
  guint            pending;
  guint            next_to_start;
  GCancellable    *cancellable;
  MsProbe         *sender;
  MsProbe         *watcher;
  char            *token;
  GError          *cancelled;
} RunData;

/* Results of probes that were cancelled stay NULL. */
static void
probe_result_unref0 (gpointer result)
{
  if (result != NULL)
    ms_probe_result_unref (result);
}

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->report);
  g_ptr_array_unref (data->probes);
  g_ptr_array_unref (data->alternate);
  g_ptr_array_unref (data->results);
  g_free (data->token);
  g_clear_error (&data->cancelled);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
ms_account_test_dispose (GObject *object)
{
  MsAccountTest *self = MS_ACCOUNT_TEST (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->profile);
  g_clear_object (&self->database);
  g_clear_object (&self->trust_store);
  g_clear_object (&self->discovered);

  G_OBJECT_CLASS (ms_account_test_parent_class)->dispose (object);
}

static void
ms_account_test_finalize (GObject *object)
{
  MsAccountTest *self = MS_ACCOUNT_TEST (object);

  g_clear_pointer (&self->address, ms_address_unref);
  g_clear_pointer (&self->password, ms_secret_unref);
  g_clear_pointer (&self->token, ms_secret_unref);
  g_free (self->token_scope);
  g_free (self->source);

  G_OBJECT_CLASS (ms_account_test_parent_class)->finalize (object);
}

static void
ms_account_test_class_init (MsAccountTestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_account_test_dispose;
  object_class->finalize = ms_account_test_finalize;

  /**
   * MsAccountTest::server-started:
   * @server: the server being tested
   * @alternate: whether it is an alternate (tested without a login)
   */
  signals[SERVER_STARTED] =
    g_signal_new ("server-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  MS_TYPE_SERVER | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN);

  /**
   * MsAccountTest::server-finished:
   * @result: what testing the server found out
   * @alternate: whether it is an alternate (tested without a login)
   *
   * Not emitted for servers whose test was cancelled.
   */
  signals[SERVER_FINISHED] =
    g_signal_new ("server-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  MS_TYPE_PROBE_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN);
}

static void
ms_account_test_init (MsAccountTest *self)
{
  self->timeout_ms = 15000;
  self->probe_alternates = TRUE;
  self->message_wait_ms = DEFAULT_MESSAGE_WAIT_MS;
}

/**
 * ms_account_test_new:
 * @provider: (nullable): where the profile came from
 * @profile: the servers to test
 */
MsAccountTest *
ms_account_test_new (MsAddress  *address,
                     MsProvider *provider,
                     MsProfile  *profile)
{
  MsAccountTest *self;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (MS_IS_PROFILE (profile), NULL);

  self = g_object_new (MS_TYPE_ACCOUNT_TEST, NULL);
  self->address = ms_address_ref (address);
  g_set_object (&self->provider, provider);
  g_set_object (&self->profile, profile);

  return self;
}

/**
 * ms_account_test_set_password:
 * @password: (nullable): without one, servers are tested up to the login
 */
void
ms_account_test_set_password (MsAccountTest *self,
                              MsSecret      *password)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  g_clear_pointer (&self->password, ms_secret_unref);
  if (password != NULL)
    self->password = ms_secret_ref (password);
}

/**
 * ms_account_test_set_bearer_token:
 * @token: (nullable): an OAuth 2.0 access token (the session's sign-in)
 * @granted_scope: (nullable): the scopes the token endpoint granted
 * @expires: when the token runs out (unix time), 0 if not known
 *
 * The profile's servers whose auth is OAuth2 log in with @token (SASL
 * OAUTHBEARER or XOAUTH2) instead of the password: that login is their
 * one login, so a refused token is never followed by a password. Servers
 * that take only passwords log in with the password, if there is one.
 */
void
ms_account_test_set_bearer_token (MsAccountTest *self,
                                  MsSecret      *token,
                                  const char    *granted_scope,
                                  gint64         expires)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  g_clear_pointer (&self->token, ms_secret_unref);
  g_clear_pointer (&self->token_scope, g_free);
  self->token_expires = 0;
  if (token == NULL)
    return;

  self->token = ms_secret_ref (token);
  self->token_scope = g_strdup (granted_scope);
  self->token_expires = expires;
}

void
ms_account_test_set_tls_database (MsAccountTest *self,
                                  GTlsDatabase  *database)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  g_set_object (&self->database, database);
}

void
ms_account_test_set_trust_store (MsAccountTest *self,
                                 MsTrustStore  *trust_store)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  g_set_object (&self->trust_store, trust_store);
}

void
ms_account_test_set_timeout (MsAccountTest *self,
                             guint          timeout_ms)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

/**
 * ms_account_test_set_relay_check:
 *
 * Asks each of the profile's SMTP servers that takes no login whether it
 * would relay for the address from this network (ms_probe_set_relay_check()):
 * the doctor's question for settings that rely on the sender's network.
 */
void
ms_account_test_set_relay_check (MsAccountTest *self,
                                 gboolean       relay_check)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  self->relay_check = relay_check;
}

void
ms_account_test_set_probe_alternates (MsAccountTest *self,
                                      gboolean       probe_alternates)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  self->probe_alternates = probe_alternates;
}

/**
 * ms_account_test_set_send_test_message:
 * @wait_ms: how long to wait for the message to arrive
 *
 * Sends a short message from the address to itself through the SMTP
 * server and watches the IMAP inbox until it arrives, then deletes it.
 */
void
ms_account_test_set_send_test_message (MsAccountTest *self,
                                       gboolean       send,
                                       guint          wait_ms)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  self->send_test_message = send;
  self->message_wait_ms = wait_ms > 0 ? wait_ms : DEFAULT_MESSAGE_WAIT_MS;
}

void
ms_account_test_set_source (MsAccountTest *self,
                            const char    *source)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  g_free (self->source);
  self->source = g_strdup (source);
}

/**
 * ms_account_test_set_discovery:
 * @attempt: (nullable): the lookup that found the provider, %NULL if it
 *   was not discovered
 * @confirmed: whether the person accepted the attempt's concerns
 *
 * With discovered settings that need confirmation and no @confirmed, the
 * test refuses to run with a password (ms_discovery_attempt_check_password()):
 * the last wall, so that no caller can forget the question.
 */
void
ms_account_test_set_discovery (MsAccountTest      *self,
                               MsDiscoveryAttempt *attempt,
                               gboolean            confirmed)
{
  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));
  g_return_if_fail (attempt == NULL || MS_IS_DISCOVERY_ATTEMPT (attempt));

  g_set_object (&self->discovered, attempt);
  self->confirmed = confirmed;
}

/* Certificates the user trusts: exactly this one, for this host and port. */
static gboolean
is_pinned_cb (const char      *host,
              guint16          port,
              GTlsCertificate *certificate,
              gpointer         user_data)
{
  MsTrustStore *trust_store = user_data;
  g_autofree char *fingerprint = ms_certificate_dup_sha256 (certificate);

  return ms_trust_store_is_trusted (trust_store, host, port, fingerprint);
}

static gboolean
same_endpoint (const MsServer *a,
               const MsServer *b)
{
  return a->protocol == b->protocol && a->port == b->port &&
         g_ascii_strcasecmp (a->hostname, b->hostname) == 0;
}

static gboolean
has_endpoint (GPtrArray      *servers,
              const MsServer *server)
{
  for (guint i = 0; i < servers->len; i++)
    {
      if (same_endpoint (g_ptr_array_index (servers, i), server))
        return TRUE;
    }

  return FALSE;
}

static void
add_alternate (GPtrArray      *tested,
               GPtrArray      *alternates,
               const MsServer *server)
{
  if (has_endpoint (tested, server) || has_endpoint (alternates, server) ||
      alternates->len >= MAX_ALTERNATES)
    return;

  g_ptr_array_add (alternates, ms_server_copy (server));
}

/* The other well-known port of each protocol on the same host. */
static void
add_standard_ports (GPtrArray      *tested,
                    GPtrArray      *alternates,
                    const MsServer *server)
{
  static const MsSecurity securities[] = { MS_SECURITY_TLS, MS_SECURITY_STARTTLS };

  for (guint i = 0; i < G_N_ELEMENTS (securities); i++)
    {
      g_autoptr(MsServer) other = ms_server_copy (server);

      other->security = securities[i];
      other->port = ms_protocol_default_port (server->protocol, securities[i]);
      add_alternate (tested, alternates, other);
    }
}

static GPtrArray *
collect_alternates (MsAccountTest *self,
                    GPtrArray     *tested,
                    GPtrArray     *unlogged)
{
  GPtrArray *alternates = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_server_unref);
  GPtrArray *listed = ms_profile_get_alternates (self->profile);

  /* The profile's own servers that do not log in come first. */
  for (guint i = 0; i < unlogged->len; i++)
    add_alternate (tested, alternates, g_ptr_array_index (unlogged, i));

  for (guint i = 0; i < tested->len; i++)
    add_standard_ports (tested, alternates, g_ptr_array_index (tested, i));

  for (guint i = 0; listed != NULL && i < listed->len; i++)
    add_alternate (tested, alternates, g_ptr_array_index (listed, i));

  if (self->provider != NULL)
    {
      GPtrArray *profiles = ms_provider_get_profiles (self->provider);

      for (guint i = 0; i < profiles->len; i++)
        {
          MsProfile *profile = g_ptr_array_index (profiles, i);
          GPtrArray *incoming = ms_profile_get_incoming (profile);
          GPtrArray *outgoing = ms_profile_get_outgoing (profile);

          if (profile == self->profile)
            continue;
          for (guint j = 0; j < incoming->len; j++)
            add_alternate (tested, alternates, g_ptr_array_index (incoming, j));
          for (guint j = 0; j < outgoing->len; j++)
            add_alternate (tested, alternates, g_ptr_array_index (outgoing, j));
        }
    }

  return alternates;
}

static MsProbe *
create_probe (MsAccountTest  *self,
              const MsServer *server,
              gboolean        login)
{
  g_autoptr(MsServer) copy = ms_server_copy (server);
  g_autofree char *username = ms_server_expand_username (server, ms_address_get_ascii (self->address));
  MsProbe *probe = ms_probe_new (copy);

  ms_probe_set_timeout (probe, self->timeout_ms);
  if (self->database != NULL)
    ms_probe_set_tls_database (probe, self->database);
  if (self->trust_store != NULL)
    ms_probe_set_trust_func (probe, is_pinned_cb, g_object_ref (self->trust_store), g_object_unref);
  if (username != NULL && login && self->token != NULL && ms_server_takes_oauth2 (server))
    ms_probe_set_bearer_token (probe, username, self->token, self->token_scope, self->token_expires);
  else if (username != NULL)
    ms_probe_set_credentials (probe, username, login ? self->password : NULL);
  else if (self->relay_check && server->protocol == MS_PROTOCOL_SMTP && login)
    ms_probe_set_relay_check (probe, ms_address_get_ascii (self->address),
                              MS_PROBE_RELAY_CHECK_RECIPIENT);

  return probe;
}

/**
 * ms_account_test_format_date:
 *
 * RFC 5322's date-time, whatever the locale: its day and month names are
 * English, never translated (g_date_time_format()'s %a and %b follow
 * LC_TIME, "jue, 03 dic 2026" under Spanish).
 *
 * Returns: (transfer full): "Thu, 03 Dec 2026 10:52:55 +0100"
 */
char *
ms_account_test_format_date (GDateTime *date_time)
{
  static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  gint64 offset_minutes;
  gint64 magnitude;

  g_return_val_if_fail (date_time != NULL, NULL);

  offset_minutes = g_date_time_get_utc_offset (date_time) / G_TIME_SPAN_MINUTE;
  magnitude = ABS (offset_minutes);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date_time) - 1],
                          g_date_time_get_day_of_month (date_time),
                          months[g_date_time_get_month (date_time) - 1],
                          g_date_time_get_year (date_time),
                          g_date_time_get_hour (date_time),
                          g_date_time_get_minute (date_time),
                          g_date_time_get_second (date_time),
                          offset_minutes < 0 ? '-' : '+',
                          (int) (magnitude / 60), (int) (magnitude % 60));
}

static char *
build_test_message (MsAccountTest *self,
                    const char    *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = ms_account_test_format_date (now);
  const char *address = ms_address_get_ascii (self->address);

  /* Lines end in CRLF; none starts with a dot, so no dot-stuffing. */
  return g_strdup_printf ("From: <%s>\r\n"
                          "To: <%s>\r\n"
                          "Subject: Mail Setup test message\r\n"
                          "Date: %s\r\n"
                          "Message-ID: <%s@mail-setup.invalid>\r\n"
                          MS_TEST_MESSAGE_HEADER ": %s\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "Mail Setup sent this message to check that your account can send\r\n"
                          "and receive mail. It deletes it as soon as it arrives.\r\n",
                          address, address, date, token, token);
}

/* Picks the first working server of the profile for each direction. */
static MsProbeResult *
choose (RunData  *data,
        gboolean  incoming)
{
  for (guint i = 0; i < data->results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (data->results, i);

      if (GPOINTER_TO_INT (g_ptr_array_index (data->alternate, i)))
        continue;
      if (ms_protocol_is_incoming (result->server->protocol) == incoming &&
          ms_probe_result_works (result))
        return result;
    }

  return NULL;
}

/* An alternate of the same protocol that reached TLS: what to offer when
 * the listed port fails. */
static MsProbeResult *
find_working_alternate (RunData        *data,
                        const MsServer *failed)
{
  for (guint i = 0; i < data->results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (data->results, i);

      if (!GPOINTER_TO_INT (g_ptr_array_index (data->alternate, i)))
        continue;
      if (result->server->protocol == failed->protocol &&
          g_ascii_strcasecmp (result->server->hostname, failed->hostname) == 0 &&
          ms_probe_result_is_secure (result))
        return result;
    }

  return NULL;
}

static MsProfile *
find_recommended_other_profile (MsAccountTest *self)
{
  MsProfile *recommended;

  if (self->provider == NULL)
    return NULL;

  recommended = ms_provider_get_recommended_profile (self->provider);
  if (recommended == NULL || recommended == self->profile)
    return NULL;

  return recommended;
}

/* Adds the fixes only the whole picture can give: another port that
 * answered, another profile. */
static void
add_diagnosis_fixes (MsAccountTest *self,
                     RunData       *data,
                     MsProbeResult *result,
                     MsDiagnosis   *diagnosis,
                     MsProfile     *other_profile)
{
  MsProbeResult *alternate;

  switch (diagnosis->code)
    {
    case MS_DIAGNOSIS_TIMEOUT:
    case MS_DIAGNOSIS_CONNECTION_REFUSED:
    case MS_DIAGNOSIS_STARTTLS_NOT_OFFERED:
    case MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED:
      alternate = find_working_alternate (data, result->server);
      if (alternate != NULL)
        {
          ms_diagnosis_add_fix (diagnosis,
                                ms_fix_new_use_port (alternate->server->port,
                                                     alternate->detected_security));
        }
      G_GNUC_FALLTHROUGH;

    case MS_DIAGNOSIS_RELAY_DENIED:
      if (other_profile != NULL &&
          (diagnosis->code == MS_DIAGNOSIS_RELAY_DENIED ||
           ms_profile_get_restriction (self->profile) != NULL))
        {
          g_autofree char *label = g_strdup_printf (_("Use %s settings"),
                                                    ms_profile_get_name (other_profile));

          ms_diagnosis_add_fix (diagnosis,
                                ms_fix_new_use_profile (ms_profile_get_id (other_profile),
                                                        label));
        }
      break;

    default:
      break;
    }
}

/* Adds what a probe's diagnosis means given the whole picture (the
 * classifier decides, ms_diagnosis_classify_follow_up()). */
static void
add_follow_up (MsAccountTest       *self,
               RunData             *data,
               const MsProbeResult *result,
               const MsDiagnosis   *diagnosis)
{
  MsDiagnosisContext context = { NULL, };
  g_autoptr(MsDiagnosis) follow_up = NULL;
  MsDiagnosisCode code;

  context.username = result->username;
  context.username_is_address = self->provider != NULL &&
                                ms_provider_get_username_is_address (self->provider);
  context.certificate_was_pinned = self->trust_store != NULL && result->certificate != NULL &&
                                   ms_trust_store_get_pinned_fingerprint (self->trust_store,
                                                                          result->server->hostname,
                                                                          result->server->port) != NULL;

  if (!ms_diagnosis_classify_follow_up (diagnosis->code, &context, &code))
    return;

  if (code == MS_DIAGNOSIS_USERNAME_INCOMPLETE)
    {
      follow_up = ms_diagnosis_new (code, result->server, result->username);
      ms_diagnosis_add_fix (follow_up,
                            ms_fix_new_complete_username (ms_address_get_ascii (self->address)));
    }
  else
    {
      follow_up = ms_diagnosis_new (code, result->server, NULL);
    }

  ms_account_report_add_diagnosis (data->report, follow_up);
}

static void
add_account_fixes (MsAccountTest *self,
                   RunData       *data)
{
  MsProfile *other_profile = find_recommended_other_profile (self);

  for (guint i = 0; i < data->results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (data->results, i);

      if (GPOINTER_TO_INT (g_ptr_array_index (data->alternate, i)))
        continue;

      for (guint j = 0; j < result->diagnoses->len; j++)
        {
          MsDiagnosis *diagnosis = g_ptr_array_index (result->diagnoses, j);

          add_diagnosis_fixes (self, data, result, diagnosis, other_profile);
          add_follow_up (self, data, result, diagnosis);
        }
    }
}

static void
complete_run (GTask *task)
{
  MsAccountTest *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  MsProbeResult *incoming;
  MsProbeResult *outgoing;
  g_autoptr(GNetworkMonitor) monitor = NULL;

  if (data->cancelled != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->cancelled));
      return;
    }

  for (guint i = 0; i < data->results->len; i++)
    ms_account_report_add_result (data->report, g_ptr_array_index (data->results, i),
                                  GPOINTER_TO_INT (g_ptr_array_index (data->alternate, i)));

  monitor = g_object_ref (g_network_monitor_get_default ());
  incoming = choose (data, TRUE);
  outgoing = choose (data, FALSE);
  if ((incoming == NULL || outgoing == NULL) && !g_network_monitor_get_network_available (monitor))
    {
      g_autoptr(MsDiagnosis) offline = ms_diagnosis_new (MS_DIAGNOSIS_OFFLINE, NULL, NULL);

      ms_account_report_add_diagnosis (data->report, offline);
    }

  if (ms_profile_get_restriction (self->profile) != NULL)
    {
      g_autoptr(MsDiagnosis) restricted = NULL;

      restricted = ms_diagnosis_new (MS_DIAGNOSIS_PROFILE_NETWORK_RESTRICTED, NULL,
                                     ms_profile_get_restriction (self->profile));
      ms_account_report_add_diagnosis (data->report, restricted);
    }

  add_account_fixes (self, data);
  ms_account_report_set_chosen (data->report, incoming, outgoing);

  if (self->send_test_message)
    {
      MsProbeResult *sent = NULL;
      MsProbeResult *found = NULL;
      gint64 delivery_ms = -1;

      for (guint i = 0; i < data->probes->len; i++)
        {
          MsProbe *probe = g_ptr_array_index (data->probes, i);

          if (probe == data->sender)
            sent = g_ptr_array_index (data->results, i);
          if (probe == data->watcher)
            found = g_ptr_array_index (data->results, i);
        }

      if (sent != NULL && found != NULL && sent->message_sent_usec > 0 &&
          found->message_found_usec > 0)
        delivery_ms = MAX (0, (found->message_found_usec - sent->message_sent_usec) / 1000);

      ms_account_report_set_test_message (data->report, TRUE,
                                          sent != NULL && sent->message_sent_usec > 0,
                                          found != NULL && found->message_found_usec > 0,
                                          delivery_ms);
      ms_account_report_set_test_message_checked (data->report, data->watcher != NULL);
    }

  g_task_return_pointer (task, g_object_ref (data->report), g_object_unref);
}

static void probe_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Starts the next waiting probe; the profile's servers come first. */
static void
start_next_probe (GTask *task)
{
  MsAccountTest *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  guint i = data->next_to_start++;
  MsProbe *probe = g_ptr_array_index (data->probes, i);

  g_signal_emit (self, signals[SERVER_STARTED], 0, ms_probe_get_server (probe),
                 GPOINTER_TO_INT (g_ptr_array_index (data->alternate, i)));
  ms_probe_run_async (probe, data->cancellable, probe_done_cb, g_object_ref (task));
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  MsProbe *probe = MS_PROBE (object);
  g_autoptr(GError) error = NULL;
  MsProbeResult *probe_result;
  guint index;

  probe_result = ms_probe_run_finish (probe, result, &error);
  g_assert (g_ptr_array_find (data->probes, probe, &index));

  if (probe_result != NULL)
    {
      g_ptr_array_index (data->results, index) = probe_result;
      g_signal_emit (g_task_get_source_object (task), signals[SERVER_FINISHED], 0, probe_result,
                     GPOINTER_TO_INT (g_ptr_array_index (data->alternate, index)));
    }
  else if (data->cancelled == NULL)
    data->cancelled = g_steal_pointer (&error);

  /* The message will never come if it was never sent. */
  if (probe == data->sender && data->watcher != NULL &&
      (probe_result == NULL || probe_result->message_sent_usec == 0))
    ms_probe_stop_watching (data->watcher);

  if (--data->pending == 0)
    complete_run (task);
  else if (data->next_to_start < data->probes->len)
    start_next_probe (task);
}

/* One login per protocol: the first server of each goes to @tested; the
 * others, and repeats of a host and port, to @unlogged, probed without
 * one. */
static void
choose_login_servers (MsAccountTest *self,
                      GPtrArray     *tested,
                      GPtrArray     *unlogged)
{
  GPtrArray *lists[] = { ms_profile_get_incoming (self->profile),
                         ms_profile_get_outgoing (self->profile) };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        MsServer *server = g_ptr_array_index (lists[l], i);
        gboolean protocol_done = FALSE;

        for (guint j = 0; j < tested->len && !protocol_done; j++)
          protocol_done = ((MsServer *) g_ptr_array_index (tested, j))->protocol == server->protocol;

        if (!protocol_done)
          g_ptr_array_add (tested, server);
        else if (!has_endpoint (tested, server) && !has_endpoint (unlogged, server))
          g_ptr_array_add (unlogged, server);
      }
}

/* The end-to-end test: the first SMTP server sends a message to the
 * address, the first IMAP server watches for it. */
static void
arrange_test_message (MsAccountTest *self,
                      RunData       *data,
                      GPtrArray     *tested)
{
  for (guint i = 0; i < tested->len; i++)
    {
      MsServer *server = g_ptr_array_index (tested, i);
      MsProbe *probe = g_ptr_array_index (data->probes, i);

      if (server->protocol == MS_PROTOCOL_SMTP && data->sender == NULL)
        data->sender = probe;
      else if (server->protocol == MS_PROTOCOL_IMAP && data->watcher == NULL)
        data->watcher = probe;
    }

  /* Without IMAP the message is still sent (that proves sending); only
   * its arrival goes unchecked, and the report says so. */
  if (data->sender != NULL)
    {
      g_autofree char *message = NULL;
      const char *address = ms_address_get_ascii (self->address);

      data->token = g_uuid_string_random ();
      message = build_test_message (self, data->token);
      ms_probe_set_send_message (data->sender, address, address, message);
      if (data->watcher != NULL)
        ms_probe_set_watch_message (data->watcher, data->token, self->message_wait_ms);
    }
  else
    data->watcher = NULL;
}

/**
 * ms_account_test_run_async:
 *
 * Tests the profile. Problems are diagnoses in the report; the task fails
 * only when cancelled.
 */
void
ms_account_test_run_async (MsAccountTest       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) tested = g_ptr_array_new ();
  g_autoptr(GPtrArray) unlogged = g_ptr_array_new ();
  g_autoptr(GPtrArray) alternates = NULL;
  RunData *data;

  g_return_if_fail (MS_IS_ACCOUNT_TEST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_account_test_run_async);

  /* A token is guarded like a password: not for unconfirmed settings. */
  if (self->password != NULL || self->token != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!ms_discovery_attempt_check_password (self->discovered, self->confirmed, &error) ||
          (self->password != NULL &&
           !ms_dialect_check_credentials (ms_address_get_ascii (self->address), self->password, &error)))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  data = g_new0 (RunData, 1);
  data->report = ms_account_report_new (self->address, self->provider, self->profile);
  ms_account_report_set_source (data->report, self->source);
  data->probes = g_ptr_array_new_with_free_func (g_object_unref);
  data->alternate = g_ptr_array_new ();
  data->results = g_ptr_array_new_with_free_func (probe_result_unref0);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  choose_login_servers (self, tested, unlogged);

  for (guint i = 0; i < tested->len; i++)
    {
      MsServer *server = g_ptr_array_index (tested, i);
      MsProbe *probe = create_probe (self, server, TRUE);

      g_ptr_array_add (data->probes, probe);
      g_ptr_array_add (data->alternate, GINT_TO_POINTER (FALSE));
    }

  if (self->probe_alternates)
    alternates = collect_alternates (self, tested, unlogged);
  else
    {
      /* Without alternates the profile's own servers are still tested. */
      alternates = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_server_unref);
      for (guint i = 0; i < unlogged->len; i++)
        add_alternate (tested, alternates, g_ptr_array_index (unlogged, i));
    }
  for (guint i = 0; i < alternates->len; i++)
    {
      g_ptr_array_add (data->probes, create_probe (self, g_ptr_array_index (alternates, i), FALSE));
      g_ptr_array_add (data->alternate, GINT_TO_POINTER (TRUE));
    }

  if (self->send_test_message && (self->password != NULL || self->token != NULL))
    arrange_test_message (self, data, tested);

  g_ptr_array_set_size (data->results, data->probes->len);
  data->pending = data->probes->len;

  if (data->pending == 0)
    {
      complete_run (task);
      return;
    }

  g_set_object (&data->cancellable, cancellable);
  while (data->next_to_start < data->probes->len && data->next_to_start < MAX_PROBES_IN_FLIGHT)
    start_next_probe (task);
}

MsAccountReport *
ms_account_test_run_finish (MsAccountTest  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
