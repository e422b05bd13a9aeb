#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench-vs-ref (make bench): each workload (tests/bench/workload.c) played
by bench-ours (device simulator -> device -> display-sink adapter ->
spice-core -> socket) and by bench-ref (libspice-server 0.15 through its QXL
interface, in each of REF_MODES), one after the other, REPEAT rounds
interleaved, each watched by the same spice-gtk client (client.py).

Per run: bytes a frame shown (the client's display channel after frame 0,
divided by the frames it showed), server CPU ms a frame shown (process CPU
less the guest side, divided the same way; per frame played too), frames
the client showed, update latency (submit -> shown) p50/p99.  The reference's best
mode per workload is the one with the fewest bytes (its CPU in that mode
is the one compared; the lowest CPU over its modes is printed too).  The
client's last picture must be identical between ours and the reference's
best mode.

Environment: WORKLOADS (comma list), REPEAT (default 1), REF_MODES
(default auto_glz,lz4), BUILD.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
OUT = os.path.join(BUILD, "bench", "runs")
WORKLOADS = os.environ.get("WORKLOADS", "photo,text,drag,drag-blit,full30").split(",")
REPEAT = int(os.environ.get("REPEAT", "1"))
REF_MODES = os.environ.get("REF_MODES", "auto_glz,lz4").split(",")
FRAMES = {"photo": 30, "text": 50, "drag": 50, "drag-blit": 50, "full30": 300}
PY = "/usr/bin/python3"


def readline(p, timeout):
    import select
    end = time.time() + timeout
    buf = b""
    fd = p.stdout.fileno()
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            c = os.read(fd, 1)
            if not c:
                return None
            if c == b"\n":
                return buf.decode()
            buf += c
    return None


