#!/usr/bin/env python3
# test-export-geary.py: the real Geary logs in to dovecot with the exported account
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix),
run-under-xvfb (a display for Geary's window) and run-with-keyring (a
private D-Bus session with a real gnome-keyring).

`mail-setup export --to geary --password-stdin` tests the account, writes
$XDG_CONFIG_HOME/geary/account_NN/geary.ini and stores the password under
Geary's own keyring schema. The real Geary is then started on that private
home; dovecot's log must show it logging in as the test user, which it can
only do with the exported host, port, security and login and the password
it found under its schema (Geary asks in a dialog when it finds none).

The harness's servers have a certificate from a private test CA, which
Geary (like any mail program) does not trust: on a first connection it asks
in a dialog. The test stands in for the person pressing "Always Trust":
it puts the server's certificate where Geary 43 keeps the certificates so
trusted ($XDG_DATA_HOME/geary/pinned-certs/HOST.pem, see Geary's
application-certificate-manager.vala), in the private home only. No other
part of Geary is changed, and the machine's trust store is not touched.
A program that is missing or cannot run fails with the reason. Output is TAP.
"""

import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, env, need, password, run, test  # noqa: E402

ADDRESS = os.environ.get("MS_TEST_USER", "alice@test.example")
MAIL_SETUP = mstest.MAIL_SETUP
GEARY_SCHEMA = "org.gnome.Geary"


def write_provider():
    mstest.write_provider(os.environ["XDG_CONFIG_HOME"],
                          mstest.provider_xml(mstest.harness_servers()))


def account_dir():
    return os.path.join(os.environ["XDG_CONFIG_HOME"], "geary", "account_01")


@test("export to Geary: geary.ini in Geary's config directory, the password under Geary's schema")
def t_export():
    write_provider()
    run([MAIL_SETUP, "export", ADDRESS, "--to", "geary", "--name", "Alice Tester",
         "--password-stdin", "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "20"],
        input=password() + "\n")
    ini = os.path.join(account_dir(), "geary.ini")
    check(os.path.exists(ini), f"no {ini}")
    text = open(ini).read()
    check(password() not in text, "geary.ini holds the password")
    host = env("MS_TEST_HOST")
    for proto in ("IMAP", "SMTP"):
        found = run(["secret-tool", "lookup", "xdg:schema", GEARY_SCHEMA, "proto", proto,
                     "host", host, "login", ADDRESS]).stdout
        check(found == password(), f"Geary's {proto} keyring entry holds {found!r}")


def pin_server_certificate():
    """What Geary's "Always Trust" button writes, for the harness's server."""
    with open(env("MS_TEST_SSL_CERT_FILE")) as f:
        blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?",
                            f.read(), re.S)
    check(blocks, "no certificate in MS_TEST_SSL_CERT_FILE")
    pinned = os.path.join(os.environ["XDG_DATA_HOME"], "geary", "pinned-certs")
    os.makedirs(pinned, exist_ok=True)
    with open(os.path.join(pinned, env("MS_TEST_HOST") + ".pem"), "w") as f:
        f.write(blocks[0])


def dovecot_logins():
    with open(env("MS_TEST_DOVECOT_LOG"), errors="replace") as f:
        return [line for line in f if "imap-login: Info: Login: user=<" + ADDRESS + ">" in line]


class Geary:
    """The real Geary on the private home, its --debug output in a file."""

    def __init__(self, name):
        need("geary", "geary")
        need("stdbuf", "coreutils")
        self.log_path = os.path.join(os.environ["XDG_CACHE_HOME"], f"geary-{name}.log")
        self.log = open(self.log_path, "w")
        # Line-buffered, so the output read here is what Geary has done.
        self.proc = subprocess.Popen(["stdbuf", "-oL", "-eL", "geary", "--debug"],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_for(self, condition):
        """Until CONDITION holds or Geary exits (a hang deadline bounds it)."""
        return mstest.poll(condition, bool, alive=self.proc)

    def stop(self):
        """For a Geary in its modal password prompt, which --quit cannot close."""
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()

    def quit(self):
        # Geary's own --quit asks the running instance to close; a
        # Geary that does not is killed, and the test fails.
        subprocess.run(["geary", "--quit"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise mstest.Failure("Geary did not quit on geary --quit within 30 s")
        finally:
            self.log.close()


@test("the real Geary logs in to dovecot with the exported account and its keyring password")
def t_geary_logs_in():
    pin_server_certificate()
    before = len(dovecot_logins())
    geary = Geary("login")
    try:
        geary.wait_for(lambda: dovecot_logins()[before:])
        output = geary.output()
        check(geary.proc.poll() is None, f"Geary exited {geary.proc.returncode}:\n{output[-3000:]}")
        logins = dovecot_logins()[before:]
        check(logins, "no login by Geary in dovecot's log; "
                        f"Geary's output ends:\n{output[-3000:]}")
        # Over TLS, and Geary's side agrees it is logged in.
        check("method=PLAIN" in logins[0] and ", TLS," in logins[0], logins[0])
        geary.wait_for(lambda: "GearyImapClientSession(authorized" in geary.output())
        output = geary.output()
        check("GearyImapClientSession(authorized" in output, output[-3000:])
        check("Status changed to: authentication-failed" not in output, output[-3000:])
        check(password() not in output, "Geary's debug output holds the password")
    finally:
        geary.quit()


@test("control: without its keyring item Geary does not log in (the item is what it used)")
def t_geary_without_item():
    host = env("MS_TEST_HOST")
    run(["secret-tool", "clear", "xdg:schema", GEARY_SCHEMA, "proto", "IMAP", "host", host,
         "login", ADDRESS])
    try:
        before = len(dovecot_logins())
        geary = Geary("no-item")
        try:
            failed = geary.wait_for(
                lambda: "Status changed to: authentication-failed" in geary.output())
            check(failed, f"Geary did not report a missing password:\n{geary.output()[-3000:]}")
            check(dovecot_logins()[before:] == [], "Geary logged in without its keyring item")
        finally:
            geary.stop()
    finally:
        # The item back, as the export stores it.
        run([MAIL_SETUP, "export", ADDRESS, "--to", "geary"])
    found = run(["secret-tool", "lookup", "xdg:schema", GEARY_SCHEMA, "proto", "IMAP",
                 "host", host, "login", ADDRESS]).stdout
    check(found == password(), "a second export did not store Geary's item again")
    check(sorted(os.listdir(os.path.dirname(account_dir()))) == ["account_01"], "a second export added another Geary account")


def main():
    mstest.require_mail_setup()
    return mstest.main()


if __name__ == "__main__":
    sys.exit(main())
