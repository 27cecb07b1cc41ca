/* test-diagnosis.c: diagnosis codes, fixes, JSON and the classifiers
 *
 * The server replies are written out as servers send them: Charter's from
 * its postmaster page, Dovecot's and Postfix's from their sources and
 * logs, Gmail's and Microsoft's from their published error pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-classifier-private.h"
#include "ms-diagnosis.h"
#include "ms-diagnosis-table.h"
#include "ms-enum-types.h"
#include "ms-reply.h"

static void
test_codes (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < MS_DIAGNOSIS_N_CODES; i++)
    {
      const char *name = ms_diagnosis_code_to_string (i);
      g_autoptr(MsDiagnosis) diagnosis = NULL;
      MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "");
      g_assert_true (g_regex_match_simple ("^[a-z0-9]+(-[a-z0-9]+)*$", name, 0, 0));
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);

      g_assert_true (ms_diagnosis_code_from_string (name, &code));
      g_assert_cmpint (code, ==, i);

      diagnosis = ms_diagnosis_new (i, NULL, NULL);
      g_assert_cmpint (diagnosis->code, ==, i);
      g_assert_cmpint (diagnosis->severity, ==, ms_diagnosis_code_get_severity (i));
      g_assert_nonnull (ms_severity_to_string (diagnosis->severity));
      g_assert_nonnull (diagnosis->title);
      g_assert_cmpuint (strlen (diagnosis->title), >, 5);
      g_assert_nonnull (diagnosis->explanation);
      g_assert_cmpuint (strlen (diagnosis->explanation), >, 20);
      g_assert_true (g_str_has_suffix (diagnosis->explanation, "."));
      g_assert_null (diagnosis->detail);
      g_assert_null (diagnosis->server);

      /* Default fixes need no parameters, and errors always offer one. */
      for (guint j = 0; j < diagnosis->fixes->len; j++)
        {
          const MsFix *fix = g_ptr_array_index (diagnosis->fixes, j);

          g_assert_cmpint (fix->kind, !=, MS_FIX_USE_PROFILE);
          g_assert_cmpint (fix->kind, !=, MS_FIX_USE_PORT);
          g_assert_cmpint (fix->kind, !=, MS_FIX_COMPLETE_USERNAME);
          g_assert_cmpint (fix->kind, !=, MS_FIX_TRUST_CERTIFICATE);
          g_assert_nonnull (fix->label);
        }
      if (diagnosis->severity == MS_SEVERITY_ERROR)
        g_assert_cmpuint (diagnosis->fixes->len, >, 0);
    }

  /* The names the header documents, which the command line's JSON uses. */
  g_assert_cmpstr (ms_diagnosis_code_to_string (MS_DIAGNOSIS_OFFLINE), ==, "offline");
  g_assert_cmpstr (ms_diagnosis_code_to_string (MS_DIAGNOSIS_RELAY_DENIED), ==, "relay-denied");
  g_assert_cmpstr (ms_diagnosis_code_to_string (MS_DIAGNOSIS_TLS_CERTIFICATE_CHANGED), ==, "tls-certificate-changed");
  g_assert_cmpstr (ms_diagnosis_code_to_string (MS_DIAGNOSIS_TEST_MESSAGE_NOT_ARRIVED), ==, "test-message-not-arrived");
  g_assert_cmpstr (ms_diagnosis_code_to_string (MS_DIAGNOSIS_PROFILE_NETWORK_RESTRICTED), ==, "profile-network-restricted");

  g_assert_false (ms_diagnosis_code_from_string ("", NULL));
  g_assert_false (ms_diagnosis_code_from_string ("Relay-Denied", NULL));
  g_assert_false (ms_diagnosis_code_from_string ("no-such-code", NULL));

  g_assert_cmpstr (ms_severity_to_string (MS_SEVERITY_INFO), ==, "info");
  g_assert_cmpstr (ms_severity_to_string (MS_SEVERITY_WARNING), ==, "warning");
  g_assert_cmpstr (ms_severity_to_string (MS_SEVERITY_ERROR), ==, "error");
  g_assert_cmpint (ms_diagnosis_code_get_severity (MS_DIAGNOSIS_SECURITY_MISMATCH), ==, MS_SEVERITY_INFO);
  g_assert_cmpint (ms_diagnosis_code_get_severity (MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED), ==, MS_SEVERITY_WARNING);
  g_assert_cmpint (ms_diagnosis_code_get_severity (MS_DIAGNOSIS_RELAY_DENIED), ==, MS_SEVERITY_ERROR);
}

/* The JSON names as they were written by hand before the enums went
 * through mkenums: the nicks must be these, in this order, for ever (the
 * command line's JSON API). Codes added later are checked by test_codes. */
static const char *const frozen_code_names[] = {
    "offline", "dns-failure", "connection-refused", "timeout",
    "network-unreachable", "tls-untrusted", "tls-expired", "tls-wrong-host",
    "tls-revoked", "tls-insecure", "tls-certificate-changed",
    "tls-handshake-failed", "tls-version-mismatch", "starttls-not-offered",
    "starttls-failed", "security-mismatch", "plaintext-login-refused",
    "auth-failed", "username-incomplete", "auth-mechanism-unsupported",
    "oauth-required", "account-locked", "server-unavailable",
    "protocol-error", "relay-denied", "too-many-connections", "blocklisted",
    "connection-lost", "send-quota-exceeded", "session-limit",
    "too-many-invalid-recipients", "message-rejected-as-spam",
    "message-too-large", "sender-domain-unknown", "recipient-domain-unknown",
    "security-alert", "profile-network-restricted",
    "test-message-not-arrived",
    "server-retired", "insecure-settings", "profile-wrong-for-computer", "ports-mixed-up",
    "oauth-token-expired", "oauth-token-invalid", "oauth-scope-missing",
    "oauth-consent-refused", "oauth-sign-in-unfinished", "oauth-no-client", "oauth-no-browser",
    "oauth-sign-in-failed",
    "oauth-not-signed-in",
};

static const char *const frozen_fix_kind_names[] = {
    "use-profile", "use-port", "complete-username", "trust-certificate",
    "retry", "check-network", "check-firewall", "check-outage",
    "check-password", "use-app-password", "wait", "reset-password",
    "close-other-programs", "scan-computer", "send-smaller", "check-address",
    "secure-account", "contact-provider", "check-clock",
};

