/* test-secret.c: the password from standard input, and what is left of it in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-dialect.h"
#include "ms-secret-private.h"
#include "ms-secret.h"

static MsSecret *
secret_from (const char  *data,
             gsize        length,
             GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (data, length),
                                                                        length, g_free);

  return ms_secret_new_from_stream (stream, error);
}

static void
test_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsSecret) plain = secret_from ("pa ss\"\\w\xc3\xb6rd\r\nnext line", 23, &error);
  g_autoptr(MsSecret) empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (plain), ==, "pa ss\"\\w\xc3\xb6rd");
  g_assert_cmpuint (ms_secret_get_length (plain), ==, 12);

  empty = secret_from ("", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_secret_get_text (empty), ==, "");
}

/* It used to end at the NUL without a word: "pa" would be tried. */
static void
test_nul_refused (void)
{
  const char *cases[] = { "pa\0ss\n", "\0", "password\0\n" };
  const gsize lengths[] = { 6, 1, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsSecret) secret = secret_from (cases[i], lengths[i], &error);

      g_assert_null (secret);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "NUL"));
    }
}

static void
test_too_long (void)
{
  g_autofree char *long_password = g_strnfill (5000, 'p');
  g_autoptr(GError) error = NULL;
  g_autoptr(MsSecret) secret = secret_from (long_password, 5000, &error);

  g_assert_null (secret);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

typedef struct
{
  guint  released;
  gsize  bytes;
  gsize  nonzero;
} Releases;

static void
release_hook (gconstpointer buffer,
              gsize         size,
              gpointer      user_data)
{
  Releases *releases = user_data;
  const guchar *bytes = buffer;

  releases->released++;
  releases->bytes += size;
  for (gsize i = 0; i < size; i++)
    if (bytes[i] != 0)
      releases->nonzero++;
}

/* Every buffer that held the password is all zeros when it is freed. */
static void
test_secret_wiped (void)
{
  Releases releases = { 0, };
  MsSecret *secret;
  MsSecret *from_stream;
  g_autoptr(GError) error = NULL;

  ms_secret_set_release_hook_for_testing (release_hook, &releases);

  secret = ms_secret_new ("hunter2");
  ms_secret_ref (secret);
  ms_secret_unref (secret);
  g_assert_cmpuint (releases.released, ==, 0);
  ms_secret_unref (secret);
  g_assert_cmpuint (releases.released, ==, 1);
  g_assert_cmpuint (releases.bytes, ==, 7);

  from_stream = secret_from ("hunter2\n", 8, &error);
  g_assert_no_error (error);
  ms_secret_unref (from_stream);
  g_assert_cmpuint (releases.released, ==, 2);

  /* The refused ones too, NUL and all. */
  g_assert_null (secret_from ("hunter\0002\n", 9, &error));
  g_clear_error (&error);
  g_assert_cmpuint (releases.released, ==, 3);
  g_assert_cmpuint (releases.bytes, >, 14 + 9);

  g_assert_cmpuint (releases.nonzero, ==, 0);
  ms_secret_set_release_hook_for_testing (NULL, NULL);
}

/* The command builders: the line that goes on the wire is wiped with the
 * command, and the transcript never had the password. */
static void
test_commands_wiped (void)
{
  g_autoptr(MsSecret) password = ms_secret_new ("s3cr\"et");
  Releases releases = { 0, };
  guint next_tag = 1;
  MsAuthState state = { "alice@test.example", password, &next_tag, NULL, 0, "a1" };
  MsCapabilities *capabilities;
  MsCommand *command;
  MsAuthProgress progress;
  g_autofree char *response = NULL;

  ms_secret_set_release_hook_for_testing (release_hook, &releases);

  /* SASL PLAIN with its initial response. */
  command = ms_command_new_sasl_plain (&state, MS_REPLY_KIND_SMTP, NULL, "AUTH");
  /* Its own copy of the response is gone already. */
  g_assert_cmpuint (releases.released, ==, 1);
  response = ms_sasl_plain_response (state.username, password);
  g_assert_true (g_str_has_suffix (command->line, response));
  g_assert_null (strstr (command->transcript, response));
  ms_command_free (command);
  g_assert_cmpuint (releases.released, ==, 2);
  ms_secret_wipe_string (g_steal_pointer (&response));

  /* IMAP LOGIN, the password quoted. */
  {
    g_autoptr(MsReply) reply = ms_reply_new (MS_REPLY_KIND_IMAP_TAGGED, "a0");
    g_autoptr(GError) error = NULL;

    g_assert_true (ms_reply_feed_line (reply, "* CAPABILITY IMAP4rev1", &error));
    g_assert_true (ms_reply_feed_line (reply, "a0 OK done", &error));
    g_assert_no_error (error);
    capabilities = ms_capabilities_new_from_reply (MS_PROTOCOL_IMAP, reply);
  }
  command = ms_imap_dialect.auth_start (&state, capabilities, &progress);
  g_assert_nonnull (command);
  g_assert_nonnull (strstr (command->line, "\"s3cr\\\"et\""));
  g_assert_null (strstr (command->transcript, "s3cr"));
  ms_command_free (command);
  ms_capabilities_free (capabilities);

  /* The response above, the quoted password and the LOGIN line made
   * from it, and the command's line. */
  g_assert_cmpuint (releases.released, ==, 6);
  g_assert_cmpuint (releases.nonzero, ==, 0);
  ms_secret_set_release_hook_for_testing (NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret/stream", test_stream);
  g_test_add_func ("/secret/nul-refused", test_nul_refused);
  g_test_add_func ("/secret/too-long", test_too_long);
  g_test_add_func ("/secret/wiped", test_secret_wiped);
  g_test_add_func ("/secret/commands-wiped", test_commands_wiped);

  return g_test_run ();
}
