/* ms-json.c: the generic helpers every type's to_json uses
 *
 * Each type writes its own JSON (ms_server_to_json() in ms-server.c,
 * ms_provider_to_json() in ms-provider.c, ...); they share these helpers so
 * that nulls, lists and untrusted text have one shape in the stable JSON
 * (documented in data/providers/README.md and docs/cli-json.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-json.h"
#include "ms-untrusted-text.h"

void
ms_json_add_string_or_null (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * ms_json_add_text:
 * @value: (nullable): untrusted text (a provider's name, a notice, a
 *   server's message); %NULL is written as null
 *
 * JSON escapes control characters, but whoever prints the decoded string
 * gets them back, and line separators and bidi controls are not escaped
 * at all: untrusted text goes into the stable JSON only through the one
 * sanitizer (ms-untrusted-text.h).
 */
void
ms_json_add_text (JsonBuilder *builder,
                  const char  *member,
                  const char  *value)
{
  g_autofree char *clean = ms_untrusted_text_sanitize (value, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, clean != NULL ? clean : "");
}

/**
 * ms_json_add_text_value:
 * @value: (nullable): untrusted text for an array or a member already named
 * @fallback: what is written when nothing of @value is left (never null,
 *   for members that are always strings)
 */
void
ms_json_add_text_value (JsonBuilder *builder,
                        const char  *value,
                        const char  *fallback)
{
  g_autofree char *clean = ms_untrusted_text_sanitize (value, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

  json_builder_add_string_value (builder, clean != NULL ? clean : fallback);
}

/**
 * ms_json_add_strv:
 * @strv: (nullable): written as an empty array when %NULL
 */
void
ms_json_add_strv (JsonBuilder        *builder,
                  const char         *member,
                  const char * const *strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

char *
ms_json_to_pretty_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

/**
 * ms_json_get_string_member:
 * @object: a JSON object from outside (an authorization server's answer)
 *
 * Unlike json_object_get_string_member(), never warns: a missing member,
 * a null or a value of another type are all %NULL, since a hostile
 * answer must not reach a critical.
 *
 * Returns: (nullable): the string value of @member
 */
const char *
ms_json_get_string_member (JsonObject *object,
                           const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL && member != NULL, NULL);

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}
