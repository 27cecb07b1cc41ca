#!/usr/bin/env python3
# test-cli-test-oauth.py: `mail-setup test ADDRESS --sign-in` against the real servers (issue 14)
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""The kept sign-in sits in the real keyring (gnome-keyring, through
secret-tool, under Mail Setup's schema, as `mail-setup sign-in` leaves it);
tests/harness/oauth-server.py stands for the provider's authorization
server (its token endpoint, and the introspection real dovecot asks about
each token, RFC 7662); real dovecot and real postfix, which asks dovecot,
take the token as the one login. Prints TAP."""

import contextlib
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

env = mstest.env
check = mstest.check
check_equal = mstest.check_equal
check_in = mstest.check_in
check_not_in = mstest.check_not_in
introspections = mstest.oauth_introspections
store = mstest.keyring_store
lookup = mstest.keyring_lookup


def log_size(variable):
    return os.path.getsize(env(variable))


def new_log_lines(variable, offset):
    with open(env(variable), errors="replace") as log:
        log.seek(offset)
        return log.read().splitlines()


def logins_since(dovecot_offset, postfix_offset, user):
    """The logins the servers logged since the offsets: dovecot's IMAP
    logins of USER with their mechanism, and postfix's AUTH commands (its
    "auth=N" or "auth=N/M" counts, tried and succeeded)."""
    imap = [line for line in new_log_lines("MS_TEST_DOVECOT_LOG", dovecot_offset)
            if f"imap-login: Info: Login: user=<{user}>" in line]
    smtp = [word for line in new_log_lines("MS_TEST_POSTFIX_LOG", postfix_offset)
            if "smtpd" in line and "disconnect from" in line
            for word in line.split() if word.startswith("auth=")]
    return imap, smtp


@contextlib.contextmanager
def oauth_home():
    """A test's own XDG_CONFIG_HOME with the provider file: the harness's
    IMAPS and SMTP submission, both taking OAuth2, and an oAuth2 block
    whose token endpoint is the tests' authorization server."""
    with tempfile.TemporaryDirectory() as config_home:
        mstest.write_provider(config_home, mstest.oauth_provider_xml(authentication="OAuth2"))
        yield config_home


def mail_setup(args, config_home, input=None):
    return mstest.mail_setup(args, check=False, input=input,
                             env=dict(os.environ, XDG_CONFIG_HOME=config_home))


