#!/usr/bin/env python3
# test-repair-programs.py: issue 11 end to end, program by program, through the mail-setup command line only
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix) and
run-with-keyring (a private D-Bus session, keyring, HOME and XDG folders).

For every program (Thunderbird, Evolution, Geary, GOA, msmtp, mbsync,
neomutt, aerc) a configuration made the way that program makes it holds a
broken Charter-like account and the person's other account: Thunderbird's
profile made by the real headless Thunderbird (created once, copied for
each test) with the accounts' prefs; Evolution's sources written by the real
evolution-source-registry; GOA's accounts by goa-daemon's AddAccount; the
others as their manuals show. A provider file with Charter's id (the
override a user's file gives, data/providers/README.md) points Charter's
Mobile and Desktop profiles and its retired servers at the harness's
servers, so the doctor knows them as Charter's. Then, only through the
command line: `accounts --json` lists the account, `doctor ADDRESS --json`
finds the fault with its code and exits 1, `repair ADDRESS --program P
--yes` fixes it, the real program reads the repaired account (and logs in
where it can without a person: the real Geary, on the harness's Xvfb, and
Evolution's mail backend, Camel, log in to dovecot with the repaired
account and its keyring password), the other account's bytes are unchanged
and `repair --undo` puts the original bytes back.

Each program carries one of Charter's cases: the Desktop settings off
Charter's network (SMTP refusing with 571 E1110), the retired plain-text
servers, the bare username, STARTTLS set on mobile.charter.net:587 (which
speaks implicit TLS), 465 and 587 mixed up. Only Charter's "571 ... E1110"
comes from the scripted server (tests/harness/scripted-server.py): no real
server gives that reply. The mix-up needs the port number 465 itself, so a
forwarder passes 127.0.0.1:465 byte for byte to the real postfix's
implicit-TLS port. Passwords kept in the keyring by host (msmtp, Geary)
must follow the repair, and the undo removes the copy. Output is TAP.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, check_equal, check_in, env, need, test  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTED_SERVER = os.path.join(HERE, "..", "harness", "scripted-server.py")
GNOME = os.path.join(HERE, "test-repair-programs-gnome.py")
SYSTEM_PYTHON = "/usr/bin/python3"
ADDRESS = "alice@test.example"
BARE = "alice"  # Charter's "jsmith" for jsmith@charter.net
# Mobile's host: a name, as mobile.charter.net is (mbsync does not match
# a certificate's IP address); the good certificate names localhost.
MOBILE = "localhost"
TB_TEMPLATE = tempfile.mkdtemp(prefix="ms-e2e-thunderbird-")

# Charter's id with its profiles and retired servers on the harness's
# servers: Mobile = IMAPS and SMTP over implicit TLS (Charter's 587);
# Desktop = the plain-text IMAP listener and a plain SMTP port, no login;
# retired = the same plain servers.
PROVIDER = """<clientConfig version="1.1" xmlns:ms="https://mailsetup.github.io/ns/profiles/1">
<emailProvider id="charter.net"><domain>test.example</domain>
<displayName>Charter Spectrum (test servers)</displayName><ms:usernameIsAddress/>
<ms:profile id="mobile" recommended="true"><ms:name>Mobile</ms:name>
<incomingServer type="imap"><hostname>{mobile}</hostname><port>{imaps}</port>
<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
<incomingServer type="pop3"><hostname>{mobile}</hostname><port>{pop3s}</port>
<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>{mobile}</hostname><port>{submissions}</port>
<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer></ms:profile>
<ms:profile id="desktop"><ms:name>Desktop</ms:name>
<ms:restriction>Works only on the provider's network.</ms:restriction>
<incomingServer type="imap"><hostname>{plain_host}</hostname><port>{plain_port}</port>
<socketType>plain</socketType><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>127.0.0.1</hostname><port>{smtp}</port>
<socketType>plain</socketType><authentication>client-IP-address</authentication></outgoingServer>
</ms:profile>
<ms:retired><incomingServer type="imap"><hostname>{plain_host}</hostname><port>{plain_port}</port>
<socketType>plain</socketType></incomingServer>
<incomingServer type="pop3"><hostname>127.0.0.1</hostname><port>{pop3}</port>
<socketType>plain</socketType></incomingServer>
<outgoingServer type="smtp"><hostname>127.0.0.1</hostname><port>{smtp}</port>
<socketType>plain</socketType></outgoingServer></ms:retired>
</emailProvider></clientConfig>
"""


def ports():
    return dict(host="127.0.0.1", mobile=MOBILE, imaps=env("MS_TEST_IMAPS_PORT"), imap=env("MS_TEST_IMAP_PORT"),
                pop3=env("MS_TEST_POP3_PORT"), pop3s=env("MS_TEST_POP3S_PORT"),
                submissions=env("MS_TEST_SUBMISSIONS_PORT"), submission=env("MS_TEST_SUBMISSION_PORT"),
                plain_host=env("MS_TEST_PLAIN_IMAP_HOST"), plain_port=env("MS_TEST_PLAIN_IMAP_PORT"),
                smtp=env("MS_TEST_SMTP_PORT"), ca=env("MS_TEST_CA_FILE"),
                pw=env("MS_TEST_PASSWORD_FILE"), pw2=env("MS_TEST_PASSWORD2_FILE"),
                user=ADDRESS, user2=env("MS_TEST_USER2"))


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.chmod(path, mode)


