/* ms-program-neomutt.c: neomutt's account: read, and repaired in place
 *
 * NeoMutt 20220429 reads the first of its rc files that exists, and the
 * files it sources (read here to a bounded depth, each once; a "source
 * COMMAND |" is never run). One configuration is one account: the key is
 * that file. Commands split at an unquoted ";", "#" starts a comment
 * outside quotes, "..." takes backslash escapes and backticks, '...' is
 * literal, and `...` outside single quotes runs a command. Read: folder,
 * spool_file, smtp_url (imap[s]://, pop[s]://, smtp[s]://), imap_user,
 * smtp_user, imap_pass, smtp_pass, from, real_name, ssl_starttls and
 * ssl_force_tls (both on by default in this release).
 *
 * Not read: account-hook and folder-hook (their "set" runs only later, in
 * a mailbox the hook names), "$variables" in values and lines continued
 * with a backslash.
 *
 * neomutt never writes its rc files, and reads them only at start: a
 * repair needs no check for a running neomutt; it takes effect at the
 * next start.
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

#define MAX_DEPTH 8

typedef enum
{
  TOKEN_WORD,
  TOKEN_EQUALS,
  TOKEN_SEMICOLON,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  gsize      start;
  gsize      end;
  char      *value;
  gboolean   backtick;  /* a command substitution: value is the raw text */
  gboolean   dollar;    /* an unquoted or double-quoted "$": expanded by neomutt */
} Token;

/* One "set NAME = VALUE" (or "set NAME", "set noNAME", "unset NAME"). */
typedef struct
{
  char     *name;
  char     *value;
  char     *file;
  guint     line;
  gsize     start;      /* the value token, when there is one */
  gsize     end;
  gboolean  has_value;
  gboolean  backtick;
  gboolean  dollar;
} Assignment;

typedef struct
{
  GPtrArray  *assignments;   /* in the order neomutt runs them */
  GPtrArray  *files;         /* every file read, the first one first */
  GHashTable *seen;
  gboolean    sources_command;
  gboolean    follow;        /* FALSE: this file only, for a repair */
  MsAccountInventory *inventory;
} Walk;

static void
clear_token (gpointer data)
{
  g_clear_pointer (&((Token *) data)->value, g_free);
}

static void
assignment_free (Assignment *assignment)
{
  g_free (assignment->name);
  g_free (assignment->value);
  g_free (assignment->file);
  g_free (assignment);
}

/* One word from @i; returns where it ends. */
static gsize
read_word (const char *contents,
           gsize       i,
           gsize       end,
           Token      *token)
{
  GString *value = g_string_new (NULL);
  char quote = '\0';

  for (; i < end; i++)
    {
      char c = contents[i];

      if (quote == '\0' && strchr (" \t;=#", c) != NULL)
        break;
      if (c == '\\' && quote != '\'' && i + 1 < end)
        g_string_append_c (value, contents[++i]);
      else if (quote != '\0' && c == quote)
        quote = '\0';
      else if (quote == '\0' && (c == '"' || c == '\''))
        quote = c;
      else
        {
          if (c == '`' && quote != '\'')
            token->backtick = TRUE;
          if (c == '$' && quote != '\'')
            token->dollar = TRUE;
          g_string_append_c (value, c);
        }
    }
  token->value = g_string_free (value, FALSE);

  return i;
}

static GArray *
tokenize (const char *contents,
          gsize       start,
          gsize       end)
{
  GArray *tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  gsize i = ms_config_lexer_skip_space (contents, start, end);

  g_array_set_clear_func (tokens, clear_token);
  while (i < end && contents[i] != '#')
    {
      Token token = { TOKEN_WORD, i, i, NULL, FALSE, FALSE };

      if (contents[i] == '=' || contents[i] == ';')
        {
          token.kind = contents[i] == '=' ? TOKEN_EQUALS : TOKEN_SEMICOLON;
          token.end = ++i;
        }
      else
        token.end = i = read_word (contents, i, end, &token);
      g_array_append_val (tokens, token);
      i = ms_config_lexer_skip_space (contents, i, end);
    }

  return tokens;
}

