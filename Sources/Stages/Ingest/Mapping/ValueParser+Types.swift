import PasserelleCore

/// The typing rules, each returning nil when the cell does not hold a value of that type.
///
/// Text cells take a byte-level fast path for the shapes a French CSV holds a million times (`05/01/2026`,
/// `1234,50`, `3`) and fall back to `CalendarDate.parse` and `Money.parse` for the rest.
extension ValueParser {
    /// A date cell, an Excel serial in the 1900 system (time of day dropped), or a date written as text.
    static func date(_ cell: CellValue) -> CalendarDate? {
        switch cell {
        case .date(let date, _): return date
        case .number(let serial) where serial >= 1:
            return CalendarDate.fromExcelSerial(serial, is1904: false)?.date
        case .text(let text): return frenchDate(text) ?? CalendarDate.parse(text)
        default: return nil
        }
    }

    /// A whole number: `3`, `3,0`, `1 234`, or a number cell without fraction.
    static func integer(_ cell: CellValue) -> Int64? {
        switch cell {
        case .number(let number):
            guard number.rounded() == number, abs(number) < 9e15 else { return nil }
            return Int64(number)
        case .text(let text):
            guard let decimal = DecimalText.parse(CellBytes.trimmed(text)) else { return nil }
            return decimal.wholeValue
        default: return nil
        }
    }

    /// Euros as cents; text with at most two decimals, numbers within float noise of a cent.
    static func money(_ cell: CellValue) -> Money? {
        switch cell {
        case .number(let number): return Money.fromNumber(number)
        case .text(let text): return plainCents(text).map(Money.init(cents:)) ?? Money.parse(text)
        default: return nil
        }
    }

    /// Basis points (17 % = 1700).
    ///
    /// With a `%` sign the number is a percentage. Without one (a number cell, or bare text) the value is
    /// ambiguous: a percent-formatted Excel cell holds 0.17 for 17 %, while other exports write 17. Values whose
    /// magnitude is at most 1 are read as fractions (0.17 → 17 %, 1 → 100 %), larger ones as percentages
    /// (17 → 17 %). So "1 %" must be written with its sign. Finer than a basis point is refused.
    static func percent(_ cell: CellValue) -> Int64? {
        switch cell {
        case .number(let number):
            guard number.isFinite, abs(number) < 1e12 else { return nil }
            let points = abs(number) <= 1 ? number * 10_000 : number * 100
            let rounded = points.rounded()
            guard abs(points - rounded) < 1e-6 * max(1, abs(points)) else { return nil }
            return Int64(rounded)
        case .text(let text):
            if let points = plainPercent(text) { return points }
            var trimmed = CellBytes.trimmed(text)
            let hasSign = trimmed.utf8.last == UInt8(ascii: "%")
            if hasSign { trimmed = CellBytes.trimmed(String(trimmed.dropLast())) }
            guard let decimal = DecimalText.parse(trimmed) else { return nil }
            let isFraction = !hasSign && decimal.magnitudeIsAtMostOne
            return decimal.scaled(to: isFraction ? 4 : 2)
        default: return nil
        }
    }

