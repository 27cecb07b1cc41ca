/* ms-exporter.h: write a tested account into another mail program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-settings.h"
#include "ms-secret.h"

G_BEGIN_DECLS

#define MS_EXPORT_ERROR (ms_export_error_quark ())

/**
 * MsExportError:
 * @MS_EXPORT_ERROR_FAILED: the export failed (the message says why)
 * @MS_EXPORT_ERROR_UNKNOWN_CLIENT: no exporter has that name
 * @MS_EXPORT_ERROR_PROGRAM_RUNNING: the program is running (its profile is
 *   locked) and would overwrite the change: close it and try again
 * @MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP: the program has no profile or
 *   configuration folder to add to yet
 * @MS_EXPORT_ERROR_UNSUPPORTED: the program cannot use these settings
 *   (mbsync and aerc speak no POP3, say)
 * @MS_EXPORT_ERROR_NEEDS_PASSWORD: the export needs the password (to put
 *   into the program's keyring) and none was given or found
 * @MS_EXPORT_ERROR_NO_SERVICE: the program's D-Bus service is not there
 * @MS_EXPORT_ERROR_INVALID_VALUE: a value (a name, a server, the address)
 *   that the program's format cannot hold exactly (a line break, say)
 * @MS_EXPORT_ERROR_SANDBOXED: inside a Flatpak, the file's place is not
 *   shared with the host, so the program would never read it
 *
 * Messages are translated sentences to show as they are.
 */
typedef enum
{
  MS_EXPORT_ERROR_FAILED,
  MS_EXPORT_ERROR_UNKNOWN_CLIENT,
  MS_EXPORT_ERROR_PROGRAM_RUNNING,
  MS_EXPORT_ERROR_PROGRAM_NOT_SET_UP,
  MS_EXPORT_ERROR_UNSUPPORTED,
  MS_EXPORT_ERROR_NEEDS_PASSWORD,
  MS_EXPORT_ERROR_NO_SERVICE,
  MS_EXPORT_ERROR_INVALID_VALUE,
  MS_EXPORT_ERROR_SANDBOXED,
} MsExportError;

/**
 * MsExportFlags:
 * @MS_EXPORT_FLAGS_NONE: the password never goes into a file
 * @MS_EXPORT_FLAGS_INCLUDE_PASSWORD: put the password into the exported
 *   file where the format has room for it (mobileconfig, QR); the file is
 *   then 0600 and the result carries a warning. Terminal programs' files
 *   never hold it whatever this says: they fetch it from the keyring, and
 *   for a server that signs in with OAuth they run `mail-setup token`
 *   (no token goes into a file either: it expires).
 */
typedef enum
{
  MS_EXPORT_FLAGS_NONE             = 0,
  MS_EXPORT_FLAGS_INCLUDE_PASSWORD = 1 << 0,
} MsExportFlags;

/**
 * MsExportResult:
 * @paths: (element-type filename): the files written
 * @backups: (element-type filename): copies of the files they replaced
 * @warnings: (element-type utf8): translated sentences to show
 * @account_id: (nullable): the program's own id for the account (GOA's
 *   object path, Evolution's source UID …)
 */
typedef struct
{
  GPtrArray *paths;
  GPtrArray *backups;
  GPtrArray *warnings;
  char      *account_id;
} MsExportResult;

typedef struct _MsExporter MsExporter;

GQuark             ms_export_error_quark        (void);

const MsExporter * const *ms_exporter_get_all   (void);
const MsExporter  *ms_exporter_find             (const char         *id);
const char        *ms_exporter_get_id           (const MsExporter   *exporter);
const char        *ms_exporter_get_name         (const MsExporter   *exporter);
gboolean           ms_exporter_writes_file      (const MsExporter   *exporter);
const char        *ms_exporter_get_document_extension (const MsExporter *exporter);

MsExportResult    *ms_exporter_export_sync      (const MsExporter   *exporter,
                                                 MsAccountSettings  *settings,
                                                 MsSecret           *password,
                                                 MsExportFlags       flags,
                                                 const char         *output_path,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
void               ms_exporter_export_async     (const MsExporter   *exporter,
                                                 MsAccountSettings  *settings,
                                                 MsSecret           *password,
                                                 MsExportFlags       flags,
                                                 const char         *output_path,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
MsExportResult    *ms_exporter_export_finish    (GAsyncResult       *result,
                                                 GError            **error);

void               ms_export_result_free        (MsExportResult     *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsExportResult, ms_export_result_free)

G_END_DECLS
