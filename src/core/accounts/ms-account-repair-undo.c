/* ms-account-repair-undo.c: put back the files the last repair replaced
 *
 * Every file must still be exactly what the repair wrote (its SHA-256 in
 * the record): anything else means the person or the program changed it
 * since, and putting the backup over that would lose their change. As with
 * the repair, all checks come before the first write, and a failure
 * half-way puts the files already restored back as the repair left them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ms-account-repair-password.h"
#include "ms-account-repair-private.h"
#include "ms-account-repair-record.h"
#include "ms-atomic-file.h"
#include "ms-exporter.h"
#include "ms-safe-file.h"

typedef struct
{
  const char *path;
  char       *repaired;  /* what is there now: what the repair wrote */
  gsize       repaired_length;
  char       *backup;    /* what goes back */
  gsize       backup_length;
} RestoredFile;

static void
restored_file_free (RestoredFile *file)
{
  g_free (file->repaired);
  g_free (file->backup);
  g_free (file);
}

static RestoredFile *
prepare_restore (MsRepairRecordFile  *entry,
                 GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sha256 = NULL;
  RestoredFile *file = g_new0 (RestoredFile, 1);

  file->path = entry->path;
  if (!ms_atomic_file_check (entry->path, &local_error) ||
      !ms_safe_file_read (entry->path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                          &file->repaired, &file->repaired_length, NULL, &local_error))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("%s cannot be put back: %s. Nothing was changed"), entry->path, local_error->message);
      restored_file_free (file);
      return NULL;
    }

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) file->repaired,
                                        file->repaired_length);
  if (!g_str_equal (sha256, entry->sha256))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("%s was changed after the repair, so putting the old one back would lose that change. Nothing was changed; the old file is %s"),
                   entry->path, entry->backup);
      restored_file_free (file);
      return NULL;
    }

  /* The backup is ours, next to the file: never through a link. */
  if (!ms_safe_file_read (entry->backup, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NOFOLLOW,
                          &file->backup, &file->backup_length, NULL, &local_error))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("The copy %s cannot be read: %s. Nothing was changed"), entry->backup, local_error->message);
      restored_file_free (file);
      return NULL;
    }

  return file;
}

static GPtrArray *
prepare_restores (const MsMailProgramBackend  *backend,
                  MsRepairRecord              *record,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  GPtrArray *entries = ms_repair_record_get_files (record);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) restored_file_free);

  if (!ms_account_repair_check_running (backend, ms_repair_record_get_account (record), error))
    return NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      RestoredFile *file;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      file = prepare_restore (g_ptr_array_index (entries, i), error);
      if (file == NULL)
        return NULL;
      g_ptr_array_add (files, file);
    }

  return g_steal_pointer (&files);
}

/* The repaired file is kept as a backup too: an undo is a change like any
 * other, and the person may want the repair back. */
static gboolean
restore_files (GPtrArray  *files,
               GError    **error)
{
  for (guint i = 0; i < files->len; i++)
    {
      RestoredFile *file = g_ptr_array_index (files, i);

      if (ms_atomic_file_replace (file->path, file->backup, file->backup_length,
                                  MS_ATOMIC_FILE_BACKUP, NULL, error))
        continue;

      for (guint j = 0; j < i; j++)
        {
          RestoredFile *done = g_ptr_array_index (files, j);
          g_autoptr(GError) back_error = NULL;

          if (!ms_atomic_file_replace (done->path, done->repaired, done->repaired_length,
                                       MS_ATOMIC_FILE_NONE, NULL, &back_error))
            g_warning ("Could not put %s back as the repair left it: %s", done->path, back_error->message);
        }
      return FALSE;
    }

  return TRUE;
}

/**
 * ms_account_repair_undo_for_backend:
 *
 * Returns: (transfer full) (element-type filename): the files put back, or
 *   %NULL with @error and nothing changed
 */
GPtrArray *
ms_account_repair_undo_for_backend (const MsMailProgramBackend  *backend,
                                    const char                  *address,
                                    gboolean                     has_program,
                                    MsMailProgram                program,
                                    GCancellable                *cancellable,
                                    GError                     **error)
{
  g_autoptr(MsRepairRecord) record = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) reload_error = NULL;
  GPtrArray *restored;
  MsExistingAccount *account;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  record = ms_repair_record_load_last (address, has_program, program, error);
  if (record == NULL)
    return NULL;
  account = ms_repair_record_get_account (record);
  if (backend == NULL)
    backend = ms_mail_program_get_backend (account->program);

  files = prepare_restores (backend, record, cancellable, error);
  if (files == NULL || !restore_files (files, error))
    return NULL;

  /* The copies of the program's keyring items go with the repair; the
   * items it found the password in were never touched. */
  ms_repair_password_remove (ms_repair_record_get_keyring (record));

  /* Done: the next undo goes one repair further back. */
  if (g_unlink (ms_repair_record_get_path (record)) != 0)
    g_debug ("Could not remove the undo record %s", ms_repair_record_get_path (record));

  if (backend->reload != NULL && !backend->reload (account, cancellable, &reload_error))
    g_message ("%s could not be told to read its files again: %s",
               ms_mail_program_get_name (account->program), reload_error->message);

  restored = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (restored, g_strdup (((RestoredFile *) g_ptr_array_index (files, i))->path));

  return restored;
}

/**
 * ms_account_repair_undo:
 * @address: the account's email address
 * @has_program: whether to look only at @program's repairs
 *
 * Refused (nothing changed) while the program runs
 * (MS_EXPORT_ERROR_PROGRAM_RUNNING), when a file changed since the repair,
 * and when the undo record is not exactly one Mail Setup wrote.
 *
 * Returns: (transfer full) (element-type filename): the files put back, or
 *   %NULL with @error
 */
GPtrArray *
ms_account_repair_undo (const char     *address,
                        gboolean        has_program,
                        MsMailProgram   program,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return ms_account_repair_undo_for_backend (NULL, address, has_program, program, cancellable, error);
}
