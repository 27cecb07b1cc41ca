/* ms-atomic-file.h: replace a file all at once, keeping a backup of the old one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MsAtomicFileFlags:
 * @MS_ATOMIC_FILE_NONE: an ordinary file (0666 less the umask for a new
 *   one, the old file's mode otherwise)
 * @MS_ATOMIC_FILE_PRIVATE: the file holds a secret, or a program insists
 *   on it being private: 0600 for a new one, never more than 0600 and
 *   never more than the old file's mode otherwise
 * @MS_ATOMIC_FILE_BACKUP: copy the file being replaced to
 *   `NAME.mail-setup-backup-TIMESTAMP` first (with the old file's mode),
 *   keeping the newest %MS_ATOMIC_FILE_BACKUPS_KEPT of them
 */
typedef enum
{
  MS_ATOMIC_FILE_NONE    = 0,
  MS_ATOMIC_FILE_PRIVATE = 1 << 0,
  MS_ATOMIC_FILE_BACKUP  = 1 << 1,
} MsAtomicFileFlags;

/* Older backups that Mail Setup made of the same file are removed. */
#define MS_ATOMIC_FILE_BACKUPS_KEPT 3

gboolean ms_atomic_file_replace (const char         *path,
                                 const char         *contents,
                                 gsize               length,
                                 MsAtomicFileFlags   flags,
                                 char              **backup_path,
                                 GError            **error);

gboolean ms_atomic_file_check   (const char         *path,
                                 GError            **error);

G_END_DECLS
