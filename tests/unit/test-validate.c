/* test-validate.c: the validation boundary and the untrusted-text sanitizer
 *
 * Hostile values first: every kind of validator is given what an attacker
 * would put into a provider file, an autoconfig answer or a DNS record.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-untrusted-text.h"
#include "ms-validate.h"

typedef struct
{
  const char     *value;
  MsValidateError code;       /* -1: valid */
} Case;

#define VALID ((MsValidateError) -1)

static const Case hostname_cases[] = {
  { "mobile.charter.net", VALID },
  { "IMAP.charter.net", VALID },
  { "127.0.0.1", VALID },
  { "mail_1.example.com", VALID },
  { "xn--bcher-kva.example", VALID },
  { "", MS_VALIDATE_ERROR_EMPTY },
  { "mail.example.com\nsource 'cmd|'", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "mail.example.com\r", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "mail.example.com:2525", MS_VALIDATE_ERROR_INVALID },
  { "user@mail.example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail.example.com.", MS_VALIDATE_ERROR_INVALID },
  { ".example.com", MS_VALIDATE_ERROR_INVALID },
  { "a..example.com", MS_VALIDATE_ERROR_INVALID },
  { "-a.example.com", MS_VALIDATE_ERROR_INVALID },
  { "a-.example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail\"example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail'example.com", MS_VALIDATE_ERROR_INVALID },
  { "<b>mail</b>.example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail`id`.example.com", MS_VALIDATE_ERROR_INVALID },
  { "$(id).example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail;id.example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail#.example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail%.example.com", MS_VALIDATE_ERROR_INVALID },
  { "mail|x.example.com", MS_VALIDATE_ERROR_INVALID },
  { "bücher.example", MS_VALIDATE_ERROR_INVALID },
  { "mail\342\200\250.example.com", MS_VALIDATE_ERROR_CONTROL_CHARACTER },  /* U+2028 */
  { "%EMAILDOMAIN%", MS_VALIDATE_ERROR_INVALID },   /* only in templates */
  { "\377.example.com", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
};

static void
test_hostname (void)
{
  g_autofree char *long_label = g_strnfill (64, 'a');
  g_autofree char *long_host = NULL;
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hostname_cases); i++)
    {
      const Case *c = &hostname_cases[i];
      g_autoptr(GError) case_error = NULL;
      gboolean ok = ms_validate_hostname (c->value, MS_VALIDATE_FLAGS_NONE, "test", &case_error);

      g_test_message ("hostname %u", i);
      if (c->code == VALID)
        {
          g_assert_no_error (case_error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (case_error, MS_VALIDATE_ERROR, (gint) c->code);
          g_assert_false (ok);
          /* The source is named; the value never reaches the message raw. */
          g_assert_true (g_str_has_prefix (case_error->message, "test: "));
          g_assert_null (strchr (case_error->message, '\n'));
          g_assert_null (strchr (case_error->message, '\r'));
        }
    }

  long_host = g_strconcat (long_label, ".example.com", NULL);
  g_assert_false (ms_validate_hostname (long_host, 0, "test", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
  g_clear_error (&error);

  while (many->len <= MS_VALIDATE_HOSTNAME_MAX_LENGTH)
    g_string_append (many, "abcdefghij.");
  g_string_append (many, "com");
  g_assert_false (ms_validate_hostname (many->str, 0, "test", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);

  g_assert_true (ms_validate_hostname ("imap.%EMAILDOMAIN%", MS_VALIDATE_FLAGS_TEMPLATE, "t", &error));
  g_assert_no_error (error);
  g_assert_false (ms_validate_hostname ("imap.%EMAILDOMAIN%:25", MS_VALIDATE_FLAGS_TEMPLATE, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ms_validate_hostname ("imap.%EMAILLOCALPART%", MS_VALIDATE_FLAGS_TEMPLATE, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
}

static const Case username_cases[] = {
  { "jsmith@charter.net", VALID },
  { "%EMAILADDRESS%", VALID },
  { "o'brien\"x\\y`z$(id);#%|", VALID },   /* legal: exporters escape them */
  { "josé", VALID },
  { "DOMAIN\\user name", VALID },
  { "", MS_VALIDATE_ERROR_EMPTY },
  { "jsmith\nsource 'cmd|'", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "jsmith\r\nRSET", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "jsmith\tx", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "jsmith\033]0;title\007", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "j\342\200\256htims", MS_VALIDATE_ERROR_CONTROL_CHARACTER },   /* U+202E */
  { "j\302\205x", MS_VALIDATE_ERROR_CONTROL_CHARACTER },           /* U+0085 */
  { "\377\376", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { " jsmith", MS_VALIDATE_ERROR_INVALID },
  { "jsmith ", MS_VALIDATE_ERROR_INVALID },
};

static void
test_username (void)
{
  g_autofree char *too_long = g_strnfill (MS_VALIDATE_USERNAME_MAX_LENGTH + 1, 'u');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (username_cases); i++)
    {
      const Case *c = &username_cases[i];
      g_autoptr(GError) case_error = NULL;
      gboolean ok = ms_validate_username (c->value, MS_VALIDATE_FLAGS_TEMPLATE, "autoconfig",
                                          &case_error);

      g_test_message ("username %u", i);
      if (c->code == VALID)
        {
          g_assert_no_error (case_error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (case_error, MS_VALIDATE_ERROR, (gint) c->code);
          g_assert_false (ok);
          g_assert_null (strchr (case_error->message, '\n'));
          g_assert_null (strchr (case_error->message, '\033'));
        }
    }

  g_assert_false (ms_validate_username (too_long, 0, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* Saved settings hold expanded usernames only. */
  g_assert_false (ms_validate_username ("%EMAILADDRESS%", 0, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
}

static void
test_address_name_port_path (void)
{
  g_autofree char *long_name = g_strnfill (MS_VALIDATE_DISPLAY_NAME_MAX_LENGTH + 1, 'n');
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_validate_address ("jsmith@charter.net", "t", &error));
  g_assert_true (ms_validate_address ("o'b`r$x|{y}#%@example.com", "t", &error));
  g_assert_no_error (error);
  g_assert_false (ms_validate_address ("a@b.com\nx", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_CONTROL_CHARACTER);
  g_clear_error (&error);
  g_assert_false (ms_validate_address ("no-at-sign", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (ms_validate_display_name ("José \"Pepe\" $(id) `x` O'Brien", "t", &error));
  g_assert_true (ms_validate_display_name ("", "t", &error));
  g_assert_true (ms_validate_display_name (NULL, "t", &error));
  g_assert_no_error (error);
  g_assert_false (ms_validate_display_name ("Name\nset x = y", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_CONTROL_CHARACTER);
  g_clear_error (&error);
  g_assert_false (ms_validate_display_name ("Bank\342\200\256", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_CONTROL_CHARACTER);
  g_clear_error (&error);
  g_assert_false (ms_validate_display_name (long_name, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);

  g_assert_true (ms_validate_port (1, "t", &error));
  g_assert_true (ms_validate_port (65535, "t", &error));
  g_assert_no_error (error);
  for (gint64 bad = -1; bad <= 0; bad++)
    {
      g_assert_false (ms_validate_port (bad, "t", &error));
      g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (ms_validate_port (65536, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (ms_validate_path ("/etc/ssl/my ca.pem", "t", &error));
  g_assert_no_error (error);
  g_assert_false (ms_validate_path ("ca.pem", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ms_validate_path ("/tmp/ca.pem\nsource-cred-cmd = id", "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_CONTROL_CHARACTER);
}

static void
test_server (void)
{
  g_autoptr(MsServer) server = ms_server_new (MS_PROTOCOL_IMAP, "imap.%EMAILDOMAIN%", 993,
                                              MS_SECURITY_TLS);
  g_autoptr(GError) error = NULL;

  ms_server_set_username (server, "%EMAILADDRESS%");
  g_assert_true (ms_validate_server (server, MS_VALIDATE_FLAGS_TEMPLATE, "t", &error));
  g_assert_no_error (error);
  g_assert_false (ms_validate_server (server, MS_VALIDATE_FLAGS_NONE, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_INVALID);
  g_clear_error (&error);

  ms_server_set_username (server, "x\ny");
  g_assert_false (ms_validate_server (server, MS_VALIDATE_FLAGS_TEMPLATE, "t", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_CONTROL_CHARACTER);
}

typedef struct
{
  const char *input;
  const char *output;   /* NULL: nothing visible left */
} SanitizeCase;

static const SanitizeCase sanitize_cases[] = {
  { "Charter Spectrum", "Charter Spectrum" },
  { "  two\n\nlines\r\n ", "two lines" },
  { "\033[2J\033[HResult: the account works", "[2J[HResult: the account works" },
  { "title\033]0;pwned\007", "title]0;pwned" },
  { "a\342\200\250Result: works", "a Result: works" },        /* U+2028 */
  { "a\342\200\251b", "a b" },                                /* U+2029 */
  { "evil\342\200\256txt.exe", "eviltxt.exe" },               /* U+202E */
  { "x\342\201\246y\342\201\251", "xy" },                     /* isolates */
  { "z\342\200\213w", "zw" },                                 /* zero width space */
  { "\302\233c1", "c1" },                                     /* C1 CSI */
  { "bad\377byte", "bad\357\277\275byte" },                   /* U+FFFD */
  { "José", "José" },
  { "\n\t ", NULL },
  { "\342\200\256", NULL },
};

static void
test_sanitize (void)
{
  g_autofree char *huge = g_strnfill (100000, 'x');
  g_autofree char *cut = NULL;
  g_autofree char *accents = NULL;
  g_autoptr(GString) many = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sanitize_cases); i++)
    {
      g_autofree char *out = ms_untrusted_text_sanitize (sanitize_cases[i].input, 512);

      g_test_message ("sanitize %u", i);
      g_assert_cmpstr (out, ==, sanitize_cases[i].output);
    }

  g_assert_null (ms_untrusted_text_sanitize (NULL, 512));

  cut = ms_untrusted_text_sanitize (huge, 64);
  g_assert_cmpuint (strlen (cut), <=, 64);
  g_assert_true (g_str_has_suffix (cut, "…"));

  /* Cut at a character, never inside one. */
  for (guint i = 0; i < 100; i++)
    g_string_append (many, "é");
  accents = ms_untrusted_text_sanitize (many->str, 33);
  g_assert_true (g_utf8_validate (accents, -1, NULL));
  g_assert_cmpuint (strlen (accents), <=, 33);

  /* A NUL in a counted buffer shows as U+FFFD instead of hiding what follows. */
  {
    g_autofree char *counted = ms_untrusted_text_sanitize_len ("ab\0\033cd", 6, 64);

    g_assert_cmpstr (counted, ==, "ab\357\277\275cd");
  }
}

static const Case id_cases[] = {
  { "mobile", VALID },
  { "charter.net", VALID },
  { "a-b_c.1", VALID },
  { "", MS_VALIDATE_ERROR_EMPTY },
  { "a b", MS_VALIDATE_ERROR_INVALID },
  { "a;id", MS_VALIDATE_ERROR_INVALID },
  { "a/b", MS_VALIDATE_ERROR_INVALID },
  { "a\"b", MS_VALIDATE_ERROR_INVALID },
  { "a`id`", MS_VALIDATE_ERROR_INVALID },
  { "móvil", MS_VALIDATE_ERROR_INVALID },
  { "a\nb", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "a\342\200\256b", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", MS_VALIDATE_ERROR_TOO_LONG },
};

static const Case url_cases[] = {
  { "https://example.com/help", VALID },
  { "http://example.com/a?b=1&c=2#x", VALID },
  { "HTTPS://example.com", VALID },
  { "", MS_VALIDATE_ERROR_EMPTY },
  { "javascript:alert(1)", MS_VALIDATE_ERROR_INVALID },
  { "file:///etc/passwd", MS_VALIDATE_ERROR_INVALID },
  { "ftp://example.com/", MS_VALIDATE_ERROR_INVALID },
  { "example.com/help", MS_VALIDATE_ERROR_INVALID },
  { "https:///nohost", MS_VALIDATE_ERROR_INVALID },
  { "https://example.com/a b", MS_VALIDATE_ERROR_INVALID },
  { "https://example.com/\"><b>x</b>", MS_VALIDATE_ERROR_INVALID },
  { "https://example.com/`id`", MS_VALIDATE_ERROR_INVALID },
  { "https://example.com/\nx", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "https://example.com/\033[2J", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
  { "https://example.com/\342\200\250", MS_VALIDATE_ERROR_CONTROL_CHARACTER },
};

static void
check_cases (const Case *cases,
             guint       n_cases,
             gboolean  (*validate) (const char *, const char *, GError **))
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = validate (cases[i].value, "test", &error);

      g_test_message ("case %u", i);
      if (cases[i].code == VALID)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (error, MS_VALIDATE_ERROR, (gint) cases[i].code);
          g_assert_false (ok);
          g_assert_true (g_str_has_prefix (error->message, "test: "));
          for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
            g_assert_false (ms_untrusted_text_is_hidden_character (g_utf8_get_char (p)));
        }
    }
}

static void
test_id_url (void)
{
  g_autofree char *path = g_strnfill (MS_VALIDATE_URL_MAX_LENGTH, 'a');
  g_autofree char *long_url = g_strconcat ("https://example.com/", path, NULL);
  g_autoptr(GError) error = NULL;

  check_cases (id_cases, G_N_ELEMENTS (id_cases), ms_validate_id);
  check_cases (url_cases, G_N_ELEMENTS (url_cases), ms_validate_url);

  g_assert_false (ms_validate_url (long_url, "test", &error));
  g_assert_error (error, MS_VALIDATE_ERROR, MS_VALIDATE_ERROR_TOO_LONG);
}

/* Several untrusted strings in one printf: clean copies owned by the pool. */
static void
test_pool (void)
{
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;

  line = g_strdup_printf ("%s (%s) %s", ms_untrusted_text_pool_sanitize (pool, "A\033[2J\nB", 64),
                          ms_untrusted_text_pool_sanitize (pool, "\342\200\256", 64),
                          ms_untrusted_text_pool_sanitize (pool, "c\342\200\250d", 64));
  g_assert_cmpstr (line, ==, "A[2J B () c d");
  g_assert_null (ms_untrusted_text_pool_sanitize (pool, NULL, 64));
  g_assert_cmpuint (pool->len, ==, 3);
}

static void
collect_text (GMarkupParseContext  *context,
              const char           *text,
              gsize                 length,
              gpointer              user_data,
              GError              **error)
{
  g_string_append_len (user_data, text, length);
}

/* For widgets that only take Pango markup: cleaned, then escaped, so the
 * markup shows exactly the cleaned text. */
static void
test_markup (void)
{
  g_autofree char *markup = ms_untrusted_text_to_markup ("<b>Big</b> & \"Co\"\033[2J\342\200\250x", 64);
  g_autofree char *empty = ms_untrusted_text_to_markup ("\342\200\256", 64);
  g_autofree char *none = ms_untrusted_text_to_markup (NULL, 64);
  g_autofree char *document = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  GMarkupParser parser = { NULL, NULL, collect_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, shown, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (markup, ==, "&lt;b&gt;Big&lt;/b&gt; &amp; &quot;Co&quot;[2J x");
  document = g_strconcat ("<markup>", markup, "</markup>", NULL);
  g_assert_true (g_markup_parse_context_parse (context, document, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (shown->str, ==, "<b>Big</b> & \"Co\"[2J x");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (none, ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/hostname", test_hostname);
  g_test_add_func ("/validate/username", test_username);
  g_test_add_func ("/validate/address-name-port-path", test_address_name_port_path);
  g_test_add_func ("/validate/server", test_server);
  g_test_add_func ("/validate/id-url", test_id_url);
  g_test_add_func ("/untrusted-text/sanitize", test_sanitize);
  g_test_add_func ("/untrusted-text/pool", test_pool);
  g_test_add_func ("/untrusted-text/markup", test_markup);

  return g_test_run ();
}
