#!/usr/bin/python3
"""migration.py: savevm/loadvm and live migration of qxlng-vga.

    tests/migration/migration.py [--qemu BIN] [--work DIR]

One guest (the interop initramfs, our qxlng.ko) on our QEMU under TCG,
with -device qxlng-vga and a second head -device qxlng served by
-spice, shows modetest's SMPTE
bars; QMP screendump of that is picture A.  Then:

  savevm      savevm to a qcow2 image, the screen changed (modetest
              stopped: the console), loadvm: the screendump is A again
              and the guest answers its console
  migrate     live migration (migrate tcp:127.0.0.1:PORT) to a second
              QEMU started with -incoming: the destination's screendump
              is A (the second head's is as before), its guest keeps
              running (a new mode set after the
              migration shows on the destination), the source ends in
              postmigrate
  client      a real spice-gtk client (follow_client.py) connected to
              the source shows A; QMP client_migrate_info with bad
              arguments fails and changes nothing, with good ones
              succeeds; after the migration the source emits
              SPICE_MIGRATE_COMPLETED, the client follows the VM
              and shows A from the destination, then the
              destination's new mode
  seamless    the source has seamless-migration=on (as libvirt starts
              it): the client follows seamlessly: it got
              MIGRATE_BEGIN_SEAMLESS, linked to the destination before
              the migration started and was acked there; at the end
              every channel got SPICE_MSG_MIGRATE and handed its data to
              the destination; the client kept its display channel and
              its surface (no primary destroyed or created, no new MARK,
              no new channel object, no spice-gtk critical), no
              MIGRATE_BEGIN, MIGRATE_END or switch-host anywhere
  semi-seamless  then the destination (seamless-migration off) migrates
              on to a third QEMU: the client follows semi-seamlessly
              (MIGRATE_BEGIN, MIGRATE_END; its channels reset: the
              target marks its display again) and shows the picture
              there
  cancel      before that, a migration to another -incoming QEMU
              cancelled (migrate_cancel) after the client linked there:
              the source sends MIGRATE_CANCEL, the client stays on the
              source and sees a new drawing there
  bad-stream  -incoming exec: of a migration stream cut short, and of
              one whose qxlng-vga state is corrupted or claims a huge
              size: QEMU refuses it with a clear error and exits with
              status 1, no crash

Prints TAP; exits 1 on failure.  Failures print the QEMU log lines that
explain them.  Needs /usr/bin/python3 (PIL) and qemu-img.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from tap import Tap  # noqa
import vm  # noqa
from vm import Guest, GuestError, QMP, TOP, same_pixels  # noqa
import interop  # noqa

BUILD = os.path.join(TOP, "build")
STATE_MAGIC = b"SLXQ"       # the device core's saved state (state.c)


def progress(msg):
    print("# [%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def log_tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return "(no %s)" % path
    return " | ".join(lines[-n:]) or "(empty %s)" % os.path.basename(path)


class RecordingQMP(QMP):
    """vm.QMP that keeps the events it reads past, and can fail on
    purpose: bad() returns the error a command gets (None if none)."""

    def __init__(self, *a, **kw):
        self.events = []
        QMP.__init__(self, *a, **kw)

    def _reply(self, name):
        while True:
            line = self.f.readline()
            if not line:
                raise GuestError("QMP closed during %s" % name)
            reply = json.loads(line)
            if "event" in reply:
                self.events.append(reply["event"])
                continue
            return reply

    def send(self, name, args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        return self._reply(name)

    def cmd(self, name, **args):
        reply = self.send(name, args)
        if "error" in reply:
            raise GuestError("QMP %s: %s" % (name, reply["error"]))
        return reply.get("return")

    def bad(self, name, **args):
        reply = self.send(name, args)
        return reply["error"]["desc"] if "error" in reply else None


vm.QMP = RecordingQMP       # Guest.start() makes its QMP from vm.QMP


class IncomingGuest(Guest):
    """A QEMU started with -incoming: its guest is already up, so start()
    waits for QMP only."""

    def start(self, timeout=180):
        return Guest.start(self, timeout, wait_ready=False)


def device_args(port, seamless=False):
    # -spice, as libvirt starts it (with seamless-migration=on):
    # client_migrate_info acts on its server.  A second head (qxlng, not
    # VGA) migrates along.
    return ["-spice", "port=%d,addr=127.0.0.1,disable-ticketing=on%s" % (
        port, ",seamless-migration=on" if seamless else ""),
            "-device", "qxlng-vga,id=head0", "-device", "qxlng,id=head1"]


def start_incoming(args, src, work, name):
    """A destination QEMU for src's guest, waiting on -incoming tcp:
    (the Guest, its SPICE port, its migration port).  Its SPICE has
    seamless-migration off: a migration from it goes semi-seamless."""
    port = interop.free_port()
    mig_port = interop.free_port()
    dst = IncomingGuest(args.qemu, src.initrd_path, device_args(port),
                        os.path.join(work, name),
                        extra_args=["-incoming",
                                    "tcp:127.0.0.1:%d" % mig_port])
    dst.initrd_path = src.initrd_path
    dst.start()
    return dst, port, mig_port


def modetest_mode(g, mode):
    """modetest SMPTE bars at `mode` in the background, as
    interop.modetest_start does at 1024x768."""
    conn = interop.connector(g, "qxlng")
    g.run("rm -f /tmp/mt.in; mkfifo /tmp/mt.in")
    g.run("modetest -M qxlng -s %s:%s < /tmp/mt.in > /tmp/mt.log 2>&1 & "
          "MT=$!; exec 3> /tmp/mt.in" % (conn, mode))
    g.run("sleep 1; kill -0 $MT || { cat /tmp/mt.log; false; }")


def wait_for(g, name, pred, timeout=90):
    deadline = time.time() + timeout
    while True:
        img = g.stable_screendump(name)
        if pred(img) or time.time() > deadline:
            return img
        time.sleep(0.5)


def wait_migration(qmp, timeout=300):
    deadline = time.time() + timeout
    while True:
        info = qmp.cmd("query-migrate")
        status = info.get("status")
        if status in ("completed", "failed", "cancelled"):
            return info
        if time.time() > deadline:
            return info
        time.sleep(0.5)


def hmp(g, line):
    return g.qmp.cmd("human-monitor-command", **{"command-line": line})


def case_savevm(tap, g, shot_a):
    progress("savevm")
    out = hmp(g, "savevm snap1")
    tap.ok(not out.strip(), "savevm_succeeds", out.strip())
    interop.modetest_stop(g)
    console = wait_for(g, "changed", lambda i: not interop.is_smpte(i))
    tap.ok(not same_pixels(console, shot_a)[0],
           "screen_changed_after_savevm")
    progress("loadvm")
    out = hmp(g, "loadvm snap1")
    tap.ok(not out.strip(), "loadvm_succeeds", out.strip())
    same, why = same_pixels(g.stable_screendump("after-loadvm"), shot_a)
    tap.ok(same, "screendump_after_loadvm_equals_A",
           why + " | " + log_tail(os.path.join(g.work, "qemu.stderr")))
    out = g.run("echo loaded-$((6*7))")
    tap.ok("loaded-42" in out, "guest_runs_after_loadvm", out.strip())


def client_picture(prefix, port, want, timeout=90):
    """The follow client's latest picture for `port` once it equals
    `want` (a PIL image or a predicate), else the last one (or None)."""
    path = "%s-%s.ppm" % (prefix, port)
    deadline = time.time() + timeout
    img = None
    while True:
        if os.path.exists(path):
            try:
                img = Image.open(path)
                img.load()
                img = img.convert("RGB")
            except OSError:
                img = None
            if img is not None and (want(img) if callable(want) else
                                    same_pixels(img, want)[0]):
                return img
        if time.time() > deadline:
            return img
        time.sleep(0.5)


def log_count(path, text):
    try:
        with open(path, errors="replace") as f:
            return f.read().count(text)
    except OSError:
        return 0


def wait_log(path, text, count=1, timeout=60):
    """Whether `text` shows `count` times in the log at `path` within
    `timeout` seconds."""
    deadline = time.time() + timeout
    while log_count(path, text) < count:
        if time.time() > deadline:
            return False
        time.sleep(0.2)
    return True


def grep(path, *texts):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return "(no %s)" % path
    return " | ".join(l for l in lines if any(t in l for t in texts)) or \
        "(nothing in %s)" % os.path.basename(path)


MIG_TEXTS = ("MIGRATE_", "migrating client", "migration target",
             "switch-host", "migration started", "switching")


def case_cancel(tap, args, src, prefix, client_log, shot_a, work):
    """A cancelled migration leaves the semi-seamless client on the
    source, working."""
    src_log = os.path.join(src.work, "qemu.stderr")
    dst, port, mig_port = start_incoming(args, src, work, "dst-cancel")
    dst_log = os.path.join(dst.work, "qemu.stderr")
    try:
        progress("a migration to port %d, cancelled" % mig_port)
        src.qmp.cmd("client_migrate_info", protocol="spice",
                    hostname="127.0.0.1", port=port)
        linked = wait_log(src_log, "client connected to the migration "
                          "target") and wait_log(dst_log, "a migrating "
                                                 "client linked")
        tap.ok(linked, "cancel_client_links_to_the_target_first",
               grep(src_log, *MIG_TEXTS) + " | dst: " +
               grep(dst_log, *MIG_TEXTS))
        # Slow enough that it is still running when cancelled.
        src.qmp.cmd("migrate-set-parameters", **{"max-bandwidth": 1 << 20})
        src.qmp.cmd("migrate", uri="tcp:127.0.0.1:%d" % mig_port)
        src.qmp.cmd("migrate_cancel")
        info = wait_migration(src.qmp)
        tap.ok(info.get("status") == "cancelled", "migration_cancelled",
               str(info))
        sent = wait_log(src_log, "MIGRATE_CANCEL sent")
        tap.ok(sent and log_count(src_log, "switch-host sent") == 0 and
               log_count(src_log, "MIGRATE_END sent") == 0,
               "source_sends_migrate_cancel", grep(src_log, *MIG_TEXTS))
        state = src.qmp.cmd("query-status")["status"]
        progress("a new drawing on the source (a new mode)")
        interop.modetest_stop(src)
        modetest_mode(src, "800x600")
        # spice-gtk keeps the cancelled target's port as its session's
        # (it swapped them when it linked there): the latest picture,
        # whose mode only the source shows (that target never ran).
        img = client_picture(prefix, "latest", lambda i: i.size == (
            800, 600) and smpte_at(i))
        tap.ok(state == "running" and img is not None and
               img.size == (800, 600) and smpte_at(img),
               "client_stays_on_source_after_cancel_and_sees_new_drawing",
               "source %s; client picture %s | %s" % (
                   state, img.size if img else "none",
                   log_tail(client_log.name)))
        interop.modetest_stop(src)
        interop.modetest_start(src, "qxlng")
        again = interop.wait_for_smpte(src, "A-again")
        same, why = same_pixels(again, shot_a)
        tap.ok(same, "source_shows_A_again", why)
    finally:
        dst.stop()


def client_migrate_info_checks(tap, qmp, dst_port):
    """Bad arguments fail clearly; the good ones are taken; a bad call
    after them changes nothing (the client later goes to dst_port)."""
    bad = [
        ("protocol_vnc", dict(protocol="vnc", hostname="127.0.0.1",
                              port=dst_port)),
        ("no_port", dict(protocol="spice", hostname="127.0.0.1")),
        ("empty_hostname", dict(protocol="spice", hostname="",
                                port=dst_port)),
        ("port_70000", dict(protocol="spice", hostname="127.0.0.1",
                            port=70000)),
    ]
    for name, a in bad:
        err = qmp.bad("client_migrate_info", **a)
        tap.ok(err is not None, "client_migrate_info_%s_refused" % name,
               "accepted")
        if err:
            tap.comment("client_migrate_info %s: %s" % (name, err))
    err = qmp.bad("client_migrate_info", protocol="spice",
                  hostname="127.0.0.1", port=dst_port)
    tap.ok(err is None, "client_migrate_info_accepted", str(err))
    err = qmp.bad("client_migrate_info", protocol="spice",
                  hostname="bad host", port=dst_port + 1)
    tap.ok(err is not None, "client_migrate_info_bad_host_refused_later",
           "accepted")


def case_migrate(tap, args, src, shot_a, work):
    dst, port, mig_port = start_incoming(args, src, work, "dst")
    prefix = os.path.join(work, "client")
    client_log = open(os.path.join(work, "client.log"), "w")
    client = subprocess.Popen([sys.executable,
                               os.path.join(HERE, "follow_client.py"),
                               "--port", str(src.spice_port),
                               "--out", prefix],
                              stdout=client_log, stderr=subprocess.STDOUT)
    try:
        progress("a SPICE client on the source (port %d)" % src.spice_port)
        img = client_picture(prefix, src.spice_port, shot_a)
        tap.ok(img is not None and same_pixels(img, shot_a)[0],
               "client_on_source_shows_A",
               (same_pixels(img, shot_a)[1] if img else "no picture") +
               " | " + log_tail(client_log.name))
        case_cancel(tap, args, src, prefix, client_log, shot_a, work)
        src_log = os.path.join(src.work, "qemu.stderr")
        dst_log = os.path.join(dst.work, "qemu.stderr")
        client_migrate_info_checks(tap, src.qmp, port)
        # spice-gtk links to the destination after MIGRATE_BEGIN, while
        # the VM still runs here (and the destination waits for it).
        linked = wait_log(src_log, "client connected to the migration "
                          "target", 2) and wait_log(
                              dst_log, "a migrating client linked")
        tap.ok(linked and "migration started" in log_tail(
            client_log.name, 100), "client_links_to_destination_before_"
            "migration", grep(src_log, *MIG_TEXTS) + " | dst: " +
            grep(dst_log, *MIG_TEXTS) + " | " + log_tail(client_log.name))
        head1 = src.stable_screendump("head1-before", device="head1")
        creates = log_count(client_log.name, "display 0: primary ")
        progress("live migration to port %d" % mig_port)
        src.qmp.cmd("migrate-set-parameters",
                    **{"max-bandwidth": 1 << 30, "downtime-limit": 2000})
        src.qmp.cmd("migrate", uri="tcp:127.0.0.1:%d" % mig_port)
        info = wait_migration(src.qmp)
        ram = info.get("ram", {})
        tap.comment("live migration: %d bytes, %d normal pages, %d zero "
                    "pages, %d passes, downtime %d ms" % (
                        ram.get("transferred", 0), ram.get("normal", 0),
                        ram.get("duplicate", 0),
                        ram.get("dirty-sync-count", 0),
                        info.get("downtime", 0)))
        why = "%s | dst: %s" % (info, log_tail(os.path.join(
            dst.work, "qemu.stderr")))
        tap.ok(info.get("status") == "completed", "migration_completes",
               why)
        state = src.qmp.cmd("query-status")["status"]
        tap.ok(state == "postmigrate", "source_in_postmigrate", state)
        # The destination starts a moment after the source says done.
        deadline = time.time() + 60
        while True:
            state = dst.qmp.cmd("query-status")["status"]
            if state != "inmigrate" or time.time() > deadline:
                break
            time.sleep(0.2)
        tap.ok(state == "running", "destination_running", state + " | " +
               log_tail(os.path.join(dst.work, "qemu.stderr")))
        same, why = same_pixels(dst.stable_screendump("dst-after"), shot_a)
        tap.ok(same, "destination_screendump_equals_A", why)
        same, why = same_pixels(dst.stable_screendump(
            "dst-head1", device="head1"), head1)
        tap.ok(same, "second_head_qxlng_equals_after_migration",
               why + " (%dx%d)" % head1.size)
        deadline = time.time() + 30
        while "SPICE_MIGRATE_COMPLETED" not in src.qmp.events and \
                time.time() < deadline:
            src.qmp.cmd("query-status")
            time.sleep(0.5)
        tap.ok("SPICE_MIGRATE_COMPLETED" in src.qmp.events,
               "source_emits_spice_migrate_completed",
               "events: %s" % src.qmp.events)
        img = client_picture(prefix, port, shot_a)
        tap.ok(img is not None and same_pixels(img, shot_a)[0],
               "client_follows_to_destination_and_shows_A",
               (same_pixels(img, shot_a)[1] if img else "no picture") +
               " | " + log_tail(client_log.name) + " | src: " +
               log_tail(src_log))
        check_seamless(tap, src_log, dst_log, client_log.name, creates)
        progress("drawing on the destination")
        interop.modetest_stop(dst)
        modetest_mode(dst, "800x600")
        dump = wait_for(dst, "dst-800x600",
                        lambda i: i.size == (800, 600) and smpte_at(i))
        tap.ok(dump.size == (800, 600) and smpte_at(dump),
               "destination_guest_draws_a_new_mode",
               "size %dx%d" % dump.size)
        img = client_picture(prefix, port, dump)
        tap.ok(img is not None and img.size == (800, 600) and smpte_at(img),
               "client_shows_the_new_mode_from_destination",
               "size %s" % (img.size if img else "none",))
        last = case_semi_seamless(tap, args, dst, prefix, client_log.name,
                                  dump, work)
        interop.modetest_stop(last)
        # A valid stream of the running guest, for the next case.
        stream = os.path.join(work, "stream")
        last.qmp.cmd("migrate", uri="exec:cat > %s" % stream)
        info = wait_migration(last.qmp)
        tap.ok(info.get("status") == "completed",
               "stream_saved_to_a_file", str(info))
        return stream
    finally:
        client.kill()
        client.wait()
        client_log.close()
        dst.stop()
        if getattr(dst, "next", None):
            dst.next.stop()


def check_seamless(tap, src_log, dst_log, client_log, creates):
    """The client followed seamlessly: the logs of both QEMUs and of the
    client say so, and its display kept its surface (`creates`: the
    client's primary-create lines before the migration)."""
    with open(client_log, errors="replace") as f:
        text = f.read()
    mig = text[text.rfind("migration started"):]
    ok_src = (log_count(src_log, "MIGRATE_BEGIN_SEAMLESS sent") >= 1 and
              wait_log(src_log, "(seamless)") and
              log_count(src_log, "SPICE_MSG_MIGRATE sent on") == 1 and
              wait_log(src_log, "migration data sent", 4) and
              log_count(src_log, "MIGRATE_BEGIN sent") == 0 and
              log_count(src_log, "MIGRATE_END sent") == 0 and
              log_count(src_log, "switch-host sent") == 0)
    ok_dst = (log_count(dst_log, "seamless migration accepted") == 1 and
              wait_log(dst_log, "migration data taken", 3) and
              log_count(dst_log, "the client keeps its") >= 1 and
              log_count(dst_log, "switched to us (MIGRATE_END)") == 0)
    tap.ok(ok_src and ok_dst and "switching" not in text,
           "client_followed_seamlessly",
           "src: %s | dst: %s | client: %s" % (
               grep(src_log, *MIG_TEXTS), grep(dst_log, *MIG_TEXTS),
               log_tail(client_log)))
    tap.ok("primary destroyed" not in mig and "new channel" not in mig and
           "display 0: mark" not in mig and "CRITICAL" not in mig and
           log_count(client_log, "display 0: primary ") == creates,
           "client_kept_its_display_channel_and_surface",
           "after 'migration started': %s" % " | ".join(
               l for l in mig.splitlines() if "primary" in l or
               "new channel" in l or "mark" in l or "CRITICAL" in l))


def case_semi_seamless(tap, args, g, prefix, client_log, shown, work):
    """g (seamless-migration off) migrates to a third QEMU with the
    client attached: it follows semi-seamlessly.  Returns that QEMU."""
    g_log = os.path.join(g.work, "qemu.stderr")
    nxt, port, mig_port = start_incoming(args, g, work, "dst2")
    g.next = nxt
    nxt_log = os.path.join(nxt.work, "qemu.stderr")
    marks = log_count(client_log, "display 0: mark 1")
    progress("semi-seamless: on to port %d" % mig_port)
    g.qmp.cmd("client_migrate_info", protocol="spice",
              hostname="127.0.0.1", port=port)
    linked = wait_log(g_log, "client connected to the migration target") \
        and wait_log(nxt_log, "a migrating client linked")
    g.qmp.cmd("migrate-set-parameters",
              **{"max-bandwidth": 1 << 30, "downtime-limit": 2000})
    g.qmp.cmd("migrate", uri="tcp:127.0.0.1:%d" % mig_port)
    info = wait_migration(g.qmp)
    # spice-gtk names the session after the target from the start (the
    # port file may hold the source's pictures): the reset display's new
    # MARK from the target says the switch happened.
    marked = wait_log(client_log, "display 0: mark 1", marks + 1)
    img = client_picture(prefix, "latest", shown)
    tap.ok(linked and info.get("status") == "completed" and
           log_count(g_log, "MIGRATE_BEGIN sent") == 1 and
           log_count(g_log, "MIGRATE_BEGIN_SEAMLESS sent") == 0 and
           wait_log(g_log, "MIGRATE_END sent") and
           wait_log(nxt_log, "switched to us (MIGRATE_END)") and
           log_count(g_log, "switch-host sent") == 0,
           "without_seamless_migration_the_client_follows_semi_seamlessly",
           "%s | from: %s | to: %s" % (info.get("status"),
                                      grep(g_log, *MIG_TEXTS),
                                      grep(nxt_log, *MIG_TEXTS)))
    tap.ok(marked and img is not None and same_pixels(img, shown)[0],
           "semi_seamless_client_resets_its_display_and_shows_the_picture",
           "marked again: %s | %s | %s" % (
               marked, same_pixels(img, shown)[1] if img else "no picture",
               log_tail(client_log)))
    return nxt


def smpte_at(img):
    """modetest's seven top bars at any size."""
    want = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0),
            (192, 0, 192), (192, 0, 0), (0, 0, 192)]
    w, h = img.size
    return [img.getpixel((int((i + 0.5) * w / 7), h // 8))
            for i in range(7)] == want


def incoming_from(args, work, name, stream):
    """QEMU -incoming exec:cat STREAM; (exit status, stderr)."""
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    argv = [args.qemu, "-accel", "tcg", "-cpu", "max", "-m", "512",
            "-L", "/usr/share/seabios", "-L", "/usr/share/qemu",
            "-display", "none", "-vga", "none", "-net", "none",
            "-monitor", "none", "-serial", "null", "-no-reboot",
            "-device", "qxlng-vga,id=head0", "-device", "qxlng,id=head1",
            "-incoming", "exec:cat %s" % stream]
    try:
        p = subprocess.run(argv, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, timeout=240)
    except subprocess.TimeoutExpired:
        return None, "still running after 240 s"
    with open(os.path.join(d, "qemu.stderr"), "w") as f:
        f.write(p.stderr)
    return p.returncode, p.stderr.strip()


def case_bad_stream(tap, args, work, stream):
    with open(stream, "rb") as f:
        data = f.read()
    at = data.rfind(STATE_MAGIC)
    tap.ok(at > 8, "device_state_found_in_stream", "magic at %d" % at)
    if at <= 8:
        return
    bad = {}
    bad["truncated"] = data[:at + 40]
    # The version field after the magic.
    bad["corrupt-state"] = (data[:at + 4] + b"\x77\x00\x00\x00" +
                            data[at + 8:])
    # The state's length field (u32 BE, just before the buffer).
    bad["huge-size"] = data[:at - 4] + b"\xff\xff\xff\xf0" + data[at:]
    expect = {
        "truncated": "",
        # (the last device state in the stream is the second head's)
        "corrupt-state": "qxlng: bad device state: state version 119",
        "huge-size": "saved device state of 4294967280 bytes",
    }
    for name, blob in bad.items():
        path = os.path.join(work, "stream-" + name)
        with open(path, "wb") as f:
            f.write(blob)
        progress("incoming from %s" % os.path.basename(path))
        rc, err = incoming_from(args, work, "in-" + name, path)
        last = err.splitlines()[-3:] if err else []
        tap.ok(rc == 1 and expect[name] in err and "load of migration "
               "failed" in err,
               "incoming_%s_stream_refused_clearly" % name.replace("-", "_"),
               "status %s: %s" % (rc, " | ".join(last)))
        if rc == 1:
            tap.comment("%s: %s" % (name, " | ".join(last)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog=__doc__,
                                 formatter_class=argparse.
                                 RawDescriptionHelpFormatter)
    ap.add_argument("--qemu", default=os.path.join(BUILD, "qemu",
                                                    "qemu-system-x86_64"))
    ap.add_argument("--work", default=os.path.join(BUILD, "tests",
                                                    "migration"))
    args = ap.parse_args()
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tap = Tap()
    try:
        progress("building the initramfs")
        initrd = interop.initrd(argparse.Namespace(work=work), "qxlng")
        disk = os.path.join(work, "snap.qcow2")
        subprocess.check_call(["qemu-img", "create", "-q", "-f", "qcow2",
                               disk, "64M"])
        spice_port = interop.free_port()
        src = Guest(args.qemu, initrd, device_args(spice_port, True),
                    os.path.join(work, "src"),
                    extra_args=["-drive", "if=none,id=snap,format=qcow2,"
                                "file=%s" % disk])
        src.initrd_path = initrd
        src.spice_port = spice_port
        progress("booting the source")
        with src:
            interop.load_driver(src, "qxlng")
            interop.modetest_start(src, "qxlng")
            shot_a = interop.wait_for_smpte(src, "A")
            tap.ok(interop.is_smpte(shot_a), "picture_A_is_smpte_bars")
            case_savevm(tap, src, shot_a)
            stream = case_migrate(tap, args, src, shot_a, work)
        case_bad_stream(tap, args, work, stream)
    except (GuestError, subprocess.CalledProcessError, OSError) as e:
        tap.ok(False, "migration", str(e))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
