// Internal, not private: the XLSXWriter+*.swift files of this folder extend the wrapper; no other file imports it.
internal import CXLSXWriter
import Foundation
import PasserelleCore

/// An error while writing an output file: the path, what went wrong and how to fix it.
///
/// C error codes (`lxw_error`) are wrapped here, at the boundary, and never passed up raw (STYLE.md 2.5).
package struct OutputError: Error, Equatable, CustomStringConvertible {
    /// The file being written.
    package let path: String
    /// What went wrong, lowercase, without a final period.
    package let reason: String
    /// An imperative sentence telling the user what to do.
    package let fix: String
    /// The throw site (`#fileID:#line`), for `--verbose` output only.
    package let source: String

    /// An XLSX writing error.
    package static func xlsx(
        path: String, reason: String, fix: String, fileID: String = #fileID, line: Int = #line
    ) -> OutputError {
        OutputError(path: path, reason: reason, fix: fix, source: "\(fileID):\(line)")
    }

    /// An error while writing any other output file (a page, a text file).
    package static func file(
        path: String, reason: String, fix: String, fileID: String = #fileID, line: Int = #line
    ) -> OutputError {
        OutputError(path: path, reason: reason, fix: fix, source: "\(fileID):\(line)")
    }

    package var description: String { "\(path): error: \(reason)\n  fix: \(fix)" }
}

