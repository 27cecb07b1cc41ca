#!/usr/bin/env python3
# test-export-oauth-programs.py: OAuth accounts exported so the real programs sign in by themselves
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix, and
tests/harness/oauth-server.py standing for a provider's authorization
server), run-under-xvfb (a display for Geary) and run-with-keyring
(a private D-Bus session with a real gnome-keyring; evolution-source-registry
and goa-daemon start there by D-Bus activation).

The account is a Gmail one whose servers sign in with OAuth, saved as a
passing OAuth test saves it (Google's servers cannot be reached from
here, and no sign-in happens in these tests: each program signs in by
itself, with its own OAuth client, the first time the person uses it).
What is proven is that each real program reads the export as an OAuth
account of its own provider: the real evolution-source-registry loads the
sources and libedataserver's own OAuth 2.0 services pick "Google" for
them; the real goa-daemon serves a "google" account for the address,
with Google's mail servers, that waits for its sign-in, the real registry
makes Evolution's sources for it by itself (XOAUTH2 through GOA), and the
real Geary takes it from GOA by itself and runs it with its Gmail engine;
the real Thunderbird (headless) loads the account and keeps authMethod 10
when it writes prefs.js back. The Geary export (Geary signs in with OAuth
only through GOA), every native export for a look-alike host, and every
native export of an account really tested with OAuth against the
harness's servers, whose host no program knows, are refused with nothing
written. A program that is missing fails its test with the reason;
nothing is skipped. Output is TAP.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, check_equal, check_in, env, need, run, test  # noqa: E402

MAIL_SETUP = mstest.MAIL_SETUP
ADDRESS = "pat.example@gmail.com"
# A provider file that claims to be Google for servers that are not.
LOOKALIKE = "pat@lookalike.example"
WORK = tempfile.mkdtemp(prefix="ms-export-oauth-test-")
TB_ENV = dict(os.environ, MOZ_HEADLESS="1")


def config(*parts):
    return os.path.join(os.environ["XDG_CONFIG_HOME"], *parts)


def save_settings(address, imap_host, smtp_host, provider_id):
    """The settings file a passing OAuth test leaves (ms_account_settings_save)."""
    os.makedirs(config("mail-setup", "accounts"), exist_ok=True)
    with open(config("mail-setup", "accounts", address.lower()), "w") as f:
        f.write(f"""[Account]
Address={address}
Name=Pat Example
ProviderId={provider_id}
ProviderName=Google Mail

[Incoming]
Protocol=imap
Host={imap_host}
Port=993
Security=SSL
Auth=OAuth2
Username={address}

[Outgoing]
Protocol=smtp
Host={smtp_host}
Port=465
Security=SSL
Auth=OAuth2
Username={address}
""")


def export(address, client, output=None, check=True):
    argv = [MAIL_SETUP, "export", address, "--to", client]
    if output is not None:
        argv += ["--output", output]
    return run(argv, check=check)


def evolution_uids(address):
    digest = hashlib.sha256(address.encode()).hexdigest()[:16]
    return [f"mail-setup-{digest}-{role}" for role in ("account", "identity", "transport")]


def goa_objects():
    return run(["gdbus", "call", "--session", "--dest", "org.gnome.OnlineAccounts",
                "--object-path", "/org/gnome/OnlineAccounts", "--method",
                "org.freedesktop.DBus.ObjectManager.GetManagedObjects"]).stdout


def goa_property(path, interface, name):
    return run(["gdbus", "call", "--session", "--dest", "org.gnome.OnlineAccounts",
                "--object-path", path, "--method", "org.freedesktop.DBus.Properties.Get",
                interface, name]).stdout.strip()


@test("the OAuth settings are saved as a passing OAuth test saves them")
def t_saved():
    save_settings(ADDRESS, "imap.gmail.com", "smtp.gmail.com", "gmail.com")
    save_settings(LOOKALIKE, "imap.gmail.com.lookalike.example", "smtp.gmail.com.lookalike.example", "gmail.com")
    # mail-setup itself reads them back: the PDF sheet names the servers
    # and says they take the provider's sign-in, not a password.
    need("pdftotext", "poppler-utils")
    sheet = os.path.join(WORK, "sheet.pdf")
    export(ADDRESS, "pdf", sheet)
    text = run(["pdftotext", "-layout", sheet, "-"]).stdout
    check_in("imap.gmail.com", text)
    check_equal(text.count("sign-in page (OAuth)"), 2, text)
    check("your email password" not in text, text)


