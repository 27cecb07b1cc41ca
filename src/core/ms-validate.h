/* ms-validate.h: the one validation boundary for values from outside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

#define MS_VALIDATE_ERROR (ms_validate_error_quark ())

/**
 * MsValidateError:
 * @MS_VALIDATE_ERROR_EMPTY: the value is empty
 * @MS_VALIDATE_ERROR_TOO_LONG: longer than the kind allows
 * @MS_VALIDATE_ERROR_CONTROL_CHARACTER: a control character, line break,
 *   line separator, bidi control or invalid UTF-8
 * @MS_VALIDATE_ERROR_INVALID: not a value of its kind (a host name with a
 *   ":port", a port of 0, a relative path …)
 *
 * Messages are translated sentences that name the value's source and show
 * the value itself only sanitized.
 */
typedef enum
{
  MS_VALIDATE_ERROR_EMPTY,
  MS_VALIDATE_ERROR_TOO_LONG,
  MS_VALIDATE_ERROR_CONTROL_CHARACTER,
  MS_VALIDATE_ERROR_INVALID,
} MsValidateError;

/**
 * MsValidateFlags:
 * @MS_VALIDATE_FLAGS_NONE: the value as it will be used
 * @MS_VALIDATE_FLAGS_TEMPLATE: a provider-file template: a host name may
 *   hold the %EMAILDOMAIN% placeholder (and a username any placeholder)
 */
typedef enum
{
  MS_VALIDATE_FLAGS_NONE     = 0,
  MS_VALIDATE_FLAGS_TEMPLATE = 1 << 0,
} MsValidateFlags;

#define MS_VALIDATE_HOSTNAME_MAX_LENGTH     253
#define MS_VALIDATE_USERNAME_MAX_LENGTH     255
#define MS_VALIDATE_DISPLAY_NAME_MAX_LENGTH 256
#define MS_VALIDATE_PATH_MAX_LENGTH         4096
#define MS_VALIDATE_URL_MAX_LENGTH          2048
#define MS_VALIDATE_ID_MAX_LENGTH           64

GQuark   ms_validate_error_quark  (void);

gboolean ms_validate_hostname     (const char      *value,
                                   MsValidateFlags  flags,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_username     (const char      *value,
                                   MsValidateFlags  flags,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_address      (const char      *value,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_display_name (const char      *value,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_port         (gint64           value,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_path         (const char      *value,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_id           (const char      *value,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_url          (const char      *value,
                                   const char      *source,
                                   GError         **error);
gboolean ms_validate_server       (const MsServer  *server,
                                   MsValidateFlags  flags,
                                   const char      *source,
                                   GError         **error);

#define MS_VALIDATE_OAUTH_SCOPE_MAX_LENGTH 2048

gboolean ms_validate_oauth_endpoint (const char    *value,
                                     const char    *source,
                                     GError       **error);
gboolean ms_validate_oauth_issuer   (const char    *value,
                                     const char    *source,
                                     GError       **error);
gboolean ms_validate_oauth_scope    (const char    *value,
                                     const char    *source,
                                     GError       **error);

#define MS_VALIDATE_OAUTH_CLIENT_ID_MAX_LENGTH 512

gboolean ms_validate_oauth_client_id (const char   *value,
                                      const char   *source,
                                      GError      **error);

G_END_DECLS
