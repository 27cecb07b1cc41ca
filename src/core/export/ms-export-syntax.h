/* ms-export-syntax.h: how each exported format quotes a value, or refuses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest value any format takes from us, in bytes. */
#define MS_EXPORT_SYNTAX_MAX_LENGTH 1024

/* Every function takes what the value is (a translated noun phrase, "the
 * user name") and the file it goes into ("msmtprc") for the error, and
 * either returns text the program reads back as exactly @value or fails
 * with MS_EXPORT_ERROR_INVALID_VALUE. None drops or rewrites a character. */

gboolean ms_export_syntax_check_text     (const char  *value,
                                          const char  *what,
                                          const char  *format,
                                          GError     **error);
gboolean ms_export_syntax_check_hostname (const char  *value,
                                          const char  *what,
                                          const char  *format,
                                          GError     **error);
gboolean ms_export_syntax_check_path     (const char  *value,
                                          const char  *what,
                                          const char  *format,
                                          GError     **error);
gboolean ms_export_syntax_check_command  (const char  *command,
                                          const char  *format,
                                          GError     **error);

char    *ms_export_syntax_mutt_string    (const char  *value,
                                          const char  *what,
                                          GError     **error);
char    *ms_export_syntax_msmtp_arg      (const char  *value,
                                          const char  *what,
                                          GError     **error);
char    *ms_export_syntax_msmtp_account  (const char  *value,
                                          const char  *what,
                                          GError     **error);
char    *ms_export_syntax_isync_arg      (const char  *value,
                                          const char  *what,
                                          GError     **error);
char    *ms_export_syntax_isync_name     (const char  *value,
                                          const char  *what,
                                          GError     **error);
char    *ms_export_syntax_ini_value      (const char  *value,
                                          const char  *what,
                                          const char  *format,
                                          GError     **error);
char    *ms_export_syntax_mailbox        (const char  *display_name,
                                          const char  *address,
                                          const char  *format,
                                          GError     **error);
char    *ms_export_syntax_uri_userinfo   (const char  *value,
                                          const char  *what,
                                          const char  *format,
                                          GError     **error);
char    *ms_export_syntax_js_string      (const char  *value,
                                          const char  *what,
                                          const char  *format,
                                          GError     **error);
char    *ms_export_syntax_xml_text       (const char  *value,
                                          const char  *what,
                                          const char  *format,
                                          GError     **error);

G_END_DECLS
