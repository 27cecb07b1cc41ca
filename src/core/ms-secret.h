/* ms-secret.h: a password in memory, wiped when the last reference goes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MS_TYPE_SECRET (ms_secret_get_type ())

typedef struct _MsSecret MsSecret;

GType       ms_secret_get_type         (void) G_GNUC_CONST;
MsSecret   *ms_secret_new              (const char  *text);
MsSecret   *ms_secret_new_take         (char        *text);
MsSecret   *ms_secret_new_from_stream  (GInputStream *stream,
                                        GError     **error);
MsSecret   *ms_secret_ref              (MsSecret    *self);
void        ms_secret_unref            (MsSecret    *self);
const char *ms_secret_get_text         (const MsSecret *self);
gsize       ms_secret_get_length       (const MsSecret *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsSecret, ms_secret_unref)

/* Wipes then frees a string that held a secret (a SASL response, say). */
void        ms_secret_wipe_string      (char        *string);
/* The same for a buffer of known size, which may hold NUL bytes. */
void        ms_secret_wipe_free        (gpointer     buffer,
                                        gsize        size);

G_END_DECLS
