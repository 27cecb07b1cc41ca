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


MS_NAMESPACE = "https://mailsetup.github.io/ns/profiles/1"


def provider_with_fields(status):
    """The provider file, with the fields said before the first login."""
    xml = provider().replace("<clientConfig ", '<clientConfig xmlns:ms="' + MS_NAMESPACE + '" ')
    return xml.replace("  </emailProvider>", (
        '    <ms:appPassword url="https://test.example/app-passwords"/>\n'
        "    <ms:loginHint>Turn IMAP&#x202E; on\n first.</ms:loginHint>\n"
        '    <ms:loginHint lang="es">Active IMAP primero.</ms:loginHint>\n'
        f'    <ms:status checked="2025-06-01">{status}</ms:status>\n'
        "  </emailProvider>"))


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

        # Issue 14: the provider file's hint, app-password page and a broken
        # status are said before the test, on stderr; the JSON stays whole.
        with tempfile.TemporaryDirectory() as hint_home:
            mstest.write_provider(hint_home, provider_with_fields("broken"))
            done = run(["test"] + common + ["--password-stdin", "--no-alternates", "--json"],
                       password, hint_home)
            check("fields: exit 0", done.returncode == 0, done.stderr)
            check("fields: JSON whole", json.loads(done.stdout)["works"] is True)
            check("fields: hint on stderr", "Before you sign in: Turn IMAP on first." in done.stderr,
                  done.stderr)
            check("fields: hint cleaned", "\u202e" not in done.stderr, done.stderr)
            check("fields: app-password page",
                  "App passwords: https://test.example/app-passwords" in done.stderr, done.stderr)
            check("fields: broken warns", "Warning: " in done.stderr and "2025-06-01" in done.stderr,
                  done.stderr)
            es = mstest.mail_setup(["test"] + common + ["--password-stdin", "--no-alternates"],
                                   input=password, check=False,
                                   env=dict(os.environ, XDG_CONFIG_HOME=hint_home,
                                            LANGUAGE="es", LANG="es_ES.UTF-8", LC_ALL="es_ES.UTF-8"))
            # The file's own translation (the build tree has no message catalogs).
            check("fields: Spanish hint", "Active IMAP primero." in es.stderr,
                  es.stderr)

            shown = run(["providers", "test.example"], None, hint_home)
            check("providers: status line", "Status: broken (last checked 2025-06-01)" in shown.stdout,
                  shown.stdout)
            listed = json.loads(run(["providers", "test.example", "--json"], None, hint_home).stdout)
            fields = listed["provider"]
            check("providers --json: fields",
                  (fields["app_password_url"], fields["status"], fields["last_checked"],
                   fields["login_hint"]) ==
                  ("https://test.example/app-passwords", "broken", "2025-06-01", "Turn IMAP on first."),
                  fields)

            mstest.write_provider(hint_home, provider_with_fields("working").replace(
                "2025-06-01", "2025-13-01"))
            done = run(["test"] + common + ["--password-stdin", "--no-alternates", "--json"],
                       password, hint_home)
            check("bad date: file refused with its reason",
                  "is not a date" in done.stderr and "test.example.xml" in done.stderr, done.stderr)

            mstest.write_provider(hint_home, provider_with_fields("working"))
            done = run(["test"] + common + ["--password-stdin", "--no-alternates"], password, hint_home)
            check("working: no warning", "Warning:" not in done.stderr, done.stderr)
            check("working: no note", "Note:" not in done.stderr, done.stderr)

            # Needs preparation: said before the login too, with its date, as a note.
            mstest.write_provider(hint_home, provider_with_fields("needs-preparation"))
            done = run(["test"] + common + ["--password-stdin", "--no-alternates", "--json"],
                       password, hint_home)
            check("needs preparation: JSON whole", json.loads(done.stdout)["works"] is True, done.stderr)
            check("needs preparation: a note with its date before the test",
                  "Note: The provider needs something done on its website" in done.stderr and
                  "(Last checked 2025-06-01.)" in done.stderr and "Warning:" not in done.stderr,
                  done.stderr)
            shown = run(["providers", "test.example"], None, hint_home)
            check("providers: needs-preparation status line",
                  "Status: needs-preparation (last checked 2025-06-01)" in shown.stdout, shown.stdout)

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
