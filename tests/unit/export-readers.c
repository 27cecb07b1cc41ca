/* export-readers.c: strict readers for the exported formats, for tests and the fuzzer
 *
 * Each reader follows the parser of the program that reads the format
 * (neomutt's parse_extract_token, msmtp 1.8's conf.c, isync 1.4's
 * get_arg, go-ini as aerc 0.14 loads it, Mozilla's pref parser, XML,
 * GKeyFile) and refuses whatever that parser would read differently
 * from what the exporter meant: an unescaped "$" or backtick, an
 * unterminated quote, a line too long, trailing text. export_try()
 * renders settings whose one field holds a marker, then the same with
 * the hostile value, and compares what the reader sees: the same
 * directives, and every value with the marker replaced by exactly the
 * hostile value. Keyring and token commands, URLs and mailboxes are
 * compared by what they mean (argv, decoded URI parts, name and address).
 * export_try_auth() does the same for servers that sign in with OAuth,
 * whose files run `mail-setup token ADDRESS` with the hostile address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "export-readers.h"
#include "ms-export-qr.h"
#include "ms-account-settings.h"
#include "ms-export-token-command.h"
#include "ms-exporter-private.h"
#include "ms-keyring-command.h"
#include "ms-keyring.h"

#define MARKER "qqmarkqq"
/* Names derived from the address's hash: Thunderbird's pref keys,
 * Evolution's source UIDs. */
#define ADDRESS_HASHES "_ms[0-9a-f]{10}|mail-setup-[0-9a-f]{16}"

G_DEFINE_QUARK (export-reader-error-quark, export_reader_error)

static void
directive_free (gpointer data)
{
  ExportDirective *directive = data;

  g_free (directive->key);
  g_free (directive->value);
  g_free (directive);
}

static GPtrArray *
directives_new (void)
{
  return g_ptr_array_new_with_free_func (directive_free);
}

static void
add (GPtrArray  *directives,
     const char *key,
     const char *value)
{
  ExportDirective *directive = g_new0 (ExportDirective, 1);

  directive->key = g_strdup (key);
  directive->value = g_strdup (value);
  g_ptr_array_add (directives, directive);
}

static gboolean
fail (GError    **error,
      guint       line,
      const char *why)
{
  g_set_error (error, export_reader_error_quark (), 0, "line %u: %s", line, why);
  return FALSE;
}

static GPtrArray *
fail_null (GError    **error,
           guint       line,
           const char *why)
{
  fail (error, line, why);
  return NULL;
}

/* ---- neomutt ------------------------------------------------------- */

/* set NAME = "VALUE" only. Inside the quotes a backslash may only escape
 * \ " $ and `; an unescaped $ would expand a variable; an unescaped
 * backtick pair is a command, kept as \1COMMAND\2 (with no backslash, which
 * neomutt's scan for the closing backtick skips over). */
GPtrArray *
export_read_neomutt (const char  *text,
                     GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      const char *p = lines[n];
      g_autoptr(GString) value = g_string_new (NULL);
      g_autofree char *name = NULL;
      const char *start;

      if (*p == '\0' || *p == '#')
        continue;
      if (!g_str_has_prefix (p, "set "))
        return fail_null (error, n + 1, "not a set command");
      p += 4;
      for (start = p; g_ascii_islower (*p) || *p == '_'; p++)
        ;
      name = g_strndup (start, p - start);
      if (*name == '\0' || !g_str_has_prefix (p, " = "))
        return fail_null (error, n + 1, "no =");
      p += 3;
      /* yes, no: a bare word. */
      if (*p != '"')
        {
          for (start = p; g_ascii_isalnum (*p); p++)
            ;
          if (*p != '\0' || p == start)
            return fail_null (error, n + 1, "not a string");
          add (directives, name, start);
          continue;
        }
      p++;
      while (*p != '"')
        {
          if (*p == '\0')
            return fail_null (error, n + 1, "unterminated string");
          if (*p == '\\')
            {
              if (p[1] == '\0' || strchr ("\\\"$`", p[1]) == NULL)
                return fail_null (error, n + 1, "an escape the exporter never writes");
              g_string_append_c (value, p[1]);
              p += 2;
            }
          else if (*p == '$')
            return fail_null (error, n + 1, "an unescaped $ (variable expansion)");
          else if (*p == '`')
            {
              const char *end = strchr (p + 1, '`');
              const char *backslash = strchr (p + 1, '\\');

              if (end == NULL || (backslash != NULL && backslash < end))
                return fail_null (error, n + 1, "a backtick command neomutt reads differently");
              /* Marked with characters no exported value holds. */
              g_string_append_c (value, '\1');
              g_string_append_len (value, p + 1, end - p - 1);
              g_string_append_c (value, '\2');
              p = end + 1;
            }
          else
            g_string_append_c (value, *p++);
        }
      if (p[1] != '\0')
        return fail_null (error, n + 1, "text after the string");
      add (directives, name, value->str);
    }

  return g_steal_pointer (&directives);
}

