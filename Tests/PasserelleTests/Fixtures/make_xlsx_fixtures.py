#!/usr/bin/env python3
"""Writes the binary workbook fixtures of XLSXReaderTests and XLSReaderTests.

Run from anywhere: `python3 Tests/PasserelleTests/Fixtures/make_xlsx_fixtures.py` (needs openpyxl and xlwt
from PyPI). Each fixture holds one concern, is a few KiB on disk, and is committed with this script.
"""
import datetime
import io
import os
import struct
import zipfile
import zlib

import openpyxl
import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
XLSX = os.path.join(HERE, "xlsx")
XLS = os.path.join(HERE, "xls")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def types_workbook():
    """Title block above the header, sparse cells, booleans, built-in and custom date formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Séjours"
    ws["A1"] = "Réservations été 2026"
    ws.append([])
    ws.append(["Code", "Client", "Arrivée", "Départ", "Heure", "Durée", "Payé", "Montant", "Taux"])
    ws.append(["S-001", "DUPONT Marie & fils <VIP>", datetime.date(2026, 2, 12), datetime.date(2026, 2, 19),
               datetime.datetime(2026, 2, 12, 15, 30), datetime.timedelta(hours=26, minutes=30), True, 1234.5, 0.2])
    ws.append(["S-002", None, datetime.date(2026, 3, 1), None, None, None, False, 99, None])
    for row in (4, 5):
        ws.cell(row, 3).number_format = "mm-dd-yy"          # built-in 14
        ws.cell(row, 4).number_format = "dd/mm/yyyy;@"      # custom, French
        ws.cell(row, 5).number_format = "yyyy-mm-dd hh:mm"  # custom datetime
        ws.cell(row, 6).number_format = "[h]:mm:ss"         # built-in 46, duration
        ws.cell(row, 9).number_format = "0.00%"             # a number, not a date
    ws2 = wb.create_sheet("Vide")
    ws2["C7"] = "seule"
    wb.save(os.path.join(XLSX, "types.xlsx"))


def write_zip(name, parts, level=6):
    with zipfile.ZipFile(os.path.join(XLSX, name), "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for path, data in parts.items():
            z.writestr(path, data)


def package(sheet_xml, shared=None, styles=None, date1904=False, sheet_target="worksheets/sheet1.xml"):
    """The parts of a one-sheet workbook written by hand (openpyxl cannot write cached formula values)."""
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NS}>{pr}<sheets>'
                           f'<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{sheet_target}"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '</Relationships>',
        sheet_target.lstrip("/") if sheet_target.startswith("/") else "xl/" + sheet_target: sheet_xml,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    if styles is not None:
        parts["xl/styles.xml"] = styles
    return parts


STYLES = f"""<?xml version="1.0"?><styleSheet {NS.split(' ')[0]}>
<numFmts count="1"><numFmt numFmtId="165" formatCode="[$-40C]d\\ mmmm\\ yyyy;@"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="14"/></cellXfs>
</styleSheet>"""


def handmade_workbook():
    """Formulas with cached values, every cell type, prefixes, CDATA, escapes, cells without `r`."""
    write_zip("handmade.xlsx", handmade_parts())


def handmade_parts():
    """The parts of the handmade workbook."""
    shared = f"""<?xml version="1.0"?><sst {NS.split(' ')[0]} count="4" uniqueCount="4">
<si><t>plain</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">rich </t></r><r><t>text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>
<si/><si><t>line_x000D_
break</t></si></sst>"""
    sheet = f"""<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:sheetData>
<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" t="s"><x:v>1</x:v></x:c><x:c r="C2" t="s"><x:v>2</x:v></x:c><x:c r="D2" t="s"><x:v>3</x:v></x:c></x:row>
<x:row r="3"><x:c r="A3"><x:v>2</x:v></x:c><x:c r="B3"><x:f>A3*3</x:f><x:v>6</x:v></x:c><x:c r="C3" t="str"><x:f>"a"&amp;"b"</x:f><x:v>a&amp;b</x:v></x:c><x:c r="D3" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><x:c r="E3" t="b"><x:v>1</x:v></x:c></x:row>
<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t><![CDATA[<cdata & more>]]></x:t></x:is></x:c><x:c r="B4" t="d"><x:v>2026-02-12T10:30:00</x:v></x:c><x:c r="C4" s="1"><x:v>46065</x:v></x:c><x:c r="D4" s="2"><x:v>46065.5</x:v></x:c><x:c r="E4" t="inlineStr"><x:is><x:t>&#233;t&#xE9; &lt;3 &quot;ok&quot;</x:t></x:is></x:c></x:row>
<x:row><x:c><x:v>1.5e3</x:v></x:c><x:c/><x:c><x:v>-0.25</x:v></x:c></x:row>
<x:row r="9"><x:c r="C9" s="0"/></x:row>
</x:sheetData></x:worksheet>"""
    return package(sheet, shared, STYLES)


def date1904_workbook():
    """The 1904 date system, reached through an absolute relationship target."""
    sheet = f"""<?xml version="1.0"?><worksheet {NS.split(' ')[0]}><sheetData>
