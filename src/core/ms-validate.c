/* ms-validate.c: the one validation boundary for values from outside
 *
 * Host names, usernames, addresses, display names, ports and paths reach
 * the engine and the exporters from provider files, autoconfig answers,
 * DNS, saved settings, the command line and the wizard. Each kind has one
 * validator here, called where the value enters: a newline in a username
 * or a ":port" on a host name is refused with an error naming the source,
 * long before an exporter could write it into another program's
 * configuration. The exporters still escape per format as a second wall.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-address.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

G_DEFINE_QUARK (ms-validate-error-quark, ms_validate_error)

/* How much of a refused value an error shows (sanitized). */
#define SHOWN_BYTES 64

static gboolean G_GNUC_PRINTF (5, 6)
refuse (GError          **error,
        MsValidateError   code,
        const char       *source,
        const char       *value,
        const char       *format,
        ...)
{
  g_autofree char *shown = ms_untrusted_text_sanitize (value, SHOWN_BYTES);
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  if (shown != NULL)
    /* Translators: the first %s is where the value came from (a provider
     * file, a DNS record …), the second the value, the third why not. */
    g_set_error (error, MS_VALIDATE_ERROR, code, _("%s: “%s” was refused: %s"),
                 source, shown, reason);
  else
    g_set_error (error, MS_VALIDATE_ERROR, code, _("%s: a value was refused: %s"),
                 source, reason);

  return FALSE;
}

/* Text for people and programs: UTF-8 with nothing hidden in it. */
static gboolean
check_text (const char  *value,
            gsize        max_length,
            const char  *what,
            const char  *source,
            GError     **error)
{
  gsize length = strnlen (value, max_length + 1);

  if (length > max_length)
    return refuse (error, MS_VALIDATE_ERROR_TOO_LONG, source, value,
                   /* Translators: %s is what was refused (“the server name”), %u a length. */
                   _("%s is longer than %u bytes"), what, (guint) max_length);

  if (!g_utf8_validate_len (value, length, NULL))
    return refuse (error, MS_VALIDATE_ERROR_CONTROL_CHARACTER, source, value,
                   _("%s is not valid UTF-8 text"), what);

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)))
        return refuse (error, MS_VALIDATE_ERROR_CONTROL_CHARACTER, source, value,
                       _("%s holds a line break, control character or text-direction mark"),
                       what);
    }

  return TRUE;
}

static gboolean
check_label (const char *label,
             gsize       length)
{
  if (length == 0 || length > 63)
    return FALSE;
  if (label[0] == '-' || label[length - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      /* '_' appears in real provider host names, never in a way that
       * could change what a configuration file means. */
      if (!g_ascii_isalnum (label[i]) && label[i] != '-' && label[i] != '_')
        return FALSE;
    }

  return TRUE;
}

/**
 * ms_validate_hostname:
 * @value: a host name in ASCII (IDNs as A-labels), or an IPv4 address
 * @flags: %MS_VALIDATE_FLAGS_TEMPLATE allows %EMAILDOMAIN%
 * @source: where @value came from, for the message
 *
 * Letters, digits, "-" and "_" in dot-separated labels of 1 to 63
 * characters, 253 in all: no port, no user, no trailing dot, no space,
 * quote or markup.
 *
 * Returns: whether @value is a host name
 */
gboolean
ms_validate_hostname (const char       *value,
                      MsValidateFlags   flags,
                      const char       *source,
                      GError          **error)
{
  g_autofree char *expanded = NULL;
  const char *label;
  const char *host;
  const char *what = _("the server name");

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_VALIDATE_HOSTNAME_MAX_LENGTH, what, source, error))
    return FALSE;

  host = value;
  if (flags & MS_VALIDATE_FLAGS_TEMPLATE)
    {
      /* Stands for any valid domain; checked again once expanded. */
      g_auto(GStrv) parts = g_strsplit (value, "%EMAILDOMAIN%", -1);

      expanded = g_strjoinv ("example.com", parts);
      host = expanded;
    }

  if (strchr (host, ':') != NULL)
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("a server name cannot hold a port or address part (“:”)"));

  label = host;
  for (const char *p = host; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (!check_label (label, p - label))
            return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                           _("it is not a valid server name"));
          if (*p == '\0')
            break;
          label = p + 1;
        }
    }

  return TRUE;
}

