/* ms-export-oauth.c: which mail program signs in with OAuth by itself, for which servers
 *
 * Mail Setup's tokens were issued to Mail Setup's own client; another
 * program cannot refresh them, so an export never hands them over. It
 * writes the settings that make the program sign in by itself, through
 * its own built-in OAuth client, which each program has only for a fixed
 * list of providers, recognised by the server's host name. The tables
 * below are those lists, read from the programs' sources:
 *
 * - Thunderbird 153 ESR (mailnews/base/src/OAuth2Providers.sys.mjs,
 *   kHostnames): a host name or one of its parent domains;
 * - Thunderbird for Android (TbOAuthConfigurationFactory.kt): exact host
 *   names only;
 * - Evolution Data Server 3.46 (e-oauth2-service-google.c, -outlook.c,
 *   -yahoo.c): the service named in [Authentication] Method, which EDS
 *   guesses from these domains. EDS 3.46 has no service for any other
 *   provider: its plain "XOAUTH2" method sends the stored password as
 *   the token, which would stop working within the hour, so it is never
 *   written;
 * - Apple's configuration profiles (com.apple.mail.managed) name only
 *   password and no-login methods: never OAuth;
 * - GNOME Online Accounts 3.46: only its "google" provider can be added
 *   for an address, since its account's identity is the address; the
 *   "windows_live" provider's identity is an id only its own sign-in
 *   learns.
 *
 * Only the tested servers' host names choose, never the provider file's
 * id or name: a provider file cannot make an export claim a program
 * signs in where it cannot. Anything else is refused with plain words
 * naming what can carry the account, never written as a password account
 * that cannot log in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-oauth.h"
#include "ms-exporter.h"

static const char * const thunderbird_domains[] = {
  "gmail.com", "googlemail.com",
  "imap.mail.ru", "smtp.mail.ru",
  "imap.yandex.com", "smtp.yandex.com",
  "yahoo.com", "att.net", "aol.com",
  "office365.com", "outlook.com", "hotmail.com",
  "imap.fastmail.com", "pop.fastmail.com", "smtp.fastmail.com",
  "imap.comcast.net", "pop.comcast.net", "smtp.comcast.net",
  "thundermail.com",
};

static const char * const android_hosts[] = {
  "imap.gmail.com", "imap.googlemail.com", "smtp.gmail.com", "smtp.googlemail.com",
  "outlook.office365.com", "smtp.office365.com", "smtp-mail.outlook.com",
  "imap.mail.yahoo.com", "smtp.mail.yahoo.com",
  "imap.aol.com", "smtp.aol.com",
  "imap.fastmail.com", "smtp.fastmail.com",
  "mail.tb.pro", "mail.thundermail.com",
};

static const struct
{
  const char *domain;
  const char *service;
} evolution_services[] = {
  { "gmail.com", "Google" },
  { "googlemail.com", "Google" },
  { "google.com", "Google" },
  { "outlook.com", "Outlook" },
  { "yahoo.com", "Yahoo" },
};

static const char * const goa_google_domains[] = {
  "gmail.com", "googlemail.com",
};

/* @hostname is @domain or a host inside it, ASCII case and one final dot
 * aside: "imap.gmail.com" is in "gmail.com", "imap.gmail.com.example" and
 * "evilgmail.com" are not. */
static gboolean
host_in_domain (const char *hostname,
                const char *domain)
{
  g_autofree char *host = g_ascii_strdown (hostname, -1);
  gsize host_length = strlen (host);
  gsize domain_length = strlen (domain);

  if (host_length > 0 && host[host_length - 1] == '.')
    host[--host_length] = '\0';
  if (host_length == domain_length)
    return g_str_equal (host, domain);

  return host_length > domain_length + 1 &&
         host[host_length - domain_length - 1] == '.' &&
         host[host_length - domain_length - 2] != '.' &&
         g_str_equal (host + host_length - domain_length, domain);
}

