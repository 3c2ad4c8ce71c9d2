internal import CXLSXWriter
import Foundation
import PasserelleCore

/// The document properties Excel shows under File › Info (all optional).
package struct XLSXDocumentProperties: Sendable, Equatable {
    package var title: String?
    package var subject: String?
    package var author: String?
    package var company: String?
    package var category: String?
    package var keywords: String?
    package var comments: String?

    package init(
        title: String? = nil, subject: String? = nil, author: String? = nil, company: String? = nil,
        category: String? = nil, keywords: String? = nil, comments: String? = nil
    ) {
        self.title = title
        self.subject = subject
        self.author = author
        self.company = company
        self.category = category
        self.keywords = keywords
        self.comments = comments
    }
}

extension XLSXDocument {
    /// Sets the document properties; libxlsxwriter copies the strings, so they are freed right after.
    func setProperties(_ p: XLSXDocumentProperties, created: time_t) throws {
        let workbook = try openWorkbook()
        var copies: [UnsafeMutablePointer<CChar>] = []
        defer { copies.forEach { free($0) } }
        func c(_ text: String?) -> UnsafeMutablePointer<CChar>? {
            // strdup returns nil only when out of memory; the property is then left empty.
            guard let text, let copy = strdup(text) else { return nil }
            copies.append(copy)
            return copy
        }
        var properties = lxw_doc_properties()
        properties.created = created
        properties.title = c(p.title)
        properties.subject = c(p.subject)
        properties.author = c(p.author)
        properties.company = c(p.company)
        properties.category = c(p.category)
        properties.keywords = c(p.keywords)
        properties.comments = c(p.comments)
        try check(workbook_set_properties(workbook, &properties), doing: "setting the document properties")
    }

    /// In constant-memory mode, refuses a cell above the last row written (libxlsxwriter would drop it silently).
    func checkOrder(sheet: Int, row: Int) throws {
        guard isConstantMemory, row < sheets[sheet].lastRow else { return }
        throw OutputError.xlsx(
            path: path,
            reason: "row \(row + 1) of sheet '\(sheets[sheet].name)' written after row \(sheets[sheet].lastRow + 1) "
                + "in constant-memory mode",
            fix: "write the rows of a streamed sheet in order; report this as a Passerelle bug")
    }

    func setAutofilter(sheet: Int, headerRow: Int, lastRow: Int, columns: Int) throws {
        let worksheet = try worksheet(sheet, row: lastRow, column: max(columns - 1, 0))
        let error = worksheet_autofilter(
            worksheet, lxw_row_t(headerRow), 0, lxw_row_t(lastRow), lxw_col_t(max(columns - 1, 0)))
        try check(error, doing: "adding the autofilter of sheet '\(sheets[sheet].name)'")
        sheets[sheet].hasAutofilter = true
    }

    func writeFormula(_ formula: String, cached: Double, sheet: Int, row: Int, column: Int, format: NumberRole) throws {
        try checkOrder(sheet: sheet, row: row)
        let worksheet = try worksheet(sheet, row: row, column: column)
        let error = worksheet_write_formula_num(
            worksheet, lxw_row_t(row), lxw_col_t(column), formula, formats.number(format), cached)
        try check(error, doing: "writing a formula in \(Self.cellName(sheets[sheet].name, row, column))")
        sheets[sheet].lastRow = max(sheets[sheet].lastRow, row)
    }
}

extension XLSXSheetWriter {
    /// Writes a formula (`=SUM(D4:D9)`) with the value it computes, so readers that do not recalculate (and
    /// Excel before recalculation) show the right figure. Money is formatted in euros (`total: true` in bold
    /// with a rule above, for a totals row), integers in the general format.
    package func writeFormula(row: Int, column: Int, formula: String, cached: Value, total: Bool = false) throws {
        switch cached {
        case .money(let money):
            try document.writeFormula(
                formula, cached: Double(money.cents) / 100, sheet: index, row: row, column: column,
                format: total ? .moneyTotal : .money)
        case .integer(let number):
            try document.writeFormula(formula, cached: Double(number), sheet: index, row: row, column: column, format: .general)
        default:
            throw OutputError.xlsx(
                path: document.path, reason: "formula \(formula) has a cached value that is not a number (\(cached))",
                fix: "report this as a Passerelle bug")
        }
    }

    /// Writes a total label in bold (the header style without fill is not needed: bold title size is too big).
    package func writeTotalLabel(row: Int, column: Int, text: String) throws {
        try document.writeText(text, sheet: index, row: row, column: column, role: .header)
    }

    /// Puts the autofilter over `headerRow`…`lastRow` (zero-based) now rather than at `close()`: a streamed sheet
    /// (constant-memory mode) cannot take it once later rows are written, and a totals row below the table must
    /// stay out of it. Call it before writing the table's rows.
    package func setAutofilter(headerRow: Int, lastRow: Int, columns: Int) throws {
        try document.setAutofilter(sheet: index, headerRow: headerRow, lastRow: max(lastRow, headerRow), columns: columns)
    }

    /// The A1 name of a column (0 → A, 27 → AB).
    package static func columnLetters(_ column: Int) -> String { SourceLocation.columnLetters(column + 1) }
}
