/* ms-diagnosis-table.c: every diagnosis code, as data
 *
 * One row per code: its severity, title, explanation and default fixes;
 * its stable name is the enum's nick (ms-diagnosis.h). Adding a code means adding a row here (the static
 * assertion below fails otherwise) and its name to docs/cli-json.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-diagnosis-table.h"
#include "ms-enum-nick.h"
#include "ms-enum-types.h"

#define FIX_END MS_DIAGNOSIS_FIX_END
#define FIXES(...) { __VA_ARGS__, FIX_END }
#define NO_FIXES { FIX_END }

static const MsDiagnosisCodeInfo code_info[] = {
  [MS_DIAGNOSIS_OFFLINE] = {
    MS_SEVERITY_ERROR,
    N_("This computer is offline"),
    N_("This computer is not connected to the internet. Connect to a network, then try again."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_DNS_FAILURE] = {
    MS_SEVERITY_ERROR,
    N_("The mail server could not be found"),
    N_("The name of the mail server could not be looked up. Either the internet connection is not working, or the server name is misspelled."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_CONNECTION_REFUSED] = {
    MS_SEVERITY_ERROR,
    N_("The mail server turned the connection away"),
    N_("The server can be reached, but it does not accept mail connections on this port. The port may be wrong, or the mail service may be down."),
    FIXES (MS_FIX_CHECK_FIREWALL, MS_FIX_CHECK_OUTAGE, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_TIMEOUT] = {
    MS_SEVERITY_ERROR,
    N_("The mail server did not answer"),
    N_("The server did not answer in time. A firewall or antivirus program may be blocking mail, or the server may be down."),
    FIXES (MS_FIX_CHECK_FIREWALL, MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_NETWORK_UNREACHABLE] = {
    MS_SEVERITY_ERROR,
    N_("The mail server cannot be reached"),
    N_("This computer has no way to reach the server. The internet connection may be limited or not working."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_TLS_UNTRUSTED] = {
    MS_SEVERITY_ERROR,
    N_("The server’s identity could not be confirmed"),
    N_("The server’s security certificate was not issued by an authority this computer trusts. Some private servers work this way, but it can also mean that someone is listening in. Only trust it if your provider confirms the details."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_EXPIRED] = {
    MS_SEVERITY_ERROR,
    N_("The server’s security certificate is out of date"),
    N_("The server’s security certificate has expired or is not valid yet. If the date and time on this computer are wrong, correct them; otherwise the provider must renew the certificate."),
    FIXES (MS_FIX_CHECK_CLOCK, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_WRONG_HOST] = {
    MS_SEVERITY_ERROR,
    N_("The server claims to be a different server"),
    N_("The server’s security certificate is made out to a different name. The server name may be mistyped, or the connection may be going somewhere it should not."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_REVOKED] = {
    MS_SEVERITY_ERROR,
    N_("The server’s security certificate was withdrawn"),
    N_("The authority that issued the server’s security certificate has withdrawn it. Do not use this server until your provider fixes it."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_INSECURE] = {
    MS_SEVERITY_ERROR,
    N_("The server’s protection is too weak"),
    N_("The server’s security certificate uses an outdated method that no longer protects the connection. Your provider needs to update it."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_CERTIFICATE_CHANGED] = {
    MS_SEVERITY_ERROR,
    N_("The server’s identity has changed"),
    N_("The server now shows a different security certificate from the one you chose to trust. Providers sometimes replace certificates, but this can also mean that someone is listening in. Check with your provider before trusting the new one."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED] = {
    MS_SEVERITY_ERROR,
    N_("A secure connection could not be set up"),
    N_("This computer and the server could not start an encrypted connection. Security software that inspects connections can cause this, or the server may be set up wrongly."),
    FIXES (MS_FIX_RETRY, MS_FIX_CHECK_FIREWALL, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TLS_VERSION_MISMATCH] = {
    MS_SEVERITY_ERROR,
    N_("The server uses a different kind of encryption"),
    N_("This computer and the server could not agree on a kind of encryption that both understand. One of them is out of date."),
    FIXES (MS_FIX_RETRY, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_STARTTLS_NOT_OFFERED] = {
    MS_SEVERITY_ERROR,
    N_("The server offers no encryption here"),
    N_("On this port the server does not offer to encrypt the connection, so your password could be read by others on the network. It will not be sent this way."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_STARTTLS_FAILED] = {
    MS_SEVERITY_ERROR,
    N_("Encryption could not be switched on"),
    N_("The server offered to encrypt the connection, then failed to do so. Try again later or use another port."),
    FIXES (MS_FIX_RETRY, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_SECURITY_MISMATCH] = {
    MS_SEVERITY_INFO,
    N_("The server is secured differently than listed"),
    N_("The server protects this port in a different way than the provider’s settings say. The settings now follow what the server really does."),
    NO_FIXES,
  },
  [MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED] = {
    MS_SEVERITY_ERROR,
    N_("Signing in without encryption is not allowed"),
    N_("A password may only be sent over an encrypted connection, and this connection is not encrypted. Use the secure settings instead."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_AUTH_FAILED] = {
    MS_SEVERITY_ERROR,
    N_("The email address or password was not accepted"),
    N_("The server refused the sign-in. Check that the password is right and that the whole email address is used as the username."),
    FIXES (MS_FIX_CHECK_PASSWORD, MS_FIX_RESET_PASSWORD),
  },
  [MS_DIAGNOSIS_USERNAME_INCOMPLETE] = {
    MS_SEVERITY_WARNING,
    N_("The username must be the whole email address"),
    N_("This provider expects the whole email address as the username, such as name@example.com, not only the part before the @."),
    NO_FIXES,
  },
  [MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED] = {
    MS_SEVERITY_ERROR,
    N_("The server’s way of signing in is not supported"),
    N_("The server offers no way of signing in that this program can use safely."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_OAUTH_REQUIRED] = {
    MS_SEVERITY_ERROR,
    N_("This account needs an app password"),
    N_("Your provider does not accept your usual password from mail programs. Create an app password in the security settings of your account on the provider’s website, and use it here instead."),
    FIXES (MS_FIX_USE_APP_PASSWORD, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_ACCOUNT_LOCKED] = {
    MS_SEVERITY_ERROR,
    N_("The account is locked for now"),
    N_("The provider has stopped sign-ins to this account for a while, usually after several wrong passwords. Wait before trying again, or reset your password."),
    FIXES (MS_FIX_WAIT, MS_FIX_RESET_PASSWORD),
  },
  [MS_DIAGNOSIS_SERVER_UNAVAILABLE] = {
    MS_SEVERITY_ERROR,
    N_("The mail server is unavailable right now"),
    N_("The server is busy or down for maintenance. Try again later."),
    FIXES (MS_FIX_WAIT, MS_FIX_CHECK_OUTAGE, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_PROTOCOL_ERROR] = {
    MS_SEVERITY_ERROR,
    N_("The server’s answer made no sense"),
    N_("The server answered in an unexpected way or hung up part way through. Security software that inspects connections can cause this."),
    FIXES (MS_FIX_CHECK_FIREWALL, MS_FIX_RETRY, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_RELAY_DENIED] = {
    MS_SEVERITY_ERROR,
    N_("Sending only works on the provider’s own network"),
    N_("Your provider only accepts mail from this computer when it is connected to the provider’s own internet service. Use the settings for mobile devices and laptops, which work on any network."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_TOO_MANY_CONNECTIONS] = {
    MS_SEVERITY_ERROR,
    N_("Too many connections from this internet connection"),
    N_("The server refuses new connections because too many are already open from this internet connection. Close mail programs on your other devices. If it keeps happening, a harmful program on one of them may be sending mail."),
    FIXES (MS_FIX_CLOSE_OTHER_PROGRAMS, MS_FIX_SCAN_COMPUTER, MS_FIX_WAIT),
  },
  [MS_DIAGNOSIS_BLOCKLISTED] = {
    MS_SEVERITY_ERROR,
    N_("This internet connection is blocked for sending"),
    N_("The provider has put this internet address on a list of addresses that sent spam, and refuses mail from it. Your provider can remove it from the list."),
    FIXES (MS_FIX_SCAN_COMPUTER, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_CONNECTION_LOST] = {
    MS_SEVERITY_ERROR,
    N_("The connection was lost"),
    N_("The connection to the server dropped. Check the internet connection, and restart the modem or router if needed."),
    FIXES (MS_FIX_CHECK_NETWORK, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED] = {
    MS_SEVERITY_WARNING,
    N_("The sending limit was reached"),
    N_("You have sent as many messages as the provider allows in an hour. Wait, then try again later."),
    FIXES (MS_FIX_WAIT),
  },
  [MS_DIAGNOSIS_SESSION_LIMIT] = {
    MS_SEVERITY_WARNING,
    N_("Too many messages at once"),
    N_("The provider limits how many messages can be sent in one go. Wait at least an hour after the last message was sent, then try again."),
    FIXES (MS_FIX_WAIT),
  },
  [MS_DIAGNOSIS_TOO_MANY_INVALID_RECIPIENTS] = {
    MS_SEVERITY_ERROR,
    N_("Too many addresses do not exist"),
    N_("The message was addressed to too many addresses that do not exist. Send it only to addresses you know are right."),
    FIXES (MS_FIX_CHECK_ADDRESS),
  },
  [MS_DIAGNOSIS_MESSAGE_REJECTED_AS_SPAM] = {
    MS_SEVERITY_ERROR,
    N_("The message was taken for spam"),
    N_("The provider’s filter took this message for spam and refused it. If that is wrong, send the original message to your provider and ask them to allow it."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_MESSAGE_TOO_LARGE] = {
    MS_SEVERITY_ERROR,
    N_("The message is too large"),
    N_("The message and its attachments are larger than the provider allows. Send smaller attachments, or share large files another way."),
    FIXES (MS_FIX_SEND_SMALLER),
  },
  [MS_DIAGNOSIS_SENDER_DOMAIN_UNKNOWN] = {
    MS_SEVERITY_ERROR,
    N_("Your email address does not exist"),
    N_("The part of your email address after the @ does not exist. Check that your email address is typed correctly."),
    FIXES (MS_FIX_CHECK_ADDRESS),
  },
  [MS_DIAGNOSIS_RECIPIENT_DOMAIN_UNKNOWN] = {
    MS_SEVERITY_ERROR,
    N_("The recipient’s address does not exist"),
    N_("The part of the recipient’s address after the @ does not exist. Check that the address is typed correctly."),
    FIXES (MS_FIX_CHECK_ADDRESS),
  },
  [MS_DIAGNOSIS_SECURITY_ALERT] = {
    MS_SEVERITY_ERROR,
    N_("The provider noticed unusual activity"),
    N_("Your provider noticed unusual activity on your account and has blocked some access for a while. Change your passwords, and remove any addresses you do not recognise in your account settings on the provider’s website."),
    FIXES (MS_FIX_SECURE_ACCOUNT, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_PROFILE_NETWORK_RESTRICTED] = {
    MS_SEVERITY_INFO,
    N_("These settings only work on the provider’s network"),
    N_("These settings only work while this computer is connected to the provider’s own internet service. On a laptop, or on any other network, use the settings for mobile devices."),
    NO_FIXES,
  },
  [MS_DIAGNOSIS_TEST_MESSAGE_NOT_ARRIVED] = {
    MS_SEVERITY_WARNING,
    N_("The test message did not arrive"),
    N_("A test message was sent to your own address but did not arrive in time. Mail may be delayed, or a filter may have taken it for spam: look in your spam folder."),
    FIXES (MS_FIX_WAIT, MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_SERVER_RETIRED] = {
    MS_SEVERITY_WARNING,
    N_("These settings are out of date"),
    N_("This account still uses a server the provider no longer recommends. It may stop working at any time: switch to the provider’s current settings."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_INSECURE_SETTINGS] = {
    MS_SEVERITY_ERROR,
    N_("The connection is not encrypted"),
    N_("This account connects without encryption, so your mail, and your password when it signs in, can be read by anyone on the same network. Switch to settings that encrypt the connection."),
    FIXES (MS_FIX_RESET_PASSWORD),
  },
  [MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER] = {
    MS_SEVERITY_WARNING,
    N_("These settings do not suit how this computer is used"),
    N_("This account uses settings that only work on the provider’s own internet connection. Away from it, on a laptop or on another network, sending mail fails. Use the settings for mobile devices."),
    NO_FIXES,
  },
  [MS_DIAGNOSIS_PORTS_MIXED_UP] = {
    MS_SEVERITY_ERROR,
    N_("The sending ports are mixed up"),
    N_("Port 465 expects the connection to be encrypted from the start, and port 587 usually starts unencrypted and then switches. This account has them the wrong way round, so the mail program and the server cannot agree."),
    FIXES (MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_OAUTH_TOKEN_EXPIRED] = {
    MS_SEVERITY_ERROR,
    N_("The sign-in has run out"),
    N_("The permission the provider gave for this account is only good for a while, and that time is over. Mail Setup gets a new one by itself; if this keeps happening, sign in with the provider again."),
    FIXES (MS_FIX_RETRY, MS_FIX_SIGN_IN_AGAIN),
  },
  [MS_DIAGNOSIS_OAUTH_TOKEN_INVALID] = {
    MS_SEVERITY_ERROR,
    N_("The sign-in is no longer valid"),
    N_("The provider does not accept this account’s sign-in any more: it was withdrawn, for example after a password change or from the provider’s security page. Sign in with the provider again."),
    FIXES (MS_FIX_SIGN_IN_AGAIN),
  },
  [MS_DIAGNOSIS_OAUTH_SCOPE_MISSING] = {
    MS_SEVERITY_ERROR,
    N_("The sign-in does not allow access to mail"),
    N_("The provider signed the account in, but without permission to read and send mail. Sign in again and allow access to mail when the provider asks."),
    FIXES (MS_FIX_SIGN_IN_AGAIN),
  },
  [MS_DIAGNOSIS_OAUTH_CONSENT_REFUSED] = {
    MS_SEVERITY_ERROR,
    N_("The sign-in was not allowed"),
    N_("The provider’s page in the browser did not give Mail Setup permission to use this account. Sign in again and allow access when the provider asks."),
    FIXES (MS_FIX_SIGN_IN_AGAIN),
  },
  [MS_DIAGNOSIS_OAUTH_SIGN_IN_UNFINISHED] = {
    MS_SEVERITY_ERROR,
    N_("The sign-in was not finished"),
    N_("The browser did not come back from the provider’s sign-in page, perhaps because it was closed. Sign in again and finish the steps in the browser."),
    FIXES (MS_FIX_SIGN_IN_AGAIN),
  },
  [MS_DIAGNOSIS_OAUTH_NO_CLIENT] = {
    MS_SEVERITY_ERROR,
    N_("This provider does not offer browser sign-in to Mail Setup"),
    N_("Mail Setup cannot sign in with this provider in the browser. Create an app password in the security settings of your account on the provider’s website, and use it instead of your usual password."),
    FIXES (MS_FIX_USE_APP_PASSWORD, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_OAUTH_NO_BROWSER] = {
    MS_SEVERITY_ERROR,
    N_("No web browser could be opened"),
    N_("Signing in with the provider happens in a web browser, and none could be opened. Install or choose a default web browser, or open the sign-in address in one yourself."),
    FIXES (MS_FIX_RETRY),
  },
  [MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED] = {
    MS_SEVERITY_ERROR,
    N_("The sign-in with the provider did not work"),
    N_("The provider did not finish the sign-in. Try again later; if it keeps failing, the provider may have changed its sign-in."),
    FIXES (MS_FIX_RETRY, MS_FIX_CONTACT_PROVIDER),
  },
  [MS_DIAGNOSIS_OAUTH_NOT_SIGNED_IN] = {
    MS_SEVERITY_ERROR,
    N_("The account has not signed in with the provider"),
    N_("This provider lets mail programs in only after you sign in on its own page, and no sign-in is kept for this account yet. Sign in with the provider first."),
    FIXES (MS_FIX_SIGN_IN_AGAIN),
  },
};

G_STATIC_ASSERT (G_N_ELEMENTS (code_info) == MS_DIAGNOSIS_N_CODES);

const MsDiagnosisCodeInfo *
ms_diagnosis_table_lookup (MsDiagnosisCode code)
{
  g_return_val_if_fail (code < MS_DIAGNOSIS_N_CODES, NULL);

  return &code_info[code];
}

const char *
ms_diagnosis_code_to_string (MsDiagnosisCode code)
{
  g_return_val_if_fail (code < MS_DIAGNOSIS_N_CODES, NULL);

  return ms_enum_nick_get (MS_TYPE_DIAGNOSIS_CODE, code);
}

gboolean
ms_diagnosis_code_from_string (const char      *string,
                               MsDiagnosisCode *code)
{
  int value;

  g_return_val_if_fail (string != NULL, FALSE);

  if (!ms_enum_nick_lookup (MS_TYPE_DIAGNOSIS_CODE, string, MS_ENUM_NICK_EXACT, &value))
    return FALSE;

  if (code != NULL)
    *code = (MsDiagnosisCode) value;
  return TRUE;
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

  return ms_enum_nick_get (MS_TYPE_SEVERITY, severity);
}
