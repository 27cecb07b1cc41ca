#!/usr/bin/env python3
# test-accounts-gnome.py: Evolution's, Geary's and GOA's accounts found and repaired, read back by the real programs
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run under run-with-keyring (a private session bus, keyring and XDG
folders). Each program's configuration is made the way the program makes
it: Evolution's sources by the real evolution-source-registry, GOA's
accounts by the real goa-daemon's AddAccount, Geary's geary.ini with
GLib.KeyFile as Geary writes it. Beside the broken Charter account there
is always a second, unrelated one. accounts-gnome-tool (the backends'
read, update and reload, with a backup and an atomic write as the repair
does them) finds both and repairs the broken one; the other's bytes must
not change, and the real program must read the repaired servers.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, check_equal, check_in, env, poll, run, test  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PYTHON = "/usr/bin/python3"
PROGRAMS = os.path.join(HERE, "test-accounts-gnome-programs.py")
# Charter's Mobile servers (charter-facts.md): 587 speaks implicit TLS.
MOBILE = ["pat@charter.net", "mobile.charter.net", "993", "SSL", "mobile.charter.net", "587", "SSL"]
# A made-up password: it only has to come back out of goa-daemon.
PASSWORD = "not-a-real-password-7"


def tool(*args, check=True):
    return run([env("MS_ACCOUNTS_GNOME_TOOL")] + list(args), check=check, timeout=90)


def inventory():
    return json.loads(tool("read").stdout)


def programs(*args, input=None):
    return json.loads(run([SYSTEM_PYTHON, PROGRAMS] + list(args), input=input, timeout=90).stdout)


def config(*parts):
    return os.path.join(env("XDG_CONFIG_HOME"), *parts)


def account_of(found, program, key):
    for account in found["accounts"]:
        if account["program"] == program and account["key"] == key:
            return account
    raise mstest.Failure(f"no {program} account {key} in {json.dumps(found, indent=1)}")


