/* ms-address.h: an email address as a person typed it, checked and normalised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MS_ADDRESS_ERROR (ms_address_error_quark ())

/**
 * MsAddressError:
 * @MS_ADDRESS_ERROR_EMPTY: nothing was typed
 * @MS_ADDRESS_ERROR_NO_AT: no “@” (a bare user name)
 * @MS_ADDRESS_ERROR_SEVERAL_AT: more than one “@”
 * @MS_ADDRESS_ERROR_EMPTY_LOCAL_PART: nothing before the “@”
 * @MS_ADDRESS_ERROR_EMPTY_DOMAIN: nothing after the “@”
 * @MS_ADDRESS_ERROR_SPACE: a space or other blank inside the address
 * @MS_ADDRESS_ERROR_INVALID_CHARACTER: a character addresses cannot hold,
 *   or text that is not valid UTF-8
 * @MS_ADDRESS_ERROR_DOMAIN_NO_DOT: a domain without a dot (“name@charter”)
 * @MS_ADDRESS_ERROR_INVALID_DOMAIN: a domain that is not a valid host name
 *   (a label too long, starting or ending with “-”, empty between dots …)
 * @MS_ADDRESS_ERROR_TOO_LONG: longer than 254 characters
 * @MS_ADDRESS_ERROR_LOCAL_PART_TOO_LONG: more than 64 characters before the “@”
 *
 * Why ms_address_parse() refused what was typed. Each error's message is a
 * translated sentence that can be shown as it is.
 */
typedef enum
{
  MS_ADDRESS_ERROR_EMPTY,
  MS_ADDRESS_ERROR_NO_AT,
  MS_ADDRESS_ERROR_SEVERAL_AT,
  MS_ADDRESS_ERROR_EMPTY_LOCAL_PART,
  MS_ADDRESS_ERROR_EMPTY_DOMAIN,
  MS_ADDRESS_ERROR_SPACE,
  MS_ADDRESS_ERROR_INVALID_CHARACTER,
  MS_ADDRESS_ERROR_DOMAIN_NO_DOT,
  MS_ADDRESS_ERROR_INVALID_DOMAIN,
  MS_ADDRESS_ERROR_TOO_LONG,
  MS_ADDRESS_ERROR_LOCAL_PART_TOO_LONG,
} MsAddressError;

#define MS_ADDRESS_MAX_LENGTH            254
#define MS_ADDRESS_MAX_LOCAL_PART_LENGTH 64

#define MS_TYPE_ADDRESS (ms_address_get_type ())

typedef struct _MsAddress MsAddress;

GQuark      ms_address_error_quark      (void);
GType       ms_address_get_type         (void) G_GNUC_CONST;

MsAddress  *ms_address_parse            (const char       *input,
                                         GError          **error);
MsAddress  *ms_address_complete         (const char       *input,
                                         const char       *default_domain,
                                         gboolean         *completed,
                                         GError          **error);
MsAddress  *ms_address_ref              (MsAddress        *self);
void        ms_address_unref            (MsAddress        *self);

const char *ms_address_get_local_part   (const MsAddress  *self);
const char *ms_address_get_domain       (const MsAddress  *self);
const char *ms_address_get_ascii        (const MsAddress  *self);
const char *ms_address_get_display      (const MsAddress  *self);
gboolean    ms_address_equal            (const MsAddress  *a,
                                         const MsAddress  *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsAddress, ms_address_unref)

G_END_DECLS
