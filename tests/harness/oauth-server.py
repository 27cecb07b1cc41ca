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

Browser sign-in (authorization code with PKCE, RFC 6749 §4.1, RFC 7636,
loopback redirect RFC 8252 §7.3), as a provider's server does it:

  GET  /authorize      checks client_id (CLIENT_ID or a registered one),
                       response_type=code, redirect_uri a loopback
                       http://127.0.0.1:PORT/ address, code_challenge
                       (S256, 43 base64url characters), state; then, by
                       the behaviour set with /test/behaviour: 302 to the
                       redirect_uri with code and state (consent), with
                       error=access_denied (refuse), with a code whose
                       grant lacks "mail" (wrong-scope), once with a wrong
                       state then as consent (wrong-state), or a page
                       without any redirect (no-redirect: the person
                       closes the browser). A bad request gets 400 and no
                       redirect (RFC 6749 §4.1.2.1).
  POST /token          also grant_type=authorization_code: the code once
                       only, the same client and redirect_uri as
                       authorized, and a code_verifier whose S256 is the
                       challenge; else 400 invalid_grant
  GET  /.well-known/oauth-authorization-server
                       RFC 8414 metadata, by the "metadata" behaviour:
                       normal (with registration_endpoint),
                       no-registration, missing (404), wrong-issuer,
                       http-registration (a non-loopback http address),
                       huge, no-s256, not-json, bad-client (registration
                       answers a client id with a line break), slow (5 s)
  POST /register       RFC 7591: JSON with loopback redirect_uris and
                       token_endpoint_auth_method "none"; 201 with a new
                       client_id, which /authorize and /token accept
  POST /test/behaviour form "authorize" and/or "metadata" (see above)
  GET  /test/last-authorize
                       the query of the last /authorize, for the tests
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import signal
import sys
import threading
import time
import re
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
CLIENT_ID = "mail-setup-test"
# An "installed application" client with a secret (as Google's are,
# RFC 8252 §8.5): /token wants its secret with the code.
SECRET_CLIENT_ID, SECRET_CLIENT_SECRET = "mail-setup-test-secret", "not-so-secret"
_MAX_BODY = 64 * 1024


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = {}   # access token -> {"user", "scope", "exp", "revoked"}
        self.refresh = {}  # refresh token -> {"user", "scope", "revoked"}
        self.calls = {"introspect": 0, "authorize": 0, "register": 0, "code": 0}
        self.codes = {}     # code -> {"client_id", "redirect_uri", "challenge", "user", "scope", "used"}
        self.clients = set()  # registered at /register
        self.behaviour = {"authorize": "consent", "metadata": "normal"}
        self.last_authorize = {}

    def issue_code(self, client_id, redirect_uri, challenge, user, scope):
        code = "code-" + secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {"client_id": client_id, "redirect_uri": redirect_uri,
                                "challenge": challenge, "user": user, "scope": scope,
                                "used": False}
        return code

    def use_code(self, code):
        """The code's grant, once (RFC 6749 §4.1.2: single use)."""
        with self.lock:
            self.calls["code"] += 1
            info = self.codes.get(code)
            if info is None or info["used"]:
                return None
            info["used"] = True
            return dict(info)

    def known_client(self, client_id):
        with self.lock:
            return client_id in (CLIENT_ID, SECRET_CLIENT_ID) or client_id in self.clients

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

# RFC 8252 §7.3: the loopback IP literal, any port, any path.
_LOOPBACK_REDIRECT = re.compile(r"http://127\.0\.0\.1:[0-9]{1,5}/[^?#]*")
# RFC 7636 §4.1-4.2: the verifier's characters; S256 gives 43 characters.
_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")


