#!/usr/bin/env python3
# test-flatpak.py: the Devel Flatpak, built by flatpak-builder and run by flatpak, does every job
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers, run-with-keyring and run-under-xvfb.

make-runtime.py makes org.gnome.Platform//48 and org.gnome.Sdk//48 from this
machine's own packages (cached, see there); they are installed into a
private FLATPAK_USER_DIR, the real flatpak-builder builds
flatpak/io.github.mailsetup.MailSetup.Devel.json against them and installs
the app there, and every check below goes through `flatpak run`: the
wizard's window (screenshot), `mail-setup test` against the real dovecot
and postfix, and every exporter, with each file looked for where the
host's program reads it (the private HOME of the harness stands for the
host's home) and read by the real program where it is installed, or the
app's refusal checked word for word; then an account that signs in with
its provider (OAuth): `mail-setup token` and `export --sign-in` from the
sandbox with the host's keyring, and the host's msmtp sending with the
token it asks the Flatpak for. Output is TAP.

What the manifest cannot do here, and this changes (the derived manifest
is printed): no network, so libqrencode comes from the stand-in SDK
(Debian's 4.1.1, the version the manifest pins) instead of its download;
Debian has no eu-strip or appstream-compose, so no debuginfo split and no
AppStream compose (appstreamcli validate checks the metainfo instead).
"""

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
import mstest  # noqa: E402
from mstest import env, password  # noqa: E402

SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
APP_ID = "io.github.mailsetup.MailSetup.Devel"
COMMAND = "mail-setup-devel"
ADDRESS = os.environ.get("MS_TEST_USER", "alice@test.example")
CACHE = os.environ.get("MS_FLATPAK_CACHE", "/var/cache/mail-setup-flatpak")
CHECKS = mstest.Checklist()
HOME = os.path.realpath(os.environ["HOME"])
APP_DIR = os.path.join(HOME, ".var", "app", APP_ID)
SCREENSHOT_DIR = os.path.join(os.environ.get("MS_BUILD_ROOT", "."), "screenshots")


def flatpak_env():
    # The private installation; the host's own is never touched. flatpak
    # and flatpak-builder are GLib programs with warnings of their own, and
    # flatpak run hands the environment to the app: neither gets the
    # suite's G_DEBUG=fatal-warnings.
    environ = dict(os.environ, FLATPAK_USER_DIR=FLATPAK_USER_DIR)
    environ.pop("G_DEBUG", None)
    return environ


def flatpak(args, **kwargs):
    return mstest.run(["flatpak"] + list(args), env=flatpak_env(), **kwargs)


def app(args, input=None, check=False, timeout=120):
    """The command line, inside the sandbox."""
    return flatpak(["run", f"--command={COMMAND}", APP_ID] + list(args), input=input,
                   check=check, timeout=timeout)


def derived_manifest(work):
    with open(os.path.join(SOURCE, "flatpak", APP_ID + ".json"), encoding="utf-8") as f:
        manifest = json.load(f)
    manifest["modules"] = [m for m in manifest["modules"] if m["name"] != "libqrencode"]
    manifest["appstream-compose"] = False
    app_module = manifest["modules"][-1]
    app_module.setdefault("build-options", {})["no-debuginfo"] = True
    source = app_module["sources"][0]
    source["path"] = SOURCE
    source["skip"] = sorted(set(source.get("skip", [])) |
                            {n for n in os.listdir(SOURCE) if n.startswith("_build")})
    path = os.path.join(work, APP_ID + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
    return path, manifest


def build(work):
    started = time.monotonic()
    repo = mstest.run([sys.executable, os.path.join(HERE, "make-runtime.py"), CACHE],
                      timeout=900).stdout.strip().splitlines()[-1]
    CHECKS.check(f"stand-in runtime and SDK from this machine's packages ({time.monotonic() - started:.0f} s)",
                 os.path.isdir(repo), repo)
    flatpak(["--user", "remote-add", "--no-gpg-verify", "standin", repo])
    flatpak(["--user", "install", "-y", "--noninteractive", "standin",
             "org.gnome.Platform//48", "org.gnome.Sdk//48"], timeout=300)
    manifest, content = derived_manifest(work)
    print("# derived manifest: " + json.dumps(content).replace("\n", " "))
    started = time.monotonic()
    built = flatpak(["run", "--version"], check=False) and mstest.run(
        ["flatpak-builder", "--user", "--install", "--force-clean", "--disable-rofiles-fuse",
         "--state-dir", os.path.join(work, "state"), os.path.join(work, "build"), manifest],
        env=flatpak_env(), check=False, timeout=900)
    CHECKS.check(f"flatpak-builder builds and installs {APP_ID} ({time.monotonic() - started:.0f} s)",
                 built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:])
    listed = flatpak(["--user", "list", "--app", "--columns=application"]).stdout
    return CHECKS.check("the app is installed in the private installation", APP_ID in listed, listed)


def write_provider():
    """The test domain's settings, in the app's own config folder."""
    folder = os.path.join(APP_DIR, "config", "mail-setup", "providers")
    os.makedirs(folder, exist_ok=True)
    host = env("MS_TEST_HOST")
    with open(os.path.join(folder, "test.example.xml"), "w", encoding="utf-8") as f:
        f.write(f"""<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="test.example">
    <domain>test.example</domain>
    <displayName>Test Mail</displayName>
    <incomingServer type="imap">
      <hostname>{host}</hostname><port>{env("MS_TEST_IMAPS_PORT")}</port>
      <socketType>SSL</socketType><username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>{host}</hostname><port>{env("MS_TEST_SUBMISSIONS_PORT")}</port>
      <socketType>SSL</socketType><username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
""")
    # The sandbox has its own /tmp: the CA goes where both sides see it.
    ca = os.path.join(APP_DIR, "test-ca.pem")
    shutil.copy(env("MS_TEST_CA_FILE"), ca)
    return ca


def xwd_to_png(xwd, png):
    """xwd's 24-bit TrueColor dump (Xvfb's default visual) as a PNG: no
    image tool on this machine reads XWD."""
    fields = struct.unpack(">25I", xwd[:100])
    header_size, width, height, bits_per_pixel, bytes_per_line = (
        fields[0], fields[4], fields[5], fields[11], fields[12])
    ncolors, byte_order = fields[19], fields[7]
    mstest.check(bits_per_pixel == 32, f"xwd gave {bits_per_pixel} bits per pixel")
    pixels = xwd[header_size + ncolors * 12:]
    rows = bytearray()
    for y in range(height):
        row = pixels[y * bytes_per_line:y * bytes_per_line + width * 4]
        rows.append(0)
        for x in range(0, width * 4, 4):
            b, g, r = (row[x], row[x + 1], row[x + 2]) if byte_order == 0 else \
                (row[x + 3], row[x + 2], row[x + 1])
            rows += bytes((r, g, b))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    with open(png, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))


def wizard_screenshot():
    proc = subprocess.Popen(["flatpak", "run", APP_ID], env=flatpak_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        window = mstest.wait_until(
            lambda: subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Mail Setup"],
                                   capture_output=True, text=True).stdout.split(),
            "the wizard's window", alive=proc)
        mstest.wait_until(lambda: mstest.run(["xwininfo", "-id", window[0]]).stdout.count("IsViewable"),
                          "the window to be shown")
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        shot = os.path.join(SCREENSHOT_DIR, "flatpak-wizard.png")

        def painted():
            # Viewable comes before the first frame: wait for one that is
            # not a single colour (polled, the event is not observable).
            dump = subprocess.run(["xwd", "-silent", "-id", window[0]], capture_output=True).stdout
            pixels = dump[struct.unpack(">I", dump[:4])[0]:] if len(dump) > 100 else b""
            return dump if len(set(pixels[i:i + 4] for i in range(0, len(pixels), 4096))) > 2 else None
        xwd_to_png(mstest.wait_until(painted, "the wizard's first frame"), shot)
        CHECKS.check("flatpak run opens the wizard (screenshot flatpak-wizard.png)",
                     os.path.getsize(shot) > 5000, shot)
    finally:
        mstest.stop_process_group(proc)


def check_file(name, path, contains):
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    return CHECKS.check(name, text is not None and all(c in text for c in contains),
                        f"{path}: {text!r}")


def exports(ca):
    host = env("MS_TEST_HOST")
    config = os.path.join(HOME, ".config")
    tested = app(["test", ADDRESS, "--password-stdin", "--ca-file", ca, "--timeout", "20"],
                 input=password() + "\n")
    CHECKS.check("mail-setup test passes against the real servers, from the sandbox",
                 tested.returncode == 0, tested.stdout + tested.stderr)

    # The first export tests again, saves the settings, fills the host's keyring.
    first = app(["export", ADDRESS, "--to", "msmtp", "--name", "Alice Tester", "--password-stdin",
                 "--ca-file", ca, "--timeout", "20"], input=password() + "\n")
    msmtp_config = os.path.join(config, "msmtp", "config")
    CHECKS.check("msmtp export succeeds", first.returncode == 0, first.stdout + first.stderr)
    check_file("msmtp: the host's ~/.config/msmtp/config, not the sandbox's",
               msmtp_config, [f"host {host}", ADDRESS])
    # flatpak makes ~/.var/app/ID/config/msmtp a mount point of the shared
    # folder, an empty folder on the host: the file must not be there.
    CHECKS.check("msmtp: no file in the sandbox's ~/.var/app/ID/config/msmtp",
                 not os.path.exists(os.path.join(APP_DIR, "config", "msmtp", "config")),
                 repr(os.listdir(os.path.join(APP_DIR, "config", "msmtp"))
                      if os.path.isdir(os.path.join(APP_DIR, "config", "msmtp")) else None))
    if shutil.which("msmtp"):
        before = open(env("MS_TEST_POSTFIX_LOG"), errors="replace").read().count("sasl_username=" + ADDRESS)
        sent = mstest.run(["msmtp", "-a", ADDRESS, ADDRESS], check=False,
                          input=f"From: {ADDRESS}\nTo: {ADDRESS}\nSubject: from the Flatpak's msmtp file\n\nhi\n")
        CHECKS.check("msmtp (the host's) sends with that file and the keyring entry the sandbox stored",
                     sent.returncode == 0 and mstest.wait_for_log(
                         env("MS_TEST_POSTFIX_LOG"), "sasl_username=" + ADDRESS, after=before) is not None,
                     sent.stdout + sent.stderr)

    results = {}
    for client in ("neomutt", "aerc", "evolution", "geary", "thunderbird", "goa", "mbsync",
                   "pdf", "mobileconfig", "autodiscover", "qr"):
        results[client] = app(["export", ADDRESS, "--to", client, "--name", "Alice Tester"])
    out = lambda c: results[c].stdout + results[c].stderr  # noqa: E731

    check_file("neomutt: ~/.config/neomutt/neomuttrc on the host",
               os.path.join(config, "neomutt", "neomuttrc"), [host])
    if shutil.which("neomutt"):
        query = mstest.run(["neomutt", "-n", "-F", os.path.join(config, "neomutt", "neomuttrc"),
                            "-Q", "smtp_url"], check=False)
        CHECKS.check("neomutt reads it (smtp_url)", host in query.stdout, query.stdout + query.stderr)
    check_file("aerc: ~/.config/aerc/accounts.conf on the host",
               os.path.join(config, "aerc", "accounts.conf"), [ADDRESS, host])
    sources = os.path.join(config, "evolution", "sources")
    found = [f for f in os.listdir(sources)] if os.path.isdir(sources) else []
    CHECKS.check("evolution: a .source in the host's ~/.config/evolution/sources",
                 results["evolution"].returncode == 0 and any(f.endswith(".source") for f in found),
                 out("evolution") + repr(found))
    geary = os.path.join(config, "geary")
    found = os.listdir(geary) if os.path.isdir(geary) else []
    CHECKS.check("geary: an account folder in the host's ~/.config/geary",
                 results["geary"].returncode == 0 and any(f.startswith("account_") for f in found),
                 out("geary") + repr(found))
    check_file("thunderbird: the account in the host's default profile's prefs.js",
               os.path.join(HOME, ".thunderbird", "abcd.default", "prefs.js"), [ADDRESS, host])
    CHECKS.check("goa: added through goa-daemon, or the reason it cannot",
                 results["goa"].returncode == 0 or "GNOME Online Accounts" in out("goa"), out("goa"))
    CHECKS.check("mbsync: refused, saying why (~/.mbsyncrc cannot be replaced from a Flatpak)",
                 results["mbsync"].returncode != 0 and "~/.mbsyncrc" in out("mbsync")
                 and "Flatpak" in out("mbsync") and not os.path.exists(os.path.join(HOME, ".mbsyncrc")),
                 out("mbsync"))
    for client in ("pdf", "mobileconfig", "autodiscover", "qr"):
        CHECKS.check(f"{client}: without --output refused, saying why (no \"Wrote\")",
                     results[client].returncode != 0 and "may not write" in out(client)
                     and "Wrote" not in out(client), out(client))
    kept = os.path.join(APP_DIR, "alice.pdf")
    saved = app(["export", ADDRESS, "--to", "pdf", "--output", kept])
    text = mstest.run(["pdftotext", kept, "-"], check=False).stdout if os.path.exists(kept) else ""
    CHECKS.check("pdf: --output to a place the sandbox shares is written, and pdftotext reads it",
                 saved.returncode == 0 and host in text, saved.stdout + saved.stderr + text)


KEYRING_SCHEMA = "io.github.mailsetup.MailSetup.Account"
OAUTH_CLIENT = "mail-setup-test"   # a client oauth-server.py knows


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_by_hand(url):
    """What the person's browser does with the printed address: the
    authorization server (oauth-server.py, standing for the provider)
    consents and redirects, and only a redirect to the loopback is
    followed. Returns the loopback listener's HTTP status."""
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))
    try:
        opener.open(url, timeout=20)
        return None
    except urllib.error.HTTPError as redirect:
        location = redirect.headers.get("Location") or ""
    if not location.startswith("http://127.0.0.1:"):
        return None
    with opener.open(location, timeout=20) as answer:
        return answer.status


