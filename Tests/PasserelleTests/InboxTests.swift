import Foundation
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Synchronization
import Testing

@testable import Passerelle

/// The watched inbox with real files in a temporary folder, run through the façade by the daemon.
@Suite struct InboxTests {
    /// A project folder with an inbox-triggered definition, its daemon and clock.
    struct Project {
        let root: URL
        let clock: SimulatedClock
        let daemon: Daemon
        var inbox: URL { root.appendingPathComponent("inbox") }
        var killMarker: URL { root.appendingPathComponent("kill") }

        init(root: URL? = nil) throws {
            self.root = try root ?? TestSupport.temporaryDirectory()
            let pipelines = self.root.appendingPathComponent("pipelines")
            try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
            let yaml = """
                name: inbox-import
                variables:
                  stays_file: { default: \(self.root.path)/none.csv }
                  kill_marker: { default: \(self.root.path)/kill }
                inbox:
                  folder: \(self.root.path)/inbox
                  patterns: { stays_file: "sejours*.{csv,xlsx}" }
                  stable_seconds: 5
                alerts: { to: [exploitation@example.fr], from: passerelle@example.fr }
                stages:
                  read: { kind: test.read_file, options: { path: "${stays_file}" } }
                  after: { kind: test.fail_if_exists, inputs: [read], options: { marker: "${kill_marker}" } }
                """
            try Data(yaml.utf8).write(to: pipelines.appendingPathComponent("inbox-import.yml"))
            try FileManager.default.createDirectory(
                at: self.root.appendingPathComponent("inbox"), withIntermediateDirectories: true)
            clock = SimulatedClock(Date())
            let passerelle = Passerelle(catalog: [ReadFileStage.self, FailIfExistsStage.self], environment: [:])
            daemon = Daemon(
                settings: Daemon.Settings(
                    definitionsFolder: pipelines, store: self.root.appendingPathComponent("var/passerelle.sqlite").path,
                    output: self.root.appendingPathComponent("out").path),
                passerelle: passerelle,
                launcher: FacadeLauncher(passerelle: passerelle, logger: TestSupport.quietLogger),
                clock: clock, logger: TestSupport.quietLogger, dispatch: { $0() })
            #expect(daemon.reload() == [])
        }

