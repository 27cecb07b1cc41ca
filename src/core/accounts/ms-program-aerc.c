/* ms-program-aerc.c: aerc's IMAP accounts: read, and repaired in place
 *
 * aerc 0.14 reads $XDG_CONFIG_HOME/aerc/accounts.conf with go-ini: one
 * [section] per account, "key = value"; "#" and ";" start a comment line,
 * and in a value not in backticks they start an inline comment; a value
 * in backticks runs to the last one on the line, as it is; then a pair of
 * quotes around the whole value goes.
 * The servers are URLs: imaps:// (TLS), imap:// (STARTTLS),
 * imap+insecure:// (none), smtps://, smtp:// (STARTTLS), smtp+insecure://,
 * with "+plain", "+login", "+none", "+oauthbearer" choosing how to log in.
 *
 * aerc writes accounts.conf itself (its new-account wizard), so a repair
 * waits until aerc is closed.
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
#include "ms-running-program.h"
#include "ms-validate.h"

#define FORMAT "accounts.conf"

typedef struct
{
  char  *key;
  char  *value;
  char   quote;        /* '`', '"' or '\0' */
  gsize  value_start;
  gsize  value_end;
} Setting;

typedef struct
{
  char      *name;
  guint      line;
  GPtrArray *settings;
} Section;

static void
setting_free (Setting *setting)
{
  g_free (setting->key);
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

static Setting *
lookup_setting (Section    *section,
                const char *key)
{
  Setting *found = NULL;

  for (guint i = 0; i < section->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (section->settings, i);

      if (g_str_equal (setting->key, key))
        found = setting;
    }

  return found;
}

static const char *
lookup (Section    *section,
        const char *key)
{
  Setting *setting = lookup_setting (section, key);

  return setting != NULL ? setting->value : NULL;
}

/* go-ini's surrounding quotes: exactly two, one at each end. */
static gboolean
has_surrounding (const char *value,
                 gsize       length,
                 char        quote)
{
  guint count = 0;

  for (gsize i = 0; i < length; i++)
    count += value[i] == quote;

  return length >= 2 && value[0] == quote && value[length - 1] == quote && count == 2;
}

/* go-ini's readValue, on [start, end) of one line after the "=":
 * backticks run to the last backtick; otherwise "#" or ";" cut the value,
 * then a pair of surrounding quotes goes. */
static Setting *
parse_value (const char *contents,
             gsize       start,
             gsize       end)
{
  Setting *setting = g_new0 (Setting, 1);
  gsize close;

  start = ms_config_lexer_skip_space (contents, start, end);
  end = ms_config_lexer_trim_end (contents, start, end);
  if (start < end && contents[start] == '`')
    {
      for (close = end; close > start + 1 && contents[close - 1] != '`'; close--)
        ;
      if (close > start + 1)
        end = close;
    }
  else
    {
      for (close = start; close < end && contents[close] != '#' && contents[close] != ';'; close++)
        ;
      end = ms_config_lexer_trim_end (contents, start, close);
    }

  if (end - start >= 2 && contents[start] == '`' && contents[end - 1] == '`')
    setting->quote = '`';
  else if (has_surrounding (contents + start, end - start, '"'))
    setting->quote = '"';
  else if (has_surrounding (contents + start, end - start, '\''))
    setting->quote = '\'';
  if (setting->quote != '\0')
    setting->value = g_strndup (contents + start + 1, end - start - 2);
  else
    setting->value = g_strndup (contents + start, end - start);
  setting->value_start = start;
  setting->value_end = end;

  return setting;
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
    {
      gsize start = ms_config_lexer_skip_space (contents, line.start, line.end);
      gsize end = ms_config_lexer_trim_end (contents, start, line.end);
      const char *equals;

      if (start == end || contents[start] == '#' || contents[start] == ';')
        continue;
      if (contents[start] == '[')
        {
          const char *close = g_strrstr_len (contents + start, end - start, "]");

          current = g_new0 (Section, 1);
          current->name = g_strstrip (g_strndup (contents + start + 1,
                                                 (close != NULL ? close : contents + end) - contents - start - 1));
          current->line = line.number;
          current->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
          g_ptr_array_add (sections, current);
          continue;
        }
      equals = memchr (contents + start, '=', end - start);
      if (current != NULL && equals != NULL)
        {
          Setting *setting = parse_value (contents, equals - contents + 1, end);

          setting->key = g_strstrip (g_strndup (contents + start, equals - contents - start));
          g_ptr_array_add (current->settings, setting);
        }
    }

  return sections;
}

/* "imaps+oauthbearer" → the base scheme, and the security it means; FALSE
 * for a scheme that is not an IMAP or SMTP server (maildir://, notmuch://,
 * jmap://, a sendmail command). */
static gboolean
scheme_security (const char  *scheme,
                 MsProtocol   protocol,
                 MsSecurity  *security,
                 gboolean    *login)
{
  g_auto(GStrv) parts = g_strsplit (scheme, "+", -1);
  const char *base = protocol == MS_PROTOCOL_IMAP ? "imap" : "smtp";
  g_autofree char *secure = g_strconcat (base, "s", NULL);

  if (g_str_equal (parts[0], secure))
    *security = MS_SECURITY_TLS;
  else if (g_str_equal (parts[0], base))
    *security = MS_SECURITY_STARTTLS;
  else
    return FALSE;

  *login = TRUE;
  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "insecure"))
        *security = MS_SECURITY_NONE;
      else if (g_str_equal (parts[i], "none"))
        *login = FALSE;
    }

  return TRUE;
}

