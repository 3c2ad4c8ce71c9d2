import Foundation
import GRDB
import PasserelleCore

extension Store {
    /// Records the notifications owed for these entities, inside the caller's transaction (`db`).
    static func owe(_ kind: String, _ keys: some Sequence<String>, runID: Int64, _ db: Database) throws {
        let insert = try RawStatement(
            db, sql: "INSERT OR IGNORE INTO outbox (kind, entity_key, created_run) VALUES (?, ?, ?)")
        for key in keys {
            insert.bind(1, kind)
            insert.bind(2, key)
            insert.bind(3, runID)
            try insert.step()
        }
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
