#!/usr/bin/python3
# test-wizard-atspi.py: the wizard as a screen reader and a keyboard meet it
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real wizard (the built binary) on a private Xvfb display, read
through the real accessibility bus (at-spi-bus-launcher, activated on the
session bus as Orca's session does) and driven with real key events
through the X server (xdotool's XTEST events, which GTK 4.8 receives like
a keyboard's). Run through run-with-mail-servers, run-with-keyring and
run-under-xvfb (tests/ui/meson.build).

Each flow is a table of steps (`Step`): the keys a person presses, the
page that must come (a heading on screen), the control that must have the
focus then, and what the page's controls must say. After every step the
audit walks everything on screen that the keyboard can reach and checks
its role, its spoken name (no underscore, no repeated words, no type name
such as "GtkImage"), the descriptions the table asks for and the
labelled-by relation of the fields. A new page (the repair path, say) is
a new row in a table.

The adaptive tests open every page at 360 × 640 and 1024 × 768, with text
scaling 1.5 (Xft.dpi 144) and the high-contrast style
(org.gnome.desktop.a11y.interface high-contrast, which libadwaita reads),
check through AT-SPI extents that no control is cut off by the window or
overlaps another, and save screenshots in MS_BUILD_ROOT/screenshots/a11y/.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import mstest  # noqa: E402

import gi  # noqa: E402
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

SCHEMA_PATH = "io/github/mailsetup/MailSetup/Devel" if "devel" in os.path.basename(mstest.MAIL_SETUP) \
    else "io/github/mailsetup/MailSetup"
SCREENSHOTS = os.path.join(mstest.BUILD_ROOT or ".", "screenshots", "a11y")

# Roles a control the keyboard reaches may have; a focusable "panel" or
# "filler" is a control whose kind nobody hears.
CONTROL_ROLES = {
    "push button", "toggle button", "check box", "radio button", "text", "password text",
    "entry", "combo box", "list item", "link", "switch", "spin button", "slider", "list",
    "menu item", "scroll pane", "label", "dialog", "alert", "page tab",
}
TYPE_NAME = re.compile(r"\b(Gtk|Adw|Ms|Gdk)[A-Z][A-Za-z]+\b")


# --- the accessibility bus ------------------------------------------------------

def iterate():
    """Let the bus's events (the listeners) come in."""
    context = GLib.MainContext.default()
    while context.iteration(False):
        pass


def wait(predicate, what, deadline=None):
    def ready():
        iterate()
        try:
            return predicate()
        except GLib.Error as error:
            # An object destroyed while the tree is walked (a page sliding
            # out, a toast going): this look saw nothing, the next walks the
            # new tree. An application that is really gone fails every look
            # and the wait ends with WHAT.
            if error.domain != "atspi_error":
                raise
            return None
    return mstest.wait_until(ready, what, deadline=deadline, interval=0.05)


def states(obj):
    return obj.get_state_set()


def visible(obj):
    """GTK 4.8 sets no "showing" state below the window, and its "visible"
    is the widget's own visible property: a page the leaflet or a stack
    does not show is still "visible". What is really laid out on screen
    has a size."""
    try:
        if not states(obj).contains(Atspi.StateType.VISIBLE):
            return False
    except GLib.Error:
        return False
    try:
        extents = obj.get_extents(Atspi.CoordType.WINDOW)
    except GLib.Error:
        return True  # a GtkStackPage: no place of its own, its child has one
    return extents.width > 0 and extents.height > 0


def children(obj):
    try:
        return [obj.get_child_at_index(i) for i in range(obj.get_child_count())]
    except GLib.Error:
        return []


def walk(obj):
    """Everything visible under OBJ, depth first."""
    for child in children(obj):
        if child is not None and visible(child):
            yield child
            yield from walk(child)


def ancestors(obj):
    while obj is not None:
        yield obj
        try:
            obj = obj.get_parent()
        except GLib.Error:
            return


def role(obj):
    return obj.get_role_name()


def name(obj):
    return obj.get_name() or ""


def relations(obj, kind):
    targets = []
    for relation in obj.get_relation_set() or []:
        if relation.get_relation_type() == kind:
            targets += [relation.get_target(i) for i in range(relation.get_n_targets())]
    return targets


def describe(obj):
    return f"{role(obj)} “{name(obj)}”"


def repeated_words(text):
    """The first run of words said twice in a row ("Email address Email
    Address"), or None."""
    words = text.casefold().split()
    for length in range(1, len(words) // 2 + 1):
        for i in range(len(words) - 2 * length + 1):
            if words[i:i + length] == words[i + length:i + 2 * length]:
                return " ".join(words[i:i + length])
    return None


class Events:
    """The AT-SPI events a screen reader gets, recorded from now on."""

    def __init__(self, *kinds):
        self.seen = []
        self.listener = Atspi.EventListener.new(self._event)
        for kind in kinds:
            self.listener.register(kind)
        self.kinds = kinds

    def _event(self, event):
        try:
            # Whether the source had the focus then: it may have moved on
            # by the time the test looks.
            focused = states(event.source).contains(Atspi.StateType.FOCUSED)
            self.seen.append((event.type, event.source, name(event.source), focused,
                              event.any_data if isinstance(event.any_data, str) else None))
        except GLib.Error:
            pass

    def stop(self):
        for kind in self.kinds:
            self.listener.deregister(kind)


# --- the application ------------------------------------------------------------

class Wizard:
    """The built mail-setup, with the screen reader's bridge on."""

    def __init__(self, width=480, height=640, large_text=False, high_contrast=False, providers=None):
        config = os.environ["XDG_CONFIG_HOME"]
        settings = os.path.join(config, "glib-2.0", "settings")
        os.makedirs(settings, exist_ok=True)
        with open(os.path.join(settings, "keyfile"), "w", encoding="utf-8") as keyfile:
            keyfile.write(f"[{SCHEMA_PATH}]\nwindow-width={width}\nwindow-height={height}\n")
            keyfile.write("use-public-provider-database=false\n")
            if os.environ.get("MS_TEST_CA_FILE"):
                keyfile.write(f"extra-ca-file='{os.environ['MS_TEST_CA_FILE']}'\n")
            keyfile.write(f"\n[org/gnome/desktop/a11y/interface]\nhigh-contrast={str(high_contrast).lower()}\n")
        # Text scaling: GNOME's 1.5 reaches GTK on X11 as Xft.dpi 144 (96 × 1.5).
        # Without a settings daemon GDK reads it from the X resources
        # (the root window's RESOURCE_MANAGER, which xrdb would set).
        if large_text:
            subprocess.run(["xprop", "-root", "-f", "RESOURCE_MANAGER", "8s", "-set", "RESOURCE_MANAGER",
                            "Xft.dpi:\t144\n"], check=True, timeout=30)
        else:
            subprocess.run(["xprop", "-root", "-remove", "RESOURCE_MANAGER"], check=True, timeout=30)
        for domain, body in (providers or {}).items():
            write_provider(domain, body)
        env = dict(os.environ)
        env.pop("NO_AT_BRIDGE", None)
        env["GTK_A11Y"] = "atspi"
        env["GSETTINGS_BACKEND"] = "keyfile"
        env["G_DEBUG"] = os.environ.get("MS_TEST_PROGRAM_G_DEBUG", "")
        self.proc = subprocess.Popen([mstest.MAIL_SETUP], env=env, start_new_session=True)
        self.page = None
        self.default_size = (width, height) == (480, 640)
        self.app = wait(self._find_app, "the wizard on the accessibility bus", deadline=30)
        self.frame = wait(lambda: next((c for c in children(self.app) if role(c) == "frame"), None),
                          "the wizard's window")
        # No window manager on Xvfb: give the window the keyboard focus.
        subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(self.proc.pid),
                        "windowfocus", "--sync"], check=False, stderr=subprocess.DEVNULL, timeout=30)
        wait(lambda: states(self.frame).contains(Atspi.StateType.ACTIVE), "the window to be active")

    def _find_app(self):
        desktop = Atspi.get_desktop(0)
        for app in children(desktop):
            try:
                if app is not None and app.get_process_id() == self.proc.pid and app.get_child_count() > 0:
                    return app
            except GLib.Error:
                continue
        return None

    def windows(self):
        # A dialog is "visible", never "showing", in GTK 4.8.
        return [c for c in children(self.app) if c is not None and states(c).contains(Atspi.StateType.VISIBLE)]

    def focus_window(self, title):
        """No window manager on Xvfb: a new window gets the keyboard focus
        the way one would give it."""
        subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", title, "windowfocus", "--sync"],
                       check=False, stderr=subprocess.DEVNULL, timeout=30)

    def focused(self):
        for window in self.windows():
            for obj in walk(window):
                if states(obj).contains(Atspi.StateType.FOCUSED):
                    return obj
        return None

    def scope(self):
        """Where the person is: the page on screen (the leaflet's child
        with the heading the flow waits for; GTK 4.8 says no more of what
        the leaflet shows) and the header bar, or the dialog that is open."""
        dialogs = [w for w in self.windows() if w != self.frame]
        if dialogs:
            return dialogs
        back = self.find_in(self.frame, lambda o: role(o) == "push button" and name(o) == "Back")
        bar = back.get_parent().get_parent() if back is not None else None
        return ([self.page] if self.page is not None else []) + ([bar] if bar is not None else [])

    def show_page(self, heading):
        """The leaflet's child that holds HEADING, which becomes the page."""
        leaflet = self.find_in(self.frame, lambda o: name(o) == "AdwLeaflet")
        for page in children(leaflet) if leaflet is not None else []:
            if self.find_in(page, lambda o: role(o) in ("label", "heading") and name(o) == heading):
                self.page = page
                return page
        for window in self.windows():
            if window != self.frame and self.find_in(window, lambda o: name(o) == heading):
                return window
        return None

    def text_of(self, field):
        return Atspi.Text.get_text(field, 0, Atspi.Text.get_character_count(field))

    @staticmethod
    def find_in(root, predicate):
        for obj in walk(root):
            if predicate(obj):
                return obj
        return None

    def find(self, predicate):
        for root in self.scope():
            found = self.find_in(root, predicate)
            if found is not None:
                return found
        return None


    def start_listening(self):
        self.events = Events("object:property-change:accessible-description")

    def said_at_focus(self, prefixes):
        """Text put on the focused control's description since start_listening()."""
        iterate()
        said = next((text for kind, _, _, focused, text in self.events.seen
                     if focused and text and text.startswith(prefixes)), None)
        if said is None and os.environ.get("MS_A11Y_DEBUG"):
            print("# said:", [(f, t) for _, _, _, f, t in self.events.seen])
        return said

    def close(self):
        if self.proc.poll() is None:
            mstest.stop_process_group(self.proc, grace=10)


