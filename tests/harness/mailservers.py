# mailservers.py: real dovecot and postfix on loopback, private to one test run
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start a real dovecot and a real postfix for the tests, and stop them again.

    from mailservers import MailServers
    with MailServers() as env:
        ...  # env is a dict of MS_TEST_* variables, see ENV_NAMES

Everything lives in one temporary directory (certificates, configuration,
sockets, queue, mail, logs); the system instances and /etc are never touched.
Ports are picked free at start, so several runs can share one machine.

The servers (all on loopback):
  127.0.0.1  IMAP with STARTTLS, IMAPS, POP3 with STLS, POP3S (dovecot);
             submission with STARTTLS and AUTH, submissions (implicit TLS)
             with AUTH, and a plain SMTP port without AUTH to inject test
             mail (postfix, delivering to dovecot over LMTP).
  127.0.0.2  plain IMAP that offers no STARTTLS and takes plaintext LOGIN:
             dovecot counts a client whose address equals its own as
             secure, so a second address is the only way to get a server
             that would accept a password in clear text; tests use it to
             prove that our client refuses to send one.
  127.0.0.3  IMAPS with an expired certificate (private CA).
  127.0.0.4  IMAPS with a certificate for wrong.example (private CA).
  127.0.0.5  IMAPS with a certificate from a CA the tests do not trust.

Postfix's master daemon only runs as root, so this needs root.
"""

import base64
import sys
import grp
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time

TEST_DOMAIN = "test.example"
USER = "alice@" + TEST_DOMAIN
USER2 = "bob@" + TEST_DOMAIN

HOST = "127.0.0.1"
PLAIN_IMAP_HOST = "127.0.0.2"
EXPIRED_HOST = "127.0.0.3"
WRONG_HOST_HOST = "127.0.0.4"
UNTRUSTED_HOST = "127.0.0.5"

ENV_NAMES = (
    "MS_TEST_CA_FILE", "MS_TEST_UNTRUSTED_CA_FILE", "MS_TEST_HOST",
    "MS_TEST_IMAP_PORT", "MS_TEST_IMAPS_PORT",
    "MS_TEST_POP3_PORT", "MS_TEST_POP3S_PORT",
    "MS_TEST_SUBMISSION_PORT", "MS_TEST_SUBMISSIONS_PORT", "MS_TEST_SMTP_PORT",
    "MS_TEST_PLAIN_IMAP_HOST", "MS_TEST_PLAIN_IMAP_PORT",
    "MS_TEST_EXPIRED_HOST", "MS_TEST_EXPIRED_PORT",
    "MS_TEST_WRONG_HOST_HOST", "MS_TEST_WRONG_HOST_PORT",
    "MS_TEST_UNTRUSTED_HOST", "MS_TEST_UNTRUSTED_PORT",
    "MS_TEST_USER", "MS_TEST_PASSWORD_FILE",
    "MS_TEST_USER2", "MS_TEST_PASSWORD2_FILE",
    "MS_TEST_DOVECOT_LOG", "MS_TEST_POSTFIX_LOG", "MS_TEST_SERVER_DIR",
    "MS_TEST_SSL_CERT_FILE", "MS_TEST_SSL_KEY_FILE",
    "MS_TEST_OAUTH_URL",
)

# name -> (address, kind); kind says how readiness is probed
_LISTENERS = {
    "imap": (HOST, "imap"),
    "imaps": (HOST, "imaps"),
    "pop3": (HOST, "pop3"),
    "pop3s": (HOST, "pop3s"),
    "plain_imap": (PLAIN_IMAP_HOST, "imap"),
    "expired": (EXPIRED_HOST, "tcp"),
    "wrong_host": (WRONG_HOST_HOST, "tcp"),
    "untrusted": (UNTRUSTED_HOST, "tcp"),
    "submission": (HOST, "smtp"),
    "submissions": (HOST, "smtps"),
    "smtp": (HOST, "smtp"),
}
_DOVECOT_LISTENERS = ("imap", "imaps", "pop3", "pop3s", "plain_imap",
                      "expired", "wrong_host", "untrusted")
_POSTFIX_LISTENERS = ("submission", "submissions", "smtp")

# `postfix check` reads this list from meta_directory; only the directories
# matter here, as the programs themselves come from the Debian package.
_POSTFIX_FILES = """\
$config_directory:d:root:-:755:u
$data_directory:d:$mail_owner:-:700:uc
$queue_directory:d:root:-:755:uc
$queue_directory/active:d:$mail_owner:-:700:ucr
$queue_directory/bounce:d:$mail_owner:-:700:ucr
$queue_directory/corrupt:d:$mail_owner:-:700:ucr
$queue_directory/defer:d:$mail_owner:-:700:ucr
$queue_directory/deferred:d:$mail_owner:-:700:ucr
$queue_directory/flush:d:$mail_owner:-:700:ucr
$queue_directory/hold:d:$mail_owner:-:700:ucr
$queue_directory/incoming:d:$mail_owner:-:700:ucr
$queue_directory/private:d:$mail_owner:-:700:uc
$queue_directory/saved:d:$mail_owner:-:700:ucr
$queue_directory/trace:d:$mail_owner:-:700:ucr
$queue_directory/maildrop:d:$mail_owner:$setgid_group:730:uc
$queue_directory/public:d:$mail_owner:$setgid_group:710:uc
$queue_directory/pid:d:root:-:755:uc
$config_directory/main.cf:f:root:-:644:p
$config_directory/master.cf:f:root:-:644:p
"""

_STATE_PREFIX = "ms-mail-"
_OWNER_FILE = "harness.pid"
_START_TIMEOUT = 15.0
_MAIL_UID_USER = "nobody"
_MAIL_GID_GROUP = "nogroup"


class MailServerError(Exception):
    """A server could not be set up; the message carries its own output."""


def _tail(path, limit=6000):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return "(%s: not written)" % path
    text = data[-limit:].decode("utf-8", "replace")
    return "--- %s ---\n%s" % (path, text if text else "(empty)")


# Runs in its own session, outside the process group that meson kills on a
# time-out: when the harness dies without saying DONE (SIGKILL), its end of
# the pipe closes and this stops the servers and removes their directory.
_WATCHDOG = """
import os, shutil, signal, sys, time
groups = []
for line in sys.stdin:
    word, _, value = line.strip().partition(" ")
    if word == "PGID":
        groups.append(int(value))
    elif word == "DONE":
        sys.exit(0)
