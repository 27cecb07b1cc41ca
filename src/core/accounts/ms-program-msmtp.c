/* ms-program-msmtp.c: msmtp's accounts: read, and repaired in place
 *
 * msmtp 1.8 reads ~/.msmtprc, or $XDG_CONFIG_HOME/msmtp/config when that
 * one is absent (the system's /etc/msmtprc is not the person's: not read). A line is a command and the rest of the line as its
 * argument, one pair of surrounding double quotes stripped, no escapes;
 * "#" starts a comment only at the start of a line. "defaults" settings
 * apply to every account defined after them, and "account NAME : A, B"
 * starts from the defaults, then takes A's and B's settings.
 *
 * msmtp reads its file at every run and never writes it: a repair needs
 * no check for a running msmtp.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-config-lexer.h"
#include "ms-export-syntax.h"
#include "ms-exporter.h"
#include "ms-mail-program-private.h"
#include "ms-program-files.h"
#include "ms-validate.h"

#define MSMTP_SCHEMA "de.marlam.msmtp.password"

typedef struct
{
  char  *command;
  char  *value;
  guint  line;
  gsize  value_start;
  gsize  value_end;
} Setting;

typedef struct
{
  char       *name;        /* NULL: a defaults section */
  char      **parents;
  guint       line;
  gsize       insert_at;   /* just after the section's last setting line */
  gboolean    needs_break; /* that line ends the file without "\n" */
  GPtrArray  *settings;
  GHashTable *effective;   /* command → value, borrowed from the settings */
} Section;

static void
setting_free (Setting *setting)
{
  g_free (setting->command);
  g_free (setting->value);
  g_free (setting);
}

static void
section_free (Section *section)
{
  g_free (section->name);
  g_strfreev (section->parents);
  g_ptr_array_unref (section->settings);
  g_clear_pointer (&section->effective, g_hash_table_unref);
  g_free (section);
}

static Section *
section_new (char  *name,
             char **parents,
             guint  line)
{
  Section *section = g_new0 (Section, 1);

  section->name = name;
  section->parents = parents;
  section->line = line;
  section->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
  section->effective = g_hash_table_new (g_str_hash, g_str_equal);

  return section;
}

/* "NAME : A, B" → NAME and its parents. */
static void
split_account (const char   *arg,
               char        **name,
               char       ***parents)
{
  const char *colon = strchr (arg, ':');
  GStrvBuilder *builder = g_strv_builder_new ();

  *name = g_strstrip (colon != NULL ? g_strndup (arg, colon - arg) : g_strdup (arg));
  if (colon != NULL)
    {
      g_auto(GStrv) list = g_strsplit (colon + 1, ",", -1);

      for (guint i = 0; list[i] != NULL; i++)
        if (*g_strstrip (list[i]) != '\0')
          g_strv_builder_add (builder, list[i]);
    }
  *parents = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
}

static Section *
find_section (GPtrArray  *sections,
              const char *name)
{
  for (guint i = sections->len; i > 0; i--)
    {
      Section *section = g_ptr_array_index (sections, i - 1);

      if (section->name != NULL && g_str_equal (section->name, name))
        return section;
    }

  return NULL;
}

static void
copy_into (GHashTable *to,
           GHashTable *from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (to, key, value);
}

/* A section's settings on top of the defaults before it and its parents. */
static void
resolve (GPtrArray  *sections,
         Section    *section,
         GHashTable *defaults)
{
  if (section->name != NULL)
    {
      copy_into (section->effective, defaults);
      for (guint i = 0; section->parents[i] != NULL; i++)
        {
          Section *parent = find_section (sections, section->parents[i]);

          if (parent != NULL && parent != section)
            copy_into (section->effective, parent->effective);
        }
    }
  for (guint i = 0; i < section->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (section->settings, i);

      g_hash_table_replace (section->name != NULL ? section->effective : defaults,
                            setting->command, setting->value);
    }
}