/* ---- msmtp --------------------------------------------------------- */

/* conf.c: a line under 500 characters, the command up to the first
 * blank, the rest trimmed, one pair of surrounding quotes stripped. */
GPtrArray *
export_read_msmtp (const char  *text,
                   GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      char *line = lines[n];
      g_autofree char *command = NULL;
      char *arg;
      gsize length;

      if (strlen (line) >= 499)
        return fail_null (error, n + 1, "line longer than msmtp reads");
      g_strstrip (line);
      if (*line == '\0' || *line == '#')
        continue;
      arg = line + strcspn (line, " \t");
      command = g_strndup (line, arg - line);
      g_strstrip (arg);
      length = strlen (arg);
      if (length >= 2 && arg[0] == '"' && arg[length - 1] == '"')
        {
          arg[length - 1] = '\0';
          arg++;
        }
      /* "account NAME : PARENTS" inherits, quotes or not. */
      if (g_str_equal (command, "account") && strchr (arg, ':') != NULL)
        return fail_null (error, n + 1, "an account name msmtp splits at “:”");
      add (directives, command, arg);
    }

  return g_steal_pointer (&directives);
}

/* ---- isync --------------------------------------------------------- */

/* get_arg(): blanks separate, double quotes group, a backslash escapes
 * the next character. NULL at the end of the line. */
static char *
isync_arg (const char **cursor,
           gboolean    *bad)
{
  const char *p = *cursor;
  GString *arg;
  gboolean quoted = FALSE;
  gboolean escaped = FALSE;

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0' || *p == '#')
    {
      *cursor = p;
      return NULL;
    }

  arg = g_string_new (NULL);
  for (; *p != '\0'; p++)
    {
      if (escaped)
        {
          if ((guchar) *p < 32)
            *bad = TRUE;
          escaped = FALSE;
          g_string_append_c (arg, *p);
        }
      else if (*p == '\\')
        escaped = TRUE;
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == ' ' || *p == '\t'))
        break;
      else
        g_string_append_c (arg, *p);
    }
  if (escaped || quoted)
    *bad = TRUE;
  *cursor = p;

  return g_string_free (arg, FALSE);
}

GPtrArray *
export_read_isync (const char  *text,
                   GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      const char *p = lines[n];
      g_autofree char *keyword = NULL;
      g_autofree char *value = NULL;
      g_autofree char *extra = NULL;
      gboolean bad = FALSE;

      if (strlen (p) >= 1000)
        return fail_null (error, n + 1, "line longer than isync reads");
      keyword = isync_arg (&p, &bad);
      if (keyword == NULL)
        {
          /* A blank line ends a section: it is part of the structure. */
          if (*p == '\0' && lines[n + 1] != NULL)
            add (directives, "", "");
          continue;
        }
      value = isync_arg (&p, &bad);
      /* AuthMechs takes a list of words: kept as one value, a space apart. */
      while (g_str_equal (keyword, "AuthMechs") && value != NULL &&
             (extra = isync_arg (&p, &bad)) != NULL)
        {
          char *joined = g_strconcat (value, " ", extra, NULL);

          g_free (value);
          value = joined;
          g_clear_pointer (&extra, g_free);
        }
      extra = isync_arg (&p, &bad);
      if (bad)
        return fail_null (error, n + 1, "an unterminated quote or escape");
      if (extra != NULL)
        return fail_null (error, n + 1, "more than one argument");
      add (directives, keyword, value != NULL ? value : "");
    }

  return g_steal_pointer (&directives);
}

/* ---- go-ini (aerc) ------------------------------------------------- */

/* A value in backticks runs to the last backtick of the line; otherwise
 * "#" and ";" start a comment, a trailing backslash continues the line,
 * surrounding quotes are stripped. Keys end at "=" or ":". */
