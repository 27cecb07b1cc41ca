#!/usr/bin/env python3
# test-thunderbird.py: the Thunderbird exporter and account reader, proven by the real Thunderbird
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs inside run-with-mail-servers (real dovecot and postfix) and
run-with-keyring (a private D-Bus session with a real gnome-keyring).

Every profile here is made by the real `thunderbird --headless`
(--createprofile, then one start). The export writes prefs.js; the real
Thunderbird then starts on the profile and, when it has loaded an account,
writes the account's mail folder (`mail.server.KEY.directory-rel`) back
into prefs.js: that write is the event the tests wait for, and the prefs.js
it leaves is what they check. A change "by the person" is made to prefs.js
while Thunderbird is closed, with the folder prefs removed so the next
start writes prefs.js again. The reader and the update are driven through
thunderbird-accounts (no command line does that yet). A program that is
missing fails its test with the reason; nothing is skipped. Output is TAP.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402
from mstest import check, check_equal, check_in, env, need, password, run, test  # noqa: E402

ADDRESS = os.environ.get("MS_TEST_USER", "alice@test.example")
MAIL_SETUP = mstest.MAIL_SETUP
WORK = tempfile.mkdtemp(prefix="ms-thunderbird-test-")
SUFFIX = hashlib.sha256(ADDRESS.encode()).hexdigest()[:10]
ACCOUNT, SERVER, IDENTITY, SMTP = (f"{kind}_ms{SUFFIX}" for kind in ("account", "server", "id", "smtp"))
TB_ENV = dict(os.environ, MOZ_HEADLESS="1")
# Non-ASCII goes as \\uXXXX: Mozilla's pref parser reads no octal.
NAME = "Zoë \"Q\" Ångström \\ ☃ 𝄞"


def write_provider():
    host = env("MS_TEST_HOST")
    config = os.environ["XDG_CONFIG_HOME"]
    os.makedirs(os.path.join(config, "mail-setup", "providers"), exist_ok=True)
    with open(os.path.join(config, "mail-setup", "providers", "test.example.xml"), "w") as f:
        f.write(f"""<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="test.example">
    <domain>test.example</domain>
    <displayName>Test Mail</displayName>
    <incomingServer type="imap">
      <hostname>{host}</hostname>
      <port>{env("MS_TEST_IMAPS_PORT")}</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>{host}</hostname>
      <port>{env("MS_TEST_SUBMISSIONS_PORT")}</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
""")


def export(profile=None, check=True, name=NAME):
    argv = [MAIL_SETUP, "export", ADDRESS, "--to", "thunderbird", "--name", name]
    if profile is not None:
        argv += ["--output", profile]
    return run(argv, check=check)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def pref_lines(text):
    return [line for line in text.splitlines() if line.startswith("user_pref(")]


def pref(text, name):
    """The value of NAME in a prefs.js text (the last one), decoded, or None."""
    value = None
    for line in pref_lines(text):
        if line.startswith(f'user_pref("{name}", '):
            value = json.loads(line[len(f'user_pref("{name}", '):-2])
    return value


def set_pref(text, name, value):
    """TEXT with the line that sets NAME set to VALUE, as a person would edit it."""
    head = f'user_pref("{name}", '
    return "".join(f"{head}{json.dumps(value)});\n" if line.startswith(head) else line
                   for line in text.splitlines(keepends=True))


def start(profile):
    # A lock left by a Thunderbird stopped by a signal is stale; the
    # exporter treats it so, but the lock test waits for a fresh one.
    if os.path.islink(os.path.join(profile, "lock")):
        os.unlink(os.path.join(profile, "lock"))
    return subprocess.Popen(["thunderbird", "--headless", "-profile", profile],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=TB_ENV, start_new_session=True)


def run_until(profile, ready, what):
    """Start Thunderbird on PROFILE until READY(prefs.js text) holds, then stop it."""
    prefs = os.path.join(profile, "prefs.js")
    proc = start(profile)
    try:
        mstest.wait_until(lambda: os.path.exists(prefs) and ready(mstest.read_text(prefs)),
                          what, interval=0.2, alive=proc)
    finally:
        mstest.stop_process_group(proc)
    return read(prefs)


