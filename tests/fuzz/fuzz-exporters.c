/* fuzz-exporters.c: libFuzzer target for the file exporters' quoting
 *
 * The first byte picks the field (the address's local part, the display
 * name, the username, the server name, the provider's name) and whether
 * the servers sign in with OAuth (the terminal programs then run the
 * token command with the address), the rest is its value; every file exporter renders the settings and the strict
 * reader for its format (tests/unit/export-readers.c) reads them back:
 * refused with MS_EXPORT_ERROR_INVALID_VALUE, or the same directives with
 * the value exactly as given. Anything else (an injected directive, a
 * changed value, a wrong error) aborts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "export-readers.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = NULL;
  ExportField field;
  MsAuthMethod auth;

  fuzz_init ();
  if (size == 0)
    return 0;
  field = data[0] % EXPORT_N_FIELDS;
  auth = (data[0] / EXPORT_N_FIELDS) % 2 ? MS_AUTH_OAUTH2 : MS_AUTH_PASSWORD_CLEARTEXT;
  value = g_strndup ((const char *) data + 1, size - 1);
  /* An empty value means none by design (no name: the address). */
  if (*value == '\0')
    return 0;

  for (ExportFormat format = 0; format < EXPORT_N_FORMATS; format++)
    {
      g_autofree char *why = NULL;
      gboolean used;

      if (export_try_auth (format, field, value, auth, &used, &why) == EXPORT_OUTCOME_BROKEN)
        {
          g_printerr ("%s (%s), %s: %s\n", export_format_name (format),
                      ms_auth_method_to_string (auth), export_field_name (field), why);
          abort ();
        }
    }

  return 0;
}
