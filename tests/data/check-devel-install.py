#!/usr/bin/env python3
# check-devel-install.py: a development build installs beside a release one
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Usage: check-devel-install.py SOURCE_ROOT BUILD_ROOT

Configures the other flavour of BUILD_ROOT (a release build beside a
development one, or the other way round) in a temporary directory with the
same prefix, then:

* compares every file both would install (meson introspect --installed,
  the binary included): no destination may be shared;
* installs the data and translations of both with DESTDIR, each into a
  directory of its own and then both into one: no file is shared, and the
  two GSettings schemas compile together (glib-compile-schemas --strict)
  and each answers under its own id.

Configuring and building only the other tree's data takes seconds; the
binary is compared by its install path, not built. Prints TAP."""

import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, check_equal, test  # noqa: E402

SCHEMA_BASE = "io.github.mailsetup.MailSetup"
STATE = {}


def meson(*args, **kwargs):
    return mstest.run(["meson"] + list(args), timeout=600, **kwargs)


def introspect(build, what):
    return json.loads(meson("introspect", build, what).stdout)


def option(build, name):
    for entry in introspect(build, "--buildoptions"):
        if entry["name"] == name:
            return entry["value"]
    mstest.fail(f"{build} has no option {name}")


def installed(build):
    """Destinations of every file BUILD installs, without the prefix's DESTDIR."""
    return set(introspect(build, "--installed").values())


def build_data(build):
    """Build the other tree's custom targets in data/ and po/ (no C compiled)."""
    outputs = []
    for target in introspect(build, "--targets"):
        where = os.path.relpath(target["defined_in"], STATE["source"])
        if target["type"] == "custom" and where.split(os.sep)[0] in ("data", "po"):
            outputs += [os.path.relpath(f, build) for f in target["filename"]]
    check(outputs, f"no data targets found in {build}")
    mstest.run(["ninja", "-C", build] + outputs, timeout=600)


def install(build, destdir):
    meson("install", "-C", build, "--no-rebuild", "--quiet", "--tags", "data,i18n",
          "--destdir", destdir, env=dict(os.environ, DESTDIR=destdir))
    return files_in(destdir)


def files_in(directory):
    files = set()
    for root, _, names in os.walk(directory):
        files.update(os.path.relpath(os.path.join(root, n), directory) for n in names)
    return files


@test("the other flavour configures beside this build, with the same prefix")
def t_configure():
    work = STATE["work"]
    development = option(STATE["build"], "development")
    prefix = option(STATE["build"], "prefix")
    other = os.path.join(work, "other")
    meson("setup", other, STATE["source"], f"-Ddevelopment={'false' if development else 'true'}",
          f"--prefix={prefix}")
    STATE["other"] = other
    STATE["flavours"] = {"this": (STATE["build"], development), "other": (other, not development)}
    check_equal(option(other, "prefix"), prefix, "the other build's prefix")


@test("no installed file is shared: binary, desktop file, metainfo, icons, schema, translations")
def t_no_shared_destination():
    this, other = installed(STATE["build"]), installed(STATE["other"])
    check(this and other, "meson introspect --installed listed nothing")
    shared = sorted(this & other)
    check(not shared, f"both builds install {shared}")
    for build, development in STATE["flavours"].values():
        names = {os.path.basename(p) for p in installed(build)}
        binary = "mail-setup-devel" if development else "mail-setup"
        schema = SCHEMA_BASE + (".Devel" if development else "") + ".gschema.xml"
        check(binary in names, f"{build} installs no {binary}: {sorted(names)}")
        check(schema in names, f"{build} installs no {schema}: {sorted(names)}")


@test("installed with DESTDIR, each alone and both into one prefix, the two share no file")
def t_destdir():
    build_data(STATE["other"])
    alone = {}
    for name, (build, _) in STATE["flavours"].items():
        alone[name] = install(build, os.path.join(STATE["work"], "alone-" + name))
        check(alone[name], f"{build} installed nothing with --tags data,i18n")
    shared = sorted(alone["this"] & alone["other"])
    check(not shared, f"both install {shared}")
    both = os.path.join(STATE["work"], "both")
    for build, _ in STATE["flavours"].values():
        install(build, both)
    files = files_in(both)
    check_equal(len(files), len(alone["this"]) + len(alone["other"]), "files in the shared prefix")
    check(any(f.endswith(".mo") for f in alone["this"]) and any(f.endswith(".mo") for f in alone["other"]),
          "no translations installed")
    STATE["both"] = both


@test("both schemas compile together and each answers under its own id")
def t_schemas():
    prefix = option(STATE["build"], "prefix").lstrip("/")
    datadir = option(STATE["build"], "datadir")
    schemas = os.path.join(STATE["both"], prefix, datadir, "glib-2.0", "schemas")
    mstest.run(["glib-compile-schemas", "--strict", schemas])
    for _, development in STATE["flavours"].values():
        schema = SCHEMA_BASE + (".Devel" if development else "")
        keys = mstest.run(["gsettings", "--schemadir", schemas, "list-keys", schema]).stdout.split()
        check("use-public-provider-database" in keys, f"{schema} lacks its keys: {keys}")
    listed = mstest.run(["gsettings", "--schemadir", schemas, "list-schemas"]).stdout.split()
    check(SCHEMA_BASE in listed and SCHEMA_BASE + ".Devel" in listed, listed)


def main():
    if len(sys.argv) != 3:
        mstest.bail_out(__doc__.strip().splitlines()[0])
    STATE["source"], STATE["build"] = (os.path.abspath(a) for a in sys.argv[1:3])
    sys.argv[1:] = []
    STATE["work"] = tempfile.mkdtemp(prefix="ms-devel-install-")
    return mstest.main(teardown=lambda: shutil.rmtree(STATE["work"], ignore_errors=True))


if __name__ == "__main__":
    sys.exit(main())
