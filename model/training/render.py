"""Procedural Quiddler-like card faces and photo-like scenes with exact corner boxes.

No real photos are used: every card face, background and camera effect is drawn here.

Class scheme (read from model/classes.json): label 0 is background, labels 1..31
are the upright corner index (letters + points) of each card token, labels
32..62 are the same corner rotated 180 degrees ("<token>@180"). A corner is
"upright" when its rotation angle in the photo lies within [-90, 90) degrees.

CLI:
  python3 model/training/render.py --hand a/cl/th --deck n --out DIR
  python3 model/training/render.py --faces DIR          # every card face as PNG
  python3 model/training/render.py --samples DIR -n 8   # random scenes, boxes drawn
"""
import argparse
import io
import json
import math
import os
import random
import shutil
import zlib

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES_JSON = os.path.join(HERE, "..", "classes.json")

# card face canvas: 57 x 89 mm
CW, CH = 256, 400

# QUIDDLER_FONT_DIR, when set, is the one folder fonts are taken from: a machine without
# these Debian packages (a lent GPU machine) gets a copy of this one's (--copy-fonts).
FONT_DIRS = [os.environ["QUIDDLER_FONT_DIR"]] if os.environ.get("QUIDDLER_FONT_DIR") else [
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/texmf/fonts/opentype/public/tex-gyre",
    "/usr/share/fonts/opentype/tex-gyre",
    "/usr/share/fonts/opentype/urw-base35",
    "/usr/share/fonts/truetype/freefont",
    "/usr/share/fonts/truetype/dejavu",
]
INDEX_FONT_FILES = [
    "LiberationSerif-Regular.ttf", "texgyretermes-regular.otf", "texgyrepagella-regular.otf",
    "texgyreschola-regular.otf", "texgyrebonum-regular.otf", "NimbusRoman-Regular.otf",
    "FreeSerif.ttf", "DejaVuSerif.ttf", "texgyretermes-bold.otf", "LiberationSerif-Bold.ttf",
]
FANCY_FONT_FILES = [
    "texgyrepagella-bolditalic.otf", "texgyrebonum-bold.otf", "texgyreschola-bolditalic.otf",
    "NimbusRoman-BoldItalic.otf", "FreeSerifBoldItalic.ttf", "LiberationSerif-BoldItalic.ttf",
    "DejaVuSerif-Bold.ttf", "texgyretermes-bolditalic.otf",
]
CLUTTER_FONT_FILES = INDEX_FONT_FILES + [
    "LiberationSans-Regular.ttf", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "FreeSans.ttf",
    "NimbusSans-Regular.otf", "FreeMono.ttf",
]


def _find_fonts(names):
    out = []
    for n in names:
        for d in FONT_DIRS:
            p = os.path.join(d, n)
            if os.path.exists(p):
                out.append(p)
                break
    return out


INDEX_FONTS = _find_fonts(INDEX_FONT_FILES)
FANCY_FONTS = _find_fonts(FANCY_FONT_FILES)
CLUTTER_FONTS = _find_fonts(CLUTTER_FONT_FILES)
# Every font is required: a machine missing one would draw other photos from the same
# seeds (a font is drawn from the list), so its held-out sets and training data would
# silently differ from everyone else's.
ALL_FONTS = sorted(set(INDEX_FONTS + FANCY_FONTS + CLUTTER_FONTS))
_MISSING = sorted(set(INDEX_FONT_FILES + FANCY_FONT_FILES + CLUTTER_FONT_FILES) - {os.path.basename(p) for p in ALL_FONTS})
if _MISSING:
    raise RuntimeError(f"fonts missing from {FONT_DIRS}: {', '.join(_MISSING)}; apt-get install "
                       "fonts-liberation fonts-texgyre fonts-urw-base35 fonts-freefont-ttf fonts-dejavu-core")

_font_cache = {}


def font(path, size):
    key = (path, int(size))
    f = _font_cache.get(key)
    if f is None:
        f = _font_cache[key] = ImageFont.truetype(path, int(size))
    return f


def load_classes(path=CLASSES_JSON):
    with open(path) as fh:
        d = json.load(fh)
    labels = d["labels"]
    points = {c["token"]: c["points"] for c in d["cards"]}
    copies = {c["token"]: c.get("copies", 1) for c in d["cards"]}
    return labels, points, copies


LABELS, POINTS, COPIES = load_classes()
LABEL_ID = {name: i for i, name in enumerate(LABELS)}
TOKENS = [t for t in LABELS[1:] if "@" not in t]


def class_id(token, upright):
    return LABEL_ID[token if upright else token + "@180"]


# --------------------------------------------------------------------------- card faces

ROPE_PALETTES = [
    [(40, 70, 160), (40, 140, 90), (150, 50, 120)],
    [(30, 90, 170), (70, 150, 70), (180, 60, 60)],
    [(60, 60, 150), (30, 120, 120), (120, 60, 140)],
    [(35, 80, 150), (90, 160, 80), (200, 120, 40)],
]
ART_COLOURS = [(30, 120, 60), (40, 80, 170), (190, 40, 40), (210, 160, 40), (120, 50, 130),
               (60, 160, 160), (220, 110, 40)]


