/* test-reply.c: the reply grammars, capabilities and login encodings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-capabilities.h"
#include "ms-dialect.h"
#include "ms-reply.h"

/* Feeds LINES (NULL-terminated) and returns the reply once complete. */
static MsReply *
feed (MsReplyKind   kind,
      const char   *tag,
      const char  **lines,
      GError      **error)
{
  g_autoptr(MsReply) reply = ms_reply_new (kind, tag);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_false (ms_reply_is_complete (reply));
      if (!ms_reply_feed_line (reply, lines[i], error))
        return NULL;
    }

  return g_steal_pointer (&reply);
}

static void
test_smtp_multiline (void)
{
  const char *lines[] = { "250-mail.example", "250-STARTTLS", "250-AUTH PLAIN LOGIN",
                          "250 SIZE 10240000", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MsReply) reply = feed (MS_REPLY_KIND_SMTP, NULL, lines, &error);
  g_autoptr(MsCapabilities) capabilities = NULL;

  g_assert_no_error (error);
  g_assert_true (ms_reply_is_complete (reply));
  g_assert_true (ms_reply_is_ok (reply));
  g_assert_cmpuint (reply->smtp_code, ==, 250);
  g_assert_cmpstr (reply->text, ==, "SIZE 10240000");

  capabilities = ms_capabilities_new_from_reply (MS_PROTOCOL_SMTP, reply);
  g_assert_true (ms_capabilities_offers_starttls (capabilities));
  g_assert_true (ms_capabilities_has (capabilities, "SIZE"));
  g_assert_true (ms_capabilities_has_mechanism (capabilities, "plain"));
  g_assert_true (ms_capabilities_has_mechanism (capabilities, "LOGIN"));
  g_assert_false (ms_capabilities_has_mechanism (capabilities, "CRAM-MD5"));
  /* The greeting line is no capability. */
  g_assert_false (ms_capabilities_has (capabilities, "mail.example"));
}

static void
test_smtp_codes (void)
{
  struct {
    const char    *line;
    MsReplyStatus  status;
    guint          code;
  } cases[] = {
    { "220 ready", MS_REPLY_STATUS_OK, 220 },
    { "235 2.7.0 Authentication successful", MS_REPLY_STATUS_OK, 235 },
    { "334 VXNlcm5hbWU6", MS_REPLY_STATUS_CONTINUE, 334 },
    { "354 End data with <CR><LF>.<CR><LF>", MS_REPLY_STATUS_OK, 354 },
    { "421 4.7.0 Try again later", MS_REPLY_STATUS_NO, 421 },
    { "535 5.7.8 Error: authentication failed", MS_REPLY_STATUS_NO, 535 },
    { "250", MS_REPLY_STATUS_OK, 250 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *lines[] = { cases[i].line, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(MsReply) reply = feed (MS_REPLY_KIND_SMTP, NULL, lines, &error);

      g_assert_no_error (error);
      g_assert_true (ms_reply_is_complete (reply));
      g_assert_cmpint (reply->status, ==, cases[i].status);
      g_assert_cmpuint (reply->smtp_code, ==, cases[i].code);
    }
}

static void
test_smtp_malformed (void)
{
  const char *bad[] = { "", "hello", "25", "2500 x", "099 low", "600 high", "abc def", "250x", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      const char *lines[] = { bad[i], NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(MsReply) reply = feed (MS_REPLY_KIND_SMTP, NULL, lines, &error);

      g_assert_null (reply);
      g_assert_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED);
    }

  /* A reply may not change its code half-way. */
  {
    const char *lines[] = { "250-one", "550 two", NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(MsReply) reply = feed (MS_REPLY_KIND_SMTP, NULL, lines, &error);

    g_assert_null (reply);
    g_assert_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED);
  }
}

static void
test_too_many_lines (void)
{
  g_autoptr(MsReply) reply = ms_reply_new (MS_REPLY_KIND_SMTP, NULL);
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < MS_REPLY_MAX_LINES + 10; i++)
    {
      if (!ms_reply_feed_line (reply, "250-again", &error))
        break;
    }

  g_assert_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_TOO_LARGE);
  g_assert_cmpuint (i, ==, MS_REPLY_MAX_LINES);
}

