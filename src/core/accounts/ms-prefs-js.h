/* ms-prefs-js.h: Mozilla's prefs.js and user.js, read and edited line by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  MS_PREF_STRING,
  MS_PREF_INT,
  MS_PREF_BOOL,
} MsPrefType;

/**
 * MsPref:
 * @name: the pref's name (valid UTF-8, no NUL)
 * @type: which of the values it holds
 * @string: MS_PREF_STRING: the value, unescaped (valid UTF-8, no NUL)
 * @integer: MS_PREF_INT: the value
 * @boolean: MS_PREF_BOOL: the value
 * @line: the line it is on (1-based)
 */
typedef struct
{
  char       *name;
  MsPrefType  type;
  char       *string;
  gint64      integer;
  gboolean    boolean;
  guint       line;
} MsPref;

/**
 * MsPrefsJsProblem:
 * @line: the line (1-based)
 * @message: a translated sentence: what is wrong with it
 */
typedef struct
{
  guint  line;
  char  *message;
} MsPrefsJsProblem;

typedef struct _MsPrefsJs MsPrefsJs;

MsPrefsJs    *ms_prefs_js_parse        (const char  *contents,
                                        gssize       length);
void          ms_prefs_js_free         (MsPrefsJs   *self);
GPtrArray    *ms_prefs_js_get_problems (MsPrefsJs   *self);
GPtrArray    *ms_prefs_js_get_prefs    (MsPrefsJs   *self);
const MsPref *ms_prefs_js_lookup       (MsPrefsJs   *self,
                                        const char  *name);
const char   *ms_prefs_js_get_string   (MsPrefsJs   *self,
                                        const char  *name);
gboolean      ms_prefs_js_get_int      (MsPrefsJs   *self,
                                        const char  *name,
                                        gint64      *value);
gboolean      ms_prefs_js_set_string   (MsPrefsJs   *self,
                                        const char  *name,
                                        const char  *value,
                                        GError     **error);
gboolean      ms_prefs_js_set_int      (MsPrefsJs   *self,
                                        const char  *name,
                                        gint64       value,
                                        GError     **error);
gboolean      ms_prefs_js_set_bool     (MsPrefsJs   *self,
                                        const char  *name,
                                        gboolean     value,
                                        GError     **error);
gboolean      ms_prefs_js_set_pref     (MsPrefsJs    *self,
                                        const MsPref *pref,
                                        GError      **error);
gboolean      ms_prefs_js_remove       (MsPrefsJs   *self,
                                        const char  *name,
                                        GError     **error);
char         *ms_prefs_js_to_data      (MsPrefsJs   *self,
                                        gsize       *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsPrefsJs, ms_prefs_js_free)

G_END_DECLS
