import Foundation
import PasserelleCore
import PasserelleEngine

/// A booking read from a row, with the row it came from (for the alerts' locations).
struct RefugeBookingRow: Sendable {
    var booking: RefugeBooking
    var row: Row
}

/// Turns the rows of the bookings table into `RefugeBooking`s, rejecting (with their reasons) the rows that
/// cannot be read: a required value missing or unreadable, departure not after arrival, an unknown refuge, a
/// reference seen twice in the file.
struct RefugeBookingReader {
    /// The fields every row needs, with the header named when one is missing.
    static let requiredFields = ["reference", "booked_at", "arrival", "departure", "tariff", "quantity", "source"]
    static let sourceSpellings: [String: RefugeBookingSource] = [
        "online": .online, "en ligne": .online, "internet": .online, "web": .online, "phone": .phone,
        "telephone": .phone, "tel": .phone, "tel.": .phone,
    ]
    static let statusSpellings: [String: RefugeBookingStatus] = [
        "reservation": .reservation, "confirmee": .reservation, "pre_reservation": .preReservation,
        "pre-reservation": .preReservation, "pre-resa": .preReservation, "prereservation": .preReservation,
        "cancelled": .cancelled, "annulee": .cancelled, "annule": .cancelled, "annulation": .cancelled,
    ]

    let table: Table
    let refuges: [RefugeDefinition]
    let context: StageContext

    /// Checks that the table has the fields the stage reads, and a `refuge` column when there are several refuges.
    init(table: Table, refuges: [RefugeDefinition], context: StageContext) throws {
        let missing = Self.requiredFields.filter { table.column($0) == nil }
        if !missing.isEmpty {
            throw StageError(
                stage: context.stageName, message: "the bookings table has no \(missing.joined(separator: ", ")) field",
                fix: "declare these columns in the ingest stage's 'columns' (see pipelines/channel-sync.yml)")
        }
        if refuges.count > 1 && table.column("refuge") == nil {
            throw StageError(
                stage: context.stageName,
                message: "\(refuges.count) refuges are defined but the bookings have no refuge",
                fix: "declare a 'refuge' column (the refuge's code) in the ingest stage, or give one definition")
        }
        self.table = table
        self.refuges = refuges
        self.context = context
    }

    /// The readable rows, in file order; the others are rejected through the context.
    func read() -> [RefugeBookingRow] {
        var read: [RefugeBookingRow] = []
        var seen: [String: Int?] = [:]
        for row in table.rows {
            switch booking(row) {
            case .failure(let problems):
                context.reject(problems.reasons)
            case .success(let booking):
                let key = "\(booking.refugeCode)\u{0}\(booking.reference)"
                if let first = seen[key] {
                    let location = table.location(of: "reference", in: row)
                    context.reject([
                        RefugeDiagnostics.duplicateReference(booking.reference, firstLine: first, at: location)
                    ])
                    continue
                }
                seen[key] = row.location.line
                read.append(RefugeBookingRow(booking: booking, row: row))
            }
        }
        return read
    }

    /// Every reason a row cannot be read.
    struct Problems: Error {
        var reasons: [Diagnostic] = []
    }

    private func booking(_ row: Row) -> Result<RefugeBooking, Problems> {
        var problems = Problems()
        let refuge = refugeCode(row, &problems)
        let reference = text("reference", row, &problems)
        let bookedAt = dateTime("booked_at", row, &problems)
        let arrival = date("arrival", row, &problems)
        let departure = date("departure", row, &problems)
        let tariff = text("tariff", row, &problems)
        let quantity = integer("quantity", row, &problems)
        let source = source(row, &problems)
        let status = status(row, &problems)
        let supplements = supplements(row, &problems)
        let amount = money("amount", row, &problems)
        if let arrival, let departure, departure <= arrival {
            problems.reasons.append(
                RefugeDiagnostics.badDates(
                    reference ?? "", arrival, departure, at: table.location(of: "departure", in: row)))
        }
        guard problems.reasons.isEmpty, let refuge, let reference, let bookedAt, let arrival, let departure, let tariff,
            let quantity, let source
        else { return .failure(problems) }
        return .success(
            RefugeBooking(
                refugeCode: refuge.code, reference: reference, bookedAt: bookedAt, arrival: arrival,
                departure: departure, tariffCode: tariff, quantity: quantity, supplements: supplements,
                guestName: optionalText("guest_name", row), email: optionalText("email", row),
                language: optionalText("language", row), source: source,
                status: status ?? (refuge.hasOnlinePayment && source == .online ? .reservation : .preReservation),
                amount: amount, location: row.location))
    }

    private func refugeCode(_ row: Row, _ problems: inout Problems) -> RefugeDefinition? {
        guard let code = optionalText("refuge", row) else {
            if refuges.count == 1 { return refuges[0] }
            problems.reasons.append(
                RefugeDiagnostics.missingValue(header("refuge"), at: table.location(of: "refuge", in: row)))
            return nil
        }
        if let refuge = refuges.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) { return refuge }
        problems.reasons.append(
            RefugeDiagnostics.unknownRefuge(code, known: refuges.map(\.code), at: table.location(of: "refuge", in: row))
        )
        return nil
    }
}
