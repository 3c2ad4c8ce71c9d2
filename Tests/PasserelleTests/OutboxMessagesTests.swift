import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import Passerelle
@testable import PasserelleStore

/// The outbox keeps each prepared message (issue 20, part 4): `.eml` files are a view of it, written when the
/// batch asks (`files`, default true) and by `passerelle outbox export`; `passerelle send` delivers from it.
@Suite struct OutboxMessagesTests {
    static func files(under folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard let data = FileManager.default.contents(atPath: url.path), !url.hasDirectoryPath else { continue }
            found[String(url.path.dropFirst(folder.path.count + 1))] = data
        }
        return found
    }

    @Test func anExportWritesTheBatchFoldersOfTheRunByteForByte() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try OutboxTests.run(OutboxTests.pipeline, in: folder)
        #expect(report.succeeded, "\(report.summary)")
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let kept = try store.outboxMessages(runID: report.runID)
        #expect(kept.filter { $0.record.kind == OutboxKind.stayCode }.count == 280)
        #expect(kept.allSatisfy { $0.delivery == nil })

        let export = folder.appendingPathComponent("export")
        let summary = try OutboxExport(store: store).export(to: export, runID: report.runID)
        #expect(summary.messages == kept.count)
        let runFolder = TestSupport.options(in: folder).outputRoot.appendingPathComponent("daily-import/run-0001")
        for batch in summary.batches {
            let written = try Self.files(under: runFolder.appendingPathComponent(batch))
            let exported = try Self.files(under: export.appendingPathComponent(batch))
            #expect(written.count > 1)
            #expect(written == exported, "batch \(batch): the export differs from the run folder")
        }
        #expect(Set(summary.batches) == ["alertes", "codes-sejour"])
    }

    @Test func aBatchWithoutFilesIsKeptInTheOutboxAndSentFromIt() throws {
        let folder = try TestSupport.temporaryDirectory()
        // The shipped daily import with its clients' batches kept in the store alone.
        let report = try OutboxTests.run(OutboxTests.pipeline, in: folder, variables: ["email_files": "false"])
        #expect(report.succeeded, "\(report.summary)")
        #expect(OutboxTests.prepared(report) == 280)
        let runFolder = TestSupport.options(in: folder).outputRoot.appendingPathComponent("daily-import/run-0001")
        #expect(FileManager.default.fileExists(atPath: runFolder.path))
        #expect(!FileManager.default.fileExists(atPath: runFolder.appendingPathComponent("codes-sejour").path))
        #expect(FileManager.default.fileExists(atPath: runFolder.appendingPathComponent("alertes/manifest.csv").path))

        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let server = try LoopbackSMTPServer(in: folder)
        defer { server.stop() }
        var delivery = DeliveryTests.delivery(server, store: store, pauses: PauseRecorder())
        delivery.minimumInterval = 0
        let first = try delivery.send(outboxRun: nil, kind: OutboxKind.stayCode)
        #expect(first.text == "280 delivered, 0 already delivered, 0 failed (5xx), 0 deferred (4xx), 0 uncertain\n")
        let received = try server.messages()
        #expect(received.count == 280)
        // What arrives is the message as it was prepared, after the server's envelope lines.
        let firstKept = try #require(try store.outboxMessages(kind: OutboxKind.stayCode).first)
        let bytes = try #require(try store.outboxMessageData(key: firstKept.record.key))
        #expect(received.contains { $0.hasSuffix(String(decoding: bytes, as: UTF8.self)) })
        #expect(firstKept.file.hasPrefix("codes-sejour/0001-"))

        let second = try delivery.send(outboxRun: nil, kind: OutboxKind.stayCode)
        #expect(second.text == "0 delivered, 280 already delivered, 0 failed (5xx), 0 deferred (4xx), 0 uncertain\n")
        #expect(try server.messages().count == 280)
        #expect(try store.outboxMessages(kind: OutboxKind.stayCode).allSatisfy { $0.delivery == .delivered })
    }

    @Test func aBatchThatFailsKeepsNoMessageAndTheNextRunKeepsThem() throws {
        let folder = try TestSupport.temporaryDirectory()
        try OutboxTests.blockBatchFolder(ofRun: 1, in: folder)
        let failed = try OutboxTests.run(OutboxTests.pipeline, in: folder)
        #expect(!failed.succeeded)
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        #expect(try store.outboxMessages(runID: failed.runID, kind: OutboxKind.stayCode).isEmpty)
        let next = try OutboxTests.run(OutboxTests.pipeline, in: folder)
        #expect(next.succeeded, "\(next.summary)")
        let kept = try store.outboxMessages(runID: next.runID, kind: OutboxKind.stayCode)
        #expect(kept.count == 280)
        #expect(kept.map(\.position) == Array(1...280))
    }

    @Test func aMessageIsKeptCompressedAndReadBackExactly() throws {
        let text = Data(String(repeating: "Bonjour, votre code séjour est ABCD2345.\r\n", count: 40).utf8)
        let packed = try MessageCompression.compress(text)
        #expect(packed.count < text.count / 4)
        #expect(try MessageCompression.decompress(packed, size: text.count) == text)
        #expect(throws: (any Error).self) { try MessageCompression.decompress(packed.prefix(10), size: text.count) }
        #expect(try MessageCompression.decompress(try MessageCompression.compress(Data()), size: 0) == Data())
    }
}