def loaded(*servers):
    return lambda text: all(f'"mail.server.{s}.directory-rel"' in text for s in servers)


def forget_folders(profile, *servers):
    """Drop the servers' folder prefs, so Thunderbird's next start writes prefs.js."""
    path = os.path.join(profile, "prefs.js")
    keep = [line for line in read(path).splitlines(keepends=True)
            if not any(line.startswith(f'user_pref("mail.server.{s}.directory') for s in servers)]
    write(path, "".join(keep))


def new_profile(name):
    """A profile made by the real Thunderbird: created, started once, closed."""
    need("thunderbird", "thunderbird")
    if name == "default":
        run(["thunderbird", "--headless", "--createprofile", "default"], timeout=120, env=TB_ENV)
        root = os.path.join(os.environ["HOME"], ".thunderbird")
        ini = read(os.path.join(root, "profiles.ini"))
        folder = [line.split("=", 1)[1] for line in ini.splitlines() if line.startswith("Path=")][0]
        profile = os.path.join(root, folder)
    else:
        profile = os.path.join(WORK, name)
        run(["thunderbird", "--headless", "--createprofile", f"{name} {profile}"], timeout=120, env=TB_ENV)
    run_until(profile, lambda text: "mail.ui-rdf.version" in text,
              f"Thunderbird wrote its first prefs.js into {profile}")
    return profile


def default_profile():
    root = os.path.join(os.environ["HOME"], ".thunderbird")
    ini_path = os.path.join(root, "profiles.ini")
    if not os.path.exists(ini_path):
        return new_profile("default")
    ini = read(ini_path)
    for block in ini.split("\n\n"):
        if "Name=default" in block:
            path = [line.split("=", 1)[1] for line in block.splitlines() if line.startswith("Path=")][0]
            return os.path.join(root, path)
    return new_profile("default")


@test("the account is tested against the real servers and its settings saved")
def t_tested():
    write_provider()
    out = os.path.join(WORK, "msmtprc")
    run([MAIL_SETUP, "export", ADDRESS, "--to", "msmtp", "--output", out, "--password-stdin",
         "--ca-file", env("MS_TEST_CA_FILE"), "--timeout", "20"], input=password() + "\n")
    saved = os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "accounts", ADDRESS)
    check(os.path.exists(saved), "the tested settings were not saved")


@test("export writes prefs.js (not user.js); the real Thunderbird loads the account and keeps it")
def t_export():
    profile = default_profile()
    before = read(os.path.join(profile, "prefs.js"))
    export()
    check(not os.path.exists(os.path.join(profile, "user.js")), "the export wrote user.js")
    written = read(os.path.join(profile, "prefs.js"))
    check(password() not in written)
    # Thunderbird's own lines are all still there, in their order.
    own = set(before.splitlines())
    check_equal([line for line in written.splitlines() if line in own], before.splitlines(),
                "the export changed Thunderbird's own lines")
    prefs = run_until(profile, loaded(SERVER), "Thunderbird loaded the exported account")
    check_equal(pref(prefs, f"mail.identity.{IDENTITY}.fullName"), NAME)
    check_equal(pref(prefs, f"mail.server.{SERVER}.hostname"), env("MS_TEST_HOST"))
    check_equal(pref(prefs, f"mail.server.{SERVER}.socketType"), 3)
    check_equal(pref(prefs, f"mail.identity.{IDENTITY}.useremail"), ADDRESS)
    # The provider file says STARTTLS; the port speaks implicit TLS.
    check_equal(pref(prefs, f"mail.smtpserver.{SMTP}.try_ssl"), 3)
    check_equal(pref(prefs, f"mail.smtpserver.{SMTP}.port"), int(env("MS_TEST_SUBMISSIONS_PORT")))
    accounts = pref(prefs, "mail.accountmanager.accounts").split(",")
    check_equal(accounts.count(ACCOUNT), 1, accounts)
    check_in(SMTP, pref(prefs, "mail.smtpservers").split(","))


