/* ms-json.h: the generic helpers every type's to_json uses, and a strict reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void      ms_json_add_string_or_null (JsonBuilder        *builder,
                                      const char         *member,
                                      const char         *value);
void      ms_json_add_text           (JsonBuilder        *builder,
                                      const char         *member,
                                      const char         *value);
void      ms_json_add_text_value     (JsonBuilder        *builder,
                                      const char         *value,
                                      const char         *fallback);
void      ms_json_add_strv           (JsonBuilder        *builder,
                                      const char         *member,
                                      const char * const *strv);
char     *ms_json_to_pretty_string   (JsonNode           *node);
const char *ms_json_get_string_member (JsonObject        *object,
                                      const char         *member);

G_END_DECLS
