#!/usr/bin/env python3
# test-cli-discovery.py: `providers lookup` and the discovery fallback of `test`
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup for a domain no provider file knows. A real
HTTPS server on loopback (with the harness's certificate) stands in for the
public provider database (MAIL_SETUP_PUBLIC_DATABASE_URL); every other
source fails for lack of DNS for test.example. The settings it serves point
at the real dovecot and postfix on 127.0.0.1, outside the address's domain,
so they need the person's explicit confirmation before a password is sent.
Prints TAP."""

import http.server
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

MAIL_SETUP = mstest.MAIL_SETUP

checklist = mstest.Checklist()
check = checklist.check
requests = []


login_lines = mstest.dovecot_login_lines


class Database(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        requests.append(self.path)
        if self.path.endswith("/test.example"):
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            self.wfile.write(self.body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


def main():
    Database.body = mstest.provider_xml(mstest.harness_servers(host="127.0.0.1"),
                                        display_name="Test Mail from the database").encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Database)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.environ["MS_TEST_SSL_CERT_FILE"], os.environ["MS_TEST_SSL_KEY_FILE"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    with open(os.environ["MS_TEST_PASSWORD_FILE"]) as f:
        password = f.read()
    user = os.environ["MS_TEST_USER"]
    ca = os.environ["MS_TEST_CA_FILE"]

    with tempfile.TemporaryDirectory() as home:
        environment = dict(os.environ, XDG_CONFIG_HOME=home,
                           MAIL_SETUP_PUBLIC_DATABASE_URL=f"https://127.0.0.1:{server.server_port}/v1.1/")

        def run(args, stdin=None):
            return subprocess.run([MAIL_SETUP] + args, input=stdin, capture_output=True,
                                  text=True, env=environment, timeout=120)

        done = run(["providers", "lookup", user, "--json", "--ca-file", ca, "--timeout", "5"])
        check("lookup: exit 0", done.returncode == 0, done.stderr)
        lookup = json.loads(done.stdout) if done.stdout else {}
        check("lookup: public database won", lookup.get("winner") == "public-database", lookup.get("winner"))
        sources = [a["source"] for a in lookup.get("attempts", [])]
        check("lookup: lists the sources tried", "autoconfig" in sources and "srv" in sources, sources)
        check("lookup: every attempt has a state", all("state" in a for a in lookup.get("attempts", [])))
        check("lookup: foreign servers need confirmation",
              lookup.get("needs_confirmation") is True and "foreign-servers" in lookup.get("concerns", []),
              lookup.get("concerns"))
        check("lookup: a third party's settings need confirmation",
              "public-database" in lookup.get("concerns", []), lookup.get("concerns"))
        check("lookup: the domain only went to the database",
              requests and all(r.endswith("/v1.1/test.example") for r in requests), requests)

        done = run(["providers", "lookup", user, "--ca-file", ca, "--timeout", "5"])
        check("lookup text: exit 0", done.returncode == 0, done.stderr)
        check("lookup text: names the winner", "public-database" in done.stdout, done.stdout)

        # No password goes to foreign servers without the person's word.
        done = run(["test", user, "--ca-file", ca, "--password-stdin", "--no-alternates",
                    "--timeout", "5", "--json"], password)
        check("test: refuses unconfirmed settings", done.returncode != 0, done.stdout)
        check("test: says why", "untrusted" in done.stderr or "confirm" in done.stderr
              or "accept-config-from-untrusted-source" in done.stderr, done.stderr)

        # Finding 2: export --password-stdin applies the same check, before
        # any login.
        logins_before = login_lines(user)
        exported = os.path.join(home, "msmtprc")
        done = run(["export", user, "--to", "msmtp", "--output", exported, "--ca-file", ca,
                    "--password-stdin", "--timeout", "5"], password)
        check("export: refuses unconfirmed settings",
              done.returncode == 1 and not os.path.exists(exported), done.stdout + done.stderr)
        check("export: says why", "accept-config-from-untrusted-source" in done.stderr
              and "public list of providers" in done.stderr, done.stderr)
        check("export: no login reached the server", login_lines(user) == logins_before,
              (logins_before, login_lines(user)))

        done = run(["test", user, "--ca-file", ca, "--password-stdin", "--no-alternates",
                    "--timeout", "5", "--accept-config-from-untrusted-source", "--json"], password)
        check("test confirmed: exit 0", done.returncode == 0, done.stderr)
        report = json.loads(done.stdout) if done.stdout else {}
        check("test confirmed: source is the database", report.get("source") == "public-database",
              report.get("source"))
        check("test confirmed: logins succeeded",
              [s["login"] for s in report.get("servers", [])] == ["succeeded", "succeeded"],
              report.get("servers"))
        check("no password in output", password not in done.stdout and password not in done.stderr)

        done = run(["providers", "lookup", user, "--ca-file", ca, "--timeout", "5",
                    "--no-public-database", "--json"])
        check("no public database: not found, exit 1", done.returncode == 1, done.stdout)

    server.shutdown()


if __name__ == "__main__":
    sys.exit(checklist.run(main))
