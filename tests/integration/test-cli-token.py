#!/usr/bin/env python3
# test-cli-token.py: `mail-setup token ADDRESS` against a real keyring (issue 14)
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""The refresh token sits in the real keyring (gnome-keyring, through
secret-tool, under Mail Setup's schema); tests/harness/oauth-server.py
stands for the provider's authorization server, and real dovecot, which
asks it about each token, takes the printed token for a login. Prints TAP."""

import base64
import hashlib
import imaplib
import json
import os
import ssl
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

SCHEMA = "io.github.mailsetup.MailSetup.Account"
CLIENT_ID = "mail-setup-test"   # the one client oauth-server.py knows
env = mstest.env
check = mstest.check
check_equal = mstest.check_equal


def post(path, **form):
    data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(env("MS_TEST_OAUTH_URL") + path, data) as answer:
        return json.load(answer)


def provider(config_home):
    xml = mstest.provider_xml(mstest.harness_servers()).replace(
        "</clientConfig>",
        "<oAuth2>\n<issuer>127.0.0.1</issuer>\n<scope>mail</scope>\n"
        f"<authURL>{env('MS_TEST_OAUTH_URL')}/authorize</authURL>\n"
        f"<tokenURL>{env('MS_TEST_OAUTH_URL')}/token</tokenURL>\n</oAuth2>\n</clientConfig>")
    mstest.write_provider(config_home, xml)


def keyring_attributes(user, kind):
    address_id = hashlib.sha256(user.lower().encode()).hexdigest()
    return ["xdg:schema", SCHEMA, "address", user.lower(), "address-id", address_id, "kind", kind]


def store(user, kind, secret):
    mstest.run(["secret-tool", "store", "--label=test"] + keyring_attributes(user, kind),
               input=secret)


def lookup(user, kind):
    proc = mstest.run(["secret-tool", "lookup"] + keyring_attributes(user, kind), check=False)
    return proc.stdout if proc.returncode == 0 else None


def token(user, config_home):
    return mstest.mail_setup(["token", user], check=False,
                             env=dict(os.environ, XDG_CONFIG_HOME=config_home))


def imap_login(user, access_token):
    context = ssl.create_default_context(cafile=env("MS_TEST_CA_FILE"))
    imap = imaplib.IMAP4_SSL(env("MS_TEST_HOST"), int(env("MS_TEST_IMAPS_PORT")), ssl_context=context)
    message = f"user={user}\x01auth=Bearer {access_token}\x01\x01".encode()
    typ, _ = imap.authenticate("XOAUTH2", lambda challenge: message)
    imap.logout()
    return typ


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
    issued = post("/test/issue", user=user, scope="mail", lifetime="-5")
    store(user, "oauth-refresh", issued["refresh_token"] + "\n" + CLIENT_ID)
    with tempfile.TemporaryDirectory() as config_home:
        provider(config_home)
        first = token(user, config_home)
        check_equal(first.returncode, 0, first.stderr)
        printed = first.stdout.rstrip("\n")
        check(printed and printed != issued["access_token"], first.stdout)
        check_equal(first.stdout.count("\n"), 1)
        mstest.check_not_in(issued["refresh_token"], first.stdout + first.stderr)

        kept = lookup(user, "oauth-access")
        check(kept is not None and kept.startswith(printed + "\n"), "access token kept")
        check(int(kept.split("\n")[1]) > time.time() + 3000, kept.split("\n")[1])

        # Still good: printed again without asking the token endpoint.
        second = token(user, config_home)
        check_equal(second.stdout, first.stdout)

    check_equal(imap_login(user, printed), "OK")


@mstest.test("real msmtp sends with auth oauthbearer and passwordeval mail-setup token")
def t_msmtp():
    # The route the msmtp export is to write (issue 14's exports): msmtp
    # asks `mail-setup token` for the password and does OAUTHBEARER with
    # it, through postfix, which asks dovecot, which asks the OAuth server.
    mstest.need("msmtp", "msmtp")
    user = env("MS_TEST_USER")
    issued = post("/test/issue", user=user, scope="mail", lifetime="-5")
    store(user, "oauth-refresh", issued["refresh_token"] + "\n" + CLIENT_ID)
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
    issued = post("/test/issue", user=user, scope="mail", lifetime="-5")
    post("/test/revoke", token=issued["refresh_token"])
    store(user, "oauth-refresh", issued["refresh_token"] + "\n" + CLIENT_ID)
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
