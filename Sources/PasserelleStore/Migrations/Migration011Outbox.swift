import GRDB

/// The outbox (issue 20, part 4): a notification owed to a client, written in the same transaction as the data
/// it is about. A new stay's stay-code e-mail is owed from the moment the stay is stored; it stays pending
/// until an e-mail batch of its kind has prepared it, so a run that fails after storing stays leaves them
/// pending and the next run prepares them.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration011Outbox {
    static let identifier = "011-outbox"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE outbox (
                    kind TEXT NOT NULL,
                    entity_key TEXT NOT NULL,
                    created_run INTEGER NOT NULL,
                    prepared_run INTEGER,
                    PRIMARY KEY (kind, entity_key)
                );
                CREATE INDEX outbox_pending ON outbox(kind) WHERE prepared_run IS NULL;
                """)
    }
}
