import PasserelleStore
import PasserelleEngine
import PasserelleCore
import PasserelleSpec
import ArgumentParser
import Foundation

/// `passerelle`: declarative batch pipelines for tourism booking data.
@main
struct PasserelleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passerelle",
        abstract: "Declarative batch pipelines for tourism booking data.",
        discussion: """
            Pipelines are YAML files under pipelines/. Check them, see their plan, run them, and look back at \
            what ran. Exit codes: 0 success, 1 a stage failed, 3 the definition has errors, 4 the store is \
            locked by another run, 5 the run could not start (store, files), 64 bad command-line usage.
            """,
        version: "0.1.0",
        subcommands: [
            CheckCommand.self, PlanCommand.self, RunCommand.self, HistoryCommand.self, KindsCommand.self,
            DaemonCommand.self, SendCommand.self, OutboxCommand.self,
        ])
}
