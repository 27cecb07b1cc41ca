#!/usr/bin/env python3
# test-export-oauth.py: the terminal programs' OAuth exports, proven by the real programs (issue 14)
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix) and
run-with-keyring (a private D-Bus session with a real gnome-keyring).

tests/harness/oauth-server.py stands for the provider's authorization
server: it issues the refresh token that goes into the real keyring (as a
sign-in leaves it: refresh token and client id mail-setup-test, under Mail
Setup's schema), answers `mail-setup token`'s refresh, and real dovecot's
oauth2 passdb asks it about every bearer token (force_introspection), so
its count of introspections counts the logins. Postfix authenticates
through dovecot, so SMTP takes the same tokens.

The account's settings are saved with Auth=OAuth2 (as a passing OAuth
test saves them) and `mail-setup export --output` writes each file from
them. Then the real programs sign in with the token command the files
name, with nothing else to sign in with (no password anywhere in the
keyring): msmtp sends through postfix with OAUTHBEARER and the message
arrives in dovecot; neomutt sends in batch mode and, in a tmux pane,
opens the IMAP inbox with OAUTHBEARER; aerc, in a tmux pane, connects
and lists the inbox; mbsync syncs the inbox with XOAUTH2 through Cyrus
SASL's XOAUTH2 plugin (Debian's libsasl2-modules-kdexoauth2, given to
that mbsync alone: see XOAUTH2_PACKAGE). A program
or plugin that is missing fails its test with the reason; nothing is
skipped. Output is TAP.
"""

import glob
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, check_equal, check_in, check_not_in, env, need, run, test  # noqa: E402

SCHEMA = mstest.KEYRING_SCHEMA
ADDRESS = os.environ.get("MS_TEST_USER", "alice@test.example")
MAIL_SETUP = mstest.MAIL_SETUP
COMMAND = os.path.basename(MAIL_SETUP)   # mail-setup, or mail-setup-devel
# What every exported file runs for a token (ms-export-token-command.c).
TOKEN_COMMAND = f"{COMMAND} token {ADDRESS}"
WORK = tempfile.mkdtemp(prefix="ms-export-oauth-")
# Cyrus SASL's XOAUTH2 mechanism for mbsync: Debian 12's package. Not
# installed system-wide for the tests: with it, mbsync picks XOAUTH2 for
# every server that offers it, password accounts too (the other suites'
# mbsync runs would hang on dovecot's XOAUTH2 refusal). So the test takes
# the package's plugin out of the .deb into the build folder and gives it
# to this mbsync alone (SASL_PATH); an installed one is used as it is.
XOAUTH2_PACKAGE = "libsasl2-modules-kdexoauth2"
XOAUTH2_PLUGIN = "libkdexoauth2.so"


def programs_env(**extra):
    """The environment the mail programs run in: the exported files name the
    bare binary, so the build's folder goes first on PATH, as an installed
    binary would be found."""
    path = os.path.dirname(MAIL_SETUP) + os.pathsep + os.environ.get("PATH", "")
    return dict(os.environ, PATH=path, **extra)


introspections = mstest.oauth_introspections


def dovecot_logins(method):
    """Successful dovecot logins of ADDRESS with METHOD (imap-login writes
    "Login: user=<...>, method=..."; postfix's go through the auth service)."""
    with open(env("MS_TEST_DOVECOT_LOG"), errors="replace") as log:
        return sum(1 for line in log
                   if "Login: user=<" + ADDRESS + ">" in line and "method=" + method in line)


def postfix_sasl(method):
    with open(env("MS_TEST_POSTFIX_LOG"), errors="replace") as log:
        return sum(1 for line in log
                   if f"sasl_method={method}" in line and f"sasl_username={ADDRESS}" in line)


def sign_in(address=ADDRESS):
    """What a sign-in leaves in the keyring for ADDRESS: the refresh token
    and the client id. Its access token has expired, so the first
    `mail-setup token` refreshes. The tokens are the harness user's
    (dovecot logs in whom the authorization server names)."""
    return mstest.keep_sign_in(address, access_lifetime=-5, keep_access=False, user=ADDRESS)


def write_provider(config_home=None, domain="test.example", host=None):
    servers = [(kind, server_host, port, security, ADDRESS)
               for kind, server_host, port, security in mstest.harness_servers(host=host)]
    mstest.write_provider(config_home or os.environ["XDG_CONFIG_HOME"],
                          mstest.oauth_provider_xml(servers, provider_id=domain), domain=domain)


def save_settings(host=None, incoming_auth="OAuth2", outgoing_auth="OAuth2", address=ADDRESS):
    """Settings as a passing OAuth test saves them (ms-account-settings.c),
    logging in as the harness's user."""
    host = host or env("MS_TEST_HOST")
    accounts = os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "accounts")
    os.makedirs(accounts, exist_ok=True)
    path = os.path.join(accounts, address.lower())
    with open(path, "w") as f:
        f.write(f"[Account]\nAddress={address}\nName=Alice Tester\nCaFile={env('MS_TEST_CA_FILE')}\n\n"
                f"[Incoming]\nProtocol=imap\nHost={host}\nPort={env('MS_TEST_IMAPS_PORT')}\n"
                f"Security=SSL\nAuth={incoming_auth}\nUsername={ADDRESS}\n\n"
                f"[Outgoing]\nProtocol=smtp\nHost={host}\nPort={env('MS_TEST_SUBMISSIONS_PORT')}\n"
                f"Security=SSL\nAuth={outgoing_auth}\nUsername={ADDRESS}\n")
    os.chmod(path, 0o600)


