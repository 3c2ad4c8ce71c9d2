import PasserelleCore

/// A column's typing rules applied to the raw bytes of a CSV field, for the shapes a French CSV holds a million
/// times: `05/01/2026`, `1234,50`, `3`, `Confirmé`, and plain ASCII text.
///
/// Hand-written: typing from the bytes, without a `String` and a `CellValue` per cell, is what brought the
/// 1 000 000-stay `csv_ingest` under polars' time (Benchmarks/run.sh, issue 7). Each rule answers only when it is
/// sure to give what `ColumnParser.parse` gives for the decoded cell, and nil otherwise; the caller then decodes
/// the field and asks `parse`. So the shortcut changes the speed, never a value nor a message.
///
/// A plain value (no reference inside), so that copying it in the per-cell loop costs no reference count.
struct ColumnByteParser: Sendable {
    /// The column's type, as a local enum: comparing `ColumnType`s from another module costs a call per cell.
    private enum Kind {
        case text, date, integer, money, percent, enumeration, other
    }

    private let kind: Kind
    private let isRequired: Bool
    /// For an enumeration: where its exact spellings are in the `ByteSpellings` table.
    private let spellings: Range<Int>

    /// Prepares the rules of `parser`'s column; an enumeration's spellings are added to `table`, encoded by
    /// `encode` (which gives a text's bytes in the file's encoding, or nil when the encoding cannot write it).
    init(_ parser: ColumnParser, spellingsInto table: inout ByteSpellings, encode: (String) -> [UInt8]?) {
        switch parser.spec.type {
        case .text: kind = .text
        case .date: kind = .date
        case .integer: kind = .integer
        case .money: kind = .money
        case .percent: kind = .percent
        case .enumeration: kind = .enumeration
        case .email, .boolean, .datetime: kind = .other  // datetime: through the general path (ValueParser)
        }
        isRequired = parser.spec.isRequired
        spellings = kind == .enumeration ? table.add(parser.exactSpellings, encode: encode) : 0..<0
    }

    /// The value of a field whose content is exactly `bytes` (no quote to undo), or nil when unsure.
    ///
    /// `isASCII` tells that every byte is below 0x80, as the scanner found while cutting the field.
    @inline(__always)
    func value(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool, spellingsIn table: ByteSpellings) -> Value? {
        guard let first = bytes.first, let last = bytes.last else { return isRequired ? nil : .null }
        if kind == .enumeration { return table.key(of: bytes, among: spellings).map(Value.text) }
        // Starting and ending with a visible ASCII byte: not blank, nothing to trim, no multi-byte character.
        guard isASCII, CellBytes.isVisibleASCII(first), CellBytes.isVisibleASCII(last) else { return nil }
        switch kind {
        case .text: return .text(String(decoding: bytes, as: UTF8.self))
        case .date: return ValueParser.frenchDate(bytes).map(Value.date)
        case .integer: return ValueParser.plainInteger(bytes).map(Value.integer)
        case .money: return ValueParser.plainCents(bytes).map { .money(Money(cents: $0)) }
        case .percent: return (ValueParser.plainPercent(bytes) ?? ValueParser.barePercent(bytes)).map(Value.percent)
        case .enumeration, .other: return nil
        }
    }
}

/// The exact spellings of a file's enumeration columns in the file's encoding, each with its canonical key.
struct ByteSpellings: Sendable {
    private var bytes: [UInt8] = []
    private var ranges: [Range<Int>] = []
    private var keys: [String] = []

    /// Adds an enumeration's spellings (spelling, key), encoded by `encode`; returns where they are.
    mutating func add(_ spellings: [(spelling: String, key: String)], encode: (String) -> [UInt8]?) -> Range<Int> {
        let start = ranges.count
        for (spelling, key) in spellings {
            // A blank spelling would be read as a blank cell first, so it gets no shortcut.
            guard !spelling.allSatisfy(\.isWhitespace), let encoded = encode(spelling) else { continue }
            ranges.append(bytes.count..<(bytes.count + encoded.count))
            bytes += encoded
            keys.append(key)
        }
        return start..<ranges.count
    }

    /// The key of a field written exactly as one of the spellings of `among`, byte for byte.
    func key(of field: UnsafeBufferPointer<UInt8>, among: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { all in
            for index in among where ranges[index].count == field.count {
                if UnsafeBufferPointer(rebasing: all[ranges[index]]).elementsEqual(field) { return keys[index] }
            }
            return nil
        }
    }
}
