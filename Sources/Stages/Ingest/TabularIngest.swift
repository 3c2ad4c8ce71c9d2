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
    let locate: @Sendable (Int) -> SourceLocation
    let file: String
    /// For CSV: the rejection of a line whose field count differs from the header's (line, found, expected).
    var raggedRow: (@Sendable (Int, Int, Int) -> Diagnostic)?

    private var pending: [(Int, [CellValue])] = []
    /// How the rows after the header are typed; nil until the header is found.
    private(set) var typer: RowTyper?
    private(set) var table: Table
    private(set) var rowsRead = 0
    var headerFound: Bool { typer != nil }

    init(
        columns: [ColumnSpec], context: StageContext, file: String,
        locate: @escaping @Sendable (Int) -> SourceLocation
    ) {
        self.columns = columns
        self.context = context
        self.file = file
        self.locate = locate
        table = Table(fields: columns.map { Field(name: $0.name, header: $0.headers.first) })
    }

    /// Takes one raw row.
    mutating func feed(_ number: Int, _ cells: [CellValue]) throws {
        if let typer {
            absorb(typer.type(number, CellRow(cells: cells)))
            return
        }
        pending.append((number, cells))
        if pending.count >= HeaderMatch.searchDepth { try locateHeader() }
    }

    /// Ends the file: finds the header if the file was shorter than the search depth.
    mutating func finish() throws {
        if !headerFound { try locateHeader() }
    }

    /// Takes the outcome of typing one row.
    mutating func absorb(_ outcome: RowOutcome) {
        switch outcome {
        case .blank: return
        case .accepted(let row): table.rows.append(row)
        case .rejected(let problems): context.reject(problems)
        }
        rowsRead += 1
        if rowsRead % 10_000 == 0 { context.progress(rows: rowsRead) }
    }

    /// Takes the rejections and the count of rows typed elsewhere (by the CSV reader's threads), in file order.
    ///
    /// Their locations are `lines` lines further down than they say (a thread that started inside the file
    /// numbers its lines from 0). The rows they kept join the table with `append(_:)`.
    mutating func absorb(_ typed: TypedRows, shiftingLinesBy lines: Int) {
        for problems in typed.rejected {
            let shifted = problems.map { problem in
                var problem = problem
                problem.location = problem.location.shifted(byLines: lines)
                return problem
            }
            context.reject(shifted)
        }
        rowsRead += typed.rowsRead
    }

    /// Adds rows typed elsewhere to the table.
    mutating func append(_ rows: [Row]) {
        if table.rows.isEmpty { table.rows = rows } else { table.rows += rows }
    }

    private mutating func locateHeader() throws {
        let index = try findHeader(in: pending)
        let rest = pending[(index + 1)...]
        pending = []
        guard let typer else { return }  // set by findHeader
        for (number, cells) in rest { absorb(typer.type(number, CellRow(cells: cells))) }
    }

    /// Finds the header among the first rows of the file and prepares the typing of the rows after it.
    ///
    /// Returns the header's index in `rows`; the rows after it are left to the caller.
    ///
    /// - Throws: `StageError` when no row looks like the header, or a required column is missing from it.
    mutating func findHeader(in rows: [(Int, [CellValue])]) throws -> Int {
        let texts = rows.map { $0.1.map(\.displayText) }
        guard let index = HeaderMatch.findHeaderRow(rows: texts, specs: columns) else {
            throw StageError(
                stage: context.stageName,
                message: "\(file): no header row found in the first \(HeaderMatch.searchDepth) rows (looked for "
                    + columns.prefix(4).map { "\"\($0.headers.first ?? $0.name)\"" }.joined(separator: ", ") + ")",
                fix:
                    "check that this is the right file and sheet, or list the file's headers in the pipeline's 'columns'"
            )
        }
        let (headerNumber, headerCells) = rows[index]
        let header = headerCells.map(\.displayText)
        let match = HeaderMatch(specs: columns, header: header)
        if let missing = match.missing.first {
            throw StageError(
                stage: context.stageName, message: "\(locate(headerNumber).rendered): \(missing.message)",
                fix: missing.fix)
        }
        var fields: [Field] = []
        var mapped: [RowTyper.MappedColumn] = []
        for spec in columns {
            let column = match.column(of: spec.name)
            fields.append(
                Field(name: spec.name, header: column.map { header[$0] }, sourceColumn: column.map { $0 + 1 }))
            if let column {
                let parser = ColumnParser(spec, header: header[column])
                mapped.append(RowTyper.MappedColumn(index: fields.count - 1, column: column, parser: parser))
            }
        }
        table = Table(fields: fields)
        typer = RowTyper(
            columns: mapped, fieldCount: fields.count, headerWidth: header.count, raggedRow: raggedRow, locate: locate)
        return index
    }

    /// What a tabular reader hands down: one field per declared column, in order, and the files read.
    /// Each field has its mapping's type and the place of its mapping (`columns.<field>` of `spec`), so that
    /// `check` can point a stage that reads it as another type to that line.
    static func shapes(_ columns: [ColumnSpec], spec: StageSpec) -> [TableShape] {
        let fields = columns.map {
            FieldShape(
                $0.name, FieldType($0.type), declaredAt: spec.options.location(of: "columns.\($0.name)"),
                declaredBy: spec.name)
        }
        return [TableShape("rows", columns: fields), .fileInfo]
    }

    /// The `file_info` table the import report reads: path, sheet, status, rows read.
    func fileInfo(sheet: String?, status: String) -> Table {
        var info = Table(columns: TableShape.fileInfo.fields)
        info.rows.append(
            Row(
                location: .file(file),
                values: [.text(file), sheet.map(Value.text) ?? .null, .text(status), .integer(Int64(rowsRead))]))
        return info
    }

    /// The output of a file skipped because it was already imported.
    static func skipped(_ columns: [ColumnSpec], file: String) -> StageOutput {
        var info = Table(columns: TableShape.fileInfo.fields)
        info.rows.append(
            Row(location: .file(file), values: [.text(file), .null, .text("déjà importé, ignoré"), .integer(0)]))
        let empty = Table(fields: columns.map { Field(name: $0.name) })
        return StageOutput(rows: empty, rowsIn: 0, extra: ["file_info": info])
    }
}
