# griot: end-to-end tests of operating griotd.  Copyright (c) 2026 the griot developers; ISC licence.
"""Operating the real griotd: the command line, checks, reloads, privileges.

-t on broken ini files (tests/e2e/configs/), -T read back by -t, -q equal
to what the sockets answer, -F equal to the served certificate, -h and bad
options; SIGHUP with a new article and a changed ini while a slow client
stays connected, SIGHUP with a broken ini, a file dropped into the store
without a signal, SIGTERM during a long transfer, the access log's
escaping, -d with a pidfile (closed, removed at exit), the store folder
replaced or its symbolic link switched without a signal, and (as root)
the drop to nobody, the store read only after it, and the refusal to run
as root.
"""

import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

CONFIGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs")
GPSA = "2024-11-28-gpsa-paix-securite"

NEW_ARTICLE = """\
Title: Un nouvel article après le signal
Date: 2026-03-01
Category: Essais

Le contenu arrive sans redémarrage : c’est le but.
"""


def run(args, env_extra=None, timeout=60, stdin=None, cwd=None):
    """Run griotd with "args"; return (status, stdout bytes, stderr text)."""
    env = dict(os.environ)
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([gt.griotd()] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout, env=env, cwd=cwd,
                       stdin=stdin if stdin is not None else subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


# As root, -t counts "user unset" as an error: these checks are about the
# file, so allow root for them (griotd(8), ENVIRONMENT).
ALLOW = {"GRIOT_ALLOW_ROOT": "1"}


def served_cert_sha256(port):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            return hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()


def wait_for(cond, timeout=10.0):
    """Poll "cond" every 50 ms until true or "timeout" seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


# ---------------------------------------------------------------------
# griotd -t on broken files

def test_broken_configs():
    names = sorted(f for f in os.listdir(CONFIGS) if f.endswith(".ini"))
    gt.ok(len(names) >= 10, "at least ten broken ini files", got=len(names))
    for name in names:
        d = tempfile.mkdtemp(prefix="griot-ops-")
        try:
            os.makedirs(os.path.join(d, "articles"))
            os.makedirs(os.path.join(d, "pages"))
            shutil.copy(gt.testdata("articles", GPSA + ".txt"),
                        os.path.join(d, "articles"))
            with open(os.path.join(CONFIGS, name), encoding="utf-8") as f:
                text = f.read()
            subst = {"@GEMINI_PORT@": str(gt.free_port()),
                     "@GOPHER_PORT@": str(gt.free_port()),
                     "@DIR@": os.path.realpath(d)}
            for k, v in subst.items():
                text = text.replace(k, v)
            expects = [l[len("; expect: "):] for l in text.splitlines()
                       if l.startswith("; expect: ")]
            want_exit = 1
            for l in text.splitlines():
                if l.startswith("; exit: "):
                    want_exit = int(l[len("; exit: "):])
            path = os.path.join(d, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            rc, out, err = run(["-t", "-c", path], ALLOW)
            gt.ok(rc == want_exit, "%s: -t exits %d" % (name, want_exit),
                  got=(rc, err[-800:]), want=want_exit)
            for e in expects:
                # Messages start with the file as given (the full path here)
                # or, for checks of the running system, the absolute path.
                gt.ok(e in err, "%s: says %s" % (name, e[:70]), got=err, want=e)
            summary = out.decode("utf-8", "replace")
            gt.ok(summary.startswith(path + ": ") and summary.count("\n") == 1,
                  "%s: one summary line on stdout" % name, got=summary)
            if want_exit == 0:
                gt.ok(": ok; 1 article loaded, 0 skipped, 0 drafts" in summary,
                      "%s: the summary counts the store" % name, got=summary)
        finally:
            shutil.rmtree(d, ignore_errors=True)


def test_port_in_use():
    d = gt.Daemon(start=False, gemini=False)
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", d.gopher_port))
            s.listen(1)
            rc, out, err = run(["-t", "-c", d.ini], ALLOW)
        gt.ok(rc == 1, "-t fails when a port is in use", got=(rc, err))
        gt.ok("[gopher] port: %d on 127.0.0.1 is in use" % d.gopher_port in err,
              "-t names the port in use", got=err)
        gt.ok("in use by process %d, which is not the griotd of this file"
              % os.getpid() in err, "-t names the process holding it", got=err)
        rc, out, err = run(["-t", "-c", d.ini], ALLOW)
        gt.ok(rc == 0 and b": ok; 7 articles loaded" in out,
              "-t passes once the port is free", got=(rc, out, err))
    finally:
        shutil.rmtree(d.dir, ignore_errors=True)


def test_check_while_running():
    """griotd -t && systemctl reload griotd: the running daemon's ports are fine."""
    with gt.Daemon() as d:
        rc, out, err = run(["-t", "-c", d.ini], ALLOW)
        gt.ok(rc == 0 and b": ok;" in out,
              "-t passes against the running daemon's own ini", got=(rc, out, err))
        # The same ports in another ini: that griotd is not this file's.
        other = os.path.join(d.dir, "other.ini")
        shutil.copy(d.ini, other)
        rc, out, err = run(["-t", "-c", other], ALLOW)
        gt.ok(rc == 1 and "which is not the griotd of this file" in err,
              "-t fails when another griotd holds the port",
              got=(rc, err[-400:]))


def test_half_cert():
    d = gt.Daemon(start=False, gopher=False)
    try:
        with open(os.path.join(d.dir, "certs", "cert.pem"), "w") as f:
            f.write("not really a certificate\n")
        rc, out, err = run(["-t", "-c", d.ini], ALLOW)
        gt.ok(rc == 1 and "[gemini] key: " in err and "is missing while" in err,
              "-t: a certificate without its key", got=(rc, err))
    finally:
        shutil.rmtree(d.dir, ignore_errors=True)


def test_dump_roundtrip():
    d = gt.Daemon(start=False)
    other = tempfile.mkdtemp(prefix="griot-ops-")
    try:
        rc, dump1, err = run(["-T", "-c", d.ini])
        gt.ok(rc == 0 and b"[capsule]" in dump1 and b"[server]" in dump1,
              "-T prints the ini", got=(rc, err))
        for key in (b"name = Capsule de test", b"store = " +
                    os.path.realpath(d.dir).encode() + b"/articles",
                    b"port = %d" % d.gemini_port, b"public_port = %d" % d.gopher_port,
                    b"width = 67", b"charset = utf-8", b"latest = 10",
                    b"french_spacing = yes", b"max_article_size = 1M",
                    b"rate_limit = 0", b"auto_cert = yes"):
            gt.ok(key in dump1, "-T shows %s" % key.decode(), got=dump1)
        # Read back from another folder: every path is absolute.
        path = os.path.join(other, "copy.ini")
        with open(path, "wb") as f:
            f.write(dump1)
        rc, out, err = run(["-t", "-c", path], ALLOW)
        gt.ok(rc == 0 and b": ok; 7 articles loaded, 0 skipped" in out,
              "-T output passes -t", got=(rc, out, err))
        rc, dump2, err = run(["-T", "-c", path])
        strip = lambda b: b.split(b"\n", 1)[1]  # noqa: E731 (the path comment)
        gt.ok(rc == 0 and strip(dump1) == strip(dump2),
              "-T of the -T output is the same", got=dump2, want=dump1)
    finally:
        shutil.rmtree(d.dir, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)


def test_usage():
    rc, out, err = run(["-h"])
    gt.ok(rc == 0 and out.startswith(b"usage: griotd"), "-h prints the usage",
          got=(rc, out))
    rc, out, err = run(["-x"])
    gt.ok(rc == 2 and "usage: griotd" in err, "an unknown option exits 2",
          got=(rc, err))
    rc, out, err = run(["-t", "-T"])
    gt.ok(rc == 2, "-t and -T together exit 2", got=(rc, err))
    rc, out, err = run(["-t", "-c", "/nonexistent/griot.ini"])
    gt.ok(rc == 1 and "/nonexistent/griot.ini: No such file or directory" in err,
          "a missing ini is named", got=(rc, err))


# ---------------------------------------------------------------------
# -q and -F against the sockets

def test_query_and_fingerprint():
    with gt.Daemon() as d:
        gbase = "gemini://localhost:%d" % d.gemini_port
        for path in ("/", "/articles/%s.gmi" % GPSA, "/categories/",
                     "/search?s%C3%A9curit%C3%A9", "/nowhere", "/atom.xml"):
            rc, out, err = run(["-q", gbase + path, "-c", d.ini])
            got = gt.gemini(d.gemini_port, gbase + path)
            gt.ok(rc == 0 and out == got and len(out) > 0,
                  "-q %s: the same bytes as the socket" % path,
                  got=out[:200], want=got[:200])
        gopher_cases = (
            ("", ""),
            ("/1/", "/"),
            ("/0/articles/%s.txt" % GPSA, "/articles/%s.txt" % GPSA),
            ("/1/ascii/", "/ascii/"),
            ("/7/search%09s%C3%A9curit%C3%A9", "/search\tsécurité"),
            ("/0/caps.txt", "/caps.txt"),
            ("/1/nowhere", "/nowhere"),
        )
        for urlpath, selector in gopher_cases:
            url = "gopher://localhost:%d%s" % (d.gopher_port, urlpath)
            rc, out, err = run(["-q", url, "-c", d.ini])
            got = gt.gopher(d.gopher_port, selector)
            gt.ok(rc == 0 and out == got and len(out) > 0,
                  "-q %s: the same bytes as the socket" % url,
                  got=out[:200], want=got[:200])
        rc, out, err = run(["-q", "ftp://localhost/", "-c", d.ini])
        gt.ok(rc == 1 and out == b"" and "gopher:// or http://" in err,
              "-q refuses other schemes", got=(rc, out, err))

        rc, out, err = run(["-F", "-c", d.ini])
        want = "SHA256:" + served_cert_sha256(d.gemini_port)
        gt.ok(rc == 0 and out.decode().strip() == want,
              "-F prints the served certificate's fingerprint",
              got=out, want=want)
        gt.ok(want.split(":")[1] in d.read_log(),
              "the generated certificate's fingerprint was logged")


def test_query_without_cert():
    d = gt.Daemon(start=False)
    try:
        rc, out, err = run(["-q", "gemini://localhost:%d/" % d.gemini_port,
                            "-c", d.ini])
        gt.ok(rc == 0 and out.startswith(b"20 text/gemini"),
              "-q needs no certificate", got=(rc, out[:80], err))
        gt.ok(os.listdir(os.path.join(d.dir, "certs")) == [],
              "-q generates no certificate")
    finally:
        shutil.rmtree(d.dir, ignore_errors=True)


# ---------------------------------------------------------------------
# Reloads

def test_sighup():
    with gt.Daemon() as d:
        gurl = "gemini://localhost:%d" % d.gemini_port
        new_id = "2026-03-01-apres-le-signal"
        # A slow client: connected, half a request sent.
        slow = socket.create_connection(("127.0.0.1", d.gopher_port), timeout=10)
        slow.sendall(b"/caps")

        # A new article and a new name, then SIGHUP.
        with open(d.ini, encoding="utf-8") as f:
            ini = f.read()
        with open(d.ini, "w", encoding="utf-8") as f:
            f.write(ini.replace("name = Capsule de test",
                                "name = Capsule renommée"))
        gt.write_atomic(os.path.join(d.dir, "articles", new_id + ".txt"),
                     NEW_ARTICLE)
        n = d.read_log().count("reloaded:")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("reloaded:", n + 1), "SIGHUP: reloaded",
              got=d.read_log()[-2000:])

        resp = gt.gemini(d.gemini_port, gurl + "/articles/%s.gmi" % new_id)
        gt.ok(resp.startswith(b"20 ") and
              "# Un nouvel article après le signal".encode() in resp,
              "SIGHUP: the new article over Gemini", got=resp[:200])
        resp = gt.gopher(d.gopher_port, "/articles/%s.txt" % new_id)
        gt.ok("Un nouvel article après le signal".encode() in resp,
              "SIGHUP: the new article over Gopher", got=resp[:200])
        resp = gt.gemini(d.gemini_port, gurl + "/")
        gt.ok("# Capsule renommée".encode() in resp,
              "SIGHUP: the ini change applies", got=resp[:200])
        resp = gt.gopher(d.gopher_port, "")
        gt.ok("Capsule renommée".encode() in resp,
              "SIGHUP: the ini change applies to Gopher too", got=resp[:300])

        # The slow client finishes its request and gets its answer.
        slow.sendall(b".txt\r\n")
        got = []
        while True:
            b = slow.recv(65536)
            if not b:
                break
            got.append(b)
        slow.close()
        resp = b"".join(got)
        gt.ok(resp.startswith(b"CAPS") and resp.endswith(b".\r\n"),
              "a connection open across SIGHUP completes", got=resp[:100])

        # A setting that needs a restart is named, and kept.
        with open(d.ini, encoding="utf-8") as f:
            ini = f.read()
        with open(d.ini, "w", encoding="utf-8") as f:
            f.write(ini.replace("workers = 2", "workers = 3"))
        n = d.read_log().count("reloaded:")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("reloaded:", n + 1), "SIGHUP again: reloaded")
        gt.ok("[server] workers: changed; the running daemon keeps the old "
              "value until it is restarted" in d.read_log(),
              "a change that needs a restart is named", got=d.read_log()[-1500:])


