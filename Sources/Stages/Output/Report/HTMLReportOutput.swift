import Foundation
import Mustache
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes a report as one HTML page from a Mustache template and a layout (`reports/*.yml`).
///
/// Values are shown in French (`12/02/2026`, `1 234,50 €`); Mustache escapes every value.
///
/// ```yaml
/// import_report_html:
///   kind: output.html_report
///   inputs: [store_stays, find_overlaps]
///   options: { layout: ../reports/import-report.yml, template: ../reports/report.html.mustache, file: rapport-import.html }
/// ```
struct HTMLReportOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.html_report", summary: "Write a report page (HTML) from a layout and a Mustache template.",
        options: [
            OptionSpec("layout", .path(mustExist: true), required: true, "The layout file (reports/*.yml)."),
            OptionSpec("template", .path(mustExist: true), required: true, "The Mustache template (reports/*.mustache)."),
            OptionSpec("file", .string, required: true, "The page's name in the run folder."),
        ], inputs: 1...64)

    /// The layout, read when the stage is built (so `check` finds its mistakes).
    let layout: ReportLayout
    let tableReads: TableReads
    let template: String
    let file: String

    init(spec: StageSpec) throws {
        layout = try ReportLayout.load(path: spec.options.string("layout") ?? "")
        tableReads = layout.tableReads
        template = spec.options.string("template") ?? ""
        file = spec.options.string("file") ?? "report.html"
    }

    var references: [TableReference] { layout.references }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let data = try ReportData(layout: layout, inputs: inputs)
        guard let source = FileManager.default.contents(atPath: template).flatMap({ String(data: $0, encoding: .utf8) })
        else {
            throw ReportError(path: template, message: "cannot read the template", fix: "check the 'template' path")
        }
        let page = try MustacheTemplate(string: source).render(HTMLReportOutput.context(data, pipeline: context.pipeline, asOf: context.asOf))
        try context.writeOutput(named: file) { url in try Data(page.utf8).write(to: url) }
        let rows = data.sections.map(\.rows.count).reduce(0, +)
        return StageOutput(tables: [:], rowsIn: rows, rowsOut: rows)
    }

    /// The Mustache context: title, date, sections with headers and rows of French text.
    static func context(_ data: ReportData, pipeline: String, asOf: Date) -> [String: Any] {
        let day = CalendarDate(daysSinceEpoch: Int((asOf.timeIntervalSince1970 / 86400).rounded(.down)))
        let sections: [[String: Any]] = data.sections.enumerated().map { index, section in
            let shown = section.rows.prefix(section.htmlRows ?? section.rows.count)
            let more = section.rows.count - shown.count
            return [
                "id": "section-\(index + 1)", "title": section.title, "count": section.rows.count,
                "headers": section.headers, "isEmpty": section.rows.isEmpty, "empty": section.empty,
                "rows": shown.map { row in ["cells": row.map { $0.frenchText }] },
                "more": more > 0 ? more : false,
            ]
        }
        return ["title": data.title, "pipeline": pipeline, "date": day.frenchText, "sections": sections]
    }
}
