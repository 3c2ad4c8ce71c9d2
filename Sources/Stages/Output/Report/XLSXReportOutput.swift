import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes a report as an XLSX workbook: one sheet per section of its layout (`reports/*.yml`).
///
/// Money, dates and percentages are real numbers with French formats; text that looks like a formula
/// is neutralised. The workbook's dates come from the run clock, so the same run gives the same bytes.
///
/// ```yaml
/// import_report_xlsx:
///   kind: output.xlsx_report
///   inputs: [store_stays, find_overlaps]
///   options: { layout: ../reports/import-report.yml, file: rapport-import.xlsx }
/// ```
struct XLSXReportOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.xlsx_report", summary: "Write a report workbook, one sheet per section of a layout.",
        options: [
            OptionSpec("layout", .path(mustExist: true), required: true, "The layout file (reports/*.yml)."),
            OptionSpec("file", .string, required: true, "The workbook's name in the run folder."),
        ], inputs: 1...64)

    /// The layout, read when the stage is built (so `check` finds its mistakes).
    let layout: ReportLayout
    let tableReads: TableReads
    let file: String

    init(spec: StageSpec) throws {
        layout = try ReportLayout.load(path: spec.options.string("layout") ?? "")
        tableReads = layout.tableReads
        file = spec.options.string("file") ?? "report.xlsx"
    }

    var references: [TableReference] { layout.references }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let data = try ReportData(layout: layout, inputs: inputs)
        try context.writeOutput(named: file) { url in try ReportWorkbook.write(data, to: url, created: context.asOf) }
        let rows = data.sections.map(\.rows.count).reduce(0, +)
        return StageOutput(tables: [:], rowsIn: rows, rowsOut: rows)
    }
}

/// Writes report data as a workbook, one sheet per section: title, header (frozen, filtered), rows, widths.
///
/// Shared by `output.xlsx_report` and the per-office reports, so every report workbook looks the same.
enum ReportWorkbook {
    /// The most rows of a section one sheet holds: Excel's 1 048 576 rows, less the title, the blank row and the
    /// header above them.
    static let rowsPerSheet = 1_048_576 - 3

    /// A section longer than `rowsPerSheet` goes on over more sheets ("Séjours créés (2)"…), each with the
    /// section's title, header and widths, and a title that says which rows it holds: a first import of more
    /// than a million stays still gets its report, rejected rows included, instead of failing on Excel's limit.
    static func write(_ data: ReportData, to url: URL, created: Date, rowsPerSheet: Int = rowsPerSheet) throws {
        // Rows are streamed to disk as they are written (constant-memory mode): a report listing a million new
        // stays does not hold them in libxlsxwriter's memory. Widths and the autofilter go before the rows.
        let document = try XLSXDocument(
            path: url.path, created: created, properties: XLSXDocumentProperties(), isConstantMemory: true)
        for section in data.sections {
            let total = section.rows.count
            let parts = max(1, (total + rowsPerSheet - 1) / rowsPerSheet)
            for part in 0..<parts {
                let rows = section.rows[(part * rowsPerSheet)..<min(total, (part + 1) * rowsPerSheet)]
                let sheet = try document.addSheet(part == 0 ? section.title : "\(section.title) (\(part + 1))")
                let sample = Array(rows.prefix(200))  // each row built once, not once per column
                for (c, header) in section.headers.enumerated() {
                    let longest = sample.map { $0[c].frenchText.count }.max() ?? 0
                    try sheet.setColumnWidth(column: c, width: Double(min(60, max(header.count, longest) + 2)))
                }
                var title = "\(data.title) — \(section.title)"
                if parts > 1 {
                    title += " (\(part + 1)/\(parts) : lignes \(Money.frenchGrouped(Int64(rows.startIndex + 1))) à "
                        + "\(Money.frenchGrouped(Int64(rows.endIndex))) sur \(Money.frenchGrouped(Int64(total))))"
                }
                try sheet.writeTitle(row: 0, text: title)
                try sheet.writeHeader(row: 2, section.headers)
                try sheet.setAutofilter(headerRow: 2, lastRow: 2 + rows.count, columns: section.headers.count)
                if rows.isEmpty { try sheet.write(row: 3, column: 0, value: .text(section.empty)) }
                for (r, row) in rows.enumerated() { try sheet.write(row: 3 + r, values: row) }
            }
        }
        try document.close()
    }
}