def test_sign_in(user, config_home, *extra):
    return mail_setup(["test", user, "--sign-in", "--json", "--no-alternates",
                       "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "10"] + list(extra),
                      config_home)


def check_secret_free(proc, *secrets):
    for secret in secrets:
        check_not_in(secret, proc.stdout + proc.stderr)


def check_bearer_logins(report):
    servers = {s["protocol"]: s for s in report["servers"]}
    check_equal(sorted(servers), ["imap", "smtp"])
    for protocol, server in servers.items():
        check_equal(server["login"], "succeeded", protocol)
        check(server["login_mechanism"] in ("XOAUTH2", "OAUTHBEARER"), server["login_mechanism"])
    for side in ("incoming", "outgoing"):
        check_equal(report["configuration"][side]["auth"], "OAuth2", side)


def check_sign_in_refused(proc, code, introspected_before):
    check_equal(proc.returncode, 1, proc.stderr)
    report = json.loads(proc.stdout)
    check_equal(report["works"], False)
    check_equal(report["servers"], [])
    codes = [d["code"] for d in report["diagnoses"]]
    check_equal(codes, [code])
    fixes = [f["kind"] for f in report["diagnoses"][0]["fixes"]]
    check_in("sign-in-again", fixes)
    # Nothing was sent to a server: no token reached dovecot.
    check_equal(introspections(), introspected_before)
    return report


@mstest.test("test --sign-in: IMAP and SMTP log in with the kept token, once each")
def t_passes():
    user = env("MS_TEST_USER")
    with oauth_home() as config_home:
        issued = mstest.keep_sign_in(user)
        before = introspections()
        offsets = (log_size("MS_TEST_DOVECOT_LOG"), log_size("MS_TEST_POSTFIX_LOG"))
        proc = test_sign_in(user, config_home)
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        check_secret_free(proc, issued["access_token"], issued["refresh_token"])
        report = json.loads(proc.stdout)
        check_equal(report["works"], True)
        check_bearer_logins(report)
        # One login per server: the authorization server was asked about
        # the token twice (dovecot's IMAP, postfix through dovecot).
        check_equal(introspections(), before + 2)
        # And the servers' own logs: one IMAP login by token, one AUTH
        # command at postfix, which succeeded.
        imap, smtp = mstest.poll(lambda: logins_since(*offsets, user),
                                 lambda found: len(found[0]) >= 1 and len(found[1]) >= 1, deadline=10)
        check_equal(len(imap), 1, imap)
        check("method=OAUTHBEARER" in imap[0] or "method=XOAUTH2" in imap[0], imap[0])
        check_equal(smtp, ["auth=1"])


@mstest.test("export --sign-in saves Auth=OAuth2; a later export needs no password, --include-password says there is none")
def t_export():
    user = env("MS_TEST_USER")
    with oauth_home() as config_home:
        issued = mstest.keep_sign_in(user)
        first = os.path.join(config_home, "first-msmtprc")
        proc = mail_setup(["export", user, "--to", "msmtp", "--output", first, "--sign-in",
                           "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "10"], config_home)
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        check_secret_free(proc, issued["access_token"], issued["refresh_token"])
        saved = mstest.read_text(os.path.join(config_home, "mail-setup", "accounts", user.lower()))
        check_equal(saved.count("Auth=OAuth2"), 2, saved)
        check_not_in("password-cleartext", saved)
        check_not_in(issued["access_token"], saved)
        # No password was stored for it: the sign-in is the account's.
        check(lookup(user, "oauth-refresh") is not None, "the refresh token stays")

        again = os.path.join(config_home, "again-msmtprc")
        proc = mail_setup(["export", user, "--to", "msmtp", "--output", again], config_home)
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        # --include-password has no password to include: said, not refused.
        included = os.path.join(config_home, "included-msmtprc")
        proc = mail_setup(["export", user, "--to", "msmtp", "--output", included,
                           "--include-password"], config_home)
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        check("signs in with its provider" in proc.stderr, proc.stderr)
        check("passwordeval" in mstest.read_text(included), mstest.read_text(included))
        for path in (first, again, included):
            text = mstest.read_text(path)
            check_not_in(issued["access_token"], text)
            check_not_in(issued["refresh_token"], text)


@mstest.test("an expired kept access token is refreshed, kept, and sends and finds the test message")
def t_refreshed():
    user = env("MS_TEST_USER")
    with oauth_home() as config_home:
        issued = mstest.keep_sign_in(user, access_lifetime=-5)
        proc = test_sign_in(user, config_home, "--send-test-message", "--message-wait", "20")
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        report = json.loads(proc.stdout)
        check_bearer_logins(report)
        check_equal(report["test_message"]["sent"], True, report["test_message"])
        check_equal(report["test_message"]["arrived"], True, report["test_message"])
        kept = lookup(user, "oauth-access")
        check(kept is not None, "an access token is kept")
        new_token, expires = kept.split("\n")[0], int(kept.split("\n")[1])
        check(new_token != issued["access_token"], "the kept token is the new one")
        check(expires > time.time() + 3000, str(expires))
        check_secret_free(proc, issued["access_token"], issued["refresh_token"], new_token)


@mstest.test("a hostile kept access token (a line break, a command after it) is never sent: renewed instead")
def t_hostile_access():
    user = env("MS_TEST_USER")
    with oauth_home() as config_home:
        issued = mstest.keep_sign_in(user)
        store(user, "oauth-access", "ya29.x\r\nA1 LOGOUT\n%d" % (int(time.time()) + 3600))
        before = introspections()
        proc = test_sign_in(user, config_home)
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        check_bearer_logins(json.loads(proc.stdout))
        check_equal(introspections(), before + 2)
        kept = lookup(user, "oauth-access")
        check(kept is not None and "LOGOUT" not in kept, "the renewed token replaced it")
        check_not_in("LOGOUT", proc.stdout + proc.stderr)
        check_secret_free(proc, issued["refresh_token"], kept.split("\n")[0])


@mstest.test("a revoked refresh token: oauth-token-invalid, nothing sent")
def t_revoked():
    user = env("MS_TEST_USER2")
    with oauth_home() as config_home:
        issued = mstest.keep_sign_in(user, access_lifetime=-5)
        mstest.oauth_post("/test/revoke", token=issued["refresh_token"])
        before = introspections()
        proc = test_sign_in(user, config_home)
        check_sign_in_refused(proc, "oauth-token-invalid", before)
        check_in("mail-setup sign-in " + user, proc.stderr)
        check_secret_free(proc, issued["access_token"], issued["refresh_token"])


@mstest.test("a damaged kept sign-in (a line break, a command after it): oauth-token-invalid")
def t_damaged():
    user = env("MS_TEST_USER2")
    with oauth_home() as config_home:
        mstest.keyring_clear(user, "oauth-access")
        store(user, "oauth-refresh", "1//abc\r\nA1 LOGOUT")
        before = introspections()
        proc = test_sign_in(user, config_home)
        check_sign_in_refused(proc, "oauth-token-invalid", before)
        check_not_in("LOGOUT", proc.stdout + proc.stderr)


@mstest.test("a sign-in without the mail scope: oauth-scope-missing, nothing sent")
def t_scope_missing():
    user = env("MS_TEST_USER2")
    with oauth_home() as config_home:
        issued = mstest.keep_sign_in(user, scope="contacts", access_lifetime=-5)
        before = introspections()
        proc = test_sign_in(user, config_home)
        check_sign_in_refused(proc, "oauth-scope-missing", before)
        check_secret_free(proc, issued["access_token"], issued["refresh_token"])


@mstest.test("no kept sign-in: the plain sentence, oauth-not-signed-in, exit 1; export's hint names the sign-in")
def t_not_signed_in():
    user = "carol@test.example"   # never has an item
    with oauth_home() as config_home:
        before = introspections()
        proc = test_sign_in(user, config_home)
        check_sign_in_refused(proc, "oauth-not-signed-in", before)
        check_in("has not signed in", proc.stderr)
        check_in("mail-setup sign-in carol@test.example", proc.stderr)
        plain = mail_setup(["test", user, "--sign-in", "--ca-file", env("MS_TEST_CA_FILE")], config_home)
        check_equal(plain.returncode, 1, plain.stderr)
        check_in("mail-setup sign-in carol@test.example", plain.stderr)
        # Nothing saved yet: export's hint names the sign-in, not a password.
        hint = mail_setup(["export", user, "--to", "msmtp"], config_home)
        check_equal(hint.returncode, 1, hint.stderr)
        check_in("mail-setup sign-in carol@test.example", hint.stderr)
        check_in("--sign-in", hint.stderr)
        check_not_in("--password-stdin", hint.stderr)


def doctor_msmtp(user, config_home):
    """`mail-setup doctor USER --json`'s finding for the msmtp account."""
    proc = mail_setup(["doctor", user, "--json", "--ca-file", env("MS_TEST_CA_FILE"),
                       "--timeout", "10000"], config_home)
    found = [a for a in json.loads(proc.stdout)["accounts"] if a["account"]["program"] == "msmtp"]
    check_equal(len(found), 1, proc.stdout + proc.stderr)
    check_secret_free(proc, *[line.split("\n")[0] for line in
                              (lookup(user, "oauth-refresh") or "", lookup(user, "oauth-access") or "")
                              if line])
    return found[0]


@mstest.test("doctor: an OAuth account in msmtp is tested as it is with the kept sign-in, "
             "and a host the provider file does not name gets no token")
def t_doctor():
    user = env("MS_TEST_USER")
    with oauth_home() as config_home:
        mstest.keep_sign_in(user)
        proc = mail_setup(["export", user, "--to", "msmtp", "--sign-in",
                           "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "10"], config_home)
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        rc = os.path.join(config_home, "msmtp", "config")

        before = introspections()
        found = doctor_msmtp(user, config_home)
        check_equal(found["account"]["outgoing"]["auth"], "OAuth2")
        server = found["current"]["servers"][0]
        check_equal(server["login"], "succeeded", json.dumps(server))
        check(server["login_mechanism"] in ("XOAUTH2", "OAUTHBEARER"), server["login_mechanism"])
        check_equal(introspections(), before + 1)

        # The same account at a host the provider file does not name (an
        # existing file may name any): the token does not go there.
        text = mstest.read_text(rc)
        check_in("host " + env("MS_TEST_HOST"), text)
        with open(rc, "w") as f:
            f.write(text.replace("host " + env("MS_TEST_HOST"), "host localhost"))
        before = introspections()
        found = doctor_msmtp(user, config_home)
        check_equal(found["account"]["outgoing"]["hostname"], "localhost")
        logins = [s.get("login") for s in found["current"]["servers"]]
        check("succeeded" not in logins and "failed" not in logins, json.dumps(found["current"]))
        check_equal(introspections(), before)


@mstest.test("usage: --sign-in with --password-stdin is refused before anything is sent")
def t_usage():
    user = env("MS_TEST_USER")
    with oauth_home() as config_home:
        before = introspections()
        proc = mail_setup(["test", user, "--sign-in", "--password-stdin"], config_home,
                          input="not-the-password\n")
        check_equal(proc.returncode, 2, proc.stderr)
        check_in("--sign-in", proc.stderr)
        proc = mail_setup(["export", user, "--to", "msmtp", "--sign-in", "--password-stdin"],
                          config_home, input="not-the-password\n")
        check_equal(proc.returncode, 2, proc.stderr)
        check_equal(introspections(), before)

    # A provider whose servers take passwords only offers no sign-in.
    with tempfile.TemporaryDirectory() as config_home:
        mstest.write_provider(config_home, mstest.provider_xml(mstest.harness_servers()))
        proc = test_sign_in(user, config_home)
        check_equal(proc.returncode, 1, proc.stderr)
        check_in("offers no sign-in", proc.stderr)
        check_equal(json.loads(proc.stdout)["servers"], [])
        check_equal(introspections(), before)


if __name__ == "__main__":
    mstest.require_root("the mail servers need root")
    sys.exit(mstest.main())
