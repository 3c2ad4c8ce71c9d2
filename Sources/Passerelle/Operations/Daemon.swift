import Foundation
import Logging
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Synchronization

/// `passerelle daemon`'s loop: on each tick, starts every pipeline whose schedule fell due or whose inbox holds
/// complete files.
///
/// The rules live in `RunBook` (no overlap, one catch-up run after downtime) and `InboxWatcher` (complete files
/// only); this type wires them to the clock, the launcher and the store, so tests drive it with a simulated
/// clock, a recording launcher and a dispatch that runs jobs when the test says. A pipeline's last slot is kept
/// in its store (`schedule_state`); runs start on `dispatch` and report back when they end.
package final class Daemon: Sendable {
    /// Where definitions are read from and the folders that override theirs.
    package struct Settings: Sendable {
        package var definitionsFolder: URL
        package var store: String?
        package var output: String?
        package var smtp: SMTPSettings?
        package var currentDirectory: URL

        package init(definitionsFolder: URL, store: String? = nil, output: String? = nil, smtp: SMTPSettings? = nil) {
            self.definitionsFolder = definitionsFolder
            self.store = store
            self.output = output
            self.smtp = smtp
            currentDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        }
    }

    struct State {
        var book: RunBook
        var pipelines: [DaemonPipeline] = []
        var watchers: [String: InboxWatcher] = [:]
        var isStopping = false
    }

    let settings: Settings
    let passerelle: Passerelle
    let launcher: any PipelineLauncher
    let clock: any OperationsClock
    let logger: Logger
    let dispatch: @Sendable (@escaping @Sendable () -> Void) -> Void
    let state: Mutex<State>

    package init(
        settings: Settings, passerelle: Passerelle = Passerelle(), launcher: any PipelineLauncher,
        clock: any OperationsClock, logger: Logger,
        dispatch: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void
    ) {
        self.settings = settings
        self.passerelle = passerelle
        self.launcher = launcher
        self.clock = clock
        self.logger = logger
        self.dispatch = dispatch
        state = Mutex(State(book: RunBook(startedAt: clock.now())))
    }

    /// The pipelines loaded, by name.
    package var pipelineNames: [String] { state.withLock { $0.pipelines.map(\.name) } }

    /// Whether a pipeline is running now.
    package func isRunning(_ name: String) -> Bool { state.withLock { $0.book.isRunning(name) } }

    /// Loads (or reloads, on SIGHUP) every `*.yml`/`*.yaml` definition of the folder; returns the problems found.
    ///
    /// A definition with errors is left out (its diagnostics are returned); running pipelines finish undisturbed.
    @discardableResult
    package func reload() -> [String] {
        var problems: [String] = []
        var pipelines: [DaemonPipeline] = []
        for file in definitionFiles() {
            let loaded = passerelle.load(file.path)
            guard let spec = loaded.spec else {
                problems.append(passerelle.render(loaded))
                continue
            }
            let pipeline = DaemonPipeline(
                spec: spec, store: settings.store, output: settings.output, currentDirectory: settings.currentDirectory)
            if pipeline.isTriggered { pipelines.append(pipeline) }
        }
        let slots = pipelines.map { ($0.name, try? lastSlot(of: $0)) }  // an unreadable store: counted from now
        state.withLock { state in
            state.pipelines = pipelines
            for (name, slot) in slots { if let slot = slot ?? nil { state.book.seed(name, slot: slot) } }
            var watchers: [String: InboxWatcher] = [:]
            for pipeline in pipelines {
                guard let inbox = pipeline.inbox else { continue }
                let old = state.watchers[pipeline.name]
                watchers[pipeline.name] = old?.inbox == inbox ? old : InboxWatcher(inbox: inbox)
            }
            state.watchers = watchers
        }
        logger.info(
            "Definitions loaded.", metadata: ["pipelines": "\(pipelines.map(\.name))", "problems": "\(problems.count)"])
        return problems
    }

    /// One pass: starts each idle pipeline whose slot fell due or whose inbox batch is complete.
    package func tick() {
        let now = clock.now()
        let starts: [(DaemonPipeline, Date?, InboxWatcher.Batch?)] = state.withLock { state in
            guard !state.isStopping else { return [] }
            var starts: [(DaemonPipeline, Date?, InboxWatcher.Batch?)] = []
            for pipeline in state.pipelines where !state.book.isRunning(pipeline.name) {
                let slot = state.book.dueSlot(pipeline.name, schedule: pipeline.schedule, now: now)
                let batch = scanInbox(of: pipeline, in: &state, now: now)
                guard slot != nil || batch != nil, state.book.begin(pipeline.name) else { continue }
                starts.append((pipeline, slot, batch))
            }
            return starts
        }
        for (pipeline, slot, batch) in starts {
            logger.info(
                "Pipeline due.", metadata: ["pipeline": "\(pipeline.name)", "slot": "\(slot.map { "\($0)" } ?? "-")"])
            dispatch { self.execute(pipeline, slot: slot, batch: batch, startedAt: now) }
        }
    }

    /// Stops starting runs (SIGTERM); runs under way go on to their end.
    package func stop() { state.withLock { $0.isStopping = true } }

    private func scanInbox(of pipeline: DaemonPipeline, in state: inout State, now: Date) -> InboxWatcher.Batch? {
        guard var watcher = state.watchers[pipeline.name] else { return nil }
        defer { state.watchers[pipeline.name] = watcher }
        do {
            return try watcher.scan(now: now)
        } catch {
            logger.warning("Inbox unreadable.", metadata: ["pipeline": "\(pipeline.name)", "error": "\(error)"])
            return nil
        }
    }

    private func definitionFiles() -> [URL] {
        let urls =
            (try? FileManager.default.contentsOfDirectory(  // a missing folder holds no definitions
                at: settings.definitionsFolder, includingPropertiesForKeys: nil)) ?? []
        return urls.filter { ["yml", "yaml"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
    }

    private func lastSlot(of pipeline: DaemonPipeline) throws -> Date? {
        guard pipeline.schedule != nil else { return nil }
        return try Store(path: pipeline.storePath).lastScheduledSlot(pipeline: pipeline.name)
    }
}
