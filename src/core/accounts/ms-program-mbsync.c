/* ms-program-mbsync.c: mbsync's IMAP accounts: read, and repaired in place
 *
 * isync 1.4 reads ~/.mbsyncrc; 1.5 also $XDG_CONFIG_HOME/isyncrc when
 * that is absent, read here the same way. A section starts with its keyword line (IMAPAccount NAME) and
 * ends at the next empty line; "#" starts a comment at the start of a line
 * only; double quotes group words and a backslash takes the next
 * character. Keywords are case-insensitive.
 *
 * mbsync never writes its configuration: a repair needs no check for a
 * running mbsync (a sync running meanwhile reads the old file, the next
 * one the new).
 *
 * Not read: IMAPStore sections with the server inline instead of an
 * IMAPAccount, "Tunnel" accounts and the deprecated UseIMAPS/RequireSSL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-config-lexer.h"
#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter.h"
#include "ms-mail-program-private.h"
#include "ms-program-files.h"
#include "ms-validate.h"

#define QUOTING (MS_CONFIG_QUOTING_DOUBLE | MS_CONFIG_QUOTING_BACKSLASH)

typedef struct
{
  char  *keyword;
  char  *value;
  gsize  value_start;
  gsize  value_end;
} Setting;

typedef struct
{
  char      *name;
  guint      line;
  gsize      insert_at;
  gboolean   needs_break;
  GPtrArray *settings;
} Section;

static void
setting_free (Setting *setting)
{
  g_free (setting->keyword);
  g_free (setting->value);
  g_free (setting);
}

static void
section_free (Section *section)
{
  g_free (section->name);
  g_ptr_array_unref (section->settings);
  g_free (section);
}

static const char *
lookup (Section    *section,
        const char *keyword)
{
  const char *value = NULL;

  for (guint i = 0; i < section->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (section->settings, i);

      if (g_ascii_strcasecmp (setting->keyword, keyword) == 0)
        value = setting->value;
    }

  return value;
}

/* Where the lines of a section other than IMAPAccount go: nowhere. */
static Section other_section;

/* One line inside or outside a section; returns the section it is in. */
static Section *
parse_line (const char         *contents,
            gsize               length,
            const MsConfigLine *line,
            gsize               next,
            Section            *current,
            GPtrArray          *sections)
{
  g_autoptr(GArray) words = NULL;
  MsConfigWord *first, *last;
  Setting *setting;

  if (ms_config_lexer_is_blank (contents, line))
    return NULL;
  if (contents[ms_config_lexer_skip_space (contents, line->start, line->end)] == '#')
    return current;

  words = ms_config_lexer_split (contents, line->start, line->end, QUOTING, NULL);
  first = &g_array_index (words, MsConfigWord, 0);
  if (current == NULL)
    {
      if (g_ascii_strcasecmp (first->value, "IMAPAccount") != 0)
        return &other_section;
      current = g_new0 (Section, 1);
      current->name = g_strdup (words->len > 1 ? g_array_index (words, MsConfigWord, 1).value : "");
      current->line = line->number;
      current->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
      g_ptr_array_add (sections, current);
    }
  else if (current == &other_section)
    return current;
  else
    {
      last = &g_array_index (words, MsConfigWord, words->len - 1);
      setting = g_new0 (Setting, 1);
      setting->keyword = g_strdup (first->value);
      setting->value = words->len > 1 ? g_strdup (g_array_index (words, MsConfigWord, 1).value) : g_strdup ("");
      setting->value_start = words->len > 1 ? g_array_index (words, MsConfigWord, 1).start : first->end;
      setting->value_end = words->len > 1 ? last->end : first->end;
      g_ptr_array_add (current->settings, setting);
    }

  current->insert_at = next;
  current->needs_break = next == length && contents[length - 1] != '\n';
  return current;
}

static GPtrArray *
parse (const char *contents,
       gsize       length)
{
  GPtrArray *sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  MsConfigLine line = { 0 };
  Section *current = NULL;
  gsize offset = 0;

  while (ms_config_lexer_next_line (contents, length, &offset, &line))
    current = parse_line (contents, length, &line, offset, current, sections);

  return sections;
}

static gboolean
security_of (Section     *section,
             MsSecurity  *security,
             GError     **error)
{
  const char *type = lookup (section, "SSLType");

  /* isync 1.5 renamed it; 1.4 (Debian 12's) knows only SSLType. */
  if (type == NULL)
    type = lookup (section, "TLSType");
  if (type == NULL || g_ascii_strcasecmp (type, "STARTTLS") == 0)
    *security = MS_SECURITY_STARTTLS;
  else if (g_ascii_strcasecmp (type, "IMAPS") == 0)
    *security = MS_SECURITY_TLS;
  else if (g_ascii_strcasecmp (type, "None") == 0)
    *security = MS_SECURITY_NONE;
  else
    {
      g_set_error_literal (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID,
                           _("SSLType is not None, STARTTLS or IMAPS."));
      return FALSE;
    }

  return TRUE;
}

