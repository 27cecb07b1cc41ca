/* ms-cli-providers.c: `mail-setup providers [DOMAIN] [--json]`
 *
 * Lists the provider files Mail Setup knows, or shows what one domain's
 * file says and where it came from, so an administrator can check an
 * override file. The JSON output is a stable interface, documented in
 * data/providers/README.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ms-cli-command.h"
#include "ms-cli-providers-lookup.h"
#include "ms-json.h"
#include "ms-provider-database.h"
#include "ms-untrusted-text.h"

/* What a provider file says is shown only cleaned (ms-untrusted-text.h):
 * the copies live as long as @pool. */
#define SHOWN(pool, text) ms_untrusted_text_pool_sanitize ((pool), (text), MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES)

/* Names a later subcommand ("providers lookup ADDRESS") will take; never
 * read as a domain. */
static const char *reserved_words[] = { "lookup", NULL };

static void
print_load_errors (MsProviderDatabase *database)
{
  GPtrArray *errors = ms_provider_database_get_load_errors (database);

  for (guint i = 0; i < errors->len; i++)
    {
      const GError *error = g_ptr_array_index (errors, i);

      ms_cli_printerr (_("warning: skipped a provider file: %s"), error->message);
    }
}

static void
add_load_errors (JsonBuilder        *builder,
                 MsProviderDatabase *database)
{
  GPtrArray *errors = ms_provider_database_get_load_errors (database);

  json_builder_set_member_name (builder, "load_errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < errors->len; i++)
    {
      const GError *error = g_ptr_array_index (errors, i);

      ms_json_add_text_value (builder, error->message, "");
    }
  json_builder_end_array (builder);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = ms_json_to_pretty_string (root);

  g_print ("%s\n", text);
}

static void
print_list_json (MsProviderDatabase *database)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *providers = ms_provider_database_get_providers (database);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "providers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < providers->len; i++)
    {
      MsProvider *provider = g_ptr_array_index (providers, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, ms_provider_get_id (provider));
      json_builder_set_member_name (builder, "name");
      ms_json_add_text_value (builder, ms_provider_get_display_name (provider), ms_provider_get_id (provider));
      ms_json_add_strv (builder, "domains", ms_provider_get_domains (provider));
      ms_json_add_text (builder, "source", ms_provider_get_source (provider));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_load_errors (builder, database);
  json_builder_end_object (builder);

  print_json (builder);
}

static void
print_list_text (MsProviderDatabase *database)
{
  GPtrArray *providers = ms_provider_database_get_providers (database);

  for (guint i = 0; i < providers->len; i++)
    {
      MsProvider *provider = g_ptr_array_index (providers, i);
      g_autofree char *domains = g_strjoinv (", ", (char **) ms_provider_get_domains (provider));
      g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);

      g_print ("%s (%s)\n", SHOWN (pool, ms_provider_get_display_name (provider)),
               SHOWN (pool, ms_provider_get_id (provider)));
      g_print ("  %s %s\n", _("Domains:"), SHOWN (pool, domains));
      g_print ("  %s %s\n", _("Source:"), SHOWN (pool, ms_provider_get_source (provider)));
    }
}

/* Issue 14: what the person needs before the first login. */
static void
print_before_login_text (MsProvider *provider,
                         GPtrArray  *pool)
{
  MsProviderStatus status = ms_provider_get_status (provider);
  g_autofree char *warning = ms_provider_describe_status (provider);

  if (ms_provider_get_app_password_url (provider) != NULL)
    g_print ("  %s %s\n", _("App passwords:"), SHOWN (pool, ms_provider_get_app_password_url (provider)));
  if (ms_provider_get_login_hint (provider) != NULL)
    g_print ("  %s %s\n", _("Before you sign in:"), SHOWN (pool, ms_provider_get_login_hint (provider)));
  if (status != MS_PROVIDER_STATUS_UNKNOWN && ms_provider_get_last_checked (provider) != NULL)
    /* TRANSLATORS: "Status: working (last checked 2025-06-01)"; the status
     * is a stable name, not translated */
    g_print ("  %s %s (%s %s)\n", _("Status:"), ms_provider_status_to_string (status),
             _("last checked"), ms_provider_get_last_checked (provider));
  else if (status != MS_PROVIDER_STATUS_UNKNOWN)
    g_print ("  %s %s\n", _("Status:"), ms_provider_status_to_string (status));
  if (status == MS_PROVIDER_STATUS_BROKEN)
    g_print ("  %s %s\n", _("Warning:"), warning);
}

