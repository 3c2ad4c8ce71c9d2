import Foundation
import Logging
import PasserelleCore
import PasserelleSpec
import PasserelleStore

extension Runner {
    /// Runs one stage, records its outcome in the store (unless dry run) and returns its result.
    func runStage(
        _ stage: any Stage, name: String, inputs: StageInputs, context: StageContext, store: Store, wiring: Wiring,
        observer: (any RunObserver)?, logger: Logger
    ) throws -> StageResult {
        let startedAt = RunClock.now()
        observer?.stageStarted(name, kind: context.kind)
        logger.debug("Stage started.", metadata: ["stage": "\(name)", "kind": "\(context.kind)"])
        var output = StageOutput()
        var failure: (any Error)?
        do {
            output = try stage.run(inputs, in: context)
            if let mismatch = wiring.mismatch(of: output, stage: name) {
                throw StageError(
                    stage: name, message: "stage '\(name)' (\(context.kind)) is not what it declares: \(mismatch)",
                    fix: "this is a defect of the stage kind '\(context.kind)': report it with the pipeline")
            }
        } catch {
            failure = error
        }
        let state = context.snapshot()
        let stored = state.stored.ranges()
        let summary = StageRunSummary(
            stage: name, kind: context.kind, startedAt: startedAt, finishedAt: RunClock.now(), rowsIn: output.rowsIn,
            rowsOut: output.rowsOut, rowsRejected: state.rowsRejected, status: failure == nil ? "succeeded" : "failed",
            error: failure.map { "\($0)" })
        if !context.isDryRun {
            try store.recordStage(
                runID: context.runID, summary, rejected: failure == nil ? state.rejected : [],
                findings: failure == nil ? state.findings : [], changes: [],
                stored: failure == nil ? stored : [], owed: failure == nil ? state.owed : [])
        }
        observer?.stageFinished(name, summary: summary)
        logger.info(
            failure == nil ? "Stage finished." : "Stage failed.",
            metadata: [
                "stage": "\(name)", "rows_in": "\(summary.rowsIn)", "rows_out": "\(summary.rowsOut)",
                "rows_rejected": "\(summary.rowsRejected)",
            ])
        if let failure { throw failure }
        return StageResult(
            name: name, kind: context.kind, output: output, rejected: state.rejected, rowsRejected: state.rowsRejected,
            findings: state.findings, notes: state.notes, files: state.files,
            fileCount: state.fileCount, inputFiles: state.inputFiles,
            changes: state.changes, stored: stored, filesRead: Self.filesRead(output))
    }

    /// The rows read per file, from a reader's `file_info` table (path, sheet, status, rows read).
    static func filesRead(_ output: StageOutput) -> [FileRead] {
        guard let info = output.tables["file_info"] else { return [] }
        return info.rows.map { row in
            FileRead(
                path: info.value("path", in: row).text ?? "", sheet: info.value("sheet", in: row).text,
                rows: Int(info.value("rows_read", in: row).integer ?? 0),
                status: info.value("status", in: row).text ?? "")
        }
    }

    /// Closes the run: records imported files (successful real runs only) and the run's status.
    func finish(_ report: inout RunReport, store: Store, plan: Plan, clock: RunClock, logger: Logger) throws {
        let summary = report.summary
        if report.isDryRun {
            logger.info("Dry run finished; nothing was written.", metadata: ["summary": "\(summary)"])
            return
        }
        if report.succeeded {
            let files = report.results.flatMap(\.inputFiles).map {
                (stage: $0.stage, path: $0.path, size: $0.size, sha256: $0.sha256)
            }
            try store.recordInputFiles(
                runID: report.runID, pipeline: report.pipeline, files: files, importedAt: clock.isoAsOf)
        }
        try store.finishRun(
            report.runID, status: report.succeeded ? "succeeded" : "failed", finishedAt: RunClock.now(),
            summary: summary)
        if report.succeeded {
            logger.info("Run finished.", metadata: ["summary": "\(summary)"])
        } else {
            logger.error("Run failed.", metadata: ["summary": "\(summary)"])
        }
    }
}

/// The run's clock: the instant outputs are stamped with, and wall-clock times for the history.
package struct RunClock: Sendable {
    package var asOf: Date

    /// The as-of instant in ISO 8601 UTC.
    package var isoAsOf: String { RunClock.iso(asOf) }

    /// Wall-clock now, for the history's start and end times only (never in outputs).
    package static func now() -> String { iso(Date()) }

    package static func iso(_ date: Date) -> String {
        var formatter = Date.ISO8601FormatStyle()
        formatter.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return date.formatted(formatter)
    }

    /// The clock from `--as-of` (ISO date or date-time), else `SOURCE_DATE_EPOCH`, else now.
    package static func resolve(asOf: String?, environment: [String: String]) throws -> Date {
        if let asOf {
            if let date = try? Date.ISO8601FormatStyle().parse(asOf) { return date }  // nil: try a plain date next
            if let day = CalendarDate.parse(asOf) {
                return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86400)
            }
            throw StageError(
                stage: "", message: "--as-of '\(asOf)' is not a date", fix: "write 2026-11-24 or 2026-11-24T06:00:00Z")
        }
        if let epoch = environment["SOURCE_DATE_EPOCH"], let seconds = Double(epoch) {
            return Date(timeIntervalSince1970: seconds)
        }
        return Date()
    }
}
