/* test-account-repair.c: the repair engine: plan, backup, atomic write, never partial, undo
 *
 * The backend here is the test's own and stands for the engine's
 * interface (ms-mail-program-private.h), not for any mail program: a tiny
 * key=value format, one file for the incoming server and one for the
 * outgoing, so every rule of the engine (checks before writes, roll back,
 * the undo record) can be driven exactly. The real programs' updates are
 * tested by their owners against the real files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ms-account-repair-private.h"
#include "ms-exporter.h"
#include "ms-safe-file.h"

#define ADDRESS "alice@charter.net"
#define RUNNING_SENTENCE "Test Mail is open: close it and try again"

static gboolean test_running;
static guint test_reloads;

/* Lines "KEY.host=", "KEY.port=", "KEY.security=", "KEY.user=": the
 * incoming server in incoming.conf, the outgoing one in outgoing.conf. */
static char *
test_update (MsExistingAccount  *account,
             MsAccountSettings  *target,
             const char         *path,
             const char         *contents,
             gsize               length,
             GError            **error)
{
  const MsServer *server = g_str_has_suffix (path, "incoming.conf") ? target->incoming : target->outgoing;
  g_autofree char *prefix = g_strconcat (account->key, ".", NULL);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  GString *out = g_string_new (NULL);
  gboolean found = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (i > 0)
        g_string_append_c (out, '\n');
      if (!g_str_has_prefix (line, prefix))
        {
          g_string_append (out, line);
          continue;
        }
      found = TRUE;
      line += strlen (prefix);
      if (g_str_has_prefix (line, "host="))
        g_string_append_printf (out, "%shost=%s", prefix, server->hostname);
      else if (g_str_has_prefix (line, "port="))
        g_string_append_printf (out, "%sport=%u", prefix, server->port);
      else if (g_str_has_prefix (line, "security="))
        g_string_append_printf (out, "%ssecurity=%s", prefix, ms_security_to_string (server->security));
      else if (g_str_has_prefix (line, "user="))
        g_string_append_printf (out, "%suser=%s", prefix, server->username != NULL ? server->username : "");
      else
        g_string_append (out, lines[i]);
    }

  if (!found)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED, "%s no longer has %s", path, account->key);
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
test_is_running (MsExistingAccount  *account,
                 char              **why)
{
  if (test_running)
    *why = g_strdup (RUNNING_SENTENCE);

  return test_running;
}

static GStrv
test_files (MsExistingAccount *account)
{
  return g_strdupv ((char *[]) { account->location, account->outgoing_location, NULL });
}

static gboolean
test_reload (MsExistingAccount  *account,
             GCancellable       *cancellable,
             GError            **error)
{
  test_reloads++;

  return TRUE;
}

static const MsMailProgramBackend test_backend = {
  .program = MS_MAIL_PROGRAM_MSMTP,
  .is_running = test_is_running,
  .files = test_files,
  .update = test_update,
  .reload = test_reload,
};

#define OLD_INCOMING \
  "# the person's own comment\n" \
  "other.host=keep.example.com\n" \
  "charter.host=IMAP.charter.net\n" \
  "charter.port=143\n" \
  "charter.security=STARTTLS\n" \
  "charter.user=alice\n" \
  "other.port=993\n"
#define OLD_OUTGOING \
  "charter.host=smtp.charter.net\n" \
  "charter.port=25\n" \
  "charter.security=plain\n" \
  "charter.user=\n"

