/* ms-certificate-info-private.h: test hooks of ms-certificate-info.c
 *
 * Not for the product's code: tests include it to reach inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-certificate-info.h"

G_BEGIN_DECLS

/* Session details for an info not made from a connection. */
void ms_certificate_info_set_session (MsCertificateInfo   *self,
                                      GTlsProtocolVersion  version,
                                      const char          *ciphersuite);

G_END_DECLS
