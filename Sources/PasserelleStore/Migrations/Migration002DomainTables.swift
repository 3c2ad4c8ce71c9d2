import GRDB

/// The domain tables: providers, accommodations, stays and sent notifications (domain.md "The things").
///
/// Creation order is provider → accommodation → stay (domain.md rule 6): foreign keys refuse orphans,
/// and nothing referenced can be deleted; `status = 'archived'` hides a row instead.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration002DomainTables {
    static let identifier = "002-domain-tables"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE providers (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    email TEXT,
                    phone TEXT,
                    office TEXT,
                    is_member INTEGER NOT NULL,
                    membership_paid_on TEXT,
                    status TEXT NOT NULL DEFAULT 'active',
                    created_run INTEGER NOT NULL,
                    updated_run INTEGER NOT NULL
                );
                CREATE TABLE accommodations (
                    code TEXT PRIMARY KEY,
                    provider_code TEXT NOT NULL REFERENCES providers(code) ON DELETE RESTRICT,
                    name TEXT NOT NULL,
                    type TEXT,
                    capacity INTEGER,
                    formula TEXT,
                    status TEXT NOT NULL DEFAULT 'active',
                    created_run INTEGER NOT NULL,
                    updated_run INTEGER NOT NULL
                );
                CREATE TABLE stays (
                    reference TEXT PRIMARY KEY,
                    stay_code TEXT NOT NULL UNIQUE,
                    accommodation_code TEXT NOT NULL REFERENCES accommodations(code) ON DELETE RESTRICT,
                    last_name TEXT NOT NULL,
                    first_name TEXT NOT NULL,
                    email TEXT NOT NULL,
                    language TEXT,
                    arrival TEXT NOT NULL,
                    departure TEXT NOT NULL,
                    party_size INTEGER,
                    amount_cents INTEGER,
                    channel TEXT,
                    status TEXT NOT NULL,
                    booking_date TEXT,
                    deposit_basis_points INTEGER,
                    payment_mode TEXT,
                    created_run INTEGER NOT NULL,
                    updated_run INTEGER NOT NULL
                );
                CREATE INDEX stays_by_accommodation ON stays(accommodation_code, arrival);
                CREATE TABLE notifications (
                    key TEXT PRIMARY KEY,
                    run_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    subject_key TEXT NOT NULL
                );
                """)
    }
}
