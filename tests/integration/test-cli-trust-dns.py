#!/usr/bin/env python3
# test-cli-trust-dns.py: the trust rules, end to end, through real DNS
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup in a private mount namespace whose
/etc/resolv.conf points at a real DNS server (dnsmasq) on a loopback
address of its own, with a real HTTPS server (certificates from a CA made
here) on another. The mail servers are the harness's dovecot and postfix.

  victim.test   MX mx.mail.test, nothing else. mail.test plays the
                attacker: its HTTPS autoconfig names its own servers
                (mail.test, which the harness's certificate is for) and
                declares victim.test among its domains.
  mail.test     for its own addresses, the same file is trusted.
  flood.test    2000 SRV records per service, in the domain.

  ext.test      (in a private network namespace too, where 192.0.2.1 is
                an address of its own and not internal) autoconfig on
                192.0.2.1 redirects to inside.ext.test, which is 127.0.0.1:
                refused, a redirect from the outside may not lead inside.

The attacker's servers get no password without the person's word, for
`test` and for `export --password-stdin`; the person is told why; with
--accept-config-from-untrusted-source they do. The address never goes to
the attacker's web server. The SRV flood under `ulimit -n 64` neither
aborts nor opens more than a few connections. Needs root (unshare, mount,
port 53 and 443 on loopback addresses nobody else uses). Prints TAP."""

import http.server
import json
import os
import resource
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

MAIL_SETUP = mstest.MAIL_SETUP

def autoconfig_xml(provider_id, host, imaps, submissions, domains=None):
    """An autoconfig file naming HOST's IMAPS and SMTP-over-TLS servers."""
    return mstest.provider_xml([("imap", host, imaps, "SSL"), ("smtp", host, submissions, "SSL")],
                               provider_id=provider_id, domains=domains, display_name=provider_id)


checklist = mstest.Checklist()
check = checklist.check
requests = []



def fail_loudly(reason):
    mstest.bail_out(f"the real parts could not run: {reason}")


class Web(http.server.BaseHTTPRequestHandler):
    files = {}
    redirects = {}

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        requests.append((host, self.path))
        if Web.log_file:
            with open(Web.log_file, "a") as log:
                log.write(f"{host} {self.path}\n")
        location = self.redirects.get((host, self.path.split("?")[0]))
        if location is not None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.files.get((host, self.path.split("?")[0]))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


Web.log_file = None


def serve(config_file):
    """Inside the network namespace: the HTTPS servers a config names."""
    with open(config_file) as f:
        config = json.load(f)
    Web.log_file = config["log"]
    Web.files = {tuple(k.split(" ", 1)): v.encode() for k, v in config["files"].items()}
    Web.redirects = {tuple(k.split(" ", 1)): v for k, v in config["redirects"].items()}
    servers = []
    for address in config["addresses"]:
        server = http.server.ThreadingHTTPServer((address, 443), Web)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(config["cert"], config["key"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    with open(config["ready"], "w") as f:
        f.write("ready\n")
    time.sleep(120)


def redirect_inside(work, ca_key_pair, cafile, environment):
    """A redirect from an outside address to loopback, in a network
    namespace of its own (192.0.2.1 is TEST-NET-1: no traffic leaves)."""
    ca, cert, key = ca_key_pair
    config = {
        "log": os.path.join(work, "inside.log"),
        "ready": os.path.join(work, "inside.ready"),
        "cert": cert, "key": key,
        "addresses": ["192.0.2.1", "127.0.0.1"],
        "files": {"inside.ext.test /mail/config-v1.1.xml": autoconfig_xml(
            "ext.test", "imap.ext.test", 993, 465)},
        "redirects": {"autoconfig.ext.test /mail/config-v1.1.xml":
                      "https://inside.ext.test/mail/config-v1.1.xml"},
    }
    config_file = os.path.join(work, "inside.json")
    with open(config_file, "w") as f:
        json.dump(config, f)
    conf = os.path.join(work, "dnsmasq-inside.conf")
    with open(conf, "w") as f:
        f.write("no-resolv\nno-hosts\nlocal=/test/\nbind-interfaces\nlisten-address=127.0.0.53\n"
                "port=53\naddress=/autoconfig.ext.test/192.0.2.1\n"
                "address=/inside.ext.test/127.0.0.1\n")
    resolv = os.path.join(work, "resolv-inside.conf")
    with open(resolv, "w") as f:
        f.write("nameserver 127.0.0.53\noptions timeout:1 attempts:1\n")
    script = r"""
set -e
ip link set lo up
ip addr add 192.0.2.1/32 dev lo
mount --bind "$RESOLV" /etc/resolv.conf
dnsmasq --keep-in-foreground --conf-file="$CONF" --user=root --pid-file="$WORK/dnsmasq-inside.pid" &
DNS=$!
python3 "$SELF" --serve "$CONFIG" &
WEB=$!
for i in $(seq 50); do [ -e "$READY" ] && break; sleep 0.1; done
set +e
"$MAIL_SETUP" providers lookup alice@ext.test --json --ca-file "$CAFILE" --timeout 5 --no-public-database
STATUS=$?
kill $DNS $WEB
wait $DNS $WEB 2>/dev/null
exit $STATUS
"""
    env = dict(environment, RESOLV=resolv, CONF=conf, WORK=work, SELF=os.path.abspath(__file__),
               CONFIG=config_file, READY=config["ready"], MAIL_SETUP=MAIL_SETUP, CAFILE=cafile)
    done = subprocess.run(["unshare", "-mn", "--", "sh", "-c", script], capture_output=True,
                          text=True, env=env, timeout=120)
    lookup = json.loads(done.stdout) if done.stdout.startswith("{") else {}
    attempts = {a.get("source"): a for a in lookup.get("attempts", [])}
    autoconfig = attempts.get("autoconfig", {})
    check("redirect inside: refused",
          autoconfig.get("state") == "failed" and "internal address" in (autoconfig.get("message") or ""),
          done.stdout + done.stderr)
    try:
        with open(config["log"]) as f:
            seen = f.read()
    except FileNotFoundError:
        seen = ""
    check("redirect inside: the outside server was asked, the inside one never",
          "autoconfig.ext.test" in seen and "inside.ext.test" not in seen, seen + done.stderr)


login_lines = mstest.dovecot_login_lines


def settled_login_lines(user):
    previous, count = -1, login_lines(user)
    for _ in range(10):
        if count == previous:
            break
        time.sleep(0.1)
        previous, count = count, login_lines(user)
    return count


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
        return 0

    for tool in ("dnsmasq", "unshare", "certtool", "ip"):
        if shutil.which(tool) is None:
            fail_loudly(f"{tool} is not installed (build-aux/debian-packages.txt lists it)")
    mstest.require_root("unshare, mount and ports 53 and 443")

    # Loopback addresses of this run's own: no other test's servers there.
    net = 20 + os.getpid() % 200
    dns_address = f"127.83.{net}.53"
    web_address = f"127.83.{net}.1"
    imaps = os.environ["MS_TEST_IMAPS_PORT"]
    submissions = os.environ["MS_TEST_SUBMISSIONS_PORT"]
    with open(os.environ["MS_TEST_PASSWORD_FILE"]) as f:
        password = f.read()
    local_part = os.environ["MS_TEST_USER"].split("@")[0]

    with tempfile.TemporaryDirectory() as work:
        os.chmod(work, 0o755)
        ca, cert, key = mstest.make_web_certificates(
            work, ["autoconfig.mail.test", "autoconfig.ext.test", "inside.ext.test"], "Trust test CA")
        cafile = os.path.join(work, "cas.pem")
        with open(cafile, "w") as out:
            for path in (os.environ["MS_TEST_CA_FILE"], ca):
                with open(path) as f:
                    out.write(f.read())

        Web.files = {
            ("autoconfig.mail.test", "/mail/config-v1.1.xml"): autoconfig_xml(
                "mail.test", "mail.test", imaps, submissions,
                domains=["mail.test", "victim.test"]).encode(),
        }
        try:
            web = http.server.ThreadingHTTPServer((web_address, 443), Web)
        except OSError as error:
            fail_loudly(f"cannot listen on {web_address}:443: {error}")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        web.socket = context.wrap_socket(web.socket, server_side=True)
        threading.Thread(target=web.serve_forever, daemon=True).start()

        conf = os.path.join(work, "dnsmasq.conf")
        with open(conf, "w") as f:
            f.write("no-resolv\nno-hosts\nlocal=/test/\nbind-interfaces\n"
                    f"listen-address={dns_address}\nport=53\n"
                    "mx-host=victim.test,mx.mail.test,10\n"
                    f"address=/autoconfig.mail.test/{web_address}\n"
                    "host-record=mail.test,127.0.0.1\n"
                    "address=/imap.flood.test/127.0.0.1\n"
                    "address=/smtp.flood.test/127.0.0.1\n")
            # Closed loopback ports: every probe is refused at once.
            for i in range(2000):
                f.write(f"srv-host=_imaps._tcp.flood.test,imap.flood.test,{40000 + i},{i % 7},{i % 11}\n")
                f.write(f"srv-host=_submissions._tcp.flood.test,smtp.flood.test,{43000 + i},{i % 5},0\n")
        dnsmasq = mstest.start_dnsmasq(conf, work, dns_address)
        try:

            resolv = os.path.join(work, "resolv.conf")
            with open(resolv, "w") as f:
                f.write(f"nameserver {dns_address}\noptions timeout:1 attempts:1\n")

            home = os.path.join(work, "home")
            os.mkdir(home)
            environment = dict(os.environ, XDG_CONFIG_HOME=home,
                               MAIL_SETUP_PUBLIC_DATABASE_URL="https://ispdb.test/v1.1/")
            for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
                environment.pop(name, None)

            def run(args, stdin=None, fd_limit=None):
                def limit():
                    if fd_limit is not None:
                        resource.setrlimit(resource.RLIMIT_NOFILE, (fd_limit, fd_limit))
                script = 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"'
                return subprocess.run(["unshare", "-m", "--", "sh", "-c", script, "sh", resolv,
                                       MAIL_SETUP] + args, input=stdin, capture_output=True,
                                      text=True, env=environment, timeout=120, preexec_fn=limit)

            def concerns_of(address):
                done = run(["providers", "lookup", address, "--json", "--ca-file", cafile,
                            "--timeout", "5"])
                return done, json.loads(done.stdout) if done.stdout.startswith("{") else {}

            # The DNS server really answers inside the namespace.
            done, lookup = concerns_of("ceo@victim.test")
            check("lookup victim: the MX led to the attacker's autoconfig",
                  lookup.get("winner") == "mx-autoconfig", done.stdout + done.stderr)
            check("lookup victim: needs confirmation, via the MX and foreign servers",
                  lookup.get("needs_confirmation") is True
                  and "via-mx" in lookup.get("concerns", [])
                  and "foreign-servers" in lookup.get("concerns", [])
                  and "mail.test" in (lookup.get("foreign_hosts") or []), lookup)
            attacker_requests = [path for host, path in requests if host == "autoconfig.mail.test"]
            check("lookup victim: the attacker's server never saw the address",
                  attacker_requests and all("ceo" not in p and "emailaddress" not in p
                                            for p in attacker_requests), attacker_requests)

            victim_user = f"{local_part}@victim.test"
            before = settled_login_lines(local_part)
            done = run(["test", victim_user, "--ca-file", cafile, "--password-stdin",
                        "--no-alternates", "--timeout", "5", "--json"], password)
            check("test victim: refused, exit 1", done.returncode == 1, done.stdout + done.stderr)
            check("test victim: says why",
                  "mail record" in done.stderr and "accept-config-from-untrusted-source" in done.stderr,
                  done.stderr)
            check("test victim: no login reached the servers",
                  settled_login_lines(local_part) == before, done.stderr)

            exported = os.path.join(work, "msmtprc")
            done = run(["export", victim_user, "--to", "msmtp", "--output", exported,
                        "--ca-file", cafile, "--password-stdin", "--timeout", "5"], password)
            check("export victim: refused, exit 1, nothing written",
                  done.returncode == 1 and not os.path.exists(exported), done.stdout + done.stderr)
            check("export victim: says why", "mail record" in done.stderr, done.stderr)
            check("export victim: no login reached the servers",
                  settled_login_lines(local_part) == before, done.stderr)

            # With the person's word, the password goes (dovecot knows no
            # user at victim.test, so the login itself is refused: what
            # counts is that it was attempted, once per server).
            done = run(["test", victim_user, "--ca-file", cafile, "--password-stdin",
                        "--no-alternates", "--timeout", "5", "--json",
                        "--accept-config-from-untrusted-source"], password)
            report = json.loads(done.stdout) if done.stdout.startswith("{") else {}
            check("test victim confirmed: logged in to each server once",
                  [s.get("login") for s in report.get("servers", [])] == ["failed", "failed"],
                  done.stdout + done.stderr)
            check("test victim confirmed: warned", "Warning:" in done.stderr, done.stderr)
            check("test victim confirmed: the attempts reached the servers",
                  settled_login_lines(local_part) > before, done.stderr)

            # The domain's own HTTPS autoconfig, its own servers: no question.
            done, lookup = concerns_of("alice@mail.test")
            check("lookup own domain: trusted without asking",
                  lookup.get("winner") == "autoconfig" and lookup.get("needs_confirmation") is False,
                  done.stdout + done.stderr)
            own_requests = [path for host, path in requests if "emailaddress=alice" in path]
            check("lookup own domain: its own server may know the address", own_requests, requests)

            # Finding 9 through real DNS: thousands of records, few fds.
            done = run(["test", "alice@flood.test", "--ca-file", cafile, "--timeout", "3",
                        "--json"], fd_limit=64)
            report = json.loads(done.stdout) if done.stdout.startswith("{") else {}
            servers = report.get("servers", []) + report.get("alternates", [])
            check("flood: no abort, exit 1", done.returncode == 1, done.stderr[-2000:])
            check("flood: the records kept are bounded", 0 < len(servers) <= 2 * 4 + 16,
                  len(servers))
            check("flood: no file-descriptor exhaustion",
                  "Too many open files" not in done.stdout + done.stderr, done.stderr[-2000:])

            redirect_inside(work, (ca, cert, key), cafile, environment)
        finally:
            dnsmasq.terminate()
            dnsmasq.wait(timeout=10)
            web.shutdown()

    return checklist.finish()


if __name__ == "__main__":
    sys.exit(main())
