#!/usr/bin/env python3
"""Print every sheet of a workbook as python-calamine reads it, in Passerelle's canonical cell form.

Used by Tests/PasserelleTests/CalamineCorpusTests.swift, which renders its own reader's cells the same way
and compares the two texts.

Canonical form, one line per non-blank cell, sheets in tab order, rows then columns:

    <sheet>!<A1 ref>\t<kind>\t<value>

kinds and values:
  text      the string, with \\ \t \n \r escaped as \\\\ \\t \\n \\r
  number    integral values below 2**53 as an integer ("15"), others as Python repr ("0.1", "1e+20")
  bool      TRUE or FALSE
  date      YYYY-MM-DD (a datetime at midnight)
  datetime  YYYY-MM-DDTHH:MM:SS (rounded to the second: Passerelle keeps whole seconds)
  time      HH:MM:SS (calamine's reading of serials below 1, i.e. 1899-12-31 with a time)
  duration  whole seconds, rounded

Blank cells are not printed, and neither are empty strings: python-calamine returns "" both for an empty
cell and for an error cell (#N/A, #DIV/0!), so errors cannot be compared and Passerelle's `.error` cells
are left out on its side too. A sheet that python-calamine cannot read prints `<sheet>\t!unreadable`.
Exit status 2 (with the reason on stderr) when the workbook itself cannot be opened.
"""
import datetime
import sys

import python_calamine


def column_letters(index):
    letters = ""
    index += 1
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def number(value):
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def rounded(dt):
    if dt.microsecond >= 500000:
        dt = dt + datetime.timedelta(microseconds=1000000 - dt.microsecond)
    return dt.replace(microsecond=0)


def canonical(value):
    """(kind, text) for one cell value, or None for a blank cell."""
    if isinstance(value, bool):
        return "bool", "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return "number", number(value)
    if isinstance(value, str):
        return None if value == "" else ("text", escape(value))
    if isinstance(value, datetime.datetime):
        dt = rounded(value)
        if dt.hour == dt.minute == dt.second == 0:
            return "date", dt.date().isoformat()
        return "datetime", dt.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, datetime.date):
        return "date", value.isoformat()
    if isinstance(value, datetime.time):
        dt = rounded(datetime.datetime.combine(datetime.date(1899, 12, 31), value))
        if dt.date() != datetime.date(1899, 12, 31):
            return "datetime", dt.strftime("%Y-%m-%dT%H:%M:%S")
        return "time", dt.strftime("%H:%M:%S")
    if isinstance(value, datetime.timedelta):
        return "duration", str(round(value.total_seconds()))
    return "text", escape(str(value))


def dump_sheet(workbook, name, out):
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - any calamine failure on one sheet is reported as such
        out.append(f"{name}\t!unreadable")
        return
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = canonical(value)
            if cell is not None:
                out.append(f"{name}!{column_letters(c)}{r + 1}\t{cell[0]}\t{cell[1]}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: calamine_oracle.py WORKBOOK")
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
    except Exception as error:  # noqa: BLE001
        print(f"cannot open: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(2)
    out = []
    for name in workbook.sheet_names:
        dump_sheet(workbook, name, out)
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main()
