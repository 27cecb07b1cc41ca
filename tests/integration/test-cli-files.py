#!/usr/bin/env python3
# test-cli-files.py: the command line and odd files in odd places
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the built mail-setup executable against FIFOs, devices, symbolic
links and loose permissions where it reads and writes files, each run under
a deadline so that a hang fails the test instead of blocking it. Needs no
server: every case ends before the network. Prints TAP.

MS_TEST_MAIL_SETUP may name another executable (an older build, to see these
cases fail there)."""

import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

MAIL_SETUP = os.environ.get("MS_TEST_MAIL_SETUP") or mstest.MAIL_SETUP
DEADLINE = 20
ADDRESS = "alice@test.example"

# Saved settings as a passing test leaves them (ms-account-settings.c).
SETTINGS = f"""[Account]
Address={ADDRESS}
Name=Alice

[Incoming]
Protocol=imap
Host=mail.test
Port=993
Security=SSL
Auth=password-cleartext
Username={ADDRESS}

[Outgoing]
Protocol=smtp
Host=mail.test
Port=465
Security=SSL
Auth=password-cleartext
Username={ADDRESS}
"""

# Servers on a port nothing listens on: no case gets that far.
PROVIDER = mstest.provider_xml([("imap", "127.0.0.1", 9, "SSL"), ("smtp", "127.0.0.1", 9, "SSL")])

checklist = mstest.Checklist()
check = checklist.check


class Done:
    def __init__(self, returncode, stdout, stderr, hung):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.hung = hung


def run(home, args, stdin=b"", umask=None):
    environment = dict(os.environ)
    environment.update({
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "XDG_CONFIG_DIRS": os.path.join(home, "etc-xdg"),
        # The system's folders stay for GSettings' schemas; no provider
        # files are installed there.
        "XDG_DATA_DIRS": os.pathsep.join([os.path.join(home, "usr-share"), "/usr/local/share",
                                          "/usr/share"]),
        "LC_ALL": "C.UTF-8",
        "LANGUAGE": "",
    })
    # No session bus: the keyring lookup for an export fails at once.
    environment.pop("DBUS_SESSION_BUS_ADDRESS", None)
    try:
        completed = subprocess.run(
            [MAIL_SETUP] + args, input=stdin, capture_output=True, env=environment,
            timeout=DEADLINE,
            preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
    except subprocess.TimeoutExpired as e:
        return Done(None, (e.stdout or b"").decode(errors="replace"),
                    (e.stderr or b"").decode(errors="replace"), True)
    return Done(completed.returncode, completed.stdout.decode(errors="replace"),
                completed.stderr.decode(errors="replace"), False)


def check_refused(name, done, words, code=1):
    check(f"{name}: does not hang", not done.hung, f"still running after {DEADLINE}s")
    check(f"{name}: exit {code}", done.returncode == code, f"{done.returncode}: {done.stderr}")
    check(f"{name}: says why", all(w in done.stderr for w in words), done.stderr)


def set_up_home(home):
    accounts = os.path.join(home, ".config", "mail-setup", "accounts")
    providers = os.path.join(home, ".config", "mail-setup", "providers")
    os.makedirs(accounts)
    os.makedirs(providers)
    with open(os.path.join(accounts, ADDRESS), "w") as f:
        f.write(SETTINGS)
    with open(os.path.join(providers, "test.example.xml"), "w") as f:
        f.write(PROVIDER)
    return providers


def test_outputs(home, scratch):
    fifo = os.path.join(scratch, "fifo")
    os.mkfifo(fifo)

    # A configuration block (read first, then replaced) and a whole file.
    for client in ("neomutt", "msmtp", "mobileconfig"):
        done = run(home, ["export", ADDRESS, "--to", client, "--output", fifo])
        check_refused(f"{client} --output FIFO", done, [fifo, "not a regular file"])
        check(f"{client} --output FIFO: still a FIFO", stat.S_ISFIFO(os.lstat(fifo).st_mode))

        for device in ("/dev/zero", "/dev/null"):
            done = run(home, ["export", ADDRESS, "--to", client, "--output", device])
            check_refused(f"{client} --output {device}", done, [device, "not a regular file"])
            check(f"{client} --output {device}: still a device",
                  stat.S_ISCHR(os.lstat(device).st_mode))


def test_provider_fifo(home, providers):
    fifo = os.path.join(providers, "evil.xml")
    os.mkfifo(fifo)
    try:
        done = run(home, ["providers"])
        check("providers with a FIFO: does not hang", not done.hung, done.stderr)
        check("providers with a FIFO: exit 0", done.returncode == 0, done.stderr)
        check("providers with a FIFO: the others listed", "Test Mail" in done.stdout, done.stdout)
        check("providers with a FIFO: warns about it",
              fifo in done.stderr and "not a regular file" in done.stderr, done.stderr)

        done = run(home, ["providers", "test.example"])
        check("providers DOMAIN with a FIFO: does not hang", not done.hung, done.stderr)
        check("providers DOMAIN with a FIFO: exit 0", done.returncode == 0, done.stderr)
    finally:
        os.unlink(fifo)


def test_ca_file(home, scratch):
    fifo = os.path.join(scratch, "ca-fifo.pem")
    os.mkfifo(fifo)
    for ca_file in (fifo, "/dev/zero"):
        done = run(home, ["test", ADDRESS, "--ca-file", ca_file, "--password-stdin"], b"x\n")
        check_refused(f"--ca-file {ca_file}", done, [ca_file, "not a regular file"], code=2)
    os.unlink(fifo)


def test_password_nul(home):
    pins = os.path.join(home, ".config", "mail-setup", "trusted-certificates.ini")
    with open(pins, "w") as f:
        f.write("[127.0.0.1:9]\nsha256=8D:12:38:73:84:38:28:1A:BC:0D:DB:DA:50:18:98:CD:"
                "A7:93:40:59:3C:98:CA:AF:59:19:94:C1:DF:85:8F:BA\n")
    # Others may change it: the pins are not believed, and the person hears so.
    os.chmod(pins, 0o666)

    done = run(home, ["test", ADDRESS, "--password-stdin", "--timeout", "2"], b"pa\0ss\n")
    check_refused("password with a NUL", done, ["NUL"], code=2)
    check("password with a NUL: nothing echoed", "pa" not in done.stdout, done.stdout)
    check("group-writable pins file: warned", "was ignored" in done.stderr and pins in done.stderr,
          done.stderr)
    os.unlink(pins)

    # export reads it the same way, before anything is tested or written.
    output = os.path.join(home, "nul-export.neomuttrc")
    done = run(home, ["export", ADDRESS, "--to", "neomutt", "--output", output,
                      "--password-stdin", "--timeout", "2"], b"pa\0ss\n")
    check_refused("export, password with a NUL", done, ["NUL"], code=2)
    check("export, password with a NUL: nothing written", not os.path.exists(output))


def test_symlinks(home, scratch):
    repo = os.path.join(scratch, "dotfiles")
    os.makedirs(repo)
    target = os.path.join(repo, "neomuttrc")
    with open(target, "w") as f:
        f.write("set editor = vim\n")
    os.chmod(target, 0o600)
    link = os.path.join(home, ".neomuttrc-link")
    os.symlink(target, link)

    for round_number in range(5):
        done = run(home, ["export", ADDRESS, "--to", "neomutt", "--output", link])
        check(f"through a link, round {round_number}: exit 0", done.returncode == 0,
              f"{done.returncode}: {done.stderr}")
    check("through a link: still a link", os.path.islink(link))
    check("through a link: still points there", os.path.islink(link) and os.readlink(link) == target)
    with open(target) as f:
        contents = f.read()
    check("through a link: the file it points to has the block",
          "set editor = vim" in contents and "BEGIN Mail Setup" in contents, contents)
    check("through a link: the target's mode kept", stat.S_IMODE(os.stat(target).st_mode) == 0o600)
    backups = sorted(n for n in os.listdir(home) if n.startswith(".neomuttrc-link.mail-setup-backup-"))
    check("five exports: the newest three backups kept", len(backups) == 3, backups)
    check("no backups or temporary files in the repository", os.listdir(repo) == ["neomuttrc"],
          os.listdir(repo))

    # A link to someone else's file.
    theirs = os.path.join(scratch, "theirs")
    with open(theirs, "w") as f:
        f.write("theirs\n")
    os.chmod(theirs, 0o666)
    if os.getuid() == 0:
        os.chown(theirs, 65534, 65534)
    else:
        theirs = "/etc/passwd"
    foreign = os.path.join(home, ".foreign-link")
    os.symlink(theirs, foreign)
    done = run(home, ["export", ADDRESS, "--to", "neomutt", "--output", foreign])
    check_refused("link to another user's file", done, ["another user"])
    with open(theirs) as f:
        check("link to another user's file: untouched", "Mail Setup" not in f.read())
    check("link to another user's file: still a link", os.path.islink(foreign))


def test_umask(home, scratch):
    for mask, mode in ((0o077, 0o600), (0o027, 0o640), (0o022, 0o644)):
        path = os.path.join(scratch, f"umask-{mask:03o}.mobileconfig")
        done = run(home, ["export", ADDRESS, "--to", "mobileconfig", "--output", path], umask=mask)
        check(f"umask {mask:03o}: exit 0", done.returncode == 0, done.stderr)
        if os.path.exists(path):
            got = stat.S_IMODE(os.stat(path).st_mode)
            check(f"umask {mask:03o}: new file {mode:03o}", got == mode, oct(got))
        else:
            check(f"umask {mask:03o}: new file {mode:03o}", False, "not written")

    # A replaced file keeps its mode, and its backup has no more than that.
    path = os.path.join(scratch, "umask-027.mobileconfig")
    os.chmod(path, 0o640)
    done = run(home, ["export", ADDRESS, "--to", "mobileconfig", "--output", path], umask=0o022)
    check("replaced: exit 0", done.returncode == 0, done.stderr)
    check("replaced: mode kept", stat.S_IMODE(os.stat(path).st_mode) == 0o640)
    backups = [n for n in os.listdir(scratch) if n.startswith("umask-027.mobileconfig.mail-setup-backup-")]
    check("replaced: one backup", len(backups) == 1, backups)
    for name in backups:
        got = stat.S_IMODE(os.stat(os.path.join(scratch, name)).st_mode)
        check("replaced: the backup no more readable than the original", got == 0o640, oct(got))


def main():
    if not os.access(MAIL_SETUP, os.X_OK):
        mstest.bail_out(f"{MAIL_SETUP} is not built")
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as scratch:
        os.chmod(home, 0o700)
        providers = set_up_home(home)
        test_outputs(home, scratch)
        test_provider_fifo(home, providers)
        test_ca_file(home, scratch)
        test_password_nul(home)
        test_symlinks(home, scratch)
        test_umask(home, scratch)


if __name__ == "__main__":
    sys.exit(checklist.run(main))