static void
print_provider_text (MsProvider *provider)
{
  GPtrArray *notices = ms_provider_get_notices (provider);
  GPtrArray *profiles = ms_provider_get_profiles (provider);
  g_autofree char *domains = g_strjoinv (", ", (char **) ms_provider_get_domains (provider));
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);

  g_print ("%s (%s)\n", SHOWN (pool, ms_provider_get_display_name (provider)),
           SHOWN (pool, ms_provider_get_id (provider)));
  g_print ("  %s %s\n", _("Source:"), SHOWN (pool, ms_provider_get_source (provider)));
  g_print ("  %s %s\n", _("Domains:"), SHOWN (pool, domains));
  if (ms_provider_get_username_is_address (provider))
    g_print ("  %s %s\n", _("Username:"), _("always the full email address"));
  if (ms_provider_get_support_phone (provider) != NULL)
    g_print ("  %s %s\n", _("Support phone:"), SHOWN (pool, ms_provider_get_support_phone (provider)));
  if (ms_provider_get_support_url (provider) != NULL)
    g_print ("  %s %s\n", _("Support:"), SHOWN (pool, ms_provider_get_support_url (provider)));
  if (ms_provider_get_documentation_url (provider) != NULL)
    g_print ("  %s %s\n", _("Documentation:"), SHOWN (pool, ms_provider_get_documentation_url (provider)));
  print_before_login_text (provider, pool);

  for (guint i = 0; i < notices->len; i++)
    {
      MsNotice *notice = g_ptr_array_index (notices, i);

      g_print ("  %s (%s): %s\n", _("Notice"),
               ms_notice_kind_to_string (ms_notice_get_kind (notice)),
               ms_notice_get_text (notice) != NULL ? SHOWN (pool, ms_notice_get_text (notice)) : "");
    }

  for (guint i = 0; i < profiles->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (profiles, i);

      g_print ("\n  %s “%s” (%s)%s\n", _("Profile"), SHOWN (pool, ms_profile_get_name (profile)),
               SHOWN (pool, ms_profile_get_id (profile)),
               ms_profile_get_recommended (profile) ? _(", recommended") : "");
      if (ms_profile_get_description (profile) != NULL)
        g_print ("    %s\n", SHOWN (pool, ms_profile_get_description (profile)));
      if (ms_profile_get_restriction (profile) != NULL)
        g_print ("    %s %s\n", _("Restriction:"), SHOWN (pool, ms_profile_get_restriction (profile)));
      ms_cli_print_servers ("    ", _("Incoming:"), ms_profile_get_incoming (profile), TRUE);
      ms_cli_print_servers ("    ", _("Outgoing:"), ms_profile_get_outgoing (profile), TRUE);
      ms_cli_print_servers ("    ", _("Alternate:"), ms_profile_get_alternates (profile), TRUE);
    }
}

static int
show_domain (MsProviderDatabase *database,
             const char         *domain,
             gboolean            json)
{
  MsProvider *provider = ms_provider_database_lookup (database, domain);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      ms_json_add_text (builder, "domain", domain);
      json_builder_set_member_name (builder, "provider");
      if (provider != NULL)
        json_builder_add_value (builder, ms_provider_to_json (provider));
      else
        json_builder_add_null_value (builder);
      add_load_errors (builder, database);
      json_builder_end_object (builder);

      print_json (builder);
    }
  else if (provider != NULL)
    {
      print_provider_text (provider);
    }

  if (provider == NULL)
    {
      ms_cli_printerr (_("no provider file knows “%s”; “mail-setup providers” lists the known ones"),
                       domain);
      return MS_CLI_EXIT_FAILED;
    }

  return MS_CLI_EXIT_OK;
}

int
ms_cli_providers (int    argc,
                  char **argv)
{
  g_autoptr(MsProviderDatabase) database = NULL;
  g_autofree char *domain = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON (described in the provider files’ README)"), NULL },
    { NULL }
  };

  g_set_prgname ("mail-setup providers");

  /* "providers lookup ADDRESS" has options of its own. */
  if (argc >= 2 && g_str_equal (argv[1], "lookup"))
    {
      g_set_prgname ("mail-setup providers lookup");
      return ms_cli_providers_lookup (argc - 1, argv + 1);
    }

  if (!ms_cli_parse_options (entries, NULL, N_("[DOMAIN]"),
                             N_("Without DOMAIN, list the mail providers Mail Setup knows.\n"
                                "With DOMAIN (like charter.net), show its settings and profiles\n"
                                "and the file they come from."),
                             N_("Files in ~/.config/mail-setup/providers/, then in\n"
                                "mail-setup/providers/ under $XDG_CONFIG_DIRS and $XDG_DATA_DIRS,\n"
                                "replace the built-in ones with the same provider id or domain."),
                             &argc, &argv))
    return MS_CLI_EXIT_USAGE;

  if (argc > 2)
    {
      ms_cli_printerr (_("give at most one domain; “mail-setup providers --help” explains"));
      return MS_CLI_EXIT_USAGE;
    }

  if (argc == 2)
    {
      if (g_strv_contains (reserved_words, argv[1]))
        {
          ms_cli_printerr (_("“providers %s” is not available in this version"), argv[1]);
          return MS_CLI_EXIT_USAGE;
        }
      if (strchr (argv[1], '@') != NULL)
        {
          ms_cli_printerr (_("“%s” is an address; give only the part after the “@”"), argv[1]);
          return MS_CLI_EXIT_USAGE;
        }
      domain = ms_provider_normalize_domain (argv[1]);
      if (domain == NULL || strchr (domain, '.') == NULL)
        {
          ms_cli_printerr (_("“%s” is not a domain name (like charter.net)"), argv[1]);
          return MS_CLI_EXIT_USAGE;
        }
    }

  database = ms_provider_database_new ();
  ms_provider_database_load (database, NULL, NULL);
  print_load_errors (database);

  if (domain != NULL)
    return show_domain (database, domain, json);

  if (json)
    print_list_json (database);
  else
    print_list_text (database);

  return MS_CLI_EXIT_OK;
}
