import Foundation
import Logging
import Passerelle
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStages

/// The monthly statement over the stays of the data folder, as finance runs it at the end of a month.
extension Measures {
    /// Times the statement's workbook and page for the busiest month, on the pipeline's own data.
    ///
    /// Stores the stays (the daily import up to `store_stays`, untimed), runs the monthly pipeline for `month`
    /// (whole wall time kept in `pipelineSeconds`, stages in `stageSeconds`), then times its two statement
    /// stages alone, workbook then page, on the pipeline's own upstream results: `seconds` is workbook + page,
    /// the best of `repeats` runs (the stage seconds are those of the last run).
    /// Finally saves the statement's cells for the C program (`<cells>/statement-*.tsv`).
    ///
    /// The statement stages are timed apart because in the pipeline they share the two cores with the FEC,
    /// the invoices and the sales totals: their intervals there say more about the machine than about them.
    func monthlyStatement() throws -> Measurement {
        try resetScratch()
        let (storeReport, loadSeconds) = try Measurement.timed { try storeStays() }
        let (report, pipelineSeconds) = try Measurement.timed { try runMonthly() }
        let stages = try ["statement_xlsx", "statement_html"].map { try statementStage($0, after: report) }
        var attempt = 0
        let ((workbook, page), timing) = try WriteTiming.best(of: repeats) {
            defer { attempt += 1 }
            return (try stages[0].run(attempt), try stages[1].run(attempt))
        }
        let tables = try statementTables(report)
        let rows = tables.summary.rows.count + tables.detail.rows.count + tables.cancellations.rows.count
        var measurement = Measurement(
            name: "monthly_statement", summary: "monthly statement \(month), workbook + page", rows: rows,
            seconds: timing.seconds,
            counts: [
                "stays_stored": ImportCounts(storeReport).values["stays_stored"] ?? 0,
                "summary_rows": tables.summary.rows.count, "detail_rows": tables.detail.rows.count,
                "cancellation_rows": tables.cancellations.rows.count,
            ])
        for (stage, interval) in report.intervals {
            measurement.stageSeconds[stage] = Double(interval.end - interval.start) / 1e9
        }
        measurement.stageSeconds["isolated.statement_xlsx"] = workbook.seconds
        measurement.stageSeconds["isolated.statement_html"] = page.seconds
        measurement.stageSeconds["isolated.statement_xlsx.cpu"] = workbook.cpu
        measurement.stageSeconds["isolated.statement_html.cpu"] = page.cpu
        measurement.pipelineSeconds = pipelineSeconds
        measurement.loadSeconds = loadSeconds
        measurement.record(timing)
        try saveStatementCells(tables)
        return measurement
    }

    /// The daily import's stages up to `store_stays` (reading, checks, providers and stays stored).
    private func storeStays() throws -> RunReportType {
        let passerelle = Passerelle()
        let loaded = passerelle.load(pipeline, overrides: ["input_directory": dataDirectory])
        guard let spec = loaded.spec else { throw BenchError(passerelle.render(loaded)) }
        var options = try runOptions(asOf: "2026-11-24T06:00:00Z")
        options.only = ["store_stays"]
        let report = try passerelle.run(spec, options: options, observer: nil, logger: Self.silent)
        guard report.succeeded else { throw BenchError(report.summary) }
        return report
    }

    private func runMonthly() throws -> RunReportType {
        let passerelle = Passerelle()
        let loaded = passerelle.load(monthlyPipeline, overrides: ["month": month])
        guard let spec = loaded.spec else { throw BenchError(passerelle.render(loaded)) }
        let report = try passerelle.run(
            spec, options: try runOptions(asOf: "2027-04-01T06:00:00Z"), observer: nil, logger: Self.silent)
        guard report.succeeded else { throw BenchError(report.summary) }
        return report
    }

    private func runOptions(asOf: String) throws -> RunOptions {
        var options = RunOptionsBuilder.make(
            jobs: ProcessInfo.processInfo.activeProcessorCount, asOf: try RunClockParser.resolve(asOf, [:]),
            store: scratch.appendingPathComponent("store.sqlite").path,
            output: scratch.appendingPathComponent("out").path)
        options.keepsTables = true  // the statement stages are timed again alone, on the run's tables
        return options
    }

