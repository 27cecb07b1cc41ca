#!/usr/bin/env python3
# test-cli-token.py: `mail-setup token ADDRESS` against a real keyring (issue 14)
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""The refresh token sits in the real keyring (gnome-keyring, through
secret-tool, under Mail Setup's schema); tests/harness/oauth-server.py
stands for the provider's authorization server, and real dovecot, which
asks it about each token, takes the printed token for a login. Prints TAP."""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

env = mstest.env
check = mstest.check
check_equal = mstest.check_equal


def provider(config_home):
    """The harness's servers, taking passwords; the oAuth2 block names the sign-in."""
    mstest.write_provider(config_home, mstest.oauth_provider_xml())


def token(user, config_home):
    return mstest.mail_setup(["token", user], check=False,
                             env=dict(os.environ, XDG_CONFIG_HOME=config_home))


@mstest.test("without a sign-in in the keyring: a plain sentence, exit 1")
def t_not_signed_in():
    user = "carol@test.example"   # never has an item
    with tempfile.TemporaryDirectory() as config_home:
        provider(config_home)
        proc = token(user, config_home)
    check_equal(proc.returncode, 1, proc.stderr)
    check_equal(proc.stdout, "")
    mstest.check_in("has not signed in", proc.stderr)


@mstest.test("refreshes, keeps the new access token, prints it; dovecot takes it")
def t_refresh_and_reuse():
    user = env("MS_TEST_USER")
    issued = mstest.keep_sign_in(user, access_lifetime=-5, keep_access=False)
    with tempfile.TemporaryDirectory() as config_home:
        provider(config_home)
        first = token(user, config_home)
        check_equal(first.returncode, 0, first.stderr)
        printed = first.stdout.rstrip("\n")
        check(printed and printed != issued["access_token"], first.stdout)
        check_equal(first.stdout.count("\n"), 1)
        mstest.check_not_in(issued["refresh_token"], first.stdout + first.stderr)

        kept = mstest.keyring_lookup(user, "oauth-access")
        check(kept is not None and kept.startswith(printed + "\n"), "access token kept")
        check(int(kept.split("\n")[1]) > time.time() + 3000, kept.split("\n")[1])

        # Still good: printed again without asking the token endpoint.
        second = token(user, config_home)
        check_equal(second.stdout, first.stdout)

    check_equal(mstest.imap_xoauth2_login(user, printed), "OK")


@mstest.test("real msmtp sends with auth oauthbearer and passwordeval mail-setup token")
def t_msmtp():
    # The route the msmtp export is to write (issue 14's exports): msmtp
    # asks `mail-setup token` for the password and does OAUTHBEARER with
    # it, through postfix, which asks dovecot, which asks the OAuth server.
    mstest.need("msmtp", "msmtp")
    user = env("MS_TEST_USER")
    mstest.keep_sign_in(user, access_lifetime=-5, keep_access=False)
    with tempfile.TemporaryDirectory() as config_home:
        provider(config_home)
        rc = os.path.join(config_home, "msmtprc")
        with open(rc, "w") as f:
            f.write(f"account test\nhost {env('MS_TEST_HOST')}\nport {env('MS_TEST_SUBMISSIONS_PORT')}\n"
                    f"tls on\ntls_starttls off\ntls_trust_file {env('MS_TEST_CA_FILE')}\n"
                    f"auth oauthbearer\nuser {user}\nfrom {user}\n"
                    f"passwordeval \"{mstest.MAIL_SETUP} token {user}\"\n"
                    "account default : test\n")
        os.chmod(rc, 0o600)
        proc = mstest.run(["msmtp", "-C", rc, user], check=False,
                          input="Subject: oauth\n\nsent with a bearer token\n",
                          env=dict(os.environ, XDG_CONFIG_HOME=config_home))
    check_equal(proc.returncode, 0, proc.stderr)


@mstest.test("a revoked refresh token: exit 1, nothing on stdout")
def t_revoked():
    user = env("MS_TEST_USER2")
    issued = mstest.keep_sign_in(user, access_lifetime=-5, keep_access=False)
    mstest.oauth_post("/test/revoke", token=issued["refresh_token"])
    with tempfile.TemporaryDirectory() as config_home:
        provider(config_home)
        proc = token(user, config_home)
    check_equal(proc.returncode, 1, proc.stderr)
    check_equal(proc.stdout, "")
    mstest.check_in("sign in again", proc.stderr)


@mstest.test("usage: one address; a domain without an OAuth block")
def t_usage():
    with tempfile.TemporaryDirectory() as config_home:
        check_equal(token("not-an-address", config_home).returncode, 2)
        check_equal(mstest.mail_setup(["token"], check=False).returncode, 2)
        proc = token("someone@charter.net", config_home)
        # An address starting with "-" after "--", as exported files write
        # it (ms-export-token-command.c); without it, an unknown option.
        dashed = mstest.mail_setup(["token", "--", "-x@charter.net"], check=False,
                                   env=dict(os.environ, XDG_CONFIG_HOME=config_home))
        check_equal(token("-x@charter.net", config_home).returncode, 2)
        check_equal(mstest.mail_setup(["token", "--"], check=False).returncode, 2)
    check_equal(proc.returncode, 1, proc.stderr)
    mstest.check_in("no provider file knows an OAuth sign-in", proc.stderr)
    check_equal(dashed.returncode, 1, dashed.stderr)
    mstest.check_in("no provider file knows an OAuth sign-in for charter.net", dashed.stderr)


if __name__ == "__main__":
    mstest.require_root("the mail servers need root")
    sys.exit(mstest.main())
