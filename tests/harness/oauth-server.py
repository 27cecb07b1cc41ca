#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A loopback OAuth 2.0 authorization server for the tests.

It stands for the provider's authorization server (Google's, Microsoft's
...), which no test can reach: real dovecot asks it whether a bearer token
is good (token introspection, RFC 7662), as dovecot's oauth2 passdb asks a
real provider. Tokens live in memory, for one run.

    oauth-server.py --port-file PATH

binds 127.0.0.1 on a free port, writes the port to PATH once it listens,
and serves until SIGTERM. Endpoints:

  POST /introspect     RFC 7662: form "token"; {"active": true, "username",
                       "scope", "exp", "token_type"} or {"active": false}
                       (unknown, expired or revoked)
  POST /token          RFC 6749 §6: form "grant_type=refresh_token",
                       "refresh_token", "client_id" (only CLIENT_ID is
                       known); a new access token, the same refresh token;
                       400 invalid_grant for an unknown or revoked one
  POST /test/issue     the tests' own door: form "user", "scope" (default
                       "mail"), "lifetime" in seconds (default 3600; 0 or
                       less: already expired); {"access_token",
                       "refresh_token", "expires_in"}
  POST /test/revoke    form "token": that access or refresh token stops
                       being good
  GET  /test/calls     {"introspect": N}: how often dovecot asked
  POST /hostile/CASE   a broken token endpoint, for the client's checks:
                       huge, not-json, wrong-type, bad-token, redirect
"""

import argparse
import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
CLIENT_ID = "mail-setup-test"
_MAX_BODY = 64 * 1024


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = {}   # access token -> {"user", "scope", "exp", "revoked"}
        self.refresh = {}  # refresh token -> {"user", "scope", "revoked"}
        self.calls = {"introspect": 0}

    def issue(self, user, scope, lifetime):
        token = "ya29." + secrets.token_urlsafe(48)
        with self.lock:
            self.tokens[token] = {"user": user, "scope": scope,
                                  "exp": int(time.time()) + lifetime, "revoked": False}
        return token

    def issue_refresh(self, user, scope):
        token = "1//" + secrets.token_urlsafe(48)
        with self.lock:
            self.refresh[token] = {"user": user, "scope": scope, "revoked": False}
        return token

    def use_refresh(self, token):
        with self.lock:
            info = self.refresh.get(token)
            if info is None or info["revoked"]:
                return None
            return dict(info)

    def introspect(self, token):
        with self.lock:
            self.calls["introspect"] += 1
            info = self.tokens.get(token)
            if info is None or info["revoked"] or info["exp"] <= time.time():
                return {"active": False}
            return {"active": True, "username": info["user"], "scope": info["scope"],
                    "exp": info["exp"], "token_type": "Bearer"}

    def revoke(self, token):
        with self.lock:
            for table in (self.tokens, self.refresh):
                if token in table:
                    table[token]["revoked"] = True
                    return True
        return False


STATE = _State()


class _Handler(BaseHTTPRequestHandler):
    server_version = "ms-test-oauth/1"

    def log_message(self, format, *args):
        if os.environ.get("MS_TEST_OAUTH_VERBOSE"):
            sys.stderr.write("oauth-server: " + (format % args) + "\n")

    def _form(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            raise ValueError("body too large")
        body = self.rfile.read(length).decode("utf-8")
        return {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}

    def _json(self, status, value):
        data = json.dumps(value).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        try:
            form = self._form()
        except (ValueError, UnicodeDecodeError):
            return self._json(400, {"error": "invalid_request"})
        if path == "/introspect":
            if "token" not in form:
                return self._json(400, {"error": "invalid_request"})
            return self._json(200, STATE.introspect(form["token"]))
        if path == "/token":
            return self._token(form)
        if path.startswith("/hostile/"):
            return self._hostile(path[len("/hostile/"):])
        if path == "/test/issue":
            user, scope = form.get("user", ""), form.get("scope", "mail")
            token = STATE.issue(user, scope, int(form.get("lifetime", "3600")))
            return self._json(200, {"access_token": token, "token_type": "Bearer",
                                    "refresh_token": STATE.issue_refresh(user, scope),
                                    "expires_in": int(form.get("lifetime", "3600"))})
        if path == "/test/revoke":
            return self._json(200 if STATE.revoke(form.get("token", "")) else 404, {})
        return self._json(404, {"error": "not_found"})

    def _token(self, form):
        if form.get("client_id") != CLIENT_ID:
            return self._json(401, {"error": "invalid_client"})
        if form.get("grant_type") != "refresh_token":
            return self._json(400, {"error": "unsupported_grant_type"})
        info = STATE.use_refresh(form.get("refresh_token", ""))
        if info is None:
            return self._json(400, {"error": "invalid_grant"})
        return self._json(200, {"access_token": STATE.issue(info["user"], info["scope"], 3600),
                                "token_type": "Bearer", "expires_in": 3600,
                                "scope": info["scope"]})

    def _hostile(self, case):
        good = {"access_token": "ya29.x", "token_type": "Bearer", "expires_in": 3600}
        if case == "huge":
            return self._json(200, dict(good, padding="x" * (200 * 1024)))
        if case == "not-json":
            data = b"<html>sign in</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        if case == "wrong-type":
            return self._json(200, dict(good, token_type="mac"))
        if case == "bad-token":
            return self._json(200, dict(good, access_token="ya29.x\r\nA2 LOGOUT"))
        if case == "redirect":
            self.send_response(307)
            self.send_header("Location", "/token")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        return self._json(404, {"error": "not_found"})

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/test/calls":
            with STATE.lock:
                return self._json(200, dict(STATE.calls))
        return self._json(404, {"error": "not_found"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()

    httpd = ThreadingHTTPServer((HOST, 0), _Handler)
    httpd.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=httpd.shutdown).start())
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % httpd.server_address[1])
    os.rename(tmp, args.port_file)
    httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
