import Foundation
import GRDB
import PasserelleCore

/// A past run, as `passerelle history` lists it.
package struct RunSummary: Sendable, Hashable {
    package var id: Int64
    package var pipeline: String
    package var definition: String
    package var asOf: String
    package var startedAt: String
    package var finishedAt: String?
    package var status: String
    package var summary: String?
}

/// One stage of a past run, with its counts.
package struct StageRunSummary: Sendable, Hashable {
    package var stage: String
    package var kind: String
    package var startedAt: String?
    package var finishedAt: String?
    package var rowsIn: Int
    package var rowsOut: Int
    package var rowsRejected: Int
    package var status: String
    package var error: String?

    package init(
        stage: String, kind: String, startedAt: String?, finishedAt: String?, rowsIn: Int, rowsOut: Int,
        rowsRejected: Int, status: String, error: String?
    ) {
        self.stage = stage
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.rowsIn = rowsIn
        self.rowsOut = rowsOut
        self.rowsRejected = rowsRejected
        self.status = status
        self.error = error
    }
}

/// An input file already imported by a pipeline.
package struct ImportedFile: Sendable, Hashable {
    package var runID: Int64
    package var path: String
    package var importedAt: String
}

extension Store {
    /// Starts a run and returns its id.
    package func beginRun(pipeline: String, definition: String, asOf: String, startedAt: String, jobs: Int, forced: Bool)
        throws -> Int64
    {
        try transaction(commit: true, operation: "start a run") { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (pipeline, definition, as_of, started_at, status, jobs, forced)
                    VALUES (?, ?, ?, ?, 'running', ?, ?)
                    """, arguments: [pipeline, definition, asOf, startedAt, jobs, forced])
            return db.lastInsertedRowID
        }
    }

    /// The id the next run will get (used by dry runs, which record nothing).
    package func nextRunID() throws -> Int64 {
        try read(operation: "read the run history") { db in
            (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM runs")) ?? 1
        }
    }

    /// Ends a run with its status and one-line summary.
    package func finishRun(_ id: Int64, status: String, finishedAt: String, summary: String) throws {
        try transaction(commit: true, operation: "finish run \(id)") { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?",
                arguments: [status, finishedAt, summary, id])
        }
    }

    /// Records a stage's outcome with its rejected rows, findings and changes, in one transaction.
    package func recordStage(
        runID: Int64, _ stage: StageRunSummary, rejected: [Diagnostic], findings: [Diagnostic], changes: [ChangeRecord],
        stored: [StoredLines] = [], owed: [OwedNotification] = []
    ) throws {
        try transaction(commit: true, operation: "record stage '\(stage.stage)'") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO stage_runs
                    (run_id, stage, kind, started_at, finished_at, rows_in, rows_out, rows_rejected, status, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, stage.stage, stage.kind, stage.startedAt, stage.finishedAt, stage.rowsIn, stage.rowsOut,
                    stage.rowsRejected, stage.status, stage.error,
                ])
            try insertRejections(db, runID: runID, stage: stage.stage, rejected)
            try insertFindings(db, runID: runID, stage: stage.stage, findings)
            try insertChanges(db, runID: runID, stage: stage.stage, changes)
            try insertStoredLines(db, runID: runID, stage: stage.stage, stored)
            // The outbox: what the stage found and the notifications it owes for it are kept together.
            for notification in owed {
                try Store.owe(db, kind: notification.kind, key: notification.key, runID: runID)
            }
        }
    }

    private func insertStoredLines(_ db: Database, runID: Int64, stage: String, _ ranges: [StoredLines]) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO stored_rows (run_id, stage, file, sheet, first_line, last_line) VALUES (?, ?, ?, ?, ?, ?)")
        for r in ranges {
            try statement.execute(arguments: [runID, stage, r.file, r.sheet, r.first, r.last])
        }
    }

    /// The lines stored by every stage of a run, as recorded with each stage.
    package func storedLines(of runID: Int64) throws -> [StoredLines] {
        try read(operation: "read the stored rows of run \(runID)") { db in
            try GRDB.Row.fetchAll(
                db, sql: "SELECT file, sheet, first_line, last_line FROM stored_rows WHERE run_id = ?",
                arguments: [runID]
            ).map { StoredLines(file: $0[0], sheet: $0[1], first: $0[2], last: $0[3]) }
        }
    }

    /// Distinct rejected rows per file of a run (a row rejected for several reasons, or by several stages,
    /// counts once; a refusal of a whole file, without a line, is no row).
    package func rejectedLineCounts(of runID: Int64) throws -> [String: Int] {
        try read(operation: "read the rejected rows of run \(runID)") { db in
            let rows = try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT file, COUNT(*) FROM (
                        SELECT DISTINCT file, COALESCE(sheet, ''), line FROM rejected_rows
                        WHERE run_id = ? AND line IS NOT NULL
                    ) GROUP BY file
                    """,
                arguments: [runID])
            var counts: [String: Int] = [:]
            for row in rows { counts[row[0], default: 0] += row[1] as Int }
            return counts
        }
    }

    private func insertRejections(_ db: Database, runID: Int64, stage: String, _ rejected: [Diagnostic]) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO rejected_rows (run_id, stage, file, sheet, line, column_label, header, raw_value, rule, message, fix)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for d in rejected {
            try statement.execute(arguments: [
                runID, stage, d.location.file, d.location.sheet, d.location.line, d.location.columnLabel,
                d.location.header, d.found, d.rule, d.message, d.fix,
            ])
        }
    }

    private func insertFindings(_ db: Database, runID: Int64, stage: String, _ findings: [Diagnostic]) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO findings (run_id, stage, severity, file, sheet, line, rule, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for d in findings {
            try statement.execute(arguments: [
                runID, stage, d.severity.rawValue, d.location.file, d.location.sheet, d.location.line, d.rule, d.message,
            ])
        }
    }

    func insertChanges(_ db: Database, runID: Int64, stage: String, _ changes: [ChangeRecord]) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO changes (run_id, stage, entity, key, field, old_value, new_value)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        for c in changes {
            try statement.execute(arguments: [runID, stage, c.entity, c.key, c.field, c.oldValue, c.newValue])
        }
    }

    /// The run that already imported a file with this content for this pipeline, if any.
    package func importedFile(pipeline: String, sha256: String) throws -> ImportedFile? {
        try read(operation: "look up imported files") { db in
            let row = try GRDB.Row.fetchOne(
                db,
                sql: """
                    SELECT f.run_id, f.path, f.imported_at FROM input_files f JOIN runs r ON r.id = f.run_id
                    WHERE f.pipeline = ? AND f.sha256 = ? AND r.status = 'succeeded' ORDER BY f.id LIMIT 1
                    """, arguments: [pipeline, sha256])
            return row.map { ImportedFile(runID: $0[0], path: $0[1], importedAt: $0[2]) }
        }
    }

    /// Records the files a run imported (called when the run succeeds).
    package func recordInputFiles(runID: Int64, pipeline: String, files: [(stage: String, path: String, size: Int64, sha256: String)], importedAt: String) throws {
        try transaction(commit: true, operation: "record imported files") { db in
            for file in files {
                try db.execute(
                    sql: """
                        INSERT INTO input_files (run_id, pipeline, stage, path, size, sha256, imported_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [runID, pipeline, file.stage, file.path, file.size, file.sha256, importedAt])
            }
        }
    }

    /// Past runs, newest first.
    package func runs(limit: Int = 50) throws -> [RunSummary] {
        try read(operation: "read the run history") { db in
            try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT id, pipeline, definition, as_of, started_at, finished_at, status, summary
                    FROM runs ORDER BY id DESC LIMIT ?
                    """, arguments: [limit]
            ).map {
                RunSummary(
                    id: $0[0], pipeline: $0[1], definition: $0[2], asOf: $0[3], startedAt: $0[4], finishedAt: $0[5],
                    status: $0[6], summary: $0[7])
            }
        }
    }

    /// One run's stages, in the order they started.
    package func stageRuns(of runID: Int64) throws -> [StageRunSummary] {
        try read(operation: "read run \(runID)") { db in
            try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT stage, kind, started_at, finished_at, rows_in, rows_out, rows_rejected, status, error
                    FROM stage_runs WHERE run_id = ? ORDER BY started_at IS NULL, started_at, stage
                    """, arguments: [runID]
            ).map {
                StageRunSummary(
                    stage: $0[0], kind: $0[1], startedAt: $0[2], finishedAt: $0[3], rowsIn: $0[4], rowsOut: $0[5],
                    rowsRejected: $0[6], status: $0[7], error: $0[8])
            }
        }
    }

    /// Counts of rejected rows of a run by rule, for `history RUN`.
    package func rejectionCounts(of runID: Int64) throws -> [(rule: String, count: Int)] {
        try read(operation: "read run \(runID)") { db in
            try GRDB.Row.fetchAll(
                db, sql: "SELECT rule, COUNT(*) FROM rejected_rows WHERE run_id = ? GROUP BY rule ORDER BY rule",
                arguments: [runID]
            ).map { (rule: $0[0], count: $0[1]) }
        }
    }

    /// A deterministic text dump of the domain tables and rejected rows (no timings), for comparisons.
    package func dump() throws -> String {
        let queries = [
            "SELECT * FROM providers ORDER BY code",
            "SELECT * FROM accommodations ORDER BY code",
            "SELECT * FROM stays ORDER BY reference",
            "SELECT * FROM notifications ORDER BY key",
            "SELECT run_id, stage, file, sheet, line, column_label, header, raw_value, rule, message, fix FROM rejected_rows ORDER BY run_id, stage, file, line, column_label, rule",
            "SELECT run_id, stage, entity, key, field, old_value, new_value FROM changes ORDER BY run_id, stage, entity, key, field",
            "SELECT run_id, stage, severity, file, sheet, line, rule, message FROM findings ORDER BY run_id, stage, file, line, rule, message",
            "SELECT run_id, stage, rows_in, rows_out, rows_rejected, status FROM stage_runs ORDER BY run_id, stage",
        ]
        return try read(operation: "dump the store") { db in
            var text = ""
            for sql in queries {
                text += "-- \(sql)\n"
                for row in try GRDB.Row.fetchAll(db, sql: sql) {
                    text += row.databaseValues.map { $0.isNull ? "NULL" : "\($0)" }.joined(separator: "|") + "\n"
                }
            }
            return text
        }
    }
}
