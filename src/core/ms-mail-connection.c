/* ms-mail-connection.c: a line-based mail protocol connection with limits
 *
 * IMAP, POP3 and SMTP all speak in CRLF-terminated lines. This object reads
 * them with a bound on line length and reply size and a deadline on every
 * step, upgrades to TLS (implicit or after STARTTLS), and keeps a transcript
 * in which the caller masks what is secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ms-deadline.h"
#include "ms-mail-connection.h"
#include "ms-tls-database.h"
#include "ms-tls12-stream.h"

#define READ_CHUNK_SIZE 4096
#define MAX_TRANSCRIPT_LINES 200

struct _MsMailConnection
{
  GObject               parent_instance;

  char                 *host;
  guint16               port;
  GSocketConnection    *socket_connection;
  GIOStream            *stream;          /* the socket, or TLS over it */
  GTlsConnection       *tls;
  MsTls12Stream        *tls12;           /* instead of @tls, for TLS 1.2 at most */
  gboolean              tls12_only;
  GByteArray           *input;
  GPtrArray            *transcript;
  guint                 round_trips;
  guint64               bytes_received;

  GTlsCertificate      *peer_certificate;
  GTlsCertificateFlags  peer_errors;
  gboolean              accepted_by_pin;
  MsAcceptCertificateFunc accept_func;
  gpointer              accept_data;
  MsTlsDatabase        *extra_database;  /* asked after the system's, or NULL */

  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (MsMailConnection, ms_mail_connection, G_TYPE_OBJECT)

static void
ms_mail_connection_dispose (GObject *object)
{
  MsMailConnection *self = MS_MAIL_CONNECTION (object);

  ms_mail_connection_close (self);
  g_clear_object (&self->peer_certificate);
  g_clear_object (&self->extra_database);

  G_OBJECT_CLASS (ms_mail_connection_parent_class)->dispose (object);
}

static void
ms_mail_connection_finalize (GObject *object)
{
  MsMailConnection *self = MS_MAIL_CONNECTION (object);

  g_free (self->host);
  g_byte_array_unref (self->input);
  g_ptr_array_unref (self->transcript);

  G_OBJECT_CLASS (ms_mail_connection_parent_class)->finalize (object);
}

static void
ms_mail_connection_class_init (MsMailConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_mail_connection_dispose;
  object_class->finalize = ms_mail_connection_finalize;
}

static void
ms_mail_connection_init (MsMailConnection *self)
{
  self->input = g_byte_array_new ();
  self->transcript = g_ptr_array_new_with_free_func (g_free);
}

static void
add_transcript (MsMailConnection *self,
                const char       *direction,
                const char       *line)
{
  if (self->transcript->len >= MAX_TRANSCRIPT_LINES)
    return;

  g_ptr_array_add (self->transcript, g_strdup_printf ("%s %.200s", direction, line));
}

/* Connecting */

typedef struct
{
  MsDeadline *deadline;
  char       *host;
  guint16     port;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  ms_deadline_free (data->deadline);
  g_free (data->host);
  g_free (data);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  MsMailConnection *self;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  ms_deadline_check_error (data->deadline, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self = g_object_new (MS_TYPE_MAIL_CONNECTION, NULL);
  self->host = g_strdup (data->host);
  self->port = data->port;
  self->socket_connection = g_object_ref (connection);
  self->stream = G_IO_STREAM (g_steal_pointer (&connection));
  self->round_trips = 1;

  g_task_return_pointer (task, self, g_object_unref);
}

/**
 * ms_mail_connection_connect_async:
 * @timeout_ms: how long resolving the name and connecting may take
 *
 * Opens a plain TCP connection; TLS comes with
 * ms_mail_connection_start_tls_async(), right away for implicit TLS.
 */
void
ms_mail_connection_connect_async (const char          *host,
                                  guint16              port,
                                  guint                timeout_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  ConnectData *data;

  g_return_if_fail (host != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_mail_connection_connect_async);

  data = g_new0 (ConnectData, 1);
  data->deadline = ms_deadline_new (timeout_ms, cancellable);
  data->host = g_strdup (host);
  data->port = port;
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);

  client = g_socket_client_new ();
  /* A backstop for every later read and write on this socket; each step
   * also has its own, shorter deadline. */
  g_socket_client_set_timeout (client, MAX (1, (timeout_ms + 999) / 1000) * 4);

  g_socket_client_connect_to_host_async (client, host, port,
                                         ms_deadline_get_cancellable (data->deadline),
                                         connect_cb, g_steal_pointer (&task));
}

