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

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try ValidationSupport.primary(inputs, stage: context.stageName)
        var position: [String: Int] = [:]  // reference → index in `stays`
        position.reserveCapacity(table.rows.count)
        var stays: [StayRecord] = []
        stays.reserveCapacity(table.rows.count)
        for row in table.rows {
            guard let stay = StayTable.record(table, row) else {
                context.reject([
                    Diagnostic(
                        rule: "output.store_stays.incomplete", location: row.location,
                        message: "séjour incomplet (référence, hébergement ou dates manquants)",
                        fix: "complétez la ligne puis réimportez le fichier")
                ])
                continue
            }
            if let first = position[stay.reference] {
                context.reject([duplicate(stay, table.location(of: "reference", in: row), stays[first].source ?? .file(""))])
                continue
            }
            position[stay.reference] = stays.count
            stays.append(stay)
        }
        let result = try context.store.upsertStays(stays, scope: context.writeScope)
        context.recordChanges(result.changes)
        let verb = context.isDryRun ? "would store" : "stored"
        context.note(
            "\(verb) \(result.created.count) new stay(s), \(result.updated.count) updated, "
                + "\(result.cancelled.count) cancelled, \(result.unchanged) unchanged")
        position = [:]
        return output(stays: consume stays, result: result, rowsIn: table.rows.count)
    }

    private func duplicate(_ stay: StayRecord, _ location: SourceLocation, _ first: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "output.store_stays.duplicate_reference", location: location,
            message: "la référence \(stay.reference) apparaît deux fois dans le fichier (déjà ligne \(first.line ?? 0))",
            found: stay.reference, fix: "supprimez le doublon ou corrigez la référence, puis réimportez le fichier")
    }

    /// The stage's tables. The subsets share the rows of `stays` (a row's values are stored once), and are
    /// in the store's order (by reference), as the upsert returns them.
    private func output(stays: consuming [StayRecord], result: StayUpsertResult, rowsIn: Int) -> StageOutput {
        var stays = stays
        for i in stays.indices { stays[i].stayCode = result.stayCodes[i] ?? stays[i].stayCode }
        let all = StayTable.table(stays)
        let statuses = stays.map(\.status)
        let references = result.updated.map { stays[$0].reference }
        stays = []
        func subset(_ positions: some Sequence<Int>) -> Table {
            Table(fields: all.fields, rows: positions.map { all.rows[$0] })
        }
        let dateChanged = Set(
            result.changes.filter { $0.field == "arrival" || $0.field == "departure" }.map(\.key))
        let tables: [String: Table] = [
            "stays": all,
            "new_stays": subset(result.created),
            "new_active_stays": subset(result.created.lazy.filter { statuses[$0] != .cancelled }),
            "updated_stays": subset(result.updated),
            "date_changes": subset(zip(result.updated, references).lazy.filter { dateChanged.contains($1) }.map(\.0)),
            "cancelled_stays": subset(result.cancelled),
            "changes": ChangeTable.table(result.changes),
        ]
        return StageOutput(rows: all, rowsIn: rowsIn, extra: tables)
    }
}
