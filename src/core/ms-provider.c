/* ms-provider.c: a mail provider, as its provider file describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ms-enum-nick.h"
#include "ms-enum-types.h"
#include "ms-provider.h"
#include "ms-json.h"
#include "ms-localized-text.h"
#include "ms-validate.h"

/* MsNotice */

struct _MsNotice
{
  gatomicrefcount ref_count;
  MsNoticeKind    kind;
  GHashTable     *text;
};

G_DEFINE_BOXED_TYPE (MsNotice, ms_notice, ms_notice_ref, ms_notice_unref)

const char *
ms_notice_kind_to_string (MsNoticeKind kind)
{
  return ms_enum_nick_get (MS_TYPE_NOTICE_KIND, kind);
}

gboolean
ms_notice_kind_from_string (const char   *string,
                            MsNoticeKind *kind)
{
  int value;

  g_return_val_if_fail (string != NULL, FALSE);

  if (!ms_enum_nick_lookup (MS_TYPE_NOTICE_KIND, string, MS_ENUM_NICK_EXACT, &value))
    return FALSE;
  *kind = value;

  return TRUE;
}

MsNotice *
ms_notice_new (MsNoticeKind kind)
{
  MsNotice *self;

  self = g_new0 (MsNotice, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;

  return self;
}

MsNotice *
ms_notice_ref (MsNotice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_notice_unref (MsNotice *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->text, g_hash_table_unref);
      g_free (self);
    }
}

MsNoticeKind
ms_notice_get_kind (const MsNotice *self)
{
  g_return_val_if_fail (self != NULL, MS_NOTICE_INFO);

  return self->kind;
}

/**
 * ms_notice_get_text:
 *
 * Returns: (nullable): the plain-language text, in the current locale's
 *   language if the provider file has it
 */
const char *
ms_notice_get_text (const MsNotice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ms_localized_text_lookup (self->text);
}

void
ms_notice_add_text (MsNotice   *self,
                    const char *lang,
                    const char *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  ms_localized_text_add (&self->text, lang, text);
}

/**
 * ms_notice_to_json:
 *
 * Returns: (transfer full): `{kind, text}`, the text sanitized
 */
JsonNode *
ms_notice_to_json (const MsNotice *notice)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (notice != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, ms_notice_kind_to_string (ms_notice_get_kind (notice)));
  ms_json_add_text (builder, "text", ms_notice_get_text (notice));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* MsProvider */

struct _MsProvider
{
  GObject    parent_instance;

  char      *id;
  char      *display_name;
  char      *short_name;
  GPtrArray *domains;   /* NULL-terminated, normalised */
  char      *source;
  char      *documentation_url;
  char      *support_phone;
  char      *support_url;
  GPtrArray *profiles;
  GPtrArray *notices;
  GPtrArray *retired;   /* of MsServer */
  guint      username_is_address : 1;
  MsOAuthConfig *oauth;  /* the file's <oAuth2> block, if any */

  /* Before the first login (ms-provider.h). */
  char            *app_password_url;
  GHashTable      *login_hint;     /* lang → text */
  MsProviderStatus status;
  char            *last_checked;   /* YYYY-MM-DD */
};

