#!/usr/bin/env python3
# test-harness.py: proves that run-with-mail-servers gives what it promises
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run under run-with-mail-servers. Talks to every listener with Python's own
socket and ssl modules (not our client), so a failure here is the harness's
fault, not the code under test's. TAP output."""

import base64
import os
import re
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mstest  # noqa: E402
from mstest import check  # noqa: E402

ENV = os.environ
HOST = ENV["MS_TEST_HOST"] if "MS_TEST_HOST" in ENV else None
TIMEOUT = 10


def password(name):
    with open(ENV[name], encoding="utf-8") as f:
        return f.read()


def ctx(cafile=None):
    return ssl.create_default_context(cafile=cafile or ENV["MS_TEST_CA_FILE"])


class Line:
    """A line-based conversation over a socket that can be upgraded to TLS."""

    def __init__(self, host, port, tls=False, hostname="localhost", cafile=None):
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        if tls:
            self.sock = ctx(cafile).wrap_socket(self.sock, server_hostname=hostname)
        self.buf = b""

    def starttls(self, hostname="localhost"):
        check(not self.buf, "data after the STARTTLS reply: %r" % self.buf)
        self.sock = ctx().wrap_socket(self.sock, server_hostname=hostname)

    def line(self):
        while b"\r\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise mstest.Failure("connection closed; buffered %r" % self.buf)
            self.buf += data
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def send(self, text):
        self.sock.sendall(text.encode("utf-8") if isinstance(text, str) else text)

    def until(self, prefix):
        lines = []
        while True:
            line = self.line()
            lines.append(line)
            if line.startswith(prefix):
                return lines

    def smtp_reply(self):
        lines = []
        while True:
            line = self.line()
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return lines

    def close(self):
        self.sock.close()


def imap_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_all_ports_answer():
    greetings = {
        "MS_TEST_IMAP_PORT": (False, "* OK"), "MS_TEST_IMAPS_PORT": (True, "* OK"),
        "MS_TEST_POP3_PORT": (False, "+OK"), "MS_TEST_POP3S_PORT": (True, "+OK"),
        "MS_TEST_SUBMISSION_PORT": (False, "220 "), "MS_TEST_SUBMISSIONS_PORT": (True, "220 "),
        "MS_TEST_SMTP_PORT": (False, "220 "),
    }
    for name, (tls, prefix) in greetings.items():
        c = Line(HOST, ENV[name], tls)
        greeting = c.line()
        check(greeting.startswith(prefix), "%s greeted %r" % (name, greeting))
        c.close()


def test_imap_starttls():
    c = Line(HOST, ENV["MS_TEST_IMAP_PORT"])
    c.line()
    c.send("a1 CAPABILITY\r\n")
    caps = " ".join(c.until("a1 "))
    check("STARTTLS" in caps, caps)
    c.send("a2 STARTTLS\r\n")
    check(c.until("a2 ")[-1].startswith("a2 OK"))
    c.starttls()
    c.send("a3 LOGIN %s %s\r\n" % (imap_quote(ENV["MS_TEST_USER"]),
                                   imap_quote(password("MS_TEST_PASSWORD_FILE"))))
    reply = c.until("a3 ")[-1]
    check(reply.startswith("a3 OK"), reply)
    c.send("a4 LOGOUT\r\n")
    c.until("a4 ")
    c.close()


def test_pop3_stls():
    c = Line(HOST, ENV["MS_TEST_POP3_PORT"])
    c.line()
    c.send("CAPA\r\n")
    caps = c.until(".")
    check("STLS" in caps, caps)
    c.send("STLS\r\n")
    check(c.line().startswith("+OK"))
    c.starttls()
    c.send("USER %s\r\n" % ENV["MS_TEST_USER"])
    check(c.line().startswith("+OK"))
    c.send("PASS %s\r\n" % password("MS_TEST_PASSWORD_FILE"))
    reply = c.line()
    check(reply.startswith("+OK"), reply)
    c.send("QUIT\r\n")
    c.close()


