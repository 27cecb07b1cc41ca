# mstest.py: the one helper module of the Python test suites
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""TAP output, fail-loud checks, the real mail-setup, waits on events.

Every Python suite under tests/ imports this module instead of carrying its
own TAP printer. Two shapes of suite share it:

* Registered tests, each one TAP point, run in order and one by one when
  named on the command line (`suite.py t_kill`, or through meson:
  `meson test -C _build test-export-programs --test-args t_kill`)::

      @mstest.test("what it proves")
      def t_something():
          mstest.check_equal(got, want, "the port")

      sys.exit(mstest.main())

* A checklist: one flow records many named points (`Checklist.check`),
  printed as TAP at the end; an exception in the flow is a failed point of
  its own, never a silent stop.

The checks raise `Failure` (plain `assert` is stripped by `python -O`, so
tests/ has none). Waits poll for an event (a file, a log line, a
condition) under a generous deadline that only bounds a hang: a fast
machine never waits for it, a slow one does not fail for being slow.
"""

import os
import socket
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get("MS_SOURCE_ROOT") or os.path.dirname(os.path.dirname(HERE))
BUILD_ROOT = os.environ.get("MS_BUILD_ROOT", "")
# The build's own binary (mail-setup, or mail-setup-devel in a development
# build): tests/meson.build passes its path.
MAIL_SETUP = os.environ.get("MS_MAIL_SETUP") or os.path.join(BUILD_ROOT, "src", "mail-setup")

# Bounds a hang, not a measurement: what a test waits for normally comes
# in well under a second.
HANG_DEADLINE = float(os.environ.get("MS_TEST_HANG_DEADLINE", "60"))


class Failure(Exception):
    """A check that did not hold; its message says what and why."""


# --- checks -----------------------------------------------------------------

def _what(message):
    return f"{message}: " if message else ""


def check(condition, message=""):
    """Fail with MESSAGE unless CONDITION holds.

    Unlike assert's, MESSAGE is evaluated before the check: one that costs
    something or blocks (a pipe's read()) goes in a lambda, called only on
    failure."""
    if not condition:
        if callable(message):
            message = message()
        raise Failure(str(message) if message != "" else "check failed")


def fail(message):
    raise Failure(str(message))


def check_true(value, message=""):
    check(value, message or f"expected a true value, got {value!r}")


def check_false(value, message=""):
    check(not value, message or f"expected a false value, got {value!r}")


def check_equal(actual, expected, message=""):
    if actual != expected:
        raise Failure(f"{_what(message)}got {actual!r}, expected {expected!r}")


def check_in(needle, haystack, message=""):
    if needle not in haystack:
        raise Failure(f"{_what(message)}{needle!r} not in {_shorten(haystack)!r}")


def check_not_in(needle, haystack, message=""):
    if needle in haystack:
        raise Failure(f"{_what(message)}{needle!r} unexpectedly in {_shorten(haystack)!r}")


def _shorten(value, limit=2000):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# --- the environment ----------------------------------------------------------

def env(name):
    """A variable the wrappers set (run-with-mail-servers, ...); fails loudly without it."""
    value = os.environ.get(name)
    if not value:
        raise Failure(f"{name} is not set: run this through the wrapper in tests/harness/ "
                      "that provides it (see tests/harness/README.md)")
    return value


def read_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def password(name="MS_TEST_PASSWORD_FILE"):
    """The password in the file the variable NAME points to (no newline)."""
    with open(env(name), encoding="utf-8") as f:
        return f.read()


def require_root(why):
    """Root-only suites call this first: not root is a loud failure, never a skip."""
    if os.geteuid() != 0:
        bail_out(f"needs root ({why}); run the tests as root, e.g. sudo meson test")


def bail_out(reason):
    """Stop the whole suite with a TAP bail-out as the first line of output."""
    print(f"Bail out! {reason}", flush=True)
    sys.exit(1)


def require_mail_setup():
    if not os.access(MAIL_SETUP, os.X_OK):
        bail_out(f"{MAIL_SETUP} is not built (MS_MAIL_SETUP, MS_BUILD_ROOT)")


# --- provider files -------------------------------------------------------------

_SERVER_XML = """\
    <{element} type="{kind}">
      <hostname>{host}</hostname>
      <port>{port}</port>
      <socketType>{security}</socketType>
      <username>{username}</username>
      <authentication>password-cleartext</authentication>
    </{element}>
"""


def provider_xml(servers, provider_id="test.example", domains=None, display_name="Test Mail"):
    """A provider file (the autoconfig format mail-setup reads) for SERVERS.

    SERVERS are (type, host, port, socketType) tuples, with a username as a
    fifth member where it is not %EMAILADDRESS%: "smtp" is the outgoing
    server, the others incoming, in their order. DOMAINS defaults to the
    provider id alone."""
    lines = [f'<?xml version="1.0"?>\n<clientConfig version="1.1">\n'
             f'  <emailProvider id="{provider_id}">\n']
    lines += [f"    <domain>{domain}</domain>\n" for domain in (domains or [provider_id])]
    lines.append(f"    <displayName>{display_name}</displayName>\n")
    for kind, host, port, security, *username in servers:
        lines.append(_SERVER_XML.format(
            element="outgoingServer" if kind == "smtp" else "incomingServer", kind=kind,
            host=host, port=port, security=security,
            username=username[0] if username else "%EMAILADDRESS%"))
    lines.append("  </emailProvider>\n</clientConfig>\n")
    return "".join(lines)


def write_provider(config_home, xml, domain="test.example"):
    """Puts XML where mail-setup reads the user's provider files under
    CONFIG_HOME (its XDG_CONFIG_HOME); returns the file's path."""
    providers = os.path.join(config_home, "mail-setup", "providers")
    os.makedirs(providers, exist_ok=True)
    path = os.path.join(providers, f"{domain}.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(xml)
    return path


def harness_servers(host=None, incoming=("imap",), outgoing_port=None, outgoing_security="SSL"):
    """The servers of tests/harness/run-with-mail-servers for provider_xml():
    IMAPS (or POP3 with STARTTLS) and SMTP submission over implicit TLS,
    unless OUTGOING_PORT and OUTGOING_SECURITY say otherwise."""
    host = host or env("MS_TEST_HOST")
    ports = {"imap": (env("MS_TEST_IMAPS_PORT"), "SSL"),
             "pop3": (env("MS_TEST_POP3_PORT"), "STARTTLS")}
    servers = [(kind, host) + ports[kind] for kind in incoming]
    servers.append(("smtp", host, outgoing_port or env("MS_TEST_SUBMISSIONS_PORT"),
                    outgoing_security))
    return servers


# --- OAuth: the tests' authorization server and the keyring's token items ------
#
# tests/harness/oauth-server.py (at MS_TEST_OAUTH_URL, which
# run-with-mail-servers sets) stands for the provider's authorization
# server, which no test can reach: it issues and refreshes the tokens, and
# real dovecot's oauth2 passdb asks it about every bearer token (postfix's
# logins too, which postfix asks dovecot for). The tokens a sign-in keeps
# live in the real keyring (run-with-keyring's gnome-keyring), read and
# written here with the real secret-tool under Mail Setup's schema.

# The one client oauth-server.py knows from the start.
OAUTH_CLIENT_ID = "mail-setup-test"
# Mail Setup's libsecret schema (src/core/ms-keyring.c).
KEYRING_SCHEMA = "io.github.mailsetup.MailSetup.Account"
# Bounds a hang of the loopback authorization server, nothing more.
OAUTH_TIMEOUT = 30


def oauth_post(path, **form):
    """POST FORM to the authorization server's PATH ("/test/issue",
    "/test/revoke", "/token" ...); returns its JSON answer. An HTTP error
    raises urllib.error.HTTPError, whose code the caller may check."""
    import json
    import urllib.parse
    import urllib.request
    data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(env("MS_TEST_OAUTH_URL") + path, data,
                                timeout=OAUTH_TIMEOUT) as answer:
        return json.load(answer)


def oauth_calls():
    """The authorization server's counts of what it was asked
    ({"introspect": N, "register": M, ...})."""
    import json
    import urllib.request
    with urllib.request.urlopen(env("MS_TEST_OAUTH_URL") + "/test/calls",
                                timeout=OAUTH_TIMEOUT) as answer:
        return json.load(answer)


def oauth_introspections():
    """How often dovecot asked the authorization server about a token:
    once per bearer login (postfix's included, which it asks dovecot for)."""
    return oauth_calls()["introspect"]


def oauth_provider_xml(servers=None, authentication=None, issuer="127.0.0.1", **kwargs):
    """A provider file (provider_xml(): SERVERS, by default the harness's
    IMAPS and SMTP submission, and KWARGS) with an oAuth2 block whose
    authorization and token endpoints are the tests' authorization server.
    AUTHENTICATION, if given ("OAuth2"), replaces every server's
    password-cleartext; without it the servers take passwords and the block
    alone names the sign-in."""
    url = env("MS_TEST_OAUTH_URL")
    xml = provider_xml(servers if servers is not None else harness_servers(), **kwargs)
    if authentication is not None:
        xml = xml.replace("<authentication>password-cleartext</authentication>",
                          f"<authentication>{authentication}</authentication>")
    return xml.replace("</clientConfig>",
                       f"<oAuth2>\n<issuer>{issuer}</issuer>\n<scope>mail</scope>\n"
                       f"<authURL>{url}/authorize</authURL>\n"
                       f"<tokenURL>{url}/token</tokenURL>\n</oAuth2>\n</clientConfig>")


def keyring_attributes(address, kind):
    """secret-tool's attributes of ADDRESS's token item of KIND
    ("oauth-refresh", "oauth-access"): the address lowercased and its
    sha256 as address-id, as Mail Setup stores them."""
    import hashlib
    address_id = hashlib.sha256(address.lower().encode()).hexdigest()
    return ["xdg:schema", KEYRING_SCHEMA, "address", address.lower(), "address-id", address_id,
            "kind", kind]


def keyring_store(address, kind, secret):
    """Store SECRET (on secret-tool's stdin, never its argv) as ADDRESS's item of KIND."""
    run(["secret-tool", "store", "--label=test"] + keyring_attributes(address, kind), input=secret)


def keyring_lookup(address, kind):
    """ADDRESS's item of KIND as stored, or None when there is none."""
    proc = run(["secret-tool", "lookup"] + keyring_attributes(address, kind), check=False)
    return proc.stdout if proc.returncode == 0 else None


def keyring_clear(address, *kinds, must_exist=False):
    """Remove ADDRESS's items of KINDS (by default both tokens). secret-tool
    exits 1 when it removed nothing: that fails only with MUST_EXIST."""
    for kind in kinds or ("oauth-refresh", "oauth-access"):
        run(["secret-tool", "clear"] + keyring_attributes(address, kind), check=must_exist)


def keep_sign_in(address, scope="mail", access_lifetime=3600, keep_access=True, user=None):
    """What a sign-in leaves in the keyring for ADDRESS: tokens the
    authorization server issues for USER (by default ADDRESS; dovecot logs
    in whom they name), the refresh token with its client id, and with
    KEEP_ACCESS the access token with its end (unix time), or else no
    access token at all, so the first use refreshes. An ACCESS_LIFETIME of
    0 or less issues one already expired. Returns the issued tokens."""
    issued = oauth_post("/test/issue", user=user or address, scope=scope,
                        lifetime=str(access_lifetime))
    keyring_store(address, "oauth-refresh", issued["refresh_token"] + "\n" + OAUTH_CLIENT_ID)
    if keep_access:
        keyring_store(address, "oauth-access",
                      "%s\n%d" % (issued["access_token"], int(time.time()) + access_lifetime))
    else:
        keyring_clear(address, "oauth-access")
    return issued


def imap_connect(timeout=20):
    """An IMAP session at the harness's IMAPS (its CA trusted), not logged in."""
    import imaplib
    import ssl
    context = ssl.create_default_context(cafile=env("MS_TEST_CA_FILE"))
    return imaplib.IMAP4_SSL(env("MS_TEST_HOST"), int(env("MS_TEST_IMAPS_PORT")),
                             ssl_context=context, timeout=timeout)


def imap_xoauth2(imap, user, access_token):
    """Log IMAP in as USER with ACCESS_TOKEN by XOAUTH2 (dovecot asks the
    authorization server about the token); returns the answer ("OK"), a
    refused login raises imaplib.IMAP4.error."""
    message = f"user={user}\x01auth=Bearer {access_token}\x01\x01".encode()
    typ, _ = imap.authenticate("XOAUTH2", lambda challenge: message)
    return typ


def imap_xoauth2_login(user, access_token):
    """imap_xoauth2() in a session of its own, logged out again."""
    imap = imap_connect()
    try:
        return imap_xoauth2(imap, user, access_token)
    finally:
        imap.logout()


# --- running programs -----------------------------------------------------------

def run(argv, input=None, check=True, timeout=120, **kwargs):
    """Run ARGV to its end (TIMEOUT bounds a hang); with CHECK a non-zero exit fails.

    mail-setup itself gets the tests' G_DEBUG back when the suite runs the
    session's daemons without it (meson passes it as MS_TEST_PROGRAM_G_DEBUG):
    under fatal-warnings gnome-keyring-daemon aborts on its own warnings."""
    if (argv[0] == MAIL_SETUP and os.environ.get("MS_TEST_PROGRAM_G_DEBUG")
            and "env" not in kwargs):
        kwargs["env"] = dict(os.environ, G_DEBUG=os.environ["MS_TEST_PROGRAM_G_DEBUG"])
    kwargs.setdefault("text", True)
    proc = subprocess.run(argv, input=input, capture_output=True, timeout=timeout, **kwargs)
    if check and proc.returncode != 0:
        raise Failure(f"{argv[0]} exited {proc.returncode}\nstdout: {proc.stdout}\n"
                      f"stderr: {proc.stderr}")
    return proc


def mail_setup(args, **kwargs):
    return run([MAIL_SETUP] + list(args), **kwargs)


def need(program, package):
    """A real part the test needs: missing is a failure that names the package."""
    import shutil
    if shutil.which(program) is None:
        raise Failure(f"{program} is missing: install the Debian package {package}")


def dovecot_login_lines(user):
    """How many lines of the harness's dovecot log name USER: every login
    attempt writes one (postfix asks dovecot to check its logins too)."""
    try:
        with open(env("MS_TEST_DOVECOT_LOG"), errors="replace") as log:
            return sum(1 for line in log if user in line)
    except FileNotFoundError:
        return 0


# --- waiting for events ---------------------------------------------------------

def wait_until(predicate, what, deadline=None, interval=0.02, alive=None):
    """Poll PREDICATE until it returns a true value, and return that value.

    DEADLINE (default HANG_DEADLINE seconds) only bounds a hang; the failure
    names WHAT was awaited. ALIVE, a subprocess.Popen, fails the wait at
    once when that process exits first."""
    seconds = HANG_DEADLINE if deadline is None else deadline
    limit = time.monotonic() + seconds
    while True:
        value = predicate()
        if value:
            return value
        if alive is not None and alive.poll() is not None:
            raise Failure(f"{what}: the process exited {alive.returncode} first")
        if time.monotonic() > limit:
            raise Failure(f"{what}: still not there after {seconds:g} s")
        time.sleep(interval)


def poll(produce, ready, deadline=None, interval=0.1, alive=None):
    """Call PRODUCE until READY(value) holds, a hang deadline passes or ALIVE
    (a subprocess.Popen) exits; returns the last value, for the caller's
    check to show (a terminal screen, a log)."""
    seconds = HANG_DEADLINE if deadline is None else deadline
    limit = time.monotonic() + seconds
    while True:
        value = produce()
        if ready(value) or time.monotonic() > limit:
            return value
        if alive is not None and alive.poll() is not None:
            return produce()
        time.sleep(interval)


def wait_for_file(path, what=None, contains=None, **kwargs):
    """Wait for PATH to exist (and, with CONTAINS, to hold that text); returns its text."""
    def ready():
        if not os.path.exists(path):
            return None
        if contains is None:
            return True
        text = read_text(path)
        return text if contains in text else None
    found = wait_until(ready, what or (f"{contains!r} in {path}" if contains else path), **kwargs)
    return read_text(path) if found is True and os.path.isfile(path) else found


def wait_for_log(path, text, after=0, **kwargs):
    """Wait until the log PATH holds TEXT more than AFTER times; returns the log."""
    def ready():
        log = read_text(path) if os.path.exists(path) else ""
        return log if log.count(text) > after else None
    return wait_until(ready, f"{text!r} in {path}", **kwargs)


def stop_process_group(proc, grace=30):
    """SIGTERM to PROC's group (start_new_session=True), then SIGKILL after GRACE s."""
    import signal
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# --- TAP --------------------------------------------------------------------------

class Tap:
    """Numbered TAP points printed as they come, the plan at the end."""

    def __init__(self):
        self.number = 0
        self.failed = 0

    def point(self, name, ok, detail=""):
        self.number += 1
        print(f"{'ok' if ok else 'not ok'} {self.number} - {name}")
        if not ok:
            self.failed += 1
            for line in (str(detail).splitlines() if detail else [])[:40]:
                print(f"# {line}")
        sys.stdout.flush()

    def finish(self):
        print(f"1..{self.number}")
        sys.stdout.flush()
        return 1 if self.failed or self.number == 0 else 0


def _describe(error):
    if isinstance(error, Failure):
        return str(error)
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


_registered = []


def test(name):
    """Register the decorated function as one TAP point named NAME."""
    def wrap(fn):
        _registered.append((name, fn))
        return fn
    return wrap


def main(argv=None, setup=None, teardown=None, prerequisites=()):
    """Run the registered tests (those named in ARGV only, by function name or
    a word of their description); returns the exit status.

    PREREQUISITES are registered tests whose state the others build on (the
    first export that saves the account): run alone, a test gets them first,
    each as its own TAP point."""
    only = list(sys.argv[1:] if argv is None else argv)
    chosen = [(n, f) for n, f in _registered
              if not only or f.__name__ in only or any(word in n for word in only)]
    if not chosen:
        bail_out(f"no test matches {only!r}; the tests are: "
                 + ", ".join(f.__name__ for _, f in _registered))
    if only:
        needed = [(n, f) for n, f in _registered if f in prerequisites and (n, f) not in chosen]
        chosen = needed + chosen
    tap = Tap()
    try:
        if setup is not None:
            setup()
        for name, fn in chosen:
            try:
                fn()
                tap.point(name, True)
            except Exception as error:  # noqa: BLE001 - any failure fails the test, with its reason
                tap.point(name, False, _describe(error))
    finally:
        if teardown is not None:
            teardown()
    return tap.finish()


class Checklist:
    """Named points recorded by one flow, printed as TAP at the end."""

    def __init__(self):
        self.results = []

    def check(self, name, condition, detail=""):
        self.results.append((name, bool(condition), detail))
        return bool(condition)

    def run(self, flow, *args):
        """Run FLOW; an exception in it becomes a failed point that says where."""
        try:
            flow(*args)
        except SystemExit:
            raise
        except Exception as error:  # noqa: BLE001 - reported as a failed point
            self.check("the checks ran to the end", False, _describe(error))
        return self.finish()

    def finish(self):
        tap = Tap()
        for name, ok, detail in self.results:
            tap.point(name, ok, detail)
        return tap.finish()


def make_web_certificates(directory, names, ca_name):
    """A private CA (named CA_NAME) and a web server certificate for NAMES,
    made by certtool in DIRECTORY; returns (ca, cert, key) paths. The real
    parts could not run without them: a failure bails out."""
    def certtool(argv):
        done = subprocess.run(["certtool"] + argv, capture_output=True, text=True)
        if done.returncode != 0:
            bail_out("the real parts could not run: certtool: " + done.stderr)

    def write(name, text):
        path = os.path.join(directory, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    ca_key = os.path.join(directory, "ca.key")
    key = os.path.join(directory, "web.key")
    for path in (ca_key, key):
        certtool(["--generate-privkey", "--key-type=ecdsa", "--curve=secp256r1", "--outfile", path])
    ca_tmpl = write("ca.tmpl", f'cn = "{ca_name}"\nca\ncert_signing_key\nexpiration_days = 2\n')
    ca = os.path.join(directory, "ca.pem")
    certtool(["--generate-self-signed", "--load-privkey", ca_key, "--template", ca_tmpl, "--outfile", ca])
    leaf_tmpl = write("web.tmpl", 'cn = "web"\n' + "".join(f'dns_name = "{n}"\n' for n in names)
                      + "tls_www_server\nsigning_key\nexpiration_days = 2\n")
    cert = os.path.join(directory, "web.pem")
    certtool(["--generate-certificate", "--load-privkey", key, "--load-ca-certificate", ca,
              "--load-ca-privkey", ca_key, "--template", leaf_tmpl, "--outfile", cert])
    return ca, cert, key


def start_dnsmasq(conf, work, dns_address):
    """Start the real dnsmasq on CONF and return it once it answers on
    DNS_ADDRESS port 53 (its own pid file in WORK); bails out if it cannot."""
    dnsmasq = subprocess.Popen(["dnsmasq", "--keep-in-foreground", "--conf-file=" + conf,
                                "--user=root", "--pid-file=" + os.path.join(work, "dnsmasq.pid")],
                               stderr=subprocess.PIPE, text=True)

    def listening():
        if dnsmasq.poll() is not None:
            bail_out("the real parts could not run: dnsmasq exited: " + dnsmasq.stderr.read())
        try:
            with socket.create_connection((dns_address, 53), timeout=0.2):
                return True
        except OSError:
            return False

    if not poll(listening, lambda up: up, deadline=5):
        dnsmasq.kill()
        bail_out("the real parts could not run: dnsmasq never listened on " + dns_address)
    return dnsmasq
