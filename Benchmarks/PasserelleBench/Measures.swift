import Foundation
import Logging
import Passerelle
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStages
import PasserelleStore

/// The measures, each over one data folder written by `scripts/generate_sample_data.py`.
///
/// The readers are timed through the same code the pipeline runs: the stays stage of
/// `pipelines/daily-import.yml` is built from the catalog and run with a context of its own, so the
/// mapping, the typing and the rejects are the product's, not a copy of them. The writer is timed through
/// `XLSXDocument` (Measures+Write.swift), the monthly statement through its pipeline (Measures+Statement.swift);
/// both save the cells they wrote under `cells` for the reference writers.
struct Measures {
    /// The folder holding `hebergeurs.xlsx`, `sejours.xlsx` and `sejours.csv`.
    let dataDirectory: String
    /// The daily import's definition.
    let pipeline: String
    /// Scratch folder for the store and the outputs (emptied before each measure that writes).
    let scratch: URL
    /// The monthly statement's definition and the month it is run for.
    let monthlyPipeline: String
    let month: String
    /// Where the writing measures save the cells they wrote, for the reference writers.
    let cells: URL
    /// How many times the writing measures write (the shortest run counts, see `WriteTiming`).
    let repeats: Int

    /// Rows above the data in the generator's stays files: the title line and the header.
    static let rowsAboveData = 2

    /// The names `--only` accepts, in the order the driver runs them.
    static let names = [
        "xlsx_read", "xlsx_ingest", "csv_read", "csv_ingest", "xlsx_write", "monthly_statement", "daily_import",
    ]

    func run(_ name: String) throws -> Measurement {
        switch name {
        case "xlsx_read": return try xlsxRead()
        case "xlsx_ingest": return try stageIngest(name, kind: "ingest.xlsx", file: "sejours.xlsx")
        case "csv_read": return try csvRead()
        case "csv_ingest": return try stageIngest(name, kind: "ingest.csv", file: "sejours.csv")
        case "xlsx_write": return try xlsxWrite()
        case "monthly_statement": return try monthlyStatement()
        case "daily_import": return try dailyImport()
        default: throw BenchError("unknown measure '\(name)'; choose one of \(Self.names.joined(separator: ", "))")
        }
    }

    /// The workbook reader alone: every cell of the stays sheet decoded, nothing typed.
    private func xlsxRead() throws -> Measurement {
        let path = file("sejours.xlsx")
        let ((rows, cells), seconds) = try Measurement.timed { () throws -> (Int, Int) in
            var rows = 0
            var cells = 0
            try openWorkbook(at: path).readRows(of: .name("Séjours")) { _, row in
                rows += 1
                cells += row.count
            }
            return (rows, cells)
        }
        return Measurement(
            name: "xlsx_read", summary: "stays workbook read (cells decoded)", rows: rows - Self.rowsAboveData,
            seconds: seconds,
            counts: ["rows": rows, "cells": cells])
    }

    /// The CSV reader alone: records cut and fields decoded from Windows-1252, nothing typed.
    private func csvRead() throws -> Measurement {
        let path = file("sejours.csv")
        let ((rows, fields), seconds) = try Measurement.timed { () throws -> (Int, Int) in
            var rows = 0
            var fields = 0
            try CSVReader(path: path).readRecords { _, record in
                rows += 1
                fields += record.count
            }
            return (rows, fields)
        }
        return Measurement(
            name: "csv_read", summary: "stays CSV parsed (fields decoded)", rows: rows - Self.rowsAboveData,
            seconds: seconds,
            counts: ["rows": rows, "fields": fields])
    }

    /// The daily import's stays stage over one file: read, header matched, every cell typed or rejected.
    private func stageIngest(_ name: String, kind: String, file fileName: String) throws -> Measurement {
        var spec = try stageSpec("stays", overrides: ["stays_file": file(fileName)])
        spec.kind = kind
        guard let type = StageCatalog.all.first(where: { $0.schema.kind == kind }) else {
            throw BenchError("the catalog has no kind \(kind)")
        }
        let stage = try type.init(spec: spec)
        let context = try makeContext(stage: spec.name, kind: kind, isDryRun: true, reset: true)
        let (output, seconds) = try Measurement.timed {
            try stage.run(StageInputs(direct: [], upstream: []), in: context)
        }
        let what = kind == "ingest.csv" ? "stays CSV read and typed" : "stays workbook read and typed"
        return Measurement(
            name: name, summary: what, rows: output.rowsIn, seconds: seconds,
            counts: ["rows_read": output.rowsIn, "rows_typed": output.rowsOut])
    }

