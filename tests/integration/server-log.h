/* server-log.h: count lines in the test servers' logs (dovecot's, postfix's) from a C test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The lines of the log named by @log_variable (MS_TEST_DOVECOT_LOG) that
 * hold @needle, and @also when given. */
guint ms_test_count_log_lines    (const char *log_variable,
                                  const char *needle,
                                  const char *also);

/* Waits for more than @before lines with @needle (the servers write their
 * logs asynchronously): an event, not a pause. Returns the new count. */
guint ms_test_wait_for_log_lines (const char *log_variable,
                                  const char *needle,
                                  guint       before);

G_END_DECLS