/* The names this release renamed, read under their current name. */
static const char *
canonical_name (const char *name)
{
  if (g_str_equal (name, "spoolfile"))
    return "spool_file";
  if (g_str_equal (name, "realname"))
    return "real_name";

  return name;
}

static const char *const interesting[] = {
  "folder", "spool_file", "record", "postponed", "trash", "smtp_url",
  "imap_user", "smtp_user", "pop_user", "imap_pass", "smtp_pass", "pop_pass", "from", "real_name",
  "ssl_starttls", "ssl_force_tls", "mailboxes", "imap_authenticators", "smtp_authenticators",
  "pop_authenticators", NULL,
};

static gboolean
is_interesting (const char *name)
{
  return g_strv_contains (interesting, name);
}

static void
add_assignment (Walk        *walk,
                const char  *name,
                const Token *token,
                const char  *value,
                const char  *file,
                guint        line)
{
  Assignment *assignment;

  name = canonical_name (name);
  if (!is_interesting (name))
    return;

  assignment = g_new0 (Assignment, 1);
  assignment->name = g_strdup (name);
  assignment->value = g_strdup (value != NULL ? value : token->value);
  assignment->file = g_strdup (file);
  assignment->line = line;
  assignment->start = token->start;
  assignment->end = token->end;
  assignment->has_value = value == NULL;
  assignment->backtick = value == NULL && token->backtick;
  assignment->dollar = value == NULL && token->dollar;
  g_ptr_array_add (walk->assignments, assignment);
}

/* "set a = b c nod", "unset a b", "mailboxes x y" over tokens [from, to). */
static void
run_set (Walk       *walk,
         GArray     *tokens,
         guint       from,
         guint       to,
         const char *file,
         guint       line)
{
  const char *command = g_array_index (tokens, Token, from).value;
  gboolean unset = g_str_equal (command, "unset") || g_str_equal (command, "reset");
  gboolean mailboxes = g_str_equal (command, "mailboxes");

  for (guint k = from + 1; k < to; k++)
    {
      const Token *word = &g_array_index (tokens, Token, k);
      const char *name = word->value;

      if (word->kind != TOKEN_WORD)
        continue;
      if (mailboxes)
        add_assignment (walk, "mailboxes", word, NULL, file, line);
      else if (unset)
        add_assignment (walk, name, word, "no", file, line);
      else if (k + 2 < to && g_array_index (tokens, Token, k + 1).kind == TOKEN_EQUALS &&
               g_array_index (tokens, Token, k + 2).kind == TOKEN_WORD)
        {
          add_assignment (walk, name, &g_array_index (tokens, Token, k + 2), NULL, file, line);
          k += 2;
        }
      else if (g_str_has_prefix (name, "no"))
        add_assignment (walk, name + 2, word, "no", file, line);
      else if (g_str_has_prefix (name, "inv"))
        add_assignment (walk, name + 3, word, "toggle", file, line);
      else
        add_assignment (walk, name, word, "yes", file, line);
    }
}

static void walk_file (Walk       *walk,
                       const char *home,
                       const char *path,
                       guint       depth);

static void
run_source (Walk        *walk,
            const char  *home,
            const char  *file,
            const Token *word,
            guint        line,
            guint        depth)
{
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *path = NULL;

  if (g_str_has_suffix (word->value, "|") || word->backtick)
    {
      /* A command's output (often a decrypted password file): never run. */
      walk->sources_command = TRUE;
      return;
    }
  if (g_str_has_prefix (word->value, "~/"))
    path = g_build_filename (home, word->value + 2, NULL);
  else if (g_path_is_absolute (word->value))
    path = g_strdup (word->value);
  else
    path = g_build_filename (dir, word->value, NULL);

  if (depth >= MAX_DEPTH)
    ms_account_inventory_add_problem (walk->inventory, MS_MAIL_PROGRAM_NEOMUTT, file, line,
                                      _("Files are sourced too deeply: %s was not read."), word->value);
  else
    walk_file (walk, home, path, depth + 1);
}

