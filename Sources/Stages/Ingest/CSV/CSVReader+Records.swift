extension CSVReader {
    /// Streams every record to `body` with the 1-based physical line where it starts.
    ///
    /// Fields are decoded from the file's encoding; quotes are removed and doubled quotes undone. The `fields`
    /// array is reused between calls when `body` does not keep it. Blank lines are skipped.
    ///
    /// - Throws: `CSVError` when the file cannot be read or ends inside a quoted field; whatever `body` throws.
    package func readRecords(_ body: (_ line: Int, _ fields: [String]) throws -> Void) throws {
        let source = try CSVByteSource(path: path, chunkSize: chunkSize)
        var scanner = CSVRecordScanner(separator: separator)
        let decoder = CSVFieldDecoder(encoding: encoding)
        var fields: [String] = []
        var line = firstLine
        var skip = prologueLength
        while true {
            try source.refill()
            let available = source.unconsumed.count
            if skip > 0 {
                let skipped = min(skip, available)
                source.consume(skipped)
                skip -= skipped
            }
            let consumed = try scanRecords(
                source.unconsumed, isAtEOF: source.isAtEOF, scanner: &scanner, line: &line
            ) { bytes, slices, recordLine in
                fields.removeAll(keepingCapacity: true)
                for slice in slices { fields.append(decoder.decode(slice, in: bytes)) }
                try body(recordLine, fields)
            }
            source.consume(consumed)
            if source.isAtEOF { return }
        }
    }

    /// Scans the complete records of one buffer; returns how many bytes they used.
    private func scanRecords(
        _ bytes: UnsafeBufferPointer<UInt8>, isAtEOF: Bool, scanner: inout CSVRecordScanner, line: inout Int,
        emit: (_ bytes: UnsafeBufferPointer<UInt8>, _ slices: [CSVFieldSlice], _ line: Int) throws -> Void
    ) throws -> Int {
        var position = 0
        while position < bytes.count {
            switch scanner.scan(bytes, from: position, isAtEOF: isAtEOF) {
            case .blankLine(let next):
                line += 1
                position = next
            case .record(let next, let lines):
                try emit(bytes, scanner.slices, line)
                line += lines
                position = next
            case .needMore:
                return position
            case .unterminatedQuote(let linesBefore):
                throw CSVError.unterminatedQuote(file: path, line: line + linesBefore)
            }
        }
        return position
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
}

/// Turns field bytes into `String`s in the file's encoding.
struct CSVFieldDecoder {
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
