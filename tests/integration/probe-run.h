/* probe-run.h: run one MsProbe to its end from a C test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-probe.h"

G_BEGIN_DECLS

/* Runs @probe (no cancellable) on the thread-default main context until
 * it has its result. The run itself must not fail: what happened at the
 * server is in the result, which the test checks. */
MsProbeResult *ms_test_run_probe (MsProbe *probe);

G_END_DECLS
