"""Reads the stays sheet with python-calamine (every cell as a Python value).

Usage: python3 xlsx_read_calamine.py DATA_DIR
"""
import os
import sys

from python_calamine import CalamineWorkbook

from _timing import report


def work(path):
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_name("Séjours")
    return len(sheet.to_python()) - 2   # title and header rows


if __name__ == "__main__":
    path = os.path.join(sys.argv[1], "sejours.xlsx")
    report("xlsx_read", "python-calamine", lambda: work(path))
