import GRDB

/// The finance tables (issue 4): the numbers given to commission invoices.
///
/// An invoice number is given once per series, month and provider and kept forever: a re-run of the month
/// finds it and reuses it, and the next number of a series is always the highest given plus one, so the
/// sequence is continuous and chronological (CGI ann. II art. 242 nonies A, formats.md section 3).
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration003Finance {
    static let identifier = "003-finance"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE invoice_numbers (
                    series TEXT NOT NULL,
                    number INTEGER NOT NULL CHECK (number > 0),
                    month TEXT NOT NULL,
                    provider_code TEXT NOT NULL REFERENCES providers(code) ON DELETE RESTRICT,
                    run_id INTEGER NOT NULL,
                    PRIMARY KEY (series, number),
                    UNIQUE (series, month, provider_code)
                );
                """)
    }
}
