/* ms-export-mbsync.c: an isync (mbsync) channel from the IMAP server to a Maildir
 *
 * Written for isync 1.4 (Debian 12): SSLType, Far/Near. The password comes
 * from the keyring through PassCmd. An OAuth server gets "AuthMechs
 * XOAUTH2" and a PassCmd that runs `mail-setup token`: isync hands the
 * printed access token to Cyrus SASL as the password, and the XOAUTH2
 * mechanism comes from a SASL plugin (Debian 12's
 * libsasl2-modules-kdexoauth2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-export-security.h"
#include "ms-export-syntax.h"
#include "ms-export-token-command.h"
#include "ms-exporter-private.h"
#include "ms-host-paths.h"

#define FORMAT ".mbsyncrc"

/* Every value that goes into the file, already quoted for it. */
typedef struct
{
  char *account;
  char *remote;
  char *remote_ref;
  char *local;
  char *local_ref;
  char *path;
  char *inbox;
  char *command;
  char *host;
  char *user;
  char *ca;
} MbsyncValues;

static void
mbsync_values_clear (MbsyncValues *values)
{
  g_clear_pointer (&values->account, g_free);
  g_clear_pointer (&values->remote, g_free);
  g_clear_pointer (&values->remote_ref, g_free);
  g_clear_pointer (&values->local, g_free);
  g_clear_pointer (&values->local_ref, g_free);
  g_clear_pointer (&values->path, g_free);
  g_clear_pointer (&values->inbox, g_free);
  g_clear_pointer (&values->command, g_free);
  g_clear_pointer (&values->host, g_free);
  g_clear_pointer (&values->user, g_free);
  g_clear_pointer (&values->ca, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MbsyncValues, mbsync_values_clear)

/* The address names the account and the channel, its stores, and the
 * Maildir folder under ~/Mail: every name quoted, none with ":". */
static gboolean
quote_names (const char    *address,
             MbsyncValues  *values,
             GError       **error)
{
  g_autofree char *remote_name = NULL;
  g_autofree char *local_name = NULL;
  g_autofree char *remote_spec = NULL;
  g_autofree char *local_spec = NULL;

  if (!ms_export_syntax_check_text (address, _("the email address"), FORMAT, error))
    return FALSE;
  if (strchr (address, '/') != NULL || address[0] == '.')
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_INVALID_VALUE,
                   _("%s cannot hold %s: %s"), FORMAT, _("the email address"),
                   _("it cannot name a folder under ~/Mail"));
      return FALSE;
    }

  remote_name = g_strconcat (address, "-remote", NULL);
  local_name = g_strconcat (address, "-local", NULL);
  remote_spec = g_strconcat (":", remote_name, ":", NULL);
  local_spec = g_strconcat (":", local_name, ":", NULL);

  return (values->account = ms_export_syntax_isync_name (address, _("the email address"), error)) != NULL &&
         (values->remote = ms_export_syntax_isync_name (remote_name, _("the email address"), error)) != NULL &&
         (values->remote_ref = ms_export_syntax_isync_arg (remote_spec, _("the email address"), error)) != NULL &&
         (values->local = ms_export_syntax_isync_name (local_name, _("the email address"), error)) != NULL &&
         (values->local_ref = ms_export_syntax_isync_arg (local_spec, _("the email address"), error)) != NULL;
}

static gboolean
quote_folders_and_server (MsAccountSettings  *settings,
                          MbsyncValues       *values,
                          GError            **error)
{
  const MsServer *imap = settings->incoming;
  g_autofree char *maildir = g_build_filename ("~", "Mail", settings->address, NULL);
  g_autofree char *path = g_strconcat (maildir, "/", NULL);
  g_autofree char *inbox = g_strconcat (maildir, "/INBOX", NULL);
  g_autofree char *command = NULL;

  if ((values->path = ms_export_syntax_isync_arg (path, _("the mail folder"), error)) == NULL ||
      (values->inbox = ms_export_syntax_isync_arg (inbox, _("the mail folder"), error)) == NULL ||
      (command = ms_export_secret_command (settings->address, imap, FORMAT, error)) == NULL ||
      (values->command = ms_export_syntax_isync_arg (command, _("the keyring command"), error)) == NULL ||
      !ms_export_syntax_check_hostname (imap->hostname, _("the server name"), FORMAT, error) ||
      (values->host = ms_export_syntax_isync_arg (imap->hostname, _("the server name"), error)) == NULL)
    return FALSE;
  if (imap->username != NULL &&
      (values->user = ms_export_syntax_isync_arg (imap->username, _("the user name"), error)) == NULL)
    return FALSE;
  if (settings->ca_file != NULL &&
      (!ms_export_syntax_check_path (settings->ca_file, _("the certificate file"), FORMAT, error) ||
       (values->ca = ms_export_syntax_isync_arg (settings->ca_file, _("the certificate file"), error)) == NULL))
    return FALSE;

  return TRUE;
}

