/* ms-account-repair-record.c: what a repair wrote, kept so it can be undone
 *
 * One JSON file per repair in $XDG_STATE_HOME/mail-setup/repairs, named
 * STAMP-PROGRAM-HASH.json (HASH: of the address, which may hold any
 * character a file name should not), mode 0600. Read back, it is hostile
 * input like any other file: an undo writes over the files it names, so a
 * record that is not private to us, names a file outside the home folder,
 * a backup that is not that file's own, or anything malformed is refused
 * whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ms-account-repair-private.h"
#include "ms-account-repair-record.h"
#include "ms-atomic-file.h"
#include "ms-exporter.h"
#include "ms-safe-file.h"
#include "ms-validate.h"

#define RECORD_VERSION 1
#define RECORD_MAX_SIZE (64 * 1024)
#define BACKUP_INFIX ".mail-setup-backup-"
#define KEY_MAX_LENGTH 1024
#define ADDRESS_HASH_LENGTH 16

struct _MsRepairRecord
{
  char              *path;
  char              *address;
  char              *time;
  MsExistingAccount *account;
  GPtrArray         *files;
  GPtrArray         *keyring;
};

static void
record_file_free (MsRepairRecordFile *file)
{
  g_free (file->path);
  g_free (file->backup);
  g_free (file->sha256);
  g_free (file);
}

static MsRepairRecord *
record_alloc (void)
{
  MsRepairRecord *record = g_new0 (MsRepairRecord, 1);

  record->files = g_ptr_array_new_with_free_func ((GDestroyNotify) record_file_free);
  record->keyring = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_password_location_unref);

  return record;
}

MsRepairRecord *
ms_repair_record_new (MsExistingAccount *account,
                      const char        *address)
{
  MsRepairRecord *record = record_alloc ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  record->account = ms_existing_account_ref (account);
  record->address = g_strdup (address);
  record->time = g_date_time_format_iso8601 (now);

  return record;
}

void
ms_repair_record_free (MsRepairRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->path);
  g_free (record->address);
  g_free (record->time);
  g_clear_pointer (&record->account, ms_existing_account_unref);
  g_ptr_array_unref (record->files);
  g_ptr_array_unref (record->keyring);
  g_free (record);
}

void
ms_repair_record_add_file (MsRepairRecord *record,
                           const char     *path,
                           const char     *backup,
                           const char     *contents,
                           gsize           length)
{
  MsRepairRecordFile *file = g_new0 (MsRepairRecordFile, 1);

  file->path = g_strdup (path);
  file->backup = g_strdup (backup);
  file->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  g_ptr_array_add (record->files, file);
}

const char *
ms_repair_record_get_path (MsRepairRecord *record)
{
  return record->path;
}

MsExistingAccount *
ms_repair_record_get_account (MsRepairRecord *record)
{
  return record->account;
}

GPtrArray *
ms_repair_record_get_files (MsRepairRecord *record)
{
  return record->files;
}

void
ms_repair_record_add_keyring (MsRepairRecord     *record,
                              MsPasswordLocation *location)
{
  g_ptr_array_add (record->keyring, ms_password_location_ref (location));
}

GPtrArray *
ms_repair_record_get_keyring (MsRepairRecord *record)
{
  return record->keyring;
}

char *
ms_account_repair_get_records_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "mail-setup", "repairs", NULL);
}

static char *
address_hash (const char *address)
{
  g_autofree char *lower = g_ascii_strdown (address, -1);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, lower, -1);

  return g_strndup (hash, ADDRESS_HASH_LENGTH);
}

static gboolean
refuse (GError     **error,
        const char  *path,
        const char  *why)
{
  /* Translators: the first %s is a file, the second why it is refused. */
  g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
               _("The undo record %s was refused: %s. Nothing was changed"), path, why);
  return FALSE;
}

/* Our own folder or file, not a link, and writable by nobody else: only
 * then does what it says come from Mail Setup. */
static gboolean
check_private (const char  *path,
               gboolean     is_dir,
               GError     **error)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return refuse (error, path, g_strerror (errno));
  if (S_ISLNK (st.st_mode))
    return refuse (error, path, _("it is a symbolic link"));
  if (is_dir ? !S_ISDIR (st.st_mode) : !S_ISREG (st.st_mode))
    return refuse (error, path, is_dir ? _("it is not a folder") : _("it is not a regular file"));
  if (st.st_uid != geteuid ())
    return refuse (error, path, _("it belongs to another user"));
  if ((st.st_mode & (is_dir ? 022 : 077)) != 0)
    return refuse (error, path, _("others may read or change it"));

  return TRUE;
}

