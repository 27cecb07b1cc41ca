/* ms-diagnosis.c: what went wrong, in plain words, and how to fix it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ms-diagnosis.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

/* A server reply or error message is evidence for a support request, not a
 * document: a bounded, printable excerpt is all the UI or JSON needs. */
#define MAX_DETAIL_BYTES 512

/* Real replies that mean something fit in a few lines; reading more only
 * gives a hostile server more to play with. */
#define MAX_CLASSIFIED_BYTES 8192

/* Ends a default fix list (MS_FIX_USE_PROFILE is 0, so 0 cannot). */
#define FIX_END MS_FIX_N_KINDS
#define FIXES(...) { __VA_ARGS__, FIX_END }
#define NO_FIXES { FIX_END }

typedef struct
{
  const char *name;
  MsSeverity  severity;
  const char *title;
  const char *explanation;
  MsFixKind   fixes[5];
} CodeInfo;

static const CodeInfo code_info[] = {
  [MS_DIAGNOSIS_OFFLINE] = {
    "offline", MS_SEVERITY_ERROR,
    N_("This computer is offline"),
    N_("This computer is not connected to the internet. Connect to a network, then try again."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_DNS_FAILURE] = {
    "dns-failure", MS_SEVERITY_ERROR,
    N_("The mail server could not be found"),
    N_("The name of the mail server could not be looked up. Either the internet connection is not working, or the server name is misspelled."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_CONNECTION_REFUSED] = {
    "connection-refused", MS_SEVERITY_ERROR,
    N_("The mail server turned the connection away"),
    N_("The server can be reached, but it does not accept mail connections on this port. The port may be wrong, or the mail service may be down."),
    FIXES (MS_FIX_CHECK_FIREWALL, MS_FIX_CHECK_OUTAGE, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_TIMEOUT] = {
    "timeout", MS_SEVERITY_ERROR,
    N_("The mail server did not answer"),
    N_("The server did not answer in time. A firewall or antivirus program may be blocking mail, or the server may be down."),
    FIXES (MS_FIX_CHECK_FIREWALL, MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_NETWORK_UNREACHABLE] = {
    "network-unreachable", MS_SEVERITY_ERROR,
    N_("The mail server cannot be reached"),
    N_("This computer has no way to reach the server. The internet connection may be limited or not working."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_TLS_UNTRUSTED] = {
    "tls-untrusted", MS_SEVERITY_ERROR,
    N_("The server’s identity could not be confirmed"),
    N_("The server’s security certificate was not issued by an authority this computer trusts. Some private servers work this way, but it can also mean that someone is listening in. Only trust it if your provider confirms the details."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_EXPIRED] = {
    "tls-expired", MS_SEVERITY_ERROR,
    N_("The server’s security certificate is out of date"),
    N_("The server’s security certificate has expired or is not valid yet. If the date and time on this computer are wrong, correct them; otherwise the provider must renew the certificate."),
    FIXES (MS_FIX_CHECK_CLOCK, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_WRONG_HOST] = {
    "tls-wrong-host", MS_SEVERITY_ERROR,
    N_("The server claims to be a different server"),
    N_("The server’s security certificate is made out to a different name. The server name may be mistyped, or the connection may be going somewhere it should not."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_REVOKED] = {
    "tls-revoked", MS_SEVERITY_ERROR,
    N_("The server’s security certificate was withdrawn"),
    N_("The authority that issued the server’s security certificate has withdrawn it. Do not use this server until your provider fixes it."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_INSECURE] = {
    "tls-insecure", MS_SEVERITY_ERROR,
    N_("The server’s protection is too weak"),
    N_("The server’s security certificate uses an outdated method that no longer protects the connection. Your provider needs to update it."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_CERTIFICATE_CHANGED] = {
    "tls-certificate-changed", MS_SEVERITY_ERROR,
    N_("The server’s identity has changed"),
    N_("The server now shows a different security certificate from the one you chose to trust. Providers sometimes replace certificates, but this can also mean that someone is listening in. Check with your provider before trusting the new one."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED] = {
    "tls-handshake-failed", MS_SEVERITY_ERROR,
    N_("A secure connection could not be set up"),
    N_("This computer and the server could not start an encrypted connection. Security software that inspects connections can cause this, or the server may be set up wrongly."),
    FIXES (MS_FIX_RETRY, MS_FIX_CHECK_FIREWALL, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_VERSION_MISMATCH] = {
    "tls-version-mismatch", MS_SEVERITY_ERROR,
    N_("The server uses a different kind of encryption"),
    N_("This computer and the server could not agree on a kind of encryption that both understand. One of them is out of date."),
    FIXES (MS_FIX_RETRY, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_STARTTLS_NOT_OFFERED] = {
    "starttls-not-offered", MS_SEVERITY_ERROR,
    N_("The server offers no encryption here"),
    N_("On this port the server does not offer to encrypt the connection, so your password could be read by others on the network. It will not be sent this way."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_STARTTLS_FAILED] = {
    "starttls-failed", MS_SEVERITY_ERROR,
    N_("Encryption could not be switched on"),
    N_("The server offered to encrypt the connection, then failed to do so. Try again later or use another port."),
    FIXES (MS_FIX_RETRY, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_SECURITY_MISMATCH] = {
    "security-mismatch", MS_SEVERITY_INFO,
    N_("The server is secured differently than listed"),
    N_("The server protects this port in a different way than the provider’s settings say. The settings now follow what the server really does."),
    NO_FIXES,
  },
  [MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED] = {
    "plaintext-login-refused", MS_SEVERITY_ERROR,
    N_("Signing in without encryption is not allowed"),
    N_("A password may only be sent over an encrypted connection, and this connection is not encrypted. Use the secure settings instead."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_AUTH_FAILED] = {
    "auth-failed", MS_SEVERITY_ERROR,
    N_("The email address or password was not accepted"),
    N_("The server refused the sign-in. Check that the password is right and that the whole email address is used as the username."),
    FIXES (MS_FIX_CHECK_PASSWORD, MS_FIX_RESET_PASSWORD),
  },
  [MS_DIAGNOSIS_USERNAME_INCOMPLETE] = {
    "username-incomplete", MS_SEVERITY_WARNING,
    N_("The username must be the whole email address"),
    N_("This provider expects the whole email address as the username, such as name@example.com, not only the part before the @."),
    NO_FIXES,
  },
  [MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED] = {
    "auth-mechanism-unsupported", MS_SEVERITY_ERROR,
    N_("The server’s way of signing in is not supported"),
    N_("The server offers no way of signing in that this program can use safely."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_OAUTH_REQUIRED] = {
    "oauth-required", MS_SEVERITY_ERROR,
    N_("This account needs an app password"),
    N_("Your provider does not accept your usual password from mail programs. Create an app password in the security settings of your account on the provider’s website, and use it here instead."),
    FIXES (MS_FIX_USE_APP_PASSWORD, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_ACCOUNT_LOCKED] = {
    "account-locked", MS_SEVERITY_ERROR,
    N_("The account is locked for now"),
    N_("The provider has stopped sign-ins to this account for a while, usually after several wrong passwords. Wait before trying again, or reset your password."),
    FIXES (MS_FIX_WAIT, MS_FIX_RESET_PASSWORD),
  },
  [MS_DIAGNOSIS_SERVER_UNAVAILABLE] = {
    "server-unavailable", MS_SEVERITY_ERROR,
    N_("The mail server is unavailable right now"),
    N_("The server is busy or down for maintenance. Try again later."),
    FIXES (MS_FIX_WAIT, MS_FIX_CHECK_OUTAGE, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_PROTOCOL_ERROR] = {
    "protocol-error", MS_SEVERITY_ERROR,
    N_("The server’s answer made no sense"),
    N_("The server answered in an unexpected way or hung up part way through. Security software that inspects connections can cause this."),
    FIXES (MS_FIX_CHECK_FIREWALL, MS_FIX_RETRY, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_RELAY_DENIED] = {
    "relay-denied", MS_SEVERITY_ERROR,
    N_("Sending only works on the provider’s own network"),
    N_("Your provider only accepts mail from this computer when it is connected to the provider’s own internet service. Use the settings for mobile devices and laptops, which work on any network."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TOO_MANY_CONNECTIONS] = {
    "too-many-connections", MS_SEVERITY_ERROR,
    N_("Too many connections from this internet connection"),
    N_("The server refuses new connections because too many are already open from this internet connection. Close mail programs on your other devices. If it keeps happening, a harmful program on one of them may be sending mail."),
    FIXES (MS_FIX_CLOSE_OTHER_PROGRAMS, MS_FIX_SCAN_COMPUTER, MS_FIX_WAIT),
  },
  [MS_DIAGNOSIS_BLOCKLISTED] = {
    "blocklisted", MS_SEVERITY_ERROR,
    N_("This internet connection is blocked for sending"),
    N_("The provider has put this internet address on a list of addresses that sent spam, and refuses mail from it. Your provider can remove it from the list."),
    FIXES (MS_FIX_SCAN_COMPUTER, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_CONNECTION_LOST] = {
    "connection-lost", MS_SEVERITY_ERROR,
    N_("The connection was lost"),
    N_("The connection to the server dropped. Check the internet connection, and restart the modem or router if needed."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED] = {
    "send-quota-exceeded", MS_SEVERITY_WARNING,
    N_("The sending limit was reached"),
    N_("You have sent as many messages as the provider allows in an hour. Wait, then try again later."),
    FIXES (MS_FIX_WAIT),
  },
  [MS_DIAGNOSIS_SESSION_LIMIT] = {
    "session-limit", MS_SEVERITY_WARNING,
    N_("Too many messages at once"),
    N_("The provider limits how many messages can be sent in one go. Wait at least an hour after the last message was sent, then try again."),
    FIXES (MS_FIX_WAIT),
  },
  [MS_DIAGNOSIS_TOO_MANY_INVALID_RECIPIENTS] = {
    "too-many-invalid-recipients", MS_SEVERITY_ERROR,
    N_("Too many addresses do not exist"),
    N_("The message was addressed to too many addresses that do not exist. Send it only to addresses you know are right."),
    FIXES (MS_FIX_CHECK_ADDRESS),
  },
  [MS_DIAGNOSIS_MESSAGE_REJECTED_AS_SPAM] = {
    "message-rejected-as-spam", MS_SEVERITY_ERROR,
    N_("The message was taken for spam"),
    N_("The provider’s filter took this message for spam and refused it. If that is wrong, send the original message to your provider and ask them to allow it."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_MESSAGE_TOO_LARGE] = {
    "message-too-large", MS_SEVERITY_ERROR,
    N_("The message is too large"),
    N_("The message and its attachments are larger than the provider allows. Send smaller attachments, or share large files another way."),
    FIXES (MS_FIX_SEND_SMALLER),
  },
  [MS_DIAGNOSIS_SENDER_DOMAIN_UNKNOWN] = {
    "sender-domain-unknown", MS_SEVERITY_ERROR,
    N_("Your email address does not exist"),
    N_("The part of your email address after the @ does not exist. Check that your email address is typed correctly."),
    FIXES (MS_FIX_CHECK_ADDRESS),
  },
  [MS_DIAGNOSIS_RECIPIENT_DOMAIN_UNKNOWN] = {
    "recipient-domain-unknown", MS_SEVERITY_ERROR,
    N_("The recipient’s address does not exist"),
    N_("The part of the recipient’s address after the @ does not exist. Check that the address is typed correctly."),
    FIXES (MS_FIX_CHECK_ADDRESS),
  },
  [MS_DIAGNOSIS_SECURITY_ALERT] = {
    "security-alert", MS_SEVERITY_ERROR,
    N_("The provider noticed unusual activity"),
    N_("Your provider noticed unusual activity on your account and has blocked some access for a while. Change your passwords, and remove any addresses you do not recognise in your account settings on the provider’s website."),
    FIXES (MS_FIX_SECURE_ACCOUNT, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_PROFILE_NETWORK_RESTRICTED] = {
    "profile-network-restricted", MS_SEVERITY_INFO,
    N_("These settings only work on the provider’s network"),
    N_("These settings only work while this computer is connected to the provider’s own internet service. On a laptop, or on any other network, use the settings for mobile devices."),
    NO_FIXES,
  },
  [MS_DIAGNOSIS_TEST_MESSAGE_NOT_ARRIVED] = {
    "test-message-not-arrived", MS_SEVERITY_WARNING,
    N_("The test message did not arrive"),
    N_("A test message was sent to your own address but did not arrive in time. Mail may be delayed, or a filter may have taken it for spam: look in your spam folder."),
    FIXES (MS_FIX_WAIT, MS_FIX_RETRY),
  },
};

G_STATIC_ASSERT (G_N_ELEMENTS (code_info) == MS_DIAGNOSIS_N_CODES);

typedef struct
{
  const char *name;
  gboolean    automatic;
  const char *label;
} FixInfo;

static const FixInfo fix_info[] = {
  [MS_FIX_USE_PROFILE] = { "use-profile", TRUE, N_("Use the recommended settings") },
  [MS_FIX_USE_PORT] = { "use-port", TRUE, N_("Use another port") },
  [MS_FIX_COMPLETE_USERNAME] = { "complete-username", TRUE, N_("Use the whole email address") },
  [MS_FIX_TRUST_CERTIFICATE] = { "trust-certificate", TRUE, N_("Trust this certificate") },
  [MS_FIX_RETRY] = { "retry", TRUE, N_("Try again") },
  [MS_FIX_CHECK_NETWORK] = { "check-network", FALSE, N_("Check the internet connection") },
  [MS_FIX_CHECK_FIREWALL] = { "check-firewall", FALSE, N_("Check the firewall and antivirus settings") },
  [MS_FIX_CHECK_OUTAGE] = { "check-outage", FALSE, N_("Check whether the provider has an outage") },
  [MS_FIX_CHECK_PASSWORD] = { "check-password", FALSE, N_("Check the password") },
  [MS_FIX_USE_APP_PASSWORD] = { "use-app-password", FALSE, N_("Create and use an app password") },
  [MS_FIX_WAIT] = { "wait", FALSE, N_("Wait, then try again later") },
  [MS_FIX_RESET_PASSWORD] = { "reset-password", FALSE, N_("Reset the password") },
  [MS_FIX_CLOSE_OTHER_PROGRAMS] = { "close-other-programs", FALSE, N_("Close other mail programs") },
  [MS_FIX_SCAN_COMPUTER] = { "scan-computer", FALSE, N_("Scan your computers for harmful programs") },
  [MS_FIX_SEND_SMALLER] = { "send-smaller", FALSE, N_("Send smaller attachments") },
  [MS_FIX_CHECK_ADDRESS] = { "check-address", FALSE, N_("Check the email address") },
  [MS_FIX_SECURE_ACCOUNT] = { "secure-account", FALSE, N_("Change passwords and review the account") },
  [MS_FIX_CONTACT_PROVIDER] = { "contact-provider", FALSE, N_("Contact the provider") },
  [MS_FIX_CHECK_CLOCK] = { "check-clock", FALSE, N_("Check the date and time of this computer") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fix_info) == MS_FIX_N_KINDS);

static const char *severity_names[] = { "info", "warning", "error" };

G_DEFINE_BOXED_TYPE (MsFix, ms_fix, ms_fix_ref, ms_fix_unref)
G_DEFINE_BOXED_TYPE (MsDiagnosis, ms_diagnosis, ms_diagnosis_ref, ms_diagnosis_unref)

/* Fixes */

const char *
ms_fix_kind_to_string (MsFixKind kind)
{
  g_return_val_if_fail (kind < MS_FIX_N_KINDS, NULL);

  return fix_info[kind].name;
}

gboolean
ms_fix_kind_from_string (const char *string,
                         MsFixKind  *kind)
{
  g_return_val_if_fail (string != NULL, FALSE);

  for (guint i = 0; i < MS_FIX_N_KINDS; i++)
    {
      if (strcmp (string, fix_info[i].name) == 0)
        {
          if (kind != NULL)
            *kind = (MsFixKind) i;
          return TRUE;
        }
    }

  return FALSE;
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

/* The fixes the program cannot apply without knowing something more. */
static gboolean
fix_kind_has_parameters (MsFixKind kind)
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

/* Diagnoses */

const char *
ms_diagnosis_code_to_string (MsDiagnosisCode code)
{
  g_return_val_if_fail (code < MS_DIAGNOSIS_N_CODES, NULL);

  return code_info[code].name;
}

gboolean
ms_diagnosis_code_from_string (const char      *string,
                               MsDiagnosisCode *code)
{
  g_return_val_if_fail (string != NULL, FALSE);

  for (guint i = 0; i < MS_DIAGNOSIS_N_CODES; i++)
    {
      if (strcmp (string, code_info[i].name) == 0)
        {
          if (code != NULL)
            *code = (MsDiagnosisCode) i;
          return TRUE;
        }
    }

  return FALSE;
}

MsSeverity
ms_diagnosis_code_get_severity (MsDiagnosisCode code)
{
  g_return_val_if_fail (code < MS_DIAGNOSIS_N_CODES, MS_SEVERITY_ERROR);

  return code_info[code].severity;
}

const char *
ms_severity_to_string (MsSeverity severity)
{
  g_return_val_if_fail (severity <= MS_SEVERITY_ERROR, NULL);

  return severity_names[severity];
}

/**
 * ms_diagnosis_sanitize_detail:
 * @detail: (nullable): text from a server or an error message
 *
 * ms_untrusted_text_sanitize() at the length a diagnosis shows.
 *
 * Returns: (transfer full) (nullable): the cleaned text, or %NULL when
 *   nothing printable is left
 */
char *
ms_diagnosis_sanitize_detail (const char *detail)
{
  return ms_untrusted_text_sanitize (detail, MAX_DETAIL_BYTES);
}

/* The explanation of codes where naming the server helps the person (and
 * support) see which of the several servers is at fault. */
static char *
explain_with_server (MsDiagnosisCode  code,
                     const MsServer  *server)
{
  const char *host = server->hostname;
  guint port = server->port;

  switch (code)
    {
    case MS_DIAGNOSIS_DNS_FAILURE:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("The name of the mail server, %s, could not be looked up. Either the internet connection is not working, or the server name is misspelled."),
                              host);
    case MS_DIAGNOSIS_CONNECTION_REFUSED:
      /* Translators: %s is a server name, %u a port number such as 587. */
      return g_strdup_printf (_("The server %s can be reached, but it does not accept mail connections on port %u. The port may be wrong, or the mail service may be down."),
                              host, port);
    case MS_DIAGNOSIS_TIMEOUT:
      /* Translators: %s is a server name, %u a port number such as 587. */
      return g_strdup_printf (_("The server %s did not answer on port %u in time. A firewall or antivirus program may be blocking mail, or the server may be down."),
                              host, port);
    case MS_DIAGNOSIS_NETWORK_UNREACHABLE:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("This computer has no way to reach %s. The internet connection may be limited or not working."),
                              host);
    case MS_DIAGNOSIS_TLS_WRONG_HOST:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("The security certificate of %s is made out to a different name. The server name may be mistyped, or the connection may be going somewhere it should not."),
                              host);
    case MS_DIAGNOSIS_STARTTLS_NOT_OFFERED:
      /* Translators: %s is a server name, %u a port number such as 587. */
      return g_strdup_printf (_("The server %s does not offer to encrypt the connection on port %u, so your password could be read by others on the network. It will not be sent this way."),
                              host, port);
    case MS_DIAGNOSIS_SERVER_UNAVAILABLE:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("The server %s is busy or down for maintenance. Try again later."),
                              host);
    case MS_DIAGNOSIS_RELAY_DENIED:
      /* Translators: %s is a server name, %u a port number such as 25. */
      return g_strdup_printf (_("Your provider only accepts mail through %s, port %u, when this computer is connected to the provider’s own internet service. Use the settings for mobile devices and laptops, which work on any network."),
                              host, port);
    case MS_DIAGNOSIS_PROFILE_NETWORK_RESTRICTED:
      /* Translators: %s is a server name, %u a port number such as 25. */
      return g_strdup_printf (_("The server %s, port %u, only works while this computer is connected to the provider’s own internet service. On a laptop, or on any other network, use the settings for mobile devices."),
                              host, port);
    default:
      return NULL;
    }
}

/**
 * ms_diagnosis_new:
 * @code: what was found
 * @server: (nullable): the server it is about (copied)
 * @detail: (nullable): the technical evidence, a server reply or an error
 *   message; it is sanitised (ms_diagnosis_sanitize_detail()), but must
 *   never contain a secret
 *
 * Creates a diagnosis with the code's severity, title, explanation (naming
 * @server where that helps) and the default fixes that need no parameters.
 * Add the others with ms_diagnosis_add_fix().
 *
 * Returns: (transfer full): a new diagnosis
 */
MsDiagnosis *
ms_diagnosis_new (MsDiagnosisCode  code,
                  const MsServer  *server,
                  const char      *detail)
{
  const CodeInfo *info;
  MsDiagnosis *self;

  g_return_val_if_fail (code < MS_DIAGNOSIS_N_CODES, NULL);

  info = &code_info[code];

  self = g_new0 (MsDiagnosis, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->code = code;
  self->severity = info->severity;
  self->title = g_strdup (_(info->title));
  if (server != NULL && server->hostname != NULL)
    self->explanation = explain_with_server (code, server);
  if (self->explanation == NULL)
    self->explanation = g_strdup (_(info->explanation));
  self->detail = ms_diagnosis_sanitize_detail (detail);
  self->server = server != NULL ? ms_server_copy (server) : NULL;
  self->fixes = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_fix_unref);

  for (guint i = 0; i < G_N_ELEMENTS (info->fixes) && info->fixes[i] != FIX_END; i++)
    g_ptr_array_add (self->fixes, ms_fix_new (info->fixes[i]));

  return self;
}

MsDiagnosis *
ms_diagnosis_ref (MsDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_diagnosis_unref (MsDiagnosis *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->title);
      g_free (self->explanation);
      g_free (self->detail);
      g_clear_pointer (&self->server, ms_server_unref);
      g_clear_pointer (&self->fixes, g_ptr_array_unref);
      g_free (self);
    }
}

/**
 * ms_diagnosis_add_fix:
 * @fix: (transfer full): the fix
 *
 * Fixes with parameters (use-profile, use-port, complete-username,
 * trust-certificate) are specific to what was found, so they go before the
 * default fixes, in the order they are added; other fixes go last. A
 * parameterless fix the diagnosis already has is dropped.
 */
void
ms_diagnosis_add_fix (MsDiagnosis *self,
                      MsFix       *fix)
{
  guint position = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (fix != NULL);
  g_return_if_fail (fix->kind < MS_FIX_N_KINDS);

  if (!fix_kind_has_parameters (fix->kind))
    {
      for (guint i = 0; i < self->fixes->len; i++)
        {
          const MsFix *existing = g_ptr_array_index (self->fixes, i);

          if (existing->kind == fix->kind)
            {
              ms_fix_unref (fix);
              return;
            }
        }

      g_ptr_array_add (self->fixes, fix);
      return;
    }

  while (position < self->fixes->len)
    {
      const MsFix *existing = g_ptr_array_index (self->fixes, position);

      if (!fix_kind_has_parameters (existing->kind))
        break;
      position++;
    }

  g_ptr_array_insert (self->fixes, position, fix);
}

/**
 * ms_diagnosis_to_json:
 *
 * Returns: (transfer full): the diagnosis as a JSON object (see
 *   ms-diagnosis.h for its members)
 */
JsonNode *
ms_diagnosis_to_json (const MsDiagnosis *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, ms_diagnosis_code_to_string (self->code));
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, ms_severity_to_string (self->severity));
  ms_json_add_string_or_null (builder, "title", self->title);
  ms_json_add_string_or_null (builder, "explanation", self->explanation);
  ms_json_add_string_or_null (builder, "detail", self->detail);

  json_builder_set_member_name (builder, "server");
  if (self->server != NULL)
    json_builder_add_value (builder, ms_server_to_json (self->server));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "fixes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->fixes->len; i++)
    build_fix (builder, g_ptr_array_index (self->fixes, i));
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Classifiers
 *
 * Replies are matched by their status, response code and single words or
 * short word sequences, never by whole sentences: providers reword their
 * messages, and a sentence match fails on the first changed comma. */

typedef struct
{
  GPtrArray *words;  /* lower-case ASCII words, in order */
} Words;

/* Words are runs of ASCII letters and digits; a dot between two digits
 * stays inside the word so that enhanced status codes ("5.7.8") are one
 * word. Anything else, including non-ASCII bytes, separates words. */
static void
words_init (Words      *words,
            const char *text,
            gsize       length)
{
  gsize i = 0;

  words->words = g_ptr_array_new_with_free_func (g_free);

  while (i < length)
    {
      gsize start;

      if (!g_ascii_isalnum (text[i]))
        {
          i++;
          continue;
        }

      start = i;
      while (i < length &&
             (g_ascii_isalnum (text[i]) ||
              (text[i] == '.' && g_ascii_isdigit (text[i - 1]) &&
               i + 1 < length && g_ascii_isdigit (text[i + 1]))))
        i++;

      g_ptr_array_add (words->words, g_ascii_strdown (text + start, i - start));
    }
}

static void
words_clear (Words *words)
{
  g_clear_pointer (&words->words, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Words, words_clear)

static gboolean
has_word (const Words *words,
          const char  *word)
{
  for (guint i = 0; i < words->words->len; i++)
    {
      if (strcmp (g_ptr_array_index (words->words, i), word) == 0)
        return TRUE;
    }

  return FALSE;
}

/* @phrase: lower-case words separated by single spaces */
static gboolean
has_phrase (const Words *words,
            const char  *phrase)
{
  g_auto(GStrv) wanted = g_strsplit (phrase, " ", -1);
  guint n_wanted = g_strv_length (wanted);

  if (n_wanted == 0 || words->words->len < n_wanted)
    return FALSE;

  for (guint i = 0; i + n_wanted <= words->words->len; i++)
    {
      guint j;

      for (j = 0; j < n_wanted; j++)
        {
          if (strcmp (g_ptr_array_index (words->words, i + j), wanted[j]) != 0)
            break;
        }
      if (j == n_wanted)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_any_phrase (const Words        *words,
                const char * const *phrases)
{
  for (guint i = 0; phrases[i] != NULL; i++)
    {
      if (has_phrase (words, phrases[i]))
        return TRUE;
    }

  return FALSE;
}

static const char * const lockout_phrases[] = {
  "temporarily locked",
  "too many login failures",
  "account is locked",
  "account has been locked",
  "account locked",
  "too many failed",
  "too many login attempts",
  "too many authentication failures",
  NULL
};

/* Gmail, Yahoo and Microsoft refuse account passwords from mail programs
 * with these words: an app password (or OAuth) is needed. */
static const char * const app_password_phrases[] = {
  "application specific password",
  "app specific password",
  "app password",
  "web login required",
  "log in via your web browser",
  "basic authentication is disabled",
  NULL
};

/* Dovecot, Postfix and RFC 3207 wordings for "encrypt first". */
static const char * const plaintext_phrases[] = {
  "plaintext authentication disallowed",
  "plaintext authentication not allowed",
  "must issue a starttls",
  "encryption required",
  NULL
};

static const char * const too_many_connections_phrases[] = {
  "too many connections",
  "too many simultaneous connections",
  "too many concurrent connections",
  "maximum number of connections",
  NULL
};

static const char * const relay_phrases[] = {
  "relay access denied",
  "relaying denied",
  "relay denied",
  "relay not permitted",
  "relaying not allowed",
  "not permitted to relay",
  NULL
};

static const char * const blocklist_phrases[] = {
  "rbl",
  "blacklist",
  "blacklisted",
  "blocklist",
  "blocklisted",
  "spamhaus",
  "blocked using",
  NULL
};

/* Checks that hold in every protocol, on any reply that is not a success. */
static gboolean
classify_common (const Words     *words,
                 MsDiagnosisCode *code)
{
  if (has_phrase (words, "chtr 301"))
    *code = MS_DIAGNOSIS_SECURITY_ALERT;
  else if (has_any_phrase (words, lockout_phrases))
    *code = MS_DIAGNOSIS_ACCOUNT_LOCKED;
  else if (has_any_phrase (words, app_password_phrases))
    *code = MS_DIAGNOSIS_OAUTH_REQUIRED;
  else if (has_any_phrase (words, plaintext_phrases))
    *code = MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED;
  else if (has_any_phrase (words, too_many_connections_phrases))
    *code = MS_DIAGNOSIS_TOO_MANY_CONNECTIONS;
  else
    return FALSE;

  return TRUE;
}

/* Returns: the three-digit code of the reply's first line, or 0 */
static guint
smtp_reply_code (const char *reply,
                 gsize       length)
{
  gsize i = 0;

  while (i < length && g_ascii_isspace (reply[i]))
    i++;

  if (i + 3 > length ||
      !g_ascii_isdigit (reply[i]) ||
      !g_ascii_isdigit (reply[i + 1]) ||
      !g_ascii_isdigit (reply[i + 2]) ||
      (i + 3 < length && g_ascii_isdigit (reply[i + 3])))
    return 0;

  return (reply[i] - '0') * 100 + (reply[i + 1] - '0') * 10 + (reply[i + 2] - '0');
}

static gboolean
classify_smtp (const char      *reply,
               gsize            length,
               const Words     *words,
               MsDiagnosisCode *code)
{
  guint smtp_code = smtp_reply_code (reply, length);

  if (smtp_code >= 200 && smtp_code < 400)
    return FALSE;

  if (classify_common (words, code))
    return TRUE;

  if (smtp_code == 571 || has_word (words, "e1110") ||
      (smtp_code >= 500 && has_any_phrase (words, relay_phrases)))
    {
      *code = MS_DIAGNOSIS_RELAY_DENIED;
      return TRUE;
    }

  switch (smtp_code)
    {
    case 421:
      if (has_word (words, "e1550"))
        *code = MS_DIAGNOSIS_TOO_MANY_CONNECTIONS;
      /* "Service not available" is Charter's whole reply to a blacklisted
       * address, but it also starts RFC 5321's standard text for any
       * shutdown ("..., closing transmission channel"). */
      else if (has_any_phrase (words, blocklist_phrases) ||
               (has_phrase (words, "service not available") &&
                !has_phrase (words, "closing transmission channel")))
        *code = MS_DIAGNOSIS_BLOCKLISTED;
      else if (has_word (words, "lost"))
        *code = MS_DIAGNOSIS_CONNECTION_LOST;
      else
        *code = MS_DIAGNOSIS_SERVER_UNAVAILABLE;
      return TRUE;

    case 452:
      if (has_word (words, "e2210") || has_word (words, "quota"))
        *code = MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED;
      else if (has_word (words, "e1520") || has_phrase (words, "come back later"))
        *code = MS_DIAGNOSIS_SESSION_LIMIT;
      else
        return FALSE;
      return TRUE;

    case 454:
      /* The answer to STARTTLS, or a temporary failure of the login. */
      if (has_word (words, "tls") || has_word (words, "starttls"))
        *code = MS_DIAGNOSIS_STARTTLS_FAILED;
      else
        *code = MS_DIAGNOSIS_SERVER_UNAVAILABLE;
      return TRUE;

    case 503:
      if (!has_word (words, "invalid"))
        return FALSE;
      *code = MS_DIAGNOSIS_TOO_MANY_INVALID_RECIPIENTS;
      return TRUE;

    case 504:
      if (!has_word (words, "authentication") && !has_word (words, "mechanism"))
        return FALSE;
      *code = MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED;
      return TRUE;

    case 550:
    case 554:
      if (has_word (words, "e5110") || has_word (words, "spam") ||
          has_phrase (words, "message rejected"))
        *code = MS_DIAGNOSIS_MESSAGE_REJECTED_AS_SPAM;
      else if (has_any_phrase (words, blocklist_phrases))
        *code = MS_DIAGNOSIS_BLOCKLISTED;
      else if (has_word (words, "5.3.4"))
        *code = MS_DIAGNOSIS_MESSAGE_TOO_LARGE;
      else
        return FALSE;
      return TRUE;

    case 552:
      /* 5.2.2 is a full mailbox at the other end, not a large message. */
      if (has_word (words, "5.2.2"))
        return FALSE;
      *code = MS_DIAGNOSIS_MESSAGE_TOO_LARGE;
      return TRUE;

    case 553:
      if (has_word (words, "e2110"))
        *code = MS_DIAGNOSIS_SENDER_DOMAIN_UNKNOWN;
      else if (has_word (words, "e2120"))
        *code = MS_DIAGNOSIS_RECIPIENT_DOMAIN_UNKNOWN;
      else
        return FALSE;
      return TRUE;

    case 534:
      *code = MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED;
      return TRUE;

    case 535:
      *code = MS_DIAGNOSIS_AUTH_FAILED;
      return TRUE;

    case 538:
      *code = MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED;
      return TRUE;

    case 530:
      if (!has_word (words, "starttls"))
        return FALSE;
      *code = MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED;
      return TRUE;

    default:
      break;
    }

  /* Enhanced status codes (RFC 3463) where the basic code is unusual. */
  if (has_word (words, "5.7.8"))
    *code = MS_DIAGNOSIS_AUTH_FAILED;
  else if (has_word (words, "5.7.9"))
    *code = MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED;
  else
    return FALSE;

  return TRUE;
}

/* Reads "TAG STATUS [CODE ...] text" (IMAP) or "STATUS [CODE] text"
 * (POP3) from one line. @status and @response_code are upper-case ASCII,
 * empty when absent. */
static void
parse_status_line (const char *line,
                   gsize       length,
                   gboolean    has_tag,
                   char        status[16],
                   char        response_code[32])
{
  gsize i = 0;
  gsize n;

  status[0] = '\0';
  response_code[0] = '\0';

  while (i < length && g_ascii_isspace (line[i]))
    i++;

  if (has_tag)
    {
      while (i < length && line[i] != ' ')
        i++;
      while (i < length && line[i] == ' ')
        i++;
    }

  for (n = 0; i < length && line[i] != ' ' && !g_ascii_isspace (line[i]); i++)
    {
      if (n < 15)
        status[n++] = g_ascii_toupper (line[i]);
    }
  status[n] = '\0';

  while (i < length && line[i] == ' ')
    i++;

  if (i < length && line[i] == '[')
    {
      for (i++, n = 0; i < length && line[i] != ']' && line[i] != ' '; i++)
        {
          if (n < 31)
            response_code[n++] = g_ascii_toupper (line[i]);
        }
      response_code[n] = '\0';

      /* A code counts only when its bracket is closed (IMAP codes may
       * carry arguments before the "]"). */
      if (memchr (line + i, ']', length - i) == NULL)
        response_code[0] = '\0';
    }
}

/* Splits @reply into lines and calls @func on each non-empty one; stops
 * when @func returns TRUE. */
typedef gboolean (*LineFunc) (const char *line,
                              gsize       length,
                              gpointer    user_data);

static void
foreach_line (const char *reply,
              gsize       length,
              LineFunc    func,
              gpointer    user_data)
{
  gsize start = 0;

  while (start < length)
    {
      const char *end = memchr (reply + start, '\n', length - start);
      gsize line_length = end != NULL ? (gsize) (end - (reply + start)) : length - start;
      gsize trimmed = line_length;

      while (trimmed > 0 && g_ascii_isspace (reply[start + trimmed - 1]))
        trimmed--;
      if (trimmed > 0 && func (reply + start, trimmed, user_data))
        return;

      start += line_length + 1;
    }
}

typedef struct
{
  gboolean has_tag;
  char     status[16];          /* of the last line */
  char     response_code[32];   /* the last one any line carried */
  gboolean bye;
} StatusScan;

static gboolean
scan_status_line (const char *line,
                  gsize       length,
                  gpointer    user_data)
{
  StatusScan *scan = user_data;
  char response_code[32];

  parse_status_line (line, length, scan->has_tag, scan->status, response_code);
  if (response_code[0] != '\0')
    memcpy (scan->response_code, response_code, sizeof response_code);
  if (strcmp (scan->status, "BYE") == 0)
    scan->bye = TRUE;

  return FALSE;
}

static gboolean
classify_imap (const char      *reply,
               gsize            length,
               const Words     *words,
               MsDiagnosisCode *code)
{
  StatusScan scan = { .has_tag = TRUE, };
  const char *rc;
  gsize i = 0;

  while (i < length && g_ascii_isspace (reply[i]))
    i++;
  /* A continuation request: the command goes on, nothing failed. */
  if (i < length && reply[i] == '+')
    return FALSE;

  foreach_line (reply, length, scan_status_line, &scan);

  if (!scan.bye &&
      (strcmp (scan.status, "OK") == 0 || strcmp (scan.status, "PREAUTH") == 0))
    return FALSE;

  if (classify_common (words, code))
    return TRUE;

  rc = scan.response_code;
  if (strcmp (rc, "AUTHENTICATIONFAILED") == 0 ||
      strcmp (rc, "AUTHORIZATIONFAILED") == 0 ||
      strcmp (rc, "EXPIRED") == 0)
    *code = MS_DIAGNOSIS_AUTH_FAILED;
  else if (strcmp (rc, "PRIVACYREQUIRED") == 0)
    *code = MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED;
  else if (strcmp (rc, "UNAVAILABLE") == 0)
    *code = MS_DIAGNOSIS_SERVER_UNAVAILABLE;
  else if (strcmp (rc, "INUSE") == 0)
    *code = MS_DIAGNOSIS_TOO_MANY_CONNECTIONS;
  else if (scan.bye)
    *code = MS_DIAGNOSIS_SERVER_UNAVAILABLE;
  else
    return FALSE;

  return TRUE;
}

/* POP3 response codes are hierarchical (RFC 2449): "SYS/TEMP". */
static gboolean
pop3_code_is (const char *response_code,
              const char *wanted)
{
  gsize n = strlen (wanted);

  return g_str_has_prefix (response_code, wanted) &&
         (response_code[n] == '\0' || response_code[n] == '/');
}

static gboolean
classify_pop3 (const char      *reply,
               gsize            length,
               const Words     *words,
               MsDiagnosisCode *code)
{
  StatusScan scan = { .has_tag = FALSE, };
  const char *rc;

  foreach_line (reply, length, scan_status_line, &scan);

  if (g_str_has_prefix (scan.status, "+"))
    return FALSE;

  if (classify_common (words, code))
    return TRUE;

  rc = scan.response_code;
  if (pop3_code_is (rc, "AUTH"))
    *code = MS_DIAGNOSIS_AUTH_FAILED;
  else if (pop3_code_is (rc, "SYS"))
    *code = MS_DIAGNOSIS_SERVER_UNAVAILABLE;
  else if (pop3_code_is (rc, "IN-USE"))
    *code = MS_DIAGNOSIS_TOO_MANY_CONNECTIONS;
  /* Logging in again too soon: the account is closed to logins for now. */
  else if (pop3_code_is (rc, "LOGIN-DELAY"))
    *code = MS_DIAGNOSIS_ACCOUNT_LOCKED;
  else
    return FALSE;

  return TRUE;
}

/**
 * ms_diagnosis_classify_reply:
 * @protocol: the protocol that produced @reply
 * @reply: one complete server reply, lines separated by "\n" or "\r\n"
 * @code: (out): the diagnosis
 *
 * Classifies only the text of the reply, without knowing which command it
 * answers. Success replies (SMTP 2xx/3xx, IMAP OK/PREAUTH/"+", POP3 +OK)
 * are never a diagnosis. A bare IMAP NO, POP3 -ERR or SMTP failure without
 * a code or words that say more returns %FALSE, since the same words answer
 * any command: after a login, use ms_diagnosis_classify_login_reply().
 *
 * Recognised in every protocol: "CHTR 301" (security-alert), lockout words
 * such as "temporarily locked" or "too many login failures"
 * (account-locked), "application-specific password" and similar
 * (oauth-required), "plaintext authentication disallowed" or "must issue a
 * STARTTLS" (plaintext-login-refused), "too many connections"
 * (too-many-connections). An IMAP "* BYE" that is not the answer to LOGOUT
 * means server-unavailable: do not classify the answer to LOGOUT.
 *
 * Only the first 8 KiB are read.
 *
 * Returns: %TRUE if @reply means something specific
 */
gboolean
ms_diagnosis_classify_reply (MsProtocol       protocol,
                             const char      *reply,
                             MsDiagnosisCode *code)
{
  g_auto(Words) words = { NULL, };
  MsDiagnosisCode result = MS_DIAGNOSIS_PROTOCOL_ERROR;
  gboolean found;
  gsize length;

  g_return_val_if_fail (protocol <= MS_PROTOCOL_SMTP, FALSE);

  if (reply == NULL)
    return FALSE;

  length = strnlen (reply, MAX_CLASSIFIED_BYTES);
  words_init (&words, reply, length);

  switch (protocol)
    {
    case MS_PROTOCOL_SMTP:
      found = classify_smtp (reply, length, &words, &result);
      break;
    case MS_PROTOCOL_IMAP:
      found = classify_imap (reply, length, &words, &result);
      break;
    case MS_PROTOCOL_POP3:
      found = classify_pop3 (reply, length, &words, &result);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  if (found && code != NULL)
    *code = result;

  return found;
}

/**
 * ms_diagnosis_classify_login_reply:
 * @protocol: the protocol that produced @reply
 * @reply: the server's answer to a login (IMAP LOGIN or AUTHENTICATE, POP3
 *   PASS or AUTH, SMTP AUTH)
 * @code: (out): the diagnosis
 *
 * Like ms_diagnosis_classify_reply(), but knowing that @reply answers a
 * login: a plain failure (IMAP NO, POP3 -ERR, SMTP 5xx) then means
 * auth-failed, an SMTP 4xx server-unavailable, an IMAP BAD protocol-error.
 *
 * Returns: %TRUE if the login failed
 */
gboolean
ms_diagnosis_classify_login_reply (MsProtocol       protocol,
                                   const char      *reply,
                                   MsDiagnosisCode *code)
{
  MsDiagnosisCode result;
  gsize length;

  g_return_val_if_fail (protocol <= MS_PROTOCOL_SMTP, FALSE);

  if (reply == NULL)
    return FALSE;

  if (ms_diagnosis_classify_reply (protocol, reply, &result))
    goto found;

  length = strnlen (reply, MAX_CLASSIFIED_BYTES);

  if (protocol == MS_PROTOCOL_SMTP)
    {
      guint smtp_code = smtp_reply_code (reply, length);

      if (smtp_code >= 500 && smtp_code < 600)
        result = MS_DIAGNOSIS_AUTH_FAILED;
      else if (smtp_code >= 400 && smtp_code < 500)
        result = MS_DIAGNOSIS_SERVER_UNAVAILABLE;
      else
        return FALSE;
    }
  else
    {
      StatusScan scan = { .has_tag = protocol == MS_PROTOCOL_IMAP, };

      foreach_line (reply, length, scan_status_line, &scan);

      if (strcmp (scan.status, "NO") == 0 || strcmp (scan.status, "-ERR") == 0)
        result = MS_DIAGNOSIS_AUTH_FAILED;
      else if (strcmp (scan.status, "BAD") == 0)
        result = MS_DIAGNOSIS_PROTOCOL_ERROR;
      else
        return FALSE;
    }

found:
  if (code != NULL)
    *code = result;

  return TRUE;
}

static gboolean
tls_message_means_version (const char *message)
{
  g_auto(Words) words = { NULL, };

  if (message == NULL)
    return FALSE;

  words_init (&words, message, strnlen (message, MAX_CLASSIFIED_BYTES));

  /* GnuTLS: "A packet with illegal or unsupported version was received",
   * "Received alert [70]: Error in protocol version", "No supported cipher
   * suites have been found". */
  return has_phrase (&words, "protocol version") ||
         (has_word (&words, "version") &&
          (has_word (&words, "unsupported") || has_word (&words, "illegal"))) ||
         has_phrase (&words, "no supported cipher suites");
}

/**
 * ms_diagnosis_classify_error:
 * @error: an error from resolving, connecting, TLS or reading
 * @code: (out): the diagnosis
 *
 * For %G_TLS_ERROR_BAD_CERTIFICATE prefer
 * ms_diagnosis_classify_certificate_flags() with the connection's peer
 * certificate errors: this function can only say tls-untrusted.
 *
 * Returns: %TRUE if @error means something specific; %FALSE for
 *   cancellation, which is never a diagnosis, and for unknown errors
 */
gboolean
ms_diagnosis_classify_error (const GError    *error,
                             MsDiagnosisCode *code)
{
  MsDiagnosisCode result;

  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain == G_RESOLVER_ERROR)
    {
      result = MS_DIAGNOSIS_DNS_FAILURE;
    }
  else if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_HOST_NOT_FOUND:
          result = MS_DIAGNOSIS_DNS_FAILURE;
          break;
        case G_IO_ERROR_CONNECTION_REFUSED:
          result = MS_DIAGNOSIS_CONNECTION_REFUSED;
          break;
        case G_IO_ERROR_TIMED_OUT:
          result = MS_DIAGNOSIS_TIMEOUT;
          break;
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_UNREACHABLE:
          result = MS_DIAGNOSIS_NETWORK_UNREACHABLE;
          break;
        /* G_IO_ERROR_CONNECTION_CLOSED is the same value as BROKEN_PIPE. */
        case G_IO_ERROR_CLOSED:
        case G_IO_ERROR_BROKEN_PIPE:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_INVALID_DATA:
          result = MS_DIAGNOSIS_PROTOCOL_ERROR;
          break;
        case G_IO_ERROR_CANCELLED:
        default:
          return FALSE;
        }
    }
  else if (error->domain == G_TLS_ERROR)
    {
      switch (error->code)
        {
        case G_TLS_ERROR_BAD_CERTIFICATE:
          result = MS_DIAGNOSIS_TLS_UNTRUSTED;
          break;
        case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
          result = MS_DIAGNOSIS_TLS_VERSION_MISMATCH;
          break;
        case G_TLS_ERROR_NOT_TLS:
        case G_TLS_ERROR_MISC:
        case G_TLS_ERROR_HANDSHAKE:
        case G_TLS_ERROR_EOF:
        case G_TLS_ERROR_CERTIFICATE_REQUIRED:
          result = tls_message_means_version (error->message)
                   ? MS_DIAGNOSIS_TLS_VERSION_MISMATCH
                   : MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED;
          break;
        case G_TLS_ERROR_UNAVAILABLE:
        default:
          return FALSE;
        }
    }
  else
    {
      return FALSE;
    }

  if (code != NULL)
    *code = result;

  return TRUE;
}

/**
 * ms_diagnosis_classify_certificate_flags:
 * @flags: the errors found when validating a certificate
 * @code: (out): the diagnosis
 *
 * When several errors are set, the one that says most about the danger
 * wins: revoked, then insecure, then wrong host, then expired (or not yet
 * valid), then untrusted. Revoked and insecure certificates must never be
 * trusted whatever else is wrong. A wrong host usually means a mistyped
 * server name or a connection diverted elsewhere, which matters more than
 * the date; and "untrusted" comes last because it is the only code for
 * which the person may choose to trust the certificate, which must not be
 * offered when something else is wrong too (a self-signed certificate for
 * another host is reported as tls-wrong-host).
 *
 * Returns: %TRUE if @flags has any error
 */
gboolean
ms_diagnosis_classify_certificate_flags (GTlsCertificateFlags  flags,
                                         MsDiagnosisCode      *code)
{
  MsDiagnosisCode result;

  if ((flags & G_TLS_CERTIFICATE_VALIDATE_ALL) == 0)
    return FALSE;

  if (flags & G_TLS_CERTIFICATE_REVOKED)
    result = MS_DIAGNOSIS_TLS_REVOKED;
  else if (flags & G_TLS_CERTIFICATE_INSECURE)
    result = MS_DIAGNOSIS_TLS_INSECURE;
  else if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    result = MS_DIAGNOSIS_TLS_WRONG_HOST;
  else if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    result = MS_DIAGNOSIS_TLS_EXPIRED;
  else
    result = MS_DIAGNOSIS_TLS_UNTRUSTED;  /* UNKNOWN_CA, GENERIC_ERROR */

  if (code != NULL)
    *code = result;

  return TRUE;
}
