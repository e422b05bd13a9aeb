#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The spice-core object's image-compression, streaming-video and
video-quality properties on the project's QEMU (issue 11).

QEMU starts stopped (-S, -machine none, -accel tcg, no guest) with a
spice-core object on the command line; over QMP, qom-get reads back its
properties and object-add makes one object per accepted value, each read
back, then deleted.  Bad values fail, on the command line (QEMU exits with
a message naming the property) and in object-add.  TAP output.

usage: props.py --qemu build/qemu/qemu-system-x86_64 --work DIR
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "interop"))
from peers import free_port  # noqa: E402

COMPRESSIONS = ["auto_glz", "auto_lz", "quic", "glz", "lz", "lz4", "off"]
STREAMING = ["off", "all", "filter"]
QUALITIES = [1, 50, 100]
BAD = [("image-compression", "zip"), ("image-compression", "LZ"),
       ("streaming-video", "on"), ("streaming-video", "yes"),
       ("video-quality", "0"), ("video-quality", "101"),
       ("video-quality", "high")]

n_tests = 0
n_failed = 0


def ok(cond, name, why=""):
    global n_tests, n_failed
    n_tests += 1
    if not cond:
        n_failed += 1
        for line in str(why).splitlines():
            print("#   " + line)
    print("%sok %d %s" % ("" if cond else "not ", n_tests, name))
    sys.stdout.flush()


def base_cmd(qemu):
    return [qemu, "-accel", "tcg", "-machine", "none", "-S", "-nodefaults",
            "-display", "none", "-monitor", "none", "-serial", "none"]


def obj_arg(oid, port, **props):
    s = "spice-core,id=%s,port=%d,disable-ticketing=on" % (oid, port)
    for k, v in props.items():
        s += ",%s=%s" % (k.replace("_", "-"), v)
    return s


class QMP:
    def __init__(self, path, proc, timeout=60):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("QMP socket never came up: %s" %
                                       proc.stderr.read())
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.f = self.sock.makefile("rw")
        json.loads(self.f.readline())
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        """(return value, None) or (None, error description)."""
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "event" in reply:
                continue
            if "error" in reply:
                return None, reply["error"].get("desc", str(reply["error"]))
            return reply.get("return"), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    qmp_path = os.path.join(a.work, "qmp.sock")
    if os.path.exists(qmp_path):
        os.unlink(qmp_path)
    print("TAP version 13")

    # -object ...,help lists the three properties.
    r = subprocess.run([a.qemu, "-object", "spice-core,help"],
                       capture_output=True, text=True, timeout=60)
    for p in ("image-compression", "streaming-video", "video-quality"):
        ok(p in r.stdout, "help_lists_" + p, r.stdout + r.stderr)

    # Bad values on the command line: QEMU exits, naming the property.
    for prop, val in BAD:
        r = subprocess.run(base_cmd(a.qemu) + [
            "-object", obj_arg("sc0", free_port(), **{prop: val})],
            capture_output=True, text=True, timeout=60)
        ok(r.returncode != 0 and prop in r.stderr,
           "cmdline_refuses_%s_%s" % (prop, val),
           "exit %d, stderr: %s" % (r.returncode, r.stderr))

    # Defaults and a command-line setting, read back; then object-add.
    proc = subprocess.Popen(base_cmd(a.qemu) + [
        "-qmp", "unix:%s,server=on,wait=off" % qmp_path,
        "-object", obj_arg("dflt", free_port()),
        "-object", obj_arg("set", free_port(), image_compression="lz4",
                           streaming_video="filter", video_quality=33)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        q = QMP(qmp_path, proc)

        def get(oid, prop):
            v, err = q.cmd("qom-get", path="/objects/" + oid, property=prop)
            return v if err is None else "error: " + err

        for prop, want in (("image-compression", "auto_glz"),
                           ("streaming-video", "off"),
                           ("video-quality", 80)):
            got = get("dflt", prop)
            ok(got == want, "default_%s_is_%s" % (prop, want),
               "got %r" % (got,))
        for prop, want in (("image-compression", "lz4"),
                           ("streaming-video", "filter"),
                           ("video-quality", 33)):
            got = get("set", prop)
            ok(got == want, "cmdline_%s_%s_reads_back" % (prop, want),
               "got %r" % (got,))

        values = [("image-compression", v) for v in COMPRESSIONS] + \
                 [("streaming-video", v) for v in STREAMING] + \
                 [("video-quality", v) for v in QUALITIES]
        for prop, val in values:
            _, err = q.cmd("object-add", **{
                "qom-type": "spice-core", "id": "t", "port": free_port(),
                "disable-ticketing": True, prop: val})
            got = get("t", prop) if err is None else "error: " + err
            q.cmd("object-del", id="t")
            ok(got == val, "object_add_%s_%s_reads_back" % (prop, val),
               "got %r" % (got,))
        for prop, val in BAD:
            if prop == "video-quality" and val.isdigit():
                val = int(val)
            _, err = q.cmd("object-add", **{
                "qom-type": "spice-core", "id": "bad", "port": free_port(),
                "disable-ticketing": True, prop: val})
            ok(err is not None and prop in err,
               "object_add_refuses_%s_%s" % (prop, val), "error %r" % err)
            if err is None:
                q.cmd("object-del", id="bad")
        # Fixed once running.
        _, err = q.cmd("qom-set", path="/objects/set",
                       property="image-compression", value="off")
        ok(err is not None and get("set", "image-compression") == "lz4",
           "running_object_keeps_its_setting", "error %r" % err)
        q.cmd("quit")
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    print("1..%d" % n_tests)
    print("# %d tests, %d failed" % (n_tests, n_failed))
    return 1 if n_failed else 0


if __name__ == "__main__":
    sys.exit(main())
