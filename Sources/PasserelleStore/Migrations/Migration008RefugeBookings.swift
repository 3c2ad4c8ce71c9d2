import GRDB

/// The refuge bookings (issue 6, items 6–7): one row per booking of a mountain refuge, keyed by the refuge's
/// accommodation code and the booking's reference.
///
/// A row keeps what the refuge's export said (tariff code, quantity, supplements as `CODE:2,CODE:1`, guest,
/// source, status, amount); the places a booking holds are computed from the refuge's definition at each
/// run, so a changed definition applies to every stored booking. A cancelled row keeps its dates and
/// `cancelled_run_id`; only rows not cancelled hold places in the planning.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration008RefugeBookings {
    static let identifier = "008-refuge-bookings"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE refuge_bookings (
                    refuge_code TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    booked_at TEXT NOT NULL,
                    arrival TEXT NOT NULL,
                    departure TEXT NOT NULL,
                    tariff_code TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    supplements TEXT NOT NULL,
                    guest_name TEXT,
                    email TEXT,
                    language TEXT,
                    source TEXT NOT NULL CHECK (source IN ('online', 'phone')),
                    status TEXT NOT NULL CHECK (status IN ('pre_reservation', 'reservation', 'cancelled')),
                    amount_cents INTEGER,
                    source_location TEXT,
                    first_run_id INTEGER NOT NULL,
                    last_run_id INTEGER NOT NULL,
                    cancelled_run_id INTEGER,
                    PRIMARY KEY (refuge_code, reference)
                );
                CREATE INDEX refuge_bookings_planning ON refuge_bookings (refuge_code, status, arrival);
                """)
    }
}