def _rope(draw, pts, width, palette, rng):
    """A twisted multicoloured rope along a polyline."""
    dark = (40, 40, 60)
    draw.line(pts, fill=dark, width=width + 2, joint="curve")
    draw.line(pts, fill=(235, 235, 225), width=width, joint="curve")
    seg, k = 3.0, 0
    for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:]):
        L = math.hypot(x1 - x0, y1 - y0)
        if L < 1:
            continue
        ux, uy = (x1 - x0) / L, (y1 - y0) / L
        nx, ny = -uy, ux
        t = 0.0
        while t < L:
            cx, cy = x0 + ux * t, y0 + uy * t
            h = width / 2
            a = (cx - nx * h - ux * 2, cy - ny * h - uy * 2)
            b = (cx + nx * h + ux * 2, cy + ny * h + uy * 2)
            draw.line([a, b], fill=palette[k % len(palette)], width=2 if k % 3 else 1)
            k += 1
            t += seg
    for (x, y) in (pts[0], pts[-1]):  # curly end caps
        r = width * 0.9
        draw.ellipse([x - r, y - r, x + r, y + r], outline=dark, width=2)
        c = palette[rng.randrange(len(palette))]
        draw.ellipse([x - r / 2, y - r / 2, x + r / 2, y + r / 2], fill=c)


def _art(token, rng):
    """Large colourful 'illuminated' letter, RGBA, roughly CW*0.6 square."""
    S = int(CW * 0.85)
    ch = token[0].upper() if rng.random() < 0.5 else token[0]
    if len(token) == 2 and rng.random() < 0.5:
        ch = token.capitalize()
    f = font(rng.choice(FANCY_FONTS), S * (0.95 if len(ch) == 1 else 0.6))
    mask = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(mask)
    bb = d.textbbox((0, 0), ch, font=f)
    d.text(((S - (bb[2] - bb[0])) / 2 - bb[0], (S - (bb[3] - bb[1])) / 2 - bb[1]), ch, fill=255, font=f)
    # colourful fill: stripes / blobs
    fill = Image.new("RGB", (S, S), rng.choice(ART_COLOURS))
    fd = ImageDraw.Draw(fill)
    for _ in range(rng.randint(6, 18)):
        x, y, r = rng.uniform(0, S), rng.uniform(0, S), rng.uniform(4, S / 5)
        fd.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice(ART_COLOURS))
    for _ in range(rng.randint(0, 8)):
        fd.line([(rng.uniform(0, S), rng.uniform(0, S)), (rng.uniform(0, S), rng.uniform(0, S))],
                fill=rng.choice(ART_COLOURS), width=rng.randint(2, 6))
    outline = mask.filter(ImageFilter.MaxFilter(5))
    art = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    art.paste((30, 30, 30, 255), (0, 0), outline)
    inner = mask.filter(ImageFilter.MinFilter(3))
    art.paste(fill, (0, 0), inner)
    ad = ImageDraw.Draw(art)
    for _ in range(rng.randint(2, 7)):  # spirals and dots around the letter
        x, y, r = rng.uniform(0.1, 0.9) * S, rng.uniform(0.1, 0.9) * S, rng.uniform(4, 14)
        c = rng.choice(ART_COLOURS)
        ad.ellipse([x - r, y - r, x + r, y + r], outline=(30, 30, 30, 255), width=2, fill=c + (255,))
        ad.arc([x - r / 2, y - r / 2, x + r / 2, y + r / 2], 0, 270, fill=(30, 30, 30, 255), width=2)
    return art


