import Foundation
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Synchronization
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// A real SMTP server on loopback (Tests/PasserelleTests/Support/smtp_server.py, python3-aiosmtpd).
final class LoopbackSMTPServer: Sendable {
    let process: Process
    let input: Pipe
    let folder: URL
    let port: Int

    init(in root: URL, arguments: [String] = []) throws {
        folder = root.appendingPathComponent("received-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let portFile = root.appendingPathComponent("port-\(UUID().uuidString)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments =
            [
                TestSupport.testsDirectory.appendingPathComponent("Support/smtp_server.py").path, portFile.path,
                folder.path,
            ]
            + arguments
        input = Pipe()
        process.standardInput = input
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        var port: Int?
        while port == nil, Date() < deadline {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }  // not written yet
            if port == nil { usleep(20_000) }
        }
        self.port = try #require(port, "the SMTP test server did not start (is python3-aiosmtpd installed?)")
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// The messages received, in order, as the server got them (envelope lines first).
    func messages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    func stop() {
        try? input.fileHandleForWriting.close()  // already closed: the server is stopping anyway
        process.waitUntilExit()
    }
}

/// The waits a delivery asked for, instead of waiting.
final class PauseRecorder: Sendable {
    private let pauses = Mutex<[TimeInterval]>([])
    func record(_ seconds: TimeInterval) { pauses.withLock { $0.append(seconds) } }
    var recorded: [TimeInterval] { pauses.withLock { $0 } }
}

@Suite struct DeliveryTests {
    /// Writes a batch of messages like output.email_batch does; returns the batch folder.
    static func batch(in root: URL, recipients: [String]) throws -> URL {
        let folder = root.appendingPathComponent("out/daily-import/run-0001/codes-sejour")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var manifest = "\u{FEFF}recipient;template;subject_key;key;file\r\n"
        for (i, recipient) in recipients.enumerated() {
            let message = EmailMessage(
                from: EmailAddress(displayName: "Office de Tourisme de Morète", address: "ot@example.fr"),
                to: [EmailAddress(displayName: "Client \(i + 1)", address: recipient)],
                subject: "Votre code séjour n°\(i + 1)", date: Date(timeIntervalSince1970: 1_795_000_000),
                messageID: "passerelle.MOR-2026-\(i + 1).t1@example.fr",
                textBody: "Bonjour,\n.\nUne ligne qui commence par un point, et des accents : é à ç.\n")
            let name = String(format: "codes-sejour/%04d-MOR-2026-%d.eml", i + 1, i + 1)
            try Data(try message.rendered().utf8).write(
                to: root.appendingPathComponent("out/daily-import/run-0001/\(name)"))
            manifest += "\(recipient);stay-code/fr;MOR-2026-\(i + 1);stay_code:MOR-2026-\(i + 1):t1;\(name)\r\n"
        }
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("manifest.csv"))
        return folder
    }

    static func delivery(_ server: LoopbackSMTPServer, store: Store, pauses: PauseRecorder) -> BatchDelivery {
        var delivery = BatchDelivery(
            transport: SMTPTransport(settings: SMTPSettings(url: server.url)), store: store,
            now: { Date(timeIntervalSince1970: 1_795_000_100) })
        delivery.retryDelays = [0.5, 1]
        delivery.pause = { pauses.record($0) }
        return delivery
    }

    @Test func everyMessageArrivesOnceWithHeadersIntactAndASecondSendSendsNothing() throws {
        let root = try TestSupport.temporaryDirectory()
        let server = try LoopbackSMTPServer(in: root)
        defer { server.stop() }
        let batch = try Self.batch(in: root, recipients: ["a@example.com", "b@example.com", "c@example.com"])
        let store = try Store(path: root.appendingPathComponent("var/passerelle.sqlite").path)
        let pauses = PauseRecorder()
        let delivery = Self.delivery(server, store: store, pauses: pauses)
        let first = try delivery.send(batchFolder: batch)
        #expect(first.text == "3 delivered, 0 already delivered, 0 failed (5xx), 0 deferred (4xx), 0 uncertain\n")
        let received = try server.messages()
        try #require(received.count == 3)
        for (i, text) in received.enumerated() {
            let sent = try String(
                contentsOf: root.appendingPathComponent(
                    String(format: "out/daily-import/run-0001/codes-sejour/%04d-MOR-2026-%d.eml", i + 1, i + 1)),
                encoding: .utf8)
            let recipient = ["a@example.com", "b@example.com", "c@example.com"][i]
            #expect(text == "X-Envelope-From: ot@example.fr\r\nX-Envelope-To: \(recipient)\r\n" + sent)
        }
        #expect(pauses.recorded == [0.2, 0.2])  // the rate bound, between messages
        let second = try delivery.send(batchFolder: batch)
        #expect(second.text == "0 delivered, 3 already delivered, 0 failed (5xx), 0 deferred (4xx), 0 uncertain\n")
        #expect(try server.messages().count == 3)
        #expect(try store.deliveries().map(\.status) == [.delivered, .delivered, .delivered])
    }

