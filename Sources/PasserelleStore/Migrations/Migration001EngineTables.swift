import GRDB

/// The engine's own tables: runs, stage runs, input files, rejected rows, changes and findings.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration001EngineTables {
    static let identifier = "001-engine-tables"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    pipeline TEXT NOT NULL,
                    definition TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    status TEXT NOT NULL,
                    jobs INTEGER NOT NULL,
                    forced INTEGER NOT NULL DEFAULT 0,
                    summary TEXT
                );
                CREATE TABLE stage_runs (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    started_at TEXT,
                    finished_at TEXT,
                    rows_in INTEGER NOT NULL DEFAULT 0,
                    rows_out INTEGER NOT NULL DEFAULT 0,
                    rows_rejected INTEGER NOT NULL DEFAULT 0,
                    status TEXT NOT NULL,
                    error TEXT,
                    PRIMARY KEY (run_id, stage)
                );
                CREATE TABLE input_files (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    pipeline TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    imported_at TEXT NOT NULL
                );
                CREATE INDEX input_files_by_content ON input_files(pipeline, sha256);
                CREATE TABLE rejected_rows (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    file TEXT NOT NULL,
                    sheet TEXT,
                    line INTEGER,
                    column_label TEXT,
                    header TEXT,
                    raw_value TEXT,
                    rule TEXT NOT NULL,
                    message TEXT NOT NULL,
                    fix TEXT
                );
                CREATE INDEX rejected_rows_by_run ON rejected_rows(run_id);
                CREATE TABLE findings (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    file TEXT,
                    sheet TEXT,
                    line INTEGER,
                    rule TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                CREATE TABLE changes (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    key TEXT NOT NULL,
                    field TEXT NOT NULL,
                    old_value TEXT NOT NULL,
                    new_value TEXT NOT NULL
                );
                """)
    }
}
