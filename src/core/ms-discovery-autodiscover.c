/* ms-discovery-autodiscover.c: Microsoft Autodiscover (POX), to recognise Exchange
 *
 * Thunderbird and FairEmail ask Microsoft's Autodiscover (the "POX" form:
 * an XML request POSTed to autodiscover.xml) to recognise an Exchange or
 * Microsoft 365 account. Mail Setup does the same, at
 * https://autodiscover.DOMAIN/autodiscover/autodiscover.xml, then
 * https://DOMAIN/autodiscover/autodiscover.xml. A response that offers
 * IMAP (or POP3) and SMTP protocol elements gives settings; one that only
 * names an Exchange server (EXCH, EXPR) gives none, and the attempt says
 * plainly what the account is and what to use.
 *
 * The response is hostile: GMarkup with the same depth and size limits as
 * a provider file, every host name, port and login name through
 * ms-validate.h. Redirects (Action redirectAddr, redirectUrl) are
 * followed at most MS_DISCOVERY_AUTODISCOVER_MAX_REDIRECTS times, only
 * within the address's domain, only over HTTPS, as autoconfig's are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ms-address.h"
#include "ms-discovery-attempt.h"
#include "ms-discovery-autodiscover.h"
#include "ms-discovery-fetch.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

#define MAX_DEPTH 16
#define MAX_PROTOCOLS 16
#define MAX_RESPONSE (256 * 1024)

void
ms_autodiscover_answer_free (MsAutodiscoverAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->exchange_server);
  g_free (answer->redirect_addr);
  g_free (answer->redirect_url);
  g_clear_object (&answer->provider);
  g_free (answer);
}

char *
ms_discovery_autodiscover_url (const char *host,
                               guint16     https_port)
{
  g_autofree char *port_part = https_port != 0 ? g_strdup_printf (":%u", https_port) : g_strdup ("");

  return g_strdup_printf ("https://%s%s/autodiscover/autodiscover.xml", host, port_part);
}

/**
 * ms_discovery_autodiscover_request:
 *
 * Returns: (transfer full): the POX request for @address
 */
char *
ms_discovery_autodiscover_request (const char *address)
{
  g_autofree char *escaped = g_markup_escape_text (address, -1);

  return g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">\n"
    "  <Request>\n"
    "    <EMailAddress>%s</EMailAddress>\n"
    "    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\n"
    "  </Request>\n"
    "</Autodiscover>\n", escaped);
}

typedef struct
{
  char *type;
  char *server;
  char *port;
  char *ssl;
  char *encryption;
  char *login;
} Protocol;

typedef struct
{
  GPtrArray *stack;       /* local element names */
  GString   *text;
  Protocol   protocols[MAX_PROTOCOLS];
  guint      n_protocols;
  gboolean   in_protocol;
  char      *action;
  char      *redirect_addr;
  char      *redirect_url;
  char      *error_message;
} ParseState;

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

static const char *
parent_name (ParseState *state,
             guint       up)
{
  return state->stack->len > up ? g_ptr_array_index (state->stack, state->stack->len - 1 - up) : "";
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  ParseState *state = user_data;
  const char *name = local_name (element_name);

  if (state->stack->len >= MAX_DEPTH)
    {
      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                   _("the Autodiscover answer is nested more than %d deep"), MAX_DEPTH);
      return;
    }
  if (g_str_equal (name, "Protocol") && g_str_equal (parent_name (state, 0), "Account"))
    {
      if (state->n_protocols >= MAX_PROTOCOLS)
        {
          g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                       _("the Autodiscover answer has more than %d protocols"), MAX_PROTOCOLS);
          return;
        }
      state->n_protocols++;
      state->in_protocol = TRUE;
    }
  g_ptr_array_add (state->stack, g_strdup (name));
  g_string_truncate (state->text, 0);
}

static void
keep (char       **field,
      const char  *value)
{
  if (*field == NULL)
    *field = g_strdup (value);
}

