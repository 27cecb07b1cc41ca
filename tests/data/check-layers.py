#!/usr/bin/env python3
# check-layers.py: the core stays GUI-free, and main.c alone makes the executable
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""The architecture the tree promises (README, "The tree"): src/core/ is the
engine and includes nothing of GTK or libadwaita, directly or through a
header of another layer; src/cli/ builds on the core alone. Fails, naming
file and line, when an include crosses a layer.

  check-layers.py SOURCE_ROOT [--self-test]"""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
GUI = re.compile(r'^(gtk/|gdk/|gsk/|adwaita\.h|adw-|gtk\.h)')

# Which layer may include which other layer's headers.
ALLOWED = {
    "core": {"core"},
    "cli": {"core", "cli"},
    "app": {"core", "app"},
}


def sources(directory):
    """Every .c and .h file under directory, subfolders (src/core/export/) too."""
    found = []
    for parent, subdirs, names in os.walk(directory):
        subdirs.sort()
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                found.append(os.path.join(parent, name))
    return found


def own_headers(src):
    """Maps each header name in src/<layer>/ (and its subfolders) to its layer."""
    layers = {}
    for layer in ALLOWED:
        for path in sources(os.path.join(src, layer)):
            if path.endswith(".h"):
                layers[os.path.basename(path)] = layer
    return layers


def check(root):
    src = os.path.join(root, "src")
    headers = own_headers(src)
    problems = []
    for layer, allowed in ALLOWED.items():
        for path in sources(os.path.join(src, layer)):
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    included = match.group(1)
                    where = f"{os.path.relpath(path, root)}:{number}"
                    if layer in ("core", "cli") and GUI.match(included):
                        problems.append(f"{where}: the {layer} layer includes {included}")
                    other = headers.get(os.path.basename(included))
                    if other is not None and other not in allowed:
                        problems.append(f"{where}: src/{layer} includes {included} from src/{other}")
    main = os.path.join(src, "main.c")
    if not os.path.exists(main):
        problems.append("src/main.c is missing")
    return problems


def self_test():
    """The check must catch a GTK include in the core."""
    with tempfile.TemporaryDirectory() as root:
        for layer in ALLOWED:
            os.makedirs(os.path.join(root, "src", layer))
        with open(os.path.join(root, "src", "main.c"), "w") as f:
            f.write("int main (void) { return 0; }\n")
        with open(os.path.join(root, "src", "app", "ms-window.h"), "w") as f:
            f.write("#include <adwaita.h>\n")
        with open(os.path.join(root, "src", "core", "ms-bad.c"), "w") as f:
            f.write('#include "config.h"\n#include <gtk/gtk.h>\n#include "ms-window.h"\n')
        # A subfolder of the core is the core too.
        os.makedirs(os.path.join(root, "src", "core", "export"))
        with open(os.path.join(root, "src", "core", "export", "ms-export-bad.c"), "w") as f:
            f.write('#include <adwaita.h>\n')
        problems = check(root)
        if len(problems) != 3:
            print(f"self-test: expected 3 problems, got {problems}")
            return 1
    print("self-test: a GTK include (also in a subfolder) and a cross-layer include in the core are caught")
    return 0


def main():
    if "--self-test" in sys.argv:
        return self_test()
    problems = check(sys.argv[1])
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("src/core includes no GTK and no other layer; src/cli only the core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
