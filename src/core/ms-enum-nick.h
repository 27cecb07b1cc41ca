/* ms-enum-nick.h: stable names of enum values, from the generated GEnum/GFlags types
 *
 * The names the JSON, the provider files and the command line use are the
 * nicks of the types gnome.mkenums_simple makes (ms-enum-types.h), so each
 * name is written once, next to its value in the enum.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  MS_ENUM_NICK_EXACT,        /* "info" only */
  MS_ENUM_NICK_IGNORE_CASE,  /* "starttls" for "STARTTLS" too (ASCII) */
} MsEnumNickMatch;

const char *ms_enum_nick_get    (GType            enum_type,
                                 int              value);
gboolean    ms_enum_nick_lookup (GType            enum_type,
                                 const char      *nick,
                                 MsEnumNickMatch  match,
                                 int             *value);
GStrv       ms_flags_nick_strv  (GType            flags_type,
                                 guint            value);

G_END_DECLS
