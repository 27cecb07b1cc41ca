#!/usr/bin/env python3
# Checks the Flatpak manifests (release and development) against what
# flatpak-builder knows and what the sandbox is allowed to have.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-flatpak-manifest.py MANIFEST
#        check-flatpak-manifest.py --self-test MANIFEST
#
# flatpak-builder only warns about a misspelt key and then ignores it, so a
# typo such as "config-opt" silently builds something else. This checks:
#  - every key, at every level, is one flatpak-manifest(5) documents (the
#    allow-lists below are copied from it; --self-test checks each is really
#    in the installed man page). "x-" keys are refused too: explanations live
#    in flatpak/README.md, not in the JSON;
#  - the id is the file's name, and the app is the release or the Devel
#    build (command, -Ddevelopment) to match, so both install side by side;
#  - finish-args are exactly the permissions flatpak/README.md justifies;
#  - the runtime is GNOME's and new enough for the API we pin (GNOME 43:
#    GTK 4.8, libadwaita 1.2, as in Debian 12);
#  - the last module is the app, built with meson: the Devel one from this
#    tree (a "dir" source at "..") with -Ddevelopment=true, the release one
#    from a git tag pinned by its commit, as Flathub builds it;
#  - every downloaded source is pinned by sha256 or sha512, every git one
#    by commit.

import copy
import gzip
import json
import os
import re
import sys

RELEASE_ID = 'io.github.mailsetup.MailSetup'
DEVEL_ID = RELEASE_ID + '.Devel'
# What each build is (meson.build: app_id, bin_name).
BUILDS = {
    RELEASE_ID: {'command': 'mail-setup', 'development': '-Ddevelopment=false'},
    DEVEL_ID: {'command': 'mail-setup-devel', 'development': '-Ddevelopment=true'},
}
ALLOWED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    # Exporters store passwords under other programs' schemas in the HOST
    # keyring; the Secret portal only gives the app a private keyring.
    '--talk-name=org.freedesktop.secrets',
    # The GNOME Online Accounts exporter.
    '--talk-name=org.gnome.OnlineAccounts',
    # Files other programs read in place (flatpak/README.md, "Per
    # exporter"): each program's own folder, created when missing only
    # where the program reads a folder that may not exist yet.
    '--filesystem=~/.thunderbird',
    '--filesystem=~/.var/app/org.mozilla.Thunderbird/.thunderbird',
    '--filesystem=xdg-config/evolution/sources:create',
    '--filesystem=xdg-config/geary:create',
    '--filesystem=xdg-config/msmtp:create',
    '--filesystem=xdg-config/neomutt:create',
    '--filesystem=xdg-config/aerc:create',
    # Read only: what the repair feature's readers look at and no exporter
    # writes (single files cannot be replaced atomically from a sandbox).
    '--filesystem=xdg-config/goa-1.0:ro',
    '--filesystem=xdg-config/mutt:ro',
    '--filesystem=~/.msmtprc:ro',
    '--filesystem=~/.mbsyncrc:ro',
    '--filesystem=~/.neomuttrc:ro',
    '--filesystem=~/.muttrc:ro',
}
# Never: the whole home or system, or a folder of documents (the file
# chooser portal saves those without a permission).
FORBIDDEN_FILESYSTEMS = re.compile(r'--filesystem=(home|host|host-os|~|xdg-documents|xdg-download)(:.*)?$')
OLDEST_GNOME = 43

