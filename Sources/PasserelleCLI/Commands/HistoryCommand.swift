import PasserelleStore
import PasserelleEngine
import PasserelleCore
import PasserelleSpec
import ArgumentParser
import Foundation
import Passerelle

/// `passerelle history [RUN]`: past runs, or one run's stages and counts.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List past runs, or show one run's stages and counts.")

    @Argument(help: "A run id to show in detail.")
    var runID: Int64?

    @Option(help: "The store (default: var/passerelle.sqlite in the current folder).")
    var store: String = "var/passerelle.sqlite"

    func run() throws {
        guard FileManager.default.fileExists(atPath: store) else {
            print("no store at \(store): nothing has run yet (pass --store to name another)")
            return
        }
        let history = try History(storePath: store)
        if let runID {
            print(try history.detail(run: runID), terminator: "")
        } else {
            print(try history.list(), terminator: "")
        }
    }
}