def export(client, name, address=ADDRESS):
    out = name if os.path.isabs(name) else os.path.join(WORK, name)
    if os.path.exists(out):
        os.unlink(out)
    run([MAIL_SETUP, "export", address, "--to", client, "--output", out])
    return out, open(out).read()


def no_secret_in(text, issued):
    check_not_in(issued["refresh_token"], text)
    check_not_in(issued["access_token"], text)
    check_not_in("ya29.", text, "an access token in the file")
    check_not_in("secret-tool", text, "a password lookup for an OAuth server")
    check_not_in(mstest.password(), text)


def inbox_subjects():
    """The subjects in ADDRESS's INBOX, read over IMAP with a fresh token."""
    proc = mstest.mail_setup(["token", ADDRESS])
    access_token = proc.stdout.strip()
    imap = mstest.imap_connect()
    try:
        mstest.imap_xoauth2(imap, ADDRESS, access_token)
        imap.select("INBOX", readonly=True)
        _, data = imap.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    finally:
        imap.logout()
    return b"".join(part[1] for part in data if isinstance(part, tuple)).decode(errors="replace")


def wait_for_subject(subject):
    return mstest.poll(inbox_subjects, lambda subjects: subject in subjects)


@test("the saved OAuth settings export to msmtp, mbsync, neomutt and aerc: the token command, no secret")
def t_files():
    issued = sign_in()
    write_provider()
    save_settings()
    command = TOKEN_COMMAND

    _, msmtp = export("msmtp", "msmtprc")
    check_in("auth oauthbearer\n", msmtp)
    check_in(f'passwordeval "{command}"\n', msmtp)
    check_in(f"account default : \"{ADDRESS}\"", msmtp)
    no_secret_in(msmtp, issued)

    _, mbsync = export("mbsync", "mbsyncrc")
    check_in("AuthMechs XOAUTH2\n", mbsync)
    check_in(f'PassCmd "{command}"\n', mbsync)
    no_secret_in(mbsync, issued)

    _, neomutt = export("neomutt", "neomuttrc")
    for prefix in ("imap", "smtp"):
        check_in(f'set {prefix}_authenticators = "oauthbearer"\n', neomutt)
        check_in(f'set {prefix}_oauth_refresh_command = "{command}"\n', neomutt)
        check_not_in(f"{prefix}_pass", neomutt)
    no_secret_in(neomutt, issued)

    path, aerc = export("aerc", "accounts.conf")
    check_in(f"source = `imaps+oauthbearer://{ADDRESS.replace('@', '%40')}@", aerc)
    check_in(f"outgoing = `smtps+oauthbearer://{ADDRESS.replace('@', '%40')}@", aerc)
    check_in(f"source-cred-cmd = `{command}`\n", aerc)
    check_in(f"outgoing-cred-cmd = `{command}`\n", aerc)
    no_secret_in(aerc, issued)
    check_equal(oct(os.stat(path).st_mode & 0o777), "0o600")

    # The command the files name prints a token dovecot takes (no password
    # for this account is anywhere in the keyring).
    check(run(["secret-tool", "lookup", "xdg:schema", SCHEMA, "address", ADDRESS.lower(),
               "protocol", "imap"], check=False).stdout == "", "a password in the keyring")
    printed = run(["sh", "-c", command], env=programs_env()).stdout.strip()
    check(printed and printed != issued["access_token"], "the command printed no fresh token")


