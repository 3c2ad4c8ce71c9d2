import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// The month's figures as the finance outputs read them: the tables of the upstream
/// `transform.monthly_payouts` stage and, when there is one, the invoices of `output.commission_invoices`.
struct StatementData {
    var month: FinanceMonth
    var payouts: Table
    var detail: Table
    var cancellations: Table
    var totals: Table
    var history: Table
    /// Invoice number by provider code (empty without an invoices stage upstream).
    var invoiceNumbers: [String: String]

    init(_ inputs: StageInputs, stage: String) throws {
        guard let result = inputs.upstream.last(where: { $0.kind == MonthlyPayoutsTransform.schema.kind }),
            let payouts = result.output.tables["rows"], let detail = result.output.tables["detail"],
            let cancellations = result.output.tables["cancellations"], let totals = result.output.tables["totals"],
            let history = result.output.tables["history"]
        else {
            throw StageError(
                stage: stage, message: "stage '\(stage)' has no transform.monthly_payouts stage upstream",
                fix: "list the payouts stage (or a stage after it) under 'inputs'")
        }
        let monthText = totals.rows.first.flatMap { totals.value("month", in: $0).text } ?? ""
        month = try FinanceMonth.option(monthText, stage: stage)
        self.payouts = payouts
        self.detail = detail
        self.cancellations = cancellations
        self.totals = totals
        self.history = history
        invoiceNumbers = [:]
        if let invoices = inputs.upstream.last(where: { $0.kind == CommissionInvoicesOutput.schema.kind })?
            .output.tables["invoices"]
        {
            for row in invoices.rows {
                if let code = invoices.value("provider_code", in: row).text,
                    let number = invoices.value("number", in: row).text
                {
                    invoiceNumbers[code] = number
                }
            }
        }
    }

    /// A money figure of the month's totals row.
    func total(_ name: String) -> Money { totals.rows.first.flatMap { totals.value(name, in: $0).money } ?? .zero }

    /// An integer of the month's totals row.
    func count(_ name: String) -> Int64 { totals.rows.first.flatMap { totals.value(name, in: $0).integer } ?? 0 }
}
