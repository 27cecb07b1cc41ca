/* ms-json.c: the core's types as JSON, one shape everywhere
 *
 * `mail-setup providers`, `providers lookup` and `test` all print servers
 * and providers; they share these functions so that the stable JSON has one
 * shape (documented in data/providers/README.md and docs/cli-json.md).
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

/**
 * ms_server_to_json:
 *
 * Returns: (transfer full): `{protocol, hostname, port, security, username, auth}`
 *   with the autoconfig format's words for security and auth
 */
JsonNode *
ms_server_to_json (const MsServer *server)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, ms_protocol_to_string (server->protocol));
  json_builder_set_member_name (builder, "hostname");
  ms_json_add_text_value (builder, server->hostname, "");
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, server->port);
  json_builder_set_member_name (builder, "security");
  json_builder_add_string_value (builder, ms_security_to_string (server->security));
  /* Validated where it entered (ms-validate.h), and shown exactly: the
   * sanitizer would merge a double space the server does see. */
  ms_json_add_string_or_null (builder, "username", server->username);
  json_builder_set_member_name (builder, "auth");
  json_builder_add_string_value (builder, ms_auth_method_to_string (server->auth));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_servers (JsonBuilder *builder,
             const char  *member,
             GPtrArray   *servers)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; servers != NULL && i < servers->len; i++)
    json_builder_add_value (builder, ms_server_to_json (g_ptr_array_index (servers, i)));
  json_builder_end_array (builder);
}

/**
 * ms_provider_to_json:
 *
 * Returns: (transfer full): the provider with its profiles, notices and the
 *   file it came from
 */
JsonNode *
ms_provider_to_json (MsProvider *provider)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *notices = ms_provider_get_notices (provider);
  GPtrArray *profiles = ms_provider_get_profiles (provider);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ms_provider_get_id (provider));
  json_builder_set_member_name (builder, "name");
  ms_json_add_text_value (builder, ms_provider_get_display_name (provider), ms_provider_get_id (provider));
  ms_json_add_text (builder, "short_name", ms_provider_get_short_name (provider));
  ms_json_add_strv (builder, "domains", ms_provider_get_domains (provider));
  ms_json_add_text (builder, "source", ms_provider_get_source (provider));
  ms_json_add_text (builder, "documentation_url", ms_provider_get_documentation_url (provider));
  json_builder_set_member_name (builder, "username_is_address");
  json_builder_add_boolean_value (builder, ms_provider_get_username_is_address (provider));

  json_builder_set_member_name (builder, "support");
  json_builder_begin_object (builder);
  ms_json_add_text (builder, "phone", ms_provider_get_support_phone (provider));
  ms_json_add_text (builder, "url", ms_provider_get_support_url (provider));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "notices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notices->len; i++)
    {
      MsNotice *notice = g_ptr_array_index (notices, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, ms_notice_kind_to_string (ms_notice_get_kind (notice)));
      ms_json_add_text (builder, "text", ms_notice_get_text (notice));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "profiles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < profiles->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (profiles, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, ms_profile_get_id (profile));
      json_builder_set_member_name (builder, "name");
      ms_json_add_text_value (builder, ms_profile_get_name (profile), ms_profile_get_id (profile));
      ms_json_add_text (builder, "description", ms_profile_get_description (profile));
      json_builder_set_member_name (builder, "recommended");
      json_builder_add_boolean_value (builder, ms_profile_get_recommended (profile));
      ms_json_add_text (builder, "restriction", ms_profile_get_restriction (profile));
      add_servers (builder, "incoming", ms_profile_get_incoming (profile));
      add_servers (builder, "outgoing", ms_profile_get_outgoing (profile));
      add_servers (builder, "alternates", ms_profile_get_alternates (profile));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
ms_json_to_pretty_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}