static void
add_optional (JsonBuilder *builder,
              const char  *member,
              const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

/* "keyring": [{"schema": NAME or null, "attributes": {NAME: VALUE}}];
 * never a password, only where the copies are. */
static void
add_keyring (JsonBuilder *builder,
             GPtrArray   *keyring)
{
  json_builder_set_member_name (builder, "keyring");
  json_builder_begin_array (builder);
  for (guint i = 0; i < keyring->len; i++)
    {
      MsPasswordLocation *location = g_ptr_array_index (keyring, i);
      GHashTableIter iter;
      gpointer name, value;

      json_builder_begin_object (builder);
      add_optional (builder, "schema", location->secret_schema);
      json_builder_set_member_name (builder, "attributes");
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&iter, location->secret_attributes);
      while (g_hash_table_iter_next (&iter, &name, &value))
        add_optional (builder, name, value);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static JsonNode *
record_to_json (MsRepairRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = ms_existing_account_get_id (record->account);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, RECORD_VERSION);
  add_optional (builder, "address", record->address);
  add_optional (builder, "program", ms_mail_program_to_string (record->account->program));
  add_optional (builder, "account", id);
  add_optional (builder, "key", record->account->key);
  add_optional (builder, "location", record->account->location);
  add_optional (builder, "outgoing_key", record->account->outgoing_key);
  add_optional (builder, "outgoing_location", record->account->outgoing_location);
  add_optional (builder, "profile", record->account->profile);
  add_optional (builder, "time", record->time);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < record->files->len; i++)
    {
      MsRepairRecordFile *file = g_ptr_array_index (record->files, i);

      json_builder_begin_object (builder);
      add_optional (builder, "path", file->path);
      add_optional (builder, "backup", file->backup);
      add_optional (builder, "sha256", file->sha256);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_keyring (builder, record->keyring);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * ms_repair_record_save:
 *
 * Returns: (transfer full): the record's file, or %NULL with @error
 */
char *
ms_repair_record_save (MsRepairRecord  *record,
                       GError         **error)
{
  g_autofree char *dir = ms_account_repair_get_records_dir ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *hash = address_hash (record->address);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) node = record_to_json (record);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  if (!check_private (dir, TRUE, error))
    return NULL;

  name = g_strdup_printf ("%s%06d-%s-%s.json", stamp, g_date_time_get_microsecond (now),
                          ms_mail_program_to_string (record->account->program), hash);
  path = g_build_filename (dir, name, NULL);
  data = json_to_string (node, TRUE);
  if (!ms_atomic_file_replace (path, data, strlen (data), MS_ATOMIC_FILE_PRIVATE, NULL, error))
    return NULL;

  g_free (record->path);
  record->path = g_strdup (path);

  return g_steal_pointer (&path);
}

/* The newest record's name for @address (and @program): the names start
 * with a fixed-width time stamp, so the newest sorts last. */
static char *
find_last_name (const char     *dir_path,
                const char     *address,
                gboolean        has_program,
                MsMailProgram   program)
{
  g_autofree char *hash = address_hash (address);
  g_autofree char *suffix = g_strdup_printf ("-%s.json", hash);
  g_autofree char *with_program = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  char *last = NULL;
  const char *name;

  if (has_program)
    with_program = g_strdup_printf ("-%s-%s.json", ms_mail_program_to_string (program), hash);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_str_has_suffix (name, has_program ? with_program : suffix))
        continue;
      if (last == NULL || strcmp (name, last) > 0)
        {
          g_free (last);
          last = g_strdup (name);
        }
    }

  return last;
}

static gboolean
is_lower_hex (const char *value,
              gsize       length)
{
  if (strlen (value) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (value[i]) && !(value[i] >= 'a' && value[i] <= 'f'))
      return FALSE;

  return TRUE;
}

/* Absolute, with no "..", "." or doubled slash, inside the home folder:
 * every file a mail program keeps its accounts in is there. */
static gboolean
is_safe_path (const char *path)
{
  g_autofree char *canonical = NULL;
  g_autofree char *home = NULL;

  if (path == NULL || !ms_validate_path (path, "undo record", NULL) || !g_path_is_absolute (path))
    return FALSE;

  canonical = g_canonicalize_filename (path, NULL);
  home = g_canonicalize_filename (g_get_home_dir (), NULL);

  return g_str_equal (canonical, path) && g_str_has_prefix (path, home) &&
         path[strlen (home)] == '/' && !g_str_equal (home, "/");
}

