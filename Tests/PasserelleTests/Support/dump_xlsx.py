#!/usr/bin/env python3
"""Dump an XLSX workbook as text, one non-empty cell per line: the XLSX golden format (STYLE.md 2.7).

    sheet!cell<TAB>value<TAB>number_format

Cells are listed sheet by sheet (workbook order), row by row. Values: text with backslash escapes for
\\, tab, CR and LF; numbers as Python's repr (1234.5, 42); dates (number formats openpyxl recognises as dates)
as ISO `2026-02-12`, with the time when it is not midnight; booleans as TRUE/FALSE.

With --details, each cell line gets three more columns (data type as openpyxl reads it, `bold` or `-`, fill
colour or `-`), and each sheet adds lines `sheet!#freeze<TAB>A2` and `sheet!#autofilter<TAB>A1:C4` when set,
and the workbook a last line `#formulas<TAB>N`: the number of <f> elements in the sheets' raw XML.

Usage: dump_xlsx.py [--details] FILE.xlsx
Exit status 2 with a message on stderr when openpyxl is missing.
"""

import datetime
import re
import sys
import zipfile

try:
    import openpyxl
except ImportError:
    sys.stderr.write("dump_xlsx.py: openpyxl is not installed; fix: pip install openpyxl\n")
    sys.exit(2)


def escaped(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def rendered(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value)
    return escaped(str(value))


def details(cell):
    bold = "bold" if cell.font is not None and cell.font.b else "-"
    fill = "-"
    if cell.fill is not None and cell.fill.fill_type == "solid":
        fill = str(cell.fill.fgColor.rgb)
    return [cell.data_type, bold, fill]


def formula_count(path):
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
        return sum(len(re.findall(rb"<f[ >/]", archive.read(name))) for name in sheets)


def main(arguments):
    with_details = "--details" in arguments
    paths = [argument for argument in arguments if argument != "--details"]
    if len(paths) != 1:
        sys.stderr.write("usage: dump_xlsx.py [--details] FILE.xlsx\n")
        return 2
    workbook = openpyxl.load_workbook(paths[0])
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                columns = [f"{sheet.title}!{cell.coordinate}", rendered(cell.value), cell.number_format]
                if with_details:
                    columns += details(cell)
                print("\t".join(columns))
        if with_details and sheet.freeze_panes:
            print(f"{sheet.title}!#freeze\t{sheet.freeze_panes}")
        if with_details and sheet.auto_filter.ref:
            print(f"{sheet.title}!#autofilter\t{sheet.auto_filter.ref}")
    if with_details:
        print(f"#formulas\t{formula_count(paths[0])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
