# griot: end-to-end tests of what a fleet of griotd shares.  Copyright (c) 2026 the griot developers; ISC licence.
"""Shared session tickets, key rotation, certificate renewal and store
polling, against the real griotd, without a load balancer in front.

Two instances with the same ticket key file resume each other's
sessions; a SIGHUP reads a rotated key file (the penultimate key
encrypts, so an instance not yet signalled still resumes what a
signalled one issued); a renewed certificate is served after SIGHUP and
a broken pair leaves the old one serving; a change that inotify cannot
see (made through a hard link from another folder, as a change on a
network mount made by another machine) is found by store_scan_interval.
"""

import base64
import hashlib
import os
import pwd
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

TLS13 = ssl.TLSVersion.TLSv1_3
TLS12 = ssl.TLSVersion.TLSv1_2


def client_ctx(maxver=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if maxver is not None:
        ctx.maximum_version = maxver
    return ctx


# Python resumes a session only through the context that made it.
CTX = {None: client_ctx(), TLS13: client_ctx(TLS13), TLS12: client_ctx(TLS12)}


def fetch(port, session=None, ctx=None, path="/", timeout=10):
    """One Gemini request: (answer, session, reused, sha256 of the certificate)."""
    ctx = ctx or CTX[None]
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as t:
            reused = t.session_reused
            der = t.getpeercert(binary_form=True)
            t.sendall(("gemini://localhost:%d%s\r\n" % (port, path)).encode())
            chunks = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    b = t.recv(65536)
                except (ssl.SSLError, OSError):
                    break
                if not b:
                    break
                chunks.append(b)
            # TLS 1.3 tickets come after the handshake: read first.
            sess = t.session
    return b"".join(chunks), sess, reused, hashlib.sha256(der).hexdigest()


def new_key(length=80):
    return base64.b64encode(os.urandom(length)).decode() + "\n"


def for_daemon(path):
    """Under root the daemon drops to nobody, who must read what SIGHUP rereads."""
    if os.geteuid() == 0:
        pw = pwd.getpwnam("nobody")
        os.chown(path, pw.pw_uid, pw.pw_gid)


def write_file(path, text, mode=0o600):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    for_daemon(tmp)
    os.rename(tmp, path)


def make_pair(folder, name):
    """A new ECDSA key and self-signed certificate: (cert path, key path, sha256 of its DER)."""
    cert = os.path.join(folder, name + ".crt")
    key = os.path.join(folder, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "30", "-subj", "/CN=localhost"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                         check=True, stdout=subprocess.PIPE).stdout
    os.chmod(key, 0o600)
    for_daemon(key)
    for_daemon(cert)
    return cert, key, hashlib.sha256(der).hexdigest()


def daemon(cert, key, ticket_keys=None, extra="", start=True):
    """griotd with this pair (and ticket key file)."""
    d = gt.Daemon(start=False, extra=extra)
    with open(d.ini) as f:
        ini = f.read()
    gem = "cert = %s\nkey = %s\nauto_cert = no\n" % (cert, key)
    if ticket_keys is not None:
        gem += "ticket_keys = %s\n" % ticket_keys
    ini = ini.replace("cert = certs/cert.pem\nkey = certs/key.pem\nauto_cert = yes\n", gem)
    with open(d.ini, "w") as f:
        f.write(ini)
    if start:
        d.start()
    return d


def rotate(keyfile):
    """contrib/griot-ticket-keys, without a reload command: its exit status."""
    script = os.path.join(gt.srcdir(), "contrib", "griot-ticket-keys")
    return subprocess.run(["sh", script, "-r", "", keyfile]).returncode


def hup(d, text, count=None):
    """SIGHUP, then wait for the "text" line it must log."""
    n = d.read_log().count(text) if count is None else count
    d.signal(signal.SIGHUP)
    return d.wait_log(text, count=n + 1)


def test_tickets(work):
    cert, key, _ = make_pair(work, "shared")
    keyfile = os.path.join(work, "ticket.keys")
    # The shipped rotation script makes the file, then rotates it.
    gt.ok(rotate(keyfile) == 0, "contrib/griot-ticket-keys makes a key file")
    for_daemon(keyfile)
    with open(keyfile) as f:
        lines = f.read().splitlines()
    gt.ok(len(lines) == 3 and all(len(base64.b64decode(k)) == 80 for k in lines),
          "three AES-256 keys in base64", got=lines)
    a = daemon(cert, key, keyfile)
    b = daemon(cert, key, keyfile)
    other_keys = os.path.join(work, "other.keys")
    write_file(other_keys, "".join(new_key() for _ in range(3)))
    c = daemon(cert, key, other_keys)
    plain = daemon(cert, key)
    with a, b, c, plain:
        for ver in (TLS13, TLS12):
            ctx = CTX[ver]
            data, sess, _, _ = fetch(a.gemini_port, ctx=ctx)
            gt.ok(data.startswith(b"20 ") and sess is not None and sess.has_ticket,
                  "%s: A answers and issues a ticket" % ver.name, got=data[:20])
            data, sess2, reused, _ = fetch(b.gemini_port, session=sess, ctx=ctx)
            gt.ok(reused and data.startswith(b"20 "),
                  "%s: a session issued by A resumes on B (same key file)" % ver.name,
                  got=(reused, data[:20]))
            data, _, reused, _ = fetch(a.gemini_port, session=sess2, ctx=ctx)
            gt.ok(reused and data.startswith(b"20 "),
                  "%s: and the ticket B gave back resumes on A" % ver.name,
                  got=(reused, data[:20]))
            data, _, reused, _ = fetch(c.gemini_port, session=sess, ctx=ctx)
            gt.ok(not reused and data.startswith(b"20 "),
                  "%s: another key file: a full handshake, still served" % ver.name,
                  got=(reused, data[:20]))
            data, _, reused, _ = fetch(plain.gemini_port, session=sess, ctx=ctx)
            gt.ok(not reused and data.startswith(b"20 "),
                  "%s: without ticket_keys the ticket is not taken" % ver.name,
                  got=(reused, data[:20]))
        # Without the setting, resumption stays the in-process cache.
        data, sess, _, _ = fetch(plain.gemini_port)
        data, _, reused, _ = fetch(plain.gemini_port, session=sess)
        gt.ok(reused, "without ticket_keys a session still resumes on its own instance")
        data, _, reused, _ = fetch(a.gemini_port, session=sess)
        gt.ok(not reused and data.startswith(b"20 "),
              "a cache session id from another instance is not resumed", got=reused)

        # Rotation: append k4, drop k1; only A is told at first.
        _, s_old, _, _ = fetch(a.gemini_port)         # made with k2
        gt.ok(rotate(keyfile) == 0, "contrib/griot-ticket-keys rotates the file")
        with open(keyfile) as f:
            now = f.read().splitlines()
        gt.ok(now[:2] == lines[1:] and len(now) == 3 and now[2] not in lines
              and os.stat(keyfile).st_mode & 0o777 == 0o600,
              "it appended a key and dropped the oldest, mode 600", got=now, want=lines)
        gt.ok(hup(a, "3 ticket keys read"), "SIGHUP: A reads the rotated key file")
        _, s_new, _, _ = fetch(a.gemini_port)         # made with k3
        _, _, reused, _ = fetch(b.gemini_port, session=s_new)
        gt.ok(reused, "B, not yet signalled, resumes a session A issued after rotating "
              "(the penultimate key encrypts)")
        gt.ok(hup(b, "3 ticket keys read"), "SIGHUP: B reads the rotated key file")
        _, _, reused, _ = fetch(b.gemini_port, session=s_old)
        gt.ok(reused, "a session made with a key still in the file resumes after rotation")
        # Another rotation: k2 leaves the file.
        gt.ok(rotate(keyfile) == 0, "rotated again")
        gt.ok(hup(b, "3 ticket keys read"), "SIGHUP: B reads the second rotation")
        _, _, reused, _ = fetch(b.gemini_port, session=s_old)
        gt.ok(not reused, "a session whose key left the file is not resumed")
        _, _, reused, _ = fetch(b.gemini_port, session=s_new)
        gt.ok(reused, "a session whose key is still there is")

        # A broken key file on SIGHUP: the previous keys stay.
        with open(keyfile) as f:
            keys = f.read()
        write_file(keyfile, "not base64 at all\n")
        gt.ok(hup(a, "still using the previous ticket keys"),
              "SIGHUP with a broken key file is logged")
        gt.ok("ticket.keys: line 1: not a key in base64" in a.read_log(),
              "the log names the file and the line")
        _, s3, _, _ = fetch(a.gemini_port)
        _, _, reused, _ = fetch(a.gemini_port, session=s3)
        gt.ok(reused, "tickets still work with the previous keys")
        write_file(keyfile, keys)

    # A broken key file at start: griotd does not start.
    write_file(keyfile, new_key(48) + new_key(80))
    d = daemon(cert, key, keyfile, start=False)
    r = subprocess.run([gt.griotd(), "-t", "-c", d.ini], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, cwd=d.dir)
    out = r.stdout.decode("utf-8", "replace")
    gt.ok(r.returncode == 1 and "ticket.keys: line 2: 80 bytes" in out,
          "griotd -t finds the broken key file", got=(r.returncode, out[-300:]))
    try:
        d.start()
        err = "started"
    except RuntimeError as e:
        err = str(e)
    gt.ok("ticket.keys: line 2: 80 bytes, but the first key has 48" in err,
          "mixed key lengths refuse the start, naming the file and line", got=err[-300:])
    d.stop()
    shutil.rmtree(d.dir, ignore_errors=True)
    # AES-128 keys: 48 bytes.
    write_file(keyfile, "".join(new_key(48) for _ in range(3)))
    a = daemon(cert, key, keyfile)
    b = daemon(cert, key, keyfile)
    with a, b:
        _, sess, _, _ = fetch(a.gemini_port)
        data, _, reused, _ = fetch(b.gemini_port, session=sess)
        gt.ok(reused and data.startswith(b"20 "), "48-byte (AES-128) keys: A's session resumes on B")


def test_cert_reload(work):
    folder = os.path.join(work, "pair")
    os.makedirs(folder)
    os.chmod(folder, 0o755)
    cert, key, fp1 = make_pair(folder, "served")
    with daemon(cert, key) as d:
        _, _, _, got = fetch(d.gemini_port)
        gt.ok(got == fp1, "the first certificate is served", got=got, want=fp1)

        # An unchanged pair: nothing logged but the reload.
        gt.ok(hup(d, "reloaded"), "SIGHUP with the same pair")
        log = d.read_log()
        gt.ok("certificate" not in log.split("SIGHUP")[-1],
              "an unchanged pair is not read again, nothing logged about it",
              got=log.split("SIGHUP")[-1][-300:])

        # Renewal: a new key and certificate, renamed into place.
        ncert, nkey, fp2 = make_pair(folder, "renewed")
        os.rename(nkey, key)
        os.rename(ncert, cert)
        gt.ok(hup(d, "new certificate served"), "SIGHUP reads the renewed pair")
        gt.ok("fingerprint SHA256:" + fp2 in d.read_log(), "the log gives its fingerprint")
        _, _, _, got = fetch(d.gemini_port)
        gt.ok(got == fp2, "the renewed certificate is served", got=got, want=fp2)
        fetched = {fetch(d.gemini_port)[3] for _ in range(6)}
        gt.ok(fetched == {fp2}, "by every worker", got=fetched)

        # A broken pair: a certificate whose key is not in the key file.
        bcert, bkey, fp3 = make_pair(folder, "broken")
        os.rename(bcert, cert)
        gt.ok(hup(d, "still serving the previous certificate"),
              "SIGHUP with a mismatched pair is logged")
        gt.ok("not the key of the certificate" in d.read_log(), "and says why")
        data, _, _, got = fetch(d.gemini_port)
        gt.ok(got == fp2 and data.startswith(b"20 "),
              "the previous certificate keeps serving", got=got, want=fp2)

        # A truncated certificate file.
        with open(cert + ".tmp", "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nMIIB\n")
        for_daemon(cert + ".tmp")
        os.rename(cert + ".tmp", cert)
        gt.ok(hup(d, "still serving the previous certificate"),
              "SIGHUP with a truncated certificate is logged")
        data, _, _, got = fetch(d.gemini_port)
        gt.ok(got == fp2 and data.startswith(b"20 "), "the previous certificate still serves",
              got=got, want=fp2)

        # Fixed: the pair that matches again.
        ncert, nkey, fp4 = make_pair(folder, "third")
        os.rename(nkey, key)
        os.rename(ncert, cert)
        gt.ok(hup(d, "new certificate served"), "SIGHUP after the fix reads the pair")
        _, _, _, got = fetch(d.gemini_port)
        gt.ok(got == fp4, "the fixed pair is served", got=got, want=fp4)


def test_store_polling(work):
    """A change that the watched folder never hears of, as on NFS."""
    aside = os.path.join(work, "aside")
    os.makedirs(aside)
    os.chmod(aside, 0o755)
    body = "Title: Avant\nDate: 2026-03-01\n\nPremier texte.\n"

    def setup(d):
        path = os.path.join(d.dir, "articles", "2026-03-01-change.txt")
        other = os.path.join(aside, "%d.txt" % d.gemini_port)
        with open(other, "w") as f:
            f.write(body)
        os.chmod(other, 0o644)
        os.link(other, path)
        return other

    def change(other):
        # Written through the other folder's name: inotify on the store
        # folder reports nothing; size and time change for stat().
        with open(other, "r+") as f:
            f.write(body.replace("Avant", "Apres, bien plus longtemps"))

    sel = "/articles/2026-03-01-change.txt"
    d0 = gt.Daemon(start=False)
    other = setup(d0)
    d0.start()
    with d0 as d:
        gt.ok(b"Avant" in gt.gopher(d.gopher_port, sel), "control: the article is served")
        change(other)
        time.sleep(1.0)  # a negative check: nothing to wait for
        gt.ok(b"Avant" in gt.gopher(d.gopher_port, sel) and "store changed" not in d.read_log(),
              "control: without polling, inotify does not see that change")

    d0 = gt.Daemon(start=False, extra="store_scan_interval = 1\n")
    other = setup(d0)
    d0.start()
    with d0 as d:
        gt.ok(b"Avant" in gt.gopher(d.gopher_port, sel), "polling: the article is served")
        change(other)
        gt.ok(d.wait_log("store changed", timeout=10), "store_scan_interval = 1 finds the change")
        got = gt.gopher(d.gopher_port, sel)
        gt.ok(b"Apres" in got, "and the changed article is served", got=got[:80])
        n = d.read_log().count("store changed")
        path = os.path.join(d.dir, "articles", "2026-03-02-vu.txt")
        with open(path, "w") as f:
            f.write("Title: Vu par inotify\nDate: 2026-03-02\n\nTexte.\n")
        gt.ok(d.wait_log("store changed", count=n + 1), "inotify still works alongside")
        # Several polls go by: a change seen by inotify is not reloaded again.
        m = d.read_log().count("store changed")
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline and d.read_log().count("store changed") == m:
            time.sleep(0.1)
        gt.ok(d.read_log().count("store changed") == m,
              "the poll does not reload what inotify already did",
              got=d.read_log().count("store changed"), want=m)


def main():
    if shutil.which("openssl") is None:
        gt.skip_all("the openssl command is not installed")
    work = tempfile.mkdtemp(prefix="griot-fleet-")
    os.chmod(work, 0o755)
    try:
        test_tickets(work)
        test_cert_reload(work)
        test_store_polling(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    gt.done()


main()
