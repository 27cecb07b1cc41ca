#!/usr/bin/env python3
# test-doctor.py: `mail-setup doctor` from the command line, as an admin runs it
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup executable's `doctor` command in a made-up home
(no mail program set up, or the ones a test writes), checks its exit
statuses (0 fine, 1 problems, 2 usage), its JSON document (docs/cli-json.md)
and that a password read from standard input appears in none of its output;
end to end, a Geary account found by the finder and tested against the real
dovecot and postfix through a charter.net provider-file override. Every
Charter case against the real servers is tests/integration/test-doctor.c.
Prints TAP."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

HOME = None


def doctor(args, home=None, **kwargs):
    home = home or HOME
    environment = dict(os.environ, HOME=home,
                       XDG_CONFIG_HOME=os.path.join(home, ".config"),
                       XDG_DATA_HOME=os.path.join(home, ".local", "share"),
                       LANGUAGE="C", LC_ALL="C.UTF-8")
    if os.environ.get("MS_TEST_PROGRAM_G_DEBUG"):
        environment["G_DEBUG"] = os.environ["MS_TEST_PROGRAM_G_DEBUG"]
    kwargs.setdefault("check", False)
    return mstest.mail_setup(["doctor"] + list(args), env=environment, **kwargs)


def setup():
    global HOME
    mstest.require_mail_setup()
    HOME = tempfile.mkdtemp(prefix="doctor-home-")


@mstest.test("no mail program has an account: nothing to repair, exit 0")
def t_no_accounts():
    proc = doctor([])
    mstest.check_equal(proc.returncode, 0, proc.stderr)
    mstest.check_in("No mail program on this computer has an email account set up.", proc.stdout)


@mstest.test("--json without accounts: the stable document, empty")
def t_no_accounts_json():
    proc = doctor(["--json"])
    mstest.check_equal(proc.returncode, 0, proc.stderr)
    document = json.loads(proc.stdout)
    mstest.check_equal(document, {"version": 1, "accounts": [], "healthy": True, "problems": []})


@mstest.test("an address no program has: exit 1, said on stderr, JSON still printed")
def t_unknown_address():
    proc = doctor(["jsmith@charter.net"])
    mstest.check_equal(proc.returncode, 1)
    mstest.check_in("No mail program on this computer has an account for jsmith@charter.net",
                    proc.stderr)
    proc = doctor(["jsmith@charter.net", "--json"])
    mstest.check_equal(proc.returncode, 1)
    mstest.check_equal(json.loads(proc.stdout)["accounts"], [])


@mstest.test("bad usage exits 2 before anything is looked at")
def t_usage():
    cases = [
        (["--password-stdin"], "--password-stdin needs the ADDRESS"),
        (["--timeout", "5"], "--timeout takes a number of milliseconds"),
        (["--timeout", "600001"], "--timeout takes a number of milliseconds"),
        (["--profile", "mob ile", "jsmith@charter.net"], "--profile"),
        (["a@charter.net", "b@charter.net"], "at most one email address"),
        (["not an address"], ""),
        (["--ca-file", os.path.join(HOME, "missing.pem"), "jsmith@charter.net"], ""),
        (["--no-such-option"], ""),
    ]
    for args, message in cases:
        proc = doctor(args, input="")
        mstest.check_equal(proc.returncode, 2, f"{args}: {proc.stderr}")
        mstest.check_in(message, proc.stderr, f"{args}")
        mstest.check_equal(proc.stdout, "", f"{args}: nothing on stdout")


@mstest.test("the password from stdin appears in no output")
def t_password_not_shown():
    secret = "Pa55-doctor-\u00e9-secret"
    for extra in ([], ["--json"]):
        proc = doctor(["--password-stdin", "jsmith@charter.net"] + extra, input=secret)
        mstest.check_equal(proc.returncode, 1, proc.stderr)
        mstest.check_not_in(secret, proc.stdout + proc.stderr)


# Charter's id (a user's file replaces the built-in one whole), its
# profiles and retired servers pointed at the harness's servers.
PROVIDER = """<clientConfig version="1.1" xmlns:ms="https://mailsetup.github.io/ns/profiles/1">
<emailProvider id="charter.net"><domain>test.example</domain>
<displayName>Charter Spectrum (test servers)</displayName><ms:usernameIsAddress/>
<ms:profile id="mobile" recommended="true"><ms:name>Mobile</ms:name>
<incomingServer type="imap"><hostname>127.0.0.1</hostname><port>{imaps}</port>
<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>127.0.0.1</hostname><port>{submissions}</port>
<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer></ms:profile>
<ms:profile id="desktop"><ms:name>Desktop</ms:name>
<ms:restriction>Works only on the provider's network.</ms:restriction>
<incomingServer type="imap"><hostname>{plain_host}</hostname><port>{plain_port}</port>
<socketType>plain</socketType><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>127.0.0.1</hostname><port>{smtp}</port>
<socketType>plain</socketType><authentication>client-IP-address</authentication></outgoingServer>
</ms:profile>
<ms:retired><incomingServer type="imap"><hostname>{plain_host}</hostname><port>{plain_port}</port>
<socketType>plain</socketType></incomingServer></ms:retired>
</emailProvider></clientConfig>
"""

