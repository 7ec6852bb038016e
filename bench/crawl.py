#!/usr/bin/env python3
# griot: crawl every menu and index page of a store.  Copyright (c) 2026 the griot developers; ISC licence.
"""Start griotd on a store and walk every list it serves, on both protocols.

Every menu and index page (root, categories, a category's pages, the
archive's years, a year's months, a month's pages, the pages of one
search, the Atom feeds) over Gopher in each charset view and over
Gemini; prints, for each kind, how many answers, the largest one, and
how long it takes at 9.6 kbit/s.  Not part of make check:

    bench/gen_store.py -n 100000 -s 1 /tmp/griot-store-100k
    bench/crawl.py /tmp/griot-store-100k

Options: --griotd PATH (default: the build's src/griotd), --page-size N,
--width N, --hostname NAME, --search WORD (default "sécurité").
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
import griotcrawl as gc  # noqa: E402

VIEWS = (("", "utf-8"), ("/utf8", "utf-8"), ("/latin1", "latin-1"),
         ("/ascii", "ascii"))
KINDS = ("root", "categories", "category", "archive", "year", "month",
         "search", "feed")
LINK = 9600.0   # bits per second

INI = """\
[capsule]
name = Banc d'essai
hostname = {hostname}
store = {store}
description = Toutes les pages de listes, une par une.
{page_size}
[gemini]
listen = 127.0.0.1
port = {gemini}
cert = cert.pem
key = key.pem
auto_cert = yes

[gopher]
listen = 127.0.0.1
port = {gopher}
width = {width}

[server]
log = stderr
access_log = off
request_timeout = 60
{user}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, tmp):
    gemini, gopher = free_port(), free_port()
    user = ""
    if os.geteuid() == 0:
        user = "user = nobody\ngroup = nogroup\n"
        os.chmod(tmp, 0o755)
    ini = os.path.join(tmp, "griot.ini")
    with open(ini, "w") as f:
        f.write(INI.format(hostname=args.hostname, store=os.path.abspath(args.store),
                           page_size=("page_size = %d\n" % args.page_size)
                           if args.page_size else "",
                           gemini=gemini, gopher=gopher, width=args.width, user=user))
    log = open(os.path.join(tmp, "griotd.log"), "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen([args.griotd, "-c", ini], stdout=log,
                            stderr=subprocess.STDOUT, cwd=tmp)
    while time.monotonic() - t0 < 600:
        if proc.poll() is not None:
            sys.exit("griotd exited:\n" + open(log.name).read())
        if open(log.name).read().count("listening on") >= 2:
            break
        time.sleep(0.1)
    else:
        proc.kill()
        sys.exit("griotd did not start")
    print("griotd up in %.1f s on %s" % (time.monotonic() - t0, args.store))
    return proc, gemini, gopher


def table(title, pages):
    print("\n%s: %d answers" % (title, len(pages)))
    print("| kind | answers | largest (bytes) | at 9.6 kbit/s | largest at |")
    print("| --- | ---: | ---: | ---: | --- |")
    for kind in KINDS + ("other",):
        of = [p for p in pages if p.kind == kind]
        if not of:
            continue
        big = max(of, key=lambda p: p.size)
        print("| %s | %d | %d | %.1f s | `%s` |" % (
            kind, len(of), big.size, big.size * 8 / LINK, big.url))
    bad = [p for p in pages if p.problems]
    if bad:
        print("problems on %d answers, first: %s %s" % (len(bad), bad[0].url,
                                                         bad[0].problems[:1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--griotd", default=os.environ.get(
        "GRIOTD", os.path.join(HERE, "..", "_build", "default", "src", "griotd")))
    ap.add_argument("--page-size", type=int, default=0)
    ap.add_argument("--width", type=int, default=67)
    ap.add_argument("--hostname", default="localhost")
    ap.add_argument("--search", default="sécurité")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="griot-crawl-")
    proc = None
    try:
        proc, gemini, gopher = start(args, tmp)
        q = urllib.parse.quote(args.search, safe="")
        everything = []
        for prefix, enc in VIEWS:
            t0 = time.monotonic()
            pages = gc.crawl_gopher(gopher, prefix, enc,
                                    extra=[prefix + "/search?" + q])
            table("Gopher %s (%.0f s)" % (prefix or "/", time.monotonic() - t0), pages)
            everything += pages
        t0 = time.monotonic()
        pages = gc.crawl_gemini(gemini, extra=["/search?" + q])
        table("Gemini (%.0f s)" % (time.monotonic() - t0), pages)
        everything += pages
        lists = [p for p in everything if p.kind != "feed"]
        big = max(lists, key=lambda p: p.size)
        print("\nlargest menu or index page of all: %d bytes (%.1f s at 9.6 kbit/s), %s"
              % (big.size, big.size * 8 / LINK, big.url))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
