import PasserelleCore

/// HTML being built as UTF-8 bytes: escaped text and French values appended without intermediate strings.
///
/// The statement page has a table cell per field of every stay paid in the month (about 3 million cells for a
/// million stays a season); formatting each value to a `String`, escaping it scalar by scalar and interpolating
/// it cost about as much as writing the same rows to the workbook (profile of the monthly statement, issue 7).
/// The text is the same as `FinanceHTML.escape(value.frenchText)`, byte for byte.
struct HTMLBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// The bytes as a string (they are valid UTF-8: only whole strings and ASCII are appended).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends markup as it is (no escaping): tags and attributes written by the program.
    mutating func append(markup: String) {
        var markup = markup
        markup.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a constant tag as it is (no escaping), copied from the program's own bytes.
    mutating func append(tag: StaticString) { tag.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    /// Appends text escaped for HTML content and attribute values: `& < > " '` as entities, control characters
    /// other than tab and line breaks dropped (not allowed in HTML text).
    mutating func append(escaping text: String) {
        var text = text
        text.withUTF8 { utf8 in
            guard utf8.contains(where: Self.needsEscape) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "&"): append(tag: "&amp;")
                case UInt8(ascii: "<"): append(tag: "&lt;")
                case UInt8(ascii: ">"): append(tag: "&gt;")
                case UInt8(ascii: "\""): append(tag: "&quot;")
                case UInt8(ascii: "'"): append(tag: "&#39;")
                case 0x09, 0x0A, 0x0D: bytes.append(byte)
                case ..<0x20: continue
                default: bytes.append(byte)  // ASCII, or a byte of a multi-byte character (all ≥ 0x80)
                }
            }
        }
    }

    /// Appends a value as French text (`Value.frenchText`), escaped.
    mutating func append(french value: Value) {
        switch value {
        case .null: return
        case .text(let text): append(escaping: text)
        case .integer(let number):
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            append(digitsOf: number.magnitude)
        case .money(let money): append(euros: money.cents)
        case .date(let date): append(date: date)
        case .dateTime(let value): append(escaping: value.frenchText)
        case .bool(let flag): append(tag: flag ? "Oui" : "Non")
        case .percent(let basisPoints):
            // As Value.frenchText: whole part truncated toward zero, two decimals, no-break space, "%".
            if basisPoints <= -100 { bytes.append(UInt8(ascii: "-")) }
            append(digitsOf: (basisPoints / 100).magnitude)
            bytes.append(UInt8(ascii: ","))
            appendTwoDigits(Int(basisPoints.magnitude % 100))
            bytes.append(contentsOf: [0xC2, 0xA0, UInt8(ascii: "%")])
        }
    }

    /// `1 234,50 €` as `Money.frenchText`: narrow no-break spaces between thousands, a no-break space before €.
    private mutating func append(euros cents: Int64) {
        if cents < 0 { bytes.append(UInt8(ascii: "-")) }
        let value = cents.magnitude
        append(digitsOf: value / 100, grouped: true)
        bytes.append(UInt8(ascii: ","))
        appendTwoDigits(Int(value % 100))
        bytes.append(contentsOf: [0xC2, 0xA0, 0xE2, 0x82, 0xAC])  // U+00A0, €
    }

    /// The decimal digits of `value`; `grouped` puts a narrow no-break space (U+202F) between thousands.
    private mutating func append(digitsOf value: UInt64, grouped: Bool = false) {
        var divisor: UInt64 = 1
        var count = 1
        while value / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        var rest = value
        for i in 0..<count {
            if grouped && i > 0 && (count - i) % 3 == 0 { bytes.append(contentsOf: [0xE2, 0x80, 0xAF]) }
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// `dd/mm/yyyy` as `CalendarDate.frenchText`.
    private mutating func append(date: CalendarDate) {
        let (year, month, day) = date.parts
        appendTwoDigits(day)
        bytes.append(UInt8(ascii: "/"))
        appendTwoDigits(month)
        bytes.append(UInt8(ascii: "/"))
        if year < 0 { bytes.append(UInt8(ascii: "-")) }
        append(digitsOf: UInt64(year.magnitude))
    }

    /// Two digits for 0…99, as `String(format2:)` (which pads below 10 only).
    private mutating func appendTwoDigits(_ value: Int) {
        guard (0...99).contains(value) else { return append(markup: String(format2: value)) }
        bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        case 0x09, 0x0A, 0x0D: false
        default: byte < 0x20
        }
    }
}