static void
test_stable_names (void)
{
  g_autoptr(GEnumClass) codes = g_type_class_ref (MS_TYPE_DIAGNOSIS_CODE);
  g_autoptr(GEnumClass) kinds = g_type_class_ref (MS_TYPE_FIX_KIND);
  g_autoptr(GEnumClass) severities = g_type_class_ref (MS_TYPE_SEVERITY);

  /* The counters are skipped, so every value of the type is a real one. */
  g_assert_cmpuint (codes->n_values, ==, MS_DIAGNOSIS_N_CODES);
  g_assert_cmpuint (kinds->n_values, ==, MS_FIX_N_KINDS);
  g_assert_cmpuint (severities->n_values, ==, MS_SEVERITY_ERROR + 1);
  g_assert_cmpuint (G_N_ELEMENTS (frozen_code_names), <=, MS_DIAGNOSIS_N_CODES);

  for (guint i = 0; i < G_N_ELEMENTS (frozen_code_names); i++)
    {
      g_autoptr(MsDiagnosis) diagnosis = ms_diagnosis_new (i, NULL, NULL);
      g_autoptr(JsonNode) node = ms_diagnosis_to_json (diagnosis);
      JsonObject *object = json_node_get_object (node);
      MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

      g_assert_cmpstr (ms_diagnosis_code_to_string (i), ==, frozen_code_names[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, frozen_code_names[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "severity"), ==,
                       ms_severity_to_string (diagnosis->severity));
      g_assert_true (ms_diagnosis_code_from_string (frozen_code_names[i], &code));
      g_assert_cmpint (code, ==, i);
    }

  g_assert_cmpuint (G_N_ELEMENTS (frozen_fix_kind_names), <=, MS_FIX_N_KINDS);
  for (guint i = 0; i < G_N_ELEMENTS (frozen_fix_kind_names); i++)
    {
      g_autoptr(MsFix) fix = ms_fix_new (i);
      g_autoptr(JsonNode) node = ms_fix_to_json (fix);
      MsFixKind kind = MS_FIX_N_KINDS;

      g_assert_cmpstr (ms_fix_kind_to_string (i), ==, frozen_fix_kind_names[i]);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "kind"), ==,
                       frozen_fix_kind_names[i]);
      g_assert_true (ms_fix_kind_from_string (frozen_fix_kind_names[i], &kind));
      g_assert_cmpint (kind, ==, i);
    }

  /* The counters have no name. */
  g_assert_false (ms_diagnosis_code_from_string ("n-codes", NULL));
  g_assert_false (ms_fix_kind_from_string ("n-kinds", NULL));
}

static void
test_fix_kinds (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < MS_FIX_N_KINDS; i++)
    {
      const char *name = ms_fix_kind_to_string (i);
      g_autoptr(MsFix) fix = ms_fix_new (i);
      MsFixKind kind = MS_FIX_N_KINDS;
      gboolean automatic;

      g_assert_nonnull (name);
      g_assert_true (g_regex_match_simple ("^[a-z]+(-[a-z]+)*$", name, 0, 0));
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
      g_assert_true (ms_fix_kind_from_string (name, &kind));
      g_assert_cmpint (kind, ==, i);

      g_assert_nonnull (fix->label);
      g_assert_cmpstr (fix->label, !=, "");

      /* The header's contract: these the program can apply by itself. */
      automatic = i == MS_FIX_USE_PROFILE || i == MS_FIX_USE_PORT ||
                  i == MS_FIX_COMPLETE_USERNAME || i == MS_FIX_TRUST_CERTIFICATE ||
                  i == MS_FIX_RETRY;
      g_assert_cmpint (ms_fix_is_automatic (fix), ==, automatic);
    }

  g_assert_false (ms_fix_kind_from_string ("trust-all", NULL));
}

static void
test_default_fixes (void)
{
  g_autoptr(MsDiagnosis) offline = ms_diagnosis_new (MS_DIAGNOSIS_OFFLINE, NULL, NULL);
  g_autoptr(MsDiagnosis) quota = ms_diagnosis_new (MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED, NULL, NULL);
  g_autoptr(MsDiagnosis) expired = ms_diagnosis_new (MS_DIAGNOSIS_TLS_EXPIRED, NULL, NULL);
  const MsFix *fix;

  fix = g_ptr_array_index (offline->fixes, 0);
  g_assert_cmpint (fix->kind, ==, MS_FIX_CHECK_NETWORK);
  fix = g_ptr_array_index (quota->fixes, 0);
  g_assert_cmpint (fix->kind, ==, MS_FIX_WAIT);
  fix = g_ptr_array_index (expired->fixes, 0);
  g_assert_cmpint (fix->kind, ==, MS_FIX_CHECK_CLOCK);
}

static void
test_add_fix_order (void)
{
  g_autoptr(MsDiagnosis) diagnosis = NULL;
  const MsFix *fix;
  guint n_defaults;

  diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_CONNECTION_REFUSED, NULL, NULL);
  n_defaults = diagnosis->fixes->len;
  g_assert_cmpuint (n_defaults, >, 0);

  ms_diagnosis_add_fix (diagnosis, ms_fix_new_use_port (465, MS_SECURITY_TLS));
  ms_diagnosis_add_fix (diagnosis, ms_fix_new_use_profile ("mobile", "Use Mobile settings"));
  ms_diagnosis_add_fix (diagnosis, ms_fix_new (MS_FIX_CONTACT_PROVIDER));
  /* Already there: dropped. */
  ms_diagnosis_add_fix (diagnosis, ms_fix_new (MS_FIX_RETRY));

  g_assert_cmpuint (diagnosis->fixes->len, ==, n_defaults + 3);
  fix = g_ptr_array_index (diagnosis->fixes, 0);
  g_assert_cmpint (fix->kind, ==, MS_FIX_USE_PORT);
  g_assert_cmpuint (fix->port, ==, 465);
  fix = g_ptr_array_index (diagnosis->fixes, 1);
  g_assert_cmpint (fix->kind, ==, MS_FIX_USE_PROFILE);
  g_assert_cmpstr (fix->label, ==, "Use Mobile settings");
  fix = g_ptr_array_index (diagnosis->fixes, diagnosis->fixes->len - 1);
  g_assert_cmpint (fix->kind, ==, MS_FIX_CONTACT_PROVIDER);
}

static void
test_fix_constructors (void)
{
  g_autoptr(MsFix) port = ms_fix_new_use_port (587, MS_SECURITY_STARTTLS);
  g_autoptr(MsFix) plain_port = ms_fix_new_use_port (25, MS_SECURITY_NONE);
  g_autoptr(MsFix) profile = ms_fix_new_use_profile ("mobile", NULL);
  g_autoptr(MsFix) username = ms_fix_new_complete_username ("name@charter.net");
  g_autoptr(MsFix) trust = ms_fix_new_trust_certificate ("mail.example.test", 993, "AB:CD");

  g_assert_cmpstr (port->label, ==, "Use port 587 with encryption");
  g_assert_cmpint (port->security, ==, MS_SECURITY_STARTTLS);
  g_assert_cmpstr (plain_port->label, ==, "Use port 25 without encryption");
  g_assert_cmpstr (profile->profile_id, ==, "mobile");
  g_assert_cmpstr (profile->label, ==, "Use the recommended settings");
  g_assert_cmpstr (username->username, ==, "name@charter.net");
  g_assert_nonnull (strstr (username->label, "name@charter.net"));
  g_assert_cmpstr (trust->host, ==, "mail.example.test");
  g_assert_cmpuint (trust->port, ==, 993);
  g_assert_cmpstr (trust->fingerprint, ==, "AB:CD");
  g_assert_nonnull (strstr (trust->label, "mail.example.test"));
}

