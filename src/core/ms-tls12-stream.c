/* ms-tls12-stream.c: one TLS 1.2 client connection through GnuTLS itself
 *
 * Some servers (and middleboxes in front of them) reset the connection or
 * fail the handshake when a ClientHello offers TLS 1.3. GIO has no
 * per-connection choice of protocol version, and glib-networking reads its
 * GnuTLS priority string (G_TLS_GNUTLS_PRIORITY) once per process: setting
 * it would change every other connection of the program, and honouring it
 * only in a helper process would mean a second process holding the
 * plaintext, the password and its own copy of the trust rules. So the one
 * retry with TLS 1.2 at most talks GnuTLS directly, here, over the same TCP
 * stream, and does no certificate check of its own: the caller checks the
 * chain it hands over with the very GTlsDatabase (and pins) GIO would have
 * used, before anything is sent.
 *
 * Only TLS 1.2 is offered: a server that fails on 1.3 gets 1.2, never 1.1
 * or 1.0, so a forced retry cannot push the connection below what GIO
 * accepts. GnuTLS's blocking calls run in GTask threads (GIO's default
 * async read and write for streams that cannot poll); the base stream's
 * blocking reads honour the cancellable of each call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "ms-tls12-stream.h"

#define PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.2"
#define MAX_CHAIN_LENGTH 16

struct _MsTls12Stream
{
  GIOStream                          parent_instance;

  GIOStream                         *base;
  char                              *host;
  gnutls_session_t                   session;
  gnutls_certificate_credentials_t   credentials;
  GTlsCertificate                   *peer_certificate;
  GInputStream                      *input;
  GOutputStream                     *output;

  /* Set for the length of one blocking GnuTLS call in that direction. */
  GCancellable                      *read_cancellable;
  GCancellable                      *write_cancellable;
  GError                            *read_error;
  GError                            *write_error;
};

G_DEFINE_FINAL_TYPE (MsTls12Stream, ms_tls12_stream, G_TYPE_IO_STREAM)

/* The two halves: they reach the stream through a weak reference, as
 * glib-networking's do, so that a read still running in its thread keeps
 * the session alive and no reference cycle does. */

#define MS_TYPE_TLS12_INPUT (ms_tls12_input_get_type ())
G_DECLARE_FINAL_TYPE (MsTls12Input, ms_tls12_input, MS, TLS12_INPUT, GInputStream)

struct _MsTls12Input
{
  GInputStream parent_instance;
  GWeakRef     stream;
};

G_DEFINE_FINAL_TYPE (MsTls12Input, ms_tls12_input, G_TYPE_INPUT_STREAM)

#define MS_TYPE_TLS12_OUTPUT (ms_tls12_output_get_type ())
G_DECLARE_FINAL_TYPE (MsTls12Output, ms_tls12_output, MS, TLS12_OUTPUT, GOutputStream)

struct _MsTls12Output
{
  GOutputStream parent_instance;
  GWeakRef      stream;
};

G_DEFINE_FINAL_TYPE (MsTls12Output, ms_tls12_output, G_TYPE_OUTPUT_STREAM)

/* Errors */

static gboolean
set_record_error (MsTls12Stream  *self,
                  int             ret,
                  GError        **io_error,
                  GError        **error)
{
  if (*io_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (io_error));
      return FALSE;
    }

  if (ret == GNUTLS_E_UNEXPECTED_PACKET_LENGTH || ret == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
    g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS,
                 "Peer failed to perform TLS handshake: %s", gnutls_strerror (ret));
  else if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED)
    /* The alert's name ("Error in protocol version") is what tells a
     * version mismatch, to the classifier as to a person. */
    {
      const char *alert = gnutls_alert_get_name (gnutls_alert_get (self->session));

      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_MISC, "TLS 1.2: %s: %s",
                   gnutls_strerror (ret), alert != NULL ? alert : "unknown alert");
    }
  else
    g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_MISC, "TLS 1.2: %s", gnutls_strerror (ret));

  return FALSE;
}

/* The transport: GnuTLS reads and writes the base stream. */