typedef struct
{
  char              *dir;
  char              *incoming_path;
  char              *outgoing_path;
  MsExistingAccount *account;
  MsAccountSettings *target;
} Fixture;

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
assert_file (const char *path,
             const char *expected)
{
  g_autofree char *contents = read_file (path);

  g_assert_cmpstr (contents, ==, expected);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  struct stat path_st;

  if (lstat (path, &path_st) != 0)
    return;
  if (!S_ISDIR (path_st.st_mode))
    {
      g_unlink (path);
      return;
    }

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
      struct stat st;

      if (lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static guint
count_backups (Fixture *fixture)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    n += strstr (name, ".mail-setup-backup-") != NULL;

  return n;
}

static guint
count_records (void)
{
  g_autofree char *records = ms_account_repair_get_records_dir ();
  g_autoptr(GDir) dir = g_dir_open (records, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MsServer) imap = ms_server_new (MS_PROTOCOL_IMAP, "IMAP.charter.net", 143, MS_SECURITY_STARTTLS);
  g_autoptr(MsServer) smtp = ms_server_new (MS_PROTOCOL_SMTP, "smtp.charter.net", 25, MS_SECURITY_NONE);
  g_autoptr(MsServer) new_imap = ms_server_new (MS_PROTOCOL_IMAP, "mobile.charter.net", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) new_smtp = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);
  g_autofree char *records = ms_account_repair_get_records_dir ();

  fixture->dir = g_build_filename (g_get_home_dir (), "mail", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  fixture->incoming_path = g_build_filename (fixture->dir, "incoming.conf", NULL);
  fixture->outgoing_path = g_build_filename (fixture->dir, "outgoing.conf", NULL);
  write_file (fixture->incoming_path, OLD_INCOMING);
  write_file (fixture->outgoing_path, OLD_OUTGOING);

  ms_server_set_username (imap, "alice");
  ms_server_set_username (smtp, NULL);
  fixture->account = ms_existing_account_new (MS_MAIL_PROGRAM_MSMTP, "charter", fixture->incoming_path);
  fixture->account->outgoing_location = g_strdup (fixture->outgoing_path);
  fixture->account->address = g_strdup (ADDRESS);
  fixture->account->incoming = ms_server_ref (imap);
  fixture->account->outgoing = ms_server_ref (smtp);

  ms_server_set_username (new_imap, ADDRESS);
  ms_server_set_username (new_smtp, ADDRESS);
  fixture->target = ms_account_settings_new (ADDRESS, new_imap, new_smtp);

  test_running = FALSE;
  test_reloads = 0;
  remove_tree (records);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->incoming_path);
  g_free (fixture->outgoing_path);
  ms_existing_account_unref (fixture->account);
  ms_account_settings_unref (fixture->target);
}

static MsRepairPlan *
new_plan (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  MsRepairPlan *plan = ms_repair_plan_new_for_backend (&test_backend, fixture->account, fixture->target, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);

  return plan;
}

static MsRepairPlan *
apply (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  MsRepairPlan *plan = new_plan (fixture);

  g_assert_true (ms_repair_plan_apply_sync (plan, NULL, &error));
  g_assert_no_error (error);

  return plan;
}

static void
assert_change (GPtrArray  *changes,
               guint       index,
               const char *field,
               const char *old_value,
               const char *new_value)
{
  MsRepairChange *change;

  g_assert_cmpuint (index, <, changes->len);
  change = g_ptr_array_index (changes, index);
  g_assert_cmpstr (change->field, ==, field);
  g_assert_cmpstr (change->old_value, ==, old_value);
  g_assert_cmpstr (change->new_value, ==, new_value);
}

