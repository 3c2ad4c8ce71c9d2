import PasserelleCore

/// Types the data rows of a tabular file once its header is known: what every tabular ingest does to one row.
///
/// A blank row is skipped; a CSV line whose field count differs from the header's is rejected whole; otherwise
/// each mapped cell is typed by its column's parser and the row is kept, or rejected with all its problems.
/// A `Sendable` value, so that the CSV reader's threads can each type their own rows with a copy of it.
struct RowTyper: Sendable {
    /// A field of the output row and the file column it is read from.
    struct MappedColumn: Sendable {
        /// The field's place in the output row.
        var index: Int
        /// The 0-based column (or CSV field) in the file.
        var column: Int
        var parser: ColumnParser
    }

    /// In field order (`index` increasing).
    var columns: [MappedColumn]
    /// How many fields an output row has.
    var fieldCount: Int
    /// How many cells the header row has.
    var headerWidth: Int
    /// For CSV: the rejection of a line whose field count differs from the header's (line, found, expected).
    var raggedRow: (@Sendable (Int, Int, Int) -> Diagnostic)?
    /// Builds the location of a row (1-based), column unset.
    var locate: @Sendable (Int) -> SourceLocation

    /// Types one row.
    func type(_ number: Int, _ cells: some RowCells) -> RowOutcome {
        if cells.isBlank { return .blank }
        if let raggedRow, cells.count != headerWidth {
            return .rejected([raggedRow(number, cells.count, headerWidth)])
        }
        let location = locate(number)
        var problems: [Diagnostic] = []
        // Each value is written once into uninitialised memory: no `.null` first, then overwritten.
        let values = [Value](unsafeUninitializedCapacity: fieldCount) { buffer, initialized in
            var next = 0  // `columns` is in field order
            for index in 0..<fieldCount {
                var value = Value.null
                if next < columns.count && columns[next].index == index {
                    let mapped = columns[next]
                    next += 1
                    switch cells.value(at: mapped.column, parser: mapped.parser) {
                    case .success(let typed): value = typed
                    case .failure(let problem):
                        let place = location.withColumn(mapped.column + 1, header: mapped.parser.header)
                        problems.append(problem.diagnostic(at: place, found: cells.cell(at: mapped.column).displayText))
                    }
                }
                buffer.initializeElement(at: index, to: value)
                initialized = index + 1
            }
        }
        return problems.isEmpty ? .accepted(Row(location: location, values: values)) : .rejected(problems)
    }

    /// The same typer with parsers of its own (equal, but sharing no object with this one).
    ///
    /// A thread typing rows with it then retains and releases objects no other thread touches, so the two
    /// cores do not fight over the cache line of a shared reference count.
    func withOwnParsers() -> RowTyper {
        var copy = self
        copy.columns = columns.map { MappedColumn(index: $0.index, column: $0.column, parser: $0.parser.copy()) }
        return copy
    }
}

/// What typing one row gave.
enum RowOutcome {
    /// Every cell is empty or spaces: the row is skipped and not counted.
    case blank
    case accepted(Row)
    /// The row's problems, all of them, in column order.
    case rejected([Diagnostic])
}

/// The raw cells of one row, as a reader found them.
protocol RowCells {
    /// How many cells the row has.
    var count: Int { get }
    /// Whether every cell is empty or only whitespace.
    var isBlank: Bool { get }
    /// The cell in a 0-based column (`.empty` past the end of the row).
    func cell(at column: Int) -> CellValue
    /// The typed value of a column; a reader may answer without building the cell, as long as it gives what
    /// `parser.parse(cell(at: column))` gives.
    func value(at column: Int, parser: ColumnParser) -> Result<Value, ValueProblem>
}

extension RowCells {
    func value(at column: Int, parser: ColumnParser) -> Result<Value, ValueProblem> {
        parser.parse(cell(at: column))
    }
}

/// A row of cells already built (a workbook row, or a CSV record decoded to text).
struct CellRow: RowCells {
    let cells: [CellValue]

    var count: Int { cells.count }
    var isBlank: Bool { cells.allSatisfy(\.isBlank) }

    func cell(at column: Int) -> CellValue { column < cells.count ? cells[column] : .empty }
}

/// Consecutive typed rows: those kept, the rejections in file order, and how many rows were read.
struct TypedRows: Sendable {
    var rows: SegmentRows
    var rejected: [[Diagnostic]] = []
    /// Rows read, blank rows left out: kept plus rejected.
    var rowsRead = 0

    init(rows: SegmentRows) {
        self.rows = rows
    }

    mutating func add(_ outcome: RowOutcome) {
        switch outcome {
        case .blank: return
        case .accepted(let row): rows.append(row)
        case .rejected(let problems): rejected.append(problems)
        }
        rowsRead += 1
    }
}
