"""Host-side pixel checks of the guest's screendumps (Debian python3 + PIL).

check_shot(name, outdir, refdir) -> list of (test name, passed, why).
"""
import os

from PIL import Image, ImageChops

import patterns


def load(outdir, name):
    ppm = os.path.join(outdir, name + ".ppm")
    img = Image.open(ppm).convert("RGB")
    img.save(os.path.join(outdir, name + ".png"))
    return img


def first_difference(a, b):
    """(x, y, a_pixel, b_pixel) of the first differing pixel, or None."""
    box = ImageChops.difference(a, b).getbbox()
    if box is None:
        return None
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        for x in range(x0, x1):
            if a.getpixel((x, y)) != b.getpixel((x, y)):
                return x, y, a.getpixel((x, y)), b.getpixel((x, y))
    return None


def compare(img, expected, what):
    if img.size != expected.size:
        return False, f"{what}: size {img.size}, expected {expected.size}"
    diff = first_difference(img, expected)
    if diff is None:
        return True, ""
    x, y, got, want = diff
    return False, f"{what}: pixel ({x},{y}) is {got}, expected {want}"


def check_console(img, size):
    """Console text is on screen: the screen is in the fbdev mode the driver
    prefers (1024x768, not VGA text mode) and the top-left text area has
    light pixels."""
    w, h = img.size
    if (w, h) != size:
        return False, f"screen is {w}x{h}, not the driver's {size} console"
    area = img.crop((0, 0, min(w, 640), min(h, 400)))
    lit = sum(1 for p in area.getdata() if max(p) > 96)
    if lit < 500:
        return False, f"console area {area.size} has only {lit} lit pixels"
    return True, ""


def check_shot(name, outdir, refdir, console_size="1024x768"):
    try:
        img = load(outdir, name)
    except OSError as e:
        return [(f"screendump_{name}", False, str(e))]
    results = []
    if name == "console":
        cw, ch = (int(v) for v in console_size.split("x"))
        good, why = check_console(img, (cw, ch))
        results.append(("console_text_on_screen", good, why))
    elif name.startswith("smpte"):
        good, why = compare(img, patterns.smpte(1024, 768),
                            "SMPTE vs generated")
        results.append((f"{name}_pixel_exact", good, why))
        if refdir:
            ref = os.path.join(refdir, name + ".png")
            if os.path.exists(ref):
                good, why = compare(img, Image.open(ref).convert("RGB"),
                                    f"vs {ref}")
                results.append((f"{name}_equals_reference", good, why))
    elif name.startswith("pattern_") or name.startswith("damage_"):
        expected = patterns.for_shot(name, img.size)
        if expected is None:
            results.append((f"{name}_known", False, "no expected image"))
        else:
            good, why = compare(img, expected, name)
            results.append((f"{name}_pixel_exact", good, why))
    else:
        results.append((f"screendump_{name}", True, ""))
    return results
