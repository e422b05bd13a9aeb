#!/usr/bin/python3
"""doc_check: the port and interrupt tables of Documentation/qxl-device.rst
must list exactly what include/qxl/qxl_abi.h defines, with the same values.

usage: doc_check.py HEADER RST
"""
import re
import sys


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    hdr = open(sys.argv[1]).read()
    rst = open(sys.argv[2]).read()
    failures = 0

    def compare(what, ours, doc):
        nonlocal failures
        for name in sorted(set(ours) | set(doc)):
            if ours.get(name) != doc.get(name):
                failures += 1
                print(f"not ok {what} {name}: header {ours.get(name)}, "
                      f"doc {doc.get(name)}")
        print(f"# {what}: {len(ours)} in the header, {len(doc)} in the doc")

    ports = {m[0]: int(m[1]) for m in
             re.findall(r"^#define (QXL_IO_\w+)\s+(\d+)", hdr, re.M)
             if m[0] not in ("QXL_IO_RANGE_SIZE", "QXL_IO_BAR_SIZE",
                             "QXL_IO_RANGE_INDEX")}
    doc_ports = {m[1]: int(m[0]) for m in
                 re.findall(r"^(\d+)\s+``(QXL_IO_\w+)``", rst, re.M)
                 if m[1] != "QXL_IO_RANGE_INDEX"}
    compare("port", ports, doc_ports)

    irqs = {m[0]: 1 << int(m[1]) for m in
            re.findall(r"^#define (QXL_INTERRUPT_\w+)\s+\(1 << (\d+)\)",
                       hdr, re.M)}
    doc_irqs = {}
    for bit, name, value in re.findall(
            r"^(\d)\s+``(QXL_INTERRUPT_\w+)``\s+(0x[0-9a-f]+)", rst, re.M):
        if int(value, 16) != 1 << int(bit):
            failures += 1
            print(f"not ok interrupt {name}: bit {bit} but value {value}")
        doc_irqs[name] = int(value, 16)
    compare("interrupt", irqs, doc_irqs)

    print(f"{'ok' if not failures else 'not ok'} doc tables match the header")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
