/// A place between two records of a CSV file: a byte offset and the 1-based physical line starting there.
package struct CSVPosition: Sendable, Equatable {
    package var offset: Int
    package var line: Int

    package init(offset: Int, line: Int) {
        self.offset = offset
        self.line = line
    }
}

/// Where a scan stopped: the position of the next record (or of the end of the file), and whether the file ended.
struct CSVScanEnd: Equatable {
    var position: CSVPosition
    var isAtEOF: Bool
    /// Whether the scan gave up on a record running further past its limit than it was allowed to.
    var isAbandoned = false
}

extension CSVReader {
    /// Where the first record starts: after the byte-order mark and the `sep=` line.
    package var start: CSVPosition { CSVPosition(offset: prologueLength, line: firstLine) }

    /// Streams every record to `body` with the 1-based physical line where it starts.
    ///
    /// Fields are decoded from the file's encoding; quotes are removed and doubled quotes undone. The `fields`
    /// array is reused between calls when `body` does not keep it. Blank lines are skipped.
    ///
    /// - Throws: `CSVError` when the file cannot be read or ends inside a quoted field; whatever `body` throws.
    package func readRecords(_ body: (_ line: Int, _ fields: [String]) throws -> Void) throws {
        _ = try readRecords(from: start, body)
    }

    /// Streams the records from `position` on, at most `maxRecords` of them, decoded as `readRecords(_:)` does.
    ///
    /// - Returns: where the scan stopped: after the last record handed over, or at the end of the file.
    @discardableResult
    func readRecords(
        from position: CSVPosition, maxRecords: Int = .max, _ body: (_ line: Int, _ fields: [String]) throws -> Void
    ) throws -> CSVScanEnd {
        let decoder = CSVFieldDecoder(encoding: encoding)
        var fields: [String] = []
        return try scanRecords(from: position, maxRecords: maxRecords) { line, bytes, slices in
            fields.removeAll(keepingCapacity: true)
            for slice in slices { fields.append(decoder.decode(slice, in: bytes)) }
            try body(line, fields)
        }
    }

    /// Hands `body` the raw bytes and field slices of each record from `position` on.
    ///
    /// Records start before byte `limit`, at most `maxRecords` of them. Blank lines are skipped (and counted).
    /// A record that starts before `limit` is read to its end, however far past `limit` it goes, unless `overrun`
    /// is given: a record running more than `overrun` bytes past `limit` then ends the scan, abandoned. When the
    /// scan reaches `limit`, `extend` may give a further limit to go on to. The scanner keeps no state between
    /// records, so a scan from any record's start gives the same records as a scan from the start of the file:
    /// this is what lets `scanRecordsInParallel` cut the file.
    ///
    /// - Returns: the position of the first record or blank line not handed over (at or after `limit`), or of the
    ///   end of the file.
    func scanRecords(
        from position: CSVPosition, before limit: Int = .max, maxRecords: Int = .max, overrun: Int = .max,
        extend: () -> Int? = { nil },
        _ body: (_ line: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>)
            throws -> Void
    ) throws -> CSVScanEnd {
        let source = try CSVByteSource(path: path, chunkSize: chunkSize, offset: position.offset)
        let scanner = CSVRecordScanner(separator: separator)
        var limit = limit
        var line = position.line
        var records = 0
        while true {
            try source.refill()
            let bytes = source.unconsumed
            let base = source.offset
            var next = 0
            scan: while next < bytes.count {
                while base + next >= limit, let further = extend() { limit = further }
                if base + next >= limit || records == maxRecords {
                    return CSVScanEnd(position: CSVPosition(offset: base + next, line: line), isAtEOF: false)
                }
                switch scanner.scan(bytes, from: next, isAtEOF: source.isAtEOF) {
                case .blankLine(let end):
                    line += 1
                    next = end
                case .record(let end, let lines):
                    try body(line, bytes, scanner.slices)
                    records += 1
                    line += lines
                    next = end
                case .needMore:
                    if base + bytes.count - limit > overrun {
                        let position = CSVPosition(offset: base + next, line: line)
                        return CSVScanEnd(position: position, isAtEOF: false, isAbandoned: true)
                    }
                    break scan
                case .unterminatedQuote(let linesBefore):
                    throw CSVError.unterminatedQuote(file: path, line: line + linesBefore)
                }
            }
            source.consume(next)
            if source.isAtEOF {
                return CSVScanEnd(position: CSVPosition(offset: source.offset, line: line), isAtEOF: true)
            }
        }
    }
}

/// One field of a scanned record: where its bytes are and how to turn them into text.
struct CSVFieldSlice {
    /// How the raw bytes become the field's content.
    enum Kind {
        /// Take the bytes as they are.
        case plain
        /// A quoted field: the slice already excludes the quotes and has no doubled quote.
        case quoted
        /// Undo quoting byte by byte: doubled quotes, or text after the closing quote.
        case escaped
    }

    var start: Int
    var end: Int
    var kind: Kind
    /// Whether every byte is below 0x80 (the decoding fast path).
    var isASCII: Bool

    /// Whether the field's content is its bytes as they are (no quote to remove or undo).
    var isVerbatim: Bool { kind != .escaped }
}

/// Turns field bytes into `String`s in the file's encoding.
struct CSVFieldDecoder: Sendable {
    let encoding: CSVEncoding

    /// The text of one field.
    func decode(_ slice: CSVFieldSlice, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[slice.start..<slice.end])
        guard slice.kind == .escaped else { return text(raw, isASCII: slice.isASCII) }
        let unescaped = Self.unquote(raw)
        return unescaped.withUnsafeBufferPointer { text($0, isASCII: slice.isASCII) }
    }

    private func text(_ raw: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String {
        // UTF-8 input was validated when the reader was made, so decoding repairs nothing here.
        if isASCII || encoding != .windows1252 { return String(decoding: raw, as: UTF8.self) }
        return Windows1252.decode(UnsafeRawBufferPointer(raw))
    }

    /// Removes the opening and closing quotes and undoes doubled quotes; text outside quotes is kept as is.
    static func unquote(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let quote = UInt8(ascii: "\"")
        var result: [UInt8] = []
        result.reserveCapacity(raw.count)
        var isQuoted = false
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            if i == 0 && byte == quote {
                isQuoted = true
            } else if isQuoted && byte == quote {
                if i + 1 < raw.count && raw[i + 1] == quote {
                    result.append(quote)
                    i += 1
                } else {
                    isQuoted = false
                }
            } else {
                result.append(byte)
            }
            i += 1
        }
        return result
    }
}
