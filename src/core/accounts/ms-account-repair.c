/* ms-account-repair.c: change an existing account in place, and undo it
 *
 * The plan is what the person agrees to; apply does every read, transform
 * and check before the first write, so a refusal changes nothing. The
 * writes themselves go through ms-atomic-file.h (backup first, atomic
 * replace), and a failure half-way puts back the files already written.
 * The undo record (ms-account-repair-record.c) names each file, its backup
 * and the SHA-256 of what the repair wrote, so an undo never clobbers a
 * change made since.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ms-account-repair-password.h"
#include "ms-account-repair-private.h"
#include "ms-account-repair-record.h"
#include "ms-atomic-file.h"
#include "ms-export-security.h"
#include "ms-exporter.h"
#include "ms-json.h"
#include "ms-safe-file.h"
#include "ms-untrusted-text.h"

struct _MsRepairPlan
{
  GObject                     parent_instance;

  const MsMailProgramBackend *backend;
  MsExistingAccount          *account;
  MsAccountSettings          *target;
  GPtrArray                  *changes;
  GPtrArray                  *sharing;
  MsSecret                   *password;
  GStrv                       files;
  GPtrArray                  *backups;
  GPtrArray                  *warnings;
  char                       *record;
};

G_DEFINE_FINAL_TYPE (MsRepairPlan, ms_repair_plan, G_TYPE_OBJECT)

static void
repair_change_free (MsRepairChange *change)
{
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change->label);
  g_free (change->old_shown);
  g_free (change->new_shown);
  g_free (change);
}

static void
ms_repair_plan_finalize (GObject *object)
{
  MsRepairPlan *self = MS_REPAIR_PLAN (object);

  g_clear_pointer (&self->account, ms_existing_account_unref);
  g_clear_pointer (&self->target, ms_account_settings_unref);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_pointer (&self->sharing, g_ptr_array_unref);
  g_clear_pointer (&self->password, ms_secret_unref);
  g_clear_pointer (&self->files, g_strfreev);
  g_clear_pointer (&self->backups, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->record, g_free);

  G_OBJECT_CLASS (ms_repair_plan_parent_class)->finalize (object);
}

static void
ms_repair_plan_class_init (MsRepairPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_repair_plan_finalize;
}

static void
ms_repair_plan_init (MsRepairPlan *self)
{
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) repair_change_free);
  self->sharing = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_existing_account_unref);
  self->backups = g_ptr_array_new_with_free_func (g_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
}

/* A value as the person reads it: the words the PDF sheet uses for the
 * security, "(none)" for a missing username. */
static char *
shown_value (const char *field,
             const char *value)
{
  MsSecurity security;

  if (value == NULL)
    return g_strdup (_("(none)"));
  if (g_str_has_suffix (field, ".security") && ms_security_from_string (value, &security))
    return g_strdup (_(ms_export_security_word (MS_EXPORT_SECURITY_PDF, security)));

  return ms_untrusted_text_sanitize (value, MS_UNTRUSTED_TEXT_MAX_BYTES);
}

/* The label of a wizard's row: the server names its side, the other
 * rows sit under it. */
static const char *
row_label (const char *side,
           const char *name)
{
  if (g_str_equal (name, "hostname"))
    return g_str_equal (side, "incoming") ? _("Incoming server") : _("Outgoing server");
  if (g_str_equal (name, "port"))
    return _("Port");
  if (g_str_equal (name, "security"))
    return _("Security");

  return _("User name");
}

static void
add_change (MsRepairPlan *self,
            const char   *side,
            const char   *name,
            const char   *old_value,
            const char   *new_value)
{
  MsRepairChange *change;

  if (g_strcmp0 (old_value, new_value) == 0)
    return;

  change = g_new0 (MsRepairChange, 1);
  change->field = g_strconcat (side, ".", name, NULL);
  change->old_value = g_strdup (old_value);
  change->new_value = g_strdup (new_value);
  change->label = g_strdup (row_label (side, name));
  change->old_shown = shown_value (change->field, old_value);
  change->new_shown = shown_value (change->field, new_value);
  g_ptr_array_add (self->changes, change);
}

/* Host names compare without case: "IMAP.charter.net" and
 * "imap.charter.net" are one server, and rewriting one into the other
 * would be a change the person cannot see a reason for. */