def key(*names):
    for k in names:
        subprocess.run(["xdotool", "key", "--clearmodifiers", k], check=True, timeout=30)


def type_text(text):
    subprocess.run(["xdotool", "type", "--delay", "10", text], check=True, timeout=60)


def write_provider(domain, body):
    folder = os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "providers")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, domain + ".xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0"?>\n<clientConfig version="1.1" '
                'xmlns:ms="https://mailsetup.github.io/ns/profiles/1">\n'
                f'<emailProvider id="{domain}"><domain>{domain}</domain>'
                f'<displayName>Test Mail ({domain})</displayName>\n{body}</emailProvider>\n</clientConfig>\n')


def server_xml(kind, kind_type, host, port, socket_type="SSL", username="%EMAILADDRESS%"):
    return (f'<{kind} type="{kind_type}"><hostname>{host}</hostname><port>{port}</port>'
            f'<socketType>{socket_type}</socketType><username>{username}</username>'
            f'<authentication>password-cleartext</authentication></{kind}>\n')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- screenshots ------------------------------------------------------------------

def screenshot(wizard, label):
    """The window as on the screen, from Xvfb's framebuffer (an XWD file,
    run-under-xvfb's MS_XVFB_SCREEN), saved as a PNG through GdkPixbuf."""
    import struct
    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import GdkPixbuf
    with open(os.environ["MS_XVFB_SCREEN"], "rb") as f:
        data = f.read()
    fields = struct.unpack(">25I", data[:100])
    header_size, width, height = fields[0], fields[4], fields[5]
    bits, stride, ncolors = fields[11], fields[12], fields[19]
    mstest.check_equal(bits, 32, "Xvfb's bits per pixel")
    pixels = data[header_size + 12 * ncolors:]
    # Where the window is on the screen: X's word (GTK 4.8 reports no
    # screen coordinates through AT-SPI on X11).
    geometry = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(wizard.proc.pid),
                               "getwindowgeometry", "--shell"], capture_output=True, text=True, timeout=30).stdout
    values = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
    box = wizard.frame.get_extents(Atspi.CoordType.WINDOW)
    box.x, box.y = int(values.get("X", 0)), int(values.get("Y", 0))
    box.width = min(box.width, width - box.x)
    box.height = min(box.height, height - box.y)
    rgb = bytearray(box.width * box.height * 3)
    for row in range(box.height):
        start = (box.y + row) * stride + box.x * 4
        line = pixels[start:start + box.width * 4]
        out = row * box.width * 3
        rgb[out:out + box.width * 3:3] = line[2::4]
        rgb[out + 1:out + box.width * 3:3] = line[1::4]
        rgb[out + 2:out + box.width * 3:3] = line[0::4]
    pixbuf = GdkPixbuf.Pixbuf.new_from_bytes(GLib.Bytes.new(bytes(rgb)), GdkPixbuf.Colorspace.RGB, False, 8,
                                             box.width, box.height, box.width * 3)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, re.sub(r"[^a-z0-9.-]+", "-", label.lower()) + ".png")
    pixbuf.savev(path, "png", [], [])
    print(f"# screenshot: {path}")
    return path