static void
test_plan (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = new_plan (fixture);
  GPtrArray *changes = ms_repair_plan_get_changes (plan);
  g_autoptr(JsonNode) json = ms_repair_plan_to_json (plan);
  g_autofree char *text = ms_repair_plan_to_text (plan);
  JsonObject *root = json_node_get_object (json);
  JsonArray *json_changes = json_object_get_array_member (root, "changes");
  JsonObject *last = json_array_get_object_element (json_changes, 7);

  g_assert_cmpuint (changes->len, ==, 8);
  assert_change (changes, 0, "incoming.hostname", "IMAP.charter.net", "mobile.charter.net");
  assert_change (changes, 1, "incoming.port", "143", "993");
  assert_change (changes, 2, "incoming.security", "STARTTLS", "SSL");
  assert_change (changes, 3, "incoming.username", "alice", ADDRESS);
  assert_change (changes, 4, "outgoing.hostname", "smtp.charter.net", "mobile.charter.net");
  assert_change (changes, 5, "outgoing.port", "25", "587");
  assert_change (changes, 6, "outgoing.security", "plain", "SSL");
  assert_change (changes, 7, "outgoing.username", NULL, ADDRESS);
  /* The wizard's rows: labels and values to show, the field kept. */
  {
    const char *labels[] = { "Incoming server", "Port", "Security", "User name",
                             "Outgoing server", "Port", "Security", "User name" };

    for (guint i = 0; i < changes->len; i++)
      g_assert_cmpstr (((MsRepairChange *) g_ptr_array_index (changes, i))->label, ==, labels[i]);
  }
  g_assert_cmpstr (((MsRepairChange *) g_ptr_array_index (changes, 7))->old_shown, ==, "(none)");
  g_assert_cmpstr (((MsRepairChange *) g_ptr_array_index (changes, 6))->new_shown, ==,
                   "SSL/TLS (encrypted from the start)");
  g_assert_cmpstrv (ms_repair_plan_get_files (plan),
                    ((const char *[]) { fixture->incoming_path, fixture->outgoing_path, NULL }));

  g_assert_cmpuint (json_array_get_length (json_changes), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (last, "field"), ==, "outgoing.username");
  g_assert_true (json_object_get_null_member (last, "old"));
  g_assert_cmpstr (json_object_get_string_member (last, "new"), ==, ADDRESS);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "files")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "account"), "key"),
                   ==, "charter");

  g_assert_nonnull (strstr (text, "IMAP.charter.net → mobile.charter.net"));
  g_assert_nonnull (strstr (text, "143 → 993"));
  g_assert_nonnull (strstr (text, fixture->outgoing_path));
  /* Planning writes nothing. */
  assert_file (fixture->incoming_path, OLD_INCOMING);
  g_assert_cmpuint (count_backups (fixture), ==, 0);
}

/* A host name that differs only in case is the same server. */
static void
test_plan_nothing (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MsAccountSettings) same = NULL;
  g_autoptr(MsServer) imap = ms_server_copy (fixture->account->incoming);
  g_autoptr(MsServer) smtp = ms_server_copy (fixture->account->outgoing);
  g_autoptr(MsRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_free (imap->hostname);
  imap->hostname = g_strdup ("imap.charter.net");
  same = ms_account_settings_new (ADDRESS, imap, smtp);
  plan = ms_repair_plan_new_for_backend (&test_backend, fixture->account, same, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ms_repair_plan_get_changes (plan)->len, ==, 0);
  text = ms_repair_plan_to_text (plan);
  g_assert_nonnull (strstr (text, "nothing to change"));
}

static void
test_plan_other_protocol (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsRepairPlan) plan = NULL;

  fixture->target->incoming->protocol = MS_PROTOCOL_POP3;
  plan = ms_repair_plan_new_for_backend (&test_backend, fixture->account, fixture->target, &error);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED);
  g_assert_null (plan);
}

/* Every other line as it was; the old file kept whole as the backup. */
static void
test_apply (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = apply (fixture);
  GPtrArray *backups = ms_repair_plan_get_backups (plan);
  g_autofree char *incoming_backup = NULL;
  g_autofree char *outgoing_backup = NULL;

  assert_file (fixture->incoming_path,
               "# the person's own comment\n"
               "other.host=keep.example.com\n"
               "charter.host=mobile.charter.net\n"
               "charter.port=993\n"
               "charter.security=SSL\n"
               "charter.user=" ADDRESS "\n"
               "other.port=993\n");
  assert_file (fixture->outgoing_path,
               "charter.host=mobile.charter.net\n"
               "charter.port=587\n"
               "charter.security=SSL\n"
               "charter.user=" ADDRESS "\n");

  g_assert_cmpuint (backups->len, ==, 2);
  incoming_backup = read_file (g_ptr_array_index (backups, 0));
  outgoing_backup = read_file (g_ptr_array_index (backups, 1));
  g_assert_cmpstr (incoming_backup, ==, OLD_INCOMING);
  g_assert_cmpstr (outgoing_backup, ==, OLD_OUTGOING);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (backups, 0), fixture->incoming_path));
  g_assert_cmpuint (test_reloads, ==, 1);
  g_assert_cmpuint (ms_repair_plan_get_warnings (plan)->len, ==, 0);
}

