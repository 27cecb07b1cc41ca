/* ms-exporter.c: write a tested account into another mail program
 *
 * Every exporter is a plain table entry with one blocking run function;
 * the async wrapper runs it in a thread, since writing files and talking
 * to a keyring or a D-Bus service block. Shared helpers make every file
 * write atomic, backed up, and scoped to the one account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-host-paths.h"
#include "ms-safe-file.h"

G_DEFINE_QUARK (ms-export-error-quark, ms_export_error)

static const MsExporter * const exporters[] = {
  &ms_export_thunderbird,
  &ms_export_evolution,
  &ms_export_goa,
  &ms_export_geary,
  &ms_export_mobileconfig,
  &ms_export_qr,
  &ms_export_autodiscover,
  &ms_export_pdf,
  &ms_export_msmtp,
  &ms_export_mbsync,
  &ms_export_neomutt,
  &ms_export_aerc,
  NULL
};

/**
 * ms_exporter_get_all:
 *
 * Returns: (transfer none): the exporters, %NULL-terminated
 */
const MsExporter * const *
ms_exporter_get_all (void)
{
  return exporters;
}

const MsExporter *
ms_exporter_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; exporters[i] != NULL; i++)
    if (g_str_equal (exporters[i]->id, id))
      return exporters[i];

  return NULL;
}

const char *
ms_exporter_get_id (const MsExporter *exporter)
{
  g_return_val_if_fail (exporter != NULL, NULL);

  return exporter->id;
}

/**
 * ms_exporter_get_name:
 *
 * Returns: the program's translated name
 */
const char *
ms_exporter_get_name (const MsExporter *exporter)
{
  g_return_val_if_fail (exporter != NULL, NULL);

  return _(exporter->name);
}

gboolean
ms_exporter_writes_file (const MsExporter *exporter)
{
  g_return_val_if_fail (exporter != NULL, FALSE);

  return exporter->writes_file;
}

/**
 * ms_exporter_get_document_extension:
 *
 * Returns: (nullable): the file ending of a file the person saves where
 *   they choose (a PDF, a QR code image), %NULL for an exporter that
 *   writes another program's own files in place
 */
const char *
ms_exporter_get_document_extension (const MsExporter *exporter)
{
  g_return_val_if_fail (exporter != NULL, NULL);

  return exporter->document_extension;
}

static MsExportResult *
ms_export_result_new (void)
{
  MsExportResult *result = g_new0 (MsExportResult, 1);

  result->paths = g_ptr_array_new_with_free_func (g_free);
  result->backups = g_ptr_array_new_with_free_func (g_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);

  return result;
}

void
ms_export_result_free (MsExportResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->paths, g_ptr_array_unref);
  g_clear_pointer (&result->backups, g_ptr_array_unref);
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_clear_pointer (&result->account_id, g_free);
  g_free (result);
}

static gboolean
check_server (const MsServer  *server,
              const char      *format,
              GError         **error)
{
  return ms_export_syntax_check_hostname (server->hostname, _("the server name"), format, error) &&
         (server->username == NULL ||
          ms_export_syntax_check_text (server->username, _("the user name"), format, error));
}

/**
 * ms_export_check_settings:
 * @format: the program or file, for the error
 *
 * The second wall behind ms-validate, for every exporter whatever its
 * format: no value with a control character (a line break), invalid
 * UTF-8 or an impossible length, no server name that is not one.
 */
gboolean
ms_export_check_settings (MsAccountSettings  *settings,
                          const char         *format,
                          GError            **error)
{
  return ms_export_syntax_check_text (settings->address, _("the email address"), format, error) &&
         (settings->display_name == NULL ||
          ms_export_syntax_check_text (settings->display_name, _("the name"), format, error)) &&
         (settings->provider_name == NULL ||
          ms_export_syntax_check_text (settings->provider_name, _("the provider’s name"), format, error)) &&
         (settings->support_phone == NULL ||
          ms_export_syntax_check_text (settings->support_phone, _("the support phone number"), format, error)) &&
         (settings->ca_file == NULL ||
          ms_export_syntax_check_path (settings->ca_file, _("the certificate file"), format, error)) &&
         check_server (settings->incoming, format, error) &&
         check_server (settings->outgoing, format, error);
}

