import Foundation
import GRDB
import PasserelleCore

extension Store {
    /// Upserts stays by the central's reference (domain.md rule 5).
    ///
    /// A new stay gets a stay code that never changes; a changed stay is updated and each changed field
    /// recorded; an identical one is left alone; a cancelled one is marked cancelled. Stays are processed
    /// in reference order, so code assignment does not depend on the order of the file or of threads.
    package func upsertStays(
        count: Int, reference: (Int) -> String, stay: (Int) -> StayRecord, scope: WriteScope
    ) throws -> StayUpsertResult {
        try transaction(commit: scope.commit, operation: "store stays (stage '\(scope.stage)')") { db in
            // New stays go into the stay-code index at random places: with SQLite's default 2 MB page cache a
            // million of them re-read and re-write index pages all along (store_stays 33 s at a million stays).
            // A larger cache for this transaction only, given back after it.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = \(Store.upsertCacheSize)")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }  // only memory is at stake
            var result = StayUpsertResult()
            result.stayCodes = Array(repeating: nil, count: count)
            // In reference order, so codes and changes come out the same whatever the file's order; the
            // positions are sorted, not the records.
            let references = (0..<count).map(reference)
            for i in references.indices.sorted(by: { references[$0] < references[$1] }) {
                try upsert(stay(i), at: i, db, scope, &result)
            }
            try insertChanges(db, runID: scope.runID, stage: scope.stage, result.changes)
            return result
        }
    }

    /// SQLite's page cache while stays are upserted: 64 MiB (a negative `cache_size` is in KiB).
    static let upsertCacheSize = -65536

    static let staySelect = """
        SELECT reference, stay_code, accommodation_code, last_name, first_name, email, language, arrival, departure,
        party_size, amount_cents, channel, status, booking_date, deposit_basis_points, payment_mode FROM stays
        """

    static func stay(_ row: GRDB.Row) -> StayRecord {
        StayRecord(
            reference: row[0], stayCode: row[1], accommodationCode: row[2], lastName: row[3], firstName: row[4],
            email: row[5], language: row[6],
            arrival: CalendarDate.parse(row[7] as String) ?? CalendarDate(daysSinceEpoch: 0),
            departure: CalendarDate.parse(row[8] as String) ?? CalendarDate(daysSinceEpoch: 0),
            partySize: row[9], amount: (row[10] as Int64?).map(Money.init(cents:)), channel: row[11],
            status: StayStatus(rawValue: row[12]) ?? .confirmed,
            bookingDate: (row[13] as String?).flatMap { CalendarDate.parse($0) }, depositBasisPoints: row[14],
            paymentMode: row[15])
    }

