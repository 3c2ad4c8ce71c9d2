import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle

/// The outbox (issue 20, part 4): a new stay's stay code is owed from the transaction that stores the stay, so a
/// run whose e-mail batch fails after `store_stays` leaves the codes pending, and the next run prepares them.
@Suite struct OutboxTests {
    /// The shipped daily import.
    static let pipeline = TestSupport.repositoryRoot.appendingPathComponent("pipelines/daily-import.yml").path

    static func run(
        _ pipeline: String, in folder: URL, stays: String? = nil, variables: [String: String] = [:]
    ) throws -> RunReport {
        let passerelle = Passerelle(environment: [:])
        var overrides = variables.merging(["input_directory": TestSupport.fixture("daily").path]) { $1 }
        if let stays { overrides["stays_file"] = stays }
        let loaded = passerelle.load(pipeline, overrides: overrides)
        let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
        return try passerelle.run(
            spec, options: TestSupport.options(in: folder), observer: nil, logger: TestSupport.quietLogger)
    }

    /// Makes the stay-code batch of run `run` fail once its messages are written, after `store_stays`: a file
    /// stands where its folder must go. (A broken template no longer does: `check` reads templates.)
    static func blockBatchFolder(ofRun run: Int, in folder: URL) throws { try block("codes-sejour", ofRun: run, in: folder) }

    /// Makes the e-mail batch `name` of run `run` fail once its messages are written: a file stands where its
    /// folder must go.
    static func block(_ name: String, ofRun run: Int, in folder: URL) throws {
        let runFolder = TestSupport.options(in: folder).outputRoot
            .appendingPathComponent("daily-import/run-\(String(format: "%04d", run))")
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        try Data("in the way".utf8).write(to: runFolder.appendingPathComponent(name))
    }

    static func prepared(_ report: RunReport) -> Int {
        report.results.first { $0.name == "stay_code_mails" }?.output.rowsOut ?? -1
    }

    @Test func aRunThatFailsAfterStoringStaysLeavesTheirCodesForTheNextRun() throws {
        let folder = try TestSupport.temporaryDirectory()
        let pipeline = Self.pipeline
        try Self.blockBatchFolder(ofRun: 1, in: folder)

        let failed = try Self.run(pipeline, in: folder)
        #expect(!failed.succeeded)
        guard case .failed? = failed.outcomes["stay_code_mails"] else {
            Issue.record("the e-mail batch did not fail: \(failed.summary)")
            return
        }
        #expect(try DailyImportTests.result(failed, "store_stays").output.rowsOut == 286)
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        #expect(try store.pendingOutbox(kind: OutboxKind.stayCode, createdBefore: Int64.max).count == 280)

        let next = try Self.run(pipeline, in: folder)
        #expect(next.succeeded, "\(next.summary)")
        #expect(Self.prepared(next) == 280)
        #expect(try store.pendingOutbox(kind: OutboxKind.stayCode, createdBefore: Int64.max).isEmpty)
        let batch = next.outputDirectory.appendingPathComponent("codes-sejour")
        #expect(try BatchManifest(batchFolder: batch).entries.count == 280)

        let third = try Self.run(pipeline, in: folder)
        #expect(third.succeeded, "\(third.summary)")
        #expect(Self.prepared(third) <= 0)  // skipped as already imported, or nothing owed: never twice
    }

