#!/usr/bin/env python3
# test-cli-repair.py: `mail-setup repair` end to end: find, test, change in place, undo
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""An msmtp account in a made-up home, set to STARTTLS on the real postfix's
implicit-TLS submissions port (Charter's 587 mistake): `mail-setup repair
--yes --password-stdin` tests it against the real servers
(tests/harness/run-with-mail-servers), changes only that account's lines of
~/.msmtprc (backup kept), the real msmtp then sends with the file, and
`repair --undo` puts the file back byte for byte. Prints TAP."""

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

ADDRESS = "alice@test.example"

# Another account first: the repair must leave it byte for byte.
MSMTPRC = """# written by hand
defaults
logfile ~/.msmtp.log
# A STARTTLS client on an implicit-TLS port waits for a greeting that never comes.
timeout 5

account work
host smtp.work.example
port 587
from bob@work.example
auth on
user bob

account alice
host {host}
port {submissions}
from alice@test.example
auth on
user {user}
tls on
tls_starttls on
tls_trust_file {ca}
"""


class Home:
    def __init__(self, user=ADDRESS):
        self.root = tempfile.mkdtemp(prefix="ms-cli-repair-")
        self.config = os.path.join(self.root, ".config")
        self.data = os.path.join(self.root, ".local", "share")
        self.state = os.path.join(self.root, ".local", "state")
        os.makedirs(self.data)
        mstest.write_provider(self.config, mstest.provider_xml(mstest.harness_servers()))
        self.msmtprc = os.path.join(self.root, ".msmtprc")
        self.original = MSMTPRC.format(host=mstest.env("MS_TEST_HOST"),
                                       submissions=mstest.env("MS_TEST_SUBMISSIONS_PORT"),
                                       ca=mstest.env("MS_TEST_CA_FILE"), user=user)
        with open(self.msmtprc, "w", encoding="utf-8") as f:
            f.write(self.original)
        os.chmod(self.msmtprc, 0o600)

    def env(self):
        environment = dict(os.environ, HOME=self.root, XDG_CONFIG_HOME=self.config,
                           XDG_DATA_HOME=self.data, XDG_STATE_HOME=self.state,
                           LANGUAGE="", LC_ALL="C.UTF-8")
        if os.environ.get("MS_TEST_PROGRAM_G_DEBUG"):
            environment["G_DEBUG"] = os.environ["MS_TEST_PROGRAM_G_DEBUG"]
        return environment

    def run(self, args, **kwargs):
        kwargs.setdefault("check", False)
        return mstest.mail_setup(args, env=self.env(), timeout=120, **kwargs)

    def contents(self):
        with open(self.msmtprc, encoding="utf-8") as f:
            return f.read()

    def serverinfo(self):
        """The real msmtp reads the file and talks to the real postfix."""
        return mstest.run(["msmtp", "-C", self.msmtprc, "-a", "alice", "--serverinfo"],
                          check=False, timeout=60, env=self.env())

    def run_on_terminal(self, args, password, answer):
        """Run with the password on a pipe and a terminal of its own (a
        pty as the controlling terminal), and answer the question there."""
        master, slave = os.openpty()
        slave_name = os.ttyname(slave)

        def take_terminal():
            os.setsid()
            os.close(os.open(slave_name, os.O_RDWR))  # a session leader's first tty is its own

        proc = subprocess.Popen([mstest.MAIL_SETUP] + args, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env(), preexec_fn=take_terminal)
        os.close(slave)
        try:
            proc.stdin.write(password)
            proc.stdin.close()
            proc.stdin = None  # sent whole; communicate() must not flush it
            shown = bytearray()

            def asked():
                while select.select([master], [], [], 0)[0]:
                    try:
                        chunk = os.read(master, 4096)
                    except OSError:
                        return False
                    if not chunk:
                        return False
                    shown.extend(chunk)
                return b"[y/N]" in shown

            mstest.wait_until(asked, "the question on the terminal", alive=proc)
            os.write(master, answer + b"\n")
            stdout, stderr = proc.communicate(timeout=mstest.HANG_DEADLINE)
            return proc.returncode, stdout, stderr, bytes(shown)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            os.close(master)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


@mstest.test("repair finds the msmtp account, fixes only its security, and undo puts the file back")
def t_repair_and_undo():
    home = Home()
    try:
        mstest.need("msmtp", "msmtp")
        password = mstest.password()
        before = home.serverinfo()
        mstest.check_true(before.returncode != 0, "msmtp fails with the file as it is")
        found = home.run(["accounts", "--json"])
        mstest.check_equal(found.returncode, 0, found.stderr)
        mstest.check_in(f"msmtp:{home.msmtprc}#alice", found.stdout, "the finder lists the account")

        done = home.run(["repair", ADDRESS, "--program", "msmtp", "--yes", "--password-stdin",
                         "--ca-file", mstest.env("MS_TEST_CA_FILE")], input=password)
        mstest.check_equal(done.returncode, 0, f"stdout: {done.stdout}\nstderr: {done.stderr}")
        mstest.check_not_in(password, done.stdout + done.stderr, "the password is not shown")
        mstest.check_in("Outgoing encryption: STARTTLS", done.stdout, "the plan shows the change")
        mstest.check_in("--undo", done.stdout, "the undo command is shown")
        repaired = home.contents()
        mstest.check_true(repaired != home.original, "the file changed")
        mstest.check_true(repaired.startswith(home.original.split("account alice")[0]),
                          "the other account is byte for byte as it was")
        after = home.serverinfo()
        mstest.check_equal(after.returncode, 0, f"msmtp works with the repaired file: {after.stderr}")
        backups = [n for n in os.listdir(home.root) if n.startswith(".msmtprc.mail-setup-backup-")]
        mstest.check_equal(len(backups), 1, "one backup")
        with open(os.path.join(home.root, backups[0]), encoding="utf-8") as f:
            mstest.check_equal(f.read(), home.original, "the backup is the old file")

        again = home.run(["repair", ADDRESS, "--program", "msmtp", "--yes", "--password-stdin",
                          "--ca-file", mstest.env("MS_TEST_CA_FILE")], input=password)
        mstest.check_equal(again.returncode, 0, f"stdout: {again.stdout}\nstderr: {again.stderr}")
        mstest.check_equal(home.contents(), repaired, "a second repair has nothing to change")

        undone = home.run(["repair", ADDRESS, "--program", "msmtp", "--undo"])
        mstest.check_equal(undone.returncode, 0, undone.stderr)
        mstest.check_equal(home.contents(), home.original, "the file is back byte for byte")
    finally:
        home.cleanup()


@mstest.test("on a terminal: a no changes nothing (exit 1), a yes repairs")
def t_asked_on_terminal():
    home = Home()
    try:
        password = mstest.password()
        args = ["repair", ADDRESS, "--password-stdin", "--ca-file", mstest.env("MS_TEST_CA_FILE")]
        status, stdout, stderr, shown = home.run_on_terminal(args, password, b"n")
        mstest.check_equal(status, 1, f"exit status after no; stderr: {stderr}")
        mstest.check_in("Nothing was changed.", stdout, "a no says so")
        mstest.check_equal(home.contents(), home.original, "a no changes nothing")
        mstest.check_false(os.path.exists(os.path.join(home.state, "mail-setup", "repairs")),
                           "and keeps no undo record")
        mstest.check_not_in(password.encode(), shown, "the password is not on the terminal")

        status, stdout, stderr, _ = home.run_on_terminal(args, password, b"y")
        mstest.check_equal(status, 0, f"exit status after yes; stderr: {stderr}")
        mstest.check_true(home.contents() != home.original, "a yes changes the file")
    finally:
        home.cleanup()


@mstest.test("without a password: the settings tested short of the login, said so before the change")
def t_without_password():
    home = Home()
    try:
        mstest.need("msmtp", "msmtp")
        done = home.run(["repair", ADDRESS, "--program", "msmtp", "--yes",
                         "--ca-file", mstest.env("MS_TEST_CA_FILE")])
        mstest.check_equal(done.returncode, 0, f"stdout: {done.stdout}\nstderr: {done.stderr}")
        said = done.stdout.find("These settings were tested without signing in")
        mstest.check_true(said >= 0, f"the repair says no login was tried: {done.stdout}")
        mstest.check_true(said < done.stdout.find("Changed "), "before it changes anything")
        mstest.check_true(home.contents() != home.original, "the file changed")
        after = home.serverinfo()
        mstest.check_equal(after.returncode, 0, f"msmtp works with the repaired file: {after.stderr}")
    finally:
        home.cleanup()


def failed_logins():
    """postfix logs each refused AUTH once ("SASL PLAIN authentication failed")."""
    with open(mstest.env("MS_TEST_POSTFIX_LOG"), errors="replace") as f:
        return f.read().count("authentication failed")


def good_logins():
    """postfix's "disconnect from" line counts an accepted AUTH as "auth=1"."""
    with open(mstest.env("MS_TEST_POSTFIX_LOG"), errors="replace") as f:
        return f.read().count(" auth=1 ")


@mstest.test("a bare username: the one login goes to the right settings, which prove the new username")
def t_bare_username():
    home = Home(user="alice")
    try:
        password = mstest.password()
        failed, good = failed_logins(), good_logins()
        done = home.run(["repair", ADDRESS, "--program", "msmtp", "--yes", "--password-stdin",
                         "--ca-file", mstest.env("MS_TEST_CA_FILE")], input=password)
        mstest.check_equal(done.returncode, 0, f"stdout: {done.stdout}\nstderr: {done.stderr}")
        mstest.check_not_in("tested without signing in", done.stdout, "the login proved the settings")
        users = [line.split(None, 1)[1].strip('"') for line in home.contents().splitlines()
                 if line.startswith("user ")]
        mstest.check_equal(users, ["bob", ADDRESS], "the username is completed, the other account's kept")
        mstest.wait_until(lambda: good_logins() > good, "postfix's line for the good login")
        mstest.check_equal(failed_logins(), failed, "no failed login: the bare username was never tried")
    finally:
        home.cleanup()


def thunderbird_prefs(host, imaps, submissions):
    """Two accounts of one profile, both sending through smtp1 (Thunderbird
    makes one outgoing server for several accounts), set to STARTTLS on the
    implicit-TLS port; bob's own incoming server is another."""
    prefs = {
        "mail.accountmanager.accounts": "account1,account2",
        "mail.account.account1.server": "server1",
        "mail.account.account1.identities": "id1",
        "mail.server.server1.type": "imap",
        "mail.server.server1.hostname": host,
        "mail.server.server1.port": int(imaps),
        "mail.server.server1.socketType": 3,
        "mail.server.server1.userName": ADDRESS,
        "mail.identity.id1.useremail": ADDRESS,
        "mail.identity.id1.smtpServer": "smtp1",
        "mail.account.account2.server": "server2",
        "mail.account.account2.identities": "id2",
        "mail.server.server2.type": "imap",
        "mail.server.server2.hostname": "imap.other.example",
        "mail.server.server2.port": 993,
        "mail.server.server2.socketType": 3,
        "mail.server.server2.userName": "bob@other.example",
        "mail.identity.id2.useremail": "bob@other.example",
        "mail.identity.id2.smtpServer": "smtp1",
        "mail.smtpserver.smtp1.hostname": host,
        "mail.smtpserver.smtp1.port": int(submissions),
        "mail.smtpserver.smtp1.try_ssl": 2,
        "mail.smtpserver.smtp1.username": ADDRESS,
    }
    return "".join(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in prefs.items())


@mstest.test("Thunderbird: an outgoing server two accounts share is changed for both, and the plan says so")
def t_thunderbird_shared_smtp():
    home = Home()
    try:
        os.unlink(home.msmtprc)
        root = os.path.join(home.root, ".thunderbird")
        profile = os.path.join(root, "abcd.default")
        os.makedirs(profile)
        with open(os.path.join(root, "profiles.ini"), "w", encoding="utf-8") as f:
            f.write("[Profile0]\nName=default\nIsRelative=1\nPath=abcd.default\nDefault=1\n")
        prefs_path = os.path.join(profile, "prefs.js")
        with open(prefs_path, "w", encoding="utf-8") as f:
            f.write(thunderbird_prefs(mstest.env("MS_TEST_HOST"), mstest.env("MS_TEST_IMAPS_PORT"),
                                      mstest.env("MS_TEST_SUBMISSIONS_PORT")))
        password = mstest.password()
        done = home.run(["repair", ADDRESS, "--program", "thunderbird", "--yes", "--password-stdin",
                         "--ca-file", mstest.env("MS_TEST_CA_FILE")], input=password)
        mstest.check_equal(done.returncode, 0, f"stdout: {done.stdout}\nstderr: {done.stderr}")
        said = done.stdout.find("also used by bob@other.example (account account2)")
        mstest.check_true(said >= 0, f"the plan names the other account: {done.stdout}")
        mstest.check_true(said < done.stdout.find("Changed "), "before anything changes")
        mstest.check_in("Outgoing encryption: STARTTLS", done.stdout, "the plan shows the change")
        with open(prefs_path, encoding="utf-8") as f:
            repaired = f.read()
        mstest.check_in('user_pref("mail.smtpserver.smtp1.try_ssl", 3);', repaired,
                        "the shared server now speaks implicit TLS")
        mstest.check_in('user_pref("mail.identity.id2.smtpServer", "smtp1");', repaired,
                        "bob still sends through it, with the change")
        found = json.loads(home.run(["accounts", "--json"]).stdout)
        bob = [a for a in found["accounts"] if a.get("address") == "bob@other.example"]
        mstest.check_equal(len(bob), 1, "the finder still finds bob")
        mstest.check_equal(bob[0]["outgoing"]["security"], "SSL", "bob's outgoing server is the changed one")
    finally:
        home.cleanup()


if __name__ == "__main__":
    mstest.require_root("dovecot and postfix")
    mstest.require_mail_setup()
    sys.exit(mstest.main())
