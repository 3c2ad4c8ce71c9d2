import ArgumentParser
import Foundation
import Passerelle
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore

/// `passerelle plan FILE`: the stages in dependency order and which run side by side.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Print the stages in dependency order and which of them run side by side.")

    @Argument(help: "A pipeline definition file.")
    var file: String

    @Option(name: .customLong("var"), help: "Override a variable: --var name=value (repeatable).")
    var variables: [String] = []

    @Option(name: .customLong("only"), help: "Plan only this stage and what it needs (repeatable).")
    var only: [String] = []

    @Flag(help: "Print each stage's tables with their fields' types, and the fields it reads from its input.")
    var tables = false

    func run() throws {
        let passerelle = Passerelle()
        let result = passerelle.load(file, overrides: try parseVariables(variables))
        guard let spec = result.spec else {
            print(passerelle.render(result))
            throw Exit.badDefinition
        }
        if !result.diagnostics.isEmpty { print(passerelle.render(result)) }
        print(try passerelle.planText(spec, only: only, tables: tables), terminator: "")
    }
}

/// `passerelle kinds`: every stage kind with its options.
struct KindsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kinds", abstract: "List the stage kinds and their options.")

    func run() throws {
        print(Passerelle().kindsText(), terminator: "")
    }
}