<row r="1"><c r="A1" s="2"><v>44561</v></c><c r="B1"><v>44561</v></c></row></sheetData></worksheet>"""
    write_zip("date1904.xlsx", package(sheet, None, STYLES, date1904=True, sheet_target="/xl/worksheets/sheet1.xml"))


def long_cell_workbook():
    """An inline string of 40 bytes in C3, for the cell-size cap (tests lower it to 16)."""
    sheet = f"""<?xml version="1.0"?><worksheet {NS.split(' ')[0]}><sheetData>
<row r="3"><c r="A3"><v>1</v></c><c r="C3" t="inlineStr"><is><t>{"x" * 40}</t></is></c></row></sheetData></worksheet>"""
    write_zip("long-cell.xlsx", package(sheet, None, STYLES))


def hostile_workbooks():
    """A zip bomb (64 MiB of spaces, ~65 KiB packed), a DOCTYPE with entities, a fake encrypted file, junk."""
    bomb = f'<?xml version="1.0"?><worksheet {NS.split(" ")[0]}><sheetData>' + " " * (64 << 20) \
        + "</sheetData></worksheet>"
    write_zip("zip-bomb.xlsx", package(bomb, None, STYLES), level=9)
    doctype = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' \
        f'<worksheet {NS.split(" ")[0]}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t>' \
        '</is></c></row></sheetData></worksheet>'
    write_zip("doctype.xlsx", package(doctype, None, STYLES))
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    with open(os.path.join(XLSX, "password-protected.xlsx"), "wb") as f:
        f.write(header + "EncryptionInfo".encode("utf-16-le") + bytes(64) + "EncryptedPackage".encode("utf-16-le"))
    with open(os.path.join(XLSX, "not-a-workbook.xlsx"), "wb") as f:
        f.write(b"Code;Client\nS-001;DUPONT\n")
    with open(os.path.join(XLSX, "types.xlsx"), "rb") as f:
        data = f.read()
    with open(os.path.join(XLSX, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])


def raw_zip(name, parts, zip64=False):
    """Writes a zip whose entries hold the given payloads as they are: (path, method, payload, crc, size), method 8
    being raw deflate. zipfile cannot store a deflate stream that is cut short or damaged; this can. With `zip64`,
    the central directory gives the sizes and offsets in ZIP64 extra fields and ends with the ZIP64 records."""
    out, central = bytearray(), bytearray()
    dos_date = (2026 - 1980) << 9 | 1 << 5 | 1
    for path, method, payload, crc, size in parts:
        encoded = path.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, dos_date, crc, len(payload), size,
                           len(encoded), 0) + encoded + payload
        packed, extra = len(payload), b""
        if zip64:  # the offset too, but for the first entry (ZIPFoundation reads an offset of 0 there as absent)
            extra = struct.pack("<HHQQ", 1, 16, size, packed) + (struct.pack("<Q", offset) if offset else b"")
            extra = extra[:2] + struct.pack("<H", len(extra) - 4) + extra[4:]
            packed, size, offset = 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF if offset else 0
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, dos_date, crc, packed,
                               size, len(encoded), len(extra), 0, 0, 0, 0, offset) + encoded + extra
    start = len(out)
    out += central
    if zip64:
        end64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(parts), len(parts), len(central), start)
        out += struct.pack("<IIQI", 0x07064B50, 0, end64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), start, 0)
    with open(os.path.join(XLSX, name), "wb") as f:
        f.write(out)


def deflated(data):
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def multi_chunk_rows(first, last):
    """Rows `first`...`last` of a sheet that inflates to several of the reader's 256 KiB chunks: each row holds its
    number and an inline string of "row<n>;" 4 000 times."""
    return "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>'
                   f'{f"row{n};" * 4000}</t></is></c></row>' for n in range(first, last + 1))


def multi_chunk_workbooks():
    """40 rows over about 1 MiB of sheet XML (a few KiB packed); the same sheet with its deflate stream damaged
    after row 20 (a block of the reserved type 3 after a full flush), and cut to half its packed length."""
    head = f'<?xml version="1.0"?><worksheet {NS.split(" ")[0]}><sheetData>'
    tail = "</sheetData></worksheet>"
    sheet = (head + multi_chunk_rows(1, 40) + tail).encode()
    write_zip("multi-chunk.xlsx", package(sheet.decode(), None, STYLES))
    others = [(path, 8, deflated(data.encode()), zlib.crc32(data.encode()), len(data.encode()))
              for path, data in package("", None, STYLES).items() if path != "xl/worksheets/sheet1.xml"]
    crc = zlib.crc32(sheet)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    front = packer.compress((head + multi_chunk_rows(1, 20)).encode()) + packer.flush(zlib.Z_FULL_FLUSH)
    damaged = front + b"\x07" + deflated((multi_chunk_rows(21, 40) + tail).encode())
    raw_zip("damaged-deflate.xlsx", others + [("xl/worksheets/sheet1.xml", 8, damaged, crc, len(sheet))])
    whole = deflated(sheet)
    raw_zip("truncated-deflate.xlsx",
            others + [("xl/worksheets/sheet1.xml", 8, whole[: len(whole) // 2], crc, len(sheet))])


def container_variants():
    """The handmade workbook with its parts stored (method 0), and with a ZIP64 central directory."""
    parts = {path: data.encode() for path, data in handmade_parts().items()}
    with zipfile.ZipFile(os.path.join(XLSX, "stored.xlsx"), "w", zipfile.ZIP_STORED) as z:
        for path, data in parts.items():
            z.writestr(path, data)
    raw_zip("zip64.xlsx", [(path, 8, deflated(data), zlib.crc32(data), len(data)) for path, data in parts.items()],
            zip64=True)


def xls_workbook():
    """A legacy BIFF8 file: text, numbers, a date, a datetime, a boolean-free second sheet."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Séjours")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    datetime_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    sheet.write(0, 0, "Réservations")
    for col, header in enumerate(["Code", "Arrivée", "Heure", "Montant"]):
        sheet.write(2, col, header)
    sheet.write(3, 0, "S-001")
    sheet.write(3, 1, datetime.date(2026, 2, 12), date_style)
    sheet.write(3, 2, datetime.datetime(2026, 2, 12, 15, 30), datetime_style)
    sheet.write(3, 3, 1234.5)
    sheet.write(4, 0, "S-002")
    sheet.write(4, 3, 99)
    book.add_sheet("Autre").write(1, 1, "B2")
    book.save(os.path.join(XLS, "types.xls"))