static void
test_record (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = apply (fixture);
  const char *record = ms_repair_plan_get_record (plan);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *written = read_file (fixture->outgoing_path);
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, written, -1);
  g_autofree char *records = ms_account_repair_get_records_dir ();
  g_autofree char *id = ms_existing_account_get_id (fixture->account);
  JsonObject *root;
  JsonObject *second;
  struct stat st;

  g_assert_nonnull (record);
  g_assert_true (g_str_has_prefix (record, records));
  g_assert_cmpint (lstat (record, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  json_parser_load_from_file (parser, record, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "address"), ==, ADDRESS);
  g_assert_cmpstr (json_object_get_string_member (root, "program"), ==, "msmtp");
  g_assert_cmpstr (json_object_get_string_member (root, "account"), ==, id);
  g_assert_nonnull (json_object_get_string_member (root, "time"));
  second = json_array_get_object_element (json_object_get_array_member (root, "files"), 1);
  g_assert_cmpstr (json_object_get_string_member (second, "path"), ==, fixture->outgoing_path);
  g_assert_cmpstr (json_object_get_string_member (second, "backup"), ==,
                   g_ptr_array_index (ms_repair_plan_get_backups (plan), 1));
  g_assert_cmpstr (json_object_get_string_member (second, "sha256"), ==, sha256);
}

static void
assert_untouched (Fixture *fixture)
{
  assert_file (fixture->incoming_path, OLD_INCOMING);
  assert_file (fixture->outgoing_path, OLD_OUTGOING);
  g_assert_cmpuint (count_backups (fixture), ==, 0);
  g_assert_cmpuint (count_records (), ==, 0);
  g_assert_cmpuint (test_reloads, ==, 0);
}

static void
test_running_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = new_plan (fixture);
  g_autoptr(GError) error = NULL;

  test_running = TRUE;
  g_assert_false (ms_repair_plan_apply_sync (plan, NULL, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_RUNNING);
  g_assert_cmpstr (error->message, ==, RUNNING_SENTENCE);
  assert_untouched (fixture);
}

/* The second file's update fails: checked before the first is written. */
static void
test_update_fails (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = new_plan (fixture);
  g_autoptr(GError) error = NULL;

  write_file (fixture->outgoing_path, "someone.host=else.example.com\n");
  g_assert_false (ms_repair_plan_apply_sync (plan, NULL, &error));
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
  assert_file (fixture->incoming_path, OLD_INCOMING);
  assert_file (fixture->outgoing_path, "someone.host=else.example.com\n");
  g_assert_cmpuint (count_backups (fixture), ==, 0);
  g_assert_cmpuint (count_records (), ==, 0);
}

/* The second write itself fails (a file size limit makes the write of
 * the longer new file fail with EFBIG, even for root): the first file,
 * already replaced, is put back. */
