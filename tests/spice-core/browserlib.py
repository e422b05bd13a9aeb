# SPDX-License-Identifier: MIT
"""spice-html5 in Debian's headless chromium, driven over WebDriver
(python3-selenium, chromium-driver), for the spice-core browser tests and
the QEMU interop case.  Never downloads a browser: /usr/bin/chromium only.
Runs under Debian's /usr/bin/python3."""
import base64
import io
import os
import shutil
import tempfile
import time

HTML5 = "/usr/share/spice-html5"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Counts the bytes each WebSocket receives (window.__ws), and makes
# spice_auto.html's password prompt (after "Permission denied.") end the
# attempt instead of looping: window.__denied counts them.
_INSTRUMENT = r"""
(function () {
  var Orig = window.WebSocket;
  window.__ws = [];
  function Counting(url, protocols) {
    var ws = protocols === undefined ? new Orig(url) : new Orig(url, protocols);
    var rec = { url: String(url), bytes: 0, messages: 0 };
    window.__ws.push(rec);
    ws.addEventListener('message', function (e) {
      var d = e.data;
      rec.bytes += d.byteLength !== undefined ? d.byteLength :
                   (d.size !== undefined ? d.size : d.length);
      rec.messages++;
    });
    return ws;
  }
  Counting.prototype = Orig.prototype;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (k) {
    Counting[k] = Orig[k];
  });
  window.WebSocket = Counting;
  window.__denied = 0;
  window.prompt = function () {
    window.__denied++;
    throw new Error('password prompt (test)');
  };
})();
"""


def available():
    """Why the browser tests cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER, HTML5 + "/spice_auto.html"):
        if not os.path.exists(path):
            return "%s missing" % path
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "python3-selenium missing"
    return None


class Browser:
    """One headless chromium, reused across pages."""

    def __init__(self, ignore_cert_errors=False):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.profile = tempfile.mkdtemp(prefix="qxlng-chromium-")
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-quic", "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=2000,1300",
                  "--user-data-dir=" + self.profile):
            o.add_argument(a)
        if ignore_cert_errors:
            o.add_argument("--ignore-certificate-errors")
        o.set_capability("unhandledPromptBehavior", "ignore")
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
        self.d.set_script_timeout(30)
        self.d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": _INSTRUMENT})

    def open(self, url):
        self.d.get(url)

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def canvas_size(self):
        """(w, h) of spice-html5's primary surface canvas, or None."""
        return self.js("var c = document.getElementById('spice_surface_0');"
                       "return c ? [c.width, c.height] : null;")

    def ws_bytes(self):
        """[(url, bytes, messages)] of every WebSocket the page opened."""
        return [(w["url"], w["bytes"], w["messages"])
                for w in (self.js("return window.__ws || [];") or [])]

    def denied(self):
        return self.js("return window.__denied || 0;")

    def canvas_rgb(self):
        """(w, h, RGB bytes) of the primary canvas (toDataURL, PNG)."""
        from PIL import Image
        url = self.js("var c = document.getElementById('spice_surface_0');"
                      "return c ? c.toDataURL('image/png') : null;")
        if not url:
            return None
        img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
        img = img.convert("RGB")
        return img.width, img.height, img.tobytes()

    def wait_canvas(self, want, timeout=60):
        """Poll the canvas until its RGB equals want (w, h, rgb); returns
        (equal, last seen, seconds).  The canvas is read once the bytes
        the page receives have stopped for a moment."""
        t0 = time.time()
        last, seen = None, None
        while time.time() - t0 < timeout:
            time.sleep(0.3)
            if not self.canvas_size():
                continue
            total = sum(b for _, b, _ in self.ws_bytes())
            if total != last:
                last = total
                continue
            seen = self.canvas_rgb()
            if seen == want:
                return True, seen, time.time() - t0
        return False, seen, time.time() - t0

    def type_keys(self, keys):
        """Click the canvas (focus) and type keys into it."""
        from selenium.webdriver.common.by import By
        c = self.d.find_element(By.ID, "spice_surface_0")
        c.click()
        c.send_keys(keys)

    def console(self):
        try:
            return [e["message"] for e in self.d.get_log("browser")]
        except Exception:
            return []

    def quit(self):
        try:
            self.d.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def diff_count(a, b):
    """Pixels that differ between two (w, h, rgb) pictures (all if the
    sizes differ)."""
    if not a or not b or a[:2] != b[:2]:
        return -1
    ra, rb = a[2], b[2]
    return sum(1 for i in range(0, len(ra), 3) if ra[i:i + 3] != rb[i:i + 3])
