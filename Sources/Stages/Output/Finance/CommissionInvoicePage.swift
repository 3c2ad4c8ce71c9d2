import Foundation
import PasserelleCore

/// The printable HTML of one commission invoice, with the mentions a French invoice must carry.
///
/// formats.md section 3 (CGI ann. II art. 242 nonies A; Code de commerce L441-9 and D441-5): seller and buyer,
/// issue date, unique number, per line quantity, designation, unit price excluding VAT and VAT rate, date of the
/// service, totals excluding VAT, VAT and including VAT (or the exemption and its legal basis), due date,
/// early-payment discount, late-payment penalties, the 40 € recovery indemnity, SIREN, legal form, capital, RCS.
struct CommissionInvoicePage {
    let seller: InvoiceSeller
    let vatExemption: String?

    func html(_ invoice: CommissionInvoice) -> String {
        let e = FinanceHTML.escape
        var body = "<header>\n<h1>Facture n° \(e(invoice.number))</h1>\n"
        body += "<p>Date de facture : \(invoice.date.frenchText)<br>"
        body += "Prestations : commissions sur les séjours dont le départ est du \(invoice.month.firstDay.frenchText) "
        body += "au \(invoice.month.lastDay.frenchText)</p>\n</header>\n<main>\n"
        body += "<div class=\"parties\">\n" + sellerBlock() + buyerBlock(invoice) + "</div>\n"
        body += linesTable(invoice) + totalsTable(invoice) + terms(invoice)
        body += "</main>\n<footer>\n<p class=\"meta\">\(e(legalLine()))</p>\n</footer>\n"
        return FinanceHTML.page(
            title: "Facture \(invoice.number) — \(invoice.providerName)", css: FinanceHTML.baseCSS + Self.css, body: body)
    }

    private func sellerBlock() -> String {
        let e = FinanceHTML.escape
        var html = "<section>\n<h2>Émetteur</h2>\n<p><strong>\(e(seller.name))</strong>"
        if let form = seller.legalForm { html += " (\(e(form)))" }
        html += "<br>\(e(seller.address))<br>SIREN \(e(seller.siren))"
        if let vat = seller.vatNumber { html += "<br>N° TVA intracommunautaire : \(e(vat))" }
        if let email = seller.email { html += "<br>\(e(email))" }
        return html + "</p>\n</section>\n"
    }

    private func buyerBlock(_ invoice: CommissionInvoice) -> String {
        let e = FinanceHTML.escape
        var html = "<section>\n<h2>Client</h2>\n<p><strong>\(e(invoice.providerName))</strong>"
        if let address = invoice.providerAddress { html += "<br>\(e(address))" }
        html += "<br>Code hébergeur : \(e(invoice.providerCode))"
        if let email = invoice.providerEmail { html += "<br>\(e(email))" }
        return html + "</p>\n</section>\n"
    }

    private func linesTable(_ invoice: CommissionInvoice) -> String {
        let e = FinanceHTML.escape
        let vatRate = Value.percent(invoice.vatBasisPoints).frenchText
        var html = "<table>\n<thead><tr><th scope=\"col\">Désignation</th><th scope=\"col\">Quantité</th>"
        html += "<th scope=\"col\">Prix unitaire HT</th><th scope=\"col\">TVA</th><th scope=\"col\">Montant HT</th>"
        html += "</tr></thead>\n<tbody>\n"
        for line in invoice.lines {
            let designation = "Commission \(Value.percent(line.commissionRate).frenchText) sur le séjour "
                + "\(line.reference) (\(line.client), \(line.arrival.frenchText)–\(line.departure.frenchText)), "
                + "\(line.accommodationName), canal \(line.channel), montant \(line.gross.frenchText)"
            html += "<tr><td>\(e(designation))</td><td class=\"num\">1</td>"
            html += "<td class=\"num\">\(e(line.commission.frenchText))</td><td class=\"num\">\(e(vatRate))</td>"
            html += "<td class=\"num\">\(e(line.commission.frenchText))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func totalsTable(_ invoice: CommissionInvoice) -> String {
        let e = FinanceHTML.escape
        let rate = Value.percent(invoice.vatBasisPoints).frenchText
        var html = "<table class=\"totals\">\n<tbody>\n"
        html += "<tr><th scope=\"row\">Total HT</th><td class=\"num\">\(e(invoice.totalExcludingVAT.frenchText))</td></tr>\n"
        if invoice.vatBasisPoints == 0 {
            let mention = vatExemption ?? "TVA non applicable, art. 293 B du CGI"
            html += "<tr><th scope=\"row\">TVA</th><td>\(e(mention))</td></tr>\n"
        } else {
            html += "<tr><th scope=\"row\">TVA \(e(rate))</th><td class=\"num\">\(e(invoice.vat.frenchText))</td></tr>\n"
        }
        html += "<tr><th scope=\"row\">Total TTC</th><td class=\"num\">\(e(invoice.totalIncludingVAT.frenchText))</td></tr>\n"
        return html + "</tbody>\n</table>\n"
    }

    private func terms(_ invoice: CommissionInvoice) -> String {
        var html = "<section>\n<h2>Conditions de paiement</h2>\n<p>"
        html += "Échéance : \(invoice.dueDate.frenchText). Montant déduit du versement à l'hébergeur du "
        html += "\(invoice.month.lastDay.frenchText).<br>"
        html += "Pas d'escompte pour paiement anticipé.<br>"
        html += "En cas de retard de paiement : pénalités au taux d'intérêt appliqué par la Banque centrale européenne "
        html += "à son opération de refinancement la plus récente majoré de 10 points, et indemnité forfaitaire pour "
        html += "frais de recouvrement de 40 € (art. L441-10 et D441-5 du Code de commerce)."
        return html + "</p>\n</section>\n"
    }

    private func legalLine() -> String {
        var parts = [seller.name]
        if let form = seller.legalForm {
            parts.append(form + (seller.capital.map { " au capital de \($0)" } ?? ""))
        }
        parts.append("SIREN \(seller.siren)")
        if let city = seller.rcsCity { parts.append("RCS \(city)") }
        if let vat = seller.vatNumber { parts.append("TVA \(vat)") }
        return parts.joined(separator: " — ")
    }

    static let css = """
        .parties { display: flex; gap: 3rem; }
        .parties section { flex: 1; }
        table.totals { width: auto; margin-left: auto; margin-top: 1rem; }
        table.totals th { background: none; text-align: right; }
        """
}