static void
add_server_changes (MsRepairPlan   *self,
                    const char     *side,
                    const MsServer *current,
                    const MsServer *target)
{
  g_autofree char *old_port = g_strdup_printf ("%u", current->port);
  g_autofree char *new_port = g_strdup_printf ("%u", target->port);

  if (g_ascii_strcasecmp (current->hostname, target->hostname) != 0)
    add_change (self, side, "hostname", current->hostname, target->hostname);
  add_change (self, side, "port", old_port, new_port);
  add_change (self, side, "security", ms_security_to_string (current->security),
              ms_security_to_string (target->security));
  add_change (self, side, "username", current->username, target->username);
}

static gboolean
check_protocol (const MsServer  *current,
                const MsServer  *target,
                GError         **error)
{
  if (current->protocol == target->protocol)
    return TRUE;

  g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
               _("The account uses %s and the working settings %s: a repair keeps the account’s kind of server, so set the account up anew instead"),
               ms_protocol_to_string (current->protocol), ms_protocol_to_string (target->protocol));
  return FALSE;
}

static gboolean
has_outgoing_change (MsRepairPlan *self)
{
  for (guint i = 0; i < self->changes->len; i++)
    {
      MsRepairChange *change = g_ptr_array_index (self->changes, i);

      if (g_str_has_prefix (change->field, "outgoing."))
        return TRUE;
    }

  return FALSE;
}

/* The program's other accounts that send through the same outgoing
 * server entry (Thunderbird's identities of one profile naming one
 * mail.smtpserver branch): the change is theirs too, and the plan says so. */
static void
find_sharing (MsRepairPlan *self)
{
  g_autoptr(MsAccountPlaces) places = NULL;
  g_autoptr(MsAccountInventory) inventory = NULL;
  GPtrArray *accounts;

  if (self->account->outgoing_key == NULL || self->backend->read == NULL || !has_outgoing_change (self))
    return;

  places = ms_account_places_new_default ();
  inventory = ms_account_inventory_new ();
  self->backend->read (places, inventory, NULL);
  accounts = ms_account_inventory_get_accounts (inventory);
  for (guint i = 0; i < accounts->len; i++)
    {
      MsExistingAccount *other = g_ptr_array_index (accounts, i);

      if (other->program == self->account->program &&
          g_strcmp0 (other->key, self->account->key) != 0 &&
          g_strcmp0 (other->profile, self->account->profile) == 0 &&
          g_strcmp0 (other->outgoing_location, self->account->outgoing_location) == 0 &&
          g_strcmp0 (other->outgoing_key, self->account->outgoing_key) == 0)
        g_ptr_array_add (self->sharing, ms_existing_account_ref (other));
    }
}

/**
 * ms_repair_plan_set_password:
 * @password: (nullable): the password the person gave (--password-stdin),
 *   stored where the repair gives a server a login it had none
 */
void
ms_repair_plan_set_password (MsRepairPlan *self,
                             MsSecret     *password)
{
  g_return_if_fail (MS_IS_REPAIR_PLAN (self));

  g_clear_pointer (&self->password, ms_secret_unref);
  if (password != NULL)
    self->password = ms_secret_ref (password);
}

/**
 * ms_repair_plan_get_sharing:
 *
 * Returns: (transfer none) (element-type MsExistingAccount): the program's
 *   other accounts that use the outgoing server being changed (Thunderbird:
 *   one SMTP server for several accounts of a profile); the repair changes
 *   it for them too
 */
GPtrArray *
ms_repair_plan_get_sharing (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->sharing;
}

/**
 * ms_repair_plan_new_for_backend:
 * @backend: the program's backend (a test's own, or the program's)
 *
 * Returns: (transfer full): the plan, or %NULL when @backend cannot repair
 *   (MS_EXPORT_ERROR_UNSUPPORTED) or @target is another kind of server
 */
MsRepairPlan *
ms_repair_plan_new_for_backend (const MsMailProgramBackend *backend,
                                MsExistingAccount          *account,
                                MsAccountSettings          *target,
                                GError                    **error)
{
  g_autoptr(MsRepairPlan) self = NULL;

  g_return_val_if_fail (backend != NULL, NULL);
  g_return_val_if_fail (account != NULL && target != NULL, NULL);
  g_return_val_if_fail (target->incoming != NULL && target->outgoing != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (backend->files == NULL || backend->update == NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("Mail Setup cannot change %s’s accounts yet"),
                   ms_mail_program_get_name (account->program));
      return NULL;
    }
  if ((account->incoming != NULL && !check_protocol (account->incoming, target->incoming, error)) ||
      (account->outgoing != NULL && !check_protocol (account->outgoing, target->outgoing, error)))
    return NULL;

  self = g_object_new (MS_TYPE_REPAIR_PLAN, NULL);
  self->backend = backend;
  self->account = ms_existing_account_ref (account);
  self->target = ms_account_settings_ref (target);
  self->files = backend->files (account);
  if (self->files == NULL)
    self->files = g_new0 (char *, 1);

  if (account->incoming != NULL)
    add_server_changes (self, "incoming", account->incoming, target->incoming);
  if (account->outgoing != NULL)
    add_server_changes (self, "outgoing", account->outgoing, target->outgoing);
  find_sharing (self);

  return g_steal_pointer (&self);
}