static void
test_second_write_fails (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_user = g_strnfill (200, 'x');
  struct rlimit saved, limited;

  ms_server_set_username (fixture->target->outgoing, long_user);
  plan = new_plan (fixture);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 250;
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);
  g_assert_false (ms_repair_plan_apply_sync (plan, NULL, &error));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, SIG_DFL);

  g_assert_nonnull (error);
  assert_file (fixture->incoming_path, OLD_INCOMING);
  assert_file (fixture->outgoing_path, OLD_OUTGOING);
  g_assert_cmpuint (count_records (), ==, 0);
  g_assert_cmpuint (test_reloads, ==, 0);
  /* The first file's backup goes with the roll back, and so does the
   * failed write's own copy (ms_atomic_file_replace says where it is even
   * when the write fails). */
  g_assert_cmpuint (count_backups (fixture), ==, 0);
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = apply (fixture);
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;

  restored = ms_account_repair_undo_for_backend (&test_backend, ADDRESS, TRUE, MS_MAIL_PROGRAM_MSMTP, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (restored->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (restored, 0), ==, fixture->incoming_path);
  assert_file (fixture->incoming_path, OLD_INCOMING);
  assert_file (fixture->outgoing_path, OLD_OUTGOING);
  g_assert_cmpuint (count_records (), ==, 0);
  g_assert_cmpuint (test_reloads, ==, 2);

  /* One repair, one undo: the second finds nothing. */
  again = ms_account_repair_undo_for_backend (&test_backend, ADDRESS, FALSE, 0, NULL, &error);
  g_assert_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED);
  g_assert_null (again);
  g_assert_nonnull (strstr (error->message, "nothing to undo"));
}

static void
assert_undo_refused (Fixture    *fixture,
                     GQuark      domain,
                     int         code,
                     const char *why,
                     const char *repaired_incoming,
                     const char *repaired_outgoing)
{
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GError) error = NULL;
  guint reloads = test_reloads;

  restored = ms_account_repair_undo_for_backend (&test_backend, ADDRESS, TRUE, MS_MAIL_PROGRAM_MSMTP, NULL, &error);
  g_assert_error (error, domain, code);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, why));
  g_assert_null (restored);
  assert_file (fixture->incoming_path, repaired_incoming);
  assert_file (fixture->outgoing_path, repaired_outgoing);
  g_assert_cmpuint (test_reloads, ==, reloads);
}

static void
test_undo_changed_since (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = apply (fixture);
  g_autofree char *repaired = read_file (fixture->incoming_path);

  write_file (fixture->outgoing_path, "charter.host=mine.example.com\n");
  assert_undo_refused (fixture, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED, "was changed after the repair",
                       repaired, "charter.host=mine.example.com\n");
  g_assert_cmpuint (count_records (), ==, 1);
}

static void
test_undo_running (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MsRepairPlan) plan = apply (fixture);
  g_autofree char *incoming = read_file (fixture->incoming_path);
  g_autofree char *outgoing = read_file (fixture->outgoing_path);

  test_running = TRUE;
  assert_undo_refused (fixture, MS_EXPORT_ERROR, MS_EXPORT_ERROR_PROGRAM_RUNNING, RUNNING_SENTENCE,
                       incoming, outgoing);
}

typedef void (*TamperFunc) (Fixture    *fixture,
                            const char *record,
                            JsonObject *root);

static void
save_json (const char *path,
           JsonObject *root)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), root);
  g_autofree char *data = json_to_string (node, FALSE);

  g_unlink (path);
  write_file (path, data);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

static void
tamper_mode (Fixture *fixture, const char *record, JsonObject *root)
{
  g_assert_cmpint (g_chmod (record, 0644), ==, 0);
}

static void
tamper_garbage (Fixture *fixture, const char *record, JsonObject *root)
{
  write_file (record, "{\"version\": 1, \"address\": ");
  g_assert_cmpint (g_chmod (record, 0600), ==, 0);
}

static void
tamper_not_object (Fixture *fixture, const char *record, JsonObject *root)
{
  write_file (record, "[1, 2, 3]");
  g_assert_cmpint (g_chmod (record, 0600), ==, 0);
}

static void
tamper_version (Fixture *fixture, const char *record, JsonObject *root)
{
  json_object_set_string_member (root, "version", "1");
  save_json (record, root);
}

static JsonObject *
first_file (JsonObject *root)
{
  return json_array_get_object_element (json_object_get_array_member (root, "files"), 0);
}

/* The record names a file outside the home folder, with the right
 * checksum even: still not one an undo may write. */
