/* ms-setup-session.c: the one setup pipeline, from an address to a tested, saved account
 *
 * The stages, in order: the provider files or discovery (ms-discovery.c),
 * the trust confirmation for discovered settings (the caller answers: the
 * wizard's dialog, the command line's flag), the profile, the test
 * (ms-account-test.c, with the TLS database and the trust store), the
 * settings it proved (ms-account-settings.c), then the keyring and the
 * exporters. The wizard and the command line drive the same session; the
 * account test checks the trust rule again as the last wall. Signing in
 * with the provider instead of a password is in ms-setup-session-sign-in.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-enum-types.h"
#include "ms-keyring.h"
#include "ms-setup-session-private.h"


G_DEFINE_FINAL_TYPE (MsSetupSession, ms_setup_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ATTEMPT,
  PROP_PROVIDER,
  PROP_CONCERNS,
  PROP_REPORT,
  N_PROPS
};

enum {
  ATTEMPT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (MsSetupSession      *self,
           MsSetupSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* A new provider makes everything after it stale. */
static void
set_found (MsSetupSession     *self,
           MsProvider         *provider,
           MsDiscoveryAttempt *attempt)
{
  g_set_object (&self->provider, provider);
  g_set_object (&self->attempt, attempt);
  self->confirmed = FALSE;
  ms_setup_session_clear_sign_in (self);
  g_clear_object (&self->report);
  g_clear_pointer (&self->settings, ms_account_settings_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCERNS]);
}

static void
ms_setup_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MsSetupSession *self = MS_SETUP_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ATTEMPT:
      g_value_set_object (value, self->attempt);
      break;
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_CONCERNS:
      g_value_take_string (value, ms_setup_session_dup_concerns (self));
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_setup_session_dispose (GObject *object)
{
  MsSetupSession *self = MS_SETUP_SESSION (object);

  if (self->discovery != NULL)
    g_signal_handlers_disconnect_by_data (self->discovery, self);
  g_clear_object (&self->discovery);
  g_clear_object (&self->attempt);
  g_clear_object (&self->provider);
  g_clear_object (&self->profile);
  g_clear_object (&self->test);
  g_clear_object (&self->report);
  g_clear_pointer (&self->address, ms_address_unref);
  g_clear_object (&self->database);
  g_clear_object (&self->tls_database);
  g_clear_object (&self->trust_store);

  G_OBJECT_CLASS (ms_setup_session_parent_class)->dispose (object);
}

static void
ms_setup_session_finalize (GObject *object)
{
  MsSetupSession *self = MS_SETUP_SESSION (object);

  g_clear_pointer (&self->public_database_url, g_free);
  g_clear_pointer (&self->password, ms_secret_unref);
  ms_setup_session_clear_sign_in (self);
  g_clear_pointer (&self->settings, ms_account_settings_unref);

  G_OBJECT_CLASS (ms_setup_session_parent_class)->finalize (object);
}

static void
ms_setup_session_class_init (MsSetupSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = ms_setup_session_get_property;
  object_class->dispose = ms_setup_session_dispose;
  object_class->finalize = ms_setup_session_finalize;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, MS_TYPE_SETUP_SESSION_STATE,
                                              MS_SETUP_SESSION_STATE_NEW, flags);
  properties[PROP_ATTEMPT] = g_param_spec_object ("attempt", NULL, NULL, MS_TYPE_DISCOVERY_ATTEMPT, flags);
  properties[PROP_PROVIDER] = g_param_spec_object ("provider", NULL, NULL, MS_TYPE_PROVIDER, flags);
  properties[PROP_CONCERNS] = g_param_spec_string ("concerns", NULL, NULL, NULL, flags);
  properties[PROP_REPORT] = g_param_spec_object ("report", NULL, NULL, MS_TYPE_ACCOUNT_REPORT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MsSetupSession::attempt-changed:
   *
   * A discovery source started or ended (MsDiscovery::attempt-changed).
   */
  signals[ATTEMPT_CHANGED] = g_signal_new ("attempt-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, MS_TYPE_DISCOVERY_ATTEMPT);
}

static void
ms_setup_session_init (MsSetupSession *self)
{
  self->use_public_database = TRUE;
}

/**
 * ms_setup_session_new:
 * @database: (nullable): loaded provider files; %NULL looks only by
 *   discovery
 */
MsSetupSession *
ms_setup_session_new (MsAddress          *address,
                      MsProviderDatabase *database)
{
  MsSetupSession *self;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (database == NULL || MS_IS_PROVIDER_DATABASE (database), NULL);

  self = g_object_new (MS_TYPE_SETUP_SESSION, NULL);
  self->address = ms_address_ref (address);
  g_set_object (&self->database, database);

  return self;
}

MsAddress *
ms_setup_session_get_address (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->address;
}

MsSetupSessionState
ms_setup_session_get_state (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), MS_SETUP_SESSION_STATE_NEW);

  return self->state;
}

