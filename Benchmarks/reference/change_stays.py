"""Writes a copy of a generated stays workbook with one row in EVERY (default 200, i.e. 0.5 %) changed.

Usage: python3 change_stays.py SOURCE.xlsx DESTINATION.xlsx [EVERY]

The change is to the party size (column I, "Nb personnes"), plus one, on data rows whose row number is a
multiple of EVERY: what a booking central's next export looks like when a few clients changed their booking.
The sheet's XML is edited as a stream (it is 784 MB at a million stays: no workbook library would load it in
reasonable memory), every other entry is copied as it is. Prints how many rows were changed.
"""
import re
import sys
import zipfile

CELL = re.compile(rb'<c r="I(\d+)" t="n"><v>(\d+)</v></c>')


def main(source, destination, every):
    changed = 0

    def bump(match):
        nonlocal changed
        row = int(match.group(1))
        if row % every:
            return match.group(0)
        changed += 1
        return b'<c r="I%d" t="n"><v>%d</v></c>' % (row, int(match.group(2)) + 1)

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED,
                                                            compresslevel=1) as zout:
        for info in zin.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                zout.writestr(info, zin.read(info.filename))
                continue
            with zin.open(info) as fin, zout.open(info, "w", force_zip64=True) as fout:
                tail = b""
                while chunk := fin.read(1 << 22):
                    data = tail + chunk
                    end = data.rfind(b"</row>")  # edit whole rows only
                    cut = 0 if end < 0 else end + len(b"</row>")
                    fout.write(CELL.sub(bump, data[:cut]))
                    tail = data[cut:]
                fout.write(CELL.sub(bump, tail))
    print(changed)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 200)
