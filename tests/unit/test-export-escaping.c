/* test-export-escaping.c: every exporter and field against hostile values
 *
 * A table of values (newline, CR, quote, backslash, backtick, "$(", ";",
 * "#", "%", "|", non-ASCII, an over-long one) goes into each field of
 * each file exporter; the output is read back by a strict reader for its
 * format (export-readers.c): each value either comes back exactly, with
 * no directive added or lost, or is refused with
 * MS_EXPORT_ERROR_INVALID_VALUE. Which of the two is fixed here, so a
 * format that starts refusing a value it could hold fails too.
 *
 * The terminal programs' files are tried twice: with password servers and
 * with OAuth servers, whose token command carries the address itself
 * (no address-id: `mail-setup token` needs the domain). The real /bin/sh
 * runs that command for hostile addresses, with a stand-in binary on PATH
 * that prints the arguments it got.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "export-readers.h"
#include "ms-exporter-private.h"
#include "ms-export-syntax.h"
#include "ms-export-token-command.h"
#include "ms-keyring-command.h"
#include "ms-keyring.h"

typedef struct
{
  const char *name;
  const char *value;   /* NULL: the over-long value */
  gboolean    refused; /* in every format and field */
} Hostile;

static const Hostile hostile[] = {
  { "newline", "a\nset x = y", TRUE },
  { "newline-directive", "x\nsource-cred-cmd = touch /tmp/pwned", TRUE },
  { "carriage-return", "a\rb", TRUE },
  { "tab", "a\tb", TRUE },
  { "escape", "a\033]0;title\007b", TRUE },
  { "c1-control", "a\302\233b", TRUE },
  { "invalid-utf8", "a\377b", TRUE },
  { "double-quote", "O\"Brien\"", FALSE },
  { "single-quote", "O'Brien", FALSE },
  { "backslash", "a\\b\\", FALSE },
  { "backslash-quote", "a\\\"b", FALSE },
  { "backtick", "o`touch canary`x", FALSE },
  { "command", "$(touch canary)", FALSE },
  { "variable", "${HOME}$HOME", FALSE },
  { "semicolon", "a;b", FALSE },
  { "hash", "a#b", FALSE },
  { "percent", "100%s%n%", FALSE },
  { "pipe", "a|touch canary", FALSE },
  { "colon-equals", "a = b: c", FALSE },
  { "brackets", "[x] <y> &z;", FALSE },
  { "leading-space", " a ", FALSE },
  { "non-ascii", "Zoë Ångström ☃ 𝄞", FALSE },
  { "bidi", "a\342\200\256b", FALSE },
  { "over-long", NULL, TRUE },
};

/* Fields a format writes (so a benign value must come back in it). */
static const gboolean uses[EXPORT_N_FORMATS][EXPORT_N_FIELDS] = {
  /*                          address display user  host  provider */
  [EXPORT_FORMAT_NEOMUTT]      = { TRUE, TRUE,  TRUE, TRUE, FALSE },
  [EXPORT_FORMAT_MSMTP]        = { TRUE, FALSE, TRUE, TRUE, FALSE },
  [EXPORT_FORMAT_MBSYNC]       = { TRUE, FALSE, TRUE, TRUE, FALSE },
  [EXPORT_FORMAT_AERC]         = { TRUE, TRUE,  TRUE, TRUE, FALSE },
  [EXPORT_FORMAT_THUNDERBIRD]  = { TRUE, TRUE,  TRUE, TRUE, TRUE },
  [EXPORT_FORMAT_MOBILECONFIG] = { TRUE, TRUE,  TRUE, TRUE, TRUE },
  [EXPORT_FORMAT_AUTODISCOVER] = { FALSE, FALSE, TRUE, TRUE, FALSE },
  [EXPORT_FORMAT_GEARY]        = { TRUE, TRUE,  TRUE, TRUE, TRUE },
  [EXPORT_FORMAT_EVOLUTION]    = { TRUE, TRUE,  TRUE, TRUE, FALSE },
  [EXPORT_FORMAT_QR]           = { TRUE, TRUE,  TRUE, TRUE, FALSE },
};