# --- the audit -------------------------------------------------------------------

def reachable(wizard):
    """What Tab and the arrows can reach on screen: focusable and enabled."""
    found = []
    for root in wizard.scope():
        for obj in walk(root):
            s = states(obj)
            if s.contains(Atspi.StateType.FOCUSABLE) and s.contains(Atspi.StateType.SENSITIVE):
                found.append(obj)
    return found


def audit(wizard, page, descriptions=None):
    """Every reachable control on PAGE: a fitting role, a clean name, the
    descriptions asked for (name → words the description holds), the
    fields' labelled-by relations. Returns the problems, one a line."""
    problems = []
    names = []
    for obj in reachable(wizard):
        r, n = role(obj), name(obj)
        where = f"{page}: {describe(obj)}"
        if r == "scroll pane" or r == "frame":
            continue  # the page's own scrolling, the window: not announced as controls
        names.append(n)
        if r not in CONTROL_ROLES:
            problems.append(f"{where}: the role says nothing of what it does")
        if not n.strip():
            problems.append(f"{where}: no spoken name")
        if "_" in n:
            problems.append(f"{where}: the mnemonic's underscore is spoken")
        if TYPE_NAME.search(n):
            problems.append(f"{where}: a type name is spoken")
        again = repeated_words(n)
        if again:
            problems.append(f"{where}: “{again}” is said twice")
        if r in ("text", "password text") and not relations(obj, Atspi.RelationType.LABELLED_BY):
            problems.append(f"{where}: a field with no labelled-by relation to its visible title")
        for target in relations(obj, Atspi.RelationType.LABELLED_BY) + \
                relations(obj, Atspi.RelationType.DESCRIBED_BY):
            if TYPE_NAME.search(name(target)):
                problems.append(f"{where}: related to a {name(target)}")
    for wanted, words in (descriptions or {}).items():
        obj = next((o for o in reachable(wizard) if name(o) == wanted), None)
        if obj is None:
            problems.append(f"{page}: no control “{wanted}” (controls: {names})")
            continue
        description = obj.get_description() or ""
        if words.casefold() not in description.casefold():
            problems.append(f"{page}: {describe(obj)} is described as “{description}”, not with “{words}”")
    mstest.check(names, f"{page}: nothing the keyboard can reach")
    return problems


def box(obj):
    e = obj.get_extents(Atspi.CoordType.WINDOW)
    return (e.x, e.y, e.width, e.height)


def layout(wizard, page):
    """Nothing cut off at the window's sides, no two controls on top of each
    other (what lies below the fold is the page's to scroll)."""
    problems = []
    _, _, width, _ = box(wizard.frame)
    placed = []
    for root in wizard.scope():
        for obj in walk(root):
            if role(obj) not in CONTROL_ROLES or role(obj) in ("scroll pane", "list"):
                continue
            x, y, w, h = box(obj)
            if x < 0 or x + w > width:
                problems.append(f"{page}: {describe(obj)} is cut off ({x}…{x + w} in a window {width} wide)")
            if role(obj) != "label" and states(obj).contains(Atspi.StateType.FOCUSABLE):
                # What a scrolled page hides under its edge (a button bar
                # below it, say) is clipped, not overlapped.
                pane = next((a for a in list(ancestors(obj))[1:] if role(a) == "scroll pane"), None)
                if pane is not None:
                    px, py, pw, ph = box(pane)
                    top, bottom = max(y, py), min(y + h, py + ph)
                    if bottom <= top:
                        continue
                    y, h = top, bottom - top
                placed.append((obj, (x, y, w, h)))
    for i, (a, (ax, ay, aw, ah)) in enumerate(placed):
        for b, (bx, by, bw, bh) in placed[i + 1:]:
            if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                if a in list(ancestors(b)) or b in list(ancestors(a)):
                    continue
                problems.append(f"{page}: {describe(a)} and {describe(b)} overlap")
    return problems


def primary_on_screen(wizard, page, prefix):
    """The page's primary button is in the window without scrolling."""
    button = wizard.find(lambda o: role(o) == "push button" and name(o).startswith(prefix))
    if button is None:
        return [f"{page}: no “{prefix}” button"]
    _, y, _, h = box(button)
    _, _, _, height = box(wizard.frame)
    return [] if 0 <= y and y + h <= height else \
        [f"{page}: “{name(button)}” is at {y}…{y + h}, below a window {height} high: it needs scrolling"]


# --- the flows ------------------------------------------------------------------

