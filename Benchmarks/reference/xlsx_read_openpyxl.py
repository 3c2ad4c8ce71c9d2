"""Reads the stays sheet with openpyxl in read-only mode (streaming), every cell's value.

Usage: python3 xlsx_read_openpyxl.py DATA_DIR
"""
import os
import sys

from openpyxl import load_workbook

from _timing import report


def work(path):
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook["Séjours"].iter_rows(values_only=True))
    workbook.close()
    return rows - 2   # title and header rows


if __name__ == "__main__":
    path = os.path.join(sys.argv[1], "sejours.xlsx")
    report("xlsx_read", "openpyxl read-only", lambda: work(path))
