#!/usr/bin/python3
"""The first hour with qxl-ng (issue 18): what a newcomer runs must work as
written and keep secrets out of sight.

    firsthour.py secrets     make run's password: never on a command line,
                             never left in a file, even after Ctrl-C
    firsthour.py disconnect  a client's normal disconnect is one debug line
                             with its address, nothing at the default level
    firsthour.py docs        every command line in the code blocks of
                             README.md and Documentation/*.rst: servers
                             (make run, QEMU, spice-serve) start and serve a
                             picture, other make lines name real targets,
                             clients name the port their block serves on
    firsthour.py console-resize  make run's console through real client
                             resizes (shrink, grow, fullscreen size): a
                             long line typed through the client fills all
                             128 columns; in every screendump and SPICE
                             picture at each size it and the prompt are
                             whole, the resizing client gets the whole
                             1024x768 console to scale; remote-viewer in
                             Xvfb shows all of it scaled; sysfs prefers the
                             console's size and still lists the client's
                             and the large modes
    firsthour.py cache       a second clone with the same sources builds
                             QEMU from the shared cache with no build step

Options: --qemu BIN, --module KO, --serve BIN (spice-serve), --work DIR.
Output is TAP; the exit status is 1 when a case failed.
"""

import argparse
import glob
import re
import shlex
import shutil
import os
import secrets as pyrandom
import signal
import socket
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "interop"))
from peers import free_port  # noqa: E402
from tap import Tap  # noqa: E402


def cmdlines_holding(needle):
    """pid: argv of every process whose command line holds needle."""
    hits = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                argv = f.read()
        except OSError:
            continue
        if needle.encode() in argv:
            hits[int(pid)] = argv.replace(b"\0", b" ").decode(errors="replace")
    return hits


def files_holding(needle, roots, since):
    """Regular files under roots, changed since 'since', holding needle."""
    hits = []
    for root in roots:
        for d, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(d, name)
                try:
                    st = os.lstat(path)
                    if (not os.path.isfile(path) or os.path.islink(path)
                            or st.st_mtime < since or st.st_size > 64 << 20):
                        continue
                    with open(path, "rb") as f:
                        if needle.encode() in f.read():
                            hits.append(path)
                except OSError:
                    continue
    return hits


