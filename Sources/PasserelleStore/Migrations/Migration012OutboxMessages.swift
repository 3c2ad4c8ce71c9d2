import GRDB

/// Prepared messages kept in the outbox (issue 20, part 4): a claimed notification holds its rendered message,
/// so `passerelle send` delivers from the store and `passerelle outbox export` writes the `.eml` files and
/// manifest a batch folder would hold, byte for byte. A batch may leave out its files (`files: false`): a
/// million new stays then cost a million rows, not a million files.
///
/// `message` is the message's bytes compressed with zlib (`message_size` is their length before), `template` the
/// template folder's name, `file` the path the message has in its batch (`codes-sejour/0001-CR-2026-1.eml`),
/// `position` its number in the batch. Notifications claimed before this migration have no message: they were
/// prepared as files only.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration012OutboxMessages {
    static let identifier = "012-outbox-messages"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE notifications ADD COLUMN template TEXT;
                ALTER TABLE notifications ADD COLUMN file TEXT;
                ALTER TABLE notifications ADD COLUMN position INTEGER;
                ALTER TABLE notifications ADD COLUMN message BLOB;
                ALTER TABLE notifications ADD COLUMN message_size INTEGER;
                CREATE INDEX notifications_by_run ON notifications(run_id, kind, position) WHERE message IS NOT NULL;
                """)
    }
}