/* Where a benign value is refused anyway, and why. */
static gboolean
refused_by_format (ExportFormat  format,
                   ExportField   field,
                   const char   *value)
{
  /* A server name is letters, digits, dots and hyphens in every format. */
  if (field == EXPORT_FIELD_HOSTNAME)
    return TRUE;
  /* ms-address never makes such an address: a mailbox cannot hold it
   * unquoted. */
  if (field == EXPORT_FIELD_ADDRESS &&
      (format == EXPORT_FORMAT_AERC || format == EXPORT_FORMAT_GEARY) &&
      strpbrk (value, "<>\"\\ ,()[]:;") != NULL)
    return TRUE;
  /* msmtp account and isync store names split at ":". */
  if (field == EXPORT_FIELD_ADDRESS &&
      (format == EXPORT_FORMAT_MSMTP || format == EXPORT_FORMAT_MBSYNC) &&
      strchr (value, ':') != NULL)
    return TRUE;
  return FALSE;
}

typedef struct
{
  ExportFormat format;
  ExportField  field;
  guint        value;
  MsAuthMethod auth;
} Case;

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  const Hostile *h = &hostile[c->value];
  g_autofree char *long_value = NULL;
  g_autofree char *why = NULL;
  const char *value = h->value;
  gboolean used = FALSE;
  ExportOutcome outcome;
  gboolean refused;

  if (value == NULL)
    value = long_value = g_strnfill (MS_EXPORT_SYNTAX_MAX_LENGTH + 1, 'x');

  outcome = export_try_auth (c->format, c->field, value, c->auth, &used, &why);
  if (outcome == EXPORT_OUTCOME_BROKEN)
    {
      g_test_fail_printf ("%s (%s), %s = %s: %s", export_format_name (c->format),
                          ms_auth_method_to_string (c->auth), export_field_name (c->field),
                          h->name, why);
      return;
    }

  if (!uses[c->format][c->field])
    return;

  refused = h->refused || refused_by_format (c->format, c->field, value);
  g_assert_true (used);
  if (refused)
    g_assert_cmpint (outcome, ==, EXPORT_OUTCOME_REFUSED);
  else
    g_assert_cmpint (outcome, ==, EXPORT_OUTCOME_ROUND_TRIP);
}

/* The same value through every format's own reader, once: the table's
 * claims are about these readers, so they must reject what the programs
 * misread. */
static void
test_readers_reject (void)
{
  static const struct { ExportFormat format; const char *text; } bad[] = {
    { EXPORT_FORMAT_NEOMUTT, "set real_name = \"a $HOME\"\n" },
    { EXPORT_FORMAT_NEOMUTT, "set imap_pass = \"`a 'b`c' d`\"\n" },
    { EXPORT_FORMAT_NEOMUTT, "set real_name = \"a\"; set x = \"y\"\n" },
    { EXPORT_FORMAT_MSMTP, "account \"a:b\"\n" },
    { EXPORT_FORMAT_MBSYNC, "User \"a\n" },
    { EXPORT_FORMAT_MBSYNC, "User a b\n" },
    { EXPORT_FORMAT_AERC, "[a]\nsource = `x\n" },
    { EXPORT_FORMAT_THUNDERBIRD, "user_pref(\"a\", \"\\303\");\n" },
  };
  static const char *kinds[] = { "neomutt", "msmtp", "mbsync", "aerc", "thunderbird" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) read = NULL;

      switch (bad[i].format)
        {
        case EXPORT_FORMAT_NEOMUTT: read = export_read_neomutt (bad[i].text, &error); break;
        case EXPORT_FORMAT_MSMTP: read = export_read_msmtp (bad[i].text, &error); break;
        case EXPORT_FORMAT_MBSYNC: read = export_read_isync (bad[i].text, &error); break;
        case EXPORT_FORMAT_AERC: read = export_read_go_ini (bad[i].text, &error); break;
        case EXPORT_FORMAT_THUNDERBIRD: read = export_read_mozilla_prefs (bad[i].text, &error); break;
        default: g_assert_not_reached ();
        }
      if (read != NULL)
        g_error ("the %s reader took %s", kinds[bad[i].format], bad[i].text);
      g_assert_nonnull (error);
    }

  /* go-ini comments out an unquoted value at "#": the reader sees it. */
  {
    g_autoptr(GPtrArray) read = export_read_go_ini ("[a]\nfrom = x # y\n", NULL);
    ExportDirective *d = g_ptr_array_index (read, 0);

    g_assert_cmpstr (d->value, ==, "x");
  }
}

