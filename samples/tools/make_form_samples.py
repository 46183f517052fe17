#!/usr/bin/env python3
"""Builds samples/forms/<id>.xlsx from samples/forms/src/<id>.json.

Each JSON file is {"title": "...", "rows": [{"header": value, ...}, ...]}. The spreadsheet is laid
out the way offices keep them: a merged title row, a 序号 column, the header row, then the data.
Run from the project root: python3 samples/tools/make_form_samples.py [ID ...]  (needs openpyxl).
"""
import json
import pathlib
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

root = pathlib.Path(__file__).resolve().parents[2]
src = root / "samples" / "forms" / "src"
wanted = set(sys.argv[1:])
for path in sorted(src.glob("*.json")):
    if wanted and path.stem not in wanted:
        continue
    spec = json.loads(path.read_text(encoding="utf-8"))
    rows = spec["rows"]
    headers = []
    for r in rows:
        for k in r:
            if k not in headers:
                headers.append(k)
    wb = Workbook()
    ws = wb.active
    ws.title = spec.get("sheet", "Sheet1")
    ws.cell(row=1, column=1, value=spec["title"]).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers) + 1)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=2, column=1, value="序号").font = Font(bold=True)
    for j, h in enumerate(headers, start=2):
        ws.cell(row=2, column=j, value=h).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=2, column=j).column_letter].width = max(10, min(40, len(h) * 3))
    for i, r in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=i - 2)
        for j, h in enumerate(headers, start=2):
            v = r.get(h)
            if v is not None:
                ws.cell(row=i, column=j, value=v)
    out = root / "samples" / "forms" / f"{path.stem}.xlsx"
    wb.save(out)
    print(out.relative_to(root))
