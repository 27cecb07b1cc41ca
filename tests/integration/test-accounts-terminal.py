#!/usr/bin/env python3
# test-accounts-terminal.py: msmtp, mbsync, neomutt and aerc accounts found, repaired, read by the real programs
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix) and
run-with-keyring (a private HOME and XDG folders).

Each program gets a configuration written the way its manual shows, with
a broken Charter account (Charter's retired plain servers IMAP.charter.net
:143 and smtp.charter.net:25, no encryption) and another account that
works. accounts-driver (tests/integration/accounts-driver.c, the backends
through the core) finds them, then repairs the Charter one to the
harness's servers over implicit TLS, the way a repair to
mobile.charter.net would. Then the real program reads the repaired file
and, where it can log in without a person, logs in: msmtp sends through
postfix, mbsync lists and syncs dovecot's INBOX, aerc connects in tmux;
neomutt -Q shows what it read. The other account's lines stay byte for
byte. aerc rewrites its own file, so the repair is refused while it runs.
Output is TAP.
"""

import json
import os
import re
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, check_equal, env, need, test  # noqa: E402

DRIVER = os.environ.get("MS_ACCOUNTS_DRIVER", "")
HOME = os.environ.get("HOME", "")
CONFIG = os.environ.get("XDG_CONFIG_HOME", "")


def run(argv, **kwargs):
    return mstest.run(argv, cwd=HOME, start_new_session=True, **kwargs)


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)


def find(program):
    proc = run([DRIVER, "find"])
    inventory = json.loads(proc.stdout)
    return {a["key"]: a for a in inventory["accounts"] if a["program"] == program}, inventory


def repair(program, key, check_rc=True):
    user = env("MS_TEST_USER")
    return run([DRIVER, "repair", program, key,
                "localhost", env("MS_TEST_IMAPS_PORT"), "SSL",
                "localhost", env("MS_TEST_SUBMISSIONS_PORT"), "SSL", user], check=check_rc)


def server(account, which):
    return account.get(which) or {}


def postfix_logins():
    return open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read().count(
        "sasl_username=" + env("MS_TEST_USER"))


def msmtp_other():
    return f"""# bob's account, which works
account other
host localhost
port {env("MS_TEST_SUBMISSION_PORT")}
tls on
tls_starttls on
from {env("MS_TEST_USER2")}
user {env("MS_TEST_USER2")}
passwordeval "cat {env("MS_TEST_PASSWORD2_FILE")}"
"""


@test("msmtp: the broken Charter account is found; after the repair msmtp -P shows it and it sends through postfix")
def t_msmtp():
    need("msmtp", "msmtp")
    user = env("MS_TEST_USER")
    path = os.path.join(HOME, ".msmtprc")
    other = msmtp_other()
    write(path, f"""# Set default values for all following accounts.
defaults
auth           on
tls_trust_file {env("MS_TEST_CA_FILE")}
logfile        ~/.msmtp.log

# Charter, as its help page said years ago
account        charter
host           smtp.charter.net
port           25
tls            off
from           {user}
user           {user}
passwordeval   "cat {env("MS_TEST_PASSWORD_FILE")}"

""" + other + "\naccount default : charter\n")
    accounts, _ = find("msmtp")
    check_equal(sorted(accounts), ["charter", "other"])
    out = server(accounts["charter"], "outgoing")
    check_equal((out.get("hostname"), out.get("port"), out.get("security")), ("smtp.charter.net", 25, "plain"))

    repair("msmtp", "charter")
    text = open(path).read()
    check(text.endswith(other + "\naccount default : charter\n"), f"the other account changed:\n{text}")
    check(os.stat(path).st_mode & 0o077 == 0, "the repaired msmtprc is readable by others")
    proc = run(["msmtp", "-P", "--account=charter"])
    values = dict(line.split(" = ", 1) for line in proc.stdout.splitlines() if " = " in line)
    check_equal((values.get("host"), values.get("port"), values.get("tls"), values.get("tls_starttls")),
                ("localhost", env("MS_TEST_SUBMISSIONS_PORT"), "on", "off"))
    before = postfix_logins()
    sent = run(["msmtp", "-a", "charter", user], input=f"From: {user}\nTo: {user}\nSubject: repaired\n\nhi\n",
               check=False)
    check(sent.returncode == 0, sent.stderr)
    check(postfix_logins() > before, "postfix saw no login from the repaired msmtp account")
    # The other account still sends as it did.
    sent = run(["msmtp", "-a", "other", env("MS_TEST_USER2")],
               input="Subject: other\n\nhi\n", check=False)
    check(sent.returncode == 0, sent.stderr)


def mbsync_config(user):
    maildir = os.path.join(HOME, "Mail")
    return f"""IMAPAccount charter