static char *
write_config (const MsServer     *imap,
              const MbsyncValues *values)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "IMAPAccount %s\n", values->account);
  g_string_append_printf (out, "Host %s\n", values->host);
  g_string_append_printf (out, "Port %u\n", imap->port);
  if (values->user != NULL)
    {
      g_string_append_printf (out, "User %s\n", values->user);
      g_string_append_printf (out, "PassCmd %s\n", values->command);
      if (ms_export_server_uses_oauth (imap))
        g_string_append (out, "AuthMechs XOAUTH2\n");
      /* isync leaves the choice among the server's mechanisms to Cyrus
       * SASL, which takes XOAUTH2 once its plugin is installed (for an
       * OAuth account's export): the password would not log in. */
      else if (imap->auth == MS_AUTH_PASSWORD_CLEARTEXT)
        g_string_append (out, "AuthMechs PLAIN LOGIN\n");
    }
  g_string_append_printf (out, "SSLType %s\n", ms_export_security_word (MS_EXPORT_SECURITY_MBSYNC, imap->security));
  if (values->ca != NULL)
    g_string_append_printf (out, "CertificateFile %s\n", values->ca);
  /* isync 1.4 spells it SSLVersions (TLSVersions is 1.5). */
  if (imap->max_tls12 && imap->security != MS_SECURITY_NONE)
    g_string_append (out, "SSLVersions TLSv1.2\n");
  g_string_append_printf (out, "\nIMAPStore %s\nAccount %s\n", values->remote, values->account);
  g_string_append_printf (out, "\nMaildirStore %s\nPath %s\nInbox %s\nSubFolders Verbatim\n",
                          values->local, values->path, values->inbox);
  g_string_append_printf (out, "\nChannel %s\nFar %s\nNear %s\n"
                          "Patterns *\nCreate Near\nSyncState *\n",
                          values->account, values->remote_ref, values->local_ref);

  return g_string_free (out, FALSE);
}

char *
ms_export_mbsync_render (MsAccountSettings  *settings,
                         GError            **error)
{
  g_auto(MbsyncValues) values = { NULL };

  if (settings->incoming->protocol != MS_PROTOCOL_IMAP)
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_UNSUPPORTED,
                           _("mbsync only syncs IMAP accounts; this account was set up with POP3"));
      return NULL;
    }

  if (!quote_names (settings->address, &values, error) ||
      !quote_folders_and_server (settings, &values, error))
    return NULL;

  return write_config (settings->incoming, &values);
}

static gboolean
export_mbsync (MsExportContext  *context,
               GError          **error)
{
  static const char *const parts[] = { ".mbsyncrc", NULL };

  /* mbsync 1.4 (Debian 12) reads only ~/.mbsyncrc. A Flatpak can be given
   * one file, but then cannot replace it atomically (rename fails on a
   * mount point), and the whole home is too much to ask for. */
  if (context->output_path == NULL && ms_host_paths_is_sandboxed ())
    {
      g_set_error_literal (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_SANDBOXED,
                           _("mbsync reads only ~/.mbsyncrc, which Mail Setup cannot replace safely from inside a Flatpak. "
                             "Run “mail-setup export --to mbsync” from Mail Setup installed outside Flatpak."));
      return FALSE;
    }

  if (!ms_export_write_config_block (context, MS_EXPORT_TARGET_HOME, parts,
                                     ms_export_mbsync_render (context->settings, error), error))
    return FALSE;

  /* mbsync creates the mailboxes but not the store's own folder. */
  {
    g_autofree char *maildir = g_build_filename (ms_host_paths_get_home (), "Mail",
                                                 context->settings->address, NULL);

    if (g_mkdir_with_parents (maildir, 0700) != 0)
      ms_export_add_warning (context, _("Could not create the mail folder ~/Mail; create it before running mbsync."));
  }

  return TRUE;
}

const MsExporter ms_export_mbsync = {
  "mbsync", N_("mbsync (isync)"), TRUE, export_mbsync,
};
