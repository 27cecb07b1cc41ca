/* ms-capabilities.h: what a server says it can do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-reply.h"
#include "ms-server.h"

G_BEGIN_DECLS

typedef struct _MsCapabilities MsCapabilities;

MsCapabilities *ms_capabilities_new_from_reply  (MsProtocol            protocol,
                                                 const MsReply        *reply);
void            ms_capabilities_free            (MsCapabilities       *self);
gboolean        ms_capabilities_has             (const MsCapabilities *self,
                                                 const char           *capability);
gboolean        ms_capabilities_has_mechanism   (const MsCapabilities *self,
                                                 const char           *mechanism);
gboolean        ms_capabilities_offers_starttls (const MsCapabilities *self);
const char * const *ms_capabilities_get_all     (const MsCapabilities *self);
const char * const *ms_capabilities_get_mechanisms (const MsCapabilities *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsCapabilities, ms_capabilities_free)

G_END_DECLS