/**
 * ms_exporter_export_sync:
 * @password: (nullable): the account's password, for the program's
 *   keyring entries and, with %MS_EXPORT_FLAGS_INCLUDE_PASSWORD, the file
 * @output_path: (nullable): write the file here instead of the program's
 *   own place (only for exporters that write a file)
 *
 * Blocks; call it from a thread or the command line.
 */
MsExportResult *
ms_exporter_export_sync (const MsExporter   *exporter,
                         MsAccountSettings  *settings,
                         MsSecret           *password,
                         MsExportFlags       flags,
                         const char         *output_path,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(MsExportResult) result = ms_export_result_new ();
  MsExportContext context = { 0 };

  g_return_val_if_fail (exporter != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  if (output_path != NULL && !exporter->writes_file)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("%s is set up through its own service, not a file, so it takes no output file"),
                   _(exporter->name));
      return NULL;
    }

  if (!ms_export_check_settings (settings, _(exporter->name), error))
    return NULL;

  context.settings = settings;
  context.password = password;
  context.flags = flags;
  context.output_path = output_path;
  context.cancellable = cancellable;
  context.result = result;

  if (!exporter->run (&context, error))
    return NULL;

  return g_steal_pointer (&result);
}

typedef struct
{
  const MsExporter  *exporter;
  MsAccountSettings *settings;
  MsSecret          *password;
  MsExportFlags      flags;
  char              *output_path;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_pointer (&data->settings, ms_account_settings_unref);
  g_clear_pointer (&data->password, ms_secret_unref);
  g_clear_pointer (&data->output_path, g_free);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;
  MsExportResult *result;

  result = ms_exporter_export_sync (data->exporter, data->settings, data->password,
                                    data->flags, data->output_path, cancellable, &error);
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) ms_export_result_free);
  else
    g_task_return_error (task, error);
}

void
ms_exporter_export_async (const MsExporter    *exporter,
                          MsAccountSettings   *settings,
                          MsSecret            *password,
                          MsExportFlags        flags,
                          const char          *output_path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (exporter != NULL);
  g_return_if_fail (settings != NULL);

  data = g_new0 (ExportData, 1);
  data->exporter = exporter;
  data->settings = ms_account_settings_ref (settings);
  data->password = password != NULL ? ms_secret_ref (password) : NULL;
  data->flags = flags;
  data->output_path = g_strdup (output_path);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_exporter_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

MsExportResult *
ms_exporter_export_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_exporter_export_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ms_export_add_warning (MsExportContext *context,
                       const char      *warning)
{
  g_ptr_array_add (context->result->warnings, g_strdup (warning));
}

/* Whether to put the password into the file; warns when it does. */
gboolean
ms_export_include_password (MsExportContext *context)
{
  if (!(context->flags & MS_EXPORT_FLAGS_INCLUDE_PASSWORD) || context->password == NULL)
    return FALSE;

  ms_export_add_warning (context,
                         _("The file holds your password: it is readable only by you. Delete it once it has been imported, and never send it by email."));
  return TRUE;
}

gboolean
ms_export_write_file (MsExportContext  *context,
                      const char       *path,
                      const char       *contents,
                      gsize             length,
                      gboolean          private_file,
                      GError          **error)
{
  g_autofree char *backup = NULL;
  MsAtomicFileFlags flags = MS_ATOMIC_FILE_BACKUP;

  if (private_file)
    flags |= MS_ATOMIC_FILE_PRIVATE;

  /* Inside a Flatpak a place without a filesystem permission is the
   * sandbox's own tmpfs: the write would succeed and be lost. */
  if (!ms_host_paths_can_write (path))
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_SANDBOXED,
                   _("Mail Setup runs as a Flatpak that may not write %s, so nothing was written: "
                     "the file would stay inside its sandbox, where no other program reads it."),
                   path);
      return FALSE;
    }

  if (!ms_atomic_file_replace (path, contents, length, flags, &backup, error))
    return FALSE;

  g_ptr_array_add (context->result->paths, g_strdup (path));
  if (backup != NULL)
    g_ptr_array_add (context->result->backups, g_steal_pointer (&backup));

  return TRUE;
}