    /// One stage of the monthly pipeline, built to run again alone on the run's results.
    private func statementStage(_ name: String, after report: RunReportType) throws -> IsolatedStage {
        let loaded = Passerelle().load(monthlyPipeline, overrides: ["month": month])
        guard let spec = loaded.spec?.stage(named: name),
            let type = StageCatalog.all.first(where: { $0.schema.kind == spec.kind })
        else { throw BenchError("\(monthlyPipeline): no stage '\(name)' of a known kind") }
        let direct = spec.inputs.compactMap { input in report.results.first { $0.name == input } }
        // A context (an output folder) per run: a second write over the same file would be a replacement, which
        // swift-corelibs-foundation's FileManager.replaceItemAt refuses on Linux ("The file doesn't exist").
        let contexts = try (0..<max(repeats, 1)).map { attempt in
            try makeContext(stage: "\(name)/run-\(attempt + 1)", kind: spec.kind, isDryRun: false, reset: false)
        }
        return IsolatedStage(
            stage: try type.init(spec: spec), inputs: StageInputs(direct: direct, upstream: report.results),
            contexts: contexts)
    }

    static var silent: Logger { Logger(label: "passerelle-bench") { _ in SwiftLogNoOpLogHandler() } }
}

/// A stage built once and run again alone, timed: what the statement stages cost without the pipeline around.
struct IsolatedStage {
    let stage: any Stage
    let inputs: StageInputs
    /// One per run, each writing into its own folder.
    let contexts: [StageContext]

    /// Runs the stage with the context of run `attempt`; returns its wall and processor seconds.
    func run(_ attempt: Int) throws -> (seconds: Double, cpu: Double) {
        let context = contexts[min(attempt, contexts.count - 1)]
        let cpu = Measurement.cpuSeconds()
        let seconds = try Measurement.timed { try stage.run(inputs, in: context) }.1
        return (seconds, Measurement.cpuSeconds() - cpu)
    }
}

/// The statement's three tables, as the payouts and invoices stages handed them to the statement stages.
struct StatementTables {
    var summary: Table
    var detail: Table
    var cancellations: Table
    /// Invoice number by provider code.
    var invoiceNumbers: [String: String]
}

extension Measures {
    fileprivate func statementTables(_ report: RunReportType) throws -> StatementTables {
        guard let payouts = report.results.first(where: { $0.name == "payouts" })?.output.tables,
            let summary = payouts["rows"], let detail = payouts["detail"], let cancellations = payouts["cancellations"]
        else { throw BenchError("\(monthlyPipeline): no 'payouts' stage with rows, detail and cancellations") }
        var numbers: [String: String] = [:]
        if let invoices = report.results.first(where: { $0.name == "invoices" })?.output.tables["invoices"] {
            for row in invoices.rows {
                if let code = invoices.value("provider_code", in: row).text,
                    let number = invoices.value("number", in: row).text
                {
                    numbers[code] = number
                }
            }
        }
        return StatementTables(summary: summary, detail: detail, cancellations: cancellations, invoiceNumbers: numbers)
    }

    /// The statement's sheets as cells files: the summary (net as its formula), the detail, the cancellations.
    fileprivate func saveStatementCells(_ tables: StatementTables) throws {
        let summaryColumns = StatementColumn.summary.enumerated().map { c, column in
            column.field == "net"
                ? CellsFile.Column(column.header, "f", formula: { "=D\($0)-E\($0)-F\($0)" })
                : CellsFile.Column(
                    column.header,
                    CellsFile.type(of: tables.summary.rows.lazy.map { tables.summary.value(column.field, in: $0) }))
        }
        var summary = try CellsFile(path: try cellsPath("statement-summary.tsv"), columns: summaryColumns)
        for row in tables.summary.rows {
            try summary.append(
                StatementColumn.summary.map { column in
                    column.field == "invoice_number"
                        ? tables.invoiceNumbers[tables.summary.value("provider_code", in: row).text ?? ""].map(
                            Value.text) ?? .null
                        : tables.summary.value(column.field, in: row)
                })
        }
        try summary.close()
        try saveCells(tables.detail, columns: StatementColumn.detail, as: "statement-detail.tsv")
        try saveCells(tables.cancellations, columns: StatementColumn.cancellations, as: "statement-cancellations.tsv")
    }

    private func saveCells(_ table: Table, columns: [StatementColumn], as name: String) throws {
        let cellColumns = columns.map { column in
            CellsFile.Column(
                column.header, CellsFile.type(of: table.rows.lazy.map { table.value(column.field, in: $0) }))
        }
        var file = try CellsFile(path: try cellsPath(name), columns: cellColumns)
        for row in table.rows { try file.append(columns.map { table.value($0.field, in: row) }) }
        try file.close()
    }
}