def test_plain_imap_trap():
    # The trap must really be one: no STARTTLS, no LOGINDISABLED, and a
    # cleartext LOGIN goes through.
    c = Line(ENV["MS_TEST_PLAIN_IMAP_HOST"], ENV["MS_TEST_PLAIN_IMAP_PORT"])
    greeting = c.line()
    c.send("a1 CAPABILITY\r\n")
    caps = " ".join(c.until("a1 ")) + greeting
    check("STARTTLS" not in caps and "LOGINDISABLED" not in caps, caps)
    c.send("a2 LOGIN %s %s\r\n" % (imap_quote(ENV["MS_TEST_USER"]),
                                   imap_quote(password("MS_TEST_PASSWORD_FILE"))))
    reply = c.until("a2 ")[-1]
    check(reply.startswith("a2 OK"), reply)
    c.close()


def test_bob_quoting_password():
    pw = password("MS_TEST_PASSWORD2_FILE")
    check('"' in pw and "\\" in pw and " " in pw and any(ord(ch) > 127 for ch in pw), pw)
    raw = pw.encode("utf-8")
    c = Line(HOST, ENV["MS_TEST_IMAPS_PORT"], tls=True)
    c.line()
    # A literal carries the 8-bit password without any quoting.
    c.send("a1 LOGIN %s {%d}\r\n" % (imap_quote(ENV["MS_TEST_USER2"]), len(raw)))
    check(c.line().startswith("+"))
    c.send(raw + b"\r\n")
    reply = c.until("a1 ")[-1]
    check(reply.startswith("a1 OK"), reply)
    c.close()


def test_failed_login_logged():
    log = ENV["MS_TEST_DOVECOT_LOG"]
    before = open(log, encoding="utf-8", errors="replace").read().count("Password mismatch")
    c = Line(HOST, ENV["MS_TEST_IMAPS_PORT"], tls=True)
    c.line()
    c.send("a1 LOGIN %s %s\r\n" % (imap_quote(ENV["MS_TEST_USER"]), '"wrong"'))
    reply = c.until("a1 ")[-1]
    check(reply.startswith("a1 NO"), reply)
    c.close()
    deadline = time.monotonic() + 5
    while True:
        text = open(log, encoding="utf-8", errors="replace").read()
        if text.count("Password mismatch") > before:
            break
        check(time.monotonic() < deadline, "no 'Password mismatch' in %s" % log)
        time.sleep(0.05)
    check(password("MS_TEST_PASSWORD_FILE") not in text)


def smtp_ehlo(c):
    c.send("EHLO client.test\r\n")
    return c.smtp_reply()


def auth_plain(c, user, pw):
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + pw.encode("utf-8")).decode()
    c.send("AUTH PLAIN %s\r\n" % token)
    return c.smtp_reply()[-1]


def test_submission_starttls_auth():
    c = Line(HOST, ENV["MS_TEST_SUBMISSION_PORT"])
    c.smtp_reply()
    caps = " ".join(smtp_ehlo(c))
    check("STARTTLS" in caps and "AUTH" not in caps, caps)
    c.send("MAIL FROM:<x@test.example>\r\n")
    check(c.smtp_reply()[-1].startswith("530"), "mail accepted before STARTTLS")
    c.send("STARTTLS\r\n")
    check(c.smtp_reply()[-1].startswith("220"))
    c.starttls()
    caps = " ".join(smtp_ehlo(c))
    check(re.search(r"AUTH .*PLAIN", caps) and "LOGIN" in caps, caps)
    reply = auth_plain(c, ENV["MS_TEST_USER2"], password("MS_TEST_PASSWORD2_FILE"))
    check(reply.startswith("235"), reply)
    c.send("QUIT\r\n")
    c.close()


def test_submissions_implicit_tls_auth():
    c = Line(HOST, ENV["MS_TEST_SUBMISSIONS_PORT"], tls=True)
    c.smtp_reply()
    caps = " ".join(smtp_ehlo(c))
    check("AUTH" in caps and "STARTTLS" not in caps, caps)
    reply = auth_plain(c, ENV["MS_TEST_USER"], "wrong")
    check(reply.startswith("535"), reply)
    reply = auth_plain(c, ENV["MS_TEST_USER"], password("MS_TEST_PASSWORD_FILE"))
    check(reply.startswith("235"), reply)
    c.send("QUIT\r\n")
    c.close()