GPtrArray *
export_read_go_ini (const char  *text,
                    GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *section = g_strdup ("DEFAULT");

  for (guint n = 0; lines[n] != NULL; n++)
    {
      char *line = g_strchug (lines[n]);
      g_autofree char *key = NULL;
      g_autofree char *full_key = NULL;
      char *value;
      gsize length;

      if (*line == '\0' || *line == '#' || *line == ';')
        continue;
      if (*line == '[')
        {
          char *close = strrchr (line, ']');

          if (close == NULL)
            return fail_null (error, n + 1, "unclosed section");
          g_free (section);
          section = g_strndup (line + 1, close - line - 1);
          continue;
        }
      value = line + strcspn (line, "=:");
      if (*value == '\0')
        return fail_null (error, n + 1, "no delimiter");
      key = g_strstrip (g_strndup (line, value - line));
      value = g_strchug (value + 1);
      full_key = g_strconcat (section, "/", key, NULL);
      g_strchomp (value);
      length = strlen (value);
      if (length == 0)
        {
          add (directives, full_key, "");
          continue;
        }
      if (g_str_has_prefix (value, "\"\"\""))
        return fail_null (error, n + 1, "a triple-quoted value");
      if (value[0] == '`')
        {
          char *last = strrchr (value + 1, '`');

          if (last == NULL)
            return fail_null (error, n + 1, "a multi-line value");
          if (last[1] != '\0')
            return fail_null (error, n + 1, "text after the closing backtick");
          *last = '\0';
          add (directives, full_key, value + 1);
          continue;
        }
      if (value[length - 1] == '\\')
        return fail_null (error, n + 1, "a continued line");
      value[strcspn (value, "#;")] = '\0';
      g_strstrip (value);
      length = strlen (value);
      if (length >= 2 && (value[0] == '"' || value[0] == '\'') && value[length - 1] == value[0])
        {
          value[length - 1] = '\0';
          value++;
        }
      add (directives, full_key, value);
    }

  return g_steal_pointer (&directives);
}

/* ---- Mozilla prefs ------------------------------------------------- */

static gboolean
hex4 (const char *p,
      gunichar   *out)
{
  *out = 0;
  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return FALSE;
      *out = *out * 16 + g_ascii_xdigit_value (p[i]);
    }

  return TRUE;
}

/* A double-quoted string: \\ \" \' \n \r \t \xHH \uXXXX (surrogate pairs
 * joined); no octal, which Mozilla's parser does not read. */
static char *
js_string (const char **cursor)
{
  const char *p = *cursor;
  GString *out;

  if (*p != '"')
    return NULL;
  out = g_string_new (NULL);
  for (p++; *p != '"'; )
    {
      gunichar c;

      if (*p == '\0' || (guchar) *p < 0x20)
        goto bad;
      if (*p != '\\')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      switch (*p)
        {
        case '\\': case '"': case '\'':
          g_string_append_c (out, *p++);
          break;
        case 'n':
          g_string_append_c (out, '\n'), p++;
          break;
        case 'r':
          g_string_append_c (out, '\r'), p++;
          break;
        case 't':
          g_string_append_c (out, '\t'), p++;
          break;
        case 'x':
          if (!g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2]))
            goto bad;
          g_string_append_unichar (out, g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
          p += 3;
          break;
        case 'u':
          if (!hex4 (p + 1, &c))
            goto bad;
          p += 5;
          if (c >= 0xd800 && c < 0xdc00)
            {
              gunichar low;

              if (p[0] != '\\' || p[1] != 'u' || !hex4 (p + 2, &low) || low < 0xdc00 || low > 0xdfff)
                goto bad;
              c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
              p += 6;
            }
          else if (c >= 0xdc00 && c <= 0xdfff)
            goto bad;
          g_string_append_unichar (out, c);
          break;
        default:
          goto bad;
        }
    }
  *cursor = p + 1;

  return g_string_free (out, FALSE);

bad:
  g_string_free (out, TRUE);
  return NULL;
}