class Step:
    """One row of a flow: press KEYS (a list, or a callable taking the
    wizard), then wait for HEADING on screen (and READY, a callable); the
    control named FOCUS (a role and a name prefix) must have the focus
    (GTK 4.8 gives a libadwaita entry row no focused state: TYPED, a
    field's name and text, proves where the keys went instead);
    DESCRIPTIONS are checked by the audit; PRIMARY, the page's primary
    button, must be on screen without scrolling at the default size."""

    def __init__(self, page, keys=(), heading=None, focus=None, ready=None, descriptions=None,
                 deadline=None, typed=None, primary=None):
        self.typed = typed
        self.primary = primary
        self.page = page
        self.keys = keys
        self.heading = heading
        self.focus = focus
        self.ready = ready
        self.descriptions = descriptions or {}
        self.deadline = deadline


def focus_is(wizard, focus):
    obj = wizard.focused()
    if obj is None:
        return None
    role_wanted, prefix = focus
    return obj if (role_wanted is None or role(obj) == role_wanted) and name(obj).startswith(prefix) else None


def run_flow(wizard, steps, problems, shots=None):
    try:
        run_steps(wizard, steps, problems, shots)
    except mstest.Failure as error:
        focus = wizard.focused()
        seen = [describe(o) for o in reachable(wizard)]
        leaflet = wizard.find_in(wizard.frame, lambda o: name(o) == "AdwLeaflet")
        if leaflet is not None:
            seen.append("pages: " + ", ".join(f"{describe(p)} {p.get_extents(Atspi.CoordType.WINDOW).width}"
                                              for p in children(leaflet)))
            if os.environ.get("MS_A11Y_DEBUG"):
                def dump(o, depth=0):
                    e = o.get_extents(Atspi.CoordType.WINDOW)
                    print("#" + "  " * depth + describe(o), e.width, e.height)
                    for c in children(o):
                        dump(c, depth + 1)
                for p in children(leaflet):
                    if name(p) == "MsResultPage":
                        dump(p)
        raise mstest.Failure("\n".join(dict.fromkeys(
            [f"{error} (the focus is on {describe(focus) if focus else 'nothing'}; on screen: {seen})"]
            + problems))) from error


def run_steps(wizard, steps, problems, shots):
    for step in steps:
        if callable(step.keys):
            step.keys(wizard)
        else:
            key(*step.keys)
        if step.heading:
            wait(lambda: wizard.show_page(step.heading), f"the page “{step.page}” (heading “{step.heading}”)",
                 deadline=step.deadline)
        if step.ready:
            wait(lambda: step.ready(wizard), f"the page “{step.page}” to be ready", deadline=step.deadline)
        if step.focus:
            try:
                wait(lambda: focus_is(wizard, step.focus), f"{step.page}: the focus on {step.focus}", deadline=10)
            except mstest.Failure as error:
                focus = wizard.focused()
                problems.append(f"{error}; it is on {describe(focus) if focus else 'nothing'}")
        if step.typed:
            field = wizard.find(lambda o: role(o) == "text" and name(o) == step.typed[0])
            if field is None:
                problems.append(f"{step.page}: no field “{step.typed[0]}”")
            elif wizard.text_of(field) != step.typed[1]:
                problems.append(f"{step.page}: the keys did not go into “{step.typed[0]}” "
                                f"(it holds “{wizard.text_of(field)}”)")
        problems += audit(wizard, step.page, step.descriptions)
        if step.primary and wizard.default_size:
            problems += primary_on_screen(wizard, step.page, step.primary)
        if shots is not None:
            shots(wizard, step)


def tab_until(role_wanted, prefix, limit=20, back=False):
    """Tab (Shift+Tab when BACK), as a person does, until the focus is on
    that control."""
    def press(wizard):
        for _ in range(limit):
            if focus_is(wizard, (role_wanted, prefix)):
                return
            key("shift+Tab" if back else "Tab")
            time.sleep(0.05)
            iterate()
        focus = wizard.focused()
        mstest.fail(f"{limit} Tabs never reached {role_wanted} “{prefix}”; "
                    f"the focus is on {describe(focus) if focus else 'nothing'}")
    return press


def typing(text, then=()):
    def press(wizard):
        type_text(text)
        key(*then)
    return press


def account_steps(address, password):
    """Welcome → the account page, filled in by typing: the first field
    has the keys, Tab leads from one to the next."""
    return [
        Step("welcome", heading="Set Up Your Email", focus=("push button", "Set Up an Account"), primary="Set Up an Account"),
        Step("account", keys=["Return"], heading="Your Account", primary="Continue",
             descriptions={"Password": "encrypted", "Your Name": "people you write to"}),
        # The name comes prefilled from the system: the address has the keys.
        Step("account: address", keys=typing(address), typed=("Email Address", address)),
        Step("account: back to the name", keys=lambda w: (key("shift+Tab", "ctrl+a"), type_text("Alice Example")),
             typed=("Your Name", "Alice Example")),
        Step("account: password", keys=lambda w: (key("Tab", "Tab"), type_text(password)),
             typed=("Email Address", address)),
    ]


def profile_choice(wizard):
    return wizard.find(lambda o: role(o) == "radio button")


def result_verdict(wizard):
    return wizard.show_page("Your Email Does Not Work Yet") and wizard.find(
        lambda o: role(o) == "push button" and name(o).startswith("Try Port"))


