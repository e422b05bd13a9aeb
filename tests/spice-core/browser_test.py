#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""spice-html5 (Debian's, served by spice-serve itself with --web-root) in
Debian's headless chromium, straight to spice-serve over WebSocket:

* the canvas is pixel-identical to spicy-screenshot's picture of the same
  server, for a UI-like and a photo-like 1920x1080 picture (LZ and QUIC
  chosen for the browser, which announces no LZ4) and a small odd-sized
  one;
* the bytes of one full-screen 1920x1080 update on the wire: raw
  (--compression off) against what the browser gets now, as the page's
  WebSocket counted them and as the server logged the image;
* with a password: a wrong one is refused, the right one connects;
* a key typed in the page reaches the server (--log-input);
* wss and https on the TLS port (the test CA; --ignore-certificate-errors).
"""
import os
import random
import re
import sys

from sclib import (Server, done, ok, password_file, read_ppm, screenshot,
                   server_log, workdir, write_ppm, x509_dir, console_like)
import browserlib

D = workdir("browser")
why = browserlib.available()
if why:
    ok(False, "browser_available", why)
    done()


def photo(w, h, seed):
    """Smooth colour gradients with sensor-like grain: photo-like."""
    rnd = random.Random(seed)
    grain = rnd.randbytes(w * h)
    out = bytearray(w * h * 3)
    i = 0
    for y in range(h):
        gy = y * 255 // max(h - 1, 1)
        for x in range(w):
            n = (grain[i // 3] & 15) - 8
            gx = x * 255 // max(w - 1, 1)
            out[i] = max(0, min(255, gx + n))
            out[i + 1] = max(0, min(255, gy + n))
            out[i + 2] = max(0, min(255, (gx + gy) // 2 - n))
            i += 3
    return bytes(out)


def picture(name, w, h, make):
    """D/name.ppm of make(), made once."""
    path = os.path.join(D, name + ".ppm")
    if not os.path.exists(path):
        write_ppm(path, w, h, make())
    return path


def images_logged(since):
    """[(codec, bytes)] of the DRAW_COPYs the server logged after
    offset `since` of its log, for WebSocket clients."""
    return [(m.group(1), int(m.group(2))) for m in re.finditer(
        r"/ws: channel 2:0: DRAW_COPY \d+x\d+ at \d+,\d+: (\w+), (\d+) bytes",
        server_log()[since:])]


def display_bytes(b):
    """The bytes the page's display channel received (the largest of its
    WebSockets)."""
    counts = b.ws_bytes()
    return max(n for _, n, _ in counts) if counts else 0


b = browserlib.Browser(ignore_cert_errors=True)
report = []
try:
    # Pixel-identical, and what a full-screen update costs -------------------
    pics = [("ui_1920x1080", 1920, 1080,
             lambda: console_like(1920, 1080, 3, rows=40)),
            ("photo_1920x1080", 1920, 1080, lambda: photo(1920, 1080, 7)),
            ("odd_333x177", 333, 177, lambda: photo(333, 177, 9))]
    for name, w, h, make in pics:
        path = picture(name, w, h, make)
        rgb = read_ppm(path)[2]
        for comp in (("auto", "off") if w == 1920 else ("auto",)):
            srv = Server("--port", "0", "--disable-ticketing", "--image", path,
                         "--compression", comp, "--log-images",
                         "--web-root", browserlib.HTML5)
            shot = os.path.join(D, "%s_%s_spicy.ppm" % (name, comp))
            rc = screenshot(srv.port, shot)
            spicy = read_ppm(shot)
            ok(rc == 0 and spicy == (w, h, rgb),
               "%s_%s_spicy_screenshot_pixel_exact" % (name, comp))
            since = len(server_log())
            b.open("http://127.0.0.1:%d/spice_auto.html" % srv.port)
            same, seen, secs = b.wait_canvas(spicy)
            ok(same, "%s_%s_browser_canvas_equals_spicy_screenshot" %
               (name, comp), "%d pixels differ" %
               browserlib.diff_count(seen, spicy))
            imgs = images_logged(since)
            wire = display_bytes(b)
            codecs = sorted(set(c for c, _ in imgs))
            if comp == "auto":
                ok(imgs and "raw" not in codecs and "lz4" not in codecs,
                   "%s_browser_gets_quic_or_lz_never_raw" % name, str(codecs))
            else:
                ok(codecs == ["raw"], "%s_off_browser_gets_raw" % name,
                   str(codecs))
            report.append("%-16s %-4s image %-9s %9d bytes; display "
                          "channel %9d bytes on the WebSocket (%.1f s)" %
                          (name, comp, ",".join(codecs),
                           sum(n for _, n in imgs), wire, secs))
            srv.stop()
    for line in report:
        print("# " + line)
    with open(os.path.join(D, "bytes.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    photo_auto = [r for r in report if r.startswith("photo_1920x1080  auto")]
    ui_auto = [r for r in report if r.startswith("ui_1920x1080     auto")]
    ok(photo_auto and " quic " in photo_auto[0], "photo_is_sent_as_quic")
    ok(ui_auto and " lz " in ui_auto[0], "ui_is_sent_as_lz")

    # Password ---------------------------------------------------------------
    pw = password_file(D, "s3cret pw")
    srv = Server("--port", "0", "--password-file", pw, "--image",
                 picture("odd_333x177", 333, 177, None), "--log-input",
                 "--web-root", browserlib.HTML5)
    want = read_ppm(picture("odd_333x177", 333, 177, None))
    b.open("http://127.0.0.1:%d/spice_auto.html?password=wrong" % srv.port)
    same, seen, _ = b.wait_canvas(want, timeout=8)
    ok(not same and b.denied() >= 1, "wrong_password_refused_in_the_browser")
    ok("wrong password" in server_log() or "authentication failed" in
       server_log(), "wrong_password_logged")
    b.open("http://127.0.0.1:%d/spice_auto.html?password=s3cret%%20pw" %
           srv.port)
    same, seen, _ = b.wait_canvas(want)
    ok(same and not b.denied(), "right_password_connects_and_shows_the_picture")

    # A key typed in the page ----------------------------------------------------
    b.type_keys("a")
    line = srv.read_lines_until(lambda l: l.startswith("key 0x01e down"), 10)
    ok(line is not None, "key_typed_in_the_page_reaches_the_server")
    line = srv.read_lines_until(lambda l: l.startswith("key 0x01e up"), 10)
    ok(line is not None, "key_release_reaches_the_server")
    srv.stop()

    # wss and https on the TLS port ---------------------------------------------
    x509 = x509_dir(D, "spice-core browser test CA")
    srv = Server("--tls-port", "0", "--x509-dir", x509, "--disable-ticketing",
                 "--image", picture("odd_333x177", 333, 177, None),
                 "--web-root", browserlib.HTML5)
    b.open("https://127.0.0.1:%d/spice_auto.html" % srv.tls_port)
    same, seen, _ = b.wait_canvas(want)
    urls = [u for u, _, _ in b.ws_bytes()]
    ok(same and urls and all(u.startswith("wss://") for u in urls),
       "wss_on_the_tls_port_pixel_exact", str(urls))
    srv.stop()
finally:
    console = b.console()
    b.quit()
    with open(os.path.join(D, "console.log"), "w") as f:
        f.write("\n".join(console) + "\n")
done()
