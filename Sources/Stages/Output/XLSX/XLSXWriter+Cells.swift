internal import CXLSXWriter
import Foundation
import PasserelleCore

/// Writes typed values into one row of a sheet: the per-cell work, with nothing looked up per cell.
///
/// Built once per row from the document (order check, worksheet pointer, formats), so writing a cell touches no
/// property of the document: a class's stored properties are checked for exclusive access at run time, and
/// those checks cost more than libxlsxwriter's own work for a number cell (profile: a 1 000 000 × 15 stays
/// sheet). Text is handed to libxlsxwriter as the string's own UTF-8 bytes, which it copies.
struct RowWriter {
    /// What went wrong with one cell, turned into an `OutputError` by the document (which knows the path).
    enum Failure: Error {
        case text(lxw_error)
        case number(lxw_error)
        case nulCharacter
    }

    let worksheet: UnsafeMutablePointer<lxw_worksheet>
    let formats: Formats
    let row: lxw_row_t

    /// Writes one value: text, integer, money (euros), percent, date (an Excel serial with `dd/mm/yyyy`), date and
    /// time (a serial with its fraction, `dd/mm/yyyy hh:mm`), bool
    /// (`Oui`/`Non`); `.null` writes nothing and returns false.
    func write(_ value: Value, column: lxw_col_t) throws(Failure) -> Bool {
        switch value {
        case .null:
            return false
        case .text(let text):
            try writeText(text, column: column, role: .body)
        case .bool(let flag):
            try writeText(flag ? "Oui" : "Non", column: column, role: .body)
        case .integer(let number) where number.magnitude > 1 << 53:
            // A Double would lose digits: keep the exact number as text.
            try writeText(String(number), column: column, role: .body)
        case .integer(let number):
            try writeNumber(Double(number), column: column, format: .general)
        case .money(let money):
            try writeNumber(Double(money.cents) / 100, column: column, format: .money)
        case .percent(let basisPoints):
            try writeNumber(Double(basisPoints) / 10_000, column: column, format: .percent)
        case .date(let date):
            // 1900 system: serial = days since 1899-12-30, valid from 1900-03-01 (serial 61, after Lotus's
            // fictitious 29/02/1900). Earlier dates, never seen in bookings, are written as French text.
            let serial = date.daysSinceEpoch + 25_569
            guard serial >= 61 else {
                try writeText(date.frenchText, column: column, role: .body)
                return true
            }
            try writeNumber(Double(serial), column: column, format: .date)
        case .dateTime(let value):
            let serial = value.date.daysSinceEpoch + 25_569  // as a date, plus the fraction of the day
            guard serial >= 61 else {
                try writeText(value.frenchText, column: column, role: .body)
                return true
            }
            try writeNumber(Double(serial) + Double(value.secondsOfDay) / 86_400, column: column, format: .dateTime)
        }
        return true
    }

    func writeNumber(_ number: Double, column: lxw_col_t, format: NumberRole) throws(Failure) {
        let error = worksheet_write_number(worksheet, row, column, number, formats.number(format))
        guard error == LXW_NO_ERROR else { throw .number(error) }
    }

    /// Writes one text cell, styled for its role, neutralised when it looks like a formula.
    ///
    /// worksheet_write_string never stores a formula. A formula-like text also gets the Text number format "@",
    /// Excel's stored equivalent of a typed leading apostrophe: the cell stays text if someone edits it. The
    /// value itself is kept verbatim (no visible apostrophe).
    func writeText(_ text: String, column: lxw_col_t, role: TextRole) throws(Failure) {
        let format = formats.text(role, neutralised: XLSXDocument.isFormulaLike(text))
        // A NUL would end the C string early and lose the rest silently: a C length short of the UTF-8 count
        // is refused.
        let error = text.withCString { string in
            strlen(string) == text.utf8.count ? worksheet_write_string(worksheet, row, column, string, format) : nil
        }
        guard let error else { throw .nulCharacter }
        guard error == LXW_NO_ERROR else { throw .text(error) }
    }
}

extension XLSXDocument {
    /// Writes `values` into `row` from `column` on (a `.null` leaves its cell empty), looking the sheet up once.
    func writeRow(_ values: some Sequence<Value>, sheet: Int, row: Int, column first: Int) throws {
        try checkOrder(sheet: sheet, row: row)
        let cells = RowWriter(
            worksheet: try worksheet(sheet, row: row, column: first), formats: formats, row: lxw_row_t(row))
        var column = first
        var wrote = false
        for value in values {
            // Past Excel's last column: worksheet(_:row:column:) throws the error naming the cell.
            if column >= 16_384 { _ = try worksheet(sheet, row: row, column: column) }
            do {
                wrote = try cells.write(value, column: lxw_col_t(column)) || wrote
            } catch {
                throw failure(error, sheet: sheet, row: row, column: column)
            }
            column += 1
        }
        if wrote { sheets[sheet].lastRow = max(sheets[sheet].lastRow, row) }
    }

    /// Writes one text cell with the style of `role` (title, header or body).
    func writeText(_ text: String, sheet: Int, row: Int, column: Int, role: TextRole) throws {
        try checkOrder(sheet: sheet, row: row)
        let cells = RowWriter(
            worksheet: try worksheet(sheet, row: row, column: column), formats: formats, row: lxw_row_t(row))
        do {
            try cells.writeText(text, column: lxw_col_t(column), role: role)
        } catch {
            throw failure(error, sheet: sheet, row: row, column: column)
        }
        sheets[sheet].lastRow = max(sheets[sheet].lastRow, row)
    }

    /// Writes one number cell in the format of `format`.
    func writeNumber(_ number: Double, sheet: Int, row: Int, column: Int, format: NumberRole) throws {
        try checkOrder(sheet: sheet, row: row)
        let cells = RowWriter(
            worksheet: try worksheet(sheet, row: row, column: column), formats: formats, row: lxw_row_t(row))
        do {
            try cells.writeNumber(number, column: lxw_col_t(column), format: format)
        } catch {
            throw failure(error, sheet: sheet, row: row, column: column)
        }
        sheets[sheet].lastRow = max(sheets[sheet].lastRow, row)
    }

    private func failure(_ failure: RowWriter.Failure, sheet: Int, row: Int, column: Int) -> OutputError {
        let cell = Self.cellName(sheets[sheet].name, row, column)
        switch failure {
        case .nulCharacter:
            return OutputError.xlsx(
                path: path, reason: "text for \(cell) contains a NUL character",
                fix: "remove the NUL character from the source data and run the pipeline again")
        case .text(let error):
            return outputError(error, doing: "writing text in \(cell)")
        case .number(let error):
            return outputError(error, doing: "writing a number in \(cell)")
        }
    }
}

extension XLSXSheetWriter {
    /// Writes a row of typed values from column `column` (A by default), the way to write a table.
    ///
    /// Each value is written as `write(row:column:value:)` writes it; the sheet and the order are checked once
    /// for the row.
    ///
    /// An array rather than any sequence: a generic call from another module is not specialised, and walking a
    /// sequence through its witness table cost a tenth of the C program's time for the whole sheet.
    package func write(row: Int, column: Int = 0, values: [Value]) throws {
        try document.writeRow(values, sheet: index, row: row, column: column)
    }
}
