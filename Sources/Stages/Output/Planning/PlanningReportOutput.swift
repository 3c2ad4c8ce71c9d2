import Foundation
import Mustache
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes the refuges' planning report: per refuge, a grid of days × stock types showing the places
/// available / total, and the sales follow-up per month (issue 6, item 7).
///
/// Reads the `availability` and `sales` tables of its `transform.refuge_stock` inputs. Writes a workbook
/// (one sheet per refuge, cells coloured by conditional formats: red full or overbooked, orange few places,
/// green free, grey closed; a sheet of sales follow-up) and an HTML page from a Mustache template (one
/// heat-map table per refuge and month, then the sales). Sales are counted by month of booking:
/// pre-reservations, reservations and their total in number and amount, cancellations apart.
///
/// ```yaml
/// refuge_planning:
///   kind: output.planning_report
///   inputs: [refuge_stock]
///   options: { template: ../reports/planning/planning.html.mustache, xlsx_file: planning-refuges.xlsx }
/// ```
struct PlanningReportOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.planning_report",
        summary:
            "Write the refuges' planning (days × stock types, available / total) and sales follow-up, XLSX and HTML.",
        options: [
            OptionSpec("template", .path(mustExist: true), required: true, "The HTML Mustache template."),
            OptionSpec("xlsx_file", .string, "The workbook's name in the run folder (default planning-refuges.xlsx)."),
            OptionSpec("html_file", .string, "The page's name in the run folder (default planning-refuges.html)."),
        ], inputs: 1...8)

    let template: String
    let xlsxFile: String
    let htmlFile: String

    init(spec: StageSpec) throws {
        template = spec.options.string("template") ?? ""
        xlsxFile = spec.options.string("xlsx_file") ?? "planning-refuges.xlsx"
        htmlFile = spec.options.string("html_file") ?? "planning-refuges.html"
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        var grids: [PlanningGrid] = []
        for input in inputs.direct {
            guard let availability = input.output.tables["availability"], let sales = input.output.tables["sales"]
            else {
                throw StageError(
                    stage: context.stageName, message: "input '\(input.name)' has no 'availability' and 'sales' tables",
                    fix: "give transform.refuge_stock stages as inputs")
            }
            grids += PlanningGrid.grids(availability: availability, sales: sales)
        }
        try context.writeOutput(named: xlsxFile) { url in
            try PlanningWorkbook.write(grids, to: url, created: context.asOf)
        }
        let page = try Self.template(template).render(
            PlanningPage.context(grids, pipeline: context.pipeline, asOf: context.asOf))
        try context.writeOutput(named: htmlFile) { url in try Data(page.utf8).write(to: url) }
        let rows = grids.map { $0.days.count * $0.types.count + $0.sales.count }.reduce(0, +)
        context.note("\(context.isDryRun ? "would write" : "wrote") the planning of \(grids.count) refuge(s)")
        return StageOutput(tables: [:], rowsIn: rows, rowsOut: rows)
    }

    private static func template(_ path: String) throws -> MustacheTemplate {
        guard let source = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) })
        else { throw ReportError(path: path, message: "cannot read the template", fix: "check the 'template' path") }
        return try MustacheTemplate(string: source)
    }
}
