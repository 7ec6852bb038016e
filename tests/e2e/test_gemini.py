# griot: Gemini request semantics over real TLS.  Copyright (c) 2026 the griot developers; ISC licence.
"""The real griotd over TLS, with Python's ssl module and openssl s_client.

One check per status-code case over the wire, close_notify after every
answer, TLS 1.3 negotiated (1.2 still accepted), a request split over
several TLS records, and the Atom feed parsed by ElementTree.  Stalls,
connection caps and certificates belong to test_server.py.
"""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

GPSA = "2024-11-28-gpsa-paix-securite"
ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(port, data, sni="localhost", tls_max=None, chunks=None, timeout=15):
    """Send one request; return (bytes, clean close_notify?, TLS version)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if tls_max is not None:
        ctx.maximum_version = tls_max
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        # suppress_ragged_eofs=False: a close without close_notify raises.
        with ctx.wrap_socket(raw, server_hostname=sni,
                             suppress_ragged_eofs=False) as s:
            version = s.version()
            if chunks:
                for c in chunks:
                    s.sendall(c)
            else:
                s.sendall(data)
            got = []
            clean = False
            for _ in range(100000):
                try:
                    b = s.recv(65536)
                except ssl.SSLEOFError:
                    break
                except (ConnectionResetError, ssl.SSLError):
                    break
                if not b:
                    clean = True
                    break
                got.append(b)
            return b"".join(got), clean, version


def header(resp):
    i = resp.find(b"\r\n")
    return resp[:i + 2] if i >= 0 else resp


def main():
    with gt.Daemon(gopher=False) as d:
        port = d.gemini_port
        base = "gemini://localhost:%d" % port

        def check(path_or_raw, want_header, what, exact=True, **kw):
            raw = path_or_raw if isinstance(path_or_raw, bytes) else \
                (base + path_or_raw + "\r\n").encode()
            resp, clean, version = fetch(port, raw, **kw)
            if exact:
                gt.ok(resp == want_header, what, got=resp[:200], want=want_header)
            else:
                gt.ok(header(resp) == want_header and len(resp) > len(want_header),
                      what, got=resp[:200], want=want_header)
            gt.ok(clean, what + ": close_notify received")
            return resp, version

        gemtext = b"20 text/gemini; charset=utf-8; lang=fr\r\n"
        resp, version = check("/", gemtext, "20 home page", exact=False)
        gt.ok(version == "TLSv1.3", "TLS 1.3 negotiated", got=version, want="TLSv1.3")
        gt.ok(b"\r" not in resp[len(gemtext):], "gemtext body has LF line ends only")
        gt.ok(("=> /articles/%s.gmi 2024-11-28 " % GPSA).encode() in resp,
              "home page lists the GPSA article as a dated link")
        home = resp

        resp, _ = check(("gemini://localhost:%d\r\n" % port).encode(), gemtext,
                        "20 empty path, no redirect", exact=False)
        gt.ok(resp == home, "empty path and / are the same page")
        check("/", gemtext, "20 over TLS 1.2 too", exact=False,
              tls_max=ssl.TLSVersion.TLSv1_2)
        resp, _ = check("/articles/%s.gmi" % GPSA, gemtext, "20 article", exact=False)
        gt.ok("# Pour la paix et la sécurité, le ministre Robert Dussey".encode()
              in resp, "article title with its accents")
        check(b"", gemtext, "20 request split over several TLS records",
              exact=False, chunks=[b"gemi", b"ni://local",
                                   ("host:%d/categories/" % port).encode(),
                                   b"\r", b"\n"])
        check(("%s/robots.txt\r\ngemini://elsewhere/\r\n" % base).encode(),
              b"20 text/plain; charset=utf-8\r\n",
              "bytes after the first CRLF ignored", exact=False)
        resp, _ = check("/search?s%C3%A9curit%C3%A9", gemtext,
                        "20 search results", exact=False)
        gt.ok(("=> /articles/%s.gmi" % GPSA).encode() in resp,
              "search for 'sécurité' finds the GPSA article")
        utf8 = resp
        resp, _ = check("/search?s%E9curit%E9", gemtext,
                        "20 search typed in Latin-1 (%E9, not UTF-8)", exact=False)
        gt.ok(resp == utf8, "... read as Latin-1: the same answer as in UTF-8",
              got=resp[:200], want=utf8[:200])
        check("/s%E9curit%E9", b"59 Requ\xc3\xaate invalide : URL qui n\xe2\x80\x99est pas "
              b"en UTF-8\r\n", "59 a path that is not UTF-8 once decoded")

        check("/search", "10 Rechercher dans les articles (mots ou débuts de mots)\r\n"
              .encode(), "10 search prompt")
        check("/categories", ("31 %s/categories/\r\n" % base).encode(),
              "31 /categories to the slashed form, public port kept")
        check("/archive", ("31 %s/archive/\r\n" % base).encode(),
              "31 /archive to the slashed form")
        check("/nope.gmi", b"51 Page introuvable\r\n", "51 unknown path")
        check("/articles%2F" + GPSA + ".gmi", b"51 Page introuvable\r\n",
              "51 %2F never makes a slash")
        long_path = "/" + "a" * (1024 - len(base) - 1)
        check(long_path, b"51 Page introuvable\r\n", "1024-byte URL handled (51)")
        check(long_path + "a",
              "59 Requête invalide : URL de plus de 1024 octets\r\n".encode(),
              "59 1025-byte URL")

        bad = "59 Requête invalide : une URL absolue gemini:// est attendue\r\n".encode()
        check(b"\r\n", bad, "59 empty request")
        check(b"/\r\n", bad, "59 relative URL")
        check(b"//localhost/\r\n", bad, "59 URL without scheme")
        check(b"\xef\xbb\xbf" + (base + "/\r\n").encode(),
              "59 Requête invalide\r\n".encode(), "59 leading BOM")
        check((base + "/\xff\r\n").encode("latin-1"),
              "59 Requête invalide : URL qui n’est pas en UTF-8\r\n".encode(),
              "59 invalid UTF-8")
        check(("gemini://u@localhost:%d/\r\n" % port).encode(),
              "59 Requête invalide : identifiant (user@) interdit dans l’URL\r\n"
              .encode(), "59 userinfo")
        check("/#frag", "59 Requête invalide : fragment (#) interdit\r\n".encode(),
              "59 fragment")
        check("/a%00b", "59 Requête invalide : encodage %XX incorrect\r\n".encode(),
              "59 %00")
        dots = "59 Requête invalide : segments « . » et « .. » interdits\r\n".encode()
        check("/articles/../robots.txt", dots, "59 '..' segment")
        check("/%2e%2e/%2e%2e/etc/passwd", dots, "59 percent-encoded '..'")

        other = "53 Requête refusée : cette capsule ne sert pas cet hôte ou ce port\r\n"
        check(("gemini://example.org:%d/\r\n" % port).encode(), other.encode(),
              "53 another host")
        check(b"gemini://localhost/\r\n" if port != 1965 else
              b"gemini://localhost:1/\r\n", other.encode(), "53 another port")
        check(("https://localhost:%d/\r\n" % port).encode(),
              "53 Requête refusée : cette capsule ne sert que des URL gemini://\r\n"
              .encode(), "53 another scheme")
        check(("GEMINI://LOCALHOST:%d/\r\n" % port).encode(), gemtext,
              "20 scheme and host compared without case", exact=False)
        # An address griotd listens on names the capsule too.
        check(("gemini://127.0.0.1:%d/\r\n" % port).encode(), gemtext,
              "20 for gemini://127.0.0.1/ (listening on it)", exact=False)
        check(("gemini://127.0.0.2:%d/\r\n" % port).encode(), gemtext,
              "20 for another loopback address", exact=False)
        check(("gemini://192.0.2.1:%d/\r\n" % port).encode(), other.encode(),
              "53 for an address griotd does not listen on")
        # The generated certificate names localhost, 127.0.0.1 and ::1.
        pem = os.path.join(d.dir, "certs", "cert.pem")
        text = subprocess.run(["openssl", "x509", "-noout", "-ext",
                               "subjectAltName", "-in", pem],
                              capture_output=True, text=True).stdout
        gt.ok("DNS:localhost" in text and "IP Address:127.0.0.1" in text and
              "IP Address:0:0:0:0:0:0:0:1" in text,
              "the certificate for localhost names 127.0.0.1 and ::1", got=text)

        # The Atom feed, parsed.
        resp, _ = check("/atom.xml", b"20 application/atom+xml\r\n",
                        "20 atom.xml", exact=False)
        try:
            root = ET.fromstring(resp[len(header(resp)):])
        except ET.ParseError as e:
            root = None
            gt.diag("atom.xml does not parse: %s" % e)
        gt.ok(root is not None and root.tag == ATOM + "feed",
              "atom.xml parses as an Atom feed")
        if root is not None:
            entries = root.findall(ATOM + "entry")
            gt.ok(len(entries) == 7, "atom.xml: one entry per article",
                  got=len(entries), want=7)
            self_links = [l.get("href") for l in root.findall(ATOM + "link")
                          if l.get("rel") == "self"]
            gt.ok(self_links == [base + "/atom.xml"], "atom.xml: self link",
                  got=self_links, want=[base + "/atom.xml"])
            gt.ok(root.findtext(ATOM + "updated") == "2026-02-01T21:30:00Z",
                  "atom.xml: updated is the newest article's time",
                  got=root.findtext(ATOM + "updated"))
            good = 0
            for e in entries:
                link = e.find(ATOM + "link")
                if (e.findtext(ATOM + "id", "").startswith(base + "/articles/")
                        and e.findtext(ATOM + "title") and e.findtext(ATOM + "updated")
                        and link is not None
                        and link.get("href", "").startswith(base + "/articles/")):
                    good += 1
            gt.ok(good == len(entries) and good > 0,
                  "atom.xml: every entry has id, title, updated and a gemini:// link")
            titles = [e.findtext(ATOM + "title") for e in entries]
            gt.ok(any(t and t.startswith("Pour la paix et la sécurité") for t in titles),
                  "atom.xml: accented titles intact")

        # openssl s_client as a second, independent TLS client.
        if shutil.which("openssl") is None:
            gt.ok(True, "# SKIP openssl not installed")
        else:
            for path, want, what in (
                    ("/articles/%s.gmi" % GPSA, gemtext, "s_client: 20 article"),
                    ("/nope", b"51 Page introuvable\r\n", "s_client: 51")):
                try:
                    p = subprocess.run(
                        ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port,
                         "-servername", "localhost", "-quiet"],
                        input=(base + path + "\r\n").encode(), capture_output=True,
                        timeout=30)
                    out = p.stdout
                except subprocess.TimeoutExpired as e:
                    out = e.stdout or b""
                gt.ok(out.startswith(want), what, got=out[:120], want=want)
            p = subprocess.run(
                ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port,
                 "-servername", "localhost", "-tls1_3", "-brief", "-ign_eof"],
                input=(base + "/robots.txt\r\n").encode(), capture_output=True,
                timeout=30)
            gt.ok(b"Protocol version: TLSv1.3" in p.stderr,
                  "s_client: TLS 1.3", got=p.stderr[-300:])
            gt.ok(b"User-agent: *" in p.stdout, "s_client: robots.txt body",
                  got=p.stdout[-200:])
    gt.done()


if __name__ == "__main__":
    main()
