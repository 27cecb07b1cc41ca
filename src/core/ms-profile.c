/* ms-profile.c: one named set of servers a provider offers
 *
 * Charter, for one, gives two sets: "Mobile" (works from any network) and
 * "Desktop" (only on Charter's own network). A profile keeps the servers
 * in the provider file's order, which is the order of preference, and the
 * other host names the provider's documents mention as alternates, which
 * the engine may probe when the listed ones fail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-profile.h"
#include "ms-json.h"
#include "ms-localized-text.h"

struct _MsProfile
{
  GObject     parent_instance;

  char       *id;
  GHashTable *name;
  GHashTable *description;
  GHashTable *restriction;
  GPtrArray  *incoming;
  GPtrArray  *outgoing;
  GPtrArray  *alternates;
  guint       recommended : 1;
};

G_DEFINE_FINAL_TYPE (MsProfile, ms_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_RESTRICTION,
  PROP_RECOMMENDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ms_profile_finalize (GObject *object)
{
  MsProfile *self = (MsProfile *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_hash_table_unref);
  g_clear_pointer (&self->description, g_hash_table_unref);
  g_clear_pointer (&self->restriction, g_hash_table_unref);
  g_clear_pointer (&self->incoming, g_ptr_array_unref);
  g_clear_pointer (&self->outgoing, g_ptr_array_unref);
  g_clear_pointer (&self->alternates, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_profile_parent_class)->finalize (object);
}

static void
ms_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MsProfile *self = MS_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, ms_profile_get_name (self));
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, ms_profile_get_description (self));
      break;

    case PROP_RESTRICTION:
      g_value_set_string (value, ms_profile_get_restriction (self));
      break;

    case PROP_RECOMMENDED:
      g_value_set_boolean (value, self->recommended);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MsProfile *self = MS_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_RECOMMENDED:
      ms_profile_set_recommended (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_profile_class_init (MsProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_profile_finalize;
  object_class->get_property = ms_profile_get_property;
  object_class->set_property = ms_profile_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESTRICTION] =
    g_param_spec_string ("restriction", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECOMMENDED] =
    g_param_spec_boolean ("recommended", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_profile_init (MsProfile *self)
{
  self->incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_server_unref);
  self->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_server_unref);
  self->alternates = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_server_unref);
}

MsProfile *
ms_profile_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (MS_TYPE_PROFILE, "id", id, NULL);
}

const char *
ms_profile_get_id (MsProfile *self)
{
  g_return_val_if_fail (MS_IS_PROFILE (self), NULL);

  return self->id;
}

/**
 * ms_profile_get_name:
 *
 * Returns: the name to show, in the current locale's language if the
 *   provider file has it, else in English; the id when the file names none
 */
const char *
ms_profile_get_name (MsProfile *self)
{
  const char *name;

  g_return_val_if_fail (MS_IS_PROFILE (self), NULL);

  name = ms_localized_text_lookup (self->name);

  return name != NULL ? name : self->id;
}

/**
 * ms_profile_get_description:
 *
 * Returns: (nullable): a plain-language description of when to use this
 *   profile, in the current locale's language if possible
 */
const char *
ms_profile_get_description (MsProfile *self)
{
  g_return_val_if_fail (MS_IS_PROFILE (self), NULL);

  return ms_localized_text_lookup (self->description);
}

/**
 * ms_profile_get_restriction:
 *
 * Returns: (nullable): where the profile works, when not from any network
 *   (for example only on the provider's own network), in plain words
 */
const char *
ms_profile_get_restriction (MsProfile *self)
{
  g_return_val_if_fail (MS_IS_PROFILE (self), NULL);

  return ms_localized_text_lookup (self->restriction);
}

gboolean
ms_profile_get_recommended (MsProfile *self)
{
  g_return_val_if_fail (MS_IS_PROFILE (self), FALSE);

  return self->recommended;
}

/**
 * ms_profile_get_incoming:
 *
 * Returns: (transfer none) (element-type MsServer): the IMAP and POP3
 *   servers, most preferred first
 */
GPtrArray *
ms_profile_get_incoming (MsProfile *self)
{
  g_return_val_if_fail (MS_IS_PROFILE (self), NULL);

  return self->incoming;
}

/**
 * ms_profile_get_outgoing:
 *
 * Returns: (transfer none) (element-type MsServer): the SMTP servers,
 *   most preferred first
 */
GPtrArray *
ms_profile_get_outgoing (MsProfile *self)
{
  g_return_val_if_fail (MS_IS_PROFILE (self), NULL);

  return self->outgoing;
}

/**
 * ms_profile_get_alternates:
 *
 * Returns: (transfer none) (element-type MsServer): other servers the
 *   provider's documents name for this profile, incoming and outgoing
 *   mixed (see each one's protocol); worth probing, never trusted blindly
 */
GPtrArray *
ms_profile_get_alternates (MsProfile *self)
{
  g_return_val_if_fail (MS_IS_PROFILE (self), NULL);

  return self->alternates;
}

void
ms_profile_set_recommended (MsProfile *self,
                            gboolean   recommended)
{
  g_return_if_fail (MS_IS_PROFILE (self));

  recommended = !!recommended;
  if (self->recommended == (guint) recommended)
    return;

  self->recommended = recommended;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECOMMENDED]);
}

void
ms_profile_add_name (MsProfile  *self,
                     const char *lang,
                     const char *text)
{
  g_return_if_fail (MS_IS_PROFILE (self));
  g_return_if_fail (text != NULL);

  ms_localized_text_add (&self->name, lang, text);
}

void
ms_profile_add_description (MsProfile  *self,
                            const char *lang,
                            const char *text)
{
  g_return_if_fail (MS_IS_PROFILE (self));
  g_return_if_fail (text != NULL);

  ms_localized_text_add (&self->description, lang, text);
}

void
ms_profile_add_restriction (MsProfile  *self,
                            const char *lang,
                            const char *text)
{
  g_return_if_fail (MS_IS_PROFILE (self));
  g_return_if_fail (text != NULL);

  ms_localized_text_add (&self->restriction, lang, text);
}

void
ms_profile_add_incoming (MsProfile *self,
                         MsServer  *server)
{
  g_return_if_fail (MS_IS_PROFILE (self));
  g_return_if_fail (server != NULL);
  g_return_if_fail (ms_protocol_is_incoming (server->protocol));

  g_ptr_array_add (self->incoming, ms_server_ref (server));
}

void
ms_profile_add_outgoing (MsProfile *self,
                         MsServer  *server)
{
  g_return_if_fail (MS_IS_PROFILE (self));
  g_return_if_fail (server != NULL);
  g_return_if_fail (!ms_protocol_is_incoming (server->protocol));

  g_ptr_array_add (self->outgoing, ms_server_ref (server));
}

void
ms_profile_add_alternate (MsProfile *self,
                          MsServer  *server)
{
  g_return_if_fail (MS_IS_PROFILE (self));
  g_return_if_fail (server != NULL);

  g_ptr_array_add (self->alternates, ms_server_ref (server));
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
 * ms_profile_to_json:
 *
 * Returns: (transfer full): the profile with its servers: `{id, name,
 *   description, recommended, restriction, incoming, outgoing, alternates}`
 */
JsonNode *
ms_profile_to_json (MsProfile *profile)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (MS_IS_PROFILE (profile), NULL);

  builder = json_builder_new ();
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

  return json_builder_get_root (builder);
}
