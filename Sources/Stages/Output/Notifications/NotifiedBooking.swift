import Foundation
import PasserelleCore

/// A booking to notify, read from a row of a `new_bookings` table (the input contract of
/// `output.booking_notifications`).
///
/// Columns: `reference`, `source`, `accommodation_code`, `accommodation_name`, `status` (`pre_reservation` |
/// `reservation`; missing = reservation), `arrival`, `departure`, `guest_name`, `email`, `language`, `guests`,
/// `amount`, `deposit`, `basket` (lines separated by line breaks), and optionally `currency`. A missing column
/// is null. Dates may be dates or `yyyy-mm-dd` / `dd/mm/yyyy` text, amounts money or text, guests an integer
/// or text, so a source need not share our types.
struct NotifiedBooking: Sendable, Hashable {
    var reference: String
    var source: String
    var accommodationCode: String
    var accommodationName: String?
    /// Nil when the row's status is neither `pre_reservation` nor `reservation`.
    var status: BookingStatus?
    var statusText: String
    var arrival: CalendarDate?
    var departure: CalendarDate?
    var guestName: String?
    var email: String?
    var language: String?
    var guests: Int64?
    var amount: Money?
    var deposit: Money?
    var basket: [String]
    var currency: String?
    var location: SourceLocation

    init(_ table: Table, _ row: Row) {
        func text(_ name: String) -> String? {
            let value = table.value(name, in: row)
            let text = value.text ?? (value.isNull ? nil : value.storageText)
            return text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        func date(_ name: String) -> CalendarDate? {
            table.value(name, in: row).date ?? text(name).flatMap(CalendarDate.parse)
        }
        func money(_ name: String) -> Money? { table.value(name, in: row).money ?? text(name).flatMap(Money.parse) }
        reference = text("reference") ?? ""
        source = text("source") ?? ""
        accommodationCode = text("accommodation_code") ?? ""
        accommodationName = text("accommodation_name")
        statusText = text("status") ?? BookingStatus.reservation.rawValue
        status = BookingStatus(rawValue: statusText.lowercased())
        arrival = date("arrival")
        departure = date("departure")
        guestName = text("guest_name")
        email = text("email")
        language = text("language")
        guests = table.value("guests", in: row).integer ?? text("guests").flatMap { Int64($0) }
        amount = money("amount")
        deposit = money("deposit")
        basket = (text("basket") ?? "").split(whereSeparator: \.isNewline).map(String.init)
        currency = text("currency")
        location = row.location
    }

    /// The part of the notification keys that names the booking: `<source>/<reference>`.
    var subjectKey: String { "\(source)/\(reference)" }

    /// Nights from arrival to departure (the check-out day), when both are known.
    var nights: Int? {
        guard let arrival, let departure, departure > arrival else { return nil }
        return departure.daysSinceEpoch - arrival.daysSinceEpoch
    }
}
