import PasserelleStore
import PasserelleEngine
import PasserelleCore
import PasserelleSpec
import ArgumentParser
import Foundation
import Logging
import Passerelle

/// `passerelle run FILE`: runs a pipeline.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a pipeline: independent stages side by side, then its outputs.")

    @Argument(help: "A pipeline definition file.")
    var file: String

    @Option(name: .customLong("var"), help: "Override a variable: --var name=value (repeatable).")
    var variables: [String] = []

    @Option(help: "Stages run at once at most (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Run only this stage and what it needs (repeatable).")
    var only: [String] = []

    @Flag(help: "Read and validate, write nothing, and say what a real run would do.")
    var dryRun = false

    @Flag(help: "Import files again even if the same content was already imported.")
    var force = false

    @Option(help: "The run's clock (2026-11-24 or 2026-11-24T06:00:00Z); default SOURCE_DATE_EPOCH or now.")
    var asOf: String?

    @Option(help: "The store (default: the definition's 'store:', else var/passerelle.sqlite in the current folder).")
    var store: String?

    @Option(help: "Root of the per-run output folders (default: the definition's 'output_directory:', else out/).")
    var output: String?

    @Option(help: "Seconds to wait for another run on the same store (default 0: stop at once).")
    var waitLock: Int = 0

    @Flag(help: "Log debug lines and error sources.")
    var verbose = false

    func run() throws {
        let passerelle = Passerelle()
        let loaded = passerelle.load(file, overrides: try parseVariables(variables))
        guard let spec = loaded.spec else {
            print(passerelle.render(loaded))
            throw Exit.badDefinition
        }
        let environment = ProcessInfo.processInfo.environment
        let asOfDate: Date
        do { asOfDate = try RunClockParser.resolve(asOf, environment) } catch {
            print("error: \(error)")
            throw Exit.cannotStart
        }
        var options = RunOptionsBuilder.make(
            jobs: jobs, asOf: asOfDate, store: store ?? spec.store ?? "var/passerelle.sqlite",
            output: output ?? spec.outputDirectory ?? "out")
        options.only = only
        options.isDryRun = dryRun
        options.isForced = force
        options.waitLockSeconds = waitLock
        let terminal = isatty(STDERR_FILENO) == 1 && environment["CI"] == nil
        let logger = CLILogging.logger(verbose: verbose, terminal: terminal)
        let observer: (any RunObserverType)? = terminal ? TerminalProgress() : nil
        let report: RunReportType
        do {
            report = try passerelle.run(spec, options: options, observer: observer, logger: logger)
        } catch let error as RunLockErrorType {
            print("error: \(error)")
            throw Exit.locked
        } catch {
            print("error: the run could not start: \(error)")
            throw Exit.cannotStart
        }
        (observer as? TerminalProgress)?.close()
        print(RunSummaryText.render(report), terminator: "")
        if !report.succeeded {
            if let alerts = spec.alerts, !options.isDryRun {
                sendAlert(alerts, pipeline: spec.name, summary: report.summary, outputRoot: options.outputRoot, logger: logger)
            }
            throw Exit.stageFailed
        }
    }

    /// Tells the pipeline's `alerts.to` that this run failed (a run started by hand or from cron, as the
    /// daemon does for its own runs): the alert is written under `out/<pipeline>/alerts/` and sent when
    /// `PASSERELLE_SMTP_URL` is set.
    private func sendAlert(_ alerts: AlertSpec, pipeline: String, summary: String, outputRoot: URL, logger: Logger) {
        let alert = FailureAlert(
            pipeline: pipeline, alerts: alerts, trigger: "passerelle run (à la main ou par cron)", summary: summary,
            date: Date())
        do {
            let file = try alert.write(outputRoot: outputRoot)
            logger.warning("Failure alert written.", metadata: ["file": "\(file.path)"])
            guard let smtp = SMTPSettings.fromEnvironment(ProcessInfo.processInfo.environment) else { return }
            for (recipient, outcome) in try alert.send(with: SMTPTransport(settings: smtp)) {
                logger.info("Failure alert sent.", metadata: ["to": "\(recipient)", "outcome": "\(outcome)"])
            }
        } catch {
            logger.error("Failure alert not written.", metadata: ["pipeline": "\(pipeline)", "error": "\(error)"])
        }
    }
}
