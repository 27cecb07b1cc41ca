#!/usr/bin/env python3
# test-repair-keyring.py: `mail-setup repair` with msmtp's own keyring entry, end to end
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""An msmtp account with a bare username ("alice") whose password is in
the keyring the way msmtp keeps it (host, service=smtp, user), set to
STARTTLS on the real postfix's implicit-TLS port. `mail-setup repair
--yes` (no --password-stdin) reads that entry, gives its one login to the
right settings (no failed login in postfix's log), completes the
username, and copies the entry to the new user, so the real msmtp then
sends with the repaired file and the keyring. `repair --undo` removes the
copy and keeps msmtp's own entry. Runs under run-with-keyring and
run-with-mail-servers. Prints TAP."""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

ADDRESS = "alice@test.example"
SCHEMA = "de.marlam.msmtp.password"

MSMTPRC = """defaults
timeout 5

account alice
host {host}
port {submissions}
from alice@test.example
auth on
user alice
tls on
tls_starttls on
tls_trust_file {ca}
"""


def secret(user, store=None):
    """Looks up (or stores) msmtp's entry for USER, as msmtp finds it."""
    attributes = ["xdg:schema", SCHEMA, "host", mstest.env("MS_TEST_HOST"), "service", "smtp", "user", user]
    if store is not None:
        return mstest.run(["secret-tool", "store", "--label=msmtp"] + attributes, input=store,
                          check=False, timeout=60)
    return mstest.run(["secret-tool", "lookup"] + attributes, check=False, timeout=60)


def postfix_log():
    with open(mstest.env("MS_TEST_POSTFIX_LOG"), errors="replace") as f:
        return f.read()


@mstest.test("msmtp's keyring entry proves the right settings and follows the new username; undo removes the copy")
def t_keyring_follows():
    mstest.need("msmtp", "msmtp")
    mstest.need("secret-tool", "libsecret-tools")
    root = tempfile.mkdtemp(prefix="ms-repair-keyring-")
    try:
        config = os.path.join(root, ".config")
        state = os.path.join(root, ".local", "state")
        os.makedirs(os.path.join(root, ".local", "share"))
        mstest.write_provider(config, mstest.provider_xml(mstest.harness_servers()))
        rc = os.path.join(root, ".msmtprc")
        with open(rc, "w", encoding="utf-8") as f:
            f.write(MSMTPRC.format(host=mstest.env("MS_TEST_HOST"), submissions=mstest.env("MS_TEST_SUBMISSIONS_PORT"),
                                   ca=mstest.env("MS_TEST_CA_FILE")))
        os.chmod(rc, 0o600)
        password = mstest.password()
        stored = secret("alice", store=password)
        mstest.check_equal(stored.returncode, 0, f"msmtp's entry stored: {stored.stderr}")
        env = dict(os.environ, HOME=root, XDG_CONFIG_HOME=config, XDG_DATA_HOME=os.path.join(root, ".local", "share"),
                   XDG_STATE_HOME=state, LANGUAGE="", LC_ALL="C.UTF-8")
        failed = postfix_log().count("authentication failed")
        good = postfix_log().count(" auth=1 ")

        done = mstest.mail_setup(["repair", ADDRESS, "--program", "msmtp", "--yes",
                                  "--ca-file", mstest.env("MS_TEST_CA_FILE")], env=env, check=False, timeout=120)
        mstest.check_equal(done.returncode, 0, f"stdout: {done.stdout}\nstderr: {done.stderr}")
        mstest.check_not_in(password, done.stdout + done.stderr, "the password is not shown")
        mstest.check_not_in("tested without signing in", done.stdout, "the stored password proved the settings")
        with open(rc, encoding="utf-8") as f:
            repaired = f.read()
        mstest.check_true(any(line.startswith("user ") and ADDRESS in line for line in repaired.splitlines()),
                          f"the username is completed: {repaired}")
        mstest.wait_until(lambda: postfix_log().count(" auth=1 ") > good, "postfix's line for the good login")
        mstest.check_equal(postfix_log().count("authentication failed"), failed, "no failed login")

        copied = secret(ADDRESS)
        mstest.check_equal(copied.stdout, password, "the entry is copied to the new username")
        sent = mstest.run(["msmtp", "-C", rc, "-a", "alice", ADDRESS], input="Subject: repaired\n\nhello\n",
                          check=False, timeout=60, env=env)
        mstest.check_equal(sent.returncode, 0, f"the real msmtp sends with the keyring: {sent.stderr}")

        undone = mstest.mail_setup(["repair", ADDRESS, "--program", "msmtp", "--undo"], env=env, check=False,
                                   timeout=120)
        mstest.check_equal(undone.returncode, 0, undone.stderr)
        mstest.check_equal(secret(ADDRESS).stdout, "", "the undo removes the copy")
        mstest.check_equal(secret("alice").stdout, password, "msmtp's own entry is kept")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    mstest.require_root("dovecot and postfix")
    mstest.require_mail_setup()
    sys.exit(mstest.main())
