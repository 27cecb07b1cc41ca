#!/usr/bin/env python3
# test-doctor.py: `mail-setup doctor` from the command line, as an admin runs it
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup executable's `doctor` command in a made-up home
(no mail program set up, or the ones a test writes), checks its exit
statuses (0 fine, 1 problems, 2 usage), its JSON document (docs/cli-json.md)
and that a password read from standard input appears in none of its output.
The doctor's findings against the real servers are tests/integration/test-doctor.c.
Prints TAP."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

HOME = None


def doctor(args, **kwargs):
    environment = dict(os.environ, HOME=HOME,
                       XDG_CONFIG_HOME=os.path.join(HOME, ".config"),
                       XDG_DATA_HOME=os.path.join(HOME, ".local", "share"),
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


if __name__ == "__main__":
    sys.exit(mstest.main(setup=setup))