static ssize_t
pull_cb (gnutls_transport_ptr_t  ptr,
         void                   *buffer,
         size_t                  len)
{
  MsTls12Stream *self = ptr;
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read (g_io_stream_get_input_stream (self->base), buffer, len,
                           self->read_cancellable, &error);
  if (n < 0)
    {
      g_clear_error (&self->read_error);
      self->read_error = error;
      gnutls_transport_set_errno (self->session, EIO);
      return -1;
    }

  return n;
}

static ssize_t
push_cb (gnutls_transport_ptr_t  ptr,
         const void             *buffer,
         size_t                  len)
{
  MsTls12Stream *self = ptr;
  GError *error = NULL;
  gssize n;

  n = g_output_stream_write (g_io_stream_get_output_stream (self->base), buffer, len,
                             self->write_cancellable, &error);
  if (n < 0)
    {
      g_clear_error (&self->write_error);
      self->write_error = error;
      gnutls_transport_set_errno (self->session, EIO);
      return -1;
    }

  return n;
}

/* Reading and writing records */

static gssize
ms_tls12_input_read (GInputStream  *stream,
                     void          *buffer,
                     gsize          count,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(MsTls12Stream) self = g_weak_ref_get (&MS_TLS12_INPUT (stream)->stream);
  ssize_t ret;

  if (self == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The connection is closed");
      return -1;
    }

  self->read_cancellable = cancellable;
  self->write_cancellable = cancellable;  /* alerts GnuTLS may answer */
  do
    ret = gnutls_record_recv (self->session, buffer, count);
  while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
  self->read_cancellable = NULL;
  self->write_cancellable = NULL;

  /* A server that drops the connection without close_notify ends the
   * stream as a plain socket would; the reader says what that means. */
  if (ret == GNUTLS_E_PREMATURE_TERMINATION && self->read_error == NULL)
    return 0;
  if (ret < 0)
    return set_record_error (self, ret, &self->read_error, error) ? 0 : -1;

  return ret;
}

static gboolean
ms_tls12_input_close (GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return TRUE;
}

static void
ms_tls12_input_finalize (GObject *object)
{
  g_weak_ref_clear (&MS_TLS12_INPUT (object)->stream);

  G_OBJECT_CLASS (ms_tls12_input_parent_class)->finalize (object);
}

static void
ms_tls12_input_class_init (MsTls12InputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_tls12_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = ms_tls12_input_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = ms_tls12_input_close;
}

static void
ms_tls12_input_init (MsTls12Input *self)
{
}

static gssize
ms_tls12_output_write (GOutputStream  *stream,
                       const void     *buffer,
                       gsize           count,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(MsTls12Stream) self = g_weak_ref_get (&MS_TLS12_OUTPUT (stream)->stream);
  ssize_t ret;

  if (self == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The connection is closed");
      return -1;
    }

  self->write_cancellable = cancellable;
  do
    ret = gnutls_record_send (self->session, buffer, count);
  while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
  self->write_cancellable = NULL;

  if (ret < 0)
    return set_record_error (self, ret, &self->write_error, error) ? 0 : -1;

  return ret;
}

static gboolean
ms_tls12_output_close (GOutputStream  *stream,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return TRUE;
}

static void
ms_tls12_output_finalize (GObject *object)
{
  g_weak_ref_clear (&MS_TLS12_OUTPUT (object)->stream);

  G_OBJECT_CLASS (ms_tls12_output_parent_class)->finalize (object);
}

static void
ms_tls12_output_class_init (MsTls12OutputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_tls12_output_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = ms_tls12_output_write;
  G_OUTPUT_STREAM_CLASS (klass)->close_fn = ms_tls12_output_close;
}

static void
ms_tls12_output_init (MsTls12Output *self)
{
}

/* The stream */

static GInputStream *
ms_tls12_stream_get_input_stream (GIOStream *stream)
{
  return MS_TLS12_STREAM (stream)->input;
}

static GOutputStream *
ms_tls12_stream_get_output_stream (GIOStream *stream)
{
  return MS_TLS12_STREAM (stream)->output;
}