def card_face(token, style=0, with_art=True):
    """Render one card face. Returns (rgba Image CWxCH, tl_mask L image, index box (x0,y0,x1,y1))

    The bottom-right index is the top-left one rotated 180 degrees (mask rotated too).
    `style` seeds the font/colour choices so a given (token, style) is reproducible.
    """
    rng = random.Random(zlib.crc32(("%s/%d" % (token, style)).encode()))
    cream = (rng.randint(238, 252), rng.randint(232, 246), rng.randint(212, 232))
    img = Image.new("RGBA", (CW, CH), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([0, 0, CW - 1, CH - 1], radius=int(CW * 0.06), fill=cream + (255,),
                        outline=tuple(c - 25 for c in cream) + (255,), width=1)

    # corner index: letters + points, drawn into a mask for the top-left corner
    fpath = INDEX_FONTS[style % len(INDEX_FONTS)] if style >= 0 else INDEX_FONTS[0]
    cap = CH * rng.uniform(0.095, 0.12)
    probe = font(fpath, 100)
    hb = probe.getbbox("H")
    fsize = cap / ((hb[3] - hb[1]) / 100.0)
    fl = font(fpath, fsize)
    fn = font(fpath, fsize * rng.uniform(0.38, 0.48))
    text = token.upper()
    idx = Image.new("L", (CW, CH), 0)
    di = ImageDraw.Draw(idx)
    x0, y0 = CW * rng.uniform(0.05, 0.08), CH * rng.uniform(0.03, 0.05)
    lb = di.textbbox((0, 0), text, font=fl)
    di.text((x0 - lb[0], y0 - lb[1]), text, fill=255, font=fl)
    first = di.textbbox((0, 0), text[0], font=fl)
    cx = x0 + (first[2] - first[0]) / 2 + rng.uniform(-2, 3)
    num = str(POINTS[token])
    nb = di.textbbox((0, 0), num, font=fn)
    # real cards vary: the points sit just under the letters or well below them
    ny = y0 + (lb[3] - lb[1]) + CH * rng.uniform(0.025, 0.07)
    di.text((cx - (nb[2] - nb[0]) / 2 - nb[0], ny - nb[1]), num, fill=255, font=fn)
    box = idx.getbbox()
    ink = (rng.randint(10, 40),) * 3

    # rope border: two L-shaped pieces leaving room for the indices
    pal = ROPE_PALETTES[rng.randrange(len(ROPE_PALETTES))]
    rw = int(CW * rng.uniform(0.035, 0.05))
    left, top = cx, y0 + (lb[3] - lb[1]) / 2
    right, bottom = CW - left, CH - top
    gap = CW * 0.04
    _rope(d, [(box[2] + gap, top), (right, top), (right, CH - box[3] - gap)], rw, pal, rng)
    _rope(d, [(left, box[3] + gap), (left, bottom), (CW - box[2] - gap, bottom)], rw, pal, rng)

    if with_art:
        art = _art(token, rng)
        s = rng.uniform(0.8, 1.05)
        art = art.resize((int(art.width * s), int(art.height * s)), Image.Resampling.BILINEAR)
        img.alpha_composite(art, (int((CW - art.width) / 2), int((CH - art.height) / 2)))

    br = idx.rotate(180)
    both = ImageChops.lighter(idx, br)
    img.paste(ink + (255,), (0, 0), both)
    return img, idx, box


_face_cache = {}


def cached_face(token, style):
    key = (token, style)
    f = _face_cache.get(key)
    if f is None:
        if len(_face_cache) > 400:
            _face_cache.clear()
        f = _face_cache[key] = card_face(token, style)
    return f


# --------------------------------------------------------------------------- backgrounds

def _smooth_noise(rng, w, h, cells, octaves=3):
    out = np.zeros((h, w), np.float32)
    amp = 1.0
    for o in range(octaves):
        c = cells * (2 ** o)
        small = rng.random((c + 1, c + 1)).astype(np.float32)
        im = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
        out += amp * (np.asarray(im, np.float32) / 255.0)
        amp *= 0.5
    return out / out.max()


def background(rng, pyr, w, h):
    kind = pyr.choice(["wood", "wood", "wood", "wall", "ceiling", "cloth", "paper", "noise", "table"])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        base = np.array(pyr.choice([(90, 45, 25), (110, 60, 30), (70, 35, 20), (150, 100, 60),
                                    (60, 30, 20), (170, 120, 75)]), np.float32)
        ang = pyr.uniform(-0.5, 0.5) + (math.pi / 2 if pyr.random() < 0.5 else 0)
        u = xx * math.cos(ang) + yy * math.sin(ang)
        n = _smooth_noise(rng, w, h, 4)
        grain = np.sin(u / pyr.uniform(3, 12) + n * pyr.uniform(4, 20))
        v = 1 + 0.12 * grain + 0.25 * (n - 0.5)
        img = base[None, None, :] * v[..., None]
    elif kind == "wall":
        base = np.array([pyr.randint(170, 235)] * 3, np.float32) + np.array(
            [pyr.uniform(-10, 10) for _ in range(3)], np.float32)
        n = _smooth_noise(rng, w, h, 2)
        img = base[None, None, :] * (0.8 + 0.35 * n)[..., None]
        img = img[..., :]
    elif kind == "ceiling":  # a hand held up against a bright ceiling or wall: the cards are the darker part
        base = np.array([pyr.randint(215, 250)] * 3, np.float32) - np.array(
            [0, pyr.uniform(0, 6), pyr.uniform(0, 14)], np.float32)
        img = base[None, None, :] * (0.9 + 0.1 * _smooth_noise(rng, w, h, 1, 2))[..., None]
        for _ in range(pyr.randint(0, 3)):  # lamps, window and door frames
            x, y, r = pyr.uniform(0, w), pyr.uniform(0, h), pyr.uniform(8, 30)
            if pyr.random() < 0.5:
                img[max(0, int(y - r)):int(y + r), max(0, int(x - r)):int(x + r)] = pyr.uniform(120, 255)
            else:
                x1 = x + pyr.uniform(60, 300)
                img[int(y):int(y + pyr.uniform(8, 40)), int(x):int(x1)] = [pyr.uniform(150, 245)] * 3
    elif kind == "cloth":
        base = np.array([pyr.randint(20, 200) for _ in range(3)], np.float32)
        p = pyr.uniform(2, 5)
        weave = (np.sin(xx / p * math.pi) * np.sin(yy / p * math.pi)) * 0.08
        n = _smooth_noise(rng, w, h, 3)
        img = base[None, None, :] * (1 + weave + 0.3 * (n - 0.5))[..., None]
    elif kind == "paper":
        base = np.array([pyr.randint(200, 250)] * 3, np.float32) - np.array(
            [0, pyr.uniform(0, 10), pyr.uniform(0, 25)], np.float32)
        img = base[None, None, :] * (0.93 + 0.07 * _smooth_noise(rng, w, h, 8))[..., None]
    elif kind == "table":
        base = np.array([pyr.randint(30, 230) for _ in range(3)], np.float32)
        img = base[None, None, :] * (0.85 + 0.3 * _smooth_noise(rng, w, h, 2))[..., None]
    else:
        img = 255 * np.stack([_smooth_noise(rng, w, h, pyr.randint(2, 12)) for _ in range(3)], -1)
    img = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(pyr.randint(0, 6)):  # clutter
        c = tuple(pyr.randint(0, 255) for _ in range(3))
        x, y = pyr.uniform(0, w), pyr.uniform(0, h)
        s = pyr.uniform(10, 120)
        k = pyr.random()
        if k < 0.3:
            d.rectangle([x, y, x + s, y + s * pyr.uniform(0.3, 2)], fill=c)
        elif k < 0.55:
            d.ellipse([x, y, x + s, y + s * pyr.uniform(0.5, 1.5)], fill=c)
        elif k < 0.7:
            d.line([(x, y), (x + pyr.uniform(-200, 200), y + pyr.uniform(-200, 200))], fill=c,
                   width=pyr.randint(1, 8))
        else:  # text clutter: letters that are NOT card corners (hard negatives)
            txt = "".join(pyr.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ")
                          for _ in range(pyr.randint(1, 10)))
            f = font(pyr.choice(CLUTTER_FONTS), pyr.uniform(10, 40))
            d.text((x, y), txt, fill=c, font=f)
    return img


# --------------------------------------------------------------------------- scenes

class Placed:
    __slots__ = ("token", "style", "scale", "angle", "cx", "cy")

    def __init__(self, token, style, scale, angle, cx, cy):
        self.token, self.style, self.scale, self.angle, self.cx, self.cy = token, style, scale, angle, cx, cy


def _wrap(a):
    return (a + 180.0) % 360.0 - 180.0


def _transform(im, scale, angle, cx, cy, W, H, pad=1, resample=Image.Resampling.BILINEAR):
    """Scale (antialiased), rotate by `angle` degrees counter-clockwise and centre at (cx, cy)
    in a W x H frame. Only the frame region covered by the card (+pad) is produced:
    returns (image, (x0, y0)) with the image's top-left at (x0, y0), or (None, None)."""
    w, h = max(1, round(im.width * scale)), max(1, round(im.height * scale))
    im = im.resize((w, h), Image.Resampling.BILINEAR)
    t = math.radians(angle)
    c, s = math.cos(t), math.sin(t)
    # forward: X = cx + c*u + s*v; Y = cy - s*u + c*v with (u, v) = (x - w/2, y - h/2)
    hw, hh = w / 2, h / 2
    corners = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
    xs = [cx + c * u + s * v for u, v in corners]
    ys = [cy - s * u + c * v for u, v in corners]
    x0, x1 = max(0, math.floor(min(xs)) - pad), min(W, math.ceil(max(xs)) + pad)
    y0, y1 = max(0, math.floor(min(ys)) - pad), min(H, math.ceil(max(ys)) + pad)
    if x1 <= x0 or y1 <= y0:
        return None, None
    lx, ly = cx - x0, cy - y0
    # inverse: u = c*(X-lx) - s*(Y-ly); v = s*(X-lx) + c*(Y-ly)
    coeffs = (c, -s, -c * lx + s * ly + hw, s, c, -s * lx - c * ly + hh)
    return im.transform((x1 - x0, y1 - y0), Image.Transform.AFFINE, coeffs, resample=resample), (x0, y0)


def _finger(d, x, y, ang, length, width, skin, nail=None):
    t = math.radians(ang)
    ex, ey = x + math.cos(t) * length, y - math.sin(t) * length
    d.line([(x, y), (ex, ey)], fill=skin, width=int(width))
    r = width / 2
    d.ellipse([ex - r, ey - r, ex + r, ey + r], fill=skin)
    rn = r * 0.55
    nx, ny = ex - math.cos(t) * r * 0.4, ey + math.sin(t) * r * 0.4
    if nail is not None:
        d.ellipse([nx - rn, ny - rn, nx + rn, ny + rn], fill=nail)


SKINS = [(225, 180, 150), (200, 150, 120), (160, 110, 80), (110, 75, 55), (235, 200, 175), (190, 140, 110)]


def compose(placed, bg, occluders, W, H, pyr, min_visible=0.6, shade=1.0):
    """Paste cards bottom-to-top, then occluders; return image and boxes/labels of visible corners.

    Visibility of each corner index = its ink (summed coverage) not covered by any card
    above it or by an occluder, relative to its full ink area at this scale (so parts
    outside the frame count as hidden too). Boxes are the full corner ink extent (clipped
    to the frame). `shade` darkens the cards against the background (a hand held up
    against the light)."""
    img = bg.convert("RGB")
    alphas, corners = [], []
    for p in placed:
        face, tl, box = cached_face(p.token, p.style)
        if pyr.random() < 0.7:  # soft shadow under the card
            pad = 12
            sh, off = _transform(face.getchannel("A"), p.scale, p.angle, p.cx + pyr.uniform(-6, 6),
                                 p.cy + pyr.uniform(0, 8), W, H, pad=pad)
            if sh is not None:
                sh = sh.filter(ImageFilter.GaussianBlur(pyr.uniform(2, 6))).point(lambda v: int(v * 0.45))
                img.paste((0, 0, 0), off + (off[0] + sh.width, off[1] + sh.height), sh)
        packed = Image.merge("RGB", (face.getchannel("A"), tl, tl.rotate(180)))
        t, off = _transform(packed, p.scale, p.angle, p.cx, p.cy, W, H)
        if t is None:
            alphas.append(None)
            corners.append([])
            continue
        rgb, _ = _transform(face.convert("RGB"), p.scale, p.angle, p.cx, p.cy, W, H)
        if shade < 1.0:
            rgb = rgb.point(lambda v: int(v * shade))
        a, m0, m1 = t.split()
        img.paste(rgb, off, a)
        alphas.append((np.asarray(a) > 128, off))
        # Ink as coverage (0..1), not thresholded: resampling spreads a small corner's
        # thin strokes over more pixels at lower values, so counting pixels over half
        # found only about half the ink of a fully visible far corner (scale ~0.2) and
        # dropped it from the labels; summed coverage is kept by the resampling.
        expected = float(np.asarray(tl, np.float32).sum()) / 255.0 * p.scale * p.scale
        corners.append([(np.asarray(m0, np.float32) / 255.0, off, p.angle, expected),
                        (np.asarray(m1, np.float32) / 255.0, off, p.angle + 180.0, expected)])
    occ = Image.new("L", (W, H), 0)
    if occluders:
        d = ImageDraw.Draw(img)
        do = ImageDraw.Draw(occ)
        for (x, y, ang, length, width, skin) in occluders:
            nail = tuple(min(255, c + 30) for c in skin) if pyr.random() < 0.6 else None
            _finger(d, x, y, ang, length, width, skin, nail)
            _finger(do, x, y, ang, length, width, 255)
    cover = np.asarray(occ) > 128
    boxes, labels, owners = [], [], []
    for i in range(len(placed) - 1, -1, -1):
        for m, (x0, y0), ang, expected in corners[i]:
            inked = m > 0.5
            if expected <= 0 or not inked.any():
                continue
            h, w = m.shape
            vis = (m * ~cover[y0:y0 + h, x0:x0 + w]).sum() / expected
            if vis >= min_visible:
                ys, xs = np.nonzero(inked)
                boxes.append([float(x0 + xs.min()), float(y0 + ys.min()),
                              float(x0 + xs.max() + 1), float(y0 + ys.max() + 1)])
                upright = -90.0 <= _wrap(ang) < 90.0
                labels.append(class_id(placed[i].token, upright))
                owners.append(i)
        if alphas[i] is not None:
            al, (x0, y0) = alphas[i]
            h, w = al.shape
            cover[y0:y0 + h, x0:x0 + w] |= al
    return img, boxes, labels, owners


def random_tokens(pyr, n):
    toks = list(COPIES.keys())
    # real frequency, flattened: the two-copy cards (in, qu, z ...) are the ones most often misread
    weights = [COPIES[t] / 2 + 3 for t in toks]
    return pyr.choices(toks, weights=weights, k=n)


def hand_scene(pyr, rng, tokens=None, W=640, H=480, style=None):
    n = len(tokens) if tokens else pyr.randint(3, 10)
    tokens = tokens or random_tokens(pyr, n)
    style = pyr.randrange(64) if style is None else style
    # from small cards on a table to a close-up whose cards run off the frame's bottom
    far = pyr.random() < FAR_SHARE
    if far:  # a desk or tripod shot: the fan fills a small part of the photo
        card_h = pyr.uniform(90, 230)
    else:  # from small cards on a table to a close-up whose cards run off the frame's bottom
        card_h = pyr.uniform(230, 580) * (1.0 if n <= 7 or pyr.random() < 0.5 else pyr.uniform(0.75, 1.0))
    scale = card_h / CH
    # wide fans too: the outer cards of a real 8-card hand lean up to ~50 degrees
    step = pyr.uniform(7, 18) * (1 if n <= 6 else pyr.uniform(0.7, 1.05))
    lateral = pyr.uniform(0.1, 0.3) * CW * scale * (1 if n <= 6 else 0.7)  # sideways shift per card (card frame)
    base = pyr.gauss(0, 14)
    dist = card_h * pyr.uniform(0.15, 0.6)
    if far:  # anywhere in the frame
        top = pyr.uniform(10, max(11, H - card_h * 1.3))
        px = pyr.uniform(card_h * 0.8, W - card_h * 0.8)
    else:
        top = pyr.uniform(10, H * 0.42)  # top edge of the middle card: the indices stay in the frame
        px = W / 2 + pyr.uniform(-80, 80)
    py = top + card_h / 2 + dist
    placed = []
    for i, tok in enumerate(tokens):
        k = i - (n - 1) / 2
        ang = base - k * step + pyr.gauss(0, 1.0)
        t = math.radians(ang)
        # card frame up vector (0,-1) and right vector (1,0), rotated
        ux, uy = -math.sin(t), -math.cos(t)
        rx, ry = math.cos(t), -math.sin(t)
        off = k * lateral
        cx = px + ux * dist + rx * off + pyr.gauss(0, 2)
        cy = py + uy * dist + ry * off + pyr.gauss(0, 2)
        st = style if pyr.random() < 0.9 else pyr.randrange(64)
        placed.append(Placed(tok, st, scale * pyr.uniform(0.98, 1.02), ang, cx, cy))
    occluders = []
    held = pyr.random() < 0.6
    skin = pyr.choice(SKINS)
    if held:  # thumb/fingers near the pivot, over the front card
        for _ in range(pyr.randint(1, 3)):
            fy = min(py + pyr.uniform(-10, 60), H + pyr.uniform(-40, 30))  # a far pivot is off the frame
            occluders.append((px + pyr.uniform(-60, 60), fy,
                              pyr.uniform(60, 120), card_h * pyr.uniform(0.15, 0.45),
                              card_h * pyr.uniform(0.09, 0.14), skin))
    if pyr.random() < 0.15:  # stray finger anywhere
        occluders.append((pyr.uniform(0, W), pyr.uniform(0, H), pyr.uniform(0, 360),
                          pyr.uniform(40, 200), pyr.uniform(20, 50), skin))
    return placed, occluders


def deck_scene(pyr, rng, token=None, W=640, H=480, style=None):
    token = token or random_tokens(pyr, 1)[0]
    style = pyr.randrange(64) if style is None else style
    far = pyr.random() < FAR_SHARE
    card_h = pyr.uniform(60, 120) if far else pyr.uniform(120, 420)  # far: a deck across the table
    scale = card_h / CH
    ang = pyr.uniform(-180, 180) if pyr.random() < 0.7 else pyr.gauss(0, 10)
    if far:
        cx, cy = pyr.uniform(card_h, W - card_h), pyr.uniform(card_h, H - card_h)
    else:
        cx, cy = W / 2 + pyr.uniform(-W / 5, W / 5), H / 2 + pyr.uniform(-H / 6, H / 6)
    placed = []
    if pyr.random() < 0.5:  # a few cards of the deck peeking out underneath
        for _ in range(pyr.randint(1, 3)):
            placed.append(Placed(random_tokens(pyr, 1)[0], pyr.randrange(64), scale,
                                 ang + pyr.gauss(0, 3), cx + pyr.gauss(0, 3), cy + pyr.gauss(0, 3)))
    placed.append(Placed(token, style, scale, ang, cx, cy))
    if pyr.random() < 0.25:  # other loose cards elsewhere
        for _ in range(pyr.randint(1, 2)):
            placed.insert(0, Placed(random_tokens(pyr, 1)[0], pyr.randrange(64), scale,
                                    pyr.uniform(-180, 180), pyr.uniform(0, W), pyr.uniform(0, H)))
    occluders = []
    if pyr.random() < 0.2:
        occluders.append((pyr.uniform(0, W), pyr.uniform(0, H), pyr.uniform(0, 360),
                          pyr.uniform(40, 200), pyr.uniform(20, 50), pyr.choice(SKINS)))
    return placed, occluders


# --------------------------------------------------------------------------- camera effects

# share of photos with a far, small hand or deck card, and of webcam-like captures
FAR_SHARE = 0.2
WEBCAM_SHARE = 0.45


def _motion_blur(a, length, angle):
    """Average of the photo shifted along a line: a camera moved during the exposure."""
    t = math.radians(angle)
    acc = np.zeros_like(a)
    steps = max(2, int(round(length)))
    pad = steps
    padded = np.pad(a, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
    H, W = a.shape[:2]
    for k in range(steps):
        d = (k - (steps - 1) / 2)
        dx, dy = int(round(d * math.cos(t))), int(round(d * math.sin(t)))
        acc += padded[pad + dy:pad + dy + H, pad + dx:pad + dx + W]
    return acc / steps


def webcam(img, pyr, rng):
    """What a laptop webcam or an arm's-length phone adds: defocus or motion blur, a
    low-resolution sensor scaled up, dim light with sensor noise and a colour cast,
    lowered contrast, strong compression. Any mix of them, each often mild."""
    W, H = img.size
    a = np.asarray(img, np.float32)
    if pyr.random() < 0.4:  # dim room, auto-gain lifts the noise floor
        a = a * pyr.uniform(0.35, 0.7)
    if pyr.random() < 0.4:  # lowered contrast (haze, cheap lens)
        k = pyr.uniform(0.55, 0.9)
        a = a.mean() + (a - a.mean()) * k
    if pyr.random() < 0.4:  # strong colour cast (tungsten, screen light)
        a = a * np.array([pyr.uniform(0.7, 1.3), pyr.uniform(0.85, 1.15), pyr.uniform(0.65, 1.3)], np.float32)
    r = pyr.random()
    if r < 0.4:  # unfocused
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(pyr.uniform(1.0, 3.2)))
        a = np.asarray(img, np.float32)
    elif r < 0.65:  # moved
        a = _motion_blur(a, pyr.uniform(4, 14), pyr.uniform(0, 180))
    if pyr.random() < 0.6:  # sensor noise, partly per channel
        s = pyr.uniform(3, 16)
        a = a + rng.normal(0, s, a.shape[:2] + (1,)).astype(np.float32)
        a = a + rng.normal(0, s * pyr.uniform(0.2, 0.8), a.shape).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if pyr.random() < 0.45:  # a 240..512 px wide capture, scaled up to the photo's size
        f = pyr.uniform(240, 520) / W
        if f < 1:
            small = img.resize((max(8, int(W * f)), max(8, int(H * f))), pyr.choice([Image.Resampling.BILINEAR, Image.Resampling.BOX, Image.Resampling.NEAREST]))
            img = small.resize((W, H), pyr.choice([Image.Resampling.BILINEAR, Image.Resampling.BICUBIC]))
    return img


def camera(img, pyr, rng):
    W, H = img.size
    a = np.asarray(img, np.float32)
    # illumination: smooth gain field + colour temperature
    gain = pyr.uniform(0.55, 1.15) * (0.75 + 0.5 * _smooth_noise(rng, W, H, 2, 2))
    tint = np.array([pyr.uniform(0.85, 1.15), 1.0, pyr.uniform(0.75, 1.1)], np.float32)
    a = a * gain[..., None] * tint
    if pyr.random() < 0.35:  # shadow polygon
        m = Image.new("L", (W, H), 0)
        pts = [(pyr.uniform(-W / 2, W * 1.5), pyr.uniform(-H / 2, H * 1.5)) for _ in range(pyr.randint(3, 5))]
        ImageDraw.Draw(m).polygon(pts, fill=255)
        m = np.asarray(m.filter(ImageFilter.GaussianBlur(pyr.uniform(5, 40))), np.float32) / 255
        a = a * (1 - m[..., None] * pyr.uniform(0.2, 0.55))
    if pyr.random() < 0.25:  # glare
        m = Image.new("L", (W, H), 0)
        x, y, r = pyr.uniform(0, W), pyr.uniform(0, H), pyr.uniform(20, 150)
        ImageDraw.Draw(m).ellipse([x - r, y - r * 0.6, x + r, y + r * 0.6], fill=255)
        m = np.asarray(m.filter(ImageFilter.GaussianBlur(r / 2)), np.float32) / 255
        a = a + m[..., None] * pyr.uniform(40, 160)
    if pyr.random() < 0.7:
        a = a + rng.normal(0, pyr.uniform(1, 9), a.shape).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    low_quality = pyr.random() < WEBCAM_SHARE
    if low_quality:
        img = webcam(img, pyr, rng)
    else:
        r = pyr.random()
        if r < 0.35:
            img = img.filter(ImageFilter.GaussianBlur(pyr.uniform(0.3, 1.6)))
        elif r < 0.5:
            f = pyr.uniform(0.5, 0.8)
            img = img.resize((int(W * f), int(H * f)), Image.Resampling.BILINEAR).resize((W, H), Image.Resampling.BILINEAR)
    r = pyr.random()
    if r < 0.12:  # GIF-like 256 colour palette with dithering
        img = img.quantize(colors=pyr.choice([256, 128, 64]), dither=Image.Dither.FLOYDSTEINBERG).convert("RGB")
    elif r < 0.18:
        img = img.convert("P", palette=Image.Palette.WEB, dither=Image.Dither.FLOYDSTEINBERG).convert("RGB")
    if pyr.random() < 0.8:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=pyr.randint(8, 60) if low_quality else pyr.randint(25, 95))
        buf.seek(0)
        img = Image.open(buf).convert("RGB")
    return img


