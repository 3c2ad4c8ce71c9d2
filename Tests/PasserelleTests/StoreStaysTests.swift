import Foundation
import PasserelleCore
import PasserelleStore
import Testing

/// The stay upsert and the notification claims, which drive SQLite through its C interface: values read back
/// from a real store file exactly as written (empty text is not NULL, NULL is not empty), and each path of the
/// upsert (new, identical, changed, cancelled).
@Suite struct StoreStaysTests {
    private func store() throws -> Store {
        let folder = try TestSupport.temporaryDirectory()
        let store = try Store(path: folder.appendingPathComponent("s.sqlite").path)
        _ = try store.upsertProviders(
            [ProviderRecord(code: "H1", name: "Chalet")],
            accommodations: [
                AccommodationRecord(code: "H1-A", providerCode: "H1", name: "A"),
                AccommodationRecord(code: "H1-B", providerCode: "H1", name: "B"),
            ],
            scope: WriteScope(runID: 1, stage: "p", commit: true))
        return store
    }

    private func day(_ d: Int) throws -> CalendarDate { try #require(CalendarDate(year: 2027, month: 1, day: d)) }

    /// Marie Dupont's stay R1 in H1-A, 2 to 9 January 2027.
    private func marie() throws -> StayRecord {
        StayRecord(
            reference: "R1", accommodationCode: "H1-A", lastName: "Dupont", firstName: "Marie", email: "m@example.fr",
            arrival: try day(2), departure: try day(9))
    }

    /// A run of the store, for writes that record changes (which name their run).
    private func beginRun(_ store: Store) throws -> Int64 {
        try store.beginRun(
            pipeline: "test", definition: "", asOf: "2027-01-01", startedAt: "2027-01-01T06:00:00Z", jobs: 1, forced: false)
    }

    @Test func storesEveryFieldAsWrittenAndGivesPinnedCodes() throws {
        let store = try store()
        let full = StayRecord(
            reference: "CR-2026-000001", accommodationCode: "H1-A", lastName: "Hébert", firstName: "Zoë",
            email: "zoe@example.fr", language: "en", arrival: try day(2), departure: try day(9), partySize: 4,
            amount: Money(cents: 123_456), channel: "B2C", status: .preBooking, bookingDate: try day(1),
            depositBasisPoints: 3000, paymentMode: "CB")
        let sparse = StayRecord(
            reference: "CR-2026-000002", accommodationCode: "H1-B", lastName: "Martin", firstName: "",
            email: "m@example.fr", arrival: try day(3), departure: try day(4))
        let result = try store.upsertStays([sparse, full], scope: WriteScope(runID: 2, stage: "s", commit: true))
        #expect(result.created == [1, 0])  // reference order
        // The codes derive from the reference alone: these are the codes every store gives these references.
        #expect(result.stayCodes == ["QG4T9R88", "A2FDSPGN"])
        let stored = try store.stays(references: ["CR-2026-000001", "CR-2026-000002"])
        var expectedFull = full
        expectedFull.stayCode = "A2FDSPGN"
        var expectedSparse = sparse
        expectedSparse.stayCode = "QG4T9R88"
        #expect(stored == [expectedFull, expectedSparse])
        // In the file itself: the empty first name is '', the missing language and amount are NULL.
        let line = try #require(try store.dump().split(separator: "\n").first { $0.hasPrefix("\"CR-2026-000002\"") })
        #expect(line.contains("|\"Martin\"|\"\"|\"m@example.fr\"|NULL|"), "\(line)")
    }

    @Test func updatesChangedStaysKeepsTheirCodesAndLeavesIdenticalOnesAlone() throws {
        let store = try store()
        let first = try marie()
        var second = first
        second.reference = "R2"
        var third = first
        third.reference = "R3"
        let created = try store.upsertStays([first, second, third], scope: WriteScope(runID: 2, stage: "s", commit: true))
        let run = try beginRun(store)
        #expect(created.created == [0, 1, 2])

        var moved = first
        moved.departure = try day(10)
        var cancelled = second
        cancelled.status = .cancelled
        let again = try store.upsertStays([moved, cancelled, third], scope: WriteScope(runID: run, stage: "s", commit: true))
        #expect(again.created.isEmpty)
        #expect(again.updated == [0])
        #expect(again.cancelled == [1])
        #expect(again.unchanged == 1)
        #expect(again.stayCodes == created.stayCodes)
        #expect(again.changes.map(\.field).sorted() == ["departure", "status"])
        let stored = try store.stays(references: ["R1", "R2"])
        #expect(stored.map(\.departure) == [try day(10), try day(9)])
        #expect(stored.map(\.status) == [.confirmed, .cancelled])
    }

    @Test func aReferenceTwiceInOneFileIsStoredOnceThenUpdated() throws {
        let store = try store()
        let first = try marie()
        var again = first
        again.departure = try day(10)
        let run = try beginRun(store)
        let result = try store.upsertStays([first, again], scope: WriteScope(runID: run, stage: "s", commit: true))
        #expect(result.created.count == 1)
        #expect(result.updated.count == 1)
        #expect(result.stayCodes[0] == result.stayCodes[1])
        #expect(try store.stays(references: ["R1"]).count == 1)
    }

    /// A code already held by a stored stay is never given again, though no stored reference matches: the new stay
    /// gets its next candidate.
    @Test func aCodeAlreadyStoredMovesTheNewStayToItsNextCandidate() throws {
        let store = try store()
        let planted = StayCode.make(reference: "R-NEW", attempt: 0)
        // Planted by another program (Python's sqlite3): a stay holding R-NEW's first candidate code.
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("INSERT INTO stays (reference, stay_code, accommodation_code, last_name, first_name, email,"
                       " arrival, departure, status, created_run, updated_run) VALUES"
                       " ('PLANTED', ?, 'H1-A', 'X', 'Y', 'x@example.fr', '2027-01-02', '2027-01-03', 'confirmed', 1, 1)",
                       (sys.argv[2],))
            db.commit()
            """
        _ = try python(["-c", script, store.path, planted])
        let stay = StayRecord(
            reference: "R-NEW", accommodationCode: "H1-B", lastName: "Martin", firstName: "Paul", email: "p@example.fr",
            arrival: try day(2), departure: try day(9))
        let result = try store.upsertStays([stay], scope: WriteScope(runID: 2, stage: "s", commit: true))
        #expect(result.created == [0])
        #expect(result.stayCodes == [StayCode.make(reference: "R-NEW", attempt: 1)])
        #expect(result.stayCodes != [planted])
    }

    /// The shortcut for unchanged stays must see every stored field: one mutation per field of `fields`, each
    /// seen by `hasSameStoredFields` and by the change texts (a field added to one and not the other fails here).
    @Test func everyStoredFieldCountsForTheUnchangedShortcut() throws {
        let base = StayRecord(
            reference: "R1", stayCode: "A2FDSPGN", accommodationCode: "H1-A", lastName: "Dupont", firstName: "Marie",
            email: "m@example.fr", language: "fr", arrival: try day(2), departure: try day(9), partySize: 2,
            amount: Money(cents: 100), channel: "B2C", status: .confirmed, bookingDate: try day(1),
            depositBasisPoints: 3000, paymentMode: "CB")
        let mutations: [(String, (inout StayRecord) throws -> Void)] = [
            ("accommodation_code", { $0.accommodationCode = "H1-B" }), ("last_name", { $0.lastName = "Durand" }),
            ("first_name", { $0.firstName = "Marc" }), ("email", { $0.email = "x@example.fr" }),
            ("language", { $0.language = "en" }), ("arrival", { $0.arrival = try self.day(3) }),
            ("departure", { $0.departure = try self.day(10) }), ("party_size", { $0.partySize = 3 }),
            ("amount", { $0.amount = Money(cents: 101) }), ("channel", { $0.channel = "B2B" }),
            ("status", { $0.status = .cancelled }), ("booking_date", { $0.bookingDate = nil }),
            ("deposit_percent", { $0.depositBasisPoints = 2000 }), ("payment_mode", { $0.paymentMode = "Paypal" }),
        ]
        #expect(mutations.map(\.0) == base.fields.map(\.0))
        for (field, mutate) in mutations {
            var changed = base
            try mutate(&changed)
            #expect(!changed.hasSameStoredFields(as: base), "\(field)")
            #expect(zip(changed.fields, base.fields).filter { $0.1 != $1.1 }.map(\.0.0) == [field])
        }
        var elsewhere = base
        elsewhere.reference = "R2"
        elsewhere.stayCode = nil
        elsewhere.source = .xlsx(file: "sejours.xlsx", sheet: "Séjours", row: 4, column: nil, header: nil)
        #expect(elsewhere.hasSameStoredFields(as: base))
    }

    @Test func aDryRunStoresNothing() throws {
        let store = try store()
        let stay = try marie()
        let result = try store.upsertStays([stay], scope: WriteScope(runID: 2, stage: "s", commit: false))
        #expect(result.created == [0])
        #expect(try store.stays(references: ["R1"]).isEmpty)
    }

    @Test func claimsEachNotificationOnce() throws {
        let store = try store()
        let scope = WriteScope(runID: 2, stage: "mails", commit: true)
        let a = NotificationRecord(key: "stay_code:R1:v1", kind: "stay_code", recipient: "m@example.fr", subjectKey: "R1")
        let b = NotificationRecord(key: "stay_code:R2:v1", kind: "stay_code", recipient: "", subjectKey: "R2")
        func claim(_ records: [NotificationRecord]) throws -> Set<String> {
            try store.claimMessages(
                records.map { PreparedMessage(record: $0, template: "stay-code", data: Data("Subject: \($0.subjectKey)\r\n".utf8)) },
                firstPosition: 1, file: { "codes-sejour/\($0)-\($1.subjectKey).eml" }, scope: scope)
        }
        #expect(try claim([a]).isEmpty)
        #expect(try claim([a, b]) == [a.key])
        #expect(try claim([b, a]) == [a.key, b.key])
    }

    @Test func readsStoredPeriodsByAccommodationWithCancelledOnesMarked() throws {
        let store = try store()
        var stays: [StayRecord] = []
        for (i, (code, from, to)) in [("H1-A", 2, 9), ("H1-A", 5, 12), ("H1-B", 3, 4)].enumerated() {
            stays.append(
                StayRecord(
                    reference: "R\(i)", accommodationCode: code, lastName: "Dupont", firstName: "Marie",
                    email: "m@example.fr", arrival: try day(from), departure: try day(to),
                    status: i == 1 ? .cancelled : .confirmed))
        }
        _ = try store.upsertStays(stays, scope: WriteScope(runID: 2, stage: "s", commit: true))
        var seen: [String: [StayPeriod]] = [:]
        try store.forEachAccommodationPeriods(["H1-A", "H1-B", "H9-Z"]) { code, periods in seen[code] = periods }
        #expect(seen["H9-Z"] == [])
        #expect(seen["H1-B"] == [StayPeriod(reference: "R2", accommodationCode: "H1-B", arrival: try day(3), departure: try day(4), isCancelled: false)])
        #expect(seen["H1-A"]?.sorted { $0.reference < $1.reference }.map(\.isCancelled) == [false, true])
        #expect(seen["H1-A"]?.map(\.departure).sorted() == [try day(9), try day(12)])
    }

    @Test func readsISODatesByteByByteAsTheGeneralParser() {
        for text in ["2027-01-02", "1999-12-31", "2028-02-29", "2027-02-29", "2027-13-01", "2027-00-10", "2027-1-02",
            "02/01/2027", "2027-01-0x", "2027-01-02T10:00", "", "abcd-ef-gh"]
        {
            var copy = text
            let byBytes = copy.withUTF8 { CalendarDate.parseISO($0) }
            let general = text.utf8.count == 10 && text.utf8.filter({ $0 == 0x2D }).count == 2 ? CalendarDate.parse(text) : nil
            #expect(byBytes == general, "\(text)")
        }
    }
}
