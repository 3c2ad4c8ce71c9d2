import Foundation
import PasserelleCore

/// A table a stage hands downstream, as the stage declares it before it runs: its name and its fields, in order.
///
/// `check` verifies every reference to a table (`source: store_stays.new_active_stays`, a report layout's
/// columns, a template's fields) against these declarations, and the runner holds each stage to its own: a
/// stage that hands down a table or a field it did not declare fails.
package struct TableShape: Sendable, Hashable {
    package var name: String
    package var fields: [String]

    package init(_ name: String, fields: [String]) {
        self.name = name
        self.fields = fields
    }

    /// The main table, `rows`.
    package static func rows(_ fields: [String]) -> TableShape { TableShape("rows", fields: fields) }

    /// The table of the files a reader read (`files` in a report): one row per file or sheet.
    package static let fileInfo = TableShape("file_info", fields: ["path", "sheet", "status", "rows_read"])

    /// The same fields under another name.
    package func named(_ name: String) -> TableShape { TableShape(name, fields: fields) }

    /// These fields followed by `more` (a field already there stays where it is).
    package func adding(_ more: [String]) -> TableShape {
        TableShape(name, fields: fields + more.filter { !fields.contains($0) })
    }
}

/// What a stage sees of the declarations upstream when it declares its own tables: those of its direct
/// inputs, in order, and those of the other stages it names.
package struct InputShapes: Sendable {
    /// The direct inputs' names, in order.
    package var direct: [String]
    /// Declared tables by stage name, for every stage upstream.
    package var tables: [String: [TableShape]]

    package init(direct: [String], tables: [String: [TableShape]]) {
        self.direct = direct
        self.tables = tables
    }

    /// The first input's main table, or an empty one.
    package var primary: TableShape { direct.first.flatMap { shape("\($0).rows") } ?? .rows([]) }

    /// A declared table by reference: `stage` (its `rows`) or `stage.table`.
    package func shape(_ reference: String) -> TableShape? {
        let (stage, table) = TableReference.split(reference)
        return tables[stage]?.first { $0.name == table }
    }

    /// The tables the direct inputs declare, first input first (a name declared twice: the first).
    package var directTables: [TableShape] {
        var seen = Set<String>()
        return direct.flatMap { tables[$0] ?? [] }.filter { seen.insert($0.name).inserted }
    }
}

/// An upstream table a stage names in its options or side files, with the fields it uses: what `check`
/// verifies against the upstream declarations, each at the line that names it.
package struct TableReference: Sendable {
    /// `stage.table`, `stage` (its `rows`), or a run-wide list: `files`, `rejected`, `findings`.
    package var source: String
    /// The option that names it (its path, `source`, `notices`), when it is written in the definition.
    package var option: String?
    /// Where it is written, when outside the definition (a section of a report layout).
    package var location: SourceLocation?
    /// The fields used, each with where it is named.
    package var fields: [FieldReference]
    /// Names in the layout at fault, e.g. "report section 'Séjours modifiés'", for messages.
    package var context: String

    package init(
        source: String, option: String? = nil, location: SourceLocation? = nil, fields: [FieldReference] = [],
        context: String = ""
    ) {
        self.source = source
        self.option = option
        self.location = location
        self.fields = fields
        self.context = context
    }

    /// The run-wide lists a report may show, which are not tables of a stage.
    package static let runLists: Set<String> = ["files", "rejected", "findings"]

    /// `stage.table` as its two parts; `stage` alone names its `rows`.
    package static func split(_ reference: String) -> (stage: String, table: String) {
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "rows")
    }
}

/// A field a stage uses from an upstream table, and where it is named.
package struct FieldReference: Sendable {
    package var name: String
    /// Where it is named (a layout's column key, a template's tag); nil: at the reference.
    package var location: SourceLocation?
    /// What names it, for messages: "column", "template field", "key field".
    package var role: String

    package init(_ name: String, at location: SourceLocation? = nil, role: String = "field") {
        self.name = name
        self.location = location
        self.role = role
    }
}