GPtrArray *
export_read_mozilla_prefs (const char  *text,
                           GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      const char *p = lines[n];
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*p == '\0' || g_str_has_prefix (p, "//"))
        continue;
      if (!g_str_has_prefix (p, "user_pref("))
        return fail_null (error, n + 1, "not a user_pref");
      p += strlen ("user_pref(");
      if ((name = js_string (&p)) == NULL || !g_str_has_prefix (p, ", "))
        return fail_null (error, n + 1, "a bad pref name");
      p += 2;
      if (*p == '"')
        {
          if ((value = js_string (&p)) == NULL)
            return fail_null (error, n + 1, "a bad string");
        }
      else
        {
          const char *start = p;

          while (g_ascii_isalnum (*p) || *p == '-')
            p++;
          value = g_strndup (start, p - start);
        }
      if (!g_str_equal (p, ");"))
        return fail_null (error, n + 1, "text after the pref");
      add (directives, name, value);
    }

  return g_steal_pointer (&directives);
}

/* ---- XML ----------------------------------------------------------- */

typedef struct
{
  GPtrArray *directives;
  GString   *path;
  GString   *text;
  gboolean   leaf;
} XmlState;

static void
xml_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  XmlState *state = user_data;

  g_string_append_printf (state->path, "/%s", element);
  g_string_truncate (state->text, 0);
  state->leaf = TRUE;
}

static void
xml_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  XmlState *state = user_data;
  const char *slash;

  if (state->leaf)
    add (state->directives, state->path->str, state->text->str);
  state->leaf = FALSE;
  g_string_truncate (state->text, 0);
  slash = strrchr (state->path->str, '/');
  g_string_truncate (state->path, slash - state->path->str);
}

static void
xml_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 length,
          gpointer              user_data,
          GError              **error)
{
  XmlState *state = user_data;

  g_string_append_len (state->text, text, length);
}

/* Every leaf element, by its path, with its text as an XML parser
 * decodes it. */
GPtrArray *
export_read_xml_leaves (const char  *text,
                        GError     **error)
{
  static const GMarkupParser parser = { xml_start, xml_end, xml_text, NULL, NULL };
  g_autoptr(GPtrArray) directives = directives_new ();
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GString) content = g_string_new (NULL);
  XmlState state = { directives, path, content, FALSE };
  g_autoptr(GMarkupParseContext) context = NULL;

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  if (!g_markup_parse_context_parse (context, text, -1, error) ||
      !g_markup_parse_context_end_parse (context, error))
    return NULL;

  return g_steal_pointer (&directives);
}

/* ---- key files ------------------------------------------------------ */

GPtrArray *
export_read_key_file (const char  *text,
                      GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_data (key_file, text, -1, G_KEY_FILE_NONE, error))
    return NULL;
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (key_file, groups[i], NULL, NULL);

      for (guint j = 0; keys[j] != NULL; j++)
        {
          g_autofree char *key = g_strconcat (groups[i], "/", keys[j], NULL);
          g_autofree char *value = NULL;

          if (g_str_equal (keys[j], "sender_mailboxes"))
            {
              g_auto(GStrv) list = g_key_file_get_string_list (key_file, groups[i], keys[j], NULL, error);

              if (list == NULL)
                return NULL;
              value = g_strjoinv ("\n", list);
            }
          else if ((value = g_key_file_get_string (key_file, groups[i], keys[j], error)) == NULL)
            return NULL;
          add (directives, key, value);
        }
    }

  return g_steal_pointer (&directives);
}

/* Evolution's three sources, as the test joins them: key files separated
 * by a line holding only "\x1e", each key prefixed with its file's number. */
#define SOURCE_SEPARATOR "\n\x1e\n"

GPtrArray *
export_read_key_files (const char  *text,
                       GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_auto(GStrv) files = g_strsplit (text, SOURCE_SEPARATOR, -1);

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) one = export_read_key_file (files[i], error);

      if (one == NULL)
        return NULL;
      for (guint j = 0; j < one->len; j++)
        {
          ExportDirective *d = g_ptr_array_index (one, j);
          g_autofree char *key = g_strdup_printf ("%u/%s", i, d->key);

          add (directives, key, d->value);
        }
    }

  return g_steal_pointer (&directives);
}

/* ---- JSON (the QR payload) ----------------------------------------- */

static void
json_leaves (GPtrArray  *directives,
             const char *path,
             JsonNode   *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s/%u", path, i);

          json_leaves (directives, child, json_array_get_element (array, i));
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    add (directives, path, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

      add (directives, path, number);
    }
  else
    add (directives, path, "OTHER");
}

GPtrArray *
export_read_json (const char  *text,
                  GError     **error)
{
  g_autoptr(GPtrArray) directives = directives_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  json_leaves (directives, "", json_parser_get_root (parser));

  return g_steal_pointer (&directives);
}