for sig, pause in ((signal.SIGTERM, 0.3), (signal.SIGKILL, 0.2)):
    for group in groups:
        try:
            os.killpg(group, sig)
        except OSError:
            pass
    time.sleep(pause)
shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def sweep_stale_runs(tmpdir=None):
    """Remove what runs killed with SIGKILL left behind (their servers got
    SIGTERM from the kernel already; this stops stragglers by pid and
    removes the directory)."""
    tmpdir = tmpdir or tempfile.gettempdir()
    try:
        names = os.listdir(tmpdir)
    except OSError:
        return
    for name in names:
        if not name.startswith(_STATE_PREFIX):
            continue
        path = os.path.join(tmpdir, name)
        owner = _read_pid(os.path.join(path, _OWNER_FILE))
        if owner is None or _pid_alive(owner):
            continue
        for pidfile in ("dovecot/run/master.pid", "postfix/queue/pid/master.pid"):
            pid = _read_pid(os.path.join(path, pidfile))
            if pid is not None and _pid_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        shutil.rmtree(path, ignore_errors=True)


def _free_ports(names):
    """Ask the kernel for a free port per listener; all sockets stay bound
    until every port is known, so no two listeners get the same one."""
    socks = []
    ports = {}
    try:
        for name in names:
            address = _LISTENERS[name][0]
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((address, 0))
            socks.append(s)
            ports[name] = s.getsockname()[1]
    finally:
        for s in socks:
            s.close()
    return ports


def _ssha256(password):
    salt = secrets.token_bytes(8)
    digest = hashlib.sha256(password.encode("utf-8") + salt).digest()
    return "{SSHA256}" + base64.b64encode(digest + salt).decode("ascii")


def _write(path, text, mode=0o644, owner=None):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.chmod(path, mode)
    if owner is not None:
        os.chown(path, owner[0], owner[1])


