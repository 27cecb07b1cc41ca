/* ms-mail-connection.h: a line-based mail protocol connection with limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-reply.h"

G_BEGIN_DECLS

#define MS_TYPE_MAIL_CONNECTION (ms_mail_connection_get_type ())

G_DECLARE_FINAL_TYPE (MsMailConnection, ms_mail_connection, MS, MAIL_CONNECTION, GObject)

/* Called during the TLS handshake when the certificate did not validate;
 * returns TRUE to go on anyway (a certificate the user pinned). */
typedef gboolean (*MsAcceptCertificateFunc) (GTlsCertificate      *certificate,
                                             GTlsCertificateFlags  errors,
                                             gpointer              user_data);

void              ms_mail_connection_connect_async   (const char             *host,
                                                      guint16                 port,
                                                      guint                   timeout_ms,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
MsMailConnection *ms_mail_connection_connect_finish  (GAsyncResult           *result,
                                                      GError                **error);

void              ms_mail_connection_set_tls12_only   (MsMailConnection       *self,
                                                       gboolean                tls12_only);
void              ms_mail_connection_start_tls_async  (MsMailConnection       *self,
                                                       GTlsDatabase           *database,
                                                       MsAcceptCertificateFunc accept_func,
                                                       gpointer                accept_data,
                                                       guint                   timeout_ms,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
gboolean          ms_mail_connection_start_tls_finish (MsMailConnection       *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);

void              ms_mail_connection_send_async       (MsMailConnection       *self,
                                                       const char             *line,
                                                       const char             *transcript_line,
                                                       guint                   timeout_ms,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
gboolean          ms_mail_connection_send_finish      (MsMailConnection       *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);

void              ms_mail_connection_read_reply_async (MsMailConnection       *self,
                                                       MsReplyKind             kind,
                                                       const char             *tag,
                                                       guint                   timeout_ms,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
MsReply          *ms_mail_connection_read_reply_finish (MsMailConnection      *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

void              ms_mail_connection_close            (MsMailConnection       *self);
gboolean          ms_mail_connection_peer_hung_up     (MsMailConnection       *self);

const char       *ms_mail_connection_get_host          (MsMailConnection      *self);
guint16           ms_mail_connection_get_port          (MsMailConnection      *self);
gboolean          ms_mail_connection_is_tls            (MsMailConnection      *self);
GTlsConnection   *ms_mail_connection_get_tls           (MsMailConnection      *self);
GTlsProtocolVersion ms_mail_connection_get_tls_protocol_version (MsMailConnection *self);
char             *ms_mail_connection_dup_ciphersuite_name (MsMailConnection   *self);
GTlsCertificate  *ms_mail_connection_get_peer_certificate (MsMailConnection   *self);
GTlsCertificateFlags ms_mail_connection_get_peer_certificate_errors (MsMailConnection *self);
gboolean          ms_mail_connection_get_peer_accepted_by_pin (MsMailConnection *self);
GPtrArray        *ms_mail_connection_get_transcript    (MsMailConnection      *self);
guint             ms_mail_connection_get_round_trips   (MsMailConnection      *self);
guint64           ms_mail_connection_get_bytes_received (MsMailConnection     *self);
char             *ms_mail_connection_dup_address_literal (MsMailConnection    *self);

G_END_DECLS