static gboolean
host_in_any (const char         *hostname,
             const char * const *domains,
             gsize               n_domains)
{
  for (gsize i = 0; i < n_domains; i++)
    if (host_in_domain (hostname, domains[i]))
      return TRUE;

  return FALSE;
}

/**
 * ms_export_oauth_uses:
 *
 * Returns: whether either server of @settings signs in with OAuth
 */
gboolean
ms_export_oauth_uses (MsAccountSettings *settings)
{
  g_return_val_if_fail (settings != NULL, FALSE);

  return settings->incoming->auth == MS_AUTH_OAUTH2 ||
         settings->outgoing->auth == MS_AUTH_OAUTH2;
}

/**
 * ms_export_oauth_thunderbird_knows:
 *
 * Returns: whether Thunderbird has a built-in OAuth provider for @hostname
 */
gboolean
ms_export_oauth_thunderbird_knows (const char *hostname)
{
  g_return_val_if_fail (hostname != NULL, FALSE);

  return host_in_any (hostname, thunderbird_domains, G_N_ELEMENTS (thunderbird_domains));
}

/**
 * ms_export_oauth_android_knows:
 *
 * Returns: whether Thunderbird for Android signs in to @hostname itself
 */
gboolean
ms_export_oauth_android_knows (const char *hostname)
{
  g_autofree char *host = NULL;
  gsize length;

  g_return_val_if_fail (hostname != NULL, FALSE);

  host = g_ascii_strdown (hostname, -1);
  length = strlen (host);
  if (length > 0 && host[length - 1] == '.')
    host[length - 1] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (android_hosts); i++)
    if (g_str_equal (host, android_hosts[i]))
      return TRUE;

  return FALSE;
}

/**
 * ms_export_oauth_evolution_service:
 *
 * Returns: (nullable): the name of Evolution's OAuth 2.0 service for
 *   @hostname ("Google", "Outlook", "Yahoo"), its [Authentication] Method
 */
const char *
ms_export_oauth_evolution_service (const char *hostname)
{
  g_return_val_if_fail (hostname != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (evolution_services); i++)
    if (host_in_domain (hostname, evolution_services[i].domain))
      return evolution_services[i].service;

  return NULL;
}

/**
 * ms_export_oauth_goa_provider:
 *
 * Returns: (nullable): the GOA provider that signs in to @settings'
 *   servers by itself ("google"), %NULL when there is none
 */
const char *
ms_export_oauth_goa_provider (MsAccountSettings *settings)
{
  g_return_val_if_fail (settings != NULL, NULL);

  /* GOA's Google account always uses Google's own servers. */
  if (host_in_any (settings->incoming->hostname, goa_google_domains, G_N_ELEMENTS (goa_google_domains)) &&
      host_in_any (settings->outgoing->hostname, goa_google_domains, G_N_ELEMENTS (goa_google_domains)))
    return "google";

  return NULL;
}

/* The first OAuth server of @settings that @program cannot sign in to. */
static const MsServer *
unsupported_server (MsAccountSettings    *settings,
                    MsExportOAuthProgram  program)
{
  const MsServer *servers[] = { settings->incoming, settings->outgoing };

  for (gsize i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      gboolean supported;

      if (servers[i]->auth != MS_AUTH_OAUTH2)
        continue;
      switch (program)
        {
        case MS_EXPORT_OAUTH_THUNDERBIRD:
          supported = ms_export_oauth_thunderbird_knows (servers[i]->hostname);
          break;
        case MS_EXPORT_OAUTH_THUNDERBIRD_ANDROID:
          supported = ms_export_oauth_android_knows (servers[i]->hostname);
          break;
        case MS_EXPORT_OAUTH_EVOLUTION:
          supported = ms_export_oauth_evolution_service (servers[i]->hostname) != NULL;
          break;
        case MS_EXPORT_OAUTH_GOA:
          supported = ms_export_oauth_goa_provider (settings) != NULL;
          break;
        case MS_EXPORT_OAUTH_GEARY:
        case MS_EXPORT_OAUTH_APPLE_MAIL:
        default:
          supported = FALSE;
          break;
        }
      if (!supported)
        return servers[i];
    }

  return NULL;
}

