#!/usr/bin/env python3
# test-cli-accounts.py: `mail-setup accounts` and `mail-setup repair --undo` over a made-up home
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup with HOME and the XDG folders in a scratch
folder: `accounts --json` lists what the programs' readers find there and
the files they could not read (never fatal), and `repair --undo` puts back
what a repair's undo record (in the engine's own format, docs/cli-json.md)
names, refusing a record that is not private or a file changed since.
Needs no server. Prints TAP."""

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

ADDRESS = "alice@test.example"

# As a person writes it by hand: another account above, comments, odd
# spacing; the repair changes only alice's lines.
MSMTPRC_OLD = """# my accounts
defaults
auth on
tls on

account work
host smtp.work.example
port 587
from bob@work.example
user bob

account alice
host smtp.test.example
port 25
tls off
from alice@test.example
user alice
"""

MSMTPRC_REPAIRED = MSMTPRC_OLD.replace("port 25\ntls off\n", "port 465\ntls on\ntls_starttls off\n")


class Home:
    """A made-up home: HOME and the XDG folders of one mail-setup run."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="ms-cli-accounts-")
        self.home = os.path.join(self.root, "home")
        self.config = os.path.join(self.home, ".config")
        self.data = os.path.join(self.home, ".local", "share")
        self.state = os.path.join(self.home, ".local", "state")
        for folder in (self.config, self.data, self.state):
            os.makedirs(folder, mode=0o700)

    def env(self):
        return dict(os.environ, HOME=self.home, XDG_CONFIG_HOME=self.config,
                    XDG_DATA_HOME=self.data, XDG_STATE_HOME=self.state,
                    LC_ALL="C.UTF-8", LANGUAGE="")

    def run(self, args, **kwargs):
        kwargs.setdefault("check", False)
        return mstest.mail_setup(args, env=self.env(), timeout=60, **kwargs)

    def write(self, relative, contents, mode=0o600):
        path = os.path.join(self.home, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(contents)
        os.chmod(path, mode)
        return path

    def records(self):
        return os.path.join(self.state, "mail-setup", "repairs")

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def fake_repair(home, path, old, repaired):
    """What a repair of PATH leaves, in the engine's format: the file as
    the repair wrote it, the backup beside it, the 0600 record naming
    both with the SHA-256 of what was written."""
    backup = f"{path}.mail-setup-backup-20261203-101500"
    with open(backup, "w", encoding="utf-8") as f:
        f.write(old)
    with open(path, "w", encoding="utf-8") as f:
        f.write(repaired)
    record = {
        "version": 1,
        "address": ADDRESS,
        "program": "msmtp",
        "account": f"msmtp:{path}#alice",
        "key": "alice",
        "location": path,
        "outgoing_key": None,
        "outgoing_location": None,
        "profile": None,
        "time": "2026-12-03T10:15:00Z",
        "files": [{"path": path, "backup": backup,
                   "sha256": hashlib.sha256(repaired.encode()).hexdigest()}],
    }
    os.makedirs(home.records(), mode=0o700, exist_ok=True)
    digest = hashlib.sha256(ADDRESS.lower().encode()).hexdigest()[:16]
    record_path = os.path.join(home.records(), f"20261203T101500000000-msmtp-{digest}.json")
    fd = os.open(record_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(record, f)
    return backup, record_path


@mstest.test("accounts --json over an empty home: no accounts, no problems, exit 0")
def t_accounts_empty():
    home = Home()
    try:
        done = home.run(["accounts", "--json"])
        mstest.check_equal(done.returncode, 0, f"exit status; stderr: {done.stderr}")
        inventory = json.loads(done.stdout)
        mstest.check_equal(inventory, {"accounts": [], "problems": []}, "the inventory")
        text = home.run(["accounts"])
        mstest.check_equal(text.returncode, 0, "exit status of the text form")
        mstest.check_in("No mail program", text.stdout, "the text says there is nothing")
    finally:
        home.cleanup()


@mstest.test("accounts --json lists what the readers find, and the files they cannot read, exit 0")
def t_accounts_found_and_broken():
    home = Home()
    try:
        msmtprc = home.write(".msmtprc", MSMTPRC_OLD + "\naccount broken\nhost bad_host!\nfrom x@test.example\n")
        mbsyncrc = os.path.join(home.home, ".mbsyncrc")
        os.mkfifo(mbsyncrc, 0o600)
        done = home.run(["accounts", "--json"])
        mstest.check_equal(done.returncode, 0, f"exit status; stderr: {done.stderr}")
        inventory = json.loads(done.stdout)
        ids = sorted(account["id"] for account in inventory["accounts"])
        mstest.check_equal(ids, [f"msmtp:{msmtprc}#alice", f"msmtp:{msmtprc}#work"], "the accounts found")
        alice = next(a for a in inventory["accounts"] if a["key"] == "alice")
        mstest.check_equal(alice["address"], ADDRESS, "alice's address")
        mstest.check_equal(alice["outgoing"]["hostname"], "smtp.test.example", "alice's server")
        mstest.check_equal(alice["outgoing"]["port"], 25, "alice's port, as the file has it")
        mstest.check_equal(alice["incoming"], None, "msmtp has no incoming server")
        problems = {(p["program"], p["path"]): p for p in inventory["problems"]}
        mstest.check_in(("msmtp", msmtprc), problems, "the refused account is a problem")
        mstest.check_true(problems[("msmtp", msmtprc)]["line"] > 0, "with its line")
        mstest.check_in(("mbsync", mbsyncrc), problems, "the FIFO is a problem, not a hang")
        text = home.run(["accounts"])
        mstest.check_equal(text.returncode, 0, "exit status of the text form")
        mstest.check_in("Could not be read:", text.stdout, "the text lists the problems")
        mstest.check_in(f"msmtp:{msmtprc}#alice", text.stdout, "and the ids")
    finally:
        home.cleanup()


@mstest.test("accounts refuses arguments and unknown options with exit 2")
def t_accounts_usage():
    home = Home()
    try:
        mstest.check_equal(home.run(["accounts", "extra"]).returncode, 2, "an argument")
        mstest.check_equal(home.run(["accounts", "--bogus"]).returncode, 2, "an unknown option")
    finally:
        home.cleanup()


@mstest.test("repair --undo puts the repaired file back byte for byte, once")
def t_undo_round_trip():
    home = Home()
    try:
        path = home.write(".msmtprc", MSMTPRC_OLD)
        _, record = fake_repair(home, path, MSMTPRC_OLD, MSMTPRC_REPAIRED)
        done = home.run(["repair", ADDRESS, "--program", "msmtp", "--undo"])
        mstest.check_equal(done.returncode, 0, f"exit status; stderr: {done.stderr}")
        mstest.check_in(path, done.stdout, "the file put back is named")
        mstest.check_equal(read(path), MSMTPRC_OLD, "the file as it was before the repair")
        mstest.check_false(os.path.exists(record), "the record is used up")
        again = home.run(["repair", ADDRESS, "--undo"])
        mstest.check_equal(again.returncode, 1, "a second undo has nothing to undo")
        mstest.check_in("nothing to undo", again.stderr, "and says so")
    finally:
        home.cleanup()


@mstest.test("repair --undo refuses a file changed since the repair, and changes nothing")
def t_undo_changed_since():
    home = Home()
    try:
        path = home.write(".msmtprc", MSMTPRC_OLD)
        fake_repair(home, path, MSMTPRC_OLD, MSMTPRC_REPAIRED)
        mine = MSMTPRC_REPAIRED + "\naccount mine\nhost smtp.mine.example\n"
        home.write(".msmtprc", mine)
        done = home.run(["repair", ADDRESS, "--undo"])
        mstest.check_equal(done.returncode, 1, "exit status")
        mstest.check_in("was changed after the repair", done.stderr, "the sentence says why")
        mstest.check_equal(read(path), mine, "the person's change is kept")
    finally:
        home.cleanup()


@mstest.test("repair --undo refuses a record others may read or change, and changes nothing")
def t_undo_record_not_private():
    home = Home()
    try:
        path = home.write(".msmtprc", MSMTPRC_OLD)
        _, record = fake_repair(home, path, MSMTPRC_OLD, MSMTPRC_REPAIRED)
        os.chmod(record, 0o644)
        done = home.run(["repair", ADDRESS, "--undo"])
        mstest.check_equal(done.returncode, 1, "exit status")
        mstest.check_in("others may read or change it", done.stderr, "the sentence says why")
        mstest.check_equal(read(path), MSMTPRC_REPAIRED, "the file is left as the repair wrote it")
    finally:
        home.cleanup()


@mstest.test("repair --undo refuses a record naming a file outside the home")
def t_undo_record_outside():
    home = Home()
    outside = tempfile.NamedTemporaryFile("w", prefix="ms-outside-", delete=False)
    try:
        outside.write(MSMTPRC_REPAIRED)
        outside.close()
        path = home.write(".msmtprc", MSMTPRC_OLD)
        _, record = fake_repair(home, path, MSMTPRC_OLD, MSMTPRC_REPAIRED)
        with open(record, encoding="utf-8") as f:
            data = json.load(f)
        data["files"][0]["path"] = outside.name
        data["files"][0]["backup"] = outside.name + ".mail-setup-backup-20261203-101500"
        with open(record, "w", encoding="utf-8") as f:
            json.dump(data, f)
        done = home.run(["repair", ADDRESS, "--undo"])
        mstest.check_equal(done.returncode, 1, "exit status")
        mstest.check_in("damaged, or not one Mail Setup wrote", done.stderr, "the sentence says why")
        mstest.check_equal(read(outside.name), MSMTPRC_REPAIRED, "the outside file is untouched")
    finally:
        os.unlink(outside.name)
        home.cleanup()


@mstest.test("repair without a terminal and without --yes refuses with exit 2 before anything")
def t_repair_needs_yes():
    home = Home()
    try:
        started = time.monotonic()
        # A session of its own: no controlling terminal, even when the
        # suite runs from one.
        done = home.run(["repair", ADDRESS], input="", start_new_session=True)
        mstest.check_equal(done.returncode, 2, f"exit status; stderr: {done.stderr}")
        mstest.check_in("--yes", done.stderr, "the refusal names --yes")
        with_password = home.run(["repair", ADDRESS, "--password-stdin"], input="secret",
                                 start_new_session=True)
        mstest.check_equal(with_password.returncode, 2, "the same with --password-stdin")
        mstest.check(time.monotonic() - started < mstest.HANG_DEADLINE, "no test was run first")
    finally:
        home.cleanup()


@mstest.test("repair refuses a bad address and an unknown program with exit 2")
def t_repair_usage():
    home = Home()
    try:
        mstest.check_equal(home.run(["repair", "not an address", "--undo"]).returncode, 2, "a bad address")
        mstest.check_equal(home.run(["repair", ADDRESS, "--program", "pine", "--undo"]).returncode, 2,
                           "an unknown program")
        mstest.check_equal(home.run(["repair"]).returncode, 2, "no address")
    finally:
        home.cleanup()


if __name__ == "__main__":
    mstest.require_mail_setup()
    sys.exit(mstest.main())
