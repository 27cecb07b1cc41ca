/* ms-provider-parser.c: reads a provider file (autoconfig clientConfig v1.1)
 *
 * The format is Thunderbird's ISPDB format, so any ISPDB file must load
 * unchanged: everything this reader does not use (webMail,
 * instructions, address books, unknown server types …) is skipped, not
 * refused. Mail Setup's own additions (profiles, notices, support,
 * alternates) live in their own XML namespace, which Thunderbird ignores;
 * data/providers/README.md documents them.
 *
 * Files can come from a user's or an administrator's directory, so the
 * reader assumes they may be broken or hostile: sizes, depth and counts
 * are limited, and every error names the file and the line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-provider-parser.h"
#include "ms-safe-file.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

#define MAX_DEPTH     32
#define MAX_ELEMENTS  65536
#define MAX_DOMAINS   4096
#define MAX_SERVERS   64
#define MAX_PROFILES  16
#define MAX_NOTICES   16
#define MAX_TEXT      (64 * 1024)
/* A message shows this much of a file's path and of the values in it. */
#define MAX_MESSAGE   1024

G_DEFINE_QUARK (ms-provider-parser-error-quark, ms_provider_parser_error)

typedef enum
{
  ELEMENT_IGNORED,
  ELEMENT_CLIENT_CONFIG,
  ELEMENT_EMAIL_PROVIDER,
  ELEMENT_DOMAIN,
  ELEMENT_DISPLAY_NAME,
  ELEMENT_DISPLAY_SHORT_NAME,
  ELEMENT_DOCUMENTATION,
  ELEMENT_SERVER,
  ELEMENT_HOSTNAME,
  ELEMENT_PORT,
  ELEMENT_SOCKET_TYPE,
  ELEMENT_USERNAME,
  ELEMENT_AUTHENTICATION,
  ELEMENT_MAX_TLS,
  ELEMENT_PROFILE,
  ELEMENT_PROFILE_NAME,
  ELEMENT_PROFILE_DESCRIPTION,
  ELEMENT_PROFILE_RESTRICTION,
  ELEMENT_ALTERNATES,
  ELEMENT_NOTICE,
  ELEMENT_SUPPORT,
  ELEMENT_USERNAME_IS_ADDRESS,
  ELEMENT_RETIRED,
  ELEMENT_OAUTH,
  ELEMENT_OAUTH_ISSUER,
  ELEMENT_OAUTH_SCOPE,
  ELEMENT_OAUTH_AUTH_URL,
  ELEMENT_OAUTH_TOKEN_URL,
  ELEMENT_APP_PASSWORD,
  ELEMENT_LOGIN_HINT,
  ELEMENT_STATUS,
} ElementKind;

typedef struct
{
  ElementKind  kind;
  int          line;
  GString     *text;   /* only for elements whose text is used */
  char        *lang;
  char        *xmlns;  /* a prefix this element binds to our namespace */
  GSList      *other_prefixes;  /* prefixes it binds to other namespaces */
} Frame;

typedef enum
{
  TARGET_DEFAULT,
  TARGET_PROFILE,
  TARGET_ALTERNATE,
  TARGET_RETIRED,
} ServerTarget;

typedef struct
{
  ServerTarget target;
  MsProtocol   protocol;
  int          line;
  char        *hostname;
  int          port;           /* -1: not given */
  gboolean     has_security;
  MsSecurity   security;
  gboolean     has_username;
  char        *username;
  gboolean     has_auth;
  MsAuthMethod auth;
  gboolean     has_max_tls;
  gboolean     max_tls12;
  gboolean     takes_oauth2;
} ServerBuilder;

/* The <oAuth2> block's children, by ElementKind - ELEMENT_OAUTH_ISSUER. */
#define N_OAUTH_FIELDS 4

typedef struct
{
  gboolean seen;
  char    *fields[N_OAUTH_FIELDS];
} OAuthBuilder;

typedef struct
{
  const char          *source;
  GMarkupParseContext *context;
  GPtrArray           *stack;        /* of Frame */
  MsProvider          *provider;
  MsProfile           *default_profile;
  MsProfile           *profile;      /* the ms:profile being read */
  GHashTable          *profile_ids;
  MsNotice            *notice;       /* the ms:notice being read */
  ServerBuilder        server;
  OAuthBuilder         oauth;
  gboolean             seen_provider;
  gboolean             seen_extension_profile;
  guint                n_elements;
  guint                n_domains;
  guint                n_servers;
  guint                n_server_elements;
  guint                n_profiles;
} ParserState;

static void
frame_free (gpointer data)
{
  Frame *frame = data;

  if (frame->text != NULL)
    g_string_free (frame->text, TRUE);
  g_free (frame->lang);
  g_free (frame->xmlns);
  g_slist_free_full (frame->other_prefixes, g_free);
  g_free (frame);
}

static void
server_builder_clear (ServerBuilder *server)
{
  g_clear_pointer (&server->hostname, g_free);
  g_clear_pointer (&server->username, g_free);
  memset (server, 0, sizeof *server);
  server->port = -1;
}

static int
current_line (ParserState *state)
{
  int line = 0;
  int column = 0;

  /* GMarkup calls back after stepping past the closing ">", and counts
   * a line as soon as it steps onto the newline: the tag was on the line
   * before. */
  g_markup_parse_context_get_position (state->context, &line, &column);
  if (column == 1 && line > 1)
    line--;

  return line;
}

static void
set_error (ParserState  *state,
           GError      **error,
           int           line,
           int           code,
           const char   *format,
           ...) G_GNUC_PRINTF (5, 6);

static void
set_error (ParserState  *state,
           GError      **error,
           int           line,
           int           code,
           const char   *format,
           ...)
{
  g_autofree char *message = NULL;
  g_autofree char *full = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line <= 0)
    line = current_line (state);

  /* The message quotes the file's own values and its path, both hostile
   * until shown otherwise: whoever prints it gets one clean line. */
  full = g_strdup_printf ("%s:%d: %s", state->source, line, message);
  shown = ms_untrusted_text_sanitize (full, MAX_MESSAGE);
  g_set_error_literal (error, MS_PROVIDER_PARSER_ERROR, code, shown);
}

/* A value refused by the shared validator (ms-validate.h): the file and
 * line in front, the element in the validator's own "source" place. */
