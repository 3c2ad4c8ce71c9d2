import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Computes the month's payouts: per provider, the confirmed stays departing in the month, less commission and fees.
///
/// domain.md "Channel commission": a channel that collects the whole amount in advance pays the provider at the
/// end of the month of the client's departure day, so a stay from 28 March to 2 April is paid on 30 April.
/// For month M: every confirmed stay departing in M counts, per provider: gross, commission, fees, net, payout
/// date (the last day of M). Cancellations departing in M are listed apart and excluded; pre-reservations are
/// excluded. Totals are sums of the rounded lines; the figures must reconcile (`PayoutReconciliation`) or the
/// stage fails naming the provider and the difference. Needs the `commission` and `payment_fee` columns.
/// Rejects nothing. Writes `rows` (one per provider), `detail` (one per stay), `cancellations`, `totals` (one
/// row) and `history` (the `history_months` months ending with M: confirmed stays and their gross per month of
/// departure, the statement's chart). The history is summed by the store over the stored stays (one aggregate,
/// whatever the size of the store), so the input needs only the month's stays; with `reconcile_with_store: false`
/// (stays that were never stored) it is summed from the input's rows instead.
///
/// ```yaml
/// payouts:
///   kind: transform.monthly_payouts
///   inputs: [fees]
///   options: { month: "${month}" }
/// ```
struct MonthlyPayoutsTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.monthly_payouts",
        summary: "Compute the month's payouts per provider (confirmed stays departing in the month).",
        options: [
            OptionSpec("month", .value(.month), required: true, "The month paid, YYYY-MM (e.g. ${month})."),
            OptionSpec("history_months", .integer, "Months in the 'history' table, ending with 'month' (default 12)."),
            OptionSpec(
                "reconcile_with_store", .boolean,
                "Whether the payouts must match what the store sums over the month itself, per provider: confirmed "
                    + "stays and gross, and the history is summed by the store (default true; false for stays that "
                    + "were never stored: the history is then summed from the input)."),
        ], inputs: 1...1)

    let month: FinanceMonth
    let historyMonths: Int
    let reconcilesWithStore: Bool

    init(spec: StageSpec) throws {
        month = try FinanceMonth.option(spec.options.string("month"), stage: spec.name)
        historyMonths = max(1, spec.options.integer("history_months") ?? 12)
        reconcilesWithStore = spec.options.boolean("reconcile_with_store") ?? true
    }

    var inputFields: [FieldRequirement] {
        [.required("provider_code", .text), .required("commission", .money), .required("payment_fee", .money)]
    }

    /// One payout per provider (`rows`, also `payouts`), the stays paid, the cancellations, the month's totals
    /// and the chart's months.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { PayoutTables.shapes }

    /// The payouts are the input's only reader in the shipped pipeline: its rows are released as the lines are made.
    var takesInputTables: Bool { true }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try FinanceTable.taken(
            inputs, stage: context.stageName, needs: ["provider_code", "commission", "payment_fee"])
        let rowsIn = table.rows.count
        let split = PayoutSplit(table, month: month)
        let payouts = ProviderPayout.payouts(of: split.lines, paidOn: month.lastDay)
        try PayoutReconciliation.check(payouts: payouts, lines: split.lines, month: month, stage: context.stageName)
        var history = split.history
        if reconcilesWithStore {
            // The month per provider for the reconciliation; the chart's months summed per month alone (grouping
            // twelve months per provider cost 3.3 s at a million stays, the two sums 1.9 s).
            let stored = try context.store.providerMonthTotals(
                departingFrom: month.firstDay, before: month.adding(months: 1).firstDay)
            try PayoutReconciliation.checkAgainstStore(
                payouts: payouts, store: stored, month: month, stage: context.stageName)
            history =
                historyMonths == 1
                ? MonthFigures.byMonth(stored)
                : MonthFigures.byMonth(
                    try context.store.monthTotals(
                        departingFrom: month.adding(months: 1 - historyMonths).firstDay,
                        before: month.adding(months: 1).firstDay))
        }
        context.note(
            "\(month): \(split.lines.count) stay(s) paid to \(payouts.count) provider(s), "
                + "\(split.cancellations.count) cancellation(s) listed apart, \(split.preBookings) pre-reservation(s) "
                + "and \(split.otherMonths) stay(s) of other months left out")
        let payoutTable = PayoutTables.payouts(payouts)
        return StageOutput(
            rows: payoutTable, rowsIn: rowsIn,
            extra: [
                "payouts": payoutTable,
                "detail": PayoutTables.detail(split.lines, paidOn: month.lastDay),
                "cancellations": PayoutTables.cancellations(split.cancellations),
                "totals": PayoutTables.totals(
                    PayoutTotals(payouts), providers: payouts.count, month: month,
                    cancellations: split.cancellations.count),
                "history": PayoutTables.history(history, ending: month, months: historyMonths),
            ])
    }
}