# geary.ini as Geary 43 writes it (GLib.KeyFile; see
# test-accounts-gnome-programs.py): the old desktop set, plain text.
GEARY_INI = """[Metadata]
version=1

[Account]
ordinal=1
label=
prefetch_days=14
save_drafts=true
save_sent=true
sender_mailboxes=Alice <alice@test.example>;
service_provider=other

[Incoming]
login=alice@test.example
remember_password=true
host={plain_host}
port={plain_port}
transport_security=none
credentials=custom

[Outgoing]
remember_password=true
host=127.0.0.1
port={smtp}
transport_security=none
credentials=none
"""


def desktop_home():
    """A made-up home whose Geary has the old desktop settings."""
    home = tempfile.mkdtemp(prefix="doctor-geary-")
    values = dict(imaps=mstest.env("MS_TEST_IMAPS_PORT"),
                  submissions=mstest.env("MS_TEST_SUBMISSIONS_PORT"),
                  plain_host=mstest.env("MS_TEST_PLAIN_IMAP_HOST"),
                  plain_port=mstest.env("MS_TEST_PLAIN_IMAP_PORT"),
                  smtp=mstest.env("MS_TEST_SMTP_PORT"))
    for path, text in (((".config", "mail-setup", "providers", "charter.net.xml"), PROVIDER),
                       ((".config", "geary", "account_01", "geary.ini"), GEARY_INI)):
        full = os.path.join(home, *path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text.format(**values))
    return home


def codes(entry):
    return {(f["code"], f["server"]["port"] if f["server"] else None) for f in entry["findings"]}


@mstest.test("through the finder: Geary's desktop settings diagnosed, exit 1, no login sent")
def t_finder_without_password():
    home = desktop_home()
    plain_port = int(mstest.env("MS_TEST_PLAIN_IMAP_PORT"))
    proc = doctor(["--json", "--ca-file", mstest.env("MS_TEST_CA_FILE")], home=home)
    mstest.check_equal(proc.returncode, 1, proc.stderr)
    document = json.loads(proc.stdout)
    mstest.check_false(document["healthy"])
    mstest.check_equal(len(document["accounts"]), 1, proc.stdout)
    entry = document["accounts"][0]
    mstest.check_equal(entry["account"]["program"], "geary")
    found = codes(entry)
    mstest.check_in(("server-retired", plain_port), found)
    mstest.check_in(("insecure-settings", plain_port), found)
    mstest.check_in(("profile-wrong-for-computer", int(mstest.env("MS_TEST_SMTP_PORT"))), found)
    mstest.check_in("relay-denied", {code for code, _ in found})
    mstest.check_equal(entry["current"]["profile"]["id"], "current")
    mstest.check_equal(entry["recommended_test"]["profile"]["id"], "mobile")
    # Without a password the Mobile settings passed everything short of
    # the login: offered, and said to be untested by a login.
    recommended = entry["recommended"]
    mstest.check_equal(recommended["profile"], "mobile")
    mstest.check_equal(recommended["login_tested"], False)
    mstest.check_equal(recommended["incoming"]["username"], "alice@test.example")
    text = doctor(["--ca-file", mstest.env("MS_TEST_CA_FILE")], home=home)
    mstest.check_equal(text.returncode, 1)
    mstest.check_in("[server-retired]", text.stdout)
    mstest.check_in("The right settings, tested without signing in:", text.stdout)
    mstest.check_in("Result: this account needs repair.", text.stdout)


@mstest.test("through the finder, with the password: the Mobile settings tested, never the plain server")
def t_finder_with_password():
    home = desktop_home()
    secret = mstest.password()
    proc = doctor(["alice@test.example", "--json", "--password-stdin",
                   "--ca-file", mstest.env("MS_TEST_CA_FILE")], home=home, input=secret)
    mstest.check_equal(proc.returncode, 1, proc.stderr)
    mstest.check_not_in(secret, proc.stdout + proc.stderr)
    entry = json.loads(proc.stdout)["accounts"][0]
    imap = [r for r in entry["current"]["servers"] if r["protocol"] == "imap"][0]
    # The rules already say the plain server gets no password: it is
    # tested without one, and the login goes to the Mobile settings.
    mstest.check_equal(imap["login"], "not-attempted")
    recommended = entry["recommended"]
    mstest.check_equal(recommended["profile"], "mobile")
    mstest.check_equal(recommended["login_tested"], True)
    mstest.check_equal((recommended["incoming"]["port"], recommended["incoming"]["security"]),
                       (int(mstest.env("MS_TEST_IMAPS_PORT")), "SSL"))
    mstest.check_equal((recommended["outgoing"]["port"], recommended["outgoing"]["security"]),
                       (int(mstest.env("MS_TEST_SUBMISSIONS_PORT")), "SSL"))
    mstest.check_equal(recommended["incoming"]["username"], "alice@test.example")


if __name__ == "__main__":
    sys.exit(mstest.main(setup=setup))
