import Foundation
import GRDB
import PasserelleCore

extension Store {
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