/* A sentence naming another export that carries the account, for a
 * refusal. */
static char *
alternative (MsAccountSettings    *settings,
             MsExportOAuthProgram  refused)
{
  static const struct
  {
    MsExportOAuthProgram program;
    const char *name;
  } programs[] = {
    { MS_EXPORT_OAUTH_GOA, N_("GNOME Online Accounts") },
    { MS_EXPORT_OAUTH_EVOLUTION, N_("Evolution") },
    { MS_EXPORT_OAUTH_THUNDERBIRD, N_("Thunderbird") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (programs); i++)
    if (programs[i].program != refused && unsupported_server (settings, programs[i].program) == NULL)
      /* TRANSLATORS: %s is a mail program's name */
      return g_strdup_printf (_("Export to %s instead: it signs in to this provider by itself."),
                              _(programs[i].name));

  return g_strdup (_("The terminal programs’ exports (msmtp, mbsync, neomutt, aerc) can use it: they fetch a fresh access token with “mail-setup token”."));
}

static void
refuse (MsAccountSettings    *settings,
        MsExportOAuthProgram  program,
        const MsServer       *server,
        GError              **error)
{
  g_autofree char *instead = alternative (settings, program);
  const char *host = server->hostname;

  switch (program)
    {
    case MS_EXPORT_OAUTH_THUNDERBIRD:
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("Thunderbird cannot sign in to %s with OAuth: it signs in by itself only to the providers it knows by their server names (Google, Microsoft, Yahoo, AOL, Fastmail, Yandex, Mail.ru, Comcast and a few more). %s"),
                   host, instead);
      break;
    case MS_EXPORT_OAUTH_THUNDERBIRD_ANDROID:
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("Thunderbird for Android cannot sign in to %s with OAuth: it signs in by itself only to Google, Microsoft, Yahoo, AOL, Fastmail and Thundermail."),
                   host);
      break;
    case MS_EXPORT_OAUTH_EVOLUTION:
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("Evolution cannot sign in to %s with OAuth: it signs in by itself only to Google, Outlook.com and Yahoo. %s"),
                   host, instead);
      break;
    case MS_EXPORT_OAUTH_GOA:
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("GNOME Online Accounts cannot sign in to %s with OAuth: it does that only for Google accounts. %s"),
                   host, instead);
      break;
    case MS_EXPORT_OAUTH_APPLE_MAIL:
      /* The payload has password and no-login methods only; the
       * devices' own Google, Outlook.com, Yahoo and AOL accounts sign in. */
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                   _("A configuration profile cannot sign in to %s with OAuth. On an iPhone, iPad or Mac, add the account in Settings under Mail, Accounts: its own Google, Outlook.com, Yahoo and AOL accounts sign in by themselves."),
                   host);
      break;
    case MS_EXPORT_OAUTH_GEARY:
    default:
      if (ms_export_oauth_goa_provider (settings) != NULL)
        g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                             _("Geary signs in with OAuth only through GNOME Online Accounts: export to GNOME Online Accounts instead, and Geary shows the account from there by itself."));
      else
        g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                     _("Geary cannot sign in to %s with OAuth: it does that only through GNOME Online Accounts, which signs in only to Google accounts. %s"),
                     host, instead);
      break;
    }
}

/**
 * ms_export_oauth_check:
 *
 * Returns: %TRUE when @program signs in by itself to every server of
 *   @settings that uses OAuth (or none does); otherwise a
 *   %MS_EXPORT_ERROR_UNSUPPORTED error whose translated message says why
 *   and what to export to instead
 */
gboolean
ms_export_oauth_check (MsAccountSettings     *settings,
                       MsExportOAuthProgram   program,
                       GError               **error)
{
  const MsServer *server;

  g_return_val_if_fail (settings != NULL, FALSE);

  server = unsupported_server (settings, program);
  if (server == NULL)
    return TRUE;

  refuse (settings, program, server, error);
  return FALSE;
}