static void
tamper_path_outside (Fixture *fixture, const char *record, JsonObject *root)
{
  g_autofree char *outside = g_build_filename (g_get_tmp_dir (), "ms-repair-outside.conf", NULL);
  g_autofree char *backup = g_strconcat (outside, ".mail-setup-backup-20260101-000000", NULL);

  json_object_set_string_member (first_file (root), "path", outside);
  json_object_set_string_member (first_file (root), "backup", backup);
  save_json (record, root);
}

static void
tamper_path_dotdot (Fixture *fixture, const char *record, JsonObject *root)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), "mail", "..", "..", "etc", "passwd", NULL);

  json_object_set_string_member (first_file (root), "path", path);
  save_json (record, root);
}

static void
tamper_path_relative (Fixture *fixture, const char *record, JsonObject *root)
{
  json_object_set_string_member (first_file (root), "path", "mail/incoming.conf");
  save_json (record, root);
}

/* The backup must be the file's own, not any file the record names. */
static void
tamper_backup_other (Fixture *fixture, const char *record, JsonObject *root)
{
  g_autofree char *other = g_build_filename (fixture->dir, "attacker.conf", NULL);

  write_file (other, "charter.host=evil.example.com\n");
  json_object_set_string_member (first_file (root), "backup", other);
  save_json (record, root);
}

static void
tamper_backup_symlink (Fixture *fixture, const char *record, JsonObject *root)
{
  const char *backup = json_object_get_string_member (first_file (root), "backup");
  g_autofree char *other = g_build_filename (fixture->dir, "attacker.conf", NULL);

  write_file (other, "charter.host=evil.example.com\n");
  g_assert_cmpint (g_unlink (backup), ==, 0);
  g_assert_cmpint (symlink (other, backup), ==, 0);
}

static void
tamper_record_symlink (Fixture *fixture, const char *record, JsonObject *root)
{
  g_autofree char *elsewhere = g_build_filename (fixture->dir, "record.json", NULL);

  save_json (elsewhere, root);
  g_assert_cmpint (g_unlink (record), ==, 0);
  g_assert_cmpint (symlink (elsewhere, record), ==, 0);
}

static void
tamper_records_dir_symlink (Fixture *fixture, const char *record, JsonObject *root)
{
  g_autofree char *records = g_path_get_dirname (record);
  g_autofree char *moved = g_build_filename (fixture->dir, "repairs", NULL);

  g_assert_cmpint (g_rename (records, moved), ==, 0);
  g_assert_cmpint (symlink (moved, records), ==, 0);
}

static void
tamper_address (Fixture *fixture, const char *record, JsonObject *root)
{
  json_object_set_string_member (root, "address", "mallory@charter.net");
  save_json (record, root);
}

static void
tamper_checksum (Fixture *fixture, const char *record, JsonObject *root)
{
  json_object_set_string_member (first_file (root), "sha256", "../../../etc/passwd");
  save_json (record, root);
}

static void
tamper_key_control (Fixture *fixture, const char *record, JsonObject *root)
{
  json_object_set_string_member (root, "key", "charter\n\033[2J");
  save_json (record, root);
}

static void
tamper_too_many_files (Fixture *fixture, const char *record, JsonObject *root)
{
  JsonArray *files = json_object_get_array_member (root, "files");

  for (guint i = 0; i < 20; i++)
    json_array_add_object_element (files, json_object_ref (first_file (root)));
  save_json (record, root);
}

/* The keyring items the undo would remove, of a shape no repair writes. */
static void
tamper_keyring_control (Fixture *fixture, const char *record, JsonObject *root)
{
  JsonObject *item = json_object_new ();
  JsonObject *attributes = json_object_new ();
  JsonArray *keyring = json_array_new ();

  json_object_set_string_member (attributes, "host", "mobile.charter.net\n\033[2J");
  json_object_set_string_member (item, "schema", "de.marlam.msmtp.password");
  json_object_set_object_member (item, "attributes", attributes);
  json_array_add_object_element (keyring, item);
  json_object_set_array_member (root, "keyring", keyring);
  save_json (record, root);
}

