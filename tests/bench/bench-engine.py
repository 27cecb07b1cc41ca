#!/usr/bin/env python3
# bench-engine.py: how much the parallel account test and one login cost
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark of the connection-test engine, run under
tests/harness/run-with-mail-servers (meson test --benchmark bench-engine).

Every server is reached through tests/harness/delay-proxy.py, which adds a
fixed one-way delay, so round trips dominate as they do on a real network.
It prints, as ratios measured in this one run:

  1. a full Mobile-like profile test (IMAP + POP3 + SMTP, each with a
     login) against the slowest single server's own test (target <= 1.2);
  2. the time one IMAPS login test takes against the floor: a minimal
     client here that does only connect, TLS, greeting (which lists the
     capabilities) and AUTHENTICATE PLAIN (target <= 1.15).

It asserts only that the tests worked, never a time: timings on a shared
machine are for reading, not for failing."""

import base64
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

DELAY_MS = 40
RUNS = 5

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "..", "harness")
MAIL_SETUP = os.environ.get("MS_MAIL_SETUP") or os.path.join(os.environ["MS_BUILD_ROOT"], "src", "mail-setup")

SERVER = """    <{kind} type="{protocol}">
      <hostname>127.0.0.1</hostname>
      <port>{port}</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </{kind}>
"""


def start_proxy(target_port):
    proxy = subprocess.Popen([sys.executable, os.path.join(HARNESS, "delay-proxy.py"),
                              "--target", f"127.0.0.1:{target_port}",
                              "--delay-ms", str(DELAY_MS)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proxy.stdout.readline()
    if not line.startswith("PORT "):
        sys.exit(f"delay-proxy.py did not start: {line!r}")
    return proxy, int(line.split()[1])


def write_provider(config_home, servers):
    directory = os.path.join(config_home, "mail-setup", "providers")
    os.makedirs(directory, exist_ok=True)
    body = "".join(SERVER.format(kind="outgoingServer" if p == "smtp" else "incomingServer",
                                 protocol=p, port=port) for p, port in servers)
    with open(os.path.join(directory, "test.example.xml"), "w") as f:
        f.write('<?xml version="1.0"?>\n<clientConfig version="1.1">\n'
                '  <emailProvider id="test.example">\n'
                '    <domain>test.example</domain>\n'
                '    <displayName>Bench</displayName>\n' + body +
                '  </emailProvider>\n</clientConfig>\n')


def run_test(config_home, password):
    environment = dict(os.environ, XDG_CONFIG_HOME=config_home)
    start = time.monotonic()
    done = subprocess.run([MAIL_SETUP, "test", os.environ["MS_TEST_USER"], "--password-stdin",
                           "--ca-file", os.environ["MS_TEST_CA_FILE"], "--no-alternates",
                           "--json"], input=password, capture_output=True, text=True,
                          env=environment, timeout=120)
    elapsed = time.monotonic() - start
    report = json.loads(done.stdout)
    for server in report["servers"]:
        if server["login"] != "succeeded":
            sys.exit(f"benchmark setup broken: {server['protocol']} login {server['login']}: "
                     f"{server['diagnoses']}")
    return elapsed, report


def floor_imaps_login(port, user, password):
    """The least any client can do to prove an IMAPS login."""
    context = ssl.create_default_context(cafile=os.environ["MS_TEST_CA_FILE"])
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            reader = tls.makefile("rb")
            greeting = reader.readline()
            if b"AUTH=PLAIN" not in greeting or b"SASL-IR" not in greeting:
                sys.exit(f"floor client needs capabilities in the greeting: {greeting!r}")
            token = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
            tls.sendall(f"a1 AUTHENTICATE PLAIN {token}\r\n".encode())
            while True:
                line = reader.readline()
                if line.startswith(b"a1 "):
                    break
            if not line.startswith(b"a1 OK"):
                sys.exit(f"floor client login failed: {line!r}")
    return time.monotonic() - start


def main():
    with open(os.environ["MS_TEST_PASSWORD_FILE"]) as f:
        password = f.read()
    ports = {"imap": os.environ["MS_TEST_IMAPS_PORT"], "pop3": os.environ["MS_TEST_POP3S_PORT"],
             "smtp": os.environ["MS_TEST_SUBMISSIONS_PORT"]}
    proxies = {}
    try:
        for protocol, port in ports.items():
            proxies[protocol] = start_proxy(port)
        proxied = {p: proxies[p][1] for p in ports}

        full, single, ours_login, floor = [], {p: [] for p in ports}, [], []
        with tempfile.TemporaryDirectory() as home:
            for _ in range(RUNS):
                write_provider(home, list(proxied.items()))
                full.append(run_test(home, password)[0])
                for protocol, port in proxied.items():
                    write_provider(home, [(protocol, port)])
                    elapsed, report = run_test(home, password)
                    single[protocol].append(elapsed)
                    if protocol == "imap":
                        ours_login.append(report["servers"][0]["timings_ms"]["total"] / 1000)
                floor.append(floor_imaps_login(proxied["imap"], os.environ["MS_TEST_USER"],
                                               password))

        full_median = statistics.median(full)
        slowest = max(statistics.median(times) for times in single.values())
        login_median = statistics.median(ours_login)
        floor_median = statistics.median(floor)
        rtt = 2 * DELAY_MS / 1000

        print(f"# one-way delay {DELAY_MS} ms, {RUNS} runs each, medians")
        print(f"# full profile (IMAP+POP3+SMTP, logins): {full_median * 1000:.0f} ms")
        for protocol, times in single.items():
            print(f"# {protocol} alone: {statistics.median(times) * 1000:.0f} ms")
        print(f"full-profile / slowest-single ratio: {full_median / slowest:.2f} (target <= 1.2)")
        print(f"# IMAPS login test: {login_median * 1000:.0f} ms = {login_median / rtt:.1f} RTT; "
              f"floor client: {floor_median * 1000:.0f} ms = {floor_median / rtt:.1f} RTT")
        print(f"login round trips / floor ratio: {login_median / floor_median:.2f} (target <= 1.15)")
    finally:
        for proxy, _ in proxies.values():
            proxy.terminate()
            proxy.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