class MailServers:
    """A private dovecot + postfix pair; use as a context manager."""

    def __init__(self, tmpdir=None, verbose=False):
        self.tmpdir = tmpdir
        self.verbose = verbose
        self.dir = None
        self.env = {}
        self.ports = {}
        self._dovecot = None
        self._postfix = None
        self._watchdog = None
        self._oauth = None
        self.oauth_url = None

    # context manager ------------------------------------------------------

    def __enter__(self):
        self.start()
        return self.env

    def __exit__(self, *exc):
        self.stop()
        return False

    # public ---------------------------------------------------------------

    def start(self):
        started = time.monotonic()
        self._check_prerequisites()
        sweep_stale_runs(self.tmpdir or "/tmp")
        # Short base path: dovecot's unix socket paths must fit in 108 bytes.
        self.dir = tempfile.mkdtemp(prefix=_STATE_PREFIX, dir=self.tmpdir or "/tmp")
        try:
            os.chmod(self.dir, 0o755)
            _write(os.path.join(self.dir, _OWNER_FILE), "%d\n" % os.getpid())
            self._watchdog = subprocess.Popen(
                [sys.executable, "-c", _WATCHDOG, self.dir], stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, text=True)
            self._make_certificates()
            self._make_users()
            self._start_oauth()
            last_error = None
            for _attempt in range(3):
                self.ports = _free_ports(_LISTENERS.keys())
                try:
                    self._start_dovecot()
                    self._start_postfix()
                    self._wait_ready()
                    last_error = None
                    break
                except MailServerError as e:
                    last_error = e
                    in_use = "in use" in str(e)
                    self._stop_servers(grace=0.3)
                    if not in_use:
                        break
            if last_error is not None:
                raise last_error
            self._make_env()
        except BaseException:
            self.stop()
            raise
        if self.verbose:
            print("mail servers ready in %.2f s in %s" % (time.monotonic() - started, self.dir))
        return self.env

    def stop(self, grace=0.3):
        """Stop both servers and remove the directory; safe to call twice."""
        self._stop_servers(grace)
        self._stop_oauth()
        if self._watchdog is not None:
            try:
                self._watchdog.stdin.write("DONE\n")
                self._watchdog.stdin.close()
                self._watchdog.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                self._watchdog.kill()
            self._watchdog = None
        if self.dir is not None:
            for _ in range(20):
                shutil.rmtree(self.dir, ignore_errors=True)
                if not os.path.exists(self.dir):
                    break
                time.sleep(0.05)
            self.dir = None

    # setup ----------------------------------------------------------------

    def _check_prerequisites(self):
        if os.geteuid() != 0:
            raise MailServerError(
                "the mail test servers need root: postfix's master daemon "
                "refuses to run as another user, and dovecot must switch to "
                "the mail user. Run the integration tests as root (CI does), "
                "e.g. sudo meson test --suite integration.")
        missing = [tool for tool in ("certtool", "dovecot", "postconf")
                   if shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") is None]
        if missing:
            raise MailServerError(
                "missing programs: %s (Debian packages gnutls-bin, dovecot-imapd, "
                "dovecot-pop3d, dovecot-lmtpd, postfix; build-aux/mail-setup-dev "
                "installs them)" % ", ".join(missing))
        for user in ("postfix", "dovecot", "dovenull", _MAIL_UID_USER):
            try:
                pwd.getpwnam(user)
            except KeyError:
                raise MailServerError("system user %r is missing: are postfix and "
                                      "dovecot installed from Debian packages?" % user)
        for group in ("postdrop", _MAIL_GID_GROUP):
            try:
                grp.getgrnam(group)
            except KeyError:
                raise MailServerError("system group %r is missing" % group)

    def _path(self, *parts):
        return os.path.join(self.dir, *parts)

    def _run(self, argv, what, **kwargs):
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, **kwargs)
        if proc.returncode != 0:
            raise MailServerError("%s failed (exit %d): %s\n%s" % (
                what, proc.returncode, " ".join(argv),
                proc.stdout.decode("utf-8", "replace")))
        return proc.stdout.decode("utf-8", "replace")

    def _make_certificates(self):
        d = self._path("certs")
        os.mkdir(d, 0o755)

        def key(name):
            path = os.path.join(d, name + ".key")
            self._run(["certtool", "--generate-privkey", "--key-type=ecdsa",
                       "--curve=secp256r1", "--outfile", path], "certtool (key %s)" % name)
            os.chmod(path, 0o600)
            return path

        def cert(name, template, keyfile, ca=None):
            tmpl = os.path.join(d, name + ".tmpl")
            _write(tmpl, template)
            out = os.path.join(d, name + ".pem")
            argv = ["certtool", "--load-privkey", keyfile, "--template", tmpl,
                    "--outfile", out]
            if ca is None:
                argv.insert(1, "--generate-self-signed")
            else:
                argv[1:1] = ["--generate-certificate", "--load-ca-certificate", ca[0],
                             "--load-ca-privkey", ca[1]]
            self._run(argv, "certtool (certificate %s)" % name)
            return out

        ca_template = ('cn = "%s"\norganization = "Mail Setup tests"\nca\n'
                       'cert_signing_key\ncrl_signing_key\n'
                       'activation_date = "2000-01-01 00:00:00"\n'
                       'expiration_date = "2099-12-31 23:59:59"\n')
        ca_key = key("ca")
        ca_pem = cert("ca", ca_template % "Mail Setup Test CA", ca_key)
        untrusted_key = key("untrusted-ca")
        untrusted_pem = cert("untrusted-ca", ca_template % "Mail Setup Untrusted CA",
                             untrusted_key)

        def leaf(cn, names, ips, dates='expiration_days = 30\n'):
            return ('cn = "%s"\n' % cn
                    + "".join('dns_name = "%s"\n' % n for n in names)
                    + "".join('ip_address = "%s"\n' % ip for ip in ips)
                    + "tls_www_server\nsigning_key\n" + dates)

        server_key = key("server")
        good_names = ["localhost", "mail.test"]
        server_pem = cert("server", leaf("localhost", good_names, [HOST, PLAIN_IMAP_HOST]),
                          server_key, (ca_pem, ca_key))
        expired_pem = cert("expired", leaf("localhost", good_names, [HOST, EXPIRED_HOST],
                                           'activation_date = "2001-01-01 00:00:00"\n'
                                           'expiration_date = "2002-01-01 00:00:00"\n'),
                           server_key, (ca_pem, ca_key))
        wrong_pem = cert("wrong-host", leaf("wrong.example", ["wrong.example"], []),
                         server_key, (ca_pem, ca_key))
        untrusted_leaf = cert("untrusted", leaf("localhost", good_names,
                                                [HOST, UNTRUSTED_HOST]),
                              server_key, (untrusted_pem, untrusted_key))
        self.certs = {
            "ca": ca_pem, "untrusted_ca": untrusted_pem, "key": server_key,
            "server": server_pem, "expired": expired_pem, "wrong_host": wrong_pem,
            "untrusted": untrusted_leaf,
        }

    def _make_users(self):
        self.passwords = {
            # Random, so a test can grep any log or capture for it.
            USER: "alice-" + secrets.token_hex(6),
            # Quoting torture: double quote, backslash, space, non-ASCII.
            USER2: 'bö"b\\ ' + secrets.token_hex(4),
        }
        secret_dir = self._path("secrets")
        os.mkdir(secret_dir, 0o700)
        self.password_files = {}
        for user, password in self.passwords.items():
            path = os.path.join(secret_dir, user.split("@")[0] + ".password")
            _write(path, password, 0o600)
            self.password_files[user] = path

        mail_uid = pwd.getpwnam(_MAIL_UID_USER).pw_uid
        mail_gid = grp.getgrnam(_MAIL_GID_GROUP).gr_gid
        mail_dir = self._path("mail")
        os.mkdir(mail_dir, 0o700)
        os.chown(mail_dir, mail_uid, mail_gid)
        lines = []
        for user, password in self.passwords.items():
            home = os.path.join(mail_dir, user)
            lines.append("%s:%s:%d:%d::%s::\n" % (user, _ssha256(password),
                                                  mail_uid, mail_gid, home))
        dovecot_gid = grp.getgrnam("dovecot").gr_gid
        os.mkdir(self._path("dovecot"), 0o755)
        _write(self._path("dovecot", "users"), "".join(lines), 0o640, (0, dovecot_gid))

    # dovecot --------------------------------------------------------------

    def _dovecot_config(self):
        p = self.ports
        c = self.certs
        run = self._path("dovecot", "run")

        def listener(name, port_name, ssl_on=False):
            address = _LISTENERS[port_name][0]
            return ("  inet_listener %s {\n    address = %s\n    port = %d\n%s  }\n"
                    % (name, address, p[port_name], "    ssl = yes\n" if ssl_on else ""))

        def local_cert(address, pem):
            return ("local %s {\n  ssl_cert = <%s\n  ssl_key = <%s\n}\n"
                    % (address, pem, c["key"]))

        return (
            "# Generated by tests/harness/mailservers.py for one test run.\n"
            "protocols = imap pop3 lmtp\n"
            "listen = %(host)s\n"
            "base_dir = %(run)s\n"
            "state_dir = %(state)s\n"
            "instance_name = ms-test-%(id)s\n"
            "hostname = mail.test\n"
            "log_path = %(log)s\n"
            "info_log_path = %(log)s\n"
            "debug_log_path = %(log)s\n"
            "auth_verbose = yes\n"
            "auth_failure_delay = 0\n"
            "auth_mechanisms = plain login xoauth2 oauthbearer\n"
            "disable_plaintext_auth = yes\n"
            "ssl = yes\n"
            "ssl_cert = <%(cert)s\n"
            "ssl_key = <%(key)s\n"
            "ssl_min_protocol = TLSv1.2\n"
            "mail_location = maildir:~/Maildir\n"
            "mail_max_userip_connections = 100\n"
            "first_valid_uid = 1\n"
            "first_valid_gid = 1\n"
            "passdb {\n  driver = passwd-file\n  mechanisms = plain login\n"
            "  args = %(users)s\n}\n"
            # Bearer tokens (SASL XOAUTH2, OAUTHBEARER) go to the tests'
            # authorization server (oauth-server.py), as a provider's would.
            "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
            "  args = %(oauth2)s\n}\n"
            "userdb {\n  driver = passwd-file\n  args = %(users)s\n}\n"
            "service imap-login {\n%(imap)s}\n"
            "service pop3-login {\n%(pop3)s}\n"
            "service lmtp {\n  unix_listener lmtp {\n    mode = 0600\n"
            "    user = postfix\n  }\n}\n"
            "service auth {\n  unix_listener auth-postfix {\n    mode = 0600\n"
            "    user = postfix\n  }\n}\n"
            "protocol lmtp {\n  postmaster_address = postmaster@%(domain)s\n}\n"
            # The cleartext trap: no STARTTLS, and LOGIN in clear accepted.
            "local %(plain)s {\n  ssl = no\n  disable_plaintext_auth = no\n}\n"
            "%(locals)s"
        ) % {
            "host": HOST, "run": run, "state": self._path("dovecot", "state"),
            "id": os.path.basename(self.dir), "log": self._path("dovecot.log"),
            "cert": c["server"], "key": c["key"], "domain": TEST_DOMAIN,
            "users": self._path("dovecot", "users"), "plain": PLAIN_IMAP_HOST,
            "oauth2": self._path("dovecot", "oauth2.conf"),
            "imap": (listener("imap", "imap") + listener("imaps", "imaps", True)
                     + listener("imap_plain", "plain_imap")
                     + listener("imaps_expired", "expired", True)
                     + listener("imaps_wrong_host", "wrong_host", True)
                     + listener("imaps_untrusted", "untrusted", True)),
            "pop3": listener("pop3", "pop3") + listener("pop3s", "pop3s", True),
            "locals": (local_cert(EXPIRED_HOST, c["expired"])
                       + local_cert(WRONG_HOST_HOST, c["wrong_host"])
                       + local_cert(UNTRUSTED_HOST, c["untrusted"])),
        }

    # the authorization server ----------------------------------------------

    def _start_oauth(self):
        """oauth-server.py, which dovecot's oauth2 passdb asks (RFC 7662)."""
        port_file = self._path("oauth.port")
        log = open(self._path("oauth.log"), "ab")
        try:
            self._oauth = subprocess.Popen(
                [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                              "oauth-server.py"), "--port-file", port_file],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        finally:
            log.close()
        deadline = time.monotonic() + _START_TIMEOUT
        while not os.path.exists(port_file):
            if self._oauth.poll() is not None or time.monotonic() > deadline:
                raise MailServerError("oauth-server.py did not start:\n%s"
                                      % _tail(self._path("oauth.log")))
            time.sleep(0.01)
        with open(port_file) as f:
            self.oauth_url = "http://%s:%d" % (HOST, int(f.read()))
        _write(self._path("dovecot", "oauth2.conf"),
               "introspection_url = %s/introspect\n"
               "introspection_mode = post\n"
               "force_introspection = yes\n"
               "username_attribute = username\n"
               "active_attribute = active\n"
               "active_value = true\n"
               "scope = mail\n" % self.oauth_url, mode=0o644)

    def _stop_oauth(self):
        if self._oauth is None:
            return
        if self._oauth.poll() is None:
            self._oauth.terminate()
            try:
                self._oauth.wait(2)
            except subprocess.TimeoutExpired:
                self._oauth.kill()
                self._oauth.wait()
        self._oauth = None

    def _start_dovecot(self):
        state = self._path("dovecot", "state")
        os.makedirs(state, 0o755, exist_ok=True)
        conf = self._path("dovecot", "dovecot.conf")
        _write(conf, self._dovecot_config())
        for name in ("dovecot.log", "dovecot.stderr"):
            _write(self._path(name), "")
        stderr = open(self._path("dovecot.stderr"), "ab")
        try:
            self._dovecot = subprocess.Popen(
                ["dovecot", "-F", "-c", conf], stdin=subprocess.DEVNULL,
                stdout=stderr, stderr=stderr, start_new_session=True)
        finally:
            stderr.close()
        self._watch(self._dovecot)
        self._disable_auth_penalty()

    def _disable_auth_penalty(self):
        # Dovecot's auth process slows down every login from an address
        # that failed before, up to 15 s, with no setting to turn that off;
        # tests fail logins from 127.0.0.1 on purpose. The auth process
        # silently skips the penalty when anvil's penalty socket does not
        # exist, so remove it before the first login starts an auth process
        # (anvil keeps serving everything else on its other socket).
        path = self._path("dovecot", "run", "anvil-auth-penalty")
        deadline = time.monotonic() + _START_TIMEOUT
        while not os.path.exists(path):
            if self._dovecot.poll() is not None:
                raise MailServerError("dovecot exited with status %s during start-up:\n%s"
                                      % (self._dovecot.returncode, self._dovecot_output()))
            if time.monotonic() > deadline:
                raise MailServerError("dovecot did not create %s:\n%s"
                                      % (path, self._dovecot_output()))
            time.sleep(0.01)
        os.unlink(path)

    def _dovecot_output(self):
        return "%s\n%s" % (_tail(self._path("dovecot.stderr")), _tail(self._path("dovecot.log")))

    # postfix --------------------------------------------------------------

    def _postfix_config(self):
        c = self.certs
        etc = self._path("postfix", "etc")
        run = self._path("dovecot", "run")
        main = (
            "# Generated by tests/harness/mailservers.py for one test run.\n"
            "compatibility_level = 3.6\n"
            "queue_directory = %(queue)s\n"
            "data_directory = %(data)s\n"
            "meta_directory = %(etc)s\n"
            "mail_owner = postfix\n"
            "setgid_group = postdrop\n"
            "myhostname = mail.test\n"
            "mydomain = test\n"
            "myorigin = $myhostname\n"
            "mydestination =\n"
            "inet_interfaces = %(host)s\n"
            "inet_protocols = ipv4\n"
            "mynetworks = 127.0.0.0/8\n"
            "relayhost =\n"
            "alias_maps =\n"
            "alias_database =\n"
            "local_recipient_maps =\n"
            "biff = no\n"
            "append_dot_mydomain = no\n"
            "smtputf8_enable = no\n"
            "smtpd_banner = $myhostname ESMTP test server\n"
            # Nothing ever leaves this machine.
            "default_transport = error:the test server delivers nowhere else\n"
            "relay_transport = error:the test server delivers nowhere else\n"
            "local_transport = error:no local delivery in the test server\n"
            "virtual_mailbox_domains = %(domain)s\n"
            "virtual_mailbox_maps = inline:{ %(user)s=ok, %(user2)s=ok }\n"
            "virtual_transport = lmtp:unix:%(run)s/lmtp\n"
            "lmtp_tls_security_level = none\n"
            "maillog_file = %(log)s\n"
            "maillog_file_prefixes = %(dir)s\n"
            "smtpd_tls_cert_file = %(cert)s\n"
            "smtpd_tls_key_file = %(key)s\n"
            "smtpd_tls_security_level = may\n"
            "smtpd_tls_mandatory_protocols = >=TLSv1.2\n"
            "smtpd_tls_protocols = >=TLSv1.2\n"
            # No penalty sleeps: tests make errors on purpose.
            "smtpd_error_sleep_time = 0\n"
            "smtpd_soft_error_limit = 100\n"
            "smtpd_hard_error_limit = 200\n"
            "smtpd_sasl_type = dovecot\n"
            "smtpd_sasl_path = %(run)s/auth-postfix\n"
            "smtpd_sasl_auth_enable = no\n"
            "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, "
            "reject_unauth_destination\n"
        ) % {
            "queue": self._path("postfix", "queue"), "data": self._path("postfix", "data"),
            "etc": etc, "host": HOST, "domain": TEST_DOMAIN, "user": USER,
            "user2": USER2, "run": run, "log": self._path("postfix.log"),
            "dir": self.dir, "cert": c["server"], "key": c["key"],
        }
        p = self.ports
        auth = ("  -o smtpd_sasl_auth_enable=yes\n"
                "  -o smtpd_tls_auth_only=yes\n"
                "  -o smtpd_client_restrictions=\n"
                "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n"
                "  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject\n")
        master = (
            "# Generated by tests/harness/mailservers.py for one test run.\n"
            "%(host)s:%(smtp)d inet n - n - - smtpd\n"
            "  -o syslog_name=postfix/inject\n"
            "  -o smtpd_tls_security_level=none\n"
            "%(host)s:%(sub)d inet n - n - - smtpd\n"
            "  -o syslog_name=postfix/submission\n"
            "  -o smtpd_tls_security_level=encrypt\n"
            "%(auth)s"
            "%(host)s:%(subs)d inet n - n - - smtpd\n"
            "  -o syslog_name=postfix/submissions\n"
            "  -o smtpd_tls_wrappermode=yes\n"
            "%(auth)s"
            "cleanup unix n - n - 0 cleanup\n"
            "qmgr unix n - n 300 1 qmgr\n"
            "tlsmgr unix - - n 1000? 1 tlsmgr\n"
            "rewrite unix - - n - - trivial-rewrite\n"
            "bounce unix - - n - 0 bounce\n"
            "defer unix - - n - 0 bounce\n"
            "trace unix - - n - 0 bounce\n"
            "verify unix - - n - 1 verify\n"
            "flush unix n - n 1000? 0 flush\n"
            "proxymap unix - - n - - proxymap\n"
            "proxywrite unix - - n - 1 proxymap\n"
            "smtp unix - - n - - smtp\n"
            "relay unix - - n - - smtp\n"
            "showq unix n - n - - showq\n"
            "error unix - - n - - error\n"
            "retry unix - - n - - error\n"
            "discard unix - - n - - discard\n"
            "lmtp unix - - n - - lmtp\n"
            "anvil unix - - n - 1 anvil\n"
            "scache unix - - n - 1 scache\n"
            "postlog unix-dgram n - n - 1 postlogd\n"
        ) % {"host": HOST, "smtp": p["smtp"], "sub": p["submission"],
             "subs": p["submissions"], "auth": auth}
        return main, master

    def _make_postfix_dirs(self):
        # What `postfix check` would create from postfix-files, done here so
        # that a Debian install without /etc/postfix/postfix-files works too.
        postfix_uid = pwd.getpwnam("postfix").pw_uid
        postfix_gid = grp.getgrnam("postfix").gr_gid if _group_exists("postfix") else 0
        postdrop_gid = grp.getgrnam("postdrop").gr_gid
        base = self._path("postfix")
        os.makedirs(base, 0o755, exist_ok=True)
        etc = os.path.join(base, "etc")
        os.makedirs(etc, 0o755, exist_ok=True)
        queue = os.path.join(base, "queue")
        os.makedirs(queue, 0o755, exist_ok=True)
        os.chmod(queue, 0o755)
        for sub in ("active", "bounce", "corrupt", "defer", "deferred", "flush",
                    "hold", "incoming", "private", "saved", "trace"):
            path = os.path.join(queue, sub)
            os.makedirs(path, 0o700, exist_ok=True)
            os.chown(path, postfix_uid, 0)
        for sub, mode in (("public", 0o710), ("maildrop", 0o730)):
            path = os.path.join(queue, sub)
            os.makedirs(path, mode, exist_ok=True)
            os.chmod(path, mode)
            os.chown(path, postfix_uid, postdrop_gid)
        os.makedirs(os.path.join(queue, "pid"), 0o755, exist_ok=True)
        data = os.path.join(base, "data")
        os.makedirs(data, 0o700, exist_ok=True)
        os.chown(data, postfix_uid, postfix_gid)
        return etc

    def _start_postfix(self):
        etc = self._make_postfix_dirs()
        main, master = self._postfix_config()
        _write(os.path.join(etc, "main.cf"), main)
        _write(os.path.join(etc, "master.cf"), master)
        _write(os.path.join(etc, "dynamicmaps.cf"), "# no dynamic maps\n")
        _write(os.path.join(etc, "postfix-files"), _POSTFIX_FILES)
        # Postfix re-reads a main.cf whose time stamp is not yet in the past
        # until it is, 300 ms at a time: date the files back.
        past = time.time() - 60
        for name in os.listdir(etc):
            os.utime(os.path.join(etc, name), (past, past))
        for name in ("postfix.log", "postfix.stderr"):
            _write(self._path(name), "")
        daemon_dir = self._run(["postconf", "-c", etc, "-h", "daemon_directory"],
                               "postconf").strip()
        # `postfix check` catches configuration errors that the master would
        # otherwise only report to a terminal.
        check = subprocess.run(["postfix", "-c", etc, "check"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = check.stdout.decode("utf-8", "replace")
        if check.returncode != 0 or "fatal" in output:
            raise MailServerError("postfix check failed:\n%s\n%s"
                                  % (output, _tail(self._path("postfix.log"))))
        stderr = open(self._path("postfix.stderr"), "ab")
        try:
            # The master itself (not `postfix start`, which detaches it), so
            # the harness owns its pid and its stderr.
            self._postfix = subprocess.Popen(
                [os.path.join(daemon_dir, "master"), "-c", etc, "-s"],
                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
                start_new_session=True,
                env=dict(os.environ, MAIL_CONFIG=etc))
        finally:
            stderr.close()
        self._watch(self._postfix)

    def _postfix_output(self):
        return "%s\n%s" % (_tail(self._path("postfix.stderr")), _tail(self._path("postfix.log")))

    def _watch(self, proc):
        self._watchdog.stdin.write("PGID %d\n" % proc.pid)
        self._watchdog.stdin.flush()

    # readiness ------------------------------------------------------------

    def _probe(self, name):
        address, kind = _LISTENERS[name]
        port = self.ports[name]
        try:
            sock = socket.create_connection((address, port), timeout=2)
        except OSError:
            return False
        try:
            if kind == "tcp":
                return True
            if kind in ("imaps", "pop3s", "smtps"):
                context = ssl.create_default_context(cafile=self.certs["ca"])
                sock = context.wrap_socket(sock, server_hostname="localhost")
            greeting = sock.recv(512)
            expected = {"imap": b"* OK", "imaps": b"* OK", "pop3": b"+OK",
                        "pop3s": b"+OK", "smtp": b"220", "smtps": b"220"}[kind]
            if not greeting.startswith(expected):
                raise MailServerError("%s on %s:%d greeted with %r"
                                      % (name, address, port, greeting))
            return True
        except (OSError, ssl.SSLError):
            return False
        finally:
            sock.close()

    def _wait_ready(self):
        deadline = time.monotonic() + _START_TIMEOUT
        pending = list(_LISTENERS.keys())
        sockets = [self._path("dovecot", "run", "lmtp"),
                   self._path("dovecot", "run", "auth-postfix")]
        while pending or sockets:
            for proc, what, output in ((self._dovecot, "dovecot", self._dovecot_output),
                                       (self._postfix, "postfix master", self._postfix_output)):
                if proc is not None and proc.poll() is not None:
                    raise MailServerError("%s exited with status %s during start-up:\n%s"
                                          % (what, proc.returncode, output()))
            pending = [name for name in pending if not self._probe(name)]
            sockets = [path for path in sockets if not os.path.exists(path)]
            if not pending and not sockets:
                break
            if time.monotonic() > deadline:
                raise MailServerError(
                    "servers did not answer within %.0f s on: %s\n%s\n%s"
                    % (_START_TIMEOUT, ", ".join(
                        "%s (%s:%d)" % (n, _LISTENERS[n][0], self.ports[n]) for n in pending)
                       + " ".join(sockets), self._dovecot_output(), self._postfix_output()))
            time.sleep(0.02)

    # teardown -------------------------------------------------------------

    def _stop_servers(self, grace):
        procs = [p for p in (self._dovecot, self._postfix) if p is not None]
        for proc in procs:
            if proc.poll() is None:
                try:
                    os.kill(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for proc in procs:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            # Each master leads its own process group (start_new_session);
            # whatever of it is left, login and delivery processes included,
            # goes now. Dovecot alone would take a second to shut down
            # cleanly, and nothing here needs a clean shutdown.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.wait(1.0)
            except subprocess.TimeoutExpired:
                pass
        self._dovecot = None
        self._postfix = None

    # environment ----------------------------------------------------------

    def _make_env(self):
        p = self.ports
        self.env = {
            "MS_TEST_CA_FILE": self.certs["ca"],
            "MS_TEST_UNTRUSTED_CA_FILE": self.certs["untrusted_ca"],
            "MS_TEST_HOST": HOST,
            "MS_TEST_IMAP_PORT": str(p["imap"]),
            "MS_TEST_IMAPS_PORT": str(p["imaps"]),
            "MS_TEST_POP3_PORT": str(p["pop3"]),
            "MS_TEST_POP3S_PORT": str(p["pop3s"]),
            "MS_TEST_SUBMISSION_PORT": str(p["submission"]),
            "MS_TEST_SUBMISSIONS_PORT": str(p["submissions"]),
            "MS_TEST_SMTP_PORT": str(p["smtp"]),
            "MS_TEST_PLAIN_IMAP_HOST": PLAIN_IMAP_HOST,
            "MS_TEST_PLAIN_IMAP_PORT": str(p["plain_imap"]),
            "MS_TEST_EXPIRED_HOST": EXPIRED_HOST,
            "MS_TEST_EXPIRED_PORT": str(p["expired"]),
            "MS_TEST_WRONG_HOST_HOST": WRONG_HOST_HOST,
            "MS_TEST_WRONG_HOST_PORT": str(p["wrong_host"]),
            "MS_TEST_UNTRUSTED_HOST": UNTRUSTED_HOST,
            "MS_TEST_UNTRUSTED_PORT": str(p["untrusted"]),
            "MS_TEST_USER": USER,
            "MS_TEST_PASSWORD_FILE": self.password_files[USER],
            "MS_TEST_USER2": USER2,
            "MS_TEST_PASSWORD2_FILE": self.password_files[USER2],
            "MS_TEST_DOVECOT_LOG": self._path("dovecot.log"),
            "MS_TEST_POSTFIX_LOG": self._path("postfix.log"),
            "MS_TEST_SERVER_DIR": self.dir,
            "MS_TEST_SSL_CERT_FILE": self.certs["server"],
            "MS_TEST_SSL_KEY_FILE": self.certs["key"],
            "MS_TEST_OAUTH_URL": self.oauth_url,
        }
        if tuple(sorted(self.env)) != tuple(sorted(ENV_NAMES)):
            raise MailServerError("the variables set differ from ENV_NAMES: %r"
                                  % sorted(set(self.env) ^ set(ENV_NAMES)))


def _group_exists(name):
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True