/* TRUE with *server NULL: the key is not an IMAP or SMTP URL. */
static gboolean
server_of (Section     *section,
           const char  *key,
           MsProtocol   protocol,
           MsServer   **server,
           GError     **error)
{
  const char *value = lookup (section, key);
  g_auto(MsMailUrl) url = { NULL };
  MsSecurity security;
  gboolean login;
  guint16 port;

  *server = NULL;
  if (value != NULL && !ms_mail_url_parse (value, &url) &&
      g_str_has_prefix (value, protocol == MS_PROTOCOL_IMAP ? "imap" : "smtp"))
    {
      g_set_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID,
                   _("The %s address is not a server address aerc reads."), key);
      return FALSE;
    }
  if (url.scheme == NULL || !scheme_security (url.scheme, protocol, &security, &login))
    return TRUE;

  if (protocol == MS_PROTOCOL_IMAP)
    port = security == MS_SECURITY_TLS ? 993 : 143;
  else
    port = security == MS_SECURITY_TLS ? 465 : 587;
  *server = ms_program_files_server (protocol, url.host, url.port, port, security,
                                     login ? url.user : NULL, error);
  if (login)
    ms_program_files_take_auth (*server, url.scheme);

  return *server != NULL;
}

static MsPasswordLocation *
password_of (Section    *section,
             const char *key)
{
  g_autofree char *command_key = g_strconcat (key, "-cred-cmd", NULL);
  const char *command = lookup (section, command_key);
  g_auto(MsMailUrl) url = { NULL };

  if (ms_mail_url_parse (lookup (section, key), &url) && url.password != NULL)
    return ms_password_location_new (MS_PASSWORD_SOURCE_IN_FILE);
  if (command != NULL)
    return ms_program_files_password_from_command (command);

  return ms_password_location_new (MS_PASSWORD_SOURCE_NONE);
}

static MsExistingAccount *
account_of (const char  *path,
            Section     *section,
            GError     **error)
{
  const char *from = lookup (section, "from");
  g_autoptr(MsExistingAccount) account = NULL;
  g_autoptr(MsServer) imap = NULL;
  g_autoptr(MsServer) smtp = NULL;

  if (!ms_validate_display_name (section->name, _("The account name"), error) ||
      !server_of (section, "source", MS_PROTOCOL_IMAP, &imap, error) ||
      !server_of (section, "outgoing", MS_PROTOCOL_SMTP, &smtp, error))
    return NULL;
  if (imap == NULL)
    return NULL;

  account = ms_existing_account_new (MS_MAIL_PROGRAM_AERC, section->name, path);
  if (from != NULL &&
      !ms_program_files_address (from, _("The sender address"), &account->address,
                                 &account->display_name, error))
    return NULL;
  if (imap->username != NULL)
    account->incoming_password = password_of (section, "source");
  if (smtp != NULL && smtp->username != NULL)
    account->outgoing_password = password_of (section, "outgoing");
  account->incoming = g_steal_pointer (&imap);
  account->outgoing = g_steal_pointer (&smtp);

  return g_steal_pointer (&account);
}

