/* ms-key-file-reader.c: read another program's key file as hostile input
 *
 * Evolution's sources, geary.ini and GOA's accounts.conf are key files
 * someone else wrote. Each value is checked (ms-validate.h) as it is
 * taken; one that fails becomes a problem at its file and line, and the
 * caller skips the account. Every getter returns FALSE only for a value
 * that is there and wrong; a missing key leaves *@value %NULL (or the
 * caller's default) and returns TRUE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-security.h"
#include "ms-key-file-edit.h"
#include "ms-key-file-reader.h"
#include "ms-safe-file.h"
#include "ms-validate.h"

struct _MsKeyFileReader
{
  MsMailProgram       program;
  char               *path;
  MsAccountInventory *inventory;
  GKeyFile           *key_file;
  MsKeyFileEdit      *lines;
};

/**
 * ms_key_file_reader_open_existing:
 *
 * ms_key_file_reader_open () for a file most people do not have: one
 * that is not there is no problem.
 *
 * Returns: (nullable): the reader, or %NULL (with a problem added to
 *   @inventory when the file is there)
 */
MsKeyFileReader *
ms_key_file_reader_open_existing (MsMailProgram       program,
                                  const char         *path,
                                  gsize               max_size,
                                  MsAccountInventory *inventory)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  return ms_key_file_reader_open (program, path, max_size, inventory);
}

/**
 * ms_key_file_reader_open:
 *
 * Reads @path as ms-safe-file.h reads hostile files (a regular file, not
 * a link, at most @max_size bytes) and parses it with GKeyFile.
 *
 * Returns: (nullable): the reader, or %NULL with a problem added to
 *   @inventory
 */
MsKeyFileReader *
ms_key_file_reader_open (MsMailProgram       program,
                         const char         *path,
                         gsize               max_size,
                         MsAccountInventory *inventory)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  MsKeyFileReader *self;
  gsize size;

  if (!ms_safe_file_read (path, max_size, MS_SAFE_FILE_NOFOLLOW,
                          &contents, &size, NULL, &error))
    {
      ms_account_inventory_add_problem (inventory, program, path, 0,
                                        _("The file could not be read: %s"), error->message);
      return NULL;
    }
  if (memchr (contents, '\0', size) != NULL ||
      !g_key_file_load_from_data (key_file, contents, size, G_KEY_FILE_NONE, &error))
    {
      ms_account_inventory_add_problem (inventory, program, path, 0,
                                        _("The file is not a settings file %s can read: %s"),
                                        ms_mail_program_get_name (program),
                                        error != NULL ? error->message : _("it holds a NUL byte"));
      return NULL;
    }

  self = g_new0 (MsKeyFileReader, 1);
  self->program = program;
  self->path = g_strdup (path);
  self->inventory = g_object_ref (inventory);
  self->key_file = g_steal_pointer (&key_file);
  self->lines = ms_key_file_edit_new (contents, size);

  return self;
}

void
ms_key_file_reader_free (MsKeyFileReader *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_clear_object (&self->inventory);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->lines, ms_key_file_edit_free);
  g_free (self);
}

GKeyFile *
ms_key_file_reader_get_key_file (MsKeyFileReader *self)
{
  return self->key_file;
}

const char *
ms_key_file_reader_get_path (MsKeyFileReader *self)
{
  return self->path;
}

/* A problem at the line that sets @key in @group (the whole file if
 * there is none). */
void
ms_key_file_reader_problem (MsKeyFileReader *self,
                            const char      *group,
                            const char      *key,
                            const char      *format,
                            ...)
{
  g_autofree char *message = NULL;
  guint line = 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (group != NULL && key != NULL)
    line = ms_key_file_edit_find (self->lines, group, key);
  ms_account_inventory_add_problem (self->inventory, self->program, self->path, line, "%s", message);
}

typedef gboolean (*Validator) (const char *value, const char *source, GError **error);

static gboolean
validate_hostname (const char *value, const char *source, GError **error)
{
  return ms_validate_hostname (value, MS_VALIDATE_FLAGS_NONE, source, error);
}

static gboolean
validate_username (const char *value, const char *source, GError **error)
{
  return ms_validate_username (value, MS_VALIDATE_FLAGS_NONE, source, error);
}

