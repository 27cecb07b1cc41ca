#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a libFuzzer target for a bounded time over a copy of its corpus.

Usage: run-fuzzer.py FUZZER CORPUS_DIR [DICT]

New inputs go to the copy, so the source tree never changes; a crashing
input is kept under BUILD_ROOT/fuzz-artifacts/ and its path printed: add it
to the corpus once fixed. MS_FUZZ_SECONDS overrides the 20 seconds.
"""

import os
import shutil
import subprocess
import sys
import tempfile


def main():
    fuzzer, corpus = sys.argv[1], sys.argv[2]
    dictionary = sys.argv[3] if len(sys.argv) > 3 else None
    name = os.path.basename(fuzzer)
    seconds = os.environ.get('MS_FUZZ_SECONDS', '20')
    build_root = os.environ.get('MS_BUILD_ROOT', tempfile.gettempdir())
    artifacts = os.path.join(build_root, 'fuzz-artifacts', name) + os.sep
    os.makedirs(artifacts, exist_ok=True)

    if not os.listdir(corpus):
        sys.exit(f'{corpus}: the seed corpus is empty')

    with tempfile.TemporaryDirectory(prefix='ms-fuzz-') as tmp:
        work = os.path.join(tmp, 'corpus')
        shutil.copytree(corpus, work)
        command = [
            fuzzer,
            f'-max_total_time={seconds}',
            '-rss_limit_mb=2048',
            '-timeout=10',
            '-print_final_stats=1',
            # libFuzzer's default, 77, means "skipped" to meson.
            '-error_exitcode=1',
            '-timeout_exitcode=1',
            f'-artifact_prefix={artifacts}',
        ]
        if dictionary:
            command.append(f'-dict={dictionary}')
        command.append(work)
        print(' '.join(command), flush=True)
        status = subprocess.call(command)
        if status != 0:
            print(f'{name} failed (status {status}); the input is in {artifacts}',
                  file=sys.stderr)
        # Never let a failure read as "skipped" (77) to meson.
        sys.exit(1 if status == 77 else status)


if __name__ == '__main__':
    main()