static gboolean
refuse_value (ParserState  *state,
              GError      **error,
              int           line,
              GError       *validate_error)
{
  set_error (state, error, line, MS_PROVIDER_PARSER_ERROR_BAD_VALUE, "%s", validate_error->message);
  g_error_free (validate_error);

  return FALSE;
}

static Frame *
top_frame (ParserState *state)
{
  if (state->stack->len == 0)
    return NULL;

  return g_ptr_array_index (state->stack, state->stack->len - 1);
}

/* Is @prefix bound to our namespace? Sets *declared when bound at all. */
static gboolean
prefix_is_ours (ParserState *state,
                const char  *prefix,
                gboolean    *declared)
{
  for (guint i = state->stack->len; i > 0; i--)
    {
      Frame *frame = g_ptr_array_index (state->stack, i - 1);

      if (frame->xmlns != NULL && g_str_equal (frame->xmlns, prefix))
        {
          *declared = TRUE;
          return TRUE;
        }
      if (g_slist_find_custom (frame->other_prefixes, prefix, (GCompareFunc) g_strcmp0) != NULL)
        {
          *declared = TRUE;
          return FALSE;
        }
    }

  *declared = FALSE;
  return FALSE;
}

static const char *
find_attribute (const char **names,
                const char **values,
                const char  *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], wanted))
        return values[i];
    }

  return NULL;
}

static gboolean
parse_boolean (const char *text,
               gboolean   *value)
{
  if (g_str_equal (text, "true") || g_str_equal (text, "1") || g_str_equal (text, "yes"))
    *value = TRUE;
  else if (g_str_equal (text, "false") || g_str_equal (text, "0") || g_str_equal (text, "no"))
    *value = FALSE;
  else
    return FALSE;

  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }

  return TRUE;
}

/* XML text spread over lines reads as one paragraph. */
static char *
collapse_whitespace (const char *text)
{
  GString *result = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = TRUE;
          continue;
        }
      if (space && result->len > 0)
        g_string_append_c (result, ' ');
      space = FALSE;
      g_string_append_c (result, *p);
    }

  return g_string_free (result, FALSE);
}

/* Free text shown to people (notices, profile names and descriptions): a
 * line break or a bidi mark in a long paragraph is kept out rather than
 * refusing the file, because such text is only ever shown, never written
 * into another program's configuration, and every surface sanitizes it
 * again (ms-untrusted-text.h). */
static char *
clean_paragraph (const char *text)
{
  return ms_untrusted_text_sanitize (text, MAX_TEXT);
}

static gboolean
auth_from_string (const char   *text,
                  MsAuthMethod *auth)
{
  if (ms_auth_method_from_string (text, auth))
    return TRUE;

  /* Spellings of config-v1.0 files, still in the ISPDB. */
  if (g_str_equal (text, "plain"))
    *auth = MS_AUTH_PASSWORD_CLEARTEXT;
  else if (g_str_equal (text, "secure"))
    *auth = MS_AUTH_PASSWORD_ENCRYPTED;
  else
    return FALSE;

  return TRUE;
}

static gboolean
auth_is_usable (MsAuthMethod auth)
{
  return auth != MS_AUTH_OAUTH2 && auth != MS_AUTH_GSSAPI && auth != MS_AUTH_NTLM;
}

static gboolean
auth_needs_login (MsAuthMethod auth)
{
  return auth != MS_AUTH_NONE && auth != MS_AUTH_CLIENT_IP_ADDRESS;
}

static gboolean
start_server (ParserState  *state,
              const char   *element_name,
              const char  **names,
              const char  **values,
              ServerTarget  target,
              Frame        *frame,
              GError      **error)
{
  gboolean outgoing = g_str_equal (element_name, "outgoingServer");
  const char *type = find_attribute (names, values, "type");
  MsProtocol protocol;

  state->n_server_elements++;

  if (type == NULL)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<%s> has no “type” attribute"), element_name);
      return FALSE;
    }

  /* Server types this product does not speak (exchange, ews, jmap …) are
   * valid in the ISPDB; skip them. */
  if (!ms_protocol_from_string (type, &protocol) ||
      ms_protocol_is_incoming (protocol) == outgoing)
    {
      frame->kind = ELEMENT_IGNORED;
      return TRUE;
    }

  if (++state->n_servers > MAX_SERVERS)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_LIMIT,
                 _("more than %d servers"), MAX_SERVERS);
      return FALSE;
    }

  server_builder_clear (&state->server);
  state->server.target = target;
  state->server.protocol = protocol;
  state->server.line = frame->line;
  frame->kind = ELEMENT_SERVER;

  return TRUE;
}

static gboolean
start_profile (ParserState  *state,
               const char  **names,
               const char  **values,
               Frame        *frame,
               GError      **error)
{
  const char *id = find_attribute (names, values, "id");
  const char *recommended = find_attribute (names, values, "recommended");
  gboolean is_recommended = FALSE;
  GError *validate_error = NULL;

  if (id == NULL || *id == '\0')
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("a profile has no “id” attribute"));
      return FALSE;
    }

  /* Ids are typed after --profile and saved with the account. */
  if (!ms_validate_id (id, "<ms:profile id>", &validate_error))
    return refuse_value (state, error, 0, validate_error);

  if (g_str_equal (id, MS_PROFILE_DEFAULT_ID) || g_hash_table_contains (state->profile_ids, id))
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_INVALID,
                 _("profile id “%s” is used twice or reserved"), id);
      return FALSE;
    }

  if (recommended != NULL && !parse_boolean (recommended, &is_recommended))
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                 _("“%s” is not true or false"), recommended);
      return FALSE;
    }

  if (++state->n_profiles > MAX_PROFILES)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_LIMIT,
                 _("more than %d profiles"), MAX_PROFILES);
      return FALSE;
    }

  g_hash_table_add (state->profile_ids, g_strdup (id));
  state->profile = ms_profile_new (id);
  ms_profile_set_recommended (state->profile, is_recommended);
  state->seen_extension_profile = TRUE;
  frame->kind = ELEMENT_PROFILE;

  return TRUE;
}