# flatpak-manifest(5), flatpak-builder 1.2: "Toplevel properties".
TOPLEVEL_KEYS = {
    'id', 'app-id', 'branch', 'default-branch', 'collection-id', 'extension-tag',
    'token-type', 'runtime', 'runtime-version', 'sdk', 'var', 'metadata', 'command',
    'build-runtime', 'build-extension', 'separate-locales', 'id-platform',
    'metadata-platform', 'writable-sdk', 'appstream-compose', 'sdk-extensions',
    'platform-extensions', 'base', 'base-version', 'base-extensions',
    'inherit-extensions', 'inherit-sdk-extensions', 'tags', 'build-options',
    'modules', 'add-extensions', 'add-build-extensions', 'cleanup',
    'cleanup-commands', 'cleanup-platform', 'cleanup-platform-commands',
    'prepare-platform-commands', 'finish-args', 'rename-desktop-file',
    'rename-appdata-file', 'rename-icon', 'appdata-license', 'copy-icon',
    'desktop-file-name-prefix', 'desktop-file-name-suffix',
}
# "Build Options".
BUILD_OPTION_KEYS = {
    'cflags', 'cflags-override', 'cppflags', 'cppflags-override', 'cxxflags',
    'cxxflags-override', 'ldflags', 'ldflags-override', 'prefix', 'libdir',
    'append-path', 'prepend-path', 'append-ld-library-path',
    'prepend-ld-library-path', 'append-pkg-config-path', 'prepend-pkg-config-path',
    'env', 'secret-env', 'build-args', 'test-args', 'config-opts', 'secret-opts',
    'make-args', 'make-install-args', 'strip', 'no-debuginfo',
    'no-debuginfo-compression', 'arch',
}
# "Extension", plus the standard extension properties it passes through.
EXTENSION_KEYS = {
    'directory', 'bundle', 'remove-after-build',
    'autodelete', 'no-autodownload', 'subdirectories', 'add-ld-path', 'download-if',
    'enable-if', 'merge-dirs', 'subdirectory-suffix', 'locale-subset', 'version',
    'versions',
}
# "Module".
MODULE_KEYS = {
    'name', 'disabled', 'sources', 'secret-env', 'config-opts', 'secret-opts',
    'make-args', 'make-install-args', 'rm-configure', 'no-autogen',
    'no-parallel-make', 'install-rule', 'no-make-install', 'no-python-timestamp-fix',
    'cmake', 'buildsystem', 'builddir', 'subdir', 'build-options', 'build-commands',
    'post-install', 'cleanup', 'ensure-writable', 'only-arches', 'skip-arches',
    'cleanup-platform', 'run-tests', 'test-rule', 'test-commands', 'modules',
}
BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}
# "Sources": the keys every source takes, then each type's own.
ALL_SOURCES_KEYS = {'type', 'only-arches', 'skip-arches', 'dest'}
SOURCE_KEYS = {
    'archive': {'path', 'url', 'mirror-urls', 'git-init', 'archive-type', 'md5',
                'sha1', 'sha256', 'sha512', 'strip-components', 'dest-filename'},
    'git': {'path', 'url', 'branch', 'tag', 'commit', 'disable-fsckobjects',
            'disable-shallow-clone', 'disable-submodules'},
    'bzr': {'url', 'revision'},
    'svn': {'url', 'revision'},
    'dir': {'path', 'skip'},
    'file': {'path', 'url', 'mirror-urls', 'md5', 'sha1', 'sha256', 'sha512',
             'dest-filename'},
    'script': {'commands', 'dest-filename'},
    'inline': {'dest-filename', 'contents', 'base64'},
    'shell': {'commands'},
    'patch': {'path', 'paths', 'strip-components', 'use-git', 'use-git-am', 'options'},
    'extra-data': {'filename', 'url', 'sha256', 'size', 'installed-size'},
}
MAN_PAGE = '/usr/share/man/man5/flatpak-manifest.5.gz'


def check_keys(obj, allowed, where, problems):
    if not isinstance(obj, dict):
        problems.append(f'{where}: expected an object, found {type(obj).__name__}')
        return False
    for key in obj:
        if key not in allowed:
            problems.append(f'{where}: unknown key "{key}" (not in flatpak-manifest(5))')
    return True


def check_build_options(options, where, problems):
    if not check_keys(options, BUILD_OPTION_KEYS, where, problems):
        return
    env = options.get('env', {})
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        problems.append(f'{where}.env: must map names to strings')
    for arch, arch_options in options.get('arch', {}).items():
        if 'arch' in arch_options:
            problems.append(f'{where}.arch.{arch}: "arch" cannot nest')
        check_build_options(arch_options, f'{where}.arch.{arch}', problems)


def check_source(source, where, problems):
    if isinstance(source, str):
        problems.append(f'{where}: sources in other files are not checked; keep them inline')
        return
    if not isinstance(source, dict) or source.get('type') not in SOURCE_KEYS:
        problems.append(f'{where}: unknown source type {source.get("type")!r}'
                        if isinstance(source, dict) else f'{where}: not an object')
        return
    kind = source['type']
    check_keys(source, ALL_SOURCES_KEYS | SOURCE_KEYS[kind], f'{where} ({kind})', problems)
    if 'url' in source and kind in ('archive', 'file', 'extra-data') \
            and not ('sha256' in source or 'sha512' in source):
        problems.append(f'{where}: {source["url"]} is not pinned by sha256 or sha512')
    if kind == 'git' and not re.fullmatch(r'[0-9a-f]{40}', str(source.get('commit', ''))):
        problems.append(f'{where}: {source.get("url")} is not pinned by a full commit id')


def check_module(module, where, problems):
    if isinstance(module, str):
        problems.append(f'{where}: modules in other files are not checked; keep them inline')
        return
    if not check_keys(module, MODULE_KEYS, where, problems):
        return
    where = f'{where} "{module.get("name", "?")}"'
    if 'name' not in module:
        problems.append(f'{where}: has no name')
    if module.get('buildsystem', 'autotools') not in BUILDSYSTEMS:
        problems.append(f'{where}: unknown buildsystem {module["buildsystem"]!r}')
    if 'build-options' in module:
        check_build_options(module['build-options'], f'{where}.build-options', problems)
    for i, source in enumerate(module.get('sources', [])):
        check_source(source, f'{where}.sources[{i}]', problems)
    for i, child in enumerate(module.get('modules', [])):
        check_module(child, f'{where}.modules[{i}]', problems)