MsMailConnection *
ms_mail_connection_connect_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* TLS */

/* The one judgement of a server certificate, for GIO's handshake and for
 * the TLS 1.2 retry alike: the extra CA file, then the user's pins. */
static gboolean
judge_certificate (MsMailConnection     *self,
                   GTlsCertificate      *certificate,
                   GTlsCertificateFlags  errors)
{
  if (self->extra_database != NULL)
    {
      g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, self->port);

      errors = ms_tls_database_reverify (self->extra_database, certificate, identity, errors);
    }

  g_set_object (&self->peer_certificate, certificate);
  self->peer_errors = errors;

  if (errors == 0)
    return TRUE;

  if (self->accept_func != NULL && self->accept_func (certificate, errors, self->accept_data))
    {
      self->accepted_by_pin = TRUE;
      return TRUE;
    }

  return FALSE;
}

static gboolean
accept_certificate_cb (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       MsMailConnection     *self)
{
  return judge_certificate (self, certificate, errors);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsMailConnection *self = g_task_get_source_object (task);
  MsDeadline *deadline = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  self->round_trips++;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      ms_deadline_check_error (deadline, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->peer_certificate == NULL)
    {
      self->peer_certificate = g_tls_connection_get_peer_certificate (self->tls);
      if (self->peer_certificate != NULL)
        g_object_ref (self->peer_certificate);
      self->peer_errors = g_tls_connection_get_peer_certificate_errors (self->tls);
    }

  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GIOStream    *base;
  char         *host;
  guint16       port;
  GTlsDatabase *database;
} CreateTlsData;

static void
create_tls_data_free (CreateTlsData *data)
{
  g_clear_object (&data->base);
  g_clear_object (&data->database);
  g_free (data->host);
  g_free (data);
}

/* GnuTLS loads its credentials (the system's whole CA list, unless the
 * database is glib-networking's own) when the connection is made: tens of
 * milliseconds that must not stall the main loop. */
static void
create_tls_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CreateTlsData *data = task_data;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (data->host, data->port);
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  tls = g_tls_client_connection_new (data->base, identity, &error);
  if (tls == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* With the system's own database the credentials are shared; the extra
   * CA file is asked afterwards, in accept_certificate_cb(). */
  if (MS_IS_TLS_DATABASE (data->database))
    g_tls_connection_set_database (G_TLS_CONNECTION (tls),
                                   ms_tls_database_get_system (MS_TLS_DATABASE (data->database)));
  else if (data->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), data->database);

  g_task_return_pointer (task, tls, g_object_unref);
}

