/* export-readers.h: strict readers for the exported formats, for tests and the fuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

/* One directive as the program sees it: its key (with its section) and
 * its value after the program's own unquoting. */
typedef struct
{
  char *key;
  char *value;
} ExportDirective;

GQuark     export_reader_error_quark (void);

GPtrArray *export_read_neomutt      (const char *text, GError **error);
GPtrArray *export_read_msmtp        (const char *text, GError **error);
GPtrArray *export_read_isync        (const char *text, GError **error);
GPtrArray *export_read_go_ini       (const char *text, GError **error);
GPtrArray *export_read_mozilla_prefs (const char *text, GError **error);
GPtrArray *export_read_xml_leaves   (const char *text, GError **error);
GPtrArray *export_read_key_file     (const char *text, GError **error);
GPtrArray *export_read_key_files    (const char *text, GError **error);
GPtrArray *export_read_json         (const char *text, GError **error);
char      *export_read_mailbox      (const char *text);

typedef enum
{
  EXPORT_FORMAT_NEOMUTT,
  EXPORT_FORMAT_MSMTP,
  EXPORT_FORMAT_MBSYNC,
  EXPORT_FORMAT_AERC,
  EXPORT_FORMAT_THUNDERBIRD,
  EXPORT_FORMAT_MOBILECONFIG,
  EXPORT_FORMAT_AUTODISCOVER,
  EXPORT_FORMAT_GEARY,
  EXPORT_FORMAT_EVOLUTION,
  EXPORT_FORMAT_QR,
  EXPORT_N_FORMATS,
} ExportFormat;

typedef enum
{
  EXPORT_FIELD_ADDRESS,       /* the local part of the address */
  EXPORT_FIELD_DISPLAY_NAME,
  EXPORT_FIELD_USERNAME,
  EXPORT_FIELD_HOSTNAME,
  EXPORT_FIELD_PROVIDER_NAME,
  EXPORT_N_FIELDS,
} ExportField;

typedef enum
{
  EXPORT_OUTCOME_REFUSED,     /* MS_EXPORT_ERROR_INVALID_VALUE */
  EXPORT_OUTCOME_ROUND_TRIP,  /* same directives, the value read back exactly */
  EXPORT_OUTCOME_BROKEN,      /* anything else: @why says what */
} ExportOutcome;

const char   *export_format_name (ExportFormat format);
const char   *export_field_name  (ExportField field);
ExportOutcome export_try         (ExportFormat   format,
                                  ExportField    field,
                                  const char    *value,
                                  gboolean      *used,
                                  char         **why);
ExportOutcome export_try_auth    (ExportFormat   format,
                                  ExportField    field,
                                  const char    *value,
                                  MsAuthMethod   auth,
                                  gboolean      *used,
                                  char         **why);

G_END_DECLS