def test_sighup_broken():
    with gt.Daemon() as d:
        with open(d.ini, encoding="utf-8") as f:
            good = f.read()
        bad = good.replace("width = 67", "width = soixante\nprot = 1") \
                  .replace("name = Capsule de test", "name = Cassée")
        with open(d.ini, "w", encoding="utf-8") as f:
            f.write(bad)
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("not reloaded"), "SIGHUP with a broken ini: not reloaded",
              got=d.read_log()[-2000:])
        log = d.read_log()
        gt.ok('[gopher] width: "soixante" is not a number' in log,
              "the log says why (bad value)", got=log[-2000:])
        gt.ok('[gopher] prot: unknown key (did you mean "port"?)' in log,
              "the log says why (unknown key)", got=log[-2000:])
        resp = gt.gopher(d.gopher_port, "")
        gt.ok(b"Capsule de test" in resp and "Cassée".encode() not in resp,
              "the old configuration still serves", got=resp[:300])
        # Said once, by the one who knows why (not again by the server).
        n = d.read_log().count("still serving the previous")
        gt.ok(n == 1, "a failed reload is logged once", got=n)
        resp = gt.gemini(d.gemini_port, "gemini://localhost:%d/articles/%s.gmi"
                      % (d.gemini_port, GPSA))
        gt.ok(resp.startswith(b"20 "), "the old store still serves",
              got=resp[:100])

        # A store that vanished: the reload fails, the old one serves.
        with open(d.ini, "w", encoding="utf-8") as f:
            f.write(good.replace("store = articles", "store = disparu"))
        n = d.read_log().count("not reloaded")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("not reloaded", n + 1),
              "SIGHUP with a missing store: not reloaded")
        gt.ok("[capsule] store: " in d.read_log() and "disparu" in d.read_log(),
              "the log names the store")
        resp = gt.gopher(d.gopher_port, "/articles/%s.txt" % GPSA)
        gt.ok(len(resp) > 1000, "the old store still serves", got=resp[:100])


