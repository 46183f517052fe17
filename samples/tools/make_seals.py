#!/usr/bin/env python3
"""Draw the specimen official seals (样章) used by the wenshu sample documents.

These are clearly fake, project-drawn seals: every one carries the word 样章
below the star. Run from the project root:

    python3 samples/tools/make_seals.py

Output: samples/gongwen/seals/*.png, 1000x1000 px RGBA with a transparent
background; the seal is a 42 mm round seal filling the image edge to edge.
Lettering is FandolSong-Bold (seals use Song type), slightly emboldened.

Optional environment overrides (for experiments only):
  SEAL_FONT=FandolHei-Bold.otf  SEAL_STROKE_MM=0.15  SEAL_OUT_DIR=/tmp/x
"""
import math
import os
import sys

from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.environ.get("SEAL_OUT_DIR",
                         os.path.join(ROOT, "samples", "gongwen", "seals"))

FONT_FILE = os.environ.get("SEAL_FONT", "FandolSong-Bold.otf")
FONT_DIRS = [
    "/work/shared/fonts",
    os.path.join(ROOT, "samples", "gongwen"),
    os.path.join(ROOT, "fonts"),
]
FONT_CANDIDATES = [os.path.join(d, FONT_FILE) for d in FONT_DIRS]

SEALS = [
    ("xingren-gov-office.png", "兴仁市人民政府办公室"),
    ("xingren-gov.png", "兴仁市人民政府"),
    ("health-commission.png", "兴仁市卫生健康局"),
    ("finance-bureau.png", "兴仁市财政局"),
    ("medical-insurance.png", "兴仁市医疗保障局"),
    ("civil-affairs.png", "兴仁市民政局"),
    ("market-regulation.png", "兴仁市市场监督管理局"),
]

# --- geometry (millimetres) -------------------------------------------------
SIZE_PX = 1000            # output image edge
SS = 4                    # supersampling factor for anti-aliasing
DIAMETER_MM = 42.0
RING_MM = 1.2             # outer ring thickness
STAR_MM = 14.0            # star: diameter of circumscribed circle
NAME_H_MM = 7.5           # height of the organisation-name characters
NAME_GAP_MM = 0.8         # gap between ring and top of the name characters
MARK_H_MM = 5.0           # height of 样章
MARK_GAP_MM = 1.2         # gap between the star's lower points and 样章
MARK_TEXT = "样章"
MARK_CONDENSE = 0.9
MIN_CHAR_GAP_MM = 0.6     # minimum gap between name characters (inner edge)
MAX_CONDENSE = 0.85
COLOR = (255, 51, 51)     # CMYK(0,80,80,0)
# extra stroke added around every glyph (engraved seals have heavy strokes;
# without it the hairline horizontals of Song Bold vanish at seal size)
STROKE_MM = float(os.environ.get("SEAL_STROKE_MM", "0.15"))


def find_font():
    for p in FONT_CANDIDATES:
        if os.path.exists(p):
            return p
    sys.exit("FandolSong-Bold.otf not found in: " + ", ".join(FONT_CANDIDATES))


def arc_span_deg(n):
    """Arc covered by the name, from first to last character centre."""
    return max(210.0, min(250.0, 170.0 + 8.0 * n))


class GlyphRenderer:
    """Renders single characters as L-mode masks with a fixed ink height."""

    def __init__(self, path, ink_h_px, stroke_px):
        self.stroke = int(round(stroke_px))
        probe = ImageFont.truetype(path, 1000)
        l, t, r, b = probe.getbbox("国", anchor="ls")
        size = int(round(1000 * (ink_h_px - 2 * self.stroke) / (b - t)))
        self.font = ImageFont.truetype(path, size)
        l, t, r, b = self.font.getbbox("国", anchor="ls",
                                       stroke_width=self.stroke)
        # vertical offset of the reference ink-box centre from the baseline
        self.v_center = (t + b) / 2.0
        self.ink_h = b - t
        self.size = size

    def ink_width(self, ch):
        l, t, r, b = self.font.getbbox(ch, anchor="ls",
                                       stroke_width=self.stroke)
        return r - l

    def render(self, ch, condense):
        """Mask of one character, ink box centred in the returned image."""
        l, t, r, b = self.font.getbbox(ch, anchor="ls",
                                       stroke_width=self.stroke)
        w = int(self.size * 1.4)
        img = Image.new("L", (w, w), 0)
        d = ImageDraw.Draw(img)
        # centre horizontally on the glyph's own ink, vertically on the
        # reference glyph so all characters share one baseline
        x = w / 2.0 - (l + r) / 2.0
        y = w / 2.0 - self.v_center
        d.text((x, y), ch, font=self.font, fill=255, anchor="ls",
               stroke_width=self.stroke, stroke_fill=255)
        if condense != 1.0:
            nw = int(round(w * condense))
            img = img.resize((nw, w), Image.LANCZOS)
        return img


