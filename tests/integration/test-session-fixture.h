/* test-session-fixture.h: the MsSetupSession set-up the session tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-setup-session.h"

G_BEGIN_DECLS

/* A GAsyncReadyCallback that keeps a reference to the result in the
 * GAsyncResult * @user_data points to; fixture_wait_for() iterates the
 * main context until it is there. */
void            fixture_store_result_cb (GObject       *object,
                                         GAsyncResult  *result,
                                         gpointer       user_data);
void            fixture_wait_for        (GAsyncResult **result);

/* A session for @address with the provider files of @provider_dir (NULL:
 * none), the harness's CA, @timeout_ms for each network step, and
 * discovery aimed at test-discovery-fixture.c's web server (its ports, its
 * public database, no guessed ports). */
MsSetupSession *fixture_session_new     (const char    *address,
                                         const char    *provider_dir,
                                         guint          timeout_ms);
/* The session's lookup (provider files, then discovery), to its end. */
MsProvider     *fixture_session_lookup  (MsSetupSession  *session,
                                         GError         **error);

G_END_DECLS
