import Foundation
import PasserelleCore

/// The Pass Saison's settings and arithmetic (domain.md rule 7): covered beds, weekly occupancy, extra beds
/// priced from a dated table, and the break-even in weeks of rental.
///
/// Weeks run Saturday to Saturday, the valleys' rental week. A week's occupancy is its busiest night: the
/// beds (party sizes) of the confirmed stays present that night; cancelled stays and pre-reservations take
/// no bed. Extra beds are bought for the week, at the price in force on the week's first day.
struct PassSaisonRules: Sendable {
    /// A price in force from `from` (or always before `until`) up to `until` (or for ever), both inclusive.
    struct PriceBand: Sendable, Hashable {
        var from: CalendarDate?
        var until: CalendarDate?
        var price: Money

        func contains(_ date: CalendarDate) -> Bool {
            (from.map { $0 <= date } ?? true) && (until.map { date <= $0 } ?? true)
        }
    }

    /// One week of one accommodation.
    struct Week: Sendable, Hashable {
        /// The Saturday the week starts on.
        var start: CalendarDate
        var occupancy: Int
        var extraBeds: Int
        /// Nil when no band of the price table covers the week.
        var price: Money?
        var cost: Money { price.map { Money(cents: $0.cents * Int64(extraBeds)) } ?? .zero }
    }

    var coveredPercent = 60
    var coveredBeds: [String: Int] = [:]
    var breakEvenWeeks = 5
    var prices: [PriceBand] = []

    /// The beds the season formula covers: the configured number, else the share of the capacity (rounded down).
    func covered(_ accommodation: AccommodationRecord) -> Int {
        coveredBeds[accommodation.code] ?? Int(accommodation.capacity ?? 0) * coveredPercent / 100
    }

    /// The price of an extra bed bought on `date`: the first band of the table that contains it.
    func price(on date: CalendarDate) -> Money? { prices.first { $0.contains(date) }?.price }

    /// Whether the formula pays off: at least `breakEvenWeeks` weeks rented.
    func paysOff(weeksRented: Int) -> Bool { weeksRented >= breakEvenWeeks }

    /// The Saturday on or before a date (ISO weekday: Saturday is 6).
    static func weekStart(_ date: CalendarDate) -> CalendarDate { date.adding(days: -((date.weekday + 1) % 7)) }

    /// The weeks with at least one bed taken, in date order, for the stays of one accommodation.
    func weeks(of stays: [StayRecord], covered: Int) -> [Week] {
        var beds: [Int: Int] = [:]  // night (days since 1970) → beds taken
        for stay in stays where stay.status == .confirmed {
            var night = stay.arrival
            while night < stay.departure {
                beds[night.daysSinceEpoch, default: 0] += Int(stay.partySize ?? 0)
                night = night.adding(days: 1)
            }
        }
        var peak: [CalendarDate: Int] = [:]
        for (night, taken) in beds where taken > 0 {
            let start = Self.weekStart(CalendarDate(daysSinceEpoch: night))
            peak[start] = max(peak[start] ?? 0, taken)
        }
        return peak.keys.sorted().map { start in
            let occupancy = peak[start] ?? 0
            return Week(
                start: start, occupancy: occupancy, extraBeds: max(0, occupancy - covered), price: price(on: start))
        }
    }
}
