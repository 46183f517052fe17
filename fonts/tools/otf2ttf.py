#!/usr/bin/env python3
"""Converts the bundled Fandol fonts from CFF to TrueType (glyf) outlines.

Why: the PDF export subsets every document's fonts, and subsetting CFF charstrings is about half of
a 公文's export time; TrueType outlines subset much faster (notes: fonts-truetype). Metrics, cmap,
names and OpenType layout tables are kept; only the outlines change, by at most `MAX_ERR` font
units (of 1000) when cubic curves become quadratic (fontTools' cu2qu, as in its otf2ttf snippet).

Usage: python3 fonts/tools/otf2ttf.py SRC_DIR DEST_DIR   (needs `pip install fonttools`)
"""
import sys
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERR = 1.0
FILES = [
    "FandolFang-Regular",
    "FandolKai-Regular",
    "FandolHei-Regular",
    "FandolHei-Bold",
    "FandolSong-Regular",
    "FandolSong-Bold",
]


def convert(font: TTFont) -> None:
    assert font.sfntVersion == "OTTO" and "CFF " in font
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run anticlockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.compile(font)
    post = font["post"]
    # No glyph names (format 3): nothing reads them, and CID fonts have none worth keeping.
    post.formatType = 3.0
    font.sfntVersion = "\000\001\000\000"


def main() -> None:
    src, dest = Path(sys.argv[1]), Path(sys.argv[2])
    dest.mkdir(parents=True, exist_ok=True)
    for stem in FILES:
        font = TTFont(src / f"{stem}.otf")
        convert(font)
        font.save(dest / f"{stem}.ttf")
        print(f"{stem}.otf → {stem}.ttf")


if __name__ == "__main__":
    main()
