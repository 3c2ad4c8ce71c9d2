/// Where a finding points: a place in a pipeline definition or in a user's data file.
///
/// All numbers are 1-based, as users see them in their editor or spreadsheet.
package enum SourceLocation: Sendable, Hashable {
    /// A place in a YAML definition.
    case yaml(file: String, line: Int, column: Int)
    /// A field of a CSV line (`field` is the 1-based field index).
    case csv(file: String, line: Int, field: Int?, header: String?)
    /// A cell of a workbook (`column` is 1-based; rendered as letters).
    case xlsx(file: String, sheet: String, row: Int, column: Int?, header: String?)
    /// A whole file (no finer place is known).
    case file(String)

    /// The file this location names.
    package var file: String {
        switch self {
        case .yaml(let file, _, _), .csv(let file, _, _, _), .xlsx(let file, _, _, _, _), .file(let file): file
        }
    }

    /// The sheet, for workbook locations.
    package var sheet: String? {
        if case .xlsx(_, let sheet, _, _, _) = self { return sheet }
        return nil
    }

    /// The row (workbook) or line (CSV, YAML).
    package var line: Int? {
        switch self {
        case .yaml(_, let line, _): line
        case .csv(_, let line, _, _): line
        case .xlsx(_, _, let row, _, _): row
        case .file: nil
        }
    }

    /// The column as a user names it: letters for a workbook, a number for CSV and YAML.
    package var columnLabel: String? {
        switch self {
        case .yaml(_, _, let column): String(column)
        case .csv(_, _, let field, _): field.map(String.init)
        case .xlsx(_, _, _, let column, _): column.map(SourceLocation.columnLetters)
        case .file: nil
        }
    }

    /// The header of the column, as written in the user's file.
    package var header: String? {
        switch self {
        case .csv(_, _, _, let header), .xlsx(_, _, _, _, let header): header
        default: nil
        }
    }

    /// The same location at another line (a whole file's location is left as it is).
    package func withLine(_ line: Int) -> SourceLocation {
        switch self {
        case .yaml(let file, _, let column): .yaml(file: file, line: line, column: column)
        case .csv(let file, _, let field, let header): .csv(file: file, line: line, field: field, header: header)
        case .xlsx(let file, let sheet, _, let column, let header):
            .xlsx(file: file, sheet: sheet, row: line, column: column, header: header)
        case .file: self
        }
    }

    /// The same location pointing at another column.
    package func withColumn(_ column: Int, header: String?) -> SourceLocation {
        switch self {
        case .csv(let file, let line, _, _): .csv(file: file, line: line, field: column, header: header)
        case .xlsx(let file, let sheet, let row, _, _):
            .xlsx(file: file, sheet: sheet, row: row, column: column, header: header)
        default: self
        }
    }

    /// Spreadsheet column letters for a 1-based index: 1 → A, 27 → AA.
    package static func columnLetters(_ index: Int) -> String {
        var n = index
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(UnicodeScalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// The compiler-style prefix: `file:line:column`, `file:Sheet!F27` or `file:LINE:FIELD`.
    package var rendered: String {
        switch self {
        case .yaml(let file, let line, let column):
            return "\(file):\(line):\(column)"
        case .csv(let file, let line, let field, let header):
            var text = "\(file):\(line)"
            if let field { text += ":\(field)" }
            if let header { text += " (column \"\(header)\")" }
            return text
        case .xlsx(let file, let sheet, let row, let column, let header):
            var text = "\(file):\(sheet)!"
            text += column.map { "\(SourceLocation.columnLetters($0))\(row)" } ?? "row \(row)"
            if let header { text += " (column \"\(header)\")" }
            return text
        case .file(let file):
            return file
        }
    }
}
