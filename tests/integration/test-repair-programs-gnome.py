#!/usr/bin/python3
# test-repair-programs-gnome.py: the real GNOME programs' side of test-repair-programs.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run with Debian's /usr/bin/python3 (gir1.2-edataserver-1.2, GLib). Makes
accounts through the real programs with the servers test-repair-programs.py
gives (JSON on stdin), and shows what the programs read back; prints JSON.
The programs' calls are those of test-accounts-gnome-programs.py, imported.

  eds-create < {"broken": [...], "other": [...]}   mail_source()'s arguments
  eds-show UID...
  goa-add < {"password": ..., "accounts": [[role, address, details], ...]}
  goa-show
  goa-password ID KEY < password
"""

import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("gnome_programs",
                                               os.path.join(HERE, "test-accounts-gnome-programs.py"))
programs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(programs)
EDataServer, Gio, GLib = programs.EDataServer, programs.Gio, programs.GLib


def eds_create(spec):
    registry = EDataServer.SourceRegistry.new_sync(None)
    return {role: programs.mail_source(registry, *spec[role]) for role in ("broken", "other")}


def goa_add(spec):
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    found = {}
    for role, address, details in spec["accounts"]:
        details = dict(details, Enabled="true", EmailAddress=address, Name=role,
                       ImapAcceptSslErrors="false", SmtpAcceptSslErrors="false")
        credentials = {"imap-password": GLib.Variant("s", spec["password"]),
                       "smtp-password": GLib.Variant("s", spec["password"])}
        (path,) = programs.goa_call(
            bus, "/org/gnome/OnlineAccounts/Manager", "org.gnome.OnlineAccounts.Manager", "AddAccount",
            GLib.Variant("(sssa{sv}a{ss})", ("imap_smtp", address, address, credentials, details)), "(o)")
        found[role] = path.rsplit("/", 1)[1]
    return found


def main():
    command = sys.argv[1]
    if command == "eds-create":
        result = eds_create(json.load(sys.stdin))
    elif command == "eds-show":
        result = programs.eds_show(sys.argv[2:])
    elif command == "goa-add":
        result = goa_add(json.load(sys.stdin))
    elif command == "goa-show":
        result = programs.goa_show()
    elif command == "goa-password":
        result = programs.goa_password(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
