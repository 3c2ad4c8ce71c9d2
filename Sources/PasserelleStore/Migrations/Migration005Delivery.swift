import GRDB

/// The tables of unattended running (issue 8): the e-mail delivery log and each pipeline's schedule state.
///
/// `deliveries` holds one row per message key of a batch sent over SMTP: `status` is `sending` while the
/// server is being talked to, then `delivered`, `deferred` (a 4xx or no answer: tried again on the next send) or
/// `failed` (a 5xx, permanent); `attempts` counts tries and
/// `last_response` keeps the server's last answer. A key already `delivered` (or left `sending` by a crash,
/// whose outcome is unknown) is never sent again, so sending a batch twice never delivers a message twice.
/// `schedule_state` keeps, per pipeline, the last cron slot the daemon ran (seconds since 1970, UTC), so a
/// restart neither repeats nor forgets a slot.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration005Delivery {
    static let identifier = "005-delivery"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE deliveries (
                    message_key TEXT PRIMARY KEY,
                    file TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('sending', 'deferred', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_response TEXT,
                    delivered_at TEXT
                );
                CREATE TABLE schedule_state (
                    pipeline TEXT PRIMARY KEY,
                    last_slot INTEGER NOT NULL,
                    updated_at TEXT NOT NULL
                );
                """)
    }
}
