import Foundation
import PasserelleCore
import PasserelleSpec
import Synchronization

/// A stage kind: what a pipeline's `kind:` names. Stages are `Sendable` structs without mutable state.
///
/// To add one (STYLE.md 2.8): declare its `schema` (kind, summary, options, input count), read its
/// options in `init(spec:)`, implement `run(_:in:)` with all I/O through the context, then add one
/// line to `StageCatalog`.
package protocol Stage: Sendable {
    /// The kind's name, summary, options and input count, used by `check` and `kinds`.
    static var schema: StageKindSchema { get }
    /// Builds the stage from its checked spec.
    init(spec: StageSpec) throws
    /// Runs the stage over its inputs; rejects, findings, files and store writes go through `context`.
    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput
    /// The tables `run` hands downstream, declared from the stage's options and its inputs' declarations
    /// (a validation hands down its input's fields): what `check` verifies references against, and what the
    /// runner holds `run` to.
    func outputShapes(_ inputs: InputShapes) -> [TableShape]
    /// The upstream tables and fields the stage names (`source:`, a layout's sections and columns, a template's
    /// fields), verified by `check` against the declarations upstream. Default none.
    var references: [TableReference] { get }
    /// The fields `run` reads from its first input's rows, with the types it reads them as: `check` verifies
    /// them against that input's declaration (a date read from a field declared as text would be read as
    /// empty). Default none.
    var inputFields: [FieldRequirement] { get }
    /// Which upstream tables `run` may read: the runner hands it those only, and drops each table once its
    /// last reader has finished. Default: its direct inputs' tables and those its `references` name.
    var tableReads: TableReads { get }
    /// Whether `run` takes its direct inputs' tables with `StageInputs.take(_:)` when it is their last reader,
    /// to change their rows in place instead of copying them. Default false.
    var takesInputTables: Bool { get }
    /// Whether the stage stores its input rows (`context.recordStored`): the files read upstream of it are then
    /// checked at the end of the run, rows read = rows stored + rows rejected, from the store. Default false.
    var storesRows: Bool { get }
}

extension Stage {
    package var references: [TableReference] { [] }
    package var inputFields: [FieldRequirement] { [] }
    package var tableReads: TableReads { .inputs(andNamed: references.map(\.source)) }
    package var takesInputTables: Bool { false }
    package var storesRows: Bool { false }
}

/// The upstream stages whose tables a stage reads.
package enum TableReads: Sendable, Equatable {
    /// Its direct inputs' tables, those of the named upstream stages, and the tables of these names from any
    /// upstream stage (`file_info`, the list of files read).
    case inputs(and: Set<String>, tablesOfAny: Set<String> = [])

    /// Exactly the tables named by references: `stage.table` one table, `stage` all of that stage's tables; and
    /// the tables of these names from any upstream stage. Direct inputs' other tables are not read.
    case references(Set<String>, tablesOfAny: Set<String> = [])

    /// Direct inputs only.
    package static let inputsOnly = TableReads.inputs(and: [])

    /// Exactly the tables named by references such as `store_stays.new_stays` (a stage's name alone: all its
    /// tables); `files` reads every upstream `file_info` table; `rejected` and `findings` are not tables. A
    /// report naming `store_providers.changes` does not keep the providers' rows alive.
    package static func inputs(andReferences references: [String]) -> TableReads {
        let (named, tables) = split(references)
        return .references(named, tablesOfAny: tables)
    }

    /// The direct inputs' tables and those named by references (as `inputs(andReferences:)`).
    package static func inputs(andNamed references: [String]) -> TableReads {
        let (named, tables) = split(references)
        return .inputs(and: named, tablesOfAny: tables)
    }

    private static func split(_ references: [String]) -> (named: Set<String>, tables: Set<String>) {
        var named = Set<String>()
        var tables = Set<String>()
        for reference in references {
            let stage = reference.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            switch stage {
            case "files": tables.insert("file_info")
            case "", "rejected", "findings": break
            default: named.insert(reference)
            }
        }
        return (named, tables)
    }

    /// Whether a stage reading this way, with these direct inputs, reads `table` of `upstream`.
    package func reads(_ table: String, of upstream: String, directInputs: [String]) -> Bool {
        switch self {
        case .inputs(let named, let tables):
            directInputs.contains(upstream) || named.contains(upstream) || named.contains("\(upstream).\(table)")
                || tables.contains(table)
        case .references(let named, let tables):
            named.contains(upstream) || named.contains("\(upstream).\(table)") || tables.contains(table)
        }
    }
}

/// What a stage hands downstream: named tables (the main one is `rows`) and its counts.
package struct StageOutput: Sendable {
    package var tables: [String: Table]
    /// Rows the stage read (from files or inputs).
    package var rowsIn: Int
    /// Rows the stage passed on.
    package var rowsOut: Int

    package init(tables: [String: Table] = [:], rowsIn: Int = 0, rowsOut: Int = 0) {
        self.tables = tables
        self.rowsIn = rowsIn
        self.rowsOut = rowsOut
    }

    /// An output whose main table is `rows`.
    package init(rows: Table, rowsIn: Int, extra: [String: Table] = [:]) {
        var tables = extra
        tables["rows"] = rows
        self.init(tables: tables, rowsIn: rowsIn, rowsOut: rows.rows.count)
    }
}