/* No close_notify: the caller drops connections without waiting for a
 * server that may have stopped answering (ms_mail_connection_close()). */
static gboolean
ms_tls12_stream_close (GIOStream     *stream,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return g_io_stream_close (MS_TLS12_STREAM (stream)->base, cancellable, error);
}

static void
ms_tls12_stream_dispose (GObject *object)
{
  MsTls12Stream *self = MS_TLS12_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->peer_certificate);

  G_OBJECT_CLASS (ms_tls12_stream_parent_class)->dispose (object);
}

static void
ms_tls12_stream_finalize (GObject *object)
{
  MsTls12Stream *self = MS_TLS12_STREAM (object);

  g_clear_pointer (&self->session, gnutls_deinit);
  g_clear_pointer (&self->credentials, gnutls_certificate_free_credentials);
  g_clear_object (&self->base);
  g_clear_error (&self->read_error);
  g_clear_error (&self->write_error);
  g_free (self->host);

  G_OBJECT_CLASS (ms_tls12_stream_parent_class)->finalize (object);
}

static void
ms_tls12_stream_class_init (MsTls12StreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = ms_tls12_stream_dispose;
  object_class->finalize = ms_tls12_stream_finalize;
  stream_class->get_input_stream = ms_tls12_stream_get_input_stream;
  stream_class->get_output_stream = ms_tls12_stream_get_output_stream;
  stream_class->close_fn = ms_tls12_stream_close;
}

static void
ms_tls12_stream_init (MsTls12Stream *self)
{
  MsTls12Input *input = g_object_new (MS_TYPE_TLS12_INPUT, NULL);
  MsTls12Output *output = g_object_new (MS_TYPE_TLS12_OUTPUT, NULL);

  g_weak_ref_init (&input->stream, self);
  g_weak_ref_init (&output->stream, self);
  self->input = G_INPUT_STREAM (input);
  self->output = G_OUTPUT_STREAM (output);
}

/* The handshake */

static gboolean
setup_session (MsTls12Stream  *self,
               GError        **error)
{
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (self->host);
  int ret;

  ret = gnutls_init (&self->session, GNUTLS_CLIENT);
  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_priority_set_direct (self->session, PRIORITY, NULL);
  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_certificate_allocate_credentials (&self->credentials);
  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE, self->credentials);
  /* SNI takes names only (RFC 6066 §3), as in glib-networking. */
  if (ret == GNUTLS_E_SUCCESS && literal == NULL)
    ret = gnutls_server_name_set (self->session, GNUTLS_NAME_DNS, self->host, strlen (self->host));
  if (ret != GNUTLS_E_SUCCESS)
    {
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_MISC, "TLS 1.2: %s", gnutls_strerror (ret));
      return FALSE;
    }

  gnutls_transport_set_ptr (self->session, self);
  gnutls_transport_set_pull_function (self->session, pull_cb);
  gnutls_transport_set_push_function (self->session, push_cb);

  return TRUE;
}

/* Puts into @order the indexes of the chain from the leaf (the first
 * certificate sent) up through the issuers found among the others, as
 * glib-networking links a peer's chain: servers do send them out of order,
 * and what is not on the path is dropped. Returns the path's length. */
static guint
order_chain (const gnutls_datum_t *certs,
             guint                 n_certs,
             guint                *order)
{
  gnutls_x509_crt_t parsed[MAX_CHAIN_LENGTH] = { NULL, };
  gboolean used[MAX_CHAIN_LENGTH] = { FALSE, };
  guint length = 0;

  for (guint i = 0; i < n_certs; i++)
    if (gnutls_x509_crt_init (&parsed[i]) != GNUTLS_E_SUCCESS ||
        gnutls_x509_crt_import (parsed[i], &certs[i], GNUTLS_X509_FMT_DER) != GNUTLS_E_SUCCESS)
      g_clear_pointer (&parsed[i], gnutls_x509_crt_deinit);

  order[length++] = 0;
  used[0] = TRUE;
  while (parsed[order[length - 1]] != NULL &&
         !gnutls_x509_crt_check_issuer (parsed[order[length - 1]], parsed[order[length - 1]]))
    {
      guint found = n_certs;

      for (guint i = 1; i < n_certs && found == n_certs; i++)
        if (!used[i] && parsed[i] != NULL &&
            gnutls_x509_crt_check_issuer (parsed[order[length - 1]], parsed[i]))
          found = i;
      if (found == n_certs)
        break;
      used[found] = TRUE;
      order[length++] = found;
    }

  for (guint i = 0; i < n_certs; i++)
    g_clear_pointer (&parsed[i], gnutls_x509_crt_deinit);

  return length;
}

