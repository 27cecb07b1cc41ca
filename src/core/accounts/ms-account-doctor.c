/* ms-account-doctor.c: test an existing account as it is, and find the settings that work
 *
 * Three steps, each on the engine a new setup uses: the account's own
 * servers as a typed profile through MsAccountTest (a login when there is
 * a password and the rules do not already say it must fail, everything
 * short of it otherwise), the rules of
 * ms-doctor-rules.c against the provider file, and, when something is
 * wrong, the provider's profile for how this computer is used through
 * MsSetupSession, whose passing test gives the settings a repair writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-account-doctor.h"
#include "ms-account-test.h"
#include "ms-doctor-report-private.h"
#include "ms-doctor-rules.h"
#include "ms-oauth-account.h"
#include "ms-provider-database.h"
#include "ms-setup-session.h"

/* The id of the typed profile made of the account's own servers. */
#define CURRENT_PROFILE_ID "current"

struct _MsAccountDoctor
{
  GObject             parent_instance;

  MsExistingAccount  *account;
  MsSecret           *password;
  char               *profile_id;
  char               *ca_file;
  GTlsDatabase       *tls_database;
  MsTrustStore       *trust_store;
  MsProviderDatabase *database;
  guint               timeout_ms;
};

G_DEFINE_FINAL_TYPE (MsAccountDoctor, ms_account_doctor, G_TYPE_OBJECT)

enum {
  SERVER_STARTED,
  SERVER_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  MsAddress       *address;
  MsProvider      *provider;
  MsProfile       *intended;
  MsAccountReport *current;
  MsSetupSession  *session;
  MsSecret        *recommended_password;
  gboolean         current_without_password;
  MsOAuthTokens   *tokens;        /* the kept sign-in, for the OAuth2 servers */
  MsDoctorReport  *report;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->address, ms_address_unref);
  g_clear_object (&data->provider);
  g_clear_object (&data->intended);
  g_clear_object (&data->current);
  g_clear_object (&data->session);
  g_clear_pointer (&data->recommended_password, ms_secret_unref);
  g_clear_pointer (&data->tokens, ms_oauth_tokens_free);
  g_clear_object (&data->report);
  g_free (data);
}

static void
ms_account_doctor_dispose (GObject *object)
{
  MsAccountDoctor *self = MS_ACCOUNT_DOCTOR (object);

  g_clear_object (&self->tls_database);
  g_clear_object (&self->trust_store);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (ms_account_doctor_parent_class)->dispose (object);
}

static void
ms_account_doctor_finalize (GObject *object)
{
  MsAccountDoctor *self = MS_ACCOUNT_DOCTOR (object);

  g_clear_pointer (&self->account, ms_existing_account_unref);
  g_clear_pointer (&self->password, ms_secret_unref);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (ms_account_doctor_parent_class)->finalize (object);
}

static void
ms_account_doctor_class_init (MsAccountDoctorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_account_doctor_dispose;
  object_class->finalize = ms_account_doctor_finalize;

  /**
   * MsAccountDoctor::server-started:
   * @server: one of the account's servers, as the program has it
   */
  signals[SERVER_STARTED] =
    g_signal_new ("server-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  MS_TYPE_SERVER | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MsAccountDoctor::server-finished:
   * @result: what testing it found
   */
  signals[SERVER_FINISHED] =
    g_signal_new ("server-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  MS_TYPE_PROBE_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ms_account_doctor_init (MsAccountDoctor *self)
{
}

MsAccountDoctor *
ms_account_doctor_new (MsExistingAccount *account)
{
  MsAccountDoctor *self;

  g_return_val_if_fail (account != NULL, NULL);

  self = g_object_new (MS_TYPE_ACCOUNT_DOCTOR, NULL);
  self->account = ms_existing_account_ref (account);

  return self;
}

/**
 * ms_account_doctor_set_password:
 * @password: (nullable): the password both servers take (the person's, or
 *   the program's keyring entry); without one nothing logs in
 */
void
ms_account_doctor_set_password (MsAccountDoctor *self,
                                MsSecret        *password)
{
  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));

  g_clear_pointer (&self->password, ms_secret_unref);
  if (password != NULL)
    self->password = ms_secret_ref (password);
}

/**
 * ms_account_doctor_set_profile_id:
 * @profile_id: (nullable): the provider profile for how this computer is
 *   used ("mobile"); %NULL: the provider's recommended one
 */
void
ms_account_doctor_set_profile_id (MsAccountDoctor *self,
                                  const char      *profile_id)
{
  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));

  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
}