char *
ms_export_replace_block (const char *original,
                         const char *comment,
                         const char *address,
                         const char *block)
{
  g_autofree char *begin = g_strdup_printf ("%s BEGIN Mail Setup %s\n", comment, address);
  g_autofree char *end = g_strdup_printf ("%s END Mail Setup %s\n", comment, address);
  GString *out = g_string_new (NULL);
  const char *start = NULL;
  const char *stop = NULL;

  if (original != NULL)
    {
      /* Only whole lines count as markers. */
      for (const char *p = original; p != NULL && *p != '\0'; )
        {
          if (start == NULL && g_str_has_prefix (p, begin))
            start = p;
          else if (start != NULL && g_str_has_prefix (p, end))
            {
              stop = p + strlen (end);
              break;
            }
          p = strchr (p, '\n');
          if (p != NULL)
            p++;
        }
    }

  if (start != NULL && stop != NULL)
    {
      g_string_append_len (out, original, start - original);
      g_string_append_printf (out, "%s%s%s", begin, block, end);
      g_string_append (out, stop);
    }
  else
    {
      if (original != NULL && *original != '\0')
        {
          g_string_append (out, original);
          if (!g_str_has_suffix (original, "\n"))
            g_string_append_c (out, '\n');
          g_string_append_c (out, '\n');
        }
      g_string_append_printf (out, "%s%s%s", begin, block, end);
    }

  return g_string_free (out, FALSE);
}

/**
 * ms_export_read_existing:
 * @contents: (out) (transfer full) (nullable): the file, %NULL when there is none
 *
 * Reads the configuration file an export is about to change. Never blocks
 * on a FIFO or reads a device: the path may be anything.
 */
gboolean
ms_export_read_existing (const char  *path,
                         char       **contents,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *contents = NULL;
  if (!ms_atomic_file_check (path, error))
    return FALSE;
  if (!ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                          contents, NULL, NULL, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

gboolean
ms_export_write_block (MsExportContext  *context,
                       const char       *path,
                       const char       *comment,
                       const char       *block,
                       gboolean          private_file,
                       GError          **error)
{
  g_autofree char *original = NULL;
  g_autofree char *contents = NULL;

  if (!ms_export_read_existing (path, &original, error))
    return FALSE;

  contents = ms_export_replace_block (original, comment, context->settings->address, block);

  return ms_export_write_file (context, path, contents, strlen (contents), private_file, error);
}

static char *
default_document_path (MsAccountSettings *settings,
                       const char        *extension)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autofree char *name = NULL;

  if (dir == NULL)
    dir = ms_host_paths_get_home ();

  name = g_strdup_printf ("%s.%s", settings->address, extension);
  g_strdelimit (name, "/\\", '_');

  return g_build_filename (dir, name, NULL);
}

/* @parts: (array zero-terminated=1): at least one */
char *
ms_export_target_pathv (MsExportContext   *context,
                        MsExportTarget     target,
                        const char *const *parts)
{
  g_autoptr(GPtrArray) path = NULL;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (parts != NULL && parts[0] != NULL, NULL);

  if (context->output_path != NULL)
    return g_strdup (context->output_path);

  if (target == MS_EXPORT_TARGET_DOCUMENT)
    return default_document_path (context->settings, parts[0]);

  path = g_ptr_array_new ();
  /* The host's folders: inside a Flatpak, g_get_user_config_dir () is the
   * sandbox's own, where the program we write for never looks. */
  g_ptr_array_add (path, (gpointer) (target == MS_EXPORT_TARGET_CONFIG ? ms_host_paths_get_config_dir ()
                                                                        : ms_host_paths_get_home ()));
  for (guint i = 0; parts[i] != NULL; i++)
    g_ptr_array_add (path, (gpointer) parts[i]);
  g_ptr_array_add (path, NULL);

  return g_build_filenamev ((char **) path->pdata);
}

char *
ms_export_target_path (MsExportContext *context,
                       MsExportTarget   target,
                       const char      *first_part,
                       ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  va_start (args, first_part);
  for (const char *part = first_part; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return ms_export_target_pathv (context, target, (const char *const *) parts->pdata);
}

gboolean
ms_export_write_config_block (MsExportContext   *context,
                              MsExportTarget     target,
                              const char *const *parts,
                              char              *block,
                              GError           **error)
{
  g_autofree char *owned = block;
  g_autofree char *path = NULL;

  if (owned == NULL)
    return FALSE;

  path = ms_export_target_pathv (context, target, parts);

  return ms_export_write_block (context, path, "#", owned, TRUE, error);
}
