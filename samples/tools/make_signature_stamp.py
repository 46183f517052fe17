#!/usr/bin/env python3
"""Draws the specimen 签发人签名章 (GB/T 9704 §7.3.5.3) used by the samples: a red frame around the
name, marked 样章. Run from the project root: python3 samples/tools/make_signature_stamp.py"""
from PIL import Image, ImageDraw, ImageFont

W, H = 720, 360
red = (255, 51, 51, 255)
img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rectangle([6, 6, W - 7, H - 7], outline=red, width=18)
d.text((W // 2, H // 2 - 30), "张某某", font=ImageFont.truetype("fonts/FandolSong-Bold.otf", 180), fill=red, anchor="mm")
d.text((W // 2, H - 78), "样章", font=ImageFont.truetype("fonts/FandolHei-Regular.otf", 44), fill=red, anchor="mm")
img.save("samples/gongwen/seals/signature-stamp-zhang.png", optimize=True)
