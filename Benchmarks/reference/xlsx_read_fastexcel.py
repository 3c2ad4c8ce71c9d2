"""Reads the stays sheet with fastexcel (calamine in Rust) into a polars DataFrame, as polars.read_excel does.

Usage: python3 xlsx_read_fastexcel.py DATA_DIR
"""
import os
import sys

import fastexcel
import polars  # noqa: F401  (imported before the clock starts, as to_polars would)

from _timing import report


def work(path):
    reader = fastexcel.read_excel(path)
    # The title is row 1, the header row 2: header_row is 0-based.
    frame = reader.load_sheet_by_name("Séjours", header_row=1, dtype_coercion="coerce").to_polars()
    return frame.height


if __name__ == "__main__":
    path = os.path.join(sys.argv[1], "sejours.xlsx")
    report("xlsx_read", "fastexcel+polars", lambda: work(path))