@test("msmtp sends through postfix with auth oauthbearer and the token command; the message arrives")
def t_msmtp():
    need("msmtp", "msmtp")
    path = os.path.join(WORK, "msmtprc")
    subject = f"oauth msmtp {time.time()}"
    before = (introspections(), postfix_sasl("OAUTHBEARER"))
    # No controlling terminal: msmtp cannot ask for anything.
    proc = run(["msmtp", "-C", path, ADDRESS],
               input=f"From: {ADDRESS}\nTo: {ADDRESS}\nSubject: {subject}\n\nsent with a bearer token\n",
               env=programs_env(), start_new_session=True, check=False)
    check_equal(proc.returncode, 0, proc.stderr)
    check(postfix_sasl("OAUTHBEARER") > before[1], "postfix saw no OAUTHBEARER login from msmtp")
    check(introspections() > before[0], "dovecot never asked the authorization server")
    wait_for_subject(subject)

    # Without the sign-in the same file cannot send: the token command is
    # what signed in.
    mstest.keyring_clear(ADDRESS, must_exist=True)
    try:
        failed = run(["msmtp", "-C", path, ADDRESS], input=f"Subject: {subject} again\n\nx\n",
                     env=programs_env(), start_new_session=True, check=False)
        check(failed.returncode != 0, "msmtp sent without a sign-in")
        check_in("has not signed in", failed.stderr)
    finally:
        sign_in()


@test("neomutt sends in batch mode with smtp_authenticators oauthbearer")
def t_neomutt_send():
    need("neomutt", "neomutt")
    path = os.path.join(WORK, "neomuttrc")
    subject = f"oauth neomutt {time.time()}"
    before = postfix_sasl("OAUTHBEARER")
    run(["neomutt", "-n", "-F", path, "-s", subject, ADDRESS], input="hello from neomutt\n",
        env=programs_env(TERM="dumb"), start_new_session=True)
    check(postfix_sasl("OAUTHBEARER") > before, "postfix saw no OAUTHBEARER login from neomutt")
    wait_for_subject(subject)


def tmux_screen(socket, program_argv, program_env, ready, what, then=None):
    """Runs PROGRAM_ARGV in a tmux pane until its screen is READY; THEN,
    if given, is called with a function that types keys and one that
    reads the screen, before the pane is closed."""
    socket = f"{socket}-{os.getpid()}"
    run(["tmux", "-L", socket, "new-session", "-d", "-x", "200", "-y", "50"] + program_argv,
        env=program_env)

    def capture():
        return run(["tmux", "-L", socket, "capture-pane", "-p"]).stdout

    def keys(*typed):
        run(["tmux", "-L", socket, "send-keys"] + list(typed))

    try:
        screen = ""
        try:
            screen = mstest.poll(capture, ready)
        except mstest.Failure as error:
            raise mstest.Failure(f"{what}: {error}")
        if then is not None:
            then(keys, capture)
        return screen
    finally:
        run(["tmux", "-L", socket, "kill-server"], check=False)


@test("neomutt opens the IMAP inbox with imap_authenticators oauthbearer (tmux)")
def t_neomutt_imap():
    need("neomutt", "neomutt")
    need("tmux", "tmux")
    path = os.path.join(WORK, "neomuttrc")
    subject = f"oauth for neomutt's inbox {time.time()}"
    run(["msmtp", "-C", os.path.join(WORK, "msmtprc"), ADDRESS],
        input=f"Subject: {subject}\n\nx\n", env=programs_env(), start_new_session=True)
    wait_for_subject(subject)
    before = (introspections(), dovecot_logins("OAUTHBEARER"))
    screen = tmux_screen("ms-neomutt", ["neomutt", "-n", "-F", path],
                         programs_env(TERM="xterm-256color"),
                         lambda screen: subject[:40] in screen, "neomutt did not list the message")
    check_in(subject[:40], screen)
    check(dovecot_logins("OAUTHBEARER") > before[1], "dovecot logged no OAUTHBEARER login")
    check(introspections() > before[0], "dovecot never asked the authorization server")


