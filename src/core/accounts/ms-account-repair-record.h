/* ms-account-repair-record.h: what a repair wrote, kept so it can be undone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-existing-account.h"
#include "ms-mail-program-private.h"

G_BEGIN_DECLS

/* The most files one repair rewrites (Evolution: an account, its identity
 * and its transport); a record naming more is not one of ours. */
#define MS_REPAIR_RECORD_MAX_FILES 8

/* The most keyring items one repair adds (one per server), and the most
 * attributes each has. */
#define MS_REPAIR_RECORD_MAX_KEYRING 2
#define MS_REPAIR_RECORD_MAX_ATTRIBUTES 8

typedef struct
{
  char *path;
  char *backup;
  char *sha256;
} MsRepairRecordFile;

typedef struct _MsRepairRecord MsRepairRecord;

MsRepairRecord    *ms_repair_record_new         (MsExistingAccount  *account,
                                                 const char         *address);
void               ms_repair_record_free        (MsRepairRecord     *record);
void               ms_repair_record_add_file    (MsRepairRecord     *record,
                                                 const char         *path,
                                                 const char         *backup,
                                                 const char         *contents,
                                                 gsize               length);
char              *ms_repair_record_save        (MsRepairRecord     *record,
                                                 GError            **error);
MsRepairRecord    *ms_repair_record_load_last   (const char         *address,
                                                 gboolean            has_program,
                                                 MsMailProgram       program,
                                                 GError            **error);
const char        *ms_repair_record_get_path    (MsRepairRecord     *record);
MsExistingAccount *ms_repair_record_get_account (MsRepairRecord     *record);
GPtrArray         *ms_repair_record_get_files   (MsRepairRecord     *record);
/* The keyring items the repair added (MsPasswordLocation), which the undo
 * removes. */
void               ms_repair_record_add_keyring (MsRepairRecord     *record,
                                                 MsPasswordLocation *location);
GPtrArray         *ms_repair_record_get_keyring (MsRepairRecord     *record);

gboolean           ms_account_repair_check_running (const MsMailProgramBackend  *backend,
                                                    MsExistingAccount           *account,
                                                    GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsRepairRecord, ms_repair_record_free)

G_END_DECLS
