/* ms-tls-database.c: the system's trusted CAs plus an optional extra CA file
 *
 * glib-networking has no way to add a CA to the system database, and an
 * organisation with its own CA (or a test with a private one) needs exactly
 * that. This database asks the system first and, only when the chain ends at
 * a CA the system does not know, asks the extra file. Every other error
 * (expired, wrong host, revoked) stands as the system reported it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "ms-safe-file.h"
#include "ms-tls-database.h"

struct _MsTlsDatabase
{
  GTlsDatabase  parent_instance;

  GTlsDatabase *system;
  GTlsDatabase *extra;
};

G_DEFINE_FINAL_TYPE (MsTlsDatabase, ms_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
ms_tls_database_verify_chain (GTlsDatabase             *database,
                              GTlsCertificate          *chain,
                              const char               *purpose,
                              GSocketConnectable       *identity,
                              GTlsInteraction          *interaction,
                              GTlsDatabaseVerifyFlags   flags,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  MsTlsDatabase *self = MS_TLS_DATABASE (database);
  GTlsCertificateFlags result;
  g_autoptr(GError) local_error = NULL;

  result = g_tls_database_verify_chain (self->system, chain, purpose, identity,
                                        interaction, flags, cancellable,
                                        &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return result;
    }

  if (self->extra != NULL && (result & G_TLS_CERTIFICATE_UNKNOWN_CA) != 0)
    {
      GTlsCertificateFlags extra_result;

      extra_result = g_tls_database_verify_chain (self->extra, chain, purpose,
                                                  identity, interaction, flags,
                                                  cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return result;
        }

      if ((extra_result & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
        result = extra_result;
    }

  return result;
}

static char *
ms_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                           GTlsCertificate *certificate)
{
  MsTlsDatabase *self = MS_TLS_DATABASE (database);

  return g_tls_database_create_certificate_handle (self->system, certificate);
}

static GTlsCertificate *
ms_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                           GTlsCertificate          *certificate,
                                           GTlsInteraction          *interaction,
                                           GTlsDatabaseLookupFlags   flags,
                                           GCancellable             *cancellable,
                                           GError                  **error)
{
  MsTlsDatabase *self = MS_TLS_DATABASE (database);
  GTlsCertificate *issuer;
  g_autoptr(GError) local_error = NULL;

  issuer = g_tls_database_lookup_certificate_issuer (self->system, certificate,
                                                     interaction, flags,
                                                     cancellable, &local_error);
  if (issuer != NULL || self->extra == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return issuer;
    }

  return g_tls_database_lookup_certificate_issuer (self->extra, certificate,
                                                   interaction, flags,
                                                   cancellable, error);
}

static void
ms_tls_database_dispose (GObject *object)
{
  MsTlsDatabase *self = MS_TLS_DATABASE (object);

  g_clear_object (&self->system);
  g_clear_object (&self->extra);

  G_OBJECT_CLASS (ms_tls_database_parent_class)->dispose (object);
}

static void
ms_tls_database_class_init (MsTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->dispose = ms_tls_database_dispose;

  database_class->verify_chain = ms_tls_database_verify_chain;
  database_class->create_certificate_handle = ms_tls_database_create_certificate_handle;
  database_class->lookup_certificate_issuer = ms_tls_database_lookup_certificate_issuer;
}

static void
ms_tls_database_init (MsTlsDatabase *self)
{
}

/**
 * ms_tls_database_new:
 * @extra_ca_file: (nullable): a PEM file of CA certificates to trust besides
 *   the system's, or %NULL
 * @error: return location for an error
 *
 * Returns: (transfer full): a database for #GTlsClientConnection, or %NULL
 *   if the backend has no system database or @extra_ca_file cannot be read
 */
GTlsDatabase *
ms_tls_database_new (const char  *extra_ca_file,
                     GError     **error)
{
  g_autoptr(MsTlsDatabase) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fd_path = NULL;
  GTlsDatabase *system;
  struct stat st;

  system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (system == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "No TLS support: is glib-networking installed?");
      return NULL;
    }

  self = g_object_new (MS_TYPE_TLS_DATABASE, NULL);
  self->system = system;

  if (extra_ca_file != NULL)
    {
      int fd;

      /* GnuTLS reads whatever the path names: a FIFO would block every
       * connection test, /dev/zero fill memory. Only a regular file of a
       * sane size is handed on; the descriptor checked is the one read. */
      fd = ms_safe_file_open (extra_ca_file, MS_SAFE_FILE_NONE, &st, error);
      if (fd < 0)
        return NULL;
      if (st.st_size > MS_SAFE_FILE_CONFIG_MAX_SIZE)
        {
          g_autofree char *display = g_filename_display_name (extra_ca_file);

          close (fd);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       /* Translators: %s is a file name */
                       _("%s is too large to be a file of CA certificates"), display);
          return NULL;
        }

      /* Without /proc (rare) the path itself, checked a moment ago. */
      fd_path = g_strdup_printf ("/proc/self/fd/%d", fd);
      if (g_file_test (fd_path, G_FILE_TEST_EXISTS))
        self->extra = g_tls_file_database_new (fd_path, &local_error);
      else
        self->extra = g_tls_file_database_new (extra_ca_file, &local_error);
      close (fd);

      if (self->extra == NULL)
        {
          g_autofree char *display = g_filename_display_name (extra_ca_file);

          g_set_error (error, local_error->domain, local_error->code,
                       /* Translators: %s is a file name, then the reason */
                       _("Could not read the CA certificates in %s: %s"),
                       display, local_error->message);
          return NULL;
        }
    }

  return G_TLS_DATABASE (g_steal_pointer (&self));
}

/**
 * ms_tls_database_get_system:
 *
 * Returns: (transfer none): the system's database. A TLS connection should
 *   use it directly: glib-networking shares its GnuTLS credentials between
 *   connections only for its own database type, and loads the whole system
 *   CA list again for each connection with any other.
 */
GTlsDatabase *
ms_tls_database_get_system (MsTlsDatabase *self)
{
  g_return_val_if_fail (MS_IS_TLS_DATABASE (self), NULL);

  return self->system;
}

/**
 * ms_tls_database_get_extra:
 *
 * Returns: (transfer none) (nullable): the extra CA file's database
 */
GTlsDatabase *
ms_tls_database_get_extra (MsTlsDatabase *self)
{
  g_return_val_if_fail (MS_IS_TLS_DATABASE (self), NULL);

  return self->extra;
}

/**
 * ms_tls_database_reverify:
 * @system_errors: what validating against the system's CAs found
 *
 * For a connection that validated against the system database only: asks
 * the extra CA file too when the chain ends at a CA the system does not
 * know, as ms_tls_database_verify_chain() does.
 *
 * Returns: the errors that stand
 */
GTlsCertificateFlags
ms_tls_database_reverify (MsTlsDatabase        *self,
                          GTlsCertificate      *chain,
                          GSocketConnectable   *identity,
                          GTlsCertificateFlags  system_errors)
{
  GTlsCertificateFlags extra_errors;

  g_return_val_if_fail (MS_IS_TLS_DATABASE (self), system_errors);

  if (self->extra == NULL || (system_errors & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
    return system_errors;

  extra_errors = g_tls_database_verify_chain (self->extra, chain,
                                              G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                              identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                              NULL, NULL);

  return (extra_errors & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0 ? extra_errors : system_errors;
}