@mstest.test("keyboard alone: start → account → profile → test → fix → save → export → close")
def t_keyboard_flow():
    user = mstest.env("MS_TEST_USER").split("@")[0]
    host = mstest.env("MS_TEST_HOST")
    imaps = mstest.env("MS_TEST_IMAPS_PORT")
    submissions = mstest.env("MS_TEST_SUBMISSIONS_PORT")
    closed = free_port()
    incoming = server_xml("incomingServer", "imap", host, imaps)
    outgoing = server_xml("outgoingServer", "smtp", host, closed)
    alternate = server_xml("outgoingServer", "smtp", host, submissions)
    provider = {"test.example": (
        f"{incoming}{outgoing}<ms:profile id=\"standard\" recommended=\"true\"><ms:name>Standard</ms:name>"
        f"{incoming}{outgoing}<ms:alternates>{alternate}</ms:alternates></ms:profile>\n"
        f"<ms:profile id=\"other\"><ms:name>Other</ms:name>{incoming}{outgoing}</ms:profile>\n")}
    problems = []
    wizard = Wizard(providers=provider)
    try:
        verdicts = Events("object:property-change:accessible-description",
                          "object:property-change:accessible-name", "object:state-changed:focused")
        steps = account_steps(f"{user}@test.example", mstest.password()) + [
            Step("profile", keys=["Return"], heading="How Will You Use This Computer?",
                 focus=("radio button", "Standard (recommended)"), primary="Continue"),
            Step("profile: Down", keys=["Down"], focus=(None, "Other")),
            Step("profile: Up", keys=["Up"], focus=(None, "Standard (recommended)")),
            Step("testing", keys=["Return"], heading="Testing Your Settings", focus=("push button", "Test Settings"),
                 primary="Test Settings"),
            Step("result with a fix", keys=["Return"], ready=result_verdict, deadline=90,
                 focus=("push button", "Try Port")),
            Step("result: works", keys=["Return"], heading="Your Email Works", deadline=90,
                 focus=("push button", "Continue"), primary="Continue"),
        ]
        run_flow(wizard, steps, problems)
        check_announced(verdicts, problems)
        verdicts.stop()
        steps = [
            Step("keyring", keys=["Return"], heading="Remember Your Password", focus=("push button", "Continue"),
                 primary="Continue"),
            Step("export", keys=["Return"], heading="Use It in Your Mail Program", deadline=30,
                 focus=("push button", "")),
            Step("export: a program", keys=lambda w: w.start_listening(), ready=None),
            Step("export: toast", keys=["Return"],
                 ready=lambda w: w.said_at_focus(("Added to ", "Thunderbird ")), deadline=60),
            Step("export: finish", keys=tab_until("push button", "Finish"), primary="Finish"),
            Step("done", keys=["Return"], heading="All Set", focus=("push button", "Close"), primary="Close"),
        ]
        run_flow(wizard, steps, problems)
        key("Return")
        mstest.wait_until(lambda: wizard.proc.poll() is not None, "Enter on Close to end the wizard", deadline=20)
    finally:
        wizard.close()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


def check_announced(events, problems):
    """A verdict that comes by itself reaches the screen reader as an event:
    GTK 4.8 has no live regions, and Orca speaks a changed description on
    the object with the focus. The result's verdict must change the
    description of the focused control; each server row's verdict must
    at least change a description ("object:property-change:accessible-
    description"): its own, and the focused control's when a button has
    the focus as it comes."""
    focused_news = []
    news = []
    for kind, _, _, focused, text in events.seen:
        if kind.endswith("accessible-description") and text:
            news.append(text)
            if focused:
                focused_news.append(text)
    for wanted in ("Your Email Does Not Work Yet", "Your Email Works"):
        if not any(wanted in text for text in focused_news):
            problems.append(f"nothing said “{wanted}…” at the focus; said there: {focused_news}")
    # The rows' own descriptions: "Works" for the one, "Problem" for the other.
    for verdict in ("Works", "Problem"):
        if verdict not in news:
            problems.append(f"no server row's description turned to “{verdict}”; descriptions said: {news[:20]}")
    print(f"# said at the focus: {focused_news}")


@mstest.test("Escape goes back a page")
def t_escape_back():
    problems = []
    wizard = Wizard()
    try:
        run_flow(wizard, [
            Step("welcome", heading="Set Up Your Email", focus=("push button", "Set Up an Account")),
            Step("account", keys=["Return"], heading="Your Account"),
            Step("back to welcome", keys=["Escape"], heading="Set Up Your Email", focus=("push button", "Set Up an Account")),
        ], problems)
    finally:
        wizard.close()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


@mstest.test("discovery: a domain nobody knows, looked up, then the settings by hand")
def t_discovery_manual():
    problems = []
    wizard = Wizard()
    try:
        run_flow(wizard, account_steps("alice@nowhere.invalid", "secret") + [
            Step("lookup, then the manual page", keys=["Return"], heading="Edit Settings", deadline=90,
                 descriptions={"Server": "receiving mail"}),
        ], problems)
    finally:
        wizard.close()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


@mstest.test("the repair path's first page, reached by keyboard from the welcome page")
def t_repair_list():
    problems = []
    wizard = Wizard()
    try:
        run_flow(wizard, [
            Step("welcome", heading="Set Up Your Email", focus=("push button", "Set Up an Account")),
            Step("welcome: fix", keys=tab_until("push button", "Fix Mail That Stopped Working")),
            Step("repair: the accounts", keys=["Return"], heading="Your Mail Accounts", deadline=60),
            Step("repair: Escape back", keys=["Escape"], heading="Set Up Your Email"),
        ], problems)
    finally:
        wizard.close()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


# The accounts the repair path finds, as tests/ui/test-wizard-repair.c
# writes them: msmtp set to STARTTLS on the implicit-TLS port (sending
# fails: Alice's), and an account that is right (Bob's). Alice's password
# comes from a command Mail Setup never runs: she types it.
MSMTPRC = """# Written by hand, years ago
defaults
tls_trust_file {ca}

account alice
host {host}
port {port}
from alice@test.example
auth on
user alice@test.example
passwordeval "cat ~/.msmtp-alice"
tls on
tls_starttls on

account bob
host {host}
port {port}
from bob@test.example
auth on
user bob@test.example
tls on
tls_starttls off
"""


def write_broken_msmtprc():
    path = os.path.join(os.environ["HOME"], ".msmtprc")
    with open(path, "w", encoding="utf-8") as f:
        f.write(MSMTPRC.format(ca=mstest.env("MS_TEST_CA_FILE"), host=mstest.env("MS_TEST_HOST"),
                               port=mstest.env("MS_TEST_SUBMISSIONS_PORT")))
    os.chmod(path, 0o600)
    return path


