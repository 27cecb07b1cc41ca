/* test-sasl-oauth.c: OAUTHBEARER / XOAUTH2 messages and error answers (issue 14)
 *
 * The exchange itself runs against real dovecot and postfix in
 * tests/integration/test-probe-oauth.c; these are the exact bytes, the
 * dialects' steps, and the answers dovecot does not give (insufficient
 * scope), written as RFC 7628 §3.2.2 and dovecot's XOAUTH2 have them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-capabilities.h"
#include "ms-diagnosis.h"
#include "ms-dialect.h"

static MsReply *
reply_from (MsReplyKind  kind,
            const char  *tag,
            const char  *line)
{
  MsReply *reply = ms_reply_new (kind, tag);
  g_autoptr(GError) error = NULL;

  ms_reply_feed_line (reply, line, &error);
  g_assert_no_error (error);
  g_assert_true (ms_reply_is_complete (reply));

  return reply;
}

static MsCapabilities *
capabilities (MsProtocol  protocol,
              MsReplyKind kind,
              const char *const *lines)
{
  MsReply *reply = ms_reply_new (kind, "a0");
  MsCapabilities *result;

  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (ms_reply_feed_line (reply, lines[i], NULL));
  result = ms_capabilities_new_from_reply (protocol, reply);
  ms_reply_free (reply);

  return result;
}

/* The last word of @line, base64-decoded. */
static char *
decoded_response (const char *line)
{
  const char *space = strrchr (line, ' ');
  gsize length = 0;
  guchar *data = g_base64_decode (space != NULL ? space + 1 : line, &length);
  char *text = g_strndup ((const char *) data, length);

  g_free (data);
  return text;
}

static void
test_messages (void)
{
  static const char *const imap_lines[] = {
    "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2 AUTH=OAUTHBEARER", "a0 OK done", NULL };
  static const char *const smtp_lines[] = { "250-mail.test", "250 AUTH PLAIN XOAUTH2", NULL };
  g_autoptr(MsSecret) token = ms_secret_new ("ya29.A-b_c~d+e/f==");
  MsCapabilities *imap = capabilities (MS_PROTOCOL_IMAP, MS_REPLY_KIND_IMAP_TAGGED, imap_lines);
  MsCapabilities *smtp = capabilities (MS_PROTOCOL_SMTP, MS_REPLY_KIND_SMTP, smtp_lines);
  guint next_tag = 3;
  MsAuthState state = { .username = "a,b=c@x.example", .next_tag = &next_tag,
                        .bearer_token = token, .password = token,
                        .host = "imap.x.example", .port = 993 };
  MsAuthProgress progress;
  g_autoptr(MsCommand) command = NULL;
  g_autoptr(MsCommand) smtp_command = NULL;
  g_autofree char *message = NULL;
  g_autofree char *smtp_message = NULL;

  /* The standard one first; ",", "=" escaped in the gs2 header. */
  command = ms_imap_dialect.auth_start (&state, imap, &progress);
  g_assert_cmpint (progress, ==, MS_AUTH_PROGRESS_CONTINUE);
  g_assert_cmpstr (state.mechanism, ==, "OAUTHBEARER");
  g_assert_true (g_str_has_prefix (command->line, "a3 AUTHENTICATE OAUTHBEARER "));
  g_assert_cmpstr (command->transcript, ==, "a3 AUTHENTICATE OAUTHBEARER <token hidden>");
  message = decoded_response (command->line);
  g_assert_cmpstr (message, ==, "n,a=a=2Cb=3Dc@x.example,\001host=imap.x.example\001port=993\001"
                                "auth=Bearer ya29.A-b_c~d+e/f==\001\001");

  /* XOAUTH2 where it is all there is. */
  memset (state.tag, 0, sizeof state.tag);
  state.mechanism = NULL;
  smtp_command = ms_smtp_dialect.auth_start (&state, smtp, &progress);
  g_assert_cmpstr (state.mechanism, ==, "XOAUTH2");
  g_assert_true (g_str_has_prefix (smtp_command->line, "AUTH XOAUTH2 "));
  smtp_message = decoded_response (smtp_command->line);
  g_assert_cmpstr (smtp_message, ==, "user=a,b=c@x.example\001auth=Bearer ya29.A-b_c~d+e/f==\001\001");

  ms_capabilities_free (imap);
  ms_capabilities_free (smtp);
}

/* A token never turns into a password login. */
static void
test_no_mechanism (void)
{
  static const char *const lines[] = { "* CAPABILITY IMAP4rev1 AUTH=PLAIN", "a0 OK done", NULL };
  g_autoptr(MsSecret) token = ms_secret_new ("abc");
  MsCapabilities *caps = capabilities (MS_PROTOCOL_IMAP, MS_REPLY_KIND_IMAP_TAGGED, lines);
  guint next_tag = 1;
  MsAuthState state = { .username = "u", .next_tag = &next_tag, .bearer_token = token,
                        .password = token, .host = "h", .port = 1 };
  MsAuthProgress progress;

  g_assert_null (ms_imap_dialect.auth_start (&state, caps, &progress));
  g_assert_cmpint (progress, ==, MS_AUTH_PROGRESS_UNSUPPORTED);
  ms_capabilities_free (caps);
}

