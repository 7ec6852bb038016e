# griot: end-to-end tests of the access log and the log signals.  Copyright (c) 2026 the griot developers; ISC licence.
"""The access log of the real griotd, as operators run it.

SIGUSR1 reopens the access log after a rotation by rename, and SIGUSR2
is ignored (neither may kill the daemon); a file griotd creates as root
belongs to the user it serves as, so SIGHUP and SIGUSR1 reopen it without
"Permission denied", from inside a chroot too; lines that a full disk (/dev/full) drops are
reported in a warning; and under load no line is lost, nor cut, across
SIGHUP, SIGUSR1 with renames, and SIGTERM: every answered request has
its line, and there are no more lines than requests sent.
"""

import os
import pwd
import re
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

GPSA = "2024-11-28-gpsa-paix-securite"
LINE_RE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ (gemini|gopher) '
                     r'"[^"]*" \d+ \d+ \d+\.\d{3}$')


def wait_for(cond, timeout=10.0):
    """Poll "cond" every 20 ms until true or "timeout" seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def read_lines(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []


def count_in(path, text):
    return sum(1 for l in read_lines(path) if text in l)


def gopher(port, selector):
    """One Gopher request; b"" when the daemon is gone."""
    try:
        return gt.gopher(port, selector, timeout=5)
    except OSError:
        return b""


def give_to_server(d, path):
    """What logrotate's "create" does: an empty file the server may write."""
    with open(path, "w"):
        pass
    if os.geteuid() == 0:
        os.chown(path, pwd.getpwnam("nobody").pw_uid, -1)


def test_sigusr():
    with gt.Daemon(extra="access_log = access.log") as d:
        path = os.path.join(d.dir, "access.log")
        d.signal(signal.SIGUSR2)
        resp = gopher(d.gopher_port, "/usr2")
        gt.ok(d.alive() and resp != b"", "SIGUSR2: still alive and serving",
              got=(d.proc.poll(), resp[:60]))
        gt.ok(wait_for(lambda: count_in(path, '"/usr2"') == 1, 5),
              "the request after SIGUSR2 is logged", got=read_lines(path))

        # A rotation by rename, as contrib/griot.logrotate does it.
        os.rename(path, path + ".1")
        give_to_server(d, path)
        d.signal(signal.SIGUSR1)
        gt.ok(d.wait_log("SIGUSR1: reopening the access log", 1, 5),
              "SIGUSR1: says it reopens the access log", got=d.read_log()[-800:])
        gt.ok(d.alive(), "SIGUSR1: still alive", got=d.proc.poll())
        gopher(d.gopher_port, "/after-usr1")
        gt.ok(wait_for(lambda: count_in(path, '"/after-usr1"') == 1, 5),
              "SIGUSR1: the next line goes to the new file",
              got=(read_lines(path), read_lines(path + ".1")))
        gt.ok(count_in(path + ".1", '"/usr2"') == 1 and
              count_in(path + ".1", '"/after-usr1"') == 0,
              "the rotated file keeps the old lines only",
              got=read_lines(path + ".1"))
        # griotd cannot create a file in a folder it may not write to:
        # it says so and keeps the file it has.
        os.rename(path, path + ".2")
        if os.geteuid() == 0:
            d.signal(signal.SIGUSR1)
            gt.ok(d.wait_log("not reopened, still writing", 1, 5),
                  "SIGUSR1 without a file it may create: a warning",
                  got=d.read_log()[-800:])
            gopher(d.gopher_port, "/kept")
            gt.ok(wait_for(lambda: count_in(path + ".2", '"/kept"') == 1, 5),
                  "and the lines still go to the file it had",
                  got=read_lines(path + ".2"))
        gt.ok("Permission denied" not in d.read_log().split("not reopened")[0],
              "no other failure to reopen", got=d.read_log()[-800:])


def test_owner():
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: the access log's owner is not tested")
        return
    nobody = pwd.getpwnam("nobody")
    with gt.Daemon(extra="access_log = logs/access.log", start=False) as d:
        os.makedirs(os.path.join(d.dir, "logs"))
        path = os.path.join(d.dir, "logs", "access.log")
        d.start()
        st = os.stat(path)
        gt.ok(st.st_uid == nobody.pw_uid and (st.st_mode & 0o777) == 0o640,
              "created as root, the access log belongs to nobody, mode 0640",
              got=(st.st_uid, oct(st.st_mode & 0o777)))
        n = d.read_log().count("reloaded:")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("reloaded:", n + 1), "SIGHUP: reloaded")
        gt.ok("Permission denied" not in d.read_log() and
              "not reopened" not in d.read_log(),
              "SIGHUP reopens the access log without Permission denied",
              got=d.read_log()[-800:])
        gopher(d.gopher_port, "/after-hup")
        gt.ok(wait_for(lambda: count_in(path, '"/after-hup"') == 1, 5),
              "and logs to it", got=read_lines(path))
        # A rotation where griotd may write the folder: it creates the file.
        os.chown(os.path.join(d.dir, "logs"), nobody.pw_uid, -1)
        os.rename(path, path + ".1")
        d.signal(signal.SIGUSR1)
        gt.ok(d.wait_log("SIGUSR1: reopening", 1, 5), "SIGUSR1 taken")
        gopher(d.gopher_port, "/after-usr1")
        gt.ok(wait_for(lambda: count_in(path, '"/after-usr1"') == 1, 5),
              "SIGUSR1 creates the new file and logs to it",
              got=(read_lines(path), d.read_log()[-800:]))
        gt.ok("not reopened" not in d.read_log(), "without a warning",
              got=d.read_log()[-800:])