/**
 * ms_repair_plan_new:
 * @account: the account as its program has it
 * @target: the settings that work (the doctor's recommendation)
 *
 * Returns: (transfer full): what a repair would change, or %NULL with
 *   @error when the program's accounts cannot be repaired
 */
MsRepairPlan *
ms_repair_plan_new (MsExistingAccount  *account,
                    MsAccountSettings  *target,
                    GError            **error)
{
  g_return_val_if_fail (account != NULL, NULL);

  return ms_repair_plan_new_for_backend (ms_mail_program_get_backend (account->program),
                                         account, target, error);
}

/**
 * ms_repair_plan_get_account:
 *
 * Returns: (transfer none): the account to repair
 */
MsExistingAccount *
ms_repair_plan_get_account (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->account;
}

/**
 * ms_repair_plan_get_target:
 *
 * Returns: (transfer none): the settings the account gets
 */
MsAccountSettings *
ms_repair_plan_get_target (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->target;
}

/**
 * ms_repair_plan_get_changes:
 *
 * Returns: (transfer none) (element-type MsRepairChange): what changes;
 *   empty when the account already has the settings
 */
GPtrArray *
ms_repair_plan_get_changes (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->changes;
}

/**
 * ms_repair_plan_get_files:
 *
 * Returns: (transfer none): the files a repair rewrites
 */
GStrv
ms_repair_plan_get_files (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->files;
}

/**
 * ms_repair_plan_get_backups:
 *
 * Returns: (transfer none) (element-type filename): after a successful
 *   apply, the copies of the files it replaced
 */
GPtrArray *
ms_repair_plan_get_backups (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->backups;
}

/**
 * ms_repair_plan_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): after apply, translated
 *   sentences to show (a program that could not be told to reload)
 */
GPtrArray *
ms_repair_plan_get_warnings (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->warnings;
}

/**
 * ms_repair_plan_get_record:
 *
 * Returns: (nullable): after a successful apply, the undo record's file
 */
const char *
ms_repair_plan_get_record (MsRepairPlan *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  return self->record;
}

/**
 * ms_repair_plan_to_json:
 *
 * Returns: (transfer full): `{account, changes: [{field, old, new}], files}`
 *   (docs/cli-json.md)
 */
JsonNode *
ms_repair_plan_to_json (MsRepairPlan *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account");
  json_builder_add_value (builder, ms_existing_account_to_json (self->account));
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->changes->len; i++)
    {
      MsRepairChange *change = g_ptr_array_index (self->changes, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, change->field);
      ms_json_add_text (builder, "old", change->old_value);
      ms_json_add_text (builder, "new", change->new_value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "also_used_by");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->sharing->len; i++)
    {
      g_autofree char *id = ms_existing_account_get_id (g_ptr_array_index (self->sharing, i));

      ms_json_add_text_value (builder, id, NULL);
    }
  json_builder_end_array (builder);
  ms_json_add_strv (builder, "files", (const char * const *) self->files);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
field_label (const char *field)
{
  static const struct { const char *field; const char *label; } labels[] = {
    { "incoming.hostname", N_("Incoming server") },
    { "incoming.port",     N_("Incoming port") },
    { "incoming.security", N_("Incoming encryption") },
    { "incoming.username", N_("Incoming username") },
    { "outgoing.hostname", N_("Outgoing server") },
    { "outgoing.port",     N_("Outgoing port") },
    { "outgoing.security", N_("Outgoing encryption") },
    { "outgoing.username", N_("Outgoing username") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].field, field))
      return _(labels[i].label);

  g_return_val_if_reached (field);
}

/* "The outgoing server is also used by …": said before the question, so
 * a yes changes the other accounts knowingly. */
