#!/usr/bin/env python3
# test-export-hostile.py: hostile but valid values, read back by the real programs
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix) and
run-with-keyring (a private D-Bus session with a real gnome-keyring).

An account at hostile.example whose address holds a backtick, a quote,
"$", "{", "|" (all legal before the @) and whose name holds double quotes,
"$(touch canary)", a backtick command, ";", "#", "%", "|" and non-ASCII
letters is tested against the real servers (logging in as the harness's
real user, which the provider file names), then exported; neomutt -Q,
msmtp -P, mbsync -l and aerc in tmux read the files back and show exactly
those values, the keyring commands yield the password, and nothing runs:
the programs run in a directory where "touch canary" would leave a file,
and their output holds no shell error. With today's quoting neomutt's
backticks end inside the address and the shell runs what follows it.
Output is TAP.
"""

import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, env, need, password, test  # noqa: E402

MAIL_SETUP = mstest.MAIL_SETUP
ADDRESS = "a`b`touch${IFS}canary|'@hostile.example"
NAME = "Zoë \"Q\" O'Brien $(touch canary) `touch canary` ; # 100% | ☃"
WORK = tempfile.mkdtemp(prefix="ms-export-hostile-")
CANARY = os.path.join(WORK, "canary")


def run(argv, **kwargs):
    # Every program runs in the scratch directory, where a command smuggled
    # in through a value would leave its canary.
    return mstest.run(argv, cwd=WORK, start_new_session=True, **kwargs)


def no_canary(what):
    check(not os.path.exists(CANARY), f"{what} ran a command from the exported values")


def no_shell_error(proc, what):
    for text in (proc.stdout, proc.stderr):
        check("sh: " not in text and "not found" not in text, f"{what} ran a broken command:\n{text}")


def write_provider():
    # isync 1.4 checks only DNS names against the certificate: localhost.
    user = env("MS_TEST_USER")
    servers = [("imap", "localhost", env("MS_TEST_IMAPS_PORT"), "SSL", user),
               ("smtp", "localhost", env("MS_TEST_SUBMISSIONS_PORT"), "SSL", user)]
    mstest.write_provider(os.environ["XDG_CONFIG_HOME"],
                          mstest.provider_xml(servers, provider_id="hostile.example",
                                              display_name="Hostile Mail"),
                          domain="hostile.example")


def export(client, output, with_password=False):
    argv = [MAIL_SETUP, "export", ADDRESS, "--to", client, "--name", NAME, "--output", output]
    stdin = None
    if with_password:
        argv += ["--password-stdin", "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "20"]
        stdin = password() + "\n"
    proc = run(argv, input=stdin)
    no_canary(f"mail-setup export --to {client}")
    return proc


def neomutt_values(text):
    """neomutt -Q prints set NAME = "VALUE" with \\ before \\, " and `."""
    values = {}
    for line in text.splitlines():
        match = re.fullmatch(r'set (\w+) = "(.*)"', line)
        if match:
            values[match.group(1)] = re.sub(r"\\(.)", r"\1", match.group(2))
    return values


@test("the hostile account is tested against the real servers, saved, its password stored")
def t_setup():
    write_provider()
    export("neomutt", os.path.join(WORK, "neomuttrc"), with_password=True)


@test("neomutt -Q: address, name and user exactly, the backtick commands yield the password, nothing else runs")
def t_neomutt():
    need("neomutt", "neomutt")
    out = os.path.join(WORK, "neomuttrc")
    text = open(out).read()
    check(password() not in text, "the neomuttrc holds the password")
    proc = run(["neomutt", "-n", "-F", out, "-Q", "real_name", "-Q", "from", "-Q", "imap_user",
                "-Q", "imap_pass", "-Q", "smtp_pass", "-Q", "folder"],
               env=dict(os.environ, TERM="dumb"))
    no_canary("neomutt")
    no_shell_error(proc, "neomutt")
    values = neomutt_values(proc.stdout)
    check(values.get("real_name") == NAME, (values, proc.stdout))
    check(values.get("from") == ADDRESS, (values, proc.stdout))
    check(values.get("imap_user") == env("MS_TEST_USER"), values)
    check(values.get("imap_pass") == password(), f"neomutt's imap_pass is {values.get('imap_pass')!r}")
    check(values.get("smtp_pass") == password(), f"neomutt's smtp_pass is {values.get('smtp_pass')!r}")
    check(values.get("folder", "").startswith("imaps://"), values)


def postfix_logins():
    return open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read().count(
        "sasl_username=" + env("MS_TEST_USER"))


