import Foundation
import PasserelleCore
import PasserelleSpec

/// Who issues the commission invoices, as the pipeline declares it (formats.md section 3: full name and
/// address, SIREN, VAT number, legal form, capital, RCS city).
struct InvoiceSeller: Sendable {
    var name: String
    var address: String
    var siren: String
    var vatNumber: String?
    var legalForm: String?
    var capital: String?
    var rcsCity: String?
    var email: String?

    static let options = [
        OptionSpec("name", .string, required: true, "Company name."),
        OptionSpec("address", .string, required: true, "Postal address, one line (commas between parts)."),
        OptionSpec("siren", .value(.siren), required: true, "SIREN (9 digits)."),
        OptionSpec("vat_number", .string, "Intra-EU VAT number (FR…)."),
        OptionSpec("legal_form", .string, "Legal form (SAS, SARL…)."),
        OptionSpec("capital", .string, "Share capital, e.g. '10 000 €'."),
        OptionSpec("rcs_city", .string, "City of the trade register (RCS)."),
        OptionSpec("email", .string, "Contact address printed on invoices."),
    ]

    init(_ values: OptionValues?) {
        name = values?.string("name") ?? ""
        address = values?.string("address") ?? ""
        siren = (values?.string("siren") ?? "").filter { !$0.isWhitespace }
        vatNumber = values?.string("vat_number")
        legalForm = values?.string("legal_form")
        capital = values?.string("capital")
        rcsCity = values?.string("rcs_city")
        email = values?.string("email")
    }
}

/// One commission invoice: a provider's commissions of the month, with its number and totals.
struct CommissionInvoice: Sendable {
    var number: String
    var providerCode: String
    var providerName: String
    var providerEmail: String?
    /// The buyer's postal address (from the providers file's address column), when known.
    var providerAddress: String? = nil
    var date: CalendarDate
    var dueDate: CalendarDate
    var month: FinanceMonth
    var lines: [PayoutLine]
    var vatBasisPoints: Int64

    /// Total excluding VAT: the sum of the rounded commission lines.
    var totalExcludingVAT: Money { lines.reduce(.zero) { $0 + $1.commission } }
    /// VAT on the total of the rate, rounded half away from zero to the cent (one rate per invoice).
    var vat: Money { totalExcludingVAT.applying(basisPoints: vatBasisPoints) }
    var totalIncludingVAT: Money { totalExcludingVAT + vat }

    /// The file of the invoice in the run folder.
    var fileName: String { "\(number)-\(providerCode).html".replacingOccurrences(of: "/", with: "-") }
}