def run(side, wl, mode, tag):
    os.makedirs(OUT, exist_ok=True)
    base = os.path.join(OUT, "%s-%s-%s" % (wl, tag, side if side == "ours" else mode))
    if side == "ours":
        cmd = [os.path.join(BUILD, "bench", "bench-ours"), "--workload", wl]
    else:
        cmd = [os.path.join(BUILD, "bench", "bench-ref"), "--workload", wl,
               "--compression", mode]
    if os.environ.get("BENCH_WRAP_" + side.upper()):   # e.g. perf record
        cmd = os.environ["BENCH_WRAP_" + side.upper()].split() + cmd
    err = open(base + ".server.log", "w")
    srv = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=err)
    line = readline(srv, 60)
    if not line or not line.startswith("port "):
        srv.kill()
        raise RuntimeError("%s did not start: %r" % (cmd, line))
    port = int(line.split()[1])
    cli = subprocess.Popen([PY, os.path.join(HERE, "client.py"), "--port", str(port),
                            "--frames", str(FRAMES[wl]), "--out", base + ".json",
                            "--dump", base + ".ppm"],
                           stdout=subprocess.PIPE, stderr=open(base + ".client.log", "w"))
    ready = readline(cli, 60)
    if ready != "ready":
        srv.kill()
        cli.kill()
        raise RuntimeError("client not ready (%s %s)" % (side, wl))
    srv.stdin.write(b"go\n")
    srv.stdin.flush()
    readline(srv, 120)                  # played
    cli.wait(timeout=180)
    srv.stdin.write(b"stop\n")
    srv.stdin.flush()
    out, _ = srv.communicate(timeout=60)
    res = {"side": side, "mode": mode}
    submit = {}
    for l in out.decode().splitlines():
        w = l.split()
        if not w:
            continue
        if w[0] in ("cpu_ms", "guest_ms", "bytes_sent"):
            res[w[0]] = float(w[1])
        elif w[0] == "submit":
            submit[int(w[1])] = int(w[2]) / 1e6
        elif w[0] == "stats":
            res["stats"] = " ".join(w[1:])
    c = json.load(open(base + ".json"))
    seen = {int(k): v for k, v in c["seen"].items() if int(k) > 0}
    n = FRAMES[wl]
    res["frames"] = len(seen)
    # Bytes per frame the client showed: a server that drops frames does
    # not look cheaper for it.
    res["bytes_frame"] = (c["bytes"] or 0) / max(len(seen), 1)
    # CPU the same way (a server that shows fewer frames did less work);
    # per frame played too, in the lines of each run.
    res["cpu_frame"] = res.get("cpu_ms", 0) / max(len(seen), 1)
    res["cpu_played"] = res.get("cpu_ms", 0) / n
    lat = sorted((seen[i] - submit[i]) * 1000 for i in seen if i in submit)
    res["p50"] = lat[len(lat) // 2] if lat else float("nan")
    res["p99"] = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
    res["ppm"] = base + ".ppm"
    return res


def avg(rs, k):
    return sum(r[k] for r in rs) / len(rs)


def same_picture(a, b):
    try:
        return open(a, "rb").read() == open(b, "rb").read()
    except OSError:
        return False


def main():
    table = []
    for wl in WORKLOADS:
        runs = {"ours": []}
        for m in REF_MODES:
            runs[m] = []
        for r in range(REPEAT):
            runs["ours"].append(run("ours", wl, None, str(r)))
            for m in REF_MODES:
                runs[m].append(run("ref", wl, m, str(r)))
        o = {k: avg(runs["ours"], k) for k in ("bytes_frame", "cpu_frame", "cpu_played", "frames", "p50", "p99")}
        refs = {m: {k: avg(runs[m], k) for k in ("bytes_frame", "cpu_frame", "cpu_played", "frames", "p50", "p99")}
                for m in REF_MODES}
        best = min(REF_MODES, key=lambda m: refs[m]["bytes_frame"])
        rb = refs[best]
        cpu_min = min(refs[m]["cpu_frame"] for m in REF_MODES)
        # Against the best mode: a mode that never reached the last frame
        # (lz4 at 30 fps) has no last picture to compare.
        identical = all(same_picture(runs["ours"][i]["ppm"], runs[best][i]["ppm"])
                        for i in range(REPEAT))
        for m in REF_MODES:
            print("  ref %-8s %-9s bytes/frame %10.0f  cpu %7.2f ms/frame (%6.2f played)  "
                  "frames %5.1f/%d  "
                  "latency p50 %6.1f p99 %6.1f ms" % (m, wl, refs[m]["bytes_frame"],
                                                     refs[m]["cpu_frame"],
                                                     refs[m]["cpu_played"], refs[m]["frames"],
                                                     FRAMES[wl], refs[m]["p50"], refs[m]["p99"]))
        if REPEAT > 1:
            # The spread: each round's ours against the same round's
            # reference (best mode), as the machine's load moves.
            print("  rounds        %-9s CPU ratio %s  bytes ratio %s" % (
                wl, " ".join("%.2f" % (runs["ours"][i]["cpu_frame"] /
                                       max(runs[best][i]["cpu_frame"], 1e-9))
                             for i in range(REPEAT)),
                " ".join("%.2f" % (runs["ours"][i]["bytes_frame"] /
                                   max(runs[best][i]["bytes_frame"], 1))
                         for i in range(REPEAT))))
        print("  ours          %-9s bytes/frame %10.0f  cpu %7.2f ms/frame (%6.2f played)  "
              "frames %5.1f/%d  "
              "latency p50 %6.1f p99 %6.1f ms  (%s)" % (wl, o["bytes_frame"], o["cpu_frame"],
                                                        o["cpu_played"],
                                                        o["frames"], FRAMES[wl], o["p50"],
                                                        o["p99"], runs["ours"][-1].get("stats", "")))
        sys.stdout.flush()
        table.append((wl, o, best, rb, cpu_min, identical))
    print()
    print("%-9s | %-22s | %-22s | %-9s %-9s | %-13s | %-13s | %s" % (
        "workload", "bytes/frame ours (ref)", "CPU ms/frame ours (ref)", "bytes", "CPU",
        "frames", "p99 ms", "last frame"))
    print("%-9s | %-22s | %-22s | %-9s %-9s | %-13s | %-13s | %s" % (
        "", "", "", "ratio", "ratio", "ours (ref)", "ours (ref)", "identical"))
    print("-" * 130)
    for wl, o, best, rb, cpu_min, identical in table:
        print("%-9s | %9.0f (%9.0f) | %8.2f (%8.2f %s) | %-9.2f %-9.2f | %5.0f (%5.0f) | %5.1f (%5.1f) | %s" % (
            wl, o["bytes_frame"], rb["bytes_frame"], o["cpu_frame"], rb["cpu_frame"], best,
            o["bytes_frame"] / max(rb["bytes_frame"], 1), o["cpu_frame"] / max(rb["cpu_frame"], 1e-9),
            o["frames"], rb["frames"], o["p99"], rb["p99"], "yes" if identical else "NO"))
    print("(ref = libspice-server 0.15.1 in its mode with the fewest bytes: shown after its CPU; "
          "ratios ours/ref; frames = of %s)" % ", ".join("%s %d" % (w, FRAMES[w]) for w in WORKLOADS))


main()