    /// Oui/Non and their usual spellings, bool cells, and the numbers 1 and 0.
    static func boolean(_ cell: CellValue) -> Bool? {
        switch cell {
        case .bool(let value): return value
        case .number(let number): return number == 1 ? true : number == 0 ? false : nil
        case .text(let text):
            switch HeaderMatcher.normalize(text) {
            case "oui", "o", "yes", "y", "vrai", "v", "true", "1", "x": return true
            case "non", "n", "no", "faux", "f", "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// `dd/mm/yyyy` exactly, read from the bytes (the fast path; anything else goes to `CalendarDate.parse`).
    static func frenchDate(_ text: String) -> CalendarDate? {
        var text = text
        return text.withUTF8 { frenchDate($0) }
    }

    /// `frenchDate` over the UTF-8 (or ASCII) bytes of a cell.
    static func frenchDate(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard bytes.count == 10, bytes[2] == UInt8(ascii: "/"), bytes[5] == UInt8(ascii: "/") else { return nil }
        guard let day = digits(bytes, 0..<2), let month = digits(bytes, 3..<5), let year = digits(bytes, 6..<10)
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// `1234,50`, `-12.5`, `3`: an optional minus, up to 15 digits, and an optional decimal comma or point with
    /// one or two digits, as cents. Nil for any other shape (which `Money.parse` then reads).
    static func plainCents(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { plainCents($0) }
    }

    /// `plainCents` over the UTF-8 (or ASCII) bytes of a cell.
    static func plainCents(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = bytes.first == UInt8(ascii: "-")
        let start = negative ? 1 : 0
        var mark = bytes.count
        for i in start..<bytes.count where bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: ".") {
            mark = i
            break
        }
        let fractionLength = mark < bytes.count ? bytes.count - mark - 1 : 0
        guard mark > start, mark - start <= 15, mark == bytes.count || (1...2).contains(fractionLength),
            let whole = digits(bytes, start..<mark), let fraction = digits(bytes, min(mark + 1, bytes.count)..<bytes.count)
        else { return nil }
        let cents = Int64(whole) * 100 + Int64(fractionLength == 1 ? fraction * 10 : fraction)
        return negative ? -cents : cents
    }

    /// `30 %`, `17,5%`: digits, an optional comma or point with one or two digits, an optional space and `%`,
    /// as basis points. Nil for any other shape (which the general rule then reads).
    static func plainPercent(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { plainPercent($0) }
    }

    /// `plainPercent` over the UTF-8 (or ASCII) bytes of a cell.
    static func plainPercent(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count >= 2, bytes[bytes.count - 1] == UInt8(ascii: "%") else { return nil }
        var end = bytes.count - 1
        if bytes[end - 1] == 0x20 { end -= 1 }
        var mark = end
        for i in 0..<end where bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: ".") {
            mark = i
            break
        }
        let fractionLength = mark < end ? end - mark - 1 : 0
        guard mark > 0, mark <= 9, mark == end || (1...2).contains(fractionLength),
            let whole = digits(bytes, 0..<mark), let fraction = digits(bytes, min(mark + 1, end)..<end)
        else { return nil }
        return Int64(whole) * 100 + Int64(fractionLength == 1 ? fraction * 10 : fraction)
    }

    /// A percentage written as bare digits (at most 15: `17`, `0`, `1`), as `percent` reads it.
    ///
    /// 0 and 1 are fractions (0 %, 100 %), larger numbers percents. Nil for any other shape.
    static func barePercent(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard (1...15).contains(bytes.count), let number = digits(bytes, 0..<bytes.count) else { return nil }
        return Int64(number) * (number <= 1 ? 10_000 : 100)
    }

    /// An optional minus and at most 18 digits (`3`, `-12`), as `integer` reads them.
    ///
    /// Nil for any other shape.
    static func plainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let start = bytes.first == UInt8(ascii: "-") ? 1 : 0
        guard (1...18).contains(bytes.count - start), let number = digits(bytes, start..<bytes.count) else {
            return nil
        }
        return start == 1 ? -Int64(number) : Int64(number)
    }

    /// The ASCII digits of `range` as a number; 0 for an empty range, nil if any byte is not a digit.
    @inline(__always)
    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}

/// A decimal number written as text: `-1 234,5`, `17.25`, `+3`; digits may be grouped by spaces (NBSP, narrow
/// NBSP) before the one decimal mark (comma or point).
struct DecimalText: Equatable {
    /// All the digits as one integer, sign included: `-1 234,5` is -12345.
    var units: Int64
    /// How many digits follow the decimal mark: `-1 234,5` has 1.
    var scale: Int

    /// Parses trimmed text; nil when it is not a plain decimal number (or has more than 18 digits).
    static func parse(_ text: some StringProtocol) -> DecimalText? {
        var units: Int64 = 0
        var scale = 0
        var digitCount = 0
        var isNegative = false
        var hasMark = false
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if ("0"..."9").contains(scalar) {
                guard digitCount < 18 else { return nil }
                units = units * 10 + Int64(scalar.value - 0x30)
                digitCount += 1
                if hasMark { scale += 1 }
            } else if scalar == "," || scalar == "." {
                guard !hasMark else { return nil }
                hasMark = true
            } else if scalar.properties.isWhitespace && !hasMark && digitCount > 0 {
                continue
            } else if offset == 0 && (scalar == "-" || scalar == "+" || scalar == "\u{2212}") {
                isNegative = scalar != "+"
            } else {
                return nil
            }
        }
        guard digitCount > 0 else { return nil }
        return DecimalText(units: isNegative ? -units : units, scale: scale)
    }

    /// The value when it has no fractional part (`3,00` → 3), else nil.
    var wholeValue: Int64? {
        let divisor = Self.powerOfTen(scale)
        return units % divisor == 0 ? units / divisor : nil
    }

    /// Whether |value| ≤ 1.
    var magnitudeIsAtMostOne: Bool { abs(units) <= Self.powerOfTen(scale) }

    /// The value times 10^places as an integer, or nil when it has more than `places` decimals.
    func scaled(to places: Int) -> Int64? {
        guard scale <= places else { return nil }
        let (result, overflow) = units.multipliedReportingOverflow(by: Self.powerOfTen(places - scale))
        return overflow ? nil : result
    }

    private static func powerOfTen(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
