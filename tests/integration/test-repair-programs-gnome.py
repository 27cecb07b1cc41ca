#!/usr/bin/python3
# test-repair-programs-gnome.py: the real GNOME programs' side of test-repair-programs.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run with Debian's /usr/bin/python3 (gir1.2-edataserver-1.2, gir1.2-camel-1.2, GLib). Makes
accounts through the real programs with the servers test-repair-programs.py
gives (JSON on stdin), and shows what the programs read back; prints JSON.
The programs' calls are those of test-accounts-gnome-programs.py, imported.

  eds-create < {"broken": [...], "other": [...]}   mail_source()'s arguments
  eds-show UID...
  goa-add < {"password": ..., "accounts": [[role, address, details], ...]}
  goa-show
  goa-password ID KEY < password
  eds-password UID < password                     stored the way Evolution stores it
  camel-login UID CERT                            Evolution's mail backend logs in
"""

import importlib.util
import json
import os
import sys
import tempfile

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


def eds_password(uid):
    """The password under the source's UID, as Evolution's password prompt keeps it."""
    source = EDataServer.SourceRegistry.new_sync(None).ref_source(uid)
    source.store_password_sync(sys.stdin.read(), True, None)
    return {"stored": uid}


def camel_login(uid, cert_file):
    """Evolution's mail backend on the account: Camel's IMAP store
    configured from the (repaired) source by e_source_camel_configure_service,
    as Evolution's mail session does, with the source's keyring password;
    connects and logs in. The test CA is not trusted by the system, so
    Camel asks its session about the certificate (trust_prompt, Evolution's
    "Accept" dialog): only the harness server's own certificate is
    accepted, for this connection only."""
    import gi
    gi.require_version("Camel", "1.2")
    from gi.repository import Camel

    with open(cert_file) as f:
        server_cert = Gio.TlsCertificate.new_from_pem(f.read(), -1)

    class Session(Camel.Session):
        prompts = []

        def do_trust_prompt(self, service, certificate, errors):
            same = certificate.is_same(server_cert)
            self.prompts.append(same)
            return Camel.CertTrust.TEMPORARY if same else Camel.CertTrust.REJECT

    source = EDataServer.SourceRegistry.new_sync(None).ref_source(uid)
    backend = source.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT).get_backend_name()
    found, password = source.lookup_password_sync(None)
    data = tempfile.mkdtemp(prefix="ms-e2e-camel-")
    Camel.init(data, False)
    Camel.provider_init()
    session = Session(user_data_dir=data, user_cache_dir=data)
    session.set_online(True)
    store = session.add_service(uid, backend, Camel.ProviderType.STORE)
    source.camel_configure_service(store)
    settings = store.ref_settings()
    if found and password:
        store.set_password(password)
    error = None
    try:
        store.set_online_sync(True, None)
        store.connect_sync(None)
    except GLib.Error as e:
        error = e.message
    status = store.get_connection_status().value_nick
    store.disconnect_sync(True, None)
    return {"backend": backend, "host": settings.get_property("host"), "port": settings.get_property("port"),
            "user": settings.get_property("user"), "security": settings.get_property("security-method").value_nick,
            "password_found": bool(found and password), "trust_prompts": Session.prompts,
            "status": status, "error": error}


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
    elif command == "eds-password":
        result = eds_password(sys.argv[2])
    elif command == "camel-login":
        result = camel_login(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