static void
end_protocol_field (ParseState *state,
                    const char *name,
                    const char *value)
{
  Protocol *protocol = &state->protocols[state->n_protocols - 1];

  if (g_str_equal (name, "Type"))
    keep (&protocol->type, value);
  else if (g_str_equal (name, "Server"))
    keep (&protocol->server, value);
  else if (g_str_equal (name, "Port"))
    keep (&protocol->port, value);
  else if (g_str_equal (name, "SSL"))
    keep (&protocol->ssl, value);
  else if (g_str_equal (name, "Encryption"))
    keep (&protocol->encryption, value);
  else if (g_str_equal (name, "LoginName"))
    keep (&protocol->login, value);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;
  g_autofree char *name = g_ptr_array_steal_index (state->stack, state->stack->len - 1);
  g_autofree char *value = g_strstrip (g_strdup (state->text->str));
  const char *parent = parent_name (state, 0);

  g_string_truncate (state->text, 0);
  if (state->in_protocol && g_str_equal (parent, "Protocol"))
    end_protocol_field (state, name, value);
  else if (g_str_equal (name, "Protocol"))
    state->in_protocol = FALSE;
  else if (g_str_equal (parent, "Account") && g_str_equal (name, "Action"))
    keep (&state->action, value);
  else if (g_str_equal (parent, "Account") && g_str_equal (name, "RedirectAddr"))
    keep (&state->redirect_addr, value);
  else if (g_str_equal (parent, "Account") && g_str_equal (name, "RedirectUrl"))
    keep (&state->redirect_url, value);
  else if (g_str_equal (parent, "Error") && g_str_equal (name, "Message"))
    keep (&state->error_message, value);
}

static void
text (GMarkupParseContext  *context,
      const char           *text,
      gsize                 text_len,
      gpointer              user_data,
      GError              **error)
{
  ParseState *state = user_data;

  if (state->text->len + text_len > 4096)
    {
      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                   _("the Autodiscover answer has a value longer than 4096 bytes"));
      return;
    }
  g_string_append_len (state->text, text, text_len);
}

static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };

static void
parse_state_clear (ParseState *state)
{
  g_ptr_array_unref (state->stack);
  g_string_free (state->text, TRUE);
  for (guint i = 0; i < state->n_protocols; i++)
    {
      Protocol *p = &state->protocols[i];

      g_free (p->type);
      g_free (p->server);
      g_free (p->port);
      g_free (p->ssl);
      g_free (p->encryption);
      g_free (p->login);
    }
  g_free (state->action);
  g_free (state->redirect_addr);
  g_free (state->redirect_url);
  g_free (state->error_message);
}

/* Encryption says it outright; otherwise SSL "off" is none, and "on"
 * (the default) is STARTTLS on the ports that speak it first in clear. */
static MsSecurity
protocol_security (const Protocol *protocol,
                   guint16         port)
{
  if (protocol->encryption != NULL && g_ascii_strcasecmp (protocol->encryption, "TLS") == 0)
    return MS_SECURITY_STARTTLS;
  if (protocol->encryption != NULL && g_ascii_strcasecmp (protocol->encryption, "SSL") == 0)
    return MS_SECURITY_TLS;
  if ((protocol->encryption != NULL && g_ascii_strcasecmp (protocol->encryption, "None") == 0) ||
      (protocol->ssl != NULL && g_ascii_strcasecmp (protocol->ssl, "off") == 0))
    return MS_SECURITY_NONE;
  if (port == 143 || port == 110 || port == 587 || port == 25)
    return MS_SECURITY_STARTTLS;

  return MS_SECURITY_TLS;
}

