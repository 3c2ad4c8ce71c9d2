/// An amount in euros, exact: a whole number of cents.
///
/// Rounding rule (the one used everywhere in Passerelle): when an amount is multiplied by a rate, the
/// exact result is rounded to the nearest cent, halves away from zero (`Money.rounded(_:)`),
/// as French invoices and commission statements do ("arrondi commercial").
package struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole cents (can be negative).
    package var cents: Int64

    package init(cents: Int64) { self.cents = cents }

    package static let zero = Money(cents: 0)

    package static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    package static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    package static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    /// Divides `numerator / denominator` rounding half away from zero (the documented rule).
    package static func rounded(_ numerator: Int64, over denominator: Int64) -> Int64 {
        precondition(denominator > 0, "denominator must be positive")
        let q = numerator / denominator
        let r = numerator % denominator
        if abs(r) * 2 >= denominator { return q + (numerator < 0 ? -1 : 1) }
        return q
    }

    /// This amount times a rate in basis points (1 % = 100 bp), rounded to the cent by the documented rule.
    package func applying(basisPoints: Int64) -> Money {
        Money(cents: Money.rounded(cents * basisPoints, over: 10_000))
    }

    /// Plain decimal text with a point, `1234.50`, as stored in the database and CSV manifests.
    package var description: String {
        let sign = cents < 0 ? "-" : ""
        let value = abs(cents)
        return "\(sign)\(value / 100).\(String(format2: Int(value % 100)))"
    }

    /// French display: `1 234,50 €` (narrow no-break space as thousands separator).
    package var frenchText: String {
        let sign = cents < 0 ? "-" : ""
        let value = abs(cents)
        return "\(sign)\(Self.frenchGrouped(value / 100)),\(String(format2: Int(value % 100)))\u{A0}€"
    }

    /// A whole number, not negative, the French way: `1 048 573`, a narrow no-break space between groups of three
    /// digits.
    package static func frenchGrouped(_ value: Int64) -> String {
        var whole = String(value)
        var groups: [String] = []
        while whole.count > 3 {
            groups.insert(String(whole.suffix(3)), at: 0)
            whole.removeLast(3)
        }
        groups.insert(whole, at: 0)
        return groups.joined(separator: "\u{202F}")
    }

    /// Parses euros as French and other software write them: `1 234,50`, `1234.5`, `1.234,50 €`, `-12`, `12,5 EUR`.
    ///
    /// More than two decimals is refused rather than rounded: money in a booking export is never finer than a cent.
    package static func parse(_ text: some StringProtocol) -> Money? {
        var s = text.trimmingWhitespace()
        for suffix in ["EUR", "€", "eur"] where s.hasSuffix(suffix) { s = String(s.dropLast(suffix.count)) }
        s = s.filter { !$0.isWhitespace && $0 != "'" }
        var negative = false
        if s.hasPrefix("-") {
            negative = true
            s.removeFirst()
        } else if s.hasPrefix("+") {
            s.removeFirst()
        }
        guard !s.isEmpty else { return nil }
        let commas = s.filter { $0 == "," }.count
        let points = s.filter { $0 == "." }.count
        var integerPart = s
        var fraction = ""
        if commas > 0 && points > 0 {
            let decimal: Character = s.lastIndex(of: ",")! > s.lastIndex(of: ".")! ? "," : "."  // both exist: checked
            let grouping: Character = decimal == "," ? "." : ","
            guard s.filter({ $0 == decimal }).count == 1 else { return nil }
            s = s.filter { $0 != grouping }
            (integerPart, fraction) = split(s, at: decimal)
        } else if commas == 1 {
            (integerPart, fraction) = split(s, at: ",")
        } else if points == 1 {
            (integerPart, fraction) = split(s, at: ".")
            if fraction.count == 3 && integerPart.count <= 3 && integerPart != "0" {
                // "1.234" is a thousands group in a French file, not 1.234 €.
                integerPart += fraction
                fraction = ""
            }
        } else if commas > 1 || points > 1 {
            return nil
        }
        guard !integerPart.isEmpty || !fraction.isEmpty, fraction.count <= 2,
            integerPart.allSatisfy(\.isASCIIDigitChar), fraction.allSatisfy(\.isASCIIDigitChar),
            integerPart.count <= 15
        else { return nil }
        let whole = Int64(integerPart.isEmpty ? "0" : integerPart) ?? 0
        let cents = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        let total = whole * 100 + cents
        return Money(cents: negative ? -total : total)
    }

    /// Converts a spreadsheet number to cents, refusing amounts finer than a cent beyond float noise.
    package static func fromNumber(_ number: Double) -> Money? {
        guard number.isFinite, abs(number) < 1e13 else { return nil }
        let scaled = number * 100
        let rounded = scaled.rounded()
        guard abs(scaled - rounded) < 1e-6 * max(1, abs(scaled)) else { return nil }
        return Money(cents: Int64(rounded))
    }

    private static func split(_ s: String, at separator: Character) -> (String, String) {
        let parts = s.split(separator: separator, maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
}

extension String {
    fileprivate func padding(toLength length: Int, withPad pad: String, startingAt _: Int) -> String {
        count >= length ? self : self + String(repeating: pad, count: length - count)
    }
}
