/* ms-export-mbsync.c: an isync (mbsync) channel from the IMAP server to a Maildir
 *
 * Written for isync 1.4 (Debian 12): SSLType, Far/Near. The password comes
 * from the keyring through PassCmd.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-exporter-private.h"
#include "ms-keyring-command.h"

#define FORMAT ".mbsyncrc"

char *
ms_export_mbsync_render (MsAccountSettings  *settings,
                         GError            **error)
{
  const MsServer *imap = settings->incoming;
  const char *address = settings->address;
  g_autofree char *command = NULL;
  g_autofree char *quoted_command = NULL;
  g_autofree char *maildir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *inbox = NULL;
  g_autofree char *path_arg = NULL;
  g_autofree char *inbox_arg = NULL;
  g_autofree char *account = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *remote_ref = NULL;
  g_autofree char *local = NULL;
  g_autofree char *local_ref = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca = NULL;
  g_autoptr(GString) out = NULL;

  if (imap->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("mbsync only syncs IMAP accounts; this account was set up with POP3"));
      return NULL;
    }

  /* The address names the account and the channel, its stores, and the
   * Maildir folder under ~/Mail: every name quoted, none with ":". */
  if (!ms_export_syntax_check_text (address, _("the email address"), FORMAT, error))
    return NULL;
  if (strchr (address, '/') != NULL || address[0] == '.')
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                   _("%s cannot hold %s: %s"), FORMAT, _("the email address"),
                   _("it cannot name a folder under ~/Mail"));
      return NULL;
    }

  {
    g_autofree char *remote_name = g_strconcat (address, "-remote", NULL);
    g_autofree char *local_name = g_strconcat (address, "-local", NULL);
    g_autofree char *remote_spec = g_strconcat (":", remote_name, ":", NULL);
    g_autofree char *local_spec = g_strconcat (":", local_name, ":", NULL);

    maildir = g_build_filename ("~", "Mail", address, NULL);
    path = g_strconcat (maildir, "/", NULL);
    inbox = g_strconcat (maildir, "/INBOX", NULL);
    command = ms_keyring_lookup_command (address, MS_PROTOCOL_IMAP);

    if ((account = ms_export_syntax_isync_name (address, _("the email address"), error)) == NULL ||
        (remote = ms_export_syntax_isync_name (remote_name, _("the email address"), error)) == NULL ||
        (remote_ref = ms_export_syntax_isync_arg (remote_spec, _("the email address"), error)) == NULL ||
        (local = ms_export_syntax_isync_name (local_name, _("the email address"), error)) == NULL ||
        (local_ref = ms_export_syntax_isync_arg (local_spec, _("the email address"), error)) == NULL)
      return NULL;
  }

  if ((path_arg = ms_export_syntax_isync_arg (path, _("the mail folder"), error)) == NULL ||
      (inbox_arg = ms_export_syntax_isync_arg (inbox, _("the mail folder"), error)) == NULL ||
      !ms_export_syntax_check_command (command, FORMAT, error) ||
      (quoted_command = ms_export_syntax_isync_arg (command, _("the keyring command"), error)) == NULL ||
      !ms_export_syntax_check_hostname (imap->hostname, _("the server name"), FORMAT, error) ||
      (host = ms_export_syntax_isync_arg (imap->hostname, _("the server name"), error)) == NULL)
    return NULL;
  if (imap->username != NULL &&
      (user = ms_export_syntax_isync_arg (imap->username, _("the user name"), error)) == NULL)
    return NULL;
  if (settings->ca_file != NULL &&
      (!ms_export_syntax_check_path (settings->ca_file, _("the certificate file"), FORMAT, error) ||
       (ca = ms_export_syntax_isync_arg (settings->ca_file, _("the certificate file"), error)) == NULL))
    return NULL;

  out = g_string_new (NULL);
  g_string_append_printf (out, "IMAPAccount %s\n", account);
  g_string_append_printf (out, "Host %s\n", host);
  g_string_append_printf (out, "Port %u\n", imap->port);
  if (user != NULL)
    {
      g_string_append_printf (out, "User %s\n", user);
      g_string_append_printf (out, "PassCmd %s\n", quoted_command);
    }
  g_string_append_printf (out, "SSLType %s\n", ms_export_security_word (MS_EXPORT_SECURITY_MBSYNC, imap->security));
  if (ca != NULL)
    g_string_append_printf (out, "CertificateFile %s\n", ca);
  g_string_append_printf (out, "\nIMAPStore %s\nAccount %s\n", remote, account);
  g_string_append_printf (out, "\nMaildirStore %s\nPath %s\nInbox %s\nSubFolders Verbatim\n",
                          local, path_arg, inbox_arg);
  g_string_append_printf (out, "\nChannel %s\nFar %s\nNear %s\n"
                          "Patterns *\nCreate Near\nSyncState *\n",
                          account, remote_ref, local_ref);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
static gboolean
export_mbsync (MsExportContext  *context,
               GError          **error)
{
  static const char *const parts[] = { ".mbsyncrc", NULL };

  if (!ms_export_write_config_block (context, MS_EXPORT_TARGET_HOME, parts,
                                     ms_export_mbsync_render (context->settings, error), error))
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
