/* ms-address.c: an email address as a person typed it, checked and normalised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-address.h"

/* Anything longer is refused before any other work, so a pasted novel
 * costs nothing. */
#define MAX_INPUT_BYTES 1024
#define MAX_DOMAIN_LENGTH 253
#define MAX_LABEL_LENGTH 63

struct _MsAddress
{
  gatomicrefcount ref_count;
  char *local_part;
  char *domain;   /* ASCII (IDN-encoded), lower case */
  char *ascii;    /* local_part@domain */
  char *display;  /* local_part@domain in Unicode */
};

G_DEFINE_QUARK (ms-address-error-quark, ms_address_error)
G_DEFINE_BOXED_TYPE (MsAddress, ms_address, ms_address_ref, ms_address_unref)

/* RFC 5322 atext plus the dot; everything else in ASCII needs quoting,
 * which nobody types into a setup wizard. */
static gboolean
is_local_part_char (gunichar c)
{
  if (c >= 0x80)
    return g_unichar_isgraph (c);

  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~.", c) != NULL);
}

static gboolean
set_invalid_character (gunichar   c,
                       GError   **error)
{
  char utf8[7] = { 0 };

  if (g_unichar_isgraph (c))
    {
      g_unichar_to_utf8 (c, utf8);
      g_set_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_INVALID_CHARACTER,
                   _("An email address cannot contain “%s”."), utf8);
    }
  else
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_INVALID_CHARACTER,
                           _("The address contains an invisible or control character."));
    }

  return FALSE;
}

static gboolean
check_local_part (const char  *local_part,
                  GError     **error)
{
  gsize length = strlen (local_part);

  if (length == 0)
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_EMPTY_LOCAL_PART,
                           _("Something is missing before the “@”."));
      return FALSE;
    }

  for (const char *p = local_part; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_local_part_char (c))
        return set_invalid_character (c, error);
    }

  if (local_part[0] == '.' || local_part[length - 1] == '.' || strstr (local_part, "..") != NULL)
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_INVALID_CHARACTER,
                           _("A dot cannot come first, last or twice in a row before the “@”."));
      return FALSE;
    }

  if (length > MS_ADDRESS_MAX_LOCAL_PART_LENGTH)
    {
      g_set_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_LOCAL_PART_TOO_LONG,
                   _("The part before the “@” is too long: it can have at most %d characters."),
                   MS_ADDRESS_MAX_LOCAL_PART_LENGTH);
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_invalid_domain (const char  *domain,
                    GError     **error)
{
  g_set_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_INVALID_DOMAIN,
               _("“%s” is not a valid domain name."), domain);
  return FALSE;
}

static gboolean
check_domain_characters (const char  *domain,
                         GError     **error)
{
  for (const char *p = domain; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && !g_ascii_isalnum (c) && c != '-' && c != '.')
        {
          set_invalid_character (c, error);
          return FALSE;
        }
      if (c >= 0x80 && !g_unichar_isgraph (c))
        {
          set_invalid_character (c, error);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
label_is_valid (const char *label)
{
  gsize label_length = strlen (label);

  if (label_length == 0 || label_length > MAX_LABEL_LENGTH ||
      label[0] == '-' || label[label_length - 1] == '-')
    return FALSE;

  for (const char *p = label; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

/* Whether the ASCII form @ascii, with at least one dot, is a host name
 * that can take mail. */
static gboolean
ascii_labels_are_valid (const char *ascii)
{
  g_auto(GStrv) labels = g_strsplit (ascii, ".", -1);
  guint n_labels = g_strv_length (labels);

  for (guint i = 0; i < n_labels; i++)
    {
      if (!label_is_valid (labels[i]))
        return FALSE;
    }

  /* An all-digit top-level label means an IP address, not a mail domain. */
  return strspn (labels[n_labels - 1], "0123456789") != strlen (labels[n_labels - 1]);
}

/* Returns the ASCII, lower-case form of @domain, or %NULL with @error set. */
static char *
normalize_domain (const char  *typed,
                  GError     **error)
{
  g_autofree char *domain = g_strdup (typed);
  g_autofree char *ascii = NULL;
  gsize length = strlen (domain);

  /* A trailing dot is valid DNS and sometimes pasted; drop one. */
  if (length > 1 && domain[length - 1] == '.')
    domain[--length] = '\0';

  if (length == 0)
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_EMPTY_DOMAIN,
                           _("Something is missing after the “@”, like “example.com”."));
      return NULL;
    }

  if (!check_domain_characters (domain, error))
    return NULL;

  if (strchr (domain, '.') == NULL)
    {
      g_set_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_DOMAIN_NO_DOT,
                   _("The part after the “@” needs a dot, like “%s.com”."), domain);
      return NULL;
    }

  if (domain[length - 1] == '.')
    {
      set_invalid_domain (typed, error);
      return NULL;
    }

  /* The IDN conversion may drop dots (a trailing "。" for one), so the
   * result is checked again below, label by label. */
  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL || strlen (ascii) > MAX_DOMAIN_LENGTH || strchr (ascii, '.') == NULL)
    {
      set_invalid_domain (domain, error);
      return NULL;
    }

  {
    char *lower = g_ascii_strdown (ascii, -1);
    g_free (ascii);
    ascii = lower;
  }

  if (!ascii_labels_are_valid (ascii))
    {
      set_invalid_domain (domain, error);
      return NULL;
    }

  return g_steal_pointer (&ascii);
}