@test("Evolution: the real evolution-source-registry loads the sources; EDS's own OAuth service is Google")
def t_evolution():
    registry = "/usr/libexec/evolution-source-registry"
    if not os.path.exists(registry):
        raise mstest.Failure(f"{registry} is missing: install the Debian package evolution-data-server")
    system_python = "/usr/bin/python3"
    probe = run([system_python, "-c", "import gi; gi.require_version('EDataServer', '1.2')"], check=False)
    if probe.returncode != 0:
        raise mstest.Failure("libedataserver's Python bindings are missing: install the Debian packages "
                             f"python3-gi and gir1.2-edataserver-1.2\n{probe.stderr}")
    # No password: none is needed, Evolution signs in by itself.
    proc = export(ADDRESS, "evolution")
    check_in("Evolution signs in to this account by itself", proc.stderr)
    uids = evolution_uids(ADDRESS)
    sources = config("evolution", "sources")
    for uid in uids:
        check(os.path.exists(os.path.join(sources, uid + ".source")), f"{uid}.source not written: {proc.stdout}")
    checker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-export-evolution-eds.py")
    found = json.loads(run([system_python, checker] + uids, input="\n", timeout=60).stdout)
    account, identity, transport = found["account"], found["identity"], found["transport"]
    check(account is not None and identity is not None and transport is not None, found)
    check(found["listed_as_mail_account"], found)
    check_equal((account["host"], account["port"], account["user"], account["backend"]),
                ("imap.gmail.com", 993, ADDRESS, "imapx"), account)
    check_equal((transport["host"], transport["port"], transport["user"], transport["backend"]),
                ("smtp.gmail.com", 465, ADDRESS, "smtp"), transport)
    # The method Camel takes as its SASL mechanism, and the service EDS
    # itself finds for each source: the one that signs in.
    check_equal((account["method"], transport["method"]), ("Google", "Google"))
    check_equal((account["oauth2_service"], transport["oauth2_service"]), ("Google", "Google"), found)
    check(identity["address"] == ADDRESS and identity["transport_uid"] == uids[2], identity)
    # No password went into Evolution's keyring entries.
    check(not account.get("password_found") and not transport.get("password_found"), found)
    for uid in (uids[0], uids[2]):
        lookup = run(["secret-tool", "lookup", "xdg:schema", "org.gnome.Evolution.Data.Source",
                      "e-source-uid", uid], check=False)
        check(lookup.returncode != 0 and lookup.stdout == "", f"a keyring item for {uid}: {lookup.stdout!r}")


@test("GNOME Online Accounts (real goa-daemon): a google account for the address, waiting for its own sign-in; "
      "Evolution's registry makes its sources from it")
def t_goa():
    need("gdbus", "libglib2.0-bin")
    if not os.path.exists("/usr/libexec/goa-daemon"):
        raise mstest.Failure("goa-daemon is missing: install the Debian package gnome-online-accounts")
    proc = export(ADDRESS, "goa")
    paths = [word for word in proc.stdout.split() if word.startswith("/org/gnome/OnlineAccounts/Accounts/")]
    check(len(paths) == 1, proc.stdout)
    path = paths[0].rstrip(".,")
    check_in("Online Accounts", proc.stdout + proc.stderr, "no word on signing in once in Settings")
    conf = open(config("goa-1.0", "accounts.conf")).read()
    check_in("Provider=google\n", conf)
    check_in(f"Identity={ADDRESS}\n", conf)
    check_in("MailEnabled=true\n", conf)
    check("ImapHost" not in conf and "password" not in conf.lower(), conf)
    objects = goa_objects()
    for expected in ("'ProviderType': <'google'>", f"'Identity': <'{ADDRESS}'>",
                     f"'PresentationIdentity': <'{ADDRESS}'>", f"'EmailAddress': <'{ADDRESS}'>",
                     "'ImapHost': <'imap.gmail.com'>", "'SmtpHost': <'smtp.gmail.com'>",
                     "'SmtpAuthXoauth2': <true>"):
        check_in(expected, objects, f"not in goa-daemon's objects:\n{objects}")
    # goa-daemon has no token of its own yet: it asks for its sign-in.
    attention = mstest.poll(lambda: goa_property(path, "org.gnome.OnlineAccounts.Account", "AttentionNeeded"),
                            lambda value: value == "(<true>,)", deadline=30)
    check_equal(attention, "(<true>,)", "goa-daemon does not ask for the sign-in")
    # Evolution gets the account from GOA by itself: the real registry
    # makes its collection and mail sources, signing in through GOA.
    goa_id = path.rsplit("/", 1)[1]
    checker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-export-evolution-eds.py")
    made = mstest.poll(lambda: json.loads(run(["/usr/bin/python3", checker, "--goa", goa_id], timeout=60).stdout),
                       lambda found: any(c.get("mail_transport") for c in found["children"]), deadline=30)
    check_equal(len(made["collections"]), 1, made)
    incoming = [c for c in made["children"] if c.get("mail_account") == "imapx"]
    outgoing = [c for c in made["children"] if c.get("mail_transport") == "smtp"]
    check(len(incoming) == 1 and len(outgoing) == 1, made)
    check_equal((incoming[0]["host"], incoming[0]["user"], incoming[0]["method"]),
                ("imap.gmail.com", ADDRESS, "XOAUTH2"), made)
    check_equal((outgoing[0]["host"], outgoing[0]["method"]), ("smtp.gmail.com", "XOAUTH2"), made)
    again = export(ADDRESS, "goa", check=False)
    check(again.returncode == 1 and "already has an account" in again.stderr, again.stderr)


