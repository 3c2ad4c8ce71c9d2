import CLibZ
import Foundation
import GRDB
import PasserelleCore
import Synchronization

extension Store {
    /// A notification owed from the calling transaction on; one already owed or prepared under the key is kept.
    static let oweSQL = "INSERT OR IGNORE INTO outbox (kind, entity_key, created_run) VALUES (?, ?, ?)"

    /// Owes a notification inside the transaction of the data it is about.
    static func owe(_ db: Database, kind: String, key: String, runID: Int64) throws {
        try db.cachedStatement(sql: oweSQL).execute(arguments: [kind, key, runID])
    }

    package func pendingOutbox(kind: String, createdBefore runID: Int64) throws -> [String] {
        try read(operation: "read the pending notifications (\(kind))") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT entity_key FROM outbox WHERE kind = ? AND prepared_run IS NULL AND created_run < ?
                    ORDER BY entity_key
                    """,
                arguments: [kind, runID])
        }
    }

    package func markOutboxPrepared(kind: String, entityKeys: [String], scope: WriteScope) throws {
        try transaction(commit: scope.commit, operation: "mark notifications prepared (stage '\(scope.stage)')") { db in
            // Most batches are of kinds nothing is owed for (updates, alerts): one look, not an update a message.
            let owesAny = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = ? AND prepared_run IS NULL)",
                arguments: [kind]) ?? false
            guard owesAny else { return }
            let update = try RawStatement(
                db,
                sql: "UPDATE outbox SET prepared_run = ? WHERE kind = ? AND entity_key = ? AND prepared_run IS NULL")
            for key in entityKeys {
                update.bind(1, scope.runID)
                update.bind(2, kind)
                update.bind(3, key)
                try update.step()
            }
        }
    }

    package func releaseNotifications(kind: String, scope: WriteScope) throws {
        try transaction(commit: scope.commit, operation: "release notifications (stage '\(scope.stage)')") { db in
            try db.execute(
                sql: "DELETE FROM notifications WHERE run_id = ? AND kind = ?", arguments: [scope.runID, kind])
        }
    }
}

/// A message kept in the outbox, as an e-mail batch prepared it.
package struct OutboxMessage: Sendable {
    package var runID: Int64
    package var record: NotificationRecord
    package var template: String
    /// Its path in the run folder's batch (`codes-sejour/0001-CR-2026-1.eml`).
    package var file: String
    package var position: Int
    /// Where its delivery stands, nil when it was never sent.
    package var delivery: DeliveryRecord.Status?
}

extension Store {
    package func claimMessages(
        _ messages: [PreparedMessage], firstPosition: Int, file: (Int, NotificationRecord) -> String,
        scope: WriteScope
    ) throws -> Set<String> {
        // Compressed on every core before the transaction, which is one writer.
        let packed = try MessageCompression.compress(messages.map(\.data))
        return try transaction(commit: scope.commit, operation: "keep the prepared messages (stage '\(scope.stage)')") { db in
            var already = Set<String>()
            var position = firstPosition
            let insert = try RawStatement(
                db,
                sql: """
                    INSERT OR IGNORE INTO notifications
                    (key, run_id, kind, recipient, subject_key, template, file, position, message, message_size)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (message, bytes) in zip(messages, packed) {
                let n = message.record
                insert.bind(1, n.key)
                insert.bind(2, scope.runID)
                insert.bind(3, n.kind)
                insert.bind(4, n.recipient)
                insert.bind(5, n.subjectKey)
                insert.bind(6, message.template)
                insert.bind(7, file(position, n))
                insert.bind(8, Int64(position))
                insert.bind(9, blob: bytes)
                insert.bind(10, Int64(message.data.count))
                try insert.step()
                if db.changesCount == 0 { already.insert(n.key) } else { position += 1 }
            }
            return already
        }
    }

    /// The outbox's messages (those kept with their bytes), in run, kind and batch order, with where each
    /// delivery stands; `runID`, `kind` and `folder` (the batch folder, `codes-sejour`) narrow them, and
    /// `unsettled` keeps those never sent or deferred. Their bytes are read apart (`outboxMessageData`), so a
    /// million messages are listed without holding their text.
    package func outboxMessages(
        runID: Int64? = nil, kind: String? = nil, folder: String? = nil, unsettled: Bool = false
    ) throws -> [OutboxMessage] {
        try read(operation: "list the outbox's messages") { db in
            var (conditions, arguments) = Self.outboxFilter(runID: runID, kind: kind)
            if unsettled { conditions.append("(d.status IS NULL OR d.status = 'deferred')") }
            if let folder {
                conditions.append("substr(n.file, 1, ?) = ?")
                arguments += [folder.utf8.count + 1, folder + "/"]
            }
            let sql = """
                SELECT n.run_id, n.key, n.kind, n.recipient, n.subject_key, n.template, n.file, n.position, d.status
                FROM notifications n LEFT JOIN deliveries d ON d.message_key = n.key
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY n.run_id, n.kind, n.position
                """
            return try GRDB.Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.outboxMessage)
        }
    }

    /// The outbox's messages of `runID` (or every run's) and `kind`, with their bytes, in run, kind and batch
    /// order, handed to `body` one at a time through a cursor: an export of a million messages holds one.
    package func eachOutboxMessage(
        runID: Int64? = nil, kind: String? = nil, _ body: (OutboxMessage, Data) throws -> Void
    ) throws {
        try read(operation: "read the outbox's messages") { db in
            let (conditions, arguments) = Self.outboxFilter(runID: runID, kind: kind)
            let sql = """
                SELECT n.run_id, n.key, n.kind, n.recipient, n.subject_key, n.template, n.file, n.position, d.status,
                n.message, n.message_size
                FROM notifications n LEFT JOIN deliveries d ON d.message_key = n.key
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY n.run_id, n.kind, n.position
                """
            let rows = try GRDB.Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let compressed: Data = row[9]
                try body(Self.outboxMessage(row), try MessageCompression.decompress(compressed, size: row[10]))
            }
        }
    }

    /// The conditions (on `notifications n`) choosing the kept messages of a run and a kind, either optional.
    private static func outboxFilter(runID: Int64?, kind: String?) -> ([String], StatementArguments) {
        var conditions = ["n.message IS NOT NULL"]
        var arguments: StatementArguments = []
        if let runID {
            conditions.append("n.run_id = ?")
            arguments += [runID]
        }
        if let kind {
            conditions.append("n.kind = ?")
            arguments += [kind]
        }
        return (conditions, arguments)
    }

    /// A message from the first nine columns of the outbox's listing.
    private static func outboxMessage(_ row: GRDB.Row) -> OutboxMessage {
        OutboxMessage(
            runID: row[0],
            record: NotificationRecord(key: row[1], kind: row[2], recipient: row[3], subjectKey: row[4]),
            template: row[5] ?? "", file: row[6] ?? "", position: row[7] ?? 0,
            delivery: (row[8] as String?).flatMap(DeliveryRecord.Status.init(rawValue:)))
    }

    /// The bytes of the outbox's message with this key, as rendered when it was prepared.
    package func outboxMessageData(key: String) throws -> Data? {
        try read(operation: "read a message of the outbox") { db in
            guard
                let row = try GRDB.Row.fetchOne(
                    db, sql: "SELECT message, message_size FROM notifications WHERE key = ? AND message IS NOT NULL",
                    arguments: [key])
            else { return nil }
            let compressed: Data = row[0]
            return try MessageCompression.decompress(compressed, size: row[1])
        }
    }
}

