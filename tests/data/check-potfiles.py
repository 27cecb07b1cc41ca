#!/usr/bin/env python3
# Checks that po/POTFILES.in lists every file with translatable strings.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-potfiles.py SOURCE_ROOT
#        check-potfiles.py --self-test SOURCE_ROOT
#
# A file missing from POTFILES.in is never offered to translators, and nothing
# else notices: the build and every other test stay green. So this fails when
#  - a file under src/, ui/ or data/ has translatable strings but is not listed
#    (C: _(), N_(), C_(), NC_(), ngettext and the g_d*gettext family; .ui:
#    translatable="yes"; desktop files, metainfo and GSettings schemas always);
#  - a listed file does not exist;
#  - the list is not sorted (byte order, as `LC_ALL=C sort` does) or has
#    duplicates.
# po/POTFILES.skip, if present, lists files that have such strings on purpose
# without being translated (same format).
#
# --self-test proves the checker on copies of the tree: each kind of mistake,
# made on purpose, must add the right problem to what the unchanged copy
# reports, and the harmless cases must add none. (Whether the real list is
# right is the plain run's job, so the self-test holds while it is not.)

import os
import re
import shutil
import sys
import tempfile

SCANNED_DIRS = ('src', 'ui', 'data')

C_KEYWORD = re.compile(
    r'(?<![A-Za-z0-9_])'
    r'(?:_|N_|C_|NC_|ngettext|g_dgettext|g_dcgettext|g_dngettext|g_dpgettext2?)'
    r'\s*\(')
C_COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"', re.I)
ALWAYS_TRANSLATABLE = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in',
                       '.gschema.xml', '.gschema.xml.in')


