import Foundation
import PasserelleCore
import PasserelleSpec

/// The stages to run, in dependency order, grouped in levels whose stages can run side by side.
package struct Plan: Sendable {
    /// Levels of stage names; every stage's inputs are in earlier levels.
    package var levels: [[String]]
    /// Inputs of each selected stage.
    package var inputs: [String: [String]]
    /// Kind of each selected stage.
    package var kinds: [String: String]

    /// Stage names in run order (level by level, declaration order within a level).
    package var order: [String] { levels.flatMap { $0 } }

    /// The order in which ready stages are picked when more are ready than `jobs` can run: the deepest level
    /// first (declaration order within a level), so a branch already started is carried on to its outputs,
    /// which release its tables, before another branch's reader loads more rows. A pipeline of five monthly
    /// statements then holds two months' stays at a time, not five.
    package var schedulingOrder: [String] { levels.reversed().flatMap { $0 } }

    /// Plans a checked spec; `only` keeps the named stages and everything they need.
    package init(spec: PipelineSpec, only: [String] = []) throws {
        let all = Dictionary(uniqueKeysWithValues: spec.stages.map { ($0.name, $0.inputs) })
        var selected = Set(spec.stages.map(\.name))
        if !only.isEmpty {
            selected = []
            var queue = only
            while let name = queue.popLast() {
                guard let stageInputs = all[name] else {
                    let suggestion = Suggestion.nearest(to: name, in: spec.stages.map(\.name))
                    throw StageError(
                        stage: name, message: "--only names '\(name)', which is not a stage of \(spec.name)",
                        fix: suggestion.map { "did you mean '\($0)'?" } ?? "run `passerelle plan` to list the stages")
                }
                if selected.insert(name).inserted { queue += stageInputs }
            }
        }
        let names = spec.stages.map(\.name).filter { selected.contains($0) }
        inputs = all.filter { selected.contains($0.key) }
        kinds = Dictionary(uniqueKeysWithValues: spec.stages.filter { selected.contains($0.name) }.map { ($0.name, $0.kind) })
        levels = StageGraph.levels(names: names, inputs: inputs)
    }

    /// Every stage upstream of `name`, in run order.
    package func upstream(of name: String) -> [String] {
        var seen = Set<String>()
        var queue = inputs[name] ?? []
        while let next = queue.popLast() {
            if seen.insert(next).inserted { queue += inputs[next] ?? [] }
        }
        return order.filter { seen.contains($0) }
    }
}