@test("a second export changes nothing and adds no second account")
def t_export_again():
    profile = default_profile()
    prefs_path = os.path.join(profile, "prefs.js")
    if f"mail.server.{SERVER}.directory-rel" not in read(prefs_path):
        export()
        run_until(profile, loaded(SERVER), "Thunderbird loaded the exported account")
    before = read(prefs_path)
    proc = export()
    check_in("Kept the previous file", proc.stdout)
    check_equal(read(prefs_path), before, "a second export changed prefs.js")
    forget_folders(profile, SERVER)
    prefs = run_until(profile, loaded(SERVER), "Thunderbird loaded the account again")
    accounts = pref(prefs, "mail.accountmanager.accounts").split(",")
    check_equal(accounts.count(ACCOUNT), 1, accounts)
    # Thunderbird's own Local Folders account (added with the first one) stays.
    check(len(accounts) == 2, accounts)


def old_block():
    """The user.js block earlier versions wrote for the account."""
    host, imaps, submissions = env("MS_TEST_HOST"), env("MS_TEST_IMAPS_PORT"), env("MS_TEST_SUBMISSIONS_PORT")
    lines = [
        ("mail.accountmanager.accounts", f'"{ACCOUNT}"'),
        ("mail.accountmanager.defaultaccount", f'"{ACCOUNT}"'),
        ("mail.smtpservers", f'"{SMTP}"'),
        ("mail.smtp.defaultserver", f'"{SMTP}"'),
        (f"mail.account.{ACCOUNT}.server", f'"{SERVER}"'),
        (f"mail.account.{ACCOUNT}.identities", f'"{IDENTITY}"'),
        (f"mail.server.{SERVER}.type", '"imap"'),
        (f"mail.server.{SERVER}.hostname", f'"{host}"'),
        (f"mail.server.{SERVER}.port", imaps),
        (f"mail.server.{SERVER}.socketType", "3"),
        (f"mail.server.{SERVER}.authMethod", "3"),
        (f"mail.server.{SERVER}.userName", f'"{ADDRESS}"'),
        (f"mail.server.{SERVER}.name", f'"{ADDRESS}"'),
        (f"mail.identity.{IDENTITY}.fullName", '"Old Name"'),
        (f"mail.identity.{IDENTITY}.useremail", f'"{ADDRESS}"'),
        (f"mail.identity.{IDENTITY}.smtpServer", f'"{SMTP}"'),
        (f"mail.identity.{IDENTITY}.valid", "true"),
        (f"mail.smtpserver.{SMTP}.type", '"smtp"'),
        (f"mail.smtpserver.{SMTP}.hostname", f'"{host}"'),
        (f"mail.smtpserver.{SMTP}.port", submissions),
        (f"mail.smtpserver.{SMTP}.try_ssl", "3"),
        (f"mail.smtpserver.{SMTP}.authMethod", "3"),
        (f"mail.smtpserver.{SMTP}.username", f'"{ADDRESS}"'),
    ]
    body = "".join(f'user_pref("{name}", {value});\n' for name, value in lines)
    return f"// BEGIN Mail Setup {ADDRESS}\n{body}// END Mail Setup {ADDRESS}\n"