/* ---- RFC 5322 mailbox ----------------------------------------------- */

static gboolean
is_addr_spec (const char *p,
              const char *end)
{
  if (p == end)
    return FALSE;
  for (; p < end; p++)
    if (*p == '\0' || strchr ("<>\"\\ ,()[]:;", *p) != NULL || (guchar) *p < 0x20)
      return FALSE;

  return TRUE;
}

/* "NAME" <ADDR> or ADDR, as "NAME\x01ADDR"; NULL when it is neither. */
char *
export_read_mailbox (const char *text)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *p = text;
  const char *end;

  if (*p != '"')
    return is_addr_spec (p, p + strlen (p)) ? g_strconcat ("\1", p, NULL) : NULL;
  for (p++; *p != '"'; p++)
    {
      if (*p == '\0')
        return NULL;
      if (*p == '\\')
        {
          if (*++p == '\0')
            return NULL;
        }
      g_string_append_c (name, *p);
    }
  p++;
  if (!g_str_has_prefix (p, " <"))
    return NULL;
  p += 2;
  end = p + strlen (p);
  if (end == p || end[-1] != '>' || !is_addr_spec (p, end - 1))
    return NULL;

  return g_strdup_printf ("%s\1%.*s", name->str, (int) (end - 1 - p), p);
}

/* ---- the round trip ------------------------------------------------ */

const char *
export_format_name (ExportFormat format)
{
  static const char *names[] = {
    "neomutt", "msmtp", "mbsync", "aerc", "thunderbird", "mobileconfig", "autodiscover", "geary",
    "evolution", "qr",
  };

  return names[format];
}

const char *
export_field_name (ExportField field)
{
  static const char *names[] = { "address", "display name", "username", "hostname", "provider name" };

  return names[field];
}

static MsAccountSettings *
make_settings (ExportField   field,
               const char   *value,
               MsAuthMethod  auth)
{
  g_autoptr(MsServer) in = NULL;
  g_autoptr(MsServer) out = NULL;
  g_autofree char *address = NULL;
  const char *host = field == EXPORT_FIELD_HOSTNAME ? value : "imap.example.com";
  const char *user = field == EXPORT_FIELD_USERNAME ? value : "pat@example.com";
  MsAccountSettings *settings;

  in = ms_server_new (MS_PROTOCOL_IMAP, host, 993, MS_SECURITY_TLS);
  out = ms_server_new (MS_PROTOCOL_SMTP, host, 465, MS_SECURITY_TLS);
  in->auth = auth;
  out->auth = auth;
  g_free (in->username);
  in->username = g_strdup (user);
  g_free (out->username);
  out->username = g_strdup (user);
  address = g_strconcat (field == EXPORT_FIELD_ADDRESS ? value : "pat", "@example.com", NULL);
  settings = ms_account_settings_new (address, in, out);
  ms_account_settings_set_display_name (settings, field == EXPORT_FIELD_DISPLAY_NAME ? value : "Pat Example");
  g_free (settings->provider_name);
  settings->provider_name = g_strdup (field == EXPORT_FIELD_PROVIDER_NAME ? value : "Example Mail");

  return settings;
}

static char *
render (ExportFormat        format,
        MsAccountSettings  *settings,
        GError            **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  GKeyFile *sources[3] = { NULL, NULL, NULL };
  GString *joined;

  switch (format)
    {
    case EXPORT_FORMAT_NEOMUTT:
      return ms_export_neomutt_render (settings, error);
    case EXPORT_FORMAT_MSMTP:
      return ms_export_msmtp_render (settings, error);
    case EXPORT_FORMAT_MBSYNC:
      return ms_export_mbsync_render (settings, error);
    case EXPORT_FORMAT_AERC:
      return ms_export_aerc_render (settings, error);
    case EXPORT_FORMAT_THUNDERBIRD:
      return ms_export_thunderbird_render (settings, NULL, error);
    case EXPORT_FORMAT_MOBILECONFIG:
      return ms_export_mobileconfig_render (settings, NULL, error);
    case EXPORT_FORMAT_AUTODISCOVER:
      return ms_export_autodiscover_render (settings, error);
    case EXPORT_FORMAT_GEARY:
      key_file = ms_export_geary_render (settings, 1, error);
      return key_file != NULL ? g_key_file_to_data (key_file, NULL, NULL) : NULL;
    case EXPORT_FORMAT_EVOLUTION:
      if (!ms_export_evolution_render (settings, sources, error))
        return NULL;
      joined = g_string_new (NULL);
      for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
        {
          g_autofree char *data = g_key_file_to_data (sources[i], NULL, NULL);

          g_string_append_printf (joined, "%s%s", i > 0 ? SOURCE_SEPARATOR : "", data);
          g_key_file_unref (sources[i]);
        }
      return g_string_free (joined, FALSE);
    case EXPORT_FORMAT_QR:
      /* json-glib escapes everything; the checks are the exporter's. */
      if (!ms_export_check_settings (settings, "QR", error))
        return NULL;
      return ms_export_qr_payload (settings, NULL);
    case EXPORT_N_FORMATS:
    default:
      g_assert_not_reached ();
    }
}

