/// Reads a CSV file as French Excel and booking software write it, streaming records to a closure.
///
/// Hand-written byte-level parser: French Excel CSV (`;`, Windows-1252, `"1 234,50"`) must be read and typed
/// faster than polars reads it (a 130 MB stays export in about a second). Records are cut on bytes (separator,
/// quote, CR, LF are ASCII in every supported encoding) and only each finished field is decoded, with an ASCII
/// fast path. The file is read in chunks (1 MiB by default): memory holds one chunk and one record, whatever the
/// size of the file.
///
/// - Encoding: a UTF-8 byte-order mark wins; else the whole file is validated as strict UTF-8; else it is
///   Windows-1252 (never ISO-8859-1). See `CSVEncoding`.
/// - Separator: `;`, `,`, tab or `|`, counted outside quotes over the first records (the one with the most
///   consistent count wins, `;` on a tie); an Excel `sep=;` first line is honoured and skipped.
/// - Quoting (RFC 4180): separators, doubled quotes and line breaks inside quoted fields; CRLF, LF or CR line
///   ends. A stray quote inside an unquoted field is kept literally; text after a closing quote is kept too
///   (`"a"b` reads `ab`). An unterminated quote at the end of the file is a `CSVError` naming the line where the
///   field began.
/// - Blank lines are skipped (they still count as lines). Ragged rows are returned as they are: the caller
///   compares their length with the header's and rejects the row with its line.
///
/// ```swift
/// let reader = try CSVReader(path: "sejours.csv")   // detects windows1252 and ";"
/// try reader.readRecords { line, fields in print(line, fields) }   // 1 ["Code séjour", "E-mail client", …]
/// ```
package struct CSVReader: Sendable {
    /// The separators detection chooses from, in order of preference on a tie.
    package static let candidateSeparators: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), 0x09, UInt8(ascii: "|")]

    /// How many bytes at the start of the file are examined to detect the separator.
    static let sniffLength = 64 * 1024

    /// The file's path, as the user named it (it appears in errors).
    package let path: String
    /// The encoding, detected unless given.
    package var encoding: CSVEncoding
    /// The field separator byte, detected unless given.
    package var separator: UInt8
    /// How many bytes are read at a time.
    package var chunkSize: Int
    /// Bytes before the first record: a byte-order mark and an Excel `sep=` line.
    package private(set) var prologueLength: Int
    /// The physical line on which the first record starts (2 after a `sep=` line).
    package private(set) var firstLine: Int

    /// Opens `path`, detecting what is not given.
    ///
    /// - Throws: `CSVError` when the file cannot be read, is a workbook or UTF-16, or `separator` is a quote,
    ///   CR, LF or non-ASCII byte.
    package init(path: String, separator: UInt8? = nil, encoding: CSVEncoding? = nil, chunkSize: Int = 1 << 20)
        throws
    {
        self.path = path
        self.chunkSize = chunkSize
        let (head, isWholeFile) = try CSVByteSource.head(of: path, count: Self.sniffLength)
        try Self.refuseNonText(head, path: path)
        self.encoding = try encoding ?? Self.detectEncoding(head: head, path: path, chunkSize: chunkSize)
        let hasBOM = head.starts(with: UTF8Decoding.byteOrderMark) && self.encoding != .windows1252
        var offset = hasBOM ? UTF8Decoding.byteOrderMark.count : 0
        let hint = Self.excelSeparatorHint(head[offset...])
        offset += hint?.length ?? 0
        prologueLength = offset
        firstLine = hint == nil ? 1 : 2
        if let separator {
            try Self.checkSeparator(separator, path: path)
            self.separator = separator
        } else if let hinted = hint?.separator {
            self.separator = hinted
        } else {
            self.separator = head[offset...].withUnsafeBufferPointer {
                Self.sniffSeparator($0, isWholeFile: isWholeFile)
            }
        }
    }

    private static func detectEncoding(head: [UInt8], path: String, chunkSize: Int) throws -> CSVEncoding {
        try head.withUnsafeBytes { bytes in
            try CSVEncoding.detect(head: bytes) { try CSVByteSource.isValidUTF8(path: path, chunkSize: chunkSize) }
        }
    }

    /// Refuses workbooks renamed `.csv` and UTF-16/32 text, with a remedy for each.
    static func refuseNonText(_ head: [UInt8], path: String) throws {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw CSVError(
                code: .notText, file: path, message: "the file is an Excel workbook, not a CSV file",
                remedy: "read it with kind ingest.xlsx, or save it from Excel as \"CSV UTF-8\"")
        }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            throw CSVError(
                code: .unsupportedEncoding, file: path, message: "the file is UTF-16 text",
                remedy: "save it as \"CSV UTF-8 (délimité par des virgules)\" or \"CSV (séparateur : point-virgule)\"")
        }
    }

    private static func checkSeparator(_ separator: UInt8, path: String) throws {
        let forbidden: [UInt8] = [UInt8(ascii: "\""), 0x0A, 0x0D]
        guard separator < 0x80, !forbidden.contains(separator) else {
            throw CSVError(
                code: .invalidSeparator, file: path,
                message: "separator byte \(separator) cannot separate fields",
                remedy: "give one of ; , | or a tab as separator, or leave it out to detect it")
        }
    }

    /// Reads an Excel `sep=X` first line: the separator and the line's length with its line end.
    static func excelSeparatorHint(_ bytes: ArraySlice<UInt8>) -> (separator: UInt8, length: Int)? {
        let prefix = Array(bytes.prefix(7))
        guard prefix.count >= 5, prefix[0...3].map({ $0 | 0x20 }) == Array("sep=".utf8) else { return nil }
        let separator = prefix[4]
        guard separator < 0x80, separator != 0x0A, separator != 0x0D, separator != UInt8(ascii: "\"") else {
            return nil
        }
        switch (prefix.count > 5 ? prefix[5] : nil, prefix.count > 6 ? prefix[6] : nil) {
        case (nil, _): return (separator, 5)
        case (0x0D, 0x0A): return (separator, 7)
        case (0x0D, _), (0x0A, _): return (separator, 6)
        default: return nil
        }
    }
}
