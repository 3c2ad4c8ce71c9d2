import Foundation
import PasserelleCore

/// HTML being built as UTF-8 bytes: escaped text and French values appended without intermediate strings.
///
/// The statement page has a table cell per field of every stay paid in the month (about 3 million cells for a
/// million stays a season); formatting each value to a `String`, escaping it scalar by scalar and interpolating
/// it cost about as much as writing the same rows to the workbook (profile of the monthly statement, issue 7).
/// The text is the same as `FinanceHTML.escape(value.frenchText)`, byte for byte.
///
/// Noncopyable, over its own allocation: an append is a capacity check and a copy, with none of an array's
/// uniqueness checks (a third of the page's instructions when it appended to a `[UInt8]`).
struct HTMLBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 256)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The bytes as a string (they are valid UTF-8: only whole strings and ASCII are appended).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        grow(extra)
    }

    private mutating func grow(_ extra: Int) {
        let grown = max(capacity * 2, count + extra)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = grown
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    private mutating func put(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, !buffer.isEmpty else { return }
        reserve(buffer.count)
        (base + count).update(from: source, count: buffer.count)
        count += buffer.count
    }

    /// Writes the page to `url` as libxlsxwriter writes a workbook: without a flush to disk of its own.
    ///
    /// `Data.write(to:)` calls `fsync`, which for the statement of a million stays (a 100 MB page) cost a
    /// quarter of the page's time on a busy disk; the run's outputs are renamed into place either way.
    func write(to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: url.path)
        else {
            throw OutputError.file(
                path: url.path, reason: "the page cannot be created",
                fix: "check that the output folder is writable and has free space, then run the pipeline again")
        }
        do {
            try handle.write(contentsOf: UnsafeRawBufferPointer(bytes))
        } catch {
            try? handle.close()  // the write error is the one to report; the descriptor is released either way
            throw error
        }
        try handle.close()
    }

    /// Appends markup as it is (no escaping): tags and attributes written by the program.
    mutating func append(markup: String) {
        var markup = markup
        markup.withUTF8 { put($0) }
    }

    /// Appends a constant tag as it is (no escaping), copied from the program's own bytes.
    mutating func append(tag: StaticString) { tag.withUTF8Buffer { put($0) } }

    /// Appends text escaped for HTML content and attribute values: `& < > " '` as entities, control characters
    /// other than tab and line breaks dropped (not allowed in HTML text).
    mutating func append(escaping text: String) {
        var text = text
        text.withUTF8 { utf8 in
            guard utf8.contains(where: Self.needsEscape) else {
                put(utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "&"): append(tag: "&amp;")
                case UInt8(ascii: "<"): append(tag: "&lt;")
                case UInt8(ascii: ">"): append(tag: "&gt;")
                case UInt8(ascii: "\""): append(tag: "&quot;")
                case UInt8(ascii: "'"): append(tag: "&#39;")
                case 0x09, 0x0A, 0x0D: put(byte)
                case ..<0x20: continue
                default: put(byte)  // ASCII, or a byte of a multi-byte character (all ≥ 0x80)
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
            if number < 0 { put(UInt8(ascii: "-")) }
            append(digitsOf: number.magnitude)
        case .money(let money): append(euros: money.cents)
        case .date(let date): append(date: date)
        case .dateTime(let value): append(escaping: value.frenchText)
        case .bool(let flag): append(tag: flag ? "Oui" : "Non")
        case .percent(let basisPoints):
            // As Value.frenchText: whole part truncated toward zero, two decimals, no-break space, "%".
            if basisPoints <= -100 { put(UInt8(ascii: "-")) }
            append(digitsOf: (basisPoints / 100).magnitude)
            put(UInt8(ascii: ","))
            appendTwoDigits(Int(basisPoints.magnitude % 100))
            append(tag: "\u{A0}%")
        }
    }

    /// `1 234,50 €` as `Money.frenchText`: narrow no-break spaces between thousands, a no-break space before €.
    private mutating func append(euros cents: Int64) {
        if cents < 0 { put(UInt8(ascii: "-")) }
        let value = cents.magnitude
        append(digitsOf: value / 100, grouped: true)
        put(UInt8(ascii: ","))
        appendTwoDigits(Int(value % 100))
        append(tag: "\u{A0}€")
    }

    /// The decimal digits of `value`; `grouped` puts a narrow no-break space (U+202F) between thousands.
    private mutating func append(digitsOf value: UInt64, grouped: Bool = false) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let length = grouped ? digits + (digits - 1) / 3 * 3 : digits
        reserve(length)
        // Written from the last digit back, so that each digit is one division by ten.
        var cursor = base + count + length
        var rest = value
        for i in 0..<digits {
            if grouped && i > 0 && i % 3 == 0 {
                cursor -= 3
                cursor[0] = 0xE2  // U+202F in UTF-8
                cursor[1] = 0x80
                cursor[2] = 0xAF
            }
            cursor -= 1
            cursor.pointee = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count += length
    }

    /// `dd/mm/yyyy` as `CalendarDate.frenchText`.
    private mutating func append(date: CalendarDate) {
        let (year, month, day) = date.parts
        appendTwoDigits(day)
        put(UInt8(ascii: "/"))
        appendTwoDigits(month)
        put(UInt8(ascii: "/"))
        if year < 0 { put(UInt8(ascii: "-")) }
        append(digitsOf: UInt64(year.magnitude))
    }

    /// Two digits for 0…99, as `String(format2:)` (which pads below 10 only).
    private mutating func appendTwoDigits(_ value: Int) {
        guard (0...99).contains(value) else { return append(markup: String(format2: value)) }
        put(UInt8(ascii: "0") + UInt8(value / 10))
        put(UInt8(ascii: "0") + UInt8(value % 10))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        case 0x09, 0x0A, 0x0D: false
        default: byte < 0x20
        }
    }
}
