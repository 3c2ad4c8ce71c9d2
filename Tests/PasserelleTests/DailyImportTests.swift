import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle

/// The project's `pipelines/daily-import.yml` run on the fixture copies of the sample exports.
@Suite struct DailyImportTests {
    static let pipeline = TestSupport.repositoryRoot.appendingPathComponent("pipelines/daily-import.yml").path

    /// Runs the daily import into `folder` with the given stays file and jobs.
    static func run(
        in folder: URL, jobs: Int = 4, force: Bool = false, dryRun: Bool = false, stays: String? = nil,
        providers: String? = nil, keepsTables: Bool = true
    ) throws -> RunReport {
        var overrides = ["input_directory": TestSupport.fixture("daily").path]
        if let stays { overrides["stays_file"] = stays }
        if let providers { overrides["providers_file"] = providers }
        let passerelle = Passerelle(environment: [:])
        let loaded = passerelle.load(pipeline, overrides: overrides)
        let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
        var options = TestSupport.options(in: folder, jobs: jobs)
        options.isForced = force
        options.isDryRun = dryRun
        options.keepsTables = keepsTables
        return try passerelle.run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
    }

    static func result(_ report: RunReport, _ stage: String) throws -> StageResult {
        try #require(report.results.first { $0.name == stage }, "no result for \(stage): \(report.summary)")
    }

