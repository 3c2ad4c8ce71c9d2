import PasserelleCore

/// Types the records of a CSV file after its header straight from their bytes.
///
/// Most rows take `row(_:_:_:)`: every mapped field typed by its byte rules (`ColumnByteParser`), or by its
/// parser from the decoded text when the rules are unsure, and no problem. Any other row (blank, ragged, with a
/// problem) goes through `RowTyper.type` over `CSVRecordCells`, the path every tabular ingest takes; so both
/// give the same rows, and the messages are only ever made by that one path.
///
/// Hand-written and kept free of references in the per-cell loop (plain values and arrays read in place): the
/// retains and releases of copied parsers were a tenth of `csv_ingest`'s time (perf, 1 000 000 stays).
struct CSVRowTyping: Sendable {
    /// One field of the output row: the file column it is read from (-1 when no column is mapped) and its rules.
    struct Field: Sendable {
        var column: Int
        /// The field's place in `RowTyper.columns`, for its parser.
        var mapped: Int
        var rules: ColumnByteParser?
    }

    let typer: RowTyper
    let decoder: CSVFieldDecoder
    /// In output order.
    let fields: [Field]
    /// Per file column: the place of its field in `fields`, or -1.
    let fieldOfColumn: [Int]
    let spellings: ByteSpellings
    /// The file, as the rows' locations name it.
    let file: String

    init(_ typer: RowTyper, encoding: CSVEncoding, file: String) {
        self.typer = typer
        self.file = file
        decoder = CSVFieldDecoder(encoding: encoding)
        var spellings = ByteSpellings()
        var fields: [Field] = []
        var fieldOfColumn = [Int](repeating: -1, count: typer.headerWidth)
        var next = 0
        for index in 0..<typer.fieldCount {
            guard next < typer.columns.count, typer.columns[next].index == index else {
                fields.append(Field(column: -1, mapped: -1, rules: nil))
                continue
            }
            let mapped = typer.columns[next]
            let rules = ColumnByteParser(mapped.parser, spellingsInto: &spellings, encode: encoding.encode)
            fields.append(Field(column: mapped.column, mapped: next, rules: rules))
            if mapped.column < fieldOfColumn.count { fieldOfColumn[mapped.column] = fields.count - 1 }
            next += 1
        }
        self.fields = fields
        self.fieldOfColumn = fieldOfColumn
        self.spellings = spellings
    }

    /// Types one record: the quick path when it can, else `RowTyper.type`.
    func type(_ line: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>)
        -> RowOutcome
    {
        if let row = row(line, bytes, slices) { return .accepted(row) }
        return typer.type(line, CSVRecordCells(bytes: bytes, slices: slices, typing: self))
    }

    /// The row when it has the header's width, is not blank, and every field is typed without a problem.
    func row(_ line: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>) -> Row? {
        guard slices.count == typer.headerWidth, hasVisibleStart(bytes, slices) else { return nil }
        var isComplete = true
        let values = fields.withUnsafeBufferPointer { fields in
            [Value](unsafeUninitializedCapacity: fields.count) { buffer, initialized in
                for index in 0..<fields.count {
                    guard let value = value(of: fields[index], bytes, slices) else {
                        isComplete = false
                        return
                    }
                    buffer.initializeElement(at: index, to: value)
                    initialized = index + 1
                }
            }
        }
        return isComplete ? Row(location: .csv(file: file, line: line, field: nil, header: nil), values: values) : nil
    }

    /// Whether a field starts with a visible ASCII byte: then the row is not blank.
    private func hasVisibleStart(_ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>)
        -> Bool
    {
        slices.contains { $0.isVerbatim && $0.start < $0.end && CellBytes.isVisibleASCII(bytes[$0.start]) }
    }

    /// A field's value by its byte rules, else by its parser from the decoded cell; nil when that is a problem.
    @inline(__always)
    private func value(
        of field: Field, _ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>
    ) -> Value? {
        guard field.column >= 0, let rules = field.rules else { return .null }
        let slice = slices[field.column]
        if slice.isVerbatim,
            let value = rules.value(slice.bytes(in: bytes), isASCII: slice.isASCII, spellingsIn: spellings)
        {
            return value
        }
        // A problem gives nil: the row then goes through `RowTyper.type`, which reports it.
        guard case .success(let value) = typer.columns[field.mapped].parser.parse(cell(slice, bytes)) else {
            return nil
        }
        return value
    }

    /// The cell a field holds, decoded as `CSVReader.readRecords` decodes it.
    func cell(_ slice: CSVFieldSlice, _ bytes: UnsafeBufferPointer<UInt8>) -> CellValue {
        let text = decoder.decode(slice, in: bytes)
        return text.isEmpty ? .empty : .text(text)
    }
}

/// One scanned CSV record seen as the cells of a row, for `RowTyper.type`: a cell is decoded to text only when
/// its byte rules are unsure, or to report a problem, and then as `CSVReader.readRecords` decodes it.
struct CSVRecordCells: RowCells {
    let bytes: UnsafeBufferPointer<UInt8>
    let slices: UnsafeBufferPointer<CSVFieldSlice>
    let typing: CSVRowTyping

    var count: Int { slices.count }

    var isBlank: Bool {
        for (column, slice) in slices.enumerated() where slice.start < slice.end {
            if slice.isVerbatim && CellBytes.isVisibleASCII(bytes[slice.start]) { return false }
            if !cell(at: column).isBlank { return false }
        }
        return true
    }

    func cell(at column: Int) -> CellValue {
        column < slices.count ? typing.cell(slices[column], bytes) : .empty
    }

    func value(at column: Int, parser: ColumnParser) -> Result<Value, ValueProblem> {
        if column < slices.count && column < typing.fieldOfColumn.count && typing.fieldOfColumn[column] >= 0 {
            let slice = slices[column]
            if slice.isVerbatim, let rules = typing.fields[typing.fieldOfColumn[column]].rules,
                let value = rules.value(slice.bytes(in: bytes), isASCII: slice.isASCII, spellingsIn: typing.spellings)
            {
                return .success(value)
            }
        }
        return parser.parse(cell(at: column))
    }
}

extension CSVFieldSlice {
    /// The field's raw bytes.
    func bytes(in record: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: record[start..<end])
    }
}
