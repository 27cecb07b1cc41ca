#!/usr/bin/env python3
# test-cli-test.py: `mail-setup test` end to end against the real servers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup executable the way an admin would, against the
real dovecot and postfix of tests/harness/run-with-mail-servers, and checks
its JSON report (docs/cli-json.md), its exit statuses and that the password
appears in none of its output. Prints TAP."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402


def provider(incoming=("imap", "pop3")):
    # Like Charter's 587: the submission port is listed as STARTTLS and
    # speaks implicit TLS.
    return mstest.provider_xml(mstest.harness_servers(incoming=incoming,
                                                      outgoing_security="STARTTLS"))


checklist = mstest.Checklist()
check = checklist.check
env = mstest.env


def run(args, password=None, config_home=None):
    return mstest.mail_setup(args, input=password, check=False,
                             env=dict(os.environ, XDG_CONFIG_HOME=config_home))


def main():
    password = mstest.password()
    user = env("MS_TEST_USER")

    with tempfile.TemporaryDirectory() as config_home:
        mstest.write_provider(config_home, provider())
        common = [user, "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "10"]

        # The whole account, with the test message, as JSON.
        done = run(["test"] + common + ["--password-stdin", "--send-test-message",
                                        "--no-alternates", "--json"], password, config_home)
        check("works: exit 0", done.returncode == 0, done.stderr)
        check("no password in output", password not in done.stdout and password not in done.stderr)
        report = json.loads(done.stdout)
        check("version 1", report["version"] == 1)
        check("works: true", report["works"] is True)
        check("provider file named", report["provider"]["file"].endswith("test.example.xml"))
        check("source", report["source"] == "provider-file")
        servers = {s["protocol"]: s for s in report["servers"]}
        check("three servers", sorted(servers) == ["imap", "pop3", "smtp"], list(servers))
        for protocol, server in servers.items():
            check(f"{protocol} logged in", server["login"] == "succeeded", server["login"])
            check(f"{protocol} TLS valid", server["tls"]["established"] and
                  server["tls"]["certificate"]["errors"] == [], server["tls"])
            check(f"{protocol} timings", server["timings_ms"]["total"] >= 0 and
                  "connect" in server["timings_ms"])
        check("imap detected SSL", servers["imap"]["security_detected"] == "SSL")
        check("pop3 detected STARTTLS", servers["pop3"]["security_detected"] == "STARTTLS")
        check("smtp requested STARTTLS", servers["smtp"]["security_requested"] == "STARTTLS")
        check("smtp detected SSL", servers["smtp"]["security_detected"] == "SSL")
        codes = [d["code"] for d in servers["smtp"]["diagnoses"]]
        check("smtp security-mismatch noted", "security-mismatch" in codes, codes)
        check("configuration says SSL for smtp",
              report["configuration"]["outgoing"]["security"] == "SSL",
              report["configuration"])
        check("configuration username", report["configuration"]["incoming"]["username"] == user)
        check("test message arrived", report["test_message"]["arrived"] is True and
              report["test_message"]["delivery_ms"] >= 0, report["test_message"])

        # A wrong password: exit 1 with the auth-failed diagnosis.
        done = run(["test"] + common + ["--password-stdin", "--no-alternates", "--json"],
                   "wrong-password\n", config_home)
        check("wrong password: exit 1", done.returncode == 1, done.stderr)
        report = json.loads(done.stdout)
        codes = {d["code"] for s in report["servers"] for d in s["diagnoses"]}
        check("wrong password: auth-failed", "auth-failed" in codes, codes)
        check("wrong password: works false", report["works"] is False)
        fixes = {f["kind"] for s in report["servers"] for d in s["diagnoses"] for f in d["fixes"]}
        check("wrong password: check-password offered", "check-password" in fixes, fixes)

        # Text report.
        done = run(["test"] + common + ["--password-stdin", "--no-alternates"], password,
                   config_home)
        check("text report: exit 0", done.returncode == 0, done.stderr)
        check("text report: says it works", "the account works" in done.stdout, done.stdout)

        # POP3 only: the message goes out, its arrival cannot be watched.
        with tempfile.TemporaryDirectory() as pop_home:
            mstest.write_provider(pop_home, provider(incoming=("pop3",)))
            done = run(["test"] + common + ["--password-stdin", "--send-test-message",
                                            "--no-alternates", "--json"], password, pop_home)
            check("pop3 only: exit 0", done.returncode == 0, done.stderr)
            report = json.loads(done.stdout)
            check("pop3 only: no imap tested",
                  [s["protocol"] for s in report["servers"]] == ["pop3", "smtp"])
            check("pop3 only: sent, arrival unchecked",
                  report["test_message"]["sent"] is True and
                  report["test_message"]["arrived"] is None, report["test_message"])

        # Usage errors and unknown domains.
        check("no address: exit 2", run(["test"], None, config_home).returncode == 2)
        check("bad timeout: exit 2",
              run(["test", user, "--timeout", "0x"], None, config_home).returncode == 2)
        check("garbage address: exit 2",
              run(["test", "not an address"], None, config_home).returncode == 2)
        check("unknown profile: exit 2",
              run(["test", user, "--profile", "nope"], None, config_home).returncode == 2)
        done = run(["test", "someone@unknown-domain.invalid", "--no-alternates"], None,
                   config_home)
        check("unknown domain: exit 1", done.returncode == 1, done.stderr)
        check("unknown domain: says so", "unknown-domain.invalid" in done.stderr, done.stderr)


if __name__ == "__main__":
    sys.exit(checklist.run(main))