    /// The whole daily import through the façade, on a fresh store and output folder.
    private func dailyImport() throws -> Measurement {
        let passerelle = Passerelle()
        let loaded = passerelle.load(pipeline, overrides: ["input_directory": dataDirectory])
        guard let spec = loaded.spec else { throw BenchError(passerelle.render(loaded)) }
        try resetScratch()
        let asOf = try RunClockParser.resolve("2026-11-24T06:00:00Z", [:])
        let options = RunOptionsBuilder.make(
            jobs: ProcessInfo.processInfo.activeProcessorCount, asOf: asOf,
            store: scratch.appendingPathComponent("store.sqlite").path, output: scratch.appendingPathComponent("out").path)
        let (report, seconds) = try Measurement.timed {
            try passerelle.run(spec, options: options, observer: nil, logger: Self.silent)
        }
        guard report.succeeded else { throw BenchError(report.summary) }
        let counts = ImportCounts(report)
        var measurement = Measurement(
            name: "daily_import", summary: "daily import, XLSX in (whole pipeline)", rows: counts.staysRead,
            seconds: seconds, counts: counts.values)
        let first = report.intervals.values.map(\.start).min() ?? 0
        measurement.stageStartSeconds = [:]
        for (stage, interval) in report.intervals {
            measurement.stageSeconds[stage] = Double(interval.end - interval.start) / 1e9
            measurement.stageStartSeconds?[stage] = Double(interval.start - first) / 1e9
        }
        return measurement
    }

    func file(_ name: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(name).path
    }

    private func stageSpec(_ name: String, overrides: [String: String]) throws -> StageSpec {
        let passerelle = Passerelle()
        var all = overrides
        all["input_directory"] = dataDirectory
        let loaded = passerelle.load(pipeline, overrides: all)
        guard let spec = loaded.spec?.stage(named: name) else {
            throw BenchError("\(pipeline): no stage '\(name)'\n" + passerelle.render(loaded))
        }
        return spec
    }

    /// A context over the store of the scratch folder (a fresh one when `reset`).
    ///
    /// Nothing counts as already imported. Outputs go to `<scratch>/<stage>`, and are only listed in a dry run.
    func makeContext(stage: String, kind: String, isDryRun: Bool, reset: Bool) throws -> StageContext {
        if reset { try resetScratch() }
        let store = try Store(path: scratch.appendingPathComponent("store.sqlite").path)
        return StageContext(
            stageName: stage, kind: kind, pipeline: "bench", runID: 1,
            asOf: Date(timeIntervalSince1970: 1_795_500_000), isDryRun: isDryRun, isForced: true, store: store,
            logger: Self.silent, outputDirectory: scratch.appendingPathComponent(stage), imported: { _ in nil },
            onProgress: { _, _ in })
    }

    /// Empties the scratch folder by moving what it holds into `trash` (a rename), to be deleted after the
    /// last measure (`emptyTrash()`).
    ///
    /// Deleting a million files just before timing the creation of a million more slowed the creation by
    /// up to half: ext4 without a journal skips an inode deleted in the last five to ten minutes when it
    /// allocates one (`recently_deleted` in `fs/ext4/ialloc.c`), and walks past each such inode.
    func resetScratch() throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: scratch.path) {
            try manager.createDirectory(at: trash, withIntermediateDirectories: true)
            try manager.moveItem(
                at: scratch, to: trash.appendingPathComponent("\(scratch.lastPathComponent)-\(UUID().uuidString)"))
        }
        try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// Where `resetScratch()` puts the outputs of earlier measures: beside the scratch folder, on its file system.
    var trash: URL { scratch.deletingLastPathComponent().appendingPathComponent("bench-trash") }

    /// Deletes what `resetScratch()` moved aside.
    func emptyTrash() throws {
        if FileManager.default.fileExists(atPath: trash.path) { try FileManager.default.removeItem(at: trash) }
    }
}

/// The counts the Python versions of the daily import must reproduce.
struct ImportCounts {
    var values: [String: Int] = [:]
    var staysRead: Int { values["stays_read"] ?? 0 }

    init(_ report: RunReportType) {
        for result in report.results {
            switch result.name {
            case "stays": values["stays_read"] = result.output.rowsIn
            case "providers": values["providers_read"] = result.output.rowsIn
            case "store_stays": values["stays_stored"] = result.output.rowsOut
            case "find_overlaps": values["overlaps"] = result.findings.count
            default: break
            }
            for diagnostic in result.rejected { values["rejected." + diagnostic.rule, default: 0] += 1 }
            values["rows_rejected"] = (values["rows_rejected"] ?? 0) + result.rowsRejected
        }
    }
}

/// A failure of the benchmark itself (bad folder, failed run), printed and exit code 1.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