    @Test func temporaryFailureIsRetriedAndTheMessageArrivesOnce() throws {
        let root = try TestSupport.temporaryDirectory()
        let server = try LoopbackSMTPServer(in: root, arguments: ["--defer", "1"])
        defer { server.stop() }
        let batch = try Self.batch(in: root, recipients: ["a@example.com"])
        let store = try Store(path: root.appendingPathComponent("var/passerelle.sqlite").path)
        let pauses = PauseRecorder()
        let report = try Self.delivery(server, store: store, pauses: pauses).send(batchFolder: batch)
        #expect(report.delivered == ["stay_code:MOR-2026-1:t1"])
        #expect(pauses.recorded == [0.5])  // one back-off after the 451
        #expect(try server.messages().count == 1)
        let record = try #require(try store.delivery(key: "stay_code:MOR-2026-1:t1"))
        #expect(record.status == .delivered)
        #expect(record.deliveredAt == "2026-11-18T11:08:20Z")
    }

    @Test func permanentFailureIsRecordedAndNotRetried() throws {
        let root = try TestSupport.temporaryDirectory()
        let server = try LoopbackSMTPServer(in: root, arguments: ["--reject", "gone@example.com"])
        defer { server.stop() }
        let batch = try Self.batch(in: root, recipients: ["gone@example.com", "b@example.com"])
        let store = try Store(path: root.appendingPathComponent("var/passerelle.sqlite").path)
        let pauses = PauseRecorder()
        let delivery = Self.delivery(server, store: store, pauses: pauses)
        let report = try delivery.send(batchFolder: batch)
        #expect(report.delivered == ["stay_code:MOR-2026-2:t1"])
        let failure = try #require(report.failed.first)
        #expect(failure.key == "stay_code:MOR-2026-1:t1")
        #expect(failure.response.hasPrefix("550 "))
        #expect(try store.delivery(key: failure.key)?.status == .failed)
        let again = try delivery.send(batchFolder: batch)
        #expect(again.delivered.isEmpty && again.alreadyDelivered == ["stay_code:MOR-2026-2:t1"])
        #expect(again.failed.map { $0.key } == ["stay_code:MOR-2026-1:t1"])
        #expect(try server.messages().count == 1)
    }

    @Test func failureAlertIsWrittenAndSent() throws {
        let root = try TestSupport.temporaryDirectory()
        let server = try LoopbackSMTPServer(in: root)
        defer { server.stop() }
        let alert = FailureAlert(
            pipeline: "daily-import", alerts: AlertSpec(to: ["exploitation@example.fr"], from: "passerelle@example.fr"),
            trigger: "planification « 0 6 * * 1-6 »",
            summary: "run 3 of daily-import failed: stage 'stays' (ingest.table) failed: the source is unreachable",
            date: Date(timeIntervalSince1970: 1_795_000_000))
        let file = try alert.write(outputRoot: root.appendingPathComponent("out"))
        #expect(file.path.hasSuffix("out/daily-import/alerts/alert-20261118-110640.eml"))
        let outcomes = try alert.send(with: SMTPTransport(settings: SMTPSettings(url: server.url)))
        #expect(outcomes["exploitation@example.fr"] == .delivered("250 accepted"))
        let received = try #require(try server.messages().first)
        #expect(received.contains("Subject: =?UTF-8?"))
        #expect(
            received.hasPrefix("X-Envelope-From: passerelle@example.fr\r\nX-Envelope-To: exploitation@example.fr\r\n"))
        #expect(received.contains("Auto-Submitted: auto-generated\r\n"))
        #expect(received.hasSuffix(try String(contentsOf: file, encoding: .utf8)))
    }
}