G_DEFINE_FINAL_TYPE (MsProvider, ms_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_SHORT_NAME,
  PROP_DOMAINS,
  PROP_SOURCE,
  PROP_DOCUMENTATION_URL,
  PROP_SUPPORT_PHONE,
  PROP_SUPPORT_URL,
  PROP_USERNAME_IS_ADDRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * ms_provider_normalize_domain:
 * @domain: a domain as typed or as a provider file gives it
 *
 * Returns: (transfer full) (nullable): @domain in lower-case ASCII (IDN
 *   encoded), without a trailing dot; %NULL if it is not a host name
 */
char *
ms_provider_normalize_domain (const char *domain)
{
  g_autofree char *ascii = NULL;
  g_autofree char *trimmed = NULL;
  gsize length;

  g_return_val_if_fail (domain != NULL, NULL);

  trimmed = g_strstrip (g_strdup (domain));
  length = strlen (trimmed);
  if (length > 0 && trimmed[length - 1] == '.')
    trimmed[--length] = '\0';

  if (length == 0 || length > 253 || !g_utf8_validate (trimmed, length, NULL))
    return NULL;

  ascii = g_hostname_to_ascii (trimmed);
  if (ascii == NULL)
    return NULL;

  /* The one host-name rule (ms-validate.h), for domains too. */
  if (!ms_validate_hostname (ascii, MS_VALIDATE_FLAGS_NONE, "domain", NULL))
    return NULL;

  return g_ascii_strdown (ascii, -1);
}

static void
ms_provider_dispose (GObject *object)
{
  MsProvider *self = (MsProvider *)object;

  g_clear_pointer (&self->profiles, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_provider_parent_class)->dispose (object);
}

static void
ms_provider_finalize (GObject *object)
{
  MsProvider *self = (MsProvider *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->short_name, g_free);
  g_clear_pointer (&self->domains, g_ptr_array_unref);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->documentation_url, g_free);
  g_clear_pointer (&self->support_phone, g_free);
  g_clear_pointer (&self->support_url, g_free);
  g_clear_pointer (&self->notices, g_ptr_array_unref);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_clear_pointer (&self->app_password_url, g_free);
  g_clear_pointer (&self->login_hint, g_hash_table_unref);
  g_clear_pointer (&self->last_checked, g_free);
  g_clear_pointer (&self->oauth, ms_oauth_config_unref);

  G_OBJECT_CLASS (ms_provider_parent_class)->finalize (object);
}

static void
ms_provider_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MsProvider *self = MS_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, ms_provider_get_display_name (self));
      break;

    case PROP_SHORT_NAME:
      g_value_set_string (value, ms_provider_get_short_name (self));
      break;

    case PROP_DOMAINS:
      g_value_set_boxed (value, ms_provider_get_domains (self));
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROP_DOCUMENTATION_URL:
      g_value_set_string (value, self->documentation_url);
      break;

    case PROP_SUPPORT_PHONE:
      g_value_set_string (value, self->support_phone);
      break;

    case PROP_SUPPORT_URL:
      g_value_set_string (value, self->support_url);
      break;

    case PROP_USERNAME_IS_ADDRESS:
      g_value_set_boolean (value, self->username_is_address);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_provider_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MsProvider *self = MS_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_provider_class_init (MsProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_provider_dispose;
  object_class->finalize = ms_provider_finalize;
  object_class->get_property = ms_provider_get_property;
  object_class->set_property = ms_provider_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHORT_NAME] =
    g_param_spec_string ("short-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAINS] =
    g_param_spec_boxed ("domains", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENTATION_URL] =
    g_param_spec_string ("documentation-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUPPORT_PHONE] =
    g_param_spec_string ("support-phone", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUPPORT_URL] =
    g_param_spec_string ("support-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME_IS_ADDRESS] =
    g_param_spec_boolean ("username-is-address", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_provider_init (MsProvider *self)
{
  self->domains = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->domains, NULL);
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_notice_unref);
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_server_unref);
}

MsProvider *
ms_provider_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (MS_TYPE_PROVIDER, "id", id, NULL);
}

/**
 * ms_provider_new_discovered:
 * @source: where it was found (a record, a URL)
 *
 * A provider that discovery found for @domain alone: named after the
 * domain, with @profile as its only profile.
 *
 * Returns: (transfer full): the provider
 */
MsProvider *
ms_provider_new_discovered (const char *id,
                            const char *domain,
                            const char *source,
                            MsProfile  *profile)
{
  MsProvider *self;

  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (MS_IS_PROFILE (profile), NULL);

  self = ms_provider_new (id);
  ms_provider_set_display_name (self, domain);
  ms_provider_add_domain (self, domain);
  ms_provider_set_source (self, source);
  ms_provider_add_profile (self, profile);

  return self;
}