/* The chain the server sent, leaf first, as GIO certificates linked by
 * their issuer: what GTlsDatabase verifies and the report shows. */
static GTlsCertificate *
build_peer_chain (MsTls12Stream  *self,
                  GError        **error)
{
  const gnutls_datum_t *certs;
  unsigned int n_certs = 0;
  guint order[MAX_CHAIN_LENGTH];
  guint length;
  g_autoptr(GTlsCertificate) chain = NULL;
  GType type = g_tls_backend_get_certificate_type (g_tls_backend_get_default ());

  certs = gnutls_certificate_get_peers (self->session, &n_certs);
  if (certs == NULL || n_certs == 0)
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                           "The server sent no certificate");
      return NULL;
    }

  length = order_chain (certs, MIN (n_certs, MAX_CHAIN_LENGTH), order);
  for (guint i = length; i-- > 0;)
    {
      g_autoptr(GByteArray) der = g_byte_array_new ();
      GTlsCertificate *certificate;

      g_byte_array_append (der, certs[order[i]].data, certs[order[i]].size);
      certificate = g_initable_new (type, NULL, error, "certificate", der, "issuer", chain, NULL);
      if (certificate == NULL)
        return NULL;
      g_clear_object (&chain);
      chain = certificate;
    }

  return g_steal_pointer (&chain);
}

static void
handshake_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  MsTls12Stream *self = source_object;
  g_autoptr(GError) error = NULL;
  int ret;

  if (!setup_session (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->read_cancellable = cancellable;
  self->write_cancellable = cancellable;
  do
    ret = gnutls_handshake (self->session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));
  self->read_cancellable = NULL;
  self->write_cancellable = NULL;

  if (ret < 0)
    {
      GError **io_error = self->read_error != NULL ? &self->read_error : &self->write_error;

      set_record_error (self, ret, io_error, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->peer_certificate = build_peer_chain (self, &error);
  if (self->peer_certificate == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * ms_tls12_stream_handshake_async:
 * @base: the connected TCP stream (after STARTTLS, if any)
 * @host: the name the server was reached by, for SNI
 *
 * Performs a TLS handshake that offers TLS 1.2 only. The peer certificate
 * is not checked here: the caller must verify
 * ms_tls12_stream_get_peer_certificate() before sending anything.
 */
void
ms_tls12_stream_handshake_async (GIOStream           *base,
                                 const char          *host,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(MsTls12Stream) self = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_IO_STREAM (base));
  g_return_if_fail (host != NULL);

  self = g_object_new (MS_TYPE_TLS12_STREAM, NULL);
  self->base = g_object_ref (base);
  self->host = g_strdup (host);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_tls12_stream_handshake_async);
  g_task_run_in_thread (task, handshake_thread);
}

MsTls12Stream *
ms_tls12_stream_handshake_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  return g_object_ref (g_task_get_source_object (G_TASK (result)));
}

GTlsCertificate *
ms_tls12_stream_get_peer_certificate (MsTls12Stream *self)
{
  g_return_val_if_fail (MS_IS_TLS12_STREAM (self), NULL);

  return self->peer_certificate;
}

/**
 * ms_tls12_stream_dup_ciphersuite:
 *
 * Returns: (transfer full): the IANA name of the ciphersuite, as GIO's
 *   g_tls_connection_get_ciphersuite_name() gives it
 */
char *
ms_tls12_stream_dup_ciphersuite (MsTls12Stream *self)
{
  g_return_val_if_fail (MS_IS_TLS12_STREAM (self), NULL);

  return g_strdup (gnutls_ciphersuite_get (self->session));
}
