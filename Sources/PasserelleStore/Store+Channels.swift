import Foundation
import GRDB
import PasserelleCore

/// Channel bookings (issue 6): snapshot feeds diffed by UID, message feeds applied action by action.
extension Store {
    package func syncChannelFeed(
        _ feed: String, mode: ChannelFeedMode, bookings: [ChannelBooking], scope: WriteScope
    ) throws -> ChannelSyncResult {
        try transaction(commit: scope.commit, operation: "store channel bookings of feed '\(feed)'") { db in
            var sync = ChannelFeedSync(db: db, feed: feed, runID: scope.runID)
            try sync.load()
            switch mode {
            case .snapshot: try sync.applySnapshot(bookings)
            case .messages: for booking in bookings { try sync.applyMessage(booking) }
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO channel_feed_imports (feed, run_id, mode, bookings) VALUES (?, ?, ?, ?)
                    ON CONFLICT (feed, run_id) DO UPDATE SET bookings = bookings + excluded.bookings
                    """
            ).execute(
                arguments: [feed, scope.runID, mode.rawValue, bookings.count])
            return sync.result
        }
    }

    package func channelBookings(ofAccommodations codes: Set<String>) throws -> [StoredChannelBooking] {
        try read(operation: "read channel bookings") { db in
            let statement = try db.cachedStatement(
                sql: ChannelFeedSync.select + " WHERE accommodation_code = ? AND status = 'active' ORDER BY arrival, feed, booking_key")
            var bookings: [StoredChannelBooking] = []
            for code in codes.sorted() {
                bookings += try GRDB.Row.fetchAll(statement, arguments: [code]).map(ChannelFeedSync.decode)
            }
            return bookings
        }
    }

    package func channelBookings(bookingKeys keys: Set<String>) throws -> [StoredChannelBooking] {
        guard !keys.isEmpty else { return [] }
        // A channel's name may hold '/', a booking key too (`<id>/2`): every split of a key is a candidate booking
        // key, and the booking's own `<channel>/<key>` decides.
        var candidates = Set<String>()
        for key in keys {
            var rest = Substring(key)
            while let slash = rest.firstIndex(of: "/") {
                rest = rest[rest.index(after: slash)...]
                candidates.insert(String(rest))
            }
        }
        return try read(operation: "read owed channel bookings") { db in
            let statement = try db.cachedStatement(sql: ChannelFeedSync.select + " WHERE booking_key = ? ORDER BY feed")
            var found: [StoredChannelBooking] = []
            for candidate in candidates.sorted() {
                found += try GRDB.Row.fetchAll(statement, arguments: [candidate]).map(ChannelFeedSync.decode)
                    .filter { keys.contains(OutboxKind.bookingKey(source: $0.booking.channel, reference: $0.key)) }
            }
            return found.sorted { ($0.booking.feed, $0.key) < ($1.booking.feed, $1.key) }
        }
    }
}

/// The rows of one feed while its import is applied, and what the import did.
struct ChannelFeedSync {
    let db: Database
    let feed: String
    let runID: Int64
    /// Every stored row of the feed, by booking key.
    private var rows: [String: StoredChannelBooking] = [:]
    /// The highest revision per reservation id.
    private var revisions: [String: Int] = [:]
    private(set) var result = ChannelSyncResult()

    static let select = """
        SELECT feed, booking_key, reservation_id, accommodation_code, channel, kind, status, arrival, departure,
        summary, guest_name, email, guests, amount_cents, currency, source, revision, channel_manager_id, language,
        basket FROM channel_bookings
        """

    init(db: Database, feed: String, runID: Int64) {
        self.db = db
        self.feed = feed
        self.runID = runID
    }

    static func decode(_ row: GRDB.Row) -> StoredChannelBooking {
        let booking = ChannelBooking(
            feed: row[0], reservationID: row[2], accommodationCode: row[3], channel: row[4],
            kind: ChannelBookingKind(rawValue: row[5]) ?? .reserved,
            arrival: CalendarDate.parse(row[7] as String) ?? CalendarDate(daysSinceEpoch: 0),
            departure: CalendarDate.parse(row[8] as String) ?? CalendarDate(daysSinceEpoch: 0),
            summary: row[9], guestName: row[10], email: row[11], guests: row[12],
            amount: (row[13] as Int64?).map(Money.init(cents:)), currency: row[14],
            source: (row[15] as String?).map(SourceLocation.file), channelManagerID: row[17], language: row[18],
            basket: (row[19] as String?)?.split(separator: "\n").map(String.init) ?? [])
        return StoredChannelBooking(key: row[1], booking: booking, isCancelled: (row[6] as String) == "cancelled")
    }

    mutating func load() throws {
        let fetched = try GRDB.Row.fetchAll(db, sql: Self.select + " WHERE feed = ?", arguments: [feed])
        for row in fetched {
            let stored = Self.decode(row)
            rows[stored.key] = stored
            revisions[stored.booking.reservationID] = max(revisions[stored.booking.reservationID] ?? 0, row[16])
        }
    }

    /// A whole calendar: new and changed UIDs are stored, active UIDs absent from it are cancelled.
    mutating func applySnapshot(_ bookings: [ChannelBooking]) throws {
        var present = Set<String>()
        for booking in bookings where present.insert(booking.reservationID).inserted {
            guard let stored = rows[booking.reservationID] else {
                try insert(booking, key: booking.reservationID, revision: 1)
                continue
            }
            if stored.isCancelled {
                try update(stored, with: booking)
                try created(StoredChannelBooking(key: stored.key, booking: booking, isCancelled: false))
            } else if stored.booking.fields.elementsEqual(booking.fields, by: ==) {
                try touch(stored.key)
                result.unchanged += 1
            } else {
                try update(stored, with: booking)
                recordFieldChanges(from: stored.booking, to: booking, key: stored.key)
                result.changed.append(StoredChannelBooking(key: stored.key, booking: booking, isCancelled: false))
            }
        }
        for stored in rows.values.sorted(by: { $0.key < $1.key }) where !stored.isCancelled {
            if !present.contains(stored.key) { try cancel(stored) }
        }
    }

    /// One message: a commit stores a new reservation, a modification cancels the active revision and
    /// stores a new one, a cancellation releases the active revision (of every room, for a reservation of
    /// several rooms keyed `<id>#<n>`). A repeated message changes nothing.
    mutating func applyMessage(_ booking: ChannelBooking) throws {
        let active = activeRevision(of: booking.reservationID)
        switch booking.action {
        case .commit:
            if revisions[booking.reservationID] != nil {
                result.unchanged += 1  // known reservation: changes come as modifications
            } else {
                try insert(booking, key: nextKey(booking.reservationID), revision: 1)
            }
        case .modify:
            // A replayed modification (at-least-once delivery, --force) equals the latest revision, even cancelled.
            if let latest = latestRevision(of: booking.reservationID), latest.booking.fields.elementsEqual(booking.fields, by: ==) {
                result.unchanged += 1
                return
            }
            if let active { try cancel(active) }
            try cancelOtherShape(of: booking.reservationID)
            try insert(booking, key: nextKey(booking.reservationID), revision: nextRevision(booking.reservationID))
        case .cancel:
            let rooms = roomReservations(of: booking.reservationID)
            if let active {
                try cancel(active)
            } else if !rooms.isEmpty {
                try cancelRooms(rooms)
            } else if revisions[booking.reservationID] != nil {
                result.unchanged += 1
            } else {
                result.unknownCancellations.append(booking)
            }
        }
    }

    /// The room reservations `<id>#1`, `<id>#2`… of a reservation of several rooms, in room order.
    private func roomReservations(of reservationID: String) -> [String] {
        let prefix = reservationID + "#"
        return revisions.keys.filter { id in
            id.hasPrefix(prefix) && !id.dropFirst(prefix.count).isEmpty && id.dropFirst(prefix.count).allSatisfy(\.isNumber)
        }.sorted { ($0.count, $0) < ($1.count, $1) }
    }

    /// Cancels every active room of a reservation; all already cancelled is a repeated cancellation.
    private mutating func cancelRooms(_ rooms: [String]) throws {
        let active = rooms.compactMap(activeRevision(of:))
        if active.isEmpty { result.unchanged += 1 }
        for room in active { try cancel(room) }
    }

    /// A modification that changes the number of rooms: a room `<id>#<n>` cancels the active single-room
    /// booking `<id>`, and a single-room `<id>` cancels the active rooms `<id>#<n>`. (A modification that drops
    /// one room of several says nothing of it: that room stays until the reservation is cancelled.)
    private mutating func cancelOtherShape(of reservationID: String) throws {
        if let hash = reservationID.lastIndex(of: "#"), let single = activeRevision(of: String(reservationID[..<hash])) {
            try cancel(single)
        }
        for room in roomReservations(of: reservationID) {
            if let active = activeRevision(of: room) { try cancel(active) }
        }
    }

    /// The latest revision of a reservation, if it is not cancelled (only the latest one can be active).
    private func activeRevision(of reservationID: String) -> StoredChannelBooking? {
        latestRevision(of: reservationID).flatMap { $0.isCancelled ? nil : $0 }
    }

    private func latestRevision(of reservationID: String) -> StoredChannelBooking? {
        guard let revision = revisions[reservationID] else { return nil }
        return rows[revision == 1 ? reservationID : "\(reservationID)/\(revision)"]
    }

    private func nextRevision(_ reservationID: String) -> Int { (revisions[reservationID] ?? 0) + 1 }

    /// The basket as stored: one line per booked night or service.
    static func basketText(_ b: ChannelBooking) -> String? {
        b.basket.isEmpty ? nil : b.basket.joined(separator: "\n")
    }

    private func nextKey(_ reservationID: String) -> String {
        let revision = nextRevision(reservationID)
        return revision == 1 ? reservationID : "\(reservationID)/\(revision)"
    }

    private mutating func insert(_ b: ChannelBooking, key: String, revision: Int) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO channel_bookings (feed, booking_key, reservation_id, revision, accommodation_code, channel,
                kind, status, arrival, departure, summary, guest_name, email, guests, amount_cents, currency, source,
                first_run_id, last_run_id, channel_manager_id, language, basket)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                feed, key, b.reservationID, revision, b.accommodationCode, b.channel, b.kind.rawValue,
                b.arrival.description, b.departure.description, b.summary, b.guestName, b.email, b.guests,
                b.amount?.cents, b.currency, b.source?.rendered, runID, runID, b.channelManagerID, b.language,
                Self.basketText(b),
            ])
        let stored = StoredChannelBooking(key: key, booking: b, isCancelled: false)
        rows[key] = stored
        revisions[b.reservationID] = revision
        try created(stored)
        result.changes.append(change(key, "status", "", "active"))
    }

    /// A booking new to the store (or active again): with an e-mail address, its client is owed the booking's
    /// e-mail from this transaction on (the outbox), until `output.booking_notifications` prepares it.
    private mutating func created(_ stored: StoredChannelBooking) throws {
        result.created.append(stored)
        guard stored.booking.email != nil else { return }
        try Store.owe(
            db, kind: OutboxKind.booking,
            key: OutboxKind.bookingKey(source: stored.booking.channel, reference: stored.key), runID: runID)
    }

    private mutating func update(_ stored: StoredChannelBooking, with b: ChannelBooking) throws {
        try db.cachedStatement(
            sql: """
                UPDATE channel_bookings SET accommodation_code = ?, channel = ?, kind = ?, status = 'active',
                arrival = ?, departure = ?, summary = ?, guest_name = ?, email = ?, guests = ?, amount_cents = ?,
                currency = ?, source = ?, last_run_id = ?, cancelled_run_id = NULL, channel_manager_id = ?, language = ?,
                basket = ? WHERE feed = ? AND booking_key = ?
                """
        ).execute(
            arguments: [
                b.accommodationCode, b.channel, b.kind.rawValue, b.arrival.description, b.departure.description,
                b.summary, b.guestName, b.email, b.guests, b.amount?.cents, b.currency, b.source?.rendered, runID,
                b.channelManagerID, b.language, Self.basketText(b), feed, stored.key,
            ])
        rows[stored.key] = StoredChannelBooking(key: stored.key, booking: b, isCancelled: false)
    }

    private func touch(_ key: String) throws {
        try db.cachedStatement(
            sql: "UPDATE channel_bookings SET last_run_id = ? WHERE feed = ? AND booking_key = ?"
        ).execute(
            arguments: [runID, feed, key])
    }

    private mutating func cancel(_ stored: StoredChannelBooking) throws {
        try db.cachedStatement(
            sql: """
                UPDATE channel_bookings SET status = 'cancelled', cancelled_run_id = ?, last_run_id = ?
                WHERE feed = ? AND booking_key = ?
                """
        ).execute(
            arguments: [runID, runID, feed, stored.key])
        var cancelled = stored
        cancelled.isCancelled = true
        rows[stored.key] = cancelled
        result.cancelled.append(cancelled)
        result.changes.append(change(stored.key, "status", "active", "cancelled"))
    }

    private mutating func recordFieldChanges(from old: ChannelBooking, to new: ChannelBooking, key: String) {
        for (before, after) in zip(old.fields, new.fields) where before.1 != after.1 {
            result.changes.append(change(key, before.0, before.1, after.1))
        }
    }

    private func change(_ key: String, _ field: String, _ old: String, _ new: String) -> ChangeRecord {
        ChangeRecord(entity: "channel_booking", key: "\(feed):\(key)", field: field, oldValue: old, newValue: new)
    }
}
