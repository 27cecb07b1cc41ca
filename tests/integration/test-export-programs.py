#!/usr/bin/env python3
# test-export-programs.py: every file exporter proven by the real program that reads it
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix) and
run-with-keyring (a private D-Bus session with a real gnome-keyring).

`mail-setup export --password-stdin` tests the account against the real
servers, saves the settings and stores the password in the keyring; the
exported files are then used by the real programs: msmtp sends through
postfix with its password from its own keyring lookup (the exporter stores
it under msmtp's schema) and, without it, through passwordeval, mbsync syncs from dovecot,
neomutt reads its configuration and sends in batch mode (Thunderbird has
its own suite, test-thunderbird.py), the real evolution-source-registry
loads the Evolution sources (read back through libedataserver), plistlib reads the mobileconfig,
zbarimg decodes the QR code, pdftotext reads the PDF. A program that is
missing or cannot run fails its test with the reason; nothing is skipped.
Output is TAP.
"""

import hashlib
import json
import os
import plistlib
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, env, need, password, run, test  # noqa: E402
import xml.etree.ElementTree as ET

ADDRESS = os.environ.get("MS_TEST_USER", "alice@test.example")
MAIL_SETUP = mstest.MAIL_SETUP
SCHEMA = "io.github.mailsetup.MailSetup.Account"
MSMTP_SCHEMA = "de.marlam.msmtp.password"


def write_provider(submission_port, submission_security, host=None):
    mstest.write_provider(os.environ["XDG_CONFIG_HOME"], mstest.provider_xml(
        mstest.harness_servers(host=host, outgoing_port=submission_port,
                               outgoing_security=submission_security)))


def export(client, output=None, with_password=False, extra=(), check=True, name="Alice Tester"):
    argv = [MAIL_SETUP, "export", ADDRESS, "--to", client, "--name", name]
    if output is not None:
        argv += ["--output", output]
    argv += list(extra)
    stdin = None
    if with_password:
        argv += ["--password-stdin", "--ca-file", env("MS_TEST_CA_FILE"), "--no-alternates"
                 if False else "--timeout", "20"]
        stdin = password() + "\n"
    return run(argv, input=stdin, check=check)


WORK = tempfile.mkdtemp(prefix="ms-export-test-")


@test("export tests the account, saves the settings and fills the keyring")
def t_first_export():
    write_provider(env("MS_TEST_SUBMISSIONS_PORT"), "STARTTLS")
    out = os.path.join(WORK, "msmtprc")
    export("msmtp", out, with_password=True)
    saved = os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "accounts", ADDRESS)
    check(os.path.exists(saved), "the tested settings were not saved")
    text = open(saved).read()
    check(password() not in text, "the saved settings hold the password")
    # The provider file claims STARTTLS; the port speaks implicit TLS.
    check("Security=SSL" in text.split("[Outgoing]")[1], text)
    for protocol in ("imap", "smtp"):
        found = run(["secret-tool", "lookup", "xdg:schema", SCHEMA, "address", ADDRESS,
                     "protocol", protocol]).stdout
        check(found == password(), f"keyring returned {found!r} for {protocol}")
    # msmtp's own schema too (the exporter had the password at hand).
    found = run(["secret-tool", "lookup"] + msmtp_attributes()).stdout
    check(found == password(), f"msmtp's keyring entry holds {found!r}")


def msmtp_attributes():
    """The attributes msmtp 1.8 looks its password up with (password.c)."""
    return ["xdg:schema", MSMTP_SCHEMA, "host", env("MS_TEST_HOST"), "service", "smtp",
            "user", ADDRESS]


def postfix_logins():
    return open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read().count(
        "sasl_username=" + ADDRESS)


def msmtp_send(config, subject, check=True):
    message = f"From: {ADDRESS}\nTo: {ADDRESS}\nSubject: {subject}\n\nhello from msmtp\n"
    # No controlling terminal: msmtp cannot ask for a missing password.
    return run(["msmtp", "-C", config, "-a", ADDRESS, ADDRESS], input=message, check=check,
               start_new_session=True)


@test("msmtp sends through postfix with the exported msmtprc, password from its own keyring lookup")
def t_msmtp():
    need("msmtp", "msmtp")
    out = os.path.join(WORK, "msmtprc")
    text = open(out).read()
    check(password() not in text, "the msmtprc holds the password")
    # No password line at all: msmtp's native lookup is the only source.
    check("passwordeval" not in text and "\npassword" not in text, text)
    check("tls_starttls off" in text, "implicit TLS must come out as tls_starttls off")
    check(oct(os.stat(out).st_mode & 0o777) == "0o600", "msmtprc is not 0600")
    before = postfix_logins()
    msmtp_send(out, "msmtp export test")
    check(postfix_logins() > before, "postfix did not see an authenticated submission")
    # Without msmtp's keyring entry the same file cannot send: the entry is
    # what msmtp used.
    run(["secret-tool", "clear"] + msmtp_attributes())
    failed = msmtp_send(out, "msmtp without its keyring entry", check=False)
    check(failed.returncode != 0, "msmtp sent without its keyring entry")
    check("password" in failed.stderr.lower(), failed.stderr)
    # A new export puts it back.
    export("msmtp", out)
    check(run(["secret-tool", "lookup"] + msmtp_attributes()).stdout == password())


@test("msmtp: the export makes its account the default, so plain `msmtp RECIPIENT` sends; a file with a default of its own keeps it")
def t_msmtp_default_account():
    need("msmtp", "msmtp")
    out = os.path.join(WORK, "msmtprc-default")
    if os.path.exists(out):
        os.unlink(out)
    export("msmtp", out)
    text = open(out).read()
    check(f"account default : {ADDRESS}" in text or f'account default : "{ADDRESS}"' in text, text)
    message = f"From: {ADDRESS}\nTo: {ADDRESS}\nSubject: msmtp default account\n\nhello\n"
    before = postfix_logins()
    run(["msmtp", "-C", out, ADDRESS], input=message)
    check(postfix_logins() > before, "postfix saw no login from the default account")
    # Exported again: still one default.
    export("msmtp", out)
    check(open(out).read().count("account default") == 1, open(out).read())

    # The person's own default stays the only one.
    mine = os.path.join(WORK, "msmtprc-own-default")
    with open(mine, "w") as f:
        f.write("account mine\nhost mail.example.org\nfrom me@example.org\n\naccount default : mine\n")
    os.chmod(mine, 0o600)
    export("msmtp", mine)
    text = open(mine).read()
    check(text.count("account default") == 1 and "account default : mine" in text, text)
    printed = run(["msmtp", "-C", mine, "-P"]).stdout
    check("mail.example.org" in printed, printed)


@test("msmtp without the password at hand: passwordeval with this product's schema sends")
def t_msmtp_passwordeval():
    need("msmtp", "msmtp")
    out = os.path.join(WORK, "msmtprc-eval")
    run(["secret-tool", "clear"] + msmtp_attributes())
    run(["secret-tool", "clear", "xdg:schema", SCHEMA, "address", ADDRESS])
    try:
        proc = export("msmtp", out)
        text = open(out).read()
        check('passwordeval "secret-tool lookup xdg:schema ' + SCHEMA in text, text)
        check(run(["secret-tool", "lookup"] + msmtp_attributes(), check=False).stdout == "", "the exporter stored a password it did not have")
    finally:
        # This product's keyring entries back (a neomutt export stores
        # nothing under msmtp's schema).
        export("neomutt", os.path.join(WORK, "neomuttrc-restore"), with_password=True)
    check(run(["secret-tool", "lookup"] + msmtp_attributes(), check=False).stdout == "")
    before = postfix_logins()
    msmtp_send(out, "msmtp passwordeval test")
    check(postfix_logins() > before, f"postfix did not see msmtp's login\n{proc.stdout}")
    export("msmtp", os.path.join(WORK, "msmtprc"))


@test("mbsync syncs from dovecot with the exported mbsyncrc")
def t_mbsync():
    need("mbsync", "isync")
    out = os.path.join(WORK, "mbsyncrc")
    # isync 1.4 matches only DNS names, not IP addresses, against the
    # certificate: test and export the account under the certificate's
    # name "localhost" for this one, then put the usual settings back.
    write_provider(env("MS_TEST_SUBMISSIONS_PORT"), "STARTTLS", host="localhost")
    try:
        export("mbsync", out, with_password=True)
    finally:
        write_provider(env("MS_TEST_SUBMISSIONS_PORT"), "STARTTLS")
        export("msmtp", os.path.join(WORK, "msmtprc"), with_password=True)
    text = open(out).read()
    check(password() not in text and "PassCmd" in text and "SSLType IMAPS" in text, text)
    run(["mbsync", "-c", out, ADDRESS])
    inbox = os.path.join(os.environ["HOME"], "Mail", ADDRESS, "INBOX")
    check(os.path.isdir(os.path.join(inbox, "cur")), f"mbsync made no Maildir at {inbox}")
    files = os.listdir(os.path.join(inbox, "cur")) + os.listdir(os.path.join(inbox, "new"))
    check(files, "mbsync fetched no message (msmtp's test message should be there)")


@test("neomutt reads the exported config (-Q) and sends in batch mode")
def t_neomutt():
    need("neomutt", "neomutt")
    out = os.path.join(WORK, "neomuttrc")
    export("neomutt", out)
    text = open(out).read()
    check(password() not in text, "the neomuttrc holds the password")
    host = env("MS_TEST_HOST")
    proc = run(["neomutt", "-n", "-F", out, "-Q", "folder", "-Q", "smtp_url", "-Q", "imap_pass"])
    q = proc.stdout
    # neomutt prints the folder URL with the user part unescaped.
    check(f"imaps://{ADDRESS}@{host}:{env('MS_TEST_IMAPS_PORT')}/" in q, q)
    check(f"smtps://{ADDRESS.replace('@', '%40')}@{host}:{env('MS_TEST_SUBMISSIONS_PORT')}/" in q, q)
    # The backticks ran secret-tool: the value neomutt holds is the password.
    check(f'imap_pass = "{password()}"' in q, "neomutt did not get the password from the keyring")
    before = open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read().count("sasl_username=")
    run(["neomutt", "-n", "-F", out, "-s", "neomutt export test", ADDRESS],
        input="hello from neomutt\n", env=dict(os.environ, TERM="dumb"))
    after = open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read().count("sasl_username=")
    check(after > before, "neomutt's batch send did not reach postfix")


@test("aerc: the real aerc connects to dovecot with the exported accounts.conf, password from the keyring")
def t_aerc():
    out = os.path.join(WORK, "accounts.conf")
    export("aerc", out)
    text = open(out).read()
    host = env("MS_TEST_HOST")
    # Every value in backticks: go-ini takes them as they are.
    check(f"source = `imaps://alice%40test.example@{host}:{env('MS_TEST_IMAPS_PORT')}`" in text, text)
    check(f"outgoing = `smtps://alice%40test.example@{host}:{env('MS_TEST_SUBMISSIONS_PORT')}`" in text)
    check(password() not in text)
    check(oct(os.stat(out).st_mode & 0o777) == "0o600")
    # The credential command really yields the password.
    cmd = [line.split("=", 1)[1].strip().strip("`") for line in text.splitlines()
           if line.startswith("source-cred-cmd")][0]
    check(run(["sh", "-c", cmd]).stdout == password())
    # The real aerc, in a tmux pane (it needs a terminal), with the file as
    # its accounts.conf: it connects to dovecot with the password from the
    # keyring and lists the message msmtp sent earlier. Go reads the test
    # CA from SSL_CERT_FILE.
    need("aerc", "aerc")
    need("tmux", "tmux")
    config = os.path.join(WORK, "aerc-config")
    os.makedirs(os.path.join(config, "aerc"), exist_ok=True)
    shutil.copy(out, os.path.join(config, "aerc", "accounts.conf"))
    os.chmod(os.path.join(config, "aerc", "accounts.conf"), 0o600)
    socket = f"ms-aerc-{os.getpid()}"
    aerc_env = dict(os.environ, XDG_CONFIG_HOME=config, SSL_CERT_FILE=env("MS_TEST_CA_FILE"),
                    TERM="xterm-256color")
    run(["tmux", "-L", socket, "new-session", "-d", "-x", "200", "-y", "50", "aerc"], env=aerc_env)
    try:
        screen = mstest.poll(lambda: run(["tmux", "-L", socket, "capture-pane", "-p"]).stdout,
                             lambda screen: "msmtp export test" in screen and "Connected" in screen)
        check(f"[{ADDRESS}] Connected" in screen, f"aerc did not connect:\n{screen}")
        check("msmtp export test" in screen, f"aerc does not list the message:\n{screen}")
    finally:
        run(["tmux", "-L", socket, "kill-server"], check=False)


@test("mobileconfig: plistlib reads every required key with its type, no password")
def t_mobileconfig():
    out = os.path.join(WORK, "alice.mobileconfig")
    export("mobileconfig", out)
    with open(out, "rb") as f:
        plist = plistlib.load(f)
    check(plist["PayloadType"] == "Configuration" and plist["PayloadVersion"] == 1)
    for key in ("PayloadIdentifier", "PayloadUUID", "PayloadDisplayName"):
        check(isinstance(plist[key], str) and plist[key], key)
    mail = plist["PayloadContent"][0]
    expected = {
        "PayloadType": "com.apple.mail.managed", "PayloadVersion": 1,
        "EmailAccountType": "EmailTypeIMAP", "EmailAddress": ADDRESS,
        "IncomingMailServerHostName": env("MS_TEST_HOST"),
        "IncomingMailServerPortNumber": int(env("MS_TEST_IMAPS_PORT")),
        "IncomingMailServerUseSSL": True,
        "IncomingMailServerAuthentication": "EmailAuthPassword",
        "IncomingMailServerUsername": ADDRESS,
        "OutgoingMailServerHostName": env("MS_TEST_HOST"),
        "OutgoingMailServerPortNumber": int(env("MS_TEST_SUBMISSIONS_PORT")),
        "OutgoingMailServerUseSSL": True,
        "OutgoingMailServerAuthentication": "EmailAuthPassword",
        "OutgoingMailServerUsername": ADDRESS,
        "OutgoingPasswordSameAsIncomingPassword": True,
    }
    for key, value in expected.items():
        check(type(mail[key]) is type(value) and mail[key] == value, (key, mail.get(key)))
    for key in ("PayloadIdentifier", "PayloadUUID", "EmailAccountName", "EmailAccountDescription"):
        check(isinstance(mail[key], str) and mail[key], key)
    check("IncomingPassword" not in mail and password() not in open(out).read())
    check(oct(os.stat(out).st_mode & 0o777) == "0o644")


@test("mobileconfig --include-password: the password is there, the file is 0600, a warning")
def t_mobileconfig_password():
    out = os.path.join(WORK, "alice-pw.mobileconfig")
    proc = export("mobileconfig", out, extra=["--include-password"])
    with open(out, "rb") as f:
        mail = plistlib.load(f)["PayloadContent"][0]
    check(mail["IncomingPassword"] == password() and mail["OutgoingPassword"] == password())
    check(oct(os.stat(out).st_mode & 0o777) == "0o600")
    check("warning" in proc.stderr, proc.stderr)


@test("QR code: zbarimg decodes it and the payload matches field by field")
def t_qr():
    need("zbarimg", "zbar-tools")
    out = os.path.join(WORK, "alice.png")
    export("qr", out)
    decoded = run(["zbarimg", "--raw", "-q", out]).stdout.strip()
    payload = json.loads(decoded)
    host = env("MS_TEST_HOST")
    check(payload[0] == 1 and payload[1] == [1, 1], payload)
    check(payload[2] == [0, host, int(env("MS_TEST_IMAPS_PORT")), 3, 1, ADDRESS], payload[2])
    outgoing, identity = payload[3][0]
    check(outgoing == [0, host, int(env("MS_TEST_SUBMISSIONS_PORT")), 3, 1, ADDRESS], outgoing)
    check(identity == [ADDRESS, "Alice Tester"], identity)
    out2 = os.path.join(WORK, "alice-pw.png")
    export("qr", out2, extra=["--include-password"])
    payload = json.loads(run(["zbarimg", "--raw", "-q", out2]).stdout.strip())
    check(payload[2][7] == password() and payload[3][0][0][6] == password())
    check(oct(os.stat(out2).st_mode & 0o777) == "0o600")


@test("PDF sheet: pdftotext finds servers, ports, security, username, never the password")
def t_pdf():
    need("pdftotext", "poppler-utils")
    out = os.path.join(WORK, "alice.pdf")
    export("pdf", out)
    text = run(["pdftotext", "-layout", out, "-"]).stdout
    for expected in (ADDRESS, "Test Mail", env("MS_TEST_HOST"), env("MS_TEST_IMAPS_PORT"),
                     env("MS_TEST_SUBMISSIONS_PORT"), "SSL/TLS", "Incoming mail (IMAP)",
                     "Outgoing mail (SMTP)"):
        check(expected in text, f"{expected!r} not in the PDF text:\n{text}")
    check(password() not in text and password().encode() not in open(out, "rb").read())


@test("Autodiscover XML: namespaces, one Protocol per server, SSL encryption")
def t_autodiscover():
    out = os.path.join(WORK, "autodiscover.xml")
    export("autodiscover", out)
    ns = {"a": "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006",
          "r": "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"}
    root = ET.parse(out).getroot()
    protocols = root.findall("r:Response/r:Account/r:Protocol", ns)
    check([p.find("r:Type", ns).text for p in protocols] == ["IMAP", "SMTP"])
    smtp = protocols[1]
    check(smtp.find("r:Port", ns).text == env("MS_TEST_SUBMISSIONS_PORT"))
    check(smtp.find("r:Encryption", ns).text == "SSL" and smtp.find("r:SPA", ns).text == "off")


@test("Evolution: the real evolution-source-registry loads the three sources; libedataserver finds the password")
def t_evolution():
    registry = "/usr/libexec/evolution-source-registry"
    if not os.path.exists(registry):
        raise mstest.Failure(f"{registry} is missing: install the Debian package evolution-data-server")
    system_python = "/usr/bin/python3"
    probe = run([system_python, "-c", "import gi; gi.require_version('EDataServer', '1.2')"], check=False)
    if probe.returncode != 0:
        raise mstest.Failure("libedataserver's Python bindings are missing: install the Debian packages "
                             f"python3-gi and gir1.2-edataserver-1.2\n{probe.stderr}")
    proc = export("evolution")
    digest = hashlib.sha256(ADDRESS.encode()).hexdigest()[:16]
    uids = [f"mail-setup-{digest}-{role}" for role in ("account", "identity", "transport")]
    sources = os.path.join(os.environ["XDG_CONFIG_HOME"], "evolution", "sources")
    for uid in uids:
        check(os.path.exists(os.path.join(sources, uid + ".source")), f"{uid}.source not written: {proc.stdout}")
    # The registry starts by D-Bus activation in this private session and
    # reads the sources directory; libedataserver asks it for each UID.
    checker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-export-evolution-eds.py")
    found = json.loads(run([system_python, checker] + uids, input=password() + "\n", timeout=60).stdout)
    account, identity, transport = found["account"], found["identity"], found["transport"]
    host = env("MS_TEST_HOST")
    check(account is not None and identity is not None and transport is not None, found)
    check(found["listed_as_mail_account"], found)
    check(account["enabled"] and account["backend"] == "imapx", account)
    check((account["host"], account["port"], account["user"]) == (host, int(env("MS_TEST_IMAPS_PORT")), ADDRESS), account)
    # Implicit TLS on both ports (the submission port speaks TLS at once).
    check(account["security"] == "ssl-on-alternate-port", account)
    check(account["identity_uid"] == uids[1], account)
    check(identity["parent"] == uids[0] and identity["address"] == ADDRESS, identity)
    check(identity["name"] == "Alice Tester" and identity["transport_uid"] == uids[2], identity)
    check(transport["parent"] == uids[0] and transport["backend"] == "smtp", transport)
    check((transport["host"], transport["port"], transport["user"]) == (
        host, int(env("MS_TEST_SUBMISSIONS_PORT")), ADDRESS), transport)
    check(transport["security"] == "ssl-on-alternate-port" and transport["method"] == "PLAIN", transport)
    # Evolution's own keyring lookup (schema org.gnome.Evolution.Data.Source).
    check(account.get("password_matches") is True, account)
    check(transport.get("password_matches") is True, transport)
    for uid in (uids[0], uids[2]):
        found_password = run(["secret-tool", "lookup", "xdg:schema", "org.gnome.Evolution.Data.Source",
                              "e-source-uid", uid]).stdout
        check(found_password == password(), f"secret-tool found {found_password!r} for {uid}")
    for uid in uids:
        text = open(os.path.join(sources, uid + ".source")).read()
        check(password() not in text, f"{uid}.source holds the password")
    # A second export replaces the same three files.
    export("evolution")
    check(sorted(n for n in os.listdir(sources) if n.startswith("mail-setup-") and n.endswith(".source")) == sorted(
        u + ".source" for u in uids), os.listdir(sources))


@test("GNOME Online Accounts (real goa-daemon): AddAccount, Mail interface hosts/ports/security, no duplicate")
def t_goa():
    need("gdbus", "libglib2.0-bin")
    if not os.path.exists("/usr/libexec/goa-daemon"):
        raise mstest.Failure("goa-daemon is missing: install the Debian package gnome-online-accounts")
    proc = export("goa")
    check("/org/gnome/OnlineAccounts/Accounts/" in proc.stdout, proc.stdout)
    objects = run(["gdbus", "call", "--session", "--dest", "org.gnome.OnlineAccounts",
                   "--object-path", "/org/gnome/OnlineAccounts", "--method",
                   "org.freedesktop.DBus.ObjectManager.GetManagedObjects"]).stdout
    host = env("MS_TEST_HOST")
    for expected in (f"'ImapHost': <'{host}:{env('MS_TEST_IMAPS_PORT')}'>",
                     f"'SmtpHost': <'{host}:{env('MS_TEST_SUBMISSIONS_PORT')}'>",
                     "'ImapUseSsl': <true>", "'ImapUseTls': <false>",
                     "'SmtpUseSsl': <true>", "'SmtpUseTls': <false>",
                     f"'EmailAddress': <'{ADDRESS}'>", f"'ImapUserName': <'{ADDRESS}'>"):
        check(expected in objects, f"{expected} not in goa-daemon's objects:\n{objects}")
    again = export("goa", check=False)
    check(again.returncode == 1 and "already has an account" in again.stderr, again.stderr)
    check(objects.count("org.gnome.OnlineAccounts.Mail") == 1)


def process_state(pid):
    """The state letter of /proc/PID/stat ("T" once stopped by a signal)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def temporaries(name):
    return sorted(n for n in os.listdir(WORK) if n.startswith(name + ".mail-setup-")
                  and "backup" not in n)


@test("kill -9 in the middle of a write leaves the original whole; blocks never duplicate")
def t_kill():
    target = os.path.join(WORK, "killed-msmtprc")
    original = "# the person's own account\naccount other\nhost smtp.other.example\n" * 2000
    with open(target, "w") as f:
        f.write(original)
    os.chmod(target, 0o600)
    argv = [MAIL_SETUP, "export", ADDRESS, "--to", "msmtp", "--output", target]

    # The development build's hook (ms-atomic-file.c) stops the writer with
    # SIGSTOP half way through the target's temporary file (after the backup): the kill below lands in
    # the middle of a write, which the temporary file proves.
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, MS_TEST_STOP_MID_WRITE=target))
    try:
        try:
            mstest.wait_until(lambda: process_state(proc.pid) == "T",
                              "the export stopped in the middle of its write "
                              "(MS_TEST_STOP_MID_WRITE works in development builds only: "
                              "meson setup -Ddevelopment=true)", alive=proc)
        except mstest.Failure as error:
            raise mstest.Failure(f"{error}\n{proc.stderr.read() if proc.poll() is not None else ''}")
        partial = temporaries("killed-msmtprc")
        check(len(partial) == 1, f"no temporary file at the moment of the kill: {os.listdir(WORK)}")
        written = open(os.path.join(WORK, partial[0])).read()
        check(0 < len(written) < len(original) and original.startswith(written),
              f"the temporary file is not a write in progress ({len(written)} bytes)")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    check(proc.returncode == -signal.SIGKILL, f"the export ended with {proc.returncode}")
    check(open(target).read() == original, "the write killed half way changed the target")

    # Kills at any other moment, before, during or after the rename.
    for _ in range(10):
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0, 0.03))  # a random moment, not a wait for anything
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        text = open(target).read()
        check(text.startswith(original), "the person's own lines were damaged")
        rest = text[len(original):]
        check(rest == "" or (rest.count("BEGIN Mail Setup") == 1 and rest.rstrip().endswith(
            f"# END Mail Setup {ADDRESS}")), f"a partial file after kill -9: {rest[-200:]!r}")
    export("msmtp", target)
    export("msmtp", target)
    text = open(target).read()
    check(text.startswith(original) and text.count("BEGIN Mail Setup") == 1, text[-500:])
    stray = [n for n in os.listdir(WORK) if ".mail-setup-" in n and "backup" not in n]
    # A killed writer may leave its temporary file; never the target half-written.
    check(all(n.startswith("killed-msmtprc.mail-setup-") for n in stray), stray)


@test("export without a saved test and without a password says to test first")
def t_not_tested():
    argv = [MAIL_SETUP, "export", "bob@nowhere.example", "--to", "msmtp"]
    proc = run(argv, check=False)
    check(proc.returncode == 1 and "Test the account first" in proc.stderr, proc.stderr)


def main():
    mstest.require_mail_setup()
    return mstest.main(teardown=lambda: shutil.rmtree(WORK, ignore_errors=True),
                       prerequisites=(t_first_export,))


if __name__ == "__main__":
    sys.exit(main())