def test_inotify():
    with gt.Daemon() as d:
        new_id = "2026-03-02-sans-signal"
        gt.write_atomic(os.path.join(d.dir, "articles", new_id + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "sans signal"))
        found = wait_for(lambda: b"sans signal" in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id), timeout=10)
        gt.ok(found, "a file dropped into the store appears without a signal")
        resp = gt.gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port)
        gt.ok(("/articles/%s.gmi" % new_id).encode() in resp,
              "and on the Gemini home page", got=resp[:400])
        os.unlink(os.path.join(d.dir, "articles", new_id + ".txt"))
        gone = wait_for(lambda: gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id).startswith(b"3"),
            timeout=10)
        gt.ok(gone, "a removed file disappears without a signal")


def test_symlinked_store():
    """store names a symbolic link; a new copy is published by switching it."""
    d = gt.Daemon(start=False)
    art = os.path.join(d.dir, "articles")
    v1, v2 = os.path.join(d.dir, "v1"), os.path.join(d.dir, "v2")
    os.rename(art, v1)
    shutil.copytree(v1, v2)
    os.chmod(v2, 0o755)
    second = "2026-03-06-deuxieme-copie"
    gt.write_atomic(os.path.join(v2, second + ".txt"),
                 NEW_ARTICLE.replace("après le signal", "de la deuxième copie"))
    old = "/articles/2026-03-08-ancienne-copie.txt"
    gt.write_atomic(os.path.join(v1, os.path.basename(old)), NEW_ARTICLE)
    os.symlink("v1", art)
    d.start()
    with d:
        sel = "/articles/%s.txt" % second
        gt.ok(gt.gopher(d.gopher_port, sel).startswith(b"3") and
              not gt.gopher(d.gopher_port, old).startswith(b"3"),
              "symlinked store: the first copy is served")
        os.symlink("v2", art + ".new")
        os.rename(art + ".new", art)
        n = d.read_log().count("reloaded:")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("reloaded:", n + 1), "symlinked store: SIGHUP reloads")
        gt.ok("deuxième copie".encode() in gt.gopher(d.gopher_port, sel),
              "symlinked store: after the switch and SIGHUP, the new copy is served")
        third = "2026-03-07-apres-la-bascule"
        gt.write_atomic(os.path.join(v2, third + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "après la bascule"))
        found = wait_for(lambda: "après la bascule".encode() in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % third), timeout=10)
        gt.ok(found, "symlinked store: a file dropped into the new copy appears "
              "without a signal (the watch followed the link)", got=d.read_log()[-800:])
        gt.ok(gt.gopher(d.gopher_port, old).startswith(b"3"),
              "symlinked store: the first copy is no longer served")


