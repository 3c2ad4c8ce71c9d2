import Foundation
import PasserelleCore

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
    }

    /// The record a row describes, or nil when a required field is absent (validations run before this).
    static func record(_ table: Table, _ row: Row) -> StayRecord? { record(row, Columns(table)) }

    /// `record(_:_:)` with the table's columns already found.
    static func record(_ row: Row, _ c: Columns) -> StayRecord? {
        func value(_ column: Int?) -> Value { column.map(row.value(at:)) ?? .null }
        guard let reference = value(c.reference).text, let accommodation = value(c.accommodation).text,
            let arrival = value(c.arrival).date, let departure = value(c.departure).date
        else { return nil }
        let statusText = value(c.status).text ?? StayStatus.confirmed.rawValue
        return StayRecord(
            reference: reference, stayCode: value(c.stayCode).text, accommodationCode: accommodation,
            lastName: value(c.lastName).text ?? "", firstName: value(c.firstName).text ?? "",
            email: value(c.email).text ?? "", language: value(c.language).text, arrival: arrival, departure: departure,
            partySize: value(c.partySize).integer, amount: value(c.amount).money, channel: value(c.channel).text,
            status: StayStatus(rawValue: statusText) ?? .confirmed, bookingDate: value(c.bookingDate).date,
            depositBasisPoints: value(c.deposit).percent, paymentMode: value(c.paymentMode).text, source: row.location)
    }

    /// The reference of a row with every field a record needs (`record(_:_:)` is not nil), else nil.
    static func reference(_ row: Row, _ c: Columns) -> String? {
        func value(_ column: Int?) -> Value { column.map(row.value(at:)) ?? .null }
        guard let reference = value(c.reference).text, value(c.accommodation).text != nil,
            value(c.arrival).date != nil, value(c.departure).date != nil
        else { return nil }
        return reference
    }

    /// The period and status a row describes (what finding overlaps needs), without the client's details.
    static func period(_ table: Table, _ row: Row) -> StayPeriod? { period(row, Columns(table)) }

    /// `period(_:_:)` with the table's columns already found.
    static func period(_ row: Row, _ c: Columns) -> StayPeriod? {
        func value(_ column: Int?) -> Value { column.map(row.value(at:)) ?? .null }
        guard let reference = value(c.reference).text, let accommodation = value(c.accommodation).text,
            let arrival = value(c.arrival).date, let departure = value(c.departure).date
        else { return nil }
        return StayPeriod(
            reference: reference, accommodationCode: accommodation, arrival: arrival, departure: departure,
            isCancelled: value(c.status).text == StayStatus.cancelled.rawValue)
    }

    /// "Marie DUPONT".
    static func client(_ s: StayRecord) -> String {
        [s.firstName, s.lastName.uppercased()].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// The table of recorded changes.
enum ChangeTable {
    static func table(_ changes: [ChangeRecord]) -> Table {
        var table = Table(columns: ["entity", "key", "field", "old_value", "new_value"])
        for c in changes {
            table.rows.append(
                Row(
                    location: .file(""),
                    values: [.text(c.entity), .text(c.key), .text(c.field), .text(c.oldValue), .text(c.newValue)]))
        }
        return table
    }
}