const char *
ms_provider_get_id (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->id;
}

/* Falls back to the short name, then the id, so there is always a name. */
const char *
ms_provider_get_display_name (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  if (self->display_name != NULL)
    return self->display_name;

  return self->short_name != NULL ? self->short_name : self->id;
}

const char *
ms_provider_get_short_name (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  if (self->short_name != NULL)
    return self->short_name;

  return self->display_name != NULL ? self->display_name : self->id;
}

/**
 * ms_provider_get_domains:
 *
 * Returns: (transfer none): the domains, lower-case ASCII, in file order
 */
const char * const *
ms_provider_get_domains (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return (const char * const *) self->domains->pdata;
}

gboolean
ms_provider_has_domain (MsProvider *self,
                        const char *domain)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (MS_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  normal = ms_provider_normalize_domain (domain);
  if (normal == NULL)
    return FALSE;

  return g_strv_contains (ms_provider_get_domains (self), normal);
}

/**
 * ms_provider_get_source:
 *
 * Returns: (nullable): where the provider came from: a file path, or a
 *   `resource://` URI for the files built into Mail Setup
 */
const char *
ms_provider_get_source (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->source;
}

const char *
ms_provider_get_documentation_url (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->documentation_url;
}

const char *
ms_provider_get_support_phone (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->support_phone;
}

const char *
ms_provider_get_support_url (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->support_url;
}

/**
 * ms_provider_get_username_is_address:
 *
 * Returns: %TRUE if the login is always the full address, so a bare user
 *   name should be completed with the provider's first domain
 */
gboolean
ms_provider_get_username_is_address (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), FALSE);

  return self->username_is_address;
}

/**
 * ms_provider_get_profiles:
 *
 * Returns: (transfer none) (element-type MsProfile): the profiles, in file
 *   order
 */
GPtrArray *
ms_provider_get_profiles (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->profiles;
}

/**
 * ms_provider_get_profile:
 *
 * Returns: (transfer none) (nullable): the profile called @id
 */
MsProfile *
ms_provider_get_profile (MsProvider *self,
                         const char *id)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_str_equal (ms_profile_get_id (profile), id))
        return profile;
    }

  return NULL;
}

/**
 * ms_provider_get_recommended_profile:
 *
 * Returns: (transfer none) (nullable): the first profile marked as
 *   recommended, else the first profile
 */
MsProfile *
ms_provider_get_recommended_profile (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (self->profiles, i);

      if (ms_profile_get_recommended (profile))
        return profile;
    }

  return self->profiles->len > 0 ? g_ptr_array_index (self->profiles, 0) : NULL;
}

/**
 * ms_provider_get_notices:
 *
 * Returns: (transfer none) (element-type MsNotice): what the person needs
 *   to know before signing in, in file order, at most one of each kind
 */
GPtrArray *
ms_provider_get_notices (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->notices;
}

/**
 * ms_provider_get_notice:
 *
 * Returns: (transfer none) (nullable): the notice of @kind
 */
MsNotice *
ms_provider_get_notice (MsProvider   *self,
                        MsNoticeKind  kind)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  for (guint i = 0; i < self->notices->len; i++)
    {
      MsNotice *notice = g_ptr_array_index (self->notices, i);

      if (ms_notice_get_kind (notice) == kind)
        return notice;
    }

  return NULL;
}

static void
set_string (MsProvider  *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
ms_provider_set_display_name (MsProvider *self,
                              const char *display_name)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  set_string (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
}

void
ms_provider_set_short_name (MsProvider *self,
                            const char *short_name)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  set_string (self, &self->short_name, short_name, PROP_SHORT_NAME);
}

/**
 * ms_provider_add_domain:
 *
 * Returns: %FALSE if @domain is not a valid domain name (nothing is added)
 */