void
ms_account_doctor_set_tls_database (MsAccountDoctor *self,
                                    GTlsDatabase    *database)
{
  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));

  g_set_object (&self->tls_database, database);
}

void
ms_account_doctor_set_trust_store (MsAccountDoctor *self,
                                   MsTrustStore    *trust_store)
{
  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));

  g_set_object (&self->trust_store, trust_store);
}

void
ms_account_doctor_set_timeout (MsAccountDoctor *self,
                               guint            timeout_ms)
{
  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));

  self->timeout_ms = timeout_ms;
}

/**
 * ms_account_doctor_set_ca_file:
 * @ca_file: (nullable): the extra CA file the TLS database trusts, kept in
 *   the recommended settings for the programs that must be told
 */
void
ms_account_doctor_set_ca_file (MsAccountDoctor *self,
                               const char      *ca_file)
{
  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * ms_account_doctor_set_provider_database:
 * @database: (nullable): provider files already loaded (several doctors
 *   share one); %NULL: the doctor loads the default directories
 */
void
ms_account_doctor_set_provider_database (MsAccountDoctor    *self,
                                         MsProviderDatabase *database)
{
  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));

  g_set_object (&self->database, database);
}

/* The account's own servers, as a typed profile: the literal username
 * has no placeholder, so it is sent as the program sends it. */
static MsProfile *
build_current_profile (MsExistingAccount *account)
{
  MsProfile *profile = ms_profile_new (CURRENT_PROFILE_ID);

  ms_profile_add_name (profile, NULL, _("Current settings"));
  if (account->incoming != NULL)
    ms_profile_add_incoming (profile, account->incoming);
  if (account->outgoing != NULL)
    ms_profile_add_outgoing (profile, account->outgoing);

  return profile;
}

/* The address the account sends as; an mbsync store that names none is
 * tested as the address its username is, if it is one. */
static MsAddress *
account_address (MsExistingAccount *account)
{
  const char *text = account->address;

  if (text == NULL && account->incoming != NULL && account->incoming->username != NULL)
    text = account->incoming->username;
  if (text == NULL)
    return NULL;

  return ms_address_parse (text, NULL);
}

static void
server_started_cb (MsAccountTest *test,
                   MsServer      *server,
                   gboolean       alternate,
                   gpointer       user_data)
{
  if (!alternate)
    g_signal_emit (user_data, signals[SERVER_STARTED], 0, server);
}

static void
server_finished_cb (MsAccountTest *test,
                    MsProbeResult *result,
                    gboolean       alternate,
                    gpointer       user_data)
{
  if (!alternate)
    g_signal_emit (user_data, signals[SERVER_FINISHED], 0, result);
}

static void finish_run (GTask *task);
static void current_test_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void recommended_test_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
start_current_test (GTask *task)
{
  MsAccountDoctor *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(MsProfile) profile = build_current_profile (self->account);
  g_autoptr(MsAccountTest) test = NULL;

  test = ms_account_test_new (data->address, data->provider, profile);
  ms_account_test_set_source (test, "manual");
  ms_account_test_set_probe_alternates (test, FALSE);
  if (!data->current_without_password)
    ms_account_test_set_password (test, self->password);
  if (data->tokens != NULL)
    ms_account_test_set_bearer_token (test, data->tokens->access_token, data->tokens->scope,
                                      data->tokens->expires);
  ms_account_test_set_relay_check (test, TRUE);
  if (self->tls_database != NULL)
    ms_account_test_set_tls_database (test, self->tls_database);
  if (self->trust_store != NULL)
    ms_account_test_set_trust_store (test, self->trust_store);
  if (self->timeout_ms > 0)
    ms_account_test_set_timeout (test, self->timeout_ms);
  g_signal_connect_object (test, "server-started", G_CALLBACK (server_started_cb), self, 0);
  g_signal_connect_object (test, "server-finished", G_CALLBACK (server_finished_cb), self, 0);

  ms_account_test_run_async (test, g_task_get_cancellable (task), current_test_cb, task);
}