@test("an old Mail Setup block in user.js: export moves it to prefs.js, and the person's later change survives a restart")
def t_old_user_js():
    profile = new_profile("legacy")
    user_js = os.path.join(profile, "user.js")
    own = '// mine\nuser_pref("mail.shell.checkDefaultClient", false);\n'
    write(user_js, own + old_block())
    prefs = run_until(profile, loaded(SERVER), "Thunderbird loaded the account from the old user.js")
    check_equal(pref(prefs, f"mail.identity.{IDENTITY}.fullName"), "Old Name")

    proc = export(profile)
    check_equal(read(user_js), own, "the old block is still in user.js")
    backups = [n for n in os.listdir(profile) if n.startswith("user.js.mail-setup-backup-")]
    check(len(backups) == 1 and "BEGIN Mail Setup" in read(os.path.join(profile, backups[0])),
          (backups, proc.stdout))
    prefs_path = os.path.join(profile, "prefs.js")
    prefs = read(prefs_path)
    check_equal(pref(prefs, f"mail.identity.{IDENTITY}.fullName"), NAME)
    check_equal(pref(prefs, "mail.accountmanager.accounts").split(",").count(ACCOUNT), 1)

    # The person renames the account and themselves while Thunderbird is
    # closed; with the old block in user.js the next start would undo it.
    changed = set_pref(prefs, f"mail.identity.{IDENTITY}.fullName", "Alice Changed")
    changed = set_pref(changed, f"mail.server.{SERVER}.name", "My Work Mail")
    check(changed.count("Alice Changed") == 1 and changed.count("My Work Mail") == 1, changed)
    write(prefs_path, changed)
    forget_folders(profile, SERVER)
    prefs = run_until(profile, loaded(SERVER), "Thunderbird started again on the changed prefs.js")
    check_equal(pref(prefs, f"mail.identity.{IDENTITY}.fullName"), "Alice Changed")
    check_equal(pref(prefs, f"mail.server.{SERVER}.name"), "My Work Mail")
    check_equal(read(user_js), own)


@test("a running Thunderbird (its profile lock) makes the export refuse and change nothing")
def t_locked():
    profile = default_profile()
    prefs_path = os.path.join(profile, "prefs.js")
    user_js = os.path.join(profile, "user.js")
    proc = start(profile)
    try:
        mstest.wait_until(lambda: os.path.islink(os.path.join(profile, "lock")),
                          "Thunderbird took its profile lock", interval=0.1, alive=proc)
        before = read(prefs_path)
        result = export(check=False)
        check(result.returncode == 1, (result.returncode, result.stdout, result.stderr))
        check_in("Thunderbird is running", result.stderr)
        check_equal(read(prefs_path), before, "the export changed prefs.js")
        check(not os.path.exists(user_js), "the export wrote user.js")
    finally:
        mstest.stop_process_group(proc)


def second_account(host, port):
    """What Thunderbird's account wizard writes for bob, in its own names."""
    bob = os.environ.get("MS_TEST_USER2", "bob@test.example")
    return {
        "mail.account.account2.server": "server2",
        "mail.account.account2.identities": "id2",
        "mail.server.server2.type": "imap",
        "mail.server.server2.hostname": host,
        "mail.server.server2.port": int(port),
        "mail.server.server2.socketType": 2,
        "mail.server.server2.userName": bob,
        "mail.server.server2.name": bob,
        "mail.identity.id2.useremail": bob,
        "mail.identity.id2.fullName": "Bob",
        "mail.identity.id2.smtpServer": "smtp2",
        "mail.identity.id2.valid": True,
        "mail.smtpserver.smtp2.hostname": host,
        "mail.smtpserver.smtp2.port": int(env("MS_TEST_SUBMISSION_PORT")),
        "mail.smtpserver.smtp2.try_ssl": 2,
        "mail.smtpserver.smtp2.username": bob,
    }


def accounts_tool(*args):
    return run([env("MS_TEST_THUNDERBIRD_ACCOUNTS")] + list(args), check=False)


def profile_inventory(profile):
    proc = accounts_tool("read", os.environ["HOME"])
    check(proc.returncode == 0, proc.stderr)
    inventory = json.loads(proc.stdout)
    prefs_path = os.path.join(profile, "prefs.js")
    return ([a for a in inventory["accounts"] if a["location"] == prefs_path],
            [p for p in inventory["problems"] if p["path"] == prefs_path])


