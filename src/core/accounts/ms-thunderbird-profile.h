/* ms-thunderbird-profile.h: Thunderbird's profiles, its lock, and its pref numbers
 *
 * What the Thunderbird exporter and the Thunderbird account reader share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

GPtrArray *ms_thunderbird_profile_list         (const char      *root,
                                                const char      *ini_data);
char      *ms_thunderbird_profile_find_default (const char      *root,
                                                GError         **error);
gboolean   ms_thunderbird_profile_is_locked    (const char      *profile);

int        ms_thunderbird_auth_method_number   (const MsServer  *server);
gboolean   ms_thunderbird_auth_method_parse    (gint64           number,
                                                MsAuthMethod    *method,
                                                gboolean        *logs_in);
gboolean   ms_thunderbird_security_parse       (gint64           number,
                                                MsSecurity      *security);

G_END_DECLS