class CachedError:
    """A formula's cached error result, by its BIFF code (0x07 is #DIV/0!)."""

    def __init__(self, code):
        self.code = code


def cached_formula_record(original, cached):
    """Wraps xlwt's FormulaCell.get_biff_data to store the result Excel would have cached.

    xlwt writes every formula with an empty-string result (Excel recalculates on open); the reader under test
    reads cached results, so the value from `cached[(row, col)]` is patched into the FORMULA record, and a text
    result is written in the STRING record that follows it (split into CONTINUE records past 8224 bytes).
    """
    def get_biff_data(cell):
        record = original(cell)
        value = cached.get((cell.rowx, cell.colx))
        if value is None:
            return record
        body = bytearray(record[4:])
        trailer = b""
        if isinstance(value, bool):
            body[6:14] = struct.pack("<BBBBHH", 1, 0, int(value), 0, 0, 0xFFFF)
        elif isinstance(value, CachedError):
            body[6:14] = struct.pack("<BBBBHH", 2, 0, value.code, 0, 0, 0xFFFF)
        elif isinstance(value, str):
            body[6:14] = struct.pack("<BBBBHH", 0, 0, 0, 0, 0, 0xFFFF)
            first = (8224 - 3) // 2
            payload = struct.pack("<HB", len(value), 1) + value[:first].encode("utf-16-le")
            trailer = struct.pack("<HH", 0x0207, len(payload)) + payload
            rest = value[first:]
            while rest:
                chunk, rest = rest[:4000], rest[4000:]
                more = b"\x01" + chunk.encode("utf-16-le")
                trailer += struct.pack("<HH", 0x003C, len(more)) + more
        else:
            body[6:14] = struct.pack("<d", value)
        return record[:4] + bytes(body) + trailer
    return get_biff_data


def xls_formulas_workbook():
    """Formulas with cached number, text (one long enough for CONTINUE records), boolean, error and date results,
    one without a cached result (as xlwt writes it), and a [h]:mm:ss duration."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Calculs")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    duration_style = xlwt.easyxf(num_format_str="[h]:mm:ss")
    cached = {(0, 1): 42.0, (1, 1): "abcd", (2, 0): True, (3, 0): CachedError(0x07), (4, 0): 46065.0,
              (7, 1): "é" * 5000}
    sheet.write(0, 0, 21)
    sheet.write(0, 1, xlwt.Formula("A1*2"))
    sheet.write(1, 0, "ab")
    sheet.write(1, 1, xlwt.Formula('A2&"cd"'))
    sheet.write(2, 0, xlwt.Formula("A1>1"))
    sheet.write(3, 0, xlwt.Formula("1/0"))
    sheet.write(4, 0, xlwt.Formula("A1+46044"), date_style)
    sheet.write(5, 0, 1.5, duration_style)
    sheet.write(6, 0, xlwt.Formula("A1*3"))
    sheet.write(7, 1, xlwt.Formula("A2&A2"))
    book.add_sheet("Autre").write(0, 0, "rien")
    original = xlwt.Cell.FormulaCell.get_biff_data
    xlwt.Cell.FormulaCell.get_biff_data = cached_formula_record(original, cached)
    try:
        book.save(os.path.join(XLS, "formulas.xls"))
    finally:
        xlwt.Cell.FormulaCell.get_biff_data = original


if __name__ == "__main__":
    os.makedirs(XLSX, exist_ok=True)
    os.makedirs(XLS, exist_ok=True)
    types_workbook()
    handmade_workbook()
    date1904_workbook()
    long_cell_workbook()
    hostile_workbooks()
    multi_chunk_workbooks()
    container_variants()
    xls_workbook()
    xls_formulas_workbook()
