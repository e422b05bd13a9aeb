"""Expected images for the guest tests.

smpte(): the SMPTE colour bars libdrm's modetest fills an XRGB8888
buffer with (bands at 6/9 and 7/9 of the height; 7 top and middle bars;
the bottom row split at 5/7 and 6/7 of the width), generated here
independently of the guest.

The selftest patterns (tests/selftests/qxlng/qxlng_pattern.h has the C
twin of each function): pattern A and B are functions of (x, y); the
damage test paints B over two rectangles and reports only the first.
"""
from PIL import Image

SMPTE_TOP = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0),
             (192, 0, 192), (192, 0, 0), (0, 0, 192)]
SMPTE_MIDDLE = [(0, 0, 192), (19, 19, 19), (192, 0, 192), (19, 19, 19),
                (0, 192, 192), (19, 19, 19), (192, 192, 192)]
SMPTE_BOTTOM = [(0, 33, 76), (255, 255, 255), (50, 0, 106), (19, 19, 19),
                (9, 9, 9), (19, 19, 19), (29, 29, 29), (19, 19, 19)]


def smpte(width, height):
    img = Image.new("RGB", (width, height))
    px = img.load()
    top_row = [SMPTE_TOP[x * 7 // width] for x in range(width)]
    mid_row = [SMPTE_MIDDLE[x * 7 // width] for x in range(width)]
    bottom_row = []
    for x in range(width):
        if x < width * 5 // 7:
            bottom_row.append(SMPTE_BOTTOM[x * 4 // (width * 5 // 7)])
        elif x < width * 6 // 7:
            bottom_row.append(
                SMPTE_BOTTOM[(x - width * 5 // 7) * 3 // (width // 7) + 4])
        else:
            bottom_row.append(SMPTE_BOTTOM[7])
    for y in range(height):
        if y < height * 6 // 9:
            row = top_row
        elif y < height * 7 // 9:
            row = mid_row
        else:
            row = bottom_row
        for x in range(width):
            px[x, y] = row[x]
    return img


def pattern_a(x, y):
    return (x & 0xff, y & 0xff, (x ^ y) & 0xff)


def pattern_b(x, y):
    return (0xff - (x & 0xff), 0x80, (x + y) & 0xff)


# Rectangles of the damage test: (x1, y1, x2, y2), x2/y2 exclusive.
DAMAGE_REPORTED = (100, 50, 300, 210)
DAMAGE_UNREPORTED = (600, 400, 700, 500)


def _image(size, fn):
    w, h = size
    img = Image.new("RGB", size)
    img.putdata([fn(x, y) for y in range(h) for x in range(w)])
    return img


def _inside(r, x, y):
    return r[0] <= x < r[2] and r[1] <= y < r[3]


def for_shot(name, size):
    if name.startswith("pattern_a"):
        return _image(size, pattern_a)
    if name.startswith("pattern_b"):
        return _image(size, pattern_b)
    if name == "damage_partial":
        return _image(size, lambda x, y: pattern_b(x, y)
                      if _inside(DAMAGE_REPORTED, x, y) else pattern_a(x, y))
    return None