/// An XLSX workbook being written, through libxlsxwriter (the only user of `CXLSXWriter`).
///
/// Nothing is written to `path` until `close()`. Two documents filled the same way with the same
/// `created` date are byte-identical: the creation date is the only time libxlsxwriter 1.1.4 stores
/// (docProps/core.xml, as both created and modified), and its packager stamps every zip entry with a fixed
/// 1980-01-01 00:00 date, whatever the clock says.
///
/// Options: `constant_memory` is off unless asked for (large statements). In that mode libxlsxwriter writes
/// inline strings instead of a shared string table and flushes a row as soon as a later row is written, so a
/// cell written above the last row would be lost silently: the writer refuses it instead. Reports are small
/// enough to be held in memory. `tmpdir` keeps its default (`tmpfile()` in the system temporary directory).
///
/// ```swift
/// let document = try XLSXDocument(path: "out/commissions.xlsx", created: context.clock.now)
/// let sheet = try document.addSheet("Commissions 02/2026")
/// try sheet.writeHeader(row: 0, ["Prestataire", "Montant"])
/// try sheet.write(row: 1, column: 1, value: .money(Money(cents: 123_450)))
/// try document.close()
/// ```
package final class XLSXDocument {
    /// Where the workbook is written on `close()`.
    package let path: String
    /// nil once closed (libxlsxwriter frees the workbook in `workbook_close`).
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    var formats: Formats
    /// Formats made for `XLSXCellStyle`s, by style (see XLSXWriter+Styles.swift); owned by the workbook.
    var styleFormats: [XLSXCellStyle: UnsafeMutablePointer<lxw_format>] = [:]
    var sheets: [SheetState] = []
    /// Whether rows are streamed (see `init(path:created:properties:isConstantMemory:)`).
    let isConstantMemory: Bool

    /// Starts a workbook whose creation date (shown in Excel's properties) is `created`, taken from the run clock.
    package convenience init(path: String, created: Date) throws {
        try self.init(path: path, created: created, properties: XLSXDocumentProperties(), isConstantMemory: false)
    }

    /// Starts a workbook with document properties (title, author…); `isConstantMemory` streams each row to disk
    /// once a later row is written (libxlsxwriter's `constant_memory`): cells must then be written row by row, in
    /// order, which `XLSXSheetWriter` checks. Creation date as above.
    package init(path: String, created: Date, properties: XLSXDocumentProperties, isConstantMemory: Bool) throws {
        self.path = path
        let seconds = Int(created.timeIntervalSince1970.rounded(.down))
        guard seconds > 0 else {
            // libxlsxwriter reads a zero `created` as "now", which would make the file differ at each run.
            throw OutputError.xlsx(
                path: path, reason: "creation date \(created) is not after 1970-01-01",
                fix: "pass the run clock's date as the workbook's creation date")
        }
        try Self.checkFolder(of: path)
        var options = lxw_workbook_options()  // zeroed: constant_memory off, default tmpdir, no zip64
        options.constant_memory = isConstantMemory ? UInt8(LXW_TRUE.rawValue) : 0
        self.isConstantMemory = isConstantMemory
        guard let workbook = workbook_new_opt(path, &options) else {
            throw OutputError.xlsx(
                path: path, reason: "libxlsxwriter could not start a workbook (out of memory)",
                fix: "free memory or split the report, then run the pipeline again")
        }
        self.workbook = workbook
        formats = Formats(workbook)
        try setProperties(properties, created: time_t(seconds))
    }

    deinit {
        // Never closed (an error happened earlier): free the memory without writing a partial file.
        if let workbook { lxw_workbook_free(workbook) }
    }

    /// Adds a worksheet; `name` is made valid for Excel and unique (see `sheetName(_:avoiding:)`).
    package func addSheet(_ name: String) throws -> XLSXSheetWriter {
        let workbook = try openWorkbook()
        let safeName = Self.sheetName(name, avoiding: sheets.map(\.name))
        guard let worksheet = workbook_add_worksheet(workbook, safeName) else {
            throw OutputError.xlsx(
                path: path, reason: "libxlsxwriter refused the sheet name '\(safeName)' (from '\(name)')",
                fix: "rename the sheet in the report layout; report this as a Passerelle bug if it persists")
        }
        sheets.append(SheetState(worksheet: worksheet, name: safeName))
        return XLSXSheetWriter(document: self, index: sheets.count - 1, name: safeName)
    }

    /// Adds the autofilters and writes the file; the document cannot be used afterwards.
    package func close() throws {
        let workbook = try openWorkbook()
        for sheet in sheets {
            guard let headerRow = sheet.headerRow, sheet.headerColumns > 0, !sheet.hasAutofilter else { continue }
            let lastRow = max(sheet.lastRow, headerRow)
            let error = worksheet_autofilter(
                sheet.worksheet, lxw_row_t(headerRow), 0, lxw_row_t(lastRow), lxw_col_t(sheet.headerColumns - 1))
            try check(error, doing: "adding the autofilter of sheet '\(sheet.name)'")
        }
        self.workbook = nil  // workbook_close frees it, whatever its result
        try check(workbook_close(workbook), doing: "writing the file")
    }

    /// Excel's rules for a sheet name: 1–31 UTF-16 units, none of `[ ] : * ? / \`, no apostrophe at either end,
    /// unique ignoring case, not `History`. Invalid characters become `_`; a clash gets ` (2)`, ` (3)`…
    package static func sheetName(_ proposed: String, avoiding used: [String]) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var base = String(proposed.map { forbidden.contains($0) || $0.isControlCharacter ? "_" : $0 })
        base = base.trimmingCharacters(in: CharacterSet(charactersIn: "'").union(.whitespaces))
        if base.isEmpty { base = "Feuille" }
        let taken = Set(used.map { $0.lowercased() } + ["history"])
        var candidate = truncated(base, toUTF16: 31)
        var number = 2
        while taken.contains(candidate.lowercased()) {
            let suffix = " (\(number))"
            candidate = truncated(base, toUTF16: 31 - suffix.utf16.count) + suffix
            number += 1
        }
        return candidate
    }

    /// Whether Excel or a CSV export could read `text` as a formula (formats.md 2: `=`, `+`, `-`, `@`, tab, CR).
    package static func isFormulaLike(_ text: String) -> Bool {
        // All six are ASCII, so the first UTF-8 byte decides (a non-ASCII first character starts above 0x7F).
        switch text.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    private static func truncated(_ text: String, toUTF16 limit: Int) -> String {
        var result = ""
        for character in text {
            guard result.utf16.count + character.utf16.count <= limit else { break }
            result.append(character)
        }
        return result.trimmingCharacters(in: CharacterSet(charactersIn: "'").union(.whitespaces))
    }

    private static func checkFolder(of path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError.xlsx(
                path: path, reason: "folder '\(folder)' does not exist",
                fix: "create the folder or change the stage's output path")
        }
    }

    func openWorkbook() throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let workbook else {
            throw OutputError.xlsx(
                path: path, reason: "the workbook is already closed",
                fix: "write every sheet before calling close(); report this as a Passerelle bug")
        }
        return workbook
    }

    // MARK: Sheet settings, used by XLSXSheetWriter (cells: XLSXWriter+Cells.swift)

    fileprivate func markHeader(sheet: Int, row: Int, columns: Int) throws {
        let worksheet = try worksheet(sheet, row: row, column: max(columns - 1, 0))
        worksheet_freeze_panes(worksheet, lxw_row_t(row + 1), 0)
        sheets[sheet].headerRow = row
        sheets[sheet].headerColumns = columns
    }

    fileprivate func setWidth(_ width: Double, sheet: Int, column: Int) throws {
        let worksheet = try worksheet(sheet, row: 0, column: column)
        let error = worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), width, nil)
        try check(error, doing: "setting the width of column \(column + 1) of sheet '\(sheets[sheet].name)'")
    }

    func worksheet(_ sheet: Int, row: Int, column: Int) throws -> UnsafeMutablePointer<lxw_worksheet> {
        _ = try openWorkbook()
        guard (0..<1_048_576).contains(row), (0..<16_384).contains(column) else {
            throw OutputError.xlsx(
                path: path,
                reason: "cell (row \(row + 1), column \(column + 1)) of sheet '\(sheets[sheet].name)' "
                    + "is outside Excel's 1,048,576 rows and 16,384 columns",
                fix: "split the report into several sheets or files")
        }
        return sheets[sheet].worksheet
    }

    /// Throws an `OutputError` for a libxlsxwriter error code.
    ///
    /// `action` is only built when there is an error: built for every cell, the message (cell name and
    /// interpolation) cost more than writing the cell.
    func check(_ error: lxw_error, doing action: @autoclosure () -> String) throws {
        guard error != LXW_NO_ERROR else { return }
        throw outputError(error, doing: action())
    }

    /// The `OutputError` for a libxlsxwriter error code: what was being done, the library's words, the remedy.
    func outputError(_ error: lxw_error, doing action: String) -> OutputError {
        // lxw_strerror returns a static string; a nil would be a library bug, hence the fallback.
        let text = lxw_strerror(error).map { String(cString: $0) } ?? "error \(error.rawValue)"
        return OutputError.xlsx(path: path, reason: "\(action): \(text)", fix: Self.remedy(for: error))
    }

    private static func remedy(for error: lxw_error) -> String {
        switch error {
        case LXW_ERROR_CREATING_XLSX_FILE:
            "check that the folder is writable and that the file is not open in Excel, then run the pipeline again"
        case LXW_ERROR_CREATING_TMPFILE:
            "check that the temporary folder (TMPDIR) exists, is writable and has free space"
        case LXW_ERROR_ZIP_FILE_OPERATION, LXW_ERROR_ZIP_INTERNAL_ERROR, LXW_ERROR_ZIP_BAD_ZIP_FILE:
            "check the free disk space of the output folder, then run the pipeline again"
        case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
            "shorten the text to Excel's limit of 32,767 characters"
        case LXW_ERROR_MEMORY_MALLOC_FAILED:
            "free memory or split the report, then run the pipeline again"
        default:
            "report this as a Passerelle bug, with the stage and the pipeline file"
        }
    }

    static func cellName(_ sheet: String, _ row: Int, _ column: Int) -> String {
        var letters = ""
        var n = column + 1
        while n > 0 {
            let scalar = UnicodeScalar(UInt8(65 + (n - 1) % 26))
            letters = String(Character(scalar)) + letters
            n = (n - 1) / 26
        }
        return "\(sheet)!\(letters)\(row + 1)"
    }
}

