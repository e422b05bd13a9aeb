"""Host-side pixel checks of the guest's screendumps (Debian python3 + PIL).

check_shot(name, outdir, refdir) -> list of (test name, passed, why).
"""
import json
import os
import re

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


def check_multihead(name, img, outdir):
    """<kind>_<W0>x<H0>_<W1>x<H1>: heads side by side in the primary
    surface.  multihead_*: each head shows its part of one SMPTE
    framebuffer spanning both (modetest); heads_ab_*: head 0 shows
    pattern A, head 1 pattern B, each from its own framebuffer.  And, if
    the host asked a SPICE client, the client's monitors."""
    kind = name.split("_")[0]
    sizes = [(int(w), int(h)) for w, h in re.findall(r"_(\d+)x(\d+)", name)]
    width = sum(w for w, _ in sizes)
    height = max(h for _, h in sizes)
    results = [(f"{name}_screen_is_all_heads_side_by_side",
                img.size == (width, height),
                f"screendump {img.size}, expected ({width}, {height})")]
    bars = patterns.smpte(width, height) if kind == "multihead" else None
    x = 0
    for i, (w, h) in enumerate(sizes):
        box = (x, 0, x + w, h)
        if bars:
            expected = bars.crop(box)
        else:
            expected = patterns.for_shot(("pattern_a", "pattern_b")[i % 2],
                                         (w, h))
        if img.size[0] >= box[2] and img.size[1] >= box[3]:
            good, why = compare(img.crop(box), expected,
                                f"head {i} at {box}")
        else:
            good, why = False, f"head {i} region {box} outside the screen"
        results.append((f"{name}_head{i}_pixel_exact", good, why))
        x += w
    path = os.path.join(outdir, name + ".monitors.json")
    if not os.path.exists(path):
        return results
    try:
        with open(path) as f:
            mons = json.load(f).get("monitors") or []
    except ValueError as e:
        mons = []
        results.append(("spice_client_monitors_json", False, str(e)))
    results.append((f"{name}_spice_client_sees_{len(sizes)}_monitors",
                    len(mons) == len(sizes), f"client sees {mons}"))
    x = 0
    for i, (w, h) in enumerate(sizes):
        want = {"x": x, "y": 0, "width": w, "height": h}
        got = mons[i] if i < len(mons) else None
        seen = got and {k: got.get(k) for k in want}
        results.append((f"{name}_spice_client_monitor{i}_at_{x}_0",
                        seen == want, f"client monitor {i}: {got}"))
        x += w
    return results


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
    elif name.startswith(("multihead_", "heads_ab_")):
        results.extend(check_multihead(name, img, outdir))
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