/* The backup ms-atomic-file.h made of @path: next to it, its name with
 * the infix and a time stamp, nothing else. */
static gboolean
is_backup_of (const char *backup,
              const char *path)
{
  const char *stamp;

  if (backup == NULL || !g_str_has_prefix (backup, path) ||
      !g_str_has_prefix (backup + strlen (path), BACKUP_INFIX))
    return FALSE;

  stamp = backup + strlen (path) + strlen (BACKUP_INFIX);
  if (strlen (stamp) < 15)
    return FALSE;
  for (const char *p = stamp; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

static gboolean
is_safe_text (const char *value)
{
  if (value == NULL || *value == '\0' || strlen (value) > KEY_MAX_LENGTH ||
      !g_utf8_validate (value, -1, NULL))
    return FALSE;
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* A member that must be a string, or may be null with @optional. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     optional,
            const char **value)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return optional;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = json_node_get_string (node);

  return TRUE;
}

static gboolean
parse_file (MsRepairRecord *record,
            JsonNode       *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *path, *backup, *sha256;
  MsRepairRecordFile *file;

  if (object == NULL ||
      !get_string (object, "path", FALSE, &path) || !is_safe_path (path) ||
      !get_string (object, "backup", FALSE, &backup) || !is_backup_of (backup, path) ||
      !get_string (object, "sha256", FALSE, &sha256) || !is_lower_hex (sha256, 64))
    return FALSE;

  for (guint i = 0; i < record->files->len; i++)
    if (g_str_equal (((MsRepairRecordFile *) g_ptr_array_index (record->files, i))->path, path))
      return FALSE;

  file = g_new0 (MsRepairRecordFile, 1);
  file->path = g_strdup (path);
  file->backup = g_strdup (backup);
  file->sha256 = g_strdup (sha256);
  g_ptr_array_add (record->files, file);

  return TRUE;
}

static gboolean
parse_files (MsRepairRecord *record,
             JsonObject     *root)
{
  JsonNode *node = json_object_get_member (root, "files");
  JsonArray *array;
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length == 0 || length > MS_REPAIR_RECORD_MAX_FILES)
    return FALSE;

  for (guint i = 0; i < length; i++)
    if (!parse_file (record, json_array_get_element (array, i)))
      return FALSE;

  return TRUE;
}

static gboolean
parse_keyring_item (MsRepairRecord *record,
                    JsonNode       *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(MsPasswordLocation) location = NULL;
  JsonNode *attributes_node;
  JsonObject *attributes;
  g_autoptr(GList) names = NULL;
  const char *schema;

  if (object == NULL || !get_string (object, "schema", TRUE, &schema) ||
      (schema != NULL && !is_safe_text (schema)))
    return FALSE;
  attributes_node = json_object_get_member (object, "attributes");
  if (attributes_node == NULL || !JSON_NODE_HOLDS_OBJECT (attributes_node))
    return FALSE;
  attributes = json_node_get_object (attributes_node);
  if (json_object_get_size (attributes) == 0 || json_object_get_size (attributes) > MS_REPAIR_RECORD_MAX_ATTRIBUTES)
    return FALSE;

  location = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);
  location->secret_schema = g_strdup (schema);
  names = json_object_get_members (attributes);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value;

      if (!is_safe_text (l->data) || !get_string (attributes, l->data, FALSE, &value) || !is_safe_text (value))
        return FALSE;
      ms_password_location_add_attribute (location, l->data, value);
    }
  g_ptr_array_add (record->keyring, g_steal_pointer (&location));

  return TRUE;
}

/* Optional: records of repairs that added no keyring item have none. */
static gboolean
parse_keyring (MsRepairRecord *record,
               JsonObject     *root)
{
  JsonNode *node = json_object_get_member (root, "keyring");
  JsonArray *array;
  guint length;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length > MS_REPAIR_RECORD_MAX_KEYRING)
    return FALSE;

  for (guint i = 0; i < length; i++)
    if (!parse_keyring_item (record, json_array_get_element (array, i)))
      return FALSE;

  return TRUE;
}

/* The account the record is about, every string checked as it was when
 * the finder read it. */