# what Charter's page said in 2015
Host IMAP.charter.net
Port 143
User {user}
PassCmd "cat {env("MS_TEST_PASSWORD_FILE")}"
SSLType None
CertificateFile {env("MS_TEST_CA_FILE")}

IMAPStore charter-remote
Account charter

MaildirStore charter-local
Path {maildir}/charter/
Inbox {maildir}/charter/INBOX

Channel charter
Far :charter-remote:
Near :charter-local:
Patterns *
Create Near
SyncState *

""", f"""IMAPAccount other
Host localhost
Port {env("MS_TEST_IMAP_PORT")}
User {env("MS_TEST_USER2")}
PassCmd "cat {env("MS_TEST_PASSWORD2_FILE")}"
SSLType STARTTLS
CertificateFile {env("MS_TEST_CA_FILE")}

IMAPStore other-remote
Account other

MaildirStore other-local
Path {maildir}/other/
Inbox {maildir}/other/INBOX

Channel other
Far :other-remote:
Near :other-local:
Patterns INBOX
Create Near
SyncState *
"""


@test("mbsync: the broken Charter account is found; after the repair mbsync -l lists and mbsync syncs dovecot's INBOX")
def t_mbsync():
    need("mbsync", "isync")
    user = env("MS_TEST_USER")
    path = os.path.join(HOME, ".mbsyncrc")
    charter, other = mbsync_config(user)
    write(path, charter + other)
    os.makedirs(os.path.join(HOME, "Mail", "charter"), exist_ok=True)
    os.makedirs(os.path.join(HOME, "Mail", "other"), exist_ok=True)
    accounts, _ = find("mbsync")
    check_equal(sorted(accounts), ["charter", "other"])
    incoming = server(accounts["charter"], "incoming")
    check_equal((incoming.get("hostname"), incoming.get("port"), incoming.get("security")),
                ("IMAP.charter.net", 143, "plain"))

    repair("mbsync", "charter")
    text = open(path).read()
    check(text.endswith("\n\n" + other), f"the other account changed:\n{text}")
    check("SSLType IMAPS\n" in text and f"Port {env('MS_TEST_IMAPS_PORT')}\n" in text, text)
    proc = run(["mbsync", "-D", "-l", "charter"], timeout=60, check=False)
    check(proc.returncode == 0, proc.stdout + proc.stderr)
    check(re.search(r"^INBOX$", proc.stdout, re.M), proc.stdout + proc.stderr)
    check(f"LOGIN {user}" in proc.stdout + proc.stderr or "AUTHENTICATE" in proc.stdout + proc.stderr,
          proc.stdout + proc.stderr)
    proc = run(["mbsync", "charter"], timeout=60, check=False)
    check(proc.returncode == 0, proc.stdout + proc.stderr)
    check(os.path.isdir(os.path.join(HOME, "Mail", "charter", "INBOX", "cur")), "mbsync made no INBOX Maildir")
    proc = run(["mbsync", "-l", "other"], timeout=60, check=False)
    check(proc.returncode == 0 and re.search(r"^INBOX$", proc.stdout, re.M), proc.stdout + proc.stderr)


def neomutt_values(text):
    values = {}
    for line in text.splitlines():
        match = re.fullmatch(r'set (\w+) = "(.*)"', line)
        if match:
            values[match.group(1)] = re.sub(r"\\(.)", r"\1", match.group(2))
    return values


@test("neomutt: the account in a sourced file is found; after the repair neomutt -Q reads the new servers and neomutt logs in")
def t_neomutt():
    need("neomutt", "neomutt")
    need("tmux", "tmux")
    user = env("MS_TEST_USER")
    main_rc = os.path.join(CONFIG, "neomutt", "neomuttrc")
    account_rc = os.path.join(CONFIG, "neomutt", "charter.rc")
    main_text = f"""# ~/.config/neomutt/neomuttrc
set real_name = "Alice Example"
set from = "{user}"
source ~/.config/neomutt/charter.rc   # the mail account
set sort = threads ; set editor = "vi"
"""
    write(main_rc, main_text)
    user_escaped = user.replace("@", "%40")
    write(account_rc, f"""set folder = "imap://{user_escaped}@IMAP.charter.net:143/"