@test("aerc connects with imaps+oauthbearer and the token command, lists the inbox and sends with smtps+oauthbearer (tmux)")
def t_aerc():
    need("aerc", "aerc")
    need("tmux", "tmux")
    subject = f"oauth for aerc {time.time()}"
    run(["msmtp", "-C", os.path.join(WORK, "msmtprc"), ADDRESS],
        input=f"Subject: {subject}\n\nx\n", env=programs_env(), start_new_session=True)
    wait_for_subject(subject)
    # Into aerc's own place this time: aerc and `mail-setup token` share
    # XDG_CONFIG_HOME, where the token command finds the provider file.
    run([MAIL_SETUP, "export", ADDRESS, "--to", "aerc"])
    accounts = os.path.join(os.environ["XDG_CONFIG_HOME"], "aerc", "accounts.conf")
    check_equal(open(accounts).read().count(TOKEN_COMMAND), 2)
    before = (introspections(), dovecot_logins("OAUTHBEARER"), postfix_sasl("OAUTHBEARER"))
    sent = f"sent by aerc {time.time()}"

    def send(keys, capture):
        # The composer with its headers given; the editor (EDITOR=true)
        # ends at once, which leaves aerc's review screen, where "y" sends
        # through smtps+oauthbearer.
        keys(f':compose -H "To: {ADDRESS}" -H "Subject: {sent}" hello', "Enter")
        try:
            mstest.poll(capture, lambda screen: "Send this email?" in screen and sent in screen)
        except mstest.Failure as error:
            raise mstest.Failure(f"aerc showed no review screen: {error}\n{capture()}")
        keys("y")
        try:
            mstest.poll(lambda: postfix_sasl("OAUTHBEARER"), lambda count: count > before[2])
        except mstest.Failure as error:
            raise mstest.Failure(f"aerc's message never reached postfix: {error}\n{capture()}")

    # Go reads the test CA from SSL_CERT_FILE.
    screen = tmux_screen("ms-aerc", ["aerc"],
                         programs_env(SSL_CERT_FILE=env("MS_TEST_CA_FILE"), TERM="xterm-256color",
                                      EDITOR="true"),
                         lambda screen: subject[:40] in screen and "Connected" in screen,
                         "aerc did not connect and list the message", then=send)
    check_in(f"[{ADDRESS}] Connected", screen)
    check(dovecot_logins("OAUTHBEARER") > before[1], "dovecot logged no OAUTHBEARER login")
    check(introspections() > before[0], "dovecot never asked the authorization server")
    wait_for_subject(sent)


def xoauth2_plugin_env():
    """The environment for mbsync with the XOAUTH2 plugin: SASL_PATH to
    the plugin taken out of the Debian package, unless it is installed."""
    installed = glob.glob(f"/usr/lib/*/sasl2/{XOAUTH2_PLUGIN}")
    if installed:
        return programs_env()
    cache = os.path.join(mstest.BUILD_ROOT or WORK, "tests", "sasl-xoauth2")
    found = glob.glob(os.path.join(cache, "usr", "lib", "*", "sasl2", XOAUTH2_PLUGIN))
    if not found:
        need("apt-get", "apt")
        need("dpkg-deb", "dpkg")
        download = tempfile.mkdtemp(dir=WORK)
        # apt's download user must be able to write there.
        os.chmod(download, 0o777)
        proc = run(["apt-get", "download", "-q", XOAUTH2_PACKAGE], cwd=download, check=False,
                   timeout=120)
        debs = glob.glob(os.path.join(download, "*.deb"))
        if proc.returncode != 0 or not debs:
            raise mstest.Failure(f"mbsync needs Cyrus SASL's XOAUTH2 plugin: install the Debian package "
                                 f"{XOAUTH2_PACKAGE}, or let the test download it "
                                 f"(apt-get download failed):\n{proc.stderr}")
        run(["dpkg-deb", "-x", debs[0], cache])
        found = glob.glob(os.path.join(cache, "usr", "lib", "*", "sasl2", XOAUTH2_PLUGIN))
        if not found:
            raise mstest.Failure(f"{XOAUTH2_PACKAGE} holds no {XOAUTH2_PLUGIN}")
    return programs_env(SASL_PATH=os.path.dirname(found[0]))