def check(manifest, expected_id):
    problems = []
    if not check_keys(manifest, TOPLEVEL_KEYS, 'manifest', problems):
        return problems

    app_id = manifest.get('id', manifest.get('app-id'))
    if app_id != expected_id:
        problems.append(f'manifest: id is {app_id!r}, expected {expected_id!r}')
    build = BUILDS.get(expected_id, BUILDS[DEVEL_ID])
    if manifest.get('command') != build['command']:
        problems.append(f'manifest: command is {manifest.get("command")!r}, expected {build["command"]!r}')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        problems.append('manifest: runtime and sdk must be org.gnome.Platform and org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not (version.isdigit() and int(version) >= OLDEST_GNOME):
        problems.append(f'manifest: runtime-version {version!r} is not GNOME {OLDEST_GNOME} '
                        'or newer (GTK 4.8 and libadwaita 1.2 are the oldest we support)')

    finish_args = manifest.get('finish-args', [])
    if len(finish_args) != len(set(finish_args)):
        problems.append('manifest: finish-args has duplicates')
    for arg in sorted(set(finish_args) - ALLOWED_FINISH_ARGS):
        problems.append(f'manifest: finish-arg {arg} is not in the allowed set '
                        '(justify it in flatpak/README.md and in this checker first)')
    for arg in sorted(ALLOWED_FINISH_ARGS - set(finish_args)):
        problems.append(f'manifest: finish-arg {arg} is missing')
    for arg in finish_args:
        if FORBIDDEN_FILESYSTEMS.match(arg):
            problems.append(f'manifest: finish-arg {arg} shares far more than any exporter needs')

    if 'build-options' in manifest:
        check_build_options(manifest['build-options'], 'manifest.build-options', problems)
    for name, ext in list(manifest.get('add-extensions', {}).items()) + \
            list(manifest.get('add-build-extensions', {}).items()):
        check_keys(ext, EXTENSION_KEYS, f'manifest.add-extensions.{name}', problems)

    modules = manifest.get('modules', [])
    for i, module in enumerate(modules):
        check_module(module, f'modules[{i}]', problems)

    app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if app.get('name') != 'mail-setup' or app.get('buildsystem') != 'meson':
        problems.append('the last module must be "mail-setup", built with meson')
    if build['development'] not in app.get('config-opts', []):
        problems.append(f'the app module must be configured with {build["development"]}')
    sources = app.get('sources', [])
    source = sources[0] if len(sources) == 1 and isinstance(sources[0], dict) else {}
    if expected_id == DEVEL_ID and (source.get('type') != 'dir' or source.get('path') != '..'):
        problems.append('the app module must have exactly one source: {"type": "dir", "path": ".."}')
    if expected_id == RELEASE_ID and (source.get('type') != 'git' or 'tag' not in source
                                      or not str(source.get('url', '')).startswith('https://')):
        problems.append('the release app module must have exactly one source: '
                        'a git tag over https, pinned by its commit')

    return problems


def self_test(manifest, expected_id):
    failures = []
    baseline = check(manifest, expected_id)
    other_id = RELEASE_ID if expected_id == DEVEL_ID else DEVEL_ID

    def expect(label, mutate, wanted):
        copied = copy.deepcopy(manifest)
        mutate(copied)
        new = [p for p in check(copied, expected_id) if p not in baseline]
        ok = any(wanted in p for p in new)
        print(f'{"ok" if ok else "FAIL"}: {label} -> {new or "no new problem"}')
        if not ok:
            failures.append(label)

    app = lambda m: m['modules'][-1]
    expect('a misspelt top-level key', lambda m: m.update({'finish-arg': []}),
           'unknown key "finish-arg"')
    expect('an x- comment key', lambda m: m.update({'x-comment': 'why'}),
           'unknown key "x-comment"')
    expect('a misspelt module key', lambda m: app(m).update({'config-opt': []}),
           'unknown key "config-opt"')
    expect('a key of another source type', lambda m: app(m)['sources'][0].update({'sha256': 'x'}),
           'unknown key "sha256"')
    expect('a misspelt build option',
           lambda m: app(m).update({'build-options': {'cflag': '-O2'}}),
           'unknown key "cflag"')
    expect('a misspelt per-arch build option',
           lambda m: m.update({'build-options': {'arch': {'x86_64': {'ldflag': ''}}}}),
           'unknown key "ldflag"')
    expect('an extra permission',
           lambda m: m['finish-args'].append('--filesystem=home'),
           'finish-arg --filesystem=home is not in the allowed set')
    expect('the whole home, even read-only',
           lambda m: m['finish-args'].append('--filesystem=home:ro'),
           'shares far more')
    expect('the Documents folder instead of the file chooser portal',
           lambda m: m['finish-args'].append('--filesystem=xdg-documents'),
           'shares far more')
    expect('a missing exporter permission',
           lambda m: m['finish-args'].remove('--filesystem=xdg-config/msmtp:create'),
           'finish-arg --filesystem=xdg-config/msmtp:create is missing')
    expect('a missing permission',
           lambda m: m['finish-args'].remove('--talk-name=org.freedesktop.secrets'),
           'finish-arg --talk-name=org.freedesktop.secrets is missing')
    if expected_id == DEVEL_ID:
        expect('the app built from git instead of this tree',
               lambda m: app(m).update({'sources': [{'type': 'git', 'url': 'https://x/y.git',
                                                     'commit': '0' * 40}]}),
               'exactly one source')
    else:
        expect('the release built from this tree',
               lambda m: app(m).update({'sources': [{'type': 'dir', 'path': '..'}]}),
               'a git tag')
        expect('the release tag not pinned by a commit',
               lambda m: app(m)['sources'][0].pop('commit'), 'full commit id')
    expect('a git download without a commit',
           lambda m: m['modules'].insert(0, {'name': 'z', 'sources': [
               {'type': 'git', 'url': 'https://x/z.git', 'tag': 'v1'}]}),
           'full commit id')
    expect('a download without a checksum',
           lambda m: m['modules'].insert(0, {'name': 'z', 'sources': [
               {'type': 'archive', 'url': 'https://x/z.tar.gz'}]}),
           'not pinned')
    expect('a runtime older than Debian 12\'s GTK',
           lambda m: m.update({'runtime-version': '42'}), 'runtime-version')
    expect('the other build\'s app id', lambda m: m.update({'id': other_id}), 'expected')
    expect('the other build\'s binary',
           lambda m: m.update({'command': BUILDS[other_id]['command']}), 'command is')
    expect('the other build\'s configuration',
           lambda m: app(m).update({'config-opts': [BUILDS[other_id]['development']]}),
           BUILDS[expected_id]['development'])

    # The allow-lists must come from the documentation, not from imagination.
    if not os.path.exists(MAN_PAGE):
        print(f'FAIL: {MAN_PAGE} is missing (package flatpak-builder, with man pages), '
              'so the allow-lists cannot be checked against it')
        failures.append('man page')
    else:
        with gzip.open(MAN_PAGE, 'rt', encoding='utf-8') as f:
            man = f.read()
        documented = lambda key: ('\\fB' + key.replace('-', '\\-') + '\\fR') in man
        standard = EXTENSION_KEYS - {'directory', 'bundle', 'remove-after-build'}
        keys = TOPLEVEL_KEYS | BUILD_OPTION_KEYS | MODULE_KEYS | ALL_SOURCES_KEYS \
            | set().union(*SOURCE_KEYS.values()) | (EXTENSION_KEYS - standard)
        missing = sorted(k for k in keys if not documented(k))
        missing += sorted(k for k in standard if k.replace('-', '\\-') not in man)
        if missing:
            print(f'FAIL: allow-listed keys not in flatpak-manifest(5): {missing}')
            failures.append('allow-list')
        else:
            print(f'ok: all {len(keys | standard)} allow-listed keys are in flatpak-manifest(5)')

    if failures:
        print(f'FAIL: {len(failures)} self-test case(s) failed: {failures}')
        return 1
    return 0


def main(argv):
    args = argv[1:]
    testing = bool(args) and args[0] == '--self-test'
    if testing:
        args = args[1:]
    if len(args) != 1:
        print(__doc__ or 'usage: check-flatpak-manifest.py [--self-test] MANIFEST')
        return 2
    with open(args[0], encoding='utf-8') as f:
        manifest = json.load(f)
    # Each manifest is named after its app id, as flatpak-builder expects.
    expected_id = os.path.basename(args[0]).removesuffix('.json')
    if expected_id not in BUILDS:
        print(f'FAIL: {args[0]}: not one of the manifests {sorted(BUILDS)}')
        return 1
    if testing:
        return self_test(manifest, expected_id)
    problems = check(manifest, expected_id)
    for problem in problems:
        print(f'FAIL: {problem}')
    if not problems:
        print(f'ok: {os.path.basename(args[0])}: known keys only, '
              f'{len(manifest["finish-args"])} allowed permissions, '
              f'app built from {"this tree" if expected_id == DEVEL_ID else "a pinned git tag"}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