static MsProfile *
choose_intended (MsAccountDoctor *self,
                 MsProvider      *provider)
{
  if (provider == NULL)
    return NULL;
  if (self->profile_id != NULL)
    return ms_provider_get_profile (provider, self->profile_id);

  return ms_provider_get_recommended_profile (provider);
}

static void
add_servers_of_kind (MsProfile  *to,
                     GPtrArray  *servers,
                     MsProtocol  incoming,
                     void      (*add) (MsProfile *, MsServer *))
{
  for (guint i = 0; i < servers->len; i++)
    {
      MsServer *server = g_ptr_array_index (servers, i);

      if (server->protocol == incoming || !ms_protocol_is_incoming (server->protocol))
        add (to, server);
    }
}

/* The intended profile with only the incoming servers of the account's own
 * kind, when it has one: a POP account is repaired to the provider's POP
 * server (the person's mail is on this computer, not on the server), an
 * IMAP account to its IMAP server, and the one login goes there. */
static MsProfile *
profile_of_same_kind (MsProfile         *intended,
                      MsExistingAccount *account)
{
  MsProfile *same;
  MsProtocol kind;
  gboolean offered = FALSE;
  GPtrArray *incoming = ms_profile_get_incoming (intended);

  if (account->incoming == NULL)
    return g_object_ref (intended);
  kind = account->incoming->protocol;
  for (guint i = 0; i < incoming->len && !offered; i++)
    offered = ((MsServer *) g_ptr_array_index (incoming, i))->protocol == kind;
  if (!offered)
    return g_object_ref (intended);

  same = ms_profile_new (ms_profile_get_id (intended));
  ms_profile_add_name (same, NULL, ms_profile_get_name (intended));
  if (ms_profile_get_description (intended) != NULL)
    ms_profile_add_description (same, NULL, ms_profile_get_description (intended));
  if (ms_profile_get_restriction (intended) != NULL)
    ms_profile_add_restriction (same, NULL, ms_profile_get_restriction (intended));
  ms_profile_set_recommended (same, ms_profile_get_recommended (intended));
  add_servers_of_kind (same, incoming, kind, ms_profile_add_incoming);
  add_servers_of_kind (same, ms_profile_get_outgoing (intended), kind, ms_profile_add_outgoing);
  add_servers_of_kind (same, ms_profile_get_alternates (intended), kind, ms_profile_add_alternate);

  return same;
}

static void
start_recommended_test (GTask *task)
{
  MsAccountDoctor *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(MsProfile) tested = NULL;
  MsAccountTest *test;

  data->session = ms_setup_session_new (data->address, self->database);
  if (ms_setup_session_find_provider (data->session) == NULL)
    {
      finish_run (task);
      return;
    }

  tested = profile_of_same_kind (data->intended, self->account);
  ms_setup_session_set_profile (data->session, tested, FALSE);
  if (self->tls_database != NULL)
    ms_setup_session_set_tls_database (data->session, self->tls_database);
  if (self->trust_store != NULL)
    ms_setup_session_set_trust_store (data->session, self->trust_store);
  if (self->timeout_ms > 0)
    ms_setup_session_set_timeout (data->session, self->timeout_ms);
  test = ms_setup_session_prepare_test (data->session, data->recommended_password);
  /* Without a login, a server that takes mail without one must show it
   * relays for this computer before its settings are offered. */
  ms_account_test_set_relay_check (test, data->recommended_password == NULL);
  ms_setup_session_test_async (data->session, g_task_get_cancellable (task),
                               recommended_test_cb, task);
}

