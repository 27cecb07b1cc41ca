/* ms-provider.h: a mail provider, as its provider file describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "ms-oauth-config.h"
#include "ms-profile.h"

G_BEGIN_DECLS

/**
 * MsNoticeKind:
 * @MS_NOTICE_INFO: something else the person should know
 * @MS_NOTICE_APP_PASSWORD: the normal password will not work; the
 *   provider wants an app password (often after turning on 2-step
 *   verification)
 * @MS_NOTICE_OAUTH_REQUIRED: the provider only accepts an OAuth sign-in,
 *   which Mail Setup does not do yet
 *
 * Stable names ("info", "app-password", "oauth-required") are used in
 * provider files and in the command line's JSON.
 */
typedef enum
{
  MS_NOTICE_INFO,
  MS_NOTICE_APP_PASSWORD,
  MS_NOTICE_OAUTH_REQUIRED,
} MsNoticeKind;

/**
 * MsProviderStatus:
 * @MS_PROVIDER_STATUS_UNKNOWN: the file does not say ("unknown")
 * @MS_PROVIDER_STATUS_WORKING: the settings were found to work ("working")
 * @MS_PROVIDER_STATUS_BROKEN: the settings are known not to work at the
 *   moment, whatever the reason ("broken")
 * @MS_PROVIDER_STATUS_NEEDS_PREPARATION: they work once the person has
 *   done something at the provider first, such as turning on IMAP or
 *   making an app password ("needs-preparation")
 *
 * How well a provider file's settings are known to work, as FairEmail's
 * and Delta Chat's provider databases record it. Stable names are used in
 * provider files (`<ms:status>`) and in the command line's JSON.
 */
typedef enum
{
  MS_PROVIDER_STATUS_UNKNOWN,
  MS_PROVIDER_STATUS_WORKING,
  MS_PROVIDER_STATUS_BROKEN,
  MS_PROVIDER_STATUS_NEEDS_PREPARATION,
} MsProviderStatus;

const char *ms_provider_status_to_string   (MsProviderStatus  status);
gboolean    ms_provider_status_from_string (const char       *string,
                                            MsProviderStatus *status);

const char *ms_notice_kind_to_string   (MsNoticeKind  kind);
gboolean    ms_notice_kind_from_string (const char   *string,
                                        MsNoticeKind *kind);

#define MS_TYPE_NOTICE (ms_notice_get_type ())

typedef struct _MsNotice MsNotice;

GType        ms_notice_get_type  (void) G_GNUC_CONST;
MsNotice    *ms_notice_new       (MsNoticeKind  kind);
MsNotice    *ms_notice_ref       (MsNotice     *self);
void         ms_notice_unref     (MsNotice     *self);
MsNoticeKind ms_notice_get_kind  (const MsNotice *self);
const char  *ms_notice_get_text  (const MsNotice *self);
void         ms_notice_add_text  (MsNotice     *self,
                                  const char   *lang,
                                  const char   *text);
JsonNode    *ms_notice_to_json   (const MsNotice *notice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsNotice, ms_notice_unref)

#define MS_TYPE_PROVIDER (ms_provider_get_type ())

G_DECLARE_FINAL_TYPE (MsProvider, ms_provider, MS, PROVIDER, GObject)

char               *ms_provider_normalize_domain       (const char  *domain);

MsProvider         *ms_provider_new                    (const char  *id);
MsProvider         *ms_provider_new_discovered         (const char  *id,
                                                        const char  *domain,
                                                        const char  *source,
                                                        MsProfile   *profile);

const char         *ms_provider_get_id                 (MsProvider  *self);
const char         *ms_provider_get_display_name       (MsProvider  *self);
const char         *ms_provider_get_short_name         (MsProvider  *self);
const char * const *ms_provider_get_domains            (MsProvider  *self);
gboolean            ms_provider_has_domain             (MsProvider  *self,
                                                        const char  *domain);
const char         *ms_provider_get_source             (MsProvider  *self);
const char         *ms_provider_get_documentation_url  (MsProvider  *self);
const char         *ms_provider_get_support_phone      (MsProvider  *self);
const char         *ms_provider_get_support_url        (MsProvider  *self);
gboolean            ms_provider_get_username_is_address (MsProvider *self);
GPtrArray          *ms_provider_get_profiles           (MsProvider  *self);
MsProfile          *ms_provider_get_profile            (MsProvider  *self,
                                                        const char  *id);
MsProfile          *ms_provider_get_recommended_profile (MsProvider *self);
GPtrArray          *ms_provider_get_notices            (MsProvider  *self);
GPtrArray          *ms_provider_get_retired            (MsProvider  *self);
MsNotice           *ms_provider_get_notice             (MsProvider  *self,
                                                        MsNoticeKind kind);

/* For whoever builds a provider (the provider file reader, tests). */
void                ms_provider_set_display_name       (MsProvider  *self,
                                                        const char  *display_name);
void                ms_provider_set_short_name         (MsProvider  *self,
                                                        const char  *short_name);
gboolean            ms_provider_add_domain             (MsProvider  *self,
                                                        const char  *domain);
void                ms_provider_set_source             (MsProvider  *self,
                                                        const char  *source);
void                ms_provider_set_documentation_url  (MsProvider  *self,
                                                        const char  *url);
void                ms_provider_set_support            (MsProvider  *self,
                                                        const char  *phone,
                                                        const char  *url);
void                ms_provider_set_username_is_address (MsProvider *self,
                                                         gboolean    username_is_address);
void                ms_provider_add_profile            (MsProvider  *self,
                                                        MsProfile   *profile);
void                ms_provider_add_notice             (MsProvider  *self,
                                                        MsNotice    *notice);

void                ms_provider_add_retired            (MsProvider  *self,
                                                        MsServer    *server);
JsonNode           *ms_provider_to_json                (MsProvider  *provider);

/* What a person needs before the first login: the provider's
 * app-password page, a hint, and how well the file is known to work
 * (<ms:appPassword>, <ms:loginHint>, <ms:status>). */
const char         *ms_provider_get_app_password_url   (MsProvider  *self);
const char         *ms_provider_get_login_hint         (MsProvider  *self);
MsProviderStatus    ms_provider_get_status             (MsProvider  *self);
const char         *ms_provider_get_last_checked       (MsProvider  *self);
void                ms_provider_set_app_password_url   (MsProvider  *self,
                                                        const char  *url);
void                ms_provider_add_login_hint         (MsProvider  *self,
                                                        const char  *lang,
                                                        const char  *hint);
void                ms_provider_set_status             (MsProvider      *self,
                                                        MsProviderStatus status,
                                                        const char      *last_checked);
char               *ms_provider_describe_status        (MsProvider  *self);

MsOAuthConfig      *ms_provider_get_oauth              (MsProvider  *self);
void                ms_provider_set_oauth              (MsProvider  *self,
                                                        MsOAuthConfig *oauth);

G_END_DECLS
