#!/usr/bin/env python3
# bench-startup.py: the wizard's start to first frame and peak memory against a minimal window
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark of the wizard's start-up, run under tests/harness/run-under-xvfb
(meson test --benchmark bench-startup).

Two programs, built in tests/bench/meson.build with the same hook in front
of their unchanged main() (bench-startup-hook.c):

  bench-startup-app      src/main.c as it is: MsApplication, MsWindow, the wizard
  bench-startup-minimal  minimal-window.c: an AdwApplicationWindow with a
                         header bar and a status page, the floor

Each run starts the program fresh and takes the time from just before exec
to the end of the first frame its window paints (the hook prints the
CLOCK_MONOTONIC time of the frame clock's "after-paint" and exits), and the
peak resident memory from wait4(). One warm-up run each is dropped; then
RUNS runs each, alternating, so a busy moment on the shared machine hits
both alike. It prints, as ratios measured in this one run:

  1. median start to first frame, wizard / minimal (target <= 1.3);
  2. median peak RSS, wizard / minimal (target <= 1.3).

Both run under the same X server, GSK renderer (cairo, from the wrapper)
and settings; the page cache is warm after the warm-up, so this is a
process start, not a start from a cold disk. It asserts only that each
program drew its window, never a time: timings on a shared machine are
for reading, not for failing."""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

RUNS = 10
PROGRAMS = {
    "wizard": ("bench-startup-app", "MsWindow"),
    "minimal": ("bench-startup-minimal", "AdwApplicationWindow"),
}
BENCH_DIR = os.path.join(os.environ["MS_BUILD_ROOT"], "tests", "bench")


def run_once(name):
    """Returns (seconds to the first frame, peak RSS in KiB)."""
    program, window_type = PROGRAMS[name]
    start_ns = time.monotonic_ns()
    with tempfile.TemporaryFile(mode="w+") as errors:
        child = subprocess.Popen([os.path.join(BENCH_DIR, program)],
                                 stdout=subprocess.PIPE, stderr=errors, text=True)
        # Not communicate(): it reaps the child, and wait4() is what gives
        # this child's own peak RSS.
        watchdog = threading.Timer(60, child.kill)
        watchdog.start()
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        watchdog.cancel()
        child.stdout.close()
        errors.seek(0)
        err = errors.read()
    if child.returncode != 0:
        sys.exit(f"{program} exited with {child.returncode}:\n{err}")
    fields = out.split()
    if len(fields) != 3 or fields[0] != "FIRST_FRAME":
        sys.exit(f"{program} printed no FIRST_FRAME line: {out!r}\n{err}")
    if fields[2] != window_type:
        sys.exit(f"{program} painted a {fields[2]}, not a {window_type}")
    frame_ns = int(fields[1]) * 1000
    if frame_ns <= start_ns:
        sys.exit(f"{program}: first frame before it started ({frame_ns} <= {start_ns})")
    return (frame_ns - start_ns) / 1e9, usage.ru_maxrss


def main():
    if "DISPLAY" not in os.environ:
        sys.exit("no DISPLAY: run through tests/harness/run-under-xvfb")

    times = {name: [] for name in PROGRAMS}
    rss = {name: [] for name in PROGRAMS}
    for name in PROGRAMS:
        run_once(name)
    for _ in range(RUNS):
        for name in PROGRAMS:
            seconds, kib = run_once(name)
            times[name].append(seconds)
            rss[name].append(kib)

    renderer = os.environ.get("GSK_RENDERER", "default")
    print(f"# {RUNS} runs each after one warm-up, medians; GDK_BACKEND="
          f"{os.environ.get('GDK_BACKEND', 'default')}, GSK_RENDERER={renderer}")
    for name in PROGRAMS:
        print(f"# {name}: first frame {statistics.median(times[name]) * 1000:.0f} ms "
              f"(min {min(times[name]) * 1000:.0f}, max {max(times[name]) * 1000:.0f}), "
              f"peak RSS {statistics.median(rss[name]) / 1024:.1f} MiB")
    time_ratio = statistics.median(times["wizard"]) / statistics.median(times["minimal"])
    rss_ratio = statistics.median(rss["wizard"]) / statistics.median(rss["minimal"])
    print(f"start to first frame, wizard / minimal ratio: {time_ratio:.2f} (target <= 1.3)")
    print(f"peak RSS, wizard / minimal ratio: {rss_ratio:.2f} (target <= 1.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
