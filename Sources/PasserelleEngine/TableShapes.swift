import Foundation
import PasserelleCore

/// A table a stage hands downstream, as the stage declares it before it runs: its name and its fields, in order.
///
/// `check` verifies every reference to a table (`source: store_stays.new_active_stays`, a report layout's
/// columns, a template's fields) against these declarations, and the runner holds each stage to its own: a
/// stage that hands down a table or a field it did not declare fails.
package struct TableShape: Sendable, Hashable {
    package var name: String
    /// The fields, in order, with their types.
    package var columns: [FieldShape]

    /// The fields' names, in order.
    package var fields: [String] { columns.map(\.name) }

    package init(_ name: String, columns: [FieldShape]) {
        self.name = name
        self.columns = columns
    }

    /// Fields of the given types; a field `types` does not name is text.
    package init(_ name: String, fields: [String], types: [String: FieldType]) {
        self.init(name, columns: fields.map { FieldShape($0, types[$0] ?? .text) })
    }

    /// Fields whose types the stage kind does not declare (`any`): their names are checked, not their values.
    package init(_ name: String, fields: [String]) {
        self.init(name, columns: fields.map { FieldShape($0, .any) })
    }

    /// The main table, `rows`.
    package static func rows(_ fields: [String]) -> TableShape { TableShape("rows", fields: fields) }

    /// The main table, `rows`, with typed fields.
    package static func rows(_ fields: [String], types: [String: FieldType]) -> TableShape {
        TableShape("rows", fields: fields, types: types)
    }

    /// The table of the files a reader read (`files` in a report): one row per file or sheet.
    package static let fileInfo = TableShape(
        "file_info", fields: ["path", "sheet", "status", "rows_read"], types: ["rows_read": .integer])

    /// The same fields under another name.
    package func named(_ name: String) -> TableShape { TableShape(name, columns: columns) }

    /// These fields followed by `more` (a field already there stays where it is).
    package func adding(_ more: [FieldShape]) -> TableShape {
        TableShape(name, columns: columns + more.filter { !fields.contains($0.name) })
    }

    /// These fields followed by `more`, of the types `types` gives them (text when it does not name them).
    package func adding(_ more: [String], types: [String: FieldType]) -> TableShape {
        adding(more.map { FieldShape($0, types[$0] ?? .text) })
    }

    /// The declared field of this name.
    package func field(_ name: String) -> FieldShape? { columns.first { $0.name == name } }

    /// The first value of the first `limit` rows that the declared types do not admit, as a message; nil when
    /// every value checked is of its field's type (`null` is of every type).
    package func typeMismatch(in table: Table, limit: Int = 64) -> String? {
        let checked = table.fields.enumerated().compactMap { i, field -> (Int, FieldShape)? in
            guard let shape = self.field(field.name), shape.type != .any else { return nil }
            return (i, shape)
        }
        guard !checked.isEmpty else { return nil }
        for row in table.rows.prefix(limit) {
            for (i, shape) in checked where i < row.count {
                let value = row.value(at: i)
                if !shape.type.admits(value) {
                    return "its table '\(name)' has \(FieldType.of(value).phrase) in field '\(shape.name)', declared "
                        + shape.type.phrase + " (\(row.location.rendered))"
                }
            }
        }
        return nil
    }
}

/// The type of a declared field: what every non-empty value of it is.
package enum FieldType: String, Sendable, Hashable, CaseIterable {
    case text, integer, money, date, datetime, percent, boolean
    /// Not declared by the stage kind: any value.
    case any

    /// The type a column mapping's type gives its field (an e-mail address and an enumeration are text).
    package init(_ column: ColumnType) {
        switch column {
        case .text, .email, .enumeration: self = .text
        case .date: self = .date
        case .datetime: self = .datetime
        case .integer: self = .integer
        case .money: self = .money
        case .percent: self = .percent
        case .boolean: self = .boolean
        }
    }

    /// The type of one value (`null`: any).
    package static func of(_ value: Value) -> FieldType {
        switch value {
        case .null: .any
        case .text: .text
        case .integer: .integer
        case .money: .money
        case .date: .date
        case .dateTime: .datetime
        case .percent: .percent
        case .bool: .boolean
        }
    }

    /// Whether a field of this type may hold `value`: an empty value always, otherwise one of this type.
    package func admits(_ value: Value) -> Bool {
        self == .any || value.isNull || FieldType.of(value) == self
    }

    /// Whether a field declared of this type gives a stage that reads `required` what it reads.
    package func satisfies(_ required: FieldType) -> Bool { required == .any || self == required }

    /// "a date", "an amount of money": for messages.
    package var phrase: String {
        switch self {
        case .text: "text"
        case .integer: "a whole number"
        case .money: "an amount of money"
        case .date: "a date"
        case .datetime: "a date and time"
        case .percent: "a percentage"
        case .boolean: "a yes/no value"
        case .any: "a value of any type"
        }
    }

    /// The column mapping's `type:` that gives a field this type, for fixes: the raw values are the mapping's
    /// words (`init(_ column:)` maps them back), and a field of any type is mapped as text.
    package var mappingType: String { self == .any ? ColumnType.text.rawValue : rawValue }
}

/// One declared field of a table: its name, its type, and where it is declared when a pipeline declares it (a
/// reader's column mapping), for messages.
package struct FieldShape: Sendable, Hashable {
    package var name: String
    package var type: FieldType
    /// Where the pipeline declares it (`columns.arrival` of a reader); nil when the stage kind does.
    package var declaredAt: SourceLocation?
    /// The stage whose options declare it, when `declaredAt` is set.
    package var declaredBy: String?

    package init(_ name: String, _ type: FieldType, declaredAt: SourceLocation? = nil, declaredBy: String? = nil) {
        self.name = name
        self.type = type
        self.declaredAt = declaredAt
        self.declaredBy = declaredBy
    }
}

/// A field a stage reads from its first input's rows, with the type it reads it as: `check` verifies that the
/// input declares it, of that type, at the stage's line (or the line that declares the field upstream).
package struct FieldRequirement: Sendable, Hashable {
    package var name: String
    package var type: FieldType
    /// Whether the stage cannot do its work without it; an optional field, when present, must still have the
    /// type.
    package var isRequired: Bool
    /// Other types the stage reads the field from (a price given as text such as "1 080,00 €").
    package var alsoReads: Set<FieldType>
    /// The option that names the field (`field:` of `validate.client_email`), where `check` reports it missing.
    package var option: String?

    package init(
        _ name: String, _ type: FieldType, required: Bool = false, alsoReads: Set<FieldType> = [], option: String? = nil
    ) {
        self.name = name
        self.type = type
        self.isRequired = required
        self.alsoReads = alsoReads
        self.option = option
    }

    /// A field the stage needs.
    package static func required(
        _ name: String, _ type: FieldType, alsoReads: Set<FieldType> = [], option: String? = nil
    ) -> FieldRequirement {
        FieldRequirement(name, type, required: true, alsoReads: alsoReads, option: option)
    }

    /// Whether a field declared of `declared` gives the stage what it reads.
    package func isSatisfied(by declared: FieldType) -> Bool {
        declared == .any || declared.satisfies(type) || alsoReads.contains(declared)
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
    /// The type the reference needs the field to have (`{{arrival_iso}}`: a date), if any.
    package var expected: FieldType?

    package init(_ name: String, at location: SourceLocation? = nil, role: String = "field", expected: FieldType? = nil)
    {
        self.name = name
        self.location = location
        self.role = role
        self.expected = expected
    }
}