def read_list(path):
    """Entries of a POTFILES-style list, in file order, with line numbers."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, start=1):
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append((number, line))
    return entries


def has_translatable_strings(path):
    name = os.path.basename(path)
    if name.endswith(ALWAYS_TRANSLATABLE):
        return True
    if name.endswith(('.c', '.h')):
        with open(path, encoding='utf-8', errors='replace') as f:
            code = C_COMMENT.sub('', f.read())
        return C_KEYWORD.search(code) is not None
    if name.endswith('.ui'):
        with open(path, encoding='utf-8', errors='replace') as f:
            return UI_TRANSLATABLE.search(f.read()) is not None
    return False


def files_with_strings(root):
    found = set()
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for filename in filenames:
                path = os.path.join(dirpath, filename)
                if has_translatable_strings(path):
                    found.add(os.path.relpath(path, root).replace(os.sep, '/'))
    return found


def check(root):
    """Returns a list of problems, empty when POTFILES.in is right."""
    problems = []
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    if not os.path.exists(potfiles):
        return [f'{potfiles} does not exist']

    entries = read_list(potfiles)
    skipped = {name for _, name in read_list(os.path.join(root, 'po', 'POTFILES.skip'))}
    listed = [name for _, name in entries]

    seen = set()
    for number, name in entries:
        if name in seen:
            problems.append(f'POTFILES.in:{number}: {name} is listed twice')
        seen.add(name)
        if not os.path.isfile(os.path.join(root, name)):
            problems.append(f'POTFILES.in:{number}: {name} does not exist')

    for (number, name), (_, following) in zip(entries, entries[1:]):
        if following.encode() < name.encode():
            problems.append(f'POTFILES.in:{number + 1}: not sorted: '
                            f'{following} must come before {name}')
            break

    for name in sorted(files_with_strings(root) - seen - skipped):
        problems.append(f'{name} has translatable strings but is not in po/POTFILES.in')

    return problems


def self_test(root):
    """Proves check() on copies of the tree with mistakes made on purpose."""
    failures = []

    def checked_copy(mutate):
        with tempfile.TemporaryDirectory(prefix='ms-potfiles-') as tmp:
            for top in SCANNED_DIRS + ('po',):
                if os.path.isdir(os.path.join(root, top)):
                    shutil.copytree(os.path.join(root, top), os.path.join(tmp, top),
                                    symlinks=True)
            mutate(tmp)
            return check(tmp)

    baseline = checked_copy(lambda tmp: None)

    def expect(label, mutate, wanted):
        new = [p for p in checked_copy(mutate) if p not in baseline]
        if wanted is None:
            ok = not new
        else:
            ok = any(wanted in p for p in new)
        print(f'{"ok" if ok else "FAIL"}: {label}'
              + (f' -> {new}' if new else ' -> no new problem'))
        if not ok:
            failures.append(label)

    def edit_list(tmp, change):
        path = os.path.join(tmp, 'po', 'POTFILES.in')
        with open(path, encoding='utf-8') as f:
            lines = f.read().splitlines()
        lines = change(lines)
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')

    def write(tmp, name, text):
        path = os.path.join(tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)

    entries = [name for _, name in read_list(os.path.join(root, 'po', 'POTFILES.in'))]
    if len(entries) < 2:
        print('FAIL: POTFILES.in has fewer than two entries; nothing to prove on')
        return 1
    victim = next((e for e in entries if e.endswith('.c')), entries[0])

    expect(f'dropping {victim} is caught',
           lambda tmp: edit_list(tmp, lambda ls: [l for l in ls if l.strip() != victim]),
           f'{victim} has translatable strings but is not in')
    expect('a listed file that does not exist is caught',
           lambda tmp: edit_list(tmp, lambda ls: ls + ['zz/not-there.c']),
           'zz/not-there.c does not exist')
    expect('an unsorted list is caught',
           lambda tmp: edit_list(tmp, lambda ls: [l for l in ls if l.strip() != entries[0]]
                                 + [entries[0]]),
           'not sorted')
    expect('a duplicate entry is caught',
           lambda tmp: edit_list(tmp, lambda ls: ls + [entries[-1]]),
           'is listed twice')
    expect('a new C file using _() is caught',
           lambda tmp: write(tmp, 'src/zz-new.c',
                             '#include <glib/gi18n.h>\nstatic const char *s = _("Hi");\n'),
           'src/zz-new.c has translatable strings')
    expect('a new C file using N_() is caught',
           lambda tmp: write(tmp, 'src/zz-table.c',
                             'static const char *names[] = { N_("Mobile") };\n'),
           'src/zz-table.c has translatable strings')
    expect('a C file mentioning _() only in a comment is not flagged',
           lambda tmp: write(tmp, 'src/zz-comment.c',
                             '/* strings go through _() */\nint my_func_(void);\n'),
           None)
    expect('a new .ui file with translatable="yes" is caught',
           lambda tmp: write(tmp, 'ui/zz-page.ui',
                             '<interface><object class="GtkLabel">'
                             '<property name="label" translatable="yes">Hi</property>'
                             '</object></interface>\n'),
           'ui/zz-page.ui has translatable strings')
    expect('a new desktop file is caught',
           lambda tmp: write(tmp, 'data/zz.desktop.in', '[Desktop Entry]\nName=X\n'),
           'data/zz.desktop.in has translatable strings')
    expect('POTFILES.skip exempts a file on purpose',
           lambda tmp: (write(tmp, 'src/zz-skip.c', 'const char *s = _("x");\n'),
                        write(tmp, 'po/POTFILES.skip', 'src/zz-skip.c\n')),
           None)

    if failures:
        print(f'FAIL: the checker missed {len(failures)} case(s): {failures}')
        return 1
    return 0


def main(argv):
    args = argv[1:]
    if args and args[0] == '--self-test':
        return self_test(args[1] if len(args) > 1 else '.')
    root = args[0] if args else '.'
    problems = check(root)
    for problem in problems:
        print(f'FAIL: {problem}')
    if problems:
        print('Add the files to po/POTFILES.in, one per line, sorted (LC_ALL=C sort).')
        return 1
    print(f'ok: po/POTFILES.in lists all {len(read_list(os.path.join(root, "po", "POTFILES.in")))} '
          'files with translatable strings, sorted')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
