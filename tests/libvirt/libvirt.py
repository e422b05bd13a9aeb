#!/usr/bin/python3
"""libvirt.py: libvirt 9.0 drives the project's QEMU (issue 14).

A private libvirtd (tests/libvirt/daemon.py: Debian's libvirtd in a mount
namespace of its own, its paths and socket under WORK/libvirtd, stopped at
the end) probes build/qemu/qemu-system-x86_64; virsh, connected to it,
then starts a transient
domain with <emulator> set to it as virt-manager defines one: <video><model
type='qxl'>, <graphics type='spice' passwd=...>, no <audio> (libvirt's
default for SPICE: -audiodev spice), <sound model='ich9'> and the agent's
<channel type='spicevmc'> (-chardev spicevmc,name=vdagent and a
virtserialport com.redhat.spice.0), a qemu-xhci USB controller with its two
<redirdev bus='usb' type='spicevmc'/> (-chardev spicevmc,name=usbredir and
usb-redir), booting the Debian kernel with the
interop initramfs (stock qxl.ko, /init's command loop on a serial port
served on a unix socket).  Checked:

  - domcapabilities lists graphics spice and video qxl;
  - the domain starts (libvirt reads the qxl sizes back with qom-get);
  - qom-get on video0 gives ram_size / vram_size in bytes, vgamem_mb;
  - virsh domdisplay prints spice://127.0.0.1:PORT;
  - query-spice: enabled, that port, auth spice;
  - QEMU ran with libvirt's -audiodev spice and -chardev spicevmc forms;
  - the guest sees the virtio-serial port com.redhat.spice.0 and opens it:
    query-chardev says the spicevmc chardev's frontend is open;
  - a SPICE client is offered the playback and record channels and two
    usbredir channels;
  - a client's channel gives SPICE_INITIALIZED (server and client address,
    channel type); query-spice lists no channels once it has gone;
  - a SPICE client (spicy-screenshot) with the password sees the picture
    virsh screenshot gives (PNG from QEMU's screendump);
  - under a private Xvfb (tests/libvirt/viewer.py): virt-viewer --attach
    --connect URI NAME (libvirtd's virDomainOpenGraphicsFD: QMP getfd and
    add_client) has its main and display channels in query-spice, and its
    window shows the virsh screenshot pixel for pixel; they are gone
    after it quits;
  - remote-viewer with a .vv file (host, port, password) is accepted with
    the ticket virsh update-device set, refused ("auth failure", no
    channel in query-spice) once update-device expired it (passwdValidTo
    in the past: set_password, expire_password now), as with Debian's
    QEMU and its SPICE server (-machine none -spice, tickets via QMP);
  - a wrong password is refused; after expire_password now, the right one
    too; set_password gives access again; a set_password with a bad
    'connected' value fails with a clear error and changes nothing;
  - virsh save stops the domain, virsh restore runs it again with the
    same picture (virsh screenshot before and after);
  - virsh migrate --live to a second private libvirtd (own host_uuid)
    and back, with remote-viewer attached: it follows both ways (libvirt
    sends client_migrate_info; its main channel in the other side's
    query-spice), and each side's virsh screenshot is the picture before;
  - virsh destroy ends QEMU;
  - the same domain with <listen type='socket'> (-spice unix=on,addr=PATH)
    starts, virsh domdisplay says spice+unix://PATH, query-spice names the
    socket and no port, a client with the password connects through the
    socket and is offered the display; nobody listens after destroy;
  - with <listen type='none'/> (-spice port=0) it starts, and query-spice
    says enabled with no port.

Before that, with no VM: -spice options this QEMU cannot honour fail with
a message saying why; so do -chardev spicevmc / -audiodev spice without
-spice, an unknown spicevmc name, and spice= on another chardev backend;
-spice port=0 listens nowhere, and QMP add_client gives a client on a
socketpair its main channel (skipauth, or the password; nothing without);
tls-port with x509-dir serves TLS with those files; without -spice,
query-spice says disabled and set_password refuses.

usage: libvirt.py [--qemu build/qemu/qemu-system-x86_64] [--work DIR]
TAP output; a failure prints the virsh and QEMU log lines behind it.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
import interop  # noqa: E402
from tap import Tap  # noqa: E402
from daemon import Libvirtd  # noqa: E402
import viewer  # noqa: E402
from vm import (QMP, TOP, Guest, GuestError, kernel_version,  # noqa: E402
                same_pixels)

BUILD = os.path.join(TOP, "build")
NAME = "qxlng-libvirt"
PASSWORD = "libvirt-1"


class Virsh:
    """One interactive virsh on the test's libvirtd (daemon.py).  Its
    output is read raw (stdbuf: line buffered; the prompt has no newline)
    and cut at an echoed marker."""

    def __init__(self, uri, log_path):
        self.uri = uri
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            ["stdbuf", "-oL", "virsh", "-q", "-c", uri],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.buf = ""
        self.lock = threading.Condition()
        self.n = 0
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            data = os.read(self.proc.stdout.fileno(), 65536)
            with self.lock:
                if not data:
                    self.eof = True
                    self.lock.notify_all()
                    return
                self.buf += data.decode("utf-8", "replace")
                self.lock.notify_all()

    def run(self, line, timeout=300):
        """Run one virsh command; return (ok, output)."""
        return self.wait(self.send(line), timeout)

    def send(self, line):
        """Start one virsh command; wait() for it."""
        self.n += 1
        self.log.write("virsh # %s\n" % line)
        self.proc.stdin.write(("%s\necho @@END-%d@@\n" % (line, self.n))
                              .encode())
        self.proc.stdin.flush()
        return (self.n, line)

    def wait(self, handle, timeout=300):
        n, line = handle
        end = re.compile(r"(?<!echo )@@END-%d@@" % n)
        deadline = time.time() + timeout
        with self.lock:
            while True:
                m = end.search(self.buf)
                if m:
                    text, self.buf = self.buf[:m.start()], self.buf[m.end():]
                    break
                left = deadline - time.time()
                if left <= 0 or getattr(self, "eof", False):
                    self.log.write(self.buf)
                    self.log.flush()
                    raise GuestError("virsh: no answer to %r in %ds"
                                     % (line, timeout))
                self.lock.wait(min(left, 1.0))
        # drop virsh's own echo of the command lines
        text = re.sub(r"virsh # [^\n]*\n?", "", text).strip()
        self.log.write(text + "\n")
        self.log.flush()
        return not re.search(r"^error:", text, re.M), text

    def qmp(self, name, **args):
        """A QMP command through qemu-monitor-command; (ok, dict)."""
        cmd = json.dumps({"execute": name, "arguments": args})
        ok, out = self.run("qemu-monitor-command %s '%s'" % (NAME, cmd))
        if not ok:
            return False, {"error": {"desc": out}}
        lines = [t for t in out.splitlines() if t.startswith("{")]
        if not lines:
            return False, {"error": {"desc": out}}
        reply = json.loads(lines[-1])
        return "error" not in reply, reply

    def close(self):
        try:
            self.proc.stdin.write(b"quit\n")
            self.proc.stdin.close()
            self.proc.wait(60)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class SerialConsole(Guest):
    """The interop /init's command loop on the serial port QEMU serves on a
    unix socket (<serial type='unix'> with mode='bind'): vm.Guest's
    expect() and run() over that socket instead of QEMU's stdio.  QEMU
    is libvirt's, so there is no process of ours: alive() means the
    socket is open."""

    class _Stream:
        def __init__(self, sock):
            self.stdin = sock.makefile("wb")
            self.stdout = sock.makefile("rb")
            self.closed = False

        def poll(self):
            return 0 if self.closed else None

    def __init__(self, path, log_path, timeout=60):
        import socket
        self.log_path = log_path
        self.work = os.path.dirname(log_path)
        self.buf, self.pos = "", 0
        self.lock = threading.Condition()
        self.qmp = None
        deadline = time.time() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX)
            try:
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise GuestError("serial socket %s never came up" % path)
                time.sleep(0.1)
        self.proc = self._Stream(self.sock)
        self.log = open(log_path, "w")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            self._reader()
        except (OSError, ValueError):   # stop() closed the socket
            pass
        self.proc.closed = True

    def stop(self):
        self.sock.close()


def domain_xml(qemu, kernel, initrd, serial, port, spice_socket=None):
    """The domain; with spice_socket, SPICE listens on that unix socket
    (<listen type='socket'>) instead of 127.0.0.1:port, or with
    spice_socket "none" nowhere (<listen type='none'/>)."""
    xml = """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%(kernel)s</kernel>
    <initrd>%(initrd)s</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 no_timer_check</cmdline>
  </os>
  <on_reboot>destroy</on_reboot>
  <devices>
    <emulator>%(qemu)s</emulator>
    <serial type='unix'>
      <source mode='bind' path='%(serial)s'/>
      <target port='0'/>
    </serial>
    <channel type='spicevmc'>
      <target type='virtio' name='com.redhat.spice.0'/>
    </channel>
    <graphics type='spice' port='%(port)d' autoport='no' listen='127.0.0.1'
              passwd='%(password)s'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <sound model='ich9'/>
    <controller type='usb' model='qemu-xhci' ports='15'/>
    <redirdev bus='usb' type='spicevmc'/>
    <redirdev bus='usb' type='spicevmc'/>
    <video>
      <model type='qxl' ram='65536' vram='32768' vgamem='16384' heads='1'
             primary='yes'/>
    </video>
    <memballoon model='none'/>
  </devices>