/**
 * ms_setup_session_set_tls_database:
 * @tls_database: (nullable): the CAs that discovery and the test trust;
 *   %NULL is the system's
 */
void
ms_setup_session_set_tls_database (MsSetupSession *self,
                                   GTlsDatabase   *tls_database)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  g_set_object (&self->tls_database, tls_database);
}

void
ms_setup_session_set_trust_store (MsSetupSession *self,
                                  MsTrustStore   *trust_store)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  g_set_object (&self->trust_store, trust_store);
}

/**
 * ms_setup_session_set_timeout:
 * @timeout_ms: how long each network step may take; 0 keeps each stage's
 *   default
 */
void
ms_setup_session_set_timeout (MsSetupSession *self,
                              guint           timeout_ms)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  self->timeout_ms = timeout_ms;
}

void
ms_setup_session_set_use_public_database (MsSetupSession *self,
                                          gboolean        use)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  self->use_public_database = use;
}

void
ms_setup_session_set_public_database_url (MsSetupSession *self,
                                          const char     *url)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  g_free (self->public_database_url);
  self->public_database_url = url != NULL && *url != '\0' ? g_strdup (url) : NULL;
}

/* The person's choice from the wizard's settings, when they are installed. */
static gboolean
settings_allow_public_database (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "use-public-provider-database"))
    return TRUE;

  settings = g_settings_new_full (schema, NULL, NULL);

  return g_settings_get_boolean (settings, "use-public-provider-database");
}

/**
 * ms_setup_session_apply_system_settings:
 *
 * For callers without settings of their own (the command line): the
 * installed use-public-provider-database setting turns the public database
 * off, and in development builds MS_SETUP_SESSION_PUBLIC_DATABASE_URL_ENV
 * moves it.
 */
void
ms_setup_session_apply_system_settings (MsSetupSession *self)
{
  /* Only development builds let the environment move the database: in a
   * release, whoever sets the environment of a script would choose where
   * settings come from. */
  const char *url = DEVELOPMENT_BUILD ? g_getenv (MS_SETUP_SESSION_PUBLIC_DATABASE_URL_ENV) : NULL;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  if (!settings_allow_public_database ())
    self->use_public_database = FALSE;
  if (url != NULL && *url != '\0')
    ms_setup_session_set_public_database_url (self, url);
}

/**
 * ms_setup_session_set_discovery_func:
 * @func: (nullable): called with every discovery before it starts
 */
void
ms_setup_session_set_discovery_func (MsSetupSession              *self,
                                     MsSetupSessionDiscoveryFunc  func,
                                     gpointer                     user_data)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  self->discovery_func = func;
  self->discovery_data = user_data;
}

/* ---- the lookup ---------------------------------------------------- */

/**
 * ms_setup_session_find_provider:
 *
 * Looks the address's domain up in the provider files (no network); on a
 * hit that provider is the session's.
 *
 * Returns: (transfer none) (nullable): the provider
 */
MsProvider *
ms_setup_session_find_provider (MsSetupSession *self)
{
  MsProvider *provider;

  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  if (self->database == NULL)
    return NULL;

  provider = ms_provider_database_lookup (self->database, ms_address_get_domain (self->address));
  if (provider != NULL)
    {
      set_found (self, provider, NULL);
      set_state (self, MS_SETUP_SESSION_STATE_FOUND);
    }

  return provider;
}

static void
attempt_changed_cb (MsSetupSession     *self,
                    MsDiscoveryAttempt *attempt,
                    MsDiscovery        *discovery)
{
  if (discovery == self->discovery)
    g_signal_emit (self, signals[ATTEMPT_CHANGED], 0, attempt);
}

static MsDiscovery *
create_discovery (MsSetupSession *self)
{
  MsDiscovery *discovery = ms_discovery_new (self->address);

  if (self->database != NULL)
    ms_discovery_set_provider_database (discovery, self->database);
  if (self->tls_database != NULL)
    ms_discovery_set_tls_database (discovery, self->tls_database);
  if (self->timeout_ms > 0)
    ms_discovery_set_timeout (discovery, self->timeout_ms);
  ms_discovery_set_use_public_database (discovery, self->use_public_database);
  if (self->public_database_url != NULL)
    ms_discovery_set_public_database_url (discovery, self->public_database_url);
  if (self->discovery_func != NULL)
    self->discovery_func (discovery, self->discovery_data);

  return discovery;
}

