/* ms-deadline.h: a cancellable that also fires when a step takes too long
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MsDeadline MsDeadline;

MsDeadline   *ms_deadline_new             (guint          timeout_ms,
                                           GCancellable  *parent);
GCancellable *ms_deadline_get_cancellable (MsDeadline    *self);
gboolean      ms_deadline_check_error     (MsDeadline    *self,
                                           GError       **error);
void          ms_deadline_free            (MsDeadline    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsDeadline, ms_deadline_free)

G_END_DECLS
