import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle

/// A reader stand-in: `count` rows of `planted.csv` (lines 2…), with the `file_info` a reader hands on.
struct PlantedRowsStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.planted_rows", summary: "Rows of planted.csv.", options: [OptionSpec("count", .integer, "Rows.")],
        inputs: 0...0)
    let count: Int

    init(spec: StageSpec) throws { count = spec.options.integer("count") ?? 5 }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"]), .fileInfo] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        var table = Table(columns: ["n"])
        for i in 0..<count {
            table.rows.append(
                Row(location: .csv(file: "planted.csv", line: i + 2, field: nil, header: nil), values: [.integer(Int64(i))]))
        }
        var info = Table(columns: ["path", "sheet", "status", "rows_read"])
        info.rows.append(
            Row(location: .file("planted.csv"), values: [.text("planted.csv"), .null, .text("importé"), .integer(Int64(count))]))
        return StageOutput(rows: table, rowsIn: count, extra: ["file_info": info])
    }
}

/// A faulty transform for the planted mismatch: `drop` loses the first row silently (a defect the run must catch),
/// `reject` rejects it with a reason (what a stage must do), `twice` passes the first row on twice.
struct PlantedFaultStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.planted_fault", summary: "Lose, reject or double a row.",
        options: [OptionSpec("fault", .choice(["drop", "reject", "twice"]), required: true, "The fault.")],
        inputs: 1...1)
    let fault: String

    init(spec: StageSpec) throws { fault = spec.options.string("fault") ?? "drop" }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [inputs.direct.isEmpty ? .rows(["n"]) : inputs.primary] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        var table = inputs.primary ?? Table(columns: ["n"])
        let first = table.rows.removeFirst()
        switch fault {
        case "reject":
            context.reject([Diagnostic(rule: "test.planted", location: first.location, message: "refusée")])
        case "twice":
            table.rows += [first, first]
        default:
            break
        }
        return StageOutput(rows: table, rowsIn: table.rows.count)
    }
}

/// A storing stand-in: records every row it is given as stored.
struct StoreAllStage: Stage {
    static let schema = StageKindSchema(kind: "test.store_all", summary: "Store.", options: [], inputs: 1...1)
    var storesRows: Bool { true }

    init(spec: StageSpec) throws {}

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [inputs.primary] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let rows = inputs.primary?.rows ?? []
        context.recordStored(rows.map(\.location))
        return StageOutput(rows: inputs.primary ?? Table(columns: []), rowsIn: rows.count)
    }
}

/// "Nothing lost" is checked at the end of every run from counts that do not depend on each other (issue 20,
/// part 5): rows read by the reader, rows stored and rejected from the store. A planted loss fails the run.
@Suite struct RowAccountingTests {
    static let catalog: [any Stage.Type] = StageCatalog.all + [PlantedRowsStage.self, PlantedFaultStage.self, StoreAllStage.self]

    static func run(fault: String?, dryRun: Bool = false, in folder: URL) throws -> RunReport {
        let middle = fault.map { "  fault: { kind: test.planted_fault, inputs: [read], options: { fault: \($0) } }\n" } ?? ""
        let yaml = "name: accounts\nstages:\n  read: { kind: test.planted_rows, options: { count: 5 } }\n" + middle
            + "  store: { kind: test.store_all, inputs: [\(fault == nil ? "read" : "fault")] }\n"
        let spec = try TestSupport.spec(yaml, in: folder, catalog: catalog)
        var options = TestSupport.options(in: folder)
        options.isDryRun = dryRun
        return try Passerelle(catalog: catalog, environment: [:]).run(
            spec, options: options, observer: nil, logger: TestSupport.quietLogger)
    }

