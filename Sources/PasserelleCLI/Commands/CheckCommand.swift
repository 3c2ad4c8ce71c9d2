import PasserelleStore
import PasserelleEngine
import PasserelleCore
import PasserelleSpec
import ArgumentParser
import Foundation
import Passerelle

/// `passerelle check FILE…`: validates definitions without running anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check pipeline definitions and report every mistake at once.")

    @Argument(help: "Pipeline definition files (pipelines/*.yml).")
    var files: [String]

    @Option(name: .customLong("var"), help: "Override a variable: --var name=value (repeatable).")
    var variables: [String] = []

    func run() throws {
        let passerelle = Passerelle()
        var errors = 0
        for file in files {
            let result = passerelle.load(file, overrides: try parseVariables(variables))
            errors += result.diagnostics.filter { $0.severity == .error }.count
            if result.diagnostics.isEmpty {
                print("\(file): ok (\(result.spec?.stages.count ?? 0) stages)")
            } else {
                print(passerelle.render(result))
            }
        }
        if errors > 0 {
            print("\(errors) error(s) in \(files.count) file(s)")
            throw Exit.badDefinition
        }
    }
}

/// Parses `name=value` pairs from `--var`.
func parseVariables(_ pairs: [String]) throws -> [String: String] {
    var values: [String: String] = [:]
    for pair in pairs {
        guard let equal = pair.firstIndex(of: "="), equal != pair.startIndex else {
            throw ValidationError("--var expects name=value, found '\(pair)'")
        }
        values[String(pair[..<equal])] = String(pair[pair.index(after: equal)...])
    }
    return values
}
