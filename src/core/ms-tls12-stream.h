/* ms-tls12-stream.h: one TLS 1.2 client connection through GnuTLS itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MS_TYPE_TLS12_STREAM (ms_tls12_stream_get_type ())

G_DECLARE_FINAL_TYPE (MsTls12Stream, ms_tls12_stream, MS, TLS12_STREAM, GIOStream)

void             ms_tls12_stream_handshake_async  (GIOStream            *base,
                                                   const char           *host,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
MsTls12Stream   *ms_tls12_stream_handshake_finish (GAsyncResult         *result,
                                                   GError              **error);

GTlsCertificate *ms_tls12_stream_get_peer_certificate (MsTls12Stream   *self);
char            *ms_tls12_stream_dup_ciphersuite      (MsTls12Stream   *self);

G_END_DECLS