static void
create_tls_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsMailConnection *self = g_task_get_source_object (task);
  MsDeadline *deadline = g_task_get_task_data (task);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  tls = g_task_propagate_pointer (G_TASK (result), &error);
  if (tls == NULL || g_cancellable_set_error_if_cancelled (ms_deadline_get_cancellable (deadline), &error))
    {
      self->busy = FALSE;
      ms_deadline_check_error (deadline, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_signal_connect_object (tls, "accept-certificate",
                           G_CALLBACK (accept_certificate_cb), self, 0);
  g_set_object (&self->stream, tls);
  self->tls = G_TLS_CONNECTION (g_object_ref (tls));

  g_tls_connection_handshake_async (self->tls, G_PRIORITY_DEFAULT,
                                    ms_deadline_get_cancellable (deadline),
                                    handshake_cb, g_steal_pointer (&task));
}

/* The TLS 1.2 retry: GnuTLS shakes hands (ms-tls12-stream.c), then the
 * chain goes through the same database and judge_certificate() as GIO's
 * handshake would send it through, before the stream is used at all. */

static GTlsDatabase *
verifying_database (GTlsDatabase *database)
{
  if (MS_IS_TLS_DATABASE (database))
    return ms_tls_database_get_system (MS_TLS_DATABASE (database));
  if (database != NULL)
    return database;
  return g_tls_backend_get_default_database (g_tls_backend_get_default ());
}

static void
tls12_verify_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsMailConnection *self = g_task_get_source_object (task);
  MsDeadline *deadline = g_task_get_task_data (task);
  MsTls12Stream *stream = g_object_get_data (G_OBJECT (task), "ms-tls12-stream");
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags errors;

  self->busy = FALSE;
  errors = g_tls_database_verify_chain_finish (G_TLS_DATABASE (object), result, &error);
  if (error != NULL)
    {
      ms_deadline_check_error (deadline, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!judge_certificate (self, ms_tls12_stream_get_peer_certificate (stream), errors))
    {
      g_task_return_new_error (task, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                               "Unacceptable TLS certificate");
      return;
    }

  g_set_object (&self->stream, G_IO_STREAM (stream));
  g_set_object (&self->tls12, stream);
  g_task_return_boolean (task, TRUE);
}

static void
tls12_handshake_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsMailConnection *self = g_task_get_source_object (task);
  MsDeadline *deadline = g_task_get_task_data (task);
  GTlsDatabase *database = g_object_get_data (G_OBJECT (task), "ms-tls12-database");
  g_autoptr(MsTls12Stream) stream = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;

  self->round_trips++;
  stream = ms_tls12_stream_handshake_finish (result, &error);
  if (stream == NULL)
    {
      self->busy = FALSE;
      ms_deadline_check_error (deadline, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  identity = g_network_address_new (self->host, self->port);
  g_object_set_data_full (G_OBJECT (task), "ms-tls12-stream", g_object_ref (stream), g_object_unref);
  g_tls_database_verify_chain_async (verifying_database (database),
                                     ms_tls12_stream_get_peer_certificate (stream),
                                     G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                     NULL, G_TLS_DATABASE_VERIFY_NONE,
                                     ms_deadline_get_cancellable (deadline),
                                     tls12_verify_cb, g_steal_pointer (&task));
}

/**
 * ms_mail_connection_set_tls12_only:
 *
 * Makes ms_mail_connection_start_tls_async() offer TLS 1.2 and nothing
 * newer (or older): for a server that fails when TLS 1.3 is offered.
 */
void
ms_mail_connection_set_tls12_only (MsMailConnection *self,
                                   gboolean          tls12_only)
{
  g_return_if_fail (MS_IS_MAIL_CONNECTION (self));
  g_return_if_fail (self->tls == NULL && self->tls12 == NULL);

  self->tls12_only = tls12_only;
}

/**
 * ms_mail_connection_start_tls_async:
 * @database: the CAs to validate against
 * @accept_func: (nullable): asked only when validation fails
 *
 * Performs the TLS handshake on the connection as it is: right after
 * connecting for implicit TLS, after a successful STARTTLS otherwise.
 * Plaintext that arrived before the handshake is an error: a server (or a
 * man in the middle) must not slip in replies the client would later read
 * as protected.
 */
void
ms_mail_connection_start_tls_async (MsMailConnection        *self,
                                    GTlsDatabase            *database,
                                    MsAcceptCertificateFunc  accept_func,
                                    gpointer                 accept_data,
                                    guint                    timeout_ms,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) creation = NULL;
  CreateTlsData *data;
  MsDeadline *deadline;

  g_return_if_fail (MS_IS_MAIL_CONNECTION (self));
  g_return_if_fail (self->tls == NULL);
  g_return_if_fail (!self->busy);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_mail_connection_start_tls_async);

  if (self->input->len > 0)
    {
      g_task_return_new_error (task, MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED,
                               "The server sent data before the encrypted connection started");
      return;
    }

  self->accept_func = accept_func;
  self->accept_data = accept_data;
  if (MS_IS_TLS_DATABASE (database))
    g_set_object (&self->extra_database, MS_TLS_DATABASE (database));
  self->busy = TRUE;

  deadline = ms_deadline_new (timeout_ms, cancellable);
  g_task_set_task_data (task, deadline, (GDestroyNotify) ms_deadline_free);

  if (self->tls12_only)
    {
      if (database != NULL)
        g_object_set_data_full (G_OBJECT (task), "ms-tls12-database",
                                g_object_ref (database), g_object_unref);
      ms_tls12_stream_handshake_async (self->stream, self->host,
                                       ms_deadline_get_cancellable (deadline),
                                       tls12_handshake_cb, g_steal_pointer (&task));
      return;
    }

  data = g_new0 (CreateTlsData, 1);
  data->base = g_object_ref (self->stream);
  data->host = g_strdup (self->host);
  data->port = self->port;
  g_set_object (&data->database, database);

  creation = g_task_new (NULL, NULL, create_tls_cb, g_steal_pointer (&task));
  g_task_set_source_tag (creation, create_tls_thread);
  g_task_set_task_data (creation, data, (GDestroyNotify) create_tls_data_free);
  g_task_run_in_thread (creation, create_tls_thread);
}

