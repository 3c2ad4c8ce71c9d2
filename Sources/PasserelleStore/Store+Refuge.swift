import Foundation
import GRDB
import PasserelleCore

/// Refuge bookings (issue 6, items 6–7): upserted by reference, every change recorded.
extension Store {
    package func upsertRefugeBookings(
        _ bookings: [RefugeBooking], refuge: String, scope: WriteScope
    ) throws -> RefugeUpsertResult {
        try transaction(commit: scope.commit, operation: "store bookings of refuge '\(refuge)'") { db in
            var upsert = RefugeBookingUpsert(db: db, refuge: refuge, runID: scope.runID)
            try upsert.load()
            for booking in bookings { try upsert.apply(booking) }
            upsert.finish()
            return upsert.result
        }
    }

    package func refugeBookings(of refuge: String) throws -> [RefugeBooking] {
        try read(operation: "read bookings of refuge '\(refuge)'") { db in
            try GRDB.Row.fetchAll(
                db, sql: RefugeBookingUpsert.select + " WHERE refuge_code = ? ORDER BY reference", arguments: [refuge]
            ).map(RefugeBookingUpsert.decode)
        }
    }
}

/// The stored bookings of one refuge while an import is applied, and what the import did.
struct RefugeBookingUpsert {
    let db: Database
    let refuge: String
    let runID: Int64
    /// Every stored booking of the refuge, by reference.
    private var rows: [String: RefugeBooking] = [:]
    private(set) var result = RefugeUpsertResult()

    static let select = """
        SELECT refuge_code, reference, booked_at, arrival, departure, tariff_code, quantity, supplements, guest_name,
        email, language, source, status, amount_cents, source_location FROM refuge_bookings
        """

    init(db: Database, refuge: String, runID: Int64) {
        self.db = db
        self.refuge = refuge
        self.runID = runID
    }

    static func decode(_ row: GRDB.Row) -> RefugeBooking {
        let bookedAt = LocalDateTime.parse(row[2] as String)
        return RefugeBooking(
            refugeCode: row[0], reference: row[1],
            bookedAt: bookedAt ?? LocalDateTime(date: CalendarDate(daysSinceEpoch: 0), secondsOfDay: 0),
            arrival: CalendarDate.parse(row[3] as String) ?? CalendarDate(daysSinceEpoch: 0),
            departure: CalendarDate.parse(row[4] as String) ?? CalendarDate(daysSinceEpoch: 0),
            tariffCode: row[5], quantity: row[6], supplements: RefugeOrderItem.parseStored(row[7]),
            guestName: row[8], email: row[9], language: row[10],
            source: RefugeBookingSource(rawValue: row[11]) ?? .online,
            status: RefugeBookingStatus(rawValue: row[12]) ?? .preReservation,
            amount: (row[13] as Int64?).map(Money.init(cents:)),
            location: (row[14] as String?).map(SourceLocation.file))
    }

    mutating func load() throws {
        let fetched = try GRDB.Row.fetchAll(db, sql: Self.select + " WHERE refuge_code = ?", arguments: [refuge])
        for row in fetched {
            let booking = Self.decode(row)
            rows[booking.reference] = booking
        }
    }

    /// A new reference is inserted; a known one is left alone when its fields are the same, else updated.
    mutating func apply(_ booking: RefugeBooking) throws {
        guard let stored = rows[booking.reference] else {
            try insert(booking)
            return
        }
        if stored.fields.elementsEqual(booking.fields, by: ==) {
            try touch(booking.reference)
            result.unchanged += 1
            return
        }
        try update(booking, wasCancelled: !stored.isActive)
        recordFieldChanges(from: stored, to: booking)
        result.updated.append(booking)
        if stored.isActive && !booking.isActive { result.cancelled.append(booking) }
    }

    /// Fills `all` with every booking of the refuge, by reference.
    mutating func finish() {
        result.all = rows.keys.sorted().compactMap { rows[$0] }
    }

    private mutating func insert(_ b: RefugeBooking) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO refuge_bookings (refuge_code, reference, booked_at, arrival, departure, tariff_code,
                quantity, supplements, guest_name, email, language, source, status, amount_cents, source_location,
                first_run_id, last_run_id, cancelled_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                refuge, b.reference, b.bookedAt.description, b.arrival.description, b.departure.description,
                b.tariffCode, b.quantity, RefugeOrderItem.storageText(b.supplements), b.guestName, b.email,
                b.language, b.source.rawValue, b.status.rawValue, b.amount?.cents, b.location?.rendered, runID,
                runID, b.isActive ? nil : runID,
            ])
        rows[b.reference] = b
        result.created.append(b)
        if b.isActive && b.email != nil {  // the outbox: the client is owed the booking's e-mail from now on
            try Store.owe(
                db, kind: OutboxKind.booking,
                key: OutboxKind.bookingKey(source: RefugeBooking.notificationSource, reference: b.reference), runID: runID)
        }
        result.changes.append(change(b.reference, "status", "", b.status.rawValue))
    }

    private mutating func update(_ b: RefugeBooking, wasCancelled: Bool) throws {
        // cancelled_run_id: set when the booking becomes cancelled, kept while it stays so, cleared if revived.
        let cancelledRun: Int64? = b.isActive ? nil : (wasCancelled ? nil : runID)
        try db.cachedStatement(
            sql: """
                UPDATE refuge_bookings SET booked_at = ?, arrival = ?, departure = ?, tariff_code = ?, quantity = ?,
                supplements = ?, guest_name = ?, email = ?, language = ?, source = ?, status = ?, amount_cents = ?,
                source_location = ?, last_run_id = ?,
                cancelled_run_id = CASE WHEN ? THEN cancelled_run_id ELSE ? END
                WHERE refuge_code = ? AND reference = ?
                """
        ).execute(
            arguments: [
                b.bookedAt.description, b.arrival.description, b.departure.description, b.tariffCode, b.quantity,
                RefugeOrderItem.storageText(b.supplements), b.guestName, b.email, b.language, b.source.rawValue,
                b.status.rawValue, b.amount?.cents, b.location?.rendered, runID, !b.isActive && wasCancelled,
                cancelledRun, refuge, b.reference,
            ])
        rows[b.reference] = b
    }

    private func touch(_ reference: String) throws {
        try db.cachedStatement(
            sql: "UPDATE refuge_bookings SET last_run_id = ? WHERE refuge_code = ? AND reference = ?"
        ).execute(
            arguments: [runID, refuge, reference])
    }

    private mutating func recordFieldChanges(from old: RefugeBooking, to new: RefugeBooking) {
        for (before, after) in zip(old.fields, new.fields) where before.1 != after.1 {
            result.changes.append(change(new.reference, before.0, before.1, after.1))
        }
    }

    private func change(_ reference: String, _ field: String, _ old: String, _ new: String) -> ChangeRecord {
        ChangeRecord(
            entity: "refuge_booking", key: "\(refuge):\(reference)", field: field, oldValue: old, newValue: new)
    }
}