static MsPasswordLocation *
password_of (Section *section)
{
  const char *command = lookup (section, "PassCmd");

  if (lookup (section, "Pass") != NULL)
    return ms_password_location_new (MS_PASSWORD_SOURCE_IN_FILE);
  if (command != NULL)
    /* A leading "+" only tells mbsync to run it at once. */
    return ms_program_files_password_from_command (command[0] == '+' ? command + 1 : command);

  return ms_password_location_new (MS_PASSWORD_SOURCE_NONE);
}

static MsExistingAccount *
account_of (const char  *path,
            Section     *section,
            GError     **error)
{
  const char *user = lookup (section, "User");
  g_autoptr(MsExistingAccount) account = NULL;
  g_autoptr(MsServer) server = NULL;
  MsSecurity security;

  if (lookup (section, "Tunnel") != NULL || lookup (section, "UserCmd") != NULL)
    {
      g_set_error_literal (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID,
                           _("It uses Tunnel or UserCmd, which Mail Setup does not repair."));
      return NULL;
    }
  if (!ms_validate_display_name (section->name, _("The account name"), error) ||
      !security_of (section, &security, error))
    return NULL;
  server = ms_program_files_server (MS_PROTOCOL_IMAP, lookup (section, "Host"), lookup (section, "Port"),
                                    security == MS_SECURITY_TLS ? 993 : 143, security, user, error);
  if (server == NULL)
    return NULL;
  ms_program_files_take_auth (server, lookup (section, "AuthMechs"));

  account = ms_existing_account_new (MS_MAIL_PROGRAM_MBSYNC, section->name, path);
  /* mbsync knows no address; a user name that is one is the best guess the
   * doctor gets for the provider. */
  if (user != NULL && ms_validate_address (user, "User", NULL))
    account->address = g_ascii_strdown (user, -1);
  if (user != NULL)
    account->incoming_password = password_of (section);
  account->incoming = g_steal_pointer (&server);

  return g_steal_pointer (&account);
}

static void
read_file (const char         *path,
           MsAccountInventory *inventory)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  gsize length;

  if (!ms_program_files_read (MS_MAIL_PROGRAM_MBSYNC, path, inventory, &contents, &length))
    return;

  sections = parse (contents, length);
  for (guint i = 0; i < sections->len; i++)
    {
      Section *section = g_ptr_array_index (sections, i);
      g_autoptr(MsExistingAccount) account = NULL;
      g_autoptr(GError) error = NULL;

      account = account_of (path, section, &error);
      ms_program_files_add_account (inventory, MS_MAIL_PROGRAM_MBSYNC, path, section->line, account, error);
    }
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  g_autofree char *home = g_build_filename (places->home, ".mbsyncrc", NULL);
  g_autofree char *xdg = g_build_filename (places->config_dir, "isyncrc", NULL);

  /* mbsync reads the first that exists. */
  read_file (g_file_test (home, G_FILE_TEST_EXISTS) ? home : xdg, inventory);
}

static GStrv
files (MsExistingAccount *account)
{
  return ms_program_files_paths (account->location, NULL);
}

static void
set_value (Section    *section,
           GArray     *edits,
           GString    *added,
           const char *keyword,
           const char *value,
           const char *text)
{
  gboolean own = FALSE;

  for (guint i = 0; i < section->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (section->settings, i);

      if (g_ascii_strcasecmp (setting->keyword, keyword) != 0)
        continue;
      own = TRUE;
      if (g_strcmp0 (setting->value, value) != 0)
        ms_config_edits_add (edits, setting->value_start, setting->value_end, g_strdup (text));
    }
  if (!own)
    g_string_append_printf (added, "%s %s\n", keyword, text);
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
  const MsServer *server = target->incoming;
  g_autofree char *port = NULL;
  Section *section = NULL;

  for (guint i = 0; i < sections->len && section == NULL; i++)
    if (g_str_equal (((Section *) g_ptr_array_index (sections, i))->name, account->key))
      section = g_ptr_array_index (sections, i);
  if (section == NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("The mbsync account “%s” is no longer in %s."), account->key, path);
      return NULL;
    }
  if (server == NULL || server->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                           _("mbsync only syncs IMAP accounts."));
      return NULL;
    }
  if (!ms_export_syntax_check_hostname (server->hostname, _("the server name"), ".mbsyncrc", error))
    return NULL;

  port = g_strdup_printf ("%u", server->port);
  set_value (section, edits, added, "Host", server->hostname, server->hostname);
  set_value (section, edits, added, "Port", port, port);
  set_value (section, edits, added, lookup (section, "TLSType") != NULL ? "TLSType" : "SSLType",
             ms_export_security_word (MS_EXPORT_SECURITY_MBSYNC, server->security),
             ms_export_security_word (MS_EXPORT_SECURITY_MBSYNC, server->security));
  if (server->username != NULL)
    {
      g_autofree char *user = ms_export_syntax_isync_arg (server->username, _("the user name"), error);

      if (user == NULL)
        return NULL;
      set_value (section, edits, added, "User", server->username, user);
    }

  ms_config_edits_insert_lines (edits, section->insert_at, section->needs_break, added);

  return ms_config_edits_apply (edits, contents, length);
}

const MsMailProgramBackend ms_program_mbsync = {
  .program = MS_MAIL_PROGRAM_MBSYNC,
  .read = read_accounts,
  .is_running = NULL,
  .files = files,
  .update = update,
};
