/* ms-secret.c: a password in memory, wiped when the last reference goes
 *
 * The password reaches the engine from the caller (the wizard, the
 * keyring, or --password-stdin) and lives only as long as someone holds a
 * reference. It has no GValue transformation and no to-string on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-secret-private.h"
#include "ms-secret.h"

/* No password is longer than this; a longer stdin is a mistake. */
#define MAX_SECRET_LENGTH 4096

struct _MsSecret
{
  gatomicrefcount  ref_count;
  char            *text;
  gsize            length;
};

G_DEFINE_BOXED_TYPE (MsSecret, ms_secret, ms_secret_ref, ms_secret_unref)

static MsSecretReleaseHook release_hook;
static gpointer release_hook_data;

void
ms_secret_set_release_hook_for_testing (MsSecretReleaseHook hook,
                                        gpointer            user_data)
{
  release_hook = hook;
  release_hook_data = user_data;
}

void
ms_secret_wipe_free (gpointer buffer,
                     gsize    size)
{
  if (buffer == NULL)
    return;

  explicit_bzero (buffer, size);
  if (release_hook != NULL)
    release_hook (buffer, size, release_hook_data);
  g_free (buffer);
}

void
ms_secret_wipe_string (char *string)
{
  if (string == NULL)
    return;

  ms_secret_wipe_free (string, strlen (string));
}

/**
 * ms_secret_new_take:
 * @text: (transfer full): the secret; wiped and freed with the #MsSecret
 */
MsSecret *
ms_secret_new_take (char *text)
{
  MsSecret *self;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_new0 (MsSecret, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = text;
  self->length = strlen (text);

  return self;
}

MsSecret *
ms_secret_new (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return ms_secret_new_take (g_strdup (text));
}

/**
 * ms_secret_new_from_stream:
 *
 * Reads a secret from @stream (standard input for --password-stdin) up to
 * the first line end or the end of the stream.
 */
MsSecret *
ms_secret_new_from_stream (GInputStream  *stream,
                           GError       **error)
{
  char *buffer = g_malloc0 (MAX_SECRET_LENGTH + 1);
  gsize length = 0;

  /* One byte at a time: nothing past the line end is taken from the
   * stream, and no buffered copy is left behind. */
  while (length < MAX_SECRET_LENGTH)
    {
      gssize n = g_input_stream_read (stream, buffer + length, 1, NULL, error);

      if (n < 0)
        {
          ms_secret_wipe_free (buffer, MAX_SECRET_LENGTH + 1);
          return NULL;
        }
      if (n == 0 || buffer[length] == '\n')
        break;
      length++;
    }

  buffer[length] = '\0';
  if (length > 0 && buffer[length - 1] == '\r')
    buffer[--length] = '\0';

  if (length == MAX_SECRET_LENGTH)
    {
      ms_secret_wipe_free (buffer, MAX_SECRET_LENGTH + 1);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The password is longer than %d characters"), MAX_SECRET_LENGTH);
      return NULL;
    }

  /* Everything after a NUL would be lost without a word (the password is
   * a C string from here on), and no login can carry one. */
  if (memchr (buffer, '\0', length) != NULL)
    {
      ms_secret_wipe_free (buffer, MAX_SECRET_LENGTH + 1);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The password contains a NUL character (a zero byte), which no mail server accepts; it was not used"));
      return NULL;
    }

  return ms_secret_new_take (buffer);
}

MsSecret *
ms_secret_ref (MsSecret *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_secret_unref (MsSecret *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      ms_secret_wipe_free (self->text, self->length);
      g_free (self);
    }
}

const char *
ms_secret_get_text (const MsSecret *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

gsize
ms_secret_get_length (const MsSecret *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->length;
}