static MsServer *
protocol_server (const Protocol *protocol,
                 MsProtocol      kind,
                 GError        **error)
{
  static const guint16 default_ports[] = { [MS_PROTOCOL_IMAP] = 993, [MS_PROTOCOL_POP3] = 995,
                                           [MS_PROTOCOL_SMTP] = 465 };
  g_autoptr(MsServer) server = NULL;
  guint64 port = default_ports[kind];
  GError *invalid = NULL;

  if (protocol->server == NULL ||
      !ms_validate_hostname (protocol->server, MS_VALIDATE_FLAGS_NONE, "Autodiscover <Server>", &invalid))
    {
      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                   _("the Autodiscover answer was refused: %s"),
                   invalid != NULL ? invalid->message : _("a protocol has no <Server>"));
      g_clear_error (&invalid);
      return NULL;
    }
  if (protocol->port != NULL &&
      (!g_ascii_string_to_unsigned (protocol->port, 10, 1, 65535, &port, NULL)))
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (protocol->port, 32);

      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                   _("the Autodiscover answer was refused: “%s” is not a port"), shown);
      return NULL;
    }
  if (protocol->login != NULL &&
      !ms_validate_username (protocol->login, MS_VALIDATE_FLAGS_NONE, "Autodiscover <LoginName>", &invalid))
    {
      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                   _("the Autodiscover answer was refused: %s"), invalid->message);
      g_clear_error (&invalid);
      return NULL;
    }

  server = ms_server_new (kind, protocol->server, (guint16) port, protocol_security (protocol, port));
  if (protocol->login != NULL)
    ms_server_set_username (server, protocol->login);

  return g_steal_pointer (&server);
}

/* IMAP (else POP3) and SMTP from the protocols, or none. */
static gboolean
build_provider (ParseState            *state,
                MsAutodiscoverAnswer  *answer,
                const char            *domain,
                const char            *source,
                GError               **error)
{
  g_autoptr(MsServer) incoming = NULL;
  g_autoptr(MsServer) outgoing = NULL;
  g_autoptr(MsProfile) profile = NULL;
  g_autofree char *id = NULL;

  for (guint i = 0; i < state->n_protocols; i++)
    {
      const Protocol *protocol = &state->protocols[i];
      const char *type = protocol->type != NULL ? protocol->type : "";
      MsServer **slot = NULL;
      MsProtocol kind = MS_PROTOCOL_IMAP;

      if (g_ascii_strcasecmp (type, "EXCH") == 0 || g_ascii_strcasecmp (type, "EXPR") == 0)
        {
          answer->exchange = TRUE;
          if (answer->exchange_server == NULL && protocol->server != NULL &&
              ms_validate_hostname (protocol->server, MS_VALIDATE_FLAGS_NONE, "Autodiscover <Server>", NULL))
            answer->exchange_server = g_strdup (protocol->server);
          continue;
        }
      if (g_ascii_strcasecmp (type, "IMAP") == 0 && (incoming == NULL || incoming->protocol != MS_PROTOCOL_IMAP))
        slot = &incoming, kind = MS_PROTOCOL_IMAP;
      else if (g_ascii_strcasecmp (type, "POP3") == 0 && incoming == NULL)
        slot = &incoming, kind = MS_PROTOCOL_POP3;
      else if (g_ascii_strcasecmp (type, "SMTP") == 0 && outgoing == NULL)
        slot = &outgoing, kind = MS_PROTOCOL_SMTP;
      if (slot == NULL)
        continue;
      g_clear_pointer (slot, ms_server_unref);
      *slot = protocol_server (protocol, kind, error);
      if (*slot == NULL)
        return FALSE;
    }

  if (incoming == NULL || outgoing == NULL)
    return TRUE;

  profile = ms_profile_new (MS_PROFILE_DEFAULT_ID);
  ms_profile_add_name (profile, NULL, _("Found by Microsoft Autodiscover"));
  ms_profile_set_recommended (profile, TRUE);
  ms_profile_add_incoming (profile, incoming);
  ms_profile_add_outgoing (profile, outgoing);
  id = g_strconcat ("autodiscover-", domain, NULL);
  answer->provider = ms_provider_new_discovered (id, domain, source, profile);

  return TRUE;
}

/**
 * ms_discovery_autodiscover_parse:
 *
 * Reads one Autodiscover (POX) response.
 *
 * Returns: (transfer full) (nullable): what it says, or %NULL with a
 *   #MS_DISCOVERY_ERROR saying why it was refused
 */