class Home:
    """The person's home: a made-up one, or the session's (where the
    registry and goa-daemon of run-with-keyring read)."""

    def __init__(self, session=False, smtp=None):
        if session:
            self.root, self.owned = os.environ["HOME"], False
            self.config = os.environ["XDG_CONFIG_HOME"]
            self.data = os.environ["XDG_DATA_HOME"]
        else:
            self.root, self.owned = tempfile.mkdtemp(prefix="ms-e2e-home-"), True
            self.config = os.path.join(self.root, ".config")
            self.data = os.path.join(self.root, ".local", "share")
        self.state = os.path.join(self.root, ".local", "state")
        os.makedirs(self.data, exist_ok=True)
        values = dict(ports(), smtp=smtp or env("MS_TEST_SMTP_PORT"))
        write(os.path.join(self.config, "mail-setup", "providers", "charter.net.xml"),
              PROVIDER.format(**values), 0o644)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def env(self, **extra):
        environment = dict(os.environ, HOME=self.root, XDG_CONFIG_HOME=self.config,
                           XDG_DATA_HOME=self.data, XDG_STATE_HOME=self.state,
                           LANGUAGE="", LC_ALL="C.UTF-8", **extra)
        if os.environ.get("MS_TEST_PROGRAM_G_DEBUG"):
            environment["G_DEBUG"] = os.environ["MS_TEST_PROGRAM_G_DEBUG"]
        return environment

    def mail_setup(self, *args, password=False):
        argv = list(args)
        if password:
            argv += ["--password-stdin"]
        return mstest.mail_setup(argv, env=self.env(), check=False, timeout=120,
                                 input=mstest.password() if password else None)

    def run(self, argv, **kwargs):
        kwargs.setdefault("check", False)
        kwargs.setdefault("timeout", 60)
        return mstest.run(argv, cwd=self.root, env=self.env(), start_new_session=True, **kwargs)

    def cleanup(self):
        if self.owned:
            shutil.rmtree(self.root, ignore_errors=True)


def failed_logins():
    """Failed logins the real servers logged so far, per server: dovecot's
    "Disconnected (auth failed, N attempts)" by its login service, postfix's
    "SASL ... authentication failed"."""
    dovecot = open(env("MS_TEST_DOVECOT_LOG"), errors="replace").read()
    postfix = open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read()
    found = {service: sum(int(n) for n in re.findall(service + r"-login: .*auth failed, (\d+) attempts", dovecot))
             for service in ("imap", "pop3")}
    found["smtp"] = len(re.findall(r"SASL \S+ authentication failed", postfix))
    return found


def at_most_one_failed_login(before, action):
    """The product's rule: at most one failed login per server per action
    (Charter locks an account after a few)."""
    after = failed_logins()
    for server, count in after.items():
        check(count - before[server] <= 1, f"{action}: {count - before[server]} failed logins on {server}")


def codes(entry):
    return {f["code"] for f in entry["findings"]}


class Repair:
    """One account's way through the command line."""

    def __init__(self, home, program, files, key=None):
        self.home, self.program, self.files, self.key = home, program, files, key
        self.original = {path: read_bytes(path) for path in files}

    def listed(self):
        proc = self.home.mail_setup("accounts", "--json")
        check_equal(proc.returncode, 0, proc.stderr)
        found = [a for a in json.loads(proc.stdout)["accounts"]
                 if a["program"] == self.program and a["address"] == ADDRESS
                 and (self.key is None or a["key"] == self.key)]
        check_equal(len(found), 1, f"accounts --json lists the {self.program} account once: {proc.stdout}")
        self.account = found[0]
        return self.account

    def diagnosed(self, *expected):
        before = failed_logins()
        proc = self.home.mail_setup("doctor", ADDRESS, "--json", "--ca-file", env("MS_TEST_CA_FILE"),
                                    password=True)
        check_equal(proc.returncode, 1, f"doctor exits 1 for a broken account: {proc.stderr}")
        check(mstest.password() not in proc.stdout + proc.stderr, "doctor shows the password")
        at_most_one_failed_login(before, "doctor")
        entries = [e for e in json.loads(proc.stdout)["accounts"] if e["account"]["id"] == self.account["id"]]
        check_equal(len(entries), 1, proc.stdout)
        found = codes(entries[0])
        for code in expected:
            check_in(code, found, f"doctor's findings for {self.program}: {proc.stdout}")
        return entries[0]

    def repaired(self, *extra):
        argv = ["repair", ADDRESS, "--program", self.program, "--yes", "--ca-file", env("MS_TEST_CA_FILE")]
        if self.key is not None:
            argv += ["--account", self.account["id"]]
        before = failed_logins()
        proc = self.home.mail_setup(*argv, *extra, password=True)
        at_most_one_failed_login(before, "repair")
        check_equal(proc.returncode, 0, f"repair: stdout: {proc.stdout}\nstderr: {proc.stderr}")
        check(mstest.password() not in proc.stdout + proc.stderr, "repair shows the password")
        check_in("--undo", proc.stdout, "the undo command is shown")
        check(any(read_bytes(p) != self.original[p] for p in self.files), f"repair changed no file: {proc.stdout}")
        return proc

    def undone(self):
        proc = self.home.mail_setup("repair", ADDRESS, "--program", self.program, "--undo")
        check_equal(proc.returncode, 0, f"undo: {proc.stdout}\n{proc.stderr}")
        for path in self.files:
            check(read_bytes(path) == self.original[path], f"undo did not restore {path} byte for byte")


def untouched(snapshot):
    for path, before in snapshot.items():
        check(read_bytes(path) == before, f"the other account's {path} changed")


def lines_of(path, prefix):
    return [line for line in read_bytes(path).decode().splitlines(keepends=True) if line.startswith(prefix)]


# --- the scripted SMTP server: Charter's words off its network ------------

