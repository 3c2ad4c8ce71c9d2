import Foundation
import PasserelleCore

/// A column of a statement table: its French header, the field it shows and its width in Excel characters.
///
/// `package` so that the benchmark can hand the reference writers the statement's very cells.
package struct StatementColumn: Sendable {
    package var header: String
    package var field: String
    package var width: Double

    init(_ header: String, _ field: String, _ width: Double) {
        self.header = header
        self.field = field
        self.width = width
    }

    /// The summary: one row per provider.
    package static let summary = [
        StatementColumn("Code hébergeur", "provider_code", 14), StatementColumn("Hébergeur", "provider_name", 32),
        StatementColumn("Séjours", "stays", 9), StatementColumn("Brut", "gross", 14),
        StatementColumn("Commission", "commission", 14), StatementColumn("Frais de paiement", "fees", 14),
        StatementColumn("Net versé", "net", 14), StatementColumn("Date de versement", "payout_date", 12),
        StatementColumn("N° de facture", "invoice_number", 16),
    ]

    /// The detail: one row per stay paid.
    package static let detail = [
        StatementColumn("Code hébergeur", "provider_code", 14), StatementColumn("Hébergeur", "provider_name", 28),
        StatementColumn("Hébergement", "accommodation_name", 28), StatementColumn("Référence", "reference", 16),
        StatementColumn("Code séjour", "stay_code", 11), StatementColumn("Client", "client", 24),
        StatementColumn("Arrivée", "arrival", 11), StatementColumn("Départ", "departure", 11),
        StatementColumn("Canal", "channel", 14), StatementColumn("Brut", "gross", 13),
        StatementColumn("Taux de commission", "commission_rate", 10), StatementColumn("Commission", "commission", 13),
        StatementColumn("Encaissé en ligne", "charged_online", 13), StatementColumn("Frais de paiement", "fees", 13),
        StatementColumn("Net", "net", 13), StatementColumn("Date de versement", "payout_date", 12),
    ]

    /// The cancellations departing in the month, excluded from the payouts.
    package static let cancellations = [
        StatementColumn("Code hébergeur", "provider_code", 14), StatementColumn("Hébergeur", "provider_name", 28),
        StatementColumn("Hébergement", "accommodation_name", 28), StatementColumn("Référence", "reference", 16),
        StatementColumn("Code séjour", "stay_code", 11), StatementColumn("Client", "client", 24),
        StatementColumn("Arrivée", "arrival", 11), StatementColumn("Départ", "departure", 11),
        StatementColumn("Canal", "channel", 14), StatementColumn("Montant", "amount", 13),
    ]
}
