import Foundation
import Logging
import PasserelleEngine
import PasserelleSpec

/// Reads the time: the system clock in production, a simulated one in tests.
package protocol OperationsClock: Sendable {
    func now() -> Date
}

/// The system clock, for the daemon and `send` (stages never read it: their clock is the run's `asOf`).
package struct SystemClock: OperationsClock {
    package init() {}
    package func now() -> Date { Date() }
}

/// How a run launched by the daemon ended.
package struct LaunchResult: Sendable, Equatable {
    package var succeeded: Bool
    /// The run's summary line, or the definition's diagnostics, or why it could not start.
    package var summary: String
    /// The run folder (`out/<pipeline>/run-NNNN`), when the run started.
    package var runFolder: URL?

    package init(succeeded: Bool, summary: String, runFolder: URL? = nil) {
        self.succeeded = succeeded
        self.summary = summary
        self.runFolder = runFolder
    }
}

/// Runs one pipeline for the daemon; the façade in production, a recorder in tests.
package protocol PipelineLauncher: Sendable {
    /// Runs the definition `pipeline.file` with `overrides` as `--var`s, its clock at `asOf`.
    func run(_ pipeline: DaemonPipeline, overrides: [String: String], asOf: Date) -> LaunchResult
}

/// Runs pipelines through the `Passerelle` façade, as `passerelle run` does.
package struct FacadeLauncher: PipelineLauncher {
    package var passerelle: Passerelle
    package var logger: Logger
    /// Seconds a run waits for another run on the same store before giving up (default one hour).
    package var waitLockSeconds = 3600

    package init(passerelle: Passerelle = Passerelle(), logger: Logger) {
        self.passerelle = passerelle
        self.logger = logger
    }

    package func run(_ pipeline: DaemonPipeline, overrides: [String: String], asOf: Date) -> LaunchResult {
        let loaded = passerelle.load(pipeline.file, overrides: overrides)
        guard let spec = loaded.spec else { return LaunchResult(succeeded: false, summary: passerelle.render(loaded)) }
        var options = RunOptions(
            jobs: ProcessInfo.processInfo.activeProcessorCount, asOf: asOf, storePath: pipeline.storePath,
            outputRoot: pipeline.outputRoot)
        options.waitLockSeconds = waitLockSeconds
        options.keepsTables = false
        do {
            let report = try passerelle.run(spec, options: options, observer: nil, logger: logger)
            return LaunchResult(
                succeeded: report.succeeded, summary: report.summary, runFolder: report.outputDirectory)
        } catch {
            return LaunchResult(succeeded: false, summary: "the run of \(pipeline.name) could not start: \(error)")
        }
    }
}
