/* ms-fix.c: one thing to do about a diagnosis, automatic or by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-enum-nick.h"
#include "ms-enum-types.h"
#include "ms-fix.h"
#include "ms-json.h"

typedef struct
{
  gboolean    automatic;
  const char *label;
} FixInfo;

static const FixInfo fix_info[] = {
  [MS_FIX_USE_PROFILE] = { TRUE, N_("Use the recommended settings") },
  [MS_FIX_USE_PORT] = { TRUE, N_("Use another port") },
  [MS_FIX_COMPLETE_USERNAME] = { TRUE, N_("Use the whole email address") },
  [MS_FIX_TRUST_CERTIFICATE] = { TRUE, N_("Trust this certificate") },
  [MS_FIX_RETRY] = { TRUE, N_("Try again") },
  [MS_FIX_CHECK_NETWORK] = { FALSE, N_("Check the internet connection") },
  [MS_FIX_CHECK_FIREWALL] = { FALSE, N_("Check the firewall and antivirus settings") },
  [MS_FIX_CHECK_OUTAGE] = { FALSE, N_("Check whether the provider has an outage") },
  [MS_FIX_CHECK_PASSWORD] = { FALSE, N_("Check the password") },
  [MS_FIX_USE_APP_PASSWORD] = { FALSE, N_("Create and use an app password") },
  [MS_FIX_WAIT] = { FALSE, N_("Wait, then try again later") },
  [MS_FIX_RESET_PASSWORD] = { FALSE, N_("Reset the password") },
  [MS_FIX_CLOSE_OTHER_PROGRAMS] = { FALSE, N_("Close other mail programs") },
  [MS_FIX_SCAN_COMPUTER] = { FALSE, N_("Scan your computers for harmful programs") },
  [MS_FIX_SEND_SMALLER] = { FALSE, N_("Send smaller attachments") },
  [MS_FIX_CHECK_ADDRESS] = { FALSE, N_("Check the email address") },
  [MS_FIX_SECURE_ACCOUNT] = { FALSE, N_("Change passwords and review the account") },
  [MS_FIX_CONTACT_PROVIDER] = { FALSE, N_("Contact the provider") },
  [MS_FIX_CHECK_CLOCK] = { FALSE, N_("Check the date and time of this computer") },
  [MS_FIX_SIGN_IN_AGAIN] = { FALSE, N_("Sign in with the provider again") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fix_info) == MS_FIX_N_KINDS);

G_DEFINE_BOXED_TYPE (MsFix, ms_fix, ms_fix_ref, ms_fix_unref)

const char *
ms_fix_kind_to_string (MsFixKind kind)
{
  g_return_val_if_fail (kind < MS_FIX_N_KINDS, NULL);

  return ms_enum_nick_get (MS_TYPE_FIX_KIND, kind);
}

gboolean
ms_fix_kind_from_string (const char *string,
                         MsFixKind  *kind)
{
  int value;

  g_return_val_if_fail (string != NULL, FALSE);

  if (!ms_enum_nick_lookup (MS_TYPE_FIX_KIND, string, MS_ENUM_NICK_EXACT, &value))
    return FALSE;

  if (kind != NULL)
    *kind = (MsFixKind) value;
  return TRUE;
}

/**
 * ms_fix_new:
 * @kind: what to do
 *
 * Creates a fix with the default label of @kind. Fixes with parameters
 * (use-profile, use-port, complete-username, trust-certificate) are easier
 * made with their own constructors, which also write a specific label.
 *
 * Returns: (transfer full): a new fix
 */
