/* ms-export-syntax.c: how each exported format quotes a value, or refuses it
 *
 * The exporters are the second wall behind ms-validate: whatever reaches
 * them, a value either comes back out of the program's own parser exactly
 * as it went in, or the export stops with a clear error. Each quoting
 * rule here was checked against the program that reads it (Debian 12's
 * neomutt 20220429, msmtp 1.8.23, isync 1.4.4, aerc 0.14 with go-ini,
 * Thunderbird's pref parser); docs/exporters.md says which and how.
 * No format takes a line break, so no control character goes anywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-syntax.h"
#include "ms-exporter.h"

/* msmtp 1.8 refuses a line of 500 characters or more; isync 1.4 cuts a
 * line at 1024 bytes, which would move a closing quote. */
#define MSMTP_MAX_QUOTED 470
#define ISYNC_MAX_QUOTED 990

static gboolean
set_invalid (GError     **error,
             const char  *format,
             const char  *what,
             const char  *why)
{
  /* TRANSLATORS: "msmtprc cannot hold the user name: it contains a control character" */
  g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
               _("%s cannot hold %s: %s"), format, what, why);
  return FALSE;
}

/**
 * ms_export_syntax_check_text:
 *
 * Refuses what no format takes: no value, invalid UTF-8, a control
 * character (C0, DEL, C1: a line break is one) and more than
 * %MS_EXPORT_SYNTAX_MAX_LENGTH bytes.
 */
gboolean
ms_export_syntax_check_text (const char  *value,
                             const char  *what,
                             const char  *format,
                             GError     **error)
{
  if (value == NULL)
    return set_invalid (error, format, what, _("it is missing"));
  if (strlen (value) > MS_EXPORT_SYNTAX_MAX_LENGTH)
    return set_invalid (error, format, what, _("it is too long"));
  if (!g_utf8_validate (value, -1, NULL))
    return set_invalid (error, format, what, _("it is not valid UTF-8 text"));

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return set_invalid (error, format, what,
                            _("it contains a control character (a line break, say)"));
    }

  return TRUE;
}

/**
 * ms_export_syntax_check_hostname:
 *
 * Host names go into URLs and unquoted lines: only ASCII letters, digits,
 * dots, hyphens and underscores (IDNs as A-labels), no leading hyphen.
 */
gboolean
ms_export_syntax_check_hostname (const char  *value,
                                 const char  *what,
                                 const char  *format,
                                 GError     **error)
{
  if (!ms_export_syntax_check_text (value, what, format, error))
    return FALSE;
  if (*value == '\0' || *value == '-' || *value == '.' || strlen (value) > 253)
    return set_invalid (error, format, what, _("it is not a server name"));

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return set_invalid (error, format, what, _("it is not a server name"));

  return TRUE;
}

/**
 * ms_export_syntax_check_path:
 *
 * Every format expands a leading "~" in a file name; an absolute path
 * means itself everywhere.
 */
gboolean
ms_export_syntax_check_path (const char  *value,
                             const char  *what,
                             const char  *format,
                             GError     **error)
{
  if (!ms_export_syntax_check_text (value, what, format, error))
    return FALSE;
  if (!g_path_is_absolute (value))
    return set_invalid (error, format, what, _("it is not an absolute path"));

  return TRUE;
}

/**
 * ms_export_syntax_check_command:
 *
 * The keyring commands the programs run: only characters that no
 * format, no shell and no neomutt backtick treats specially (letters,
 * digits, space and "@.:_+-"), so each format can embed them as they are.
 */
gboolean
ms_export_syntax_check_command (const char  *command,
                                const char  *format,
                                GError     **error)
{
  const char *what = _("the keyring command");

  if (!ms_export_syntax_check_text (command, what, format, error))
    return FALSE;

  for (const char *p = command; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (" @.:_+-", *p) == NULL)
      return set_invalid (error, format, what, _("it contains a character the shell would interpret"));

  return TRUE;
}

/**
 * ms_export_syntax_mutt_string:
 *
 * A neomutt double-quoted string: backslash, double quote, "$" (variable
 * expansion) and backtick (command substitution) get a backslash; every
 * other character, "%", "#" and ";" included, is literal inside quotes.
 */
