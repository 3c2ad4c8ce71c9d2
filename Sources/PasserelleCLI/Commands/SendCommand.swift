import ArgumentParser
import Foundation
import Passerelle
import PasserelleStore

/// `passerelle send [RUN_FOLDER/BATCH]`: delivers a prepared e-mail batch over SMTP, never a message twice; without
/// a folder, the messages the outbox keeps that are not delivered yet.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Deliver an e-mail batch over SMTP (each message once; 4xx retried, 5xx recorded).",
        discussion: """
            The server comes from PASSERELLE_SMTP_URL (smtp://host:587 uses STARTTLS when offered, and requires \
            it when PASSERELLE_SMTP_USER is set; smtps://host:465 is TLS from the start), the login from \
            PASSERELLE_SMTP_USER and PASSERELLE_SMTP_PASSWORD. The delivery log lives in the store: sending a \
            batch again sends only what was not delivered. Without a batch folder, the messages kept in the             store's outbox are sent (every run's, or --run's, of every kind or --kind's), whether or not their             batch wrote files. Exit 1 when a message failed or was deferred.
            """)

    @Argument(help: "A batch folder: out/<pipeline>/run-NNNN/<folder> (holds manifest.csv); none: the outbox.")
    var batch: String?

    @Option(name: .customLong("run"), help: "Without a batch folder: only this run's messages.")
    var runID: Int64?

    @Option(help: "Without a batch folder: only messages of this kind (stay_code, …).")
    var kind: String?

    @Option(help: "The store holding the delivery log (default var/passerelle.sqlite).")
    var store = "var/passerelle.sqlite"

    @Option(help: "Messages per second at most (default 5).")
    var rate: Double = 5

    @Option(help: "Tries again after a temporary failure (4xx), waiting 1 s, 5 s, 30 s… (default 3).")
    var retries = 3

    func run() throws {
        guard let settings = SMTPSettings.fromEnvironment(ProcessInfo.processInfo.environment) else {
            print(
                "error: PASSERELLE_SMTP_URL is not set\n  fix: export PASSERELLE_SMTP_URL=smtp://mail.example.fr:587 "
                    + "(and PASSERELLE_SMTP_USER, PASSERELLE_SMTP_PASSWORD if the server needs a login)")
            throw Exit.cannotStart
        }
        guard rate > 0, retries >= 0 else { throw ValidationError("--rate must be positive and --retries at least 0") }
        var delivery: BatchDelivery
        do {
            delivery = BatchDelivery(
                transport: SMTPTransport(settings: settings), store: try Store(path: store), now: { Date() })
        } catch {
            print("error: \(error)")
            throw Exit.cannotStart
        }
        delivery.minimumInterval = 1 / rate
        delivery.retryDelays =
            Array([1, 5, 30, 120, 600].prefix(retries)) + Array(repeating: 600, count: max(0, retries - 5))
        let report: BatchDelivery.Report
        do {
            if let batch {
                guard runID == nil, kind == nil else {
                    throw ValidationError("--run and --kind choose messages of the outbox: give them without a batch folder")
                }
                report = try delivery.send(batchFolder: URL(fileURLWithPath: batch))
            } else {
                report = try delivery.send(outboxRun: runID, kind: kind)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            print("error: \(error)")
            throw Exit.cannotStart
        }
        print(report.text, terminator: "")
        if !report.isComplete { throw Exit.stageFailed }
    }
}