@test("Geary (real, under Xvfb) takes the GOA account by itself and runs it as a Gmail account")
def t_geary_through_goa():
    need("geary", "geary")
    need("stdbuf", "coreutils")
    ids = sorted(set(re.findall(r"/org/gnome/OnlineAccounts/Accounts/(\w+)", goa_objects())))
    check(len(ids) == 1, f"not one GOA account (the GOA test runs first): {ids}")
    goa_id = ids[0]
    log_path = os.path.join(WORK, "geary.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["stdbuf", "-oL", "-eL", "geary", "--debug"], stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        # Geary's own account for the GOA one, run by its Gmail engine,
        # whose IMAP service starts (Google is unreachable from here).
        output = mstest.poll(lambda: mstest.read_text(log_path),
                             lambda text: "GearyImapClientService: Started" in text, alive=proc)
    finally:
        mstest.stop_process_group(proc)
    check_in(f"[goa_{goa_id}] GearyImapEngineGmailAccount", output)
    check_in(f"[goa_{goa_id}] [imap] GearyImapClientService: Started", output)
    ini = open(config("geary", f"goa_{goa_id}", "geary.ini")).read()
    check_in(f"goa_id={goa_id}\n", ini)
    check_in(f"<{ADDRESS}>", ini)


@test("Geary: refused with the GOA export as the way, nothing written")
def t_geary():
    target = os.path.join(WORK, "geary")
    proc = export(ADDRESS, "geary", target, check=False)
    check_equal(proc.returncode, 1, proc.stdout + proc.stderr)
    check_in("GNOME Online Accounts", proc.stderr)
    check(not os.path.exists(target), os.listdir(WORK))


def start_thunderbird(profile):
    return subprocess.Popen(["thunderbird", "--headless", "-profile", profile],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=TB_ENV, start_new_session=True)


def run_thunderbird_until(profile, ready, what):
    prefs = os.path.join(profile, "prefs.js")
    proc = start_thunderbird(profile)
    try:
        mstest.wait_until(lambda: os.path.exists(prefs) and ready(mstest.read_text(prefs)),
                          what, interval=0.2, alive=proc)
    finally:
        mstest.stop_process_group(proc)
    return mstest.read_text(prefs)


def pref(text, name):
    value = None
    for line in text.splitlines():
        if line.startswith(f'user_pref("{name}", '):
            value = json.loads(line[len(f'user_pref("{name}", '):-2])
    return value


@test("Thunderbird (real, headless): loads the account and keeps authMethod 10 (OAuth2) for both servers")
def t_thunderbird():
    need("thunderbird", "thunderbird")
    profile = os.path.join(WORK, "tb-oauth")
    run(["thunderbird", "--headless", "--createprofile", f"oauth {profile}"], timeout=120, env=TB_ENV)
    run_thunderbird_until(profile, lambda text: "mail.ui-rdf.version" in text,
                          f"Thunderbird wrote its first prefs.js into {profile}")
    proc = export(ADDRESS, "thunderbird", profile)
    check_in("Thunderbird signs in to this account by itself", proc.stderr)
    suffix = hashlib.sha256(ADDRESS.encode()).hexdigest()[:10]
    server, smtp = f"server_ms{suffix}", f"smtp_ms{suffix}"
    # Thunderbird writes the account's folder back once it has loaded it.
    prefs = run_thunderbird_until(profile, lambda text: f'"mail.server.{server}.directory-rel"' in text,
                                  "Thunderbird loaded the exported account")
    check_equal(pref(prefs, f"mail.server.{server}.hostname"), "imap.gmail.com")
    check_equal(pref(prefs, f"mail.server.{server}.authMethod"), 10)
    check_equal(pref(prefs, f"mail.smtpserver.{smtp}.hostname"), "smtp.gmail.com")
    check_equal(pref(prefs, f"mail.smtpserver.{smtp}.authMethod"), 10)


@test("a look-alike host with a provider id claiming Google: every native export refuses, nothing written")
def t_lookalike():
    for client in ("evolution", "goa", "thunderbird", "geary"):
        target = None if client == "goa" else os.path.join(WORK, f"lookalike-{client}")
        if client == "thunderbird":
            os.makedirs(target)
        proc = export(LOOKALIKE, client, target, check=False)
        check_equal(proc.returncode, 1, f"{client}: {proc.stdout}{proc.stderr}")
        check_in("imap.gmail.com.lookalike.example", proc.stderr, client)
        check_in("mail-setup token", proc.stderr, client)
        if client == "thunderbird":
            check_equal(os.listdir(target), [], client)
        elif target is not None:
            check(not os.path.exists(target), f"{client} wrote {target}")
    check(LOOKALIKE not in goa_objects(), "goa-daemon got the look-alike account")


def tested_oauth_account(config_home):
    """A real OAuth test: the harness's dovecot and postfix take the token
    (dovecot's oauth2 passdb asks tests/harness/oauth-server.py, which
    stands for the provider's authorization server); the kept sign-in is
    what `mail-setup sign-in` leaves in the keyring."""
    user = env("MS_TEST_USER")
    mstest.write_provider(config_home, mstest.oauth_provider_xml(authentication="OAuth2"))
    issued = mstest.keep_sign_in(user)
    return user, issued


@test("an account really tested with OAuth (real dovecot and postfix) at a host no program knows: "
      "every native export refuses, nothing written, the token nowhere")
def t_tested_unknown_host():
    with tempfile.TemporaryDirectory() as config_home:
        user, issued = tested_oauth_account(config_home)
        home_env = dict(os.environ, XDG_CONFIG_HOME=config_home)
        sheet = os.path.join(config_home, "sheet.pdf")
        proc = run([MAIL_SETUP, "export", user, "--to", "pdf", "--output", sheet, "--sign-in",
                    "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "20"], env=home_env, check=False)
        check_equal(proc.returncode, 0, proc.stdout + proc.stderr)
        saved = mstest.read_text(os.path.join(config_home, "mail-setup", "accounts", user.lower()))
        check_equal(saved.count("Auth=OAuth2"), 2, saved)
        for client in ("evolution", "goa", "thunderbird", "geary", "mobileconfig", "qr"):
            target = None if client == "goa" else os.path.join(config_home, f"out-{client}")
            if client == "thunderbird":
                os.makedirs(target)
            argv = [MAIL_SETUP, "export", user, "--to", client] + ([] if target is None else ["--output", target])
            proc = run(argv, env=home_env, check=False)
            check_equal(proc.returncode, 1, f"{client}: {proc.stdout}{proc.stderr}")
            check_in(env("MS_TEST_HOST"), proc.stderr, client)
            check_in("OAuth", proc.stderr, client)
            for secret in (issued["access_token"], issued["refresh_token"]):
                check(secret not in proc.stdout + proc.stderr, f"{client} printed a token")
            if client == "thunderbird":
                check_equal(os.listdir(target), [], client)
            elif target is not None:
                check(not os.path.exists(target), f"{client} wrote {target}")
        check(user not in goa_objects(), "goa-daemon got the account")


def main():
    mstest.require_mail_setup()
    return mstest.main(teardown=lambda: shutil.rmtree(WORK, ignore_errors=True),
                       prerequisites=(t_saved,))


if __name__ == "__main__":
    sys.exit(main())