gboolean
ms_provider_add_domain (MsProvider *self,
                        const char *domain)
{
  char *normal;

  g_return_val_if_fail (MS_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  normal = ms_provider_normalize_domain (domain);
  if (normal == NULL)
    return FALSE;

  if (g_strv_contains (ms_provider_get_domains (self), normal))
    {
      g_free (normal);
      return TRUE;
    }

  /* Keep the array NULL-terminated for ms_provider_get_domains(). */
  g_ptr_array_insert (self->domains, self->domains->len - 1, normal);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOMAINS]);

  return TRUE;
}

void
ms_provider_set_source (MsProvider *self,
                        const char *source)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  set_string (self, &self->source, source, PROP_SOURCE);
}

void
ms_provider_set_documentation_url (MsProvider *self,
                                   const char *url)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  set_string (self, &self->documentation_url, url, PROP_DOCUMENTATION_URL);
}

void
ms_provider_set_support (MsProvider *self,
                         const char *phone,
                         const char *url)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  set_string (self, &self->support_phone, phone, PROP_SUPPORT_PHONE);
  set_string (self, &self->support_url, url, PROP_SUPPORT_URL);
}

void
ms_provider_set_username_is_address (MsProvider *self,
                                     gboolean    username_is_address)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  username_is_address = !!username_is_address;
  if (self->username_is_address == (guint) username_is_address)
    return;

  self->username_is_address = username_is_address;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME_IS_ADDRESS]);
}

void
ms_provider_add_profile (MsProvider *self,
                         MsProfile  *profile)
{
  g_return_if_fail (MS_IS_PROVIDER (self));
  g_return_if_fail (MS_IS_PROFILE (profile));

  g_ptr_array_add (self->profiles, g_object_ref (profile));
}

void
ms_provider_add_notice (MsProvider *self,
                        MsNotice   *notice)
{
  g_return_if_fail (MS_IS_PROVIDER (self));
  g_return_if_fail (notice != NULL);

  g_ptr_array_add (self->notices, ms_notice_ref (notice));
}

/**
 * ms_provider_add_retired:
 *
 * Records a server the provider no longer runs (or no longer wants used):
 * an existing account still set to it has outdated settings.
 */
void
ms_provider_add_retired (MsProvider *self,
                         MsServer   *server)
{
  g_return_if_fail (MS_IS_PROVIDER (self));
  g_return_if_fail (server != NULL);

  g_ptr_array_add (self->retired, ms_server_ref (server));
}

/**
 * ms_provider_get_retired:
 *
 * Returns: (transfer none) (element-type MsServer): the servers the
 *   provider file lists in <ms:retired>, in file order
 */