def test_inject_delivers_to_inbox():
    marker = "harness-%d-%d" % (os.getpid(), time.monotonic_ns())
    c = Line(HOST, ENV["MS_TEST_SMTP_PORT"])
    c.smtp_reply()
    caps = " ".join(smtp_ehlo(c))
    check("AUTH" not in caps and "STARTTLS" not in caps, caps)
    for command, code in (("MAIL FROM:<sender@test.example>", "250"),
                          ("RCPT TO:<%s>" % ENV["MS_TEST_USER"], "250"),
                          ("DATA", "354")):
        c.send(command + "\r\n")
        reply = c.smtp_reply()[-1]
        check(reply.startswith(code), "%s: %s" % (command, reply))
    c.send("Subject: %s\r\nFrom: sender@test.example\r\nTo: %s\r\n\r\nhello\r\n.\r\n"
           % (marker, ENV["MS_TEST_USER"]))
    reply = c.smtp_reply()[-1]
    check(reply.startswith("250"), reply)
    c.send("QUIT\r\n")
    c.close()

    deadline = time.monotonic() + 20
    while True:
        c = Line(HOST, ENV["MS_TEST_IMAPS_PORT"], tls=True)
        c.line()
        c.send("a1 LOGIN %s %s\r\n" % (imap_quote(ENV["MS_TEST_USER"]),
                                       imap_quote(password("MS_TEST_PASSWORD_FILE"))))
        check(c.until("a1 ")[-1].startswith("a1 OK"))
        c.send("a2 SELECT INBOX\r\na3 SEARCH SUBJECT %s\r\n" % marker)
        c.until("a2 ")
        found = [line for line in c.until("a3 ") if re.match(r"\* SEARCH \d", line)]
        c.send("a4 LOGOUT\r\n")
        c.close()
        if found:
            return
        if time.monotonic() > deadline:
            raise mstest.Failure("mail %s not in INBOX after 20 s; postfix log:\n%s"
                                 % (marker, open(ENV["MS_TEST_POSTFIX_LOG"]).read()[-3000:]))
        time.sleep(0.1)


def verify_error(host, port, cafile=None, hostname="localhost"):
    try:
        c = Line(host, port, tls=True, hostname=hostname, cafile=cafile)
    except ssl.SSLCertVerificationError as e:
        return e.verify_code
    c.close()
    return 0


def test_bad_certificates():
    # OpenSSL verify codes: 10 expired, 62 host mismatch, 20 unknown issuer.
    check(verify_error(ENV["MS_TEST_EXPIRED_HOST"], ENV["MS_TEST_EXPIRED_PORT"]) == 10)
    check(verify_error(ENV["MS_TEST_WRONG_HOST_HOST"], ENV["MS_TEST_WRONG_HOST_PORT"]) == 62)
    # ...and otherwise sound: right name, private CA.
    check(verify_error(ENV["MS_TEST_WRONG_HOST_HOST"], ENV["MS_TEST_WRONG_HOST_PORT"],
                        hostname="wrong.example") == 0)
    check(verify_error(ENV["MS_TEST_UNTRUSTED_HOST"], ENV["MS_TEST_UNTRUSTED_PORT"]) == 20)
    check(verify_error(ENV["MS_TEST_UNTRUSTED_HOST"], ENV["MS_TEST_UNTRUSTED_PORT"],
                        cafile=ENV["MS_TEST_UNTRUSTED_CA_FILE"]) == 0)
    # The good certificate answers to every name it promises.
    for hostname in ("localhost", "mail.test", "127.0.0.1"):
        check(verify_error(HOST, ENV["MS_TEST_IMAPS_PORT"], hostname=hostname) == 0)


def test_files():
    for name in ("MS_TEST_PASSWORD_FILE", "MS_TEST_PASSWORD2_FILE"):
        st = os.stat(ENV[name])
        check(st.st_mode & 0o777 == 0o600, oct(st.st_mode))
        check(not password(name).endswith("\n"))
    for name in ("MS_TEST_CA_FILE", "MS_TEST_UNTRUSTED_CA_FILE", "MS_TEST_SSL_CERT_FILE",
                 "MS_TEST_SSL_KEY_FILE", "MS_TEST_DOVECOT_LOG", "MS_TEST_POSTFIX_LOG"):
        check(os.path.isfile(ENV[name]), name)
    check(ENV["MS_TEST_SERVER_DIR"] and os.path.isdir(ENV["MS_TEST_SERVER_DIR"]))
    check(ENV["MS_TEST_USER"] == "alice@test.example")
    check(ENV["MS_TEST_USER2"] == "bob@test.example")


