/* ms-trust-store.c: certificates the person chose to trust, one host and port each
 *
 * When a server's certificate cannot be verified (a private server with
 * its own certificate), the person may look at it and decide to trust it.
 * That decision covers exactly that certificate (its SHA-256 fingerprint)
 * on exactly that host and port: another port, another host or a new
 * certificate is a new question. There is no wildcard and no "trust all".
 *
 * The file is a key file, $XDG_CONFIG_HOME/mail-setup/trusted-certificates.ini,
 * one group per "host:port" (host in lower case; GKeyFile forbids brackets
 * in group names, so an IPv6 address is written bare and the port is what
 * follows the last colon), with the keys sha256, subject and trusted-on
 * (ISO 8601, UTC). It is written atomically, mode 0600, in a 0700
 * directory, and re-read before each change so two programs (the wizard
 * and the command line) do not undo each other's changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ms-safe-file.h"
#include "ms-trust-store.h"

struct _MsTrustStore
{
  GObject     parent_instance;

  char       *path;
  GKeyFile   *key_file;
  GHashTable *entries;  /* "host:port" -> MsTrustedCertificate */
};

G_DEFINE_FINAL_TYPE (MsTrustStore, ms_trust_store, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (MsTrustedCertificate, ms_trusted_certificate,
                     ms_trusted_certificate_ref, ms_trusted_certificate_unref)
G_DEFINE_QUARK (ms-trust-store-error-quark, ms_trust_store_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static MsTrustedCertificate *
ms_trusted_certificate_new (void)
{
  MsTrustedCertificate *self = g_new0 (MsTrustedCertificate, 1);

  g_atomic_ref_count_init (&self->ref_count);

  return self;
}

MsTrustedCertificate *
ms_trusted_certificate_ref (MsTrustedCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_trusted_certificate_unref (MsTrustedCertificate *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->host);
      g_free (self->sha256);
      g_free (self->subject);
      g_clear_pointer (&self->trusted_on, g_date_time_unref);
      g_free (self);
    }
}

/**
 * ms_fingerprint_normalize:
 * @fingerprint: a SHA-256 fingerprint as hex, with or without colons or
 *   spaces, in either case
 *
 * Returns: (transfer full) (nullable): the fingerprint as colon-separated
 *   upper-case hex, or %NULL if it is not 32 bytes of hex
 */
char *
ms_fingerprint_normalize (const char *fingerprint)
{
  GString *result;
  guint digits = 0;

  if (fingerprint == NULL)
    return NULL;

  result = g_string_sized_new (96);
  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p) || digits == 64)
        {
          g_string_free (result, TRUE);
          return NULL;
        }
      if (digits > 0 && digits % 2 == 0)
        g_string_append_c (result, ':');
      g_string_append_c (result, g_ascii_toupper (*p));
      digits++;
    }

  if (digits != 64)
    {
      g_string_free (result, TRUE);
      return NULL;
    }

  return g_string_free (result, FALSE);
}

/* Returns: the host as it is pinned (ASCII, lower case, no brackets, no
 * final dot), or %NULL for anything that is not one host name or address */
static char *
normalize_host (const char *host)
{
  g_autofree char *stripped = NULL;
  g_autofree char *ascii = NULL;
  gsize length;

  if (host == NULL)
    return NULL;

  length = strlen (host);
  if (length >= 2 && host[0] == '[' && host[length - 1] == ']')
    stripped = g_strndup (host + 1, length - 2);
  else
    stripped = g_strdup (host);

  length = strlen (stripped);
  if (length > 0 && stripped[length - 1] == '.')
    stripped[length - 1] = '\0';

  ascii = g_hostname_to_ascii (stripped);
  if (ascii == NULL || *ascii == '\0' || strlen (ascii) > 255)
    return NULL;

  /* Names, IPv4 and IPv6 addresses (with a zone): never a wildcard. */
  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (".-_:%", *p) == NULL)
        return NULL;
    }

  return g_ascii_strdown (ascii, -1);
}

static char *
make_group (const char *normalized_host,
            guint16     port)
{
  return g_strdup_printf ("%s:%u", normalized_host, port);
}

static MsTrustedCertificate *
parse_entry (GKeyFile   *key_file,
             const char *group)
{
  g_autoptr(MsTrustedCertificate) entry = NULL;
  g_autofree char *group_host = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *trusted_on = NULL;
  const char *colon;
  char *end = NULL;
  guint64 port;

  colon = strrchr (group, ':');
  if (colon == NULL || colon == group || colon[1] == '\0')
    return NULL;

  errno = 0;
  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (errno != 0 || *end != '\0' || port == 0 || port > G_MAXUINT16)
    return NULL;

  group_host = g_strndup (group, colon - group);
  sha256 = g_key_file_get_string (key_file, group, "sha256", NULL);

  entry = ms_trusted_certificate_new ();
  entry->host = normalize_host (group_host);
  entry->port = port;
  entry->sha256 = ms_fingerprint_normalize (sha256);
  if (entry->host == NULL || entry->sha256 == NULL)
    return NULL;

  entry->subject = g_key_file_get_string (key_file, group, "subject", NULL);
  trusted_on = g_key_file_get_string (key_file, group, "trusted-on", NULL);
  if (trusted_on != NULL)
    entry->trusted_on = g_date_time_new_from_iso8601 (trusted_on, NULL);

  return g_steal_pointer (&entry);
}

