import PasserelleCore

/// What typing CSV records straight from their bytes needs: the field decoder and, per file column, the
/// byte-level rules of the field mapped there.
struct CSVFieldTyping: Sendable {
    let decoder: CSVFieldDecoder
    /// Indexed by 0-based file column; nil for a column no field reads.
    let parsers: [ColumnByteParser?]

    init(_ typer: RowTyper, encoding: CSVEncoding) {
        decoder = CSVFieldDecoder(encoding: encoding)
        var parsers = [ColumnByteParser?](repeating: nil, count: typer.headerWidth)
        for mapped in typer.columns where mapped.column < parsers.count {
            parsers[mapped.column] = ColumnByteParser(mapped.parser, encode: encoding.encode)
        }
        self.parsers = parsers
    }
}

/// One scanned CSV record seen as the cells of a row, typed from its bytes where the byte-level rules are sure.
///
/// A cell is decoded to text only when a rule needs it (non-ASCII text, a shape the shortcuts do not know, a
/// problem to report), and then exactly as `CSVReader.readRecords` decodes it: so the values and the messages are
/// those of the decoded record.
struct CSVRecordCells: RowCells {
    let bytes: UnsafeBufferPointer<UInt8>
    let slices: [CSVFieldSlice]
    let typing: CSVFieldTyping

    var count: Int { slices.count }

    var isBlank: Bool {
        for (column, slice) in slices.enumerated() where slice.start < slice.end {
            if slice.isVerbatim && CellBytes.isVisibleASCII(bytes[slice.start]) { return false }
            if !cell(at: column).isBlank { return false }
        }
        return true
    }

    func cell(at column: Int) -> CellValue {
        guard column < slices.count else { return .empty }
        let text = typing.decoder.decode(slices[column], in: bytes)
        return text.isEmpty ? .empty : .text(text)
    }

    func value(at column: Int, parser: ColumnParser) -> Result<Value, ValueProblem> {
        if column < slices.count && column < typing.parsers.count, let rules = typing.parsers[column] {
            let slice = slices[column]
            if slice.isVerbatim,
                let value = rules.value(UnsafeBufferPointer(rebasing: bytes[slice.start..<slice.end]), isASCII: slice.isASCII)
            {
                return .success(value)
            }
        }
        return parser.parse(cell(at: column))
    }
}
