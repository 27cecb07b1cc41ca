/* ms-export-oauth.h: which mail program signs in with OAuth by itself, for which servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-account-settings.h"

G_BEGIN_DECLS

/* The programs whose own OAuth sign-in an export relies on. */
typedef enum
{
  MS_EXPORT_OAUTH_THUNDERBIRD,
  MS_EXPORT_OAUTH_THUNDERBIRD_ANDROID,  /* the QR code */
  MS_EXPORT_OAUTH_EVOLUTION,
  MS_EXPORT_OAUTH_GOA,
  MS_EXPORT_OAUTH_GEARY,
  MS_EXPORT_OAUTH_APPLE_MAIL,  /* configuration profiles: no OAuth at all */
} MsExportOAuthProgram;

gboolean    ms_export_oauth_uses               (MsAccountSettings    *settings);
gboolean    ms_export_oauth_thunderbird_knows  (const char           *hostname);
gboolean    ms_export_oauth_android_knows      (const char           *hostname);
const char *ms_export_oauth_evolution_service  (const char           *hostname);
const char *ms_export_oauth_goa_provider       (MsAccountSettings    *settings);
gboolean    ms_export_oauth_check              (MsAccountSettings    *settings,
                                                MsExportOAuthProgram  program,
                                                GError              **error);

G_END_DECLS