def charter_provider():
    """What the doctor compares the accounts with (write_charter_provider)."""
    host = mstest.env("MS_TEST_HOST")
    incoming = server_xml("incomingServer", "imap", host, mstest.env("MS_TEST_IMAPS_PORT"))
    outgoing = server_xml("outgoingServer", "smtp", host, mstest.env("MS_TEST_SUBMISSIONS_PORT"))
    return {"charter.net": (f"<ms:usernameIsAddress/>\n<ms:profile id=\"mobile\" recommended=\"true\">"
                            f"<ms:name>Mobile</ms:name>\n{incoming}{outgoing}</ms:profile>\n")}


def write_charter_provider():
    folder = os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "providers")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "charter.net.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0"?>\n<clientConfig version="1.1" '
                'xmlns:ms="https://mailsetup.github.io/ns/profiles/1">\n'
                '<emailProvider id="charter.net"><domain>test.example</domain>'
                '<displayName>Charter Spectrum (test servers)</displayName>'
                + charter_provider()["charter.net"] + '</emailProvider>\n</clientConfig>\n')


def remove_repair_files():
    for path in (os.path.join(os.environ["HOME"], ".msmtprc"),
                 os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "providers", "charter.net.xml")):
        if os.path.exists(path):
            os.unlink(path)
    # The backups a repair leaves (and its undo record) stay with the test home.


def password_field(wizard, address):
    return wizard.find(lambda o: role(o) in ("text", "password text") and name(o).startswith(f"Password for {address}"))


def type_repair_password(address):
    """From Test Accounts, Shift+Tab back to the account's row, Tab into
    its password (GTK 4.8 gives the entry row no focused state: what the
    field holds proves where the keys went)."""
    def press(wizard):
        tab_until("list item", address, back=True)(wizard)
        key("Tab")
        type_text(mstest.password())
        field = password_field(wizard, address)
        mstest.check(field is not None and Atspi.Text.get_character_count(field) == len(mstest.password()),
                     f"the password typed into “Password for {address}”")
        tab_until("push button", "Test Accounts")(wizard)
    return press


def rows_checked(wizard, accounts=("alice@", "bob@")):
    rows = [o for o in reachable(wizard) if role(o) == "list item" and name(o).startswith(accounts)]
    return len(rows) == len(accounts) and all("found" in (o.get_description() or "") or "Works as it is" in
                                  (o.get_description() or "") for o in rows) and \
        focus_is(wizard, ("push button", "Test Accounts"))


def repair_list_steps(addresses=("alice@test.example", "bob@test.example")):
    return [
        Step("welcome", heading="Set Up Your Email", focus=("push button", "Set Up an Account")),
        Step("welcome: fix", keys=tab_until("push button", "Fix Mail That Stopped Working")),
        Step("repair: the accounts", keys=["Return"], heading="Your Mail Accounts", deadline=60,
             focus=("push button", "Test Accounts"), primary="Test Accounts",
             descriptions={address: "Not checked yet" for address in addresses}),
        Step("repair: Alice's password", keys=type_repair_password("alice@test.example")),
    ]


def check_rows_announced(events, problems):
    """Each row's verdict, which comes by itself while the person waits on
    Cancel, reached the screen reader at the focus."""
    said = [text for kind, _, _, focused, text in events.seen if focused and text]
    for wanted in ("alice@test.example: 1 problem found", "bob@test.example: Works as it is"):
        if wanted not in said:
            problems.append(f"nothing said “{wanted}” at the focus; said there: {said}")
    rows = [text for kind, _, n, _, text in events.seen if text and n.startswith("alice@")]
    if not any("Checking" in text or "Testing" in text for text in rows):
        problems.append(f"Alice's row never said it was checking; it said: {rows}")
    print(f"# said at the focus: {said}")
    if problems:
        print("# every description change:", [(n, f, t) for _, _, n, f, t in events.seen])


@mstest.test("the repair path by keyboard: list → check → diagnosis → Repair → summary → Escape")
def t_repair_flow():
    write_broken_msmtprc()
    write_charter_provider()
    problems = []
    wizard = Wizard()
    try:
        run_flow(wizard, repair_list_steps(), problems)
        verdicts = Events("object:property-change:accessible-description")
        run_flow(wizard, [
            Step("repair: checked", keys=["Return"], ready=rows_checked, deadline=120,
                 focus=("push button", "Test Accounts"), primary="Test Accounts",
                 descriptions={"alice@test.example": "1 problem found", "bob@test.example": "Works as it is"}),
        ], problems)
        check_rows_announced(verdicts, problems)
        verdicts.stop()
        run_flow(wizard, [
            Step("repair: to Alice's row", keys=tab_until("list item", "alice@test.example", back=True)),
            Step("diagnosis", keys=["Return"], heading="What the Repair Changes", focus=("push button", "Repair"),
                 primary="Repair", descriptions={"Repair": ".msmtprc"}),
            Step("summary", keys=["Return"], heading="Account Repaired", deadline=30,
                 focus=("push button", "Back to the Accounts"), primary="Back to the Accounts",
                 descriptions={"Copy the undo command": "mail-setup repair alice@test.example"}),
            Step("summary: copy", keys=lambda w: (tab_until("push button", "Copy the undo command", back=True)(w),
                                                  w.start_listening())),
            Step("summary: copied", keys=["Return"], ready=lambda w: w.said_at_focus(("Command copied",)),
                 focus=("push button", "Copy the undo command")),
            Step("summary: Escape back", keys=["Escape"], heading="Your Mail Accounts", deadline=60),
        ], problems)
    finally:
        wizard.close()
        remove_repair_files()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


def certificate_provider():
    host = mstest.env("MS_TEST_HOST")
    return {"untrusted.example": server_xml("incomingServer", "imap", mstest.env("MS_TEST_UNTRUSTED_HOST"),
                                            mstest.env("MS_TEST_UNTRUSTED_PORT"))
            + server_xml("outgoingServer", "smtp", host, mstest.env("MS_TEST_SUBMISSIONS_PORT"))}


def certificate_steps():
    user = mstest.env("MS_TEST_USER").split("@")[0]
    return account_steps(f"{user}@untrusted.example", mstest.password()) + [
        Step("one profile", keys=["Return"], heading="Your Provider’s Settings", focus=("push button", "Continue"),
             primary="Continue"),
        Step("testing", keys=["Return"], heading="Testing Your Settings", focus=("push button", "Test Settings")),
        Step("result: certificate", keys=["Return"], ready=lambda w: w.show_page("Your Email Does Not Work Yet")
             and w.find(lambda o: name(o).startswith("Check the Certificate")), deadline=90,
             focus=("push button", "Check the Certificate")),
    ]


