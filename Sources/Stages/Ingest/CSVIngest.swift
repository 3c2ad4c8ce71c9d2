import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reads a CSV file as a French Excel or other software saves it into typed rows.
///
/// Encoding (UTF-8 with or without BOM, else Windows-1252) and separator (`;` `,` tab `|`) are detected
/// unless given. A line whose number of fields differs from the header's is rejected with its line
/// number (`ingest.csv.ragged_row`). Otherwise as `ingest.xlsx`. Writes `rows` and `file_info`.
///
/// ```yaml
/// stays_csv:
///   kind: ingest.csv
///   options:
///     path: ../sample-data/sejours.csv
///     columns: { reference: [Référence], email: [E-mail client] }
/// ```
struct CSVIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.csv", summary: "Read a CSV file (French Excel or other) through a column mapping.",
        options: [
            OptionSpec("path", .path(mustExist: true), required: true, "The CSV file, relative to the pipeline file."),
            OptionSpec("separator", .choice([";", ",", "tab", "|"]), "Field separator (default: detected)."),
            OptionSpec("encoding", .choice(["utf-8", "windows-1252"]), "Encoding (default: detected)."),
            OptionSpec("columns", .columns, required: true, "Field → accepted headers, type, required, values."),
        ], inputs: 0...0)

    let path: String
    let separator: UInt8?
    let encoding: CSVEncoding?
    let columns: [ColumnSpec]

    init(spec: StageSpec) throws {
        path = spec.options.string("path") ?? ""
        separator = spec.options.string("separator").map { $0 == "tab" ? 0x09 : $0.utf8.first ?? UInt8(ascii: ";") }
        encoding = spec.options.string("encoding").map { $0 == "utf-8" ? CSVEncoding.utf8 : .windows1252 }
        columns = spec.options.columns("columns") ?? []
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard try context.shouldRead(inputFile: path) else { return TabularIngest.skipped(columns, file: path) }
        return try CSVIngest.read(path: path, separator: separator, encoding: encoding, columns: columns, in: context)
    }

    /// Reads a CSV file through a column mapping (shared with `ingest.table`).
    static func read(
        path: String, separator: UInt8?, encoding: CSVEncoding?, columns: [ColumnSpec], in context: StageContext
    ) throws -> StageOutput {
        let reader = try CSVReader(path: path, separator: separator, encoding: encoding)
        var ingest = TabularIngest(columns: columns, context: context, file: path) { line in
            .csv(file: path, line: line, field: nil, header: nil)
        }
        ingest.raggedRow = { line, count, expected in raggedRow(path, line, count, expected) }
        try reader.readRecords { line, fields in
            try ingest.feed(line, fields.map { $0.isEmpty ? CellValue.empty : .text($0) })
        }
        try ingest.finish()
        context.progress(rows: ingest.rowsRead)
        let verb = context.isDryRun ? "would read" : "read"
        context.note("\(verb) \(ingest.rowsRead) row(s) from \(URL(fileURLWithPath: path).lastPathComponent)")
        return StageOutput(
            rows: ingest.table, rowsIn: ingest.rowsRead, extra: ["file_info": ingest.fileInfo(sheet: nil, status: "importé")])
    }

    private static func raggedRow(_ path: String, _ line: Int, _ count: Int, _ expected: Int) -> Diagnostic {
        Diagnostic(
            rule: "ingest.csv.ragged_row", location: .csv(file: path, line: line, field: nil, header: nil),
            message: "la ligne a \(count) champ(s) au lieu de \(expected) comme l'en-tête", found: "\(count) champs",
            fix: "vérifiez les séparateurs et les guillemets de cette ligne (un « ; » dans un texte doit être entre guillemets)")
    }
}
