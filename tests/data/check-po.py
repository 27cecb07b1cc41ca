#!/usr/bin/env python3
# Checks the translations in po/: every language in LINGUAS has its .po file,
# and no .po file has fuzzy entries.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-po.py SOURCE_ROOT
#
# A fuzzy entry is a guess left by msgmerge: gettext never shows it, so the
# user sees English where the translator believes there is a translation.
# Untranslated entries are reported, not failed: new strings arrive in the
# source before their translations do.

import os
import sys


def entries(path):
    """Yields (line number, flags, msgid, msgstr) for each entry of a .po file."""
    def parse_string(line):
        line = line.strip()
        return eval(line) if line.startswith('"') else ''  # a C string literal

    entry = None
    field = None
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip('\n')
            if not line.strip():
                if entry:
                    yield entry
                entry, field = None, None
                continue
            if entry is None:
                entry = {'line': number, 'flags': set(), 'msgid': '', 'msgstr': '',
                         'obsolete': False}
            if line.startswith('#~'):
                entry['obsolete'] = True
                continue
            if line.startswith('#,'):
                entry['flags'].update(flag.strip() for flag in line[2:].split(','))
                continue
            if line.startswith('#'):
                continue
            keyword, _, rest = line.partition(' ')
            if keyword in ('msgid', 'msgid_plural', 'msgctxt') or keyword.startswith('msgstr'):
                field = 'msgstr' if keyword.startswith('msgstr') else keyword
                entry[field] = entry.get(field, '') + parse_string(rest)
            elif line.startswith('"') and field:
                entry[field] += parse_string(line)
    if entry:
        yield entry


def main(argv):
    root = argv[1] if len(argv) > 1 else '.'
    po_dir = os.path.join(root, 'po')
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f if not line.lstrip().startswith('#')
                     for w in line.split()]
    if not languages:
        print('FAIL: po/LINGUAS names no language')
        return 1

    failed = False
    for lang in languages:
        path = os.path.join(po_dir, f'{lang}.po')
        if not os.path.isfile(path):
            print(f'FAIL: po/LINGUAS names {lang} but po/{lang}.po does not exist')
            failed = True
            continue
        live = [e for e in entries(path) if not e['obsolete']]
        fuzzy = [e for e in live if 'fuzzy' in e['flags']]
        for e in fuzzy:
            what = 'the header' if e['msgid'] == '' else repr(e['msgid'])
            print(f'FAIL: po/{lang}.po:{e["line"]}: {what} is fuzzy: '
                  'check the translation and remove the "fuzzy" flag')
        failed = failed or bool(fuzzy)
        messages = [e for e in live if e['msgid']]
        untranslated = [e for e in messages if not e['msgstr']]
        print(f'po/{lang}.po: {len(messages)} messages, {len(fuzzy)} fuzzy, '
              f'{len(untranslated)} untranslated')
        for e in untranslated:
            print(f'  note: untranslated: {e["msgid"]!r}')
    if not failed:
        print('ok: no fuzzy translations')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