gboolean
ms_mail_connection_start_tls_finish (MsMailConnection  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sending */

/* A task for an operation on the open connection, or %NULL when it is
 * closed (the task has then returned G_IO_ERROR_CLOSED). */
static GTask *
begin_operation (MsMailConnection    *self,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->stream == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The connection is closed");
      return NULL;
    }

  return g_steal_pointer (&task);
}

static void
wipe_and_free (gpointer data)
{
  explicit_bzero (data, strlen (data));
  g_free (data);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsMailConnection *self = g_task_get_source_object (task);
  MsDeadline *deadline = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      ms_deadline_check_error (deadline, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * ms_mail_connection_send_async:
 * @line: the command, without its line end
 * @transcript_line: (nullable): what the transcript shows instead of @line,
 *   for commands that carry a secret
 */
void
ms_mail_connection_send_async (MsMailConnection    *self,
                               const char          *line,
                               const char          *transcript_line,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MsDeadline *deadline;
  char *data;
  gsize len;

  g_return_if_fail (MS_IS_MAIL_CONNECTION (self));
  g_return_if_fail (line != NULL);
  g_return_if_fail (!self->busy);

  task = begin_operation (self, ms_mail_connection_send_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  add_transcript (self, "C:", transcript_line != NULL ? transcript_line : line);

  /* The buffer may hold a password: wipe it when the write is done. */
  len = strlen (line) + 2;
  data = g_malloc0 (len + 1);
  memcpy (data, line, len - 2);
  memcpy (data + len - 2, "\r\n", 2);

  deadline = ms_deadline_new (timeout_ms, cancellable);
  g_object_set_data_full (G_OBJECT (task), "ms-send-buffer",
                          g_bytes_new_with_free_func (data, len, wipe_and_free, data),
                          (GDestroyNotify) g_bytes_unref);
  g_task_set_task_data (task, deadline, (GDestroyNotify) ms_deadline_free);
  self->busy = TRUE;

  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   data, len, G_PRIORITY_DEFAULT,
                                   ms_deadline_get_cancellable (deadline),
                                   write_cb, g_steal_pointer (&task));
}

gboolean
ms_mail_connection_send_finish (MsMailConnection  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reading */

typedef struct
{
  MsReply    *reply;
  MsDeadline *deadline;
  guint8      chunk[READ_CHUNK_SIZE];
} ReadData;

static void
read_data_free (ReadData *data)
{
  ms_reply_free (data->reply);
  ms_deadline_free (data->deadline);
  g_free (data);
}

static void read_more (GTask *task);

/* Takes one complete line out of the input buffer, if there is one. */
static gboolean
take_line (MsMailConnection  *self,
           char             **line,
           GError           **error)
{
  guint8 *newline;
  gsize len;

  if (self->input->len == 0)
    {
      *line = NULL;
      return TRUE;
    }

  newline = memchr (self->input->data, '\n', self->input->len);

  if (newline == NULL)
    {
      if (self->input->len > MS_REPLY_MAX_LINE_LENGTH)
        {
          g_set_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_TOO_LARGE,
                       "The server sent a line longer than %d bytes", MS_REPLY_MAX_LINE_LENGTH);
          return FALSE;
        }
      *line = NULL;
      return TRUE;
    }

  len = newline - self->input->data;
  if (len > MS_REPLY_MAX_LINE_LENGTH)
    {
      g_set_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_TOO_LARGE,
                   "The server sent a line longer than %d bytes", MS_REPLY_MAX_LINE_LENGTH);
      return FALSE;
    }

  if (memchr (self->input->data, '\0', len) != NULL)
    {
      g_set_error_literal (error, MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED,
                           "The server sent binary data instead of text");
      return FALSE;
    }

  *line = g_strndup ((const char *) self->input->data,
                     len > 0 && self->input->data[len - 1] == '\r' ? len - 1 : len);
  g_byte_array_remove_range (self->input, 0, len + 1);

  return TRUE;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MsMailConnection *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n_read < 0)
    {
      self->busy = FALSE;
      ms_deadline_check_error (data->deadline, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (n_read == 0)
    {
      self->busy = FALSE;

      /* IMAP servers close right after an untagged BYE. */
      if (data->reply->status == MS_REPLY_STATUS_BYE && data->reply->lines->len > 0)
        {
          g_task_return_pointer (task, g_steal_pointer (&data->reply),
                                 (GDestroyNotify) ms_reply_free);
          return;
        }

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               data->reply->lines->len > 0 || self->input->len > 0
                               ? "The server closed the connection in the middle of a reply"
                               : "The server closed the connection");
      return;
    }

  self->bytes_received += n_read;
  g_byte_array_append (self->input, data->chunk, n_read);
  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  MsMailConnection *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autofree char *line = NULL;

      if (!take_line (self, &line, &error))
        break;
      if (line == NULL)
        {
          g_input_stream_read_async (g_io_stream_get_input_stream (self->stream),
                                     data->chunk, sizeof data->chunk, G_PRIORITY_DEFAULT,
                                     ms_deadline_get_cancellable (data->deadline),
                                     read_cb, task);
          return;
        }

      add_transcript (self, "S:", line);

      if (!ms_reply_feed_line (data->reply, line, &error))
        break;

      if (ms_reply_is_complete (data->reply))
        {
          self->busy = FALSE;
          g_task_return_pointer (task, g_steal_pointer (&data->reply),
                                 (GDestroyNotify) ms_reply_free);
          g_object_unref (task);
          return;
        }
    }

  self->busy = FALSE;
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

/**
 * ms_mail_connection_read_reply_async:
 * @kind: the grammar of the expected reply
 * @tag: (nullable): the IMAP command tag, for %MS_REPLY_KIND_IMAP_TAGGED
 * @timeout_ms: how long the whole reply may take
 *
 * Reads one complete reply.
 */
void
ms_mail_connection_read_reply_async (MsMailConnection    *self,
                                     MsReplyKind          kind,
                                     const char          *tag,
                                     guint                timeout_ms,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  ReadData *data;

  g_return_if_fail (MS_IS_MAIL_CONNECTION (self));
  g_return_if_fail (!self->busy);

  task = begin_operation (self, ms_mail_connection_read_reply_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_new0 (ReadData, 1);
  data->reply = ms_reply_new (kind, tag);
  data->deadline = ms_deadline_new (timeout_ms, cancellable);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  self->busy = TRUE;
  self->round_trips++;

  read_more (task);
}

MsReply *
ms_mail_connection_read_reply_finish (MsMailConnection  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ms_mail_connection_peer_hung_up:
 *
 * Whether the server has closed or reset the TCP connection. After a
 * failed handshake this tells a server that dropped the ClientHello from
 * one that answered in plaintext and waits: glib-networking reports both
 * as %G_TLS_ERROR_NOT_TLS.
 */
gboolean
ms_mail_connection_peer_hung_up (MsMailConnection *self)
{
  char byte;
  ssize_t n;

  g_return_val_if_fail (MS_IS_MAIL_CONNECTION (self), FALSE);

  if (self->socket_connection == NULL)
    return TRUE;

  n = recv (g_socket_get_fd (g_socket_connection_get_socket (self->socket_connection)),
            &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/**
 * ms_mail_connection_close:
 *
 * Drops the connection without waiting for the server. Closing the socket
 * rather than the TLS stream: a polite TLS close could block on a server
 * that stopped answering.
 */
void
ms_mail_connection_close (MsMailConnection *self)
{
  g_return_if_fail (MS_IS_MAIL_CONNECTION (self));

  if (self->socket_connection != NULL)
    g_socket_close (g_socket_connection_get_socket (self->socket_connection), NULL);

  g_clear_object (&self->tls);
  g_clear_object (&self->tls12);
  g_clear_object (&self->stream);
  g_clear_object (&self->socket_connection);
}

const char *
ms_mail_connection_get_host (MsMailConnection *self)
{
  return self->host;
}

guint16
ms_mail_connection_get_port (MsMailConnection *self)
{
  return self->port;
}

gboolean
ms_mail_connection_is_tls (MsMailConnection *self)
{
  return self->tls != NULL || self->tls12 != NULL;
}

GTlsProtocolVersion
ms_mail_connection_get_tls_protocol_version (MsMailConnection *self)
{
  if (self->tls12 != NULL)
    return G_TLS_PROTOCOL_VERSION_TLS_1_2;
  if (self->tls != NULL)
    return g_tls_connection_get_protocol_version (self->tls);
  return G_TLS_PROTOCOL_VERSION_UNKNOWN;
}

/**
 * ms_mail_connection_dup_ciphersuite_name:
 *
 * Returns: (transfer full) (nullable): the IANA name, or %NULL without TLS
 */
char *
ms_mail_connection_dup_ciphersuite_name (MsMailConnection *self)
{
  if (self->tls12 != NULL)
    return ms_tls12_stream_dup_ciphersuite (self->tls12);
  if (self->tls != NULL)
    return g_tls_connection_get_ciphersuite_name (self->tls);
  return NULL;
}

GTlsConnection *
ms_mail_connection_get_tls (MsMailConnection *self)
{
  return self->tls;
}

GTlsCertificate *
ms_mail_connection_get_peer_certificate (MsMailConnection *self)
{
  return self->peer_certificate;
}

GTlsCertificateFlags
ms_mail_connection_get_peer_certificate_errors (MsMailConnection *self)
{
  return self->peer_errors;
}

gboolean
ms_mail_connection_get_peer_accepted_by_pin (MsMailConnection *self)
{
  return self->accepted_by_pin;
}

GPtrArray *
ms_mail_connection_get_transcript (MsMailConnection *self)
{
  return self->transcript;
}

guint
ms_mail_connection_get_round_trips (MsMailConnection *self)
{
  return self->round_trips;
}

guint64
ms_mail_connection_get_bytes_received (MsMailConnection *self)
{
  return self->bytes_received;
}

/**
 * ms_mail_connection_dup_address_literal:
 *
 * Returns: (transfer full): this end's address as an SMTP address literal,
 *   "[192.0.2.1]" or "[IPv6:2001:db8::1]"
 */
char *
ms_mail_connection_dup_address_literal (MsMailConnection *self)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *text = NULL;
  GInetAddress *address;

  g_return_val_if_fail (MS_IS_MAIL_CONNECTION (self), NULL);

  if (self->socket_connection != NULL)
    local = g_socket_connection_get_local_address (self->socket_connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  text = g_inet_address_to_string (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", text);

  return g_strdup_printf ("[%s]", text);
}
