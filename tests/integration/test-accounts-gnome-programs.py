#!/usr/bin/python3
# test-accounts-gnome-programs.py: the real GNOME programs' side of test-accounts-gnome.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run with Debian's /usr/bin/python3, which has the GObject bindings for
libedataserver (gir1.2-edataserver-1.2) and GLib. Prints JSON.

  eds-create            two mail accounts made through the real
                        evolution-source-registry, which writes the
                        .source files itself (as Evolution's account
                        editor does: e_source_registry_create_sources)
  eds-show UID...       what libedataserver reads from each source
  goa-add < password    two imap_smtp accounts through goa-daemon's
                        AddAccount (the password on stdin, never argv)
  goa-show              goa-daemon's Mail properties, by account id
  goa-password ID KEY < password
                        whether PasswordBased.GetPassword gives it back
  geary-create ROOT     two accounts written as Geary 43 writes geary.ini
                        (GLib.KeyFile, its keys in its order)
  geary-show PATH       geary.ini read as Geary 43 reads it (GLib.KeyFile,
                        its own keys and defaults: accounts/account-config-v1.vala)
"""

import json
import sys

import gi

gi.require_version("EDataServer", "1.2")
from gi.repository import EDataServer, Gio, GLib  # noqa: E402

GOA_BUS = "org.gnome.OnlineAccounts"


def mail_source(registry, name, backend, host, port, user, security, address, transport_host,
                transport_port, transport_user, transport_security):
    account = EDataServer.Source.new(None, None)
    identity = EDataServer.Source.new(None, None)
    transport = EDataServer.Source.new(None, None)
    account.set_display_name(name)
    extension = account.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT)
    extension.set_backend_name(backend)
    extension.set_identity_uid(identity.get_uid())
    auth = account.get_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION)
    auth.set_host(host)
    auth.set_port(port)
    auth.set_user(user)
    account.get_extension(EDataServer.SOURCE_EXTENSION_SECURITY).set_method(security)

    identity.set_parent(account.get_uid())
    identity.set_display_name(name)
    extension = identity.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_IDENTITY)
    extension.set_address(address)
    extension.set_name(name)
    identity.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_SUBMISSION).set_transport_uid(transport.get_uid())

    transport.set_parent(account.get_uid())
    transport.set_display_name(name)
    transport.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_TRANSPORT).set_backend_name("smtp")
    auth = transport.get_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION)
    auth.set_host(transport_host)
    auth.set_port(transport_port)
    auth.set_user(transport_user)
    auth.set_method("PLAIN" if transport_user else "")
    transport.get_extension(EDataServer.SOURCE_EXTENSION_SECURITY).set_method(transport_security)

    registry.create_sources_sync([account, identity, transport], None)
    return {"account": account.get_uid(), "identity": identity.get_uid(), "transport": transport.get_uid()}


def eds_create():
    registry = EDataServer.SourceRegistry.new_sync(None)
    # Charter's retired plain "desktop" servers, with a bare username.
    broken = mail_source(registry, "Pat", "imapx", "IMAP.charter.net", 143, "pat", "none", "pat@charter.net",
                         "smtp.charter.net", 25, "", "none")
    other = mail_source(registry, "Jo", "imapx", "imap.example.org", 993, "jo@example.org",
                        "ssl-on-alternate-port", "jo@example.org", "smtp.example.org", 587, "jo@example.org",
                        "starttls-on-standard-port")
    return {"broken": broken, "other": other}


def eds_show(uids):
    registry = EDataServer.SourceRegistry.new_sync(None)
    found = {}
    for uid in uids:
        source = registry.ref_source(uid)
        if source is None:
            found[uid] = None
            continue
        info = {}
        if source.has_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION):
            auth = source.get_extension(EDataServer.SOURCE_EXTENSION_AUTHENTICATION)
            info.update(host=auth.get_host(), port=auth.get_port(), user=auth.get_user(), method=auth.get_method())
        if source.has_extension(EDataServer.SOURCE_EXTENSION_SECURITY):
            info["security"] = source.get_extension(EDataServer.SOURCE_EXTENSION_SECURITY).get_method()
        if source.has_extension(EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT):
            info["backend"] = source.get_extension(EDataServer.SOURCE_EXTENSION_MAIL_ACCOUNT).get_backend_name()
        found[uid] = info
    return found


def goa_call(bus, path, interface, method, parameters, reply_type):
    return bus.call_sync(GOA_BUS, path, interface, method, parameters, GLib.VariantType(reply_type),
                         Gio.DBusCallFlags.NONE, 60000, None).unpack()


def goa_add():
    password = sys.stdin.read().rstrip("\n")
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    accounts = {}
    for role, address, details in (
            ("broken", "pat@charter.net", {
                "ImapHost": "IMAP.charter.net", "ImapUserName": "pat", "ImapUseSsl": "false",
                "ImapUseTls": "false", "SmtpHost": "smtp.charter.net:25", "SmtpUseAuth": "false",
                "SmtpUseSsl": "false", "SmtpUseTls": "false"}),
            ("other", "jo@example.org", {
                "ImapHost": "imap.example.org", "ImapUserName": "jo@example.org", "ImapUseSsl": "true",
                "ImapUseTls": "false", "SmtpHost": "smtp.example.org", "SmtpUseAuth": "true",
                "SmtpUserName": "jo@example.org", "SmtpAuthPlain": "true", "SmtpUseSsl": "false",
                "SmtpUseTls": "true"})):
        details = dict(details, Enabled="true", EmailAddress=address, Name=role, ImapAcceptSslErrors="false",
                       SmtpAcceptSslErrors="false")
        credentials = {"imap-password": GLib.Variant("s", password), "smtp-password": GLib.Variant("s", password)}
        (path,) = goa_call(bus, "/org/gnome/OnlineAccounts/Manager", "org.gnome.OnlineAccounts.Manager",
                           "AddAccount", GLib.Variant("(sssa{sv}a{ss})", ("imap_smtp", address, address,
                                                                          credentials, details)), "(o)")
        accounts[role] = path.rsplit("/", 1)[1]
    return accounts


def goa_show():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    (objects,) = goa_call(bus, "/org/gnome/OnlineAccounts", "org.freedesktop.DBus.ObjectManager",
                          "GetManagedObjects", None, "(a{oa{sa{sv}}})")
    found = {}
    for path, interfaces in objects.items():
        mail = interfaces.get("org.gnome.OnlineAccounts.Mail")
        if mail is not None:
            found[path.rsplit("/", 1)[1]] = {key: mail[key] for key in (
                "EmailAddress", "ImapHost", "ImapUserName", "ImapUseSsl", "ImapUseTls", "SmtpHost",
                "SmtpUseAuth", "SmtpUserName", "SmtpUseSsl", "SmtpUseTls")}
    return found


def goa_password(account_id, key):
    expected = sys.stdin.read().rstrip("\n")
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    (found,) = goa_call(bus, f"/org/gnome/OnlineAccounts/Accounts/{account_id}",
                        "org.gnome.OnlineAccounts.PasswordBased", "GetPassword", GLib.Variant("(s)", (key,)), "(s)")
    return {"matches": found == expected}


def geary_account(root, name, ordinal, mailbox, incoming, outgoing):
    key_file = GLib.KeyFile()
    key_file.set_integer("Metadata", "version", 1)
    key_file.set_integer("Account", "ordinal", ordinal)
    key_file.set_string("Account", "label", "")
    key_file.set_integer("Account", "prefetch_days", 14)
    key_file.set_boolean("Account", "save_drafts", True)
    key_file.set_boolean("Account", "save_sent", True)
    key_file.set_string_list("Account", "sender_mailboxes", [mailbox])
    key_file.set_string("Account", "service_provider", "other")
    for group, values in (("Incoming", incoming), ("Outgoing", outgoing)):
        for key, value in values:
            if isinstance(value, bool):
                key_file.set_boolean(group, key, value)
            elif isinstance(value, int):
                key_file.set_integer(group, key, value)
            else:
                key_file.set_string(group, key, value)
    folder = f"{root}/{name}"
    GLib.mkdir_with_parents(folder, 0o700)
    key_file.save_to_file(f"{folder}/geary.ini")
    return f"{folder}/geary.ini"


def geary_create(root):
    broken = geary_account(root, "account_01", 1, "Pat <pat@charter.net>", (
        ("login", "pat"), ("remember_password", True), ("host", "imap.charter.net"), ("port", 143),
        ("transport_security", "none"), ("credentials", "custom")), (
        ("remember_password", True), ("host", "smtp.charter.net"), ("port", 25),
        ("transport_security", "none"), ("credentials", "use-incoming")))
    other = geary_account(root, "account_02", 2, "Jo <jo@example.org>", (
        ("login", "jo@example.org"), ("remember_password", True), ("host", "imap.example.org"),
        ("port", 993), ("transport_security", "transport"), ("credentials", "custom")), (
        ("login", "jo@example.org"), ("remember_password", True), ("host", "smtp.example.org"),
        ("port", 587), ("transport_security", "start-tls"), ("credentials", "custom")))
    return {"broken": broken, "other": other}


def geary_show(path):
    key_file = GLib.KeyFile()
    key_file.load_from_file(path, GLib.KeyFileFlags.NONE)
    found = {"sender_mailboxes": key_file.get_string_list("Account", "sender_mailboxes")}
    for group in ("Incoming", "Outgoing"):
        service = {}
        for key in ("host", "login", "transport_security", "credentials", "port"):
            try:
                service[key] = (key_file.get_integer if key == "port" else key_file.get_string)(group, key)
            except GLib.Error:  # Geary's own default for a missing key
                service[key] = None
        found[group] = service
    return found


def main():
    command = sys.argv[1]
    if command == "eds-create":
        result = eds_create()
    elif command == "eds-show":
        result = eds_show(sys.argv[2:])
    elif command == "goa-add":
        result = goa_add()
    elif command == "goa-show":
        result = goa_show()
    elif command == "goa-password":
        result = goa_password(sys.argv[2], sys.argv[3])
    elif command == "geary-create":
        result = geary_create(sys.argv[2])
    elif command == "geary-show":
        result = geary_show(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
