import GRDB

/// The channel tables (issue 6): every booking or block a channel feed reported, and each feed's imports.
///
/// `channel_bookings` is keyed by feed and booking key. For an iCalendar feed the key is the event's UID and
/// the feed's active rows are its last snapshot, which the next import is compared with (new, changed,
/// vanished). For a message feed (OTA XML, JSON Lines) the key is the reservation id, then `<id>/2`, `<id>/3`…:
/// a channel booking cannot be modified, so a modification cancels the old row and adds a new revision.
/// A cancelled row keeps its dates and `cancelled_run_id`; only active rows hold nights in the planning.
/// `channel_feed_imports` records each import of a feed (mode and number of bookings read).
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration006Channels {
    static let identifier = "006-channels"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE channel_bookings (
                    feed TEXT NOT NULL,
                    booking_key TEXT NOT NULL,
                    reservation_id TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    accommodation_code TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('reserved', 'tentative', 'closed', 'blocked')),
                    status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
                    arrival TEXT NOT NULL,
                    departure TEXT NOT NULL,
                    summary TEXT,
                    guest_name TEXT,
                    email TEXT,
                    guests INTEGER,
                    amount_cents INTEGER,
                    currency TEXT,
                    source TEXT,
                    first_run_id INTEGER NOT NULL,
                    last_run_id INTEGER NOT NULL,
                    cancelled_run_id INTEGER,
                    PRIMARY KEY (feed, booking_key)
                );
                CREATE INDEX channel_bookings_planning ON channel_bookings (accommodation_code, status, arrival);
                CREATE INDEX channel_bookings_reservation ON channel_bookings (feed, reservation_id, revision);
                CREATE TABLE channel_feed_imports (
                    feed TEXT NOT NULL,
                    run_id INTEGER NOT NULL,
                    mode TEXT NOT NULL CHECK (mode IN ('snapshot', 'messages')),
                    bookings INTEGER NOT NULL,
                    PRIMARY KEY (feed, run_id)
                );
                """)
    }
}