set spoolfile = "+INBOX"
set imap_pass = "`cat {env("MS_TEST_PASSWORD_FILE")}`"
set smtp_url = "smtp://{user_escaped}@smtp.charter.net:25/"
set ssl_force_tls = no
set ssl_ca_certificates_file = "{env("MS_TEST_CA_FILE")}"
mailboxes =INBOX
""")
    accounts, _ = find("neomutt")
    check_equal(list(accounts), [main_rc])
    incoming = server(accounts[main_rc], "incoming")
    check_equal((incoming.get("hostname"), incoming.get("port"), incoming.get("security")),
                ("IMAP.charter.net", 143, "plain"))

    repair("neomutt", main_rc)
    check_equal(open(main_rc).read(), main_text)
    proc = run(["neomutt", "-Q", "folder", "-Q", "smtp_url", "-Q", "imap_pass", "-Q", "real_name"])
    values = neomutt_values(proc.stdout)
    # neomutt -Q prints a folder URL with its user name decoded.
    check(values.get("folder") in (f"imaps://{u}@localhost:{env('MS_TEST_IMAPS_PORT')}/" for u in (user, user_escaped)),
          values)
    check_equal(values.get("smtp_url"), f"smtps://{user_escaped}@localhost:{env('MS_TEST_SUBMISSIONS_PORT')}/")
    check_equal(values.get("imap_pass"), mstest.password())
    check_equal(values.get("real_name"), "Alice Example")
    accounts, _ = find("neomutt")
    incoming = server(accounts[main_rc], "incoming")
    check_equal((incoming.get("hostname"), incoming.get("security")), ("localhost", "SSL"))

    # neomutt in a terminal opens the repaired folder: dovecot sees alice log in.
    login = f"Login: user=<{user}>"
    before = open(env("MS_TEST_DOVECOT_LOG"), errors="replace").read().count(login)
    tmux = ["tmux", "-L", f"ms-accounts-neomutt-{os.getpid()}"]
    try:
        run(tmux + ["new-session", "-d", "-x", "200", "-y", "50", "neomutt"],
            env=dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8"))
        mstest.wait_for_log(env("MS_TEST_DOVECOT_LOG"), login, after=before)
    finally:
        run(tmux + ["kill-server"], check=False)


def aerc_running():
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and open(f"/proc/{pid}/comm").read().strip() == "aerc":
                return True
        except OSError:
            pass
    return False


@test("aerc: refused while aerc runs; after the repair aerc connects to dovecot with the repaired account")
def t_aerc():
    need("aerc", "aerc")
    need("tmux", "tmux")
    user = env("MS_TEST_USER")
    path = os.path.join(CONFIG, "aerc", "accounts.conf")
    user_escaped = user.replace("@", "%40")
    other = f"""[Other]
source          = imap://{env("MS_TEST_USER2").replace("@", "%40")}@localhost:{env("MS_TEST_IMAP_PORT")}
source-cred-cmd = cat {env("MS_TEST_PASSWORD2_FILE")}
outgoing        = /usr/sbin/sendmail
default         = INBOX
from            = Bob <{env("MS_TEST_USER2")}>
"""
    write(path, f"""[Charter]
source            = imap+insecure://{user_escaped}@IMAP.charter.net:143
source-cred-cmd   = cat {env("MS_TEST_PASSWORD_FILE")}
outgoing          = smtp+insecure://{user_escaped}@smtp.charter.net:25
outgoing-cred-cmd = cat {env("MS_TEST_PASSWORD_FILE")}
default           = INBOX
from              = "Alice Example" <{user}>
copy-to           = Sent

""" + other)
    accounts, _ = find("aerc")
    check_equal(sorted(accounts), ["Charter", "Other"])
    check_equal(server(accounts["Charter"], "incoming").get("security"), "plain")

    socket = f"ms-accounts-aerc-{os.getpid()}"
    aerc_env = dict(os.environ, SSL_CERT_FILE=env("MS_TEST_CA_FILE"), TERM="xterm-256color", LANG="C.UTF-8")
    tmux = ["tmux", "-L", socket]
    try:
        run(tmux + ["new-session", "-d", "-x", "200", "-y", "50", "aerc"], env=aerc_env)
        mstest.wait_until(aerc_running, "aerc to start")
        refused = repair("aerc", "Charter", check_rc=False)
        check_equal(refused.returncode, 3)
        check("aerc is open" in refused.stderr, refused.stderr)
        run(tmux + ["kill-server"], check=False)
        mstest.wait_until(lambda: not aerc_running(), "aerc to quit")

        repair("aerc", "Charter")
        text = open(path).read()
        check(text.endswith("\n" + other), f"the other account changed:\n{text}")
        check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "accounts.conf lost its private mode")
        run(tmux + ["new-session", "-d", "-x", "200", "-y", "50", "aerc"], env=aerc_env)
        screen = mstest.poll(lambda: run(tmux + ["capture-pane", "-p"]).stdout,
                             lambda screen: "[Charter] Connected" in screen)
        check("[Charter] Connected" in screen, f"aerc did not connect with the repaired account:\n{screen}")
    finally:
        run(tmux + ["kill-server"], check=False)


def main():
    mstest.require_root("the mail servers of run-with-mail-servers")
    check(os.access(DRIVER, os.X_OK), f"no accounts-driver at {DRIVER!r}")
    return mstest.main()


if __name__ == "__main__":
    sys.exit(main())
