import GRDB

/// The tourist-office tables (issue 5): when an office was told of a non-member provider, and which
/// cheque payments an office has validated.
///
/// `membership_notices` keeps the first notice per provider and office, so a grace deadline never moves
/// (domain.md rule 4); `notified_at` is in seconds since 1970 (UTC). `cheque_validations` holds the cheques
/// an office received (domain.md rule 8); a cheque-paid stay without a row is still awaiting validation.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration004Offices {
    static let identifier = "004-offices"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE membership_notices (
                    provider_code TEXT NOT NULL REFERENCES providers(code) ON DELETE RESTRICT,
                    office TEXT NOT NULL,
                    notified_at INTEGER NOT NULL,
                    run_id INTEGER NOT NULL,
                    PRIMARY KEY (provider_code, office)
                );
                CREATE TABLE cheque_validations (
                    stay_reference TEXT PRIMARY KEY REFERENCES stays(reference) ON DELETE RESTRICT,
                    office TEXT NOT NULL,
                    validated_on TEXT NOT NULL,
                    run_id INTEGER NOT NULL
                );
                """)
    }
}