def test_store_replaced():
    """The store folder moved aside and copied back (mv, cp -r): no signal."""
    with gt.Daemon() as d:
        art = os.path.join(d.dir, "articles")
        # The next version, made aside, with one article more.
        stage = os.path.join(d.dir, "stage")
        shutil.copytree(art, stage)
        new_id = "2026-03-11-dans-la-copie"
        gt.write_atomic(os.path.join(stage, new_id + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "dans la copie"))
        n = d.read_log().count("store changed")
        os.rename(art, art + ".old")
        gt.ok(d.wait_log("watching for the folder to come back"),
              "replaced store: its absence is said", got=d.read_log()[-1500:])
        gt.ok(len(gt.gopher(d.gopher_port, "/articles/%s.txt" % GPSA)) > 1000,
              "replaced store: the previous snapshot serves meanwhile")
        subprocess.run(["cp", "-r", stage, art], check=True)
        os.chmod(art, 0o755)
        gt.ok(d.wait_log("store changed", n + 1),
              "replaced store: read again once back, without a signal",
              got=d.read_log()[-1500:])
        gt.ok(wait_for(lambda: "dans la copie".encode() in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id)),
            "replaced store: an article of the new folder is served")
        m = d.read_log().count("store changed")
        later = "2026-03-12-plus-tard"
        gt.write_atomic(os.path.join(art, later + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "plus tard"))
        gt.ok(d.wait_log("store changed", m + 1),
              "replaced store: the new folder is watched",
              got=d.read_log()[-1500:])
        gt.ok(wait_for(lambda: "plus tard".encode() in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % later)),
            "replaced store: a file dropped into it is served")
        gt.ok("not reloaded" not in d.read_log(),
              "replaced store: no failed reload while it was gone",
              got=d.read_log()[-1500:])