HERE = os.path.dirname(os.path.abspath(__file__))


def start_helper(argv):
    import subprocess
    proc = subprocess.Popen([sys.executable] + argv, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    check(first.startswith("PORT "), lambda: "%s printed %r; stderr %s"
          % (argv[0], first, proc.stderr.read()))
    return proc, int(first.split()[1])


def test_scripted_server_starttls_and_record():
    import json
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "script.json")
        with open(script, "w") as f:
            json.dump({"steps": [
                {"send": "220 fake ESMTP\r\n"}, {"expect": "^EHLO "},
                {"send": "250-fake\r\n250 STARTTLS\r\n"}, {"expect": "^STARTTLS$"},
                {"send": "220 go ahead\r\n"}, {"starttls": True}, {"expect": "^AUTH PLAIN"},
                {"send": "571 5.7.1 Rejected E1110\r\n"}, {"send_bytes": 100000, "byte": "A"},
                {"send_hex": "00ff0d0a"}, {"expect_close": True}]}, f)
        record, clear = os.path.join(tmp, "all"), os.path.join(tmp, "clear")
        proc, port = start_helper([os.path.join(HERE, "scripted-server.py"), script,
                                   "--record", record, "--record-cleartext", clear,
                                   "--timeout", "20"])
        c = Line(HOST, port)
        check(c.line() == "220 fake ESMTP")
        smtp_ehlo(c)
        c.send("STARTTLS\r\n")
        check(c.smtp_reply() == ["220 go ahead"])
        c.starttls()
        c.send("AUTH PLAIN c2VjcmV0\r\n")
        check(c.line() == "571 5.7.1 Rejected E1110")
        check(c.line() == "A" * 100000 + "\x00\ufffd")
        c.close()
        check(proc.wait(10) == 0, lambda: proc.stderr.read())
        check(b"AUTH PLAIN c2VjcmV0" in open(record, "rb").read())
        cleartext = open(clear, "rb").read()
        check(b"STARTTLS" in cleartext and b"AUTH" not in cleartext, cleartext)


def test_scripted_server_reports_mismatch():
    import json
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "script.json")
        with open(script, "w") as f:
            json.dump({"tls": "implicit",
                       "steps": [{"send": "* OK\r\n"}, {"expect": "^a1 CAPABILITY"}]}, f)
        proc, port = start_helper([os.path.join(HERE, "scripted-server.py"), script])
        c = Line(HOST, port, tls=True)
        c.line()
        c.send("a1 LOGOUT\r\n")
        check(proc.wait(10) == 1)
        check("expected" in proc.stderr.read())
        c.close()


def test_delay_proxy():
    proc, port = start_helper([os.path.join(HERE, "delay-proxy.py"), "--delay-ms", "100",
                               "--target", "%s:%s" % (HOST, ENV["MS_TEST_IMAP_PORT"])])
    try:
        started = time.monotonic()
        c = Line(HOST, port)
        check(c.line().startswith("* OK"))
        c.send("a1 NOOP\r\n")
        check(c.until("a1 ")[-1].startswith("a1 OK"))
        elapsed = time.monotonic() - started
        c.close()
        # greeting one way, then one round trip: at least 0.3 s
        check(0.3 <= elapsed < 3, elapsed)
    finally:
        proc.terminate()
        proc.wait(10)


for _name, _fn in list(globals().items()):
    if _name.startswith("test_"):
        mstest.test(_name)(_fn)


def main():
    missing = [n for n in ("MS_TEST_HOST", "MS_TEST_IMAPS_PORT") if n not in ENV]
    if missing:
        mstest.bail_out("run me through tests/harness/run-with-mail-servers")
    return mstest.main()


if __name__ == "__main__":
    sys.exit(main())