static const char *const set_commands[] = { "set", "unset", "reset", "mailboxes", NULL };

static void
run_line (Walk       *walk,
          const char *home,
          const char *contents,
          const MsConfigLine *line,
          const char *file,
          guint       depth)
{
  g_autoptr(GArray) tokens = tokenize (contents, line->start, line->end);
  guint from = 0;

  while (from < tokens->len)
    {
      guint to = from;
      const char *command;

      while (to < tokens->len && g_array_index (tokens, Token, to).kind != TOKEN_SEMICOLON)
        to++;
      command = g_array_index (tokens, Token, from).value;
      if (g_array_index (tokens, Token, from).kind == TOKEN_WORD && command != NULL)
        {
          if (g_strv_contains (set_commands, command))
            run_set (walk, tokens, from, to, file, line->number);
          else if (g_str_equal (command, "source") && walk->follow)
            for (guint k = from + 1; k < to; k++)
              if (g_array_index (tokens, Token, k).kind == TOKEN_WORD)
                run_source (walk, home, file, &g_array_index (tokens, Token, k), line->number, depth);
        }
      from = to + 1;
    }
}

static void
walk_contents (Walk       *walk,
               const char *home,
               const char *path,
               const char *contents,
               gsize       length,
               guint       depth)
{
  MsConfigLine line = { 0 };
  gsize offset = 0;

  while (ms_config_lexer_next_line (contents, length, &offset, &line))
    run_line (walk, home, contents, &line, path, depth);
}

static void
walk_file (Walk       *walk,
           const char *home,
           const char *path,
           guint       depth)
{
  g_autofree char *contents = NULL;
  g_autofree char *real = NULL;
  gsize length;

  /* Each file once: "source" loops are no loops here. */
  real = g_canonicalize_filename (path, NULL);
  if (g_hash_table_contains (walk->seen, real))
    return;
  g_hash_table_add (walk->seen, g_strdup (real));

  if (!ms_program_files_read (MS_MAIL_PROGRAM_NEOMUTT, path, walk->inventory, &contents, &length))
    return;
  g_ptr_array_add (walk->files, g_strdup (path));
  walk_contents (walk, home, path, contents, length, depth);
}

static void
walk_init (Walk               *walk,
           MsAccountInventory *inventory,
           gboolean            follow)
{
  memset (walk, 0, sizeof *walk);
  walk->assignments = g_ptr_array_new_with_free_func ((GDestroyNotify) assignment_free);
  walk->files = g_ptr_array_new_with_free_func (g_free);
  walk->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk->inventory = inventory != NULL ? g_object_ref (inventory) : ms_account_inventory_new ();
  walk->follow = follow;
}

static void
walk_clear (Walk *walk)
{
  g_clear_pointer (&walk->assignments, g_ptr_array_unref);
  g_clear_pointer (&walk->files, g_ptr_array_unref);
  g_clear_pointer (&walk->seen, g_hash_table_unref);
  g_clear_object (&walk->inventory);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Walk, walk_clear)

static Assignment *
last (Walk       *walk,
      const char *name)
{
  for (guint i = walk->assignments->len; i > 0; i--)
    {
      Assignment *assignment = g_ptr_array_index (walk->assignments, i - 1);

      if (g_str_equal (assignment->name, name))
        return assignment;
    }

  return NULL;
}

static gboolean
is_yes (Walk       *walk,
        const char *name)
{
  Assignment *assignment = last (walk, name);

  /* Both are on by default in 20220429. */
  return assignment == NULL || g_ascii_strcasecmp (assignment->value, "yes") == 0;
}

