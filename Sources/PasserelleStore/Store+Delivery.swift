import Foundation
import GRDB
import PasserelleCore

/// One message's entry in the delivery log.
package struct DeliveryRecord: Sendable, Hashable {
    /// Where a message stands: `sending` (outcome unknown if it stays so), `deferred` (retry), `delivered`, `failed`.
    package enum Status: String, Sendable {
        case sending, deferred, delivered, failed
    }

    package var key: String
    package var file: String
    package var recipient: String
    package var status: Status
    package var attempts: Int
    package var lastResponse: String?
    package var deliveredAt: String?
}

extension Store {
    /// The delivery log entry of a message key, if it was ever sent or tried.
    package func delivery(key: String) throws -> DeliveryRecord? {
        try read(operation: "read the delivery log") { db in
            try GRDB.Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE message_key = ?", arguments: [key]).map(
                record)
        }
    }

    /// Every delivery log entry, by key.
    package func deliveries() throws -> [DeliveryRecord] {
        try read(operation: "read the delivery log") { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT * FROM deliveries ORDER BY message_key").map(record)
        }
    }

    /// Marks a message as being sent (one more attempt), before the server is contacted.
    package func beginDelivery(key: String, file: String, recipient: String) throws {
        try transaction(commit: true, operation: "record a delivery attempt") { db in
            try db.execute(
                sql: """
                    INSERT INTO deliveries (message_key, file, recipient, status, attempts) VALUES (?, ?, ?, 'sending', 1)
                    ON CONFLICT(message_key) DO UPDATE SET status = 'sending', attempts = attempts + 1
                    """, arguments: [key, file, recipient])
        }
    }

    /// Records how an attempt ended: delivered (with the time), failed for good, or back to retry later.
    package func finishDelivery(key: String, status: DeliveryRecord.Status, response: String, at time: String?) throws {
        try transaction(commit: true, operation: "record a delivery result") { db in
            try db.execute(
                sql: "UPDATE deliveries SET status = ?, last_response = ?, delivered_at = ? WHERE message_key = ?",
                arguments: [status.rawValue, response, time, key])
        }
    }

    private func record(_ row: GRDB.Row) -> DeliveryRecord {
        DeliveryRecord(
            key: row["message_key"], file: row["file"], recipient: row["recipient"],
            status: DeliveryRecord.Status(rawValue: row["status"]) ?? .sending, attempts: row["attempts"],
            lastResponse: row["last_response"], deliveredAt: row["delivered_at"])
    }
}
