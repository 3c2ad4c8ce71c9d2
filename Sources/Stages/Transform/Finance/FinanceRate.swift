import Foundation
import PasserelleCore
import PasserelleEngine

/// Rates written in a pipeline (`13 %`, `17,5 %`, `3`), read as exact basis points (13 % = 1 300).
///
/// A rate finer than a hundredth of a percent is refused rather than rounded: money code never guesses.
enum FinanceRate {
    /// The basis points of `text`, or nil when it is not a percentage between 0 and 100 with at most 2 decimals.
    static func basisPoints(_ text: String) -> Int64? {
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

    /// Parses a rate option, or throws naming the option and the expected form.
    static func option(_ text: String, key: String, stage: String) throws -> Int64 {
        guard let value = basisPoints(text) else {
            throw StageError(
                stage: stage, message: "'\(key)' is '\(text)', not a percentage between 0 and 100",
                fix: "write the rate as a percentage with at most two decimals, e.g. '13 %' or '17,5 %'")
        }
        return value
    }

    /// Whether two channel names are the same, ignoring case, accents and surrounding spaces.
    static func sameName(_ a: String, _ b: String) -> Bool { key(a) == key(b) }

    /// The comparison key of a channel name.
    static func key(_ name: String) -> String {
        name.trimmingWhitespace().folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