static void
parse_line (const char         *contents,
            gsize               length,
            const MsConfigLine *line,
            gsize               next,
            GPtrArray          *sections)
{
  gsize start = ms_config_lexer_skip_space (contents, line->start, line->end);
  gsize word_end = start;
  gsize arg_start, arg_end;
  g_autofree char *command = NULL;
  g_autofree char *arg = NULL;
  Section *section = sections->len > 0 ? g_ptr_array_index (sections, sections->len - 1) : NULL;

  if (start == line->end || contents[start] == '#')
    return;
  while (word_end < line->end && contents[word_end] != ' ' && contents[word_end] != '\t')
    word_end++;
  command = g_strndup (contents + start, word_end - start);
  arg_start = ms_config_lexer_skip_space (contents, word_end, line->end);
  arg_end = ms_config_lexer_trim_end (contents, arg_start, line->end);
  if (arg_end - arg_start >= 2 && contents[arg_start] == '"' && contents[arg_end - 1] == '"')
    arg = g_strndup (contents + arg_start + 1, arg_end - arg_start - 2);
  else
    arg = g_strndup (contents + arg_start, arg_end - arg_start);

  if (g_str_equal (command, "defaults") || g_str_equal (command, "account"))
    {
      char *name = NULL;
      char **parents = NULL;

      if (g_str_equal (command, "account"))
        split_account (arg, &name, &parents);
      section = section_new (name, parents, line->number);
      g_ptr_array_add (sections, section);
    }
  else if (section == NULL)
    {
      /* Settings before any "defaults" or "account" line: the implicit
       * defaults section msmtp starts with. */
      section = section_new (NULL, NULL, 0);
      g_ptr_array_add (sections, section);
    }
  if (section->line != line->number)
    {
      Setting *setting = g_new0 (Setting, 1);

      setting->command = g_steal_pointer (&command);
      setting->value = g_steal_pointer (&arg);
      setting->line = line->number;
      setting->value_start = arg_start;
      setting->value_end = arg_end;
      g_ptr_array_add (section->settings, setting);
    }
  section->insert_at = next;
  section->needs_break = next == length && (length == 0 || contents[length - 1] != '\n');
}

static GPtrArray *
parse (const char *contents,
       gsize       length)
{
  GPtrArray *sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  g_autoptr(GHashTable) defaults = g_hash_table_new (g_str_hash, g_str_equal);
  MsConfigLine line = { 0 };
  gsize offset = 0;

  while (ms_config_lexer_next_line (contents, length, &offset, &line))
    parse_line (contents, length, &line, offset, sections);
  for (guint i = 0; i < sections->len; i++)
    resolve (sections, g_ptr_array_index (sections, i), defaults);

  return sections;
}

/* "tls", "auth": no argument means on. */
static gboolean
is_on (const char *value)
{
  return value != NULL && (*value == '\0' || g_str_equal (value, "on"));
}

static MsSecurity
security_of (GHashTable *settings)
{
  const char *tls = g_hash_table_lookup (settings, "tls");
  const char *starttls = g_hash_table_lookup (settings, "tls_starttls");

  if (!is_on (tls))
    return MS_SECURITY_NONE;

  return starttls == NULL || is_on (starttls) ? MS_SECURITY_STARTTLS : MS_SECURITY_TLS;
}

/* msmtp's own lookup when neither password nor passwordeval is set
 * (msmtp 1.8 password.c: its schema, host, service "smtp", user). */
static MsPasswordLocation *
password_of (GHashTable     *settings,
             const MsServer *server)
{
  const char *command = g_hash_table_lookup (settings, "passwordeval");
  MsPasswordLocation *location;

  if (g_hash_table_contains (settings, "password"))
    return ms_password_location_new (MS_PASSWORD_SOURCE_IN_FILE);
  if (command != NULL)
    return ms_program_files_password_from_command (command);

  location = ms_password_location_new (MS_PASSWORD_SOURCE_KEYRING);
  location->secret_schema = g_strdup (MSMTP_SCHEMA);
  ms_password_location_add_attribute (location, "host", server->hostname);
  ms_password_location_add_attribute (location, "service", "smtp");
  ms_password_location_add_attribute (location, "user", server->username);

  return location;
}

static MsExistingAccount *
account_of (const char  *path,
            Section     *section,
            GError     **error)
{
  GHashTable *settings = section->effective;
  MsSecurity security = security_of (settings);
  const char *auth = g_hash_table_lookup (settings, "auth");
  const char *user = g_hash_table_lookup (settings, "user");
  const char *from = g_hash_table_lookup (settings, "from");
  gboolean login = auth != NULL && !g_str_equal (auth, "off") && user != NULL;
  g_autoptr(MsExistingAccount) account = NULL;
  g_autoptr(MsServer) server = NULL;

  server = ms_program_files_server (MS_PROTOCOL_SMTP, g_hash_table_lookup (settings, "host"),
                                    g_hash_table_lookup (settings, "port"),
                                    security == MS_SECURITY_TLS ? 465 : 25, security,
                                    login ? user : NULL, error);
  if (server == NULL)
    return NULL;
  if (login)
    ms_program_files_take_auth (server, auth);
  if (!ms_validate_display_name (section->name, _("The account name"), error))
    return NULL;

  account = ms_existing_account_new (MS_MAIL_PROGRAM_MSMTP, section->name, path);
  /* "from %U@%H" and the like (msmtp 1.8.22's placeholders) name no one
   * address: the account has none rather than a wrong one. */
  if (from != NULL && strchr (from, '%') == NULL &&
      !ms_program_files_address (from, _("The sender address"), &account->address,
                                 &account->display_name, error))
    return NULL;
  if (login)
    account->outgoing_password = password_of (settings, server);
  account->outgoing = g_steal_pointer (&server);

  return g_steal_pointer (&account);
}