static gboolean
scheme_of (const char *scheme,
           MsProtocol *protocol,
           gboolean   *secure)
{
  static const struct { const char *name; MsProtocol protocol; gboolean secure; } schemes[] = {
    { "imap", MS_PROTOCOL_IMAP, FALSE }, { "imaps", MS_PROTOCOL_IMAP, TRUE },
    { "pop", MS_PROTOCOL_POP3, FALSE }, { "pops", MS_PROTOCOL_POP3, TRUE },
    { "smtp", MS_PROTOCOL_SMTP, FALSE }, { "smtps", MS_PROTOCOL_SMTP, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_str_equal (scheme, schemes[i].name))
      {
        *protocol = schemes[i].protocol;
        *secure = schemes[i].secure;
        return TRUE;
      }

  return FALSE;
}

/* TRUE with *server NULL: @assignment is no server URL (a local folder). */
static gboolean
server_of (Walk        *walk,
           Assignment  *assignment,
           const char  *user_variable,
           MsServer   **server,
           GError     **error)
{
  g_auto(MsMailUrl) url = { NULL };
  Assignment *user = last (walk, user_variable);
  Assignment *authenticators;
  const char *username = NULL;
  MsProtocol protocol;
  gboolean secure;
  MsSecurity security;

  *server = NULL;
  if (assignment == NULL)
    return TRUE;
  if (assignment->backtick || assignment->dollar)
    {
      g_set_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID,
                   _("%s is computed by a command or a variable, which Mail Setup does not run."),
                   assignment->name);
      return FALSE;
    }
  if (!ms_mail_url_parse (assignment->value, &url) || !scheme_of (url.scheme, &protocol, &secure))
    return TRUE;

  if (protocol == MS_PROTOCOL_POP3)
    user = last (walk, "pop_user");
  security = secure ? MS_SECURITY_TLS : is_yes (walk, "ssl_force_tls") ? MS_SECURITY_STARTTLS : MS_SECURITY_NONE;
  if (url.user != NULL && *url.user != '\0')
    username = url.user;
  else if (user != NULL && *user->value != '\0' && !user->backtick && !user->dollar)
    username = user->value;
  *server = ms_program_files_server (protocol, url.host, url.port,
                                     ms_protocol_default_port (protocol, secure ? MS_SECURITY_TLS : MS_SECURITY_NONE),
                                     security, username, error);
  authenticators = last (walk, protocol == MS_PROTOCOL_IMAP ? "imap_authenticators" :
                               protocol == MS_PROTOCOL_POP3 ? "pop_authenticators" : "smtp_authenticators");
  if (authenticators != NULL && !authenticators->backtick && !authenticators->dollar)
    ms_program_files_take_auth (*server, authenticators->value);

  return *server != NULL;
}

static MsPasswordLocation *
password_of (Walk       *walk,
             Assignment *url_assignment,
             const char *variable)
{
  Assignment *pass = last (walk, variable);
  g_auto(MsMailUrl) url = { NULL };

  if (ms_mail_url_parse (url_assignment->value, &url) && url.password != NULL)
    return ms_password_location_new (MS_PASSWORD_SOURCE_IN_FILE);
  if (pass != NULL && pass->backtick)
    {
      g_autofree char *command = g_strdup (pass->value);

      /* "`secret-tool lookup …`", the whole value one substitution. */
      if (g_str_has_prefix (command, "`") && g_str_has_suffix (command, "`") && strlen (command) > 2 &&
          strchr (command + 1, '`') == command + strlen (command) - 1)
        {
          command[strlen (command) - 1] = '\0';
          return ms_program_files_password_from_command (command + 1);
        }
      return ms_password_location_new (MS_PASSWORD_SOURCE_COMMAND);
    }
  if (pass != NULL && *pass->value != '\0')
    return ms_password_location_new (MS_PASSWORD_SOURCE_IN_FILE);
  if (walk->sources_command)
    return ms_password_location_new (MS_PASSWORD_SOURCE_COMMAND);

  return ms_password_location_new (MS_PASSWORD_SOURCE_NONE);
}

static Assignment *
incoming_assignment (Walk *walk)
{
  Assignment *folder = last (walk, "folder");
  g_auto(MsMailUrl) url = { NULL };

  if (folder != NULL && (folder->backtick || folder->dollar || ms_mail_url_parse (folder->value, &url)))
    return folder;

  return last (walk, "spool_file");
}