static GPtrArray *
read_back (ExportFormat   format,
           const char    *text,
           GError       **error)
{
  switch (format)
    {
    case EXPORT_FORMAT_NEOMUTT:
      return export_read_neomutt (text, error);
    case EXPORT_FORMAT_MSMTP:
      return export_read_msmtp (text, error);
    case EXPORT_FORMAT_MBSYNC:
      return export_read_isync (text, error);
    case EXPORT_FORMAT_AERC:
      return export_read_go_ini (text, error);
    case EXPORT_FORMAT_THUNDERBIRD:
      return export_read_mozilla_prefs (text, error);
    case EXPORT_FORMAT_MOBILECONFIG:
    case EXPORT_FORMAT_AUTODISCOVER:
      return export_read_xml_leaves (text, error);
    case EXPORT_FORMAT_GEARY:
      return export_read_key_file (text, error);
    case EXPORT_FORMAT_EVOLUTION:
      return export_read_key_files (text, error);
    case EXPORT_FORMAT_QR:
      return export_read_json (text, error);
    case EXPORT_N_FORMATS:
    default:
      g_assert_not_reached ();
    }
}

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

/* What a value means: keyring commands as the protocol they look up
 * (only if the shell reads them as exactly ms_keyring_lookup_argv()),
 * token commands as TOKEN (only if the shell reads them as exactly
 * ms_export_token_argv() for the address),
 * URLs as their decoded parts, mailboxes as name and address, the
 * address's hashes (Thunderbird keys, plist UUIDs) as placeholders. */
static char *
meaning (ExportFormat  format,
         const char   *key,
         const char   *value,
         const char   *address)
{
  static const MsProtocol protocols[] = { MS_PROTOCOL_IMAP, MS_PROTOCOL_SMTP };
  g_autofree char *command = NULL;
  g_autoptr(GRegex) hash = g_regex_new (ADDRESS_HASHES, 0, 0, NULL);

  if (value[0] == '\1' && g_str_has_suffix (value, "\2") && strchr (value + 1, '\1') == NULL)
    command = g_strndup (value + 1, strlen (value) - 2);
  else if (g_str_equal (key, "passwordeval") || g_str_equal (key, "PassCmd") ||
           g_str_has_suffix (key, "-cred-cmd") || g_str_has_suffix (key, "_oauth_refresh_command"))
    command = g_strdup (value);
  if (command != NULL)
    {
      g_auto(GStrv) argv = NULL;
      g_auto(GStrv) token_argv = ms_export_token_argv (address);

      if (!g_shell_parse_argv (command, NULL, &argv, NULL))
        return g_strconcat ("UNPARSABLE COMMAND ", command, NULL);
      if (g_strv_equal ((const char * const *) argv, (const char * const *) token_argv))
        return g_strdup ("TOKEN");
      for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
        {
          g_auto(GStrv) expected = ms_keyring_lookup_argv (address, protocols[i]);

          if (g_strv_equal ((const char * const *) argv, (const char * const *) expected))
            return g_strconcat ("KEYRING ", ms_protocol_to_string (protocols[i]), NULL);
        }
      return g_strconcat ("OTHER COMMAND ", command, NULL);
    }

  if ((format == EXPORT_FORMAT_NEOMUTT &&
       (g_str_equal (key, "folder") || g_str_equal (key, "smtp_url") ||
        g_str_equal (key, "pop_host") || (g_str_equal (key, "spoolfile") && value[0] != '+'))) ||
      (format == EXPORT_FORMAT_AERC &&
       (g_str_has_suffix (key, "/source") || g_str_has_suffix (key, "/outgoing"))))
    {
      g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL)
        return g_strconcat ("BAD URI ", value, NULL);
      return g_strdup_printf ("URI %s|%s|%s|%d|%s", g_uri_get_scheme (uri),
                              g_uri_get_user (uri) != NULL ? g_uri_get_user (uri) : "",
                              g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri));
    }

  if ((format == EXPORT_FORMAT_AERC && g_str_has_suffix (key, "/from")) ||
      (format == EXPORT_FORMAT_GEARY && g_str_has_suffix (key, "/sender_mailboxes")))
    {
      char *mailbox = export_read_mailbox (value);

      return mailbox != NULL ? mailbox : g_strconcat ("BAD MAILBOX ", value, NULL);
    }

  /* stable_uuid()'s form, which no fuzzed value takes by chance. */
  if (format == EXPORT_FORMAT_MOBILECONFIG &&
      g_regex_match_simple ("^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-8[0-9A-F]{3}-[0-9A-F]{12}$", value, 0, 0))
    return g_strdup ("UUID");

  return g_regex_replace_literal (hash, value, -1, 0, "HASH", 0, NULL);
}