    /// A stay owed its code by a failed run, then cancelled in the next file, gets no code: it is marked and the
    /// others are sent.
    @Test func aStayCancelledSinceItsFailedRunIsOwedNoCode() throws {
        let folder = try TestSupport.temporaryDirectory()
        let pipeline = Self.pipeline
        try Self.blockBatchFolder(ofRun: 1, in: folder)
        let stays = folder.appendingPathComponent("sejours.csv")  // the French CSV export (Windows-1252)
        try FileManager.default.copyItem(at: TestSupport.fixture("daily/sejours.csv"), to: stays)
        #expect(!(try Self.run(pipeline, in: folder, stays: stays.path)).succeeded)

        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let owed = try store.pendingOutbox(kind: OutboxKind.stayCode, createdBefore: Int64.max)
        let reference = try #require(owed.first)
        var lines = try Data(contentsOf: stays).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let row = try #require(lines.firstIndex { $0.starts(with: Array(reference.utf8)) })
        let confirmed = Data([0x43, 0x6F, 0x6E, 0x66, 0x69, 0x72, 0x6D, 0xE9])  // "Confirmé" in Windows-1252
        let cancelled = Data([0x41, 0x6E, 0x6E, 0x75, 0x6C, 0xE9])  // "Annulé" in Windows-1252
        let range = try #require(Data(lines[row]).range(of: confirmed))
        var changed = Data(lines[row])
        changed.replaceSubrange(range, with: cancelled)
        lines[row] = changed[...]
        try Data(lines.joined(separator: [UInt8(ascii: "\n")])).write(to: stays)

        let next = try Self.run(pipeline, in: folder, stays: stays.path)
        #expect(next.succeeded, "\(next.summary)")
        #expect(Self.prepared(next) == owed.count - 1)
        #expect(try store.pendingOutbox(kind: OutboxKind.stayCode, createdBefore: Int64.max).isEmpty)
        let batch = next.outputDirectory.appendingPathComponent("codes-sejour")
        let keys = try BatchManifest(batchFolder: batch).entries.map(\.key)
        #expect(keys.count == owed.count - 1)
        #expect(!keys.contains { $0.contains(":\(reference):") })
    }

    /// New dates stored by a run whose update e-mails failed are owed: the next run (the same file, nothing
    /// changed any more) prepares the update; the one after has nothing owed.
    @Test func aRunThatFailsAfterChangingDatesLeavesTheUpdateForTheNextRun() throws {
        let folder = try TestSupport.temporaryDirectory()
        let pipeline = Self.pipeline
        #expect(try Self.run(pipeline, in: folder).succeeded)
        let changed = try DailyImportTests.stayFileWithLaterDeparture(in: folder)
        try Self.block("modifications-sejour", ofRun: 2, in: folder)

        let failed = try Self.run(pipeline, in: folder, stays: changed)
        guard case .failed? = failed.outcomes["stay_update_mails"] else {
            Issue.record("the update batch did not fail: \(failed.summary)")
            return
        }
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let owed = try store.pendingOutbox(kind: OutboxKind.stayUpdate, createdBefore: Int64.max)
        #expect(owed.count == 1)
        #expect(owed.first?.hasPrefix("CR-2026-000002/") == true)

        let next = try Self.run(pipeline, in: folder, stays: changed)
        #expect(next.succeeded, "\(next.summary)")
        #expect(try DailyImportTests.result(next, "stay_update_mails").output.rowsOut == 1)
        #expect(try store.pendingOutbox(kind: OutboxKind.stayUpdate, createdBefore: Int64.max).isEmpty)
        let keys = try BatchManifest(batchFolder: next.outputDirectory.appendingPathComponent("modifications-sejour"))
            .entries.map(\.key)
        #expect(keys == ["stay_update:\(owed[0]):v1"])

        let third = try Self.run(pipeline, in: folder, stays: changed)
        #expect(third.succeeded, "\(third.summary)")
        #expect(try DailyImportTests.result(third, "stay_update_mails").output.rowsOut <= 0)
    }