/// zlib (level 1, a 4 KiB window) over each kept message: a stay-code message of 1.8 kB keeps about 0.8 kB.
/// Written by hand over the system's zlib because the store needs only these calls on small buffers, and a
/// benchmark showed `compress2`'s default 32 KiB window and 256 KiB of state per call made compression most of
/// the time a million-message batch spent in the store (`perf record` over the daily import's
/// `--only stay_code_mails` at 100 000 stays).
enum MessageCompression {
    /// Each of `messages` compressed, on every core (slices of 128, taken back in order).
    static func compress(_ messages: [Data]) throws -> [Data] {
        let slice = 128
        let slices = (messages.count + slice - 1) / slice
        let results = Mutex([Result<[Data], any Error>](repeating: .success([]), count: slices))
        DispatchQueue.concurrentPerform(iterations: slices) { c in
            let packed = Result { try messages[(c * slice)..<min(messages.count, (c + 1) * slice)].map(compress) }
            results.withLock { $0[c] = packed }
        }
        return try results.withLock { $0 }.flatMap { try $0.get() }
    }

    static func compress(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard
            deflateInit2_(&stream, 1, Z_DEFLATED, 12, 5, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else { throw failure("could not start compressing a message") }
        defer { deflateEnd(&stream) }
        var out = Data(count: Int(deflateBound(&stream, uLong(data.count))))
        let status = out.withUnsafeMutableBytes { target in
            data.withUnsafeBytes { source in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw failure("could not compress a message (zlib \(status))") }
        out.count = Int(stream.total_out)
        return out
    }

    private static func failure(_ message: String) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_ERROR, message: message)
    }

    static func decompress(_ data: Data, size: Int) throws -> Data {
        var length = uLong(size)
        var out = Data(count: size)
        let status = out.withUnsafeMutableBytes { target in
            data.withUnsafeBytes { source in
                uncompress(
                    target.baseAddress?.assumingMemoryBound(to: Bytef.self), &length,
                    source.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(data.count))
            }
        }
        guard status == Z_OK, Int(length) == size else {
            throw DatabaseError(
                resultCode: .SQLITE_CORRUPT, message: "a message of the outbox does not decompress (zlib \(status))")
        }
        return out
    }
}