@test("mbsync syncs the inbox with AuthMechs XOAUTH2 and the token command (Cyrus SASL XOAUTH2 plugin)")
def t_mbsync():
    need("mbsync", "isync")
    mbsync_env = xoauth2_plugin_env()
    # isync 1.4 matches only DNS names against the certificate: the
    # certificate's name "localhost" for this one.
    save_settings(host="localhost")
    try:
        path, text = export("mbsync", "mbsyncrc-localhost")
    finally:
        save_settings()
    check_in("AuthMechs XOAUTH2\n", text)
    maildir = os.path.join(os.environ["HOME"], "Mail", ADDRESS, "INBOX")
    shutil.rmtree(maildir, ignore_errors=True)
    if "SASL_PATH" in mbsync_env:
        # Without the plugin the same file cannot log in: XOAUTH2 is what
        # mbsync signs in with.
        failed = run(["mbsync", "-c", path, ADDRESS], env=programs_env(), check=False,
                     start_new_session=True, timeout=60)
        check(failed.returncode != 0, "mbsync logged in without an XOAUTH2 mechanism")
    before = (introspections(), dovecot_logins("XOAUTH2"))
    proc = run(["mbsync", "-c", path, ADDRESS], env=mbsync_env, check=False,
               start_new_session=True)
    check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
    check(dovecot_logins("XOAUTH2") > before[1], "dovecot logged no XOAUTH2 login from mbsync")
    check(introspections() > before[0], "dovecot never asked the authorization server")
    files = os.listdir(os.path.join(maildir, "cur")) + os.listdir(os.path.join(maildir, "new"))
    check(files, "mbsync fetched no message (msmtp's should be there)")


@test("mbsync: a password account's export still syncs with the XOAUTH2 plugin there (AuthMechs PLAIN LOGIN)")
def t_mbsync_password_with_plugin():
    need("mbsync", "isync")
    plugin_env = xoauth2_plugin_env()
    sasl_path = plugin_env.get("SASL_PATH")
    if sasl_path is not None:
        # The plugin beside the system's own mechanisms, as an installed
        # one would be.
        system = glob.glob("/usr/lib/*/sasl2")
        plugin_env["SASL_PATH"] = ":".join([sasl_path] + system)
    save_settings(host="localhost", incoming_auth="password-cleartext",
                  outgoing_auth="password-cleartext")
    try:
        run(["secret-tool", "store", "--label=test", "xdg:schema", SCHEMA, "address", ADDRESS.lower(),
             "protocol", "imap"], input=mstest.password())
        path, text = export("mbsync", "mbsyncrc-password")
    finally:
        save_settings()
        run(["secret-tool", "clear", "xdg:schema", SCHEMA, "address", ADDRESS.lower(),
             "protocol", "imap"], check=False)
    check_in("AuthMechs PLAIN LOGIN\n", text)
    check_in('PassCmd "secret-tool lookup', text)
    # The keyring item is gone again: a PassCmd of its own for this run.
    with open(path) as f:
        lines = [line if not line.startswith("PassCmd ") else f'PassCmd "cat {mstest.env("MS_TEST_PASSWORD_FILE")}"\n'
                 for line in f]
    with open(path, "w") as f:
        f.writelines(lines)
    maildir = os.path.join(os.environ["HOME"], "Mail", ADDRESS, "INBOX")
    shutil.rmtree(maildir, ignore_errors=True)
    before = dovecot_logins("PLAIN")
    proc = run(["mbsync", "-c", path, ADDRESS], env=plugin_env, check=False,
               start_new_session=True, timeout=60)
    check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
    check(dovecot_logins("PLAIN") > before, "dovecot logged no PLAIN login from mbsync")


@test("OAuth per server: IMAP with the token, SMTP with the keyring's password; msmtp sends with the password")
def t_mixed():
    need("msmtp", "msmtp")
    save_settings(outgoing_auth="password-cleartext")
    try:
        run(["secret-tool", "store", "--label=test", "xdg:schema", SCHEMA, "address", ADDRESS.lower(),
             "protocol", "smtp"], input=mstest.password())
        _, msmtp = export("msmtp", "msmtprc-mixed")
        _, neomutt = export("neomutt", "neomuttrc-mixed")
    finally:
        save_settings()
    check_in("auth on\n", msmtp)
    check_not_in("oauthbearer", msmtp)
    check_in('set imap_oauth_refresh_command = "', neomutt)
    check_in('set smtp_pass = "`secret-tool lookup', neomutt)
    check_not_in("smtp_authenticators", neomutt)
    before = postfix_sasl("PLAIN")
    run(["msmtp", "-C", os.path.join(WORK, "msmtprc-mixed"), ADDRESS], input="Subject: mixed\n\nx\n",
        env=programs_env(), start_new_session=True)
    check(postfix_sasl("PLAIN") > before, "postfix saw no password login from msmtp")


# Legal before the "@", and each one the shell would act on unquoted.
HOSTILE = "a`b`touch${IFS}canary|'@hostile.example"
HOSTILE_COMMAND = f"{COMMAND} token 'a`b`touch${{IFS}}canary|'\\''@hostile.example'"