static void
discovery_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsSetupSession *self = g_task_get_source_object (task);
  MsDiscovery *discovery = MS_DISCOVERY (object);
  g_autoptr(MsDiscoveryAttempt) winner = NULL;
  GError *error = NULL;

  winner = ms_discovery_run_finish (discovery, result, &error);
  g_signal_handlers_disconnect_by_data (discovery, self);

  /* A lookup replaced by a newer one changes nothing. */
  if (discovery == self->discovery)
    {
      set_found (self, winner != NULL ? ms_discovery_attempt_get_provider (winner) : NULL, winner);
      set_state (self, winner != NULL ? MS_SETUP_SESSION_STATE_FOUND : MS_SETUP_SESSION_STATE_NOT_FOUND);
    }

  if (winner == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (ms_discovery_attempt_get_provider (winner)),
                           g_object_unref);
}

/**
 * ms_setup_session_lookup_async:
 *
 * Finds the settings: the provider files first (a provider with servers),
 * then discovery (every source at once, see ms-discovery.c). A discovered winner may need the
 * confirmation before a password goes to it.
 */
void
ms_setup_session_lookup_async (MsSetupSession      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MsProvider *provider;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_setup_session_lookup_async);

  /* A provider file without servers is no answer: discovery may have one. */
  provider = ms_setup_session_find_provider (self);
  if (provider != NULL && ms_provider_get_recommended_profile (provider) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (provider), g_object_unref);
      return;
    }

  if (self->discovery != NULL)
    g_signal_handlers_disconnect_by_data (self->discovery, self);
  g_clear_object (&self->discovery);
  set_found (self, NULL, NULL);
  self->discovery = create_discovery (self);
  g_signal_connect_object (self->discovery, "attempt-changed", G_CALLBACK (attempt_changed_cb),
                           self, G_CONNECT_SWAPPED);
  set_state (self, MS_SETUP_SESSION_STATE_LOOKING);
  ms_discovery_run_async (self->discovery, cancellable, discovery_done_cb, g_steal_pointer (&task));
}

/**
 * ms_setup_session_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL with
 *   @error saying why nothing was found
 */
MsProvider *
ms_setup_session_lookup_finish (MsSetupSession  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ms_setup_session_get_discovery:
 *
 * Returns: (transfer none) (nullable): the last discovery (its attempts
 *   say what each source did), %NULL when the provider files knew the domain
 */
MsDiscovery *
ms_setup_session_get_discovery (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->discovery;
}

/**
 * ms_setup_session_get_attempt:
 *
 * Returns: (transfer none) (nullable): the discovery source that found the
 *   provider, %NULL for a provider file
 */
MsDiscoveryAttempt *
ms_setup_session_get_attempt (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->attempt;
}

MsProvider *
ms_setup_session_get_provider (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->provider;
}

/**
 * ms_setup_session_get_source:
 *
 * Returns: where the tested settings came from, the report's "source":
 *   "manual", a discovery source's name, or "provider-file"
 */
const char *
ms_setup_session_get_source (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  if (self->manual)
    return "manual";
  if (self->attempt != NULL)
    return ms_discovery_attempt_get_name (self->attempt);

  return "provider-file";
}

/* ---- the confirmation ---------------------------------------------- */

/**
 * ms_setup_session_dup_concerns:
 *
 * Returns: (transfer full) (nullable): what the person must accept about
 *   the discovered settings, in a sentence; %NULL when nothing
 */
char *
ms_setup_session_dup_concerns (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->attempt != NULL ? ms_discovery_attempt_explain_concerns (self->attempt) : NULL;
}

/**
 * ms_setup_session_needs_confirmation:
 *
 * Returns: whether a password may not be sent before ms_setup_session_confirm()
 */
gboolean
ms_setup_session_needs_confirmation (MsSetupSession *self)
{
  return !ms_setup_session_check_password (self, NULL);
}

/**
 * ms_setup_session_check_password:
 *
 * The trust rule (ms_discovery_attempt_check_password()) for the found
 * settings and the answer so far; the account test asks it again.
 */
gboolean
ms_setup_session_check_password (MsSetupSession  *self,
                                 GError         **error)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), FALSE);

  return ms_discovery_attempt_check_password (self->attempt, self->confirmed, error);
}

/**
 * ms_setup_session_confirm:
 *
 * The person accepted the concerns about the settings found (the wizard's
 * dialog, the command line's --accept-config-from-untrusted-source).
 */
void
ms_setup_session_confirm (MsSetupSession *self)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));

  self->confirmed = TRUE;
}

