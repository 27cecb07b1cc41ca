/* ms-cli-sign-in.c: `mail-setup sign-in ADDRESS`, OAuth in the person's browser
 *
 * Finds the provider's OAuth block in the provider files, opens the
 * browser at its sign-in page (MsOAuthSignIn: PKCE, loopback redirect)
 * and keeps the tokens in the keyring (ms-oauth-account.c), the client
 * id with the refresh token; `mail-setup token ADDRESS` then prints fresh
 * access tokens for mail programs. No token is ever printed here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "ms-address.h"
#include "ms-cli-command.h"
#include "ms-diagnosis-oauth.h"
#include "ms-json.h"
#include "ms-oauth-account.h"
#include "ms-oauth-sign-in.h"
#include "ms-tls-database.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

#define DEFAULT_TIMEOUT_SECONDS 600
#define MAX_TIMEOUT_SECONDS     3600

typedef struct
{
  char     *client_id;
  char     *ca_file;
  int       timeout;
  gboolean  json;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->client_id, g_free);
  g_clear_pointer (&options->ca_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static void
uri_changed_cb (MsOAuthSignIn *sign_in,
                GParamSpec    *pspec,
                gpointer       user_data)
{
  const char *uri = ms_oauth_sign_in_get_uri (sign_in);
  g_autofree char *shown = NULL;

  if (uri == NULL)
    return;
  /* The address is the provider file's endpoint with our parameters:
   * shown sanitised, as any outside text on a terminal. */
  shown = ms_untrusted_text_sanitize (uri, 16 * 1024);
  g_printerr (_("Opening your browser to sign in with your provider. If it did not open, open this address:\n%s\n"),
              shown != NULL ? shown : "");
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    ms_cli_printerr (_("no web browser could be opened (%s): open the address above in a browser "
                       "on this computer; the sign-in waits for it"), error->message);
}

/* On a terminal the address is printed (uri_changed_cb): without a
 * browser the person can still open it by hand, on this computer, whose
 * loopback the answer comes back to. So the sign-in waits, up to its
 * timeout, instead of ending as "no browser" the way the wizard's does. */
static gboolean
open_uri_cb (MsOAuthSignIn *sign_in,
             const char    *uri,
             gpointer       user_data)
{
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, launched_cb, NULL);

  return TRUE;
}

static void
print_json (const MsAddress *address,
            MsDiagnosis     *diagnosis)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, ms_address_get_display (address));
  json_builder_set_member_name (builder, "signed_in");
  json_builder_add_boolean_value (builder, diagnosis == NULL);
  json_builder_set_member_name (builder, "diagnosis");
  if (diagnosis != NULL)
    json_builder_add_value (builder, ms_diagnosis_to_json (diagnosis));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = ms_json_to_pretty_string (root);
  g_print ("%s\n", text);
}

static void
print_failure (const MsAddress *address,
               MsDiagnosis     *diagnosis,
               gboolean         json)
{
  if (json)
    {
      print_json (address, diagnosis);
      return;
    }

  ms_cli_printerr ("%s: %s", diagnosis->title, diagnosis->explanation);
  if (diagnosis->detail != NULL)
    ms_cli_printerr ("%s", diagnosis->detail);
}

/* Runs the sign-in; the tokens, or NULL with @error set. */
static MsOAuthTokens *
run_sign_in (MsOAuthConfig  *config,
             const char     *address,
             const Options  *options,
             GTlsDatabase   *tls_database,
             MsOAuthClient **client,
             GError        **error)
{
  g_autoptr(MsOAuthSignIn) sign_in = ms_oauth_sign_in_new (config, address);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  ms_oauth_sign_in_set_client (sign_in, options->client_id, NULL);
  ms_oauth_sign_in_set_tls_database (sign_in, tls_database);
  ms_oauth_sign_in_set_timeout (sign_in, options->timeout);
  g_signal_connect (sign_in, "notify::uri", G_CALLBACK (uri_changed_cb), NULL);
  g_signal_connect (sign_in, "open-uri", G_CALLBACK (open_uri_cb), NULL);

  ms_oauth_sign_in_run_async (sign_in, cancellable, ms_cli_store_result_cb, &result);
  ms_cli_wait (cancellable, &result);

  return ms_oauth_sign_in_run_finish (sign_in, result, client, error);
}