/* Finding 1: neomutt ran the backtick in an address; msmtp, isync and
 * aerc took a newline as a new line. */
static void
test_findings (void)
{
  g_autoptr(MsServer) in = ms_server_new (MS_PROTOCOL_IMAP, "imap.example.com", 993, MS_SECURITY_TLS);
  g_autoptr(MsServer) out = ms_server_new (MS_PROTOCOL_SMTP, "smtp.example.com", 465, MS_SECURITY_TLS);
  g_autoptr(MsAccountSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *neomutt = NULL;
  g_autofree char *command = NULL;

  g_free (in->username);
  in->username = g_strdup ("o`touch canary`x@example.com");
  g_free (out->username);
  out->username = g_strdup ("o`touch canary`x@example.com");
  settings = ms_account_settings_new ("o`touch${IFS}canary`x@example.com", in, out);
  neomutt = ms_export_neomutt_render (settings, &error);
  g_assert_no_error (error);
  /* Inside the backticks: only the hex address-id, no quote, no backtick. */
  command = ms_keyring_lookup_command (settings->address, MS_PROTOCOL_IMAP);
  g_assert_true (strstr (command, "address-id ") != NULL);
  g_assert_true (strpbrk (command, "`'\"\\$;|&()<>{}") == NULL);
  g_assert_nonnull (strstr (neomutt, "set imap_pass = \"`secret-tool lookup xdg:schema "
                                     "io.github.mailsetup.MailSetup.Account address-id "));
  g_assert_nonnull (strstr (neomutt, "set from = \"o\\`touch\\${IFS}canary\\`x@example.com\"\n"));

  /* The Geary account of jpat@ is not pat@'s. */
  {
    g_autofree char *root = g_dir_make_tmp ("ms-geary-XXXXXX", NULL);
    g_autofree char *dir = g_build_filename (root, "account_01", NULL);
    g_autofree char *ini = g_build_filename (dir, "geary.ini", NULL);
    g_autofree char *found = NULL;
    int ordinal = 0;

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (ini, "[Account]\nordinal=7\nsender_mailboxes=\"J Pat\" <jpat@example.com>;\n",
                                        -1, NULL));
    found = ms_export_geary_find_account (root, "pat@example.com", &ordinal);
    g_assert_true (g_str_has_suffix (found, "account_02"));
    g_assert_cmpint (ordinal, ==, 2);
    g_clear_pointer (&found, g_free);
    found = ms_export_geary_find_account (root, "JPat@example.com", &ordinal);
    g_assert_cmpstr (found, ==, dir);
    g_assert_cmpint (ordinal, ==, 7);
    g_assert_cmpint (g_unlink (ini), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
    g_assert_cmpint (g_rmdir (root), ==, 0);
  }
}

/* The token command as the real shell reads it: a stand-in named like
 * the binary, first on PATH, prints each argument it gets on a line (no
 * address holds a line break: every format refuses one). */
static void
test_token_command_shell (void)
{
  static const char *addresses[] = {
    "pat@example.com", "O'Brien@example.com", "o`touch canary`x@example.com",
    "$(touch canary)@example.com", "a\\\"b\"@example.com", "a;b|c&d@example.com",
    "-x@example.com", "--help@example.com", "*?[a]~@example.com", "Zoë@bücher.example",
    "' '@example.com", "a%s%n!#{}@example.com",
  };
  g_autofree char *dir = g_dir_make_tmp ("ms-token-shell-XXXXXX", NULL);
  g_autofree char *stand_in = g_build_filename (dir, BIN_NAME, NULL);
  g_autofree char *canary = g_build_filename (dir, "canary", NULL);
  g_autofree char *path = g_strconcat (dir, ":", g_getenv ("PATH"), NULL);
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "PATH", path, TRUE);

  g_assert_true (g_file_set_contents (stand_in, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n", -1, NULL));
  g_assert_cmpint (g_chmod (stand_in, 0755), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *command = ms_export_token_command (addresses[i], "test", &error);
      g_auto(GStrv) expected = ms_export_token_argv (addresses[i]);
      g_autofree char *out = NULL;
      g_autoptr(GString) joined = g_string_new (NULL);
      const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
      int status = -1;

      g_assert_no_error (error);
      argv[2] = command;
      /* The shell runs the command from the stand-in's folder, so a
       * "touch canary" that got through would leave its file there. */
      g_assert_true (g_spawn_sync (dir, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      /* argv[0] is the binary itself; the stand-in prints the rest. */
      for (guint j = 1; expected[j] != NULL; j++)
        {
          g_string_append (joined, expected[j]);
          g_string_append_c (joined, '\n');
        }
      g_assert_cmpstr (expected[0], ==, BIN_NAME);
      g_assert_cmpstr (out, ==, joined->str);
      g_assert_cmpstr (expected[g_strv_length (expected) - 1], ==, addresses[i]);
      g_assert_false (g_file_test (canary, G_FILE_TEST_EXISTS));
    }

  /* An address starting with "-" comes after "--", never as an option. */
  {
    g_auto(GStrv) argv = ms_export_token_argv ("-x@example.com");

    g_assert_cmpstr (argv[1], ==, "token");
    g_assert_cmpstr (argv[2], ==, "--");
    g_assert_cmpstr (argv[3], ==, "-x@example.com");
  }

  g_assert_cmpint (g_unlink (stand_in), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Thunderbird: non-ASCII as \uXXXX (Mozilla's parser reads no octal). */
static void
test_thunderbird_unicode (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "Zoë", "\"Zo\\u00EB\"" },
    { "☃", "\"\\u2603\"" },
    { "𝄞", "\"\\uD834\\uDD1E\"" },
    { "a\"b\\c", "\"a\\\"b\\\\c\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = ms_export_syntax_js_string (cases[i].in, "x", "user.js", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (quoted, ==, cases[i].out);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (ExportFormat format = 0; format < EXPORT_N_FORMATS; format++)
    for (ExportField field = 0; field < EXPORT_N_FIELDS; field++)
      for (guint value = 0; value < G_N_ELEMENTS (hostile); value++)
        {
          Case *c = g_new (Case, 1);
          g_autofree char *path = NULL;
          g_autofree char *field_name = g_strdelimit (g_strdup (export_field_name (field)), " ", '-');

          c->format = format;
          c->field = field;
          c->value = value;
          c->auth = MS_AUTH_PASSWORD_CLEARTEXT;
          g_ptr_array_add (cases, c);
          path = g_strdup_printf ("/export-escaping/%s/%s/%s", export_format_name (format),
                                  field_name, hostile[value].name);
          g_test_add_data_func (path, c, test_case);
        }

  /* The terminal programs with OAuth servers: the token command. */
  for (ExportFormat format = EXPORT_FORMAT_NEOMUTT; format <= EXPORT_FORMAT_AERC; format++)
    for (ExportField field = 0; field < EXPORT_N_FIELDS; field++)
      for (guint value = 0; value < G_N_ELEMENTS (hostile); value++)
        {
          Case *c = g_new (Case, 1);
          g_autofree char *path = NULL;
          g_autofree char *field_name = g_strdelimit (g_strdup (export_field_name (field)), " ", '-');

          c->format = format;
          c->field = field;
          c->value = value;
          c->auth = MS_AUTH_OAUTH2;
          g_ptr_array_add (cases, c);
          path = g_strdup_printf ("/export-escaping/oauth/%s/%s/%s", export_format_name (format),
                                  field_name, hostile[value].name);
          g_test_add_data_func (path, c, test_case);
        }

  g_test_add_func ("/export-escaping/readers-reject", test_readers_reject);
  g_test_add_func ("/export-escaping/findings", test_findings);
  g_test_add_func ("/export-escaping/token-command-shell", test_token_command_shell);
  g_test_add_func ("/export-escaping/thunderbird-unicode", test_thunderbird_unicode);

  return g_test_run ();
}
