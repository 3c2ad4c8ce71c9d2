import Foundation
import PasserelleCore

/// The refuge's sales follow-up (domain.md rule 9): per month of booking, the pre-reservations, the
/// reservations and both, in number and amount; cancelled bookings are counted apart, outside the total.
///
/// Computed over every stored booking of the refuge. A booking's month is that of the day it was taken
/// (Paris time); its amount is the export's, else its basket's total (nothing when neither is known).
/// Amounts are sums of cents, nothing is rounded.
struct RefugeSales {
    struct Month: Sendable {
        var preReservations = 0
        var preReservationsAmount = Money.zero
        var reservations = 0
        var reservationsAmount = Money.zero
        var cancelled = 0
        var cancelledAmount = Money.zero
    }

    /// Per month, in month order.
    private(set) var months: [(month: FinanceMonth, figures: Month)] = []

    init(_ bookings: [RefugeBooking], definition: RefugeDefinition) {
        var byMonth: [FinanceMonth: Month] = [:]
        for booking in bookings {
            let month = FinanceMonth(of: booking.bookedAt.date)
            let amount = RefugeTables.amount(of: booking, definition) ?? .zero
            var figures = byMonth[month] ?? Month()
            switch booking.status {
            case .preReservation:
                figures.preReservations += 1
                figures.preReservationsAmount = figures.preReservationsAmount + amount
            case .reservation:
                figures.reservations += 1
                figures.reservationsAmount = figures.reservationsAmount + amount
            case .cancelled:
                figures.cancelled += 1
                figures.cancelledAmount = figures.cancelledAmount + amount
            }
            byMonth[month] = figures
        }
        months = byMonth.keys.sorted().compactMap { month in byMonth[month].map { (month, $0) } }
    }

    /// One row per month, as `RefugeTables.salesColumns`.
    func rows(_ d: RefugeDefinition) -> [Row] {
        months.map { month, f in
            Row(
                location: .file(d.path),
                values: [
                    .text(d.code), .text(d.name), .text(month.description), .integer(Int64(f.preReservations)),
                    .money(f.preReservationsAmount), .integer(Int64(f.reservations)), .money(f.reservationsAmount),
                    .integer(Int64(f.preReservations + f.reservations)),
                    .money(f.preReservationsAmount + f.reservationsAmount), .integer(Int64(f.cancelled)),
                    .money(f.cancelledAmount),
                ])
        }
    }
}