gboolean
ms_setup_session_get_confirmed (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), FALSE);

  return self->confirmed;
}

/* ---- the test ------------------------------------------------------ */

/**
 * ms_setup_session_set_profile:
 * @manual: the person typed the servers in (the report's source "manual")
 */
void
ms_setup_session_set_profile (MsSetupSession *self,
                              MsProfile      *profile,
                              gboolean        manual)
{
  g_return_if_fail (MS_IS_SETUP_SESSION (self));
  g_return_if_fail (MS_IS_PROFILE (profile));

  g_set_object (&self->profile, profile);
  self->manual = manual;
  g_clear_object (&self->report);
  g_clear_pointer (&self->settings, ms_account_settings_unref);
}

MsProfile *
ms_setup_session_get_profile (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->profile;
}

/**
 * ms_setup_session_prepare_test:
 * @password: (nullable): the password to log in with; once signed in
 *   (ms_setup_session_sign_in_async()), the servers whose auth is OAuth2
 *   log in with the token instead, and @password may be %NULL
 *
 * Builds the test of the chosen profile; the caller may set what only it
 * knows (alternates, the test message) and connect to its signals before
 * ms_setup_session_test_async().
 *
 * Returns: (transfer none): the test
 */
MsAccountTest *
ms_setup_session_prepare_test (MsSetupSession *self,
                               MsSecret       *password)
{
  MsAccountTest *test;

  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);
  g_return_val_if_fail (self->profile != NULL, NULL);

  g_clear_pointer (&self->password, ms_secret_unref);
  self->password = password != NULL ? ms_secret_ref (password) : NULL;
  g_clear_object (&self->report);
  g_clear_pointer (&self->settings, ms_account_settings_unref);

  test = ms_account_test_new (self->address, self->provider, self->profile);
  ms_account_test_set_source (test, ms_setup_session_get_source (self));
  ms_account_test_set_discovery (test, self->attempt, self->confirmed);
  ms_account_test_set_password (test, self->password);
  ms_account_test_set_bearer_token (test, self->token, self->token_scope, self->token_expires);
  if (self->tls_database != NULL)
    ms_account_test_set_tls_database (test, self->tls_database);
  ms_account_test_set_trust_store (test, self->trust_store);
  if (self->timeout_ms > 0)
    ms_account_test_set_timeout (test, self->timeout_ms);

  g_clear_object (&self->test);
  self->test = test;

  return test;
}

/**
 * ms_setup_session_get_test:
 *
 * Returns: (transfer none) (nullable): the prepared or running test
 */
MsAccountTest *
ms_setup_session_get_test (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->test;
}

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsSetupSession *self = g_task_get_source_object (task);
  MsAccountTest *test = MS_ACCOUNT_TEST (object);
  g_autoptr(MsAccountReport) report = NULL;
  GError *error = NULL;

  report = ms_account_test_run_finish (test, result, &error);

  /* A test replaced by a newer one changes nothing. */
  if (test == self->test)
    {
      g_clear_object (&self->test);
      g_set_object (&self->report, report);
      set_state (self, report != NULL ? MS_SETUP_SESSION_STATE_TESTED : MS_SETUP_SESSION_STATE_FOUND);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
    }

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&report), g_object_unref);
}

/**
 * ms_setup_session_test_async:
 *
 * Runs the test ms_setup_session_prepare_test() built (one with no
 * password when none was).
 */
void
ms_setup_session_test_async (MsSetupSession      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));
  g_return_if_fail (self->profile != NULL);

  if (self->test == NULL)
    ms_setup_session_prepare_test (self, self->password);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_setup_session_test_async);
  set_state (self, MS_SETUP_SESSION_STATE_TESTING);
  ms_account_test_run_async (self->test, cancellable, test_done_cb, task);
}

/**
 * ms_setup_session_test_finish:
 *
 * Returns: (transfer full) (nullable): the report, %NULL on an error
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
MsAccountReport *
ms_setup_session_test_finish (MsSetupSession  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MsAccountReport *
ms_setup_session_get_report (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->report;
}

/* ---- what the test proved ------------------------------------------ */

/**
 * ms_setup_session_build_settings:
 * @display_name: (nullable): the person's name for the From: line
 * @ca_file: (nullable): the extra CA file the test trusted
 *
 * The settings the last report proved (an error when it proved none).
 *
 * Returns: (transfer none) (nullable): the settings
 */