    @Test func rejectsEveryPlantedDefectWithItsRowAndColumn() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder)
        #expect(report.succeeded, "\(report.summary)")
        let rejected = report.results.flatMap(\.rejected)
        let found = Set(rejected.map { "\($0.rule) \($0.location.sheet ?? "")!\($0.location.columnLabel ?? "")\($0.location.line ?? 0)" })
        let expected: Set<String> = [
            "validate.client_email.missing Séjours!E14", "validate.client_email.missing Séjours!E89",
            "validate.client_email.missing Séjours!E166", "validate.client_email.malformed Séjours!E33",
            "validate.client_email.malformed Séjours!E120", "validate.client_email.malformed Séjours!E205",
            "validate.references.unknown_accommodation Séjours!B58",
            "validate.references.unknown_accommodation Séjours!B243", "ingest.value.date Séjours!G74",
            "ingest.value.date Séjours!H191", "validate.stay_dates.departure_not_after_arrival Séjours!H97",
            "validate.stay_dates.departure_not_after_arrival Séjours!H229", "ingest.value.required Séjours!C145",
            "ingest.value.required Séjours!C268",
        ]
        #expect(found == expected)
        let stays = try Self.result(report, "stays")
        let stored = try Self.result(report, "store_stays")
        let rejectedRows = report.results.map(\.rowsRejected).reduce(0, +)
        #expect(stays.output.rowsIn == 300)
        #expect(stays.output.rowsIn == stored.output.rowsOut + rejectedRows)
        let fixtures = TestSupport.fixture("daily").path
        #expect(
            report.accounts == [
                FileRowAccount(file: "\(fixtures)/hebergeurs.xlsx", read: 90, stored: 90, rejected: 0),
                FileRowAccount(file: "\(fixtures)/sejours.xlsx", read: 300, stored: 286, rejected: 14),
            ])
    }

    @Test func findsTheFourOverlapsAndNotTouchingOrCancelledStays() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder)
        let overlaps = try #require(try Self.result(report, "find_overlaps").output.tables["overlaps"])
        let pairs = Set(overlaps.rows.map {
            "\(overlaps.value("first_reference", in: $0).text ?? "")×\(overlaps.value("second_reference", in: $0).text ?? "")"
        })
        #expect(
            pairs == [
                "CR-2026-000040×CR-2026-000294", "CR-2026-000110×CR-2026-000295", "CR-2026-000175×CR-2026-000296",
                "CR-2026-000250×CR-2026-000297",
            ])
    }

    @Test func anOverlapWithAStayImportedEarlierNamesTheStoredStay() throws {
        let folder = try TestSupport.temporaryDirectory()
        _ = try Self.run(in: folder)
        let single = folder.appendingPathComponent("sejours-un.xlsx").path
        let script = """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["Séjours"]
            for r in range(ws.max_row, 2, -1):
                if ws.cell(r, 1).value != "CR-2026-000294": ws.delete_rows(r)
            wb.save(sys.argv[2])
            """
        _ = try python(["-c", script, TestSupport.fixture("daily/sejours.xlsx").path, single])
        let report = try Self.run(in: folder, stays: single)
        let overlaps = try #require(try Self.result(report, "find_overlaps").output.tables["overlaps"])
        #expect(overlaps.rows.count == 1)
        let row = try #require(overlaps.rows.first)
        #expect(overlaps.value("first_reference", in: row) == .text("CR-2026-000040"))
        #expect(overlaps.value("second_reference", in: row) == .text("CR-2026-000294"))
        #expect(overlaps.value("first_client", in: row).text?.isEmpty == false)
        #expect(overlaps.value("first_stay_code", in: row).text?.isEmpty == false)
    }

    @Test func formulaConflictsAndNonMembersAreReported() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder)
        let conflicts = try Self.result(report, "check_formulas").findings.map(\.message)
        #expect(conflicts.count == 3)
        #expect(conflicts.contains { $0.hasPrefix("l'hébergement H004-B") })
        let members = try Self.result(report, "check_membership").findings
        #expect(members.count == 5)
    }

    @Test func aSecondRunImportsNothingAndSendsNoEmailUnlessForced() throws {
        let folder = try TestSupport.temporaryDirectory()
        let first = try Self.run(in: folder)
        #expect(try Self.result(first, "stay_code_mails").output.rowsOut == 280)
        let second = try Self.run(in: folder)
        #expect(second.succeeded)
        #expect(try Self.result(second, "stays").notes.first?.hasPrefix("skipped sejours.xlsx") == true)
        #expect(try Self.result(second, "stay_code_mails").files.isEmpty)
        let forced = try Self.run(in: folder, force: true)
        let stored = try Self.result(forced, "store_stays")
        #expect(stored.notes == ["stored 0 new stay(s), 0 updated, 0 cancelled, 286 unchanged"])
        #expect(try Self.result(forced, "stay_code_mails").files.isEmpty)
    }

    /// The fixture's stays workbook with CR-2026-000002 leaving a day later (written by openpyxl), as a path.
    static func stayFileWithLaterDeparture(in folder: URL) throws -> String {
        let changed = folder.appendingPathComponent("sejours-modifie.xlsx").path
        let script = """
            import openpyxl, sys, datetime
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["Séjours"]
            for row in ws.iter_rows(min_row=3):
                if row[0].value == "CR-2026-000002":
                    row[7].value = row[7].value + datetime.timedelta(days=1)
            wb.save(sys.argv[2])
            """
        _ = try python(["-c", script, TestSupport.fixture("daily/sejours.xlsx").path, changed])
        return changed
    }

    @Test func aChangedStayDateSendsAnUpdateNotASecondCode() throws {
        let folder = try TestSupport.temporaryDirectory()
        _ = try Self.run(in: folder)
        let changed = try Self.stayFileWithLaterDeparture(in: folder)
        let report = try Self.run(in: folder, stays: changed)
        #expect(try Self.result(report, "stay_code_mails").output.rowsOut == 0)
        #expect(try Self.result(report, "stay_update_mails").output.rowsOut == 1)
        let changes = try #require(try Self.result(report, "store_stays").output.tables["changes"])
        #expect(changes.rows.count == 1)
        #expect(changes.value("field", in: changes.rows[0]) == .text("departure"))
    }

    /// Also: dropping each table once read (how the command line runs) changes no output.
    @Test func oneJobAndEightJobsGiveByteIdenticalOutputsAndStore() throws {
        let one = try TestSupport.temporaryDirectory()
        let eight = try TestSupport.temporaryDirectory()
        let kept = try Self.run(in: one, jobs: 1)
        let dropped = try Self.run(in: eight, jobs: 8, keepsTables: false)
        let stays = try Self.result(kept, "stays").output
        #expect(stays.tables["rows"]?.rows.count == stays.rowsOut)
        #expect(dropped.results.allSatisfy { $0.output.tables.isEmpty })
        #expect(dropped.summary == kept.summary)
        #expect(dropped.results.map(\.output.rowsOut) == kept.results.map(\.output.rowsOut))
        let a = try TestSupport.files(under: one.appendingPathComponent("out"))
        let b = try TestSupport.files(under: eight.appendingPathComponent("out"))
        #expect(a.count > 280)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, data) in a { #expect(b[name] == data, "\(name) differs") }
        let storeA = try Store(path: TestSupport.options(in: one).storePath).dump()
        let storeB = try Store(path: TestSupport.options(in: eight).storePath).dump()
        #expect(storeA == storeB)
    }

    @Test func aDryRunWritesNothingAndCountsWhatWouldBeDone() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder, dryRun: true)
        #expect(try Self.result(report, "store_stays").notes == ["would store 286 new stay(s), 0 updated, 0 cancelled, 0 unchanged"])
        #expect(try Self.result(report, "stay_code_mails").fileCount == 281)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        #expect(try Store(path: TestSupport.options(in: folder).storePath).runs().isEmpty)
    }

    @Test func theFrenchCSVGivesTheSameResultAsTheWorkbook() throws {
        let xlsx = try Self.run(in: try TestSupport.temporaryDirectory())
        let csv = try Self.run(in: try TestSupport.temporaryDirectory(), stays: TestSupport.fixture("daily/sejours.csv").path)
        #expect(csv.succeeded)
        let rules = { (r: RunReport) in r.results.flatMap(\.rejected).map { "\($0.rule) \($0.location.line ?? 0)" }.sorted() }
        #expect(rules(csv) == rules(xlsx))
        let locations = csv.results.flatMap(\.rejected).map(\.location)
        #expect(locations.contains(.csv(file: TestSupport.fixture("daily/sejours.csv").path, line: 33, field: 5, header: "E-mail client")))
        #expect(try Self.result(csv, "store_stays").notes == ["stored 286 new stay(s), 0 updated, 0 cancelled, 0 unchanged"])
    }

    @Test func aProviderAbsentFromTheNewFileIsReportedAndAChangeRecorded() throws {
        let folder = try TestSupport.temporaryDirectory()
        _ = try Self.run(in: folder)
        let changed = folder.appendingPathComponent("hebergeurs-2.xlsx").path
        let script = """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["Hébergements"]
            for r in range(ws.max_row, 4, -1):
                if ws.cell(r, 1).value == "H040": ws.delete_rows(r)
                elif ws.cell(r, 1).value == "H025": ws.cell(r, 3).value = "contact@gite-ours.fr"
            wb.save(sys.argv[2])
            """
        _ = try python(["-c", script, TestSupport.fixture("daily/hebergeurs.xlsx").path, changed])
        let report = try Self.run(in: folder, providers: changed)
        #expect(report.succeeded, "\(report.summary)")
        let store = try Self.result(report, "store_providers")
        #expect(store.findings.map(\.rule) == ["output.store_providers.absent"])
        #expect(store.findings.first?.message.hasPrefix("l'hébergeur H040 ") == true)
        let changes = try #require(store.output.tables["changes"])
        #expect(changes.rows.map { changes.value("key", in: $0).storageText + "." + changes.value("field", in: $0).storageText } == ["H025.email"])
    }
}
