"""xwd.py: read `xwd -root` output (X Window Dump, version 7) into RGB.

Only what Xvfb at depth 24 writes: ZPixmap, 32 bits per pixel, TrueColor
masks 0xff0000/0xff00/0xff, either byte order.  Anything else raises
ValueError rather than guessing.
"""

import struct

HEADER_FIELDS = 25


def read_xwd(data):
    """Return (width, height, rgb bytes) of an XWD image."""
    if len(data) < HEADER_FIELDS * 4:
        raise ValueError("xwd: short header")
    h = struct.unpack(">%dI" % HEADER_FIELDS, data[:HEADER_FIELDS * 4])
    (header_size, version, pixmap_format, depth, width, height, _xoff,
     byte_order, _unit, _bit_order, _pad, bpp, bytes_per_line, _vclass,
     red, green, blue, _bits_rgb, _cmap_entries, ncolors) = h[:20]
    if version != 7 or pixmap_format != 2 or bpp != 32:
        raise ValueError("xwd: want version 7 ZPixmap at 32 bpp, got "
                         "version %d format %d bpp %d"
                         % (version, pixmap_format, bpp))
    if (red, green, blue) != (0xff0000, 0xff00, 0xff) or depth not in (24, 32):
        raise ValueError("xwd: not 24-bit TrueColor")
    start = header_size + ncolors * 12
    end = start + bytes_per_line * height
    if bytes_per_line < width * 4 or len(data) < end:
        raise ValueError("xwd: short image data")
    out = bytearray(width * height * 3)
    # byte_order 0: LSBFirst (b, g, r, x in memory); 1: MSBFirst.
    ri, gi, bi = (2, 1, 0) if byte_order == 0 else (1, 2, 3)
    for y in range(height):
        row = data[start + y * bytes_per_line:
                   start + y * bytes_per_line + width * 4]
        o = y * width * 3
        out[o:o + width * 3:3] = row[ri::4]
        out[o + 1:o + width * 3:3] = row[gi::4]
        out[o + 2:o + width * 3:3] = row[bi::4]
    return width, height, bytes(out)


def read_ppm(data):
    """Return (width, height, rgb bytes) of a binary PPM (P6, maxval 255)."""
    fields = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError("ppm: want P6 with maxval 255")
    w, h = int(fields[1]), int(fields[2])
    if len(data) < pos + w * h * 3:
        raise ValueError("ppm: short pixel data")
    return w, h, data[pos:pos + w * h * 3]


def first_difference(w, a, b):
    """(x, y, a_rgb, b_rgb) of the first pixel where a and b differ, or None."""
    for i in range(0, min(len(a), len(b)), 3):
        if a[i:i + 3] != b[i:i + 3]:
            return (i // 3 % w, i // 3 // w, a[i:i + 3].hex(), b[i:i + 3].hex())
    return None
