#!/usr/bin/env python3
# check-function-length.py: no C function over 80 lines in src/app, src/cli, src/core
#
# The house style's limit, checked the way the style writes functions: a
# body starts at a '{' alone at column 0 right under a signature (a line
# ending in ')') and ends at the next line that starts with '}'. Struct,
# enum and table initialisers do not count.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

LIMIT = 80
ROOTS = ('src/app', 'src/cli', 'src/core')
NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]* \(')


def long_functions(text, limit=LIMIT):
    '''(name, first line, body lines) of every function over limit lines.'''
    lines = text.split('\n')
    found = []
    start = None
    for i, line in enumerate(lines):
        if line == '{' and i > 0 and lines[i - 1].rstrip().endswith(')'):
            j = i - 1
            while j > 0 and not NAME.match(lines[j]):
                j -= 1
            start = (i, lines[j].split(' (')[0])
        elif line.startswith('}'):
            if start is not None and i - start[0] - 1 > limit:
                found.append((start[1], start[0] + 1, i - start[0] - 1))
            start = None
    return found


def self_test():
    short = 'static void\nshort_one (void)\n{\n' + '  x ();\n' * 80 + '}\n'
    long = 'int\nlong_one (int a,\n          int b)\n{\n' + '  x ();\n' * 81 + '}\n'
    table = 'static const int t[] =\n{\n' + '  1,\n' * 200 + '};\n'
    enum = 'typedef enum\n{\n' + '  A,\n' * 200 + '} E;\n'
    found = long_functions(short + long + table + enum)
    if [(name, n) for name, _, n in found] != [('long_one', 81)]:
        print('self-test failed: found %r' % (found,))
        return 1
    print('self-test passed')
    return 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    source_root = argv[1]
    failures = 0
    for root in ROOTS:
        for directory, _, files in os.walk(os.path.join(source_root, root)):
            for name in sorted(files):
                if not name.endswith('.c'):
                    continue
                path = os.path.join(directory, name)
                with open(path, encoding='utf-8') as f:
                    for function, line, n in long_functions(f.read()):
                        print('%s:%d: %s is %d lines (at most %d)'
                              % (os.path.relpath(path, source_root), line, function, n, LIMIT))
                        failures += 1
    print('%d functions over %d lines' % (failures, LIMIT))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
