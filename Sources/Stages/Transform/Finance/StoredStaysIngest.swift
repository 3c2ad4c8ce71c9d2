import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reads the stored stays, with their accommodation and provider, into a table for the finance stages.
///
/// The monthly statement works from the store, not from the day's file: a payout covers every stay departing
/// in the month, whenever it was imported. With `month`, only stays departing in the `months` months ending
/// with it are read (1 by default: the statement's chart of earlier months is summed by the store, not read
/// here); without it, every stored stay. Rejects nothing. Writes `rows` with the columns listed in
/// `FinanceTable`, ordered by reference. Its inputs, if any, are stages to wait for and not read: with
/// `inputs: [store_stays]` a pipeline that stores stays and then reports on them reads what it just stored.
///
/// ```yaml
/// stays:
///   kind: ingest.stored_stays
///   options: { month: "${month}" }
/// ```
struct StoredStaysIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.stored_stays",
        summary: "Read the stored stays with their provider (departing in the months ending with 'month').",
        options: [
            OptionSpec("month", .value(.month), "The last month read, YYYY-MM; every stored stay when absent."),
            OptionSpec("months", .integer, "How many months are read, ending with 'month' (default 1)."),
        ], inputs: 0...8)

    let month: FinanceMonth?
    let months: Int

    init(spec: StageSpec) throws {
        month = try spec.options.string("month").map { try FinanceMonth.option($0, stage: spec.name) }
        months = spec.options.integer("months") ?? 1
        guard months >= 1 else {
            throw StageError(
                stage: spec.name, message: "'months' is \(months), not a number of months",
                fix: "set 'months' to 1 or more (1 for the month alone)")
        }
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [FinanceTable.shape] }

    /// The inputs are stages to wait for (the store's writers): none of their tables is read.
    var tableReads: TableReads { .references([]) }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let from = month.map { $0.adding(months: 1 - months).firstDay }
        let before = month.map { $0.adding(months: 1).firstDay }
        // Each stay becomes its row as it is read: no array of every stay beside the table.
        var table = Table(columns: FinanceTable.columns)
        try context.store.eachProviderStay(departingFrom: from, before: before) {
            table.rows.append(FinanceTable.row($0))
        }
        let period =
            month.map { "departing from \(from?.frenchText ?? "") to \($0.lastDay.frenchText)" } ?? "in the store"
        context.note("read \(table.rows.count) stored stay(s) \(period)")
        return StageOutput(rows: table, rowsIn: table.rows.count)
    }
}