    private func upsert(
        _ s: StayRecord, at position: Int, _ db: Database, _ scope: WriteScope, _ result: inout StayUpsertResult
    ) throws {
        // Cached statements: compiled once per upsert, not once per stay (a million stays a season).
        let lookup = try db.cachedStatement(sql: Store.staySelect + " WHERE reference = ?")
        let stored = try GRDB.Row.fetchOne(lookup, arguments: [s.reference]).map(Store.stay)
        let values: StatementArguments = [
            s.accommodationCode, s.lastName, s.firstName, s.email, s.language, s.arrival.description,
            s.departure.description, s.partySize, s.amount?.cents, s.channel, s.status.rawValue,
            s.bookingDate?.description, s.depositBasisPoints, s.paymentMode, scope.runID,
        ]
        guard let stored else {
            let code = try newStayCode(for: s.reference, db)
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO stays (accommodation_code, last_name, first_name, email, language, arrival, departure,
                    party_size, amount_cents, channel, status, booking_date, deposit_basis_points, payment_mode,
                    updated_run, reference, stay_code, created_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            try insert.execute(arguments: values + [s.reference, code, scope.runID])
            result.created.append(position)
            result.stayCodes[position] = code
            return
        }
        result.stayCodes[position] = stored.stayCode
        let changes = Store.diff(entity: "stay", key: s.reference, old: stored.fields, new: s.fields)
        guard !changes.isEmpty else {
            result.unchanged += 1
            return
        }
        let update = try db.cachedStatement(
            sql: """
                UPDATE stays SET accommodation_code = ?, last_name = ?, first_name = ?, email = ?, language = ?,
                arrival = ?, departure = ?, party_size = ?, amount_cents = ?, channel = ?, status = ?, booking_date = ?,
                deposit_basis_points = ?, payment_mode = ?, updated_run = ? WHERE reference = ?
                """)
        try update.execute(arguments: values + [s.reference])
        result.changes += changes
        if s.status == .cancelled && stored.status != .cancelled {
            result.cancelled.append(position)
        } else {
            result.updated.append(position)
        }
    }

    /// A new stay code: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), derived from
    /// the reference so that the same store content is produced whatever the run's timing.
    private func newStayCode(for reference: String, _ db: Database) throws -> String {
        let isTaken = try db.cachedStatement(sql: "SELECT 1 FROM stays WHERE stay_code = ?")
        for attempt in 0..<1000 {
            let code = StayCode.make(reference: reference, attempt: attempt)
            let taken = try Bool.fetchOne(isTaken, arguments: [code]) ?? false
            if !taken { return code }
        }
        throw StoreError(path: path, operation: "allocate a stay code for \(reference)", cause: nil)
    }

    /// Stored stays of these accommodations (all statuses).
    package func stays(ofAccommodations codes: Set<String>) throws -> [StayRecord] {
        try read(operation: "read stays") { db in
            var stays: [StayRecord] = []
            let statement = try db.cachedStatement(sql: Store.staySelect + " WHERE accommodation_code = ?")
            for code in codes.sorted() {
                stays += try GRDB.Row.fetchAll(statement, arguments: [code]).map(Store.stay)
            }
            return stays
        }
    }

    /// The stored periods of each of these accommodations, in code order.
    ///
    /// Read 512 accommodations at a time, each batch in a read of its own: the store serves one stage at a time,
    /// and a stage reading a whole season's periods at once kept the e-mail batch beside it waiting for seconds.
    package func forEachAccommodationPeriods(
        _ codes: Set<String>, _ body: (_ code: String, _ periods: [StayPeriod]) throws -> Void
    ) throws {
        let sorted = codes.sorted()
        for start in stride(from: 0, to: sorted.count, by: 512) {
            try forEachAccommodationPeriods(sorted[start..<min(start + 512, sorted.count)], body)
        }
    }

    private func forEachAccommodationPeriods(
        _ codes: ArraySlice<String>, _ body: (_ code: String, _ periods: [StayPeriod]) throws -> Void
    ) throws {
        try read(operation: "read stay periods") { db in
            let statement = try db.cachedStatement(
                sql: "SELECT reference, accommodation_code, arrival, departure, status FROM stays WHERE accommodation_code = ?")
            for code in codes {
                var periods: [StayPeriod] = []
                let rows = try GRDB.Row.fetchCursor(statement, arguments: [code])
                while let row = try rows.next() {
                    guard let arrival = CalendarDate.parse(row[2] as String), let departure = CalendarDate.parse(row[3] as String)
                    else { continue }  // written by upsertStays from CalendarDate: always ISO dates
                    periods.append(
                        StayPeriod(
                            reference: row[0], accommodationCode: row[1], arrival: arrival, departure: departure,
                            isCancelled: (row[4] as String) == StayStatus.cancelled.rawValue))
                }
                try body(code, periods)
            }
        }
    }

    package func stays(references: Set<String>) throws -> [StayRecord] {
        try read(operation: "read stays") { db in
            let statement = try db.cachedStatement(sql: Store.staySelect + " WHERE reference = ?")
            return try references.sorted().compactMap { try GRDB.Row.fetchOne(statement, arguments: [$0]).map(Store.stay) }
        }
    }

    /// Records notifications as sent; returns the keys that were already recorded before.
    package func claimNotifications(_ notifications: [NotificationRecord], scope: WriteScope) throws -> Set<String> {
        try transaction(commit: scope.commit, operation: "record notifications") { db in
            var already = Set<String>()
            // One statement a message: a key already recorded inserts nothing (the key is the primary key).
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO notifications (key, run_id, kind, recipient, subject_key) VALUES (?, ?, ?, ?, ?)")
            for n in notifications {
                try insert.execute(arguments: [n.key, scope.runID, n.kind, n.recipient, n.subjectKey])
                if db.changesCount == 0 { already.insert(n.key) }
            }
            return already
        }
    }
}

/// Stay codes (*codes séjour*): short, unambiguous, stable.
package enum StayCode {
    /// 30 characters: digits 2–9 and capitals without I, L, O, U.
    package static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The candidate code for a reference; `attempt` moves to the next candidate after a collision.
    package static func make(reference: String, attempt: Int) -> String {
        // Not a security hash: codes only need to be well spread and reproducible.
        var hash = FNV1a.hash64("\(reference)#\(attempt)")
        var code = ""
        for _ in 0..<8 {
            code.append(alphabet[Int(hash % UInt64(alphabet.count))])
            hash /= UInt64(alphabet.count)
        }
        return code
    }
}