/* No attributes would match every item of the schema: never. */
static void
tamper_keyring_empty (Fixture *fixture, const char *record, JsonObject *root)
{
  JsonObject *item = json_object_new ();
  JsonArray *keyring = json_array_new ();

  json_object_set_null_member (item, "schema");
  json_object_set_object_member (item, "attributes", json_object_new ());
  json_array_add_object_element (keyring, item);
  json_object_set_array_member (root, "keyring", keyring);
  save_json (record, root);
}

static void
tamper_keyring_not_array (Fixture *fixture, const char *record, JsonObject *root)
{
  json_object_set_string_member (root, "keyring", "all");
  save_json (record, root);
}

typedef struct
{
  const char *name;
  TamperFunc  tamper;
  const char *why;  /* the reason the refusal must give */
} TamperCase;

#define DAMAGED "damaged"
#define LINK "symbolic link"

static const TamperCase tamper_cases[] = {
  { "mode", tamper_mode, "others may" },
  { "garbage", tamper_garbage, DAMAGED },
  { "not-object", tamper_not_object, DAMAGED },
  { "version", tamper_version, DAMAGED },
  { "path-outside", tamper_path_outside, DAMAGED },
  { "path-dotdot", tamper_path_dotdot, DAMAGED },
  { "path-relative", tamper_path_relative, DAMAGED },
  { "backup-other", tamper_backup_other, DAMAGED },
  { "backup-symlink", tamper_backup_symlink, LINK },
  { "record-symlink", tamper_record_symlink, LINK },
  { "records-dir-symlink", tamper_records_dir_symlink, LINK },
  { "address", tamper_address, DAMAGED },
  { "checksum", tamper_checksum, DAMAGED },
  { "key-control", tamper_key_control, DAMAGED },
  { "too-many-files", tamper_too_many_files, DAMAGED },
  { "keyring-control", tamper_keyring_control, DAMAGED },
  { "keyring-empty", tamper_keyring_empty, DAMAGED },
  { "keyring-not-array", tamper_keyring_not_array, DAMAGED },
};

static void
test_undo_hostile (Fixture       *fixture,
                   gconstpointer  data)
{
  const TamperCase *tamper_case = data;
  g_autoptr(MsRepairPlan) plan = apply (fixture);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *incoming = read_file (fixture->incoming_path);
  g_autofree char *outgoing = read_file (fixture->outgoing_path);
  const char *record = ms_repair_plan_get_record (plan);

  json_parser_load_from_file (parser, record, &error);
  g_assert_no_error (error);
  tamper_case->tamper (fixture, record, json_node_get_object (json_parser_get_root (parser)));

  /* "Nothing to undo" for the other address is a refusal too. */
  assert_undo_refused (fixture, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED, tamper_case->why, incoming, outgoing);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *state = NULL;
  int status;

  g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* The home and the undo records in a scratch folder, set before GLib
   * caches them. */
  home = g_dir_make_tmp ("ms-repair-home-XXXXXX", NULL);
  state = g_build_filename (home, ".local", "state", NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/account-repair/plan", test_plan);
  ADD ("/account-repair/plan-nothing", test_plan_nothing);
  ADD ("/account-repair/plan-other-protocol", test_plan_other_protocol);
  ADD ("/account-repair/apply", test_apply);
  ADD ("/account-repair/record", test_record);
  ADD ("/account-repair/running-refused", test_running_refused);
  ADD ("/account-repair/update-fails", test_update_fails);
  ADD ("/account-repair/second-write-fails", test_second_write_fails);
  ADD ("/account-repair/undo", test_undo);
  ADD ("/account-repair/undo-changed-since", test_undo_changed_since);
  ADD ("/account-repair/undo-running", test_undo_running);
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (tamper_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/account-repair/undo-hostile/%s", tamper_cases[i].name);

      g_test_add (path, Fixture, &tamper_cases[i], fixture_set_up, test_undo_hostile, fixture_tear_down);
    }

  status = g_test_run ();
  remove_tree (home);

  return status;
}
