#!/usr/bin/env python3
# Makes a stand-in for the GNOME runtime and SDK out of this machine's own
# Debian packages, and exports both into a local ostree repository.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: make-runtime.py CACHE_DIR
#
# The GNOME runtime cannot be downloaded here, so the Flatpak test builds
# against org.gnome.Platform//48 and org.gnome.Sdk//48 made from the
# packages below and everything they depend on, as dpkg installed them:
# the files are hard links into /usr (same file system), not copies, and
# the repository is bare-user-only, so flatpak's install hard-links too.
# The result is cached in CACHE_DIR under a key made of the package names
# and versions, so the slow part runs once per change of the system.
# Prints the repository's path.

import hashlib
import os
import re
import shutil
import subprocess
import sys

# What the app needs at run time (GTK 4, libadwaita, the keyring, TLS, HTTP,
# QR codes, PDF) and a shell, so "flatpak run --command=sh" works.
PLATFORM = [
    'libgtk-4-1', 'libadwaita-1-0', 'libsecret-1-0', 'libgnutls30', 'libsoup-3.0-0',
    'libjson-glib-1.0-0', 'libpsl5', 'libcairo2', 'libqrencode4', 'glib-networking',
    'gsettings-desktop-schemas', 'libglib2.0-bin', 'adwaita-icon-theme', 'fonts-cantarell',
    'fonts-dejavu-core', 'fontconfig', 'shared-mime-info', 'ca-certificates', 'libgl1-mesa-dri',
    # GTK draws the app's SVG icons through gdk-pixbuf's SVG loader.
    'librsvg2-common',
    'bash', 'coreutils', 'dash', 'grep', 'sed', 'findutils', 'python3', 'python3-gi',
    'gir1.2-glib-2.0',
]
# What the SDK adds to build it with meson.
SDK = PLATFORM + [
    'gcc', 'libc6-dev', 'make', 'meson', 'ninja-build', 'pkgconf', 'gettext',
    'libglib2.0-dev', 'libglib2.0-dev-bin', 'libgtk-4-dev', 'libadwaita-1-dev',
    'libsecret-1-dev', 'libgnutls28-dev', 'libsoup-3.0-dev', 'libjson-glib-dev',
    'libpsl-dev', 'libcairo2-dev', 'libqrencode-dev', 'desktop-file-utils', 'appstream',
    'diffutils', 'tar', 'gzip', 'xz-utils', 'patch', 'file', 'binutils', 'util-linux',
]
BRANCH = '48'
ARCH = 'x86_64'


def installed():
    out = subprocess.run(
        ['dpkg-query', '-W', '-f', '${Package}\t${Version}\t${db:Status-Abbrev}\t'
         '${Depends}, ${Pre-Depends}\t${Provides}\n'],
        check=True, capture_output=True, text=True).stdout
    packages, provides = {}, {}
    for line in out.splitlines():
        name, version, status, depends, provided = line.split('\t')
        if not status.startswith('ii'):
            continue
        name = name.split(':')[0]
        packages[name] = (version, depends)
        for p in provided.split(','):
            if p.strip():
                provides.setdefault(p.split()[0].split(':')[0], name)
    return packages, provides


def closure(roots, packages, provides):
    wanted, queue = set(), list(roots)
    while queue:
        name = queue.pop()
        name = name if name in packages else provides.get(name)
        if name is None or name in wanted:
            continue
        wanted.add(name)
        for clause in packages[name][1].split(','):
            for alternative in clause.split('|'):
                dep = alternative.strip().split(' ')[0].split(':')[0]
                if dep and (dep in packages or dep in provides):
                    queue.append(dep)
                    break
    return sorted(wanted)


def files_of(package):
    out = subprocess.run(['dpkg-query', '-L', package], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.startswith('/')]


