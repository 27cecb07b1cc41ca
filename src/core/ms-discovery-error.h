/* ms-discovery-error.h: why discovery found no settings somewhere
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MS_DISCOVERY_ERROR (ms_discovery_error_quark ())

/**
 * MsDiscoveryError:
 * @MS_DISCOVERY_ERROR_NOT_FOUND: the source has no settings for the domain
 *   (HTTP 404, no DNS records, no server answered); for a whole lookup:
 *   no source had settings
 * @MS_DISCOVERY_ERROR_HTTP: a web server answered with an unexpected status
 * @MS_DISCOVERY_ERROR_TOO_LARGE: a response was larger than the limit
 * @MS_DISCOVERY_ERROR_REDIRECT: too many redirects, or a redirect from
 *   HTTPS to plain HTTP or to something that is not a web address
 * @MS_DISCOVERY_ERROR_INCOMPLETE: servers were found for incoming or for
 *   outgoing mail, but not for both
 * @MS_DISCOVERY_ERROR_INTEGRITY: a PACC document whose SHA-256 digest
 *   is not the one its domain publishes in DNS, or that is no valid
 *   document (issue 14)
 * @MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION: the settings need the person's
 *   confirmation before a password may go to their servers
 *   (ms_discovery_attempt_check_password())
 *
 * Messages are translated sentences. A provider file that is malformed or
 * hostile fails with its #MS_PROVIDER_PARSER_ERROR instead.
 */
typedef enum
{
  MS_DISCOVERY_ERROR_NOT_FOUND,
  MS_DISCOVERY_ERROR_HTTP,
  MS_DISCOVERY_ERROR_TOO_LARGE,
  MS_DISCOVERY_ERROR_REDIRECT,
  MS_DISCOVERY_ERROR_INCOMPLETE,
  MS_DISCOVERY_ERROR_NEEDS_CONFIRMATION,
  MS_DISCOVERY_ERROR_INTEGRITY,
} MsDiscoveryError;

GQuark ms_discovery_error_quark (void);

G_END_DECLS