def server(account, direction):
    s = account[direction]
    return (s["hostname"], s["port"], s["security"], s["username"])


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class FakeProgram:
    """A process the kernel names NAME (a copy of sleep), as the running
    program would be named; stopped by its own pid."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix="ms-fake-")
        self.path = os.path.join(self.dir, name)
        shutil.copy("/bin/sleep", self.path)
        self.proc = subprocess.Popen([self.path, "300"])

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@test("Evolution: the registry's own sources found; the broken account repaired; the registry reads it")
def t_evolution():
    uids = programs("eds-create")
    broken, other = uids["broken"], uids["other"]
    sources = config("evolution", "sources")
    for uid in list(broken.values()) + list(other.values()):
        mstest.wait_for_file(os.path.join(sources, uid + ".source"))
    found = inventory()
    check_equal(found["problems"], [])
    pat = account_of(found, "evolution", broken["account"])
    jo = account_of(found, "evolution", other["account"])
    check_equal((pat["address"], pat["display_name"]), ("pat@charter.net", "Pat"))
    check_equal(server(pat, "incoming"), ("IMAP.charter.net", 143, "plain", "pat"))
    check_equal(server(pat, "outgoing"), ("smtp.charter.net", 25, "plain", None))
    check_equal(pat["incoming_password"], "keyring")
    check_equal(jo["address"], "jo@example.org")
    check_equal(server(jo, "incoming"), ("imap.example.org", 993, "SSL", "jo@example.org"))
    check_equal(server(jo, "outgoing"), ("smtp.example.org", 587, "STARTTLS", "jo@example.org"))

    untouched = [os.path.join(sources, uid + ".source") for uid in list(other.values()) + [broken["identity"]]]
    before = {path: read_bytes(path) for path in untouched}
    tool("repair", pat["id"], *MOBILE)
    for path in untouched:
        check(read_bytes(path) == before[path], f"{path} changed")

    # The registry, still running, reads the replaced files by itself
    # (its folder monitor, after a pause of three seconds).
    wanted = {
        broken["account"]: {"host": "mobile.charter.net", "port": 993, "user": "pat@charter.net",
                            "security": "ssl-on-alternate-port", "backend": "imapx"},
        broken["transport"]: {"host": "mobile.charter.net", "port": 587, "user": "pat@charter.net",
                              "security": "ssl-on-alternate-port", "method": "PLAIN"},
        other["account"]: {"host": "imap.example.org", "port": 993, "security": "ssl-on-alternate-port"},
    }

    def matches(shown):
        return all(shown.get(uid) is not None and all(shown[uid].get(k) == v for k, v in want.items())
                   for uid, want in wanted.items())
    shown = poll(lambda: programs("eds-show", *wanted), matches)
    check(matches(shown), f"the registry reads {shown}")


@test("Evolution: a running Evolution refuses the repair and nothing is written")
def t_evolution_running():
    uids = programs("eds-create")
    account = uids["broken"]["account"]
    path = config("evolution", "sources", account + ".source")
    mstest.wait_for_file(path)
    found = inventory()
    before = read_bytes(path)
    evolution = FakeProgram("evolution")
    try:
        proc = tool("repair", account_of(found, "evolution", account)["id"], *MOBILE, check=False)
    finally:
        evolution.stop()
    check_equal(proc.returncode, 2, proc.stderr)
    check_in("Evolution is open", proc.stderr)
    check(read_bytes(path) == before, "the source changed while Evolution ran")


def goa_group(text, key):
    """The lines of [Account KEY] in accounts.conf."""
    start = text.index(f"[Account {key}]")
    end = text.find("\n[", start + 1)
    return text[start:] if end < 0 else text[start:end + 1]


@test("GNOME Online Accounts: goa-daemon's own accounts found; the broken one repaired; goa-daemon serves it")
def t_goa():
    if not os.path.exists("/usr/libexec/goa-daemon"):
        raise mstest.Failure("goa-daemon is missing: install the Debian package gnome-online-accounts")
    ids = programs("goa-add", input=PASSWORD + "\n")
    path = config("goa-1.0", "accounts.conf")
    found = inventory()
    pat = account_of(found, "goa", ids["broken"])
    jo = account_of(found, "goa", ids["other"])
    check_equal(server(pat, "incoming"), ("IMAP.charter.net", 143, "plain", "pat"))
    check_equal(server(pat, "outgoing"), ("smtp.charter.net", 25, "plain", None))
    check_equal((pat["incoming_password"], pat["outgoing_password"]), ("goa", "none"))
    check_equal(server(jo, "incoming"), ("imap.example.org", 993, "SSL", "jo@example.org"))
    check_equal(server(jo, "outgoing"), ("smtp.example.org", 587, "STARTTLS", "jo@example.org"))

    before = open(path).read()
    tool("repair", pat["id"], *MOBILE)
    after = open(path).read()
    check_equal(goa_group(after, ids["other"]), goa_group(before, ids["other"]))
    check(PASSWORD not in after, "accounts.conf holds the password")

    mail = programs("goa-show")
    check_equal(mail[ids["broken"]], {
        "EmailAddress": "pat@charter.net", "ImapHost": "mobile.charter.net", "ImapUserName": "pat@charter.net",
        "ImapUseSsl": True, "ImapUseTls": False, "SmtpHost": "mobile.charter.net:587", "SmtpUseAuth": True,
        "SmtpUserName": "pat@charter.net", "SmtpUseSsl": True, "SmtpUseTls": False})
    # The restarted goa-daemon still has the password.
    check_equal(programs("goa-password", ids["broken"], "imap-password", input=PASSWORD + "\n"), {"matches": True})
    check_equal(mail[ids["other"]]["ImapHost"], "imap.example.org")
    check_equal(mail[ids["other"]]["SmtpUseTls"], True)


@test("Geary: geary.ini as Geary writes it found; the broken account repaired; Geary's reading of it")
def t_geary():
    paths = programs("geary-create", config("geary"))
    found = inventory()
    pat = account_of(found, "geary", "account_01")
    jo = account_of(found, "geary", "account_02")
    check_equal(server(pat, "incoming"), ("imap.charter.net", 143, "plain", "pat"))
    check_equal(server(pat, "outgoing"), ("smtp.charter.net", 25, "plain", "pat"))
    check_equal(server(jo, "outgoing"), ("smtp.example.org", 587, "STARTTLS", "jo@example.org"))

    other_before = read_bytes(paths["other"])
    geary = FakeProgram("geary")
    try:
        refused = tool("repair", pat["id"], *MOBILE, check=False)
    finally:
        geary.stop()
    check_equal(refused.returncode, 2, refused.stderr)
    check_in("Geary", refused.stderr)

    # A Geary that has exited but is not reaped yet (a zombie: in a
    # container nobody may ever reap it) reads no file: no refusal.
    zombie_dir = tempfile.mkdtemp(prefix="ms-fake-")
    shutil.copy("/bin/true", os.path.join(zombie_dir, "geary"))
    zombie = subprocess.Popen([os.path.join(zombie_dir, "geary")])
    try:
        state = lambda: open(f"/proc/{zombie.pid}/stat").read().rsplit(")", 1)[1].split()[0]
        mstest.wait_until(lambda: state() == "Z", "the exited geary to be a zombie")
        tool("repair", pat["id"], *MOBILE)
    finally:
        zombie.wait()
        shutil.rmtree(zombie_dir, ignore_errors=True)
    check(read_bytes(paths["other"]) == other_before, "the other account's geary.ini changed")
    shown = programs("geary-show", paths["broken"])
    check_equal(shown["sender_mailboxes"], ["Pat <pat@charter.net>"])
    check_equal(shown["Incoming"], {"host": "mobile.charter.net", "port": 993, "login": "pat@charter.net",
                                    "transport_security": "transport", "credentials": "custom"})
    # Still the incoming login and password for sending.
    check_equal(shown["Outgoing"], {"host": "mobile.charter.net", "port": 587, "login": None,
                                    "transport_security": "transport", "credentials": "use-incoming"})


@test("hostile and broken files become problems; the good accounts are still found")
def t_hostile():
    programs("geary-create", config("geary"))
    os.makedirs(config("geary", "account_09"), exist_ok=True)
    with open(config("geary", "account_09", "geary.ini"), "w") as f:
        f.write("[Account]\nsender_mailboxes=x@example.org;\n[Incoming]\nhost=imap.example.org\nport=70000\n")
    os.makedirs(config("evolution", "sources"), exist_ok=True)
    with open(config("evolution", "sources", "zz-broken.source"), "wb") as f:
        f.write(b"[Mail Account\x00\nBackendName=imapx\n")
    os.symlink("/etc/passwd", config("evolution", "sources", "zz-link.source"))
    os.makedirs(config("goa-1.0"), exist_ok=True)
    with open(config("goa-1.0", "accounts.conf"), "a") as f:
        f.write("\n[Account account_9]\nProvider=imap_smtp\nEmailAddress=x@example.org\nImapHost=bad\thost\n")
    found = inventory()
    problems = {(os.path.basename(p["path"]), p["line"]) for p in found["problems"]}
    for expected in (("geary.ini", 5), ("zz-broken.source", 0), ("zz-link.source", 0), ("accounts.conf", 0)):
        check(any(name == expected[0] and (expected[1] == 0 or line == expected[1]) for name, line in problems),
              f"no problem for {expected}: {found['problems']}")
    keys = {(a["program"], a["key"]) for a in found["accounts"]}
    check_in(("geary", "account_02"), keys)
    check(("geary", "account_09") not in keys, keys)


def main():
    if not os.path.exists(SYSTEM_PYTHON):
        mstest.bail_out(f"{SYSTEM_PYTHON} with gir1.2-edataserver-1.2 is needed")
    return mstest.main()


if __name__ == "__main__":
    sys.exit(main())