/**
 * ms_validate_username:
 * @flags: %MS_VALIDATE_FLAGS_TEMPLATE allows the %EMAIL…% placeholders;
 *   without it a placeholder means a template was never expanded
 *
 * Any UTF-8 text of 1 to 255 bytes without line breaks, control
 * characters or text-direction marks, and without blanks around it.
 *
 * Returns: whether @value can be a username
 */
gboolean
ms_validate_username (const char       *value,
                      MsValidateFlags   flags,
                      const char       *source,
                      GError          **error)
{
  const char *what = _("the username");
  gsize length;

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_VALIDATE_USERNAME_MAX_LENGTH, what, source, error))
    return FALSE;

  length = strlen (value);
  if (value[0] == ' ' || value[length - 1] == ' ')
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("a username cannot start or end with a space"));

  if (!(flags & MS_VALIDATE_FLAGS_TEMPLATE) &&
      (strstr (value, "%EMAILADDRESS%") != NULL || strstr (value, "%EMAILLOCALPART%") != NULL ||
       strstr (value, "%EMAILDOMAIN%") != NULL))
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("the username still holds a placeholder"));

  return TRUE;
}

/**
 * ms_validate_address:
 *
 * An email address as ms_address_parse() takes it, with nothing hidden.
 *
 * Returns: whether @value is an email address
 */
gboolean
ms_validate_address (const char  *value,
                     const char  *source,
                     GError     **error)
{
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *what = _("the email address");

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_ADDRESS_MAX_LENGTH * 4, what, source, error))
    return FALSE;

  address = ms_address_parse (value, &local_error);
  if (address == NULL)
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value, "%s", local_error->message);

  return TRUE;
}

/**
 * ms_validate_display_name:
 *
 * A person's or provider's name: UTF-8 of at most 256 bytes with nothing
 * hidden. Empty is allowed (no name).
 *
 * Returns: whether @value can be shown and written as a name
 */
gboolean
ms_validate_display_name (const char  *value,
                          const char  *source,
                          GError     **error)
{
  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL)
    return TRUE;

  return check_text (value, MS_VALIDATE_DISPLAY_NAME_MAX_LENGTH, _("the name"), source, error);
}

/**
 * ms_validate_port:
 *
 * Returns: whether @value is a TCP port (1 to 65535)
 */
gboolean
ms_validate_port (gint64       value,
                  const char  *source,
                  GError     **error)
{
  g_autofree char *shown = NULL;

  g_return_val_if_fail (source != NULL, FALSE);

  if (value >= 1 && value <= G_MAXUINT16)
    return TRUE;

  shown = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  return refuse (error, MS_VALIDATE_ERROR_INVALID, source, shown,
                 _("a port is a number from 1 to 65535"));
}

/**
 * ms_validate_path:
 *
 * A file name another program will be told (the CA file): absolute, UTF-8,
 * at most 4096 bytes, nothing hidden.
 *
 * Returns: whether @value can be written into a configuration
 */
gboolean
ms_validate_path (const char  *value,
                  const char  *source,
                  GError     **error)
{
  const char *what = _("the file name");

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_VALIDATE_PATH_MAX_LENGTH, what, source, error))
    return FALSE;
  if (!g_path_is_absolute (value))
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("the file name must be absolute"));

  return TRUE;
}

/**
 * ms_validate_id:
 *
 * A provider's or profile's id, as provider files, saved settings and
 * `--profile` give it: 1 to 64 ASCII letters, digits, "-", "." and "_",
 * so it needs no quoting anywhere it is written.
 *
 * Returns: whether @value is an id
 */
gboolean
ms_validate_id (const char  *value,
                const char  *source,
                GError     **error)
{
  const char *what = _("the id");

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_VALIDATE_ID_MAX_LENGTH, what, source, error))
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-._", *p) == NULL)
        return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                       _("an id is made of letters, digits, “-”, “.” and “_”"));
    }

  return TRUE;
}

/**
 * ms_validate_url:
 *
 * A web address shown to people and opened on a click (a provider's
 * documentation or support page): http or https with a valid host, at most
 * 2048 bytes, nothing hidden. Anything else (javascript:, file:, a
 * command) could do more than open a page.
 *
 * Returns: whether @value is such a URL
 */