/* Whether the rules alone, before anything is sent, say the login on the
 * current settings cannot succeed: a username short of the provider's
 * template, a server without TLS (we refuse to send the password there
 * anyway) or one the provider retired. Then the one login each server
 * may fail goes to the right settings instead, which can prove them. */
static gboolean
current_login_cannot_succeed (MsAccountDoctor *self,
                              RunData         *data)
{
  g_autoptr(GPtrArray) predicted = NULL;

  if (self->password == NULL || data->intended == NULL)
    return FALSE;

  predicted = ms_doctor_rules_diagnose (self->account, data->provider, data->intended, NULL);
  for (guint i = 0; i < predicted->len; i++)
    {
      MsDiagnosis *finding = g_ptr_array_index (predicted, i);

      if (finding->code == MS_DIAGNOSIS_USERNAME_INCOMPLETE ||
          finding->code == MS_DIAGNOSIS_INSECURE_SETTINGS ||
          finding->code == MS_DIAGNOSIS_SERVER_RETIRED)
        return TRUE;
    }

  return FALSE;
}

/* At most one failed login per server per action: a server that already
 * said no to this password gets no second try from the right settings
 * (whatever the username), so their test then stops short of the login. */
static gboolean
may_log_in_again (MsAccountReport *current,
                  MsProfile       *intended)
{
  GPtrArray *results = ms_account_report_get_results (current);

  for (guint i = 0; i < results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (results, i);

      if (result->login == MS_LOGIN_FAILED && ms_doctor_rules_profile_uses (intended, result->server))
        return FALSE;
    }

  return TRUE;
}

static void
current_test_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsAccountDoctor *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  data->current = ms_account_test_run_finish (MS_ACCOUNT_TEST (object), result, &error);
  if (data->current == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  findings = ms_doctor_rules_diagnose (self->account, data->provider, data->intended, data->current);
  data->report = ms_doctor_report_new (self->account, data->current, findings);

  if (data->intended == NULL || ms_doctor_report_is_healthy (data->report))
    {
      finish_run (g_steal_pointer (&task));
      return;
    }

  if (self->password != NULL && may_log_in_again (data->current, data->intended))
    data->recommended_password = ms_secret_ref (self->password);
  start_recommended_test (g_steal_pointer (&task));
}

/* Whether both servers of a working test took the password. */
static gboolean
logged_in (MsAccountReport *report)
{
  MsProbeResult *results[] = { ms_account_report_get_incoming (report),
                               ms_account_report_get_outgoing (report) };

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      if (results[i] == NULL || results[i]->login != MS_LOGIN_SUCCEEDED)
        return FALSE;
    }

  return TRUE;
}

static void
recommended_test_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsAccountDoctor *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(MsAccountReport) report = NULL;
  MsAccountSettings *settings = NULL;
  g_autoptr(GError) error = NULL;

  report = ms_setup_session_test_finish (data->session, result, &error);
  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Without a password the settings are offered when everything short of
   * the login passed (valid TLS, the port speaks what it should, a relay
   * check where one applies), marked as not logged in: the person decides. */
  if (ms_account_report_works (report))
    settings = ms_setup_session_build_settings (data->session, self->account->display_name,
                                                self->ca_file, NULL);
  ms_doctor_report_set_recommended (data->report, report, settings,
                                    data->recommended_password != NULL && logged_in (report));

  finish_run (g_steal_pointer (&task));
}

static void
finish_run (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->report), g_object_unref);
  g_object_unref (task);
}

/* Whether some profile of the provider file names @server (protocol,
 * host and port). */
static gboolean
provider_names_server (MsProvider     *provider,
                       const MsServer *server)
{
  GPtrArray *profiles = ms_provider_get_profiles (provider);

  for (guint i = 0; i < profiles->len; i++)
    if (ms_doctor_rules_profile_uses (g_ptr_array_index (profiles, i), server))
      return TRUE;

  return FALSE;
}