</domain>
""" % {"name": NAME, "kernel": kernel, "initrd": initrd, "serial": serial,
       "port": port, "qemu": qemu, "password": PASSWORD}
    if spice_socket:
        listen = ("<listen type='none'/>" if spice_socket == "none" else
                  "<listen type='socket' socket='%s'/>" % spice_socket)
        xml = re.sub(r"<graphics .*?</graphics>",
                     "<graphics type='spice' passwd='%s'>\n"
                     "      %s\n"
                     "    </graphics>" % (PASSWORD, listen),
                     xml, flags=re.S)
    return xml


def socket_domain(args, v, tap, kernel, initrd, serial):
    """<listen type='socket'>: libvirt's -spice unix=on,addr=PATH; a client
    with the password connects through the socket and is offered the
    display; virsh domdisplay names the socket.  No need to boot."""
    sock = os.path.join(args.work, "spice.sock")
    xml = os.path.join(args.work, "domain-socket.xml")
    with open(xml, "w") as f:
        f.write(domain_xml(os.path.abspath(args.qemu), kernel, initrd,
                           serial, 0, spice_socket=sock))
    ok, out = v.run("create " + xml)
    if not tap.ok(ok, "socket_domain_starts", out):
        return
    ok, out = v.run("domdisplay " + NAME)
    tap.ok(ok and out.splitlines()[-1:] == ["spice+unix://" + sock],
           "socket_domdisplay_uri", out)
    ok, r = v.qmp("query-spice")
    info = r.get("return", {})
    tap.ok(ok and info.get("host") == sock and "port" not in info,
           "socket_query_spice", str(r))
    channels = spice_channels(None, PASSWORD, unix_path=sock)
    tap.ok("display" in channels.split("channels ")[-1].split(","),
           "socket_client_gets_display", channels)
    ok, out = v.run("destroy " + NAME)
    tap.ok(ok and socket_closed(sock), "socket_closed_after_destroy", out)

    # <listen type='none'/>: -spice port=0, no listener (add_client only)
    with open(xml, "w") as f:
        f.write(domain_xml(os.path.abspath(args.qemu), kernel, initrd,
                           serial, 0, spice_socket="none"))
    ok, out = v.run("create " + xml)
    if not tap.ok(ok, "listen_none_domain_starts", out):
        return
    ok, r = v.qmp("query-spice")
    info = r.get("return", {})
    tap.ok(ok and info.get("enabled") is True and "port" not in info and
           "tls-port" not in info, "listen_none_query_spice", str(r))
    v.run("destroy " + NAME)


def agent_port(v, console, tap):
    """The guest's view of <channel type='spicevmc'>: a virtio-serial port
    named com.redhat.spice.0, which it opens (as spice-vdagentd would);
    the spicevmc chardev then has its frontend open (query-chardev)."""
    names = console.run("cat /sys/class/virtio-ports/*/name", check=False)
    tap.ok(names.split() == ["com.redhat.spice.0"],
           "guest_sees_port_com_redhat_spice_0", names)
    # Open the port and keep it open (fd 3 of the guest's command loop).
    console.run("for p in /sys/class/virtio-ports/*; do "
                "exec 3<>/dev/${p##*/}; done", check=False)
    state = None
    for i in range(20):
        ok, r = v.qmp("query-chardev")
        state = [c for c in r.get("return", [])
                 if c.get("label") == "charchannel0"]
        if state and state[0].get("frontend-open"):
            break
        time.sleep(0.5)
    tap.ok(bool(state) and state[0].get("frontend-open") is True and
           state[0].get("filename") == "spicevmc",
           "agent_port_opened_spicevmc_frontend_open", str(state))


def spice_channels(port, password, unix_path=None):
    """The channel types main's channel list offers a client."""
    script = os.path.join(TOP, "tests", "interop", "spice_client.py")
    where = ["--unix-path", unix_path] if unix_path else ["--port", str(port)]
    try:
        r = subprocess.run(["/usr/bin/python3", script] + where +
                           ["--password", password, "channels", "-"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "spice_client.py: no answer in 60 s"
    return r.stdout.strip()


def client_shot(port, out, password):
    """spicy-screenshot's picture, or None when it could not connect."""
    try:
        return interop.spicy_screenshot(port, out, password=password)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired,
            OSError):
        return None


def virsh_shot(v, path):
    from PIL import Image
    if os.path.exists(path):
        os.unlink(path)
    ok, out = v.run("screenshot %s --file %s" % (NAME, path))
    if not ok:
        raise GuestError("virsh screenshot: " + out)
    return Image.open(path).convert("RGB")


def log_tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError as e:
        return str(e)


def run(args, tap):
    work = args.work
    kernel = "/boot/vmlinuz-" + kernel_version()
    initrd = interop.initrd(args, "qxl")
    serial = os.path.join(work, "serial.sock")
    serial_log = os.path.join(work, "serial.log")
    for path in (serial, serial_log):
        if os.path.exists(path):
            os.unlink(path)
    daemon = Libvirtd(os.path.join(work, "libvirtd"))
    qemu_log = daemon.qemu_log(NAME)
    port = interop.free_port()
    xml = os.path.join(work, "domain.xml")
    with open(xml, "w") as f:
        f.write(domain_xml(os.path.abspath(args.qemu), kernel, initrd, serial,
                           port))

    daemon.start()
    tap.comment("libvirtd (private, pid %d): %s" % (daemon.proc.pid,
                                                   daemon.uri))
    v = Virsh(daemon.uri, os.path.join(work, "virsh.log"))
    console = None
    try:
        ok, caps = v.run("domcapabilities --emulatorbin %s --arch x86_64 "
                         "--virttype qemu --machine pc"
                         % os.path.abspath(args.qemu))
        tap.ok(ok and "<value>spice</value>" in caps,
               "domcapabilities_graphics_spice", caps[-2000:])
        tap.ok(ok and "<value>qxl</value>" in caps,
               "domcapabilities_video_qxl", "")

        ok, out = v.run("create " + xml)
        if not tap.ok(ok, "domain_starts", out + " | " + log_tail(qemu_log)):
            return
        console = SerialConsole(serial, serial_log)
        sizes = {}
        for prop in ("ram_size", "vram_size", "vgamem_mb", "vram64_size_mb",
                     "max_outputs"):
            ok, r = v.qmp("qom-get", path="/machine/peripheral/video0",
                          property=prop)
            sizes[prop] = r.get("return") if ok else r
        tap.ok(sizes == {"ram_size": 64 << 20, "vram_size": 32 << 20,
                         "vgamem_mb": 16, "vram64_size_mb": 0,
                         "max_outputs": 1},
               "qom_get_video0_sizes", str(sizes))
        ok, r = v.qmp("qom-get", path="/machine/peripheral/video0",
                      property="type")
        tap.ok(ok and r.get("return") == "qxl-vga", "video0_is_qxl_vga",
               str(r))

        ok, out = v.run("domdisplay " + NAME)
        tap.ok(ok and out.splitlines()[-1:] == ["spice://127.0.0.1:%d" % port],
               "domdisplay_spice_uri", out)
        ok, r = v.qmp("query-spice")
        info = r.get("return", {})
        tap.ok(ok and info.get("enabled") is True and
               info.get("port") == port and info.get("auth") == "spice" and
               info.get("host") == "127.0.0.1", "query_spice", str(r))

        with open(qemu_log, errors="replace") as f:
            cmdline = f.read()
        tap.ok(re.search(r"""-audiodev '?\{"id":"audio1","driver":"spice"\}""",
                         cmdline) and
               "-chardev spicevmc,id=charchannel0,name=vdagent" in cmdline and
               "-chardev spicevmc,id=charredir0,name=usbredir" in cmdline,
               "libvirt_audiodev_spice_chardev_spicevmc", log_tail(qemu_log))
        try:
            console.expect("@@READY", 240)
            booted = True
        except GuestError as e:
            booted = False
            tap.comment(str(e))
        if not tap.ok(booted, "guest_booted",
                      log_tail(serial_log) + " | " + log_tail(qemu_log)):
            return
        agent_port(v, console, tap)
        channels = spice_channels(port, PASSWORD)
        tap.ok("playback" in channels and "record" in channels,
               "client_offered_playback_and_record", channels)
        offered = channels.split("channels ")[-1].split(",")
        tap.ok(offered.count("usbredir") == 2,
               "client_offered_two_usbredir_channels", channels)
        # The console may still change (cursor blink): a few tries.
        same, why = False, "no picture"
        for i in range(12):
            shot = client_shot(port, os.path.join(work, "client.ppm"),
                               PASSWORD)
            if shot is None:
                why = "spicy-screenshot could not connect"
                time.sleep(1)
                continue
            dump = virsh_shot(v, os.path.join(work, "virsh-%d.png" % i))
            same, why = same_pixels(shot, dump)
            if same:
                break
            time.sleep(0.5)
        tap.ok(same, "client_picture_equals_virsh_screenshot", why)
        # a real picture: the boot text, not an empty screen
        colours = len(set(shot.getdata())) if shot else 0
        tap.ok(colours >= 2, "client_picture_not_blank",
               "%d colours" % colours)
        viewers(args, v, daemon, tap, port)

        # SPICE_INITIALIZED for a client's channel, as QEMU's SPICE sends
        # it; the wait starts before the client (a few tries, in case
        # virsh was not listening yet), query-spice lists no channel after.
        event = None
        for i in range(5):
            h = v.send("qemu-monitor-event --domain %s --event "
                       "SPICE_INITIALIZED --timeout 20" % NAME)
            time.sleep(1)
            client_shot(port, os.path.join(work, "event.ppm"), PASSWORD)
            ok, out = v.wait(h)
            m = re.search(r"event SPICE_INITIALIZED .*?: (\{.*\})", out)
            if m:
                event = json.loads(m.group(1))
                break
        server = (event or {}).get("server", {})
        client = (event or {}).get("client", {})
        tap.ok(server.get("port") == str(port) and
               server.get("host") == "127.0.0.1" and
               server.get("auth") == "spice" and
               client.get("host") == "127.0.0.1" and
               client.get("family") == "ipv4" and
               "channel-type" in client and client.get("tls") is False,
               "event_spice_initialized", str(event))
        ok, r = v.qmp("query-spice")
        tap.ok(ok and r["return"].get("channels") == [],
               "query_spice_no_channels_after_client_left", str(r))

        shot = client_shot(port, os.path.join(work, "wrong.ppm"), "wrong-pw")
        tap.ok(shot is None, "wrong_password_refused")

        ok, r = v.qmp("set_password", protocol="spice", password="new-pw",
                      connected="bogus")
        desc = r.get("error", {}).get("desc", "")
        tap.ok(not ok and "connected" in desc,
               "set_password_bad_argument_clear_error", str(r))
        shot = client_shot(port, os.path.join(work, "after-bad.ppm"),
                           PASSWORD)
        tap.ok(shot is not None, "bad_set_password_changed_nothing")

        ok, r = v.qmp("expire_password", protocol="spice", time="now")
        tap.ok(ok, "expire_password_now", str(r))
        shot = client_shot(port, os.path.join(work, "expired.ppm"), PASSWORD)
        tap.ok(shot is None, "expired_password_refused")
        ok, r = v.qmp("expire_password", protocol="spice", time="never")
        ok2, r2 = v.qmp("set_password", protocol="spice", password="new-pw")
        tap.ok(ok and ok2, "set_password_new", str(r) + str(r2))
        shot = client_shot(port, os.path.join(work, "new.ppm"), "new-pw")
        tap.ok(shot is not None, "new_password_accepted")
        shot = client_shot(port, os.path.join(work, "old.ppm"), PASSWORD)
        tap.ok(shot is None, "old_password_refused")

        # virsh save / restore (the devices' VMState): the picture comes
        # back.  VGA text blinks its cursor: one of a few shots matches.
        before = virsh_shot(v, os.path.join(work, "before-save.png"))
        saved = os.path.join(work, "saved")
        ok, out = v.run("save %s %s" % (NAME, saved))
        ok2, state = v.run("domstate " + NAME)
        # a transient domain is gone after save, a defined one shut off
        tap.ok(ok and "running" not in state, "save_stops_domain",
               out + " | " + state)
        ok, out = v.run("restore " + saved)
        ok2, state = v.run("domstate " + NAME)
        tap.ok(ok and "running" in state, "restore_runs_domain",
               out + " | " + state)
        same, why = False, "no screenshot"
        for i in range(12):
            same, why = same_pixels(virsh_shot(v, os.path.join(
                work, "restored-%d.png" % i)), before)
            if same:
                break
            time.sleep(0.25)
        tap.ok(same, "screenshot_after_restore_equals_before_save", why)

        migration(args, v, tap, port)
        ok, out = v.run("destroy " + NAME)
        ok2, lst = v.run("list --all --name")
        tap.ok(ok and NAME not in lst, "destroy_ends_domain", out + lst)
        tap.ok(port_closed(port), "spice_port_closed_after_destroy")
        socket_domain(args, v, tap, kernel, initrd, serial)
    finally:
        if console:
            console.stop()
        try:
            ok, lst = v.run("list --name", timeout=60)
            if NAME in lst:
                v.run("destroy " + NAME, timeout=60)
        finally:
            # also when virsh hangs: the daemon and its QEMU must go
            v.close()
            daemon.stop()
        if tap.failed:
            tap.comment("virsh log: " + os.path.join(work, "virsh.log"))
            tap.comment("libvirtd log (%s):\n%s" % (daemon.log_path,
                                                    daemon.tail()))
            tap.comment("QEMU log (%s):\n%s" % (qemu_log, log_tail(qemu_log)))


def graphics_xml(port, password, expired=False):
    """<graphics> for virsh update-device: a new ticket, expired at once
    with a passwdValidTo in the past (libvirt: set_password, then
    expire_password now; without it expire_password never)."""
    return ("<graphics type='spice' port='%d' autoport='no' "
            "listen='127.0.0.1' passwd='%s'%s>"
            "<listen type='address' address='127.0.0.1'/></graphics>"
            % (port, password, " passwdValidTo='2001-01-01T00:00:00'"
               if expired else ""))


def viewers(args, v, daemon, tap, port):
    """virt-viewer by domain name through libvirtd, and a .vv file in
    remote-viewer (tests/libvirt/viewer.py), under a private Xvfb; the
    .vv file also against Debian's QEMU with its own SPICE server.  The
    domain's ticket is PASSWORD again afterwards."""
    work = os.path.join(args.work, "viewers")
    subprocess.check_call(["rm", "-rf", work])
    fx = viewer.start_x(work)

    def query_spice():
        ok, r = v.qmp("query-spice")
        return r.get("return") if ok else None

    def update(password, expired=False):
        path = os.path.join(work, "graphics.xml")
        with open(path, "w") as f:
            f.write(graphics_xml(port, password, expired))
        ok, out = v.run("update-device %s %s --live" % (NAME, path))
        if not ok:
            raise GuestError("virsh update-device: " + out)
    try:
        for password in (None, PASSWORD):
            viewer.virt_viewer_case(tap, fx, daemon.uri, NAME, query_spice,
                                    lambda path: virsh_shot(v, path), work,
                                    password)
        ours = viewer.vv_case(fx, work, "qxlng", port, query_spice, update,
                              lambda pw: update(pw, expired=True))
        update(PASSWORD)
        tap.ok(ours == ("accepted", "refused"),
               "vv_file_password_accepted_expired_refused", str(ours))
        ref = reference_vv(fx, work, tap)
        tap.ok(ours == ref, "vv_file_same_as_debian_qemu",
               "qxl-ng %s, Debian's QEMU %s" % (ours, ref))
    finally:
        fx.stop()


def migrate(v, to_uri, xml, what, tap):
    """virsh migrate --live NAME to the libvirtd at to_uri with the
    domain XML xml (its SPICE port and serial socket changed)."""
    ok, out = v.run("migrate --live --verbose --xml %s %s '%s' "
                    "--migrateuri tcp://127.0.0.1" % (xml, NAME, to_uri),
                    timeout=600)
    tap.ok(ok, "virsh_migrate_live_" + what, out)
    return ok


def migration(args, v, tap, port):
    """virsh migrate --live to a second private libvirtd (its own
    host_uuid: libvirt refuses a migration to the same host) and back,
    with remote-viewer attached: libvirt sends client_migrate_info, the
    viewer follows (its main channel in the destination's query-spice)
    and the picture is the one before."""
    work = os.path.join(args.work, "migration")
    subprocess.check_call(["rm", "-rf", work])
    os.makedirs(work)
    dest = Libvirtd(os.path.join(work, "libvirtd"),
                    host_uuid="5170a1b2-0000-4000-8000-000000000002")
    fx = viewer.start_x(os.path.join(work, "x"))
    v2 = rv = None
    try:
        dest.start()
        v2 = Virsh(dest.uri, os.path.join(work, "virsh-dest.log"))
        ok, xml = v.run("dumpxml --migratable --security-info " + NAME)
        port2 = interop.free_port()
        there = os.path.join(work, "dest.xml")
        with open(there, "w") as f:
            f.write(xml.replace("port='%d'" % port, "port='%d'" % port2)
                    .replace("serial.sock", "serial-dest.sock"))
        back = os.path.join(work, "back.xml")
        with open(back, "w") as f:
            f.write(xml)

        def qs(virsh):
            def query():
                ok, r = virsh.qmp("query-spice")
                return r.get("return") if ok else None
            return query
        rv, log = viewer.remote_viewer(fx, work, "follow", port, PASSWORD)
        tap.ok(viewer.wait_for(lambda: viewer.MAIN in (
            viewer.channel_types(qs(v)) or []), 60),
            "migration_viewer_connected_to_source", viewer.tail(log))
        before = virsh_shot(v, os.path.join(work, "before.png"))
        if not migrate(v, dest.uri, there, "to_second_libvirtd", tap):
            return
        for virsh, name in ((v2, "destination"), (v, "source_again")):
            followed = viewer.wait_for(lambda: viewer.MAIN in (
                viewer.channel_types(qs(virsh)) or []), 60)
            tap.ok(followed, "migration_viewer_follows_to_" + name,
                   "query-spice channels %s; remote-viewer said:\n%s"
                   % (viewer.channel_types(qs(virsh)), viewer.tail(log)))
            same, why = False, "no screenshot"
            for i in range(12):
                same, why = same_pixels(virsh_shot(virsh, os.path.join(
                    work, "%s-%d.png" % (name, i))), before)
                if same:
                    break
                time.sleep(0.25)
            tap.ok(same, "migration_picture_on_" + name, why)
            if virsh is v2 and not migrate(v2, v.uri, back, "back", tap):
                return
    finally:
        if rv:
            viewer.stop(rv)
        fx.stop()
        try:
            if v2:
                v2.run("destroy " + NAME, timeout=60)
        finally:
            if v2:
                v2.close()
            dest.stop()


def reference_vv(fx, work, tap):
    """The .vv cases against Debian's QEMU (-machine none -spice, its
    libspice-server): the reference outcomes."""
    qemu = "/usr/bin/qemu-system-x86_64"
    qmp_path = os.path.join(work, "qmp-ref.sock")
    port = interop.free_port()
    errf = open(os.path.join(work, "qemu-ref.stderr"), "w+")
    proc = subprocess.Popen(
        [qemu, "-accel", "tcg", "-machine", "none", "-nodefaults",
         "-display", "none", "-monitor", "none", "-serial", "none",
         "-qmp", "unix:%s,server=on,wait=off" % qmp_path,
         "-spice", "port=%d,addr=127.0.0.1" % port], stderr=errf)
    qmp = None
    try:
        qmp = QMP(qmp_path)

        def ticket(password, when="never"):
            qmp.cmd("set_password", protocol="spice", password=password)
            qmp.cmd("expire_password", protocol="spice", time=when)
        return viewer.vv_case(fx, work, "reference", port,
                              lambda: qmp.cmd("query-spice"), ticket,
                              lambda pw: ticket(pw, "now"))
    finally:
        stop_qemu(qmp, proc, errf, tap, "reference")


# -spice options this QEMU refuses, and what it must say (QEMU not started).
BAD_SPICE = [
    ("unix=on", "unix=on needs addr=<socket path>"),
    ("unix=on,addr=/nonexistent/s.sock,port=5999",
     "drop port and tls-port"),
    ("port=5999,sasl=on", "sasl=on is not supported"),
    ("port=5999,x509-cert-file=/x", "give x509-dir"),
    ("port=70000", "expected 0..65535"),
    ("tls-port=5998", "tls-port needs x509-dir"),
    ("port=5999,image-compression=zip", "image-compression 'zip'"),
    ("port=5999,gl=on", "Invalid parameter 'gl'"),
]


# QEMU's SPICE chardev and audiodev forms and unix sockets that must
# fail, and what QEMU must say (QEMU not started); SPICE is replaced by a
# -spice option, %s by the path of a regular file, which must stay.
SPICE = "port=%d,addr=127.0.0.1,disable-ticketing=on"
BAD_CHANNELS = [
    ("chardev_spicevmc_without_spice",
     ["-chardev", "spicevmc,id=c0,name=vdagent"],
     "chardev spicevmc: needs -spice"),
    ("audiodev_spice_without_spice", ["-audiodev", "spice,id=a0"],
     "audiodev a0: needs -spice"),
    ("chardev_spicevmc_unknown_name",
     ["-spice", SPICE, "-chardev", "spicevmc,id=c0,name=bogus"],
     "unknown channel name 'bogus'"),
    ("chardev_spicevmc_no_name",
     ["-spice", SPICE, "-chardev", "spicevmc,id=c0"],
     "chardev spicevmc: set name="),
    ("chardev_socket_spice_option",
     ["-spice", SPICE, "-chardev", "socket,id=c0,path=%s,server=on,wait=off,"
      "spice=spice"],
     "option 'spice' is only valid with the spice-core backend, not "
     "'socket'"),
    ("spice_unix_path_too_long",
     ["-spice", "unix=on,addr=/tmp/%s,disable-ticketing=on" % ("x" * 120)],
     "empty or too long (107 max)"),
    ("spice_unix_path_not_a_socket",
     ["-spice", "unix=on,addr=%s,disable-ticketing=on"],
     "cannot listen on unix socket"),
    ("chardev_spicevmc_spice_option",
     ["-spice", SPICE, "-chardev", "spicevmc,id=c0,name=vdagent,spice=spice"],
     "option 'spice' is only valid with the spice-core backend, not "
     "'spicevmc'"),
]


def spice_cmdline(args, tap):
    """-spice with no VM (-machine none): bad options fail with a message
    saying why; tls-port with x509-dir serves TLS with that certificate and
    query-spice says so; without -spice, query-spice says disabled and
    set_password says SPICE is not in use."""
    base = [args.qemu, "-accel", "tcg", "-machine", "none", "-nodefaults",
            "-display", "none", "-monitor", "none", "-serial", "none", "-S"]
    for opt, want in BAD_SPICE:
        try:
            r = subprocess.run(base + ["-spice", opt], timeout=30,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            out, rc = r.stdout.strip(), r.returncode
        except subprocess.TimeoutExpired:
            out, rc = "still running after 30 s", 0
        tap.ok(rc != 0 and want in out, "spice_option_refused_" +
               re.sub(r"[^a-z0-9]+", "_", opt.split(",")[-1]), out)
    sock = os.path.join(args.work, "not-a-socket")
    with open(sock, "w") as f:
        f.write("keep me\n")
    for name, extra, want in BAD_CHANNELS:
        port = interop.free_port()
        argv = base + [a.replace(SPICE, SPICE % port).replace("%s", sock)
                       for a in extra]
        try:
            r = subprocess.run(argv, timeout=30, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            out, rc = r.stdout.strip(), r.returncode
        except subprocess.TimeoutExpired:
            out, rc = "still running after 30 s", 0
        tap.ok(rc != 0 and want in out, name + "_refused", out)
    with open(sock) as f:
        tap.ok(f.read() == "keep me\n", "spice_unix_path_file_kept")

    add_client_case(args, tap, base)

    x509 = os.path.join(args.work, "x509")
    ca = interop.make_x509(x509)
    for name, spice in (("tls", "tls-port=%d,x509-dir=%s,"
                         "disable-ticketing=on,seamless-migration=on"),
                        ("none", None)):
        qmp_path = os.path.join(args.work, "qmp-%s.sock" % name)
        if os.path.exists(qmp_path):
            os.unlink(qmp_path)
        port = interop.free_port()
        argv = base + ["-qmp", "unix:%s,server=on,wait=off" % qmp_path]
        if spice:
            argv += ["-spice", spice % (port, x509)]
        errf = open(os.path.join(args.work, "qemu-%s.stderr" % name), "w+")
        proc = subprocess.Popen(argv, stderr=errf)
        qmp = None
        try:
            qmp = QMP(qmp_path)
            info = qmp.cmd("query-spice")
            if spice:
                tap.ok(info.get("enabled") is True and
                       info.get("tls-port") == port and
                       "port" not in info, "query_spice_tls_port", str(info))
                tap.ok(tls_handshake(port, ca), "tls_port_serves_x509_dir")
            else:
                tap.ok(info.get("enabled") is False and "port" not in info
                       and "tls-port" not in info,
                       "query_spice_without_spice_disabled", str(info))
                try:
                    qmp.cmd("set_password", protocol="spice", password="x")
                    err = "accepted"
                except GuestError as e:
                    err = str(e)
                tap.ok("SPICE is not in use" in err,
                       "set_password_without_spice_clear_error", err)
        finally:
            stop_qemu(qmp, proc, errf, tap, name)


def stop_qemu(qmp, proc, errf, tap, name):
    """End a QEMU this script started itself (quit over QMP, else kill);
    after a failure, show what it wrote to stderr (errf)."""
    if qmp:
        try:
            qmp.cmd("quit")
        except (GuestError, OSError):
            pass
        qmp.close()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    errf.seek(0)
    err = errf.read()
    errf.close()
    if tap.failed and err:
        tap.comment("QEMU (%s) said:\n%s" % (name, err))


def qmp_getfd(qmp, name, fd):
    """QMP getfd: hand QEMU a file descriptor (SCM_RIGHTS) named name."""
    import socket
    msg = json.dumps({"execute": "getfd", "arguments": {"fdname": name}})
    socket.send_fds(qmp.sock, [(msg + "\n").encode()], [fd])
    while True:
        reply = json.loads(qmp.f.readline())
        if "event" not in reply:
            return "error" not in reply


def add_client_case(args, tap, base):
    """-spice port=0 (libvirt's <listen type='none'/>): no listener; QMP
    add_client hands QEMU one end of a socketpair, a SpiceClientGLib
    client on the other end links the main channel: with skipauth, with
    the password set_password gave, not without either."""
    import socket
    qmp_path = os.path.join(args.work, "qmp-fd.sock")
    if os.path.exists(qmp_path):
        os.unlink(qmp_path)
    errf = open(os.path.join(args.work, "qemu-fd.stderr"), "w+")
    proc = subprocess.Popen(base + ["-qmp", "unix:%s,server=on,wait=off"
                                    % qmp_path, "-spice", "port=0"],
                            stderr=errf)
    script = os.path.join(TOP, "tests", "interop", "spice_client.py")
    qmp = None

    def client(n, **add):
        ours, theirs = socket.socketpair()
        with ours, theirs:
            name = "client%d" % n
            if not qmp_getfd(qmp, name, theirs.fileno()):
                return "getfd failed"
            theirs.close()
            try:
                qmp.cmd("add_client", protocol="spice", fdname=name, **add)
            except GuestError as e:
                return str(e)
            pw = ["--password", "fd-pw"] if n == 3 else []
            r = subprocess.run(["/usr/bin/python3", script, "--fd",
                                str(ours.fileno()), "--timeout", "20"] + pw +
                               ["link", "-"], pass_fds=[ours.fileno()],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               timeout=60)
            return r.stdout.strip()
    try:
        qmp = QMP(qmp_path)
        info = qmp.cmd("query-spice")
        tap.ok(info.get("enabled") is True and "port" not in info and
               "tls-port" not in info, "port0_query_spice_no_port", str(info))
        out = client(1, skipauth=True)
        tap.ok(out.endswith("main channel linked"),
               "port0_add_client_skipauth_links", out)
        out = client(2, skipauth=False)
        tap.ok("error-auth" in out, "port0_add_client_no_password_refused",
               out)
        qmp.cmd("set_password", protocol="spice", password="fd-pw")
        out = client(3)
        tap.ok(out.endswith("main channel linked"),
               "port0_add_client_with_password_links", out)
    except (GuestError, OSError, subprocess.TimeoutExpired) as e:
        tap.ok(False, "port0_add_client", str(e))
    finally:
        stop_qemu(qmp, proc, errf, tap, "port=0")


def tls_handshake(port, ca):
    import socket
    import ssl
    ctx = ssl.create_default_context(cafile=ca)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
            with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
                return t.version() is not None
    except (OSError, ssl.SSLError):
        return False


def socket_closed(path):
    """Nobody listens on unix socket path (the file may stay: QEMU does
    not finalize objects at exit; the next start replaces it)."""
    import socket
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path)
        return False
    except OSError:
        return True
    finally:
        s.close()


def port_closed(port):
    import socket
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
        return False
    except OSError:
        return True
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", default=os.path.join(BUILD, "qemu",
                                                    "qemu-system-x86_64"))
    ap.add_argument("--work", default=os.path.join(BUILD, "tests", "libvirt"))
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    tap = Tap()
    try:
        spice_cmdline(args, tap)
        run(args, tap)
    except (GuestError, subprocess.CalledProcessError, OSError,
            ValueError) as e:
        tap.ok(False, "libvirt", str(e))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
