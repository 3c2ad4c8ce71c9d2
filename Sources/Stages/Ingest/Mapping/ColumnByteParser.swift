import PasserelleCore

/// A column's typing rules applied to the raw bytes of a CSV field, for the shapes a French CSV holds a million
/// times: `05/01/2026`, `1234,50`, `3`, `Confirmé`, and plain ASCII text.
///
/// Hand-written: typing from the bytes, without a `String` and a `CellValue` per cell, is what brought the
/// 1 000 000-stay `csv_ingest` under polars' time (Benchmarks/run.sh, issue 7). Each rule answers only when it is
/// sure to give what `ColumnParser.parse` gives for the decoded cell, and nil otherwise; the caller then decodes
/// the field and asks `parse`. So the shortcut changes the speed, never a value nor a message.
struct ColumnByteParser: Sendable {
    /// One accepted spelling of an enumeration, in the file's encoding, and its canonical key.
    private struct Spelling: Sendable {
        var bytes: [UInt8]
        var key: String
    }

    private let type: ColumnType
    private let isRequired: Bool
    /// The exact spellings of an enumeration (empty for other types).
    private let spellings: [Spelling]

    /// Prepares the rules of `parser`'s column; `encode` gives a text's bytes in the file's encoding (nil when the
    /// encoding cannot write it).
    init(_ parser: ColumnParser, encode: (String) -> [UInt8]?) {
        type = parser.spec.type
        isRequired = parser.spec.isRequired
        guard type == .enumeration else {
            spellings = []
            return
        }
        // A spelling that is blank would be read as a blank cell first, so it gets no shortcut.
        spellings = parser.exactSpellings.compactMap { spelling, key in
            guard !spelling.allSatisfy(\.isWhitespace), let bytes = encode(spelling) else { return nil }
            return Spelling(bytes: bytes, key: key)
        }
    }

    /// The value of a field whose content is exactly `bytes` (no quote to undo), or nil when unsure.
    ///
    /// `isASCII` tells that every byte is below 0x80, as the scanner found while cutting the field.
    func value(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> Value? {
        guard let first = bytes.first, let last = bytes.last else { return isRequired ? nil : .null }
        if type == .enumeration { return key(of: bytes).map(Value.text) }
        // Starting and ending with a visible ASCII byte: not blank, nothing to trim, no multi-byte character.
        guard isASCII, CellBytes.isVisibleASCII(first), CellBytes.isVisibleASCII(last) else { return nil }
        switch type {
        case .text: return .text(String(decoding: bytes, as: UTF8.self))
        case .date: return ValueParser.frenchDate(bytes).map(Value.date)
        case .integer: return ValueParser.plainInteger(bytes).map(Value.integer)
        case .money: return ValueParser.plainCents(bytes).map { .money(Money(cents: $0)) }
        case .percent: return (ValueParser.plainPercent(bytes) ?? ValueParser.barePercent(bytes)).map(Value.percent)
        case .email, .boolean, .enumeration: return nil
        }
    }

    /// The key of a field written exactly as one of the spellings, byte for byte.
    private func key(of bytes: UnsafeBufferPointer<UInt8>) -> String? {
        for spelling in spellings where spelling.bytes.count == bytes.count {
            if spelling.bytes.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return spelling.key }
        }
        return nil
    }
}