static void
append_sharing (MsRepairPlan *self,
                GString      *text)
{
  if (self->sharing->len == 0)
    return;

  g_string_append_printf (text, "%s\n", _("The outgoing server is also used by these accounts, and changes for them too:"));
  for (guint i = 0; i < self->sharing->len; i++)
    {
      MsExistingAccount *other = g_ptr_array_index (self->sharing, i);
      g_autofree char *id = ms_existing_account_get_id (other);
      g_autofree char *shown = ms_untrusted_text_sanitize (other->address != NULL ? other->address : id,
                                                           MS_UNTRUSTED_TEXT_MAX_BYTES);
      g_autofree char *key = ms_untrusted_text_sanitize (other->key, MS_UNTRUSTED_TEXT_MAX_BYTES);

      /* Translators: an email address, then the program's name for the account. */
      g_string_append_printf (text, _("  also used by %s (account %s)\n"), shown, key);
    }
}

/**
 * ms_repair_plan_to_text:
 *
 * Returns: (transfer full): the changes and the files, for a terminal
 */
char *
ms_repair_plan_to_text (MsRepairPlan *self)
{
  GString *text = g_string_new (NULL);
  g_autofree char *address = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), NULL);

  address = ms_untrusted_text_sanitize (self->account->address != NULL ? self->account->address
                                                                        : self->target->address,
                                        MS_UNTRUSTED_TEXT_MAX_BYTES);
  key = ms_untrusted_text_sanitize (self->account->key, MS_UNTRUSTED_TEXT_MAX_BYTES);

  if (self->changes->len == 0)
    {
      /* Translators: %s is an email address, then a program (Thunderbird). */
      g_string_append_printf (text, _("%s in %s already has these settings: nothing to change.\n"),
                              address, ms_mail_program_get_name (self->account->program));
      return g_string_free (text, FALSE);
    }

  /* Translators: an email address, a program (Thunderbird), the program's name for the account. */
  g_string_append_printf (text, _("Changes to %s in %s (account %s):\n"),
                          address, ms_mail_program_get_name (self->account->program), key);
  for (guint i = 0; i < self->changes->len; i++)
    {
      MsRepairChange *change = g_ptr_array_index (self->changes, i);

      g_string_append_printf (text, "  %s: %s → %s\n", field_label (change->field),
                              change->old_shown, change->new_shown);
    }

  append_sharing (self, text);
  g_string_append_printf (text, "%s\n", _("Files to change (a copy of each is kept first):"));
  for (guint i = 0; self->files[i] != NULL; i++)
    {
      g_autofree char *path = ms_untrusted_text_sanitize (self->files[i], MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

      g_string_append_printf (text, "  %s\n", path);
    }

  return g_string_free (text, FALSE);
}

/* One file's contents before and after, all found before the first write. */
typedef struct
{
  char  *path;
  char  *old_contents;
  gsize  old_length;
  char  *new_contents;
  gsize  new_length;
  char  *backup;
} PendingFile;

static void
pending_file_free (PendingFile *file)
{
  g_free (file->path);
  g_free (file->old_contents);
  g_free (file->new_contents);
  g_free (file->backup);
  g_free (file);
}

/* Shared with the undo: the backend's own sentence for why not. */
gboolean
ms_account_repair_check_running (const MsMailProgramBackend  *backend,
                                 MsExistingAccount           *account,
                                 GError                     **error)
{
  g_autofree char *why = NULL;

  if (backend->is_running == NULL || !backend->is_running (account, &why))
    return TRUE;

  g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_RUNNING,
                       why != NULL ? why : _("The program is running: close it and try again"));
  return FALSE;
}

static PendingFile *
prepare_file (MsRepairPlan  *self,
              const char    *path,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  PendingFile *file = g_new0 (PendingFile, 1);

  file->path = g_strdup (path);
  if (!ms_atomic_file_check (path, error) ||
      !ms_safe_file_read (path, MS_SAFE_FILE_CONFIG_MAX_SIZE, MS_SAFE_FILE_NONE,
                          &file->old_contents, &file->old_length, NULL, error))
    {
      pending_file_free (file);
      return NULL;
    }

  file->new_contents = self->backend->update (self->account, self->target, path,
                                              file->old_contents, file->old_length, &local_error);
  if (file->new_contents == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                     _("%s could not be changed"), path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      pending_file_free (file);
      return NULL;
    }
  file->new_length = strlen (file->new_contents);

  return file;
}

/* Every read and transform, then the running check last, nearest the
 * writes: a program started while the person read the plan still counts. */
static GPtrArray *
prepare_files (MsRepairPlan  *self,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_file_free);

  if (!ms_account_repair_check_running (self->backend, self->account, error))
    return NULL;

  for (guint i = 0; self->files[i] != NULL; i++)
    {
      PendingFile *file;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      file = prepare_file (self, self->files[i], error);
      if (file == NULL)
        return NULL;
      g_ptr_array_add (files, file);
    }

  if (!ms_account_repair_check_running (self->backend, self->account, error))
    return NULL;

  return g_steal_pointer (&files);
}

