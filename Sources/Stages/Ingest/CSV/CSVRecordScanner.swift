/// Cuts one record out of a buffer of bytes, without decoding it.
///
/// Restartable rather than resumable: when a record runs past the end of the buffer the scanner answers
/// `needMore`, the reader reads the next chunk behind the unconsumed bytes and scans the record again from its
/// start. Only the last record of each chunk is scanned twice, and no state crosses chunks.
struct CSVRecordScanner {
    /// What one call to `scan` found.
    enum Outcome: Equatable {
        /// A record whose fields are in `slices`; `next` is the offset after its line end, `lines` the number of
        /// line ends it contains (including the one that ends it).
        case record(next: Int, lines: Int)
        /// An empty line, skipped.
        case blankLine(next: Int)
        /// The record is not complete in this buffer.
        case needMore
        /// The file ends inside a quoted field that began `linesBefore` lines below the record's first line.
        case unterminatedQuote(linesBefore: Int)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    let separator: UInt8
    /// The fields of the last record scanned.
    private(set) var slices: [CSVFieldSlice] = []

    init(separator: UInt8) {
        self.separator = separator
    }

    /// Scans the record that starts at `start` (which must be inside `bytes`).
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, isAtEOF: Bool) -> Outcome {
        if let blank = blankLine(bytes, at: start, isAtEOF: isAtEOF) { return blank }
        slices.removeAll(keepingCapacity: true)
        var i = start
        var lines = 0
        while true {
            if i < bytes.count && bytes[i] == Self.quote {
                guard case .field(let slice, let next, let newlines) = quotedField(bytes, from: i, isAtEOF: isAtEOF)
                else { return isAtEOF ? .unterminatedQuote(linesBefore: lines) : .needMore }
                slices.append(slice)
                i = next
                lines += newlines
            } else {
                let slice = plainField(bytes, from: i)
                slices.append(slice)
                i = slice.end
            }
            guard i < bytes.count else { return isAtEOF ? .record(next: i, lines: lines) : .needMore }
            let byte = bytes[i]
            if byte == separator {
                i += 1
                continue
            }
            return lineEnd(bytes, at: i, isAtEOF: isAtEOF).map { .record(next: $0, lines: lines + 1) } ?? .needMore
        }
    }

    /// An empty line at `start`, or nil when a record starts there.
    private func blankLine(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, isAtEOF: Bool) -> Outcome? {
        let byte = bytes[start]
        guard byte == Self.lineFeed || byte == Self.carriageReturn else { return nil }
        return lineEnd(bytes, at: start, isAtEOF: isAtEOF).map { .blankLine(next: $0) } ?? .needMore
    }

    /// The offset after the CR, LF or CRLF at `i`, or nil when a CR ends the buffer and a LF may follow.
    private func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, isAtEOF: Bool) -> Int? {
        guard bytes[i] == Self.carriageReturn else { return i + 1 }
        if i + 1 < bytes.count { return bytes[i + 1] == Self.lineFeed ? i + 2 : i + 1 }
        return isAtEOF ? i + 1 : nil
    }

    /// An unquoted field: everything up to the separator or the line end; quotes in it are kept literally.
    @inline(__always)
    private func plainField(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> CSVFieldSlice {
        var i = start
        var bits: UInt8 = 0
        let separator = separator
        while i < bytes.count {
            let byte = bytes[i]
            if byte == separator || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            bits |= byte
            i += 1
        }
        return CSVFieldSlice(start: start, end: i, kind: .plain, isASCII: bits < 0x80)
    }

    /// What `quotedField` found.
    private enum QuotedOutcome {
        case field(CSVFieldSlice, next: Int, newlines: Int)
        case incomplete
    }

    /// A field that starts with a quote at `start`: up to the closing quote, then any text up to the separator.
    private func quotedField(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, isAtEOF: Bool) -> QuotedOutcome {
        var i = start + 1
        var bits: UInt8 = 0
        var newlines = 0
        var kind = CSVFieldSlice.Kind.quoted
        while true {
            while i < bytes.count, bytes[i] != Self.quote {
                let byte = bytes[i]
                if byte == Self.lineFeed || (byte == Self.carriageReturn && !isFollowedByLineFeed(bytes, i)) {
                    newlines += 1
                }
                bits |= byte
                i += 1
            }
            guard i < bytes.count else { return .incomplete }
            guard i + 1 < bytes.count || isAtEOF else { return .incomplete }  // a doubled quote may follow
            if i + 1 < bytes.count && bytes[i + 1] == Self.quote {
                kind = .escaped
                i += 2
                continue
            }
            i += 1
            break
        }
        let trailing = plainField(bytes, from: i)
        if trailing.end > i { kind = .escaped }
        let isASCII = bits < 0x80 && trailing.isASCII
        let slice =
            kind == .quoted
            ? CSVFieldSlice(start: start + 1, end: i - 1, kind: .quoted, isASCII: isASCII)
            : CSVFieldSlice(start: start, end: trailing.end, kind: .escaped, isASCII: isASCII)
        return .field(slice, next: trailing.end, newlines: newlines)
    }

    private func isFollowedByLineFeed(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i + 1 < bytes.count && bytes[i + 1] == Self.lineFeed
    }
}