def test_store_link_switched():
    """The usual atomic deploy: ln -s new tmp && mv -T tmp articles."""
    d = gt.Daemon(start=False)
    art = os.path.join(d.dir, "articles")
    v1, v2 = os.path.join(d.dir, "v1"), os.path.join(d.dir, "v2")
    os.rename(art, v1)
    os.symlink("v1", art)
    d.start()
    with d:
        shutil.copytree(v1, v2)
        os.chmod(v2, 0o755)
        new_id = "2026-03-13-apres-le-lien"
        gt.write_atomic(os.path.join(v2, new_id + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "après le lien"))
        n = d.read_log().count("store changed")
        subprocess.run(["ln", "-s", "v2", art + ".tmp"], check=True)
        subprocess.run(["mv", "-T", art + ".tmp", art], check=True)
        gt.ok(d.wait_log("store changed", n + 1),
              "link switched: read again without a signal",
              got=d.read_log()[-1500:])
        gt.ok(wait_for(lambda: "après le lien".encode() in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id)),
            "link switched: the new target's article is served")
        m = d.read_log().count("store changed")
        later = "2026-03-14-dans-la-cible"
        gt.write_atomic(os.path.join(v2, later + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "dans la cible"))
        gt.ok(d.wait_log("store changed", m + 1),
              "link switched: the new target is watched",
              got=d.read_log()[-1500:])

    # A link above the store's own folder is followed too (by the timer).
    d = gt.Daemon(start=False)
    with open(d.ini, encoding="utf-8") as f:
        ini = f.read()
    with open(d.ini, "w", encoding="utf-8") as f:
        f.write(ini.replace("store = articles", "store = current/articles"))
    for rel in ("rel1", "rel2"):
        os.makedirs(os.path.join(d.dir, rel))
        os.chmod(os.path.join(d.dir, rel), 0o755)
        shutil.copytree(os.path.join(d.dir, "articles"),
                        os.path.join(d.dir, rel, "articles"))
        os.chmod(os.path.join(d.dir, rel, "articles"), 0o755)
    new_id = "2026-03-15-nouvelle-version"
    gt.write_atomic(os.path.join(d.dir, "rel2", "articles", new_id + ".txt"),
                 NEW_ARTICLE.replace("après le signal", "nouvelle version"))
    cur = os.path.join(d.dir, "current")
    os.symlink("rel1", cur)
    d.start()
    with d:
        n = d.read_log().count("store changed")
        os.symlink("rel2", cur + ".tmp")
        os.rename(cur + ".tmp", cur)
        gt.ok(d.wait_log("store changed", n + 1),
              "link above the store switched: read again without a signal",
              got=d.read_log()[-1500:])
        gt.ok(wait_for(lambda: "nouvelle version".encode() in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id)),
            "link above the store switched: the new release is served")


def test_sigterm_queued():
    """Requests the kernel queued before SIGTERM are answered, not reset.

    griotd is stopped (SIGSTOP) while 20 clients connect and send their
    request, so that they wait in the listening sockets' queues; then it
    gets SIGTERM and goes on.  Behind a load balancer such a request is
    lost for good if it is reset: the balancer already saw the connect."""
    d = gt.Daemon(gemini=False)
    socks = []
    try:
        os.kill(d.proc.pid, signal.SIGSTOP)
        for i in range(20):
            s = socket.socket()
            s.settimeout(15)
            s.connect(("127.0.0.1", d.gopher_port))
            s.sendall(b"/\r\n")
            socks.append(s)
        os.kill(d.proc.pid, signal.SIGTERM)
        os.kill(d.proc.pid, signal.SIGCONT)
        whole = 0
        for s in socks:
            got = []
            try:
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    got.append(b)
            except OSError:
                pass
            if b"".join(got).endswith(b".\r\n"):
                whole += 1
        gt.ok(whole == 20, "every request queued before SIGTERM is answered",
              got=whole)
        try:
            rc = d.proc.wait(15)
        except subprocess.TimeoutExpired:
            rc = None
        gt.ok(rc == 0, "griotd exits 0 after SIGTERM", got=rc)
    finally:
        for s in socks:
            s.close()
        if d.proc.poll() is None:
            os.kill(d.proc.pid, signal.SIGCONT)
        d.stop()
        shutil.rmtree(d.dir, ignore_errors=True)


def test_sigterm_transfer():
    big = "Title: Un très long article\nDate: 2026-03-03\n\n" + \
        ("Une phrase assez longue pour remplir la page, encore et encore ; "
         "elle se répète.\n\n") * 9000
    d = gt.Daemon(articles={"2026-03-03-long.txt": big, GPSA + ".txt":
                            open(gt.testdata("articles", GPSA + ".txt"),
                                 encoding="utf-8").read()})
    try:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(10)
        s.connect(("127.0.0.1", d.gopher_port))
        s.sendall(b"/articles/2026-03-03-long.txt\r\n")
        first = s.recv(1024)
        gt.ok(len(first) > 0, "a long transfer started")
        d.signal(signal.SIGTERM)
        gt.ok(d.wait_log("stopping"), "SIGTERM: stopping", got=d.read_log()[-500:])
        got = [first]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            time.sleep(0.001)
            b = s.recv(8192)
            if not b:
                break
            got.append(b)
        s.close()
        resp = b"".join(got)
        gt.ok(len(resp) > 700000 and resp.endswith(b".\r\n"),
              "the transfer in flight finished after SIGTERM",
              got=(len(resp), resp[-20:]))
        try:
            rc = d.proc.wait(15)
        except subprocess.TimeoutExpired:
            rc = None
        gt.ok(rc == 0, "griotd exits 0 after SIGTERM", got=rc)
        gt.ok("stopped" in d.read_log(), "and says it stopped")
    finally:
        d.stop()
        shutil.rmtree(d.dir, ignore_errors=True)


