#!/usr/bin/env python3
# test-cli-sign-in.py: `mail-setup sign-in ADDRESS` in the browser (issue 14)
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real command line with the real keyring (gnome-keyring, read back
with secret-tool) and a real launch of the person's browser: GIO opens
tests/harness/test-browser.py as the default http handler (a .desktop
file and mimeapps.list in the test's XDG directories), which follows the
authorization server's redirect to mail-setup's loopback listener.
tests/harness/oauth-server.py stands for the provider's authorization
server; real dovecot, which asks it about each token, takes the access
token `mail-setup token` prints afterwards. Prints TAP."""

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness")
sys.path.insert(0, HARNESS)
import mstest  # noqa: E402

import importlib.util  # noqa: E402
_spec = importlib.util.spec_from_file_location("test_browser", os.path.join(HARNESS, "test-browser.py"))
test_browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(test_browser)

CLIENT_ID = mstest.OAUTH_CLIENT_ID
MS_NAMESPACE = "https://mailsetup.github.io/ns/profiles/1"
APP_PASSWORDS = "https://test.example/app-passwords"
env = mstest.env
check = mstest.check
check_equal = mstest.check_equal


post = mstest.oauth_post
calls = mstest.oauth_calls


def behave(**behaviour):
    post("/test/behaviour", **behaviour)


def write_provider(config_home):
    """The harness's servers, an oAuth2 block whose issuer is the
    authorization server's own address (its metadata names it), and the
    provider's app-password page for the no-client case."""
    xml = mstest.oauth_provider_xml(issuer=env("MS_TEST_OAUTH_URL"))
    xml = xml.replace("<clientConfig ", f'<clientConfig xmlns:ms="{MS_NAMESPACE}" ')
    xml = xml.replace("  </emailProvider>",
                      f'    <ms:appPassword url="{APP_PASSWORDS}"/>\n  </emailProvider>')
    mstest.write_provider(config_home, xml)


class Person:
    """One test's XDG directories: the provider file, the browser."""

    def __init__(self, base, mode="visit"):
        self.log = os.path.join(base, "browser.log")
        self.env = dict(os.environ, **test_browser.browser_setup(base, mode, self.log))
        if os.environ.get("MS_TEST_PROGRAM_G_DEBUG"):
            self.env["G_DEBUG"] = os.environ["MS_TEST_PROGRAM_G_DEBUG"]
        write_provider(self.env["XDG_CONFIG_HOME"])

    def mail_setup(self, *args):
        return mstest.mail_setup(list(args), check=False, timeout=90, env=self.env)

    def browser_runs(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f]


lookup = mstest.keyring_lookup
clear = mstest.keyring_clear


def check_signed_in(person, user, proc, client_id=None):
    """The sign-in worked: tokens in the keyring, never shown; dovecot
    takes the access token `mail-setup token` prints."""
    check_equal(proc.returncode, 0, proc.stderr)
    mstest.check_in("is signed in", proc.stdout)
    mstest.check_in("If it did not open, open this address", proc.stderr)
    mstest.check_in(env("MS_TEST_OAUTH_URL") + "/authorize?", proc.stderr)

    refresh = lookup(user, "oauth-refresh")
    access = lookup(user, "oauth-access")
    check(refresh is not None and access is not None, "both tokens kept")
    refresh_token, kept_client = refresh.split("\n")
    access_token = access.split("\n")[0]
    if client_id is not None:
        check_equal(kept_client, client_id)
    for secret in (refresh_token, access_token):
        check(len(secret) > 20, "a real token")
        mstest.check_not_in(secret, proc.stdout + proc.stderr)

    # The browser had the authorization address alone on its command line.
    mstest.wait_for_file(person.log, "the test browser's log")
    runs = person.browser_runs()
    check_equal(len(runs), 1, runs)
    argv = runs[0]["argv"]
    check_equal(len(argv), 2, argv)
    check(argv[1].startswith(env("MS_TEST_OAUTH_URL") + "/authorize?"), argv[1])
    for secret in (refresh_token, access_token):
        mstest.check_not_in(secret, json.dumps(runs))
    check_equal(runs[0]["steps"][-1], {"url": "loopback", "status": 200})

    token = person.mail_setup("token", user)
    check_equal(token.returncode, 0, token.stderr)
    check_equal(token.stdout.rstrip("\n"), access_token)
    check_equal(mstest.imap_xoauth2_login(user, access_token), "OK")
    return kept_client


@mstest.test("consent with --client-id: tokens in the keyring, dovecot takes them")
def t_consent():
    user = env("MS_TEST_USER")
    clear(user)
    behave(authorize="consent", metadata="normal")
    with tempfile.TemporaryDirectory() as base:
        person = Person(base)
        proc = person.mail_setup("sign-in", user, "--client-id", CLIENT_ID, "--timeout", "30")
        check_signed_in(person, user, proc, CLIENT_ID)


@mstest.test("no client given or built in: registers one (RFC 7591), keeps it with the token")
def t_registered():
    user = env("MS_TEST_USER2")
    clear(user)
    behave(authorize="consent", metadata="normal")
    before = calls()["register"]
    with tempfile.TemporaryDirectory() as base:
        person = Person(base)
        proc = person.mail_setup("sign-in", user, "--timeout", "30")
        kept_client = check_signed_in(person, user, proc)
    check(kept_client.startswith("registered-"), kept_client)
    check_equal(calls()["register"], before + 1)


@mstest.test("refused consent: exit 1, --json names oauth-consent-refused, nothing kept")
def t_refused():
    user = env("MS_TEST_USER")
    clear(user)
    behave(authorize="refuse")
    try:
        with tempfile.TemporaryDirectory() as base:
            proc = Person(base).mail_setup("sign-in", user, "--client-id", CLIENT_ID,
                                           "--timeout", "30", "--json")
    finally:
        behave(authorize="consent")
    check_equal(proc.returncode, 1, proc.stderr)
    answer = json.loads(proc.stdout)
    check_equal(answer["address"], user)
    check_equal(answer["signed_in"], False)
    check_equal(answer["diagnosis"]["code"], "oauth-consent-refused")
    check(answer["diagnosis"]["title"], answer)
    check_equal(lookup(user, "oauth-refresh"), None)


@mstest.test("closed browser: oauth-sign-in-unfinished after the timeout")
def t_closed():
    user = env("MS_TEST_USER")
    with tempfile.TemporaryDirectory() as base:
        proc = Person(base, mode="closed").mail_setup("sign-in", user, "--client-id", CLIENT_ID,
                                                      "--timeout", "2", "--json")
    check_equal(proc.returncode, 1, proc.stderr)
    check_equal(json.loads(proc.stdout)["diagnosis"]["code"], "oauth-sign-in-unfinished")


@mstest.test("no client (metadata without registration): app-password words and link, exit 1")
def t_no_client():
    user = env("MS_TEST_USER")
    behave(metadata="no-registration")
    try:
        with tempfile.TemporaryDirectory() as base:
            person = Person(base)
            plain = person.mail_setup("sign-in", user, "--timeout", "30")
            as_json = person.mail_setup("sign-in", user, "--timeout", "30", "--json")
            check_equal(person.browser_runs(), [])   # no browser without a client
    finally:
        behave(metadata="normal")
    check_equal(plain.returncode, 1, plain.stderr)
    mstest.check_in("app password", plain.stderr)
    mstest.check_in(APP_PASSWORDS, plain.stderr)
    check_equal(as_json.returncode, 1, as_json.stderr)
    diagnosis = json.loads(as_json.stdout)["diagnosis"]
    check_equal(diagnosis["code"], "oauth-no-client")
    mstest.check_in(APP_PASSWORDS, diagnosis["explanation"])
    check_equal([fix["kind"] for fix in diagnosis["fixes"]][0], "use-app-password")


@mstest.test("no browser opens: the address is printed, the sign-in waits, opened by hand it works")
def t_no_browser():
    # Nothing handles http here (empty XDG data folders): GIO cannot launch
    # a browser. The person opens the printed address themselves (here the
    # test, like a browser on this computer).
    user = env("MS_TEST_USER")
    clear(user)
    behave(authorize="consent", metadata="normal")
    with tempfile.TemporaryDirectory() as base:
        empty = os.path.join(base, "empty")
        config = os.path.join(base, "config")
        os.makedirs(empty)
        write_provider(config)
        environ = dict(os.environ, XDG_CONFIG_HOME=config, XDG_DATA_HOME=empty, XDG_DATA_DIRS=empty)
        if os.environ.get("MS_TEST_PROGRAM_G_DEBUG"):
            environ["G_DEBUG"] = os.environ["MS_TEST_PROGRAM_G_DEBUG"]
        proc = subprocess.Popen([mstest.MAIL_SETUP, "sign-in", user, "--client-id", CLIENT_ID,
                                 "--timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=environ)
        try:
            shown = []
            # As the person does: the address, then the word that no
            # browser opened (GIO says so only after trying), then by hand.
            url = None
            for line in proc.stderr:
                shown.append(line)
                if line.startswith(env("MS_TEST_OAUTH_URL") + "/authorize?"):
                    url = line.strip()
                if url is not None and "no web browser could be opened" in line:
                    break
            check(url is not None, "".join(shown))
            steps = test_browser.browse(url, "visit")
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        err = "".join(shown) + err
        check_equal(proc.returncode, 0, err)
        check_equal(steps[-1], {"url": "loopback", "status": 200})
        mstest.check_in("no web browser could be opened", err)
        mstest.check_in("is signed in", out)
        refresh = lookup(user, "oauth-refresh")
        check(refresh is not None and refresh.endswith("\n" + CLIENT_ID), "the sign-in is kept")
        mstest.check_not_in(refresh.split("\n")[0], out + err)


@mstest.test("usage: a client id with a blank, a timeout of 0, no address")
def t_usage():
    with tempfile.TemporaryDirectory() as base:
        person = Person(base)
        user = env("MS_TEST_USER")
        check_equal(person.mail_setup("sign-in", user, "--client-id", "a b").returncode, 2)
        check_equal(person.mail_setup("sign-in", user, "--client-id", "a\nb").returncode, 2)
        check_equal(person.mail_setup("sign-in", user, "--timeout", "0").returncode, 2)
        check_equal(person.mail_setup("sign-in").returncode, 2)
        other = person.mail_setup("sign-in", "someone@charter.net")
        check_equal(other.returncode, 1, other.stderr)
        mstest.check_in("no provider file knows an OAuth sign-in", other.stderr)


# --- the stand-in provider checks what a real one checks ----------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def authorize(redirect, challenge, **extra):
    query = dict(response_type="code", client_id=CLIENT_ID, redirect_uri=redirect, scope="mail",
                 state="s" * 22, code_challenge=challenge, code_challenge_method="S256",
                 login_hint=env("MS_TEST_USER"), **extra)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(env("MS_TEST_OAUTH_URL") + "/authorize?" + urllib.parse.urlencode(query), timeout=10)
    except urllib.error.HTTPError as e:
        if e.code != 302:
            return e.code, None
        location = urllib.parse.urlsplit(e.headers["Location"])
        return 302, urllib.parse.parse_qs(location.query).get("code", [None])[0]
    return 200, None


def exchange(code, verifier, redirect):
    form = dict(grant_type="authorization_code", code=code, code_verifier=verifier,
                redirect_uri=redirect, client_id=CLIENT_ID)
    try:
        post("/token", **form)
        return 200
    except urllib.error.HTTPError as e:
        return e.code


@mstest.test("oauth-server.py: codes once only, the PKCE verifier, the same redirect, loopback only")
def t_server_checks():
    behave(authorize="consent")
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    redirect = "http://127.0.0.1:9/"

    status, code = authorize(redirect, challenge)
    check_equal(status, 302)
    check_equal(exchange(code, verifier, redirect), 200)
    check_equal(exchange(code, verifier, redirect), 400)          # used once

    _, code = authorize(redirect, challenge)
    check_equal(exchange(code, secrets.token_urlsafe(32), redirect), 400)   # another verifier
    _, code = authorize(redirect, challenge)
    check_equal(exchange(code, verifier, "http://127.0.0.1:10/"), 400)      # another redirect

    check_equal(authorize("http://localhost:9/", challenge)[0], 400)
    check_equal(authorize("https://attacker.example/", challenge)[0], 400)
    check_equal(authorize(redirect, "short")[0], 400)


if __name__ == "__main__":
    mstest.require_root("the mail servers need root")
    sys.exit(mstest.main())