/// The office mails (issue 20, part 4; issue 23): listed in a manifest like any batch, so `send` delivers them.
@Suite struct OfficeMailDeliveryTests {
    @Test func eachOfficesMailIsListedAndSentOnce() throws {
        let (report, _) = try OfficePartitionTests.plantedRun()
        let offices = report.outputDirectory.appendingPathComponent("offices")
        let manifest = try BatchManifest(batchFolder: offices)
        let mails = try FileManager.default.subpathsOfDirectory(atPath: offices.path).filter { $0.hasSuffix("courriel.eml") }
        #expect(!manifest.entries.isEmpty)
        #expect(manifest.entries.map(\.file).sorted() == mails.map { "offices/\($0)" }.sorted())
        #expect(manifest.entries.allSatisfy { $0.key.hasPrefix("office_reports:") && $0.recipient.contains("@") })

        let root = try TestSupport.temporaryDirectory()
        let server = try LoopbackSMTPServer(in: root)
        defer { server.stop() }
        let store = try Store(path: root.appendingPathComponent("deliveries.sqlite").path)
        let delivery = DeliveryTests.delivery(server, store: store, pauses: PauseRecorder())
        let first = try delivery.send(batchFolder: offices)
        #expect(first.delivered.count == manifest.entries.count, "\(first.text)")
        let received = try server.messages()
        #expect(received.count == manifest.entries.count)
        for entry in manifest.entries {
            #expect(received.contains { $0.contains("X-Envelope-To: \(entry.recipient)\r\n") })
        }
        let second = try delivery.send(batchFolder: offices)
        #expect(second.delivered.isEmpty)
        #expect(try server.messages().count == manifest.entries.count)
    }

    /// The office mails are kept in the outbox as the e-mail batches' are: exported byte for byte with their
    /// manifest, sent from the store once, and a second run of the same day keeps no second mail per office.
    @Test func officeMailsAreKeptInTheOutboxExportedAndSentFromIt() throws {
        let (report, _) = try OfficePartitionTests.plantedRun()
        let root = report.outputDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let store = try Store(path: TestSupport.options(in: root).storePath)
        let kept = try store.outboxMessages(runID: report.runID, kind: OfficeReportWriter.mailKind)
        let offices = report.outputDirectory.appendingPathComponent("offices")
        let manifest = try BatchManifest(batchFolder: offices)
        #expect(!kept.isEmpty && kept.map(\.file).sorted() == manifest.entries.map(\.file).sorted())

        let export = root.appendingPathComponent("export")
        let summary = try OutboxExport(store: store).export(to: export, runID: report.runID, kind: OfficeReportWriter.mailKind)
        #expect(summary.batches == ["offices"])
        let written = try TestSupport.files(under: offices).filter { $0.key.hasSuffix(".eml") || $0.key.hasSuffix("/manifest.csv") }
        let exported = try TestSupport.files(under: export.appendingPathComponent("offices"))
        #expect(exported.keys.sorted() == written.keys.sorted())
        for (name, data) in written { #expect(exported[name] == data, "\(name): \(String(decoding: exported[name] ?? Data(), as: UTF8.self).prefix(300)) vs \(String(decoding: data, as: UTF8.self).prefix(300))") }

        let server = try LoopbackSMTPServer(in: root)
        defer { server.stop() }
        var delivery = DeliveryTests.delivery(server, store: store, pauses: PauseRecorder())
        delivery.minimumInterval = 0
        // Every run's office mails not sent yet: the planted store's earlier runs were on another day.
        let all = try store.outboxMessages(kind: OfficeReportWriter.mailKind)
        #expect(all.count > kept.count)
        let first = try delivery.send(outboxRun: nil, kind: OfficeReportWriter.mailKind)
        #expect(first.delivered.count == all.count, "\(first.text)")
        #expect(try delivery.send(outboxRun: nil, kind: OfficeReportWriter.mailKind).delivered.isEmpty)
        #expect(try server.messages().count == all.count)

        let again = try OfficePartitionTests.run(in: root, asOf: try OfficePartitionTests.now(), config: root.appendingPathComponent("offices.yml").path)
        #expect(again.succeeded, "\(again.summary)")
        #expect(try store.outboxMessages(runID: again.runID, kind: OfficeReportWriter.mailKind).isEmpty)
    }
}
