import PasserelleCore

/// Why a cell could not be typed: a stable rule ID and, in French, what is wrong and what to do.
///
/// The message and the fix reach the booking central in the rejected-rows report, hence French; the rule ID
/// is English and never changes.
package struct ValueProblem: Error, Equatable, Sendable {
    /// `ingest.value.<type>` (or `ingest.value.required`, `ingest.value.cell_error`).
    package var rule: String
    /// What is wrong, lowercase, with the value as found: `date illisible : « 31/02/2026 »`.
    package var message: String
    /// What the user should do: `saisissez la date au format jj/mm/aaaa`.
    package var fix: String

    package init(rule: String, message: String, fix: String) {
        self.rule = rule
        self.message = message
        self.fix = fix
    }

    /// The finding as a `Diagnostic` at a cell's location, with the raw value.
    package func diagnostic(at location: SourceLocation, found: String?) -> Diagnostic {
        Diagnostic(rule: rule, location: location, message: message, found: found, fix: fix)
    }
}

/// Types raw cells by their column's declared type.
///
/// Every type first treats a blank cell (empty, or only spaces) as `.null`, or as `ingest.value.required` when the
/// column is required, and a spreadsheet error cell (`#N/A`) as `ingest.value.cell_error`. Then:
///
/// | type | accepts | result |
/// |---|---|---|
/// | text | anything, trimmed | `.text` |
/// | email | `nom@domaine.fr` (pragmatic check, see `EmailSyntax`), domain lowercased | `.text` |
/// | date | `dd/mm/yyyy`, `d/m/yy`, `yyyy-mm-dd`, Excel 1900 serials (number cells), date cells | `.date` |
/// | datetime | `dd/mm/yyyy hh:mm[:ss]`, `yyyy-mm-dd[T]hh:mm[:ss]` (a `Z` or `+02:00` zone is converted to Paris time), serials, date cells | `.dateTime` |
/// | integer | `3`, `3,0`, `1 234`, number 3.0; not 3.5 | `.integer` |
/// | money | `1 234,50 €`, `1234.5`, numbers; at most 2 decimals | `.money` (cents) |
/// | percent | `17 %`, `17,5%`; bare numbers ≤ 1 are fractions (0.17 → 17 %), > 1 are percents | `.percent` (bp) |
/// | boolean | Oui/Non, O/N, Yes/No, Vrai/Faux, True/False, 1/0, X; bool cells | `.bool` |
/// | enumeration | a canonical key of `spec.values` or one of its aliases, normalised as headers are | `.text(key)` |
///
/// ```swift
/// ValueParser.parse(.text("1 234,50 €"), as: ColumnSpec(name: "amount", headers: ["Montant"], type: .money))
/// // .success(.money(Money(cents: 123450)))
/// ```
package enum ValueParser {
    /// Types one cell; for many cells of one column, make a `ColumnParser` once instead.
    package static func parse(_ cell: CellValue, as spec: ColumnSpec) -> Result<Value, ValueProblem> {
        ColumnParser(spec).parse(cell)
    }
}