    /// An overlap's alert is owed with its finding: a run whose alert batch fails leaves the alerts pending. The
    /// next run reads a file holding only one stay of the first pair, now cancelled, so it finds no overlap: it
    /// sends the owed alerts whose overlap still holds and drops the one the cancellation ended.
    @Test func aRunThatFailsAfterFindingOverlapsLeavesTheirAlertsForTheNextRun() throws {
        let folder = try TestSupport.temporaryDirectory()
        let pipeline = Self.pipeline
        try Self.block("alertes", ofRun: 1, in: folder)
        let stays = folder.appendingPathComponent("sejours.csv")  // the French CSV export (Windows-1252)
        try FileManager.default.copyItem(at: TestSupport.fixture("daily/sejours.csv"), to: stays)
        let failed = try Self.run(pipeline, in: folder, stays: stays.path)
        guard case .failed? = failed.outcomes["overlap_alerts"] else {
            Issue.record("the alert batch did not fail: \(failed.summary)")
            return
        }
        let found = try DailyImportTests.result(failed, "find_overlaps").output.tables["overlaps"]?.rows.count ?? 0
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let owed = try store.pendingOutbox(kind: OutboxKind.overlapAlert, createdBefore: Int64.max)
        #expect(found >= 2 && owed.count == found)

        // One stay of the first owed pair, cancelled, alone in the next file.
        let reference = String(try #require(owed.first?.split(separator: "/").first))
        let lines = try Data(contentsOf: stays).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let row = try #require(lines.firstIndex { $0.starts(with: Array(reference.utf8)) })
        let confirmed = Data([0x43, 0x6F, 0x6E, 0x66, 0x69, 0x72, 0x6D, 0xE9])  // "Confirmé" in Windows-1252
        let cancelled = Data([0x41, 0x6E, 0x6E, 0x75, 0x6C, 0xE9])  // "Annulé" in Windows-1252
        var line = Data(lines[row])
        line.replaceSubrange(try #require(line.range(of: confirmed)), with: cancelled)
        let header = try #require(lines.firstIndex { Data($0).range(of: Data("R\u{E9}f\u{E9}rence".unicodeScalars.map { UInt8($0.value) })) != nil })
        let kept = lines[...header].map { Data($0) + Data("\n".utf8) }.reduce(Data(), +)
        try (kept + line + Data("\n".utf8)).write(to: stays)

        let next = try Self.run(pipeline, in: folder, stays: stays.path)
        #expect(next.succeeded, "\(next.summary)")
        #expect(try DailyImportTests.result(next, "find_overlaps").output.tables["overlaps"]?.rows.isEmpty == true)
        let dropped = owed.filter { $0.split(separator: "/").prefix(2).contains(Substring(reference)) }
        #expect(!dropped.isEmpty && dropped.count < owed.count)
        #expect(try DailyImportTests.result(next, "overlap_alerts").output.rowsOut == owed.count - dropped.count)
        #expect(try store.pendingOutbox(kind: OutboxKind.overlapAlert, createdBefore: Int64.max).isEmpty)
        let keys = try BatchManifest(batchFolder: next.outputDirectory.appendingPathComponent("alertes")).entries.map(\.key)
        #expect(Set(keys) == Set(owed.filter { !dropped.contains($0) }.map { "overlap_alert:\($0):v1" }))
    }

    /// A first run's alerts are owed and prepared by its own batch: nothing stays pending.
    @Test func aFirstRunOwesAndPreparesEveryOverlapsAlert() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try DailyImportTests.run(in: folder)
        #expect(report.succeeded, "\(report.summary)")
        #expect(try DailyImportTests.result(report, "overlap_alerts").output.rowsOut > 0)
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        #expect(try store.pendingOutbox(kind: OutboxKind.overlapAlert, createdBefore: Int64.max).isEmpty)
    }

    /// An update's key is the reference and the two dates; a reference may hold `/` itself.
    @Test func anUpdatesKeyGivesBackItsReference() {
        var stay = FinanceFixture.stay("CR/2027/7", "H001-A", "Direct", "2027-01-02", "2027-01-09", 100)
        #expect(OutboxKind.stayUpdateKey(stay) == "CR/2027/7/2027-01-02/2027-01-09")
        #expect(OutboxKind.stayUpdateReference(OutboxKind.stayUpdateKey(stay)) == "CR/2027/7")
        stay.reference = "CR-1"
        #expect(OutboxKind.stayUpdateReference(OutboxKind.stayUpdateKey(stay)) == "CR-1")
    }

    @Test func aFirstRunOwesAndPreparesEveryNewStaysCode() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try DailyImportTests.run(in: folder)
        #expect(report.succeeded, "\(report.summary)")
        #expect(Self.prepared(report) == 280)
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        #expect(try store.pendingOutbox(kind: OutboxKind.stayCode, createdBefore: Int64.max).isEmpty)
    }
}

