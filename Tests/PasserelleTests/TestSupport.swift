import Foundation
import Logging
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Synchronization
import Testing

@testable import Passerelle

/// Paths and helpers shared by the tests.
enum TestSupport {
    /// The folder of this test target.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The repository root.
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// A fixture by relative path (`spec/unknown-key.yml`).
    static func fixture(_ path: String) -> URL {
        testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    /// The folder holding this test process's temporary folders, removed when the process exits (a crashed run
    /// leaves it behind, under a name that says which process made it).
    static let temporaryRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("passerelle-tests-\(getpid())")
        atexit { try? FileManager.default.removeItem(at: TestSupport.temporaryRoot) }  // try?: best-effort cleanup
        return url
    }()

    /// A fresh temporary folder (under `temporaryRoot`).
    static func temporaryDirectory() throws -> URL {
        let url = temporaryRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fresh temporary file's path (in its own folder under `temporaryRoot`).
    static func temporaryFile(named name: String) throws -> URL {
        try temporaryDirectory().appendingPathComponent(name)
    }

    /// A logger that drops everything.
    static let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Loads a definition from text written into `folder`, with the given catalog; fails the test on diagnostics.
    static func spec(_ yaml: String, in folder: URL, catalog: [any Stage.Type]) throws -> PipelineSpec {
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        let result = Passerelle(catalog: catalog, environment: [:]).load(file.path)
        let rendered = result.diagnostics.map(\.rendered).joined(separator: "\n")
        return try #require(result.spec, "definition has errors:\n\(rendered)")
    }

    /// Run options on a temporary store and output folder.
    static func options(in folder: URL, jobs: Int = 4) -> RunOptions {
        RunOptions(
            jobs: jobs, asOf: Date(timeIntervalSince1970: 1_795_000_000),
            storePath: folder.appendingPathComponent("var/passerelle.sqlite").path,
            outputRoot: folder.appendingPathComponent("out"))
    }

    /// Every file under a folder, relative path → bytes.
    static func files(under folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [:] }
        for case let url as URL in enumerator {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
            }
        }
        return files
    }
}