/// Writes cells into one sheet of an `XLSXDocument`.
///
/// Rows and columns are zero-based, as in libxlsxwriter: row 0 is Excel's row 1, column 0 is column A.
package struct XLSXSheetWriter {
    let document: XLSXDocument
    let index: Int
    /// The sheet name as written, after `XLSXDocument.sheetName(_:avoiding:)`.
    package let name: String

    fileprivate init(document: XLSXDocument, index: Int, name: String) {
        self.document = document
        self.index = index
        self.name = name
    }

    /// Writes a report title (bold, 14 pt) in column A.
    package func writeTitle(row: Int, text: String) throws {
        try document.writeText(text, sheet: index, row: row, column: 0, role: .title)
    }

    /// Writes the table header from column A (bold, grey fill), freezes the rows above and including it, and
    /// puts an autofilter over the table (header to last written row) when the document is closed.
    package func writeHeader(row: Int, _ labels: [String]) throws {
        for (column, label) in labels.enumerated() {
            try document.writeText(label, sheet: index, row: row, column: column, role: .header)
        }
        try document.markHeader(sheet: index, row: row, columns: labels.count)
    }

    /// Writes a typed value in one cell; a table is written faster a row at a time (`write(row:column:values:)`).
    ///
    /// Text, integer, money (euros, `#,##0.00 "€"`), percent (`0.00%`), date (an Excel serial with `dd/mm/yyyy`;
    /// before 1900-03-01 as French text), bool (`Oui`/`Non`); `.null` leaves the cell empty.
    package func write(row: Int, column: Int, value: Value) throws {
        if case .null = value { return }  // nothing written, nothing checked: as for a skipped cell
        try document.writeRow(CollectionOfOne(value), sheet: index, row: row, column: column)
    }

    /// Sets the width of one column, in Excel's character units (the default is 8.43).
    package func setColumnWidth(column: Int, width: Double) throws {
        try document.setWidth(width, sheet: index, column: column)
    }
}

extension Character {
    /// C0/C1 control characters, which Excel refuses in sheet names.
    fileprivate var isControlCharacter: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}