def render_scene(seed, kind=None, tokens=None, size=None, allow_flip=True):
    """Render one random photo. Returns (PIL RGB image, boxes [[x0,y0,x1,y1]...], labels [int...])."""
    img, boxes, labels, _ = render_photo(seed, kind, tokens, size, allow_flip)
    return img, boxes, labels


def render_photo(seed, kind=None, tokens=None, size=None, allow_flip=True, scene=None):
    """render_scene plus the photo's truth as a player reads it: returns (image, boxes,
    labels, cards), where cards lists the held cards left to right along the fan (a
    deck photo: the top card), or None when a player could not tell: a held card
    shows no readable corner, or a deck photo shows corners of other cards too.

    scene, a dict, receives the scene in the photo's frame (after any upside-down turn):
    "cards", bottom to top, as Placed, and "fingers" as (x, y, angle, length, width), for
    the face reader's harvest (faces.py). It draws nothing at random."""
    pyr = random.Random(seed)
    rng = np.random.default_rng(seed)
    if size is None:
        size = pyr.choice([(640, 480)] * 6 + [(480, 640), (600, 520), (520, 460), (640, 360)])
    W, H = size
    kind = kind or ("hand" if pyr.random() < 0.65 else "deck")
    bg = background(rng, pyr, W, H)
    if kind == "hand":
        placed, occ = hand_scene(pyr, rng, tokens, W, H)
    else:
        placed, occ = deck_scene(pyr, rng, tokens[0] if tokens else None, W, H)
    shade = pyr.uniform(0.55, 0.9) if pyr.random() < 0.2 else 1.0
    img, boxes, labels, owners = compose(placed, bg, occ, W, H, pyr, shade=shade)
    if kind == "hand":  # every card of the fan must show a corner
        readable = set(owners) == set(range(len(placed)))
    else:  # one card, and no other card's corner in sight to be mistaken for it
        readable = set(owners) == {len(placed) - 1}
    cards = [p.token for p in placed] if kind == "hand" else [placed[-1].token]
    img = camera(img, pyr, rng)
    flipped = pyr.random() < 0.12 and allow_flip
    if flipped:  # photo taken upside down
        img = img.rotate(180)
        boxes = [[W - b[2], H - b[3], W - b[0], H - b[1]] for b in boxes]
        labels = [flip_label(l) for l in labels]
    if scene is not None:
        turn = (lambda x, y: (W - x, H - y)) if flipped else (lambda x, y: (x, y))
        half = 180.0 if flipped else 0.0
        scene["cards"] = [Placed(p.token, p.style, p.scale, _wrap(p.angle + half), *turn(p.cx, p.cy)) for p in placed]
        scene["fingers"] = [(*turn(x, y), ang + half, length, width) for (x, y, ang, length, width, _) in occ]
    return img, boxes, labels, cards if readable else None


