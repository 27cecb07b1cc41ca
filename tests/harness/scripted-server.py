#!/usr/bin/env python3
# scripted-server.py: a fake mail server that follows a script, for replies no real server gives
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fake server for what no real server will do: a provider's odd reply
(e.g. "571 ... E1110"), a hang in the middle of the greeting, binary garbage,
a 1 MB line, a close in the middle of a reply, lockout messages. Everything
a real server can do is tested against the real dovecot and postfix instead
(run-with-mail-servers); a test using this one should say why.

Usage:
  scripted-server.py SCRIPT.json [--record FILE] [--record-cleartext FILE]
                     [--connections N] [--host 127.0.0.1] [--timeout SECS]
                     [--cert PEM --key PEM]

Listens on HOST (default 127.0.0.1) on a free port, prints "PORT <n>" as its
first line on stdout (flushed) and "ACCEPTED <i>" when it accepts connection
i (from 1, flushed: an event a test can wait for), serves N connections one after the other
(default 1, or "connections" in the script), each with the same steps, then
exits: 0 when every step went as scripted, 1 when an "expect" failed (the
reason goes to stderr), 2 on a usage or script error.

--record FILE gets every byte the client sent, in order, as plain text
(after TLS decryption), flushed as it arrives, so a test can prove that a
password never arrived. --record-cleartext FILE gets only the bytes that
came before TLS (what went over the wire unencrypted).

Script (JSON object):
  "tls": "none" (default) | "implicit"   TLS from the first byte, or not
  "connections": N                        as --connections
  "steps": [ ... ] run in order, each an object with one action:
    {"send": "220 hi\\r\\n"}             send text (UTF-8); "\\r\\n" is yours
    {"send_hex": "00ff0d0a"}             send raw bytes given in hex
    {"send_bytes": 1048576, "byte": "A"} send N copies of one byte (default "A")
    {"expect": "^EHLO "}                 read one line (up to LF, CRLF
                                         stripped) and require the Python
                                         regex to match it (re.search);
                                         options: "timeout" (s, default 10)
    {"starttls": true}                   TLS handshake now (server side), as
                                         after a "220 Ready to start TLS"
    {"sleep": 0.5}                       pause (seconds)
    {"hang": true}                       keep the connection open, record what
                                         arrives, until the client closes or
                                         --timeout; never fails
    {"expect_close": true}               require the client to close within
                                         "timeout" (default 10 s)
    {"close": true}                      close now (no TLS close_notify);
                                         {"close": "reset"} sends a TCP RST
  Any step may add "comment": "..." (ignored). When the steps run out, the
  connection is closed.

TLS uses --cert/--key, by default MS_TEST_SSL_CERT_FILE and
MS_TEST_SSL_KEY_FILE from run-with-mail-servers (signed by MS_TEST_CA_FILE,
valid for localhost and 127.0.0.1).

Example, a provider that refuses the login with its own code:
  {"steps": [{"send": "220 smtp.example ESMTP\\r\\n"}, {"expect": "^EHLO"},
             {"send": "250-smtp.example\\r\\n250 AUTH PLAIN LOGIN\\r\\n"},
             {"expect": "^AUTH"}, {"send": "571 5.7.1 Rejected E1110\\r\\n"},
             {"expect_close": true}]}