static gboolean
start_notice (ParserState  *state,
              const char  **names,
              const char  **values,
              Frame        *frame,
              GError      **error)
{
  const char *kind_name = find_attribute (names, values, "kind");
  GPtrArray *notices = ms_provider_get_notices (state->provider);
  MsNoticeKind kind;

  if (kind_name == NULL)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("a notice has no “kind” attribute"));
      return FALSE;
    }

  /* A kind from a newer version of the format is still worth showing. */
  if (!ms_notice_kind_from_string (kind_name, &kind))
    kind = MS_NOTICE_INFO;

  /* One notice per kind; repeating the element adds a language. */
  state->notice = ms_provider_get_notice (state->provider, kind);
  if (state->notice == NULL)
    {
      g_autoptr(MsNotice) notice = NULL;

      if (notices->len >= MAX_NOTICES)
        {
          set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_LIMIT,
                     _("more than %d notices"), MAX_NOTICES);
          return FALSE;
        }

      notice = ms_notice_new (kind);
      ms_provider_add_notice (state->provider, notice);
      state->notice = notice;
    }

  frame->kind = ELEMENT_NOTICE;

  return TRUE;
}

static gboolean
start_support (ParserState  *state,
               const char  **names,
               const char  **values,
               Frame        *frame,
               GError      **error)
{
  const char *phone = find_attribute (names, values, "phone");
  const char *url = find_attribute (names, values, "url");
  GError *validate_error = NULL;

  /* The phone number is saved with the account and printed on the setup
   * sheet: a name's rules (no line breaks, no hidden characters). */
  if (phone != NULL && !ms_validate_display_name (phone, "<ms:support phone>", &validate_error))
    return refuse_value (state, error, 0, validate_error);
  if (url != NULL && !ms_validate_url (url, "<ms:support url>", &validate_error))
    return refuse_value (state, error, 0, validate_error);

  ms_provider_set_support (state->provider, phone, url);
  frame->kind = ELEMENT_SUPPORT;

  return TRUE;
}

static gboolean
start_provider (ParserState  *state,
                const char  **names,
                const char  **values,
                Frame        *frame,
                GError      **error)
{
  const char *id = find_attribute (names, values, "id");
  GError *validate_error = NULL;

  if (state->seen_provider)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_INVALID,
                 _("more than one <emailProvider>"));
      return FALSE;
    }
  if (id == NULL || is_blank (id))
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<emailProvider> has no “id” attribute"));
      return FALSE;
    }
  /* Ids name providers in saved settings and exported accounts. */
  if (!ms_validate_id (id, "<emailProvider id>", &validate_error))
    return refuse_value (state, error, 0, validate_error);
  state->seen_provider = TRUE;
  state->provider = ms_provider_new (id);
  ms_provider_set_source (state->provider, state->source);
  state->default_profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  frame->kind = ELEMENT_EMAIL_PROVIDER;

  return TRUE;
}

static gboolean
start_documentation (ParserState  *state,
                     const char  **names,
                     const char  **values,
                     Frame        *frame,
                     GError      **error)
{
  const char *url = find_attribute (names, values, "url");
  GError *validate_error = NULL;

  if (url != NULL && !ms_validate_url (url, "<documentation url>", &validate_error))
    return refuse_value (state, error, 0, validate_error);
  if (url != NULL && ms_provider_get_documentation_url (state->provider) == NULL)
    ms_provider_set_documentation_url (state->provider, url);
  frame->kind = ELEMENT_DOCUMENTATION;

  return TRUE;
}

/* <ms:appPassword url="…"/>: the provider's page for app passwords. */
static gboolean
start_app_password (ParserState  *state,
                    const char  **names,
                    const char  **values,
                    Frame        *frame,
                    GError      **error)
{
  const char *url = find_attribute (names, values, "url");
  GError *validate_error = NULL;

  if (url == NULL)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<ms:appPassword> has no “url” attribute"));
      return FALSE;
    }
  if (!ms_validate_url (url, "<ms:appPassword url>", &validate_error))
    return refuse_value (state, error, 0, validate_error);
  ms_provider_set_app_password_url (state->provider, url);
  frame->kind = ELEMENT_APP_PASSWORD;

  return TRUE;
}

/* An ISO 8601 calendar date, YYYY-MM-DD, that exists. */
static gboolean
is_iso_date (const char *text)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);

  return year >= 1 && g_date_valid_dmy (day, month, year);
}

/* <ms:status checked="YYYY-MM-DD">working</ms:status>: the text is
 * read at the end; the date is checked here. */
static gboolean
start_status (ParserState  *state,
              const char  **names,
              const char  **values,
              Frame        *frame,
              GError      **error)
{
  const char *checked = find_attribute (names, values, "checked");

  if (checked != NULL && !is_iso_date (checked))
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (checked, 64);

      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                 _("<ms:status checked>: “%s” is not a date (YYYY-MM-DD)"), shown);
      return FALSE;
    }
  ms_provider_set_status (state->provider, ms_provider_get_status (state->provider), checked);
  frame->kind = ELEMENT_STATUS;

  return TRUE;
}

static gboolean
end_status (ParserState  *state,
            Frame        *frame,
            const char   *value,
            GError      **error)
{
  MsProviderStatus status;

  if (!ms_provider_status_from_string (value, &status) || status == MS_PROVIDER_STATUS_UNKNOWN)
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (value, 64);

      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                 _("<ms:status>: “%s” is not working, broken or needs-preparation"), shown);
      return FALSE;
    }
  ms_provider_set_status (state->provider, status, ms_provider_get_last_checked (state->provider));

  return TRUE;
}

static void
end_login_hint (ParserState *state,
                Frame       *frame,
                const char  *value)
{
  g_autofree char *hint = clean_paragraph (value);

  if (hint != NULL && *hint != '\0')
    ms_provider_add_login_hint (state->provider, frame->lang, hint);
}

/* <oAuth2>: Thunderbird's ISPDB puts it directly inside <clientConfig>,
 * beside <emailProvider> (before or after it), with four text children;
 * data/providers/README.md documents it. */
static const char * const oauth_field_names[N_OAUTH_FIELDS] = {
  "issuer", "scope", "authURL", "tokenURL",
};

static gboolean
start_oauth (ParserState  *state,
             Frame        *frame,
             GError      **error)
{
  /* Two blocks would leave it to chance which server gets the tokens. */
  if (state->oauth.seen)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_INVALID, _("more than one <oAuth2>"));
      return FALSE;
    }
  state->oauth.seen = TRUE;
  frame->kind = ELEMENT_OAUTH;

  return TRUE;
}

static void
classify_in_oauth (const char *local,
                   gboolean    extension,
                   Frame      *frame)
{
  if (extension)
    return;

  for (guint i = 0; i < N_OAUTH_FIELDS; i++)
    {
      if (g_str_equal (local, oauth_field_names[i]))
        frame->kind = ELEMENT_OAUTH_ISSUER + i;
    }
}

