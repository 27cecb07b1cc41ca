#!/usr/bin/env python3
# test-cli-pacc.py: PACC and Autodiscover (issue 14) through real HTTPS and real DNS
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup in a private mount namespace whose
/etc/resolv.conf points at a real DNS server (dnsmasq) on a loopback
address of its own, with a real HTTPS server (a CA made here) on another,
as test-cli-trust-dns.py does. Each domain is one case:

  good.test      a document naming its own servers, its digest in the
                 _ua-auto-config TXT record (beside an SPF record): PACC
                 wins, trusted without asking
  foreign.test   a good document naming servers of mail.test: found, but
                 the person must confirm (the trust rules)
  digest.test    the TXT record holds the digest of another document:
                 refused, with the reason
  notxt.test     no TXT record at all: refused, never read unchecked
  big.test       a 300 KiB document: refused for its size
  redir.test     ua-auto-config.redir.test redirects to mail.test: refused

Microsoft Autodiscover (POX), POSTed to autodiscover.DOMAIN:

  exch.test      an Exchange-only answer: no settings, and the attempt
                 says it is an Exchange account and what to use
  imapad.test    an answer with IMAP and SMTP protocols: they are used
  loop.test      redirectAddr to itself, again and again: stopped after 3
  urlout.test    redirectUrl to another domain: refused
  garbage.test   not XML: refused with the reason

Autodiscover's SRV step (_autodiscover._tcp.DOMAIN, served by dnsmasq),
for domains whose direct Autodiscover names do not exist:

  srvexch.test   SRV -> ex.srvexch.test, an Exchange-only answer: recognised
  srvad.test     SRV -> mail.srvad.test, IMAP and SMTP inside the domain:
                 used, trusted without asking, the address POSTed there
  srvmix.test    SRV -> ad.srvmix.test, whose answer names servers of
                 hoster.test: the person must confirm (foreign-servers)
  srvfar.test    SRV -> autodiscover.hoster.test, outside the domain: never
                 asked (the request carries the address), and said so
  srvbad.test    hostile: targets with ";" and ":port", port 0, port 8443,
                 a foreign target, then 300 good targets: only the best 4
                 good ones are asked, the rest refused with reasons

