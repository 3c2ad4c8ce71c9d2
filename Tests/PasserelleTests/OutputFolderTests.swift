import Foundation
import Synchronization
import Testing

@testable import PasserelleEngine

/// A batch folder appears under its name only when committed, with every file; a discarded or unfinished
/// batch leaves nothing under the final name.
@Suite struct OutputFolderTests {
    static func files(_ count: Int) -> [(String, Data)] {
        (1...count).map { (String(format: "%04d.eml", $0), Data("message \($0)\r\n".utf8)) }
    }

    @Test func theFolderAppearsOnlyWhenCommitted() throws {
        let run = try TestSupport.temporaryDirectory()
        let folder = try OutputFolder(name: "codes-sejour", in: run, isDryRun: false) { _ in }
        try folder.write(Self.files(150))
        try folder.write([("manifest.csv", Data("a;b\r\n".utf8))])
        let final = run.appendingPathComponent("codes-sejour").path
        #expect(!FileManager.default.fileExists(atPath: final))
        try folder.commit()
        let names = try FileManager.default.contentsOfDirectory(atPath: final).sorted()
        #expect(names.count == 151)
        #expect(names.first == "0001.eml")
        #expect(try String(contentsOfFile: "\(final)/0150.eml", encoding: .utf8) == "message 150\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.path) == ["codes-sejour"])
    }

    @Test func aDiscardedBatchLeavesNothing() throws {
        let run = try TestSupport.temporaryDirectory()
        let folder = try OutputFolder(name: "codes-sejour", in: run, isDryRun: false) { _ in }
        try folder.write(Self.files(40))
        folder.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.path).isEmpty)
    }

    @Test func aFailedWriteThrowsAndNothingIsCommitted() throws {
        let run = try TestSupport.temporaryDirectory()
        let folder = try OutputFolder(name: "codes-sejour", in: run, isDryRun: false) { _ in }
        #expect(throws: StageError.self) {
            try folder.write([("no-such-folder/0001.eml", Data("x".utf8))])
            try folder.commit()
        }
        folder.discard()
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("codes-sejour").path))
    }

    /// A manifest written chunk by chunk: the chunks in order, listed once; in a dry run listed and not written.
    @Test func appendedChunksMakeOneFileListedOnce() throws {
        let run = try TestSupport.temporaryDirectory()
        let listed = ListedNames()
        let folder = try OutputFolder(name: "codes-sejour", in: run, isDryRun: false) { listed.add($0) }
        for chunk in 0..<3 {
            try folder.write(Self.files(2).map { ("\(chunk)-\($0.0)", $0.1) })
            try folder.append(Data("ligne \(chunk)\r\n".utf8), to: "manifest.csv")
        }
        try folder.commit()
        let final = run.appendingPathComponent("codes-sejour").path
        #expect(try String(contentsOfFile: "\(final)/manifest.csv", encoding: .utf8) == "ligne 0\r\nligne 1\r\nligne 2\r\n")
        #expect(listed.names.filter { $0 == "codes-sejour/manifest.csv" }.count == 1)
        #expect(listed.names.count == 7)

        let dry = try OutputFolder(name: "codes-sejour", in: try TestSupport.temporaryDirectory(), isDryRun: true) { _ in }
        try dry.append(Data("x".utf8), to: "manifest.csv")
        try dry.commit()
    }

    @Test func aDryRunListsTheFilesAndWritesNothing() throws {
        let run = try TestSupport.temporaryDirectory()
        let listed = ListedNames()
        let folder = try OutputFolder(name: "codes-sejour", in: run, isDryRun: true) { listed.add($0) }
        try folder.write(Self.files(2))
        try folder.commit()
        #expect(listed.names == ["codes-sejour/0001.eml", "codes-sejour/0002.eml"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.path).isEmpty)
    }
}

private final class ListedNames: Sendable {
    private let stored = Mutex<[String]>([])
    var names: [String] { stored.withLock { $0 } }
    func add(_ more: [String]) { stored.withLock { $0 += more } }
}