gboolean
ms_validate_url (const char  *value,
                 const char  *source,
                 GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *what = _("the web address");
  const char *scheme;
  const char *host;

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_VALIDATE_URL_MAX_LENGTH, what, source, error))
    return FALSE;

  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      host == NULL || *host == '\0' || strpbrk (value, " \"<>\\^`{|}") != NULL)
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("it is not an http or https web address"));

  return TRUE;
}

/**
 * ms_validate_server:
 *
 * The host name, port and (if any) username of @server.
 *
 * Returns: whether every field is valid
 */
gboolean
ms_validate_server (const MsServer   *server,
                    MsValidateFlags   flags,
                    const char       *source,
                    GError          **error)
{
  g_return_val_if_fail (server != NULL, FALSE);

  return ms_validate_hostname (server->hostname, flags, source, error) &&
         ms_validate_port (server->port, source, error) &&
         (server->username == NULL ||
          ms_validate_username (server->username, flags, source, error));
}

/* RFC 8252 §8.3: loopback traffic never leaves the machine, so a plain
 * http endpoint there is as safe as https (the tests' authorization
 * server is one). Anything else carries codes and tokens: https only. */
static gboolean
is_loopback_host (const char *host)
{
  return g_ascii_strcasecmp (host, "localhost") == 0 ||
         g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1");
}

/**
 * ms_validate_oauth_endpoint:
 *
 * An OAuth 2.0 authorization or token endpoint: an `https` web address
 * without a fragment (RFC 6749 §3.1, §3.2), or `http` on a loopback
 * address.
 *
 * Returns: whether @value is one
 */
gboolean
ms_validate_oauth_endpoint (const char  *value,
                            const char  *source,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (source != NULL, FALSE);

  if (!ms_validate_url (value, source, error))
    return FALSE;

  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  g_assert (uri != NULL);
  if (g_uri_get_fragment (uri) != NULL)
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("a sign-in address may not have a “#” part"));
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
      !is_loopback_host (g_uri_get_host (uri)))
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("a sign-in address must start with https://"));

  return TRUE;
}

/**
 * ms_validate_oauth_issuer:
 *
 * An OAuth 2.0 issuer: a host name, as Thunderbird's provider files write
 * it (`accounts.google.com`), or an issuer identifier as RFC 8414 §2 has
 * it (an `https` address without query or fragment).
 *
 * Returns: whether @value is one
 */
gboolean
ms_validate_oauth_issuer (const char  *value,
                          const char  *source,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || strstr (value, "://") == NULL)
    return ms_validate_hostname (value, MS_VALIDATE_FLAGS_NONE, source, error);

  if (!ms_validate_oauth_endpoint (value, source, error))
    return FALSE;
  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  if (g_uri_get_query (uri) != NULL)
    return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                   _("an issuer may not have a “?” part"));

  return TRUE;
}

/**
 * ms_validate_oauth_scope:
 *
 * OAuth 2.0 scopes (RFC 6749 §3.3): printable ASCII tokens without `"`
 * or `\`, separated by blanks.
 *
 * Returns: whether @value is a list of at least one scope
 */
gboolean
ms_validate_oauth_scope (const char  *value,
                         const char  *source,
                         GError     **error)
{
  const char *what = _("the list of scopes");
  gboolean any = FALSE;

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_VALIDATE_OAUTH_SCOPE_MAX_LENGTH, what, source, error))
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ')
        continue;
      if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\')
        return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                       _("a scope holds a character scopes cannot have"));
      any = TRUE;
    }
  if (!any)
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);

  return TRUE;
}

/**
 * ms_validate_oauth_client_id:
 *
 * An OAuth 2.0 client id (RFC 6749 §2.2, Appendix A.1: VSCHARs) from a
 * build option, the command line or a registration answer. Stricter than
 * the RFC: no blank either, since the build's list separates entries with
 * blanks, and the keyring item keeps the id after a line break.
 *
 * Returns: whether @value is one
 */
gboolean
ms_validate_oauth_client_id (const char  *value,
                             const char  *source,
                             GError     **error)
{
  const char *what = _("the sign-in client id");

  g_return_val_if_fail (source != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return refuse (error, MS_VALIDATE_ERROR_EMPTY, source, NULL, _("%s is empty"), what);
  if (!check_text (value, MS_VALIDATE_OAUTH_CLIENT_ID_MAX_LENGTH, what, source, error))
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e)
      return refuse (error, MS_VALIDATE_ERROR_INVALID, source, value,
                     _("a client id holds a character client ids cannot have"));

  return TRUE;
}
