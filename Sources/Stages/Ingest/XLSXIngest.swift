import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reads one sheet of an Excel workbook (`.xlsx`, `.xlsm`, or legacy `.xls`) into typed rows.
///
/// The header row is found even below a title block; columns are matched by any of their accepted
/// headers (case, accents and spaces ignored) in any order. Each row is typed by the column mapping
/// or rejected with every problem (`ingest.value.*`). A file whose content was already imported by
/// this pipeline is skipped unless `--force`. Writes `rows` and `file_info`.
///
/// ```yaml
/// stays:
///   kind: ingest.xlsx
///   options:
///     path: ../sample-data/sejours.xlsx
///     sheet: Séjours
///     columns:
///       reference: { headers: [Référence], required: true }
///       email: [E-mail client, Courriel]
/// ```
struct XLSXIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.xlsx", summary: "Read a workbook sheet (.xlsx or .xls) through a column mapping.",
        options: [
            OptionSpec("path", .path(mustExist: true), required: true, "The workbook, relative to the pipeline file."),
            OptionSpec("sheet", .string, "Sheet name, or its 1-based position (default: the first sheet)."),
            OptionSpec("columns", .columns, required: true, "Field → accepted headers, type, required, values."),
        ], inputs: 0...0)

    let path: String
    let sheet: SheetSelector
    let columns: [ColumnSpec]
    let shapes: [TableShape]

    init(spec: StageSpec) throws {
        path = spec.options.string("path") ?? ""
        let sheetText = spec.options.string("sheet") ?? "1"
        sheet = Int(sheetText).map(SheetSelector.position) ?? .name(sheetText)
        columns = spec.options.columns("columns") ?? []
        shapes = TabularIngest.shapes(columns, spec: spec)
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { shapes }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard try context.shouldRead(inputFile: path) else { return TabularIngest.skipped(columns, file: path) }
        return try XLSXIngest.read(path: path, sheet: sheet, columns: columns, in: context)
    }

    /// Reads one sheet of a workbook through a column mapping (shared with `ingest.table`).
    static func read(path: String, sheet: SheetSelector, columns: [ColumnSpec], in context: StageContext) throws
        -> StageOutput
    {
        let workbook = try openWorkbook(at: path)
        let sheetName = try resolvedSheetName(workbook, sheet: sheet, path: path)
        var ingest = TabularIngest(columns: columns, context: context, file: path) { row in
            .xlsx(file: path, sheet: sheetName, row: row, column: nil, header: nil)
        }
        try workbook.readRows(of: sheet) { row, cells in try ingest.feed(row, cells) }
        try ingest.finish()
        context.progress(rows: ingest.rowsRead)
        let verb = context.isDryRun ? "would read" : "read"
        context.note(
            "\(verb) \(ingest.rowsRead) row(s) from \(URL(fileURLWithPath: path).lastPathComponent) (\(sheetName))")
        return StageOutput(
            rows: ingest.table, rowsIn: ingest.rowsRead,
            extra: ["file_info": ingest.fileInfo(sheet: sheetName, status: "importé")])
    }

    private static func resolvedSheetName(_ workbook: any WorkbookReader, sheet: SheetSelector, path: String) throws
        -> String
    {
        switch sheet {
        case .name(let name): return name
        case .position(let index):
            guard index >= 1, index <= workbook.sheetNames.count else {
                throw StageError(
                    stage: "",
                    message: "\(path): no sheet at position \(index) (the workbook has \(workbook.sheetNames.count))",
                    fix: "name the sheet: one of " + workbook.sheetNames.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            return workbook.sheetNames[index - 1]
        }
    }
}
