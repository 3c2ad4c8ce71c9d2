import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// The month's figures as the finance outputs read them: the tables of `transform.monthly_payouts` from a
/// direct input (the payouts stage, or `output.commission_invoices`, which hands them on) and, when a direct
/// input hands them down, the invoices.
struct StatementData {
    var month: FinanceMonth
    var payouts: Table
    var detail: Table
    var cancellations: Table
    var totals: Table
    var history: Table
    /// Invoice number by provider code (empty without invoices in the inputs).
    var invoiceNumbers: [String: String]

    /// The tables a finance output reads from its direct inputs.
    static let tableNames = PayoutTables.tableNames.filter { $0 != "rows" }

    init(_ inputs: StageInputs, stage: String) throws {
        guard let tables = inputs.direct.first(where: { r in Self.tableNames.allSatisfy { r.output.tables[$0] != nil } })?
            .output.tables,
            let payouts = tables["payouts"], let detail = tables["detail"], let cancellations = tables["cancellations"],
            let totals = tables["totals"], let history = tables["history"]
        else {
            throw StageError(
                stage: stage, message: "no input of stage '\(stage)' hands down the month's payouts",
                fix: "list the transform.monthly_payouts stage (or the output.commission_invoices after it) under 'inputs'")
        }
        let monthText = totals.rows.first.flatMap { totals.value("month", in: $0).text } ?? ""
        month = try FinanceMonth.option(monthText, stage: stage)
        self.payouts = payouts
        self.detail = detail
        self.cancellations = cancellations
        self.totals = totals
        self.history = history
        invoiceNumbers = [:]
        if let invoices = Self.invoices(inputs) {
            for row in invoices.rows {
                if let code = invoices.value("provider_code", in: row).text,
                    let number = invoices.value("number", in: row).text
                {
                    invoiceNumbers[code] = number
                }
            }
        }
    }

    /// The invoices a direct input hands down, if any.
    static func invoices(_ inputs: StageInputs) -> Table? {
        inputs.direct.lazy.compactMap { $0.output.tables["invoices"] }.first
    }

    /// The payouts' tables a finance output hands on from its direct inputs, as declared.
    static func shapes(_ inputs: InputShapes) -> [TableShape] {
        inputs.directTables.filter { tableNames.contains($0.name) }
    }

    /// A money figure of the month's totals row.
    func total(_ name: String) -> Money { totals.rows.first.flatMap { totals.value(name, in: $0).money } ?? .zero }

    /// An integer of the month's totals row.
    func count(_ name: String) -> Int64 { totals.rows.first.flatMap { totals.value(name, in: $0).integer } ?? 0 }
}
