/* ms-setup-session-private.h: what the session's files share
 *
 * The session is one object in two files: ms-setup-session.c (lookup,
 * trust, test, settings, keyring, exports) and
 * ms-setup-session-sign-in.c (signing in with the provider, OAuth 2.0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-setup-session.h"

G_BEGIN_DECLS

struct _MsSetupSession
{
  GObject              parent_instance;

  MsAddress           *address;
  MsProviderDatabase  *database;
  GTlsDatabase        *tls_database;
  MsTrustStore        *trust_store;
  guint                timeout_ms;
  gboolean             use_public_database;
  char                *public_database_url;
  MsSetupSessionDiscoveryFunc discovery_func;
  gpointer             discovery_data;

  MsSetupSessionState  state;
  MsDiscovery         *discovery;
  MsDiscoveryAttempt  *attempt;         /* the winner, when discovered */
  MsProvider          *provider;
  gboolean             confirmed;
  MsProfile           *profile;
  gboolean             manual;
  MsSecret            *password;
  MsSecret            *token;           /* the sign-in's access token */
  char                *token_scope;
  gint64               token_expires;
  MsAccountTest       *test;
  MsAccountReport     *report;
  MsAccountSettings   *settings;
};

void ms_setup_session_clear_sign_in (MsSetupSession *self);

G_END_DECLS