static gboolean
end_oauth_field (ParserState  *state,
                 Frame        *frame,
                 const char   *value,
                 GError      **error)
{
  guint index = frame->kind - ELEMENT_OAUTH_ISSUER;
  g_autofree char *source = g_strdup_printf ("<%s>", oauth_field_names[index]);
  /* A long scope list may be wrapped over lines in the file. */
  g_autofree char *collapsed = collapse_whitespace (value);
  GError *validate_error = NULL;
  gboolean valid;

  g_assert (index < N_OAUTH_FIELDS);

  if (state->oauth.fields[index] != NULL)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_INVALID,
                 _("more than one <%s> in <oAuth2>"), oauth_field_names[index]);
      return FALSE;
    }

  if (frame->kind == ELEMENT_OAUTH_ISSUER)
    valid = ms_validate_oauth_issuer (collapsed, source, &validate_error);
  else if (frame->kind == ELEMENT_OAUTH_SCOPE)
    valid = ms_validate_oauth_scope (collapsed, source, &validate_error);
  else
    valid = ms_validate_oauth_endpoint (collapsed, source, &validate_error);
  if (!valid)
    return refuse_value (state, error, frame->line, validate_error);

  state->oauth.fields[index] = g_steal_pointer (&collapsed);

  return TRUE;
}

static gboolean
end_oauth (ParserState  *state,
           Frame        *frame,
           GError      **error)
{
  char **fields = state->oauth.fields;

  /* Half a block cannot sign anyone in: refused like a server without a
   * host name, rather than offering a sign-in that is bound to fail. */
  for (guint i = 0; i < N_OAUTH_FIELDS; i++)
    {
      if (fields[i] == NULL)
        {
          set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                     _("<oAuth2> has no <%s>"), oauth_field_names[i]);
          return FALSE;
        }
    }

  return TRUE;
}

/* Called once the whole file is read: the block may come before the
 * <emailProvider> it belongs to. */
static void
attach_oauth (ParserState *state)
{
  char **fields = state->oauth.fields;
  g_autoptr(MsOAuthConfig) oauth = NULL;

  if (!state->oauth.seen || state->provider == NULL)
    return;

  oauth = ms_oauth_config_new (fields[0], fields[2], fields[3], fields[1]);
  ms_provider_set_oauth (state->provider, oauth);
}

static void
oauth_builder_clear (OAuthBuilder *oauth)
{
  for (guint i = 0; i < N_OAUTH_FIELDS; i++)
    g_clear_pointer (&oauth->fields[i], g_free);
  oauth->seen = FALSE;
}

static gboolean
is_server_element (const char *local)
{
  return g_str_equal (local, "incomingServer") || g_str_equal (local, "outgoingServer");
}

/* A child of <emailProvider>: ISPDB elements, or ours when @extension. */
static gboolean
classify_in_provider (ParserState  *state,
                      const char   *local,
                      gboolean      extension,
                      const char  **names,
                      const char  **values,
                      Frame        *frame,
                      GError      **error)
{
  if (!extension)
    {
      if (g_str_equal (local, "domain"))
        frame->kind = ELEMENT_DOMAIN;
      else if (g_str_equal (local, "displayName"))
        frame->kind = ELEMENT_DISPLAY_NAME;
      else if (g_str_equal (local, "displayShortName"))
        frame->kind = ELEMENT_DISPLAY_SHORT_NAME;
      else if (g_str_equal (local, "documentation"))
        return start_documentation (state, names, values, frame, error);
      else if (is_server_element (local))
        return start_server (state, local, names, values, TARGET_DEFAULT, frame, error);
    }
  else
    {
      if (g_str_equal (local, "profile"))
        return start_profile (state, names, values, frame, error);
      else if (g_str_equal (local, "notice"))
        return start_notice (state, names, values, frame, error);
      else if (g_str_equal (local, "usernameIsAddress"))
        frame->kind = ELEMENT_USERNAME_IS_ADDRESS;
      else if (g_str_equal (local, "retired"))
        frame->kind = ELEMENT_RETIRED;
      else if (g_str_equal (local, "support"))
        return start_support (state, names, values, frame, error);
      else if (g_str_equal (local, "appPassword"))
        return start_app_password (state, names, values, frame, error);
      else if (g_str_equal (local, "loginHint"))
        frame->kind = ELEMENT_LOGIN_HINT;
      else if (g_str_equal (local, "status"))
        return start_status (state, names, values, frame, error);
    }

  return TRUE;
}

static void
classify_in_server (const char *local,
                    gboolean    extension,
                    Frame      *frame)
{
  if (extension)
    {
      if (g_str_equal (local, "maxTLS"))
        frame->kind = ELEMENT_MAX_TLS;
      return;
    }

  if (g_str_equal (local, "hostname"))
    frame->kind = ELEMENT_HOSTNAME;
  else if (g_str_equal (local, "port"))
    frame->kind = ELEMENT_PORT;
  else if (g_str_equal (local, "socketType"))
    frame->kind = ELEMENT_SOCKET_TYPE;
  else if (g_str_equal (local, "username"))
    frame->kind = ELEMENT_USERNAME;
  else if (g_str_equal (local, "authentication"))
    frame->kind = ELEMENT_AUTHENTICATION;
}

static gboolean
classify_in_profile (ParserState  *state,
                     const char   *local,
                     gboolean      extension,
                     const char  **names,
                     const char  **values,
                     Frame        *frame,
                     GError      **error)
{
  if (!extension)
    {
      if (is_server_element (local))
        return start_server (state, local, names, values, TARGET_PROFILE, frame, error);
    }
  else if (g_str_equal (local, "name"))
    frame->kind = ELEMENT_PROFILE_NAME;
  else if (g_str_equal (local, "description"))
    frame->kind = ELEMENT_PROFILE_DESCRIPTION;
  else if (g_str_equal (local, "restriction"))
    frame->kind = ELEMENT_PROFILE_RESTRICTION;
  else if (g_str_equal (local, "alternates"))
    frame->kind = ELEMENT_ALTERNATES;

  return TRUE;
}