static void
test_pop3 (void)
{
  const char *capa[] = { "+OK", "CAPA", "USER", "STLS", "SASL PLAIN LOGIN", "RESP-CODES", ".", NULL };
  const char *err[] = { "-ERR [AUTH] Authentication failed.", NULL };
  const char *cont[] = { "+ ", NULL };
  const char *junk[] = { "OK fine", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MsReply) reply = feed (MS_REPLY_KIND_POP3_MULTILINE, NULL, capa, &error);
  g_autoptr(MsCapabilities) capabilities = NULL;
  g_autoptr(MsReply) failed = NULL;
  g_autoptr(MsReply) continued = NULL;
  g_autoptr(MsReply) broken = NULL;

  g_assert_no_error (error);
  g_assert_true (ms_reply_is_ok (reply));
  capabilities = ms_capabilities_new_from_reply (MS_PROTOCOL_POP3, reply);
  g_assert_true (ms_capabilities_offers_starttls (capabilities));
  g_assert_true (ms_capabilities_has (capabilities, "USER"));
  g_assert_true (ms_capabilities_has_mechanism (capabilities, "PLAIN"));
  g_assert_false (ms_capabilities_has (capabilities, "."));

  failed = feed (MS_REPLY_KIND_POP3_MULTILINE, NULL, err, &error);
  g_assert_no_error (error);
  g_assert_true (ms_reply_is_complete (failed));
  g_assert_cmpint (failed->status, ==, MS_REPLY_STATUS_NO);
  g_assert_cmpstr (failed->response_code, ==, "AUTH");
  g_assert_cmpstr (failed->text, ==, "Authentication failed.");

  continued = feed (MS_REPLY_KIND_POP3, NULL, cont, &error);
  g_assert_no_error (error);
  g_assert_cmpint (continued->status, ==, MS_REPLY_STATUS_CONTINUE);

  broken = feed (MS_REPLY_KIND_POP3, NULL, junk, &error);
  g_assert_null (broken);
  g_assert_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED);
}