GPtrArray *
ms_provider_get_retired (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->retired;
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
  g_autoptr(JsonBuilder) builder = NULL;
  GPtrArray *notices;
  GPtrArray *profiles;

  g_return_val_if_fail (MS_IS_PROVIDER (provider), NULL);

  builder = json_builder_new ();
  notices = ms_provider_get_notices (provider);
  profiles = ms_provider_get_profiles (provider);

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

  ms_json_add_text (builder, "app_password_url", provider->app_password_url);
  ms_json_add_text (builder, "login_hint", ms_provider_get_login_hint (provider));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, ms_provider_status_to_string (provider->status));
  ms_json_add_text (builder, "last_checked", provider->last_checked);

  json_builder_set_member_name (builder, "notices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notices->len; i++)
    json_builder_add_value (builder, ms_notice_to_json (g_ptr_array_index (notices, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "profiles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < profiles->len; i++)
    json_builder_add_value (builder, ms_profile_to_json (g_ptr_array_index (profiles, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "retired");
  json_builder_begin_array (builder);
  for (guint i = 0; i < provider->retired->len; i++)
    json_builder_add_value (builder, ms_server_to_json (g_ptr_array_index (provider->retired, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "oauth");
  if (provider->oauth != NULL)
    json_builder_add_value (builder, ms_oauth_config_to_json (provider->oauth));
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * ms_provider_get_oauth:
 *
 * Returns: (transfer none) (nullable): the provider's OAuth 2.0
 *   authorization server, as its file's <oAuth2> block gives it
 */
MsOAuthConfig *
ms_provider_get_oauth (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->oauth;
}

void
ms_provider_set_oauth (MsProvider    *self,
                       MsOAuthConfig *oauth)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  if (oauth != NULL)
    ms_oauth_config_ref (oauth);
  g_clear_pointer (&self->oauth, ms_oauth_config_unref);
  self->oauth = oauth;
}

const char *
ms_provider_status_to_string (MsProviderStatus status)
{
  return ms_enum_nick_get (MS_TYPE_PROVIDER_STATUS, status);
}

gboolean
ms_provider_status_from_string (const char       *string,
                                MsProviderStatus *status)
{
  int value;

  g_return_val_if_fail (string != NULL, FALSE);

  if (!ms_enum_nick_lookup (MS_TYPE_PROVIDER_STATUS, string, MS_ENUM_NICK_EXACT, &value))
    return FALSE;
  *status = value;

  return TRUE;
}

/**
 * ms_provider_get_app_password_url:
 *
 * Returns: (nullable): the provider's page for making an app password
 */
const char *
ms_provider_get_app_password_url (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->app_password_url;
}

/**
 * ms_provider_get_login_hint:
 *
 * Returns: (nullable): the hint to show before the first login, in the
 *   person's language where the file has it
 */
const char *
ms_provider_get_login_hint (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return ms_localized_text_lookup (self->login_hint);
}

MsProviderStatus
ms_provider_get_status (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), MS_PROVIDER_STATUS_UNKNOWN);

  return self->status;
}

/**
 * ms_provider_get_last_checked:
 *
 * Returns: (nullable): the day the entry was last checked, as YYYY-MM-DD
 */
const char *
ms_provider_get_last_checked (MsProvider *self)
{
  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  return self->last_checked;
}

/* The caller (the provider parser) has validated @url. */
void
ms_provider_set_app_password_url (MsProvider *self,
                                  const char *url)
{
  g_return_if_fail (MS_IS_PROVIDER (self));

  g_free (self->app_password_url);
  self->app_password_url = g_strdup (url);
}

void
ms_provider_add_login_hint (MsProvider *self,
                            const char *lang,
                            const char *hint)
{
  g_return_if_fail (MS_IS_PROVIDER (self));
  g_return_if_fail (hint != NULL);

  ms_localized_text_add (&self->login_hint, lang, hint);
}

void
ms_provider_set_status (MsProvider      *self,
                        MsProviderStatus status,
                        const char      *last_checked)
{
  char *copy;

  g_return_if_fail (MS_IS_PROVIDER (self));

  copy = g_strdup (last_checked);  /* it may be self->last_checked */

  self->status = status;
  g_free (self->last_checked);
  self->last_checked = copy;
}

/**
 * ms_provider_describe_status:
 *
 * Returns: (transfer full) (nullable): a sentence to show when the status
 *   asks for the person's attention (broken, needs preparation), with the
 *   day it was last checked; %NULL when it does not
 */
char *
ms_provider_describe_status (MsProvider *self)
{
  const char *text;

  g_return_val_if_fail (MS_IS_PROVIDER (self), NULL);

  if (self->status == MS_PROVIDER_STATUS_BROKEN)
    text = _("These settings are known not to work at the moment: setup may fail.");
  else if (self->status == MS_PROVIDER_STATUS_NEEDS_PREPARATION)
    text = _("The provider needs something done on its website before another mail program can sign in.");
  else
    return NULL;

  if (self->last_checked == NULL)
    return g_strdup (text);

  /* TRANSLATORS: the first %s is a sentence about the provider, the second
   * a date such as 2025-06-01 */
  return g_strdup_printf (_("%s (Last checked %s.)"), text, self->last_checked);
}
