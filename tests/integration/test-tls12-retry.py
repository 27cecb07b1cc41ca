#!/usr/bin/env python3
# test-tls12-retry.py: the TLS 1.2 retry and the maxTLS quirk, through a proxy that resets TLS 1.3
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix) and
run-with-keyring. tests/harness/tls13-reset-proxy.py stands in front of the
real TLS ports and resets every connection whose ClientHello offers TLS 1.3,
as some broken middleboxes and servers do (no real server here does that).
Proven here: `mail-setup test` retries such a server once offering TLS 1.2
at most, and says so; the certificate is still checked on that retry (a
wrong-host certificate behind the proxy still fails); a provider file's
<ms:maxTLS>1.2</ms:maxTLS> makes the probe start at TLS 1.2; and msmtp,
mbsync and neomutt read the setting back from the exported files (msmtp -P,
neomutt -Q) and msmtp and mbsync really get through the proxy with it.
Output is TAP."""

import json
import os
import subprocess
import sys
import tempfile
import threading

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness")
sys.path.insert(0, HARNESS)
import mstest  # noqa: E402
from mstest import check, check_equal, check_in, env, need, password, run, test  # noqa: E402

ADDRESS = os.environ.get("MS_TEST_USER", "alice@test.example")
WORK = tempfile.mkdtemp(prefix="ms-tls12-test-")
RETRY_SENTENCE = "retried once offering TLS 1.2 at most"


class ResetProxy:
    """tls13-reset-proxy.py in front of HOST:PORT; .events are its RESET/PASSED lines."""

    def __init__(self, host, port):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HARNESS, "tls13-reset-proxy.py"),
             "--target", f"{host}:{port}"],
            stdout=subprocess.PIPE, text=True, start_new_session=True)
        first = self.proc.stdout.readline().split()
        check(first[:1] == ["PORT"], f"the proxy said {first!r}")
        self.port = int(first[1])
        self.events = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.events.append(line.strip())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        mstest.stop_process_group(self.proc)
        self.reader.join()

    def saw(self, expected):
        """Waits until EXPECTED lines came (the client has exited, so they
        are on their way), then checks that they are all there were."""
        mstest.wait_until(lambda: len(self.events) >= len(expected),
                          f"the proxy's {expected!r}", alive=self.proc)
        mstest.stop_process_group(self.proc)
        self.reader.join()
        check_equal(self.events, expected, "connections at the proxy")


def provider(imap_host, imap_port, smtp_host=None, smtp_port=None, imap_max=False, smtp_max=False,
             imap_security="SSL"):
    smtp_host = smtp_host or env("MS_TEST_HOST")
    smtp_port = smtp_port or env("MS_TEST_SUBMISSIONS_PORT")
    xml = mstest.provider_xml([("imap", imap_host, imap_port, imap_security),
                               ("smtp", smtp_host, smtp_port, "SSL")])
    quirk = "<ms:maxTLS>1.2</ms:maxTLS>\n"
    parts = xml.split("</incomingServer>")
    if imap_max:
        parts[0] += quirk
    xml = "</incomingServer>".join(parts)
    if smtp_max:
        xml = xml.replace("</outgoingServer>", quirk + "</outgoingServer>")
    xml = xml.replace('<clientConfig version="1.1">',
                      '<clientConfig version="1.1" xmlns:ms="https://mailsetup.github.io/ns/profiles/1">')
    mstest.write_provider(os.environ["XDG_CONFIG_HOME"], xml)


def mail_setup_test(json_output=True):
    argv = [mstest.MAIL_SETUP, "test", ADDRESS, "--ca-file", env("MS_TEST_CA_FILE"),
            "--timeout", "10", "--password-stdin", "--no-alternates"]
    if json_output:
        argv.append("--json")
    done = run(argv, input=password() + "\n", check=False)
    check(password() not in done.stdout + done.stderr, "the password is in the output")
    return done


def servers(done):
    report = json.loads(done.stdout)
    return report, {s["protocol"]: s for s in report["servers"]}


@test("a server that resets TLS 1.3 hellos is retried once with TLS 1.2, and the report says so")
def t_retry():
    with ResetProxy(env("MS_TEST_HOST"), env("MS_TEST_IMAPS_PORT")) as proxy:
        provider(env("MS_TEST_HOST"), proxy.port)
        done = mail_setup_test()
        proxy.saw(["RESET 1", "PASSED 2"])
    check_equal(done.returncode, 0, done.stderr)
    report, by_protocol = servers(done)
    imap = by_protocol["imap"]
    check_equal(imap["tls_limit"], "retry")
    check_equal(imap["tls"]["version"], "TLS 1.2")
    check(imap["tls"]["established"] and imap["tls"]["certificate"]["errors"] == [], imap["tls"])
    check_equal(imap["login"], "succeeded")
    check(report["works"] is True, report)
    # The other server, not behind the proxy, kept TLS 1.3.
    check_equal(by_protocol["smtp"]["tls_limit"], None)
    check_equal(by_protocol["smtp"]["tls"]["version"], "TLS 1.3")

    with ResetProxy(env("MS_TEST_HOST"), env("MS_TEST_IMAPS_PORT")) as proxy:
        provider(env("MS_TEST_HOST"), proxy.port)
        done = mail_setup_test(json_output=False)
        proxy.saw(["RESET 1", "PASSED 2"])
    check_equal(done.returncode, 0, done.stderr)
    check_in(RETRY_SENTENCE, done.stdout)
    check_in("TLS 1.2", done.stdout)


@test("after STARTTLS too: the retry reconnects, greets, asks STARTTLS again and offers TLS 1.2")
def t_retry_starttls():
    with ResetProxy(env("MS_TEST_HOST"), env("MS_TEST_IMAP_PORT")) as proxy:
        provider(env("MS_TEST_HOST"), proxy.port, imap_security="STARTTLS")
        done = mail_setup_test()
        proxy.saw(["RESET 1", "PASSED 2"])
    check_equal(done.returncode, 0, done.stderr)
    _, by_protocol = servers(done)
    imap = by_protocol["imap"]
    check_equal(imap["security_detected"], "STARTTLS")
    check_equal(imap["tls_limit"], "retry")
    check_equal(imap["tls"]["version"], "TLS 1.2")
    check_equal(imap["login"], "succeeded")


@test("the TLS 1.2 retry checks the certificate: a wrong-host certificate still fails, no login")
def t_retry_wrong_host():
    before = mstest.dovecot_login_lines(ADDRESS)
    with ResetProxy(env("MS_TEST_WRONG_HOST_HOST"), env("MS_TEST_WRONG_HOST_PORT")) as proxy:
        provider(env("MS_TEST_HOST"), proxy.port)
        done = mail_setup_test()
        proxy.saw(["RESET 1", "PASSED 2"])
    check_equal(done.returncode, 1, done.stderr)
    _, by_protocol = servers(done)
    imap = by_protocol["imap"]
    check_equal(imap["tls_limit"], "retry")
    check(imap["tls"] is not None and not imap["tls"]["established"], imap["tls"])
    check_in("bad-identity", imap["tls"]["certificate"]["errors"])
    check_in("wrong.example", imap["tls"]["certificate"]["subject_alt_names"])
    check_equal(imap["login"], "not-attempted")
    check_in("tls-wrong-host", [d["code"] for d in imap["diagnoses"]])
    check_equal(mstest.dovecot_login_lines(ADDRESS), before, "dovecot saw a login")


@test("the TLS 1.2 handshake keeps the deadline: a port that never answers times out")
def t_tls12_deadline():
    # The kernel completes the TCP handshake for the backlog; nothing is
    # ever read or answered, so only the probe's deadline ends the wait.
    import socket
    with socket.socket() as silent:
        silent.bind((env("MS_TEST_HOST"), 0))
        silent.listen(4)
        provider(env("MS_TEST_HOST"), silent.getsockname()[1], imap_max=True)
        argv = [mstest.MAIL_SETUP, "test", ADDRESS, "--ca-file", env("MS_TEST_CA_FILE"),
                "--timeout", "2", "--password-stdin", "--no-alternates", "--json"]
        done = run(argv, input=password() + "\n", check=False, timeout=60)
    check_equal(done.returncode, 1, done.stderr)
    _, by_protocol = servers(done)
    imap = by_protocol["imap"]
    check_equal(imap["tls_limit"], "provider")
    check_equal(imap["login"], "not-attempted")
    check_in("timeout", [d["code"] for d in imap["diagnoses"]])


@test("<ms:maxTLS>1.2</ms:maxTLS> starts at TLS 1.2; msmtp, mbsync and neomutt get it and use it")
def t_quirk_exports():
    need("msmtp", "msmtp")
    need("mbsync", "isync")
    need("neomutt", "neomutt")
    imap_proxy = ResetProxy(env("MS_TEST_HOST"), env("MS_TEST_IMAPS_PORT"))
    smtp_proxy = ResetProxy(env("MS_TEST_HOST"), env("MS_TEST_SUBMISSIONS_PORT"))
    with imap_proxy, smtp_proxy:
        # isync 1.4 checks DNS names only: "localhost" is on the certificate.
        provider("localhost", imap_proxy.port, "localhost", smtp_proxy.port,
                 imap_max=True, smtp_max=True)
        done = mail_setup_test()
        check_equal(done.returncode, 0, done.stderr)
        _, by_protocol = servers(done)
        for protocol in ("imap", "smtp"):
            check_equal(by_protocol[protocol]["tls_limit"], "provider", protocol)
            check_equal(by_protocol[protocol]["tls"]["version"], "TLS 1.2", protocol)
        check_equal(imap_proxy.events, ["PASSED 1"], "the IMAP probe offered TLS 1.3")
        check_equal(smtp_proxy.events, ["PASSED 1"], "the SMTP probe offered TLS 1.3")

        msmtprc = os.path.join(WORK, "msmtprc")
        run([mstest.MAIL_SETUP, "export", ADDRESS, "--to", "msmtp", "--output", msmtprc,
             "--name", "Alice", "--password-stdin", "--ca-file", env("MS_TEST_CA_FILE"),
             "--timeout", "20"], input=password() + "\n")
        saved = os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "accounts", ADDRESS)
        check_equal(mstest.read_text(saved).count("MaxTLS=1.2"), 2, "the saved settings")
        shown = run(["msmtp", "-C", msmtprc, "-a", ADDRESS, "-P"]).stdout
        check_in("tls_priorities = NORMAL:-VERS-ALL:+VERS-TLS1.2", shown)
        message = f"From: {ADDRESS}\nTo: {ADDRESS}\nSubject: msmtp over TLS 1.2\n\nhello\n"
        run(["msmtp", "-C", msmtprc, "-a", ADDRESS, ADDRESS], input=message)

        mbsyncrc = os.path.join(WORK, "mbsyncrc")
        run([mstest.MAIL_SETUP, "export", ADDRESS, "--to", "mbsync", "--output", mbsyncrc,
             "--name", "Alice"])
        check_in("SSLVersions TLSv1.2\n", mstest.read_text(mbsyncrc))
        listed = run(["mbsync", "-c", mbsyncrc, "-l", ADDRESS])
        check_in("INBOX", listed.stdout, listed.stderr)

        neomuttrc = os.path.join(WORK, "neomuttrc")
        run([mstest.MAIL_SETUP, "export", ADDRESS, "--to", "neomutt", "--output", neomuttrc,
             "--name", "Alice"])
        asked = run(["neomutt", "-n", "-F", neomuttrc, "-Q", "ssl_use_tlsv1_3"]).stdout
        check_in("ssl_use_tlsv1_3 = no", asked)

        # Every connection of the probes, msmtp and mbsync offered TLS 1.2 only.
        mstest.wait_until(lambda: len(smtp_proxy.events) >= 3 and len(imap_proxy.events) >= 3,
                          "the export's and the programs' connections")
        check("RESET" not in " ".join(imap_proxy.events + smtp_proxy.events),
              (imap_proxy.events, smtp_proxy.events))


if __name__ == "__main__":
    mstest.require_root("run-with-mail-servers needs root")
    sys.exit(mstest.main())
