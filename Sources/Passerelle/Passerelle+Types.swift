import PasserelleCore
import PasserelleSpec
import Foundation
import PasserelleEngine
import PasserelleStore

/// The engine types the command line needs, named through the façade.
package typealias RunObserverType = RunObserver
package typealias RunReportType = RunReport
package typealias RunLockErrorType = RunLockError
package typealias StageRunSummaryType = StageRunSummary

/// Resolves the run's clock from `--as-of` and `SOURCE_DATE_EPOCH`.
package enum RunClockParser {
    package static func resolve(_ asOf: String?, _ environment: [String: String]) throws -> Date {
        try RunClock.resolve(asOf: asOf, environment: environment)
    }
}

/// Builds run options with paths resolved against the current folder.
package enum RunOptionsBuilder {
    package static func make(jobs: Int, asOf: Date, store: String, output: String) -> RunOptions {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let storePath = store.hasPrefix("/") ? store : cwd.appendingPathComponent(store).standardizedFileURL.path
        let outputURL = output.hasPrefix("/") ? URL(fileURLWithPath: output) : cwd.appendingPathComponent(output).standardizedFileURL
        var options = RunOptions(jobs: jobs, asOf: asOf, storePath: storePath, outputRoot: outputURL)
        options.keepsTables = false  // the report needs counts, not tables: drop each as soon as it is read
        return options
    }
}

/// The text `passerelle run` prints at the end: what each stage did, files written, and the summary.
package enum RunSummaryText {
    package static func render(_ report: RunReport) -> String {
        var text = ""
        for name in report.order {
            let result = report.results.first { $0.name == name }
            switch report.outcomes[name] {
            case .succeeded?:
                guard let result else { continue }
                var line = "  \(name) [\(result.kind)]: \(result.output.rowsIn) in, \(result.output.rowsOut) out"
                if result.rowsRejected > 0 { line += ", \(result.rowsRejected) rejected" }
                if !result.findings.isEmpty { line += ", \(result.findings.count) finding(s)" }
                text += line + "\n"
                for note in result.notes { text += "      \(note)\n" }
                text += rejectionLines(result, dryRun: report.isDryRun)
                let verb = report.isDryRun ? "would write" : "wrote"
                let shown = result.fileCount > StageResult.listedFiles ? 2 : result.files.count
                for file in result.files.prefix(shown) {
                    text += "      \(verb) \(report.outputDirectory.appendingPathComponent(file).path)\n"
                }
                if result.fileCount > shown {
                    text += "      \(verb) \(result.fileCount - shown) more file(s) under \(report.outputDirectory.path)\n"
                }
            case .failed(let cause)?:
                text += "  \(name) [\(report.kinds[name] ?? "?")]: FAILED: \(cause)\n"
            case .notRun(let root)?:
                text += "  \(name) [\(report.kinds[name] ?? "?")]: not run (upstream stage '\(root)' failed)\n"
            case nil:
                continue
            }
        }
        return text + fileLines(report) + report.summary + "\n"
    }

    /// For each input file read: rows read = rows stored + rows rejected, as checked at the end of the run
    /// (counted from the store), or, for a file no stage of the pipeline stores, its rows read and rejected.
    private static func fileLines(_ report: RunReport) -> String {
        let accounts = Dictionary(report.accounts.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        let rejected = report.results.rejectedRowCounts()
        var text = ""
        for file in report.results.flatMap(\.filesRead) {
            let name = URL(fileURLWithPath: file.path).lastPathComponent
            if file.rows == 0 && rejected[file.path] == nil {
                text += "file \(name): \(file.status)\n"
            } else if let account = accounts[file.path] {
                let sign = account.isBalanced ? "=" : "≠"
                text += "file \(name): \(account.read) row(s) read \(sign) \(account.stored) stored + "
                    + "\(account.rejected) rejected\n"
            } else {
                text += "file \(name): \(file.rows) row(s) read, \(rejected[file.path] ?? 0) rejected "
                    + "(no stage of this pipeline stores its rows)\n"
            }
        }
        return text
    }

    /// Rejected rows of a stage counted by rule, with one example each (the reasons a user must act on).
    private static func rejectionLines(_ result: StageResult, dryRun: Bool) -> String {
        var byRule: [String: [Diagnostic]] = [:]
        for diagnostic in result.rejected { byRule[diagnostic.rule, default: []].append(diagnostic) }
        var text = ""
        for rule in byRule.keys.sorted() {
            let examples = byRule[rule] ?? []
            guard let first = examples.first else { continue }
            text += "      \(dryRun ? "would reject" : "rejected") \(examples.count) × [\(rule)], e.g. \(first.location.rendered): \(first.message)\n"
        }
        return text
    }
}

/// Reads the run history for `passerelle history`.
package struct History {
    let store: Store

    package init(storePath: String) throws { store = try Store(path: storePath) }

    /// Past runs, newest first, one line each.
    package func list() throws -> String {
        let runs = try store.runs()
        if runs.isEmpty { return "no runs yet\n" }
        var text = "RUN  PIPELINE              STATUS     AS OF                 SUMMARY\n"
        for run in runs {
            text += String(run.id).padding(5) + run.pipeline.padding(22) + run.status.padding(11) + run.asOf.padding(22)
                + (run.summary ?? "") + "\n"
        }
        return text
    }

    /// One run's stages with their counts, and its rejected rows by rule.
    package func detail(run id: Int64) throws -> String {
        guard let run = try store.runs(limit: 100_000).first(where: { $0.id == id }) else {
            return "no run \(id) in this store; `passerelle history` lists the runs\n"
        }
        var text = "run \(run.id) of \(run.pipeline) (\(run.definition)): \(run.status)\n"
        text += "as of \(run.asOf), started \(run.startedAt), finished \(run.finishedAt ?? "-")\n"
        text += "STAGE                   KIND                         IN      OUT     REJECTED  STATUS\n"
        for stage in try store.stageRuns(of: id) {
            text += stage.stage.padding(24) + stage.kind.padding(29) + String(stage.rowsIn).padding(8)
                + String(stage.rowsOut).padding(8) + String(stage.rowsRejected).padding(10) + stage.status + "\n"
            if let error = stage.error { text += "    error: \(error)\n" }
        }
        let rejections = try store.rejectionCounts(of: id)
        if !rejections.isEmpty {
            text += "rejected rows by rule:\n"
            for (rule, count) in rejections { text += "  \(rule): \(count)\n" }
        }
        if let summary = run.summary { text += summary + "\n" }
        return text
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
