import Foundation
import PasserelleCore
import PasserelleEngine

/// Rates written in a pipeline (`13 %`, `17,5 %`, `3`), read as exact basis points (13 % = 1 300).
///
/// A rate finer than a hundredth of a percent is refused rather than rounded: money code never guesses.
enum FinanceRate {
    /// Parses a rate option, or throws naming the option and the expected form.
    /// `option` is the option's path in the stage's options (`rates[2].rate`), for the error's line.
    static func option(_ text: String, key: String, stage: String, option: String? = nil) throws -> Int64 {
        guard let value = Percentage.basisPoints(text) else {  // the parser `check` uses for rate options
            throw StageError(
                stage: stage, message: "'\(key)' is '\(text)', not a percentage between 0 and 100",
                fix: "write the rate as a percentage with at most two decimals, e.g. '13 %' or '17,5 %'",
                option: option ?? key, found: text)
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
