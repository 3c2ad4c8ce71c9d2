internal import CXLSXWriter
import Foundation
import PasserelleCore

/// A cell style beyond the report roles: a custom number format, a fill and a font colour.
///
/// ```swift
/// let style = XLSXCellStyle(numberFormat: "0\" / 24\"")   // 18 shows as "18 / 24", stays the number 18
/// ```
package struct XLSXCellStyle: Sendable, Hashable {
    /// An Excel number format (`0" / 24"`, `@`), or nil for General.
    package var numberFormat: String?
    /// Fill colour as `0xRRGGBB`, or nil for none.
    package var background: UInt32?
    /// Font colour as `0xRRGGBB`, or nil for the default.
    package var fontColor: UInt32?
    /// Whether the style is used by a conditional format (a differential format: colours only).
    var isConditional = false

    package init(numberFormat: String? = nil, background: UInt32? = nil, fontColor: UInt32? = nil) {
        self.numberFormat = numberFormat
        self.background = background
        self.fontColor = fontColor
    }
}

/// A conditional format: the style's colours apply to each cell of a range where the formula is true.
///
/// The formula is written for the range's top-left cell; its relative references move with each cell, as in
/// Excel: over C4:C40, `=AND(ISNUMBER(C4),C4<=0)` tests C5 on row 5. Formats added first take precedence.
package struct XLSXConditionalFormat: Sendable, Hashable {
    package var formula: String
    package var background: UInt32
    package var fontColor: UInt32

    package init(formula: String, background: UInt32, fontColor: UInt32) {
        self.formula = formula
        self.background = background
        self.fontColor = fontColor
    }
}

extension XLSXSheetWriter {
    /// Writes a number with a style (a custom number format, colours).
    package func write(row: Int, column: Int, number: Double, style: XLSXCellStyle) throws {
        try document.writeStyled(sheet: index, row: row, column: column, style: style) { worksheet, format in
            worksheet_write_number(worksheet, lxw_row_t(row), lxw_col_t(column), number, format)
        }
    }

    /// Writes text with a style; formula-like text (`=…`) keeps the Text format, as `write(row:column:value:)` does.
    package func write(row: Int, column: Int, text: String, style: XLSXCellStyle) throws {
        var style = style
        if XLSXDocument.isFormulaLike(text) { style.numberFormat = "@" }
        guard !text.unicodeScalars.contains("\0") else {
            throw OutputError.xlsx(
                path: document.path,
                reason: "text for \(XLSXDocument.cellName(name, row, column)) contains a NUL character",
                fix: "remove the NUL character from the source data and run the pipeline again")
        }
        try document.writeStyled(sheet: index, row: row, column: column, style: style) { worksheet, format in
            worksheet_write_string(worksheet, lxw_row_t(row), lxw_col_t(column), text, format)
        }
    }

    /// Adds a conditional format over rows `firstRow…lastRow` and columns `firstColumn…lastColumn` (zero-based).
    package func addConditionalFormat(
        _ conditional: XLSXConditionalFormat, firstRow: Int, lastRow: Int, firstColumn: Int, lastColumn: Int
    ) throws {
        try document.addConditionalFormat(
            conditional, sheet: index, rows: firstRow...max(firstRow, lastRow),
            columns: firstColumn...max(firstColumn, lastColumn))
    }
}

extension XLSXDocument {
    /// The workbook's format for a style, made once.
    func format(for style: XLSXCellStyle) throws -> UnsafeMutablePointer<lxw_format> {
        if let format = styleFormats[style] { return format }
        guard let format = workbook_add_format(try openWorkbook()) else {
            throw OutputError.xlsx(
                path: path, reason: "libxlsxwriter could not add a cell format (out of memory)",
                fix: "free memory or split the report, then run the pipeline again")
        }
        if let numberFormat = style.numberFormat { format_set_num_format(format, numberFormat) }
        if let background = style.background {
            if !style.isConditional { format_set_pattern(format, UInt8(LXW_PATTERN_SOLID.rawValue)) }
            format_set_bg_color(format, lxw_color_t(background))
        }
        if let fontColor = style.fontColor { format_set_font_color(format, lxw_color_t(fontColor)) }
        styleFormats[style] = format
        return format
    }

    func writeStyled(
        sheet: Int, row: Int, column: Int, style: XLSXCellStyle,
        _ write: (UnsafeMutablePointer<lxw_worksheet>, UnsafeMutablePointer<lxw_format>) -> lxw_error
    ) throws {
        try checkOrder(sheet: sheet, row: row)
        let worksheet = try worksheet(sheet, row: row, column: column)
        let format = try format(for: style)
        try check(write(worksheet, format), doing: "writing \(Self.cellName(sheets[sheet].name, row, column))")
        sheets[sheet].lastRow = max(sheets[sheet].lastRow, row)
    }

    func addConditionalFormat(
        _ conditional: XLSXConditionalFormat, sheet: Int, rows: ClosedRange<Int>, columns: ClosedRange<Int>
    ) throws {
        let worksheet = try worksheet(sheet, row: rows.upperBound, column: columns.upperBound)
        var style = XLSXCellStyle(background: conditional.background, fontColor: conditional.fontColor)
        style.isConditional = true
        let format = try format(for: style)
        // libxlsxwriter copies the formula text, so the C string only has to outlive the call.
        let error = conditional.formula.withCString { formula -> lxw_error in
            var rule = lxw_conditional_format()
            rule.type = UInt8(LXW_CONDITIONAL_TYPE_FORMULA.rawValue)
            rule.value_string = UnsafeMutablePointer(mutating: formula)
            rule.format = format
            return worksheet_conditional_format_range(
                worksheet, lxw_row_t(rows.lowerBound), lxw_col_t(columns.lowerBound), lxw_row_t(rows.upperBound),
                lxw_col_t(columns.upperBound), &rule)
        }
        try check(error, doing: "adding a conditional format to sheet '\(sheets[sheet].name)'")
    }
}