@test("msmtp -P: account, from and user exactly; msmtp logs in to postfix with the password the export stored")
def t_msmtp():
    need("msmtp", "msmtp")
    out = os.path.join(WORK, "msmtprc")
    # The password comes from this product's keyring item (stored under
    # the address's address-id), and goes under msmtp's own schema.
    export("msmtp", out)
    proc = run(["msmtp", "-C", out, "-a", ADDRESS, "-P"])
    no_canary("msmtp")
    values = dict(line.split(" = ", 1) for line in proc.stdout.splitlines() if " = " in line)
    check(f"using account {ADDRESS} from {out}" in proc.stderr + proc.stdout, proc.stderr)
    check(values.get("from") == ADDRESS, values)
    check(values.get("user") == env("MS_TEST_USER"), values)
    check(values.get("host") == "localhost", values)
    user = env("MS_TEST_USER")
    before = postfix_logins()
    message = f"From: {user}\nTo: {user}\nSubject: hostile msmtp\n\nhello\n"
    # postfix takes no backtick in the envelope sender: the harness's user.
    sent = run(["msmtp", "-C", out, "-a", ADDRESS, "-f", user, user], input=message, check=False)
    no_canary("msmtp")
    check(sent.returncode == 0, sent.stderr)
    check(postfix_logins() > before, "postfix saw no login from msmtp")


@test("msmtp -P: a username with a quote, a backslash and a space comes back exactly (saved settings)")
def t_msmtp_quote():
    need("msmtp", "msmtp")
    accounts = os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "accounts")
    text = open(os.path.join(accounts, ADDRESS.lower())).read()
    other = "quote@hostile.example"
    user = 'o"brien\\x y'
    # GKeyFile writes a backslash as \\ and nothing else here specially.
    text = text.replace(f"Address={ADDRESS}", f"Address={other}")
    text = re.sub(r"^Username=.*$", "Username=" + user.replace("\\", "\\\\"), text, flags=re.M)
    with open(os.path.join(accounts, other), "w") as f:
        f.write(text)
    out = os.path.join(WORK, "msmtprc-quote")
    proc = run([MAIL_SETUP, "export", other, "--to", "msmtp", "--output", out])
    # No password at hand: passwordeval, which -P runs; give it an item.
    run(["secret-tool", "store", "--label", "hostile", "xdg:schema", "io.github.mailsetup.MailSetup.Account",
         "address", other, "protocol", "smtp"], input="x")
    proc = run(["msmtp", "-C", out, "-a", other, "-P"])
    values = dict(line.split(" = ", 1) for line in proc.stdout.splitlines() if " = " in line)
    check(values.get("passwordeval", "").startswith("secret-tool lookup "), values)
    check(values.get("user") == user, (values.get("user"), user, open(out).read()))
    no_canary("msmtp")


@test("mbsync -l: the channel named by the address logs in to dovecot through PassCmd and lists INBOX")
def t_mbsync():
    need("mbsync", "isync")
    out = os.path.join(WORK, "mbsyncrc")
    export("mbsync", out)
    proc = run(["mbsync", "-c", out, "-D", "-l", ADDRESS], timeout=60)
    no_canary("mbsync")
    no_shell_error(proc, "mbsync")
    check(f"Channel {ADDRESS}\n" in proc.stderr + proc.stdout, proc.stdout + proc.stderr)
    check(f"Opening far side store {ADDRESS}-remote..." in proc.stdout + proc.stderr)
    check(f"LOGIN {env('MS_TEST_USER')}" in proc.stdout + proc.stderr or "AUTHENTICATE" in proc.stdout + proc.stderr, proc.stdout + proc.stderr)
    check(re.search(r"^INBOX$", proc.stdout, re.M), proc.stdout + proc.stderr)
    maildir = os.path.join(os.environ["HOME"], "Mail", ADDRESS)
    check(os.path.isdir(maildir), f"no Maildir folder {maildir}")


@test("aerc in tmux: the account named by the address connects with its keyring command; the composer shows the name")
def t_aerc():
    need("aerc", "aerc")
    need("tmux", "tmux")
    config = os.path.join(WORK, "aerc-config")
    os.makedirs(os.path.join(config, "aerc"), exist_ok=True)
    out = os.path.join(config, "aerc", "accounts.conf")
    export("aerc", out)
    socket = f"ms-aerc-hostile-{os.getpid()}"
    aerc_env = dict(os.environ, XDG_CONFIG_HOME=config, SSL_CERT_FILE=env("MS_TEST_CA_FILE"),
                    TERM="xterm-256color", LANG="C.UTF-8")
    run(["tmux", "-L", socket, "new-session", "-d", "-x", "220", "-y", "50", "-c", WORK, "aerc"],
        env=aerc_env)
    try:
        screen = mstest.poll(lambda: run(["tmux", "-L", socket, "capture-pane", "-p"]).stdout,
                             lambda screen: "Connected" in screen)
        check(f"[{ADDRESS}] Connected" in screen, f"aerc did not connect:\n{screen}")
        run(["tmux", "-L", socket, "send-keys", ":compose", "Enter"])
        screen = mstest.poll(lambda: run(["tmux", "-L", socket, "capture-pane", "-p"]).stdout,
                             lambda screen: "From" in screen and "☃" in screen)
        check("O'Brien $(touch canary) `touch canary` ; # 100% | ☃" in screen, f"aerc's composer does not show the name:\n{screen}")
        check(ADDRESS in screen, f"aerc's composer does not show the address:\n{screen}")
        no_canary("aerc")
    finally:
        run(["tmux", "-L", socket, "kill-server"], check=False)


def main():
    mstest.require_mail_setup()
    return mstest.main(teardown=lambda: shutil.rmtree(WORK, ignore_errors=True))


if __name__ == "__main__":
    sys.exit(main())