ExportOutcome
export_try (ExportFormat   format,
            ExportField    field,
            const char    *value,
            gboolean      *used,
            char         **why)
{
  return export_try_auth (format, field, value, MS_AUTH_PASSWORD_CLEARTEXT, used, why);
}

ExportOutcome
export_try_auth (ExportFormat   format,
                 ExportField    field,
                 const char    *value,
                 MsAuthMethod   auth,
                 gboolean      *used,
                 char         **why)
{
  g_autoptr(MsAccountSettings) baseline = make_settings (field, MARKER, auth);
  g_autoptr(MsAccountSettings) hostile = make_settings (field, value, auth);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GRegex) hash = g_regex_new (ADDRESS_HASHES, 0, 0, NULL);

  *used = FALSE;
  *why = NULL;

  expected_text = render (format, baseline, &error);
  g_assert_no_error (error);
  expected = read_back (format, expected_text, &error);
  g_assert_no_error (error);

  text = render (format, hostile, &error);
  if (text == NULL)
    {
      if (g_error_matches (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE) &&
          error->message[0] != '\0')
        {
          *used = TRUE;
          return EXPORT_OUTCOME_REFUSED;
        }
      *why = g_strdup_printf ("refused with the wrong error: %s", error->message);
      return EXPORT_OUTCOME_BROKEN;
    }

  found = read_back (format, text, &error);
  if (found == NULL)
    {
      *why = g_strdup_printf ("the program would misread it (%s):\n%s", error->message, text);
      return EXPORT_OUTCOME_BROKEN;
    }
  if (found->len != expected->len)
    {
      *why = g_strdup_printf ("%u directives instead of %u (an injected line):\n%s",
                              found->len, expected->len, text);
      return EXPORT_OUTCOME_BROKEN;
    }

  for (guint i = 0; i < found->len; i++)
    {
      ExportDirective *want = g_ptr_array_index (expected, i);
      ExportDirective *got = g_ptr_array_index (found, i);
      g_autofree char *want_key = g_regex_replace_literal (hash, want->key, -1, 0, "HASH", 0, NULL);
      g_autofree char *got_key = g_regex_replace_literal (hash, got->key, -1, 0, "HASH", 0, NULL);
      g_autofree char *want_meaning = meaning (format, want->key, want->value, baseline->address);
      g_autofree char *got_meaning = meaning (format, got->key, got->value, hostile->address);
      g_autofree char *want_value = NULL;
      g_autofree char *want_key_value = NULL;

      if (strstr (want_meaning, MARKER) != NULL || strstr (want_key, MARKER) != NULL)
        *used = TRUE;
      want_value = replace_all (want_meaning, MARKER, value);
      want_key_value = replace_all (want_key, MARKER, value);
      if (!g_str_equal (want_key_value, got_key) || !g_str_equal (want_value, got_meaning))
        {
          *why = g_strdup_printf ("directive %u reads as %s = %s, not %s = %s:\n%s", i,
                                  got_key, got_meaning, want_key_value, want_value, text);
          return EXPORT_OUTCOME_BROKEN;
        }
    }

  return EXPORT_OUTCOME_ROUND_TRIP;
}
