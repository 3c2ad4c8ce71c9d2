import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Synchronization

@testable import Passerelle

/// A clock the test moves by hand.
final class SimulatedClock: OperationsClock {
    private let instant: Mutex<Date>

    init(_ start: Date) { instant = Mutex(start) }

    func now() -> Date { instant.withLock { $0 } }
    func advance(seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A launcher that records what it was asked to run and answers a fixed result.
final class RecordingLauncher: PipelineLauncher {
    private let calls = Mutex<[(name: String, asOf: Date)]>([])
    let result: LaunchResult

    init(result: LaunchResult = LaunchResult(succeeded: true, summary: "run 1 succeeded")) { self.result = result }

    func run(_ pipeline: DaemonPipeline, overrides: [String: String], asOf: Date) -> LaunchResult {
        calls.withLock { $0.append((pipeline.name, asOf)) }
        return result
    }

    var runs: [String] { calls.withLock { $0.map(\.name) } }
}

/// Jobs the daemon dispatched, held until the test runs them (a long run, a killed daemon).
final class HeldJobs: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])

    init() {}

    func hold(_ job: @escaping @Sendable () -> Void) { jobs.withLock { $0.append(job) } }
    var count: Int { jobs.withLock { $0.count } }

    /// Runs the held jobs, in order.
    func runAll() {
        for job in jobs.withLock({ jobs in
            defer { jobs.removeAll() }; return jobs
        }) { job() }
    }
}

/// Reads the file at `path` as an import would: once per content (the store remembers it), failing on `BAD`.
struct ReadFileStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.read_file", summary: "Read a dropped file.",
        options: [OptionSpec("path", .string, required: true, "The file.")], inputs: 0...0)

    let path: String

    init(spec: StageSpec) throws { path = spec.options.string("path") ?? "" }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard try context.shouldRead(inputFile: path) else {
            return StageOutput(rows: Table(columns: ["n"]), rowsIn: 0)
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        if text.contains("BAD") {
            throw StageError(stage: context.stageName, message: "\(name): no column 'Référence' in the header row")
        }
        try context.writeOutput(named: "read-\(name).txt") { try Data(text.utf8).write(to: $0) }
        return StageOutput(rows: Table(columns: ["n"]), rowsIn: 1)
    }
}

/// Fails while a marker file exists: stands for a daemon killed in the middle of a run.
struct FailIfExistsStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.fail_if_exists", summary: "Fail while a marker file exists.",
        options: [OptionSpec("marker", .string, required: true, "The marker file.")], inputs: 0...8)

    let marker: String

    init(spec: StageSpec) throws { marker = spec.options.string("marker") ?? "" }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        if FileManager.default.fileExists(atPath: marker) {
            throw StageError(stage: context.stageName, message: "the process was killed")
        }
        return StageOutput(rows: Table(columns: ["n"]), rowsIn: 0)
    }
}