char *
ms_export_syntax_mutt_string (const char  *value,
                              const char  *what,
                              GError     **error)
{
  GString *out;

  if (!ms_export_syntax_check_text (value, what, "neomuttrc", error))
    return NULL;

  out = g_string_new ("\"");
  for (const char *p = value; *p != '\0'; p++)
    {
      if (strchr ("\\\"$`", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

/**
 * ms_export_syntax_msmtp_arg:
 *
 * msmtp 1.8 takes the rest of the line as the argument and strips one
 * pair of surrounding double quotes; it knows no escapes (a backslash is
 * a backslash). So the value goes between quotes as it is.
 */
char *
ms_export_syntax_msmtp_arg (const char  *value,
                            const char  *what,
                            GError     **error)
{
  if (!ms_export_syntax_check_text (value, what, "msmtprc", error))
    return NULL;
  if (strlen (value) + 2 > MSMTP_MAX_QUOTED)
    {
      set_invalid (error, "msmtprc", what, _("it is too long"));
      return NULL;
    }

  return g_strconcat ("\"", value, "\"", NULL);
}

/**
 * ms_export_syntax_msmtp_account:
 *
 * An account name: as an argument, and without ":", which starts the
 * list of accounts it inherits from even between quotes.
 */
char *
ms_export_syntax_msmtp_account (const char  *value,
                                const char  *what,
                                GError     **error)
{
  if (value != NULL && strchr (value, ':') != NULL)
    {
      set_invalid (error, "msmtprc", what, _("msmtp account names cannot contain “:”"));
      return NULL;
    }

  return ms_export_syntax_msmtp_arg (value, what, error);
}

/**
 * ms_export_syntax_isync_arg:
 *
 * An isync argument: double quotes group, a backslash escapes the next
 * character, so backslash and double quote get one.
 */
char *
ms_export_syntax_isync_arg (const char  *value,
                            const char  *what,
                            GError     **error)
{
  GString *out;

  if (!ms_export_syntax_check_text (value, what, ".mbsyncrc", error))
    return NULL;

  out = g_string_new ("\"");
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  if (out->len > ISYNC_MAX_QUOTED)
    {
      g_string_free (out, TRUE);
      set_invalid (error, ".mbsyncrc", what, _("it is too long"));
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/**
 * ms_export_syntax_isync_name:
 *
 * A store or channel name: ":" separates names from mailboxes in
 * ":store:box" and on mbsync's command line.
 */
char *
ms_export_syntax_isync_name (const char  *value,
                             const char  *what,
                             GError     **error)
{
  if (value != NULL && strchr (value, ':') != NULL)
    {
      set_invalid (error, ".mbsyncrc", what, _("mbsync names cannot contain “:”"));
      return NULL;
    }

  return ms_export_syntax_isync_arg (value, what, error);
}

/**
 * ms_export_syntax_ini_value:
 *
 * A go-ini value (aerc's accounts.conf): unquoted, "#" and ";" start a
 * comment and a trailing backslash continues the line; a value in
 * backticks runs to the last backtick of the line, with no escapes and
 * no comments. So every value goes in backticks.
 */
char *
ms_export_syntax_ini_value (const char  *value,
                            const char  *what,
                            const char  *format,
                            GError     **error)
{
  if (!ms_export_syntax_check_text (value, what, format, error))
    return NULL;

  return g_strconcat ("`", value, "`", NULL);
}

/**
 * ms_export_syntax_mailbox:
 * @display_name: (nullable): the name
 *
 * An RFC 5322 mailbox: the name as a quoted string (backslash and double
 * quote as quoted pairs, UTF-8 as RFC 6532 allows), then the address.
 */
char *
ms_export_syntax_mailbox (const char  *display_name,
                          const char  *address,
                          const char  *format,
                          GError     **error)
{
  GString *out;

  if (!ms_export_syntax_check_text (address, _("the email address"), format, error))
    return NULL;
  for (const char *p = address; *p != '\0'; p++)
    if (strchr ("<>\"\\ ,()[]:;", *p) != NULL)
      {
        set_invalid (error, format, _("the email address"), _("it is not an email address"));
        return NULL;
      }

  if (display_name == NULL || *display_name == '\0')
    return g_strdup (address);
  if (!ms_export_syntax_check_text (display_name, _("the name"), format, error))
    return NULL;

  out = g_string_new ("\"");
  for (const char *p = display_name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_printf (out, "\" <%s>", address);

  return g_string_free (out, FALSE);
}

/**
 * ms_export_syntax_uri_userinfo:
 *
 * The user part of a URI: everything but RFC 3986's unreserved characters
 * percent-encoded (UTF-8 bytes too), so the result is plain ASCII.
 */
char *
ms_export_syntax_uri_userinfo (const char  *value,
                               const char  *what,
                               const char  *format,
                               GError     **error)
{
  if (!ms_export_syntax_check_text (value, what, format, error))
    return NULL;

  return g_uri_escape_string (value, NULL, FALSE);
}

/**
 * ms_export_syntax_js_string:
 *
 * A double-quoted string for Mozilla's pref parser (prefs.js, user.js):
 * backslash and double quote escaped, everything outside printable ASCII
 * as \uXXXX (a surrogate pair above U+FFFF). The parser reads \u, \x and
 * the C escapes, never octal, which g_strescape() writes.
 */
char *
ms_export_syntax_js_string (const char  *value,
                            const char  *what,
                            const char  *format,
                            GError     **error)
{
  GString *out;

  if (!ms_export_syntax_check_text (value, what, format, error))
    return NULL;

  out = g_string_new ("\"");
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04X", c);
      else
        {
          gunichar v = c - 0x10000;

          g_string_append_printf (out, "\\u%04X\\u%04X", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
        }
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

/**
 * ms_export_syntax_xml_text:
 *
 * Character data or an attribute value in XML 1.0: markup characters as
 * entities, and what XML 1.0 cannot hold at all (controls, U+FFFE,
 * U+FFFF) refused.
 */
char *
ms_export_syntax_xml_text (const char  *value,
                           const char  *what,
                           const char  *format,
                           GError     **error)
{
  if (!ms_export_syntax_check_text (value, what, format, error))
    return NULL;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0xfffe || c == 0xffff)
        {
          set_invalid (error, format, what, _("XML cannot hold one of its characters"));
          return NULL;
        }
    }

  return g_markup_escape_text (value, -1);
}