/// The parser of one column, prepared once: the enumeration's aliases are normalised here, not per cell.
///
/// A struct over one immutable reference, so passing it around costs one retain.
package struct ColumnParser: Sendable {
    /// What a parser holds, shared by its copies.
    private final class Storage: Sendable {
        let spec: ColumnSpec
        let header: String
        /// The accepted spellings (empty unless the type is `.enumeration`).
        let enumeration: EnumerationTable

        init(spec: ColumnSpec, header: String) {
            self.spec = spec
            self.header = header
            enumeration = EnumerationTable(spec.type == .enumeration ? spec.values : [:])
        }
    }

    private let storage: Storage
    private let type: ColumnType
    private let isRequired: Bool

    /// The column's spec.
    package var spec: ColumnSpec { storage.spec }
    /// The header as written in the user's file, named in the `required` fix (the spec's first header otherwise).
    package var header: String { storage.header }
    private var enumeration: EnumerationTable { storage.enumeration }
    /// For an enumeration: each spelling accepted as written, with its canonical key (empty for other types).
    var exactSpellings: [(spelling: String, key: String)] { enumeration.exactSpellings }

    package init(_ spec: ColumnSpec, header: String? = nil) {
        storage = Storage(spec: spec, header: header ?? spec.headers.first ?? spec.name)
        type = spec.type
        isRequired = spec.isRequired
    }

    /// An equal parser holding objects of its own (for a thread that must not share reference counts).
    func copy() -> ColumnParser { ColumnParser(spec, header: header) }

    /// Types one cell by the column's type.
    package func parse(_ cell: CellValue) -> Result<Value, ValueProblem> {
        if CellBytes.isBlank(cell) { return isRequired ? .failure(.required(header: header)) : .success(.null) }
        if case .error(let code) = cell { return .failure(.cellError(code)) }
        switch type {
        case .text: return .success(.text(text(of: cell)))
        case .email: return email(cell)
        case .date: return ValueParser.date(cell).map(Value.date).orProblem(.date(cell))
        case .datetime: return ValueParser.dateTime(cell).map(Value.dateTime).orProblem(.dateTime(cell))
        case .integer: return ValueParser.integer(cell).map(Value.integer).orProblem(.integer(cell))
        case .money: return ValueParser.money(cell).map(Value.money).orProblem(.money(cell))
        case .percent: return ValueParser.percent(cell).map(Value.percent).orProblem(.percent(cell))
        case .boolean: return ValueParser.boolean(cell).map(Value.bool).orProblem(.boolean(cell))
        case .enumeration: return enumerationValue(cell)
        }
    }

    private func text(of cell: CellValue) -> String {
        if case .text(let text) = cell { return CellBytes.trimmed(text) }
        return cell.displayText
    }

    private func email(_ cell: CellValue) -> Result<Value, ValueProblem> {
        guard case .text(let raw) = cell, let address = EmailSyntax.normalized(raw) else {
            return .failure(.email(cell))
        }
        return .success(.text(address))
    }

    private func enumerationValue(_ cell: CellValue) -> Result<Value, ValueProblem> {
        guard let key = enumeration.canonical(for: cell.displayText) else {
            return .failure(.enumeration(cell, accepted: enumeration.displayNames))
        }
        return .success(.text(key))
    }
}

extension Optional {
    /// `.success` of the value, or `.failure(problem)` when nil.
    fileprivate func orProblem(_ problem: @autoclosure () -> ValueProblem) -> Result<Wrapped, ValueProblem> {
        map { .success($0) } ?? .failure(problem())
    }
}

/// An enumeration's accepted spellings, normalised once.
struct EnumerationTable: Sendable {
    /// Text as written → canonical key (exact spellings of the spec: the fast path).
    private let exact: [String: String]
    /// Normalised spelling → canonical key.
    private let normalized: [String: String]
    /// One display name per canonical key (its first alias), sorted: listed in the fix.
    let displayNames: [String]

    init(_ values: [String: [String]]) {
        var exact: [String: String] = [:]
        var normalized: [String: String] = [:]
        for key in values.keys.sorted() {
            for spelling in [key] + (values[key] ?? []) {
                exact[spelling] = exact[spelling] ?? key
                let folded = HeaderMatcher.normalize(spelling)
                normalized[folded] = normalized[folded] ?? key
            }
        }
        self.exact = exact
        self.normalized = normalized
        displayNames = values.keys.map { values[$0]?.first ?? $0 }.sorted()
    }

    /// Each exact spelling with its canonical key, sorted by spelling.
    var exactSpellings: [(spelling: String, key: String)] {
        exact.sorted { $0.key < $1.key }.map { (spelling: $0.key, key: $0.value) }
    }

    /// The canonical key of a spelling, if accepted.
    func canonical(for text: String) -> String? {
        exact[text] ?? normalized[HeaderMatcher.normalize(text)]
    }
}