The HTTPS server records which paths were asked for. Needs root (unshare,
mount, ports 53 and 443 on loopback addresses nobody else uses). Prints
TAP."""

import base64
import hashlib
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

MAIL_SETUP = mstest.MAIL_SETUP
PATH = "/.well-known/user-agent-configuration.json"

checklist = mstest.Checklist()
check = checklist.check
requests = []


def fail_loudly(reason):
    mstest.bail_out(f"the real parts could not run: {reason}")


def document(host, name):
    return json.dumps({
        "protocols": {"imap": {"host": f"imap.{host}", "port": 993},
                      "smtp": {"host": f"smtp.{host}", "port": 465},
                      "jmap": {"url": f"https://jmap.{host}/session"}},
        "authentication": {"oauth-public": {"issuer": f"https://auth.{host}"}},
        "info": {"provider": {"name": name}},
    }, indent=2).encode()


def digest_record(body):
    return "v=UAAC1; a=sha256; d=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


AD_PATH = "/autodiscover/autodiscover.xml"
AD_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<Autodiscover xmlns="http://schemas.microsoft.com/'
           'exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/'
           'exchange/autodiscover/outlook/responseschema/2006a"><Account>')
AD_TAIL = "</Account></Response></Autodiscover>\n"
AUTODISCOVER = {
    "autodiscover.exch.test": AD_HEAD + "<AccountType>email</AccountType><Action>settings</Action>"
    "<Protocol><Type>EXCH</Type><Server>ex1.exch.test</Server></Protocol>"
    "<Protocol><Type>EXPR</Type><Server>outlook.exch.test</Server></Protocol>" + AD_TAIL,
    "autodiscover.imapad.test": AD_HEAD + "<Action>settings</Action>"
    "<Protocol><Type>EXCH</Type><Server>ex1.imapad.test</Server></Protocol>"
    "<Protocol><Type>IMAP</Type><Server>imap.imapad.test</Server><Port>993</Port><SSL>on</SSL></Protocol>"
    "<Protocol><Type>SMTP</Type><Server>smtp.imapad.test</Server><Port>587</Port>"
    "<Encryption>TLS</Encryption></Protocol>" + AD_TAIL,
    "autodiscover.loop.test": AD_HEAD + "<Action>redirectAddr</Action>"
    "<RedirectAddr>again@loop.test</RedirectAddr>" + AD_TAIL,
    "autodiscover.urlout.test": AD_HEAD + "<Action>redirectUrl</Action>"
    "<RedirectUrl>https://autodiscover.exch.test/autodiscover/autodiscover.xml</RedirectUrl>" + AD_TAIL,
    "autodiscover.garbage.test": "HTTP/1.1 200 OK but not XML <<<",
    "ex.srvexch.test": AD_HEAD + "<Action>settings</Action>"
    "<Protocol><Type>EXCH</Type><Server>ex2.srvexch.test</Server></Protocol>" + AD_TAIL,
    "mail.srvad.test": AD_HEAD + "<Action>settings</Action>"
    "<Protocol><Type>IMAP</Type><Server>imap.srvad.test</Server><Port>993</Port><SSL>on</SSL></Protocol>"
    "<Protocol><Type>SMTP</Type><Server>smtp.srvad.test</Server><Port>465</Port><SSL>on</SSL></Protocol>"
    + AD_TAIL,
    "ad.srvmix.test": AD_HEAD + "<Action>settings</Action>"
    "<Protocol><Type>IMAP</Type><Server>imap.hoster.test</Server><Port>993</Port></Protocol>"
    "<Protocol><Type>SMTP</Type><Server>smtp.hoster.test</Server><Port>465</Port></Protocol>" + AD_TAIL,
    "autodiscover.hoster.test": AD_HEAD + "<Action>settings</Action>"
    "<Protocol><Type>IMAP</Type><Server>imap.hoster.test</Server><Port>993</Port></Protocol>"
    "<Protocol><Type>SMTP</Type><Server>smtp.hoster.test</Server><Port>465</Port></Protocol>" + AD_TAIL,
}
# Names the SRV records point at, all served by the web server.
SRV_WEB_NAMES = ["ex.srvexch.test", "mail.srvad.test", "ad.srvmix.test", "autodiscover.hoster.test",
                 "alt.srvbad.test", "zero.srvbad.test"] + [f"h{i}.srvbad.test" for i in range(8)]
posts = []


class Web(http.server.BaseHTTPRequestHandler):
    files = {}
    redirects = {}

    def do_POST(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        length = int(self.headers.get("Content-Length") or 0)
        posts.append((host, self.path, self.rfile.read(length).decode(errors="replace")))
        body = AUTODISCOVER.get(host) if self.path == AD_PATH else None
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        requests.append((host, self.path))
        location = self.redirects.get((host, self.path))
        if location is not None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.files.get((host, self.path))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_dns(work, dns_address, web_address, txt):
    conf = os.path.join(work, "dnsmasq.conf")
    with open(conf, "w") as f:
        f.write("no-resolv\nno-hosts\nlocal=/test/\nbind-interfaces\n"
                f"listen-address={dns_address}\nport=53\n")
        for domain in ("good", "foreign", "digest", "notxt", "big", "redir", "mail"):
            f.write(f"address=/ua-auto-config.{domain}.test/{web_address}\n")
        for domain in AD_DOMAINS:
            f.write(f"address=/autodiscover.{domain}.test/{web_address}\n")
        for name, record in txt:
            f.write(f'txt-record={name},"{record}"\n')
        for name in SRV_WEB_NAMES:
            f.write(f"address=/{name}/{web_address}\n")
        f.write("srv-host=_autodiscover._tcp.srvexch.test,ex.srvexch.test,443,0,0\n"
                "srv-host=_autodiscover._tcp.srvad.test,mail.srvad.test.,443,0,0\n"
                "srv-host=_autodiscover._tcp.srvmix.test,ad.srvmix.test,443,0,0\n"
                "srv-host=_autodiscover._tcp.srvfar.test,autodiscover.hoster.test,443,0,0\n")
        # Hostile first (best priority), then more good targets than are asked.
        for target, port in (("bad;x.srvbad.test", 443), ("bad:8443.srvbad.test", 443),
                             ("zero.srvbad.test", 0), ("alt.srvbad.test", 8443),
                             ("autodiscover.hoster.test", 443)):
            f.write(f"srv-host=_autodiscover._tcp.srvbad.test,{target},{port},0,0\n")
        for i in range(300):
            f.write(f"srv-host=_autodiscover._tcp.srvbad.test,h{i}.srvbad.test,443,{1 + i},0\n")
    return mstest.start_dnsmasq(conf, work, dns_address)


AD_DOMAINS = ("exch", "imapad", "loop", "urlout", "garbage")


def pacc_attempt(lookup, source="pacc"):
    return next((a for a in lookup.get("attempts", []) if a.get("source") == source), {})


def autodiscover_cases(lookup_of):
    done, lookup = lookup_of("alice@exch.test")
    attempt = pacc_attempt(lookup, "autodiscover")
    message = attempt.get("message") or ""
    check("exchange only: recognised, no settings from it",
          attempt.get("state") == "not-found" and "Exchange" in message and "ex1.exch.test" in message,
          done.stdout + done.stderr)
    check("exchange only: says what to use", "EWS" in message, message)
    check("exchange only: the POX request carried the address",
          any(h == "autodiscover.exch.test" and "<EMailAddress>alice@exch.test</EMailAddress>" in b
              for h, _, b in posts), posts)

    done, lookup = lookup_of("alice@imapad.test")
    provider = lookup.get("provider") or {}
    servers = [(s.get("hostname"), s.get("port"), s.get("security")) for p in provider.get("profiles", [])
               for s in p.get("incoming", []) + p.get("outgoing", [])]
    check("imap and smtp: Autodiscover's settings used",
          lookup.get("winner") == "autodiscover" and
          servers == [("imap.imapad.test", 993, "SSL"), ("smtp.imapad.test", 587, "STARTTLS")],
          done.stdout + done.stderr)

    done, lookup = lookup_of("alice@loop.test")
    attempt = pacc_attempt(lookup, "autodiscover")
    check("redirectAddr loop: stopped after 3",
          attempt.get("state") == "failed" and "more than 3" in (attempt.get("message") or ""),
          done.stdout + done.stderr)
    check("redirectAddr loop: 4 requests, no more",
          len([p for p in posts if p[0] == "autodiscover.loop.test"]) == 4, posts)

    done, lookup = lookup_of("alice@urlout.test")
    attempt = pacc_attempt(lookup, "autodiscover")
    check("redirectUrl out of the domain: refused",
          attempt.get("state") == "failed" and "not an https address in urlout.test" in
          (attempt.get("message") or ""), done.stdout + done.stderr)

    done, lookup = lookup_of("alice@garbage.test")
    attempt = pacc_attempt(lookup, "autodiscover")
    check("garbage: refused with the reason",
          attempt.get("state") == "failed" and "not XML" in (attempt.get("message") or ""),
          done.stdout + done.stderr)


def srv_cases(lookup_of):
    done, lookup = lookup_of("alice@srvexch.test")
    attempt = pacc_attempt(lookup, "autodiscover-srv")
    message = attempt.get("message") or ""
    check("srv exchange: the SRV record was asked",
          attempt.get("detail") == "_autodiscover._tcp.srvexch.test", attempt)
    check("srv exchange: recognised at the server it names",
          attempt.get("state") == "not-found" and "Exchange" in message and "ex2.srvexch.test" in message,
          done.stdout + done.stderr)
    check("srv exchange: the direct URLs were asked first and failed",
          pacc_attempt(lookup, "autodiscover").get("state") in ("failed", "not-found") and
          pacc_attempt(lookup, "autodiscover").get("rank", 0) < attempt.get("rank", 0), lookup)

    done, lookup = lookup_of("alice@srvad.test")
    provider = lookup.get("provider") or {}
    servers = [(s.get("hostname"), s.get("port"), s.get("security")) for p in provider.get("profiles", [])
               for s in p.get("incoming", []) + p.get("outgoing", [])]
    check("srv settings: found by autodiscover-srv",
          lookup.get("winner") == "autodiscover-srv" and
          servers == [("imap.srvad.test", 993, "SSL"), ("smtp.srvad.test", 465, "SSL")],
          done.stdout + done.stderr)
    check("srv settings: inside the domain, trusted without asking",
          lookup.get("needs_confirmation") is False, lookup)
    check("srv settings: the POX request went to the SRV target with the address",
          any(h == "mail.srvad.test" and "<EMailAddress>alice@srvad.test</EMailAddress>" in b
              for h, _, b in posts), posts)

    done, lookup = lookup_of("alice@srvmix.test")
    check("srv, foreign servers in the answer: found",
          lookup.get("winner") == "autodiscover-srv", done.stdout + done.stderr)
    check("srv, foreign servers in the answer: the person must confirm",
          lookup.get("needs_confirmation") is True and "foreign-servers" in lookup.get("concerns", []) and
          "imap.hoster.test" in (lookup.get("foreign_hosts") or []), lookup)

    done, lookup = lookup_of("alice@srvfar.test")
    attempt = pacc_attempt(lookup, "autodiscover-srv")
    check("srv target in another domain: not asked, and said why",
          attempt.get("state") == "not-found" and
          "autodiscover.hoster.test is outside srvfar.test: not asked" in (attempt.get("message") or ""),
          done.stdout + done.stderr)
    check("srv target in another domain: no settings from it",
          lookup.get("winner") != "autodiscover-srv", lookup.get("winner"))

    done, lookup = lookup_of("alice@srvbad.test")
    attempt = pacc_attempt(lookup, "autodiscover-srv")
    message = attempt.get("message") or ""
    check("srv hostile: no crash, an answer", done.returncode in (0, 1) and lookup != {},
          f"exit {done.returncode}: {done.stderr}")
    asked = [h for h, _, _ in posts if h.endswith(".srvbad.test")]
    check("srv hostile: only the best 4 good targets asked, once each",
          sorted(asked) == ["h0.srvbad.test", "h1.srvbad.test", "h2.srvbad.test", "h3.srvbad.test"], asked)
    check("srv hostile: the foreign target never saw the address",
          not any(h == "autodiscover.hoster.test" for h, _, _ in posts), posts)
    check("srv hostile: refused with reasons",
          attempt.get("state") in ("failed", "not-found") and "port 0 ignored" in message and
          "port 8443 ignored" in message and "was refused" in message and
          "more records ignored (the best 4 are kept)" in message, message)
    check("srv hostile: the reasons are bounded", len(message) < 4096, len(message))


def cases(lookup_of):
    done, lookup = lookup_of("alice@good.test")
    pacc = pacc_attempt(lookup)
    check("good: PACC wins", lookup.get("winner") == "pacc" and pacc.get("state") == "found",
          done.stdout + done.stderr)
    check("good: trusted without asking", lookup.get("needs_confirmation") is False, lookup)
    check("good: the document was asked for at the well-known URL",
          ("ua-auto-config.good.test", PATH) in requests, requests)
    check("good: the address never went to the web server",
          all("alice" not in path for _, path in requests), requests)
    provider = (lookup.get("provider") or {})
    check("good: its servers and name",
          provider.get("name") == "Good Mail" and
          ["imap.good.test", "smtp.good.test"] ==
          [s.get("hostname") for p in provider.get("profiles", [])
           for s in p.get("incoming", []) + p.get("outgoing", [])], provider)

    done, lookup = lookup_of("alice@foreign.test")
    check("foreign servers: found by PACC",
          lookup.get("winner") == "pacc", done.stdout + done.stderr)
    check("foreign servers: need the person's confirmation",
          lookup.get("needs_confirmation") is True and
          "foreign-servers" in lookup.get("concerns", []), lookup)

    done, lookup = lookup_of("alice@digest.test")
    pacc = pacc_attempt(lookup)
    check("bad digest: refused with the reason",
          pacc.get("state") == "failed" and "SHA-256 digest is not the one" in (pacc.get("message") or ""),
          done.stdout + done.stderr)
    check("bad digest: no settings from it", lookup.get("winner") != "pacc", lookup.get("winner"))

    done, lookup = lookup_of("alice@notxt.test")
    pacc = pacc_attempt(lookup)
    check("no TXT record: refused, never read unchecked",
          pacc.get("state") == "failed" and "publishes no digest" in (pacc.get("message") or ""),
          done.stdout + done.stderr)

    done, lookup = lookup_of("alice@big.test")
    pacc = pacc_attempt(lookup)
    check("oversize: refused for its size",
          pacc.get("state") == "failed" and "KiB" in (pacc.get("message") or ""),
          done.stdout + done.stderr)

    done, lookup = lookup_of("alice@redir.test")
    pacc = pacc_attempt(lookup)
    check("redirect out of the domain: refused",
          pacc.get("state") == "failed" and "outside" in (pacc.get("message") or ""),
          done.stdout + done.stderr)
    check("redirect out of the domain: the other server was never asked",
          not any(host == "ua-auto-config.mail.test" for host, _ in requests), requests)


def main():
    for tool in ("dnsmasq", "unshare", "certtool"):
        if shutil.which(tool) is None:
            fail_loudly(f"{tool} is not installed (build-aux/debian-packages.txt lists it)")
    mstest.require_root("unshare, mount and ports 53 and 443")

    net = 20 + (os.getpid() + 97) % 200
    dns_address = f"127.84.{net}.53"
    web_address = f"127.84.{net}.1"

    good = document("good.test", "Good Mail")
    foreign = document("mail.test", "Foreign Mail")
    digest = document("digest.test", "Digest Mail")
    big = b'{"protocols": {}, "pad": "' + b"x" * (300 * 1024) + b'"}'
    Web.files = {
        ("ua-auto-config.good.test", PATH): good,
        ("ua-auto-config.foreign.test", PATH): foreign,
        ("ua-auto-config.digest.test", PATH): digest,
        ("ua-auto-config.notxt.test", PATH): document("notxt.test", "No TXT"),
        ("ua-auto-config.big.test", PATH): big,
        ("ua-auto-config.mail.test", PATH): document("mail.test", "Elsewhere"),
    }
    Web.redirects = {("ua-auto-config.redir.test", PATH): "https://ua-auto-config.mail.test" + PATH}
    txt = [("_ua-auto-config.good.test", "v=spf1 -all"),
           ("_ua-auto-config.good.test", digest_record(good)),
           ("_ua-auto-config.foreign.test", digest_record(foreign)),
           ("_ua-auto-config.digest.test", digest_record(digest + b" ")),
           ("_ua-auto-config.big.test", digest_record(big)),
           ("_ua-auto-config.redir.test", digest_record(Web.files[("ua-auto-config.mail.test", PATH)]))]

    with tempfile.TemporaryDirectory() as work:
        os.chmod(work, 0o755)
        names = [f"ua-auto-config.{d}.test" for d in ("good", "foreign", "digest", "notxt", "big",
                                                      "redir", "mail")]
        names += [f"autodiscover.{d}.test" for d in AD_DOMAINS] + SRV_WEB_NAMES
        ca, cert, key = mstest.make_web_certificates(work, names, "PACC test CA")
        try:
            web = http.server.ThreadingHTTPServer((web_address, 443), Web)
        except OSError as error:
            fail_loudly(f"cannot listen on {web_address}:443: {error}")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        web.socket = context.wrap_socket(web.socket, server_side=True)
        threading.Thread(target=web.serve_forever, daemon=True).start()
        dnsmasq = start_dns(work, dns_address, web_address, txt)
        try:
            resolv = os.path.join(work, "resolv.conf")
            with open(resolv, "w") as f:
                f.write(f"nameserver {dns_address}\noptions timeout:1 attempts:1\n")
            home = os.path.join(work, "home")
            os.mkdir(home)
            environment = dict(os.environ, XDG_CONFIG_HOME=home)
            for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
                environment.pop(name, None)

            def lookup_of(address):
                script = 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"'
                done = subprocess.run(["unshare", "-m", "--", "sh", "-c", script, "sh", resolv,
                                       MAIL_SETUP, "providers", "lookup", address, "--json",
                                       "--ca-file", ca, "--timeout", "5", "--no-public-database"],
                                      capture_output=True, text=True, env=environment, timeout=120)
                return done, json.loads(done.stdout) if done.stdout.startswith("{") else {}

            cases(lookup_of)
            autodiscover_cases(lookup_of)
            srv_cases(lookup_of)
        finally:
            dnsmasq.terminate()
            dnsmasq.wait(timeout=10)
            web.shutdown()

    return checklist.finish()


if __name__ == "__main__":
    sys.exit(main())
