import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// The part of every tabular ingest: find the header row, map the declared columns, type each row.
///
/// Rows stream through: the first rows are held back only until the header is found (a title block
/// may sit above it), then each data row is typed and either kept or rejected with all its problems,
/// so memory does not grow with the file beyond the kept rows themselves. Blank rows are skipped.
struct TabularIngest {
    let columns: [ColumnSpec]
    let context: StageContext
    /// Builds the location of a row (1-based), column unset.
    let locate: (Int) -> SourceLocation
    let file: String
    /// For CSV: the rejection of a line whose field count differs from the header's (line, found, expected).
    var raggedRow: ((Int, Int, Int) -> Diagnostic)?

    private var pending: [(Int, [CellValue])] = []
    /// Per mapped column: its place in the output row, its column in the file, its parser.
    private var parsers: [(index: Int, column: Int, parser: ColumnParser)] = []
    private var headerWidth = 0
    private(set) var table: Table
    private(set) var rowsRead = 0
    private(set) var headerFound = false

    init(columns: [ColumnSpec], context: StageContext, file: String, locate: @escaping (Int) -> SourceLocation) {
        self.columns = columns
        self.context = context
        self.file = file
        self.locate = locate
        table = Table(fields: columns.map { Field(name: $0.name, header: $0.headers.first) })
    }

    /// Takes one raw row; `isRagged` tells a CSV line whose field count differs from the header's.
    mutating func feed(_ number: Int, _ cells: [CellValue]) throws {
        if headerFound {
            process(number, cells)
            return
        }
        pending.append((number, cells))
        if pending.count >= HeaderMatch.searchDepth { try locateHeader() }
    }

    /// Ends the file: finds the header if the file was shorter than the search depth.
    mutating func finish() throws {
        if !headerFound { try locateHeader() }
    }

    private mutating func locateHeader() throws {
        let texts = pending.map { $0.1.map(\.displayText) }
        guard let index = HeaderMatch.findHeaderRow(rows: texts, specs: columns) else {
            throw StageError(
                stage: context.stageName,
                message: "\(file): no header row found in the first \(HeaderMatch.searchDepth) rows (looked for "
                    + columns.prefix(4).map { "\"\($0.headers.first ?? $0.name)\"" }.joined(separator: ", ") + ")",
                fix: "check that this is the right file and sheet, or list the file's headers in the pipeline's 'columns'")
        }
        let (headerNumber, headerCells) = pending[index]
        let header = headerCells.map(\.displayText)
        let match = HeaderMatch(specs: columns, header: header)
        if let missing = match.missing.first {
            throw StageError(
                stage: context.stageName, message: "\(locate(headerNumber).rendered): \(missing.message)", fix: missing.fix)
        }
        headerWidth = header.count
        var fields: [Field] = []
        for spec in columns {
            let column = match.column(of: spec.name)
            fields.append(Field(name: spec.name, header: column.map { header[$0] }, sourceColumn: column.map { $0 + 1 }))
            if let column { parsers.append((fields.count - 1, column, ColumnParser(spec, header: header[column]))) }
        }
        table = Table(fields: fields)
        headerFound = true
        let rest = pending[(index + 1)...]
        pending = []
        for (number, cells) in rest { process(number, cells) }
    }

    private mutating func process(_ number: Int, _ cells: [CellValue]) {
        if cells.allSatisfy(\.isBlank) { return }
        rowsRead += 1
        if let raggedRow, cells.count != headerWidth {
            context.reject([raggedRow(number, cells.count, headerWidth)])
            return
        }
        if rowsRead % 10_000 == 0 { context.progress(rows: rowsRead) }
        let location = locate(number)
        var values = [Value](repeating: .null, count: table.fields.count)
        var problems: [Diagnostic] = []
        for (index, column, parser) in parsers {
            let cell = column < cells.count ? cells[column] : .empty
            switch parser.parse(cell) {
            case .success(let value): values[index] = value
            case .failure(let problem):
                let where_ = location.withColumn(column + 1, header: parser.header)
                problems.append(problem.diagnostic(at: where_, found: cell.displayText))
            }
        }
        if problems.isEmpty {
            table.rows.append(Row(location: location, values: values))
        } else {
            context.reject(problems)
        }
    }

    /// The `file_info` table the import report reads: path, sheet, status, rows read.
    func fileInfo(sheet: String?, status: String) -> Table {
        var info = Table(columns: ["path", "sheet", "status", "rows_read"])
        info.rows.append(
            Row(
                location: .file(file),
                values: [.text(file), sheet.map(Value.text) ?? .null, .text(status), .integer(Int64(rowsRead))]))
        return info
    }

    /// The output of a file skipped because it was already imported.
    static func skipped(_ columns: [ColumnSpec], file: String) -> StageOutput {
        var info = Table(columns: ["path", "sheet", "status", "rows_read"])
        info.rows.append(Row(location: .file(file), values: [.text(file), .null, .text("déjà importé, ignoré"), .integer(0)]))
        let empty = Table(fields: columns.map { Field(name: $0.name) })
        return StageOutput(rows: empty, rowsIn: 0, extra: ["file_info": info])
    }
}
