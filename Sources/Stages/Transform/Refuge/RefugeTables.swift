import Foundation
import PasserelleCore
import PasserelleEngine

/// The tables `transform.refuge_stock` writes, one refuge at a time.
struct RefugeTables {
    static let bookingColumns = [
        "accommodation_code", "reference", "booked_at", "arrival", "departure", "tariff", "stock_type", "quantity",
        "source", "status", "guest_name", "amount",
    ]
    static let availabilityColumns = [
        "accommodation_code", "accommodation_name", "date", "stock_type", "stock_type_name", "places", "total",
        "booked", "available", "state",
    ]
    /// The contract of `new_bookings`, read by the notification stage: keep these names.
    static let newBookingColumns = [
        "reference", "source", "accommodation_code", "accommodation_name", "status", "arrival", "departure",
        "guest_name", "email", "language", "guests", "amount", "deposit", "basket",
    ]
    static let alertColumns = ["accommodation_code", "reference", "file", "line", "rule", "message", "fix"]
    static let salesColumns = [
        "accommodation_code", "accommodation_name", "month", "pre_reservations", "pre_reservations_amount",
        "reservations", "reservations_amount", "total", "total_amount", "cancelled", "cancelled_amount",
    ]

    var bookings = Table(columns: bookingColumns)
    var availability = Table(columns: availabilityColumns)
    var newBookings = Table(columns: newBookingColumns)
    var alerts = Table(columns: alertColumns)
    var sales = Table(columns: salesColumns)
    var changes = Table(columns: ChangeTable.columns)

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "amount": .money, "arrival": .date, "available": .integer, "booked": .integer, "booked_at": .datetime,
        "cancelled": .integer, "cancelled_amount": .money, "date": .date, "departure": .date, "deposit": .money,
        "guests": .integer, "line": .integer, "places": .integer, "pre_reservations": .integer,
        "pre_reservations_amount": .money, "quantity": .integer, "reservations": .integer,
        "reservations_amount": .money, "total": .integer, "total_amount": .money,
    ]

    /// The tables by name, `rows` being the bookings read.
    /// The tables, as declared: the bookings are also `rows`.
    static let shapes = [
        TableShape.rows(bookingColumns, types: Self.fieldTypes),
        TableShape("bookings", fields: bookingColumns, types: Self.fieldTypes),
        TableShape("availability", fields: availabilityColumns, types: Self.fieldTypes),
        TableShape("new_bookings", fields: newBookingColumns, types: Self.fieldTypes),
        TableShape("alerts", fields: alertColumns, types: Self.fieldTypes),
        TableShape("sales", fields: salesColumns, types: Self.fieldTypes), ChangeTable.shape,
    ]

    var all: [String: Table] {
        [
            "rows": bookings, "bookings": bookings, "availability": availability, "new_bookings": newBookings,
            "alerts": alerts, "sales": sales, "changes": changes,
        ]
    }

    mutating func addBookings(_ read: [RefugeBookingRow], _ d: RefugeDefinition) {
        for b in read.map(\.booking) {
            bookings.rows.append(
                Row(
                    location: b.location ?? .file(""),
                    values: [
                        .text(d.code), .text(b.reference), .dateTime(b.bookedAt), .date(b.arrival), .date(b.departure),
                        .text(b.tariffCode), Self.text(d.tariff(b.tariffCode)?.stockType), .integer(b.quantity),
                        .text(b.source.rawValue), .text(b.status.rawValue), Self.text(b.guestName),
                        Self.money(RefugeTables.amount(of: b, d)),
                    ]))
        }
    }

    /// One row per day and stock type, in date then stock-type order.
    mutating func addAvailability(_ planning: RefugePlanning) {
        let d = planning.definition
        for day in planning.days {
            for type in d.stockTypes {
                guard let cell = planning.cell(type.code, day) else { continue }
                availability.rows.append(
                    Row(
                        location: .file(d.path),
                        values: [
                            .text(d.code), .text(d.name), .date(day), .text(type.code), .text(type.name),
                            .integer(Int64(type.places)), .integer(Int64(cell.total)), .integer(Int64(cell.booked)),
                            .integer(Int64(cell.available)), .text(cell.state.rawValue),
                        ]))
            }
        }
    }

    /// The bookings new to the store this run, cancelled ones aside, with their basket, amount and deposit.
    mutating func addNewBookings(_ created: [RefugeBooking], _ d: RefugeDefinition) {
        for b in created where b.isActive {
            let basket = RefugeBasket(b, definition: d)
            let amount = RefugeTables.amount(of: b, d)
            newBookings.rows.append(
                Row(
                    location: b.location ?? .file(""),
                    values: [
                        .text(b.reference), .text(RefugeBooking.notificationSource), .text(d.code), .text(d.name),
                        .text(b.status.rawValue),
                        .date(b.arrival), .date(b.departure), Self.text(b.guestName), Self.text(b.email),
                        Self.text(RefugeLanguage.isoCode(b.language)), .integer(b.quantity), Self.money(amount),
                        Self.money(amount.map(d.deposit(on:))), .text(basket.text),
                    ]))
        }
    }

    mutating func addAlerts(_ diagnostics: [Diagnostic], references: [String?], _ d: RefugeDefinition) {
        for (alert, reference) in zip(diagnostics, references) {
            alerts.rows.append(
                Row(
                    location: alert.location,
                    values: [
                        .text(d.code), Self.text(reference), .text(alert.location.file),
                        alert.location.line.map { .integer(Int64($0)) } ?? .null, .text(alert.rule),
                        .text(alert.message), Self.text(alert.fix),
                    ]))
        }
    }

    mutating func addChanges(_ records: [ChangeRecord]) {
        for c in records {
            changes.rows.append(
                Row(
                    location: .file(""),
                    values: [.text(c.entity), .text(c.key), .text(c.field), .text(c.oldValue), .text(c.newValue)]))
        }
    }

    /// The amount of the export, else the basket's total.
    static func amount(of booking: RefugeBooking, _ d: RefugeDefinition) -> Money? {
        booking.amount ?? RefugeBasket(booking, definition: d).total
    }

    static func text(_ text: String?) -> Value { text.map(Value.text) ?? .null }
    static func money(_ money: Money?) -> Value { money.map(Value.money) ?? .null }
}
