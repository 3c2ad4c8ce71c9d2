import CFreeXL
import Foundation
import PasserelleCore

/// Reads legacy Excel 97–2003 (`.xls`, BIFF5/BIFF8) workbooks through libfreexl.
///
/// freexl parses the whole workbook on open and serves cells from memory: fine for the legacy files partners
/// still send, which are capped at 65 536 rows by the format. freexl decides dates from the cell's format
/// and converts them to text (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`, `HH:MM:SS`), which this reader parses back.
/// freexl skips formulas, reads error cells as numbers and `[h]:mm:ss` cells as times of day, so
/// `XLSCellOverlay` reads those cells from the BIFF records and they replace freexl's.
final class XLSReader: WorkbookReader {
    let path: String
    let sheetNames: [String]
    /// Formula results, boolean and error cells, durations of each worksheet, aligned with `sheetNames`.
    private let overlays: [XLSCellOverlay.Sheet]
    /// The freexl handle; only touched from the calling thread, closed in `deinit`.
    private let handle: UnsafeRawPointer

    /// Opens the file with freexl and lists its worksheets.
    init(path: String) throws {
        self.path = path
        var opened: UnsafeRawPointer?
        let status = freexl_open(path, &opened)
        guard status == FREEXL_OK else {
            if let opened { freexl_close(opened) }
            throw XLSReader.error(for: status, path: path, during: "opening the workbook")
        }
        guard let opened else {
            // freexl answers OK without a handle for BIFF variants it skips (some BIFF5, odd stream layouts).
            throw WorkbookError(
                .unsupported, path: path, message: "libfreexl opened the file but found no worksheet data it reads")
        }
        handle = opened
        do {
            try XLSReader.refuseObfuscated(opened, path: path)
            sheetNames = try XLSReader.worksheetNames(opened, path: path)
            overlays = try XLSReader.overlays(path: path, sheetCount: sheetNames.count)
        } catch {
            freexl_close(opened)
            throw error
        }
    }

    deinit { freexl_close(handle) }

    func readRows(of selector: SheetSelector, _ body: (_ row: Int, _ cells: [CellValue]) throws -> Void) throws {
        let index = try sheetIndex(selector)
        let name = sheetNames[index]
        try check(freexl_select_active_worksheet(handle, UInt16(index)), sheet: name, "selecting the sheet")
        var rowCount: UInt32 = 0
        var columnCount: UInt16 = 0
        try check(freexl_worksheet_dimensions(handle, &rowCount, &columnCount), sheet: name, "reading its size")
        let overlay = overlays[index]
        var cells: [CellValue] = []
        cells.reserveCapacity(Int(columnCount))
        for row in 0..<max(Int(rowCount), overlay.rowEnd) {
            let extra = overlay.cells[row]
            guard row < rowCount || extra != nil else { continue }
            let width = max(row < rowCount ? Int(columnCount) : 0, (extra?.keys.max() ?? -1) + 1)
            cells.removeAll(keepingCapacity: true)
            for column in 0..<width {
                if let value = extra?[column] {
                    cells.append(value)
                } else if row < rowCount, column < columnCount {
                    cells.append(try cellValue(row: UInt32(row), column: UInt16(column), sheet: name))
                } else {
                    cells.append(.empty)
                }
            }
            while let last = cells.last, case .empty = last { cells.removeLast() }
            if !cells.isEmpty { try body(row + 1, cells) }
        }
    }

    private func cellValue(row: UInt32, column: UInt16, sheet: String) throws -> CellValue {
        var cell = FreeXL_CellValue()
        let status = freexl_get_cell_value(handle, row, column, &cell)
        if status != FREEXL_OK {
            let reference = SourceLocation.columnLetters(Int(column) + 1) + String(row + 1)
            throw XLSReader.error(for: status, path: path, sheet: sheet, cell: reference, during: "reading the cell")
        }
        return XLSReader.value(of: cell)
    }

    /// Maps a freexl cell to a `CellValue`; date types become `.date`.
    static func value(of cell: FreeXL_CellValue) -> CellValue {
        switch Int32(cell.type) {
        case FREEXL_CELL_INT: return .number(Double(cell.value.int_value))
        case FREEXL_CELL_DOUBLE: return .number(cell.value.double_value)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT: return text(cell).map { CellValue.text($0) } ?? .empty
        case FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
            guard let raw = text(cell) else { return .empty }
            let iso = raw.replacingOccurrences(of: " ", with: "T")
            return XLSXISODate.value(iso) ?? .text(raw)
        default: return .empty
        }
    }

    private static func text(_ cell: FreeXL_CellValue) -> String? {
        cell.value.text_value.map { String(cString: $0) }
    }

    private func sheetIndex(_ selector: SheetSelector) throws -> Int {
        switch selector {
        case .name(let name):
            if let index = sheetNames.firstIndex(of: name)
                ?? sheetNames.firstIndex(where: { $0.compare(name, options: .caseInsensitive) == .orderedSame })
            {
                return index
            }
        case .position(let position):
            if position >= 1, position <= sheetNames.count { return position - 1 }
        }
        throw WorkbookError.sheetNotFound(selector, in: path, available: sheetNames)
    }

    private func check(_ status: Int32, sheet: String, _ action: String) throws {
        if status != FREEXL_OK { throw XLSReader.error(for: status, path: path, sheet: sheet, during: action) }
    }

    /// freexl opens XOR-obfuscated (password-protected) files but reads garbage from them.
    private static func refuseObfuscated(_ handle: UnsafeRawPointer, path: String) throws {
        var password: UInt32 = 0
        let status = freexl_get_info(handle, UInt16(FREEXL_BIFF_PASSWORD), &password)
        if status == FREEXL_OK, password == UInt32(FREEXL_BIFF_OBFUSCATED) {
            throw WorkbookError(.passwordProtected, path: path)
        }
    }

    private static func worksheetNames(_ handle: UnsafeRawPointer, path: String) throws -> [String] {
        var count: UInt32 = 0
        let status = freexl_get_info(handle, UInt16(FREEXL_BIFF_SHEET_COUNT), &count)
        guard status == FREEXL_OK else { throw error(for: status, path: path, during: "counting its sheets") }
        return try (0..<min(count, UInt32(UInt16.max))).map { index in
            var name: UnsafePointer<CChar>?
            let status = freexl_get_worksheet_name(handle, UInt16(index), &name)
            guard status == FREEXL_OK else { throw error(for: status, path: path, during: "reading sheet names") }
            return name.map { String(cString: $0) } ?? "Sheet\(index + 1)"
        }
    }
}