/* An account that signs in with OAuth is tested as it is with the sign-in
 * Mail Setup keeps for the address (what `mail-setup token` gives its
 * program), but only when every server it would go to is one the
 * provider file names: an existing file may name any host, and a token is
 * for its provider's servers only. */
static gboolean
kept_sign_in_may_go (MsAccountDoctor *self,
                     RunData         *data)
{
  const MsServer *servers[] = { self->account->incoming, self->account->outgoing };
  gboolean any = FALSE;

  if (data->provider == NULL || ms_provider_get_oauth (data->provider) == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      if (servers[i] == NULL || servers[i]->auth != MS_AUTH_OAUTH2)
        continue;
      if (!provider_names_server (data->provider, servers[i]))
        return FALSE;
      any = TRUE;
    }

  return any;
}

static void
kept_tokens_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  MsOAuthTokens *tokens;

  tokens = ms_oauth_account_fresh_tokens_sync (ms_address_get_ascii (data->address),
                                               ms_provider_get_oauth (data->provider),
                                               cancellable, &error);
  if (tokens == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) ms_oauth_tokens_free);
}

static void
kept_tokens_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->tokens = g_task_propagate_pointer (G_TASK (result), &error);
  /* Not signed in, or the sign-in withdrawn: tested short of the login,
   * as an account without a password is. */
  if (data->tokens == NULL)
    g_debug ("No kept sign-in for the doctor: %s", error->message);
  start_current_test (task);
}

/* The keyring (and perhaps the token endpoint) in a thread, then the test. */
static void
take_kept_sign_in (GTask *task)
{
  g_autoptr(GTask) thread_task = NULL;

  thread_task = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                            kept_tokens_cb, task);
  g_task_set_source_tag (thread_task, take_kept_sign_in);
  g_task_set_task_data (thread_task, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (thread_task, kept_tokens_thread);
}

/* With the provider files loaded: the provider, the profile for how this
 * computer is used, then the test of the account as it is. */
static void
lookup_provider (GTask *task)
{
  MsAccountDoctor *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  data->provider = ms_provider_database_lookup (self->database, ms_address_get_domain (data->address));
  if (data->provider != NULL)
    g_object_ref (data->provider);
  g_set_object (&data->intended, choose_intended (self, data->provider));
  if (data->provider != NULL && self->profile_id != NULL && data->intended == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("%s has no profile “%s”"),
                               ms_provider_get_display_name (data->provider), self->profile_id);
      g_object_unref (task);
      return;
    }

  data->current_without_password = current_login_cannot_succeed (self, data);
  if (kept_sign_in_may_go (self, data))
    take_kept_sign_in (task);
  else
    start_current_test (task);
}

static void
database_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* A broken provider file is skipped by the database itself; failing
   * here means cancelled. */
  if (!ms_provider_database_load_finish (MS_PROVIDER_DATABASE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lookup_provider (g_steal_pointer (&task));
}

/**
 * ms_account_doctor_run_async:
 *
 * Tests the account as it is, diagnoses it and, when something is wrong,
 * tests the provider's settings for how this computer is used. Problems
 * are findings in the report; the task fails only when cancelled, for an
 * account without an address to test as, or for a --profile the provider
 * does not have.
 */
void
ms_account_doctor_run_async (MsAccountDoctor     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (MS_IS_ACCOUNT_DOCTOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_account_doctor_run_async);

  data = g_new0 (RunData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  data->address = account_address (self->account);
  if (data->address == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The account names no email address to test it as"));
      return;
    }

  if (self->database == NULL)
    self->database = ms_provider_database_new ();
  if (ms_provider_database_is_loaded (self->database))
    lookup_provider (g_steal_pointer (&task));
  else
    ms_provider_database_load_async (self->database, cancellable, database_loaded_cb,
                                   g_steal_pointer (&task));
}

MsDoctorReport *
ms_account_doctor_run_finish (MsAccountDoctor  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_DOCTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_account_doctor_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