/* Puts the first @n_written files back as they were, and removes the
 * backups this attempt made (the failed write's own copy too, of a file
 * that did not change): nothing of it stays. */
static void
roll_back (GPtrArray *files,
           guint      n_written)
{
  if (n_written < files->len)
    {
      PendingFile *failed = g_ptr_array_index (files, n_written);

      if (failed->backup != NULL)
        g_unlink (failed->backup);
      g_clear_pointer (&failed->backup, g_free);
    }

  for (guint i = 0; i < n_written; i++)
    {
      PendingFile *file = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;

      if (!ms_atomic_file_replace (file->path, file->old_contents, file->old_length,
                                   MS_ATOMIC_FILE_NONE, NULL, &error))
        {
          g_warning ("Could not put %s back (its copy is %s): %s",
                     file->path, file->backup, error->message);
          continue;
        }
      if (file->backup != NULL)
        g_unlink (file->backup);
    }
}

static gboolean
write_files (GPtrArray  *files,
             guint      *n_written,
             GError    **error)
{
  for (*n_written = 0; *n_written < files->len; (*n_written)++)
    {
      PendingFile *file = g_ptr_array_index (files, *n_written);

      if (!ms_atomic_file_replace (file->path, file->new_contents, file->new_length,
                                   MS_ATOMIC_FILE_BACKUP, &file->backup, error))
        return FALSE;
    }

  return TRUE;
}

static MsRepairRecord *
record_for (MsRepairPlan *self,
            GPtrArray    *files)
{
  MsRepairRecord *record = ms_repair_record_new (self->account, self->target->address);

  for (guint i = 0; i < files->len; i++)
    {
      PendingFile *file = g_ptr_array_index (files, i);

      ms_repair_record_add_file (record, file->path, file->backup,
                                 file->new_contents, file->new_length);
    }

  return record;
}

static void
reload (const MsMailProgramBackend *backend,
        MsExistingAccount          *account,
        GPtrArray                  *warnings,
        GCancellable               *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (backend->reload == NULL || backend->reload (account, cancellable, &error))
    return;

  g_ptr_array_add (warnings,
                   /* Translators: %s is a program (Evolution), then why. */
                   g_strdup_printf (_("The files were changed, but %s could not be told to read them again: %s"),
                                    ms_mail_program_get_name (account->program), error->message));
}

/**
 * ms_repair_plan_apply_sync:
 *
 * Returns: %TRUE when every file was changed and the undo record kept;
 *   %FALSE with nothing changed otherwise
 */
gboolean
ms_repair_plan_apply_sync (MsRepairPlan  *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(MsRepairRecord) record = NULL;
  g_autoptr(GPtrArray) added = NULL;
  guint n_written = 0;

  g_return_val_if_fail (MS_IS_REPAIR_PLAN (self), FALSE);
  g_return_val_if_fail (self->record == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  files = prepare_files (self, cancellable, error);
  if (files == NULL)
    return FALSE;

  if (!write_files (files, &n_written, error))
    {
      roll_back (files, n_written);
      return FALSE;
    }

  /* Without its record a repair could not be undone: that is a failure
   * too, and the files go back, and the keyring items it added go. */
  record = record_for (self, files);
  added = ms_repair_password_follow (self->account, self->target, self->password,
                                     self->warnings, cancellable);
  for (guint i = 0; i < added->len; i++)
    ms_repair_record_add_keyring (record, g_ptr_array_index (added, i));
  self->record = ms_repair_record_save (record, error);
  if (self->record == NULL)
    {
      roll_back (files, n_written);
      ms_repair_password_remove (added);
      return FALSE;
    }

  for (guint i = 0; i < files->len; i++)
    {
      PendingFile *file = g_ptr_array_index (files, i);

      if (file->backup != NULL)
        g_ptr_array_add (self->backups, g_strdup (file->backup));
    }

  reload (self->backend, self->account, self->warnings, cancellable);

  return TRUE;
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (ms_repair_plan_apply_sync (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Files and D-Bus reloads may block: a worker thread, never the main loop. */
void
ms_repair_plan_apply_async (MsRepairPlan        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MS_IS_REPAIR_PLAN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_repair_plan_apply_async);
  g_task_run_in_thread (task, apply_thread);
}

gboolean
ms_repair_plan_apply_finish (MsRepairPlan  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