static gboolean
take (MsKeyFileReader  *self,
      const char       *group,
      const char       *key,
      Validator         validate,
      char            **value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;

  *value = NULL;
  if (!g_key_file_has_key (self->key_file, group, key, NULL))
    return TRUE;

  text = g_key_file_get_string (self->key_file, group, key, &error);
  if (text == NULL)
    {
      ms_key_file_reader_problem (self, group, key, _("[%s] %s could not be read: %s"),
                                  group, key, error->message);
      return FALSE;
    }
  /* An empty value is the programs' own way of saying "not set". */
  if (*text == '\0')
    return TRUE;

  source = g_strdup_printf ("[%s] %s", group, key);
  if (validate != NULL && !validate (text, source, &error))
    {
      ms_key_file_reader_problem (self, group, key, "%s", error->message);
      return FALSE;
    }

  *value = g_steal_pointer (&text);
  return TRUE;
}

/* Any text without control characters: a backend name, a UID, a word. */
static gboolean
validate_word (const char *value, const char *source, GError **error)
{
  for (const char *p = value; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      {
        g_set_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_CONTROL_CHARACTER,
                     _("%s: a value was refused: it holds a control character"), source);
        return FALSE;
      }
  if (strlen (value) > MS_VALIDATE_PATH_MAX_LENGTH || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID,
                   _("%s: a value was refused: it is too long or not text"), source);
      return FALSE;
    }

  return TRUE;
}

gboolean
ms_key_file_reader_string (MsKeyFileReader  *self,
                           const char       *group,
                           const char       *key,
                           char            **value)
{
  return take (self, group, key, validate_word, value);
}

gboolean
ms_key_file_reader_hostname (MsKeyFileReader  *self,
                             const char       *group,
                             const char       *key,
                             char            **value)
{
  return take (self, group, key, validate_hostname, value);
}

gboolean
ms_key_file_reader_username (MsKeyFileReader  *self,
                             const char       *group,
                             const char       *key,
                             char            **value)
{
  return take (self, group, key, validate_username, value);
}

gboolean
ms_key_file_reader_address (MsKeyFileReader  *self,
                            const char       *group,
                            const char       *key,
                            char            **value)
{
  return take (self, group, key, ms_validate_address, value);
}

gboolean
ms_key_file_reader_display_name (MsKeyFileReader  *self,
                                 const char       *group,
                                 const char       *key,
                                 char            **value)
{
  return take (self, group, key, ms_validate_display_name, value);
}

/* A missing port, or 0, leaves *@port as it was: the program's default. */
gboolean
ms_key_file_reader_port (MsKeyFileReader *self,
                         const char      *group,
                         const char      *key,
                         guint16         *port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *source = NULL;
  gint64 number;

  if (!take (self, group, key, validate_word, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;

  source = g_strdup_printf ("[%s] %s", group, key);
  if (!g_ascii_string_to_signed (g_strstrip (text), 10, 0, G_MAXINT64, &number, NULL))
    number = -1;
  if (number == 0)
    return TRUE;
  if (!ms_validate_port (number, source, &error))
    {
      ms_key_file_reader_problem (self, group, key, "%s", error->message);
      return FALSE;
    }

  *port = number;
  return TRUE;
}

/* A missing key leaves *@value as it was. */
gboolean
ms_key_file_reader_boolean (MsKeyFileReader *self,
                            const char      *group,
                            const char      *key,
                            gboolean        *value)
{
  g_autoptr(GError) error = NULL;
  gboolean result;

  if (!g_key_file_has_key (self->key_file, group, key, NULL))
    return TRUE;

  result = g_key_file_get_boolean (self->key_file, group, key, &error);
  if (error != NULL)
    {
      ms_key_file_reader_problem (self, group, key, _("[%s] %s is neither true nor false"), group, key);
      return FALSE;
    }

  *value = result;
  return TRUE;
}

/**
 * ms_key_file_reader_security:
 * @format: the program's words for the securities
 * @fallback: the program's default when the key is missing
 * @security: (out): the security the key sets
 * @unknown: (out) (transfer full): the word, when it is none of @format's
 *
 * Returns: %TRUE with @security; %FALSE with a problem added, or with
 *   @unknown for the caller to say in its program's words
 */
gboolean
ms_key_file_reader_security (MsKeyFileReader         *self,
                             const char              *group,
                             const char              *key,
                             MsExportSecurityFormat   format,
                             MsSecurity               fallback,
                             MsSecurity              *security,
                             char                   **unknown)
{
  static const MsSecurity all[] = { MS_SECURITY_NONE, MS_SECURITY_STARTTLS, MS_SECURITY_TLS };
  g_autofree char *word = NULL;

  if (!ms_key_file_reader_string (self, group, key, &word))
    return FALSE;
  *security = fallback;
  if (word == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_strcmp0 (word, ms_export_security_word (format, all[i])) == 0)
      {
        *security = all[i];
        return TRUE;
      }

  *unknown = g_steal_pointer (&word);
  return FALSE;
}
