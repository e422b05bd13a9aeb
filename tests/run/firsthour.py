#!/usr/bin/python3
"""The first hour with qxl-ng (issue 18): what a newcomer runs must work as
written and keep secrets out of sight.

    firsthour.py secrets     make run's password: never on a command line,
                             never left in a file, even after Ctrl-C
    firsthour.py disconnect  a client's normal disconnect is one debug line
                             with its address, nothing at the default level

Options: --qemu BIN, --module KO, --serve BIN (spice-serve), --work DIR.
Output is TAP; the exit status is 1 when a case failed.
"""

import argparse
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
from tap import Tap  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


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
    # make's recipe (what the shell running it gets as its -c argument)
    # never holds the password: it reaches run-demo through the environment.
    r = subprocess.run(["make", "-C", TOP, "-n", "--no-print-directory",
                        "qemu-run", "PASSWORD=" + pw],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    tap.ok(r.returncode == 0 and "run-demo" in r.stdout and pw not in r.stdout,
           "make_run_recipe_has_no_password",
           r.stdout[-400:])

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
        # glib writes debug and info lines to stdout, the rest to stderr.
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


CASES = {"secrets": case_secrets, "disconnect": case_disconnect}


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
