/* ms-export-msmtp.c: an msmtp account that fetches its password from the keyring
 *
 * With the password at hand it goes under msmtp's own keyring schema and
 * the account has no password line: msmtp (built with libsecret, as
 * Debian's is) then finds it by itself, with no secret-tool needed.
 * Without it, or if that store fails, "passwordeval" runs secret-tool
 * with this product's schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-exporter-private.h"
#include "ms-keyring.h"

/* msmtp reads double-quoted arguments with \" and \\ escapes. */
static char *
quote (const char *value)
{
  GString *out = g_string_new ("\"");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

/* msmtp 1.8's lookup (password.c): this schema, not matched by name, with
 * the account's host and user and the service "smtp". */
static const SecretSchema *
msmtp_schema (void)
{
  static const SecretSchema schema = {
    "de.marlam.msmtp.password", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static char *
render (MsAccountSettings *settings,
        gboolean           native_keyring)
{
  const MsServer *smtp = settings->outgoing;
  g_autofree char *command = ms_keyring_lookup_command (settings->address, MS_PROTOCOL_SMTP);
  g_autofree char *quoted_command = quote (command);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "account %s\n", settings->address);
  g_string_append_printf (out, "host %s\n", smtp->hostname);
  g_string_append_printf (out, "port %u\n", smtp->port);
  g_string_append_printf (out, "from %s\n", settings->address);
  switch (smtp->security)
    {
    case MS_SECURITY_TLS:
      g_string_append (out, "tls on\ntls_starttls off\n");
      break;
    case MS_SECURITY_STARTTLS:
      g_string_append (out, "tls on\ntls_starttls on\n");
      break;
    case MS_SECURITY_NONE:
    default:
      g_string_append (out, "tls off\n");
      break;
    }
  if (settings->ca_file != NULL)
    {
      g_autofree char *quoted = quote (settings->ca_file);

      g_string_append_printf (out, "tls_trust_file %s\n", quoted);
    }
  if (smtp->username != NULL)
    {
      g_autofree char *quoted = quote (smtp->username);

      g_string_append_printf (out, "auth on\nuser %s\n", quoted);
      if (!native_keyring)
        g_string_append_printf (out, "passwordeval %s\n", quoted_command);
    }
  else
    g_string_append (out, "auth off\n");

  return g_string_free (out, FALSE);
}

char *
ms_export_msmtp_render (MsAccountSettings *settings)
{
  return render (settings, FALSE);
}

/* Whether msmtp will find the password by itself. A keyring that fails
 * (locked, no service) costs nothing but the passwordeval line. */
static gboolean
store_native (MsExportContext  *context,
              GError          **error)
{
  const MsServer *smtp = context->settings->outgoing;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;

  if (context->password == NULL || smtp->username == NULL)
    return FALSE;

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (char *) "host", smtp->hostname);
  g_hash_table_insert (attributes, (char *) "service", (char *) "smtp");
  g_hash_table_insert (attributes, (char *) "user", smtp->username);
  label = g_strdup_printf ("msmtp password for %s", context->settings->address);

  if (ms_keyring_store_other_sync (msmtp_schema (), attributes, label, context->password,
                                   context->cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    {
      g_autofree char *warning = g_strdup_printf (_("msmtp will fetch the password with secret-tool (package libsecret-tools): %s"),
                                                  local_error->message);

      ms_export_add_warning (context, warning);
    }

  return FALSE;
}

static gboolean
export_msmtp (MsExportContext  *context,
              GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *block = NULL;
  g_autofree char *path = NULL;
  gboolean native_keyring;

  native_keyring = store_native (context, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  block = render (context->settings, native_keyring);

  if (context->output_path != NULL)
    path = g_strdup (context->output_path);
  else
    path = g_build_filename (g_get_user_config_dir (), "msmtp", "config", NULL);

  /* msmtp refuses a configuration file others can read. */
  return ms_export_write_block (context, path, "#", block, TRUE, error);
}

const MsExporter ms_export_msmtp = {
  "msmtp", N_("msmtp"), TRUE, export_msmtp,
};
