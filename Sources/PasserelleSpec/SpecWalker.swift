import Foundation
import PasserelleCore
import Yams

/// Walks a composed definition, building the spec and collecting diagnostics.
struct SpecWalker {
    let loader: SpecLoader
    let file: String
    let baseDirectory: String
    var diagnostics: [Diagnostic] = []
    var variables: [String: String] = [:]
    var definedVariables: [String] = []
    /// Where each `stage\0input` reference is written, for diagnostics on inputs.
    var inputMarks: [String: SourceLocation] = [:]
    /// Where each option of the stage being read is written, by its path (`OptionValues.locations`).
    var optionLocations: [String: SourceLocation] = [:]

    static let topLevelKeys = [
        "name", "description", "schedule", "variables", "store", "output_directory", "stages", "time_zone", "inbox",
        "alerts", "delivery",
    ]
    static let stageKeys = ["kind", "inputs", "description", "options"]

    init(loader: SpecLoader, file: String) {
        self.loader = loader
        self.file = file
        self.baseDirectory = URL(fileURLWithPath: file).deletingLastPathComponent().path
    }

    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return .yaml(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func report(
        _ rule: String, _ node: Node, _ message: String, found: String? = nil, fix: String? = nil,
        severity: Diagnostic.Severity = .error
    ) {
        diagnostics.append(
            Diagnostic(rule: rule, severity: severity, location: location(node), message: message, found: found, fix: fix))
    }

    /// Reports keys of a mapping that are not in `known`, with a did-you-mean.
    mutating func checkKeys(_ mapping: Node.Mapping, known: [String], context: String) {
        diagnostics += Suggestion.unknownKeys(in: mapping, known: known, context: context, location: location)
    }

    mutating func pipeline(from root: Node) -> PipelineSpec? {
        guard let mapping = root.mapping else {
            report("spec.wrong_type", root, "a pipeline definition must be a mapping", fix: "start with 'name:' and 'stages:'")
            return nil
        }
        checkKeys(mapping, known: SpecWalker.topLevelKeys, context: "at the top level of the pipeline")
        readVariables(mapping["variables"])
        let name = requiredString(mapping, "name", in: root) ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let description = mapping["description"].flatMap { scalarString($0, expected: "a string") } ?? ""
        var schedule: CronExpression?
        if let node = mapping["schedule"] { schedule = readSchedule(node) }
        let store = mapping["store"].flatMap { optionValue($0, type: .path(mustExist: false)) }.flatMap(asString)
        let outputs = mapping["output_directory"].flatMap { optionValue($0, type: .path(mustExist: false)) }
            .flatMap(asString)
        var stages: [StageSpec] = []
        if let stagesNode = mapping["stages"] {
            stages = readStages(stagesNode)
        } else {
            report("spec.missing_key", root, "the pipeline has no 'stages'", fix: "add a 'stages:' mapping of named stages")
        }
        checkGraph(stages)
        var spec = PipelineSpec(
            file: file, baseDirectory: baseDirectory, name: name, description: description, schedule: schedule,
            variables: variables, store: store, outputDirectory: outputs, stages: stages)
        readOperations(mapping, into: &spec)
        return spec
    }

    func asString(_ value: OptionValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    mutating func requiredString(_ mapping: Node.Mapping, _ key: String, in parent: Node) -> String? {
        guard let node = mapping[key] else {
            report("spec.missing_key", parent, "the pipeline has no '\(key)'", fix: "add '\(key): ...' at the top level")
            return nil
        }
        return scalarString(node, expected: "a string")
    }

    mutating func scalarString(_ node: Node, expected: String) -> String? {
        guard let scalar = node.scalar else {
            report("spec.wrong_type", node, "expected \(expected), found \(SpecWalker.describe(node))")
            return nil
        }
        return substitute(scalar.string, at: node)
    }

    mutating func readSchedule(_ node: Node) -> CronExpression? {
        guard let text = scalarString(node, expected: "a cron expression") else { return nil }
        do {
            return try CronExpression(parsing: text)
        } catch let problem as CronExpression.Problem {
            report("spec.bad_cron", node, "bad schedule '\(text)': \(problem.message)", found: text, fix: problem.fix)
        } catch {
            report("spec.bad_cron", node, "bad schedule '\(text)'", found: text)
        }
        return nil
    }

    mutating func readStages(_ node: Node) -> [StageSpec] {
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node, "'stages' must be a mapping of stage names to stages, found \(SpecWalker.describe(node))",
                fix: "write each stage as 'name: { kind: ..., inputs: [...], options: {...} }'")
            return []
        }
        var stages: [StageSpec] = []
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if let stage = readStage(name: name.components(separatedBy: "__duplicate_")[0], key: key, node: value) {
                if !name.contains("__duplicate_") { stages.append(stage) }
            }
        }
        return stages
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
