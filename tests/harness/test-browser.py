#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The person's web browser, for the sign-in tests.

    test-browser.py URL

Launched by GIO as the default handler of http (a .desktop file and
mimeapps.list in the test's own XDG directories, made by
browser_setup() below), as a real browser would be. It GETs URL (the
authorization server, tests/harness/oauth-server.py) and follows its
redirect to the loopback listener, as a browser does. When the listener
answers 400 (not the answer it waits for), it goes back to URL once, as
a person would try the link again.

MS_TEST_BROWSER_MODE=closed: the person closes the browser: exits at
once, visiting nothing. MS_TEST_BROWSER_LOG=PATH: appends one JSON line
per run: its argv and each step's status (never a page's body).
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

_TIMEOUT = 20


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def _get(url):
    """(status, Location) of one GET."""
    try:
        with _OPENER.open(url, timeout=_TIMEOUT) as answer:
            answer.read(65536)
            return answer.status, answer.headers.get("Location")
    except urllib.error.HTTPError as e:
        e.read(65536)
        return e.code, e.headers.get("Location")


def _visit(url, steps):
    status, location = _get(url)
    steps.append({"url": urllib.parse.urlsplit(url).path, "status": status})
    if status not in (302, 303) or not location:
        return None
    # Only the loopback listener, never anywhere else.
    if not location.startswith("http://127.0.0.1:"):
        steps.append({"refused": "not loopback"})
        return None
    status, _ = _get(location)
    steps.append({"url": "loopback", "status": status})
    return status


def browse(url, mode):
    steps = []
    if mode != "closed":
        if _visit(url, steps) == 400:
            _visit(url, steps)
    return steps


def browser_setup(base, mode=None, log=None):
    """XDG_DATA_HOME and XDG_CONFIG_HOME under @base where this script is
    the default browser; returns the environment variables to set. The
    system's directories are left out, so no other browser is found."""
    applications = os.path.join(base, "data", "applications")
    config = os.path.join(base, "config")
    os.makedirs(applications, exist_ok=True)
    os.makedirs(config, exist_ok=True)
    os.makedirs(os.path.join(base, "data-dirs"), exist_ok=True)
    with open(os.path.join(applications, "ms-test-browser.desktop"), "w") as f:
        f.write("[Desktop Entry]\nType=Application\nName=Test browser\n"
                "Exec=%s %s %%u\n"
                "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n"
                % (sys.executable, os.path.abspath(__file__)))
    with open(os.path.join(config, "mimeapps.list"), "w") as f:
        f.write("[Default Applications]\n"
                "x-scheme-handler/http=ms-test-browser.desktop\n"
                "x-scheme-handler/https=ms-test-browser.desktop\n")
    env = {"XDG_DATA_HOME": os.path.join(base, "data"), "XDG_CONFIG_HOME": config,
           "XDG_DATA_DIRS": os.path.join(base, "data-dirs"),
           "XDG_CONFIG_DIRS": os.path.join(base, "data-dirs")}
    if mode is not None:
        env["MS_TEST_BROWSER_MODE"] = mode
    if log is not None:
        env["MS_TEST_BROWSER_LOG"] = log
    return env


def main():
    if len(sys.argv) != 2:
        print("usage: test-browser.py URL", file=sys.stderr)
        return 2
    steps = browse(sys.argv[1], os.environ.get("MS_TEST_BROWSER_MODE", "visit"))
    log = os.environ.get("MS_TEST_BROWSER_LOG")
    if log:
        # Whole lines only, all at once: the tests read the log while the
        # browser may still be writing it.
        try:
            with open(log) as f:
                kept = f.read()
        except FileNotFoundError:
            kept = ""
        with open(log + ".tmp", "w") as f:
            f.write(kept + json.dumps({"argv": sys.argv, "steps": steps}) + "\n")
        os.replace(log + ".tmp", log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