static gboolean
parse_account (MsRepairRecord *record,
               JsonObject     *root,
               MsMailProgram   program)
{
  const char *id, *key, *location, *outgoing_key, *outgoing_location, *profile;
  g_autofree char *expected_id = NULL;
  MsExistingAccount *account;

  if (!get_string (root, "account", FALSE, &id) ||
      !get_string (root, "key", FALSE, &key) || !is_safe_text (key) ||
      !get_string (root, "location", FALSE, &location) || !is_safe_path (location) ||
      !get_string (root, "outgoing_key", TRUE, &outgoing_key) ||
      (outgoing_key != NULL && !is_safe_text (outgoing_key)) ||
      !get_string (root, "outgoing_location", TRUE, &outgoing_location) ||
      (outgoing_location != NULL && !is_safe_path (outgoing_location)) ||
      !get_string (root, "profile", TRUE, &profile) ||
      (profile != NULL && !is_safe_path (profile)))
    return FALSE;

  account = ms_existing_account_new (program, key, location);
  account->outgoing_key = g_strdup (outgoing_key);
  account->outgoing_location = g_strdup (outgoing_location);
  account->profile = g_strdup (profile);
  account->address = g_strdup (record->address);
  record->account = account;

  expected_id = ms_existing_account_get_id (account);

  return g_str_equal (expected_id, id);
}

static gboolean
parse_record (MsRepairRecord *record,
              JsonNode       *root_node,
              const char     *address,
              const char     *file_program)
{
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (root_node) ? json_node_get_object (root_node) : NULL;
  const char *value, *program_name, *time;
  MsMailProgram program;
  g_autoptr(GDateTime) parsed_time = NULL;
  JsonNode *version;

  if (root == NULL)
    return FALSE;
  version = json_object_get_member (root, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) != RECORD_VERSION)
    return FALSE;

  if (!get_string (root, "address", FALSE, &value) || !ms_validate_address (value, "undo record", NULL) ||
      g_ascii_strcasecmp (value, address) != 0)
    return FALSE;
  record->address = g_strdup (value);

  if (!get_string (root, "program", FALSE, &program_name) ||
      !g_str_equal (program_name, file_program) || !ms_mail_program_from_string (program_name, &program))
    return FALSE;

  if (!get_string (root, "time", FALSE, &time) || (parsed_time = g_date_time_new_from_iso8601 (time, NULL)) == NULL)
    return FALSE;
  record->time = g_strdup (time);

  return parse_account (record, root, program) && parse_files (record, root) && parse_keyring (record, root);
}

/* The program named in a record's file name, between the stamp and the
 * address hash. */
static char *
program_of_name (const char *name)
{
  const char *start = strchr (name, '-');
  const char *end = strrchr (name, '-');

  if (start == NULL || end == NULL || end <= start)
    return NULL;

  return g_strndup (start + 1, end - start - 1);
}

static MsRepairRecord *
load_record (const char  *path,
             const char  *name,
             const char  *address,
             GError     **error)
{
  g_autoptr(MsRepairRecord) record = record_alloc ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *program = program_of_name (name);
  gsize length = 0;

  if (!check_private (path, FALSE, error))
    return NULL;
  if (!ms_safe_file_read (path, RECORD_MAX_SIZE, MS_SAFE_FILE_NOFOLLOW, &contents, &length, NULL, &local_error))
    {
      refuse (error, path, local_error->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, contents, length, NULL) || program == NULL ||
      !parse_record (record, json_parser_get_root (parser), address, program))
    {
      refuse (error, path, _("it is damaged, or not one Mail Setup wrote"));
      return NULL;
    }

  record->path = g_strdup (path);

  return g_steal_pointer (&record);
}

/**
 * ms_repair_record_load_last:
 *
 * Returns: (transfer full): the last repair of @address (in @program), or
 *   %NULL with @error: none, or its record refused
 */
MsRepairRecord *
ms_repair_record_load_last (const char     *address,
                            gboolean        has_program,
                            MsMailProgram   program,
                            GError        **error)
{
  g_autofree char *dir = ms_account_repair_get_records_dir ();
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (g_file_test (dir, G_FILE_TEST_EXISTS) || g_file_test (dir, G_FILE_TEST_IS_SYMLINK))
    {
      if (!check_private (dir, TRUE, error))
        return NULL;
      name = find_last_name (dir, address, has_program, program);
    }

  if (name == NULL)
    {
      if (has_program)
        /* Translators: an email address, then a program (Thunderbird). */
        g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                     _("Mail Setup has not repaired %s in %s: there is nothing to undo"),
                     address, ms_mail_program_get_name (program));
      else
        g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                     _("Mail Setup has not repaired %s: there is nothing to undo"), address);
      return NULL;
    }

  path = g_build_filename (dir, name, NULL);

  return load_record (path, name, address, error);
}