/* Decides what a child of @parent_kind is from its local name. */
static gboolean
classify_child (ParserState  *state,
                ElementKind   parent_kind,
                const char   *local,
                gboolean      extension,
                const char  **names,
                const char  **values,
                Frame        *frame,
                GError      **error)
{
  switch (parent_kind)
    {
    case ELEMENT_CLIENT_CONFIG:
      if (!extension && g_str_equal (local, "emailProvider"))
        return start_provider (state, names, values, frame, error);
      if (!extension && g_str_equal (local, "oAuth2"))
        return start_oauth (state, frame, error);
      return TRUE;

    case ELEMENT_OAUTH:
      classify_in_oauth (local, extension, frame);
      return TRUE;

    case ELEMENT_EMAIL_PROVIDER:
      return classify_in_provider (state, local, extension, names, values, frame, error);

    case ELEMENT_SERVER:
      classify_in_server (local, extension, frame);
      return TRUE;

    case ELEMENT_PROFILE:
      return classify_in_profile (state, local, extension, names, values, frame, error);

    case ELEMENT_ALTERNATES:
      if (!extension && is_server_element (local))
        return start_server (state, local, names, values, TARGET_ALTERNATE, frame, error);
      return TRUE;

    case ELEMENT_RETIRED:
      if (!extension && is_server_element (local))
        return start_server (state, local, names, values, TARGET_RETIRED, frame, error);
      return TRUE;

    case ELEMENT_IGNORED:
    case ELEMENT_DOMAIN:
    case ELEMENT_DISPLAY_NAME:
    case ELEMENT_DISPLAY_SHORT_NAME:
    case ELEMENT_DOCUMENTATION:
    case ELEMENT_HOSTNAME:
    case ELEMENT_PORT:
    case ELEMENT_SOCKET_TYPE:
    case ELEMENT_USERNAME:
    case ELEMENT_AUTHENTICATION:
    case ELEMENT_MAX_TLS:
    case ELEMENT_PROFILE_NAME:
    case ELEMENT_PROFILE_DESCRIPTION:
    case ELEMENT_PROFILE_RESTRICTION:
    case ELEMENT_NOTICE:
    case ELEMENT_SUPPORT:
    case ELEMENT_USERNAME_IS_ADDRESS:
    default:
      return TRUE;
    }
}

/* Decides what an element is from its name and its parent. */
static gboolean
classify (ParserState  *state,
          Frame        *parent,
          const char   *element_name,
          const char  **names,
          const char  **values,
          Frame        *frame,
          GError      **error)
{
  const char *colon = strchr (element_name, ':');
  const char *local = element_name;
  gboolean extension = FALSE;

  frame->kind = ELEMENT_IGNORED;

  if (parent == NULL)
    {
      if (!g_str_equal (element_name, "clientConfig"))
        {
          set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_INVALID,
                     _("this is not a provider file: it starts with <%s>, not <clientConfig>"),
                     element_name);
          return FALSE;
        }
      frame->kind = ELEMENT_CLIENT_CONFIG;
      return TRUE;
    }

  /* Nothing inside a skipped element is looked at. */
  if (parent->kind == ELEMENT_IGNORED)
    return TRUE;

  if (colon != NULL)
    {
      g_autofree char *prefix = g_strndup (element_name, colon - element_name);
      gboolean declared;

      extension = prefix_is_ours (state, prefix, &declared);
      if (!declared)
        {
          set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_INVALID,
                     _("the prefix of <%s> is not declared (xmlns:%s=\"%s\")"),
                     element_name, prefix, MS_PROVIDER_NAMESPACE);
          return FALSE;
        }
      if (!extension)
        return TRUE;
      local = colon + 1;
    }

  return classify_child (state, parent->kind, local, extension, names, values, frame, error);
}