# ---------------------------------------------------------------------
# Logs

ACCESS_RE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 '
                       r'(gemini|gopher) "([^"]*)" (\d+) (\d+) (\d+\.\d{3})$')


def test_access_log():
    with gt.Daemon(extra="access_log = access.log") as d:
        path = os.path.join(d.dir, "access.log")
        gt.gopher(d.gopher_port, "", raw=b"/x\x1b[2J\"\\\xff\rFORGED 200\r\n")
        gt.gopher(d.gopher_port, "/caps.txt")
        gt.gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port)
        ok = wait_for(lambda: os.path.exists(path) and
                      open(path, "rb").read().count(b"\n") >= 3, timeout=5)
        gt.ok(ok, "three access-log lines")
        lines = open(path, "rb").read().decode("utf-8").splitlines()
        gt.ok(all(ACCESS_RE.match(l) for l in lines),
              "every line has the documented format", got=lines)
        gt.ok(any(r'"/x\x1b[2J\x22\x5c\xff\x0dFORGED 200"' in l for l in lines),
              "control bytes, quotes, backslashes and bad UTF-8 escaped",
              got=lines)
        gt.ok(any(' gemini "gemini://localhost:%d/" 20 ' % d.gemini_port in l
                  for l in lines), "a Gemini line with its status", got=lines)
        gt.ok(any(' gopher "/caps.txt" 200 ' in l for l in lines),
              "a Gopher line with its status", got=lines)
        gt.ok("gopher \"/caps.txt\"" not in d.read_log(),
              "no access line in the diagnostics")


def test_daemonise():
    d = gt.Daemon(start=False, extra="pidfile = run/griotd.pid", gemini=False)
    pid = None
    try:
        # The pidfile's folder belongs to the serving user, as systemd's
        # RuntimeDirectory= makes it: the user removes the file at exit.
        run_dir = os.path.join(d.dir, "run")
        os.makedirs(run_dir)
        os.chmod(run_dir, 0o755)
        if os.geteuid() == 0:
            os.chown(run_dir, pwd.getpwnam("nobody").pw_uid, -1)
        pidfile = os.path.join(run_dir, "griotd.pid")
        # Started the way an operator does by hand: from the ini's folder,
        # with a relative -c, which the daemon leaves for "/".
        rel = os.path.basename(d.ini)
        rc, out, err = run(["-d", "-c", rel], timeout=30, cwd=os.path.dirname(d.ini))
        gt.ok(rc == 0, "-d: the starting process exits 0", got=(rc, err))
        gt.ok(wait_for(lambda: os.path.exists(pidfile) and
                       open(pidfile).read().strip().isdigit(), 10),
              "-d: the pidfile is written")
        if os.path.exists(pidfile):
            pid = int(open(pidfile).read().strip())
        gt.ok(pid is not None and os.path.exists("/proc/%d" % pid),
              "-d: the pid in it runs", got=pid)
        gt.ok(wait_for(lambda: gt.gopher(d.gopher_port, "/caps.txt")
                       .startswith(b"CAPS"), 10) if pid else False,
              "-d: it serves")
        if pid:
            with open("/proc/%d/status" % pid) as f:
                ppid = [l.split()[1] for l in f if l.startswith("PPid:")][0]
            gt.ok(ppid != str(os.getpid()), "-d: detached from its parent")
            fds = [os.readlink(os.path.join("/proc/%d/fd" % pid, fd))
                   for fd in os.listdir("/proc/%d/fd" % pid)]
            gt.ok(not any(os.path.basename(pidfile) in t for t in fds),
                  "-d: no descriptor on the pidfile in the running daemon",
                  got=fds)
        if pid:
            # griotd -t && reload, as the manual says: the daemon's
            # relative -c names nothing from "/", its pidfile tells.
            rc, out, err = run(["-t", "-c", rel], ALLOW, cwd=os.path.dirname(d.ini))
            gt.ok(rc == 0 and b": ok;" in out,
                  "-d with a relative -c: -t passes against it", got=(rc, out, err))
            # A reload reads the same file again: a new name shows.
            with open(d.ini, encoding="utf-8") as f:
                text = f.read()
            with open(d.ini, "w", encoding="utf-8") as f:
                f.write(text.replace("name = Capsule de test",
                                     "name = Capsule relue"))
            os.kill(pid, signal.SIGHUP)
            gt.ok(wait_for(lambda: b"Capsule relue" in gt.gopher(d.gopher_port, ""),
                           10),
                  "-d with a relative -c: SIGHUP reads the ini again",
                  got=gt.gopher(d.gopher_port, "")[:200])
            with open(d.ini, "w", encoding="utf-8") as f:
                f.write(text)
        # A second griotd with the same pidfile is refused.
        other = gt.free_port()
        with open(d.ini, encoding="utf-8") as f:
            ini2 = f.read().replace("port = %d" % d.gopher_port,
                                    "port = %d" % other)
        ini2_path = os.path.join(d.dir, "second.ini")
        with open(ini2_path, "w", encoding="utf-8") as f:
            f.write(ini2)
        rc, out, err = run(["-c", ini2_path], timeout=30)
        gt.ok(rc == 1 and "another griotd holds it (pid %d)" % (pid or 0) in err,
              "a second griotd with the same pidfile is refused", got=(rc, err))
        gt.ok(os.path.exists(pidfile) and
              open(pidfile).read().strip() == str(pid),
              "and the pidfile still names the first")
        if pid:
            os.kill(pid, signal.SIGTERM)
            gone = wait_for(lambda: not os.path.exists("/proc/%d" % pid), 15)
            gt.ok(gone, "-d: SIGTERM stops it")
            gt.ok(gone and not os.path.exists(pidfile),
                  "-d: the pidfile is removed at exit", got=os.listdir(run_dir))
            pid = None if gone else pid
    finally:
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            wait_for(lambda: not os.path.exists("/proc/%d" % pid) or
                     "Z" in open("/proc/%d/stat" % pid).read().split()[2], 10)
        shutil.rmtree(d.dir, ignore_errors=True)


