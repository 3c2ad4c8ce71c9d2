#!/usr/bin/env python3
"""Python's xlsxwriter (constant_memory mode) writing the same cells as Passerelle and the C program.

Usage: python3 Benchmarks/reference/xlsx_write_xlsxwriter.py NAME OUT.xlsx SHEET=CELLS.tsv...

The cells files are the ones passerelle-bench writes (format in Benchmarks/reference/xlsx_write.c). They are
read before the clock starts; only the workbook is timed (creation to close). The peak resident memory is
reset before writing (/proc/self/clear_refs), so "write_memory_megabytes" is what writing took on top of the
loaded cells.
"""
import sys
import time

import xlsxwriter

from _timing import report

UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def unescape(text):
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(UNESCAPE.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def parse(text, kind):
    """(kind, value) of one cell: 's' text, 'n' number with the column's format, 'f' formula, None empty."""
    if not text:
        return None
    if kind == "s":
        return ("s", unescape(text))
    head, _, formula = text.partition("=")
    try:
        number = int(head if kind == "f" else text)
    except ValueError:
        return ("s", unescape(text))
    if kind == "f":
        return ("f", "=" + formula, number / 100) if formula else ("s", text)
    return ("n", number / {"m": 100, "p": 10000}.get(kind, 1), kind)


def load(path):
    with open(path, encoding="utf-8", newline="\n") as lines:
        kinds = next(lines).rstrip("\n").split("\t")
        headers = [unescape(h) for h in next(lines).rstrip("\n").split("\t")]
        rows = [[parse(t, k) for t, k in zip(line.rstrip("\n").split("\t"), kinds)] for line in lines]
    return headers, rows


def write(out, sheets):
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    header = workbook.add_format({"bold": True})
    formats = {
        "m": workbook.add_format({"num_format": '#,##0.00 "€"'}),
        "p": workbook.add_format({"num_format": "0.00%"}),
        "d": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "i": None,
    }
    for name, (headers, rows) in sheets:
        sheet = workbook.add_worksheet(name)
        for c, text in enumerate(headers):
            sheet.write_string(0, c, text, header)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                if cell[0] == "s":
                    sheet.write_string(r, c, cell[1])
                elif cell[0] == "n":
                    sheet.write_number(r, c, cell[1], formats[cell[2]])
                else:
                    sheet.write_formula(r, c, cell[1], formats["m"], cell[2])
        if rows:
            sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    workbook.close()
    return sum(len(rows) for _, (_, rows) in sheets)


def status_megabytes(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    name, out, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    start = time.perf_counter()
    sheets = [(spec.partition("=")[0], load(spec.partition("=")[2])) for spec in specs]
    loading = time.perf_counter() - start
    try:
        with open("/proc/self/clear_refs", "w") as reset:
            reset.write("5")
    except OSError:
        pass
    before = status_megabytes("VmRSS")
    extra = {"load_seconds": round(loading, 4)}

    def work():
        cpu = time.process_time()
        rows = write(out, sheets)
        extra["cpu_seconds"] = round(time.process_time() - cpu, 4)
        extra["write_memory_megabytes"] = round(max(0.0, status_megabytes("VmHWM") - before), 1)
        return rows, {"rows": rows, "sheets": len(sheets)}

    report(name, "xlsxwriter (Python)", work, extra)


if __name__ == "__main__":
    main()
