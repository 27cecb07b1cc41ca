/* ms-server.c: one mail server as a provider file describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-enum-nick.h"
#include "ms-enum-types.h"
#include "ms-server.h"
#include "ms-json.h"

G_DEFINE_BOXED_TYPE (MsServer, ms_server, ms_server_ref, ms_server_unref)

const char *
ms_protocol_to_string (MsProtocol protocol)
{
  return ms_enum_nick_get (MS_TYPE_PROTOCOL, protocol);
}

gboolean
ms_protocol_from_string (const char *string,
                         MsProtocol *protocol)
{
  int value;

  g_return_val_if_fail (string != NULL, FALSE);

  if (ms_enum_nick_lookup (MS_TYPE_PROTOCOL, string, MS_ENUM_NICK_IGNORE_CASE, &value))
    {
      *protocol = value;
      return TRUE;
    }

  /* Older provider files and SRV records say "pop". */
  if (g_ascii_strcasecmp (string, "pop") == 0)
    {
      *protocol = MS_PROTOCOL_POP3;
      return TRUE;
    }

  return FALSE;
}

gboolean
ms_protocol_is_incoming (MsProtocol protocol)
{
  return protocol != MS_PROTOCOL_SMTP;
}

/**
 * ms_protocol_default_port:
 *
 * Returns: the port RFC 8314 and common practice give @protocol with
 *   @security (MS_SECURITY_NONE shares the STARTTLS port)
 */
guint16
ms_protocol_default_port (MsProtocol protocol,
                          MsSecurity security)
{
  gboolean implicit = security == MS_SECURITY_TLS;

  switch (protocol)
    {
    case MS_PROTOCOL_IMAP:
      return implicit ? 993 : 143;
    case MS_PROTOCOL_POP3:
      return implicit ? 995 : 110;
    case MS_PROTOCOL_SMTP:
      return implicit ? 465 : 587;
    default:
      g_return_val_if_reached (0);
    }
}

/* The autoconfig format's socketType values. */
const char *
ms_security_to_string (MsSecurity security)
{
  return ms_enum_nick_get (MS_TYPE_SECURITY, security);
}

gboolean
ms_security_from_string (const char *string,
                         MsSecurity *security)
{
  int value;

  g_return_val_if_fail (string != NULL, FALSE);

  if (ms_enum_nick_lookup (MS_TYPE_SECURITY, string, MS_ENUM_NICK_IGNORE_CASE, &value))
    {
      *security = value;
      return TRUE;
    }

  /* Spellings seen in the wild and on the command line: aliases, not
   * names, so they are not nicks. */
  if (g_ascii_strcasecmp (string, "TLS") == 0)
    *security = MS_SECURITY_TLS;
  else if (g_ascii_strcasecmp (string, "none") == 0)
    *security = MS_SECURITY_NONE;
  else
    return FALSE;

  return TRUE;
}

const char *
ms_auth_method_to_string (MsAuthMethod method)
{
  return ms_enum_nick_get (MS_TYPE_AUTH_METHOD, method);
}

gboolean
ms_auth_method_from_string (const char   *string,
                            MsAuthMethod *method)
{
  int value;

  g_return_val_if_fail (string != NULL, FALSE);

  if (!ms_enum_nick_lookup (MS_TYPE_AUTH_METHOD, string, MS_ENUM_NICK_IGNORE_CASE, &value))
    return FALSE;
  *method = value;

  return TRUE;
}

MsServer *
ms_server_new (MsProtocol  protocol,
               const char *hostname,
               guint16     port,
               MsSecurity  security)
{
  MsServer *self;

  g_return_val_if_fail (hostname != NULL, NULL);

  self = g_new0 (MsServer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->protocol = protocol;
  self->hostname = g_strdup (hostname);
  self->port = port;
  self->security = security;
  self->username = g_strdup ("%EMAILADDRESS%");
  self->auth = MS_AUTH_PASSWORD_CLEARTEXT;

  return self;
}

MsServer *
ms_server_copy (const MsServer *self)
{
  MsServer *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ms_server_new (self->protocol, self->hostname, self->port, self->security);
  ms_server_set_username (copy, self->username);
  copy->auth = self->auth;
  copy->max_tls12 = self->max_tls12;
  copy->takes_oauth2 = self->takes_oauth2;

  return copy;
}

MsServer *
ms_server_ref (MsServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_server_unref (MsServer *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->hostname);
      g_free (self->username);
      g_free (self);
    }
}

gboolean
ms_server_equal (const MsServer *a,
                 const MsServer *b)
{
  return a->protocol == b->protocol &&
         g_ascii_strcasecmp (a->hostname, b->hostname) == 0 &&
         a->port == b->port &&
         a->security == b->security &&
         g_strcmp0 (a->username, b->username) == 0 &&
         a->auth == b->auth;
}

/**
 * ms_server_set_username:
 * @username: (nullable): a username template, or %NULL for no login
 *
 * Servers start with "%EMAILADDRESS%"; this replaces it.
 */
void
ms_server_set_username (MsServer   *self,
                        const char *username)
{
  g_return_if_fail (self != NULL);

  ms_server_take_username (self, g_strdup (username));
}

/**
 * ms_server_take_username:
 * @username: (transfer full) (nullable): as ms_server_set_username()
 */
void
ms_server_take_username (MsServer *self,
                         char     *username)
{
  g_return_if_fail (self != NULL);

  g_free (self->username);
  self->username = username;
}

/**
 * ms_server_expand_username:
 * @address: the full, validated email address
 *
 * Returns: (transfer full) (nullable): the username for @address, or %NULL
 *   when the server needs no login
 */
char *
ms_server_expand_username (const MsServer *self,
                           const char     *address)
{
  g_autofree char *local_part = NULL;
  const char *at;
  GString *result;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (self->username == NULL)
    return NULL;

  at = strrchr (address, '@');
  local_part = at != NULL ? g_strndup (address, at - address) : g_strdup (address);

  result = g_string_new (self->username);
  g_string_replace (result, "%EMAILADDRESS%", address, 0);
  g_string_replace (result, "%EMAILLOCALPART%", local_part, 0);
  g_string_replace (result, "%EMAILDOMAIN%", at != NULL ? at + 1 : "", 0);

  return g_string_free (result, FALSE);
}

char *
ms_server_to_display_string (const MsServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("%s %s:%u (%s)", ms_protocol_to_string (self->protocol),
                          self->hostname, self->port,
                          ms_security_to_string (self->security));
}

/**
 * ms_server_to_json:
 *
 * Returns: (transfer full): `{protocol, hostname, port, security, username, auth}`
 *   with the autoconfig format's words for security and auth
 */
/**
 * ms_server_add_json_endpoint:
 *
 * Adds the members that say which server it is, "protocol", "hostname"
 * and "port", to the object @builder is in: the start of every JSON
 * object about a server (docs/cli-json.md).
 */
void
ms_server_add_json_endpoint (JsonBuilder    *builder,
                             const MsServer *server)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (server != NULL);

  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, ms_protocol_to_string (server->protocol));
  json_builder_set_member_name (builder, "hostname");
  ms_json_add_text_value (builder, server->hostname, "");
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, server->port);
}

JsonNode *
ms_server_to_json (const MsServer *server)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  ms_server_add_json_endpoint (builder, server);
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

/**
 * ms_server_takes_oauth2:
 *
 * Returns: whether the server takes an OAuth 2.0 bearer token as its
 *   login: its @auth is OAuth2, or its provider file names OAuth2 too
 */
gboolean
ms_server_takes_oauth2 (const MsServer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->auth == MS_AUTH_OAUTH2 || self->takes_oauth2;
}