static gboolean
collects_text (ElementKind kind)
{
  switch (kind)
    {
    case ELEMENT_DOMAIN:
    case ELEMENT_DISPLAY_NAME:
    case ELEMENT_DISPLAY_SHORT_NAME:
    case ELEMENT_HOSTNAME:
    case ELEMENT_PORT:
    case ELEMENT_SOCKET_TYPE:
    case ELEMENT_USERNAME:
    case ELEMENT_AUTHENTICATION:
    case ELEMENT_MAX_TLS:
    case ELEMENT_PROFILE_NAME:
    case ELEMENT_PROFILE_DESCRIPTION:
    case ELEMENT_PROFILE_RESTRICTION:
    case ELEMENT_NOTICE:
    case ELEMENT_USERNAME_IS_ADDRESS:
    case ELEMENT_OAUTH_ISSUER:
    case ELEMENT_OAUTH_SCOPE:
    case ELEMENT_OAUTH_AUTH_URL:
    case ELEMENT_OAUTH_TOKEN_URL:
    case ELEMENT_LOGIN_HINT:
    case ELEMENT_STATUS:
      return TRUE;

    case ELEMENT_IGNORED:
    case ELEMENT_CLIENT_CONFIG:
    case ELEMENT_EMAIL_PROVIDER:
    case ELEMENT_DOCUMENTATION:
    case ELEMENT_SERVER:
    case ELEMENT_PROFILE:
    case ELEMENT_ALTERNATES:
    case ELEMENT_RETIRED:
    case ELEMENT_SUPPORT:
    case ELEMENT_APP_PASSWORD:
    default:
      return FALSE;
    }
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  ParserState *state = user_data;
  Frame *parent = top_frame (state);
  Frame *frame;

  if (++state->n_elements > MAX_ELEMENTS)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_LIMIT,
                 _("more than %d elements"), MAX_ELEMENTS);
      return;
    }

  if (state->stack->len >= MAX_DEPTH)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_LIMIT,
                 _("elements are nested more than %d deep"), MAX_DEPTH);
      return;
    }

  frame = g_new0 (Frame, 1);
  frame->line = current_line (state);
  g_ptr_array_add (state->stack, frame);

  /* Namespace declarations apply to the element itself too. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!g_str_has_prefix (names[i], "xmlns:"))
        continue;

      if (g_str_equal (values[i], MS_PROVIDER_NAMESPACE))
        {
          g_free (frame->xmlns);
          frame->xmlns = g_strdup (names[i] + strlen ("xmlns:"));
        }
      else
        {
          frame->other_prefixes = g_slist_prepend (frame->other_prefixes,
                                                   g_strdup (names[i] + strlen ("xmlns:")));
        }
    }

  if (!classify (state, parent, element_name, names, values, frame, error))
    return;

  if (collects_text (frame->kind))
    {
      const char *lang = find_attribute (names, values, "lang");

      if (lang == NULL)
        lang = find_attribute (names, values, "xml:lang");
      frame->text = g_string_new (NULL);
      frame->lang = g_strdup (lang);
    }
}

static void
text (GMarkupParseContext  *context,
      const char           *text,
      gsize                 text_len,
      gpointer              user_data,
      GError              **error)
{
  ParserState *state = user_data;
  Frame *frame = top_frame (state);

  if (frame == NULL || frame->text == NULL)
    return;

  if (frame->text->len + text_len > MAX_TEXT)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_LIMIT,
                 _("a text is longer than %d bytes"), MAX_TEXT);
      return;
    }

  g_string_append_len (frame->text, text, text_len);
}

static gboolean
end_server (ParserState  *state,
            GError      **error)
{
  ServerBuilder *builder = &state->server;
  const char *element = ms_protocol_is_incoming (builder->protocol) ? "incomingServer" : "outgoingServer";
  g_autoptr(MsServer) server = NULL;

  if (builder->hostname == NULL)
    {
      set_error (state, error, builder->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<%s> has no <hostname>"), element);
      return FALSE;
    }
  if (builder->port < 0)
    {
      set_error (state, error, builder->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<%s> has no <port>"), element);
      return FALSE;
    }
  if (!builder->has_security)
    {
      set_error (state, error, builder->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<%s> has no <socketType>"), element);
      return FALSE;
    }

  server = ms_server_new (builder->protocol, builder->hostname, builder->port, builder->security);
  if (builder->has_auth)
    server->auth = builder->auth;
  server->max_tls12 = builder->max_tls12;
  server->takes_oauth2 = builder->takes_oauth2;

  if (builder->has_username)
    ms_server_take_username (server, g_steal_pointer (&builder->username));
  else if (!auth_needs_login (server->auth))
    ms_server_set_username (server, NULL);

  switch (builder->target)
    {
    case TARGET_DEFAULT:
    case TARGET_PROFILE:
      {
        MsProfile *profile = builder->target == TARGET_DEFAULT ? state->default_profile : state->profile;

        if (ms_protocol_is_incoming (server->protocol))
          ms_profile_add_incoming (profile, server);
        else
          ms_profile_add_outgoing (profile, server);
      }
      break;

    case TARGET_ALTERNATE:
      ms_profile_add_alternate (state->profile, server);
      break;

    case TARGET_RETIRED:
      ms_provider_add_retired (state->provider, server);
      break;

    default:
      g_assert_not_reached ();
    }

  server_builder_clear (builder);

  return TRUE;
}

static gboolean
end_port (ParserState  *state,
          Frame        *frame,
          const char   *value,
          GError      **error)
{
  ServerBuilder *builder = &state->server;
  GError *validate_error = NULL;
  gint64 port;

  if (builder->port >= 0)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_INVALID,
                 _("more than one <port> in a server"));
      return FALSE;
    }
  if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &port, NULL))
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                 _("“%s” is not a port number from 1 to 65535"), value);
      return FALSE;
    }
  if (!ms_validate_port (port, "<port>", &validate_error))
    return refuse_value (state, error, frame->line, validate_error);
  builder->port = (int) port;

  return TRUE;
}

static void
end_authentication (ServerBuilder *builder,
                    const char    *value)
{
  MsAuthMethod auth;

  /* The file's order is its preference, but many ISPDB files name
   * OAuth2 first and a password second; Mail Setup does passwords,
   * so the first password-like method wins, and OAuth2 (or GSSAPI,
   * NTLM) only when the file names nothing else. Unknown names are
   * from newer formats and skipped. */
  if (!auth_from_string (value, &auth))
    return;
  /* Whichever wins, a signed-in account logs in with its token there. */
  if (auth == MS_AUTH_OAUTH2)
    builder->takes_oauth2 = TRUE;
  if (!builder->has_auth || (!auth_is_usable (builder->auth) && auth_is_usable (auth)))
    {
      builder->auth = auth;
      builder->has_auth = TRUE;
    }
}

/* FairEmail's `maxtls`: the newest TLS version the server survives being
 * offered. Only "1.2" means anything to the probe (TLS 1.3 is the newest,
 * and older than 1.2 is never offered); "1.3" is the default, said out loud. */
static gboolean
end_max_tls (ParserState  *state,
             Frame        *frame,
             const char   *value,
             GError      **error)
{
  ServerBuilder *builder = &state->server;

  if (builder->has_max_tls)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_INVALID,
                 _("more than one <ms:maxTLS> in a server"));
      return FALSE;
    }
  if (!g_str_equal (value, "1.2") && !g_str_equal (value, "1.3"))
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                 _("“%s” is not a TLS version for <ms:maxTLS> (1.2 or 1.3)"), value);
      return FALSE;
    }
  builder->has_max_tls = TRUE;
  builder->max_tls12 = g_str_equal (value, "1.2");

  return TRUE;
}

static gboolean
end_server_field (ParserState  *state,
                  Frame        *frame,
                  const char   *value,
                  GError      **error)
{
  ServerBuilder *builder = &state->server;
  GError *validate_error = NULL;

  switch (frame->kind)
    {
    case ELEMENT_HOSTNAME:
      if (builder->hostname != NULL)
        {
          set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_INVALID,
                     _("more than one <hostname> in a server"));
          return FALSE;
        }
      if (!ms_validate_hostname (value, MS_VALIDATE_FLAGS_TEMPLATE, "<hostname>", &validate_error))
        return refuse_value (state, error, frame->line, validate_error);
      builder->hostname = g_strdup (value);
      break;

    case ELEMENT_PORT:
      return end_port (state, frame, value, error);

    case ELEMENT_SOCKET_TYPE:
      if (!ms_security_from_string (value, &builder->security))
        {
          set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                     _("“%s” is not a socketType (SSL, STARTTLS or plain)"), value);
          return FALSE;
        }
      builder->has_security = TRUE;
      break;

    case ELEMENT_USERNAME:
      if (*value != '\0' &&
          !ms_validate_username (value, MS_VALIDATE_FLAGS_TEMPLATE, "<username>", &validate_error))
        return refuse_value (state, error, frame->line, validate_error);
      g_free (builder->username);
      builder->username = *value != '\0' ? g_strdup (value) : NULL;
      builder->has_username = TRUE;
      break;

    case ELEMENT_AUTHENTICATION:
      end_authentication (builder, value);
      break;

    case ELEMENT_MAX_TLS:
      return end_max_tls (state, frame, value, error);

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static gboolean
end_provider (ParserState  *state,
              Frame        *frame,
              GError      **error)
{
  GPtrArray *incoming = ms_profile_get_incoming (state->default_profile);
  GPtrArray *outgoing = ms_profile_get_outgoing (state->default_profile);

  if (state->n_domains == 0)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<emailProvider> has no <domain>"));
      return FALSE;
    }

  if (state->n_server_elements == 0)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<emailProvider> has no <incomingServer>"));
      return FALSE;
    }

  /* With profiles, the plain servers are there for other programs (and
   * repeat a profile); without, they are the one profile there is. */
  if (!state->seen_extension_profile && (incoming->len > 0 || outgoing->len > 0))
    ms_provider_add_profile (state->provider, state->default_profile);

  return TRUE;
}

