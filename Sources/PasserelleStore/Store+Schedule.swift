import Foundation
import GRDB
import PasserelleCore

extension Store {
    /// The last cron slot the daemon ran for a pipeline, if any.
    package func lastScheduledSlot(pipeline: String) throws -> Date? {
        try read(operation: "read the schedule state") { db in
            try Int64.fetchOne(
                db, sql: "SELECT last_slot FROM schedule_state WHERE pipeline = ?", arguments: [pipeline]
            )
            .map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
    }

    /// Records that a pipeline's slot ran (whether the run succeeded or not), so it is not run again.
    package func recordScheduledSlot(pipeline: String, slot: Date, updatedAt: String) throws {
        try transaction(commit: true, operation: "record the schedule state") { db in
            try db.execute(
                sql: """
                    INSERT INTO schedule_state (pipeline, last_slot, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(pipeline) DO UPDATE SET last_slot = excluded.last_slot, updated_at = excluded.updated_at
                    """, arguments: [pipeline, Int64(slot.timeIntervalSince1970), updatedAt])
        }
    }
}
