import Foundation

/// Rates written by people (`13 %`, `17,5 %`, `3`), read as exact basis points (13 % = 1 300).
///
/// A rate finer than a hundredth of a percent is refused rather than rounded: money code never guesses.
///
/// ```swift
/// Percentage.basisPoints("17,5 %")   // 1_750
/// Percentage.basisPoints("banana")   // nil
/// ```
package enum Percentage {
    /// The basis points of `text`, or nil when it is not a percentage between 0 and 100 with at most 2 decimals.
    package static func basisPoints(_ text: String) -> Int64? {
        var s = text.trimmingWhitespace()
        if s.hasSuffix("%") { s = String(s.dropLast()).trimmingWhitespace() }
        s = s.replacingOccurrences(of: ",", with: ".")
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigitChar),
            parts[0].count <= 3
        else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigitChar), let whole = Int64(parts[0]) else {
            return nil
        }
        let hundredths = Int64(fraction + String(repeating: "0", count: 2 - fraction.count)) ?? 0
        let value = whole * 100 + hundredths
        return value <= 10_000 ? value : nil
    }
}
