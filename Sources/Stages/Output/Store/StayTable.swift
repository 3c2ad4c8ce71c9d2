import Foundation
import PasserelleCore
import PasserelleEngine

/// Reads `StayRecord`s from stay rows (the pipeline's field names).
///
/// Field names: reference, accommodation_code, last_name, first_name, email, language, arrival, departure,
/// party_size, amount, channel, status, booking_date, deposit, payment_mode; `stay_code` on stored stays.
enum StayTable {
    /// Where the stay fields are in one table: looked up by name once, not for each field of each row (a
    /// million stays made the name lookups, hashing included, a fifth of storing them).
    struct Columns {
        let reference, stayCode, accommodation, lastName, firstName, email, language: Int?
        let arrival, departure, partySize, amount, channel, status, bookingDate, deposit, paymentMode: Int?

        init(_ table: Table) {
            reference = table.column("reference")
            stayCode = table.column("stay_code")
            accommodation = table.column("accommodation_code")
            lastName = table.column("last_name")
            firstName = table.column("first_name")
            email = table.column("email")
            language = table.column("language")
            arrival = table.column("arrival")
            departure = table.column("departure")
            partySize = table.column("party_size")
            amount = table.column("amount")
            channel = table.column("channel")
            status = table.column("status")
            bookingDate = table.column("booking_date")
            deposit = table.column("deposit")
            paymentMode = table.column("payment_mode")
        }

        /// A field's value in a row, `.null` when the table has no such field.
        func value(_ column: Int?, in row: Row) -> Value { column.map(row.value(at:)) ?? .null }

        /// The fields every stay needs (reference, accommodation, arrival and departure), or nil when one is
        /// missing or unreadable.
        func key(_ row: Row) -> (
            reference: String, accommodation: String, arrival: CalendarDate, departure: CalendarDate
        )? {
            guard let reference = value(self.reference, in: row).text,
                let accommodation = value(self.accommodation, in: row).text,
                let arrival = value(self.arrival, in: row).date, let departure = value(self.departure, in: row).date
            else { return nil }
            return (reference, accommodation, arrival, departure)
        }
    }

    /// A row of `fields` for a stored stay (fields a stay has no value for are empty), located at its record's
    /// source when it has one.
    static func row(_ stay: StayRecord, fields: [Field]) -> Row {
        let values: [Value] = fields.map { field in
            switch field.name {
            case "reference": .text(stay.reference)
            case "stay_code": stay.stayCode.map(Value.text) ?? .null
            case "accommodation_code": .text(stay.accommodationCode)
            case "last_name": .text(stay.lastName)
            case "first_name": .text(stay.firstName)
            case "email": .text(stay.email)
            case "language": stay.language.map(Value.text) ?? .null
            case "arrival": .date(stay.arrival)
            case "departure": .date(stay.departure)
            case "party_size": stay.partySize.map(Value.integer) ?? .null
            case "amount": stay.amount.map(Value.money) ?? .null
            case "channel": stay.channel.map(Value.text) ?? .null
            case "status": .text(stay.status.rawValue)
            case "booking_date": stay.bookingDate.map(Value.date) ?? .null
            case "deposit": stay.depositBasisPoints.map(Value.percent) ?? .null
            case "payment_mode": stay.paymentMode.map(Value.text) ?? .null
            default: .null
            }
        }
        return Row(location: stay.source ?? .file("store"), values: values)
    }

    /// The record a row describes, or nil when a required field is absent (validations run before this).
    static func record(_ row: Row, _ c: Columns) -> StayRecord? {
        guard let key = c.key(row) else { return nil }
        func value(_ column: Int?) -> Value { c.value(column, in: row) }
        let statusText = value(c.status).text ?? StayStatus.confirmed.rawValue
        return StayRecord(
            reference: key.reference, stayCode: value(c.stayCode).text, accommodationCode: key.accommodation,
            lastName: value(c.lastName).text ?? "", firstName: value(c.firstName).text ?? "",
            email: value(c.email).text ?? "", language: value(c.language).text, arrival: key.arrival,
            departure: key.departure, partySize: value(c.partySize).integer, amount: value(c.amount).money,
            channel: value(c.channel).text, status: StayStatus(rawValue: statusText) ?? .confirmed,
            bookingDate: value(c.bookingDate).date, depositBasisPoints: value(c.deposit).percent,
            paymentMode: value(c.paymentMode).text, source: row.location)
    }

    /// The reference of a row with every field a record needs (`record(_:_:)` is not nil), else nil.
    static func reference(_ row: Row, _ c: Columns) -> String? { c.key(row)?.reference }

    /// The period and status a row describes (what finding overlaps needs), without the client's details.
    static func period(_ row: Row, _ c: Columns) -> StayPeriod? {
        guard let key = c.key(row) else { return nil }
        return StayPeriod(
            reference: key.reference, accommodationCode: key.accommodation, arrival: key.arrival,
            departure: key.departure, isCancelled: c.value(c.status, in: row).text == StayStatus.cancelled.rawValue)
    }

    /// "Marie DUPONT".
    static func client(_ s: StayRecord) -> String {
        [s.firstName, s.lastName.uppercased()].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// The table of recorded changes.
enum ChangeTable {
    static let columns = ["entity", "key", "field", "old_value", "new_value"]

    /// The `changes` table, as declared.
    static let shape = TableShape("changes", fields: columns, types: [:])

    static func table(_ changes: [ChangeRecord]) -> Table {
        var table = Table(columns: columns)
        for c in changes {
            table.rows.append(
                Row(
                    location: .file(""),
                    values: [.text(c.entity), .text(c.key), .text(c.field), .text(c.oldValue), .text(c.newValue)]))
        }
        return table
    }
}