def spicy_screenshot(port, out, password):
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run(["spicy-screenshot", "-h", "127.0.0.1", "-p",
                        str(port), "-w", password, "-o", out],
                       timeout=60, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return r.returncode == 0 and os.path.exists(out) and \
        os.path.getsize(out) > 1000


def case_secrets(args, tap):
    pw = "pw-" + pyrandom.token_hex(8)
    since = time.time() - 1
    # After make, on its command line, ps shows it: make refuses it before
    # running anything and says how to give it instead.
    for var in ("PASSWORD", "QXLNG_PASSWORD"):
        r = subprocess.run(["make", "-C", TOP, "--no-print-directory", "run",
                            var + "=" + pw], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        tap.ok(r.returncode != 0 and "shows in ps" in r.stdout and
               "PASSWORD=... make run" in r.stdout and
               "PASSWORD_FILE=" in r.stdout and "run-demo" not in r.stdout,
               "make_run_refuses_%s_on_its_command_line" % var.lower(),
               r.stdout[-400:])
    # From the environment: make's recipe (what the shell running it gets
    # as its -c argument) never holds it, run-demo gets it the same way.
    for var in ("PASSWORD", "QXLNG_PASSWORD"):
        r = subprocess.run(["make", "-C", TOP, "-n", "--no-print-directory",
                            "qemu-run"], env=dict(os.environ, **{var: pw}),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        tap.ok(r.returncode == 0 and "run-demo" in r.stdout and
               pw not in r.stdout,
               "make_run_recipe_has_no_password_from_%s" % var.lower(),
               r.stdout[-400:])
        # ... and what make exports to run-demo's environment is it.
        r = subprocess.run(["make", "-C", TOP, "-pn", "--no-print-directory",
                            "qemu-run"], env=dict(os.environ, **{var: pw}),
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
        tap.ok("\nqemu-run: QXLNG_PASSWORD := %s\n" % pw in r.stdout,
               "make_run_exports_qxlng_password_from_%s" % var.lower(),
               "make's database: %s" % re.findall(
                   r"^qemu-run: QXLNG_PASSWORD .*$", r.stdout, re.M))

    port = free_port()
    work = os.path.join(args.work, "secrets")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, QXLNG_PASSWORD=pw)
    demo = subprocess.Popen([os.path.join(TOP, "scripts", "qemu", "run-demo"),
                             "--qemu", args.qemu, "--module", args.module,
                             "--port", str(port), "--work", work],
                            env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    out, line = "", ""
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            out += line
            if line.startswith("connect with:"):
                break
        tap.ok(line.strip().endswith("(password required)"),
               "run_demo_starts_with_a_password", out[-400:])
        hits = cmdlines_holding(pw)
        tap.ok(not hits, "no_command_line_holds_the_password",
               "; ".join("%d: %s" % kv for kv in hits.items()))
        qemu = [p for p in os.listdir("/proc") if p.isdigit()
                and os.path.exists("/proc/%s/exe" % p)
                and os.path.realpath("/proc/%s/exe" % p)
                == os.path.realpath(args.qemu)
                and os.getpgid(int(p)) == demo.pid]
        environ = b""
        for p in qemu:
            with open("/proc/%s/environ" % p, "rb") as f:
                environ += f.read()
        tap.ok(len(qemu) == 1 and pw.encode() not in environ,
               "qemu_environment_has_no_password", "qemu pids %s" % qemu)
        leftover = files_holding(pw, [work, "/tmp", "/dev/shm"], since)
        tap.ok(not leftover, "no_file_holds_the_password_while_running",
               " ".join(leftover))
        # The password works, and only it: the secret reached spice-core.
        shot = os.path.join(work, "shot.ppm")
        wrong = spicy_screenshot(port, shot, pw + "x")
        right = spicy_screenshot(port, shot, pw)
        tap.ok(not wrong and right, "spice_core_takes_that_password_only",
               "wrong password %s, right one %s" %
               ("accepted" if wrong else "refused",
                "accepted" if right else "refused"))
    finally:
        # Ctrl-C in a terminal: SIGINT to the whole foreground group.
        os.killpg(demo.pid, signal.SIGINT)
        try:
            rest, _ = demo.communicate(timeout=60)
            out += rest
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
    tap.ok(demo.returncode == 0 and "run-demo: stopped" in out,
           "ctrl_c_stops_run_demo", "status %s: %s" % (demo.returncode,
                                                      out[-300:]))
    leftover = files_holding(pw, [work, os.path.join(TOP, "build"), "/tmp",
                                  "/dev/shm"], since)
    tap.ok(not leftover, "no_file_holds_the_password_after_ctrl_c",
           " ".join(leftover))
    alive = []
    try:
        os.killpg(demo.pid, 0)
        alive = ["group %d" % demo.pid]
    except ProcessLookupError:
        pass
    tap.ok(not alive, "nothing_left_running_after_ctrl_c", " ".join(alive))
    case_addr_warning(args, tap)


def case_addr_warning(args, tap):
    """make run ADDR=...: a non-loopback address without a password is
    warned about, with a password or on loopback it is not.  (QEMU is
    /bin/false here: the warning comes before it starts.)"""
    work = os.path.join(args.work, "addr")
    for addr, pw, warned in (("0.0.0.0", "", True), ("0.0.0.0", "x", False),
                             ("127.0.0.1", "", False)):
        env = dict(os.environ, QXLNG_PASSWORD=pw)
        r = subprocess.run([os.path.join(TOP, "scripts", "qemu", "run-demo"),
                            "--qemu", "/bin/false", "--module", args.module,
                            "--addr", addr, "--port", str(free_port()),
                            "--work", work], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=300)
        said = "warning: no password" in r.stdout
        tap.ok(said == warned and "QEMU exited" in r.stdout,
               "addr_%s_%s_password_%s" % (addr, "with" if pw else "without",
                                           "warns" if warned else
                                           "does_not_warn"), r.stdout[-300:])


def case_disconnect(args, tap):
    """A client that connects and goes away is a normal event: no line at
    the default log level, one debug line naming its address."""
    for debug in (False, True):
        port = free_port()
        env = dict(os.environ)
        env.pop("G_MESSAGES_DEBUG", None)
        if debug:
            env["G_MESSAGES_DEBUG"] = "spice-core"
        serve = subprocess.Popen([args.serve, "--port", str(port),
                                  "--disable-ticketing", "--pattern",
                                  "gradient"], env=env,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            shot = os.path.join(args.work, "disconnect.ppm")
            r = subprocess.run(["spicy-screenshot", "-h", "127.0.0.1", "-p",
                                str(port), "-o", shot], timeout=60,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            got = r.returncode == 0 and os.path.getsize(shot) > 1000
            time.sleep(1)   # the server sees the client go
        finally:
            serve.send_signal(signal.SIGINT)
            out, _ = serve.communicate(timeout=30)
        level = "debug" if debug else "default"
        # The client went before the server stopped: its closing stats
        # count no connection (so what follows is about a disconnect).
        tap.ok(got and "stats clients=0 connections=0" in out,
               "a_client_came_and_went_at_%s_level" % level, out[-300:])
        # spice-serve logs to stderr, merged here with stdout.
        about = [ln for ln in out.splitlines() if "127.0.0.1:" in ln
                 and "DRAW_COPY" not in ln]
        if not debug:
            tap.ok(not about, "no_line_about_the_client_at_default_level",
                   " | ".join(about))
        else:
            gone = [ln for ln in about if "client gone" in ln]
            tap.ok(len(gone) == 1 and not [ln for ln in about
                                           if "dropped" in ln],
                   "one_debug_line_with_its_address_when_it_goes",
                   " | ".join(about[-6:]))



# --- docs: every documented command line -----------------------------------

SERVERS = ("build/qemu/qemu-system-x86_64", "qemu-system-x86_64",
           "build/bin/spice-serve", "scripts/qemu/run-demo")
CLIENTS = ("remote-viewer", "spicy", "spicy-screenshot", "chromium")
# Not started here, with the reason; each still shows in the TAP output.
ELSEWHERE = {"build/bin/spice-x11": "needs a running X server "
             "(check-x11 tests it)"}


def code_blocks(path):
    """(first line number, [lines]) of each literal block: Markdown's
    indented and fenced blocks, reStructuredText's '::' blocks."""
    lines = open(path).read().split("\n")
    blocks, i, rst = [], 0, path.endswith(".rst")
    while i < len(lines):
        ln = lines[i]
        start = None
        if rst and ln.rstrip().endswith("::") and not ln.lstrip().startswith(".."):
            start = i + 1
        elif not rst and ln.startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            blocks.append((i + 2, lines[i + 1:j]))
            i = j + 1
            continue
        elif (not rst and ln.startswith("    ") and i > 0
              and lines[i - 1].strip() == ""):
            start = i
        if start is None:
            i += 1
            continue
        j = start
        while j < len(lines) and lines[j].strip() == "":
            j += 1
        if j >= len(lines) or not lines[j].startswith(" "):
            i = j
            continue
        indent = len(lines[j]) - len(lines[j].lstrip())
        body, k = [], j
        while k < len(lines) and (lines[k].strip() == "" or
                                  len(lines[k]) - len(lines[k].lstrip())
                                  >= indent):
            body.append(lines[k][indent:])
            k += 1
        blocks.append((j + 1, body))
        i = k
    return blocks


def commands(body, first):
    """(line number, text) of each command: continuation lines joined,
    comments dropped."""
    out, cur, at = [], "", None
    for n, ln in enumerate(body, first):
        if at is None:
            at = n
        if ln.rstrip().endswith("\\"):
            cur += ln.rstrip()[:-1] + " "
            continue
        cur += ln
        try:
            words = shlex.split(cur, comments=True)
        except ValueError:
            words = cur.split()
        if words:
            out.append((at, cur.strip(), words))
        cur, at = "", None
    return out


def split_env(words):
    env, i = {}, 0
    while i < len(words) and re.match(r"^[A-Z_][A-Z0-9_]*=", words[i]):
        k, v = words[i].split("=", 1)
        env[k] = v
        i += 1
    return env, words[i:]


def doc_port(words, env):
    """The SPICE port a server line listens on, as documented."""
    text = " ".join(words)
    if words[0] == "make":
        for w in words:
            if w.startswith("PORT="):
                return int(w[5:])
        return int(env.get("PORT", 5900))
    m = re.search(r"(?:\bport=|--port )(\d+)", text)
    return int(m.group(1)) if m else None


def client_port(words, scratch):
    text = " ".join(words)
    m = re.search(r"(?:spice|https?)://[^:/ ]+:(\d+)", text) or \
        re.search(r"-p (\d+)", text)
    if m:
        return int(m.group(1))
    for w in words[1:]:
        if w.endswith(".vv") and os.path.exists(os.path.join(scratch, w)):
            m = re.search(r"^port=(\d+)", open(os.path.join(scratch, w)).read(),
                          re.M)
            return int(m.group(1)) if m else None
    return None


def make_pki(d):
    """A CA and a server certificate, QEMU's file names, for the TLS
    examples (their /etc/pki/qemu)."""
    if os.path.exists(os.path.join(d, "server-key.pem")):
        return
    os.makedirs(d, exist_ok=True)
    run = lambda *a: subprocess.run(a, cwd=d, check=True,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", "ca-key.pem", "-out", "ca-cert.pem", "-days", "2",
        "-subj", "/CN=qxl-ng test CA")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout",
        "server-key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca-cert.pem",
        "-CAkey", "ca-key.pem", "-CAcreateserial", "-out", "server-cert.pem",
        "-days", "2")


def lit_picture(path):
    from PIL import Image
    img = Image.open(path).convert("L")
    return img.size, sum(1 for v in img.getdata() if v > 64)


def start_server(args, scratch, setup, text, words, env, ports, password):
    """Start one documented server with its ports mapped to free ones;
    True, why when a client got a picture with something on it."""
    for old in sorted(set(int(p) for p in re.findall(r"\b59\d\d\b", text))):
        ports.setdefault(old, free_port())
    mapped = re.sub(r"\b59\d\d\b", lambda m: str(ports[int(m.group(0))]),
                    text)
    mapped = mapped.replace("/etc/pki/qemu", os.path.join(scratch, "pki"))
    if "/etc/pki/qemu" in text:
        make_pki(os.path.join(scratch, "pki"))
    port = doc_port(words, env)
    port = ports.get(port, port)
    is_make = words[0] == "make"
    if is_make and not re.search(r"\bPORT=", mapped):
        ports.setdefault(5900, free_port())
        port = ports[5900]
        mapped += " PORT=%d" % port
    script = "\n".join(setup + ["exec " + mapped])
    log = open(os.path.join(scratch, "server.log"), "w+")
    proc = subprocess.Popen(["bash", "-c", script], cwd=scratch,
                            env=dict(os.environ, **env),
                            stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    why = ""
    try:
        deadline = time.time() + (900 if is_make else 120)
        ready = False
        while time.time() < deadline and proc.poll() is None:
            log.seek(0)
            out = log.read()
            if is_make or words[0].endswith("run-demo"):
                ready = "connect with:" in out
            elif port:
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close()
                    ready = True
                except OSError:
                    pass
            else:
                ready = time.time() > deadline - 110   # alive for 10 s
            if ready:
                break
            time.sleep(0.5)
        log.seek(0)
        out = log.read()
        if not ready:
            return False, "not running: " + out[-400:]
        if not port:
            return proc.poll() is None, "alive without a SPICE port"
        shot = os.path.join(scratch, "shot.ppm")
        pw = password()
        for _ in range(30):
            if os.path.exists(shot):
                os.unlink(shot)
            cmd = ["spicy-screenshot", "-h", "127.0.0.1", "-p", str(port),
                   "-o", shot]
            if pw:
                cmd += ["-w", pw]
            r = subprocess.run(cmd, timeout=60, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            if r.returncode == 0 and os.path.exists(shot):
                size, lit = lit_picture(shot)
                why = "%dx%d, %d lit pixels" % (size + (lit,))
                if lit > 50:
                    return proc.poll() is None, why
            time.sleep(2)
        return False, "no picture with something on it: " + why
    finally:
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def case_docs(args, tap):
    scratch = os.path.join(args.work, "docs")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    # The reader's clone: every entry of the tree, the build included, so
    # relative paths and make work as documented, and files the commands
    # write (password.txt, demo.vv) land here.
    for name in os.listdir(TOP):
        if name != ".git":
            os.symlink(os.path.join(TOP, name), os.path.join(scratch, name))
    started = {}
    docs = [os.path.join(TOP, "README.md")] + \
        sorted(glob.glob(os.path.join(TOP, "Documentation", "*.rst")))
    for doc in docs:
        rel = os.path.relpath(doc, TOP)
        for first, body in code_blocks(doc):
            setup, served = [], []
            for at, text, words in commands(body, first):
                env, cmd = split_env(words)
                if not cmd:
                    continue
                name = "%s:%d %s" % (rel, at, text[:70])
                head = cmd[0]
                if head in ELSEWHERE:
                    tap.skip(name, ELSEWHERE[head])
                elif head in CLIENTS:
                    want = served[-1] if served else 5900
                    got = client_port(cmd, scratch)
                    tap.ok(got is None or got == want,
                           name + " [client port]",
                           "connects to %s, the block serves on %s" %
                           (got, want))
                elif head == "make" and (len(cmd) == 1 or cmd[1] != "run"):
                    r = subprocess.run(["make", "-n", "--no-print-directory"]
                                       + cmd[1:], cwd=scratch,
                                       env=dict(os.environ, **env),
                                       stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True,
                                       timeout=300)
                    tap.ok(r.returncode == 0, name + " [make -n]",
                           r.stdout[-300:])
                elif head == "make" or head in SERVERS:
                    key = (tuple(setup), tuple(words))
                    port = doc_port(cmd, env)
                    served.append(port)
                    if key in started:
                        tap.ok(started[key][0], name + " [started]",
                               "as at " + started[key][1])
                        continue
                    pwfile = None
                    m = re.search(r"(?:PASSWORD_FILE=|secret,id=\w+,file=)"
                                  r"(\S+?)(?:[ ,]|$)", text + " ")
                    if m:
                        pwfile = os.path.join(scratch, m.group(1))

                    def password(env=env, pwfile=pwfile):
                        if env.get("PASSWORD"):
                            return env["PASSWORD"]
                        if pwfile and os.path.exists(pwfile):
                            return open(pwfile).read().split("\n")[0]
                        return None
                    bare = re.sub(r"\s+#\s.*$", "", re.sub(
                        r"^(\s*[A-Z_][A-Z0-9_]*=\S+\s+)*", "", text))
                    ok, why = start_server(args, scratch, setup, bare,
                                           cmd, env, {}, password)
                    started[key] = (ok, "%s:%d" % (rel, at))
                    tap.ok(ok, name + " [started]", why)
                elif re.match(r"^[a-z_]+=", text) or head in (
                        "printf", "mkdir", "cp", "chmod", "cat", "umask") \
                        or head.startswith("scripts/"):
                    setup.append(text)
                    r = subprocess.run(["bash", "-c", "\n".join(setup)],
                                       cwd=scratch, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True,
                                       timeout=900)
                    tap.ok(r.returncode == 0, name + " [shell]",
                           r.stdout[-300:])


# --- cache: two clones share one QEMU build ---------------------------------

def build_qemu(top, libs):
    r = subprocess.run([os.path.join(top, "scripts", "qemu", "build-qemu"),
                        "--libs", libs, "--out",
                        os.path.join(top, "build", "qemu",
                                     "qemu-system-x86_64")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=3600)
    m = re.search(r"\((\d+) compiled or linked\)", r.stdout)
    return r.returncode, int(m.group(1)) if m else None, r.stdout


def case_cache(args, tap):
    r = subprocess.run(["make", "-n", "--no-print-directory", "-C", TOP,
                        os.path.join(TOP, "build", "qemu",
                                     "qemu-system-x86_64")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    m = re.search(r'--libs "([^"]*)"', r.stdout)
    if not tap.ok(m is not None, "make_names_the_glue_libraries",
                  r.stdout[-300:]):
        return
    libs_a = m.group(1)
    rc, steps, out = build_qemu(TOP, libs_a)
    tap.ok(rc == 0, "first_clone_builds", out[-400:])
    # The second clone: the same files at another path, its own build/
    # with the same libraries (as a build of the same sources gives).
    clone = os.path.join(args.work, "clone-b")
    shutil.rmtree(clone, ignore_errors=True)
    files = subprocess.run(["git", "-C", TOP, "ls-files", "-co",
                            "--exclude-standard"], stdout=subprocess.PIPE,
                           text=True, check=True).stdout.split("\n")
    for f in files:
        src = os.path.join(TOP, f)
        if f and os.path.isfile(src) and not f.startswith("build/"):
            os.makedirs(os.path.dirname(os.path.join(clone, f)),
                        exist_ok=True)
            shutil.copy2(src, os.path.join(clone, f))
    shutil.copytree(os.path.join(TOP, "build", "include"),
                    os.path.join(clone, "build", "include"))
    os.makedirs(os.path.join(clone, "build", "lib"))
    libs_b = []
    for w in libs_a.split():
        if w.endswith(".a"):
            shutil.copy2(w, os.path.join(clone, "build", "lib"))
            w = os.path.join(clone, "build", "lib", os.path.basename(w))
        libs_b.append(w)
    rc, steps, out = build_qemu(clone, " ".join(libs_b))
    tap.ok(rc == 0 and steps == 0, "second_clone_builds_nothing",
           "%s compiled or linked: %s" % (steps, out[-400:]))
    same = subprocess.run(["cmp", "-s",
                           os.path.join(TOP, "build/qemu/qemu-system-x86_64"),
                           os.path.join(clone,
                                        "build/qemu/qemu-system-x86_64")])
    tap.ok(same.returncode == 0, "both_clones_get_the_same_binary")
    rc, steps, out = build_qemu(TOP, libs_a)
    tap.ok(rc == 0 and steps == 0, "back_in_the_first_clone_nothing_again",
           "%s compiled or linked: %s" % (steps, out[-400:]))
    shutil.rmtree(clone, ignore_errors=True)


# --- console-resize ----------------------------------------------------------

SCANCODES = dict(zip("1234567890-=", range(0x02, 0x0e)))
SCANCODES.update(zip("qwertyuiop", range(0x10, 0x1a)))
SCANCODES.update(zip("asdfghjkl", range(0x1e, 0x27)))
SCANCODES.update(zip("zxcvbnm", range(0x2c, 0x33)))
SCANCODES.update({".": 0x34, "/": 0x35, " ": 0x39, "\t": 0x0f, "\n": 0x1c})


def spice_client(port, *argv):
    return subprocess.run(["/usr/bin/python3",
                           os.path.join(TOP, "tests", "interop",
                                        "spice_client.py"),
                           "--port", str(port)] + list(argv), timeout=120,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def screenshot(port, out):
    from PIL import Image
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run(["spicy-screenshot", "-h", "127.0.0.1", "-p",
                        str(port), "-o", out], timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Image.open(out).convert("RGB") if r.returncode == 0 else None


def sysfs_modes(port, work, tap, client):
    """Type a command on the guest's console that copies the connector's
    sysfs mode list to the serial log; check the large modes are there."""
    cmd = "dd if=/sys/class/drm/card0-\tmodes of=/dev/console\n"
    # A few keys at a time: the PS/2 queue holds only so many.
    for k in range(0, len(cmd), 5):
        r = spice_client(port, "key", ",".join(
            "0x%02x" % SCANCODES[c] for c in cmd[k:k + 5]))
        if r.returncode:
            break
    serial = os.path.join(work, "serial.log")
    found, modes = False, []
    for _ in range(30):
        with open(serial, errors="replace") as f:
            modes = [ln.strip() for ln in f
                     if re.fullmatch(r"[0-9]+x[0-9]+", ln.strip())]
        if "1920x1080" in modes and "2048x2048" in modes:
            found = True
            break
        time.sleep(1)
    tap.ok(r.returncode == 0 and found,
           "sysfs_modes_still_list_1920x1080_and_2048x2048",
           " ".join(modes) if not found else "")
    # The first mode is the preferred one: the console's own size while
    # it shows; the client's size stays in the list for userspace.
    tap.ok(modes[:1] == ["1024x768"] and "%dx%d" % client in modes,
           "sysfs_prefers_the_console_size_and_lists_%dx%d" % client,
           " ".join(modes))


# The long line: 127 '#' and a '@' fill the 128 columns of fbcon's 8x16
# font on a 1024-pixel console; 'clear' puts it on row 0, the prompt on
# row 1.  The shell draws it, the keys come through a SPICE client.
LONG_LINE = "clear; head -c 127 /dev/zero | tr '\\0' '#'; echo @\n"
SHIFTED = {"#": 0x04, "@": 0x03, "|": 0x2b}
SCANCODES.update({";": 0x27, "'": 0x28, "\\": 0x2b})
PROMPT = "qxl-ng:/#"
CONSOLE = (1024, 768)
CELL_W, CELL_H = 8, 16


def key_codes(text):
    return ",".join("0x2a+0x%02x" % SHIFTED[c] if c in SHIFTED
                    else "0x%02x" % SCANCODES[c] for c in text)


def cell(img, row, col):
    """The pixels of one text cell and how many of them are lit."""
    box = img.crop((col * CELL_W, row * CELL_H, (col + 1) * CELL_W,
                    (row + 1) * CELL_H)).convert("L")
    data = box.tobytes()
    return data, sum(1 for v in data if v > 64)


def console_whole(img, ref=None):
    """(True, "") when img is the whole 1024x768 console with the long line
    in all 128 columns of row 0 and the prompt at the start of row 1 (and,
    given ref, those cells pixel-identical to ref's); else (False, why)."""
    if img is None:
        return False, "no picture"
    if img.size != CONSOLE:
        return False, "picture %dx%d, not the console's %dx%d" % (
            img.size + CONSOLE)
    cols = CONSOLE[0] // CELL_W
    line = [cell(img, 0, c) for c in range(cols)]
    dark = [c for c, (_d, lit) in enumerate(line) if lit < 8]
    if dark:
        return False, "row 0: %d of %d cells lit, columns %s empty" % (
            cols - len(dark), cols, dark[:8])
    other = [c for c in range(1, cols - 1) if line[c][0] != line[0][0]]
    if other or line[-1][0] == line[0][0]:
        return False, "row 0 is not 127 '#' and a marker: columns %s " \
            "differ from column 0, the last one %s" % (
                other[:8], "differs" if line[-1][0] != line[0][0]
                else "is a '#' too")
    prompt = [cell(img, 1, c) for c in range(len(PROMPT) + 1)]
    unlit = [c for c, (_d, lit) in enumerate(prompt[:-1]) if lit == 0]
    if unlit or prompt[-1][1]:
        return False, "row 1 is not the prompt %r: columns %s empty, " \
            "column %d %s" % (PROMPT, unlit, len(PROMPT),
                              "lit" if prompt[-1][1] else "empty")
    if ref is not None:
        moved = [c for c in range(cols) if line[c][0] != cell(ref, 0, c)[0]]
        moved += [cols + c for c in range(len(prompt))
                  if prompt[c][0] != cell(ref, 1, c)[0]]
        if moved:
            return False, "%d cells differ from the picture before the " \
                "resize (first: row %d column %d)" % (
                    len(moved), moved[0] // cols, moved[0] % cols)
    return True, ""


def qmp_screendump(qmp, path):
    from PIL import Image
    if os.path.exists(path):
        os.unlink(path)
    try:
        qmp.cmd("screendump", filename=path)
        img = Image.open(path)
        img.load()
        return img.convert("RGB")
    except Exception:   # noqa: BLE001 - the check says "no picture"
        return None


def xwd_picture(data):
    """An RGB image of `xwd -root` output at 4 bytes a pixel (Xvfb at
    depth 24 writes these with bits_per_pixel 24 or 32)."""
    import struct
    from PIL import Image
    h = struct.unpack(">25I", data[:100])
    size, width, height, order, per_line, ncolors = (h[0], h[4], h[5], h[7],
                                                     h[12], h[19])
    if per_line != width * 4:
        raise ValueError("xwd: %d bytes a line for %d pixels" %
                         (per_line, width))
    start = size + ncolors * 12
    return Image.frombytes("RGB", (width, height),
                           data[start:start + per_line * height], "raw",
                           "BGRX" if order == 0 else "XRGB")


def lit_box(img, box):
    """Bounding box of the lit (text) pixels of img inside box, in img's
    coordinates, or None."""
    part = img.crop(box).convert("L").point(lambda v: 255 if v > 64 else 0)
    bb = part.getbbox()
    return bb and (bb[0] + box[0], bb[1] + box[1], bb[2] + box[0],
                   bb[3] + box[1])


def scaled_console(img, ref):
    """(scale, why) of the console in a viewer's picture img: the long
    line found by its extent (the first pixel row with 256 lit pixels or
    more; a header bar's title and buttons have far fewer), every one of
    its 128 cells lit at the measured scale and nearer ref's glyph for it
    ('#', the last one '@') than the other, the prompt under it.  why is
    "" when all of that holds."""
    from PIL import Image
    rx0, ry0, rx1, _ = lit_box(ref, (0, 0, CONSOLE[0], CELL_H))
    cols = CONSOLE[0] // CELL_W
    glyphs = [cell(ref, 0, 0)[0], cell(ref, 0, cols - 1)[0]]
    gray = img.convert("L").point(lambda v: 255 if v > 64 else 0)
    width = img.size[0]
    y0 = next((y for y in range(img.size[1]) if gray.crop(
        (0, y, width, y + 1)).histogram()[255] >= 256), None)
    if y0 is None:
        return None, "no long line"
    band = lit_box(img, (0, y0, width, y0 + 4))
    scale = (band[2] - band[0]) / float(rx1 - rx0)
    # Again over the glyphs' whole height at that scale.
    band = lit_box(img, (0, y0, width,
                         y0 + max(4, int((CELL_H - 1 - ry0) * scale))))
    scale = (band[2] - band[0]) / float(rx1 - rx0)
    ox, oy = band[0] - rx0 * scale, y0 - ry0 * scale
    cw, ch = CELL_W * scale, CELL_H * scale

    def at(row, col):
        return (int(round(ox + col * cw)), int(round(oy + row * ch)),
                int(round(ox + (col + 1) * cw)),
                int(round(oy + (row + 1) * ch)))
    dark = [c for c in range(cols) if not lit_box(img, at(0, c))]
    unlit = [c for c in range(len(PROMPT)) if not lit_box(img, at(1, c))]

    def nearest(col):
        got = img.crop(at(0, col)).convert("L").resize(
            (CELL_W, CELL_H), Image.BILINEAR).tobytes()
        d = [sum(abs(a - b) for a, b in zip(got, g)) for g in glyphs]
        return "#@"[d.index(min(d))]
    # Each cell at that scale is the glyph it should be: a wrong scale
    # (a console cropped, not scaled) puts cells across glyphs.
    read = "".join(nearest(c) for c in range(cols))
    wrong = [c for c in range(cols) if read[c] != "#@"[c == cols - 1]]
    if dark or unlit or wrong:
        return scale, "scale %.3f, line at %d,%d: columns %s empty, " \
            "columns %s not the glyph they should be, prompt columns %s " \
            "empty" % (scale, ox, oy, dark[:8], wrong[:8], unlit)
    return scale, ""


def remote_viewer_window(work, port, ref, tap):
    """remote-viewer itself, in an Xvfb screen with no window manager (its
    window takes the console's 1024x768 with its header bar in it, so its
    picture area is smaller than the console), shows the whole console
    scaled down (scaled_console)."""
    need = [t for t in ("Xvfb", "remote-viewer", "xwd", "xauth", "mcookie")
            if not shutil.which(t)]
    name = "remote_viewer_window_shows_the_whole_console_scaled"
    if need:
        tap.skip(name, "no " + " ".join(need))
        return
    sys.path.insert(0, os.path.join(TOP, "tests", "x11"))
    from x11_test import Fixture
    fx = Fixture(work, None)
    why = "no picture"
    try:
        fx.start_x("1280x1024")
        fx.procs.append(subprocess.Popen(
            ["remote-viewer", "spice://127.0.0.1:%d" % port], env=fx.env,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(
                work, "remote-viewer.log"), "w")))
        for _ in range(30):
            time.sleep(1)
            img = xwd_picture(subprocess.check_output(
                ["xwd", "-root", "-silent"], env=fx.env))
            img.save(os.path.join(work, "remote-viewer.png"))
            scale, why = scaled_console(img, ref)
            if not why and scale > 0.999:
                why = "not scaled (%.3f): the window is the console's " \
                    "size or larger" % scale
            if not why:
                tap.comment("remote-viewer: the console scaled by %.3f to "
                            "%dx%d" % (scale, CONSOLE[0] * scale,
                                       CONSOLE[1] * scale))
                break
    except (OSError, RuntimeError, ValueError,
            subprocess.CalledProcessError) as e:
        why = str(e)
    finally:
        fx.stop()
    tap.ok(not why, name, why + " (%s)" % os.path.join(
        work, "remote-viewer.png"))


def case_console_resize(args, tap):
    from vm import QMP
    port = free_port()
    work = os.path.join(args.work, "console-resize")
    os.makedirs(work, exist_ok=True)
    qmp_path = os.path.join(work, "qmp.sock")
    demo = subprocess.Popen([os.path.join(TOP, "scripts", "qemu", "run-demo"),
                             "--qemu", args.qemu, "--module", args.module,
                             "--port", str(port), "--work", work,
                             "--qmp", qmp_path],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    qmp = None
    try:
        line, out = "", ""
        while True:
            line = demo.stdout.readline()
            out += line
            if not line or line.startswith("connect with:"):
                break
        if not tap.ok(line.startswith("connect with:"), "run_demo_starts",
                      out[-400:]):
            return
        qmp = QMP(qmp_path)
        # The console: the banner and the long "Try:" line on rows 1-2.
        band = (0, 0, 1024, 32)
        first = None
        for _ in range(90):
            shot = screenshot(port, os.path.join(work, "boot.ppm"))
            if shot and shot.size == CONSOLE:
                lit = sum(1 for v in shot.crop(band).convert("L").getdata()
                          if v > 64)
                if lit > 400:
                    first = shot
                    break
            time.sleep(2)
        if not tap.ok(first is not None, "console_up_at_1024x768"):
            return
        # The long line, typed through a SPICE client's keyboard.
        r = spice_client(port, "--key-gap", "40", "--timeout", "60", "key",
                         key_codes(LONG_LINE))
        ref, why = None, "keys not sent: " + r.stdout[-200:]
        for _ in range(30 if r.returncode == 0 else 0):
            img = qmp_screendump(qmp, os.path.join(work, "typed.ppm"))
            ok, why = console_whole(img)
            if ok:
                ref = img
                break
            time.sleep(1)
        if not tap.ok(ref is not None,
                      "long_line_fills_128_columns_prompt_below", why):
            return
        # Shrink, grow, and the size of a fullscreen window on a 1280x1024
        # monitor: each client stays connected at its size.
        for size in ("800x600", "1920x1080", "1280x1024"):
            client = subprocess.Popen(["/usr/bin/python3", os.path.join(
                TOP, "tests", "run", "resize_client.py"), "--port",
                str(port), size], stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
            # The guest's mode would change within a few seconds (the IRQ,
            # the work, fbdev's probe): ten rounds of a screendump and a
            # SPICE client's picture, each checked cell by cell.
            dumps, pictures = [], []
            for n in range(10):
                dumps.append(console_whole(qmp_screendump(
                    qmp, os.path.join(work, "%s-qmp.ppm" % size)), ref))
                pictures.append(console_whole(screenshot(
                    port, os.path.join(work, "%s.ppm" % size)), ref))
                time.sleep(0.5)
            # sysfs while the client is there: the large modes stay.
            if size == "800x600":
                sysfs_modes(port, work, tap, (800, 600))
            client.terminate()
            said, _ = client.communicate(timeout=30)
            bad = [why for ok, why in dumps if not ok]
            tap.ok(not bad, "client_window_%s_screendump_shows_prompt_and_"
                   "long_line_whole" % size,
                   "%d of 10 bad, first: %s" % (len(bad), bad[:1]))
            bad = [why for ok, why in pictures if not ok]
            tap.ok(not bad, "client_window_%s_spice_picture_shows_prompt_"
                   "and_long_line_whole" % size,
                   "%d of 10 bad, first: %s" % (len(bad), bad[:1]))
            # The resizing client itself gets the whole console (it
            # scales it into its window, as with QEMU's qxl).
            got = set(re.findall(r"^primary (\d+x\d+)$", said, re.M))
            tap.ok("sent " + size in said and got == {"1024x768"},
                   "client_window_%s_client_gets_the_whole_1024x768_"
                   "console" % size, said[-300:])
        # The viewer a user runs; the console still whole under it.
        remote_viewer_window(work, port, ref, tap)
        ok, why = console_whole(qmp_screendump(
            qmp, os.path.join(work, "remote-viewer-qmp.ppm")), ref)
        tap.ok(ok, "remote_viewer_screendump_shows_prompt_and_long_line_"
               "whole", why)
    finally:
        if qmp:
            qmp.close()
        os.killpg(demo.pid, signal.SIGINT)
        try:
            demo.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()


CASES = {"secrets": case_secrets, "disconnect": case_disconnect,
         "docs": case_docs, "cache": case_cache,
         "console-resize": case_console_resize}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--qemu",
                    default=os.path.join(TOP, "build/qemu/qemu-system-x86_64"))
    ap.add_argument("--module", default=os.path.join(TOP, "build/guest/qxlng.ko"))
    ap.add_argument("--serve", default=os.path.join(TOP, "build/bin/spice-serve"))
    ap.add_argument("--work", default=os.path.join(TOP, "build/tests/run"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    tap = Tap()
    CASES[args.case](args, tap)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
