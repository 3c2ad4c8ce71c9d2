import Foundation
import PasserelleCore
import PasserelleStore

/// Delivers an e-mail batch over SMTP, once per message, with a bounded rate and retries.
///
/// For each manifest entry, in manifest order: a key the delivery log shows `delivered` is skipped; one left
/// `sending` by a crash is skipped too and reported as uncertain (it may have reached the server, and a message
/// is never delivered twice); one `failed` (a 5xx) is not tried again. Otherwise the `.eml` is sent as written;
/// a temporary failure (4xx, no answer) is retried after each delay of `retryDelays`, then left `deferred` for
/// the next `send`; a 5xx is recorded as `failed`. Messages are spaced by at least `minimumInterval` seconds.
///
/// ```swift
/// let delivery = BatchDelivery(transport: SMTPTransport(settings: settings), store: store, now: { clock.now })
/// let report = try delivery.send(batchFolder: URL(fileURLWithPath: "out/daily-import/run-0003/codes-sejour"))
/// ```
package struct BatchDelivery: Sendable {
    package var transport: SMTPTransport
    package var store: Store
    /// Waits between tries of one message after a temporary failure (default 1 s, 5 s, 30 s).
    package var retryDelays: [TimeInterval] = [1, 5, 30]
    /// Seconds between two messages at least (default 0.2: 5 messages a second).
    package var minimumInterval: TimeInterval = 0.2
    /// Waits; `Thread.sleep` in production, a recorder in tests.
    package var pause: @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// The time stamped on delivered messages.
    package var now: @Sendable () -> Date

    package init(transport: SMTPTransport, store: Store, now: @escaping @Sendable () -> Date) {
        self.transport = transport
        self.store = store
        self.now = now
    }

    /// What a `send` did, message by message.
    package struct Report: Sendable, Equatable {
        package var delivered: [String] = []
        package var alreadyDelivered: [String] = []
        package var failed: [(key: String, response: String)] = []
        package var deferred: [(key: String, response: String)] = []
        package var uncertain: [String] = []

        package static func == (a: Report, b: Report) -> Bool { a.text == b.text }

        /// `3 delivered, 1 already delivered, 1 failed (5xx), 0 deferred (4xx), 0 uncertain`, then details.
        package var text: String {
            var text =
                "\(delivered.count) delivered, \(alreadyDelivered.count) already delivered, "
                + "\(failed.count) failed (5xx), \(deferred.count) deferred (4xx), \(uncertain.count) uncertain\n"
            for entry in failed { text += "  failed \(entry.key): \(entry.response)\n" }
            for entry in deferred { text += "  deferred \(entry.key): \(entry.response); send again later\n" }
            for key in uncertain {
                text += "  uncertain \(key): a previous send stopped while talking to the server; not sent again\n"
            }
            return text
        }

        /// Whether every message of the batch is now delivered.
        package var isComplete: Bool { failed.isEmpty && deferred.isEmpty && uncertain.isEmpty }

        /// Whether nothing was sent, tried or found.
        package var isEmpty: Bool {
            delivered.isEmpty && alreadyDelivered.isEmpty && failed.isEmpty && deferred.isEmpty && uncertain.isEmpty
        }
    }

    /// Sends every message of the batch not yet delivered.
    package func send(batchFolder: URL) throws -> Report {
        let manifest = try BatchManifest(batchFolder: batchFolder)
        let runFolder = batchFolder.deletingLastPathComponent()
        return try send(
            manifest.entries.map { ($0, try store.delivery(key: $0.key)?.status) },
            message: { try message($0, in: runFolder) })
    }

    /// Sends every message the outbox keeps (of one run, of one kind) not yet delivered, as it was prepared, in
    /// run, kind and batch order: the batch's files need not exist.
    package func send(outboxRun runID: Int64? = nil, kind: String? = nil) throws -> Report {
        try send(outboxMessages: try store.outboxMessages(runID: runID, kind: kind))
    }

    /// Sends the outbox's messages of one batch folder (`codes-sejour`) never sent or deferred, whatever their run:
    /// what the daemon does for a batch kept in the store alone.
    package func send(folder: String) throws -> Report {
        try send(outboxMessages: try store.outboxMessages(folder: folder, unsettled: true))
    }

    private func send(outboxMessages messages: [OutboxMessage]) throws -> Report {
        try send(
            messages.map { (BatchManifest.Entry(recipient: $0.record.recipient, key: $0.record.key, file: $0.file), $0.delivery) },
            message: { entry in
                guard let data = try store.outboxMessageData(key: entry.key) else {
                    throw DeliveryError(
                        path: entry.file, message: "the outbox lost this message's text",
                        fix: "check the store (passerelle history); the message was not sent")
                }
                return data
            })
    }

    /// Sends each entry whose delivery (as the log had it when listed) is not settled.
    private func send(
        _ entries: [(BatchManifest.Entry, DeliveryRecord.Status?)], message: (BatchManifest.Entry) throws -> Data
    ) throws -> Report {
        var report = Report()
        var isFirst = true
        for (entry, status) in entries {
            switch status {
            case .delivered?: report.alreadyDelivered.append(entry.key)
            case .sending?: report.uncertain.append(entry.key)
            case .failed?:
                report.failed.append((entry.key, try store.delivery(key: entry.key)?.lastResponse ?? "failed before"))
            case .deferred?, nil:
                if !isFirst { pause(minimumInterval) }
                isFirst = false
                try deliver(entry, message: try message(entry), into: &report)
            }
        }
        return report
    }

    private func message(_ entry: BatchManifest.Entry, in runFolder: URL) throws -> Data {
        let url = runFolder.appendingPathComponent(entry.file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DeliveryError(
                path: url.path, message: "the manifest lists this message but the file is missing",
                fix: "prepare the batch again with output.email_batch, or restore the run folder")
        }
        return data
    }

    private func deliver(_ entry: BatchManifest.Entry, message: Data, into report: inout Report) throws {
        let sender = try MessageHeaders.senderAddress(of: message, file: entry.file)
        try store.beginDelivery(key: entry.key, file: entry.file, recipient: entry.recipient)
        var outcome = transport.send(message, from: sender, to: [entry.recipient])
        for delay in retryDelays {
            guard case .temporary = outcome else { break }
            pause(delay)
            outcome = transport.send(message, from: sender, to: [entry.recipient])
        }
        switch outcome {
        case .delivered(let response):
            try store.finishDelivery(key: entry.key, status: .delivered, response: response, at: iso(now()))
            report.delivered.append(entry.key)
        case .permanent(let response):
            try store.finishDelivery(key: entry.key, status: .failed, response: response, at: nil)
            report.failed.append((entry.key, response))
        case .temporary(let response):
            try store.finishDelivery(key: entry.key, status: .deferred, response: response, at: nil)
            report.deferred.append((entry.key, response))
        }
    }

    private func iso(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
