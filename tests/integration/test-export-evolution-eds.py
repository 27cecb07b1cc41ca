#!/usr/bin/python3
# test-export-evolution-eds.py: what Evolution's own library makes of the exported sources
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run by test-export-programs.py with Debian's /usr/bin/python3, which has
the GObject bindings for libedataserver (gir1.2-edataserver-1.2).

Connects to the real evolution-source-registry (D-Bus activation in the
test's private session), looks up the three sources by UID, and prints
as JSON what libedataserver reads from each: hosts, ports, users,
security methods, links between the sources, the OAuth 2.0 service EDS
picks for each source. The expected password comes
on stdin (never argv); libedataserver looks each source's password up in
the keyring itself, and only whether it matched is printed.

With --goa GOA_ACCOUNT_ID it prints instead the sources the registry made
by itself for that GNOME Online Accounts account (its collection and the
mail sources under it, with their hosts and authentication methods).

Usage: test-export-evolution-eds.py ACCOUNT_UID IDENTITY_UID TRANSPORT_UID < password
       test-export-evolution-eds.py --goa GOA_ACCOUNT_ID
"""

import json
import sys

import gi

gi.require_version("EDataServer", "1.2")
from gi.repository import EDataServer  # noqa: E402


def goa_sources(account_id):
    registry = EDataServer.SourceRegistry.new_sync(None)
    sources = registry.list_sources(None)
    collections = [s.get_uid() for s in sources
                   if s.has_extension(EDataServer.SOURCE_EXTENSION_GOA)
                   and s.get_extension(EDataServer.SOURCE_EXTENSION_GOA).get_account_id() == account_id]
    children = []
    for source in sources:
        if source.get_parent() not in collections:
            continue
        info = {"display_name": source.get_display_name()}
        if source.has_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION):
            auth = source.get_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION)
            info.update(host=auth.get_host(), user=auth.get_user(), method=auth.get_method())
        for kind, extension in (("mail_account", EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT),
                                ("mail_transport", EDataServer.SOURCE_EXTENSION_MAIL_TRANSPORT)):
            if source.has_extension(extension):
                info[kind] = source.get_extension(extension).get_backend_name()
        children.append(info)
    print(json.dumps({"collections": collections, "children": children}, indent=1, sort_keys=True))


def main():
    if sys.argv[1] == "--goa":
        goa_sources(sys.argv[2])
        return
    account_uid, identity_uid, transport_uid = sys.argv[1:4]
    expected_password = sys.stdin.read().rstrip("\n")
    registry = EDataServer.SourceRegistry.new_sync(None)
    found = {}
    for role, uid in (("account", account_uid), ("identity", identity_uid),
                      ("transport", transport_uid)):
        source = registry.ref_source(uid)
        if source is None:
            found[role] = None
            continue
        info = {"display_name": source.get_display_name(), "parent": source.get_parent(),
                "enabled": source.get_enabled()}
        if source.has_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION):
            auth = source.get_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION)
            info["host"] = auth.get_host()
            info["port"] = auth.get_port()
            info["user"] = auth.get_user()
            info["method"] = auth.get_method()
        if source.has_extension(EDataServer.SOURCE_EXTENSION_SECURITY):
            info["security"] = source.get_extension(EDataServer.SOURCE_EXTENSION_SECURITY).get_method()
        if source.has_extension(EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT):
            extension = source.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT)
            info["backend"] = extension.get_backend_name()
            info["identity_uid"] = extension.get_identity_uid()
        if source.has_extension(EDataServer.SOURCE_EXTENSION_MAIL_IDENTITY):
            extension = source.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_IDENTITY)
            info["address"] = extension.get_address()
            info["name"] = extension.get_name()
        if source.has_extension(EDataServer.SOURCE_EXTENSION_MAIL_SUBMISSION):
            info["transport_uid"] = source.get_extension(
                EDataServer.SOURCE_EXTENSION_MAIL_SUBMISSION).get_transport_uid()
        if source.has_extension(EDataServer.SOURCE_EXTENSION_MAIL_TRANSPORT):
            info["backend"] = source.get_extension(
                EDataServer.SOURCE_EXTENSION_MAIL_TRANSPORT).get_backend_name()
        if role != "identity":
            # The OAuth 2.0 service EDS itself picks for the source (by its
            # [Authentication] Method), the one that would sign in.
            service = registry.get_oauth2_services().find(source)
            info["oauth2_service"] = service.get_name() if service is not None else None
            try:
                # (success, password): the boolean says the lookup ran.
                _, password = source.lookup_password_sync(None)
                info["password_matches"] = password == expected_password
                info["password_found"] = password is not None
            except Exception as error:  # noqa: BLE001 - reported to the test
                info["password_error"] = str(error)
        found[role] = info
    mail_accounts = [s.get_uid() for s in registry.list_sources(EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT)]
    found["listed_as_mail_account"] = account_uid in mail_accounts
    print(json.dumps(found, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
