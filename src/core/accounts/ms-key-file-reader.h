/* ms-key-file-reader.h: read another program's key file as hostile input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-account-inventory.h"
#include "ms-export-security.h"

G_BEGIN_DECLS

typedef struct _MsKeyFileReader MsKeyFileReader;

MsKeyFileReader *ms_key_file_reader_open     (MsMailProgram       program,
                                              const char         *path,
                                              gsize               max_size,
                                              MsAccountInventory *inventory);
MsKeyFileReader *ms_key_file_reader_open_existing (MsMailProgram       program,
                                                   const char         *path,
                                                   gsize               max_size,
                                                   MsAccountInventory *inventory);
void             ms_key_file_reader_free     (MsKeyFileReader    *self);
GKeyFile        *ms_key_file_reader_get_key_file (MsKeyFileReader *self);
const char      *ms_key_file_reader_get_path (MsKeyFileReader    *self);
void             ms_key_file_reader_problem  (MsKeyFileReader    *self,
                                              const char         *group,
                                              const char         *key,
                                              const char         *format,
                                              ...) G_GNUC_PRINTF (4, 5);
gboolean         ms_key_file_reader_string   (MsKeyFileReader    *self,
                                              const char         *group,
                                              const char         *key,
                                              char              **value);
gboolean         ms_key_file_reader_hostname (MsKeyFileReader    *self,
                                              const char         *group,
                                              const char         *key,
                                              char              **value);
gboolean         ms_key_file_reader_username (MsKeyFileReader    *self,
                                              const char         *group,
                                              const char         *key,
                                              char              **value);
gboolean         ms_key_file_reader_address  (MsKeyFileReader    *self,
                                              const char         *group,
                                              const char         *key,
                                              char              **value);
gboolean         ms_key_file_reader_display_name (MsKeyFileReader *self,
                                                  const char      *group,
                                                  const char      *key,
                                                  char           **value);
gboolean         ms_key_file_reader_port     (MsKeyFileReader    *self,
                                              const char         *group,
                                              const char         *key,
                                              guint16            *port);
gboolean         ms_key_file_reader_boolean  (MsKeyFileReader    *self,
                                              const char         *group,
                                              const char         *key,
                                              gboolean           *value);
gboolean         ms_key_file_reader_security (MsKeyFileReader        *self,
                                              const char             *group,
                                              const char             *key,
                                              MsExportSecurityFormat  format,
                                              MsSecurity              fallback,
                                              MsSecurity             *security,
                                              char                  **unknown);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsKeyFileReader, ms_key_file_reader_free)

G_END_DECLS
