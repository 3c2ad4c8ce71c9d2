import Foundation
import PasserelleCore
import Yams

extension SpecWalker {
    mutating func readStage(name: String, key: Node, node: Node) -> StageSpec? {
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node, "stage '\(name)' must be a mapping, found \(SpecWalker.describe(node))",
                fix: "write 'kind:', 'inputs:' and 'options:' under the stage name")
            return nil
        }
        checkKeys(mapping, known: SpecWalker.stageKeys, context: "in stage '\(name)'")
        guard let kindNode = mapping["kind"] else {
            report(
                "spec.missing_key", key, "stage '\(name)' has no 'kind'",
                fix: "add 'kind:' with one of the stage kinds (see `passerelle kinds`)")
            return nil
        }
        let kind = scalarString(kindNode, expected: "a stage kind") ?? ""
        let schema = loader.kinds[kind]
        if schema == nil, !kind.isEmpty {
            let suggestion = Suggestion.nearest(to: kind, in: loader.kinds.keys.sorted())
            report(
                "spec.unknown_kind", kindNode, "unknown stage kind '\(kind)' in stage '\(name)'", found: kind,
                fix: suggestion.map { "did you mean '\($0)'?" } ?? "run `passerelle kinds` to list the stage kinds")
        }
        let inputs = readInputs(mapping["inputs"], stage: name)
        let description = mapping["description"].flatMap { scalarString($0, expected: "a string") }
        var options = OptionValues()
        if let schema {
            options = readOptions(mapping["options"], schema: schema, stage: name, stageNode: key)
            checkInputCount(inputs.count, schema: schema, stage: name, node: mapping["inputs"] ?? key)
        }
        return StageSpec(
            name: name, kind: kind, inputs: inputs, description: description, options: options, location: location(key))
    }

    mutating func readInputs(_ node: Node?, stage: String) -> [String] {
        guard let node else { return [] }
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else {
            report(
                "spec.wrong_type", node, "'inputs' of stage '\(stage)' must be a list of stage names",
                found: nil, fix: "write 'inputs: [other_stage]'")
            return []
        }
        var names: [String] = []
        for item in sequence {
            guard let name = item.scalar?.string else {
                report("spec.wrong_type", item, "an input must be a stage name, found \(SpecWalker.describe(item))")
                continue
            }
            names.append(name)
            inputMarks[stage + "\u{0}" + name] = location(item)
        }
        return names
    }

    mutating func checkInputCount(_ count: Int, schema: StageKindSchema, stage: String, node: Node) {
        guard !schema.inputs.contains(count) else { return }
        let range = schema.inputs
        let expected =
            range.lowerBound == range.upperBound
            ? "\(range.lowerBound)" : range.upperBound > 100 ? "at least \(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
        report(
            "spec.input_count", node,
            "stage '\(stage)' (\(schema.kind)) takes \(expected) input(s), found \(count)",
            fix: range.upperBound == 0 ? "remove 'inputs'; this kind reads files, not other stages" : "list the upstream stages under 'inputs'")
    }
}