/// A finished stage as downstream stages and the run summary see it.
package struct StageResult: Sendable {
    package var name: String
    package var kind: String
    package var output: StageOutput
    /// One diagnostic per reason; several may concern the same row.
    package var rejected: [Diagnostic]
    /// Distinct rows rejected.
    package var rowsRejected: Int
    /// Warnings and alerts (overlaps, formula conflicts, absent providers).
    package var findings: [Diagnostic]
    /// Human-readable lines: what was done, or would be done in a dry run.
    package var notes: [String]
    /// The first files written (or that would be written), relative to the run folder: at most
    /// `StageResult.listedFiles` of them, so that a batch of a million e-mails does not keep a million names.
    package var files: [String]
    /// How many files were written (or would be).
    package var fileCount: Int
    /// Input files the stage read, with their digest.
    package var inputFiles: [InputFile]
    package var changes: [ChangeRecord]
    /// The lines of input files whose rows the stage stored (`context.recordStored`).
    package var stored: [StoredLines] = []
    /// Rows read per input file, as the reader counted them (its `file_info` table).
    package var filesRead: [FileRead] = []
}

/// Rows read from one input file, as its reader counted them.
package struct FileRead: Sendable, Hashable {
    package var path: String
    package var sheet: String?
    package var rows: Int
    /// `importé`, or why the file was not read (`déjà importé, ignoré`).
    package var status: String
}

extension StageResult {
    /// How many file names a result keeps (`files`); `fileCount` counts them all.
    package static let listedFiles = 4
}

extension Array where Element == StageResult {
    /// Distinct rejected rows per source file over these stages (a row rejected for several reasons, or by
    /// several stages, counts once; rows are told apart by sheet and line, and a refusal without a line is no
    /// row), as `Store.rejectedLineCounts` counts them: what makes rows read = rows stored + rows rejected.
    package func rejectedRowCounts() -> [String: Int] {
        var lines: [String: Set<String>] = [:]
        for d in flatMap(\.rejected) {
            guard let line = d.location.line else { continue }
            lines[d.location.file, default: []].insert("\(d.location.sheet ?? "")\u{0}\(line)")
        }
        return lines.mapValues(\.count)
    }
}

/// An input file read by a stage, with its content digest.
package struct InputFile: Sendable, Hashable {
    package var stage: String
    package var path: String
    package var size: Int64
    package var sha256: String
}

/// The inputs of a stage: its declared inputs, in order, and everything upstream of it.
package struct StageInputs: Sendable {
    package var direct: [StageResult]
    /// Every stage upstream of this one (transitively), in plan order.
    package var upstream: [StageResult]
    /// Tables of direct inputs that no other stage reads any more (`Stage.takesInputTables`), by reference
    /// (`stage.table`); they are not in `direct` or `upstream`.
    private let handedOver: HandedOverTables?

    package init(direct: [StageResult], upstream: [StageResult], handedOver: [String: Table] = [:]) {
        self.direct = direct
        self.upstream = upstream
        self.handedOver = handedOver.isEmpty ? nil : HandedOverTables(handedOver)
    }

    /// The main table of the first input, if any.
    package var primary: Table? {
        guard let first = direct.first else { return nil }
        return handedOver?.peek("\(first.name).rows") ?? first.output.tables["rows"]
    }

    /// A table by reference: `stage` (its `rows`) or `stage.table`.
    package func table(_ reference: String) -> Table? {
        let (stage, name) = Self.split(reference)
        if let table = handedOver?.peek("\(stage).\(name)") { return table }
        return upstream.first { $0.name == stage }?.output.tables[name]
    }

    /// The main table of the first input, taken (see `take(_:)`).
    package func takePrimary() -> Table? { direct.first.flatMap { take("\($0.name).rows") } }

    /// Takes a table that was handed over to this stage: the caller then holds its only copy, and changing its
    /// rows does not copy them. Nil when the table was not handed over (other stages may read it, or the run
    /// keeps tables): read it with `table(_:)` then. A table is taken once.
    package func take(_ reference: String) -> Table? {
        let (stage, name) = Self.split(reference)
        return handedOver?.take("\(stage).\(name)")
    }

    /// A direct input by stage name.
    package func result(_ name: String) -> StageResult? { upstream.first { $0.name == name } }

    private static func split(_ reference: String) -> (stage: String, table: String) {
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "rows")
    }
}

/// The tables handed over to one running stage: it holds their only reference, until it takes them.
private final class HandedOverTables: Sendable {
    private let tables: Mutex<[String: Table]>

    init(_ tables: [String: Table]) { self.tables = Mutex(tables) }

    func peek(_ reference: String) -> Table? { tables.withLock { $0[reference] } }

    func take(_ reference: String) -> Table? { tables.withLock { $0.removeValue(forKey: reference) } }
}

/// A stage that cannot run: bad options at build time or a failure while running.
///
/// At build time (`init(spec:)`), `option` names the option at fault by its path in the stage's options
/// (`rate`, `rates[2].from`, `seller.siren`), so that `check` and `run` report it at that option's line and
/// column; `location` names a place outside the definition (a line of a side file) when the fault is there.
package struct StageError: Error, CustomStringConvertible {
    package var stage: String
    package var message: String
    package var fix: String?
    /// The option at fault, by its path in the stage's options.
    package var option: String?
    /// The place at fault, when it is not an option of the definition (a line of an offices file).
    package var location: SourceLocation?
    /// The value found, as the user wrote it, if any (the caret's width).
    package var found: String?

    package init(
        stage: String, message: String, fix: String? = nil, option: String? = nil, location: SourceLocation? = nil,
        found: String? = nil
    ) {
        self.stage = stage
        self.message = message
        self.fix = fix
        self.option = option
        self.location = location
        self.found = found
    }

    package var description: String {
        fix.map { "\(message); \($0)" } ?? message
    }
}
