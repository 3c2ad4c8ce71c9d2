/// Cuts one record out of a buffer of bytes, without decoding it.
///
/// Restartable rather than resumable: when a record runs past the end of the buffer the scanner answers
/// `needMore`, the reader reads the next chunk behind the unconsumed bytes and scans the record again from its
/// start. Only the last record of each chunk is scanned twice, and no state crosses chunks.
///
/// Hand-written, with unquoted fields scanned eight bytes at a time and the slices in memory of its own: cutting
/// the records was a fifth of `csv_ingest`'s time (perf, 1 000 000 stays) before.
final class CSVRecordScanner {
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
    /// `separator` in every byte of a word.
    private let separators: UInt64
    private var storage: UnsafeMutableBufferPointer<CSVFieldSlice>
    private var count = 0

    init(separator: UInt8) {
        self.separator = separator
        separators = Self.ones &* UInt64(separator)
        storage = .allocate(capacity: 64)
    }

    deinit {
        storage.deallocate()
    }

    /// The fields of the last record scanned (valid until the next scan).
    var slices: UnsafeBufferPointer<CSVFieldSlice> { UnsafeBufferPointer(rebasing: storage[0..<count]) }

    @inline(__always)
    private func append(_ slice: CSVFieldSlice) {
        if count == storage.count {
            let larger = UnsafeMutableBufferPointer<CSVFieldSlice>.allocate(capacity: storage.count * 2)
            _ = larger.initialize(fromContentsOf: storage)
            storage.deallocate()
            storage = larger
        }
        storage[count] = slice
        count += 1
    }

    /// Scans the record that starts at `start` (which must be inside `bytes`).
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, isAtEOF: Bool) -> Outcome {
        if let blank = blankLine(bytes, at: start, isAtEOF: isAtEOF) { return blank }
        count = 0
        var i = start
        var lines = 0
        while true {
            if i < bytes.count && bytes[i] == Self.quote {
                guard case .field(let slice, let next, let newlines) = quotedField(bytes, from: i, isAtEOF: isAtEOF)
                else { return isAtEOF ? .unterminatedQuote(linesBefore: lines) : .needMore }
                append(slice)
                i = next
                lines += newlines
            } else {
                let slice = plainField(bytes, from: i)
                append(slice)
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
        var high: UInt64 = 0  // the high bits of the bytes passed
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let lineEnds = Self.zeroBytes(word ^ Self.lineFeeds) | Self.zeroBytes(word ^ Self.carriageReturns)
                let ends = Self.zeroBytes(word ^ separators) | lineEnds
                if ends == 0 {
                    high |= word
                    i += 8
                    continue
                }
                // The lowest flag is exact (only bytes above a real match can be flagged wrongly).
                let before = ends.trailingZeroBitCount / 8
                high |= word & ((1 << (UInt64(before) * 8)) &- 1)
                return CSVFieldSlice(start: start, end: i + before, kind: .plain, isASCII: high & Self.highBits == 0)
            }
        }
        let separator = separator
        while i < bytes.count {
            let byte = bytes[i]
            if byte == separator || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            high |= UInt64(byte)
            i += 1
        }
        return CSVFieldSlice(start: start, end: i, kind: .plain, isASCII: high & Self.highBits == 0)
    }

    private static var ones: UInt64 { 0x0101_0101_0101_0101 }
    private static var highBits: UInt64 { 0x8080_8080_8080_8080 }
    private static var lineFeeds: UInt64 { 0x0A0A_0A0A_0A0A_0A0A }
    private static var carriageReturns: UInt64 { 0x0D0D_0D0D_0D0D_0D0D }

    /// The high bit of each zero byte of `word`; bytes above the lowest zero byte may be flagged wrongly.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
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
