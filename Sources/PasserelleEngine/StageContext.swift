import Foundation
import Logging
import PasserelleCore
import Synchronization

/// Everything a stage may touch while it runs: the run's clock, the store, the output folder, and the
/// places to put rejected rows, findings, notes and progress.
///
/// Stages never read the wall clock, open the store or write files themselves: going through the
/// context keeps `--dry-run`, idempotence and `--jobs 1` = `--jobs 8` true for every stage.
package final class StageContext: Sendable {
    package let stageName: String
    package let kind: String
    package let pipeline: String
    package let runID: Int64
    /// The run's clock (`--as-of`, `SOURCE_DATE_EPOCH`, or the start of the run).
    package let asOf: Date
    package let isDryRun: Bool
    package let isForced: Bool
    package let store: any DomainStore
    package let logger: Logger
    /// The run folder outputs go to (`out/<pipeline>/<run>/`).
    package let outputDirectory: URL
    private let imported: @Sendable (String) throws -> String?
    private let tableIsRead: @Sendable (String) -> Bool
    private let onProgress: @Sendable (String, Int) -> Void
    private let state = Mutex(State())

    struct State {
        var rejected: [Diagnostic] = []
        var rowsRejected = 0
        var findings: [Diagnostic] = []
        var notes: [String] = []
        var files: [String] = []
        var fileCount = 0
        var inputFiles: [InputFile] = []
        var changes: [ChangeRecord] = []
        var stored = StoredLineSet()
        var owed: [OwedNotification] = []
    }

    package init(
        stageName: String, kind: String, pipeline: String, runID: Int64, asOf: Date, isDryRun: Bool, isForced: Bool,
        store: any DomainStore, logger: Logger, outputDirectory: URL,
        imported: @escaping @Sendable (String) throws -> String?,
        onProgress: @escaping @Sendable (String, Int) -> Void,
        tableIsRead: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.tableIsRead = tableIsRead
        self.stageName = stageName
        self.kind = kind
        self.pipeline = pipeline
        self.runID = runID
        self.asOf = asOf
        self.isDryRun = isDryRun
        self.isForced = isForced
        self.store = store
        self.logger = logger
        self.outputDirectory = outputDirectory
        self.imported = imported
        self.onProgress = onProgress
    }

    /// Whether a stage downstream of this one reads its table `name` (its declared reads say so). A storing
    /// stage hands notifications still owed by earlier runs on only when a stage will prepare them.
    package func isRead(table name: String) -> Bool { tableIsRead(name) }

    /// The scope for this stage's store writes (rolled back in a dry run).
    package var writeScope: WriteScope { WriteScope(runID: runID, stage: stageName, commit: !isDryRun) }

    /// Rejects one row with one or more reasons; the row is kept in the store's rejected rows and the reports.
    package func reject(_ reasons: [Diagnostic]) {
        guard !reasons.isEmpty else { return }
        state.withLock {
            $0.rejected += reasons
            $0.rowsRejected += 1
        }
    }

    /// Records a warning or alert that rejects nothing (an overlap, a formula conflict).
    package func report(_ finding: Diagnostic) {
        state.withLock { $0.findings.append(finding) }
    }

    /// Owes notifications for what the stage found: kept in the outbox in the same transaction as the stage's
    /// findings (when the stage succeeds), pending until an e-mail batch of their kind prepares them.
    package func owe(_ kind: String, keys: some Sequence<String>) {
        state.withLock { state in
            for key in keys { state.owed.append(OwedNotification(kind: kind, key: key)) }
        }
    }

    /// Adds a line to what the stage did (or would do, in a dry run).
    package func note(_ text: String) {
        state.withLock { $0.notes.append(text) }
    }

    /// Records changes made to the store, for the run's report.
    package func recordChanges(_ changes: [ChangeRecord]) {
        state.withLock { $0.changes += changes }
    }

    /// Records rows as stored, by their location: the end of the run checks, per file, that the rows read are
    /// the rows stored plus the rows rejected. Call it for the rows the store has taken (created, updated or
    /// found unchanged), never for a row rejected.
    package func recordStored(_ locations: some Sequence<SourceLocation>) {
        state.withLock { state in
            for location in locations { state.stored.insert(location) }
        }
    }

    /// Reports how many rows the stage has handled so far (for the live progress line).
    package func progress(rows: Int) {
        onProgress(stageName, rows)
    }

    /// Whether an input file must be read: false when the same content was already imported by this
    /// pipeline (unless `--force`); the decision is noted either way.
    package func shouldRead(inputFile path: String) throws -> Bool {
        let (sha, size) = try FileDigest.sha256(ofFileAt: path)
        let name = URL(fileURLWithPath: path).lastPathComponent
        if !isForced, let previous = try imported(sha) {
            note("skipped \(name): the same content was already imported (\(previous)); use --force to import it again")
            return false
        }
        state.withLock { $0.inputFiles.append(InputFile(stage: stageName, path: path, size: size, sha256: sha)) }
        return true
    }

    /// Writes an output file atomically: `write` fills a temporary file beside the final name, which is
    /// renamed into place only when `write` returns. In a dry run nothing is written and the file is listed.
    package func writeOutput(named name: String, _ write: (URL) throws -> Void) throws {
        state.withLock { $0.list([name]) }
        if isDryRun { return }
        try AtomicOutput.write(to: outputDirectory.appendingPathComponent(name), write)
    }

    /// A folder for many small output files (an e-mail batch), renamed into place when committed; in a dry
    /// run nothing is written and the files are listed.
    package func outputFolder(named name: String) throws -> OutputFolder {
        try OutputFolder(name: name, in: outputDirectory, isDryRun: isDryRun) { [self] names in
            self.state.withLock { $0.list(names) }
        }
    }

    func snapshot() -> State { state.withLock { $0 } }
}

extension StageContext.State {
    /// Counts files written and keeps the first names (`StageResult.listedFiles`).
    mutating func list(_ names: [String]) {
        fileCount += names.count
        files += names.prefix(max(0, StageResult.listedFiles - files.count))
    }
}

/// Writes files under a temporary name and renames them into place.
package enum AtomicOutput {
    /// Calls `write` with a temporary URL in the destination folder, then renames it to `destination`.
    /// If `write` throws, the temporary file is removed and nothing appears under the final name.
    package static func write(to destination: URL, _ write: (URL) throws -> Void) throws {
        let folder = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).partial-\(getpid())")
        do {
            try write(temporary)
            if FileManager.default.fileExists(atPath: destination.path) {
                _ = try FileManager.default.replaceItemAt(destination, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: destination)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)  // best effort: the error below is what matters
            throw error
        }
    }
}