@mstest.test("the certificate dialog: named, described, Escape leaves it untrusted")
def t_certificate_dialog():
    problems = []
    wizard = Wizard(providers=certificate_provider())
    try:
        run_flow(wizard, certificate_steps() + [
            Step("certificate dialog", keys=["Return"],
                 ready=lambda w: any(win != w.frame for win in w.windows())),
        ], problems)
        wizard.focus_window("Check the Server")
        run_flow(wizard, [Step("certificate dialog: focused", focus=("push button", ""),
                               descriptions={})], problems)
        dialog = next(win for win in wizard.windows() if win != wizard.frame)
        mstest.check_in(role(dialog), ("dialog", "alert", "frame"), "the dialog's role")
        mstest.check(name(dialog) and not TYPE_NAME.search(name(dialog)), f"the dialog's name: {name(dialog)!r}")
        key("Escape")
        wait(lambda: len(wizard.windows()) == 1, "Escape to close the dialog")
        # What a window manager does when a dialog goes: its parent gets the keys back.
        wizard.focus_window("^Mail Setup$")
        wait(lambda: focus_is(wizard, ("push button", "Check the Certificate")),
             "the focus back on the button that opened the dialog", deadline=10)
    finally:
        wizard.close()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


def adaptive(width, height, large, contrast):
    label = f"{width}x{height}" + ("-large-text" if large else "") + ("-high-contrast" if contrast else "")
    problems = []

    def shots(wizard, step):
        # The leaflet slides the page in: what is measured mid-slide sits
        # off the window's side. A page that stays cut off for the whole
        # deadline is a problem; one that settles is not.
        problems.extend(mstest.poll(lambda: layout(wizard, step.page), lambda found: not found,
                                    deadline=5))
        if step.heading or step.ready:
            screenshot(wizard, f"{label}-{step.page}")

    user = mstest.env("MS_TEST_USER").split("@")[0]
    host = mstest.env("MS_TEST_HOST")
    provider = {"test.example": server_xml("incomingServer", "imap", host, mstest.env("MS_TEST_IMAPS_PORT"))
                + server_xml("outgoingServer", "smtp", host, mstest.env("MS_TEST_SUBMISSIONS_PORT"))}
    wizard = Wizard(width, height, large_text=large, high_contrast=contrast, providers=provider)
    try:
        run_flow(wizard, account_steps(f"{user}@test.example", mstest.password()) + [
            Step("one profile", keys=["Return"], heading="Your Provider’s Settings"),
            Step("testing", keys=["Return"], heading="Testing Your Settings"),
            Step("result", keys=["Return"], heading="Your Email Works", deadline=90,
                 ready=lambda w: focus_is(w, ("push button", "Continue"))),
            Step("keyring", keys=["Return"], heading="Remember Your Password"),
            Step("export", keys=["Return"], heading="Use It in Your Mail Program", deadline=30),
        ], problems, shots)
    finally:
        wizard.close()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


@mstest.test("adaptive: 360 × 640, nothing cut off or overlapping")
def t_small():
    adaptive(360, 640, False, False)


@mstest.test("adaptive: 360 × 640 with text scaling 1.5 and high contrast")
def t_small_large():
    adaptive(360, 640, True, True)


@mstest.test("adaptive: 1024 × 768, nothing cut off or overlapping")
def t_large():
    adaptive(1024, 768, False, False)


@mstest.test("adaptive: 1024 × 768 with text scaling 1.5 and high contrast")
def t_large_large():
    adaptive(1024, 768, True, True)


PREFS_JS = """// Mozilla User Preferences

user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.identity.id1.fullName", "Alice Example");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "alice@test.example");
user_pref("mail.identity.id1.valid", true);
user_pref("mail.server.server1.authMethod", 3);
user_pref("mail.server.server1.hostname", "{host}");
user_pref("mail.server.server1.name", "alice@test.example");
user_pref("mail.server.server1.port", {imaps});
user_pref("mail.server.server1.socketType", 2);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "alice@test.example");
user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.authMethod", 3);
user_pref("mail.smtpserver.smtp1.hostname", "{host}");
user_pref("mail.smtpserver.smtp1.port", {submissions});
user_pref("mail.smtpserver.smtp1.try_ssl", 3);
user_pref("mail.smtpserver.smtp1.username", "alice@test.example");
user_pref("mail.smtpservers", "smtp1");
"""


def write_broken_thunderbird():
    """A Thunderbird profile whose IMAP server is set to STARTTLS on the
    IMAPS port (test-wizard-repair.c's write_broken_thunderbird)."""
    root = os.path.join(os.environ["HOME"], ".thunderbird")
    profile = os.path.join(root, "abcd1234.default")
    os.makedirs(profile, exist_ok=True)
    with open(os.path.join(root, "profiles.ini"), "w", encoding="utf-8") as f:
        f.write("[Profile0]\nName=default\nIsRelative=1\nPath=abcd1234.default\nDefault=1\n\n"
                "[General]\nStartWithLastProfile=1\nVersion=2\n")
    with open(os.path.join(profile, "prefs.js"), "w", encoding="utf-8") as f:
        f.write(PREFS_JS.format(host=mstest.env("MS_TEST_HOST"), imaps=mstest.env("MS_TEST_IMAPS_PORT"),
                                submissions=mstest.env("MS_TEST_SUBMISSIONS_PORT")))
    os.chmod(os.path.join(profile, "prefs.js"), 0o600)
    return profile


