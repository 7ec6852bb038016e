#!/usr/bin/env python3
# griot: does a long render hold up the other connections?  Copyright (c) 2026 the griot developers; ISC licence.
"""Start griotd (Gopher only, one worker, a free loopback port) on a store
of one article of many link lines (about 1 MB, written here) and one
short article; ask for the long one in its three charsets, again and
again (each new generation renders it anew: the store is touched between
rounds), while another client asks for the short one every 2 ms; print
the short requests' latency (p50, p99, max) and griotd's CPU per long
request, first answer and cached answers apart.  It measures; it never
fails on a figure.

    bench/render_stall.py BUILD-FOLDER [ROUNDS]
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def gopher(port, sel):
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(sel.encode() + b"\r\n")
        n = 0
        while True:
            b = s.recv(1 << 16)
            if not b:
                break
            n += len(b)
    return time.monotonic() - t0, n


def cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    build = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    tmp = tempfile.mkdtemp(prefix="griot-stall-")
    os.chmod(tmp, 0o755)
    art = os.path.join(tmp, "articles")
    os.makedirs(art)
    body = []
    size = 0
    i = 0
    while size < 1000000 - 64:
        line = "=> https://example.org/%d Lien %d" % (i, i)
        body.append(line)
        size += len(line) + 1
        i += 1
    with open(os.path.join(art, "long.txt"), "w") as f:
        f.write("Title: Beaucoup de liens\nDate: 2026-01-01\n\n" + "\n".join(body) + "\n")
    with open(os.path.join(art, "short.txt"), "w") as f:
        f.write("Title: Court\nDate: 2026-01-02\n\nUn paragraphe.\n")
    for name in os.listdir(art):
        os.chmod(os.path.join(art, name), 0o644)
    port = free_port()
    user = "user = nobody\ngroup = nogroup\n" if os.geteuid() == 0 else ""
    with open(os.path.join(tmp, "griot.ini"), "w") as f:
        f.write("[capsule]\nhostname = localhost\nstore = articles\n[gemini]\nenabled = no\n"
                "[gopher]\nlisten = 127.0.0.1\nport = %d\n[server]\nworkers = 1\n"
                "access_log = off\n%s" % (port, user))
    log = open(os.path.join(tmp, "log"), "w")
    p = subprocess.Popen([os.path.join(build, "src", "griotd"), "-c", os.path.join(tmp, "griot.ini")],
                         stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            if "listening on" in open(os.path.join(tmp, "log")).read():
                break
            time.sleep(0.05)
        stop = threading.Event()
        lat = []

        def short_client():
            while not stop.is_set():
                lat.append(gopher(port, "/articles/short.txt")[0])
                time.sleep(0.002)

        t = threading.Thread(target=short_client)
        t.start()
        first, again = [], []
        for r in range(rounds):
            # A new generation: every response is made again.
            with open(os.path.join(art, "short.txt"), "a") as f:
                f.write("Encore %d.\n" % r)
            time.sleep(0.3)
            for cs in ("", "/ascii", "/latin1"):
                sel = cs + "/articles/long.txt"
                c0 = cpu(p.pid)
                gopher(port, sel)
                first.append(cpu(p.pid) - c0)
                c0 = cpu(p.pid)
                for _ in range(5):
                    gopher(port, sel)
                again.append((cpu(p.pid) - c0) / 5)
        stop.set()
        t.join()
        lat.sort()
        print("short requests beside the long renders: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              % (len(lat), lat[len(lat) // 2] * 1e3, lat[int(len(lat) * 0.99)] * 1e3, lat[-1] * 1e3))
        print("griotd CPU per long answer: first in a generation %.0f ms (mean of %d), "
              "again %.1f ms (mean of %d)"
              % (sum(first) / len(first) * 1e3, len(first), sum(again) / len(again) * 1e3,
                 len(again) * 5))
    finally:
        p.terminate()
        p.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