static MsExistingAccount *
account_of (Walk        *walk,
            const char  *path,
            GError     **error)
{
  Assignment *in = incoming_assignment (walk);
  Assignment *out = last (walk, "smtp_url");
  Assignment *from = last (walk, "from");
  Assignment *name = last (walk, "real_name");
  g_autoptr(MsExistingAccount) account = NULL;
  g_autoptr(MsServer) incoming = NULL;
  g_autoptr(MsServer) outgoing = NULL;

  if (!server_of (walk, in, "imap_user", &incoming, error) ||
      !server_of (walk, out, "smtp_user", &outgoing, error))
    return NULL;
  if (incoming == NULL && outgoing == NULL)
    return NULL;
  if (incoming != NULL && incoming->protocol == MS_PROTOCOL_SMTP)
    g_clear_pointer (&incoming, ms_server_unref);

  account = ms_existing_account_new (MS_MAIL_PROGRAM_NEOMUTT, path, path);
  if (from != NULL && *from->value != '\0' &&
      !ms_program_files_address (from->value, _("The sender address"), &account->address,
                                 &account->display_name, error))
    return NULL;
  if (name != NULL && *name->value != '\0')
    {
      if (!ms_validate_display_name (name->value, _("The name"), error))
        return NULL;
      g_free (account->display_name);
      account->display_name = g_strdup (name->value);
    }
  if (incoming != NULL && incoming->username != NULL)
    account->incoming_password = password_of (walk, in, incoming->protocol == MS_PROTOCOL_IMAP ? "imap_pass" : "pop_pass");
  if (outgoing != NULL && outgoing->username != NULL)
    account->outgoing_password = password_of (walk, out, "smtp_pass");
  if (out != NULL && g_strcmp0 (out->file, path) != 0)
    account->outgoing_location = g_strdup (out->file);
  account->incoming = g_steal_pointer (&incoming);
  account->outgoing = g_steal_pointer (&outgoing);

  return g_steal_pointer (&account);
}

