import CMalloc
import Foundation
import Logging
import PasserelleCore
import PasserelleSpec
import PasserelleStore
import Synchronization

/// How a run is made: threads, selection, dry run, clock, store and output folder.
package struct RunOptions: Sendable {
    package var jobs: Int
    package var only: [String] = []
    package var isDryRun = false
    package var isForced = false
    /// The run's clock.
    package var asOf: Date
    package var storePath: String
    /// Root of the per-run output folders (`<root>/<pipeline>/<run>/`).
    package var outputRoot: URL
    /// Seconds to wait for another run's lock (0: stop at once).
    package var waitLockSeconds = 0
    /// Whether the report keeps every stage's tables. When false, a stage's tables are dropped as soon as
    /// every stage that reads them has finished (counts, findings and notes stay), so a large import does
    /// not hold all its intermediate tables at once; the command line runs this way.
    package var keepsTables = true

    package init(jobs: Int, asOf: Date, storePath: String, outputRoot: URL) {
        self.jobs = jobs
        self.asOf = asOf
        self.storePath = storePath
        self.outputRoot = outputRoot
    }
}

/// Receives a run's progress: the CLI draws live lines on a terminal, or logs.
package protocol RunObserver: Sendable {
    func stageStarted(_ name: String, kind: String)
    func stageProgress(_ name: String, rows: Int)
    func stageFinished(_ name: String, summary: StageRunSummary)
}

/// What a run did: each stage's result and outcome, and the one-line summary.
package struct RunReport: Sendable {
    package var runID: Int64
    package var pipeline: String
    package var isDryRun: Bool
    package var succeeded: Bool
    /// Results of the stages that ran to completion, in plan order.
    package var results: [StageResult]
    package var outcomes: [String: Executor.Outcome]
    package var intervals: [String: Executor.Interval]
    package var order: [String]
    package var kinds: [String: String]
    package var outputDirectory: URL
    /// Per input file whose rows a stage of the run stores: rows read, stored and rejected.
    package var accounts: [FileRowAccount] = []

    /// The files whose rows do not add up: each fails the run.
    package var unbalancedAccounts: [FileRowAccount] { accounts.filter { !$0.isBalanced } }

    /// `run 3 of daily-import succeeded: 9 stages` or the failures with what was not run, and the files whose
    /// rows do not add up.
    package var summary: String {
        let failures = stageFailures + unbalancedAccounts.map(RowAccounting.failure)
        let label = isDryRun ? "dry run of \(pipeline)" : "run \(runID) of \(pipeline)"
        if failures.isEmpty { return "\(label) succeeded: \(results.count) stage(s)" }
        return "\(label) failed: " + failures.joined(separator: "; ")
    }

    private var stageFailures: [String] {
        order.compactMap { name -> String? in
            guard case .failed(let cause)? = outcomes[name] else { return nil }
            let skipped = order.filter { if case .notRun(let root)? = outcomes[$0] { return root == name } else { return false } }
            var text = "stage '\(name)' (\(kinds[name] ?? "?")) failed: \(cause)"
            if !skipped.isEmpty { text += "; not run: " + skipped.map { "'\($0)'" }.joined(separator: ", ") }
            return text
        }
    }
}