MsAutodiscoverAnswer *
ms_discovery_autodiscover_parse (GBytes      *response,
                                 const char  *domain,
                                 const char  *source,
                                 GError     **error)
{
  g_autoptr(MsAutodiscoverAnswer) answer = g_new0 (MsAutodiscoverAnswer, 1);
  g_autoptr(GMarkupParseContext) context = NULL;
  ParseState state = { 0 };
  g_autoptr(GError) markup_error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (response, &length);
  gboolean ok;

  if (length > MAX_RESPONSE || length == 0)
    {
      g_set_error (error, MS_DISCOVERY_ERROR, length == 0 ? MS_DISCOVERY_ERROR_NOT_FOUND : MS_DISCOVERY_ERROR_TOO_LARGE,
                   length == 0 ? _("the Autodiscover answer is empty")
                               : _("the Autodiscover answer is larger than 256 KiB"));
      return NULL;
    }

  state.stack = g_ptr_array_new_with_free_func (g_free);
  state.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);
  ok = g_markup_parse_context_parse (context, data, length, &markup_error) &&
       g_markup_parse_context_end_parse (context, &markup_error);
  if (!ok)
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (markup_error->message, 200);

      parse_state_clear (&state);
      if (markup_error->domain == MS_DISCOVERY_ERROR)
        g_propagate_error (error, g_steal_pointer (&markup_error));
      else
        g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_INTEGRITY,
                     _("the Autodiscover answer is not XML: %s"), shown);
      return NULL;
    }

  if (state.action != NULL && g_ascii_strcasecmp (state.action, "redirectAddr") == 0)
    answer->redirect_addr = g_steal_pointer (&state.redirect_addr);
  else if (state.action != NULL && g_ascii_strcasecmp (state.action, "redirectUrl") == 0)
    answer->redirect_url = g_steal_pointer (&state.redirect_url);

  ok = build_provider (&state, answer, domain, source, error);
  if (ok && !answer->exchange && answer->provider == NULL &&
      answer->redirect_addr == NULL && answer->redirect_url == NULL)
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (state.error_message, 200);

      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                   _("the Autodiscover answer has no mail settings%s%s"),
                   shown != NULL ? ": " : "", shown != NULL ? shown : "");
      ok = FALSE;
    }
  parse_state_clear (&state);

  return ok ? g_steal_pointer (&answer) : NULL;
}

/* The lookup: each URL in turn, with the redirects. */

typedef struct
{
  SoupSession *session;
  char        *address;
  char        *domain;
  GStrv        urls;
  guint        next_url;
  char        *url;         /* being asked */
  guint        timeout_ms;
  guint        redirects;
  GError      *first_error;
} AutodiscoverData;

static void
autodiscover_data_free (AutodiscoverData *data)
{
  g_clear_object (&data->session);
  g_free (data->address);
  g_free (data->domain);
  g_strfreev (data->urls);
  g_free (data->url);
  g_clear_error (&data->first_error);
  g_free (data);
}

static void post (GTask *task);

static void
next_url (GTask  *task,
          GError *error)
{
  AutodiscoverData *data = g_task_get_task_data (task);

  if (data->first_error == NULL)
    data->first_error = error;
  else
    g_error_free (error);

  if (data->urls[data->next_url] == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->first_error));
      g_object_unref (task);
      return;
    }
  g_free (data->url);
  data->url = g_strdup (data->urls[data->next_url++]);
  post (task);
}