        /// Writes a file into the inbox, modified now by the simulated clock.
        func drop(_ name: String, _ text: String) throws {
            let url = inbox.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: clock.now()], ofItemAtPath: url.path)
        }

        /// Files left in the inbox itself, and under archive/ and rejected/.
        func inboxFiles() throws -> [String] {
            try TestSupport.files(under: inbox).keys.sorted()
        }

        var store: Store { get throws { try Store(path: root.appendingPathComponent("var/passerelle.sqlite").path) } }
    }

    static func month(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CronSchedule.paris
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d/%02d", parts.year ?? 0, parts.month ?? 0)
    }

    @Test func fileStillBeingWrittenIsNotTaken() throws {
        let project = try Project()
        try project.drop("sejours-1.csv", "reference;email\n")
        project.daemon.tick()  // first sighting
        project.clock.advance(seconds: 10)
        try project.drop("sejours-1.csv", "reference;email\nR1;a@example.com\n")  // the copy goes on
        project.daemon.tick()
        #expect(try project.inboxFiles() == ["/sejours-1.csv"])
        project.daemon.tick()  // same size, but modified less than stable_seconds ago by the clock
        #expect(try project.inboxFiles() == ["/sejours-1.csv"])
        project.clock.advance(seconds: 10)
        project.daemon.tick()
        #expect(try project.inboxFiles() == ["/archive/\(Self.month(project.clock.now()))/sejours-1.csv"])
    }

    @Test func goodFileIsArchivedAndImported() throws {
        let project = try Project()
        try project.drop("sejours-2026-11-24.csv", "R1;a@example.com\n")
        try project.drop("notes.txt", "not for this pipeline\n")
        project.clock.advance(seconds: 10)
        project.daemon.tick()
        project.daemon.tick()
        #expect(
            try project.inboxFiles() == [
                "/archive/\(Self.month(project.clock.now()))/sejours-2026-11-24.csv", "/notes.txt",
            ])
        let outputs = try TestSupport.files(under: project.root.appendingPathComponent("out")).keys.sorted()
        #expect(outputs == ["/inbox-import/run-0001/read-sejours-2026-11-24.csv.txt"])
        #expect(try project.store.runs().map(\.status) == ["succeeded"])
    }

    @Test func badFileIsRejectedWithItsReasonAndAnAlert() throws {
        let project = try Project()
        try project.drop("sejours-bad.csv", "BAD header\n")
        project.clock.advance(seconds: 10)
        project.daemon.tick()
        project.daemon.tick()
        #expect(try project.inboxFiles() == ["/rejected/sejours-bad.csv", "/rejected/sejours-bad.csv.reason.txt"])
        let reason = try String(
            contentsOf: project.inbox.appendingPathComponent("rejected/sejours-bad.csv.reason.txt"), encoding: .utf8)
        #expect(reason.contains("sejours-bad.csv (stays_file) was rejected on "))
        #expect(
            reason.contains(
                "run 1 of inbox-import failed: stage 'read' (test.read_file) failed: sejours-bad.csv: no column 'Référence' "
                    + "in the header row; not run: 'after'"))
        #expect(
            reason.hasSuffix(
                "fix: correct the file and drop it into the inbox again (every file of a failed run is rejected with it).\n"
            ))
        let alerts = try TestSupport.files(under: project.root.appendingPathComponent("out/inbox-import/alerts"))
        try #require(alerts.count == 1)
    }

    @Test func runKilledMidwayAndRestartedImportsTheFileOnce() throws {
        let first = try Project()
        try Data().write(to: first.killMarker)
        try first.drop("sejours-1.csv", "R1;a@example.com\n")
        // The killed daemon: the run fails half-way (its store writes roll back) and the file is never filed.
        let pipeline = try #require(first.daemon.state.withLock { $0.pipelines.first })
        let killed = FacadeLauncher(
            passerelle: Passerelle(catalog: [ReadFileStage.self, FailIfExistsStage.self], environment: [:]),
            logger: TestSupport.quietLogger
        ).run(
            pipeline, overrides: ["stays_file": first.inbox.appendingPathComponent("sejours-1.csv").path], asOf: Date())
        #expect(!killed.succeeded)
        try FileManager.default.removeItem(at: first.killMarker)
        // The restarted daemon takes the file, imports it and archives it.
        let restarted = try Project(root: first.root)
        restarted.clock.advance(seconds: 10)
        restarted.daemon.tick()
        restarted.daemon.tick()
        #expect(try restarted.inboxFiles() == ["/archive/\(Self.month(restarted.clock.now()))/sejours-1.csv"])
        // The same content dropped again is recognised and not imported a second time.
        try restarted.drop("sejours-1-bis.csv", "R1;a@example.com\n")
        restarted.clock.advance(seconds: 10)
        restarted.daemon.tick()
        restarted.daemon.tick()
        let runs = try restarted.store.runs().sorted { $0.id < $1.id }
        #expect(runs.map(\.status) == ["failed", "succeeded", "succeeded"])
        let outputs = try TestSupport.files(under: first.root.appendingPathComponent("out/inbox-import")).keys.sorted()
        #expect(outputs == ["/run-0001/read-sejours-1.csv.txt", "/run-0002/read-sejours-1.csv.txt"])
        #expect(try restarted.inboxFiles().count == 2)
    }

    @Test func filesDroppedTogetherGoIntoOneRunOldestFirst() throws {
        let folder = try TestSupport.temporaryDirectory()
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        func drop(_ name: String, at date: Date) throws {
            let url = folder.appendingPathComponent(name)
            try Data(name.utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
        }
        var watcher = InboxWatcher(
            inbox: InboxSpec(
                folder: folder.path,
                patterns: ["providers_file": "hebergeurs*.xlsx", "stays_file": "sejours*.{xlsx,csv}"],
                stableSeconds: 30))
        try drop("hebergeurs.xlsx", at: start)
        try drop("sejours-2.csv", at: start.addingTimeInterval(5))
        try drop("sejours-1.csv", at: start)
        #expect(try watcher.scan(now: start.addingTimeInterval(60)) == nil)  // first look
        try drop("sejours-2.csv", at: start.addingTimeInterval(50))  // still being copied
        #expect(try watcher.scan(now: start.addingTimeInterval(60)) == nil)  // nothing taken while one changes
        let batch = try #require(try watcher.scan(now: start.addingTimeInterval(90)))
        #expect(
            batch.overrides == [
                "providers_file": folder.appendingPathComponent("hebergeurs.xlsx").path,
                "stays_file": folder.appendingPathComponent("sejours-1.csv").path,
            ])
    }
}
