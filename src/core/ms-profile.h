/* ms-profile.h: one named set of servers a provider offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

/* The id of the profile made of a provider file's plain ISPDB servers. */
#define MS_PROFILE_DEFAULT_ID "default"

#define MS_TYPE_PROFILE (ms_profile_get_type ())

G_DECLARE_FINAL_TYPE (MsProfile, ms_profile, MS, PROFILE, GObject)

MsProfile  *ms_profile_new                 (const char  *id);

const char *ms_profile_get_id              (MsProfile   *self);
const char *ms_profile_get_name            (MsProfile   *self);
const char *ms_profile_get_description     (MsProfile   *self);
const char *ms_profile_get_restriction     (MsProfile   *self);
gboolean    ms_profile_get_recommended     (MsProfile   *self);
GPtrArray  *ms_profile_get_incoming        (MsProfile   *self);
GPtrArray  *ms_profile_get_outgoing        (MsProfile   *self);
GPtrArray  *ms_profile_get_alternates      (MsProfile   *self);

/* For whoever builds a profile (the provider file reader, tests). @lang
 * is a language tag ("es", "pt-BR") or %NULL for the untagged (English)
 * text; the getters pick the variant for the current locale. */
void        ms_profile_set_recommended     (MsProfile   *self,
                                            gboolean     recommended);
void        ms_profile_add_name            (MsProfile   *self,
                                            const char  *lang,
                                            const char  *text);
void        ms_profile_add_description     (MsProfile   *self,
                                            const char  *lang,
                                            const char  *text);
void        ms_profile_add_restriction     (MsProfile   *self,
                                            const char  *lang,
                                            const char  *text);
void        ms_profile_add_incoming        (MsProfile   *self,
                                            MsServer    *server);
void        ms_profile_add_outgoing        (MsProfile   *self,
                                            MsServer    *server);
void        ms_profile_add_alternate       (MsProfile   *self,
                                            MsServer    *server);
JsonNode   *ms_profile_to_json             (MsProfile   *profile);

G_END_DECLS
