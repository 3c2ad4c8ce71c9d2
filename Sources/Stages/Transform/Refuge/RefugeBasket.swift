import Foundation
import PasserelleCore

/// What a booking ordered, priced from the refuge's tariffs: one line per item, the total, the deposit.
///
/// A tariff is priced per place and per night, so its line counts places × nights (`4 × Nuitée dortoir —
/// 128,00 €` for two people and two nights); a supplement is priced per item ordered. An item the definition
/// does not know is listed without a price, and the basket then has no total.
struct RefugeBasket: Sendable {
    struct Line: Sendable, Hashable {
        var count: Int64
        var name: String
        var amount: Money?

        /// `2 × Nuitée dortoir — 64,00 €` (without the price when unknown).
        var text: String {
            "\(count) × \(name)" + (amount.map { " — \($0.frenchText)" } ?? "")
        }
    }

    var lines: [Line]

    init(_ booking: RefugeBooking, definition: RefugeDefinition) {
        let nights = Int64(RefugePlanning.nights(of: booking).count)
        let count = booking.quantity * max(nights, 1)
        let tariff = definition.tariff(booking.tariffCode)
        lines = [
            Line(
                count: count, name: tariff?.name ?? booking.tariffCode,
                amount: tariff.map { Self.times($0.price, count) })
        ]
        for item in booking.supplements {
            let supplement = definition.supplement(item.code)
            lines.append(
                Line(
                    count: item.quantity, name: supplement?.name ?? item.code,
                    amount: supplement.map { Self.times($0.price, item.quantity) }))
        }
    }

    /// The sum of the lines, or nil when a line has no price.
    var total: Money? {
        lines.reduce(Money.zero as Money?) { sum, line in
            guard let sum, let amount = line.amount else { return nil }
            return sum + amount
        }
    }

    /// The lines, one per line of text.
    var text: String { lines.map(\.text).joined(separator: "\n") }

    private static func times(_ price: Money, _ count: Int64) -> Money { Money(cents: price.cents * count) }
}

/// Normalises the language written in a booking export to an ISO 639-1 code.
enum RefugeLanguage {
    /// The refuge's languages (domain.md: French, English, Italian, German, Spanish) by their usual names.
    static let names: [String: String] = [
        "francais": "fr", "french": "fr", "anglais": "en", "english": "en", "italien": "it", "italiano": "it",
        "italian": "it", "allemand": "de", "deutsch": "de", "german": "de", "espagnol": "es", "espanol": "es",
        "spanish": "es",
    ]

    /// `fr`, `FR`, `fr-FR`, `Français` → `fr`; nil when empty or not recognised.
    static func isoCode(_ text: String?) -> String? {
        guard let text else { return nil }
        let folded = HeaderMatcher.normalize(text)
        if let code = names[folded] { return code }
        let prefix = folded.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        guard prefix.count == 2, prefix.allSatisfy({ ("a"..."z").contains($0) }) else { return nil }
        return prefix
    }
}