/* neomutt's own order (init.c): the first that exists is the one it reads. */
static char *
find_rc (const MsAccountPlaces *places)
{
  static const char *const names[] = { "neomuttrc", "muttrc" };
  g_autofree char *xdg_neomutt = g_build_filename (places->config_dir, "neomutt", NULL);
  g_autofree char *xdg_mutt = g_build_filename (places->config_dir, "mutt", NULL);
  g_autofree char *home_neomutt = g_build_filename (places->home, ".neomutt", NULL);
  g_autofree char *home_mutt = g_build_filename (places->home, ".mutt", NULL);
  const char *dirs[] = { xdg_neomutt, xdg_mutt, home_neomutt, home_mutt };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    for (guint j = 0; j < G_N_ELEMENTS (names); j++)
      {
        g_autofree char *path = g_build_filename (dirs[i], names[j], NULL);

        if (g_file_test (path, G_FILE_TEST_EXISTS))
          return g_steal_pointer (&path);
      }
  for (guint j = 0; j < G_N_ELEMENTS (names); j++)
    {
      g_autofree char *dotted = g_strconcat (".", names[j], NULL);
      g_autofree char *path = g_build_filename (places->home, dotted, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  return NULL;
}

static void
read_accounts (const MsAccountPlaces *places,
               MsAccountInventory    *inventory,
               GCancellable          *cancellable)
{
  g_autofree char *path = find_rc (places);
  g_auto(Walk) walk = { NULL };
  g_autoptr(MsExistingAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;

  walk_init (&walk, inventory, TRUE);
  walk_file (&walk, places->home, path, 0);
  account = account_of (&walk, path, &error);
  ms_program_files_add_account (inventory, MS_MAIL_PROGRAM_NEOMUTT, path, 0, account, error);
}

/* The home a "~/" in @location's sources means: the one the file is in. */
static char *
home_of (MsExistingAccount *account)
{
  const char *home = g_get_home_dir ();

  if (g_str_has_prefix (account->location, home))
    return g_strdup (home);

  /* A made-up home (tests): the folder that holds .neomuttrc or .config. */
  {
    g_autofree char *dir = g_path_get_dirname (account->location);

    while (g_str_has_suffix (dir, "/.config") || g_str_has_suffix (dir, "/neomutt") ||
           g_str_has_suffix (dir, "/mutt") || g_str_has_suffix (dir, "/.neomutt") ||
           g_str_has_suffix (dir, "/.mutt"))
      {
        char *parent = g_path_get_dirname (dir);

        g_free (dir);
        dir = parent;
      }
    return g_steal_pointer (&dir);
  }
}

static GStrv
files (MsExistingAccount *account)
{
  g_autofree char *home = home_of (account);
  g_auto(Walk) walk = { NULL };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  walk_init (&walk, NULL, TRUE);
  walk_file (&walk, home, account->location, 0);
  g_strv_builder_add (builder, account->location);
  for (guint i = 1; i < walk.files->len; i++)
    {
      const char *file = g_ptr_array_index (walk.files, i);

      for (guint j = 0; j < walk.assignments->len; j++)
        if (g_str_equal (((Assignment *) g_ptr_array_index (walk.assignments, j))->file, file))
          {
            g_strv_builder_add (builder, file);
            break;
          }
    }

  return g_strv_builder_end (builder);
}

typedef struct
{
  MsExistingAccount *account;
  MsAccountSettings *target;
  Walk              *here;     /* this file's assignments, with their spans */
  Walk              *all;      /* every file's, for what is set anywhere */
  GArray            *edits;
  GString           *added;
  gboolean           is_main;
} Update;

static gboolean
same_host (const MsServer *server,
           const char     *host)
{
  return server != NULL && host != NULL && g_ascii_strcasecmp (server->hostname, host) == 0;
}

/* @assignment's URL, when it is @old's server, pointed at @server; a user
 * name goes into the URL only where one was. */
static gboolean
rewrite_url (Update          *update,
             Assignment      *assignment,
             const MsServer  *old,
             const MsServer  *server,
             GError         **error)
{
  g_auto(MsMailUrl) url = { NULL };
  g_autoptr(MsServer) written = NULL;
  g_autofree char *text = NULL;
  g_autofree char *quoted = NULL;
  MsProtocol protocol;
  gboolean secure;
  const char *scheme;

  if (assignment->backtick || assignment->dollar || !ms_mail_url_parse (assignment->value, &url) ||
      !scheme_of (url.scheme, &protocol, &secure) || !same_host (old, url.host) ||
      ms_protocol_is_incoming (protocol) != ms_protocol_is_incoming (server->protocol))
    return TRUE;

  written = ms_server_copy (server);
  if (url.user == NULL)
    g_clear_pointer (&written->username, g_free);
  if (server->protocol == MS_PROTOCOL_SMTP)
    scheme = server->security == MS_SECURITY_TLS ? "smtps" : "smtp";
  else if (server->protocol == MS_PROTOCOL_POP3)
    scheme = server->security == MS_SECURITY_TLS ? "pops" : "pop";
  else
    scheme = server->security == MS_SECURITY_TLS ? "imaps" : "imap";
  text = ms_mail_url_build (&url, scheme, written, "neomuttrc", error);
  if (text == NULL || (quoted = ms_export_syntax_mutt_string (text, _("the server’s address"), error)) == NULL)
    return FALSE;
  if (!g_str_equal (text, assignment->value))
    ms_config_edits_add (update->edits, assignment->start, assignment->end, g_steal_pointer (&quoted));

  return TRUE;
}

/* imap_user, smtp_user: rewritten where set; set once in the main file
 * where no URL and no line names the user yet. */
static gboolean
set_user (Update          *update,
          const char      *variable,
          Assignment      *url_assignment,
          const MsServer  *old,
          const MsServer  *server,
          GError         **error)
{
  g_auto(MsMailUrl) url = { NULL };
  g_autofree char *quoted = NULL;

  if (server->username == NULL || g_strcmp0 (old->username, server->username) == 0 ||
      (url_assignment != NULL && ms_mail_url_parse (url_assignment->value, &url) && url.user != NULL))
    return TRUE;
  if ((quoted = ms_export_syntax_mutt_string (server->username, _("the user name"), error)) == NULL)
    return FALSE;

  for (guint i = 0; i < update->here->assignments->len; i++)
    {
      Assignment *assignment = g_ptr_array_index (update->here->assignments, i);

      if (g_str_equal (assignment->name, variable) && assignment->has_value)
        ms_config_edits_add (update->edits, assignment->start, assignment->end, g_strdup (quoted));
    }
  if (update->is_main && last (update->all, variable) == NULL)
    g_string_append_printf (update->added, "set %s = %s\n", variable, quoted);

  return TRUE;
}

/* ssl_force_tls and ssl_starttls hold for both servers: STARTTLS needs
 * both on, a server without TLS needs ssl_force_tls off. */
static gboolean
set_tls_flags (Update  *update,
               GError **error)
{
  const MsServer *in = update->target->incoming;
  const MsServer *out = update->target->outgoing;
  gboolean starttls = in->security == MS_SECURITY_STARTTLS || out->security == MS_SECURITY_STARTTLS;
  gboolean plain = in->security == MS_SECURITY_NONE || out->security == MS_SECURITY_NONE;

  if (starttls && plain)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                           _("neomutt cannot require STARTTLS on one server and no encryption on the other."));
      return FALSE;
    }
  if (!update->is_main)
    return TRUE;
  if (starttls && !is_yes (update->all, "ssl_force_tls"))
    g_string_append (update->added, "set ssl_force_tls = yes\n");
  if (starttls && !is_yes (update->all, "ssl_starttls"))
    g_string_append (update->added, "set ssl_starttls = yes\n");
  if (plain && is_yes (update->all, "ssl_force_tls"))
    g_string_append (update->added, "set ssl_force_tls = no\n");

  return TRUE;
}

/* Where neomutt keeps a mailbox URL of the incoming server. */
static const char *const mailbox_variables[] = {
  "folder", "spool_file", "record", "postponed", "trash", "mailboxes", NULL,
};

static gboolean
rewrite_urls (Update  *update,
              GError **error)
{
  MsExistingAccount *account = update->account;

  for (guint i = 0; i < update->here->assignments->len; i++)
    {
      Assignment *assignment = g_ptr_array_index (update->here->assignments, i);

      if (g_str_equal (assignment->name, "smtp_url"))
        {
          if (!rewrite_url (update, assignment, account->outgoing, update->target->outgoing, error))
            return FALSE;
        }
      else if (g_strv_contains (mailbox_variables, assignment->name) &&
               !rewrite_url (update, assignment, account->incoming, update->target->incoming, error))
        return FALSE;
    }

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
  g_autofree char *home = home_of (account);
  g_auto(Walk) here = { NULL };
  g_auto(Walk) all = { NULL };
  g_autoptr(GArray) edits = ms_config_edits_new ();
  g_autoptr(GString) added = g_string_new (NULL);
  Update state = { account, target, &here, &all, edits, added, g_str_equal (path, account->location) };

  walk_init (&here, NULL, FALSE);
  walk_contents (&here, home, path, contents, length, 0);
  walk_init (&all, NULL, TRUE);
  walk_file (&all, home, account->location, 0);

  if (state.is_main && account->incoming == NULL && account->outgoing == NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("%s no longer names a mail server."), path);
      return NULL;
    }
  if (!rewrite_urls (&state, error) ||
      (account->incoming != NULL &&
       !set_user (&state, account->incoming->protocol == MS_PROTOCOL_POP3 ? "pop_user" : "imap_user",
                  incoming_assignment (&all), account->incoming, target->incoming, error)) ||
      (account->outgoing != NULL &&
       !set_user (&state, "smtp_user", last (&all, "smtp_url"), account->outgoing, target->outgoing, error)) ||
      !set_tls_flags (&state, error))
    return NULL;

  ms_config_edits_insert_lines (edits, length, length > 0 && contents[length - 1] != '\n', added);

  return ms_config_edits_apply (edits, contents, length);
}

const MsMailProgramBackend ms_program_neomutt = {
  .program = MS_MAIL_PROGRAM_NEOMUTT,
  .read = read_accounts,
  .is_running = NULL,
  .files = files,
  .update = update,
};
