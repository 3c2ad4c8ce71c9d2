import ArgumentParser
import Dispatch
import Foundation
import Logging
import Passerelle

/// `passerelle daemon [FOLDER]`: runs the pipelines of a folder on their schedules and inboxes, until SIGTERM.
struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run every scheduled or inbox-triggered pipeline of a folder, unattended.",
        discussion: """
            Loads every *.yml definition of FOLDER (default pipelines/) and checks each minute-slot of their \
            'schedule:' (in their 'time_zone:', Europe/Paris by default) and their 'inbox:'. A pipeline never \
            runs twice at once; after downtime a missed schedule runs once. SIGHUP reloads the definitions; \
            SIGTERM (or Ctrl-C) starts nothing new, lets the runs under way finish, then exits 0.
            """)

    @Argument(help: "The folder of pipeline definitions.")
    var folder = "pipelines"

    @Option(help: "Seconds between two looks at the schedules and inboxes (default 20).")
    var interval = 20

    @Option(help: "The store, for every pipeline (default: each definition's 'store:', else var/passerelle.sqlite).")
    var store: String?

    @Option(help: "Root of the output folders (default: each definition's 'output_directory:', else out/).")
    var output: String?

    @Flag(help: "Log debug lines.")
    var verbose = false

    func run() throws {
        guard interval > 0 else { throw ValidationError("--interval must be at least 1 second") }
        let logger = CLILogging.logger(verbose: verbose, terminal: false)
        let runs = DispatchQueue(label: "passerelle.daemon.runs", attributes: .concurrent)
        let group = DispatchGroup()
        let settings = Daemon.Settings(
            definitionsFolder: URL(fileURLWithPath: folder), store: store, output: output,
            smtp: SMTPSettings.fromEnvironment(ProcessInfo.processInfo.environment))
        let daemon = Daemon(
            settings: settings, launcher: FacadeLauncher(logger: logger), clock: SystemClock(), logger: logger,
            dispatch: { job in runs.async(group: group, execute: job) })
        for problem in daemon.reload() { FileHandle.standardError.write(Data((problem + "\n").utf8)) }
        let sources = DaemonSignals.install(daemon: daemon, group: group, interval: interval, logger: logger)
        // dispatchMain() never returns; the sources stay referenced (a released source stops firing).
        withExtendedLifetime(sources) { dispatchMain() }
    }
}

/// The daemon's timer and signal sources, on one serial queue.
enum DaemonSignals {
    /// Ticks every `interval` seconds; SIGHUP reloads; SIGTERM and SIGINT stop after the runs under way.
    ///
    /// Returns the sources, which the caller keeps for as long as the daemon runs.
    static func install(daemon: Daemon, group: DispatchGroup, interval: Int, logger: Logger)
        -> [any DispatchSourceProtocol]
    {
        let control = DispatchQueue(label: "passerelle.daemon.control")
        let timer = DispatchSource.makeTimerSource(queue: control)
        timer.schedule(deadline: .now(), repeating: .seconds(interval))
        timer.setEventHandler { daemon.tick() }
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] { signal(signalNumber, SIG_IGN) }
        let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: control)
        hangUp.setEventHandler {
            logger.info("SIGHUP received; reloading definitions.")
            for problem in daemon.reload() { FileHandle.standardError.write(Data((problem + "\n").utf8)) }
        }
        let stops = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: control) }
        for source in stops {
            source.setEventHandler {
                logger.info("Stop requested; waiting for the runs under way to finish.")
                daemon.stop()
                timer.cancel()
                group.notify(queue: control) {
                    logger.info("Daemon stopped.")
                    exit(0)
                }
            }
        }
        let sources: [any DispatchSourceProtocol] = [timer, hangUp] + stops
        for source in sources { source.resume() }
        return sources
    }
}