/// Builds the stages of a checked spec and runs them: lock, store, executor, history.
package struct Runner: Sendable {
    /// Stage kinds by name.
    package var catalog: [String: any Stage.Type]

    package init(catalog: [any Stage.Type]) {
        self.catalog = Dictionary(catalog.map { ($0.schema.kind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Runs a pipeline. Throws only when the run cannot start (lock, store, a stage that cannot be built).
    package func run(_ spec: PipelineSpec, options: RunOptions, observer: (any RunObserver)?, logger: Logger) throws
        -> RunReport
    {
        let plan = try Plan(spec: spec, only: options.only)
        let stages = try buildStages(spec, plan)
        let wiring = Wiring(spec: spec, plan: plan, stages: stages)
        guard wiring.diagnostics.isEmpty else { throw StageBuildError(diagnostics: wiring.diagnostics) }
        let lock = try RunLock(storePath: options.storePath, waitSeconds: options.waitLockSeconds)
        defer { withExtendedLifetime(lock) {} }
        let store = try Store(path: options.storePath)
        let clock = RunClock(asOf: options.asOf)
        let runID =
            options.isDryRun
            ? try store.nextRunID()
            : try store.beginRun(
                pipeline: spec.name, definition: spec.file, asOf: clock.isoAsOf, startedAt: RunClock.now(),
                jobs: options.jobs, forced: options.isForced)
        let folder = options.outputRoot.appendingPathComponent(spec.name)
            .appendingPathComponent(String(format: "run-%04lld", runID))
        logger.info("Run started.", metadata: ["run": "\(runID)", "pipeline": "\(spec.name)", "dry_run": "\(options.isDryRun)"])
        let results = Mutex([String: StageResult]())
        let (outcomes, intervals) = Executor(jobs: options.jobs).execute(plan) { name in
            let stage = stages[name]!  // built above for every planned stage
            let (upstream, handedOver) = results.withLock { r in
                let handedOver =
                    stage.takesInputTables && !options.keepsTables
                    ? Self.handOverTables(&r, to: name, plan: plan, stages: stages) : [:]
                // A stage sees the tables it declared it reads, and no other.
                let reads = stage.tableReads
                let visible = plan.upstream(of: name).compactMap { r[$0] }.map { result in
                    var seen = result
                    seen.output.tables = result.output.tables.filter { table, _ in
                        reads.reads(table, of: result.name, directInputs: plan.inputs[name] ?? [])
                    }
                    return seen
                }
                return (visible, handedOver)
            }
            let direct = (plan.inputs[name] ?? []).compactMap { n in upstream.first { $0.name == n } }
            let context = StageContext(
                stageName: name, kind: plan.kinds[name] ?? "", pipeline: spec.name, runID: runID, asOf: options.asOf,
                isDryRun: options.isDryRun, isForced: options.isForced, store: store,
                logger: logger, outputDirectory: folder,
                imported: { sha in
                    try store.importedFile(pipeline: spec.name, sha256: sha).map { "run \($0.runID), \($0.importedAt)" }
                },
                onProgress: { stageName, rows in observer?.stageProgress(stageName, rows: rows) },
                tableIsRead: Self.isReadDownstream(of: name, plan: plan, stages: stages))
            let result = try runStage(
                stage, name: name, inputs: StageInputs(direct: direct, upstream: upstream, handedOver: handedOver), context: context,
                store: store, wiring: wiring, observer: observer, logger: logger)
            results.withLock {
                $0[name] = result
                if !options.keepsTables { Self.dropFinishedTables(&$0, after: name, plan: plan, stages: stages) }
            }
            Self.returnFreedMemory()
        }
        let ordered = results.withLock { r in plan.order.compactMap { r[$0] } }
        var report = RunReport(
            runID: runID, pipeline: spec.name, isDryRun: options.isDryRun,
            succeeded: outcomes.values.allSatisfy { $0 == .succeeded }, results: ordered, outcomes: outcomes,
            intervals: intervals, order: plan.order, kinds: plan.kinds, outputDirectory: folder)
        report.accounts = try RowAccounting(plan: plan, stages: stages).accounts(
            of: ordered, runID: runID, store: store, isDryRun: options.isDryRun)
        if !report.unbalancedAccounts.isEmpty { report.succeeded = false }
        try finish(&report, store: store, plan: plan, clock: clock, logger: logger)
        return report
    }

    /// Gives the pages malloc holds free back to the system once a stage has finished (its working memory and
    /// the tables just dropped). glibc keeps freed chunks in its arenas, so without this the resident size of a
    /// large import stays at the high-water mark of every stage that ran before, not of the work in hand.
    private static func returnFreedMemory() {
        #if os(Linux)
            _ = malloc_trim(0)
        #endif
    }

    /// Drops the tables of `finished` and of its upstream stages once no stage still to run reads them
    /// (each stage's `tableReads` says which it reads).
    private static func dropFinishedTables(
        _ results: inout [String: StageResult], after finished: String, plan: Plan, stages: [String: any Stage]
    ) {
        for name in plan.upstream(of: finished) + [finished] {
            guard let tables = results[name]?.output.tables, !tables.isEmpty else { continue }
            let isRead = isStillRead(of: name, results: results, plan: plan, stages: stages)
            results[name]?.output.tables = tables.filter { table, _ in isRead(table) }
        }
    }

    /// Whether a stage downstream of `stage` reads a table of it (each stage's `tableReads` says which it reads).
    private static func isReadDownstream(
        of stage: String, plan: Plan, stages: [String: any Stage]
    ) -> @Sendable (_ table: String) -> Bool {
        let readers = plan.order.filter { plan.upstream(of: $0).contains(stage) }.map { reader in
            (reads: stages[reader]?.tableReads ?? .inputsOnly, inputs: plan.inputs[reader] ?? [])
        }
        return { table in readers.contains { $0.reads.reads(table, of: stage, directInputs: $0.inputs) } }
    }

    /// Whether a stage without a result yet (still to run, or running), other than `stage`, may read a table
    /// of `upstream` (each stage's `tableReads` says which it reads).
    private static func isStillRead(
        of upstream: String, except stage: String? = nil, results: [String: StageResult], plan: Plan,
        stages: [String: any Stage]
    ) -> (_ table: String) -> Bool {
        let pending = plan.order.filter { $0 != stage && results[$0] == nil && plan.upstream(of: $0).contains(upstream) }
        return { table in
            pending.contains { reader in
                (stages[reader]?.tableReads ?? .inputsOnly).reads(table, of: upstream, directInputs: plan.inputs[reader] ?? [])
            }
        }
    }

    /// Takes out of `results` the tables of `stage`'s direct inputs that no other stage still to run (or running)
    /// reads, so that `stage` holds their only copy (`StageInputs.take(_:)`).
    private static func handOverTables(
        _ results: inout [String: StageResult], to stage: String, plan: Plan, stages: [String: any Stage]
    ) -> [String: Table] {
        var handedOver: [String: Table] = [:]
        for input in plan.inputs[stage] ?? [] {
            guard let tables = results[input]?.output.tables else { continue }
            let isRead = isStillRead(of: input, except: stage, results: results, plan: plan, stages: stages)
            for (table, _) in tables where !isRead(table) {
                handedOver["\(input).\(table)"] = results[input]?.output.tables.removeValue(forKey: table)
            }
        }
        return handedOver
    }

    private func buildStages(_ spec: PipelineSpec, _ plan: Plan) throws -> [String: any Stage] {
        switch StageFactory.build(spec, catalog: catalog, only: Set(plan.kinds.keys)) {
        case .built(let stages): return stages
        case .failed(let diagnostics): throw StageBuildError(diagnostics: diagnostics)
        }
    }
}
