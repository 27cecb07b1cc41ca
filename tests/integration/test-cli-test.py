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
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

MAIL_SETUP = mstest.MAIL_SETUP

PROVIDER = """<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="test.example">
    <domain>test.example</domain>
    <displayName>Test Mail</displayName>
    <incomingServer type="imap">
      <hostname>{host}</hostname>
      <port>{imaps}</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>{host}</hostname>
      <port>{pop3}</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <!-- Like Charter's 587: listed as STARTTLS, speaks implicit TLS. -->
    <outgoingServer type="smtp">
      <hostname>{host}</hostname>
      <port>{submissions}</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""

checklist = mstest.Checklist()
check = checklist.check


def env(name):
    value = os.environ.get(name)
    if not value:
        mstest.bail_out(f"{name} is not set: run through tests/harness/run-with-mail-servers")
    return value


def run(args, password=None, config_home=None):
    environment = dict(os.environ)
    environment["XDG_CONFIG_HOME"] = config_home
    completed = subprocess.run([MAIL_SETUP] + args, input=password, capture_output=True,
                               text=True, env=environment, timeout=120)
    return completed


def main():
    with open(env("MS_TEST_PASSWORD_FILE")) as f:
        password = f.read()
    user = env("MS_TEST_USER")

    with tempfile.TemporaryDirectory() as config_home:
        providers = os.path.join(config_home, "mail-setup", "providers")
        os.makedirs(providers)
        with open(os.path.join(providers, "test.example.xml"), "w") as f:
            f.write(PROVIDER.format(host=env("MS_TEST_HOST"), imaps=env("MS_TEST_IMAPS_PORT"),
                                    pop3=env("MS_TEST_POP3_PORT"),
                                    submissions=env("MS_TEST_SUBMISSIONS_PORT")))
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
            pop_providers = os.path.join(pop_home, "mail-setup", "providers")
            os.makedirs(pop_providers)
            xml = PROVIDER.format(host=env("MS_TEST_HOST"), imaps=env("MS_TEST_IMAPS_PORT"),
                                  pop3=env("MS_TEST_POP3_PORT"),
                                  submissions=env("MS_TEST_SUBMISSIONS_PORT"))
            start = xml.index('<incomingServer type="imap">')
            end = xml.index("</incomingServer>", start) + len("</incomingServer>")
            with open(os.path.join(pop_providers, "test.example.xml"), "w") as f:
                f.write(xml[:start] + xml[end:])
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
