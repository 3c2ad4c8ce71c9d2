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
            let statements = try StayUpsertStatements(db)
            // In reference order, so codes and changes come out the same whatever the file's order; the
            // positions are sorted, not the records.
            let references = (0..<count).map(reference)
            for i in references.indices.sorted(by: { references[$0] < references[$1] }) {
                try upsert(stay(i), at: i, statements, scope, &result)
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
        stay(
            text: { row[Int($0)] }, integer: { row[Int($0)] },
            date: { index in (row[Int(index)] as String?).flatMap { CalendarDate.parse($0) } })
    }

    /// A stay from the columns of `staySelect`, each read as text, as an integer or as a date (nil for NULL).
    static func stay(
        text: (Int32) -> String?, integer: (Int32) -> Int64?, date: (Int32) -> CalendarDate?
    ) -> StayRecord {
        StayRecord(
            reference: text(0) ?? "", stayCode: text(1), accommodationCode: text(2) ?? "", lastName: text(3) ?? "",
            firstName: text(4) ?? "", email: text(5) ?? "", language: text(6),
            arrival: date(7) ?? CalendarDate(daysSinceEpoch: 0), departure: date(8) ?? CalendarDate(daysSinceEpoch: 0),
            partySize: integer(9), amount: integer(10).map(Money.init(cents:)), channel: text(11),
            status: text(12).flatMap { StayStatus(rawValue: $0) } ?? .confirmed, bookingDate: date(13),
            depositBasisPoints: integer(14), paymentMode: text(15))
    }

    /// The statements of one stay upsert, prepared once for all its stays.
    private struct StayUpsertStatements {
        let lookup: RawStatement
        let isTaken: RawStatement
        /// The 15 stored fields (`bindFields`), then reference, stay code and run.
        let insert: RawStatement
        /// The 15 stored fields (`bindFields`), then reference.
        let update: RawStatement
        /// The outbox row of a new stay's stay code (kind, reference, run), in the stays' own transaction.
        let owe: RawStatement

        init(_ db: Database) throws {
            lookup = try RawStatement(db, sql: Store.staySelect + " WHERE reference = ?")
            isTaken = try RawStatement(db, sql: "SELECT 1 FROM stays WHERE stay_code = ?")
            insert = try RawStatement(
                db,
                sql: """
                    INSERT INTO stays (accommodation_code, last_name, first_name, email, language, arrival, departure,
                    party_size, amount_cents, channel, status, booking_date, deposit_basis_points, payment_mode,
                    updated_run, reference, stay_code, created_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            update = try RawStatement(
                db,
                sql: """
                    UPDATE stays SET accommodation_code = ?, last_name = ?, first_name = ?, email = ?, language = ?,
                    arrival = ?, departure = ?, party_size = ?, amount_cents = ?, channel = ?, status = ?, booking_date = ?,
                    deposit_basis_points = ?, payment_mode = ?, updated_run = ? WHERE reference = ?
                    """)
            owe = try RawStatement(db, sql: Store.oweSQL)
        }

        /// Binds the fields the insert and the update share, parameters 1 to 15.
        static func bindFields(_ s: StayRecord, runID: Int64, to statement: RawStatement) {
            statement.bind(1, s.accommodationCode)
            statement.bind(2, s.lastName)
            statement.bind(3, s.firstName)
            statement.bind(4, s.email)
            statement.bind(5, s.language)
            statement.bind(6, s.arrival.description)
            statement.bind(7, s.departure.description)
            statement.bind(8, s.partySize)
            statement.bind(9, s.amount?.cents)
            statement.bind(10, s.channel)
            statement.bind(11, s.status.rawValue)
            statement.bind(12, s.bookingDate?.description)
            statement.bind(13, s.depositBasisPoints)
            statement.bind(14, s.paymentMode)
            statement.bind(15, runID)
        }
    }

    private func upsert(
        _ s: StayRecord, at position: Int, _ statements: StayUpsertStatements, _ scope: WriteScope,
        _ result: inout StayUpsertResult
    ) throws {
        let lookup = statements.lookup
        lookup.bind(1, s.reference)
        guard try lookup.step() else {
            let code = try newStayCode(for: s.reference, statements.isTaken)
            let insert = statements.insert
            StayUpsertStatements.bindFields(s, runID: scope.runID, to: insert)
            insert.bind(16, s.reference)
            insert.bind(17, code)
            insert.bind(18, scope.runID)
            try insert.step()
            if s.status != .cancelled {  // the outbox: a new stay that is not cancelled is owed its stay code
                statements.owe.bind(1, OutboxKind.stayCode)
                statements.owe.bind(2, s.reference)
                statements.owe.bind(3, scope.runID)
                try statements.owe.step()
            }
            result.created.append(position)
            result.stayCodes[position] = code
            return
        }
        // Dates read byte by byte (`RawStatement.date`): a daily re-import reads a million stored stays back.
        let stored = Store.stay(text: lookup.text, integer: lookup.integer, date: lookup.date)
        lookup.reset()
        result.stayCodes[position] = stored.stayCode
        guard !s.hasSameStoredFields(as: stored) else {
            result.unchanged += 1
            return
        }
        let changes = Store.diff(entity: "stay", key: s.reference, old: stored.fields, new: s.fields)
        guard !changes.isEmpty else {
            result.unchanged += 1
            return
        }
        let update = statements.update
        StayUpsertStatements.bindFields(s, runID: scope.runID, to: update)
        update.bind(16, s.reference)
        try update.step()
        result.changes += changes
        if s.status == .cancelled && stored.status != .cancelled {
            result.cancelled.append(position)
        } else {
            result.updated.append(position)
            // The outbox: new dates of a stay that is not cancelled are owed their update e-mail.
            if s.status != .cancelled && (s.arrival != stored.arrival || s.departure != stored.departure) {
                statements.owe.bind(1, OutboxKind.stayUpdate)
                statements.owe.bind(2, OutboxKind.stayUpdateKey(s))
                statements.owe.bind(3, scope.runID)
                try statements.owe.step()
            }
        }
    }

    /// A new stay code: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), derived from
    /// the reference so that the same store content is produced whatever the run's timing.
    private func newStayCode(for reference: String, _ isTaken: RawStatement) throws -> String {
        for attempt in 0..<1000 {
            let code = StayCode.make(reference: reference, attempt: attempt)
            isTaken.bind(1, code)
            guard try isTaken.step() else { return code }
            isTaken.reset()
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
            // Read through SQLite's C interface, like the stay upsert: a million stays at a season's import.
            let statement = try RawStatement(
                db, sql: "SELECT reference, arrival, departure, status FROM stays WHERE accommodation_code = ?")
            for code in codes {
                var periods: [StayPeriod] = []
                statement.bind(1, code)
                while try statement.step() {
                    guard let arrival = statement.date(1), let departure = statement.date(2) else { continue }  // always ISO dates
                    periods.append(
                        StayPeriod(
                            reference: statement.text(0) ?? "", accommodationCode: code, arrival: arrival,
                            departure: departure, isCancelled: statement.textEquals(3, StayStatus.cancelled.rawValue)))
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
}

/// Stay codes (*codes séjour*): short, unambiguous, stable.
package enum StayCode {
    /// 30 characters: digits 2–9 and capitals without I, L, O, U.
    package static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The candidate code for a reference; `attempt` moves to the next candidate after a collision.
    package static func make(reference: String, attempt: Int) -> String {
        // Not a security hash: codes only need to be well spread and reproducible. The hash of
        // "<reference>#<attempt>", without building that text.
        var hash = FNV1a.hash64("#\(attempt)", continuing: FNV1a.hash64(reference))
        return String(unsafeUninitializedCapacity: 8) { code in
            for i in 0..<8 {
                code[i] = alphabet[Int(hash % UInt64(alphabet.count))]
                hash /= UInt64(alphabet.count)
            }
            return 8
        }
    }
}