def keyring_item(user, kind):
    address_id = hashlib.sha256(user.lower().encode()).hexdigest()
    proc = mstest.run(["secret-tool", "lookup", "xdg:schema", KEYRING_SCHEMA, "address", user.lower(),
                       "address-id", address_id, "kind", kind], check=False)
    return proc.stdout if proc.returncode == 0 else None


def sign_in_from_sandbox():
    """`mail-setup sign-in` inside the sandbox. No OpenURI portal runs
    here, so no browser opens: the command says so and waits, and the
    printed address is opened by hand, as the person would."""
    proc = subprocess.Popen(["flatpak", "run", f"--command={COMMAND}", APP_ID, "sign-in", ADDRESS,
                             "--client-id", OAUTH_CLIENT, "--timeout", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=flatpak_env())
    shown, status = [], None
    try:
        for line in proc.stderr:
            shown.append(line)
            if line.startswith(env("MS_TEST_OAUTH_URL") + "/authorize?"):
                status = open_by_hand(line.strip())
                break
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = "".join(shown) + err
    refresh = keyring_item(ADDRESS, "oauth-refresh")
    CHECKS.check("mail-setup sign-in in the sandbox: its loopback listener gets the code, the host's "
                 "keyring keeps the sign-in",
                 proc.returncode == 0 and status == 200 and refresh is not None
                 and refresh.endswith("\n" + OAUTH_CLIENT) and refresh.split("\n")[0] not in out + said,
                 out + said)


def write_oauth_provider():
    """The same servers, which also take OAuth2 (dovecot's oauth2 passdb)."""
    path = os.path.join(APP_DIR, "config", "mail-setup", "providers", "test.example.xml")
    text = mstest.read_text(path).replace(
        "<authentication>password-cleartext</authentication>",
        "<authentication>OAuth2</authentication><authentication>password-cleartext</authentication>")
    text = text.replace("</clientConfig>", f"""  <oAuth2>
    <issuer>127.0.0.1</issuer><scope>mail</scope>
    <authURL>{env("MS_TEST_OAUTH_URL")}/authorize</authURL>
    <tokenURL>{env("MS_TEST_OAUTH_URL")}/token</tokenURL>
  </oAuth2>
</clientConfig>""")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def oauth(ca):
    """An account that signs in with its provider, from the sandbox: the
    sign-in, the token from the host's keyring, the test with it, and the
    host's msmtp getting its token through `flatpak run ... token`."""
    write_oauth_provider()
    sign_in_from_sandbox()
    printed = app(["token", ADDRESS])
    token = printed.stdout.strip()
    kept = keyring_item(ADDRESS, "oauth-access") or ""
    CHECKS.check("mail-setup token, in the sandbox, prints the access token the keyring keeps",
                 printed.returncode == 0 and token and kept.startswith(token + "\n"), printed.stderr)

    config = os.path.join(HOME, ".config", "msmtp", "config")
    exported = app(["export", ADDRESS, "--to", "msmtp", "--sign-in", "--ca-file", ca, "--timeout", "20"])
    text = mstest.read_text(config) if os.path.exists(config) else ""
    command = f"flatpak run --command={COMMAND} {APP_ID} token"
    CHECKS.check("export --sign-in from the sandbox: tested with the token, msmtp told to ask the Flatpak",
                 exported.returncode == 0 and "auth oauthbearer" in text and command in text
                 and token not in text, exported.stdout + exported.stderr + text)
    if not shutil.which("msmtp"):
        CHECKS.check("msmtp is installed", False, "apt-get install msmtp")
        return
    log = env("MS_TEST_POSTFIX_LOG")
    before = open(log, errors="replace").read().count("sasl_method=OAUTHBEARER")
    sent = mstest.run(["msmtp", "-a", ADDRESS, ADDRESS], check=False, env=flatpak_env(),
                      input=f"From: {ADDRESS}\nTo: {ADDRESS}\nSubject: OAuth from the Flatpak\n\nhi\n")
    CHECKS.check("the host's msmtp sends with OAUTHBEARER, its token from `flatpak run ... token`",
                 sent.returncode == 0 and mstest.wait_for_log(log, "sasl_method=OAUTHBEARER",
                                                              after=before) is not None,
                 sent.stdout + sent.stderr)


def flow():
    mstest.require_root("flatpak-builder and the test servers need root here")
    mstest.need("flatpak-builder", "flatpak-builder")
    mstest.need("xdotool", "xdotool")
    mstest.need("xwd", "x11-apps")
    # A fresh machine has no cache yet (make-runtime.py fills it below).
    os.makedirs(CACHE, exist_ok=True)
    work = tempfile.mkdtemp(prefix="ms-flatpak-", dir=CACHE)
    global FLATPAK_USER_DIR
    FLATPAK_USER_DIR = os.path.join(work, "user")
    try:
        if not build(work):
            return
        # A Thunderbird that has been started once: a default profile.
        profile = os.path.join(HOME, ".thunderbird", "abcd.default")
        os.makedirs(profile)
        with open(os.path.join(HOME, ".thunderbird", "profiles.ini"), "w", encoding="utf-8") as f:
            f.write("[Profile0]\nName=default\nIsRelative=1\nPath=abcd.default\nDefault=1\n")
        ca = write_provider()
        wizard_screenshot()
        exports(ca)
        oauth(ca)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    FLATPAK_USER_DIR = None
    sys.exit(CHECKS.run(flow))