def paste_mask(canvas, mask, cx, cy):
    """Paste white through `mask` so that its centre lands on (cx, cy)."""
    x = int(round(cx - mask.width / 2.0))
    y = int(round(cy - mask.height / 2.0))
    canvas.paste(255, (x, y, x + mask.width, y + mask.height), mask)


def star_points(cx, cy, r_outer):
    r_inner = r_outer * math.sin(math.radians(18)) / math.sin(math.radians(126))
    pts = []
    for i in range(10):
        a = math.radians(-90 + 36 * i)
        r = r_outer if i % 2 == 0 else r_inner
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def draw_seal(name, font_path):
    W = SIZE_PX * SS
    px = W / DIAMETER_MM               # supersampled px per mm
    c = W / 2.0
    R = W / 2.0
    mask = Image.new("L", (W, W), 0)
    d = ImageDraw.Draw(mask)

    # outer ring
    ring = RING_MM * px
    d.ellipse((0, 0, W - 1, W - 1), fill=255)
    d.ellipse((ring, ring, W - 1 - ring, W - 1 - ring), fill=0)

    # star
    r_star = STAR_MM / 2.0 * px
    d.polygon(star_points(c, c, r_star), fill=255)

    # organisation name along the upper arc
    gr = GlyphRenderer(font_path, NAME_H_MM * px, STROKE_MM * px)
    r_top = R - ring - NAME_GAP_MM * px          # radius of the characters' tops
    r_mid = r_top - gr.ink_h / 2.0               # radius of character centres
    r_low = r_top - gr.ink_h                     # radius of character bottoms
    n = len(name)
    span = arc_span_deg(n)
    step = span / (n - 1)
    # condense so neighbouring characters keep a minimum gap at their bottoms
    chord_low = 2 * r_low * math.sin(math.radians(step) / 2)
    widest = max(gr.ink_width(ch) for ch in name)
    condense = min(MAX_CONDENSE, (chord_low - MIN_CHAR_GAP_MM * px) / widest)
    for i, ch in enumerate(name):
        theta = -span / 2.0 + i * step           # degrees, clockwise from top
        g = gr.render(ch, condense).rotate(-theta, resample=Image.BICUBIC,
                                           expand=True)
        t = math.radians(theta)
        paste_mask(mask, g, c + r_mid * math.sin(t), c - r_mid * math.cos(t))

    # 样章 below the star
    mr = GlyphRenderer(font_path, MARK_H_MM * px, STROKE_MM * px * 0.6)
    star_bottom = r_star * math.cos(math.radians(36))
    mark_cy = c + star_bottom + MARK_GAP_MM * px + mr.ink_h / 2.0
    glyphs = [mr.render(ch, MARK_CONDENSE) for ch in MARK_TEXT]
    pitch = mr.ink_h * MARK_CONDENSE * 1.02      # character pitch
    x0 = c - pitch * (len(glyphs) - 1) / 2.0
    for i, g in enumerate(glyphs):
        paste_mask(mask, g, x0 + i * pitch, mark_cy)

    alpha = mask.reduce(SS)
    img = Image.new("RGBA", (SIZE_PX, SIZE_PX), COLOR + (0,))
    img.putalpha(alpha)
    return img, condense, span


def main():
    font_path = find_font()
    os.makedirs(OUT_DIR, exist_ok=True)
    for fname, name in SEALS:
        img, condense, span = draw_seal(name, font_path)
        out = os.path.join(OUT_DIR, fname)
        img.save(out, optimize=True)
        print("%-24s %-12s span %.0f°, condense %.2f, %d bytes"
              % (fname, name, span, condense, os.path.getsize(out)))


if __name__ == "__main__":
    main()