    @Test func rowsThatAddUpPassAndAreCountedFromTheStore() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(fault: "reject", in: folder)
        #expect(report.succeeded, "\(report.summary)")
        #expect(report.accounts == [FileRowAccount(file: "planted.csv", read: 5, stored: 4, rejected: 1)])
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        #expect(try store.storedLines(of: report.runID) == [StoredLines(file: "planted.csv", sheet: nil, first: 3, last: 6)])
        #expect(try store.rejectedLineCounts(of: report.runID) == ["planted.csv": 1])
    }

    @Test(arguments: [false, true])
    func aRowLostByAStageFailsTheRunNamingTheFileAndTheDifference(dryRun: Bool) throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(fault: "drop", dryRun: dryRun, in: folder)
        #expect(!report.succeeded)
        #expect(report.accounts == [FileRowAccount(file: "planted.csv", read: 5, stored: 4, rejected: 0)])
        let run = dryRun ? "dry run of accounts" : "run \(report.runID) of accounts"
        #expect(
            report.summary == """
                \(run) failed: rows of planted.csv do not add up: 5 read ≠ 4 stored + 0 rejected (1 row(s) neither \
                stored nor rejected); a stage dropped or duplicated rows: keep the file, see `passerelle history` \
                and report it
                """)
        #expect(RunSummaryText.render(report).contains("file planted.csv: 5 row(s) read ≠ 4 stored + 0 rejected\n"))
        if !dryRun {
            let store = try Store(path: TestSupport.options(in: folder).storePath)
            #expect(try store.runs().first?.status == "failed")
        }
    }

    @Test func aRowPassedOnTwiceIsStoredOnceAndTheRowsStillAddUp() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(fault: "twice", in: folder)
        #expect(report.succeeded, "\(report.summary)")
        #expect(report.accounts == [FileRowAccount(file: "planted.csv", read: 5, stored: 5, rejected: 0)])
    }

    /// The channel feeds and the refuge's bookings are accounted as the stays are: each reader counts the rows
    /// of each file (an event, a reservation, a JSON line, a CSV line), the store counts what it took and
    /// rejected, and bad lines of every kind of feed add up.
    @Test func channelFeedsAndRefugeBookingsAddUpFileByFile() throws {
        let folder = try TestSupport.temporaryDirectory()
        let ota = folder.appendingPathComponent("ota")
        try FileManager.default.createDirectory(at: ota, withIntermediateDirectories: true)
        for name in ["01-commit.xml", "02-modify.xml"] {
            try FileManager.default.copyItem(
                atPath: ChannelTestSupport.fixture("ota/\(name)"), toPath: ota.appendingPathComponent(name).path)
        }
        try FileManager.default.copyItem(
            atPath: ChannelTestSupport.fixture("ota-doctype.xml"), toPath: ota.appendingPathComponent("03-doctype.xml").path)
        let yaml = """
            name: feeds-accounted
            stages:
              calendars:
                kind: ingest.ical
                options: { feeds: [{ path: \(ChannelTestSupport.fixture("abritel-malformed.ics")), accommodation: GITE-LAC }] }
              messages:
                kind: ingest.ota_xml
                options: { path: \(ota.path), accommodations: { HTL-EDEL/CHALET: CHA-EDEL } }
              lines: { kind: ingest.jsonl, options: { path: \(ChannelTestSupport.fixture("bookings.jsonl")), feed: smoobu } }
              store: { kind: output.store_channel_bookings, inputs: [calendars, messages, lines] }
              bookings:
                kind: ingest.csv
                options:
                  path: \(RefugeTestSupport.fixture("rules.csv"))
            \(RefugeTestSupport.columns)
              stock:
                kind: transform.refuge_stock
                inputs: [bookings]
                options: { definitions: [\(["refuge-test.yml", "refuge-lac.yml"].map(RefugeTestSupport.fixture).joined(separator: ", "))] }

            """
        let report = try ChannelTestSupport.run(yaml, in: folder)
        let accounts = Dictionary(uniqueKeysWithValues: report.accounts.map { (URL(fileURLWithPath: $0.file).lastPathComponent, $0) })
        #expect(accounts.keys.sorted() == ["01-commit.xml", "02-modify.xml", "03-doctype.xml", "abritel-malformed.ics", "bookings.jsonl", "rules.csv"])
        #expect(report.unbalancedAccounts.isEmpty)
        #expect(accounts["abritel-malformed.ics"].map { [$0.read, $0.stored, $0.rejected] } == [6, 3, 3])
        #expect(accounts["03-doctype.xml"].map { [$0.read, $0.stored, $0.rejected] } == [1, 0, 1])
        #expect(accounts["01-commit.xml"].map { [$0.read, $0.stored, $0.rejected] } == [1, 1, 0])
        #expect(accounts["bookings.jsonl"].map { $0.rejected } == 2)
        #expect(accounts["rules.csv"].map { [$0.read, $0.stored, $0.rejected] } == [14, 10, 4])
        #expect(accounts.values.allSatisfy { $0.read > 0 })
    }

    @Test func storedLinesBecomeMergedRangesCountedOnce() {
        var set = StoredLineSet()
        for line in [9, 2, 3, 4, 7, 8, 3] { set.insert(.csv(file: "a.csv", line: line, field: nil, header: nil)) }
        set.insert(.xlsx(file: "b.xlsx", sheet: "S", row: 5, column: nil, header: nil))
        set.insert(.file("a.csv"))
        let ranges = set.ranges()
        #expect(
            ranges == [
                StoredLines(file: "a.csv", sheet: nil, first: 2, last: 4),
                StoredLines(file: "a.csv", sheet: nil, first: 7, last: 9),
                StoredLines(file: "b.xlsx", sheet: "S", first: 5, last: 5),
            ])
        let overlapping = ranges + [StoredLines(file: "a.csv", sheet: nil, first: 4, last: 8)]
        #expect(StoredLines.lineCounts(overlapping) == ["a.csv": 8, "b.xlsx": 1])  // 2…9
    }
}