static char *
node_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
test_json (void)
{
  g_autoptr(MsServer) server = NULL;
  g_autoptr(MsDiagnosis) diagnosis = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonObject *server_object;
  JsonArray *fixes;
  JsonObject *fix;

  server = ms_server_new (MS_PROTOCOL_SMTP, "smtp.charter.net", 25, MS_SECURITY_NONE);
  diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_RELAY_DENIED, server,
                                "571 You must connect from Charter IP space. E1110");
  ms_diagnosis_add_fix (diagnosis, ms_fix_new_use_profile ("mobile", "Use Mobile settings"));
  ms_diagnosis_add_fix (diagnosis, ms_fix_new_use_port (465, MS_SECURITY_TLS));

  node = ms_diagnosis_to_json (diagnosis);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, "relay-denied");
  g_assert_cmpstr (json_object_get_string_member (object, "severity"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, diagnosis->title);
  g_assert_cmpstr (json_object_get_string_member (object, "explanation"), ==, diagnosis->explanation);
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==,
                   "571 You must connect from Charter IP space. E1110");

  server_object = json_object_get_object_member (object, "server");
  g_assert_cmpuint (json_object_get_size (server_object), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (server_object, "protocol"), ==, "smtp");
  g_assert_cmpstr (json_object_get_string_member (server_object, "hostname"), ==, "smtp.charter.net");
  g_assert_cmpint (json_object_get_int_member (server_object, "port"), ==, 25);
  g_assert_cmpstr (json_object_get_string_member (server_object, "security"), ==, "plain");

  fixes = json_object_get_array_member (object, "fixes");
  g_assert_cmpuint (json_array_get_length (fixes), ==, diagnosis->fixes->len);

  fix = json_array_get_object_element (fixes, 0);
  g_assert_cmpuint (json_object_get_size (fix), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (fix, "kind"), ==, "use-profile");
  g_assert_true (json_object_get_boolean_member (fix, "automatic"));
  g_assert_cmpstr (json_object_get_string_member (fix, "label"), ==, "Use Mobile settings");
  g_assert_cmpstr (json_object_get_string_member (fix, "profile"), ==, "mobile");

  fix = json_array_get_object_element (fixes, 1);
  g_assert_cmpuint (json_object_get_size (fix), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (fix, "kind"), ==, "use-port");
  g_assert_cmpint (json_object_get_int_member (fix, "port"), ==, 465);
  g_assert_cmpstr (json_object_get_string_member (fix, "security"), ==, "SSL");

  fix = json_array_get_object_element (fixes, 2);
  g_assert_cmpuint (json_object_get_size (fix), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (fix, "kind"), ==, "contact-provider");
  g_assert_false (json_object_get_boolean_member (fix, "automatic"));

  /* No server, no detail: nulls, not missing members. */
  {
    g_autoptr(MsDiagnosis) bare = ms_diagnosis_new (MS_DIAGNOSIS_OFFLINE, NULL, "");
    g_autoptr(JsonNode) bare_node = ms_diagnosis_to_json (bare);
    JsonObject *bare_object = json_node_get_object (bare_node);

    g_assert_true (json_object_has_member (bare_object, "server"));
    g_assert_true (json_object_get_null_member (bare_object, "server"));
    g_assert_true (json_object_get_null_member (bare_object, "detail"));
  }

  /* Each parameterised kind carries exactly its own fields. */
  {
    g_autoptr(MsFix) username = ms_fix_new_complete_username ("name@charter.net");
    g_autoptr(MsFix) trust = ms_fix_new_trust_certificate ("mail.example.test", 993, "AB:CD");
    g_autoptr(JsonNode) username_node = ms_fix_to_json (username);
    g_autoptr(JsonNode) trust_node = ms_fix_to_json (trust);
    g_autofree char *username_json = node_to_string (username_node);
    JsonObject *trust_object = json_node_get_object (trust_node);

    g_assert_true (g_str_has_prefix (username_json,
                                     "{\"kind\":\"complete-username\",\"automatic\":true,\"label\":"));
    g_assert_true (g_str_has_suffix (username_json, ",\"username\":\"name@charter.net\"}"));
    g_assert_cmpuint (json_object_get_size (trust_object), ==, 6);
    g_assert_cmpstr (json_object_get_string_member (trust_object, "host"), ==, "mail.example.test");
    g_assert_cmpint (json_object_get_int_member (trust_object, "port"), ==, 993);
    g_assert_cmpstr (json_object_get_string_member (trust_object, "fingerprint"), ==, "AB:CD");
  }
}

static void
test_explanation_names_server (void)
{
  g_autoptr(MsServer) server = ms_server_new (MS_PROTOCOL_SMTP, "mobile.charter.net", 587, MS_SECURITY_TLS);
  g_autoptr(MsDiagnosis) timeout = ms_diagnosis_new (MS_DIAGNOSIS_TIMEOUT, server, NULL);
  g_autoptr(MsDiagnosis) relay = ms_diagnosis_new (MS_DIAGNOSIS_RELAY_DENIED, server, NULL);
  g_autoptr(MsDiagnosis) generic = ms_diagnosis_new (MS_DIAGNOSIS_TIMEOUT, NULL, NULL);

  g_assert_nonnull (strstr (timeout->explanation, "mobile.charter.net"));
  g_assert_nonnull (strstr (timeout->explanation, "587"));
  g_assert_nonnull (strstr (relay->explanation, "mobile.charter.net, port 587"));
  g_assert_null (strstr (generic->explanation, "charter"));
  g_assert_true (ms_server_equal (timeout->server, server));
  g_assert_true (timeout->server != server);
}

typedef struct
{
  MsProtocol       protocol;
  const char      *reply;
  gboolean         found;
  MsDiagnosisCode  code;
} ReplyCase;

static void
check_reply_cases (const ReplyCase *cases,
                   gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;
      gboolean found;

      found = ms_diagnosis_classify_reply (cases[i].protocol, cases[i].reply, &code);
      if (found != cases[i].found || (found && code != cases[i].code))
        g_error ("%s reply “%s”: expected %s, got %s",
                 ms_protocol_to_string (cases[i].protocol), cases[i].reply,
                 cases[i].found ? ms_diagnosis_code_to_string (cases[i].code) : "nothing",
                 found ? ms_diagnosis_code_to_string (code) : "nothing");
    }
}

#define SMTP MS_PROTOCOL_SMTP
#define IMAP MS_PROTOCOL_IMAP
#define POP3 MS_PROTOCOL_POP3