"""

import argparse
import json
import os
import re
import socket
import ssl
import struct
import sys
import time

ACTIONS = ("send", "send_hex", "send_bytes", "expect", "starttls", "sleep", "hang",
           "expect_close", "close")


class ScriptFailed(Exception):
    pass


class Recorder:
    def __init__(self, path, cleartext_path):
        self.all = open(path, "ab") if path else None
        self.cleartext = open(cleartext_path, "ab") if cleartext_path else None

    def add(self, data, encrypted):
        for f, wanted in ((self.all, True), (self.cleartext, not encrypted)):
            if f is not None and wanted:
                f.write(data)
                f.flush()


class Connection:
    def __init__(self, sock, context, recorder, deadline):
        self.sock = sock
        self.context = context
        self.recorder = recorder
        self.deadline = deadline
        self.encrypted = False
        self.buf = b""

    def wrap(self):
        if self.buf:
            raise ScriptFailed("client sent %r before the TLS handshake" % self.buf)
        self.sock.settimeout(max(0.1, self.deadline - time.monotonic()))
        self.sock = self.context.wrap_socket(self.sock, server_side=True)
        self.encrypted = True

    def recv(self, timeout):
        self.sock.settimeout(max(0.01, min(timeout, self.deadline - time.monotonic())))
        data = self.sock.recv(65536)
        if data:
            self.recorder.add(data, self.encrypted)
        return data

    def readline(self, timeout):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                raise ScriptFailed("no complete line within %.1f s; got %r" % (timeout, self.buf))
            try:
                data = self.recv(left)
            except (socket.timeout, TimeoutError):
                continue
            if not data:
                raise ScriptFailed("client closed the connection; partial line %r" % self.buf)
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def drain_until_close(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                data = self.recv(end - time.monotonic())
            except (socket.timeout, TimeoutError):
                continue
            except OSError:
                return True
            if not data:
                return True
        return False

    def close(self, reset=False):
        if reset:
            raw = self.sock
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        try:
            self.sock.close()
        except OSError:
            pass


def check_script(script):
    if not isinstance(script, dict) or not isinstance(script.get("steps"), list):
        raise ValueError('the script must be an object with a "steps" list')
    if script.get("tls", "none") not in ("none", "implicit"):
        raise ValueError('"tls" must be "none" or "implicit"')
    for number, step in enumerate(script["steps"], 1):
        actions = [key for key in step if key in ACTIONS]
        unknown = [key for key in step
                   if key not in ACTIONS + ("byte", "timeout", "comment")]
        if len(actions) != 1 or unknown:
            raise ValueError("step %d needs exactly one of %s (got %s)"
                             % (number, ", ".join(ACTIONS), ", ".join(step)))
        if "expect" in step:
            re.compile(step["expect"])


def serve(conn, script, hang_timeout):
    """Returns normally when every step went as scripted."""
    for number, step in enumerate(script["steps"], 1):
        try:
            if "send" in step:
                conn.sock.sendall(step["send"].encode("utf-8"))
            elif "send_hex" in step:
                conn.sock.sendall(bytes.fromhex(step["send_hex"]))
            elif "send_bytes" in step:
                byte = step.get("byte", "A").encode("latin-1")
                if len(byte) != 1:
                    raise ValueError('"byte" must be one character')
                conn.sock.sendall(byte * int(step["send_bytes"]))
            elif "expect" in step:
                line = conn.readline(float(step.get("timeout", 10)))
                text = line.decode("utf-8", "replace")
                if not re.search(step["expect"], text):
                    raise ScriptFailed("expected /%s/, got %r" % (step["expect"], text))
            elif "starttls" in step:
                conn.wrap()
            elif "sleep" in step:
                time.sleep(float(step["sleep"]))
            elif "hang" in step:
                conn.drain_until_close(hang_timeout)
                return
            elif "expect_close" in step:
                if not conn.drain_until_close(float(step.get("timeout", 10))):
                    raise ScriptFailed("the client did not close the connection")
                return
            elif "close" in step:
                conn.close(reset=step["close"] == "reset")
                return
        except ScriptFailed as e:
            raise ScriptFailed("step %d %s: %s" % (number, json.dumps(step), e))
        except (OSError, ssl.SSLError) as e:
            raise ScriptFailed("step %d %s: %s: %s"
                               % (number, json.dumps(step), type(e).__name__, e))


def main():
    parser = argparse.ArgumentParser(description="scripted fake mail server for tests")
    parser.add_argument("script")
    parser.add_argument("--record")
    parser.add_argument("--record-cleartext")
    parser.add_argument("--connections", type=int)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="overall limit in seconds (default 60)")
    parser.add_argument("--cert", default=os.environ.get("MS_TEST_SSL_CERT_FILE"))
    parser.add_argument("--key", default=os.environ.get("MS_TEST_SSL_KEY_FILE"))
    args = parser.parse_args()

    try:
        with open(args.script, encoding="utf-8") as f:
            script = json.load(f)
        check_script(script)
    except (OSError, ValueError, re.error) as e:
        print("scripted-server: bad script %s: %s" % (args.script, e), file=sys.stderr)
        return 2

    context = None
    uses_tls = script.get("tls") == "implicit" or any("starttls" in s for s in script["steps"])
    if uses_tls:
        if not args.cert or not args.key:
            print("scripted-server: the script uses TLS: pass --cert/--key or run under "
                  "run-with-mail-servers", file=sys.stderr)
            return 2
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)

    connections = args.connections or int(script.get("connections", 1))
    deadline = time.monotonic() + args.timeout
    recorder = Recorder(args.record, args.record_cleartext)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, 0))
    listener.listen(connections)
    print("PORT %d" % listener.getsockname()[1], flush=True)

    status = 0
    for index in range(connections):
        listener.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            sock, _ = listener.accept()
        except (socket.timeout, TimeoutError):
            print("scripted-server: no connection %d within the time limit" % (index + 1),
                  file=sys.stderr)
            return 1
        print("ACCEPTED %d" % (index + 1), flush=True)
        conn = Connection(sock, context, recorder, deadline)
        try:
            if script.get("tls") == "implicit":
                conn.wrap()
            serve(conn, script, max(0.0, deadline - time.monotonic()))
        except ScriptFailed as e:
            print("scripted-server: connection %d: %s" % (index + 1, e), file=sys.stderr)
            status = 1
        except (OSError, ssl.SSLError) as e:
            print("scripted-server: connection %d: TLS handshake: %s" % (index + 1, e),
                  file=sys.stderr)
            status = 1
        finally:
            conn.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
