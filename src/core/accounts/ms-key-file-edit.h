/* ms-key-file-edit.h: change a few values of a GKeyFile-format file, every other byte as it was
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MsKeyFileEdit MsKeyFileEdit;

MsKeyFileEdit *ms_key_file_edit_new        (const char    *contents,
                                            gsize          length);
void           ms_key_file_edit_free       (MsKeyFileEdit *self);
gboolean       ms_key_file_edit_has_group  (MsKeyFileEdit *self,
                                            const char    *group);
guint          ms_key_file_edit_find       (MsKeyFileEdit *self,
                                            const char    *group,
                                            const char    *key);
void           ms_key_file_edit_set_value  (MsKeyFileEdit *self,
                                            const char    *group,
                                            const char    *key,
                                            const char    *value);
void           ms_key_file_edit_set_string (MsKeyFileEdit *self,
                                            const char    *group,
                                            const char    *key,
                                            const char    *string);
char          *ms_key_file_edit_to_data    (MsKeyFileEdit *self,
                                            gsize         *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsKeyFileEdit, ms_key_file_edit_free)

G_END_DECLS
