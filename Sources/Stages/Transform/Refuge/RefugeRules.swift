import Foundation
import PasserelleCore
import PasserelleSpec

/// The refuge's rules checked on each booking read this run (domain.md "Mountain refuges"); a broken rule
/// is an alert, never a rejection: the booking exists at the refuge.
///
/// Per booking (cancelled ones aside): its tariff and supplements are known, its quantities within their
/// minimum and maximum per order, none of its nights is a closure day or outside the openings of its stock
/// type, and an online booking respects the minimum days before arrival and, on the day itself, the cut-off
/// hour (a booking taken by phone is the host's own decision). Overbooking is checked over the whole
/// planning (`overbooking(_:read:)`).
struct RefugeRules {
    let definition: RefugeDefinition
    let planning: RefugePlanning
    let table: Table

    /// Every alert of one booking.
    func alerts(_ read: RefugeBookingRow) -> [Diagnostic] {
        let booking = read.booking
        guard booking.isActive else { return [] }
        return items(read) + calendar(read) + timing(read)
    }

    /// Unknown tariff or supplement, quantity outside the item's limits.
    private func items(_ read: RefugeBookingRow) -> [Diagnostic] {
        let booking = read.booking
        var alerts: [Diagnostic] = []
        let lines =
            [(booking.tariffCode, booking.quantity, true, "tariff")]
            + booking.supplements.map { ($0.code, $0.quantity, false, "supplements") }
        for (code, quantity, isTariff, field) in lines {
            let location = table.location(of: field, in: read.row)
            guard let item = isTariff ? definition.tariff(code) : definition.supplement(code) else {
                let known = (isTariff ? definition.tariffs : definition.supplements).map(\.code)
                alerts.append(
                    RefugeDiagnostics.unknownItem(
                        booking.reference, code: code, isTariff: isTariff,
                        suggestion: Suggestion.nearest(to: code, in: known), at: location))
                continue
            }
            if !(item.minQuantity...item.maxQuantity).contains(quantity) {
                let at = isTariff ? table.location(of: "quantity", in: read.row) : location
                alerts.append(
                    RefugeDiagnostics.quantityOutOfRange(booking.reference, item: item, quantity: quantity, at: at))
            }
        }
        return alerts
    }

    /// Nights on closure days, nights outside the openings of the tariff's stock type.
    private func calendar(_ read: RefugeBookingRow) -> [Diagnostic] {
        let booking = read.booking
        guard let code = definition.tariff(booking.tariffCode)?.stockType, let type = definition.stockType(code)
        else { return [] }
        let nights = RefugePlanning.nights(of: booking)
        let location = table.location(of: "arrival", in: read.row)
        var alerts: [Diagnostic] = []
        let closed = nights.filter(definition.isClosed)
        if !closed.isEmpty { alerts.append(RefugeDiagnostics.closedDay(booking.reference, days: closed, at: location)) }
        let outside = nights.filter { !definition.isClosed($0) && definition.stock(of: code, on: $0) == nil }
        if !outside.isEmpty {
            alerts.append(
                RefugeDiagnostics.outsideOpenings(booking.reference, type: type.name, days: outside, at: location))
        }
        return alerts
    }

    /// Fewer days than the minimum between booking and arrival; a same-day booking after the cut-off hour.
    private func timing(_ read: RefugeBookingRow) -> [Diagnostic] {
        let booking = read.booking
        guard booking.source == .online else { return [] }
        let location = table.location(of: "booked_at", in: read.row)
        let days = booking.arrival.daysSinceEpoch - booking.bookedAt.date.daysSinceEpoch
        if days < definition.minDaysBeforeArrival || days < 0 {
            return [
                RefugeDiagnostics.tooLate(booking, days: days, minimum: definition.minDaysBeforeArrival, at: location)
            ]
        }
        if days == 0, let cutoff = definition.sameDayCutoff, booking.bookedAt.secondsOfDay >= cutoff {
            return [RefugeDiagnostics.afterCutoff(booking, cutoff: cutoff, at: location)]
        }
        return []
    }

    /// One alert per run of consecutive overbooked days of a stock type, at the row of the most recently taken
    /// booking of this run that holds places on those days (at the definition file when none was read this run).
    func overbooking(read: [RefugeBookingRow]) -> [Diagnostic] {
        let rows = Dictionary(read.map { ($0.booking.reference, $0) }, uniquingKeysWith: { first, _ in first })
        return planning.overbookedRuns().map { type, days in
            let cells = days.compactMap { planning.cell(type.code, $0) }
            var references: [String] = []
            for reference in cells.flatMap(\.references) where !references.contains(reference) {
                references.append(reference)
            }
            let latest = references.compactMap { rows[$0] }.max { $0.booking.bookedAt < $1.booking.bookedAt }
            let worst = cells.max { $0.booked - $0.total < $1.booked - $1.total }
            return RefugeDiagnostics.overbooked(
                type, days: days, booked: worst?.booked ?? 0, total: worst?.total ?? 0, references: references,
                at: latest?.row.location ?? .file(definition.path))
        }
    }
}