MsFix *
ms_fix_new (MsFixKind kind)
{
  MsFix *self;

  g_return_val_if_fail (kind < MS_FIX_N_KINDS, NULL);

  self = g_new0 (MsFix, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->label = g_strdup (_(fix_info[kind].label));
  self->security = MS_SECURITY_TLS;

  return self;
}

/**
 * ms_fix_new_use_profile:
 * @profile_id: the id of the provider profile to switch to ("mobile")
 * @label: (nullable): a translated label naming the profile ("Use Mobile
 *   settings"), or %NULL for a generic one
 *
 * Returns: (transfer full): a new %MS_FIX_USE_PROFILE fix
 */
MsFix *
ms_fix_new_use_profile (const char *profile_id,
                        const char *label)
{
  MsFix *self;

  g_return_val_if_fail (profile_id != NULL, NULL);

  self = ms_fix_new (MS_FIX_USE_PROFILE);
  self->profile_id = g_strdup (profile_id);
  if (label != NULL)
    {
      g_free (self->label);
      self->label = g_strdup (label);
    }

  return self;
}

/**
 * ms_fix_new_use_port:
 * @port: the port that worked, or that should be tried
 * @security: how that port is secured
 *
 * Returns: (transfer full): a new %MS_FIX_USE_PORT fix
 */
MsFix *
ms_fix_new_use_port (guint16    port,
                     MsSecurity security)
{
  MsFix *self;

  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (security <= MS_SECURITY_TLS, NULL);

  self = ms_fix_new (MS_FIX_USE_PORT);
  self->port = port;
  self->security = security;
  g_free (self->label);
  if (security == MS_SECURITY_NONE)
    self->label = g_strdup_printf (_("Use port %u without encryption"), port);
  else
    self->label = g_strdup_printf (_("Use port %u with encryption"), port);

  return self;
}

/**
 * ms_fix_new_complete_username:
 * @username: the username to use instead, normally the whole address
 *
 * Returns: (transfer full): a new %MS_FIX_COMPLETE_USERNAME fix
 */
MsFix *
ms_fix_new_complete_username (const char *username)
{
  MsFix *self;

  g_return_val_if_fail (username != NULL, NULL);

  self = ms_fix_new (MS_FIX_COMPLETE_USERNAME);
  self->username = g_strdup (username);
  g_free (self->label);
  /* Translators: %s is an email address used as the username. */
  self->label = g_strdup_printf (_("Use “%s” as the username"), username);

  return self;
}

/**
 * ms_fix_new_trust_certificate:
 * @host: the server's host name
 * @port: the server's port
 * @fingerprint: the SHA-256 fingerprint of the certificate, colon-separated
 *   upper-case hex
 *
 * The fix pins one certificate to one host and port: see #MsTrustStore.
 *
 * Returns: (transfer full): a new %MS_FIX_TRUST_CERTIFICATE fix
 */
MsFix *
ms_fix_new_trust_certificate (const char *host,
                              guint16     port,
                              const char *fingerprint)
{
  MsFix *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  self = ms_fix_new (MS_FIX_TRUST_CERTIFICATE);
  self->host = g_strdup (host);
  self->port = port;
  self->fingerprint = g_strdup (fingerprint);
  g_free (self->label);
  /* Translators: %s is a server name such as mail.example.com. */
  self->label = g_strdup_printf (_("Trust this certificate for %s"), host);

  return self;
}

MsFix *
ms_fix_ref (MsFix *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_fix_unref (MsFix *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->label);
      g_free (self->profile_id);
      g_free (self->username);
      g_free (self->host);
      g_free (self->fingerprint);
      g_free (self);
    }
}

gboolean
ms_fix_is_automatic (const MsFix *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->kind < MS_FIX_N_KINDS, FALSE);

  return fix_info[self->kind].automatic;
}

/**
 * ms_fix_kind_has_parameters:
 *
 * Returns: whether a fix of @kind cannot be applied without knowing
 *   something more (a profile, a port, a username, a certificate)
 */
gboolean
ms_fix_kind_has_parameters (MsFixKind kind)
{
  return kind == MS_FIX_USE_PROFILE ||
         kind == MS_FIX_USE_PORT ||
         kind == MS_FIX_COMPLETE_USERNAME ||
         kind == MS_FIX_TRUST_CERTIFICATE;
}

static void
build_fix (JsonBuilder *builder,
           const MsFix *self)
{
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, ms_fix_kind_to_string (self->kind));
  json_builder_set_member_name (builder, "automatic");
  json_builder_add_boolean_value (builder, ms_fix_is_automatic (self));
  ms_json_add_string_or_null (builder, "label", self->label);

  switch (self->kind)
    {
    case MS_FIX_USE_PROFILE:
      ms_json_add_string_or_null (builder, "profile", self->profile_id);
      break;

    case MS_FIX_USE_PORT:
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->port);
      json_builder_set_member_name (builder, "security");
      json_builder_add_string_value (builder, ms_security_to_string (self->security));
      break;

    case MS_FIX_COMPLETE_USERNAME:
      ms_json_add_string_or_null (builder, "username", self->username);
      break;

    case MS_FIX_TRUST_CERTIFICATE:
      ms_json_add_string_or_null (builder, "host", self->host);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->port);
      ms_json_add_string_or_null (builder, "fingerprint", self->fingerprint);
      break;

    case MS_FIX_RETRY:
    case MS_FIX_CHECK_NETWORK:
    case MS_FIX_CHECK_FIREWALL:
    case MS_FIX_CHECK_OUTAGE:
    case MS_FIX_CHECK_PASSWORD:
    case MS_FIX_USE_APP_PASSWORD:
    case MS_FIX_WAIT:
    case MS_FIX_RESET_PASSWORD:
    case MS_FIX_CLOSE_OTHER_PROGRAMS:
    case MS_FIX_SCAN_COMPUTER:
    case MS_FIX_SEND_SMALLER:
    case MS_FIX_CHECK_ADDRESS:
    case MS_FIX_SECURE_ACCOUNT:
    case MS_FIX_CONTACT_PROVIDER:
    case MS_FIX_CHECK_CLOCK:
    case MS_FIX_SIGN_IN_AGAIN:
    case MS_FIX_N_KINDS:
    default:
      break;
    }

  json_builder_end_object (builder);
}

/**
 * ms_fix_to_json:
 *
 * Returns: (transfer full): an object with "kind", "automatic" and "label",
 *   plus the parameters of the kind (see ms-diagnosis.h)
 */
JsonNode *
ms_fix_to_json (const MsFix *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->kind < MS_FIX_N_KINDS, NULL);

  builder = json_builder_new ();
  build_fix (builder, self);

  return json_builder_get_root (builder);
}