/* A redirect to another address or URL, within the domain, at most 3. */
static gboolean
follow (GTask                *task,
        MsAutodiscoverAnswer *answer,
        GError              **error)
{
  AutodiscoverData *data = g_task_get_task_data (task);
  g_autofree char *shown = ms_untrusted_text_sanitize (answer->redirect_addr != NULL ? answer->redirect_addr
                                                                                     : answer->redirect_url, 255);

  if (++data->redirects > MS_DISCOVERY_AUTODISCOVER_MAX_REDIRECTS)
    {
      g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                   _("%s: more than %u Autodiscover redirects"), data->url,
                   MS_DISCOVERY_AUTODISCOVER_MAX_REDIRECTS);
      return FALSE;
    }

  if (answer->redirect_addr != NULL)
    {
      g_autoptr(MsAddress) address = ms_address_parse (answer->redirect_addr, NULL);

      if (address == NULL || !ms_discovery_host_in_domain (ms_address_get_domain (address), data->domain))
        {
          g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                       _("%s: Autodiscover redirects to the address %s, outside %s"),
                       data->url, shown, data->domain);
          return FALSE;
        }
      g_free (data->address);
      data->address = g_strdup (ms_address_get_ascii (address));
      return TRUE;
    }

  {
    g_autoptr(GUri) uri = g_uri_parse (answer->redirect_url, G_URI_FLAGS_ENCODED, NULL);

    if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 ||
        g_uri_get_host (uri) == NULL || !ms_discovery_host_in_domain (g_uri_get_host (uri), data->domain))
      {
        g_set_error (error, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_REDIRECT,
                     _("%s: Autodiscover redirects to %s, which is not an https address in %s"),
                     data->url, shown, data->domain);
        return FALSE;
      }
    g_free (data->url);
    data->url = g_uri_to_string (uri);
  }

  return TRUE;
}

static void
post_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  AutodiscoverData *data = g_task_get_task_data (task);
  g_autoptr(MsAutodiscoverAnswer) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = ms_discovery_fetch_bytes_finish (result, &error);
  if (body != NULL)
    answer = ms_discovery_autodiscover_parse (body, data->domain, data->url, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (answer == NULL)
    {
      next_url (task, error);
      return;
    }

  if (answer->provider != NULL)
    g_task_return_pointer (task, g_steal_pointer (&answer->provider), g_object_unref);
  else if (answer->exchange)
    g_task_return_new_error (task, MS_DISCOVERY_ERROR, MS_DISCOVERY_ERROR_NOT_FOUND,
                             _("%s is an Exchange or Microsoft 365 account (server %s), and its "
                               "Autodiscover answer offers no IMAP or SMTP: use a mail program that "
                               "speaks Exchange (Evolution with its EWS account type, or Outlook), "
                               "or ask the administrator whether IMAP and SMTP are turned on"),
                             data->address, answer->exchange_server != NULL ? answer->exchange_server : "?");
  else if (follow (task, answer, &error))
    {
      post (task);
      return;
    }
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/* Takes the reference to @task. */
static void
post (GTask *task)
{
  AutodiscoverData *data = g_task_get_task_data (task);
  char *request = ms_discovery_autodiscover_request (data->address);
  gsize length = strlen (request);
  g_autoptr(GBytes) body = g_bytes_new_take (request, length);

  ms_discovery_fetch_post_async (data->session, data->url, body, data->timeout_ms,
                                 g_task_get_cancellable (task), post_cb, task);
}

/**
 * ms_discovery_autodiscover_async:
 * @urls: the Autodiscover URLs to try in turn
 *
 * Asks Autodiscover about @address: settings when the answer offers IMAP
 * or POP3 and SMTP; otherwise an error whose message says what the
 * account is (an Exchange one) and what to use.
 */
void
ms_discovery_autodiscover_async (SoupSession         *session,
                                 const char          *address,
                                 const char * const  *urls,
                                 guint                timeout_ms,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  AutodiscoverData *data;
  const char *at;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (address != NULL && urls != NULL && urls[0] != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ms_discovery_autodiscover_async);
  data = g_new0 (AutodiscoverData, 1);
  data->session = g_object_ref (session);
  data->address = g_strdup (address);
  at = strrchr (address, '@');
  data->domain = g_strdup (at != NULL ? at + 1 : address);
  data->urls = g_strdupv ((char **) urls);
  data->timeout_ms = timeout_ms;
  data->url = g_strdup (urls[0]);
  data->next_url = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) autodiscover_data_free);

  post (task);
}

MsProvider *
ms_discovery_autodiscover_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
