import Foundation
import PasserelleCore

/// The value types an option can declare beyond plain strings: each parses itself, with the same parser
/// `check` uses on the definition and the stage uses when it is built, so a value `check` accepts is a value
/// the stage can use, and a value it refuses is reported at its line and column with the form expected.
///
/// ```yaml
/// options: { rate: 3 %, month: 2027-02, fiscal_year_end: 2027-12-31, siren: "123 456 789" }
/// ```
package enum OptionValueType: Sendable, Hashable {
    /// A percentage from 0 to 100 with at most two decimals: `13 %`, `17,5 %` (`Percentage.basisPoints`).
    case percentage
    /// An amount in euros, not negative, at most to the cent: `30 €`, `12,50` (`Money.parse`).
    case money
    /// A calendar date: `2027-02-28` or `28/02/2027` (`CalendarDate.parse`).
    case date
    /// A calendar month, `YYYY-MM` (`FinanceMonth`).
    case month
    /// A French company number: 9 digits, spaces allowed.
    case siren

    /// How the type is named in messages and in `passerelle kinds`.
    package var displayName: String {
        switch self {
        case .percentage: "a percentage"
        case .money: "an amount in euros"
        case .date: "a date"
        case .month: "a month"
        case .siren: "a SIREN"
        }
    }

    /// How to write a value of the type, for the fix of a refused one.
    package var example: String {
        switch self {
        case .percentage: "a percentage from 0 to 100 with at most two decimals, e.g. '13 %' or '17,5 %'"
        case .money: "an amount in euros, not negative and at most to the cent, e.g. '30 €' or '12,50 €'"
        case .date: "a date as yyyy-mm-dd or dd/mm/yyyy, e.g. 2027-02-28"
        case .month: "a month as YYYY-MM, e.g. 2027-04"
        case .siren: "the company's SIREN, 9 digits, e.g. 123 456 789"
        }
    }

    /// Whether `text` is a value of this type.
    package func accepts(_ text: String) -> Bool {
        switch self {
        case .percentage: Percentage.basisPoints(text) != nil
        case .money: Money.parse(text).map { $0.cents >= 0 } ?? false
        case .date: CalendarDate.parse(text) != nil
        case .month: FinanceMonth(text) != nil
        case .siren: Self.siren(text) != nil
        }
    }

    /// The 9 digits of a SIREN written with or without spaces, or nil.
    package static func siren(_ text: String) -> String? {
        let digits = text.filter { !$0.isWhitespace }
        return digits.count == 9 && digits.allSatisfy(\.isASCIIDigitChar) ? digits : nil
    }
}