static gboolean
parse (Options   *options,
       int       *argc,
       char    ***argv)
{
  const GOptionEntry entries[] = {
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &options->client_id,
      N_("Sign in as this OAuth client instead of the built-in or a registered one"), N_("ID") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout,
      N_("Seconds to wait for the browser (default 600)"), N_("SECONDS") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options->ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print the result as JSON (see docs/cli-json.md)"), NULL },
    { NULL }
  };

  g_set_prgname ("mail-setup sign-in");
  if (!ms_cli_parse_options (entries, NULL, N_("ADDRESS"),
                             N_("Sign in to ADDRESS’s provider in the web browser (OAuth) and keep the sign-in\n"
                                "in the keyring, for “mail-setup token” and the mail programs."),
                             N_("Exit status: 0 when signed in, 1 when not, 2 on bad usage."),
                             argc, argv))
    return FALSE;
  if (*argc != 2)
    {
      ms_cli_printerr (_("give one email address; “mail-setup sign-in --help” explains"));
      return FALSE;
    }
  if (options->timeout < 1 || options->timeout > MAX_TIMEOUT_SECONDS)
    {
      ms_cli_printerr (_("--timeout takes a number of seconds from 1 to %d"), MAX_TIMEOUT_SECONDS);
      return FALSE;
    }
  if (options->client_id != NULL &&
      !ms_validate_oauth_client_id (options->client_id, "--client-id", NULL))
    {
      ms_cli_printerr (_("--client-id takes a client id of printable characters without blanks"));
      return FALSE;
    }

  return ms_cli_check_value (_("ADDRESS"), MS_CLI_VALUE_ADDRESS, (*argv)[1]) &&
         ms_cli_check_value ("--ca-file", MS_CLI_VALUE_FILE, options->ca_file);
}

/* After the sign-in: keep the tokens, say so. */
static int
finish (const MsAddress *address,
        MsProvider      *provider,
        MsOAuthTokens   *tokens,
        MsOAuthClient   *client,
        GError          *failure,
        gboolean         json)
{
  g_autoptr(GError) error = failure;
  g_autoptr(MsDiagnosis) diagnosis = NULL;

  if (tokens != NULL &&
      !ms_oauth_account_store_sync (ms_address_get_ascii (address), client->client_id, tokens,
                                    NULL, &error))
    {
      ms_cli_printerr (_("the sign-in worked, but the keyring did not keep it: %s"), error->message);
      return MS_CLI_EXIT_FAILED;
    }
  if (tokens != NULL)
    {
      if (json)
        print_json (address, NULL);
      else
        g_print (_("%s is signed in. Mail programs get its access token from “mail-setup token %s”.\n"),
                 ms_address_get_display (address), ms_address_get_ascii (address));
      return MS_CLI_EXIT_OK;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ms_cli_printerr (_("the sign-in was stopped"));
      return MS_CLI_EXIT_FAILED;
    }

  diagnosis = ms_diagnosis_new_for_oauth_error (error, provider);
  print_failure (address, diagnosis, json);

  return MS_CLI_EXIT_FAILED;
}

int
ms_cli_sign_in (int    argc,
                char **argv)
{
  g_auto(Options) options = { .timeout = DEFAULT_TIMEOUT_SECONDS };
  g_autoptr(MsAddress) address = NULL;
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  g_autoptr(MsOAuthTokens) tokens = NULL;
  g_autoptr(MsOAuthClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse (&options, &argc, &argv))
    return MS_CLI_EXIT_USAGE;
  address = ms_address_parse (argv[1], &error);
  if (address == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }
  tls_database = ms_tls_database_new (options.ca_file, &error);
  if (tls_database == NULL)
    {
      ms_cli_printerr ("%s", error->message);
      return MS_CLI_EXIT_USAGE;
    }

  provider = ms_cli_find_oauth_provider (address);
  if (provider == NULL)
    return MS_CLI_EXIT_FAILED;

  tokens = run_sign_in (ms_provider_get_oauth (provider), ms_address_get_ascii (address),
                        &options, tls_database, &client, &error);

  return finish (address, provider, tokens, client, g_steal_pointer (&error), options.json);
}