class RelayDenied:
    """Charter's SMTP.charter.net:25 as seen from outside Charter's network.
    Scripted because no real server gives "571 ... E1110" (postfix on
    loopback relays for its own network); the rest is the real servers."""

    SCRIPT = {"connections": 4, "steps": [
        {"send": "220 smtp.charter.net ESMTP\r\n"}, {"expect": "^EHLO "},
        {"send": "250-smtp.charter.net\r\n250 8BITMIME\r\n"},
        {"expect": "^MAIL FROM:"}, {"send": "250 OK\r\n"},
        {"expect": "^RCPT TO:"},
        {"send": "571 You must connect from Charter IP space. E1110\r\n"},
        {"expect": "^(RSET|QUIT)"}, {"send": "250 OK\r\n"},
        {"expect": "^QUIT", "timeout": 5}, {"send": "221 bye\r\n"}]}

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ms-e2e-scripted-")
        script = os.path.join(self.dir, "script.json")
        with open(script, "w") as f:
            json.dump(self.SCRIPT, f)
        self.record = os.path.join(self.dir, "record")
        self.proc = subprocess.Popen([sys.executable, SCRIPTED_SERVER, script, "--record", self.record,
                                      "--timeout", "60"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        check(line.startswith("PORT "), f"scripted server: {line!r} {self.proc.stderr.read() if not line else ''}")
        self.port = line.split()[1]

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        received = open(self.record, errors="replace").read() if os.path.exists(self.record) else ""
        shutil.rmtree(self.dir, ignore_errors=True)
        return received


# --- a transparent forwarder: a real server on Charter's port number ---------

class Forwarder:
    """127.0.0.1:PORT (465 or 587, the port numbers the mix-up is about)
    forwarding to one of the real postfix's ports, bytes unchanged: the
    harness's servers listen on free ports, and only these numbers make 465
    and 587 mixed up."""

    def __init__(self, port, target):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.listener.bind(("127.0.0.1", port))
        except OSError as error:
            raise mstest.Failure(f"127.0.0.1:{port} is taken ({error}); the mix-up case needs that port number")
        self.listener.listen(8)
        self.target = int(target)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    @staticmethod
    def pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        self.listener.close()


def postfix_logins(user=ADDRESS):
    return open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read().count("sasl_username=" + user)


def dovecot_logins(user=ADDRESS):
    return open(env("MS_TEST_DOVECOT_LOG"), errors="replace").read().count(f"Login: user=<{user}>")


# --- msmtp: 465 and 587 mixed up ---------------------------------------------

MSMTP_OTHER = """# bob's account, which works
account other
host 127.0.0.1
port {submission}
tls on
tls_starttls on
from {user2}
user {user2}
passwordeval "cat {pw2}"
"""


@test("msmtp: STARTTLS set on 465 (mixed up with 587): ports-mixed-up; repaired, msmtp -P reads it and sends")
def t_msmtp():
    need("msmtp", "msmtp")
    home, forwarder = Home(), Forwarder(465, env("MS_TEST_SUBMISSIONS_PORT"))
    try:
        path = home.path(".msmtprc")
        head = """# Set default values for all following accounts.
defaults
auth           on
tls_trust_file {ca}
logfile        ~/.msmtp.log
# a STARTTLS client on an implicit-TLS port waits for a greeting
timeout        5

account        charter
host           127.0.0.1
port           465
tls            on
tls_starttls   on
from           {user}
user           {user}
passwordeval   "cat {pw}"

""".format(**ports())
        other = MSMTP_OTHER.format(**ports()) + "\naccount default : charter\n"
        write(path, head + other)
        flow = Repair(home, "msmtp", [path])
        flow.listed()
        check(home.run(["msmtp", "-a", "charter", "--serverinfo"]).returncode != 0, "msmtp fails as it is")
        flow.diagnosed("ports-mixed-up")
        flow.repaired()
        text = read_bytes(path).decode()
        check(text.endswith(other), f"the other account changed:\n{text}")
        values = dict(line.split(" = ", 1) for line in home.run(["msmtp", "-P", "-a", "charter"]).stdout.splitlines()
                      if " = " in line)
        check_equal((values.get("host"), values.get("port"), values.get("tls"), values.get("tls_starttls")),
                    (MOBILE, env("MS_TEST_SUBMISSIONS_PORT"), "on", "off"))
        before = postfix_logins()
        sent = home.run(["msmtp", "-a", "charter", ADDRESS],
                        input=f"From: {ADDRESS}\nTo: {ADDRESS}\nSubject: repaired\n\nhi\n")
        check_equal(sent.returncode, 0, sent.stderr)
        check(postfix_logins() > before, "postfix saw no login from the repaired account")
        flow.undone()
    finally:
        forwarder.stop()
        home.cleanup()



def secret_lookup(*attributes):
    proc = mstest.run(["secret-tool", "lookup"] + list(attributes), check=False, timeout=30)
    return proc.stdout if proc.returncode == 0 else None


def secret_store(label, *attributes):
    mstest.run(["secret-tool", "store", "--label", label] + list(attributes), input=mstest.password(), timeout=30)


@test("msmtp with its password in the keyring (host, service, user): after the repair changes the host, msmtp finds it and sends")
def t_msmtp_keyring():
    need("msmtp", "msmtp")
    need("secret-tool", "libsecret-tools")
    home = Home()
    try:
        path = home.path(".msmtprc")
        # msmtp's manual: secret-tool store --label=msmtp host H service smtp user U
        secret_store("msmtp", "host", "127.0.0.1", "service", "smtp", "user", ADDRESS)
        write(path, """defaults
tls_trust_file {ca}
timeout 5

account charter
host 127.0.0.1
port {submissions}
tls on
tls_starttls on
auth on
from {user}
user {user}

""".format(**ports()) + MSMTP_OTHER.format(**ports()))
        flow = Repair(home, "msmtp", [path], key="charter")
        flow.listed()
        check_equal(flow.account["outgoing_password"], "keyring")
        flow.diagnosed("security-mismatch")
        flow.repaired()
        copied = secret_lookup("host", MOBILE, "service", "smtp", "user", ADDRESS)
        kept = secret_lookup("host", "127.0.0.1", "service", "smtp", "user", ADDRESS)
        before = postfix_logins()
        sent = home.run(["msmtp", "-a", "charter", ADDRESS], input=f"From: {ADDRESS}\nSubject: keyring\n\nhi\n")
        logged_in = postfix_logins() > before
        # The files are put back whatever the keyring did; then the keyring's part.
        flow.undone()
        removed = secret_lookup("host", MOBILE, "service", "smtp", "user", ADDRESS) is None
        check_equal(copied, mstest.password(), "the password follows the repair to the new host")
        check_equal(kept, mstest.password(), "the old item is kept until the undo")
        check_equal(sent.returncode, 0, sent.stderr)
        check(logged_in, "postfix saw no login from msmtp with the keyring's password")
        check(removed, "the undo removes the copy")
    finally:
        home.cleanup()


# --- mbsync: the retired plain-text server -----------------------------------

MBSYNC = """IMAPAccount charter
# what Charter's page said years ago: IMAP.charter.net 143, no encryption
Host {plain_host}
Port {plain_port}
User {user}
PassCmd "cat {pw}"
SSLType None
CertificateFile {ca}

IMAPStore charter-remote
Account charter

MaildirStore charter-local
Path ~/Mail/charter/
Inbox ~/Mail/charter/INBOX

Channel charter
Far :charter-remote:
Near :charter-local:
Patterns INBOX
Create Near
SyncState *

"""
MBSYNC_OTHER = """IMAPAccount other
Host 127.0.0.1
Port {imap}
User {user2}
PassCmd "cat {pw2}"
SSLType STARTTLS
CertificateFile {ca}

IMAPStore other-remote
Account other

MaildirStore other-local
Path ~/Mail/other/
Inbox ~/Mail/other/INBOX

Channel other
Far :other-remote:
Near :other-local:
Patterns INBOX
Create Near
SyncState *
"""


@test("mbsync: the retired plain-text IMAP server: server-retired, insecure-settings; repaired, mbsync syncs")
def t_mbsync():
    need("mbsync", "isync")
    home = Home()
    try:
        path = home.path(".mbsyncrc")
        other = MBSYNC_OTHER.format(**ports())
        write(path, MBSYNC.format(**ports()) + other)
        for name in ("charter", "other"):
            os.makedirs(home.path("Mail", name), exist_ok=True)
        flow = Repair(home, "mbsync", [path])
        flow.listed()
        flow.diagnosed("server-retired", "insecure-settings")
        flow.repaired()
        text = read_bytes(path).decode()
        check(text.endswith("\n\n" + other), f"the other account changed:\n{text}")
        before = dovecot_logins()
        proc = home.run(["mbsync", "charter"])
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        check(os.path.isdir(home.path("Mail", "charter", "INBOX", "cur")), "mbsync made no INBOX")
        check(dovecot_logins() > before, "dovecot saw no login from mbsync")
        flow.undone()
    finally:
        home.cleanup()


# --- neomutt: STARTTLS on Charter's implicit-TLS 587 ---------------------------

@test("neomutt: STARTTLS set on mobile.charter.net:587 (implicit TLS): security-mismatch; repaired, neomutt -Q and a login")
def t_neomutt():
    need("neomutt", "neomutt")
    need("tmux", "tmux")
    home = Home()
    tmux = ["tmux", "-L", f"ms-e2e-neomutt-{os.getpid()}"]
    try:
        main_rc = os.path.join(home.config, "neomutt", "neomuttrc")
        account_rc = os.path.join(home.config, "neomutt", "charter.rc")
        main_text = f"""# ~/.config/neomutt/neomuttrc
set real_name = "Alice Example"
set from = "{ADDRESS}"
source ~/.config/neomutt/charter.rc   # the mail account
set sort = threads
"""
        write(main_rc, main_text)
        write(account_rc, """set folder = "imaps://alice%40test.example@{mobile}:{imaps}/"
set spoolfile = "+INBOX"
set imap_pass = "`cat {pw}`"
set smtp_url = "smtp://alice%40test.example@{mobile}:{submissions}/"
set smtp_pass = "`cat {pw}`"
set ssl_starttls = yes
set ssl_force_tls = yes
set ssl_ca_certificates_file = "{ca}"
mailboxes =INBOX
""".format(**ports()))
        flow = Repair(home, "neomutt", [main_rc, account_rc])
        flow.listed()
        flow.diagnosed("security-mismatch")
        flow.repaired()
        check_equal(read_bytes(main_rc).decode(), main_text, "neomuttrc changed")
        proc = home.run(["neomutt", "-Q", "folder", "-Q", "smtp_url", "-Q", "real_name"])
        values = {m.group(1): m.group(2) for m in re.finditer(r'^set (\w+) = "(.*)"$', proc.stdout, re.M)}
        check_equal(values.get("smtp_url"), f"smtps://alice%40test.example@{MOBILE}:{env('MS_TEST_SUBMISSIONS_PORT')}/",
                    proc.stdout + proc.stderr)
        check_equal(values.get("real_name"), "Alice Example")
        before = dovecot_logins()
        home.run(tmux + ["new-session", "-d", "-x", "200", "-y", "50", "neomutt"], check=True)
        mstest.wait_until(lambda: dovecot_logins() > before, "neomutt to log in to dovecot")
        home.run(tmux + ["kill-server"])
        flow.undone()
    finally:
        home.run(tmux + ["kill-server"])
        home.cleanup()


# --- aerc: the bare username ------------------------------------------------

AERC_OTHER = """[Other]
source          = imap://bob%40test.example@127.0.0.1:{imap}
source-cred-cmd = cat {pw2}
outgoing        = /usr/sbin/sendmail
default         = INBOX
from            = Bob <{user2}>
"""


def aerc_running(home):
    """Whether an aerc of HOME runs (by its environment, not its name alone:
    other suites may run their own aerc at the same time)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open(f"/proc/{pid}/comm").read().strip() != "aerc":
                continue
            if f"HOME={home.root}".encode() in open(f"/proc/{pid}/environ", "rb").read().split(b"\0"):
                return True
        except OSError:
            pass
    return False


@test("aerc: the bare username (jsmith): username-incomplete; repaired, aerc in tmux connects")
def t_aerc():
    need("aerc", "aerc")
    need("tmux", "tmux")
    home = Home()
    tmux = ["tmux", "-L", f"ms-e2e-aerc-{os.getpid()}"]
    aerc_env = dict(SSL_CERT_FILE=env("MS_TEST_CA_FILE"), TERM="xterm-256color", LANG="C.UTF-8")
    try:
        path = os.path.join(home.config, "aerc", "accounts.conf")
        other = AERC_OTHER.format(**ports())
        write(path, """[Charter]
source            = imaps://{bare}@{mobile}:{imaps}
source-cred-cmd   = cat {pw}
outgoing          = smtps://{bare}@{mobile}:{submissions}
outgoing-cred-cmd = cat {pw}
default           = INBOX
from              = "Alice Example" <{user}>
copy-to           = Sent

""".format(bare=BARE, **ports()) + other)
        flow = Repair(home, "aerc", [path])
        flow.listed()
        flow.diagnosed("username-incomplete")
        flow.repaired()
        text = read_bytes(path).decode()
        check(text.endswith("\n" + other), f"the other account changed:\n{text}")
        check_in(f"alice%40test.example@{MOBILE}", text, "the full address as the username")
        mstest.run(tmux + ["new-session", "-d", "-x", "200", "-y", "50", "aerc"], env=home.env(**aerc_env),
                   cwd=home.root)
        screen = mstest.poll(lambda: home.run(tmux + ["capture-pane", "-p"]).stdout,
                             lambda screen: "[Charter] Connected" in screen)
        check("[Charter] Connected" in screen, f"aerc did not connect:\n{screen}")
        home.run(tmux + ["kill-server"])
        mstest.wait_until(lambda: not aerc_running(home), "aerc to quit")
        flow.undone()
    finally:
        home.run(tmux + ["kill-server"])
        home.cleanup()



# --- Geary: the Desktop settings off Charter's network ---------------------------

# geary.ini as Geary 43 writes it (GLib.KeyFile; see test-accounts-gnome-programs.py).
GEARY_INI = """[Metadata]
version=1

[Account]
ordinal={ordinal}
label=
prefetch_days=14
save_drafts=true
save_sent=true
sender_mailboxes={mailbox};
service_provider=other

[Incoming]
login={login}
remember_password=true
host={in_host}
port={in_port}
transport_security={in_security}
credentials=custom

[Outgoing]
remember_password=true
host=127.0.0.1
port={out_port}
transport_security={out_security}
credentials={out_credentials}
"""


def gnome(*args, input=None):
    proc = mstest.run([SYSTEM_PYTHON, GNOME] + list(args), input=input, timeout=90, check=False)
    check_equal(proc.returncode, 0, proc.stderr)
    return json.loads(proc.stdout)


def dovecot_login_lines(user=ADDRESS):
    with open(env("MS_TEST_DOVECOT_LOG"), errors="replace") as f:
        return [line for line in f if f"imap-login: Info: Login: user=<{user}>" in line]


def geary_logs_in(account_dir, host):
    """The real Geary with the (repaired) account in ACCOUNT_DIR logs in to
    HOST's IMAPS as ADDRESS. Geary runs on a copy of that account alone in
    a home of its own: it rewrites geary.ini when it starts, after which the
    undo rightly refuses to put the old file back (it would lose Geary's
    change); and the other account, without a keyring item, would open a
    modal password prompt that geary --quit cannot close. The test CA
    is not the system's, so Geary would ask about the certificate; the test
    stands in for the person pressing "Always Trust" and writes what Geary 43
    then writes (its own pinned store, XDG_DATA_HOME/geary/pinned-certs/
    HOST.pem, application-certificate-manager.vala: GCR pinning is broken
    with gnome-keyring, GNOME/gcr#10), in the made-up home only. Geary runs
    without the tests' G_DEBUG, as on a desktop; its --debug output is kept
    for the failure message."""
    need("geary", "geary")
    need("stdbuf", "coreutils")
    copy = Home()
    try:
        shutil.copytree(account_dir, os.path.join(copy.config, "geary", os.path.basename(account_dir)))
        run_geary(copy, host)
    finally:
        copy.cleanup()


def run_geary(home, host):
    with open(env("MS_TEST_SSL_CERT_FILE")) as f:
        blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?", f.read(), re.S)
    check(blocks, "no certificate in MS_TEST_SSL_CERT_FILE")
    write(os.path.join(home.data, "geary", "pinned-certs", host + ".pem"), blocks[0])
    before = len(dovecot_login_lines())
    environment = home.env()
    environment.pop("G_DEBUG", None)
    log_path = home.path("geary.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["stdbuf", "-oL", "-eL", "geary", "--debug"], cwd=home.root, env=environment,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        logins = mstest.poll(lambda: dovecot_login_lines()[before:], bool, alive=proc)
        running = proc.poll() is None
    finally:
        quit = geary_quit(proc, environment)
    output = open(log_path, errors="replace").read()
    check(running, f"Geary exited {proc.returncode}:\n{output[-3000:]}")
    check(logins, f"no login by Geary in dovecot's log; Geary's output ends:\n{output[-3000:]}")
    check(", TLS," in logins[0], logins[0])
    check(mstest.password() not in output, "Geary's debug output holds the password")
    check(quit, "Geary did not quit on geary --quit within 30 s")


def geary_quit(proc, environment):
    """geary --quit (Geary's own way to close the running instance); whether
    Geary quit. One that stays is killed: the undo that follows is refused
    while Geary runs."""
    subprocess.run(["geary", "--quit"], env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=30, check=False)
    try:
        proc.wait(30)
        return True
    except subprocess.TimeoutExpired:
        mstest.stop_process_group(proc, grace=10)
        return False


def geary_show(path):
    """geary.ini read as Geary reads it (test-accounts-gnome-programs.py geary-show)."""
    proc = mstest.run([SYSTEM_PYTHON, os.path.join(HERE, "test-accounts-gnome-programs.py"), "geary-show", path],
                      timeout=60, check=False)
    check_equal(proc.returncode, 0, proc.stderr)
    return json.loads(proc.stdout)


@test("Geary: the Desktop settings off Charter's network (571 E1110): relay-denied; repaired, Geary reads Mobile and logs in")
def t_geary():
    scripted = RelayDenied()
    home = Home(smtp=scripted.port)
    try:
        broken = os.path.join(home.config, "geary", "account_01", "geary.ini")
        other = os.path.join(home.config, "geary", "account_02", "geary.ini")
        write(broken, GEARY_INI.format(ordinal=1, mailbox=f"Alice <{ADDRESS}>", login=ADDRESS,
                                       in_host=env("MS_TEST_PLAIN_IMAP_HOST"), in_port=env("MS_TEST_PLAIN_IMAP_PORT"),
                                       in_security="none", out_port=scripted.port, out_security="none",
                                       out_credentials="none"))
        write(other, GEARY_INI.format(ordinal=2, mailbox=f"Bob <{env('MS_TEST_USER2')}>", login=env("MS_TEST_USER2"),
                                      in_host="127.0.0.1", in_port=env("MS_TEST_IMAP_PORT"), in_security="start-tls",
                                      out_port=env("MS_TEST_SUBMISSION_PORT"), out_security="start-tls",
                                      out_credentials="use-incoming"))
        keep = {other: read_bytes(other)}
        # Geary's SecretMediator item for the incoming login (schema by name,
        # proto in capitals, the host and login of the service).
        geary_item = ["xdg:schema", "org.gnome.Geary", "proto", "IMAP", "login", ADDRESS]
        secret_store("Geary IMAP password", *geary_item, "host", env("MS_TEST_PLAIN_IMAP_HOST"))
        flow = Repair(home, "geary", [broken])
        flow.listed()
        entry = flow.diagnosed("relay-denied", "profile-wrong-for-computer", "insecure-settings")
        check_in("E1110", json.dumps(entry), "Charter's reply is shown")
        received = scripted.stop()
        check("DATA" not in received, f"the doctor sent a message to the scripted server: {received}")
        flow.repaired()
        untouched(keep)
        shown = geary_show(broken)
        check_equal(shown["Incoming"], {"host": MOBILE, "port": int(env("MS_TEST_IMAPS_PORT")), "login": ADDRESS,
                                        "transport_security": "transport", "credentials": "custom"})
        check_equal((shown["Outgoing"]["host"], shown["Outgoing"]["port"], shown["Outgoing"]["transport_security"]),
                    (MOBILE, int(env("MS_TEST_SUBMISSIONS_PORT")), "transport"))
        check(shown["Outgoing"]["credentials"] in ("use-incoming", "custom"), shown)
        copied = secret_lookup(*geary_item, "host", MOBILE)
        geary_logs_in(os.path.dirname(broken), MOBILE)
        flow.undone()
        check_equal(copied, mstest.password(), "Geary's password follows the repair to the new host")
        check_equal(secret_lookup(*geary_item, "host", MOBILE), None, "the undo removes the copy")
    finally:
        scripted.stop()
        home.cleanup()


# --- Evolution: the retired plain-text servers and the bare username ---------------

def evolution_logs_in(uid):
    """Evolution's mail backend (Camel's IMAP store, configured from the
    repaired source and its keyring password the way Evolution's mail
    session does) logs in to dovecot over TLS as ADDRESS."""
    before = len(dovecot_login_lines())
    login = gnome("camel-login", uid, env("MS_TEST_SSL_CERT_FILE"))
    check_equal((login["host"], login["port"], login["user"], login["security"]),
                (MOBILE, int(env("MS_TEST_IMAPS_PORT")), ADDRESS, "ssl-on-alternate-port"),
                f"Camel's settings from the repaired source: {login}")
    check(login["password_found"], f"no keyring password for the source: {login}")
    check_equal((login["status"], login["error"]), ("connected", None), f"Camel: {login}")
    check_equal(login["trust_prompts"], [True], "Camel asked once, about the harness's certificate")
    logins = mstest.wait_until(lambda: dovecot_login_lines()[before:], "Camel's login in dovecot's log")
    check(", TLS," in logins[0], logins[0])


@test("Evolution: retired plain servers, bare username: server-retired, username-incomplete; the registry reads the repair, Camel logs in")
def t_evolution():
    if not os.path.exists(SYSTEM_PYTHON):
        raise mstest.Failure(f"{SYSTEM_PYTHON} with gir1.2-edataserver-1.2 is needed")
    home = Home(session=True)
    uids = gnome("eds-create", input=json.dumps({
        "broken": ["Alice", "imapx", env("MS_TEST_PLAIN_IMAP_HOST"), int(env("MS_TEST_PLAIN_IMAP_PORT")), BARE,
                   "none", ADDRESS, "127.0.0.1", int(env("MS_TEST_SMTP_PORT")), "", "none"],
        "other": ["Bob", "imapx", "127.0.0.1", int(env("MS_TEST_IMAP_PORT")), env("MS_TEST_USER2"),
                  "starttls-on-standard-port", env("MS_TEST_USER2"), "127.0.0.1",
                  int(env("MS_TEST_SUBMISSION_PORT")), env("MS_TEST_USER2"), "starttls-on-standard-port"]}))
    sources = os.path.join(home.config, "evolution", "sources")
    broken, other = uids["broken"], uids["other"]
    for uid in list(broken.values()) + list(other.values()):
        mstest.wait_for_file(os.path.join(sources, uid + ".source"))
    keep = {os.path.join(sources, uid + ".source"): None for uid in list(other.values()) + [broken["identity"]]}
    keep = {path: read_bytes(path) for path in keep}
    files = [os.path.join(sources, broken[k] + ".source") for k in ("account", "transport")]
    # The password where Evolution keeps it: under the account source's UID.
    gnome("eds-password", broken["account"], input=mstest.password())
    flow = Repair(home, "evolution", files, key=broken["account"])
    flow.listed()
    flow.diagnosed("server-retired", "insecure-settings", "username-incomplete")
    flow.repaired()
    untouched(keep)
    wanted = {
        broken["account"]: {"host": MOBILE, "port": int(env("MS_TEST_IMAPS_PORT")), "user": ADDRESS,
                            "security": "ssl-on-alternate-port"},
        broken["transport"]: {"host": MOBILE, "port": int(env("MS_TEST_SUBMISSIONS_PORT")), "user": ADDRESS,
                              "security": "ssl-on-alternate-port"},
        other["account"]: {"host": "127.0.0.1", "port": int(env("MS_TEST_IMAP_PORT")),
                           "security": "starttls-on-standard-port"}}

    def matches(shown):
        return all(shown.get(uid) is not None and all(shown[uid].get(k) == v for k, v in want.items())
                   for uid, want in wanted.items())
    shown = mstest.poll(lambda: gnome("eds-show", *wanted), matches)
    check(matches(shown), f"libedataserver reads {shown}")
    evolution_logs_in(broken["account"])
    flow.undone()



@test("Evolution: the retired pop.charter.net:110 without encryption: repaired to Mobile's POP3 over TLS (the same kind of account)")
def t_evolution_pop():
    home = Home(session=True)
    uids = gnome("eds-create", input=json.dumps({
        "broken": ["Alice POP", "pop", "127.0.0.1", int(env("MS_TEST_POP3_PORT")), ADDRESS, "none", ADDRESS,
                   "127.0.0.1", int(env("MS_TEST_SMTP_PORT")), "", "none"],
        "other": ["Bob POP", "pop", "127.0.0.1", int(env("MS_TEST_POP3S_PORT")), env("MS_TEST_USER2"),
                  "ssl-on-alternate-port", env("MS_TEST_USER2"), MOBILE, int(env("MS_TEST_SUBMISSIONS_PORT")),
                  env("MS_TEST_USER2"), "ssl-on-alternate-port"]}))
    sources = os.path.join(home.config, "evolution", "sources")
    broken = uids["broken"]
    for uid in list(broken.values()) + list(uids["other"].values()):
        mstest.wait_for_file(os.path.join(sources, uid + ".source"))
    keep = {path: read_bytes(path) for path in (os.path.join(sources, uid + ".source")
                                                for uid in list(uids["other"].values()) + [broken["identity"]])}
    files = [os.path.join(sources, broken[k] + ".source") for k in ("account", "transport")]
    flow = Repair(home, "evolution", files, key=broken["account"])
    flow.listed()
    entry = flow.diagnosed("server-retired", "insecure-settings")
    incoming = (entry.get("recommended") or {}).get("incoming") or {}
    # A POP account stays a POP account: Charter's Mobile has POP3 on 995.
    check_equal((incoming.get("type") or incoming.get("protocol"), incoming.get("port")),
                ("pop3", int(env("MS_TEST_POP3S_PORT"))), f"the tested settings for a POP account: {entry}")
    flow.repaired()
    untouched(keep)
    want = {"host": MOBILE, "port": int(env("MS_TEST_POP3S_PORT")), "security": "ssl-on-alternate-port",
            "backend": "pop"}
    shown = mstest.poll(lambda: gnome("eds-show", broken["account"]),
                        lambda shown: all((shown.get(broken["account"]) or {}).get(k) == v for k, v in want.items()))
    check_equal({k: (shown.get(broken["account"]) or {}).get(k) for k in want}, want, "libedataserver reads")
    flow.undone()


# --- GOA: STARTTLS on Charter's implicit-TLS 587 -----------------------------------

def goa_group(text, key):
    start = text.index(f"[Account {key}]")
    end = text.find("\n[", start + 1)
    return text[start:] if end < 0 else text[start:end + 1]


@test("GNOME Online Accounts: STARTTLS set on 587 that speaks implicit TLS: security-mismatch; goa-daemon serves the repair")
def t_goa():
    if not os.path.exists("/usr/libexec/goa-daemon"):
        raise mstest.Failure("goa-daemon is missing: install the Debian package gnome-online-accounts")
    home = Home(session=True)
    p = ports()
    ids = gnome("goa-add", input=json.dumps({"password": mstest.password(), "accounts": [
        ["broken", ADDRESS, {"ImapHost": f"{MOBILE}:{p['imaps']}", "ImapUserName": ADDRESS, "ImapUseSsl": "true",
                             "ImapUseTls": "false", "SmtpHost": f"{MOBILE}:{p['submissions']}", "SmtpUseAuth": "true",
                             "SmtpUserName": ADDRESS, "SmtpAuthPlain": "true", "SmtpUseSsl": "false",
                             "SmtpUseTls": "true"}],
        ["other", p["user2"], {"ImapHost": f"127.0.0.1:{p['imap']}", "ImapUserName": p["user2"], "ImapUseSsl": "false",
                               "ImapUseTls": "true", "SmtpHost": f"127.0.0.1:{p['submission']}", "SmtpUseAuth": "true",
                               "SmtpUserName": p["user2"], "SmtpAuthPlain": "true", "SmtpUseSsl": "false",
                               "SmtpUseTls": "true"}]]}))
    path = os.path.join(home.config, "goa-1.0", "accounts.conf")
    flow = Repair(home, "goa", [path], key=ids["broken"])
    flow.listed()
    flow.diagnosed("security-mismatch")
    before = read_bytes(path).decode()
    flow.repaired()
    after = read_bytes(path).decode()
    check_equal(goa_group(after, ids["other"]), goa_group(before, ids["other"]), "the other account's group changed")
    check(mstest.password() not in after, "accounts.conf holds the password")
    want = {"ImapHost": f"{MOBILE}:{p['imaps']}", "ImapUseSsl": True, "SmtpHost": f"{MOBILE}:{p['submissions']}",
            "SmtpUseSsl": True, "SmtpUseTls": False, "SmtpUserName": ADDRESS}
    mail = mstest.poll(lambda: gnome("goa-show"),
                       lambda m: all(m.get(ids["broken"], {}).get(k) == v for k, v in want.items()))
    for key, value in want.items():
        check_equal(mail[ids["broken"]][key], value, f"goa-daemon's {key}")
    check_equal(mail[ids["other"]]["SmtpUseTls"], True)
    check_equal(gnome("goa-password", ids["broken"], "imap-password", input=mstest.password()), {"matches": True})
    flow.undone()



# --- Thunderbird: the retired plain servers with the bare username -----------------

TB_ENV = dict(MOZ_HEADLESS="1")


def thunderbird_template():
    """One profile made by the real Thunderbird (created, started once,
    closed), shared: each test copies its ~/.thunderbird."""
    root = os.path.join(TB_TEMPLATE, ".thunderbird")
    if os.path.exists(os.path.join(root, "profiles.ini")):
        return root
    need("thunderbird", "thunderbird")
    environment = dict(os.environ, HOME=TB_TEMPLATE, **TB_ENV)
    mstest.run(["thunderbird", "--headless", "--createprofile", "default"], timeout=120, env=environment)
    profile = thunderbird_profile(TB_TEMPLATE)
    run_thunderbird(environment, profile, lambda text: "mail.ui-rdf.version" in text, "Thunderbird's first prefs.js")
    return root


def thunderbird_profile(root):
    ini = mstest.read_text(os.path.join(root, ".thunderbird", "profiles.ini"))
    folder = [line.split("=", 1)[1] for line in ini.splitlines() if line.startswith("Path=")][0]
    return os.path.join(root, ".thunderbird", folder)


def start_thunderbird(environment, profile):
    if os.path.islink(os.path.join(profile, "lock")):
        os.unlink(os.path.join(profile, "lock"))  # left by a Thunderbird stopped by a signal
    return subprocess.Popen(["thunderbird", "--headless", "-profile", profile], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=environment, start_new_session=True)


def run_thunderbird(environment, profile, ready, what):
    prefs = os.path.join(profile, "prefs.js")
    proc = start_thunderbird(environment, profile)
    try:
        mstest.wait_until(lambda: os.path.exists(prefs) and ready(mstest.read_text(prefs)), what,
                          interval=0.2, alive=proc)
    finally:
        mstest.stop_process_group(proc)
    return mstest.read_text(prefs)


def pref(text, name):
    value = None
    for line in text.splitlines():
        if line.startswith(f'user_pref("{name}", '):
            value = json.loads(line[len(f'user_pref("{name}", '):-2])
    return value


def thunderbird_accounts(p):
    """What Thunderbird's account wizard writes, in its own names: alice
    with the retired plain servers and the bare username, bob working."""
    return {
        "mail.account.account1.identities": "id1", "mail.account.account1.server": "server1",
        "mail.account.account2.identities": "id2", "mail.account.account2.server": "server2",
        "mail.accountmanager.accounts": "account1,account2",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.identity.id1.fullName": "Alice", "mail.identity.id1.useremail": ADDRESS,
        "mail.identity.id1.smtpServer": "smtp1", "mail.identity.id1.valid": True,
        "mail.identity.id2.fullName": "Bob", "mail.identity.id2.useremail": p["user2"],
        "mail.identity.id2.smtpServer": "smtp2", "mail.identity.id2.valid": True,
        "mail.server.server1.hostname": p["plain_host"], "mail.server.server1.name": ADDRESS,
        "mail.server.server1.port": int(p["plain_port"]), "mail.server.server1.socketType": 0,
        "mail.server.server1.type": "imap", "mail.server.server1.userName": BARE,
        "mail.server.server2.hostname": "127.0.0.1", "mail.server.server2.name": p["user2"],
        "mail.server.server2.port": int(p["imap"]), "mail.server.server2.socketType": 2,
        "mail.server.server2.type": "imap", "mail.server.server2.userName": p["user2"],
        "mail.smtp.defaultserver": "smtp1", "mail.smtpservers": "smtp1,smtp2",
        "mail.smtpserver.smtp1.authMethod": 1, "mail.smtpserver.smtp1.hostname": "127.0.0.1",
        "mail.smtpserver.smtp1.port": int(p["smtp"]), "mail.smtpserver.smtp1.try_ssl": 0,
        "mail.smtpserver.smtp2.hostname": "127.0.0.1", "mail.smtpserver.smtp2.port": int(p["submission"]),
        "mail.smtpserver.smtp2.try_ssl": 2, "mail.smtpserver.smtp2.username": p["user2"],
    }


def thunderbird_home():
    home = Home()
    shutil.copytree(thunderbird_template(), home.path(".thunderbird"), symlinks=True)
    profile = thunderbird_profile(home.root)
    prefs = os.path.join(profile, "prefs.js")
    with open(prefs, "a", encoding="utf-8") as f:
        f.write("".join(f'user_pref("{k}", {json.dumps(v)});\n'
                        for k, v in sorted(thunderbird_accounts(ports()).items())))
    environment = home.env(**TB_ENV)
    environment.pop("G_DEBUG", None)  # for mail-setup: Thunderbird's own GTK warnings are not ours
    # Thunderbird loads both and writes prefs.js back in its own order.
    run_thunderbird(environment, profile,
                    lambda text: all(f'"mail.server.{s}.directory-rel"' in text for s in ("server1", "server2")),
                    "Thunderbird loaded both accounts")
    return home, profile, prefs, environment


@test("Thunderbird: a running Thunderbird makes repair refuse and change nothing; then retired servers and the bare username repaired, Thunderbird reads them")
def t_thunderbird():
    home, profile, prefs, environment = thunderbird_home()
    try:
        flow = Repair(home, "thunderbird", [prefs])
        flow.listed()
        flow.diagnosed("server-retired", "insecure-settings", "username-incomplete")
        proc = start_thunderbird(environment, profile)
        try:
            mstest.wait_until(lambda: os.path.islink(os.path.join(profile, "lock")),
                              "Thunderbird took its profile lock", interval=0.1, alive=proc)
            before = os.listdir(profile)
            refused = home.mail_setup("repair", ADDRESS, "--program", "thunderbird", "--yes",
                                      "--ca-file", env("MS_TEST_CA_FILE"), password=True)
            check_equal(refused.returncode, 1, f"{refused.stdout}\n{refused.stderr}")
            check_in("Thunderbird", refused.stderr)
            check_in("Thunderbird is open: close it and try again. Nothing was changed.", refused.stderr)
            check(read_bytes(prefs) == flow.original[prefs], "prefs.js changed while Thunderbird ran")
            check_equal(sorted(n for n in os.listdir(profile) if "mail-setup-backup" in n), [],
                        f"a backup was written: {sorted(set(os.listdir(profile)) - set(before))}")
        finally:
            mstest.stop_process_group(proc)

        bob = [line for line in flow.original[prefs].decode().splitlines(keepends=True)
               if re.search(r'\.(server2|id2|smtp2|account2)\.', line)]
        flow.repaired()
        after = read_bytes(prefs).decode()
        check_equal([line for line in after.splitlines(keepends=True)
                     if re.search(r'\.(server2|id2|smtp2|account2)\.', line)], bob, "bob's lines changed")
        # Thunderbird's next start reads the repaired account (and, with
        # its folder prefs removed, writes prefs.js back as it has it).
        with open(prefs, "w", encoding="utf-8") as f:
            f.write("".join(line for line in after.splitlines(keepends=True)
                            if not line.startswith('user_pref("mail.server.server1.directory')))
        text = run_thunderbird(environment, profile, lambda t: '"mail.server.server1.directory-rel"' in t,
                               "Thunderbird loaded the repaired account")
        check_equal((pref(text, "mail.server.server1.hostname"), pref(text, "mail.server.server1.port"),
                     pref(text, "mail.server.server1.socketType"), pref(text, "mail.server.server1.userName")),
                    (MOBILE, int(env("MS_TEST_IMAPS_PORT")), 3, ADDRESS))
        check_equal((pref(text, "mail.smtpserver.smtp1.hostname"), pref(text, "mail.smtpserver.smtp1.port"),
                     pref(text, "mail.smtpserver.smtp1.try_ssl"), pref(text, "mail.smtpserver.smtp1.username")),
                    (MOBILE, int(env("MS_TEST_SUBMISSIONS_PORT")), 3, ADDRESS))
        for key, value in thunderbird_accounts(ports()).items():
            if re.search(r'\.(server2|id2|smtp2|account2)\.', key):
                check_equal(pref(text, key), value, key)
        # The undo puts back what the repair replaced: Thunderbird's own
        # rewrite since then makes it refuse, as it must; the repair's
        # bytes put back first make it restore the original.
        write(prefs, after)
        flow.undone()
    finally:
        home.cleanup()


def main():
    mstest.require_root("the mail servers of run-with-mail-servers")
    mstest.require_mail_setup()
    return mstest.main(teardown=lambda: shutil.rmtree(TB_TEMPLATE, ignore_errors=True))


if __name__ == "__main__":
    sys.exit(main())
