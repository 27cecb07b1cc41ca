#!/usr/bin/env python3
# Checks the app icons: well-formed SVG, the right canvas, and a symbolic icon
# that GTK can recolour.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-icons.py SOURCE_ROOT
#
# GTK recolours a symbolic icon by forcing the fill of every shape to the
# text colour, so a stroke-only line or a mask would turn into a filled blob:
# symbolic shapes must be plain fills of #2e3436.

import os
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
ICONS = 'data/icons/hicolor'
APP_ICONS = ('io.github.mailsetup.MailSetup.svg', 'io.github.mailsetup.MailSetup.Devel.svg')
SYMBOLIC = 'io.github.mailsetup.MailSetup-symbolic.svg'
SHAPES = {'path', 'rect', 'circle', 'ellipse', 'polygon', 'polyline', 'line'}


def load(path, problems):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        problems.append(f'{path}: {e}')
        return None
    if root.tag != SVG + 'svg':
        problems.append(f'{path}: the root element is not an SVG <svg>')
        return None
    return root


def main(argv):
    root_dir = argv[1] if len(argv) > 1 else '.'
    problems = []

    for name in APP_ICONS:
        path = os.path.join(root_dir, ICONS, 'scalable/apps', name)
        svg = load(path, problems)
        if svg is not None and svg.get('viewBox') != '0 0 128 128':
            problems.append(f'{path}: viewBox must be "0 0 128 128", not {svg.get("viewBox")!r}')

    path = os.path.join(root_dir, ICONS, 'symbolic/apps', SYMBOLIC)
    svg = load(path, problems)
    if svg is not None:
        if svg.get('viewBox') != '0 0 16 16':
            problems.append(f'{path}: viewBox must be "0 0 16 16", not {svg.get("viewBox")!r}')
        shapes = 0
        for element in svg.iter():
            tag = element.tag.replace(SVG, '')
            if tag in ('mask', 'clipPath', 'linearGradient', 'radialGradient', 'pattern',
                       'image', 'text', 'filter'):
                problems.append(f'{path}: <{tag}> does not survive symbolic recolouring')
            if any(a.startswith('stroke') for a in element.attrib) \
                    or 'stroke' in element.get('style', ''):
                problems.append(f'{path}: <{tag}> has a stroke; convert it to a fill')
            if tag in SHAPES:
                shapes += 1
                if element.get('fill', '').lower() != '#2e3436':
                    problems.append(f'{path}: <{tag}> must be filled with #2e3436, '
                                    f'not {element.get("fill")!r}')
        if shapes == 0:
            problems.append(f'{path}: draws nothing')

    for problem in problems:
        print(f'FAIL: {problem}')
    if not problems:
        print(f'ok: {len(APP_ICONS)} app icons and the symbolic icon are well-formed')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
