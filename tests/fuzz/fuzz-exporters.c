/* fuzz-exporters.c: libFuzzer target for the file exporters' quoting
 *
 * The first byte picks the field (the address's local part, the display
 * name, the username, the server name, the provider's name), the rest is
 * its value; every file exporter renders the settings and the strict
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

  fuzz_init ();
  if (size == 0)
    return 0;
  field = data[0] % EXPORT_N_FIELDS;
  value = g_strndup ((const char *) data + 1, size - 1);
  /* An empty value means none by design (no name: the address). */
  if (*value == '\0')
    return 0;

  for (ExportFormat format = 0; format < EXPORT_N_FORMATS; format++)
    {
      g_autofree char *why = NULL;
      gboolean used;

      if (export_try (format, field, value, &used, &why) == EXPORT_OUTCOME_BROKEN)
        {
          g_printerr ("%s, %s: %s\n", export_format_name (format), export_field_name (field), why);
          abort ();
        }
    }

  return 0;
}