def test_pidfile_removal():
    """At exit the serving user removes the pidfile, inside a chroot too."""
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: the pidfile's owner is not tested")
        return
    group = gt.root_group()
    nobody = pwd.getpwnam("nobody").pw_uid
    # In a folder of the serving user, inside the chroot: removed.
    d = gt.Daemon(start=False, gemini=False, extra="user = nobody\n"
                  "group = %s\nchroot = .\npidfile = run/griotd.pid" % group)
    try:
        run_dir = os.path.join(d.dir, "run")
        os.makedirs(run_dir)
        os.chown(run_dir, nobody, -1)
        d.start()
        pidfile = os.path.join(run_dir, "griotd.pid")
        gt.ok(open(pidfile).read().strip() == str(d.proc.pid),
              "chroot: the pidfile holds the pid")
        # (No exit status here: LeakSanitizer cannot run without /proc.)
        d.stop()
        gt.ok(not os.path.exists(pidfile),
              "chroot: the pidfile is removed at exit, from inside",
              got=d.read_log()[-1000:])
    finally:
        d.stop()
        shutil.rmtree(d.dir, ignore_errors=True)
    # In root's folder: it stays, and the log says why.
    d = gt.Daemon(start=False, gemini=False, extra="pidfile = griotd.pid")
    try:
        d.start()
        gt.ok(d.stop() == 0, "root's folder: SIGTERM stops it")
        gt.ok("griotd.pid: not removed" in d.read_log() and
              "needs to own its folder" in d.read_log(),
              "root's folder: the log says why the pidfile stays",
              got=d.read_log()[-1000:])
    finally:
        d.stop()
        shutil.rmtree(d.dir, ignore_errors=True)


def test_daemonise_failure():
    """-d: a daemon that stops while starting makes the start fail."""
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: needs a store nobody cannot read")
        return
    d = gt.Daemon(start=False, gemini=False)
    try:
        os.chmod(os.path.join(d.dir, "articles"), 0o700)
        rc, out, err = run(["-d", "-c", d.ini], timeout=30)
        gt.ok(rc == 1 and "stopped while starting" in err,
              "-d: a store the user cannot read makes the start fail",
              got=(rc, err))
    finally:
        shutil.rmtree(d.dir, ignore_errors=True)


# ---------------------------------------------------------------------
# Privileges (as root only)

def proc_ids(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return [int(x) for x in line.split()[1:]]
    return []


def test_root_drop():
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: the privilege drop is not tested")
        return
    nobody = pwd.getpwnam("nobody")
    group = gt.root_group()
    import grp
    gid = grp.getgrnam(group).gr_gid
    with gt.Daemon(extra="user = nobody\ngroup = %s" % group) as d:
        for sub in ("", "articles", "pages"):
            os.chmod(os.path.join(d.dir, sub), 0o755)
        pid = d.proc.pid
        gt.ok(proc_ids(pid, "Uid") == [nobody.pw_uid] * 4,
              "the serving process runs as nobody (real, effective, saved, fs)",
              got=proc_ids(pid, "Uid"))
        gt.ok(proc_ids(pid, "Gid") == [gid] * 4, "and in group %s" % group,
              got=proc_ids(pid, "Gid"))
        gt.ok(proc_ids(pid, "Groups") == [gid], "with no other group",
              got=proc_ids(pid, "Groups"))
        gt.ok("running as user nobody" in d.read_log(), "and says so")
        new_id = "2026-03-04-lu-par-nobody"
        gt.write_atomic(os.path.join(d.dir, "articles", new_id + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "lu par nobody"))
        gt.ok(wait_for(lambda: b"lu par nobody" in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id), 10),
            "nobody still reads the store (a new file appears)")