MsAccountSettings *
ms_setup_session_build_settings (MsSetupSession  *self,
                                 const char      *display_name,
                                 const char      *ca_file,
                                 GError         **error)
{
  g_autoptr(MsAccountSettings) settings = NULL;

  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);
  g_return_val_if_fail (self->report != NULL, NULL);

  settings = ms_account_settings_new_from_report (self->report, error);
  if (settings == NULL)
    return NULL;

  if (display_name != NULL)
    ms_account_settings_set_display_name (settings, display_name);
  if (ca_file != NULL && *ca_file != '\0')
    ms_account_settings_set_ca_file (settings, ca_file);

  g_clear_pointer (&self->settings, ms_account_settings_unref);
  self->settings = g_steal_pointer (&settings);

  return self->settings;
}

/**
 * ms_setup_session_get_settings:
 *
 * Returns: (transfer none) (nullable): what ms_setup_session_build_settings() built
 */
MsAccountSettings *
ms_setup_session_get_settings (MsSetupSession *self)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), NULL);

  return self->settings;
}

/**
 * ms_setup_session_save_settings:
 *
 * Writes the settings where a later `export` without a password finds
 * them (ms_account_settings_save()).
 */
gboolean
ms_setup_session_save_settings (MsSetupSession  *self,
                                GError         **error)
{
  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), FALSE);
  g_return_val_if_fail (self->settings != NULL, FALSE);

  return ms_account_settings_save (self->settings, error);
}

/**
 * ms_setup_session_load_settings:
 *
 * Takes the settings an earlier passing test saved for the address
 * (ms_account_settings_load()) instead of testing again; the exports
 * then write those.
 */
gboolean
ms_setup_session_load_settings (MsSetupSession  *self,
                                GError         **error)
{
  MsAccountSettings *settings;

  g_return_val_if_fail (MS_IS_SETUP_SESSION (self), FALSE);

  settings = ms_account_settings_load (ms_address_get_ascii (self->address), error);
  if (settings == NULL)
    return FALSE;

  g_clear_pointer (&self->settings, ms_account_settings_unref);
  self->settings = settings;

  return TRUE;
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsSetupSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  MsSecret *password;

  password = ms_keyring_lookup_finish (result, &error);
  if (password == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->password, ms_secret_unref);
  self->password = password;
  g_task_return_boolean (task, TRUE);
}

/**
 * ms_setup_session_lookup_password_async:
 *
 * Reads the password the keyring keeps for the loaded settings'
 * incoming server, for the exports that need it.
 */
void
ms_setup_session_lookup_password_async (MsSetupSession      *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));
  g_return_if_fail (self->settings != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_setup_session_lookup_password_async);
  ms_keyring_lookup_async (self->settings->address, self->settings->incoming->protocol,
                           cancellable, looked_up_cb, task);
}

gboolean
ms_setup_session_lookup_password_finish (MsSetupSession  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsSetupSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!ms_keyring_store_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  set_state (self, MS_SETUP_SESSION_STATE_SAVED);
  g_task_return_boolean (task, TRUE);
}

/**
 * ms_setup_session_store_password_async:
 *
 * Keeps the tested password in the keyring for the built settings. A
 * session signed in without a password stores nothing: its tokens were
 * kept when it signed in.
 */
void
ms_setup_session_store_password_async (MsSetupSession      *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));
  g_return_if_fail (self->settings != NULL && (self->password != NULL || self->token != NULL));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_setup_session_store_password_async);

  /* Signed in without a password: the tokens are in the keyring already. */
  if (self->password == NULL)
    {
      set_state (self, MS_SETUP_SESSION_STATE_SAVED);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  ms_keyring_store_async (self->settings, self->password, cancellable, stored_cb, task);
}

gboolean
ms_setup_session_store_password_finish (MsSetupSession  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsExportResult *export_result;
  GError *error = NULL;

  export_result = ms_exporter_export_finish (result, &error);
  if (export_result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, export_result, (GDestroyNotify) ms_export_result_free);
}

/**
 * ms_setup_session_export_async:
 * @output_path: (nullable): where to write instead of the program's place
 *
 * Writes the built settings for @exporter (with the tested password where
 * @flags ask for it).
 */
void
ms_setup_session_export_async (MsSetupSession      *self,
                               const MsExporter    *exporter,
                               MsExportFlags        flags,
                               const char          *output_path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MS_IS_SETUP_SESSION (self));
  g_return_if_fail (exporter != NULL && self->settings != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_setup_session_export_async);
  ms_exporter_export_async (exporter, self->settings, self->password, flags, output_path,
                            cancellable, exported_cb, task);
}

/**
 * ms_setup_session_export_finish:
 *
 * Returns: (transfer full) (nullable): what was written
 */
MsExportResult *
ms_setup_session_export_finish (MsSetupSession  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
