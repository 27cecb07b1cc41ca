#!/usr/bin/env python3
# Runs a validator for a data test, failing loudly when the tool is missing.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: run-tool.py [--fail-on-output] [--package DEBIAN-PACKAGE] TOOL [ARG...]
#
# A missing validator is a failure, never a skip: a green run must mean the
# file was really checked. --fail-on-output is for tools such as
# desktop-file-validate that report warnings and hints on stdout but still
# exit with 0.

import argparse
import shutil
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--fail-on-output', action='store_true')
    parser.add_argument('--package', default=None)
    parser.add_argument('tool')
    parser.add_argument('args', nargs=argparse.REMAINDER)
    opts = parser.parse_args()

    path = shutil.which(opts.tool)
    if path is None:
        package = opts.package or opts.tool
        print(f'FAIL: {opts.tool} is not installed, so nothing was checked. '
              f'Install the Debian package "{package}" '
              f'(build-aux/mail-setup-dev installs it).', file=sys.stderr)
        return 1

    cmd = [path] + opts.args
    print('running:', ' '.join(cmd))
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    output = proc.stdout.strip()
    if output:
        print(output)
    if proc.returncode != 0:
        print(f'FAIL: {opts.tool} exited with status {proc.returncode}',
              file=sys.stderr)
        return 1
    if opts.fail_on_output and output:
        print(f'FAIL: {opts.tool} reported problems (see above)', file=sys.stderr)
        return 1
    print(f'ok: {opts.tool} accepted it')
    return 0


if __name__ == '__main__':
    sys.exit(main())
