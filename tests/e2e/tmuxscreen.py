# griot: a terminal client under a private tmux server, for the end-to-end tests.
# Copyright (c) 2026 the griot developers; ISC licence.
"""Run one real terminal client in tmux and read its screen.

    with tmuxscreen.Screen(tmpdir, "lynx", env, cols=40, rows=60) as s:
        s.start(["lynx", url])
        found, screen = s.wait_for(["Rubriques"])
        s.keys("q")

Every Screen starts its own tmux server on a socket under the test's
temporary folder (tmux -S), so that neither the user's tmux nor another
test's is ever touched, and kills that server when the block ends.  The
pane stays open when the client exits (remain-on-exit), so that a client
that crashed still leaves its last screen to be read.  Every wait is
bounded in time and in number of captures.
"""

import os
import subprocess
import time

# How long one tmux command may take (the machine may be loaded).
TMUX_TIMEOUT = 20
# Time between two captures while waiting for a screen.
POLL = 0.05


class Screen:
    """One client in one detached session of a private tmux server."""

    def __init__(self, tmpdir, name, env, cols=80, rows=24):
        self.socket = os.path.join(tmpdir, "tmux-" + name)
        self.env = env
        self.cols = cols
        self.rows = rows
        self.name = name
        # -f /dev/null: none of the user's configuration; -u: the pane's
        # text is read and captured as UTF-8 whatever the locale says.
        self.base = ["tmux", "-S", self.socket, "-f", "/dev/null", "-u"]
        self.started = False

    def tmux(self, *args, check=False):
        return subprocess.run(self.base + list(args), env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=TMUX_TIMEOUT, check=check)

    def start(self, argv):
        """Start argv in a COLS x ROWS pane (argv is run without a shell)."""
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(self.cols),
                  "-y", str(self.rows), *argv, check=True)
        self.started = True
        self.tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def screen(self):
        """The visible screen, one string per row, trailing blanks cut."""
        p = self.tmux("capture-pane", "-p", "-t", self.name)
        return [line.rstrip() for line in
                p.stdout.decode("utf-8", "replace").split("\n")[:self.rows]]

    def text(self):
        return "\n".join(self.screen())

    def keys(self, *keys):
        """tmux key names ("Enter", "Down") or literal text."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def literal(self, text):
        """Type text as it is (no key-name lookup)."""
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def wait_for(self, want, timeout=20, settle=True, absent=()):
        """Capture until every string of "want" shows; (found, rows).

        A string of "absent" showing counts as not found yet.  With
        "settle", the screen must then stay the same for two captures in a
        row, so that a client still drawing the rest of its page is not
        read half-way.  Bounded by "timeout" seconds and a capture count.
        """
        deadline = time.monotonic() + timeout
        rows = []
        last = None
        for _ in range(int(timeout / POLL) + 1):
            rows = self.screen()
            text = "\n".join(rows)
            if all(w in text for w in want) and not any(a in text for a in absent):
                if not settle or rows == last:
                    return True, rows
                last = rows
            else:
                last = None
            if time.monotonic() >= deadline:
                break
            time.sleep(POLL)
        return False, rows

    def wait_any(self, choices, timeout=20):
        """Capture until one string of "choices" shows; (index, rows).

        The index is None when none showed within "timeout" seconds.
        """
        deadline = time.monotonic() + timeout
        rows = []
        for _ in range(int(timeout / POLL) + 1):
            rows = self.screen()
            text = "\n".join(rows)
            for i, c in enumerate(choices):
                if c in text:
                    return i, rows
            if time.monotonic() >= deadline:
                break
            time.sleep(POLL)
        return None, rows

    def kill(self):
        if self.started:
            self.tmux("kill-server")
            self.started = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False
