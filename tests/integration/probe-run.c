/* probe-run.c: run one MsProbe to its end from a C test
 *
 * The engine's integration tests each run probes against the harness's
 * real servers (or a scripted one) and check the result; this is their
 * one way to wait for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "probe-run.h"

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  MsProbeResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ms_probe_run_finish (MS_PROBE (object), result, &error);
  g_assert_no_error (error);
}

MsProbeResult *
ms_test_run_probe (MsProbe *probe)
{
  MsProbeResult *result = NULL;

  g_assert (MS_IS_PROBE (probe));
  ms_probe_run_async (probe, NULL, probe_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return result;
}