/* Entries that do not parse (a hand-edited group, a wrong fingerprint)
 * are left in the file but trust nothing. */
static GHashTable *
read_entries (GKeyFile *key_file)
{
  GHashTable *entries;
  g_auto(GStrv) groups = NULL;

  entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) ms_trusted_certificate_unref);

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      MsTrustedCertificate *entry = parse_entry (key_file, groups[i]);

      if (entry != NULL)
        g_hash_table_replace (entries, make_group (entry->host, entry->port), entry);
    }

  return entries;
}

/* Pins a few hundred certificates at most. */
#define MAX_FILE_SIZE (1024 * 1024)

/* A pin says "accept this certificate without asking". Anyone who can
 * write the file, or replace it through its folder, could add one for a
 * server of their own, so such a file is not believed at all. */
static gboolean
check_only_owner_can_write (const char         *path,
                            const struct stat  *st,
                            GError            **error)
{
  g_autofree char *directory = g_path_get_dirname (path);
  struct stat dir_st;

  if (st->st_uid != getuid () || (st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
    {
      g_set_error (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INSECURE,
                   /* Translators: %s is a file name. */
                   _("The list of trusted certificates “%s” was ignored: someone other than you can change it. Make it yours and writable only by you (chmod go-w)."),
                   path);
      return FALSE;
    }

  if (stat (directory, &dir_st) != 0 ||
      (dir_st.st_uid != getuid () && dir_st.st_uid != 0) ||
      (dir_st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    {
      g_set_error (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INSECURE,
                   /* Translators: the first %s is a file name, the second its folder. */
                   _("The list of trusted certificates “%s” was ignored: someone other than you can change its folder “%s”. Make the folder writable only by you (chmod go-w)."),
                   path, directory);
      return FALSE;
    }

  return TRUE;
}

/* A missing file is an empty store. Not a symbolic link: where it points
 * is not covered by the folder's permissions. */
static GKeyFile *
read_key_file (const char  *path,
               GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  struct stat st;

  if (!ms_safe_file_read (path, MAX_FILE_SIZE, MS_SAFE_FILE_NOFOLLOW, &data, &length, &st,
                          &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_key_file_new ();

      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!check_only_owner_can_write (path, &st, error))
    return NULL;

  if (g_key_file_load_from_data (key_file, data, length, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    return g_steal_pointer (&key_file);

  g_set_error (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_CORRUPT,
               /* Translators: the first %s is a file name, the second the reason. */
               _("The list of trusted certificates in “%s” is damaged and was ignored: %s"),
               path, local_error->message);

  return NULL;
}

static void
ms_trust_store_set_key_file (MsTrustStore *self,
                             GKeyFile     *key_file)
{
  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  self->key_file = g_key_file_ref (key_file);
  self->entries = read_entries (key_file);
}

/**
 * ms_trust_store_load:
 * @error: return location for an error
 *
 * Reads the file. A missing file is an empty store. A damaged file leaves
 * the store empty and sets %MS_TRUST_STORE_ERROR_CORRUPT; a file that
 * someone other than its owner can change (or a symbolic link, a FIFO, a
 * device) leaves it empty too, with %MS_TRUST_STORE_ERROR_INSECURE (or a
 * #GFileError), for the caller to warn about.
 *
 * Returns: %TRUE on success
 */
gboolean
ms_trust_store_load (MsTrustStore  *self,
                     GError       **error)
{
  g_autoptr(GKeyFile) key_file = NULL;

  g_return_val_if_fail (MS_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key_file = read_key_file (self->path, error);
  if (key_file == NULL)
    {
      g_autoptr(GKeyFile) empty = g_key_file_new ();

      ms_trust_store_set_key_file (self, empty);
      return FALSE;
    }

  ms_trust_store_set_key_file (self, key_file);

  return TRUE;
}

/* The current file, or an empty one when it is damaged (after moving the
 * damaged one aside, so that nothing is lost for good). */
static GKeyFile *
read_key_file_for_change (MsTrustStore  *self,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *aside = NULL;
  GKeyFile *key_file;

  key_file = read_key_file (self->path, &local_error);
  if (key_file != NULL)
    return key_file;

  if (!g_error_matches (local_error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_CORRUPT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  aside = g_strconcat (self->path, ".corrupt", NULL);
  if (g_rename (self->path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a file name, the second %s the reason. */
                   _("Could not move the damaged file “%s” aside: %s"),
                   self->path, g_strerror (saved_errno));
      return NULL;
    }

  return g_key_file_new ();
}

static gboolean
write_key_file (MsTrustStore  *self,
                GKeyFile      *key_file,
                GError       **error)
{
  g_autofree char *directory = NULL;
  g_autofree char *data = NULL;
  gsize length;

  directory = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a folder name, the second %s the reason. */
                   _("Could not create the folder “%s”: %s"),
                   directory, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (key_file, &length, NULL);

  /* Consistent: a crash leaves the old file or the new one, never half. */
  if (!g_file_set_contents_full (self->path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  ms_trust_store_set_key_file (self, key_file);

  return TRUE;
}

static gboolean
check_port (guint16   port,
            GError  **error)
{
  if (port != 0)
    return TRUE;

  g_set_error_literal (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INVALID,
                       _("A certificate can only be trusted for one port."));
  return FALSE;
}

static char *
check_host (const char  *host,
            GError     **error)
{
  char *normalized = normalize_host (host);

  if (normalized == NULL)
    g_set_error (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INVALID,
                 /* Translators: %s is what was given as a server name. */
                 _("“%s” is not a server name that a certificate can be trusted for."),
                 host);

  return normalized;
}

/**
 * ms_trust_store_is_trusted:
 * @host: the server's host name or address
 * @port: the server's port
 * @fingerprint: the SHA-256 fingerprint of the certificate it presented
 *
 * Returns: %TRUE only if the person trusted exactly this certificate for
 *   exactly this host and port
 */
gboolean
ms_trust_store_is_trusted (MsTrustStore *self,
                           const char   *host,
                           guint16       port,
                           const char   *fingerprint)
{
  g_autofree char *wanted = NULL;
  const char *pinned;

  g_return_val_if_fail (MS_IS_TRUST_STORE (self), FALSE);

  pinned = ms_trust_store_get_pinned_fingerprint (self, host, port);
  wanted = ms_fingerprint_normalize (fingerprint);

  return pinned != NULL && wanted != NULL && strcmp (pinned, wanted) == 0;
}

/**
 * ms_trust_store_get_pinned_fingerprint:
 * @host: the server's host name or address
 * @port: the server's port
 *
 * When this differs from the fingerprint a server presents, its
 * certificate changed since the person trusted it: report
 * tls-certificate-changed rather than a plain untrusted certificate.
 *
 * Returns: (nullable): the fingerprint trusted for @host and @port
 */
const char *
ms_trust_store_get_pinned_fingerprint (MsTrustStore *self,
                                       const char   *host,
                                       guint16       port)
{
  g_autofree char *normalized = NULL;
  g_autofree char *group = NULL;
  MsTrustedCertificate *entry;

  g_return_val_if_fail (MS_IS_TRUST_STORE (self), NULL);

  normalized = normalize_host (host);
  if (normalized == NULL || port == 0)
    return NULL;

  group = make_group (normalized, port);
  entry = g_hash_table_lookup (self->entries, group);

  return entry != NULL ? entry->sha256 : NULL;
}

/**
 * ms_trust_store_trust:
 * @host: the server's host name or address
 * @port: the server's port
 * @info: the certificate the server presented on @host and @port
 * @error: return location for an error
 *
 * Pins the certificate of @info to @host and @port, replacing what was
 * pinned there before, and saves the file. Revoked certificates and
 * certificates with insecure algorithms are refused.
 *
 * Returns: %TRUE if the certificate is now trusted and saved
 */
gboolean
ms_trust_store_trust (MsTrustStore       *self,
                      const char         *host,
                      guint16             port,
                      MsCertificateInfo  *info,
                      GError            **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *info_host = NULL;
  g_autofree char *group = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *trusted_on = NULL;
  const char *subject;

  g_return_val_if_fail (MS_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (info), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normalized = check_host (host, error);
  if (normalized == NULL || !check_port (port, error))
    return FALSE;

  info_host = normalize_host (ms_certificate_info_get_host (info));
  if (g_strcmp0 (info_host, normalized) != 0 || ms_certificate_info_get_port (info) != port)
    {
      g_set_error (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INVALID,
                   /* Translators: %s is a server name, %u a port number. */
                   _("This certificate was not presented by %s on port %u."),
                   host, port);
      return FALSE;
    }

  if (ms_certificate_info_get_errors (info) & (G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_INSECURE))
    {
      g_set_error_literal (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_REFUSED,
                           _("This certificate is withdrawn or too weak to protect the connection, so it cannot be trusted."));
      return FALSE;
    }

  fingerprint = ms_fingerprint_normalize (ms_certificate_info_get_sha256 (info));
  if (fingerprint == NULL)
    {
      g_set_error_literal (error, MS_TRUST_STORE_ERROR, MS_TRUST_STORE_ERROR_INVALID,
                           _("The certificate has no fingerprint."));
      return FALSE;
    }

  key_file = read_key_file_for_change (self, error);
  if (key_file == NULL)
    return FALSE;

  group = make_group (normalized, port);
  now = g_date_time_new_now_utc ();
  trusted_on = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  subject = ms_certificate_info_get_subject (info);

  /* Drop what an older version pinned there, so no key lingers. */
  g_key_file_remove_group (key_file, group, NULL);
  g_key_file_set_string (key_file, group, "sha256", fingerprint);
  if (subject != NULL)
    g_key_file_set_string (key_file, group, "subject", subject);
  g_key_file_set_string (key_file, group, "trusted-on", trusted_on);

  return write_key_file (self, key_file, error);
}

/**
 * ms_trust_store_forget:
 * @host: the server's host name or address
 * @port: the server's port
 * @error: return location for an error
 *
 * Stops trusting whatever was trusted for @host and @port. Forgetting
 * what is not there succeeds.
 *
 * Returns: %TRUE on success
 */
gboolean
ms_trust_store_forget (MsTrustStore  *self,
                       const char    *host,
                       guint16        port,
                       GError       **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *group = NULL;
  g_auto(GStrv) groups = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (MS_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normalized = check_host (host, error);
  if (normalized == NULL || !check_port (port, error))
    return FALSE;

  key_file = read_key_file_for_change (self, error);
  if (key_file == NULL)
    return FALSE;

  /* A hand-edited file may spell the host differently ("Mail.Example."). */
  group = make_group (normalized, port);
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(MsTrustedCertificate) entry = parse_entry (key_file, groups[i]);
      g_autofree char *entry_group = NULL;

      if (entry == NULL)
        continue;

      entry_group = make_group (entry->host, entry->port);
      if (strcmp (entry_group, group) == 0)
        {
          g_key_file_remove_group (key_file, groups[i], NULL);
          changed = TRUE;
        }
    }

  if (!changed)
    {
      ms_trust_store_set_key_file (self, key_file);
      return TRUE;
    }

  return write_key_file (self, key_file, error);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const MsTrustedCertificate *entry_a = *(MsTrustedCertificate * const *) a;
  const MsTrustedCertificate *entry_b = *(MsTrustedCertificate * const *) b;
  int result = strcmp (entry_a->host, entry_b->host);

  return result != 0 ? result : (int) entry_a->port - (int) entry_b->port;
}

/**
 * ms_trust_store_list:
 *
 * Returns: (transfer container) (element-type MsTrustedCertificate): every
 *   trusted certificate, sorted by host and port, for the person to review
 */
GPtrArray *
ms_trust_store_list (MsTrustStore *self)
{
  GPtrArray *result;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (MS_IS_TRUST_STORE (self), NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_trusted_certificate_unref);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (result, ms_trusted_certificate_ref (value));
  g_ptr_array_sort (result, compare_entries);

  return result;
}

const char *
ms_trust_store_get_path (MsTrustStore *self)
{
  g_return_val_if_fail (MS_IS_TRUST_STORE (self), NULL);

  return self->path;
}

/**
 * ms_trust_store_new:
 * @path: (nullable): the file, or %NULL for
 *   $XDG_CONFIG_HOME/mail-setup/trusted-certificates.ini
 *
 * The store starts empty: call ms_trust_store_load().
 *
 * Returns: (transfer full): a new store
 */
MsTrustStore *
ms_trust_store_new (const char *path)
{
  return g_object_new (MS_TYPE_TRUST_STORE, "path", path, NULL);
}

static void
ms_trust_store_constructed (GObject *object)
{
  MsTrustStore *self = MS_TRUST_STORE (object);

  G_OBJECT_CLASS (ms_trust_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = g_build_filename (g_get_user_config_dir (), "mail-setup",
                                   "trusted-certificates.ini", NULL);
}

static void
ms_trust_store_finalize (GObject *object)
{
  MsTrustStore *self = MS_TRUST_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (ms_trust_store_parent_class)->finalize (object);
}

static void
ms_trust_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsTrustStore *self = MS_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_trust_store_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MsTrustStore *self = MS_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_trust_store_class_init (MsTrustStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ms_trust_store_constructed;
  object_class->finalize = ms_trust_store_finalize;
  object_class->get_property = ms_trust_store_get_property;
  object_class->set_property = ms_trust_store_set_property;

  /**
   * MsTrustStore:path:
   *
   * The key file the store reads and writes.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_trust_store_init (MsTrustStore *self)
{
  self->key_file = g_key_file_new ();
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) ms_trusted_certificate_unref);
}
