/* ms-program-files.h: what the mail programs' backends share: reading a file, the files an account is in, a password command, a server, a mail URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-inventory.h"
#include "ms-account-settings.h"
#include "ms-existing-account.h"
#include "ms-server.h"

G_BEGIN_DECLS

gboolean            ms_program_files_read       (MsMailProgram        program,
                                                 const char          *path,
                                                 MsAccountInventory  *inventory,
                                                 char               **contents,
                                                 gsize               *length);
void                ms_program_files_add_account (MsAccountInventory *inventory,
                                                 MsMailProgram        program,
                                                 const char          *path,
                                                 guint                line,
                                                 MsExistingAccount   *account,
                                                 const GError        *error);
gboolean            ms_program_files_check_imap_smtp (MsAccountSettings *target,
                                                 const char          *refusal,
                                                 const char          *format,
                                                 GError             **error);
GStrv               ms_program_files_paths      (const char          *location,
                                                 const char          *outgoing_location);
MsPasswordLocation *ms_program_files_password_from_command (const char *command);

MsServer           *ms_program_files_server     (MsProtocol           protocol,
                                                 const char          *hostname,
                                                 const char          *port,
                                                 guint16              default_port,
                                                 MsSecurity           security,
                                                 const char          *username,
                                                 GError             **error);
void                ms_program_files_take_auth  (MsServer            *server,
                                                 const char          *mechanisms);
gboolean            ms_program_files_address    (const char          *value,
                                                 const char          *source,
                                                 char               **address,
                                                 char               **display_name,
                                                 GError             **error);

/**
 * MsMailUrl:
 * @scheme: before "://" ("imaps", "smtp+insecure")
 * @user: (nullable): the user name, percent-decoded
 * @password: (nullable): the ":password" part as it is written, never decoded
 * @host: the host name
 * @port: (nullable): the port as written
 * @rest: the path and query as written ("" when none)
 *
 * A mail server URL as neomutt and aerc write them.
 */
typedef struct
{
  char *scheme;
  char *user;
  char *password;
  char *host;
  char *port;
  char *rest;
} MsMailUrl;

gboolean            ms_mail_url_parse           (const char          *text,
                                                 MsMailUrl           *url);
void                ms_mail_url_clear           (MsMailUrl           *url);
char               *ms_mail_url_build           (const MsMailUrl     *url,
                                                 const char          *scheme,
                                                 const MsServer      *server,
                                                 const char          *format,
                                                 GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MsMailUrl, ms_mail_url_clear)

G_END_DECLS