def test_chroot():
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: chroot is not tested")
        return
    with gt.Daemon(extra="chroot = .\naccess_log = access.log", gemini=False) as d:
        path = os.path.join(d.dir, "access.log")
        os.rename(path, path + ".1")
        give_to_server(d, path)
        d.signal(signal.SIGUSR1)
        gt.ok(d.wait_log("SIGUSR1: reopening", 1, 5), "chroot: SIGUSR1 taken")
        gopher(d.gopher_port, "/in-chroot")
        gt.ok(wait_for(lambda: count_in(path, '"/in-chroot"') == 1, 5),
              "chroot: SIGUSR1 reopens the file by its path inside the chroot",
              got=(read_lines(path), d.read_log()[-800:]))


def test_full_disk():
    if not os.path.exists("/dev/full"):
        gt.ok(True, "# SKIP no /dev/full")
        return
    with gt.Daemon(extra="access_log = /dev/full") as d:
        for i in range(5):
            gopher(d.gopher_port, "/full-%d" % i)
        gt.ok(d.wait_log("access log /dev/full: ", 1, 5),
              "a full disk: the lost lines are reported", got=d.read_log()[-800:])
        m = re.search(r"access log /dev/full: (\d+) lines? lost: (.*)", d.read_log())
        gt.ok(m is not None and int(m.group(1)) >= 1 and "space" in m.group(2),
              "with their count and the reason", got=m and m.group(0))
        gt.ok(d.read_log().count("access log /dev/full: ") == 1,
              "once, not once per line (rate-limited)", got=d.read_log()[-800:])
        resp = gopher(d.gopher_port, "/articles/%s.txt" % GPSA)
        gt.ok(len(resp) > 1000, "requests are still answered", got=resp[:60])


class Load:
    """Gopher clients in threads, counting requests sent and answered."""

    def __init__(self, port, nthreads=4):
        self.port = port
        self.stop = threading.Event()
        self.sent = [0] * nthreads
        self.answered = [0] * nthreads
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True)
                        for i in range(nthreads)]

    def run(self, i):
        sel = [b"\r\n", ("/articles/%s.txt\r\n" % GPSA).encode()][i % 2]
        deadline = time.monotonic() + 30
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            except OSError:
                time.sleep(0.005)
                continue
            with s:
                try:
                    s.sendall(sel)
                    self.sent[i] += 1
                    data = b""
                    while True:
                        b = s.recv(65536)
                        if not b:
                            break
                        data += b
                except OSError:
                    continue
                if data.endswith(b".\r\n"):
                    self.answered[i] += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(35)
        return False


def test_no_line_lost():
    with gt.Daemon(extra="access_log = access.log") as d:
        path = os.path.join(d.dir, "access.log")
        files = [path]

        def total():
            return sum(len(read_lines(f)) for f in files)

        with Load(d.gopher_port) as load:
            gt.ok(wait_for(lambda: total() >= 200, 15), "load: lines are written",
                  got=total())
            n = d.read_log().count("reloaded:")
            d.signal(signal.SIGHUP)
            gt.ok(d.wait_log("reloaded:", n + 1), "under load: SIGHUP reloads")
            for k in (1, 2):
                before = total()
                os.rename(path, "%s.%d" % (path, k))
                files.append("%s.%d" % (path, k))
                give_to_server(d, path)
                d.signal(signal.SIGUSR1)
                gt.ok(d.wait_log("SIGUSR1: reopening", k, 5),
                      "under load: SIGUSR1 number %d taken" % k)
                gt.ok(wait_for(lambda: len(read_lines(path)) >= 50 and
                               total() >= before + 100, 15),
                      "under load: lines go to the new file %d" % k,
                      got=(len(read_lines(path)), total() - before))
            rc = d.stop()
            gt.ok(rc == 0, "under load: SIGTERM, exit status 0", got=rc)
        sent, answered = sum(load.sent), sum(load.answered)
        lines = [l for f in files for l in read_lines(f)]
        ours = [l for l in lines if " gopher " in l]
        gt.ok(all(LINE_RE.match(l) for l in lines),
              "every line whole and well formed (interleaved only between lines)",
              got=[l for l in lines if not LINE_RE.match(l)][:5])
        gt.ok(answered > 300, "the load was real", got=answered)
        # Every answered request was logged; a request sent as SIGTERM
        # came may be logged without its answer reaching the client.
        gt.ok(answered <= len(ours) <= sent,
              "no line lost across SIGHUP, SIGUSR1 and SIGTERM: answered <= "
              "lines <= sent", got=(answered, len(ours), sent))
        gt.ok(d.read_log().count("lost") == 0, "no loss reported",
              got=d.read_log()[-800:])
        gt.ok("Sanitizer" not in d.read_log() and "runtime error" not in d.read_log(),
              "no sanitizer report in the daemon log", got=d.read_log()[-800:])
        d.start()   # for the block's "still alive" check


def main():
    tests = [test_sigusr, test_owner, test_chroot, test_full_disk,
             test_no_line_lost]
    # Names on the command line run those tests only.
    for t in tests:
        if len(sys.argv) == 1 or t.__name__ in sys.argv[1:]:
            t()
    gt.done()


if __name__ == "__main__":
    main()
