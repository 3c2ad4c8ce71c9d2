import Foundation
import PasserelleCore

extension SpecWalker {
    /// Checks that inputs name existing stages and that the stages form no cycle.
    mutating func checkGraph(_ stages: [StageSpec]) {
        let names = stages.map(\.name)
        var valid: [String: [String]] = [:]
        for stage in stages {
            var inputs: [String] = []
            for input in stage.inputs {
                let where_ = inputMarks[stage.name + "\u{0}" + input] ?? stage.location
                if input == stage.name {
                    diagnostics.append(
                        Diagnostic(
                            rule: "spec.cycle", location: where_, message: "stage '\(stage.name)' lists itself as an input",
                            found: input, fix: "remove '\(input)' from its inputs"))
                } else if names.contains(input) {
                    inputs.append(input)
                } else {
                    let suggestion = Suggestion.nearest(to: input, in: names)
                    diagnostics.append(
                        Diagnostic(
                            rule: "spec.unknown_input", location: where_,
                            message: "stage '\(stage.name)' takes input '\(input)', which is not a stage of this pipeline",
                            found: input,
                            fix: suggestion.map { "did you mean '\($0)'?" }
                                ?? "name one of " + names.map { "'\($0)'" }.joined(separator: ", ")))
                }
            }
            valid[stage.name] = inputs
        }
        for cycle in StageGraph.cycles(names: names, inputs: valid) {
            let first = stages.first { $0.name == cycle[0] }
            diagnostics.append(
                Diagnostic(
                    rule: "spec.cycle", location: first?.location ?? .file(file),
                    message: "the stages form a cycle: " + (cycle + [cycle[0]]).joined(separator: " -> "),
                    found: cycle[0], fix: "remove one of these inputs so the stages run in an order"))
        }
    }
}

/// Graph algorithms over stage names and their inputs, deterministic in declaration order.
package enum StageGraph {
    /// Each elementary cycle found by a depth-first search, rotated to start at its earliest-declared stage.
    package static func cycles(names: [String], inputs: [String: [String]]) -> [[String]] {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        var found: [[String]] = []
        var seen = Set<[String]>()
        func visit(_ name: String) {
            state[name] = 1
            stack.append(name)
            for next in inputs[name] ?? [] {
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    var cycle = Array(stack[start...]).reversed() as [String]
                    let minIndex = cycle.indices.min { names.firstIndex(of: cycle[$0]) ?? 0 < names.firstIndex(of: cycle[$1]) ?? 0 } ?? 0
                    cycle = Array(cycle[minIndex...] + cycle[..<minIndex])
                    if seen.insert(cycle).inserted { found.append(cycle) }
                } else if state[next] == nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[name] = 2
        }
        for name in names where state[name] == nil { visit(name) }
        return found
    }

    /// Stages grouped in levels: every stage's inputs are in earlier levels; order within a level is declaration order.
    package static func levels(names: [String], inputs: [String: [String]]) -> [[String]] {
        var level: [String: Int] = [:]
        func depth(_ name: String, _ guardSet: Set<String>) -> Int {
            if let known = level[name] { return known }
            if guardSet.contains(name) { return 0 }
            let d = (inputs[name] ?? []).map { depth($0, guardSet.union([name])) + 1 }.max() ?? 0
            level[name] = d
            return d
        }
        for name in names { _ = depth(name, []) }
        let maxLevel = level.values.max() ?? -1
        guard maxLevel >= 0 else { return [] }
        return (0...maxLevel).map { l in names.filter { level[$0] == l } }
    }
}
