import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reads a table from a workbook or a CSV file, whichever the central sent: chosen by the file's extension.
///
/// `.xlsx`, `.xlsm` and `.xls` are read as `ingest.xlsx` does (option `sheet`); `.csv` and `.txt` as
/// `ingest.csv` does (options `separator`, `encoding`). So a pipeline can take `--var stays_file=….csv`
/// or `….xlsx` without changing. Rules and tables as those two kinds.
///
/// ```yaml
/// stays:
///   kind: ingest.table
///   options:
///     path: ../sample-data/sejours.csv
///     sheet: Séjours
///     columns: { reference: { headers: [Référence], required: true } }
/// ```
struct TableIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.table", summary: "Read a workbook sheet or a CSV file (by extension) through a column mapping.",
        options: [
            OptionSpec("path", .path(mustExist: true), required: true, "The .xlsx, .xlsm, .xls, .csv or .txt file."),
            OptionSpec("sheet", .string, "For workbooks: sheet name, or its 1-based position (default: the first)."),
            OptionSpec("separator", .choice([";", ",", "tab", "|"]), "For CSV: field separator (default: detected)."),
            OptionSpec("encoding", .choice(["utf-8", "windows-1252"]), "For CSV: encoding (default: detected)."),
            OptionSpec("columns", .columns, required: true, "Field → accepted headers, type, required, values."),
        ], inputs: 0...0)

    let workbook: XLSXIngest
    let csv: CSVIngest
    let path: String

    init(spec: StageSpec) throws {
        path = spec.options.string("path") ?? ""
        workbook = try XLSXIngest(spec: spec)
        csv = try CSVIngest(spec: spec)
        let known = ["xlsx", "xlsm", "xls", "csv", "txt"]
        guard known.contains(URL(fileURLWithPath: path).pathExtension.lowercased()) else {
            throw StageError(
                stage: spec.name, message: "\(path): cannot tell a workbook from a CSV file by its extension",
                fix: "name the file .xlsx, .xls or .csv, or use kind ingest.xlsx or ingest.csv")
        }
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { workbook.outputShapes(inputs) }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv", "txt": return try csv.run(inputs, in: context)
        default: return try workbook.run(inputs, in: context)
        }
    }
}