def flip_label(l):
    name = LABELS[l]
    return LABEL_ID[name[:-4] if name.endswith("@180") else name + "@180"]


def draw_boxes(img, boxes, labels, scores=None, colour=(255, 0, 0)):
    img = img.copy()
    d = ImageDraw.Draw(img)
    f = font(INDEX_FONTS[0], 12)
    for i, (b, l) in enumerate(zip(boxes, labels)):
        d.rectangle(b, outline=colour, width=2)
        t = LABELS[l] + ("" if scores is None else " %.2f" % scores[i])
        d.text((b[0], max(0, b[1] - 13)), t, fill=colour, font=f)
    return img


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hand", help="cards of a hand, left to right, e.g. a/cl/th")
    ap.add_argument("--deck", help="one deck card, e.g. n")
    ap.add_argument("--faces", help="export every card face as PNG into this folder")
    ap.add_argument("--samples", help="render random scenes with boxes drawn into this folder")
    ap.add_argument("-n", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=".")
    ap.add_argument("--boxes", action="store_true", help="also save a copy with boxes drawn")
    ap.add_argument("--copy-fonts", metavar="DIR",
                    help="copy the fonts the renderer draws with into DIR, for QUIDDLER_FONT_DIR on a machine without them")
    args = ap.parse_args()
    if args.copy_fonts:
        os.makedirs(args.copy_fonts, exist_ok=True)
        for path in ALL_FONTS:
            shutil.copy(path, args.copy_fonts)
        print("copied %d fonts to %s" % (len(ALL_FONTS), args.copy_fonts))
        return
    os.makedirs(args.out, exist_ok=True)
    if args.faces:
        os.makedirs(args.faces, exist_ok=True)
        for t in TOKENS:
            face, _, box = card_face(t, 0)
            face.save(os.path.join(args.faces, "%s.png" % t))
        boxes = {t: list(card_face(t, 0)[2]) for t in TOKENS}
        with open(os.path.join(args.faces, "faces.json"), "w") as fh:
            json.dump({"size": [CW, CH], "index_box_top_left": boxes,
                       "note": "the bottom-right index is the top-left one rotated 180 degrees"}, fh, indent=1)
        print("wrote %d faces to %s" % (len(TOKENS), args.faces))
    for kind, spec in (("hand", args.hand), ("deck", args.deck)):
        if not spec:
            continue
        toks = spec.split("/")
        for t in toks:
            if t not in POINTS:
                raise SystemExit("unknown card token %r" % t)
        img, boxes, labels = render_scene(args.seed, kind, toks, (640, 480), allow_flip=False)
        p = os.path.join(args.out, "%s-%s.jpg" % (kind, "-".join(toks)))
        img.save(p, quality=92)
        with open(p[:-4] + ".json", "w") as fh:
            json.dump({"cards": toks, "boxes": boxes, "labels": [LABELS[l] for l in labels]}, fh)
        if args.boxes:
            draw_boxes(img, boxes, labels).save(p[:-4] + "-boxes.png")
        print(p, len(boxes), "boxes")
    if args.samples:
        os.makedirs(args.samples, exist_ok=True)
        for i in range(args.n):
            img, boxes, labels = render_scene(args.seed + i)
            draw_boxes(img, boxes, labels).save(os.path.join(args.samples, "sample-%03d.png" % i))


if __name__ == "__main__":
    main()