static char *
config_path (const MsAccountPlaces *places)
{
  return g_build_filename (places->config_dir, "aerc", "accounts.conf", NULL);
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  g_autofree char *path = config_path (places);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  gsize length;

  if (!ms_program_files_read (MS_MAIL_PROGRAM_AERC, path, inventory, &contents, &length))
    return;

  sections = parse (contents, length);
  for (guint i = 0; i < sections->len; i++)
    {
      Section *section = g_ptr_array_index (sections, i);
      g_autoptr(MsExistingAccount) account = NULL;
      g_autoptr(GError) error = NULL;

      /* No error: a maildir or notmuch account, with no server to repair. */
      account = account_of (path, section, &error);
      ms_program_files_add_account (inventory, MS_MAIL_PROGRAM_AERC, path, section->line, account, error);
    }
}

static gboolean
is_running (MsExistingAccount  *account,
            char              **why)
{
  return ms_running_program_check ("aerc", account->location,
                                   _("aerc is open, and it rewrites its accounts file: quit aerc and try again"),
                                   why);
}

static GStrv
files (MsExistingAccount *account)
{
  return ms_program_files_paths (account->location, NULL);
}

/* The scheme for @security, keeping how the old one logged in:
 * aerc reads "smtp+plain+insecure", the login method before "insecure". */
static char *
new_scheme (const char *old,
            MsProtocol  protocol,
            MsSecurity  security)
{
  g_auto(GStrv) parts = g_strsplit (old, "+", -1);
  GString *scheme = g_string_new (protocol == MS_PROTOCOL_IMAP ? "imap" : "smtp");

  if (security == MS_SECURITY_TLS)
    g_string_append_c (scheme, 's');
  for (guint i = 1; parts[i] != NULL; i++)
    if (!g_str_equal (parts[i], "insecure"))
      g_string_append_printf (scheme, "+%s", parts[i]);
  if (security == MS_SECURITY_NONE)
    g_string_append (scheme, "+insecure");

  return g_string_free (scheme, FALSE);
}

static gboolean
update_url (Section         *section,
            const char      *key,
            const MsServer  *server,
            GArray          *edits,
            GError         **error)
{
  Setting *setting = lookup_setting (section, key);
  g_auto(MsMailUrl) url = { NULL };
  g_autofree char *scheme = NULL;
  g_autofree char *text = NULL;
  MsSecurity security;
  gboolean login;
  char quote;

  if (setting == NULL || !ms_mail_url_parse (setting->value, &url) ||
      !scheme_security (url.scheme, server->protocol, &security, &login))
    return TRUE;

  scheme = new_scheme (url.scheme, server->protocol, server->security);
  text = ms_mail_url_build (&url, scheme, server, FORMAT, error);
  if (text == NULL || !ms_export_syntax_check_text (text, _("the server’s address"), FORMAT, error))
    return FALSE;
  if (g_str_equal (text, setting->value))
    return TRUE;

  /* go-ini takes a value in backticks to the last one on its line;
   * between double or single quotes, no other may appear. */
  quote = setting->quote;
  if ((quote == '\0' && strpbrk (text, "#;`\"'") != NULL) ||
      (quote != '\0' && quote != '`' && strchr (text, quote) != NULL))
    quote = '`';
  ms_config_edits_add (edits, setting->value_start, setting->value_end,
                       quote != '\0' ? g_strdup_printf ("%c%s%c", quote, text, quote) : g_steal_pointer (&text));

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
  Section *section = NULL;

  for (guint i = 0; i < sections->len; i++)
    if (g_str_equal (((Section *) g_ptr_array_index (sections, i))->name, account->key))
      section = g_ptr_array_index (sections, i);
  if (section == NULL || lookup (section, "source") == NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("The aerc account “%s” is no longer in %s."), account->key, path);
      return NULL;
    }
  if (target->incoming->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                           _("aerc reads mail over IMAP only."));
      return NULL;
    }

  /* An outgoing line that is a sendmail command stays one. */
  if (!update_url (section, "source", target->incoming, edits, error) ||
      !update_url (section, "outgoing", target->outgoing, edits, error))
    return NULL;

  return ms_config_edits_apply (edits, contents, length);
}

const MsMailProgramBackend ms_program_aerc = {
  .program = MS_MAIL_PROGRAM_AERC,
  .read = read_accounts,
  .is_running = is_running,
  .files = files,
  .update = update,
};
