import Foundation
import PasserelleCore
import PasserelleStore

/// "Nothing is lost", checked at the end of every run from three counts that do not depend on each other: the
/// rows each reader read from a file, and the rows the store holds as stored and as rejected for that file in
/// this run. A file whose rows do not add up fails the run, naming the file and the difference.
///
/// Only files with a storing stage (`Stage.storesRows`) downstream of their reader are checked: the rows of a
/// file that only feeds reports (a catalogue priced, orders discounted) are not stored, and are counted as
/// read and rejected only. A dry run rolls its store writes back, so there the stored and rejected rows are
/// those the stages recorded.
struct RowAccounting {
    let plan: Plan
    let stages: [String: any Stage]

    /// The accounts of the files read by `results` whose rows a stage of the run stores.
    func accounts(of results: [StageResult], runID: Int64, store: Store, isDryRun: Bool) throws -> [FileRowAccount] {
        let storing = plan.order.filter { stages[$0]?.storesRows == true }
        let checked = results.filter { reader in
            !reader.filesRead.isEmpty && storing.contains { plan.upstream(of: $0).contains(reader.name) }
        }
        guard !checked.isEmpty, results.count == plan.order.count else { return [] }
        let stored: [String: Int]
        let rejected: [String: Int]
        if isDryRun {
            stored = StoredLines.lineCounts(results.flatMap(\.stored))
            rejected = results.rejectedRowCounts()
        } else {
            stored = StoredLines.lineCounts(try store.storedLines(of: runID))
            rejected = try store.rejectedLineCounts(of: runID)
        }
        var read: [String: Int] = [:]
        for file in checked.flatMap(\.filesRead) { read[file.path, default: 0] += file.rows }
        return read.keys.sorted().map { path in
            FileRowAccount(file: path, read: read[path] ?? 0, stored: stored[path] ?? 0, rejected: rejected[path] ?? 0)
        }
    }

    /// How a file that does not add up fails the run.
    static func failure(_ account: FileRowAccount) -> String {
        let name = URL(fileURLWithPath: account.file).lastPathComponent
        let gap = account.unaccounted
        let what =
            gap > 0
            ? "\(gap) row(s) neither stored nor rejected" : "\(-gap) row(s) counted both stored and rejected, or twice"
        return "rows of \(name) do not add up: \(account.read) read ≠ \(account.stored) stored + \(account.rejected) "
            + "rejected (\(what)); a stage dropped or duplicated rows: keep the file, see `passerelle history` "
            + "and report it"
    }
}
