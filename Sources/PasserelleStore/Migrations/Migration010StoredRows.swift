import GRDB

/// Which lines of which input file each stage of a run stored, as ranges (issue 20, "invariants that can fail").
///
/// With `rejected_rows`, it lets the end of a run count rows stored and rows rejected per file from the store,
/// independently of the reader's count of rows read, and fail the run when they do not add up.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration010StoredRows {
    static let identifier = "010-stored-rows"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE stored_rows (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    file TEXT NOT NULL,
                    sheet TEXT,
                    first_line INTEGER NOT NULL,
                    last_line INTEGER NOT NULL
                );
                CREATE INDEX stored_rows_by_run ON stored_rows(run_id);
                """)
    }
}
