/* server-log.c: count lines in the test servers' logs (dovecot's, postfix's) from a C test
 *
 * A login attempt (good or bad) always names the user; dovecot ends every
 * connection with one "Disconnected" line that names the address it came
 * in on (lip=) and, after failed logins, "auth failed, N attempts".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "scripted-server.h"
#include "server-log.h"

/* Bounds a hang, not a measurement: what the tests wait for in the logs
 * normally comes in well under a second. */
#define LOG_DEADLINE_USEC (60 * G_USEC_PER_SEC)

guint
ms_test_count_log_lines (const char *log_variable,
                         const char *needle,
                         const char *also)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  if (!g_file_get_contents (ms_test_need_env (log_variable), &contents, NULL, NULL))
    return 0;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], needle) != NULL && (also == NULL || strstr (lines[i], also) != NULL))
        count++;
    }

  return count;
}

guint
ms_test_wait_for_log_lines (const char *log_variable,
                            const char *needle,
                            guint       before)
{
  gint64 deadline = g_get_monotonic_time () + LOG_DEADLINE_USEC;
  guint count;

  while ((count = ms_test_count_log_lines (log_variable, needle, NULL)) <= before)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("no new line with “%s” in %s after %d s", needle, ms_test_need_env (log_variable),
                 (int) (LOG_DEADLINE_USEC / G_USEC_PER_SEC));
      g_usleep (20 * 1000);
    }

  return count;
}
