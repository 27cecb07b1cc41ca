/* ms-safe-file.h: read a file that someone else may have put there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/stat.h>

#include <gio/gio.h>

G_BEGIN_DECLS

/* Configuration files other programs own (~/.mbsyncrc, prefs.js, a CA
 * bundle): far above any real one, far below what hurts to hold. */
#define MS_SAFE_FILE_CONFIG_MAX_SIZE (16 * 1024 * 1024)

/**
 * MsSafeFileFlags:
 * @MS_SAFE_FILE_NONE: follow symbolic links; a file over the size limit is
 *   an error
 * @MS_SAFE_FILE_NOFOLLOW: refuse a symbolic link as the last component
 * @MS_SAFE_FILE_PREFIX: read only the first @max_size bytes of a longer
 *   file instead of refusing it (for parsers that report the limit with a
 *   position themselves)
 */
typedef enum
{
  MS_SAFE_FILE_NONE     = 0,
  MS_SAFE_FILE_NOFOLLOW = 1 << 0,
  MS_SAFE_FILE_PREFIX   = 1 << 1,
} MsSafeFileFlags;

int      ms_safe_file_open (const char       *path,
                            MsSafeFileFlags   flags,
                            struct stat      *st,
                            GError          **error);

gboolean ms_safe_file_read (const char       *path,
                            gsize             max_size,
                            MsSafeFileFlags   flags,
                            char            **contents,
                            gsize            *length,
                            struct stat      *st,
                            GError          **error);

G_END_DECLS
