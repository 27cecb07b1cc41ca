/* ms-json.h: the core's types as JSON, one shape everywhere
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ms-provider.h"
#include "ms-server.h"

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
JsonNode *ms_server_to_json          (const MsServer     *server);
JsonNode *ms_provider_to_json        (MsProvider         *provider);
char     *ms_json_to_pretty_string   (JsonNode           *node);

G_END_DECLS