/// The office reports' reminders through the outbox (issue 20, part 4): owed with the membership rows, sent by a
/// later run while they are due, dropped once the deadline has passed.
@Suite struct ReminderOutboxTests {
    /// A store seeded as the office tests seed it, and the offices' settings (MB1's deadline: 25/11/2026 08:00).
    static func seeded(in folder: URL) throws -> (store: Store, config: String) {
        let config = try OfficePartitionTests.config(in: folder)
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let first = try OfficePartitionTests.run(in: folder, asOf: try OfficePartitionTests.now(), config: config)
        #expect(first.succeeded, "\(first.summary)")
        _ = try OfficePartitionTests.seed(store, runID: try store.nextRunID() - 1, movedTo: OfficePartitionTests.morzine)
        return (store, config)
    }

    /// Runs the office reports at `hours` after the tests' clock, with the reminder batch failing when `blocked`.
    static func run(in folder: URL, config: String, store: Store, hours: Double, blocked: Bool = false) throws -> RunReport {
        if blocked {
            let runFolder = TestSupport.options(in: folder).outputRoot
                .appendingPathComponent("office-reports/run-\(String(format: "%04d", try store.nextRunID()))")
            try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
            try Data("in the way".utf8).write(to: runFolder.appendingPathComponent("relances-adhesion"))
        }
        return try OfficePartitionTests.run(
            in: folder, asOf: try OfficePartitionTests.now().addingTimeInterval(hours * 3_600), config: config)
    }

    @Test func aReminderOwedByAFailedRunIsSentByTheNextWhileDue() throws {
        let folder = try TestSupport.temporaryDirectory()
        let (store, config) = try Self.seeded(in: folder)
        let failed = try Self.run(in: folder, config: config, store: store, hours: 1, blocked: true)
        guard case .failed? = failed.outcomes["membership_reminders"] else {
            Issue.record("the reminder batch did not fail: \(failed.summary)")
            return
        }
        let owed = try store.pendingOutbox(kind: OutboxKind.membershipReminder, createdBefore: Int64.max)
        #expect(owed.contains { $0.hasPrefix("MB1/") })

        let next = try Self.run(in: folder, config: config, store: store, hours: 2)
        #expect(next.succeeded, "\(next.summary)")
        #expect(try store.pendingOutbox(kind: OutboxKind.membershipReminder, createdBefore: Int64.max).isEmpty)
        let keys = try BatchManifest(batchFolder: next.outputDirectory.appendingPathComponent("relances-adhesion"))
            .entries.map(\.key)
        #expect(Set(owed.map { "membership_reminder:\($0):v1" }).isSubset(of: Set(keys)))
    }

    @Test func aReminderOwedPastItsDeadlineIsDropped() throws {
        let folder = try TestSupport.temporaryDirectory()
        let (store, config) = try Self.seeded(in: folder)
        _ = try Self.run(in: folder, config: config, store: store, hours: 1, blocked: true)
        let owed = try store.pendingOutbox(kind: OutboxKind.membershipReminder, createdBefore: Int64.max)
        let mb1 = try #require(owed.first { $0.hasPrefix("MB1/") })

        let late = try Self.run(in: folder, config: config, store: store, hours: 30)  // 25/11 16:00: every deadline passed
        #expect(late.succeeded, "\(late.summary)")
        #expect(try store.pendingOutbox(kind: OutboxKind.membershipReminder, createdBefore: Int64.max).isEmpty)
        let membership = try #require(late.results.first { $0.name == "membership" })
        #expect(membership.notes.contains { $0.hasSuffix("no longer due: dropped") })
        let batch = late.outputDirectory.appendingPathComponent("relances-adhesion")
        let sent = FileManager.default.fileExists(atPath: batch.path) ? try BatchManifest(batchFolder: batch).entries.map(\.key) : []
        #expect(!sent.contains("membership_reminder:\(mb1):v1"))
    }
}
