import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Synchronization

/// Which test stages have started, shared by the barrier stages of one test (keyed by a test's own id).
final class StartedRegistry: Sendable {
    static let shared = StartedRegistry()  // test-only shared state; keys are unique per test
    private let started = Mutex(Set<String>())

    func markStarted(_ key: String) { _ = started.withLock { $0.insert(key) } }
    func hasStarted(_ key: String) -> Bool { started.withLock { $0.contains(key) } }
}

/// A test stage that marks itself started, then waits (up to 10 s) for another stage to start.
///
/// Two barrier stages waiting for each other both finish only if they really run at the same time.
struct BarrierStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.barrier", summary: "Wait for another stage to start.",
        options: [
            OptionSpec("group", .string, required: true, "Test id."),
            OptionSpec("wait_for", .string, "Stage to wait for."),
        ], inputs: 0...8)

    let group: String
    let waitFor: String?

    init(spec: StageSpec) throws {
        group = spec.options.string("group") ?? ""
        waitFor = spec.options.string("wait_for")
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        StartedRegistry.shared.markStarted("\(group)/\(context.stageName)")
        if let waitFor {
            let deadline = Date().addingTimeInterval(10)
            while !StartedRegistry.shared.hasStarted("\(group)/\(waitFor)") {
                if Date() > deadline { throw StageError(stage: context.stageName, message: "\(waitFor) never started") }
                usleep(1000)
            }
        }
        return StageOutput(rows: Table(columns: ["n"]), rowsIn: 0)
    }
}

/// A test stage that fails with a fixed message, optionally after writing half a file.
struct FailingStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.fail", summary: "Fail.",
        options: [OptionSpec("partial_file", .string, "Write this file halfway, then fail.")], inputs: 0...8)

    let partialFile: String?

    init(spec: StageSpec) throws { partialFile = spec.options.string("partial_file") }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        if let partialFile {
            try context.writeOutput(named: partialFile) { url in
                try Data("half a report".utf8).write(to: url)
                throw StageError(stage: context.stageName, message: "disk full while writing \(partialFile)")
            }
        }
        throw StageError(stage: context.stageName, message: "the source is unreachable")
    }
}

/// A test stage that passes its inputs' row counts on.
struct PassStage: Stage {
    static let schema = StageKindSchema(kind: "test.pass", summary: "Succeed.", options: [], inputs: 0...8)

    init(spec: StageSpec) throws {}

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        StageOutput(rows: Table(columns: ["n"]), rowsIn: inputs.direct.count)
    }
}

/// A test stage that notes which upstream tables it can still see, then hands on a `rows` and a `file_info` table.
///
/// Option `reads`: `inputs` (its direct inputs' tables only), `files` (those and every upstream `file_info`),
/// anything else: references to upstream tables, separated by commas (`a, b.rows`), read as a stage's
/// `references` are by default.
struct TableSpyStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.tables", summary: "Note the upstream tables in sight.",
        options: [
            OptionSpec("reads", .string, "inputs, files or any."),
            OptionSpec("takes", .boolean, "Take the first input's rows when handed over."),
        ], inputs: 0...8)

    let references: [TableReference]
    let takesInputTables: Bool

    init(spec: StageSpec) throws {
        takesInputTables = spec.options.boolean("takes") ?? false
        switch spec.options.string("reads") ?? "inputs" {
        case "inputs": references = []
        case "files": references = [TableReference(source: "files")]
        case let list:
            references = list.split(separator: ",").map {
                TableReference(source: $0.trimmingCharacters(in: .whitespaces), option: "reads")
            }
        }
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"]), TableShape("file_info", fields: ["path"])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        if takesInputTables {
            // What was handed over is in sight before it is taken, and no longer after.
            let before = inputs.primary != nil
            let taken = inputs.takePrimary() != nil
            context.note("took \(taken) (in sight \(before), after \(inputs.primary != nil)); ")
        }
        let seen = inputs.upstream.map { "\($0.name)[\($0.output.tables.keys.sorted().joined(separator: ","))]" }
        context.note(seen.joined(separator: " "))
        return StageOutput(rows: Table(columns: ["n"]), rowsIn: 0, extra: ["file_info": Table(columns: ["path"])])
    }
}
