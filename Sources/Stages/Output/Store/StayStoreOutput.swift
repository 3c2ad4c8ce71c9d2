import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Stores stays by the central's reference: new ones get a stay code, changed ones are updated.
///
/// A stay's code never changes once given (domain.md rule 5); importing the same stays again changes
/// nothing. A reference twice in one file keeps the first row and rejects the other
/// (`output.store_stays.duplicate_reference`). Writes the tables `stays` (every stay of this run, with
/// its code), `new_stays`, `new_active_stays` (new and not cancelled: the stay codes to send), `updated_stays`, `date_changes` (stays whose dates moved), `cancelled_stays`
/// and `changes`. In a dry run the writes are rolled back, so the counts are exact.
///
/// ```yaml
/// store_stays: { kind: output.store_stays, inputs: [check_references] }
/// ```
struct StayStoreOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.store_stays",
        summary: "Store stays by reference: new ones get a stay code, changed ones are updated, cancellations marked.",
        options: [], inputs: 1...1)

    init(spec: StageSpec) throws {}

    var tableReads: TableReads { .inputsOnly }
    /// What a stay is stored from (`StayTable`): the four fields every stay needs, the others typed as stored.
    var inputFields: [FieldRequirement] {
        [
            .required("reference", .text), .required("accommodation_code", .text), .required("arrival", .date),
            .required("departure", .date),
        ]
            + ["stay_code", "last_name", "first_name", "email", "language", "channel", "status", "payment_mode"]
            .map { FieldRequirement($0, .text) }
            + [
                FieldRequirement("party_size", .integer), FieldRequirement("amount", .money),
                FieldRequirement("booking_date", .date), FieldRequirement("deposit", .percent),
            ]
    }
    var takesInputTables: Bool { true }

    /// Every stay it is given is stored or rejected: the run checks the stays file's rows add up.
    var storesRows: Bool { true }

    /// Its input's rows with their stay code, all and by what the store did with them, and the changes.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        let stays = inputs.primary.adding([FieldShape("stay_code", .text)])
        return [stays]
            + ["stays", "new_stays", "new_active_stays", "updated_stays", "date_changes", "cancelled_stays"].map(
                stays.named)
            + [ChangeTable.shape]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        // Taken when no other stage reads it: its rows become the stored stays' rows one by one, not copies.
        let table = try inputs.takePrimary() ?? ValidationSupport.primary(inputs, stage: context.stageName)
        // The rows to store, by position in the table; records are built from a row when needed, so a million
        // stays are never held as records besides their rows.
        var kept: [Int] = []
        kept.reserveCapacity(table.rows.count)
        var first: [String: Int] = [:]  // reference → its first row
        first.reserveCapacity(table.rows.count)
        let columns = StayTable.Columns(table)
        for (i, row) in table.rows.enumerated() {
            guard let reference = StayTable.reference(row, columns) else {
                context.reject([
                    Diagnostic(
                        rule: "output.store_stays.incomplete", location: row.location,
                        message: "séjour incomplet (référence, hébergement ou dates manquants)",
                        fix: "complétez la ligne puis réimportez le fichier")
                ])
                continue
            }
            if let earlier = first[reference] {
                context.reject([
                    duplicate(reference, table.location(of: "reference", in: row), table.rows[earlier].location)
                ])
                continue
            }
            first[reference] = i
            kept.append(i)
        }
        first = [:]
        func stay(_ k: Int) -> StayRecord {
            StayTable.record(table.rows[kept[k]], columns)!  // checked above
        }
        let result = try context.store.upsertStays(
            count: kept.count, reference: { k in columns.value(columns.reference, in: table.rows[kept[k]]).text ?? "" },
            stay: stay,
            scope: context.writeScope)
        context.recordChanges(result.changes)
        context.recordStored(kept.lazy.map { table.rows[$0].location })
        let verb = context.isDryRun ? "would store" : "stored"
        context.note(
            "\(verb) \(result.created.count) new stay(s), \(result.updated.count) updated, "
                + "\(result.cancelled.count) cancelled, \(result.unchanged) unchanged")
        let rowsIn = table.rows.count
        let all = Self.withStayCodes(consume table, kept: kept, codes: result.stayCodes)
        // Notifications earlier runs stored but never prepared (the run failed before its e-mail batch): this
        // run's batches send them with its own.
        // Handed on only when a stage downstream reads the table they join.
        let owedCodes =
            context.isRead(table: "new_active_stays")
            ? try owed(
                OutboxKind.stayCode, key: \.reference, reference: { $0 }, all: all,
                what: "stored by an earlier run still owed their stay code", context: context) : []
        let owedUpdates =
            context.isRead(table: "date_changes")
            ? try self.owed(
                OutboxKind.stayUpdate, key: OutboxKind.stayUpdateKey, reference: OutboxKind.stayUpdateReference,
                all: all, what: "whose dates an earlier run changed still owed their update", context: context) : []
        return output(all: all, result: result, rowsIn: rowsIn, owed: owedCodes, owedUpdates: owedUpdates)
    }

    /// The stays still owed a notification of `kind` by earlier runs, as rows of `all`'s fields, by key: they
    /// join `new_active_stays` (stay codes) or `date_changes` (updates). A notification whose stay was cancelled
    /// since, or whose key is no longer the stay's own (its dates changed again: a newer update is owed), is owed
    /// nothing any more and is marked prepared.
    private func owed(
        _ kind: String, key: (StayRecord) -> String, reference: (String) -> String, all: Table, what: String,
        context: StageContext
    ) throws -> [Row] {
        let keys = try context.store.pendingOutbox(kind: kind, createdBefore: context.runID).sorted()
        guard !keys.isEmpty else { return [] }
        let stays = Dictionary(
            try context.store.stays(references: Set(keys.map(reference))).map { ($0.reference, $0) },
            uniquingKeysWith: { a, _ in a })
        var owed: [StayRecord] = []
        var dropped: [String] = []
        for entity in keys {
            guard let stay = stays[reference(entity)] else { continue }  // not stored: left owed, as before
            if stay.status != .cancelled && key(stay) == entity { owed.append(stay) } else { dropped.append(entity) }
        }
        if !dropped.isEmpty {
            try context.store.markOutboxPrepared(kind: kind, entityKeys: dropped, scope: context.writeScope)
        }
        if !owed.isEmpty { context.note("\(owed.count) stay(s) \(what): sent with this run's") }
        return owed.map { StayTable.row($0, fields: all.fields) }
    }

    /// The kept rows, in order, each with its stay code (a `stay_code` field added, or set). Each row is
    /// released from `table` as its copy is made: when the stage holds the table's only copy, the stays are
    /// never in memory twice.
    private static func withStayCodes(_ table: consuming Table, kept: [Int], codes: [String?]) -> Table {
        let codeField = table.column("stay_code")
        let width = table.fields.count
        let fields = table.fields + (codeField == nil ? [Field(name: "stay_code")] : [])
        var rows = table.rows
        table.rows = []
        let released = Row(location: .file(""), values: [])
        var out: [Row] = []
        out.reserveCapacity(kept.count)
        for (k, i) in kept.enumerated() {
            let row = rows[i]
            rows[i] = released
            let code = codes[k].map(Value.text) ?? row.value(at: codeField ?? row.count)
            var values = row.values
            if values.count < width { values += Array(repeating: .null, count: width - values.count) }
            if let codeField { values[codeField] = code } else { values.append(code) }
            out.append(Row(values: values, placedAs: row))
        }
        return Table(fields: fields, rows: out)
    }

    private func duplicate(_ reference: String, _ location: SourceLocation, _ first: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "output.store_stays.duplicate_reference", location: location,
            message: "la référence \(reference) apparaît deux fois dans le fichier (déjà ligne \(first.line ?? 0))",
            found: reference, fix: "supprimez le doublon ou corrigez la référence, puis réimportez le fichier")
    }

    /// The stage's tables. The subsets share the rows of `all` (a row's values are stored once), and are in
    /// the store's order (by reference), as the upsert returns them.
    private func output(all: Table, result: StayUpsertResult, rowsIn: Int, owed: [Row], owedUpdates: [Row])
        -> StageOutput
    {
        func subset(_ positions: some Sequence<Int>) -> Table {
            Table(fields: all.fields, rows: positions.map { all.rows[$0] })
        }
        func text(_ field: String, _ k: Int) -> String? { all.value(field, in: all.rows[k]).text }
        let dateChanged = Set(
            result.changes.filter { $0.field == "arrival" || $0.field == "departure" }.map(\.key))
        let tables: [String: Table] = [
            "stays": all,
            "new_stays": subset(result.created),
            "new_active_stays": Table(
                fields: all.fields,
                rows: result.created.lazy.filter { text("status", $0) != StayStatus.cancelled.rawValue }
                    .map { all.rows[$0] } + owed),
            "updated_stays": subset(result.updated),
            "date_changes": Table(
                fields: all.fields,
                rows: result.updated.lazy.filter { dateChanged.contains(text("reference", $0) ?? "") }.map {
                    all.rows[$0]
                }
                    + owedUpdates),
            "cancelled_stays": subset(result.cancelled),
            "changes": ChangeTable.table(result.changes),
        ]
        return StageOutput(rows: all, rowsIn: rowsIn, extra: tables)
    }
}
