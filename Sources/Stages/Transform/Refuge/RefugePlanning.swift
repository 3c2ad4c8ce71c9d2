import Foundation
import PasserelleCore

/// A refuge's planning: per day and stock type, the places for sale, the places booked and what is left.
///
/// Computed from the definition and every active booking of the refuge (domain.md "Mountain refuges"). A
/// booking holds its quantity of places each night from arrival up to, not including, departure; on a
/// whole-room type it holds all the places of that night (the type's places when none is for sale). A closed
/// day or a day outside the type's openings has no place for sale, so what a booking holds there shows as a
/// negative number of free places. The days are those of the opening periods (first to last, all types)
/// plus any other night a booking holds.
struct RefugePlanning: Sendable {
    /// Whether a day is for sale.
    enum State: String, Sendable {
        case open
        /// A closure day of the refuge.
        case closed
        /// No opening period of the stock type covers the day.
        case notOpen = "not_open"
    }

    struct Cell: Sendable {
        var state: State
        /// Places for sale that day (0 when closed or not open).
        var total: Int
        var booked = 0
        /// The references of the bookings holding places, in booking order.
        var references: [String] = []
        var available: Int { total - booked }
        var isOverbooked: Bool { state == .open && booked > total }
    }

    struct Key: Hashable, Sendable {
        var date: CalendarDate
        var stockType: String
    }

    let definition: RefugeDefinition
    private(set) var cells: [Key: Cell] = [:]
    /// Every day of the planning, in order.
    private(set) var days: [CalendarDate] = []

    init(definition: RefugeDefinition, bookings: [RefugeBooking]) {
        self.definition = definition
        var days = Set<CalendarDate>()
        if let first = definition.openings.map(\.first).min(), let last = definition.openings.map(\.last).max() {
            days.formUnion((first.daysSinceEpoch...last.daysSinceEpoch).map(CalendarDate.init(daysSinceEpoch:)))
        }
        let active = bookings.filter(\.isActive).sorted { ($0.bookedAt, $0.reference) < ($1.bookedAt, $1.reference) }
        for booking in active where definition.tariff(booking.tariffCode)?.stockType != nil {
            days.formUnion(Self.nights(of: booking))
        }
        self.days = days.sorted()
        for day in self.days {
            for type in definition.stockTypes { cells[Key(date: day, stockType: type.code)] = emptyCell(type, day) }
        }
        for booking in active { hold(booking) }
    }

    /// The nights of a booking: arrival up to, not including, departure.
    static func nights(of booking: RefugeBooking) -> [CalendarDate] {
        guard booking.departure > booking.arrival else { return [] }
        return (booking.arrival.daysSinceEpoch..<booking.departure.daysSinceEpoch).map(
            CalendarDate.init(daysSinceEpoch:))
    }

    func cell(_ type: String, _ date: CalendarDate) -> Cell? { cells[Key(date: date, stockType: type)] }

    /// The places a booking holds on one night of its stock type (0 for an unknown tariff).
    func places(held booking: RefugeBooking, on date: CalendarDate) -> Int {
        guard let code = definition.tariff(booking.tariffCode)?.stockType, let type = definition.stockType(code)
        else { return 0 }
        guard type.blocksWholeRoom else { return max(0, Int(clamping: booking.quantity)) }
        let total = cell(code, date)?.total ?? 0
        return total > 0 ? total : type.places
    }

    /// Runs of consecutive overbooked days per stock type, in type then date order.
    func overbookedRuns() -> [(type: RefugeDefinition.StockType, days: [CalendarDate])] {
        var runs: [(RefugeDefinition.StockType, [CalendarDate])] = []
        for type in definition.stockTypes {
            var run: [CalendarDate] = []
            for day in days {
                if cell(type.code, day)?.isOverbooked == true, run.last.map({ $0.adding(days: 1) == day }) ?? true {
                    run.append(day)
                    continue
                }
                if !run.isEmpty { runs.append((type, run)) }
                run = cell(type.code, day)?.isOverbooked == true ? [day] : []
            }
            if !run.isEmpty { runs.append((type, run)) }
        }
        return runs
    }

    private func emptyCell(_ type: RefugeDefinition.StockType, _ day: CalendarDate) -> Cell {
        if definition.isClosed(day) { return Cell(state: .closed, total: 0) }
        guard let stock = definition.stock(of: type.code, on: day) else { return Cell(state: .notOpen, total: 0) }
        return Cell(state: .open, total: stock)
    }

    private mutating func hold(_ booking: RefugeBooking) {
        guard let type = definition.tariff(booking.tariffCode)?.stockType else { return }
        for night in Self.nights(of: booking) {
            let key = Key(date: night, stockType: type)
            let places = places(held: booking, on: night)
            cells[key]?.booked += places
            cells[key]?.references.append(booking.reference)
        }
    }
}