def _s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


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
        if path == "/register":
            return self._register()
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
        if path == "/test/behaviour":
            with STATE.lock:
                for key in ("authorize", "metadata"):
                    if key in form:
                        STATE.behaviour[key] = form[key]
            return self._json(200, {})
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
        if not STATE.known_client(form.get("client_id")):
            return self._json(401, {"error": "invalid_client"})
        if form.get("grant_type") == "authorization_code":
            return self._code_grant(form)
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

    def _code_grant(self, form):
        if (form.get("client_id") == SECRET_CLIENT_ID
                and form.get("client_secret") != SECRET_CLIENT_SECRET):
            return self._json(401, {"error": "invalid_client"})
        info = STATE.use_code(form.get("code", ""))
        verifier = form.get("code_verifier", "")
        if (info is None or info["client_id"] != form.get("client_id")
                or info["redirect_uri"] != form.get("redirect_uri")
                or not _VERIFIER.fullmatch(verifier) or _s256(verifier) != info["challenge"]):
            return self._json(400, {"error": "invalid_grant"})
        return self._json(200, {"access_token": STATE.issue(info["user"], info["scope"], 3600),
                                "refresh_token": STATE.issue_refresh(info["user"], info["scope"]),
                                "token_type": "Bearer", "expires_in": 3600,
                                "scope": info["scope"]})

    def _page(self, status, text, location=None):
        data = text.encode("utf-8")
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorize(self, query):
        params = {k: v[0] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
        with STATE.lock:
            STATE.calls["authorize"] += 1
            STATE.last_authorize = dict(params)
            behaviour = STATE.behaviour["authorize"]
            if behaviour == "wrong-state":
                STATE.behaviour["authorize"] = "consent"   # once
        redirect = params.get("redirect_uri", "")
        if (not STATE.known_client(params.get("client_id"))
                or params.get("response_type") != "code"
                or not _LOOPBACK_REDIRECT.fullmatch(redirect)
                or params.get("code_challenge_method") != "S256"
                or not _CHALLENGE.fullmatch(params.get("code_challenge", ""))
                or not params.get("state")):
            return self._page(400, "bad authorization request")
        state = params["state"]
        if behaviour == "no-redirect":
            return self._page(200, "Sign in to the test provider")
        if behaviour == "refuse":
            answer = {"error": "access_denied", "state": state}
        else:
            scope = "openid" if behaviour == "wrong-scope" else params.get("scope", "")
            code = STATE.issue_code(params["client_id"], redirect, params["code_challenge"],
                                    params.get("login_hint", ""), scope)
            answer = {"code": code, "state": "not-" + state if behaviour == "wrong-state" else state}
        return self._page(302, "", redirect + "?" + urllib.parse.urlencode(answer))

    def _metadata(self):
        base = "http://%s:%d" % (HOST, self.server.server_address[1])
        case = STATE.behaviour["metadata"]
        meta = {"issuer": base, "authorization_endpoint": base + "/authorize",
                "token_endpoint": base + "/token", "registration_endpoint": base + "/register",
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"]}
        if case == "missing":
            return self._json(404, {"error": "not_found"})
        if case == "slow":
            time.sleep(5)   # longer than the sign-in's timeout in the test
        if case == "no-registration":
            del meta["registration_endpoint"]
        elif case == "wrong-issuer":
            meta["issuer"] = "https://accounts.example.org"
        elif case == "http-registration":
            # A documentation address (RFC 5737): refused unread, never contacted.
            meta["registration_endpoint"] = "http://192.0.2.1/register"
        elif case == "huge":
            meta["padding"] = "x" * (200 * 1024)
        elif case == "no-s256":
            meta["code_challenge_methods_supported"] = ["plain"]
        elif case == "not-json":
            return self._page(200, "<html>metadata</html>")
        return self._json(200, meta)

    def _register(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            if length > _MAX_BODY:
                raise ValueError("body too large")
            request = json.loads(self.rfile.read(length).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return self._json(400, {"error": "invalid_client_metadata"})
        uris = request.get("redirect_uris") if isinstance(request, dict) else None
        if (not isinstance(uris, list) or not uris
                or not all(isinstance(u, str) and _LOOPBACK_REDIRECT.fullmatch(
                    u.replace("127.0.0.1/", "127.0.0.1:1/")) for u in uris)
                or request.get("token_endpoint_auth_method") != "none"):
            return self._json(400, {"error": "invalid_redirect_uri"})
        client_id = "registered-" + secrets.token_urlsafe(12)
        with STATE.lock:
            STATE.calls["register"] += 1
            STATE.clients.add(client_id)
            bad = STATE.behaviour["metadata"] == "bad-client"
        return self._json(201, {"client_id": client_id + ("\nX" if bad else ""),
                                "client_id_issued_at": int(time.time()),
                                "redirect_uris": uris, "token_endpoint_auth_method": "none",
                                "grant_types": ["authorization_code", "refresh_token"]})

    def do_GET(self):
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        if path == "/test/calls":
            with STATE.lock:
                return self._json(200, dict(STATE.calls))
        if path == "/test/last-authorize":
            with STATE.lock:
                return self._json(200, dict(STATE.last_authorize))
        if path == "/authorize":
            return self._authorize(split.query)
        if path == "/.well-known/oauth-authorization-server":
            return self._metadata()
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
