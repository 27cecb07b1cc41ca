/* ms-export-mbsync.c: an isync (mbsync) channel from the IMAP server to a Maildir
 *
 * Written for isync 1.4 (Debian 12): SSLType, Far/Near. The password comes
 * from the keyring through PassCmd.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-exporter-private.h"
#include "ms-keyring.h"

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

char *
ms_export_mbsync_render (MsAccountSettings  *settings,
                         GError            **error)
{
  const MsServer *imap = settings->incoming;
  g_autofree char *command = NULL;
  g_autofree char *quoted_command = NULL;
  g_autofree char *maildir = NULL;
  const char *name = settings->address;
  GString *out;

  if (imap->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("mbsync only syncs IMAP accounts; this account was set up with POP3"));
      return NULL;
    }

  command = ms_keyring_lookup_command (settings->address, MS_PROTOCOL_IMAP);
  quoted_command = quote (command);
  maildir = g_build_filename ("~", "Mail", settings->address, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "IMAPAccount %s\n", name);
  g_string_append_printf (out, "Host %s\n", imap->hostname);
  g_string_append_printf (out, "Port %u\n", imap->port);
  if (imap->username != NULL)
    {
      g_autofree char *user = quote (imap->username);

      g_string_append_printf (out, "User %s\n", user);
      g_string_append_printf (out, "PassCmd %s\n", quoted_command);
    }
  switch (imap->security)
    {
    case MS_SECURITY_TLS:
      g_string_append (out, "SSLType IMAPS\n");
      break;
    case MS_SECURITY_STARTTLS:
      g_string_append (out, "SSLType STARTTLS\n");
      break;
    case MS_SECURITY_NONE:
    default:
      g_string_append (out, "SSLType None\n");
      break;
    }
  if (settings->ca_file != NULL)
    {
      g_autofree char *ca = quote (settings->ca_file);

      g_string_append_printf (out, "CertificateFile %s\n", ca);
    }
  g_string_append_printf (out, "\nIMAPStore %s-remote\nAccount %s\n", name, name);
  g_string_append_printf (out, "\nMaildirStore %s-local\nPath %s/\nInbox %s/INBOX\nSubFolders Verbatim\n",
                          name, maildir, maildir);
  g_string_append_printf (out, "\nChannel %s\nFar :%s-remote:\nNear :%s-local:\n"
                          "Patterns *\nCreate Near\nSyncState *\n",
                          name, name, name);

  return g_string_free (out, FALSE);
}

static gboolean
export_mbsync (MsExportContext  *context,
               GError          **error)
{
  g_autofree char *block = ms_export_mbsync_render (context->settings, error);
  g_autofree char *path = NULL;

  if (block == NULL)
    return FALSE;

  if (context->output_path != NULL)
    path = g_strdup (context->output_path);
  else
    path = g_build_filename (g_get_home_dir (), ".mbsyncrc", NULL);

  if (!ms_export_write_block (context, path, "#", block, TRUE, error))
    return FALSE;

  /* mbsync creates the mailboxes but not the store's own folder. */
  {
    g_autofree char *maildir = g_build_filename (g_get_home_dir (), "Mail",
                                                 context->settings->address, NULL);

    if (g_mkdir_with_parents (maildir, 0700) != 0)
      ms_export_add_warning (context, _("Could not create the mail folder ~/Mail; create it before running mbsync."));
  }

  return TRUE;
}

const MsExporter ms_export_mbsync = {
  "mbsync", N_("mbsync (isync)"), TRUE, export_mbsync,
};