/* Without SASL-IR: the command, the empty challenge, the token; then a
 * refusal: the JSON, the lone ^A, the final NO. */
static void
test_imap_refusal (void)
{
  static const char *const lines[] = { "* CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER", "a0 OK done", NULL };
  g_autoptr(MsSecret) token = ms_secret_new ("tok");
  MsCapabilities *caps = capabilities (MS_PROTOCOL_IMAP, MS_REPLY_KIND_IMAP_TAGGED, lines);
  guint next_tag = 1;
  MsAuthState state = { .username = "u@x.example", .next_tag = &next_tag, .bearer_token = token,
                        .password = token, .host = "h", .port = 143 };
  g_autofree char *challenge = g_base64_encode ((const guchar *) "{\"status\":\"invalid_token\"}", 26);
  g_autofree char *challenge_line = g_strconcat ("+ ", challenge, NULL);
  MsAuthProgress progress;
  MsCommand *command;
  MsReply *reply;

  command = ms_imap_dialect.auth_start (&state, caps, &progress);
  g_assert_cmpstr (command->line, ==, "a1 AUTHENTICATE OAUTHBEARER");
  ms_command_free (command);

  reply = reply_from (MS_REPLY_KIND_IMAP_TAGGED, "a1", "+ ");
  command = ms_imap_dialect.auth_next (&state, reply, &progress);
  g_assert_cmpint (progress, ==, MS_AUTH_PROGRESS_CONTINUE);
  g_assert_cmpstr (command->transcript, ==, "<token hidden>");
  ms_command_free (command);
  ms_reply_free (reply);

  reply = reply_from (MS_REPLY_KIND_IMAP_TAGGED, "a1", challenge_line);
  command = ms_imap_dialect.auth_next (&state, reply, &progress);
  g_assert_cmpint (progress, ==, MS_AUTH_PROGRESS_CONTINUE);
  g_assert_cmpstr (command->line, ==, "AQ==");
  g_assert_cmpstr (state.oauth_error, ==, "{\"status\":\"invalid_token\"}");
  ms_command_free (command);
  ms_reply_free (reply);

  reply = reply_from (MS_REPLY_KIND_IMAP_TAGGED, "a1", "a1 NO [AUTHENTICATIONFAILED] Authentication failed.");
  g_assert_null (ms_imap_dialect.auth_next (&state, reply, &progress));
  g_assert_cmpint (progress, ==, MS_AUTH_PROGRESS_FAILED);
  ms_reply_free (reply);

  g_free (state.oauth_error);
  ms_capabilities_free (caps);
}

static void
test_token_check (void)
{
  static const char *const good[] = { "ya29.a0Af-_~+/", "abc==", "A", NULL };
  static const char *const bad[] = { "", "a b", "a\001b", "a\r\nb", "=abc", "ab=c", "tok\xc3\xa9", NULL };

  for (guint i = 0; good[i] != NULL; i++)
    {
      g_autoptr(MsSecret) token = ms_secret_new (good[i]);

      g_assert_true (ms_sasl_oauth_check_token (token, NULL));
    }
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(MsSecret) token = ms_secret_new (bad[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (ms_sasl_oauth_check_token (token, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static void
test_classify (void)
{
  /* What dovecot 2.3 sends for XOAUTH2 (seen in the integration test's
   * servers): the scope it wants. */
  const char *dovecot_xoauth2 = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}";

  g_assert_cmpint (ms_diagnosis_code_for_oauth_error ("{\"status\":\"insufficient_scope\"}", "mail", FALSE),
                   ==, MS_DIAGNOSIS_OAUTH_SCOPE_MISSING);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error ("{\"status\":\"403\"}", NULL, TRUE),
                   ==, MS_DIAGNOSIS_OAUTH_SCOPE_MISSING);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error (dovecot_xoauth2, "contacts calendar", FALSE),
                   ==, MS_DIAGNOSIS_OAUTH_SCOPE_MISSING);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error (dovecot_xoauth2, "openid mail", FALSE),
                   ==, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error (dovecot_xoauth2, "mail", TRUE),
                   ==, MS_DIAGNOSIS_OAUTH_TOKEN_EXPIRED);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error ("{\"status\":\"invalid_token\"}", NULL, TRUE),
                   ==, MS_DIAGNOSIS_OAUTH_TOKEN_EXPIRED);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error ("{\"status\":\"invalid_token\"}", NULL, FALSE),
                   ==, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
  /* Hostile or missing JSON still gives a diagnosis, never a crash. */
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error (NULL, NULL, FALSE), ==, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error ("[1,2", "mail", FALSE), ==, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
  g_assert_cmpint (ms_diagnosis_code_for_oauth_error ("{\"status\":7,\"scope\":[]}", "mail", FALSE),
                   ==, MS_DIAGNOSIS_OAUTH_TOKEN_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sasl-oauth/messages", test_messages);
  g_test_add_func ("/sasl-oauth/no-mechanism", test_no_mechanism);
  g_test_add_func ("/sasl-oauth/imap-refusal", test_imap_refusal);
  g_test_add_func ("/sasl-oauth/token-check", test_token_check);
  g_test_add_func ("/sasl-oauth/classify", test_classify);

  return g_test_run ();
}
