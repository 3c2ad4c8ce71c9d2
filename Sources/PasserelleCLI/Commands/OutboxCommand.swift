import ArgumentParser
import Foundation
import Passerelle
import PasserelleCore
import PasserelleStore

/// `passerelle outbox status|export`: the messages the e-mail batches prepared and keep in the store.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "List or export the e-mail messages kept in the store's outbox.",
        subcommands: [Status.self, Export.self])

    /// `passerelle outbox status`: per run and kind, the messages kept and where their delivery stands.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the outbox's messages per run and kind: not sent, delivered, deferred, failed.")

        @Option(help: "The store (default var/passerelle.sqlite).")
        var store = "var/passerelle.sqlite"

        func run() throws {
            let messages = try OutboxCommand.open(store).outboxMessages()
            guard !messages.isEmpty else { return print("the outbox keeps no message") }
            var counts: [String: [String: Int]] = [:]
            var order: [String] = []
            for message in messages {
                let group = "run \(message.runID) \(message.record.kind)"
                if counts[group] == nil { order.append(group) }
                counts[group, default: [:]][message.delivery?.rawValue ?? "not sent", default: 0] += 1
            }
            for group in order {
                let c = counts[group] ?? [:]
                let states = ["not sent", "delivered", "deferred", "failed", "sending"].compactMap { state in
                    c[state].map { "\($0) \(state)" }
                }
                print("\(group): \(states.joined(separator: ", "))")
            }
        }
    }

    /// `passerelle outbox export FOLDER`: the kept messages as batch folders (`.eml` files and manifests).
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the outbox's messages as batch folders (.eml files byte for byte, manifest.csv).",
            discussion: """
                With --run, the run's batches are written in FOLDER as in the run folder (FOLDER/codes-sejour/…); \
                without, each run's under FOLDER/run-<id>/. A folder written can be sent with passerelle send.
                """)

        @Argument(help: "The folder to write into (created if needed).")
        var folder: String

        @Option(name: .customLong("run"), help: "Only this run's messages (see passerelle history).")
        var runID: Int64?

        @Option(help: "Only messages of this kind (stay_code, stay_update, …).")
        var kind: String?

        @Option(help: "The store (default var/passerelle.sqlite).")
        var store = "var/passerelle.sqlite"

        func run() throws {
            let summary = try OutboxExport(store: try OutboxCommand.open(store))
                .export(to: URL(fileURLWithPath: folder), runID: runID, kind: kind)
            print("wrote \(summary.messages) message(s) in \(summary.batches.count) batch folder(s) under \(folder)")
            for batch in summary.batches { print("  \(batch)") }
        }
    }

    static func open(_ path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else {
            print("error: no store at \(path)\n  fix: pass --store with the store the pipelines run with")
            throw Exit.cannotStart
        }
        return try Store(path: path)
    }
}
