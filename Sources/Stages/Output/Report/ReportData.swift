import Foundation
import PasserelleCore
import PasserelleEngine

/// A report's content: sections of rows of display values, computed from the run's upstream stages.
struct ReportData: Sendable {
    struct Section: Sendable {
        var title: String
        var headers: [String]
        /// Typed values, for the XLSX writer; `frenchText` for HTML.
        var rows: ReportRows
        var empty: String
        /// The most rows an HTML page shows (all when nil).
        var htmlRows: Int? = nil

        init(title: String, headers: [String], rows: ReportRows, empty: String, htmlRows: Int? = nil) {
            self.title = title
            self.headers = headers
            self.rows = rows
            self.empty = empty
            self.htmlRows = htmlRows
        }

        init(title: String, headers: [String], rows: [[Value]], empty: String, htmlRows: Int? = nil) {
            self.init(title: title, headers: headers, rows: ReportRows(rows), empty: empty, htmlRows: htmlRows)
        }
    }

    var title: String
    var sections: [Section]

    static let rejectedHeaders = [
        "Fichier", "Feuille", "Ligne", "Colonne", "En-tête", "Valeur", "Règle", "Motif", "Que faire",
    ]
    static let filesHeaders = ["Fichier", "Étape", "État", "Lignes lues", "Acceptées", "Rejetées"]
    static let findingsHeaders = ["Fichier", "Ligne", "Règle", "Constat", "Que faire"]

    init(title: String, sections: [Section]) {
        self.title = title
        self.sections = sections
    }

    init(layout: ReportLayout, inputs: StageInputs) throws {
        title = layout.title
        sections = try layout.sections.map { try ReportData.section($0, inputs) }
    }

    private static func section(_ layout: ReportLayout.Section, _ inputs: StageInputs) throws -> Section {
        switch layout.source {
        case "rejected":
            return Section(title: layout.title, headers: rejectedHeaders, rows: rejectedRows(inputs), empty: layout.empty, htmlRows: layout.htmlRows)
        case "files":
            return Section(title: layout.title, headers: filesHeaders, rows: fileRows(inputs), empty: layout.empty, htmlRows: layout.htmlRows)
        case "findings":
            return Section(
                title: layout.title, headers: findingsHeaders, rows: findingRows(inputs, rules: layout.rules),
                empty: layout.empty, htmlRows: layout.htmlRows)
        default:
            guard let table = inputs.table(layout.source) else {
                throw StageError(
                    stage: "", message: "report section '\(layout.title)' names '\(layout.source)', which no upstream stage produced",
                    fix: "add that stage to the report's inputs, or use files, rejected or findings")
            }
            let columns = layout.columns.isEmpty ? table.fields.map { ($0.name, $0.name) } : layout.columns
            let rows = ReportRows(table: table, columns: columns.map(\.0))
            return Section(title: layout.title, headers: columns.map(\.1), rows: rows, empty: layout.empty, htmlRows: layout.htmlRows)
        }
    }

    static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// Every rejection upstream, sorted by file, line, column, rule.
    static func rejections(_ inputs: StageInputs) -> [Diagnostic] {
        inputs.upstream.flatMap(\.rejected).sorted {
            ($0.location.file, $0.location.line ?? 0, $0.location.columnLabel ?? "", $0.rule)
                < ($1.location.file, $1.location.line ?? 0, $1.location.columnLabel ?? "", $1.rule)
        }
    }

    private static func rejectedRows(_ inputs: StageInputs) -> [[Value]] {
        rejections(inputs).map { d in
            let l = d.location
            return [
                .text(fileName(l.file)), l.sheet.map(Value.text) ?? .null, l.line.map { .integer(Int64($0)) } ?? .null,
                l.columnLabel.map(Value.text) ?? .null, l.header.map(Value.text) ?? .null,
                d.found.map(Value.text) ?? .null, .text(d.rule), .text(d.message), d.fix.map(Value.text) ?? .null,
            ]
        }
    }

    /// Per input file: rows read, accepted and rejected (any stage), so that read = accepted + rejected.
    private static func fileRows(_ inputs: StageInputs) -> [[Value]] {
        let rejectedRows = inputs.upstream.rejectedRowCounts()
        var rows: [[Value]] = []
        for result in inputs.upstream {
            guard let info = result.output.tables["file_info"] else { continue }
            for row in info.rows {
                let path = info.value("path", in: row).text ?? ""
                let read = Int(info.value("rows_read", in: row).integer ?? 0)
                let rejected = rejectedRows[path] ?? 0
                rows.append([
                    .text(fileName(path)), .text(result.name), .text(info.value("status", in: row).text ?? ""),
                    .integer(Int64(read)), .integer(Int64(read - rejected)), .integer(Int64(rejected)),
                ])
            }
        }
        return rows
    }

    private static func findingRows(_ inputs: StageInputs, rules: [String]) -> [[Value]] {
        inputs.upstream.flatMap(\.findings)
            .filter { d in rules.isEmpty || rules.contains { d.rule.hasPrefix($0) } }
            .map { d in
                [
                    d.location.file.isEmpty ? .null : .text(fileName(d.location.file)),
                    d.location.line.map { .integer(Int64($0)) } ?? .null, .text(d.rule), .text(d.message),
                    d.fix.map(Value.text) ?? .null,
                ]
            }
    }
}

/// A section's rows: either values made for the report, or a view of an upstream table's columns whose rows
/// are built as they are read, so a report of a million stays does not copy them first.
struct ReportRows: RandomAccessCollection, Sendable {
    private enum Storage: Sendable {
        case values([[Value]])
        case table(Table, columns: [Int?])
    }

    private let storage: Storage

    init(_ values: [[Value]]) { storage = .values(values) }

    /// The named columns of `table` (a column it lacks reads as empty).
    init(table: Table, columns: [String]) { storage = .table(table, columns: columns.map { table.column($0) }) }

    var startIndex: Int { 0 }

    var endIndex: Int {
        switch storage {
        case .values(let values): values.count
        case .table(let table, _): table.rows.count
        }
    }

    subscript(position: Int) -> [Value] {
        switch storage {
        case .values(let values): return values[position]
        case .table(let table, let columns):
            let values = table.rows[position].values
            return columns.map { i in i.flatMap { $0 < values.count ? values[$0] : nil } ?? .null }
        }
    }
}