@test("the reader finds both accounts of a real profile and the broken line; update of one leaves the other's lines byte for byte")
def t_reader_and_update():
    profile = new_profile("two")
    prefs_path = os.path.join(profile, "prefs.js")
    export(profile)
    text = read(prefs_path)
    extra = second_account(env("MS_TEST_HOST"), env("MS_TEST_IMAP_PORT"))
    text = text.replace(f'"mail.accountmanager.accounts", "{ACCOUNT}"',
                        f'"mail.accountmanager.accounts", "{ACCOUNT},account2"')
    text = text.replace(f'"mail.smtpservers", "{SMTP}"', f'"mail.smtpservers", "{SMTP},smtp2"')
    text += "".join(f'user_pref("{k}", {json.dumps(v)});\n' for k, v in extra.items())
    write(prefs_path, text)
    text = run_until(profile, loaded(SERVER, "server2"), "Thunderbird loaded both accounts")

    text += 'user_pref("broken", );\n'
    write(prefs_path, text)
    broken_line = len(text.splitlines())
    accounts, problems = profile_inventory(profile)
    by_key = {a["key"]: a for a in accounts}
    check_equal(sorted(by_key), sorted([ACCOUNT, "account2"]), accounts)
    check_equal(by_key[ACCOUNT]["address"], ADDRESS)
    check(by_key[ACCOUNT]["written_by_mail_setup"] and not by_key["account2"]["written_by_mail_setup"])
    check_equal(by_key[ACCOUNT]["incoming"]["security"], "SSL")
    check_equal(by_key["account2"]["incoming"]["security"], "STARTTLS")
    check_equal(by_key["account2"]["outgoing"]["port"], int(env("MS_TEST_SUBMISSION_PORT")))
    check_equal(by_key["account2"]["incoming_password"], "none")
    check_equal([p["line"] for p in problems], [broken_line], problems)

    # The repair's update of alice's incoming server: IMAPS to STARTTLS.
    proc = accounts_tool("update", os.environ["HOME"], ACCOUNT, env("MS_TEST_HOST"),
                         env("MS_TEST_IMAP_PORT"), "STARTTLS")
    check(proc.returncode == 0, proc.stderr)
    after = read(prefs_path)
    ours = f'user_pref("mail.server.{SERVER}.'
    old_lines, new_lines = text.splitlines(keepends=True), after.splitlines(keepends=True)
    check_equal(len(new_lines), len(old_lines), "the update added or removed lines")
    for old, new in zip(old_lines, new_lines):
        if not old.startswith(ours):
            check_equal(new, old, "a line that is not alice's server changed")
    changed = [new for old, new in zip(old_lines, new_lines) if old != new]
    check(len(changed) == 2 and all(line.startswith(ours) for line in changed), changed)

    forget_folders(profile, SERVER)
    prefs = run_until(profile, loaded(SERVER), "Thunderbird loaded the updated account")
    check_equal(pref(prefs, f"mail.server.{SERVER}.port"), int(env("MS_TEST_IMAP_PORT")))
    check_equal(pref(prefs, f"mail.server.{SERVER}.socketType"), 2)
    for key, value in extra.items():
        check_equal(pref(prefs, key), value, key)

    # A running Thunderbird: the update refuses.
    proc = start(profile)
    try:
        mstest.wait_until(lambda: os.path.islink(os.path.join(profile, "lock")),
                          "Thunderbird took its profile lock", interval=0.1, alive=proc)
        before = read(prefs_path)
        result = accounts_tool("update", os.environ["HOME"], ACCOUNT, env("MS_TEST_HOST"),
                               env("MS_TEST_IMAPS_PORT"), "SSL")
        check(result.returncode == 3 and "Thunderbird is open" in result.stderr,
              (result.returncode, result.stderr))
        check_equal(read(prefs_path), before)
    finally:
        mstest.stop_process_group(proc)


def main():
    mstest.require_mail_setup()
    return mstest.main(teardown=lambda: shutil.rmtree(WORK, ignore_errors=True),
                       prerequisites=(t_tested,))


if __name__ == "__main__":
    sys.exit(main())