def link_tree(packages, dest):
    # Debian 12 is merged-/usr: /bin, /lib, /sbin are links into /usr.
    for package in packages:
        for path in files_of(package):
            real = path
            for top in ('/bin/', '/sbin/', '/lib/', '/lib64/'):
                if path.startswith(top):
                    real = '/usr' + path
            if real.startswith('/usr/'):
                target = os.path.join(dest, 'usr', real[len('/usr/'):])
            elif real.startswith('/etc/'):
                target = os.path.join(dest, 'usr', 'etc', real[len('/etc/'):])
            else:
                continue
            if os.path.islink(real) or os.path.isfile(real):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if os.path.lexists(target):
                    continue
                if os.path.islink(real):
                    os.symlink(os.readlink(real), target)
                else:
                    os.link(real, target)
            elif os.path.isdir(real):
                os.makedirs(target, exist_ok=True)
    files = os.path.join(dest, 'usr')
    # Made by maintainer scripts, so in no package's list.
    for generated in ('/etc/ssl/certs/ca-certificates.crt', '/etc/fonts/conf.d',
                      '/usr/lib/x86_64-linux-gnu/gdk-pixbuf-2.0/2.10.0/loaders.cache',
                      '/usr/lib/x86_64-linux-gnu/gio/modules/giomodule.cache',
                      '/usr/share/glib-2.0/schemas/gschemas.compiled',
                      '/usr/share/mime/mime.cache'):
        if not os.path.exists(generated):
            continue
        rel = generated[len('/usr/'):] if generated.startswith('/usr/') else generated[1:]
        target = os.path.join(files, rel)
        if os.path.lexists(target):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(generated):
            shutil.copytree(generated, target, symlinks=True)
        else:
            shutil.copy2(generated, target)
    # flatpak-builder runs ldconfig in the build sandbox.
    os.makedirs(os.path.join(files, 'etc', 'ld.so.conf.d'), exist_ok=True)
    for name in ['ld.so.conf'] + ['ld.so.conf.d/' + n for n in os.listdir('/etc/ld.so.conf.d')]:
        if not os.path.lexists(os.path.join(files, 'etc', name)):
            shutil.copy2('/etc/' + name, os.path.join(files, 'etc', name))


def write_metadata(dest, name):
    # build-export --runtime exports usr/, but wants files/ to exist.
    os.makedirs(os.path.join(dest, 'files'), exist_ok=True)
    with open(os.path.join(dest, 'metadata'), 'w', encoding='utf-8') as f:
        f.write(f'[Runtime]\nname={name}\nruntime=org.gnome.Platform/{ARCH}/{BRANCH}\n'
                f'sdk=org.gnome.Sdk/{ARCH}/{BRANCH}\n')


def remove_others(top, cache):
    # An older system's runtime is never used again: about 1 GB each.
    for name in os.listdir(top):
        if name != os.path.basename(cache) and re.fullmatch(r'[0-9a-f]{16}', name):
            shutil.rmtree(os.path.join(top, name), ignore_errors=True)


def main(argv):
    if len(argv) != 2:
        print('usage: make-runtime.py CACHE_DIR', file=sys.stderr)
        return 2
    packages, provides = installed()
    trees = {'org.gnome.Platform': closure(PLATFORM, packages, provides),
             'org.gnome.Sdk': closure(SDK, packages, provides)}
    key = hashlib.sha256(repr([(n, packages[n][0]) for n in trees['org.gnome.Sdk']]).encode())
    cache = os.path.join(argv[1], key.hexdigest()[:16])
    repo = os.path.join(cache, 'repo')
    if os.path.exists(os.path.join(cache, 'done')):
        remove_others(argv[1], cache)
        print(repo)
        return 0
    shutil.rmtree(cache, ignore_errors=True)
    os.makedirs(cache)
    subprocess.run(['ostree', 'init', '--mode=bare-user-only', f'--repo={repo}'], check=True)
    for name, wanted in trees.items():
        tree = os.path.join(cache, name)
        link_tree(wanted, tree)
        write_metadata(tree, name)
        with open(os.path.join(cache, name + '.packages'), 'w', encoding='utf-8') as f:
            f.write(''.join(f'{n} {packages[n][0]}\n' for n in wanted))
        subprocess.run(['flatpak', 'build-export', '--runtime', '--disable-sandbox',
                        '--no-update-summary', repo, tree, BRANCH],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(tree)
    subprocess.run(['flatpak', 'build-update-repo', repo], check=True, stdout=subprocess.DEVNULL)
    open(os.path.join(cache, 'done'), 'w').close()
    remove_others(argv[1], cache)
    print(repo)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