@test("a hostile address (backticks, $, {, |, a quote): msmtp, neomutt, aerc and mbsync run the token command "
      "with exactly that address, sign in with it, and run nothing else")
def t_hostile_address():
    work = tempfile.mkdtemp(dir=WORK)
    canary = os.path.join(work, "canary")

    def hostile_run(argv, **kwargs):
        # In a folder where a command smuggled in through the address
        # would leave its canary.
        kwargs.setdefault("env", programs_env())
        return run(argv, cwd=work, start_new_session=True, **kwargs)

    sign_in(HOSTILE)
    # isync 1.4 checks only DNS names against the certificate: localhost.
    write_provider(domain="hostile.example", host="localhost")
    save_settings(host="localhost", address=HOSTILE)

    msmtprc, text = export("msmtp", os.path.join(work, "msmtprc"), address=HOSTILE)
    check_in(f'passwordeval "{HOSTILE_COMMAND}"\n', text)
    printed = hostile_run(["msmtp", "-C", msmtprc, "-a", HOSTILE, "-P"]).stdout
    check_in(f"passwordeval = {HOSTILE_COMMAND}\n", printed)
    before = postfix_sasl("OAUTHBEARER")
    # postfix takes no backtick in the envelope sender: the harness's user.
    sent = hostile_run(["msmtp", "-C", msmtprc, "-a", HOSTILE, "-f", ADDRESS, ADDRESS],
                       input="Subject: hostile oauth\n\nx\n", check=False)
    check_equal(sent.returncode, 0, sent.stderr)
    check(postfix_sasl("OAUTHBEARER") > before, "postfix saw no OAUTHBEARER login from msmtp")

    neomuttrc, _ = export("neomutt", os.path.join(work, "neomuttrc"), address=HOSTILE)
    queried = hostile_run(["neomutt", "-n", "-F", neomuttrc, "-Q", "imap_oauth_refresh_command",
                           "-Q", "smtp_oauth_refresh_command"], env=programs_env(TERM="dumb")).stdout
    # neomutt -Q prints set NAME = "VALUE", a backslash before each
    # backslash and double quote.
    values = {match.group(1): re.sub(r"\\(.)", r"\1", match.group(2))
              for match in re.finditer(r'^set (\w+) = "(.*)"$', queried, re.M)}
    for prefix in ("imap", "smtp"):
        check_equal(values.get(f"{prefix}_oauth_refresh_command"), HOSTILE_COMMAND, queried)
    # What neomutt runs at a login (sh -c, its filter_create): a token.
    token = hostile_run(["sh", "-c", HOSTILE_COMMAND]).stdout.strip()
    check(token.startswith("ya29."), f"the command printed {token!r}")

    need("aerc", "aerc")
    need("tmux", "tmux")
    config = os.path.join(work, "aerc-config")
    write_provider(config_home=config, domain="hostile.example", host="localhost")
    export("aerc", os.path.join(config, "aerc", "accounts.conf"), address=HOSTILE)
    before = dovecot_logins("OAUTHBEARER")
    screen = tmux_screen("ms-aerc-hostile", ["aerc"],
                         programs_env(XDG_CONFIG_HOME=config, SSL_CERT_FILE=env("MS_TEST_CA_FILE"),
                                      TERM="xterm-256color", LANG="C.UTF-8"),
                         lambda screen: "Connected" in screen, "aerc did not connect")
    check_in(f"[{HOSTILE}] Connected", screen)
    check(dovecot_logins("OAUTHBEARER") > before, "dovecot logged no OAUTHBEARER login from aerc")

    mbsyncrc, _ = export("mbsync", os.path.join(work, "mbsyncrc"), address=HOSTILE)
    before = dovecot_logins("XOAUTH2")
    listed = hostile_run(["mbsync", "-c", mbsyncrc, "-l", HOSTILE], env=xoauth2_plugin_env(),
                         check=False, timeout=60)
    check_equal(listed.returncode, 0, listed.stdout + listed.stderr)
    check(re.search(r"^INBOX$", listed.stdout, re.M), listed.stdout + listed.stderr)
    check(dovecot_logins("XOAUTH2") > before, "dovecot logged no XOAUTH2 login from mbsync")

    check(not os.path.exists(canary), "a program ran a command from the address")


def main():
    mstest.require_mail_setup()
    return mstest.main(teardown=lambda: shutil.rmtree(WORK, ignore_errors=True),
                       prerequisites=(t_files,))


if __name__ == "__main__":
    mstest.require_root("the mail servers need root")
    sys.exit(main())