def test_root_only_article():
    """The store is read after the drop: a file of root's is never served."""
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: a root-only article needs root")
        return
    secret = "2026-03-16-reserve-a-root"
    d = gt.Daemon(start=False)
    path = os.path.join(d.dir, "articles", secret + ".txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(NEW_ARTICLE.replace("après le signal", "réservé à root"))
    os.chown(path, 0, 0)
    os.chmod(path, 0o600)
    d.start()
    with d:
        gt.ok("user = nobody" in open(d.ini).read(), "root-only: served as nobody")
        resp = gt.gopher(d.gopher_port, "/articles/%s.txt" % secret)
        gt.ok(resp.startswith(b"3") and "réservé".encode() not in resp,
              "root-only: not served from the first request on", got=resp[:200])
        resp = gt.gemini(d.gemini_port, "gemini://localhost:%d/articles/%s.gmi"
                      % (d.gemini_port, secret))
        gt.ok(resp.startswith(b"51"), "root-only: not over Gemini either",
              got=resp[:200])
        menu = gt.gopher(d.gopher_port, "")
        gt.ok(secret.encode() not in menu and
              "réservé".encode() not in menu, "root-only: not listed",
              got=menu[:600])
        gt.ok(secret in d.read_log() and "Permission denied" in d.read_log(),
              "root-only: the log says it cannot be read",
              got=d.read_log()[-1500:])


def test_chroot():
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: chroot is not tested")
        return
    group = gt.root_group()
    with gt.Daemon(extra="user = nobody\ngroup = %s\nchroot = ." % group) as d:
        pid = d.proc.pid
        root = os.readlink("/proc/%d/root" % pid)
        gt.ok(root == os.path.realpath(d.dir), "chroot: the root is the capsule",
              got=root, want=os.path.realpath(d.dir))
        resp = gt.gemini(d.gemini_port, "gemini://localhost:%d/articles/%s.gmi"
                      % (d.gemini_port, GPSA))
        gt.ok(resp.startswith(b"20 "), "chroot: Gemini serves", got=resp[:80])
        new_id = "2026-03-05-dans-la-prison"
        gt.write_atomic(os.path.join(d.dir, "articles", new_id + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "dans la prison"))
        gt.ok(wait_for(lambda: b"dans la prison" in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id), 10),
            "chroot: a new file appears without a signal")
        n = d.read_log().count("store changed")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("cannot be reached; reloading the store only"),
              "chroot: SIGHUP says the ini cannot be read again",
              got=d.read_log()[-1500:])
        gt.ok(d.wait_log("store changed", n + 1), "chroot: SIGHUP reloads the store",
              got=d.read_log()[-1500:])
        # The store folder replaced as a whole: watched again from inside.
        art = os.path.join(d.dir, "articles")
        os.rename(art, art + ".old")
        shutil.copytree(art + ".old", art)
        os.chmod(art, 0o755)
        gt.ok(d.wait_log("store changed", n + 2), "chroot: a replaced store folder is seen",
              got=d.read_log()[-1500:])
        new_id = "2026-03-10-dossier-neuf"
        gt.write_atomic(os.path.join(art, new_id + ".txt"),
                     NEW_ARTICLE.replace("après le signal", "dans le dossier neuf"))
        gt.ok(wait_for(lambda: "dossier neuf".encode() in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % new_id), 10),
            "chroot: the new folder is watched from inside the chroot",
            got=d.read_log()[-1500:])


def test_root_refused():
    if os.geteuid() != 0:
        gt.ok(True, "# SKIP not root: the refusal to run as root is not tested")
        return
    d = gt.Daemon(start=False, extra="")
    try:
        with open(d.ini, encoding="utf-8") as f:
            ini = f.read()
        ini = re.sub(r"(?m)^(user|group) = .*\n", "", ini)
        with open(d.ini, "w", encoding="utf-8") as f:
            f.write(ini)
        env = {k: v for k, v in os.environ.items() if k != "GRIOT_ALLOW_ROOT"}
        p = subprocess.run([gt.griotd(), "-c", d.ini], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30, env=env,
                           stdin=subprocess.DEVNULL)
        err = p.stderr.decode("utf-8", "replace")
        gt.ok(p.returncode == 1 and "refuses to keep running as root" in err,
              "root without user: refused", got=(p.returncode, err))
        gt.ok("listening" not in err, "before binding anything", got=err)
        with socket.socket() as s:
            s.bind(("127.0.0.1", d.gopher_port))
            gt.ok(True, "the port is still free")
    finally:
        shutil.rmtree(d.dir, ignore_errors=True)


def main():
    test_usage()
    test_broken_configs()
    test_port_in_use()
    test_check_while_running()
    test_half_cert()
    test_dump_roundtrip()
    test_query_without_cert()
    test_query_and_fingerprint()
    test_sighup()
    test_sighup_broken()
    test_inotify()
    test_symlinked_store()
    test_store_replaced()
    test_store_link_switched()
    test_sigterm_queued()
    test_sigterm_transfer()
    test_access_log()
    test_daemonise()
    test_daemonise_failure()
    test_pidfile_removal()
    test_root_drop()
    test_root_only_article()
    test_chroot()
    test_root_refused()
    gt.done()


if __name__ == "__main__":
    main()