static gboolean
end_domain (ParserState  *state,
            Frame        *frame,
            const char   *value,
            GError      **error)
{
  if (*value == '\0')
    return TRUE;
  if (++state->n_domains > MAX_DOMAINS)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_LIMIT,
                 _("more than %d domains"), MAX_DOMAINS);
      return FALSE;
    }
  if (!ms_provider_add_domain (state->provider, value))
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                 _("“%s” is not a domain name"), value);
      return FALSE;
    }

  return TRUE;
}

static gboolean
end_display_name (ParserState  *state,
                  Frame        *frame,
                  const char   *value,
                  GError      **error)
{
  /* A name is saved with the account and written into other
   * programs' configurations: refused, not cleaned, when it holds
   * anything but text on one line (XML layout aside). */
  g_autofree char *name = collapse_whitespace (value);
  GError *validate_error = NULL;

  if (*name == '\0')
    return TRUE;
  if (!ms_validate_display_name (name, frame->kind == ELEMENT_DISPLAY_NAME ? "<displayName>" : "<displayShortName>",
                                 &validate_error))
    return refuse_value (state, error, frame->line, validate_error);
  if (frame->kind == ELEMENT_DISPLAY_NAME)
    ms_provider_set_display_name (state->provider, name);
  else
    ms_provider_set_short_name (state->provider, name);

  return TRUE;
}

/* The free text of a profile or a notice, in the frame's language. */
static void
end_paragraph (ParserState *state,
               Frame       *frame,
               const char  *value)
{
  g_autofree char *paragraph = clean_paragraph (value);

  if (paragraph == NULL)
    return;
  if (frame->kind == ELEMENT_PROFILE_NAME)
    ms_profile_add_name (state->profile, frame->lang, paragraph);
  else if (frame->kind == ELEMENT_PROFILE_DESCRIPTION)
    ms_profile_add_description (state->profile, frame->lang, paragraph);
  else if (frame->kind == ELEMENT_PROFILE_RESTRICTION)
    ms_profile_add_restriction (state->profile, frame->lang, paragraph);
  else
    ms_notice_add_text (state->notice, frame->lang, paragraph);
}

static gboolean
end_username_is_address (ParserState  *state,
                         Frame        *frame,
                         const char   *value,
                         GError      **error)
{
  gboolean is_address = TRUE;

  if (*value != '\0' && !parse_boolean (value, &is_address))
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
                 _("“%s” is not true or false"), value);
      return FALSE;
    }
  ms_provider_set_username_is_address (state->provider, is_address);

  return TRUE;
}

static gboolean
end_profile (ParserState  *state,
             Frame        *frame,
             GError      **error)
{
  if (ms_profile_get_incoming (state->profile)->len == 0 &&
      ms_profile_get_outgoing (state->profile)->len == 0)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("profile “%s” has no servers"), ms_profile_get_id (state->profile));
      return FALSE;
    }
  ms_provider_add_profile (state->provider, state->profile);
  g_clear_object (&state->profile);

  return TRUE;
}

static gboolean
end_client_config (ParserState  *state,
                   Frame        *frame,
                   GError      **error)
{
  if (!state->seen_provider)
    {
      set_error (state, error, frame->line, MS_PROVIDER_PARSER_ERROR_MISSING,
                 _("<clientConfig> has no <emailProvider>"));
      return FALSE;
    }

  return TRUE;
}

/* Takes in what the closing element held; @value is its stripped text,
 * NULL for an element that collects none. */
static gboolean
end_frame (ParserState  *state,
           Frame        *frame,
           const char   *value,
           GError      **error)
{
  switch (frame->kind)
    {
    case ELEMENT_DOMAIN:
      return end_domain (state, frame, value, error);

    case ELEMENT_DISPLAY_NAME:
    case ELEMENT_DISPLAY_SHORT_NAME:
      return end_display_name (state, frame, value, error);

    case ELEMENT_HOSTNAME:
    case ELEMENT_PORT:
    case ELEMENT_SOCKET_TYPE:
    case ELEMENT_USERNAME:
    case ELEMENT_AUTHENTICATION:
    case ELEMENT_MAX_TLS:
      return end_server_field (state, frame, value, error);

    case ELEMENT_SERVER:
      return end_server (state, error);

    case ELEMENT_PROFILE_NAME:
    case ELEMENT_PROFILE_DESCRIPTION:
    case ELEMENT_PROFILE_RESTRICTION:
    case ELEMENT_NOTICE:
      end_paragraph (state, frame, value);
      return TRUE;

    case ELEMENT_USERNAME_IS_ADDRESS:
      return end_username_is_address (state, frame, value, error);

    case ELEMENT_LOGIN_HINT:
      end_login_hint (state, frame, value);
      return TRUE;

    case ELEMENT_STATUS:
      return end_status (state, frame, value, error);

    case ELEMENT_PROFILE:
      return end_profile (state, frame, error);

    case ELEMENT_EMAIL_PROVIDER:
      return end_provider (state, frame, error);

    case ELEMENT_CLIENT_CONFIG:
      return end_client_config (state, frame, error);

    case ELEMENT_OAUTH_ISSUER:
    case ELEMENT_OAUTH_SCOPE:
    case ELEMENT_OAUTH_AUTH_URL:
    case ELEMENT_OAUTH_TOKEN_URL:
      return end_oauth_field (state, frame, value, error);

    case ELEMENT_OAUTH:
      return end_oauth (state, frame, error);

    case ELEMENT_IGNORED:
    case ELEMENT_DOCUMENTATION:
    case ELEMENT_ALTERNATES:
    case ELEMENT_RETIRED:
    case ELEMENT_SUPPORT:
    case ELEMENT_APP_PASSWORD:
    default:
      return TRUE;
    }
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  ParserState *state = user_data;
  Frame *frame = top_frame (state);
  g_autofree char *value = NULL;

  g_assert (frame != NULL);

  if (frame->text != NULL)
    value = g_strstrip (g_strdup (frame->text->str));

  if (!end_frame (state, frame, value, error))
    return;

  if (frame->kind == ELEMENT_NOTICE)
    state->notice = NULL;

  g_ptr_array_remove_index (state->stack, state->stack->len - 1);
}

