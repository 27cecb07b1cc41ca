/* ms-capabilities.c: what a server says it can do
 *
 * One representation for IMAP CAPABILITY, POP3 CAPA and SMTP EHLO: the
 * capability names, upper-cased, and the SASL mechanisms offered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-capabilities.h"

struct _MsCapabilities
{
  MsProtocol  protocol;
  GPtrArray  *all;         /* upper-case names, NULL-terminated */
  GPtrArray  *mechanisms;  /* upper-case SASL names, NULL-terminated */
};

static void
add_unique (GPtrArray  *array,
            const char *word)
{
  g_autofree char *upper = g_ascii_strup (word, -1);

  for (guint i = 0; i + 1 < array->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (array, i), upper))
        return;
    }

  /* Keep the trailing NULL last. */
  g_ptr_array_insert (array, array->len - 1, g_steal_pointer (&upper));
}

static void
add_words (MsCapabilities *self,
           const char     *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", 0);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;

      add_unique (self->all, words[i]);

      if (self->protocol == MS_PROTOCOL_IMAP && g_ascii_strncasecmp (words[i], "AUTH=", 5) == 0)
        add_unique (self->mechanisms, words[i] + 5);
    }
}

/* SMTP "AUTH PLAIN LOGIN" (and the old "AUTH=PLAIN LOGIN"), POP3
 * "SASL PLAIN LOGIN": the words after the keyword are mechanisms. */
static void
add_mechanism_line (MsCapabilities *self,
                    const char     *line,
                    const char     *keyword)
{
  gsize len = strlen (keyword);
  g_auto(GStrv) words = NULL;

  if (g_ascii_strncasecmp (line, keyword, len) != 0 || (line[len] != ' ' && line[len] != '='))
    return;

  words = g_strsplit (line + len + 1, " ", 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0')
        add_unique (self->mechanisms, words[i]);
    }
}

/**
 * ms_capabilities_new_from_reply:
 * @reply: a complete IMAP CAPABILITY reply or greeting, POP3 CAPA reply or
 *   SMTP EHLO reply
 *
 * Returns: (transfer full): the capabilities; empty when the reply lists none
 */
MsCapabilities *
ms_capabilities_new_from_reply (MsProtocol     protocol,
                                const MsReply *reply)
{
  MsCapabilities *self;

  g_return_val_if_fail (reply != NULL, NULL);

  self = g_new0 (MsCapabilities, 1);
  self->protocol = protocol;
  self->all = g_ptr_array_new_with_free_func (g_free);
  self->mechanisms = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->all, NULL);
  g_ptr_array_add (self->mechanisms, NULL);

  for (guint i = 0; i < reply->lines->len; i++)
    {
      const char *line = g_ptr_array_index (reply->lines, i);

      switch (protocol)
        {
        case MS_PROTOCOL_IMAP:
          if (g_ascii_strncasecmp (line, "* CAPABILITY ", 13) == 0)
            add_words (self, line + 13);
          else if (strstr (line, "[CAPABILITY ") != NULL)
            {
              const char *start = strstr (line, "[CAPABILITY ") + 12;
              g_autofree char *words = g_strndup (start, strcspn (start, "]"));

              add_words (self, words);
            }
          break;

        case MS_PROTOCOL_POP3:
          /* The first line is the +OK status, the last the lone dot. */
          if (i == 0 || g_str_equal (line, "."))
            break;
          add_unique (self->all, line);
          add_mechanism_line (self, line, "SASL");
          break;

        case MS_PROTOCOL_SMTP:
          /* The first line is the greeting, "250-host Hello". */
          if (i == 0 || strlen (line) < 4)
            break;
          add_unique (self->all, line + 4);
          add_mechanism_line (self, line + 4, "AUTH");
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return self;
}

void
ms_capabilities_free (MsCapabilities *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->all);
  g_ptr_array_unref (self->mechanisms);
  g_free (self);
}

/* Matches a whole capability, or its first word ("SIZE" in "SIZE 10240000"). */
gboolean
ms_capabilities_has (const MsCapabilities *self,
                     const char           *capability)
{
  gsize len = strlen (capability);

  for (guint i = 0; i + 1 < self->all->len; i++)
    {
      const char *have = g_ptr_array_index (self->all, i);

      if (g_ascii_strncasecmp (have, capability, len) == 0 && (have[len] == '\0' || have[len] == ' '))
        return TRUE;
    }

  return FALSE;
}

gboolean
ms_capabilities_has_mechanism (const MsCapabilities *self,
                               const char           *mechanism)
{
  for (guint i = 0; i + 1 < self->mechanisms->len; i++)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (self->mechanisms, i), mechanism) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
ms_capabilities_offers_starttls (const MsCapabilities *self)
{
  switch (self->protocol)
    {
    case MS_PROTOCOL_IMAP:
    case MS_PROTOCOL_SMTP:
      return ms_capabilities_has (self, "STARTTLS");
    case MS_PROTOCOL_POP3:
      return ms_capabilities_has (self, "STLS");
    default:
      g_return_val_if_reached (FALSE);
    }
}

const char * const *
ms_capabilities_get_all (const MsCapabilities *self)
{
  return (const char * const *) self->all->pdata;
}

const char * const *
ms_capabilities_get_mechanisms (const MsCapabilities *self)
{
  return (const char * const *) self->mechanisms->pdata;
}
