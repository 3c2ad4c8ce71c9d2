import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes one printable commission invoice per provider for the month, numbered in one unbroken sequence.
///
/// A provider gets an invoice when its commissions of the month (confirmed stays departing in the month, from
/// the upstream `transform.monthly_payouts`) are above zero. Numbers come from the store
/// (`invoice_numbers`): the first run of a month gives the next numbers of the series in provider-code order; a
/// re-run reuses them, so a number is never changed, skipped or given twice. The invoice is dated the last day
/// of the month (the payout date, from which the commission is deducted) and carries the mentions of
/// formats.md section 3: seller and buyer, number, dates, a line per stay with quantity, unit price excluding
/// VAT and rate, totals excluding VAT, VAT and including VAT (or the VAT exemption), due date, no early-payment
/// discount, late-payment penalties and the 40 € recovery indemnity, SIREN, legal form, capital, RCS. Writes
/// `<folder>/<number>-<provider>.html` and the `invoices` table (also `rows`), listed in the statement. A
/// number given earlier to a provider that now has no commission is reported
/// (`output.commission_invoices.number_without_commission`): an issued invoice is cancelled by a credit note.
///
/// ```yaml
/// invoices:
///   kind: output.commission_invoices
///   inputs: [payouts]
///   options:
///     seller: { name: Centrale Vallée Blanche, address: "1 place de la Gare, 74400 Chamonix", siren: "123456789" }
///     vat_rate: 20 %
/// ```
struct CommissionInvoicesOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.commission_invoices",
        summary: "Write one numbered commission invoice per provider for the month (printable HTML).",
        options: [
            OptionSpec("seller", .object(InvoiceSeller.options), required: true, "Who issues the invoices."),
            OptionSpec("series", .string, "The numbering series, a prefix of the numbers (default 'FC')."),
            OptionSpec("vat_rate", .value(.percentage), "VAT rate on commissions (default '20 %')."),
            OptionSpec("vat_exemption", .string, "The exemption mention when the VAT rate is 0 %."),
            OptionSpec("payment_days", .integer, "Days from the invoice date to the due date (default 0: deducted)."),
            OptionSpec("folder", .string, "Folder of the invoices in the run folder (default 'factures')."),
        ], inputs: 1...1)

    static let columns = [
        "provider_code", "provider_name", "number", "date", "due_date", "total_excluding_vat", "vat",
        "total_including_vat", "file",
    ]

    let seller: InvoiceSeller
    let series: String
    let vatBasisPoints: Int64
    let vatExemption: String?
    let paymentDays: Int
    let folder: String

    init(spec: StageSpec) throws {
        seller = InvoiceSeller(spec.options.object("seller"))
        series = spec.options.string("series") ?? "FC"
        vatBasisPoints = try FinanceRate.option(
            spec.options.string("vat_rate") ?? "20 %", key: "vat_rate", stage: spec.name)
        vatExemption = spec.options.string("vat_exemption")
        paymentDays = max(0, spec.options.integer("payment_days") ?? 0)
        folder = spec.options.string("folder") ?? "factures"
        guard seller.siren.count == 9, seller.siren.allSatisfy(\.isASCIIDigitChar) else {
            throw StageError(
                stage: spec.name, message: "the seller's SIREN '\(seller.siren)' is not 9 digits",
                fix: "write the SIREN of the company issuing the invoices under 'seller: { siren: ... }'",
                option: "seller.siren")
        }
    }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "amount": .money, "arrival": .date, "cancellations": .integer, "charged_online": .money, "commission": .money,
        "commission_rate": .percent, "date": .date, "departure": .date, "due_date": .date, "fees": .money,
        "gross": .money, "net": .money, "payout_date": .date, "providers": .integer, "stays": .integer,
        "total_excluding_vat": .money, "total_including_vat": .money, "vat": .money,
    ]

    /// One row per invoice (`rows`, also `invoices`), and the payouts' tables of its input, handed on.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            .rows(Self.columns, types: Self.fieldTypes),
            TableShape("invoices", fields: Self.columns, types: Self.fieldTypes),
        ] + StatementData.shapes(inputs)
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let data = try StatementData(inputs, stage: context.stageName)
        let lines = PayoutTables.lines(fromDetail: data.detail)
        let byProvider = Dictionary(grouping: lines.filter { $0.commission.cents != 0 }, by: \.providerCode)
        let numbers = try context.store.invoiceNumbers(
            series: series, month: data.month.description, providers: byProvider.keys.sorted(),
            scope: context.writeScope)
        // The buyer's contact comes from the payouts table (one row per provider); detail lines carry none.
        var contacts: [String: Row] = [:]
        for row in data.payouts.rows {
            guard let code = data.payouts.value("provider_code", in: row).text, contacts[code] == nil else { continue }
            contacts[code] = row
        }
        var invoices: [CommissionInvoice] = []
        for record in numbers {
            guard let own = byProvider[record.providerCode], let first = own.first else {
                context.report(orphan(record, month: data.month))
                continue
            }
            var built = invoice(record, own, first, month: data.month)
            if let row = contacts[record.providerCode] {
                built.providerEmail = data.payouts.value("provider_email", in: row).text ?? built.providerEmail
                built.providerAddress = data.payouts.value("provider_address", in: row).text
            }
            invoices.append(built)
        }
        // One page per invoice, a hundred thousand at the scale of a valley: written into a folder that is
        // flushed once and put in place whole (`OutputFolder`), not one atomic rename per file.
        let pages = try context.outputFolder(named: folder)
        do {
            let page = CommissionInvoicePage(seller: seller, vatExemption: vatExemption)
            for chunk in stride(from: 0, to: invoices.count, by: 1000) {
                try pages.write(
                    invoices[chunk..<min(chunk + 1000, invoices.count)].map { ($0.fileName, Data(page.html($0).utf8)) })
            }
            if !invoices.isEmpty { try pages.commit() } else { pages.discard() }
        } catch {
            pages.discard()
            throw error
        }
        context.note(
            "\(invoices.count) commission invoice(s) for \(data.month), numbers \(invoices.first?.number ?? "-") to \(invoices.last?.number ?? "-")"
        )
        let table = invoiceTable(invoices)
        // The payouts' tables go on with the invoices, for the statement and the FEC after this stage.
        var extra = ["invoices": table]
        for name in StatementData.tableNames {
            extra[name] = inputs.direct.lazy.compactMap { $0.output.tables[name] }.first
        }
        return StageOutput(rows: table, rowsIn: lines.count, extra: extra)
    }

    private func invoice(_ record: InvoiceNumberRecord, _ lines: [PayoutLine], _ first: PayoutLine, month: FinanceMonth)
        -> CommissionInvoice
    {
        CommissionInvoice(
            number: InvoiceNumberText.text(record), providerCode: record.providerCode,
            providerName: first.providerName, providerEmail: first.providerEmail, date: month.lastDay,
            dueDate: month.lastDay.adding(days: paymentDays), month: month, lines: lines,
            vatBasisPoints: vatBasisPoints)
    }

    private func invoiceTable(_ invoices: [CommissionInvoice]) -> Table {
        Table(
            columns: Self.columns,
            rows: invoices.map { i in
                Row(
                    location: .file(""),
                    values: [
                        .text(i.providerCode), .text(i.providerName), .text(i.number), .date(i.date), .date(i.dueDate),
                        .money(i.totalExcludingVAT), .money(i.vat), .money(i.totalIncludingVAT),
                        .text("\(folder)/\(i.fileName)"),
                    ])
            })
    }

    private func orphan(_ record: InvoiceNumberRecord, month: FinanceMonth) -> Diagnostic {
        Diagnostic(
            rule: "output.commission_invoices.number_without_commission", severity: .warning,
            location: .file("store: invoice \(InvoiceNumberText.text(record))"),
            message: "la facture \(InvoiceNumberText.text(record)) de \(month.frenchName) a été "
                + "numérotée pour l'hébergeur \(record.providerCode), qui n'a plus de commission ce mois-ci",
            fix: "émettez un avoir pour annuler cette facture ; son numéro n'est pas réutilisé")
    }
}

/// How invoice numbers are written: the series, a dash and the number on six digits (`FC-000042`).
enum InvoiceNumberText {
    static func text(_ record: InvoiceNumberRecord) -> String {
        let digits = "\(record.number)"
        return "\(record.series)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
