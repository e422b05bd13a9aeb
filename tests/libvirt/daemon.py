"""daemon.py: a private libvirtd for the tests (issue 14).

Debian's libvirt 9.0 has one daemon, libvirtd, with all drivers.  Run as
root it is the system instance: its paths (/etc/libvirt, /run/libvirt,
/var/lib/libvirt, /var/log/libvirt, /var/cache/libvirt) are compiled in.
To keep it private, Libvirtd starts it in a mount namespace of its own
(unshare -m) where those five directories are bind mounts of directories
under the test's work directory, with its own PID file there.  Clients
outside the namespace reach it through the socket's real path:
qemu+unix:///system?socket=WORK/run/libvirt-sock.  Nothing outside WORK
is written, and two instances (own host_uuid each, for migration) can run
side by side.
"""

import os
import signal
import socket
import subprocess
import time

# the system paths the daemon uses, and the name of each one's stand-in
PATHS = (("/etc/libvirt", "etc"), ("/run/libvirt", "run"),
         ("/var/lib/libvirt", "lib"), ("/var/log/libvirt", "log"),
         ("/var/cache/libvirt", "cache"))

LIBVIRTD_CONF = """\
# private test instance: only root, through the unix socket, no polkit
unix_sock_group = "root"
unix_sock_rw_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
host_uuid = "%(uuid)s"
log_outputs = "3:file:%(log)s"
"""

# QEMU as root, no relabelling: the files stay where the test put them;
# QEMU's stderr goes to log/qemu/NAME.log (no virtlogd).
QEMU_CONF = """\
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
remember_owner = 0
stdio_handler = "file"
"""


class Libvirtd:
    def __init__(self, work, host_uuid="5170a1b2-0000-4000-8000-000000000001",
                 extra_qemu_conf=""):
        self.work = os.path.abspath(work)
        self.host_uuid = host_uuid
        self.extra_qemu_conf = extra_qemu_conf
        self.proc = None
        self.log_path = os.path.join(self.work, "libvirtd.log")
        self.socket = os.path.join(self.work, "run", "libvirt-sock")
        self.uri = "qemu+unix:///system?socket=" + self.socket

    def dir(self, system_path):
        """Where system_path (one of PATHS) really is."""
        return os.path.join(self.work, dict(PATHS)[system_path])

    def qemu_log(self, name):
        return os.path.join(self.dir("/var/log/libvirt"), "qemu",
                            name + ".log")

    def start(self, timeout=60):
        """Start the daemon; return once its socket answers."""
        subprocess.check_call(["rm", "-rf", self.work])
        for _, sub in PATHS:
            os.makedirs(os.path.join(self.work, sub))
        with open(os.path.join(self.work, "etc", "libvirtd.conf"), "w") as f:
            f.write(LIBVIRTD_CONF % {"uuid": self.host_uuid,
                                     "log": self.log_path})
        with open(os.path.join(self.work, "etc", "qemu.conf"), "w") as f:
            f.write(QEMU_CONF + self.extra_qemu_conf)
        # On a machine where libvirtd never ran (no boot since the package
        # came), /run/libvirt does not exist yet: an empty mount point is
        # made, as systemd's tmpfiles would.
        mounts = " && ".join("mkdir -p %s && mount --bind %s %s" % (
            path, os.path.join(self.work, sub), path) for path, sub in PATHS)
        self.stderr = open(os.path.join(self.work, "libvirtd.stderr"), "w+")
        # unshare execs the shell in the new namespace and the shell execs
        # libvirtd: self.proc is the daemon itself.
        self.proc = subprocess.Popen(
            ["unshare", "-m", "--propagation", "private", "sh", "-c",
             "%s && exec libvirtd -p %s" % (
                 mounts, os.path.join(self.work, "libvirtd.pid"))],
            stdin=subprocess.DEVNULL, stdout=self.stderr,
            stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while True:
            if self.proc.poll() is not None:
                raise OSError("libvirtd exited (%d): %s"
                              % (self.proc.returncode, self.tail()))
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(self.socket)
                return
            except OSError:
                if time.time() > deadline:
                    self.stop()
                    raise OSError("libvirtd: no socket in %ds: %s"
                                  % (timeout, self.tail()))
                time.sleep(0.2)
            finally:
                s.close()

    def tail(self, n=15):
        lines = []
        for path in (os.path.join(self.work, "libvirtd.stderr"),
                     self.log_path):
            try:
                with open(path, errors="replace") as f:
                    lines += f.readlines()[-n:]
            except OSError:
                pass
        return "".join(lines[-n:])

    def qemu_pids(self):
        """QEMUs this daemon runs now (its pid files)."""
        d = os.path.join(self.dir("/run/libvirt"), "qemu")
        pids = []
        for name in os.listdir(d) if os.path.isdir(d) else ():
            if name.endswith(".pid"):
                try:
                    with open(os.path.join(d, name)) as f:
                        pids.append(int(f.read().strip()))
                except (OSError, ValueError):
                    pass
        return pids

    def stop(self, timeout=30):
        """SIGTERM (libvirtd shuts down cleanly), SIGKILL if it hangs.  A
        QEMU the daemon still runs (a test that failed half-way) is
        killed first: libvirtd leaves its domains running."""
        if not self.proc:
            return
        for pid in self.qemu_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        self.stderr.close()