static void
test_charter_replies (void)
{
  /* The replies Charter's postmaster page lists, with its placeholders
   * filled in the way its servers fill them. */
  static const ReplyCase cases[] = {
    { SMTP, "421 mta-v05.mail.charter.net connections refused from (192.0.2.7) E1550", TRUE, MS_DIAGNOSIS_TOO_MANY_CONNECTIONS },
    { SMTP, "421 Service Not Available", TRUE, MS_DIAGNOSIS_BLOCKLISTED },
    { SMTP, "421 4.4.2 mta-v05.mail.charter.net Lost (Connection timed out)", TRUE, MS_DIAGNOSIS_CONNECTION_LOST },
    { SMTP, "452 4.2.2 send quota exceeded: try again later E2210", TRUE, MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED },
    { SMTP, "452 4.3.1 come back later E1520", TRUE, MS_DIAGNOSIS_SESSION_LIMIT },
    { SMTP, "503 5.5.1 Sender Already specified - Too many invalid email addresses", TRUE, MS_DIAGNOSIS_TOO_MANY_INVALID_RECIPIENTS },
    { SMTP, "550 5.7.1 [8ZxQ1c00e2k1] Message identified as SPAM. E5110", TRUE, MS_DIAGNOSIS_MESSAGE_REJECTED_AS_SPAM },
    { SMTP, "550 Message Rejected", TRUE, MS_DIAGNOSIS_MESSAGE_REJECTED_AS_SPAM },
    { SMTP, "552 Message size exceeds allowed maximum message size", TRUE, MS_DIAGNOSIS_MESSAGE_TOO_LARGE },
    { SMTP, "553 5.1.8 [example.invalid] does not exist E2110", TRUE, MS_DIAGNOSIS_SENDER_DOMAIN_UNKNOWN },
    { SMTP, "553 5.1.2 [example.invalid] does not exist E2120", TRUE, MS_DIAGNOSIS_RECIPIENT_DOMAIN_UNKNOWN },
    { SMTP, "571 You must connect from Charter IP space. E1110", TRUE, MS_DIAGNOSIS_RELAY_DENIED },
    { SMTP, "550 5.7.1 You must connect from Charter IP space E1110", TRUE, MS_DIAGNOSIS_RELAY_DENIED },
    { SMTP, "554 5.7.1 CHTR 301 Abnormal activity detected on this account", TRUE, MS_DIAGNOSIS_SECURITY_ALERT },
    { IMAP, "a3 NO [ALERT] CHTR 301: webmail access temporarily blocked", TRUE, MS_DIAGNOSIS_SECURITY_ALERT },
    { SMTP, "535 5.7.8 Your account is temporarily locked due to too many login failures", TRUE, MS_DIAGNOSIS_ACCOUNT_LOCKED },
    /* Case does not matter, nor do the words around the codes. */
    { SMTP, "571 you must connect from charter ip space. e1110", TRUE, MS_DIAGNOSIS_RELAY_DENIED },
    { SMTP, "452 4.2.2 Quota reached, E2210.", TRUE, MS_DIAGNOSIS_SEND_QUOTA_EXCEEDED },
  };

  check_reply_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_smtp_replies (void)
{
  static const ReplyCase cases[] = {
    /* Success is never a diagnosis. */
    { SMTP, "220 mail.example.test ESMTP Postfix (Debian/GNU)", FALSE, 0 },
    { SMTP, "250-mail.example.test\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN", FALSE, 0 },
    { SMTP, "235 2.7.0 Authentication successful", FALSE, 0 },
    { SMTP, "334 VXNlcm5hbWU6", FALSE, 0 },
    /* Postfix. */
    { SMTP, "535 5.7.8 Error: authentication failed: authentication failure", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { SMTP, "530 5.7.0 Must issue a STARTTLS command first", TRUE, MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED },
    { SMTP, "554 5.7.1 <someone@example.org>: Relay access denied", TRUE, MS_DIAGNOSIS_RELAY_DENIED },
    { SMTP, "421 4.7.0 mail.example.test Error: too many connections from 192.0.2.7", TRUE, MS_DIAGNOSIS_TOO_MANY_CONNECTIONS },
    { SMTP, "454 4.7.0 TLS not available due to local problem", TRUE, MS_DIAGNOSIS_STARTTLS_FAILED },
    { SMTP, "454 4.7.0 Temporary authentication failure", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { SMTP, "552 5.3.4 Message size exceeds fixed limit", TRUE, MS_DIAGNOSIS_MESSAGE_TOO_LARGE },
    { SMTP, "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org", TRUE, MS_DIAGNOSIS_BLOCKLISTED },
    { SMTP, "421 4.7.1 Client host rejected: listed on RBL", TRUE, MS_DIAGNOSIS_BLOCKLISTED },
    /* RFC 5321's own shutdown text is not a blacklist. */
    { SMTP, "421 4.3.2 mail.example.test Service not available, closing transmission channel", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { SMTP, "421 4.3.0 Try again later", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { SMTP, "538 5.7.11 Encryption required for requested authentication mechanism", TRUE, MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED },
    { SMTP, "504 5.5.4 Unrecognized authentication type", TRUE, MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED },
    { SMTP, "534 5.7.9 Authentication mechanism is too weak", TRUE, MS_DIAGNOSIS_AUTH_MECHANISM_UNSUPPORTED },
    /* Gmail and Microsoft. */
    { SMTP, "534-5.7.9 Application-specific password required. Learn more at\r\n"
            "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor x1-20020a05", TRUE, MS_DIAGNOSIS_OAUTH_REQUIRED },
    { SMTP, "534-5.7.14 <https://accounts.google.com/signin/continue?...>\r\n"
            "534-5.7.14 Please log in via your web browser and\r\n"
            "534 5.7.14 then try again.", TRUE, MS_DIAGNOSIS_OAUTH_REQUIRED },
    { SMTP, "535-5.7.8 Username and Password not accepted. Learn more at\r\n"
            "535 5.7.8  https://support.google.com/mail/?p=BadCredentials", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { SMTP, "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", TRUE, MS_DIAGNOSIS_OAUTH_REQUIRED },
    { SMTP, "454 4.7.0 Too many login attempts, please try again later.", TRUE, MS_DIAGNOSIS_ACCOUNT_LOCKED },
    /* Failures that say nothing specific. */
    { SMTP, "550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown", FALSE, 0 },
    { SMTP, "552 5.2.2 Mailbox full", FALSE, 0 },
    { SMTP, "530 5.7.0 Authentication required", FALSE, 0 },
    { SMTP, "452 4.5.3 Too many recipients", FALSE, 0 },
  };

  check_reply_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_imap_replies (void)
{
  static const ReplyCase cases[] = {
    { IMAP, "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.", FALSE, 0 },
    { IMAP, "* PREAUTH [CAPABILITY IMAP4rev1] Logged in as someone", FALSE, 0 },
    { IMAP, "a1 OK [CAPABILITY IMAP4rev1] Logged in", FALSE, 0 },
    { IMAP, "+ ", FALSE, 0 },
    { IMAP, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { IMAP, "a1 no [authenticationfailed] authentication failed.", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { IMAP, "a1 NO [AUTHORIZATIONFAILED] Not allowed to log in as that user", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { IMAP, "a1 NO [EXPIRED] Password expired", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { IMAP, "a1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.", TRUE, MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED },
    { IMAP, "* BAD [ALERT] Plaintext authentication not allowed without SSL/TLS, but your client did it anyway.", TRUE, MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED },
    { IMAP, "a1 NO [UNAVAILABLE] Temporary authentication failure. [mail:2024-01-01 00:00:00]", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { IMAP, "* BYE Server shutting down.", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { IMAP, "* BYE [UNAVAILABLE] Try again later", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { IMAP, "* BYE Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)", TRUE, MS_DIAGNOSIS_TOO_MANY_CONNECTIONS },
    { IMAP, "a1 NO [INUSE] Mailbox in use", TRUE, MS_DIAGNOSIS_TOO_MANY_CONNECTIONS },
    { IMAP, "a1 NO [ALERT] Your account is temporarily locked. Try again in 30 minutes.", TRUE, MS_DIAGNOSIS_ACCOUNT_LOCKED },
    { IMAP, "a1 NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)", TRUE, MS_DIAGNOSIS_OAUTH_REQUIRED },
    { IMAP, "a1 NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)", TRUE, MS_DIAGNOSIS_OAUTH_REQUIRED },
    /* Untagged lines before the tagged one. */
    { IMAP, "* CAPABILITY IMAP4rev1 STARTTLS\r\na1 NO [AUTHENTICATIONFAILED] Authentication failed.", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    /* A bare NO: the command decides (ms_diagnosis_classify_login_reply). */
    { IMAP, "a1 NO Login failed.", FALSE, 0 },
    { IMAP, "a1 NO [ALERT] Something to read", FALSE, 0 },
    { IMAP, "a1 BAD Error in IMAP command LOGIN: Invalid arguments.", FALSE, 0 },
  };

  check_reply_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_pop3_replies (void)
{
  static const ReplyCase cases[] = {
    { POP3, "+OK Dovecot (Debian) ready.", FALSE, 0 },
    { POP3, "+OK Logged in.", FALSE, 0 },
    { POP3, "+ ", FALSE, 0 },
    { POP3, "-ERR [AUTH] Authentication failed.", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { POP3, "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.", TRUE, MS_DIAGNOSIS_PLAINTEXT_LOGIN_REFUSED },
    { POP3, "-ERR [SYS/TEMP] Temporary authentication failure.", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { POP3, "-ERR [SYS/PERM] Mail storage is broken", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { POP3, "-ERR [SYS] Try again", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { POP3, "-ERR [IN-USE] Mailbox is locked by another POP3 session", TRUE, MS_DIAGNOSIS_TOO_MANY_CONNECTIONS },
    { POP3, "-ERR [LOGIN-DELAY] Minimum time between logins is 15 minutes", TRUE, MS_DIAGNOSIS_ACCOUNT_LOCKED },
    { POP3, "-ERR [auth] authentication failed", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { POP3, "-ERR Account is temporarily locked due to too many login failures", TRUE, MS_DIAGNOSIS_ACCOUNT_LOCKED },
    /* Only whole response codes count. */
    { POP3, "-ERR [AUTHENTICATION] nope", FALSE, 0 },
    { POP3, "-ERR Authentication failed.", FALSE, 0 },
    { POP3, "-ERR Unknown command", FALSE, 0 },
  };

  check_reply_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_login_replies (void)
{
  static const ReplyCase cases[] = {
    { IMAP, "a1 NO Login failed.", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { IMAP, "a1 BAD Error in IMAP command LOGIN: Invalid arguments.", TRUE, MS_DIAGNOSIS_PROTOCOL_ERROR },
    { IMAP, "a1 NO [UNAVAILABLE] Try later", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { IMAP, "a1 OK Logged in", FALSE, 0 },
    { POP3, "-ERR Authentication failed.", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { POP3, "+OK Logged in.", FALSE, 0 },
    { SMTP, "550 5.7.1 Not allowed", TRUE, MS_DIAGNOSIS_AUTH_FAILED },
    { SMTP, "451 4.3.0 Local error", TRUE, MS_DIAGNOSIS_SERVER_UNAVAILABLE },
    { SMTP, "235 2.7.0 Authentication successful", FALSE, 0 },
    { SMTP, "garbage", FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;
      gboolean found;

      found = ms_diagnosis_classify_login_reply (cases[i].protocol, cases[i].reply, &code);
      g_assert_cmpint (found, ==, cases[i].found);
      if (found)
        g_assert_cmpstr (ms_diagnosis_code_to_string (code), ==,
                         ms_diagnosis_code_to_string (cases[i].code));
    }

  g_assert_false (ms_diagnosis_classify_login_reply (IMAP, NULL, NULL));
}

static void
test_errors (void)
{
  static const struct {
    GQuark          domain;
    int             code;
    const char     *message;
    gboolean        found;
    MsDiagnosisCode result;
  } cases[] = {
    { 0, G_RESOLVER_ERROR_NOT_FOUND, "Error resolving “mail.example.invalid”: Name or service not known", TRUE, MS_DIAGNOSIS_DNS_FAILURE },
    { 0, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "Temporary failure in name resolution", TRUE, MS_DIAGNOSIS_DNS_FAILURE },
    { 1, G_IO_ERROR_HOST_NOT_FOUND, "Host not found", TRUE, MS_DIAGNOSIS_DNS_FAILURE },
    { 1, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused", TRUE, MS_DIAGNOSIS_CONNECTION_REFUSED },
    { 1, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out", TRUE, MS_DIAGNOSIS_TIMEOUT },
    { 1, G_IO_ERROR_NETWORK_UNREACHABLE, "Network is unreachable", TRUE, MS_DIAGNOSIS_NETWORK_UNREACHABLE },
    { 1, G_IO_ERROR_HOST_UNREACHABLE, "No route to host", TRUE, MS_DIAGNOSIS_NETWORK_UNREACHABLE },
    { 1, G_IO_ERROR_CLOSED, "Stream is already closed", TRUE, MS_DIAGNOSIS_PROTOCOL_ERROR },
    { 1, G_IO_ERROR_BROKEN_PIPE, "Broken pipe", TRUE, MS_DIAGNOSIS_PROTOCOL_ERROR },
    { 1, G_IO_ERROR_CONNECTION_CLOSED, "Connection reset by peer", TRUE, MS_DIAGNOSIS_PROTOCOL_ERROR },
    { 1, G_IO_ERROR_PARTIAL_INPUT, "Unexpected end of reply", TRUE, MS_DIAGNOSIS_PROTOCOL_ERROR },
    { 1, G_IO_ERROR_INVALID_DATA, "Line too long", TRUE, MS_DIAGNOSIS_PROTOCOL_ERROR },
    { 1, G_IO_ERROR_CANCELLED, "Operation was cancelled", FALSE, 0 },
    { 1, G_IO_ERROR_FAILED, "Something", FALSE, 0 },
    { 2, G_TLS_ERROR_BAD_CERTIFICATE, "Unacceptable TLS certificate", TRUE, MS_DIAGNOSIS_TLS_UNTRUSTED },
    { 2, G_TLS_ERROR_NOT_TLS, "Peer does not speak TLS", TRUE, MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED },
    { 2, G_TLS_ERROR_HANDSHAKE, "Peer failed to perform TLS handshake", TRUE, MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED },
    { 2, G_TLS_ERROR_MISC, "Error performing TLS handshake: The TLS connection was non-properly terminated.", TRUE, MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED },
    { 2, G_TLS_ERROR_MISC, "Error performing TLS handshake: A packet with illegal or unsupported version was received.", TRUE, MS_DIAGNOSIS_TLS_VERSION_MISMATCH },
    { 2, G_TLS_ERROR_HANDSHAKE, "Peer sent fatal TLS alert: Error in protocol version", TRUE, MS_DIAGNOSIS_TLS_VERSION_MISMATCH },
    { 2, G_TLS_ERROR_MISC, "Error performing TLS handshake: No supported cipher suites have been found.", TRUE, MS_DIAGNOSIS_TLS_VERSION_MISMATCH },
    { 2, G_TLS_ERROR_INAPPROPRIATE_FALLBACK, "Inappropriate fallback", TRUE, MS_DIAGNOSIS_TLS_VERSION_MISMATCH },
    { 2, G_TLS_ERROR_EOF, "TLS connection closed unexpectedly", TRUE, MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED },
    { 2, G_TLS_ERROR_UNAVAILABLE, "TLS support is not available", FALSE, 0 },
    { 3, G_FILE_ERROR_NOENT, "No such file", FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domains[] = { G_RESOLVER_ERROR, G_IO_ERROR, G_TLS_ERROR, G_FILE_ERROR };
      g_autoptr(GError) error = g_error_new_literal (domains[cases[i].domain], cases[i].code,
                                                     cases[i].message);
      MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;
      gboolean found;

      found = ms_diagnosis_classify_error (error, &code);
      g_test_message ("%s", cases[i].message);
      g_assert_cmpint (found, ==, cases[i].found);
      if (found)
        g_assert_cmpstr (ms_diagnosis_code_to_string (code), ==,
                         ms_diagnosis_code_to_string (cases[i].result));
      else
        g_assert_cmpint (code, ==, MS_DIAGNOSIS_N_CODES);
    }
}

/* A real refused connection: a port that was just free on loopback. */
static void
test_real_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_true (ms_diagnosis_classify_error (error, &code));
  g_assert_cmpint (code, ==, MS_DIAGNOSIS_CONNECTION_REFUSED);
}

static void
test_real_cancelled (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

  g_cancellable_cancel (cancellable);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", 9, cancellable, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ms_diagnosis_classify_error (error, &code));
  g_assert_cmpint (code, ==, MS_DIAGNOSIS_N_CODES);
}

static void
test_certificate_flags (void)
{
  static const struct {
    GTlsCertificateFlags flags;
    MsDiagnosisCode      code;
  } cases[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, MS_DIAGNOSIS_TLS_UNTRUSTED },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, MS_DIAGNOSIS_TLS_UNTRUSTED },
    { G_TLS_CERTIFICATE_EXPIRED, MS_DIAGNOSIS_TLS_EXPIRED },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, MS_DIAGNOSIS_TLS_EXPIRED },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, MS_DIAGNOSIS_TLS_WRONG_HOST },
    { G_TLS_CERTIFICATE_REVOKED, MS_DIAGNOSIS_TLS_REVOKED },
    { G_TLS_CERTIFICATE_INSECURE, MS_DIAGNOSIS_TLS_INSECURE },
    /* Priority: revoked > insecure > wrong host > expired > untrusted. */
    { G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY, MS_DIAGNOSIS_TLS_WRONG_HOST },
    { G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_EXPIRED, MS_DIAGNOSIS_TLS_EXPIRED },
    { G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_EXPIRED, MS_DIAGNOSIS_TLS_WRONG_HOST },
    { G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_INSECURE, MS_DIAGNOSIS_TLS_INSECURE },
    { G_TLS_CERTIFICATE_INSECURE | G_TLS_CERTIFICATE_REVOKED, MS_DIAGNOSIS_TLS_REVOKED },
    { G_TLS_CERTIFICATE_VALIDATE_ALL, MS_DIAGNOSIS_TLS_REVOKED },
    { G_TLS_CERTIFICATE_GENERIC_ERROR | G_TLS_CERTIFICATE_NOT_ACTIVATED, MS_DIAGNOSIS_TLS_EXPIRED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

      g_assert_true (ms_diagnosis_classify_certificate_flags (cases[i].flags, &code));
      g_assert_cmpstr (ms_diagnosis_code_to_string (code), ==,
                       ms_diagnosis_code_to_string (cases[i].code));
    }

  g_assert_false (ms_diagnosis_classify_certificate_flags (0, NULL));
  /* Bits GLib might add one day, outside VALIDATE_ALL, are not errors we know. */
  g_assert_false (ms_diagnosis_classify_certificate_flags ((GTlsCertificateFlags) 0x1000, NULL));
}

static void
test_sanitize (void)
{
  g_autofree char *clean = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *huge_clean = NULL;
  g_autofree char *invalid = NULL;
  g_autofree char *multibyte = NULL;
  g_autofree char *multibyte_clean = NULL;
  g_autoptr(MsDiagnosis) diagnosis = NULL;

  g_assert_null (ms_diagnosis_sanitize_detail (NULL));
  g_assert_null (ms_diagnosis_sanitize_detail (""));
  g_assert_null (ms_diagnosis_sanitize_detail (" \r\n\t\x01\x7f "));

  clean = ms_diagnosis_sanitize_detail ("  535-5.7.8 Bad\r\n535 5.7.8 credentials\x1b[31m red\x07\t \n");
  g_assert_cmpstr (clean, ==, "535-5.7.8 Bad 535 5.7.8 credentials[31m red");
  g_clear_pointer (&clean, g_free);

  /* C1 controls and direction overrides go too; other text stays. */
  clean = ms_diagnosis_sanitize_detail ("caf\xc3\xa9 \xc2\x9b" "x \xe2\x80\xae" "evil \xe2\x80\x8f" "end");
  g_assert_cmpstr (clean, ==, "caf\xc3\xa9 x evil end");
  g_clear_pointer (&clean, g_free);

  invalid = ms_diagnosis_sanitize_detail ("bad \xff\xfe bytes");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "bad "));
  g_assert_true (g_str_has_suffix (invalid, " bytes"));

  /* 1 MB: capped at 512 bytes, ending in an ellipsis. */
  huge = g_malloc (1024 * 1024 + 1);
  memset (huge, 'A', 1024 * 1024);
  huge[1024 * 1024] = '\0';
  huge_clean = ms_diagnosis_sanitize_detail (huge);
  g_assert_cmpuint (strlen (huge_clean), <=, 512);
  g_assert_cmpuint (strlen (huge_clean), >=, 500);
  g_assert_true (g_str_has_suffix (huge_clean, "…"));
  g_assert_true (g_utf8_validate (huge_clean, -1, NULL));

  /* Cut at a character boundary, never inside one. */
  {
    GString *text = g_string_new (NULL);

    for (guint i = 0; i < 400; i++)
      g_string_append (text, "\xe2\x82\xac");  /* €, three bytes */
    multibyte = g_string_free (text, FALSE);
  }
  multibyte_clean = ms_diagnosis_sanitize_detail (multibyte);
  g_assert_true (g_utf8_validate (multibyte_clean, -1, NULL));
  g_assert_cmpuint (strlen (multibyte_clean), <=, 512);
  g_assert_true (g_str_has_suffix (multibyte_clean, "…"));

  /* ms_diagnosis_new sanitises what it is given. */
  diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_PROTOCOL_ERROR, NULL, huge);
  g_assert_cmpstr (diagnosis->detail, ==, huge_clean);
}

static void
test_robustness (void)
{
  g_autofree char *huge = NULL;
  g_autofree char *huge_words = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240101);
  const char *odd[] = {
    "", " ", "\r\n", "4", "42", "421", "4211 E1550", "-ERR", "-ERR [", "-ERR [AUTH",
    "a1", "a1 ", "a1 NO [", "a1 NO [AUTHENTICATIONFAILED", "* BYE", "*", "+",
    "]]]][[[[", "5.7.8", "...", "1.2.3.4.5.6", "\xff\xfe\xfd", "E1110",
  };

  /* Odd fragments: no crash, and nothing claimed from too little. */
  for (guint p = 0; p <= MS_PROTOCOL_SMTP; p++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
        {
          MsDiagnosisCode code;

          ms_diagnosis_classify_reply (p, odd[i], &code);
          ms_diagnosis_classify_login_reply (p, odd[i], &code);
        }
      g_assert_false (ms_diagnosis_classify_reply (p, NULL, NULL));
      g_assert_false (ms_diagnosis_classify_reply (p, "", NULL));
    }

  /* The words that matter only count where the server put them: a code
   * alone is still recognised, a status alone is not a diagnosis. */
  {
    MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

    g_assert_true (ms_diagnosis_classify_reply (SMTP, "E1110", &code));
    g_assert_cmpint (code, ==, MS_DIAGNOSIS_RELAY_DENIED);
    g_assert_false (ms_diagnosis_classify_reply (IMAP, "a1 NO [", NULL));
    g_assert_false (ms_diagnosis_classify_reply (POP3, "-ERR [AUTH", NULL));
  }

  /* 1 MB of one byte, and 1 MB of words: bounded work, sane answers. */
  huge = g_malloc (1024 * 1024 + 1);
  memset (huge, '4', 1024 * 1024);
  huge[1024 * 1024] = '\0';
  for (guint p = 0; p <= MS_PROTOCOL_SMTP; p++)
    g_assert_false (ms_diagnosis_classify_reply (p, huge, NULL));

  {
    GString *text = g_string_new ("421 ");

    while (text->len < 1024 * 1024)
      g_string_append (text, "busy busy busy ");
    g_string_append (text, "E1550");
    huge_words = g_string_free (text, FALSE);
  }
  {
    MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

    /* Only the first 8 KiB are read: the late E1550 is not seen. */
    g_assert_true (ms_diagnosis_classify_reply (SMTP, huge_words, &code));
    g_assert_cmpint (code, ==, MS_DIAGNOSIS_SERVER_UNAVAILABLE);
  }

  /* Random bytes. */
  for (guint round = 0; round < 2000; round++)
    {
      char buffer[257];
      guint length = g_rand_int_range (rand, 0, 256);
      MsDiagnosisCode code;

      for (guint i = 0; i < length; i++)
        buffer[i] = (char) g_rand_int_range (rand, 1, 256);
      buffer[length] = '\0';

      for (guint p = 0; p <= MS_PROTOCOL_SMTP; p++)
        {
          g_autofree char *clean = NULL;

          if (ms_diagnosis_classify_reply (p, buffer, &code))
            g_assert_cmpint (code, <, MS_DIAGNOSIS_N_CODES);
          ms_diagnosis_classify_login_reply (p, buffer, &code);
          clean = ms_diagnosis_sanitize_detail (buffer);
          if (clean != NULL)
            g_assert_true (g_utf8_validate (clean, -1, NULL));
        }
    }
}

/* Every row of the code table says something, in words of its own. */
static void
test_code_texts (void)
{
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < MS_DIAGNOSIS_N_CODES; i++)
    {
      const MsDiagnosisCodeInfo *info = ms_diagnosis_table_lookup (i);
      g_autoptr(MsDiagnosis) diagnosis = ms_diagnosis_new (i, NULL, NULL);

      g_assert_nonnull (info);
      g_assert_cmpuint (info->severity, <=, MS_SEVERITY_ERROR);
      g_assert_cmpuint (strlen (info->title), >=, 10);
      g_assert_cmpuint (strlen (info->explanation), >, strlen (info->title));
      g_assert_false (g_str_has_suffix (info->title, "."));
      g_assert_true (g_str_has_suffix (info->explanation, "."));
      g_assert_false (g_hash_table_contains (titles, info->title));
      g_hash_table_add (titles, (gpointer) info->title);

      g_assert_cmpstr (diagnosis->title, ==, info->title);
      g_assert_cmpstr (diagnosis->explanation, ==, info->explanation);
      for (guint j = 0; j < G_N_ELEMENTS (info->fixes) && info->fixes[j] != MS_DIAGNOSIS_FIX_END; j++)
        {
          g_assert_cmpuint (info->fixes[j], <, MS_FIX_N_KINDS);
          g_assert_false (ms_fix_kind_has_parameters (info->fixes[j]));
        }
    }
}

/* Each row of the rule tables decides its own example, so none is
 * shadowed by an earlier one, and what it decides is what the public
 * classifiers return. */
static void
check_rule_table (MsReplyRuleTable table)
{
  guint n_rules = 0;
  const MsReplyRule *rules = ms_classifier_get_rules (table, &n_rules);

  g_assert_cmpuint (n_rules, >, 0);

  for (guint i = 0; i < n_rules; i++)
    {
      const MsReplyRule *rule = &rules[i];
      gboolean reached = FALSE;

      g_test_message ("rule %u: %s", i, rule->example);
      g_assert_nonnull (rule->example);
      g_assert_cmpuint (rule->protocols, !=, 0);
      g_assert_cmpuint (rule->protocols & ~7u, ==, 0);
      g_assert_true (rule->nothing || rule->code < MS_DIAGNOSIS_N_CODES);
      g_assert_true (rule->smtp_min <= rule->smtp_max);

      for (MsProtocol p = MS_PROTOCOL_IMAP; p <= MS_PROTOCOL_SMTP; p++)
        {
          MsReplyRuleTable found_in = MS_REPLY_RULE_TABLE_REPLY;
          MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;
          gboolean login = table == MS_REPLY_RULE_TABLE_LOGIN;
          gboolean found;

          if ((rule->protocols & (1u << p)) == 0 ||
              ms_classifier_decide (p, rule->example, login, &found_in) != rule ||
              found_in != table)
            continue;

          reached = TRUE;
          if (login)
            found = ms_diagnosis_classify_login_reply (p, rule->example, &code);
          else
            found = ms_diagnosis_classify_reply (p, rule->example, &code);
          g_assert_cmpint (found, ==, !rule->nothing);
          if (found)
            g_assert_cmpint (code, ==, rule->code);
        }

      if (!reached)
        g_error ("rule %u of table %d does not decide its example “%s”",
                 i, table, rule->example);
    }
}

static void
test_rules_reachable (void)
{
  check_rule_table (MS_REPLY_RULE_TABLE_REPLY);
  check_rule_table (MS_REPLY_RULE_TABLE_LOGIN);
}

/* What a probe records: the classifier's code, else the step's fallback. */
static void
test_code_for (void)
{
  g_autoptr(GError) malformed = g_error_new_literal (MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED, "bad line");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
  g_autoptr(GError) odd = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "odd");

  g_assert_cmpint (ms_diagnosis_code_for_error (malformed, MS_DIAGNOSIS_TIMEOUT), ==,
                   MS_DIAGNOSIS_PROTOCOL_ERROR);
  g_assert_cmpint (ms_diagnosis_code_for_error (refused, MS_DIAGNOSIS_TIMEOUT), ==,
                   MS_DIAGNOSIS_CONNECTION_REFUSED);
  g_assert_cmpint (ms_diagnosis_code_for_error (odd, MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED), ==,
                   MS_DIAGNOSIS_TLS_HANDSHAKE_FAILED);

  g_assert_cmpint (ms_diagnosis_code_for_reply (SMTP, "421 4.4.2 Lost (Connection timed out)",
                                                MS_DIAGNOSIS_STARTTLS_FAILED), ==,
                   MS_DIAGNOSIS_CONNECTION_LOST);
  g_assert_cmpint (ms_diagnosis_code_for_reply (IMAP, "a1 NO nope", MS_DIAGNOSIS_STARTTLS_FAILED), ==,
                   MS_DIAGNOSIS_STARTTLS_FAILED);
  g_assert_cmpint (ms_diagnosis_code_for_reply (POP3, NULL, MS_DIAGNOSIS_SERVER_UNAVAILABLE), ==,
                   MS_DIAGNOSIS_SERVER_UNAVAILABLE);

  g_assert_cmpint (ms_diagnosis_code_for_login_reply (IMAP, "a1 BAD syntax"), ==,
                   MS_DIAGNOSIS_PROTOCOL_ERROR);
  g_assert_cmpint (ms_diagnosis_code_for_login_reply (SMTP, "250 OK\r\n"), ==,
                   MS_DIAGNOSIS_AUTH_FAILED);
  g_assert_cmpint (ms_diagnosis_code_for_login_reply (POP3, "-ERR [SYS/TEMP] later"), ==,
                   MS_DIAGNOSIS_SERVER_UNAVAILABLE);

  g_assert_cmpint (ms_diagnosis_code_for_certificate (0), ==, MS_DIAGNOSIS_TLS_UNTRUSTED);
  g_assert_cmpint (ms_diagnosis_code_for_certificate (G_TLS_CERTIFICATE_REVOKED |
                                                      G_TLS_CERTIFICATE_UNKNOWN_CA), ==,
                   MS_DIAGNOSIS_TLS_REVOKED);
}

/* What a diagnosis means given the whole account test. */
static void
test_follow_up (void)
{
  MsDiagnosisContext short_name = { .username = "alice", .username_is_address = TRUE, };
  MsDiagnosisContext whole = { .username = "alice@example.org", .username_is_address = TRUE, };
  MsDiagnosisContext any_name = { .username = "alice", .username_is_address = FALSE, };
  MsDiagnosisContext pinned = { .certificate_was_pinned = TRUE, };
  MsDiagnosisContext nothing = { NULL, };
  MsDiagnosisCode code = MS_DIAGNOSIS_N_CODES;

  g_assert_true (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_AUTH_FAILED, &short_name, &code));
  g_assert_cmpint (code, ==, MS_DIAGNOSIS_USERNAME_INCOMPLETE);
  g_assert_false (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_AUTH_FAILED, &whole, NULL));
  g_assert_false (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_AUTH_FAILED, &any_name, NULL));
  g_assert_false (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_AUTH_FAILED, &nothing, NULL));
  g_assert_false (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_TIMEOUT, &short_name, NULL));

  g_assert_true (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_TLS_UNTRUSTED, &pinned, &code));
  g_assert_cmpint (code, ==, MS_DIAGNOSIS_TLS_CERTIFICATE_CHANGED);
  g_assert_false (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_TLS_UNTRUSTED, &nothing, NULL));
  /* Only an unknown certificate: a revoked one is not "changed". */
  g_assert_false (ms_diagnosis_classify_follow_up (MS_DIAGNOSIS_TLS_REVOKED, &pinned, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diagnosis/codes", test_codes);
  g_test_add_func ("/diagnosis/stable-names", test_stable_names);
  g_test_add_func ("/diagnosis/fix-kinds", test_fix_kinds);
  g_test_add_func ("/diagnosis/default-fixes", test_default_fixes);
  g_test_add_func ("/diagnosis/add-fix-order", test_add_fix_order);
  g_test_add_func ("/diagnosis/fix-constructors", test_fix_constructors);
  g_test_add_func ("/diagnosis/json", test_json);
  g_test_add_func ("/diagnosis/explanation-names-server", test_explanation_names_server);
  g_test_add_func ("/diagnosis/classify/charter", test_charter_replies);
  g_test_add_func ("/diagnosis/classify/smtp", test_smtp_replies);
  g_test_add_func ("/diagnosis/classify/imap", test_imap_replies);
  g_test_add_func ("/diagnosis/classify/pop3", test_pop3_replies);
  g_test_add_func ("/diagnosis/classify/login", test_login_replies);
  g_test_add_func ("/diagnosis/classify/errors", test_errors);
  g_test_add_func ("/diagnosis/classify/real-connection-refused", test_real_connection_refused);
  g_test_add_func ("/diagnosis/classify/real-cancelled", test_real_cancelled);
  g_test_add_func ("/diagnosis/classify/certificate-flags", test_certificate_flags);
  g_test_add_func ("/diagnosis/sanitize", test_sanitize);
  g_test_add_func ("/diagnosis/robustness", test_robustness);
  g_test_add_func ("/diagnosis/code-texts", test_code_texts);
  g_test_add_func ("/diagnosis/classify/rules-reachable", test_rules_reachable);
  g_test_add_func ("/diagnosis/classify/code-for", test_code_for);
  g_test_add_func ("/diagnosis/classify/follow-up", test_follow_up);

  return g_test_run ();
}