/// The input stays sorted out for month M: paid lines, cancellations, and the history of earlier months.
struct PayoutSplit {
    var lines: [PayoutLine] = []
    var cancellations: [PayoutLine] = []
    /// Confirmed stays and their gross per month of departure, M included (the chart, when not from the store).
    var history: [FinanceMonth: MonthFigures] = [:]
    var preBookings = 0
    var otherMonths = 0

    /// Each input row is released once read: when the caller handed over the table's only copy, the rows and the
    /// lines are not both held whole.
    init(_ table: consuming Table, month: FinanceMonth) {
        FinanceTable.each(consuming: table) { header, row in
            guard let line = Self.line(header, row) else { return }  // no departure: cannot be dated (never stored)
            let status = FinanceTable.status(header, row)
            let inMonth = FinanceMonth(of: line.departure) == month
            switch status {
            case .preBooking: if inMonth { preBookings += 1 } else { otherMonths += 1 }
            case .cancelled: if inMonth { cancellations.append(line) } else { otherMonths += 1 }
            case .confirmed:
                history[FinanceMonth(of: line.departure), default: MonthFigures()].add(stays: 1, gross: line.gross)
                if inMonth { lines.append(line) } else { otherMonths += 1 }
            }
        }
        let order = { (a: PayoutLine, b: PayoutLine) in
            (a.providerCode, a.departure, a.reference) < (b.providerCode, b.departure, b.reference)
        }
        lines.sort(by: order)
        cancellations.sort(by: order)
    }

    static func line(_ table: Table, _ row: Row) -> PayoutLine? {
        func text(_ name: String) -> String { table.value(name, in: row).text ?? "" }
        guard let arrival = table.value("arrival", in: row).date, let departure = table.value("departure", in: row).date
        else { return nil }
        return PayoutLine(
            providerCode: text("provider_code"), providerName: text("provider_name"),
            providerEmail: table.value("provider_email", in: row).text,
            providerAddress: table.value("provider_address", in: row).text,
            accommodationCode: text("accommodation_code"),
            accommodationName: text("accommodation_name"), reference: text("reference"),
            stayCode: table.value("stay_code", in: row).text, client: text("client"), arrival: arrival,
            departure: departure, channel: text("channel"), gross: table.value("amount", in: row).money ?? .zero,
            commissionRate: table.value("commission_rate", in: row).percent ?? 0,
            commission: table.value("commission", in: row).money ?? .zero,
            chargedOnline: table.value("charged_online", in: row).money ?? .zero,
            fees: table.value("payment_fee", in: row).money ?? .zero)
    }
}

/// The confirmed stays of one month of departure and their gross: a bar of the statement's chart.
struct MonthFigures: Equatable {
    var stays = 0
    var gross = Money.zero

    mutating func add(stays count: Int, gross amount: Money) {
        stays += count
        gross = gross + amount
    }

    /// The store's totals per provider, summed per month.
    static func byMonth(_ totals: [ProviderMonthTotal]) -> [FinanceMonth: MonthFigures] {
        var months: [FinanceMonth: MonthFigures] = [:]
        for total in totals { months[total.month, default: MonthFigures()].add(stays: total.stays, gross: total.gross) }
        return months
    }

    /// The store's totals per month.
    static func byMonth(_ totals: [MonthTotal]) -> [FinanceMonth: MonthFigures] {
        Dictionary(
            totals.map { ($0.month, MonthFigures(stays: $0.stays, gross: $0.gross)) }, uniquingKeysWith: { a, _ in a })
    }
}
