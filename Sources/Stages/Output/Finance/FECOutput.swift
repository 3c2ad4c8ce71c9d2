import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes the month's commission invoices as FEC accounting entries, for the accountant to import.
///
/// One entry per invoice of the upstream `output.commission_invoices` stage, numbered with the invoice number,
/// dated the invoice date: the provider's customer account (auxiliary account = provider code) debited the total
/// including VAT, the commission revenue account credited the total excluding VAT, the collected-VAT account
/// credited the VAT. Every entry balances, or the stage fails naming it. The file is `<SIREN>FEC<AAAAMMJJ>.txt`
/// with the fiscal year's closing date (`fiscal_year_end`, 31 December of the month's year by default); see
/// `FECFile` for the format. A month without invoices gives the header line alone.
///
/// ```yaml
/// fec:
///   kind: output.fec
///   inputs: [invoices]
///   options: { siren: "123456789" }
/// ```
struct FECOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.fec",
        summary: "Write the month's commission invoices as an FEC file (18 columns, tab-separated).",
        options: [
            OptionSpec("siren", .value(.siren), required: true, "The company's SIREN, first part of the file name."),
            OptionSpec("fiscal_year_end", .value(.date), "Closing date of the fiscal year, yyyy-mm-dd (default 31/12)."),
            OptionSpec("journal_code", .string, "Sales journal code (default 'VT')."),
            OptionSpec("journal_label", .string, "Sales journal label (default 'Ventes')."),
            OptionSpec("customer_account", .string, "Customer account (default '411000')."),
            OptionSpec("revenue_account", .string, "Commission revenue account (default '706000')."),
            OptionSpec("vat_account", .string, "Collected VAT account (default '445710')."),
            OptionSpec("encoding", .choice(["iso-8859-15", "utf-8"]), "File encoding (default 'iso-8859-15')."),
        ], inputs: 1...4)

    let siren: String
    let fiscalYearEnd: CalendarDate?
    let journal: (code: String, label: String)
    let accounts: (customer: String, revenue: String, vat: String)
    let isLatin9: Bool

    init(spec: StageSpec) throws {
        let o = spec.options
        siren = (o.string("siren") ?? "").filter { !$0.isWhitespace }
        guard siren.count == 9, siren.allSatisfy(\.isASCIIDigitChar) else {
            throw StageError(
                stage: spec.name, message: "'siren' is '\(siren)', not 9 digits",
                fix: "write the company's SIREN (9 digits) under 'siren'", option: "siren")
        }
        fiscalYearEnd = try o.string("fiscal_year_end").map { text in
            guard let date = CalendarDate.parse(text) else {
                throw StageError(
                    stage: spec.name, message: "'fiscal_year_end' is '\(text)', not a date", fix: "write it yyyy-mm-dd",
                    option: "fiscal_year_end")
            }
            return date
        }
        journal = (o.string("journal_code") ?? "VT", o.string("journal_label") ?? "Ventes")
        accounts = (o.string("customer_account") ?? "411000", o.string("revenue_account") ?? "706000",
                    o.string("vat_account") ?? "445710")
        isLatin9 = (o.string("encoding") ?? "iso-8859-15") == "iso-8859-15"
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard let invoices = StatementData.invoices(inputs) else {
            throw StageError(
                stage: context.stageName, message: "no input of stage '\(context.stageName)' hands down invoices",
                fix: "list the output.commission_invoices stage under 'inputs'")
        }
        let data = try StatementData(inputs, stage: context.stageName)
        let lines = invoices.rows.flatMap { entry(invoices, $0) }
        let unbalanced = FECFile.unbalancedEntries(lines)
        guard unbalanced.isEmpty else {
            throw StageError(
                stage: context.stageName, message: "écritures déséquilibrées : \(unbalanced.joined(separator: ", "))",
                fix: "aucun FEC n'a été écrit ; signalez l'anomalie")
        }
        let closing = fiscalYearEnd ?? CalendarDate(year: data.month.year, month: 12, day: 31) ?? data.month.lastDay
        let name = FECFile.fileName(siren: siren, closing: closing)
        let bytes = FECFile.data(FECFile.text(lines), latin9: isLatin9)
        try context.writeOutput(named: name) { url in try bytes.write(to: url) }
        context.note("\(invoices.rows.count) entr(y/ies), \(lines.count) line(s) in \(name)")
        return StageOutput(tables: [:], rowsIn: invoices.rows.count, rowsOut: lines.count)
    }

    /// The three lines of one invoice's entry.
    private func entry(_ table: Table, _ row: Row) -> [FECFile.Line] {
        let number = table.value("number", in: row).text ?? ""
        let provider = table.value("provider_code", in: row).text ?? ""
        let name = table.value("provider_name", in: row).text ?? ""
        let date = table.value("date", in: row).date ?? CalendarDate(daysSinceEpoch: 0)
        let label = "Commission \(number) \(name)"
        let base = FECFile.Line(
            journalCode: journal.code, journalLabel: journal.label, entryNumber: number, date: date, account: "",
            accountLabel: "", pieceReference: number, label: label)
        var customer = base
        customer.account = accounts.customer
        customer.accountLabel = "Clients"
        customer.auxiliaryAccount = provider
        customer.auxiliaryLabel = name
        customer.debit = table.value("total_including_vat", in: row).money ?? .zero
        var revenue = base
        revenue.account = accounts.revenue
        revenue.accountLabel = "Commissions"
        revenue.credit = table.value("total_excluding_vat", in: row).money ?? .zero
        var vat = base
        vat.account = accounts.vat
        vat.accountLabel = "TVA collectée"
        vat.credit = table.value("vat", in: row).money ?? .zero
        return vat.credit == .zero ? [customer, revenue] : [customer, revenue, vat]
    }
}
