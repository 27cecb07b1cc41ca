/* ms-cli-test.h: `mail-setup test`, and the account options `export` shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ms-setup-session.h"

G_BEGIN_DECLS

typedef struct
{
  char     *profile_id;
  gboolean  password_stdin;
  char     *ca_file;
  int       timeout_seconds;
  char     *domain;
  gboolean  accept_untrusted;
  gboolean  sign_in;
  /* Read by the caller (export needs it too); sent when set. */
  MsSecret *password;
  /* Set by ms_cli_test_prepare() when --sign-in failed: the report with
   * the diagnosis, for --json. */
  MsAccountReport *sign_in_report;
} MsCliTestOptions;

GOptionGroup    *ms_cli_test_options_group (MsCliTestOptions *options);
void             ms_cli_test_options_clear (MsCliTestOptions *options);
MsAddress       *ms_cli_test_parse_address (const char       *input,
                                            MsCliTestOptions *options);
MsSetupSession  *ms_cli_test_prepare       (const char       *address,
                                            MsCliTestOptions *options,
                                            int              *exit_status);
MsAccountReport *ms_cli_test_run           (MsSetupSession   *session);
int              ms_cli_test               (int               argc,
                                            char            **argv);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MsCliTestOptions, ms_cli_test_options_clear)

G_END_DECLS
