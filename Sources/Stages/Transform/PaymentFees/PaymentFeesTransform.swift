import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Computes each stay's card payment fees: a rate per charge made online, not per booking.
///
/// domain.md "Card payment fee": 3 % of what is charged online. When the balance is paid on site, only the
/// deposit is charged online: a 200 € booking with a 30 % deposit is charged 60 € and costs 1.80 €. The deposit
/// is the amount times the deposit share (100 % when none is given); when `balance_charged_online` is true the
/// balance is a second charge with its own fee. Each charge and each fee is rounded half away from zero to the
/// cent (`Money.applying(basisPoints:)`) before they are added. Pre-reservations are not charged, nor stays
/// paid by a mode outside `online_payment_modes`. Adds `charged_online` and `payment_fee` (money).
/// Rejects nothing.
///
/// ```yaml
/// fees:
///   kind: transform.payment_fees
///   inputs: [commissions]
///   options: { rate: 3 %, online_payment_modes: [card, paypal] }
/// ```
struct PaymentFeesTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.payment_fees",
        summary: "Add each stay's card payment fees (a rate per online charge: the deposit, or more).",
        options: [
            OptionSpec("rate", .value(.percentage), "The fee per charge (default '3 %')."),
            OptionSpec(
                "online_payment_modes", .list(.string),
                "Payment modes charged online (default [card, paypal]); others cost no fee."),
            OptionSpec(
                "balance_charged_online", .boolean,
                "Whether the balance is charged online too, as a second charge (default false: paid on site)."),
        ], inputs: 1...1)

    static let columns = ["charged_online", "payment_fee"]

    let basisPoints: Int64
    let onlineModes: Set<String>
    let isBalanceCharged: Bool

    init(spec: StageSpec) throws {
        basisPoints = try FinanceRate.option(spec.options.string("rate") ?? "3 %", key: "rate", stage: spec.name)
        onlineModes = Set((spec.options.strings("online_payment_modes") ?? ["card", "paypal"]).map(FinanceRate.key))
        isBalanceCharged = spec.options.boolean("balance_charged_online") ?? false
    }

    var inputFields: [FieldRequirement] {
        [
            .required("amount", .money), .required("status", .text), FieldRequirement("deposit", .percent),
            FieldRequirement("payment_mode", .text),
        ]
    }

    /// Its input's stays with what was charged online and its fee.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [inputs.primary.adding([FieldShape("charged_online", .money), FieldShape("payment_fee", .money)])]
    }

    var takesInputTables: Bool { true }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try FinanceTable.taken(inputs, stage: context.stageName, needs: ["amount", "status"])
        let rowsIn = table.rows.count
        let out = FinanceTable.extending(consume table, with: Self.columns) { header, row in
            let charges = charges(header, row)
            let fees = charges.reduce(Money.zero) { $0 + fee(on: $1) }
            return [.money(charges.reduce(Money.zero, +)), .money(fees)]
        }
        return StageOutput(rows: out, rowsIn: rowsIn)
    }

    /// The fee of one charge, rounded half away from zero to the cent.
    func fee(on charge: Money) -> Money { charge.applying(basisPoints: basisPoints) }

    /// The amounts charged online for a stay: the deposit, then the balance when it is charged online too.
    func charges(_ table: Table, _ row: Row) -> [Money] {
        guard FinanceTable.status(table, row) != .preBooking, let amount = table.value("amount", in: row).money,
            onlineModes.contains(FinanceRate.key(table.value("payment_mode", in: row).text ?? ""))
        else { return [] }
        let share = table.value("deposit", in: row).percent ?? 10_000
        let deposit = amount.applying(basisPoints: min(max(share, 0), 10_000))
        let balance = amount - deposit
        var charges = deposit.cents > 0 ? [deposit] : []
        if isBalanceCharged && balance.cents > 0 { charges.append(balance) }
        return charges
    }
}