static void
read_file (const char         *path,
           MsAccountInventory *inventory)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  gsize length;

  if (!ms_program_files_read (MS_MAIL_PROGRAM_MSMTP, path, inventory, &contents, &length))
    return;

  sections = parse (contents, length);
  for (guint i = 0; i < sections->len; i++)
    {
      Section *section = g_ptr_array_index (sections, i);
      g_autoptr(MsExistingAccount) account = NULL;
      g_autoptr(GError) error = NULL;

      /* "account default : NAME" only names which account is the default. */
      if (section->name == NULL ||
          (g_str_equal (section->name, "default") && section->settings->len == 0))
        continue;
      account = account_of (path, section, &error);
      ms_program_files_add_account (inventory, MS_MAIL_PROGRAM_MSMTP, path, section->line, account, error);
    }
}

/* msmtp reads the first of these that exists, and only that one. */
static char *
config_path (const MsAccountPlaces *places)
{
  g_autofree char *home = g_build_filename (places->home, ".msmtprc", NULL);

  if (g_file_test (home, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&home);

  return g_build_filename (places->config_dir, "msmtp", "config", NULL);
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  g_autofree char *path = config_path (places);

  read_file (path, inventory);
}

static GStrv
files (MsExistingAccount *account)
{
  return ms_program_files_paths (account->location, NULL);
}

typedef struct
{
  Section *section;
  GArray  *edits;
  GString *added;
} Update;

/* @command's own lines in the account get @text where their value is not
 * @value already; an account without one gets a line, unless what it
 * inherits is @value. Lines of "defaults" and of parents stay: other
 * accounts use them. */
static void
set_value (Update     *update,
           const char *command,
           const char *value,
           const char *text)
{
  gboolean own = FALSE;

  for (guint i = 0; i < update->section->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (update->section->settings, i);

      if (!g_str_equal (setting->command, command))
        continue;
      own = TRUE;
      if (!g_str_equal (setting->value, value))
        ms_config_edits_add (update->edits, setting->value_start, setting->value_end, g_strdup (text));
    }

  if (!own && g_strcmp0 (g_hash_table_lookup (update->section->effective, command), value) != 0)
    g_string_append_printf (update->added, "%s %s\n", command, text);
}

static gboolean
set_server (Update          *update,
            const MsServer  *server,
            GError         **error)
{
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  const char *auth = g_hash_table_lookup (update->section->effective, "auth");

  if (!ms_export_syntax_check_hostname (server->hostname, _("the server name"), "msmtprc", error))
    return FALSE;

  set_value (update, "host", server->hostname, server->hostname);
  set_value (update, "port", port, port);
  set_value (update, "tls", server->security == MS_SECURITY_NONE ? "off" : "on",
             server->security == MS_SECURITY_NONE ? "off" : "on");
  if (server->security != MS_SECURITY_NONE)
    set_value (update, "tls_starttls", server->security == MS_SECURITY_STARTTLS ? "on" : "off",
               server->security == MS_SECURITY_STARTTLS ? "on" : "off");

  if (server->username != NULL)
    {
      g_autofree char *user = ms_export_syntax_msmtp_arg (server->username, _("the user name"), error);

      if (user == NULL)
        return FALSE;
      set_value (update, "user", server->username, user);
      /* "auth plain" and the like already log in: kept. */
      if (auth == NULL || g_str_equal (auth, "off"))
        set_value (update, "auth", "on", "on");
    }
  else
    set_value (update, "auth", "off", "off");

  return TRUE;
}

static char *
update (MsExistingAccount  *account,
        MsAccountSettings  *target,
        const char         *path,
        const char         *contents,
        gsize               length,
        GError            **error)
{
  g_autoptr(GPtrArray) sections = parse (contents, length);
  g_autoptr(GArray) edits = ms_config_edits_new ();
  g_autoptr(GString) added = g_string_new (NULL);
  Update state = { find_section (sections, account->key), edits, added };

  if (state.section == NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("The msmtp account “%s” is no longer in %s."), account->key, path);
      return NULL;
    }
  if (target->outgoing == NULL)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                           _("msmtp only sends mail: the repair has no outgoing server."));
      return NULL;
    }
  if (!set_server (&state, target->outgoing, error))
    return NULL;

  ms_config_edits_insert_lines (edits, state.section->insert_at, state.section->needs_break, added);

  return ms_config_edits_apply (edits, contents, length);
}

const MsMailProgramBackend ms_program_msmtp = {
  .program = MS_MAIL_PROGRAM_MSMTP,
  .read = read_accounts,
  .is_running = NULL,
  .files = files,
  .update = update,
};
