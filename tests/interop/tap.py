"""TAP output for the VM test drivers (interop.py, desktop.py).

One line a case; a reason that spans lines is folded onto one, so a
harness reading TAP sees each failure whole.
"""


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        print("TAP version 13", flush=True)

    def ok(self, cond, name, why=""):
        self.n += 1
        if cond:
            print("ok %d %s" % (self.n, name), flush=True)
        else:
            self.failed += 1
            why = why.replace("\n", " | ")
            print("not ok %d %s%s" % (self.n, name,
                                      (": " + why) if why else ""),
                  flush=True)
        return cond

    def skip(self, name, why):
        self.n += 1
        print("ok %d %s # SKIP %s" % (self.n, name, why), flush=True)

    def comment(self, text):
        for line in text.rstrip().splitlines():
            print("# " + line, flush=True)

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0