static gboolean
has_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

/* Trims @input and checks what every address needs before the "@" is
 * looked at: not empty, not huge, valid UTF-8, no blanks. */
static char *
clean_input (const char  *input,
             GError     **error)
{
  g_autofree char *text = NULL;
  gsize length = strlen (input);

  if (length > MAX_INPUT_BYTES)
    {
      g_set_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_TOO_LONG,
                   _("This is too long for an email address: it can have at most %d characters."),
                   MS_ADDRESS_MAX_LENGTH);
      return NULL;
    }

  if (!g_utf8_validate (input, length, NULL))
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_INVALID_CHARACTER,
                           _("The address contains characters that are not text."));
      return NULL;
    }

  text = g_strstrip (g_strdup (input));

  if (text[0] == '\0')
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_EMPTY,
                           _("Type your email address, like “name@example.com”."));
      return NULL;
    }

  if (has_blank (text))
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_SPACE,
                           _("An email address cannot contain spaces."));
      return NULL;
    }

  return g_steal_pointer (&text);
}

static MsAddress *
parse_clean (const char  *text,
             GError     **error)
{
  g_autofree char *local_part = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *unicode_domain = NULL;
  const char *at = strchr (text, '@');
  MsAddress *self;

  if (at == NULL)
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_NO_AT,
                           _("An email address has an “@” in it, like “name@example.com”."));
      return NULL;
    }

  if (strchr (at + 1, '@') != NULL)
    {
      g_set_error_literal (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_SEVERAL_AT,
                           _("An email address has only one “@”."));
      return NULL;
    }

  local_part = g_strndup (text, at - text);
  if (!check_local_part (local_part, error))
    return NULL;

  domain = normalize_domain (at + 1, error);
  if (domain == NULL)
    return NULL;

  ascii = g_strconcat (local_part, "@", domain, NULL);
  if (strlen (ascii) > MS_ADDRESS_MAX_LENGTH)
    {
      g_set_error (error, MS_ADDRESS_ERROR, MS_ADDRESS_ERROR_TOO_LONG,
                   _("This is too long for an email address: it can have at most %d characters."),
                   MS_ADDRESS_MAX_LENGTH);
      return NULL;
    }

  unicode_domain = g_hostname_to_unicode (domain);

  self = g_new0 (MsAddress, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->display = g_strconcat (local_part, "@",
                               unicode_domain != NULL ? unicode_domain : domain, NULL);
  self->local_part = g_steal_pointer (&local_part);
  self->domain = g_steal_pointer (&domain);
  self->ascii = g_steal_pointer (&ascii);

  return self;
}

/**
 * ms_address_parse:
 * @input: what the person typed
 * @error: a #MS_ADDRESS_ERROR with a sentence that can be shown as it is
 *
 * Trims @input, checks it and normalises the domain: lower case, and
 * ASCII (IDN) encoded for the network. The part before the "@" is kept as
 * typed, since servers may treat it case-sensitively.
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with @error set
 */
MsAddress *
ms_address_parse (const char  *input,
                  GError     **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = clean_input (input, error);
  if (text == NULL)
    return NULL;

  return parse_clean (text, error);
}

/**
 * ms_address_complete:
 * @input: what the person typed
 * @default_domain: (nullable): the domain to add to a bare user name, for
 *   providers whose username is the full address
 * @completed: (out) (optional): set to %TRUE when @default_domain was added,
 *   so the caller can tell the person
 * @error: a #MS_ADDRESS_ERROR
 *
 * Like ms_address_parse(), but a bare user name ("jsmith", or "jsmith@")
 * gets "@" and @default_domain added.
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with @error set
 */
MsAddress *
ms_address_complete (const char  *input,
                     const char  *default_domain,
                     gboolean    *completed,
                     GError     **error)
{
  g_autofree char *text = NULL;
  const char *at;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (completed != NULL)
    *completed = FALSE;

  text = clean_input (input, error);
  if (text == NULL)
    return NULL;

  at = strchr (text, '@');
  if (default_domain != NULL && *default_domain != '\0' &&
      (at == NULL || (at[1] == '\0' && at != text)))
    {
      g_autofree char *local_part = g_strndup (text, at != NULL ? (gsize) (at - text) : strlen (text));
      g_autofree char *full = g_strconcat (local_part, "@", default_domain, NULL);
      MsAddress *address = parse_clean (full, error);

      if (address != NULL && completed != NULL)
        *completed = TRUE;

      return address;
    }

  return parse_clean (text, error);
}

MsAddress *
ms_address_ref (MsAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_address_unref (MsAddress *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->local_part);
      g_free (self->domain);
      g_free (self->ascii);
      g_free (self->display);
      g_free (self);
    }
}

/* The part before the "@", as typed. */
const char *
ms_address_get_local_part (const MsAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->local_part;
}

/* The domain in lower-case ASCII (IDN-encoded): the form for DNS and lookups. */
const char *
ms_address_get_domain (const MsAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->domain;
}

/* The whole address with the ASCII domain: the form for the network. */
const char *
ms_address_get_ascii (const MsAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->ascii;
}

/* The whole address with the domain in Unicode: the form to show. */
const char *
ms_address_get_display (const MsAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->display;
}

gboolean
ms_address_equal (const MsAddress *a,
                  const MsAddress *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return g_str_equal (a->ascii, b->ascii);
}