static const GMarkupParser parser = {
  start_element,
  end_element,
  text,
  NULL,
  NULL,
};

/* GMarkup's own messages start with "Error on line N char M: "; the line
 * goes in front in our format instead. */
static void
set_markup_error (ParserState  *state,
                  GError       *markup_error,
                  GError      **error)
{
  const char *message = markup_error->message;

  if (g_str_has_prefix (message, "Error on line "))
    {
      const char *rest = strstr (message, ": ");

      if (rest != NULL)
        message = rest + 2;
    }

  set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_MALFORMED, "%s", message);
}

static gboolean
check_utf8 (ParserState  *state,
            const char   *data,
            gsize         length,
            gboolean      truncated,
            GError      **error)
{
  const char *end = NULL;
  int line = 1;

  if (g_utf8_validate_len (data, length, &end))
    return TRUE;

  if (truncated && (gsize) (end - data) + 4 > length)
    return TRUE;

  for (const char *p = data; p < end; p++)
    {
      if (*p == '\n')
        line++;
    }

  set_error (state, error, line, MS_PROVIDER_PARSER_ERROR_MALFORMED,
             _("the file is not UTF-8 text"));
  return FALSE;
}

static void
parser_state_init (ParserState *state,
                   const char  *source)
{
  state->source = source;
  state->stack = g_ptr_array_new_with_free_func (frame_free);
  state->profile_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server_builder_clear (&state->server);
}

static void
parser_state_clear (ParserState *state)
{
  server_builder_clear (&state->server);
  oauth_builder_clear (&state->oauth);
  g_clear_object (&state->provider);
  g_clear_object (&state->default_profile);
  g_clear_object (&state->profile);
  g_clear_pointer (&state->stack, g_ptr_array_unref);
  g_clear_pointer (&state->profile_ids, g_hash_table_unref);
}

/* Runs GMarkup over @data; on FALSE, *error is always set. */
static gboolean
parse_markup (ParserState  *state,
              const char   *data,
              gsize         length,
              GError      **error)
{
  /* Parsing up to the limit first gives the line where the limit was hit. */
  gsize parse_length = MIN (length, MS_PROVIDER_FILE_MAX_SIZE);
  gboolean ok;

  /* Checked before GMarkup sees it: GLib 2.74 reports invalid UTF-8 in a
   * CDATA section and then carries on (found by fuzz-provider-parser). A
   * character cut by the size limit is left to the size check. */
  ok = check_utf8 (state, data, parse_length, length > parse_length, error);
  if (ok)
    ok = g_markup_parse_context_parse (state->context, data, parse_length, error);
  if (ok && length > MS_PROVIDER_FILE_MAX_SIZE)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_TOO_LARGE,
                 _("the file is larger than %d KiB"), MS_PROVIDER_FILE_MAX_SIZE / 1024);
      ok = FALSE;
    }
  if (ok)
    ok = g_markup_parse_context_end_parse (state->context, error);

  /* GMarkup takes an unclosed <!DOCTYPE for a document of no elements
   * (found by fuzz-provider-parser). */
  if (ok && state->provider == NULL)
    {
      set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_INVALID,
                 _("this is not a provider file: there is no <clientConfig> element"));
      ok = FALSE;
    }

  /* A failure without a reason must never reach a caller as success or
   * as a NULL error (finding 8 of issue 9 crashed on one). */
  if (!ok && *error == NULL)
    set_error (state, error, 0, MS_PROVIDER_PARSER_ERROR_MALFORMED,
               _("the file could not be read as XML"));

  return ok;
}

/**
 * ms_provider_parse_data:
 * @data: the file's contents (need not be nul-terminated)
 * @length: the length of @data
 * @source: the file's path or URI, for messages and for
 *   ms_provider_get_source()
 * @error: a #MS_PROVIDER_PARSER_ERROR naming @source and the line
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL with @error set
 */
MsProvider *
ms_provider_parse_data (const char  *data,
                        gsize        length,
                        const char  *source,
                        GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MsProvider) provider = NULL;
  ParserState state = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A byte-order mark is legal XML that GMarkup does not skip. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  parser_state_init (&state, source);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  state.context = context;

  /* libsoup hands over an empty body as NULL, which GMarkup would refuse
   * without setting an error. */
  if (data == NULL || length == 0)
    {
      set_error (&state, error, 1, MS_PROVIDER_PARSER_ERROR_MALFORMED, _("the file is empty"));
      parser_state_clear (&state);
      return NULL;
    }

  if (!parse_markup (&state, data, length, &local_error))
    {
      if (local_error->domain == MS_PROVIDER_PARSER_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_markup_error (&state, local_error, error);
    }
  else
    {
      attach_oauth (&state);
      provider = g_steal_pointer (&state.provider);
    }

  parser_state_clear (&state);

  return g_steal_pointer (&provider);
}

/**
 * ms_provider_parse_file:
 * @file: a provider file: a local file or a `resource://` URI
 *
 * Reads at most one byte more than %MS_PROVIDER_FILE_MAX_SIZE, so a huge
 * (or endless) file costs nothing.
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL with @error set
 */
MsProvider *
ms_provider_parse_file (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *source = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = g_file_get_path (file);
  if (source != NULL)
    {
      /* Local files are wherever the XDG directories say: a FIFO or a
       * device there must not hang or flood every command. */
      if (!ms_safe_file_read (source, MS_PROVIDER_FILE_MAX_SIZE + 1, MS_SAFE_FILE_PREFIX,
                              &data, &length, NULL, &local_error))
        {
          /* In GIOError, as for the bundled files and before. */
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                               local_error->message);
          return NULL;
        }

      return ms_provider_parse_data (data, length, source, error);
    }

  /* The bundled files, from the program's own resources. */
  source = g_file_get_uri (file);
  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", source, local_error->message);
      return NULL;
    }

  data = g_malloc (MS_PROVIDER_FILE_MAX_SIZE + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, MS_PROVIDER_FILE_MAX_SIZE + 1,
                                &length, cancellable, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", source, local_error->message);
      return NULL;
    }

  return ms_provider_parse_data (data, length, source, error);
}