@mstest.test("the repair refused while Thunderbird runs: Try Again has the focus and says why")
def t_repair_refused():
    profile = write_broken_thunderbird()
    write_charter_provider()
    lock = os.path.join(profile, "lock")
    problems = []
    wizard = Wizard()
    try:
        run_flow(wizard, repair_list_steps(("alice@test.example",)) + [
            Step("repair: checked", keys=["Return"], ready=lambda w: rows_checked(w, ("alice@",)), deadline=120),
            Step("repair: to Alice's row", keys=tab_until("list item", "alice@test.example", back=True)),
            Step("diagnosis", keys=["Return"], heading="What the Repair Changes", focus=("push button", "Repair")),
            # Thunderbird's own lock, as a running Thunderbird leaves it: a
            # symlink to "IP:+PID" of a live process (this one stands in).
            Step("refused", keys=lambda w: (os.symlink(f"127.0.0.1:+{os.getpid()}", lock), key("Return")),
                 ready=lambda w: focus_is(w, ("push button", "Try Again")), deadline=30,
                 focus=("push button", "Try Again"), descriptions={"Try Again": "Nothing was changed."}),
            Step("Try Again", keys=lambda w: (os.unlink(lock), key("Return")), heading="Account Repaired",
                 deadline=30, focus=("push button", "Back to the Accounts")),
            Step("summary: Escape back", keys=["Escape"], heading="Your Mail Accounts", deadline=60),
        ], problems)
    finally:
        wizard.close()
        remove_repair_files()
        if os.path.lexists(lock):
            os.unlink(lock)
        shutil.rmtree(os.path.join(os.environ["HOME"], ".thunderbird"), ignore_errors=True)
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


def adaptive_repair(width, height, large, contrast):
    """The repair path's three pages in that state, with screenshots."""
    label = f"{width}x{height}" + ("-large-text" if large else "") + ("-high-contrast" if contrast else "")
    problems = []

    def shots(wizard, step):
        # Measured again until the leaflet's slide settles (as adaptive()).
        problems.extend(mstest.poll(lambda: layout(wizard, step.page), lambda found: not found,
                                    deadline=5))
        if step.heading or step.ready:
            screenshot(wizard, f"{label}-{step.page}")

    write_broken_msmtprc()
    write_charter_provider()
    wizard = Wizard(width, height, large_text=large, high_contrast=contrast)
    try:
        run_flow(wizard, repair_list_steps() + [
            Step("repair checked", keys=["Return"], ready=rows_checked, deadline=120),
            Step("repair: to Alice's row", keys=tab_until("list item", "alice@test.example", back=True)),
            Step("repair diagnosis", keys=["Return"], heading="What the Repair Changes"),
            Step("repair summary", keys=lambda w: (tab_until("push button", "Repair")(w), key("Return")),
                 heading="Account Repaired", deadline=30),
        ], problems, shots)
    finally:
        wizard.close()
        remove_repair_files()
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


def sign_in_setup(behaviour):
    """Issue 14: a provider file whose servers take OAuth2 and whose
    <oAuth2> block names tests/harness/oauth-server.py (it stands for the
    provider's authorization server), and tests/harness/test-browser.py as
    the default browser in run-with-keyring's XDG directories."""
    mstest.write_provider(os.environ["XDG_CONFIG_HOME"],
                          mstest.oauth_provider_xml(authentication="OAuth2",
                                                    issuer=mstest.env("MS_TEST_OAUTH_URL"),
                                                    display_name="Test Mail (test.example)"))
    applications = os.path.join(os.environ["XDG_DATA_HOME"], "applications")
    os.makedirs(applications, exist_ok=True)
    browser = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness", "test-browser.py")
    with open(os.path.join(applications, "ms-test-browser.desktop"), "w", encoding="utf-8") as f:
        f.write("[Desktop Entry]\nType=Application\nName=Test browser\n"
                f"Exec={sys.executable} {os.path.abspath(browser)} %u\n"
                "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n")
    with open(os.path.join(os.environ["XDG_CONFIG_HOME"], "mimeapps.list"), "w", encoding="utf-8") as f:
        f.write("[Default Applications]\nx-scheme-handler/http=ms-test-browser.desktop\n"
                "x-scheme-handler/https=ms-test-browser.desktop\n")
    mstest.oauth_post("/test/behaviour", authorize=behaviour, metadata="normal")


@mstest.test("sign-in (OAuth): no password asked, the waiting page, a refusal said at the focus, Escape back")
def t_sign_in():
    user = mstest.env("MS_TEST_USER")
    problems = []
    sign_in_setup("refuse")
    wizard = Wizard()
    try:
        verdicts = Events("object:property-change:accessible-description")
        run_flow(wizard, [
            Step("welcome", heading="Set Up Your Email", focus=("push button", "Set Up an Account")),
            Step("account", keys=["Return"], heading="Your Account"),
            Step("account: address", keys=typing(user), typed=("Email Address", user)),
            Step("account: sign in", keys=tab_until("push button", "Sign In"), primary="Sign In…",
                 descriptions={"Use an App Password Instead": "instead of signing in"}),
            Step("sign-in refused", keys=["Return"], heading="You Did Not Allow Mail Setup to Use Your Mail",
                 deadline=30, focus=("push button", "Try Again"),
                 descriptions={"Use an App Password Instead": "instead of signing in"}),
            Step("back to the account", keys=["Escape"], heading="Your Account"),
        ], problems)
        if not any(kind.endswith("accessible-description") and focused and "You Did Not Allow" in text
                   for kind, _, _, focused, text in verdicts.seen):
            problems.append("the refusal was not said at the focus")
        verdicts.stop()
    finally:
        wizard.close()
        # The flows after this one know test.example as a password provider.
        os.remove(os.path.join(os.environ["XDG_CONFIG_HOME"], "mail-setup", "providers", "test.example.xml"))
    mstest.check(not problems, "\n".join(dict.fromkeys(problems)))


@mstest.test("adaptive: the repair pages at 360 × 640")
def t_repair_small():
    adaptive_repair(360, 640, False, False)


@mstest.test("adaptive: the repair pages at 360 × 640 with text scaling 1.5 and high contrast")
def t_repair_small_large():
    adaptive_repair(360, 640, True, True)


@mstest.test("adaptive: the repair pages at 1024 × 768")
def t_repair_large():
    adaptive_repair(1024, 768, False, False)


@mstest.test("adaptive: the repair pages at 1024 × 768 with text scaling 1.5 and high contrast")
def t_repair_large_large():
    adaptive_repair(1024, 768, True, True)


def main():
    mstest.need("xdotool", "xdotool")
    return mstest.main()


if __name__ == "__main__":
    sys.exit(main())
