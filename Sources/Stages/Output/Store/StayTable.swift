import Foundation
import PasserelleCore

/// Reads `StayRecord`s from stay rows (the pipeline's field names).
///
/// Field names: reference, accommodation_code, last_name, first_name, email, language, arrival, departure,
/// party_size, amount, channel, status, booking_date, deposit, payment_mode; `stay_code` on stored stays.
enum StayTable {
    /// The record a row describes, or nil when a required field is absent (validations run before this).
    static func record(_ table: Table, _ row: Row) -> StayRecord? {
        guard let reference = table.value("reference", in: row).text,
            let accommodation = table.value("accommodation_code", in: row).text,
            let arrival = table.value("arrival", in: row).date, let departure = table.value("departure", in: row).date
        else { return nil }
        let statusText = table.value("status", in: row).text ?? StayStatus.confirmed.rawValue
        return StayRecord(
            reference: reference, stayCode: table.value("stay_code", in: row).text,
            accommodationCode: accommodation, lastName: table.value("last_name", in: row).text ?? "",
            firstName: table.value("first_name", in: row).text ?? "",
            email: table.value("email", in: row).text ?? "", language: table.value("language", in: row).text,
            arrival: arrival, departure: departure, partySize: table.value("party_size", in: row).integer,
            amount: table.value("amount", in: row).money, channel: table.value("channel", in: row).text,
            status: StayStatus(rawValue: statusText) ?? .confirmed,
            bookingDate: table.value("booking_date", in: row).date,
            depositBasisPoints: table.value("deposit", in: row).percent,
            paymentMode: table.value("payment_mode", in: row).text, source: row.location)
    }

    /// The period and status a row describes (what finding overlaps needs), without the client's details.
    static func period(_ table: Table, _ row: Row) -> StayPeriod? {
        guard let reference = table.value("reference", in: row).text,
            let accommodation = table.value("accommodation_code", in: row).text,
            let arrival = table.value("arrival", in: row).date, let departure = table.value("departure", in: row).date
        else { return nil }
        let isCancelled = table.value("status", in: row).text == StayStatus.cancelled.rawValue
        return StayPeriod(
            reference: reference, accommodationCode: accommodation, arrival: arrival, departure: departure, isCancelled: isCancelled)
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