static void
test_imap (void)
{
  const char *greeting[] = { "* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS AUTH=PLAIN] Dovecot ready.", NULL };
  const char *tagged[] = { "* CAPABILITY IMAP4rev1 LOGINDISABLED", "* OK still here", "a7 OK done", NULL };
  const char *failed[] = { "a7 NO [AUTHENTICATIONFAILED] Authentication failed.", NULL };
  const char *other_tag[] = { "a8 OK not yours", NULL };
  const char *bye[] = { "* BYE [UNAVAILABLE] shutting down", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MsReply) reply = feed (MS_REPLY_KIND_IMAP_GREETING, NULL, greeting, &error);
  g_autoptr(MsCapabilities) capabilities = NULL;
  g_autoptr(MsReply) done = NULL;
  g_autoptr(MsReply) no = NULL;
  g_autoptr(MsReply) wrong = NULL;
  g_autoptr(MsReply) closing = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (reply->response_code, ==, "CAPABILITY");
  capabilities = ms_capabilities_new_from_reply (MS_PROTOCOL_IMAP, reply);
  g_assert_true (ms_capabilities_offers_starttls (capabilities));
  g_assert_true (ms_capabilities_has (capabilities, "SASL-IR"));
  g_assert_true (ms_capabilities_has_mechanism (capabilities, "PLAIN"));
  g_clear_pointer (&capabilities, ms_capabilities_free);

  done = feed (MS_REPLY_KIND_IMAP_TAGGED, "a7", tagged, &error);
  g_assert_no_error (error);
  g_assert_true (ms_reply_is_ok (done));
  capabilities = ms_capabilities_new_from_reply (MS_PROTOCOL_IMAP, done);
  g_assert_true (ms_capabilities_has (capabilities, "LOGINDISABLED"));
  g_assert_false (ms_capabilities_offers_starttls (capabilities));

  no = feed (MS_REPLY_KIND_IMAP_TAGGED, "a7", failed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (no->status, ==, MS_REPLY_STATUS_NO);
  g_assert_cmpstr (no->response_code, ==, "AUTHENTICATIONFAILED");

  wrong = feed (MS_REPLY_KIND_IMAP_TAGGED, "a7", other_tag, &error);
  g_assert_null (wrong);
  g_assert_error (error, MS_REPLY_ERROR, MS_REPLY_ERROR_MALFORMED);
  g_clear_error (&error);

  /* An untagged BYE leaves the reply open: the server closes next. */
  closing = ms_reply_new (MS_REPLY_KIND_IMAP_TAGGED, "a9");
  g_assert_true (ms_reply_feed_line (closing, bye[0], &error));
  g_assert_false (ms_reply_is_complete (closing));
  g_assert_cmpint (closing->status, ==, MS_REPLY_STATUS_BYE);
}

static void
test_non_utf8_kept_valid (void)
{
  const char *lines[] = { "220 caf\xe9 \xff\xfe ready", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MsReply) reply = feed (MS_REPLY_KIND_SMTP, NULL, lines, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = ms_reply_to_string (reply);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

static void
test_imap_quote (void)
{
  char *quoted = NULL;

  g_assert_true (ms_imap_quote ("plain", &quoted));
  g_assert_cmpstr (quoted, ==, "\"plain\"");
  g_free (quoted);

  g_assert_true (ms_imap_quote ("a \"b\" \\c", &quoted));
  g_assert_cmpstr (quoted, ==, "\"a \\\"b\\\" \\\\c\"");
  g_free (quoted);

  /* Needs a literal. */
  g_assert_false (ms_imap_quote ("line\r\nbreak", &quoted));
  g_assert_null (quoted);
  g_assert_false (ms_imap_quote ("sch\xc3\xb6n", &quoted));
  g_assert_null (quoted);
}

static void
test_sasl_plain (void)
{
  g_autoptr(MsSecret) password = ms_secret_new ("pa\"ss w\xc3\xb6rd");
  g_autofree char *response = ms_sasl_plain_response ("alice@test.example", password);
  gsize len;
  g_autofree guchar *decoded = g_base64_decode (response, &len);
  const char expected[] = "\0alice@test.example\0pa\"ss w\xc3\xb6rd";

  g_assert_cmpmem (decoded, len, expected, sizeof expected - 1);
}

/* The login commands never carry the password into the transcript. */
static void
test_auth_transcripts (void)
{
  g_autoptr(MsSecret) password = ms_secret_new ("hunter2-secret");
  const MsDialect *dialects[] = { &ms_imap_dialect, &ms_pop3_dialect, &ms_smtp_dialect };
  const char *capability_lines[][3] = {
    { "* OK [CAPABILITY IMAP4rev1] hi", NULL, NULL },
    { "+OK", "USER", "." },
    { "250-x", "250 AUTH LOGIN", NULL },
  };
  const MsReplyKind kinds[] = { MS_REPLY_KIND_IMAP_GREETING, MS_REPLY_KIND_POP3_MULTILINE, MS_REPLY_KIND_SMTP };
  const char *continue_lines[] = { "+ go", "+OK", "334 VXNlcm5hbWU6" };

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autoptr(MsReply) reply = ms_reply_new (kinds[i], "a1");
      g_autoptr(MsCapabilities) capabilities = NULL;
      g_autoptr(MsCommand) command = NULL;
      MsAuthProgress progress;
      MsAuthState state = { 0 };
      guint next_tag = 1;
      guint steps = 0;

      for (guint j = 0; j < 3 && capability_lines[i][j] != NULL; j++)
        g_assert_true (ms_reply_feed_line (reply, capability_lines[i][j], NULL));
      capabilities = ms_capabilities_new_from_reply (dialects[i]->protocol, reply);

      state.username = "alice";
      state.password = password;
      state.next_tag = &next_tag;
      command = dialects[i]->auth_start (&state, capabilities, &progress);
      g_assert_nonnull (command);

      /* Walk the exchange with "go on" answers until the password went out. */
      while (command != NULL && steps++ < 5)
        {
          g_autoptr(MsReply) go_on = ms_reply_new (command->reply_kind,
                                                   command->tag != NULL ? command->tag : "a1");

          if (strstr (command->line, "hunter2-secret") != NULL ||
              strstr (command->line, "aHVudGVyMi1zZWNyZXQ=") != NULL)
            {
              g_assert_nonnull (command->transcript);
              g_assert_null (strstr (command->transcript, "hunter2"));
            }

          g_assert_true (ms_reply_feed_line (go_on, continue_lines[i], NULL));
          g_clear_pointer (&command, ms_command_free);
          command = dialects[i]->auth_next (&state, go_on, &progress);
        }

      g_assert_cmpuint (steps, >=, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reply/smtp-multiline", test_smtp_multiline);
  g_test_add_func ("/reply/smtp-codes", test_smtp_codes);
  g_test_add_func ("/reply/smtp-malformed", test_smtp_malformed);
  g_test_add_func ("/reply/too-many-lines", test_too_many_lines);
  g_test_add_func ("/reply/pop3", test_pop3);
  g_test_add_func ("/reply/imap", test_imap);
  g_test_add_func ("/reply/non-utf8", test_non_utf8_kept_valid);
  g_test_add_func ("/dialect/imap-quote", test_imap_quote);
  g_test_add_func ("/dialect/sasl-plain", test_sasl_plain);
  g_test_add_func ("/dialect/auth-transcripts", test_auth_transcripts);

  return g_test_run ();
}
